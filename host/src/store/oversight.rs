//! Oversight evidence: bias probe reports by plugin digest, recorded evaluation runs, the shadow
//! plugin of each slot and its runs.

use super::{Conn, Pool, StoreError};

#[derive(Debug, Clone, serde::Serialize)]
pub struct ProbeRow {
    pub plugin_digest: String,
    pub plugin_id: String,
    pub plugin_version: String,
    /// The administrator's settings the probe ran with (`probe::gate::settings_digest`).
    pub settings_digest: String,
    pub report_json: String,
    pub passed: bool,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
}

/// Stores (or replaces, when the probe is run again) the report of a plugin digest.
pub async fn save_probe(conn: &mut Conn, r: &ProbeRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO bias_probes (plugin_digest, plugin_id, plugin_version, report_json, passed, created_at, settings_digest) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plugin_digest) DO UPDATE SET plugin_id = excluded.plugin_id, \
         plugin_version = excluded.plugin_version, report_json = excluded.report_json, passed = excluded.passed, \
         created_at = excluded.created_at, settings_digest = excluded.settings_digest",
    )
    .bind(&r.plugin_digest)
    .bind(&r.plugin_id)
    .bind(&r.plugin_version)
    .bind(&r.report_json)
    .bind(i64::from(r.passed))
    .bind(r.created_at)
    .bind(&r.settings_digest)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn probe(pool: &Pool, digest: &str) -> Result<Option<ProbeRow>, StoreError> {
    let row: Option<ProbeTuple> =
        sqlx::query_as(&format!("{PROBE_SELECT} WHERE plugin_digest = $1")).bind(digest).fetch_optional(pool).await?;
    Ok(row.map(probe_row))
}

pub(crate) const PROBE_SELECT: &str =
    "SELECT plugin_digest, plugin_id, plugin_version, report_json, passed, created_at, settings_digest FROM bias_probes";

pub(crate) type ProbeTuple = (String, String, String, String, i64, i64, String);

pub(crate) fn probe_row(
    (plugin_digest, plugin_id, plugin_version, report_json, passed, created_at, settings_digest): ProbeTuple,
) -> ProbeRow {
    ProbeRow { plugin_digest, plugin_id, plugin_version, settings_digest, report_json, passed: passed != 0, created_at }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EvalRunRow {
    pub id: String,
    pub kind: String,
    pub plugin_id: String,
    pub plugin_version: String,
    pub plugin_digest: String,
    pub dataset: String,
    pub dataset_digest: String,
    pub metrics_json: String,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
}

pub async fn insert_eval_run(conn: &mut Conn, r: &EvalRunRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO eval_runs (id, kind, plugin_id, plugin_version, plugin_digest, dataset, dataset_digest, \
         metrics_json, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&r.id)
    .bind(&r.kind)
    .bind(&r.plugin_id)
    .bind(&r.plugin_version)
    .bind(&r.plugin_digest)
    .bind(&r.dataset)
    .bind(&r.dataset_digest)
    .bind(&r.metrics_json)
    .bind(r.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn eval_runs(pool: &Pool, kind: &str) -> Result<Vec<EvalRunRow>, StoreError> {
    type R = (String, String, String, String, String, String, String, String, i64);
    let rows: Vec<R> = sqlx::query_as(
        "SELECT id, kind, plugin_id, plugin_version, plugin_digest, dataset, dataset_digest, metrics_json, created_at \
         FROM eval_runs WHERE kind = $1 ORDER BY created_at, id",
    )
    .bind(kind)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                kind,
                plugin_id,
                plugin_version,
                plugin_digest,
                dataset,
                dataset_digest,
                metrics_json,
                created_at,
            )| {
                EvalRunRow {
                    id,
                    kind,
                    plugin_id,
                    plugin_version,
                    plugin_digest,
                    dataset,
                    dataset_digest,
                    metrics_json,
                    created_at,
                }
            },
        )
        .collect())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ShadowSlot {
    pub world: String,
    pub plugin_ref: String,
    pub plugin_digest: String,
    pub attached_by: String,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub attached_at: i64,
}

pub async fn shadow_slots(pool: &Pool) -> Result<Vec<ShadowSlot>, StoreError> {
    let rows: Vec<(String, String, String, String, i64)> =
        sqlx::query_as("SELECT world, plugin_ref, plugin_digest, attached_by, attached_at FROM shadow_slots")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(world, plugin_ref, plugin_digest, attached_by, attached_at)| ShadowSlot {
            world,
            plugin_ref,
            plugin_digest,
            attached_by,
            attached_at,
        })
        .collect())
}

pub async fn attach_shadow(conn: &mut Conn, s: &ShadowSlot) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO shadow_slots (world, plugin_ref, plugin_digest, attached_by, attached_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (world) DO UPDATE SET plugin_ref = excluded.plugin_ref, plugin_digest = excluded.plugin_digest, \
         attached_by = excluded.attached_by, attached_at = excluded.attached_at",
    )
    .bind(&s.world)
    .bind(&s.plugin_ref)
    .bind(&s.plugin_digest)
    .bind(&s.attached_by)
    .bind(s.attached_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a slot's shadow plugin; false when there was none. Its runs stay for the report.
pub async fn detach_shadow(conn: &mut Conn, world: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM shadow_slots WHERE world = $1").bind(world).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Debug, Clone)]
pub struct ShadowRun {
    pub id: String,
    pub world: String,
    pub trace_id: String,
    pub active_ref: String,
    pub shadow_ref: String,
    /// JSON array of per-call candidate ids, best first.
    pub active_order: String,
    pub shadow_order: Option<String>,
    pub shadow_error: Option<String>,
    pub active_cpu_us: i64,
    pub shadow_cpu_us: i64,
    pub created_at: i64,
}

pub async fn insert_shadow_run(pool: &Pool, r: &ShadowRun) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO shadow_runs (id, world, trace_id, active_ref, shadow_ref, active_order, shadow_order, shadow_error, \
         active_cpu_us, shadow_cpu_us, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&r.id)
    .bind(&r.world)
    .bind(&r.trace_id)
    .bind(&r.active_ref)
    .bind(&r.shadow_ref)
    .bind(&r.active_order)
    .bind(&r.shadow_order)
    .bind(&r.shadow_error)
    .bind(r.active_cpu_us)
    .bind(r.shadow_cpu_us)
    .bind(r.created_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn shadow_runs(pool: &Pool, world: &str) -> Result<Vec<ShadowRun>, StoreError> {
    type R = (String, String, String, String, String, String, Option<String>, Option<String>, i64, i64, i64);
    let rows: Vec<R> = sqlx::query_as(
        "SELECT id, world, trace_id, active_ref, shadow_ref, active_order, shadow_order, shadow_error, active_cpu_us, \
         shadow_cpu_us, created_at FROM shadow_runs WHERE world = $1 ORDER BY created_at, id",
    )
    .bind(world)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                world,
                trace_id,
                active_ref,
                shadow_ref,
                active_order,
                shadow_order,
                shadow_error,
                a,
                s,
                created_at,
            )| {
                ShadowRun {
                    id,
                    world,
                    trace_id,
                    active_ref,
                    shadow_ref,
                    active_order,
                    shadow_order,
                    shadow_error,
                    active_cpu_us: a,
                    shadow_cpu_us: s,
                    created_at,
                }
            },
        )
        .collect())
}
