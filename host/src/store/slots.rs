//! Slot settings (active plugin, previous one, pin, stop switch, failure policy) and plugin flags.

use super::{Conn, Pool, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SlotRow {
    pub world: String,
    pub active: String,
    pub previous: Option<String>,
    pub pinned: bool,
    pub stopped: bool,
    pub failure_policy: String,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub updated_at: i64,
}

type SlotTuple = (String, String, Option<String>, i64, i64, String, i64);

pub async fn all(pool: &Pool) -> Result<Vec<SlotRow>, StoreError> {
    let rows: Vec<SlotTuple> = sqlx::query_as(
        "SELECT world, active, previous, pinned, stopped, failure_policy, updated_at FROM slots ORDER BY world",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(world, active, previous, pinned, stopped, failure_policy, updated_at)| SlotRow {
            world,
            active,
            previous,
            pinned: pinned != 0,
            stopped: stopped != 0,
            failure_policy,
            updated_at,
        })
        .collect())
}

pub async fn save(conn: &mut Conn, s: &SlotRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO slots (world, active, previous, pinned, stopped, failure_policy, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (world) DO UPDATE SET active = excluded.active, previous = excluded.previous, pinned = excluded.pinned, \
         stopped = excluded.stopped, failure_policy = excluded.failure_policy, updated_at = excluded.updated_at",
    )
    .bind(&s.world)
    .bind(&s.active)
    .bind(&s.previous)
    .bind(i64::from(s.pinned))
    .bind(i64::from(s.stopped))
    .bind(&s.failure_policy)
    .bind(s.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Plugins an administrator disabled (`id@version`).
pub async fn disabled(pool: &Pool) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT plugin_ref FROM plugin_flags WHERE enabled = 0").fetch_all(pool).await?)
}

pub async fn set_enabled(conn: &mut Conn, plugin_ref: &str, enabled: bool, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO plugin_flags (plugin_ref, enabled, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (plugin_ref) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
    )
    .bind(plugin_ref)
    .bind(i64::from(enabled))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
