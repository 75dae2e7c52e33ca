//! Monitoring data (gender, age band) kept apart from profiles, and the read side of the reports:
//! ranked candidates with their group, human decisions, probe reports, evaluation runs and the
//! audit log's call records.

use super::{Conn, Pool, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Monitoring {
    pub gender: Option<String>,
    pub age_band: Option<String>,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub updated_at: i64,
}

pub async fn set(conn: &mut Conn, candidate_id: &str, m: &Monitoring) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO candidate_monitoring (candidate_id, gender, age_band, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (candidate_id) DO UPDATE SET gender = excluded.gender, age_band = excluded.age_band, \
         updated_at = excluded.updated_at",
    )
    .bind(candidate_id)
    .bind(&m.gender)
    .bind(&m.age_band)
    .bind(m.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws a candidate's monitoring data; true when there was some.
pub async fn clear(conn: &mut Conn, candidate_id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM candidate_monitoring WHERE candidate_id = $1")
        .bind(candidate_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn get(pool: &Pool, candidate_id: &str) -> Result<Option<Monitoring>, StoreError> {
    let row: Option<(Option<String>, Option<String>, i64)> =
        sqlx::query_as("SELECT gender, age_band, updated_at FROM candidate_monitoring WHERE candidate_id = $1")
            .bind(candidate_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(gender, age_band, updated_at)| Monitoring { gender, age_band, updated_at }))
}

/// One candidate ranked by a matcher for a posting, with the group the SIRH declared (if any).
#[derive(Debug, Clone)]
pub struct RankedRow {
    pub candidate_id: String,
    pub posting_id: String,
    pub rank: i64,
    pub created_at: i64,
    pub plugin_id: String,
    pub plugin_version: String,
    pub gender: Option<String>,
    pub age_band: Option<String>,
}

type RankedTuple = (String, String, i64, i64, String, String, Option<String>, Option<String>);

/// Ranking suggestions made in `[from, to)`, oldest first.
pub async fn ranked(pool: &Pool, from: i64, to: i64) -> Result<Vec<RankedRow>, StoreError> {
    let rows: Vec<RankedTuple> = sqlx::query_as(
        "SELECT a.candidate_id, a.posting_id, a.rank_position, a.created_at, s.plugin_id, s.plugin_version, m.gender, m.age_band \
         FROM assessments a JOIN suggestions s ON s.trace_id = a.trace_id \
         LEFT JOIN candidate_monitoring m ON m.candidate_id = a.candidate_id \
         WHERE a.created_at >= $1 AND a.created_at < $2 ORDER BY a.created_at, a.trace_id, a.rank_position",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(candidate_id, posting_id, rank, created_at, plugin_id, plugin_version, gender, age_band)| RankedRow {
            candidate_id,
            posting_id,
            rank,
            created_at,
            plugin_id,
            plugin_version,
            gender,
            age_band,
        })
        .collect())
}

#[derive(Debug, Clone)]
pub struct DecisionFact {
    pub candidate_id: String,
    pub posting_id: Option<String>,
    pub decision: String,
    pub created_at: i64,
    pub gender: Option<String>,
    pub age_band: Option<String>,
}

type DecisionTuple = (String, Option<String>, String, i64, Option<String>, Option<String>);

/// Every recorded human decision with the candidate's declared group, oldest first.
pub async fn decisions(pool: &Pool) -> Result<Vec<DecisionFact>, StoreError> {
    let rows: Vec<DecisionTuple> = sqlx::query_as(
        "SELECT d.candidate_id, d.posting_id, d.decision, d.created_at, m.gender, m.age_band \
         FROM decisions d LEFT JOIN candidate_monitoring m ON m.candidate_id = d.candidate_id ORDER BY d.created_at, d.id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(candidate_id, posting_id, decision, created_at, gender, age_band)| DecisionFact {
            candidate_id,
            posting_id,
            decision,
            created_at,
            gender,
            age_band,
        })
        .collect())
}

// The rows of part A's tables (`bias_probes`, `eval_runs`), read here by plugin and dataset.
pub use super::oversight::{EvalRunRow as EvalRow, ProbeRow};

/// Bias-probe reports of a plugin, newest first.
pub async fn probes(pool: &Pool, plugin_id: &str) -> Result<Vec<ProbeRow>, StoreError> {
    let rows: Vec<super::oversight::ProbeTuple> =
        sqlx::query_as(&format!("{} WHERE plugin_id = $1 ORDER BY created_at DESC", super::oversight::PROBE_SELECT))
            .bind(plugin_id)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(super::oversight::probe_row).collect())
}

type EvalTuple = (String, String, String, String, String, String, String, String, i64);

const EVAL_SELECT: &str = "SELECT id, kind, plugin_id, plugin_version, plugin_digest, dataset, dataset_digest, metrics_json, created_at FROM eval_runs";

fn eval_row(
    (id, kind, plugin_id, plugin_version, plugin_digest, dataset, dataset_digest, metrics_json, created_at): EvalTuple,
) -> EvalRow {
    EvalRow { id, kind, plugin_id, plugin_version, plugin_digest, dataset, dataset_digest, metrics_json, created_at }
}

/// Evaluation runs of a plugin, newest first.
pub async fn eval_runs(pool: &Pool, plugin_id: &str) -> Result<Vec<EvalRow>, StoreError> {
    let rows: Vec<EvalTuple> =
        sqlx::query_as(&format!("{EVAL_SELECT} WHERE plugin_id = $1 ORDER BY created_at DESC, id"))
            .bind(plugin_id)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(eval_row).collect())
}

/// Evaluation runs on one dataset (same digest), any plugin: what a plugin is compared with.
pub async fn eval_runs_on(pool: &Pool, dataset_digest: &str) -> Result<Vec<EvalRow>, StoreError> {
    let rows: Vec<EvalTuple> =
        sqlx::query_as(&format!("{EVAL_SELECT} WHERE dataset_digest = $1 ORDER BY created_at DESC, id"))
            .bind(dataset_digest)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(eval_row).collect())
}

/// The audit log's plugin-call records in `[from, to)`: (time, payload JSON).
pub async fn plugin_calls(pool: &Pool, from: i64, to: i64) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT at_ms, payload FROM audit_log WHERE kind = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY seq",
    )
    .bind("plugin.call")
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?)
}
