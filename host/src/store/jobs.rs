//! Background jobs (a batch of CVs) and their per-file results.

use super::{Conn, Pool, StoreError};

/// A job still "running" whose runner has not written for this long was cut short (its process
/// stopped): it is reported as `interrupted`, its unprocessed files as `not_processed`.
pub const STALE_MS: i64 = 10 * 60 * 1000;
/// Jobs and their results are kept this long after they were created.
pub const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub key_id: String,
    pub status: String,
    pub total: i64,
    pub done: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub position: i64,
    pub filename: String,
    pub external_id: Option<String>,
    /// `queued`, `parsed`, `existing` (a live candidate had this external id) or `failed`.
    pub status: String,
    pub candidate_id: Option<String>,
    pub trace_id: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// Creates a job and its queued items (file name, external id), in one transaction.
pub async fn create(
    conn: &mut Conn,
    id: &str,
    kind: &str,
    key_id: &str,
    items: &[(String, Option<String>)],
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO jobs (id, kind, key_id, status, total, done, created_at, updated_at) VALUES ($1, $2, $3, 'running', $4, 0, $5, $5)",
    )
    .bind(id)
    .bind(kind)
    .bind(key_id)
    .bind(items.len() as i64)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    for (i, (filename, external_id)) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO job_items (job_id, position, filename, external_id, status) VALUES ($1, $2, $3, $4, 'queued')",
        )
        .bind(id)
        .bind(i as i64)
        .bind(filename)
        .bind(external_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Records one file's result and counts it done.
pub async fn finish_item(pool: &Pool, job_id: &str, item: &ItemRow, now: i64) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE job_items SET status = $1, candidate_id = $2, trace_id = $3, error_code = $4, error_message = $5 \
         WHERE job_id = $6 AND position = $7",
    )
    .bind(&item.status)
    .bind(&item.candidate_id)
    .bind(&item.trace_id)
    .bind(&item.error_code)
    .bind(&item.error_message)
    .bind(job_id)
    .bind(item.position)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE jobs SET done = done + 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(job_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn finish(pool: &Pool, job_id: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE jobs SET status = 'done', finished_at = $1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(job_id)
        .execute(pool)
        .await?;
    Ok(())
}

type JobTuple = (String, String, String, String, i64, i64, i64, i64, Option<i64>);
type ItemTuple = (i64, String, Option<String>, String, Option<String>, Option<String>, Option<String>, Option<String>);

/// The job `id` of `key_id`, with its items in file order.
pub async fn get(pool: &Pool, key_id: &str, id: &str) -> Result<Option<(JobRow, Vec<ItemRow>)>, StoreError> {
    let row: Option<JobTuple> = sqlx::query_as(
        "SELECT id, kind, key_id, status, total, done, created_at, updated_at, finished_at FROM jobs WHERE id = $1 AND key_id = $2",
    )
    .bind(id)
    .bind(key_id)
    .fetch_optional(pool)
    .await?;
    let Some((id, kind, key_id, status, total, done, created_at, updated_at, finished_at)) = row else {
        return Ok(None);
    };
    let items: Vec<ItemTuple> = sqlx::query_as(
        "SELECT position, filename, external_id, status, candidate_id, trace_id, error_code, error_message \
         FROM job_items WHERE job_id = $1 ORDER BY position",
    )
    .bind(&id)
    .fetch_all(pool)
    .await?;
    let items =
        items
            .into_iter()
            .map(|(position, filename, external_id, status, candidate_id, trace_id, error_code, error_message)| {
                ItemRow { position, filename, external_id, status, candidate_id, trace_id, error_code, error_message }
            })
            .collect();
    Ok(Some((JobRow { id, kind, key_id, status, total, done, created_at, updated_at, finished_at }, items)))
}

/// Removes jobs older than [`KEEP_MS`] with their items; returns how many jobs.
pub async fn purge_old(conn: &mut Conn, now: i64) -> Result<u64, StoreError> {
    let cutoff = now - KEEP_MS;
    sqlx::query("DELETE FROM job_items WHERE job_id IN (SELECT id FROM jobs WHERE created_at < $1)")
        .bind(cutoff)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query("DELETE FROM jobs WHERE created_at < $1").bind(cutoff).execute(&mut *conn).await?.rows_affected())
}
