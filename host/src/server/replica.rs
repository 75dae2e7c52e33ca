//! Keeping a replica in step with the database, so that several `vivier serve` processes (or
//! pods) over one PostgreSQL behave as one: a change made through any of them (a plugin
//! installed, a slot activated, stopped, pinned or given another policy) reaches the others
//! without a restart. Keys and plugin flags need nothing here: they are read from the database
//! on every request.
//!
//! Each replica polls two cheap queries (the slot rows and the installed bundles) every
//! [`POLL_INTERVAL`]; on PostgreSQL a LISTEN on [`CHANNEL`] wakes it at once when another
//! replica commits a change, the poll staying as the fallback if a notification is lost (a
//! dropped connection) and for SQLite shared by several processes.

use super::slots::SlotState;
use super::Shared;
use crate::store::slots::SlotRow;
use crate::store::{self, Backend, Conn, StoreError};
use crate::world::World;
use std::sync::Arc;
use std::time::Duration;

pub const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// The PostgreSQL notification channel of administrators' changes.
pub const CHANNEL: &str = "vivier_changes";

/// Tells the other replicas, at commit, that something changed (PostgreSQL only; SQLite
/// replicas see it at their next poll). Call inside the transaction of the change.
pub async fn notify(conn: &mut Conn, backend: Backend) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        // pg_notify returns `void`, which the Any driver cannot decode: select a constant.
        sqlx::query("SELECT 1 FROM pg_notify($1, '')").bind(CHANNEL).execute(conn).await?;
    }
    Ok(())
}

/// Writes the bundles missing locally, then brings every slot in line with its stored row.
/// Returns the slots that changed.
pub async fn sync_once(state: &Shared) -> anyhow::Result<Vec<World>> {
    let written = store::bundles::materialise(state.store.pool(), &state.data_dir).await?;
    if !written.is_empty() {
        tracing::info!(plugins = ?written, "plugins installed through another replica are now available");
    }
    let mut changed = Vec::new();
    // The same lock as administrators' changes, taken before reading: a change made through
    // this replica is never overwritten by an older row read just before it.
    let _guard = state.admin_lock.lock().await;
    let rows = store::slots::all(state.store.pool()).await?;
    for world in World::ALL {
        let Some(row) = rows.iter().find(|r| r.world == world.name()) else { continue };
        let current = state.slots.state(world);
        if current.as_ref().is_some_and(|c| same_row(&c.row, row)) {
            continue;
        }
        let loaded_spec = current.as_ref().and_then(|c| c.active.as_ref().map(|a| a.spec()));
        let next = if loaded_spec.as_deref() == Some(row.active.as_str()) {
            SlotState { active: current.and_then(|c| c.active), row: row.clone(), load_error: None }
        } else {
            let loaded = match state.registry.find(&row.active) {
                Ok(entry) => state.load(entry).await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match loaded {
                Ok(active) => SlotState { active: Some(Arc::new(active)), row: row.clone(), load_error: None },
                Err(e) => {
                    tracing::error!(slot = %world, plugin = %row.active, error = %e, "the slot's new plugin cannot be loaded on this replica; its calls fail");
                    SlotState { active: None, row: row.clone(), load_error: Some(e) }
                }
            }
        };
        tracing::info!(slot = %world, plugin = %row.active, stopped = row.stopped, "slot changed through another replica");
        state.slots.set(world, next);
        changed.push(world);
    }
    Ok(changed)
}

fn same_row(a: &SlotRow, b: &SlotRow) -> bool {
    a.active == b.active
        && a.previous == b.previous
        && a.pinned == b.pinned
        && a.stopped == b.stopped
        && a.failure_policy == b.failure_policy
}

/// Runs the sync loop for the life of the server.
pub fn spawn(state: Shared, database: Option<String>) -> Vec<tokio::task::JoinHandle<()>> {
    let wake = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::new();
    if let (Backend::Postgres, Some(url)) = (state.store.backend(), database) {
        let wake = wake.clone();
        tasks.push(tokio::spawn(async move { listen(&url, &wake).await }));
    }
    tasks.push(tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = wake.notified() => {}
            }
            if let Err(e) = sync_once(&state).await {
                tracing::warn!(error = %e, "replica sync failed; retrying");
            }
        }
    }));
    tasks
}

/// Wakes the sync loop on every notification; reconnects after an error.
async fn listen(url: &str, wake: &tokio::sync::Notify) {
    loop {
        match sqlx::postgres::PgListener::connect(url).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(CHANNEL).await {
                    tracing::warn!(error = %e, "LISTEN failed; polling only");
                } else {
                    while listener.recv().await.is_ok() {
                        wake.notify_one();
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot open the notification connection; polling meanwhile"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
