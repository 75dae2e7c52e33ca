//! `POST /v1/decisions`: a recruiter's decision, as the SIRH records it. Vivier stores and
//! audits it; it never makes one.

use crate::audit::Event;
use crate::auth::Caller;
use crate::bundle::sha256_hex;
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::Shared;
use crate::store::candidates::{self, DecisionRow};
use crate::store::{new_id, now_ms};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

pub const DECISIONS: [&str; 5] = ["shortlisted", "interview", "rejected", "hired", "withdrawn"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    candidate_id: String,
    #[serde(default)]
    posting_id: Option<String>,
    decision: String,
    recruiter_id: String,
    #[serde(default)]
    rationale: Option<String>,
    /// Trace ids of the AI outputs the recruiter saw before deciding.
    #[serde(default)]
    trace_ids: Vec<String>,
}

pub async fn record(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if !DECISIONS.contains(&req.decision.as_str()) {
        return Err(ApiError::invalid(
            "decision",
            format!("`{}` is not one of {}", req.decision, DECISIONS.join(", ")),
        ));
    }
    let recruiter = req.recruiter_id.trim();
    if recruiter.is_empty() || recruiter.len() > 200 {
        return Err(ApiError::invalid("recruiter_id", "the recruiter's id is required (1 to 200 characters)"));
    }
    let rationale = req.rationale.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if req.decision == "rejected" && rationale.is_none() {
        return Err(ApiError::invalid("rationale", "a rejection needs the recruiter's rationale"));
    }
    if rationale.is_some_and(|r| r.len() > 10_000) {
        return Err(ApiError::invalid("rationale", "the rationale is longer than 10,000 bytes"));
    }
    match candidates::get(state.store.pool(), &req.candidate_id).await? {
        Some(c) if c.erased_at.is_none() => {}
        _ => return Err(ApiError::not_found(format!("no candidate `{}`", req.candidate_id)).with_field("candidate_id")),
    }
    for (i, t) in req.trace_ids.iter().enumerate() {
        if candidates::suggestion_by_trace(state.store.pool(), t).await?.is_none() {
            return Err(ApiError::invalid(format!("trace_ids[{i}]"), format!("no AI output has trace id `{t}`")));
        }
    }
    let row = DecisionRow {
        id: new_id("d"),
        candidate_id: req.candidate_id,
        posting_id: req.posting_id.filter(|p| !p.is_empty()),
        decision: req.decision,
        recruiter_id: recruiter.to_owned(),
        rationale: rationale.map(str::to_owned),
        trace_ids: req.trace_ids,
        created_at: now_ms(),
    };
    let mut tx = state.audit.begin().await?;
    candidates::insert_decision(tx.conn(), &row, &caller.key_id).await?;
    // The audit keeps digests of the recruiter's id and rationale, not the text.
    tx.append(Event::new(
        "decision.recorded",
        &caller.key_id,
        json!({
            "decision_id": row.id,
            "candidate_id": row.candidate_id,
            "posting_id": row.posting_id,
            "decision": row.decision,
            "recruiter_digest": sha256_hex(row.recruiter_id.as_bytes()),
            "rationale_digest": row.rationale.as_deref().map(|r| sha256_hex(r.as_bytes())),
            "trace_ids": row.trace_ids,
        }),
    ))
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(json!({ "decision": row, "recorded_by": caller.key_id }))))
}
