//! `/v1/audit/*` and `/metrics`: for administrators and auditors.

use crate::server::error::{ApiError, ApiResult};
use crate::server::Shared;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub async fn verify(State(state): State<Shared>) -> ApiResult<Json<Value>> {
    let v = state.audit.verify().await?;
    Ok(Json(serde_json::to_value(v).map_err(ApiError::internal)?))
}

#[derive(Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    after: i64,
    #[serde(default)]
    limit: Option<i64>,
}

pub async fn events(State(state): State<Shared>, Query(q): Query<EventsQuery>) -> ApiResult<Json<Value>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid("limit", "limit must be between 1 and 1000"));
    }
    let rows = state.audit.rows(q.after, limit).await?;
    let events: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            json!({ "seq": r.seq, "at": super::rfc3339(r.at_ms), "at_ms": r.at_ms, "kind": r.kind, "actor": r.actor,
                    "payload": serde_json::from_str::<Value>(&r.payload).unwrap_or(Value::Null), "prev_hash": r.prev_hash, "hash": r.hash })
        })
        .collect();
    Ok(Json(json!({ "events": events })))
}

pub async fn metrics(State(state): State<Shared>) -> impl IntoResponse {
    let mut text = state.metrics.render();
    let a = &state.admission;
    text.push_str(&format!(
        "# HELP vivier_requests_shed_total Plugin-route requests refused with 503 overloaded.\n# TYPE vivier_requests_shed_total counter\nvivier_requests_shed_total {}\n\
         # HELP vivier_requests_admitted Plugin-route requests running or waiting now.\n# TYPE vivier_requests_admitted gauge\nvivier_requests_admitted {}\n",
        a.shed_total(),
        a.admitted()
    ));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

/// The log is append-only: nothing deletes from it through the API.
pub async fn purge_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "append_only",
        "the audit log is append-only; old rows are purged only by the retention job",
    )
}
