//! Read-only queries behind the console's Activité page: plugin calls (from the audit log),
//! AI suggestions and the human decisions recorded next to them.

use super::{Pool, StoreError};

/// `(at_ms, payload)` of every plugin call recorded since `since_ms`.
pub async fn calls_since(pool: &Pool, since_ms: i64) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT at_ms, payload FROM audit_log WHERE kind = $1 AND at_ms >= $2 ORDER BY seq")
        .bind("plugin.call")
        .bind(since_ms)
        .fetch_all(pool)
        .await?)
}

/// `(created_at, kind)` of every AI output still stored.
pub async fn suggestions(pool: &Pool) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT created_at, kind FROM suggestions ORDER BY created_at").fetch_all(pool).await?)
}

pub struct DecisionFacts {
    pub created_at: i64,
    pub decision: String,
    pub candidate_id: String,
    pub trace_ids: Vec<String>,
}

pub async fn decisions(pool: &Pool) -> Result<Vec<DecisionFacts>, StoreError> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT created_at, decision, candidate_id, trace_ids_json FROM decisions ORDER BY created_at")
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(created_at, decision, candidate_id, traces)| {
            let trace_ids = serde_json::from_str(&traces)
                .map_err(|e| StoreError::Corrupt(format!("trace ids of a decision: {e}")))?;
            Ok(DecisionFacts { created_at, decision, candidate_id, trace_ids })
        })
        .collect()
}

/// `(rank_position, candidate_count)` of a candidate in the ranking `trace_id`, if it was ranked there.
pub async fn rank_in(pool: &Pool, trace_id: &str, candidate_id: &str) -> Result<Option<(i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT rank_position, candidate_count FROM assessments WHERE trace_id = $1 AND candidate_id = $2",
    )
    .bind(trace_id)
    .bind(candidate_id)
    .fetch_optional(pool)
    .await?)
}

/// `(at_ms, payload)` of the latest continuous bias probe of a plugin digest, if one ran.
pub async fn latest_continuous_probe(pool: &Pool, digest: &str) -> Result<Option<(i64, String)>, StoreError> {
    // Payloads are JSON text on both backends: filtered here rather than with either's JSON
    // functions. Runs are a few a day; the last thousand cover months.
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT at_ms, payload FROM audit_log WHERE kind = $1 ORDER BY seq DESC LIMIT 1000")
            .bind("probe.continuous")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().find(|(_, p)| {
        serde_json::from_str::<serde_json::Value>(p).is_ok_and(|v| v["digest"].as_str() == Some(digest))
    }))
}

/// `(at_ms, payload)` of the audit record of a plugin call by its trace id (the successful
/// attempt when a retry was recorded too).
pub async fn call_of_trace(pool: &Pool, trace_id: &str) -> Result<Option<(i64, String)>, StoreError> {
    // A prefilter on the JSON text (compact on both backends), then an exact check.
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT at_ms, payload FROM audit_log WHERE kind = $1 AND payload LIKE $2 ESCAPE '\\' ORDER BY seq",
    )
    .bind("plugin.call")
    .bind(format!("%\"trace_id\":\"{}\"%", like_escape(trace_id)))
    .fetch_all(pool)
    .await?;
    let exact = |p: &String| {
        serde_json::from_str::<serde_json::Value>(p).is_ok_and(|v| v["trace_id"].as_str() == Some(trace_id))
    };
    let mut matching: Vec<(i64, String)> = rows.into_iter().filter(|(_, p)| exact(p)).collect();
    let ok = matching.iter().rposition(|(_, p)| p.contains("\"outcome\":\"ok\""));
    Ok(match ok {
        Some(i) => Some(matching.swap_remove(i)),
        None => matching.pop(),
    })
}

/// `text` as a literal in a `LIKE … ESCAPE '\'` pattern.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
