//! Admin console sessions, stored by the hash of their token.

use super::{Pool, StoreError};
use crate::auth::Role;

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub key_id: String,
    pub role: Role,
    pub expires_at: i64,
}

pub async fn insert(
    pool: &Pool,
    token_hash: &str,
    key_id: &str,
    role: Role,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    // Expired sessions are swept at each sign-in: the table stays as small as the number of
    // people signed in.
    sqlx::query("DELETE FROM console_sessions WHERE expires_at <= $1").bind(now).execute(pool).await?;
    sqlx::query(
        "INSERT INTO console_sessions (token_hash, key_id, role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(key_id)
    .bind(role.as_str())
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// The live session with this token hash: not expired, and its API key not revoked.
pub async fn find(pool: &Pool, token_hash: &str, now: i64) -> Result<Option<SessionRow>, StoreError> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT s.key_id, s.role, s.expires_at FROM console_sessions s JOIN api_keys k ON k.id = s.key_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND k.revoked_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    row.map(|(key_id, role, expires_at)| {
        let role = role.parse().map_err(|_| StoreError::Corrupt(format!("session with unknown role `{role}`")))?;
        Ok(SessionRow { key_id, role, expires_at })
    })
    .transpose()
}

pub async fn delete(pool: &Pool, token_hash: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM console_sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
    Ok(done.rows_affected() == 1)
}
