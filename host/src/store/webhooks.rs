//! Webhook endpoints and their delivery log.

use super::{Pool, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    #[serde(skip)]
    pub secret: String,
    /// Only this SIRH key's jobs and candidates, when set.
    pub key_id: Option<String>,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    pub id: String,
    pub webhook_id: String,
    pub event: String,
    #[serde(skip)]
    pub body: String,
    /// `pending`, `sending`, `delivered` or `failed` (attempts exhausted).
    pub status: String,
    pub attempts: i64,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub next_attempt_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
    #[serde(serialize_with = "crate::store::as_rfc3339::option::serialize")]
    pub delivered_at: Option<i64>,
}

pub async fn insert(pool: &Pool, w: &Webhook) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO webhooks (id, url, events_json, secret, key_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&w.id)
    .bind(&w.url)
    .bind(serde_json::to_string(&w.events).expect("strings serialise"))
    .bind(&w.secret)
    .bind(&w.key_id)
    .bind(w.created_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn delete(pool: &Pool, id: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(pool).await?.rows_affected() == 1)
}

pub async fn all(pool: &Pool) -> Result<Vec<Webhook>, StoreError> {
    let rows: Vec<(String, String, String, String, Option<String>, i64)> =
        sqlx::query_as("SELECT id, url, events_json, secret, key_id, created_at FROM webhooks ORDER BY created_at, id")
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(id, url, events, secret, key_id, created_at)| {
            let events =
                serde_json::from_str(&events).map_err(|e| StoreError::Corrupt(format!("webhook {id}: {e}")))?;
            Ok(Webhook { id, url, events, secret, key_id, created_at })
        })
        .collect()
}

pub async fn enqueue(
    pool: &Pool,
    id: &str,
    webhook_id: &str,
    event: &str,
    body: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, webhook_id, event, body, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
    )
    .bind(id)
    .bind(webhook_id)
    .bind(event)
    .bind(body)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

type DeliveryTuple = (String, String, String, String, String, i64, i64, Option<i64>, Option<String>, i64, Option<i64>);
const DELIVERY_SELECT: &str = "SELECT id, webhook_id, event, body, status, attempts, next_attempt_at, last_status, \
     last_error, created_at, delivered_at FROM webhook_deliveries";

fn delivery(
    (id, webhook_id, event, body, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at): DeliveryTuple,
) -> Delivery {
    Delivery {
        id,
        webhook_id,
        event,
        body,
        status,
        attempts,
        next_attempt_at,
        last_status,
        last_error,
        created_at,
        delivered_at,
    }
}

/// Deliveries due now: pending ones, and those whose sender stopped mid-way (lease expired).
pub async fn due(pool: &Pool, now: i64, limit: i64) -> Result<Vec<Delivery>, StoreError> {
    let rows: Vec<DeliveryTuple> = sqlx::query_as(&format!(
        "{DELIVERY_SELECT} WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(delivery).collect())
}

/// Takes a due delivery for one sender (another replica may be looking at it too).
pub async fn claim(pool: &Pool, d: &Delivery, lease_until: i64) -> Result<bool, StoreError> {
    let n = sqlx::query(
        "UPDATE webhook_deliveries SET status = 'sending', next_attempt_at = $1 WHERE id = $2 AND status = $3 AND next_attempt_at = $4",
    )
    .bind(lease_until)
    .bind(&d.id)
    .bind(&d.status)
    .bind(d.next_attempt_at)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records an attempt: delivered, to retry at `retry_at`, or failed for good (`retry_at` None).
pub async fn record_attempt(
    pool: &Pool,
    id: &str,
    delivered: bool,
    status: Option<u16>,
    error: Option<&str>,
    retry_at: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    let new_status = match (delivered, retry_at) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_status = $2, last_error = $3, \
         next_attempt_at = $4, delivered_at = $5 WHERE id = $6",
    )
    .bind(new_status)
    .bind(status.map(i64::from))
    .bind(error)
    .bind(retry_at.unwrap_or(now))
    .bind(delivered.then_some(now))
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// The latest deliveries, newest first.
pub async fn log(pool: &Pool, limit: i64) -> Result<Vec<Delivery>, StoreError> {
    let rows: Vec<DeliveryTuple> =
        sqlx::query_as(&format!("{DELIVERY_SELECT} ORDER BY created_at DESC, id DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(delivery).collect())
}

/// Removes finished deliveries created before `cutoff`; returns how many.
pub async fn purge_before(conn: &mut super::Conn, cutoff: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM webhook_deliveries WHERE created_at < $1 AND status IN ('delivered', 'failed')")
        .bind(cutoff)
        .execute(conn)
        .await?
        .rows_affected())
}
