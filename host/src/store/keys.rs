//! API keys: only their sha256 is stored; the key itself is shown once at creation.

use super::{new_id, now_ms, Pool, StoreError};
use crate::auth::Role;

#[derive(Debug, Clone, serde::Serialize)]
pub struct KeyRecord {
    pub id: String,
    pub role: Role,
    pub label: Option<String>,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
    #[serde(serialize_with = "crate::store::as_rfc3339::option::serialize")]
    pub revoked_at: Option<i64>,
}

/// Stores a new key (by hash) and returns its id.
pub async fn insert(pool: &Pool, role: Role, key_hash: &str, label: Option<&str>) -> Result<String, StoreError> {
    let id = new_id("key");
    sqlx::query("INSERT INTO api_keys (id, role, key_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(role.as_str())
        .bind(key_hash)
        .bind(label)
        .bind(now_ms())
        .execute(pool)
        .await?;
    Ok(id)
}

/// The active (not revoked) key with this hash.
type KeyTuple = (String, String, Option<String>, i64, Option<i64>);

pub async fn find_by_hash(pool: &Pool, key_hash: &str) -> Result<Option<KeyRecord>, StoreError> {
    let row: Option<KeyTuple> = sqlx::query_as(
        "SELECT id, role, label, created_at, revoked_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(key_hash)
    .fetch_optional(pool)
    .await?;
    row.map(record).transpose()
}

pub async fn list(pool: &Pool) -> Result<Vec<KeyRecord>, StoreError> {
    let rows: Vec<KeyTuple> =
        sqlx::query_as("SELECT id, role, label, created_at, revoked_at FROM api_keys ORDER BY created_at, id")
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(record).collect()
}

/// Revokes a key; false when no active key has this id.
pub async fn revoke(pool: &Pool, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now_ms())
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn record((id, role, label, created_at, revoked_at): KeyTuple) -> Result<KeyRecord, StoreError> {
    let role = role.parse().map_err(|_| StoreError::Corrupt(format!("key {id} has an unknown role `{role}`")))?;
    Ok(KeyRecord { id, role, label, created_at, revoked_at })
}
