//! The retention job: erases candidates not hired whose last contact is older than the
//! configured delay (default 2 years), and purges audit rows older than the audit retention
//! (at least 6 months) behind a checkpoint. Runs periodically and on an administrator's request.

use super::candidates::erase_candidate;
use crate::server::error::ApiResult;
use crate::server::Shared;
use crate::store::{candidates, now_ms};
use serde_json::{json, Value};
use std::time::Duration;

const DAY_MS: i64 = 86_400_000;

pub async fn run_once(state: &Shared, actor: &str) -> ApiResult<Value> {
    let now = now_ms();
    let cutoff = now - i64::from(state.config.candidate_retention_days) * DAY_MS;
    let mut erased = 0;
    loop {
        let due = candidates::due_for_purge(state.store.pool(), cutoff, 200).await?;
        if due.is_empty() {
            break;
        }
        for id in due {
            erase_candidate(state, &id, actor, "retention").await?;
            erased += 1;
        }
    }
    let audit_cutoff = now - i64::from(state.config.audit_retention_days) * DAY_MS;
    let purged = state.audit.purge_before(audit_cutoff).await?;
    let mut tx = state.store.begin_write().await?;
    let idempotency = crate::store::idempotency::purge_expired(&mut tx, now).await?;
    let jobs = crate::store::jobs::purge_old(&mut tx, now).await?;
    crate::store::webhooks::purge_before(&mut tx, now - crate::store::jobs::KEEP_MS).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(json!({ "candidates_erased": erased, "audit_rows_purged": purged, "idempotency_keys_expired": idempotency,
               "jobs_removed": jobs }))
}

/// The scheduled purge; the server aborts it before closing the store (an erasure in flight is
/// one transaction, rolled back, and done again at the next start).
pub fn spawn(state: Shared) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(state.config.purge_interval_secs));
        loop {
            tick.tick().await;
            match run_once(&state, "system").await {
                Ok(report) => tracing::info!(%report, "retention job ran"),
                Err(e) => tracing::error!(error = %e.message, "retention job failed"),
            }
        }
    })
}
