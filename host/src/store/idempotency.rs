//! Answers of requests sent with an `Idempotency-Key`, so that a retried request gets the first
//! answer instead of creating a second candidate, ranking or decision.

use super::{Conn, Pool, StoreError};

/// How long a key is remembered; a retry later than this is a new request.
pub const TTL_MS: i64 = 24 * 3600 * 1000;
/// A first request still "running" after this was cut short (a crash, a restart): its key is
/// free again. Longer than any call's deadline plus its queue time.
pub const STALE_PENDING_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// The first request with this key is still running.
    Pending {
        request_digest: String,
    },
    Done {
        request_digest: String,
        status: u16,
        content_type: String,
        body: String,
    },
}

type Tuple = (String, Option<i64>, Option<String>, Option<String>, i64);

/// The live entry of `(key_id, idem_key)`, if any (an expired one is removed).
pub async fn get(pool: &Pool, key_id: &str, idem_key: &str, now: i64) -> Result<Option<Stored>, StoreError> {
    let row: Option<Tuple> = sqlx::query_as(
        "SELECT request_digest, status, content_type, response_body, created_at FROM idempotency_keys \
         WHERE key_id = $1 AND idem_key = $2",
    )
    .bind(key_id)
    .bind(idem_key)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some((_, status, _, _, created_at))
            if now - created_at > TTL_MS || (status.is_none() && now - created_at > STALE_PENDING_MS) =>
        {
            forget(pool, key_id, idem_key).await?;
            None
        }
        Some((request_digest, Some(status), content_type, Some(body), _)) => Some(Stored::Done {
            request_digest,
            status: status as u16,
            content_type: content_type.unwrap_or_else(|| "application/json".into()),
            body,
        }),
        Some((request_digest, ..)) => Some(Stored::Pending { request_digest }),
        None => None,
    })
}

/// Claims the key for a first request; false when another request holds it already.
pub async fn claim(pool: &Pool, key_id: &str, idem_key: &str, digest: &str, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO idempotency_keys (key_id, idem_key, request_digest, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key_id, idem_key) DO NOTHING",
    )
    .bind(key_id)
    .bind(idem_key)
    .bind(digest)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the answer of the request that claimed the key.
pub async fn complete(
    pool: &Pool,
    key_id: &str,
    idem_key: &str,
    status: u16,
    content_type: &str,
    body: &str,
    candidate_id: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE idempotency_keys SET status = $1, content_type = $2, response_body = $3, candidate_id = $4 \
         WHERE key_id = $5 AND idem_key = $6",
    )
    .bind(i64::from(status))
    .bind(content_type)
    .bind(body)
    .bind(candidate_id)
    .bind(key_id)
    .bind(idem_key)
    .execute(pool)
    .await?;
    Ok(())
}

/// Releases a key whose request failed, so that the client can retry with it.
pub async fn forget(pool: &Pool, key_id: &str, idem_key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM idempotency_keys WHERE key_id = $1 AND idem_key = $2")
        .bind(key_id)
        .bind(idem_key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Removes entries older than the TTL; returns how many.
pub async fn purge_expired(conn: &mut Conn, now: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(now - TTL_MS)
        .execute(conn)
        .await?
        .rows_affected())
}
