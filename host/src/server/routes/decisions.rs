//! `POST /v1/decisions`: a recruiter's decision, as the SIRH records it. Vivier stores and
//! audits it; it never makes one. `GET /v1/decisions`: the decisions this key recorded.
//!
//! A decision names the AI outputs the recruiter saw (`trace_ids`) and its own date
//! (`decided_at`): the candidate's explanation is built from those rankings, never a later one.
//! A decision that contradicts an earlier final one (rejected, then hired) must say which one it
//! replaces (`supersedes`).

use super::{paging, rfc3339};
use crate::audit::Event;
use crate::auth::Caller;
use crate::bundle::sha256_hex;
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::Shared;
use crate::store::candidates::{self, DecisionRow};
use crate::store::{new_id, now_ms};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

pub const DECISIONS: [&str; 5] = ["shortlisted", "interview", "rejected", "hired", "withdrawn"];
/// Decisions that end an application for a posting: another one after them is a contradiction.
const FINAL: [&str; 3] = ["rejected", "hired", "withdrawn"];
/// How far ahead of this server's clock a `decided_at` may be (the SIRH's clock may run fast).
const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;
/// Longest recruiter id and posting id accepted.
pub const MAX_ID: usize = 200;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    candidate_id: String,
    #[serde(default)]
    posting_id: Option<String>,
    #[schemars(extend("enum" = ["shortlisted", "interview", "rejected", "hired", "withdrawn"]))]
    decision: String,
    recruiter_id: String,
    #[serde(default)]
    rationale: Option<String>,
    /// Trace ids of the AI outputs the recruiter saw before deciding.
    #[serde(default)]
    trace_ids: Vec<String>,
    /// When the recruiter decided, RFC 3339; default: now.
    #[serde(default)]
    #[schemars(extend("format" = "date-time"))]
    decided_at: Option<String>,
    /// The earlier decision this one replaces.
    #[serde(default)]
    supersedes: Option<String>,
}

/// The one shape of a decision in every answer.
pub fn decision_json(d: &DecisionRow) -> Value {
    json!({
        "decision_id": d.id,
        "candidate_id": d.candidate_id,
        "posting_id": d.posting_id,
        "decision": d.decision,
        "recruiter_id": d.recruiter_id,
        "rationale": d.rationale,
        "trace_ids": d.trace_ids,
        "decided_at": rfc3339(d.decided_at),
        "recorded_at": rfc3339(d.created_at),
        "supersedes": d.supersedes,
    })
}

/// Milliseconds since the epoch of an RFC 3339 timestamp.
pub fn parse_rfc3339(field: &str, text: &str) -> ApiResult<i64> {
    let t = time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).map_err(|_| {
        ApiError::invalid(field, format!("`{}` is not an RFC 3339 date-time (e.g. 2026-03-14T09:30:00Z)", clip(text)))
    })?;
    Ok((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The start of caller text quoted back in an error: never the whole of a large value.
pub fn clip(text: &str) -> String {
    let mut s: String = text.chars().take(64).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

fn check_id(field: &str, value: &str) -> ApiResult<()> {
    if value.is_empty() || value.len() > MAX_ID || value.chars().any(char::is_control) {
        return Err(ApiError::invalid(field, format!("1 to {MAX_ID} characters, no control characters")));
    }
    Ok(())
}

pub async fn record(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if !DECISIONS.contains(&req.decision.as_str()) {
        return Err(ApiError::invalid(
            "decision",
            format!("`{}` is not one of {}", clip(&req.decision), DECISIONS.join(", ")),
        ));
    }
    let recruiter = req.recruiter_id.trim();
    check_id("recruiter_id", recruiter)?;
    let rationale = req.rationale.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if req.decision == "rejected" && rationale.is_none() {
        return Err(ApiError::invalid("rationale", "a rejection needs the recruiter's rationale"));
    }
    if rationale.is_some_and(|r| r.len() > 10_000) {
        return Err(ApiError::invalid("rationale", "the rationale is longer than 10,000 bytes"));
    }
    let mut posting_id = req.posting_id.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
    if let Some(p) = &posting_id {
        check_id("posting_id", p)?;
    }
    if req.trace_ids.len() > 100 {
        return Err(ApiError::invalid("trace_ids", "at most 100 trace ids"));
    }
    let pool = state.store.pool();
    let candidate = match candidates::get(pool, &req.candidate_id).await? {
        Some(c) if c.erased_at.is_none() => c,
        _ => {
            return Err(
                ApiError::not_found(format!("no candidate `{}`", clip(&req.candidate_id))).with_field("candidate_id")
            )
        }
    };
    let now = now_ms();
    let decided_at = match &req.decided_at {
        Some(t) => parse_rfc3339("decided_at", t)?,
        None => now,
    };
    if decided_at > now + CLOCK_SKEW_MS {
        return Err(ApiError::invalid("decided_at", "a decision cannot be dated in the future"));
    }
    if decided_at < candidate.created_at {
        return Err(ApiError::invalid(
            "decided_at",
            "a decision cannot be dated before the candidate's CV was received",
        ));
    }
    // What the recruiter saw: outputs about this candidate, for this posting, before the decision.
    let rankings =
        if req.trace_ids.is_empty() { Vec::new() } else { candidates::assessments(pool, &candidate.id, None).await? };
    for (i, t) in req.trace_ids.iter().enumerate() {
        let field = format!("trace_ids[{i}]");
        let Some(s) = candidates::suggestion_by_trace(pool, t).await? else {
            return Err(ApiError::invalid(field, format!("no AI output has trace id `{}`", clip(t))));
        };
        if s.kind == "ranking" {
            if !rankings.iter().any(|a| &a.trace_id == t) {
                return Err(ApiError::invalid(field, format!("the ranking `{t}` does not include this candidate")));
            }
            match (&posting_id, &s.posting_id) {
                (None, Some(p)) => posting_id = Some(p.clone()),
                (Some(a), Some(b)) if a != b => {
                    return Err(ApiError::invalid(field, format!("the ranking `{t}` is for posting `{b}`, not `{a}`")))
                }
                _ => {}
            }
        }
        if s.created_at > decided_at {
            return Err(ApiError::invalid(
                "decided_at",
                format!("the decision is dated before the AI output `{t}` it says the recruiter saw"),
            ));
        }
    }
    let earlier: Vec<DecisionRow> =
        candidates::decisions(pool, &candidate.id).await?.into_iter().filter(|d| d.posting_id == posting_id).collect();
    let superseded: Vec<&str> = earlier.iter().filter_map(|d| d.supersedes.as_deref()).collect();
    let standing_final =
        earlier.iter().rev().find(|d| FINAL.contains(&d.decision.as_str()) && !superseded.contains(&d.id.as_str()));
    match (&req.supersedes, standing_final) {
        (Some(s), _) if !earlier.iter().any(|d| &d.id == s) => {
            return Err(ApiError::invalid(
                "supersedes",
                format!("`{}` is not a decision about this candidate and posting", clip(s)),
            ))
        }
        (Some(s), _) if superseded.contains(&s.as_str()) => {
            return Err(ApiError::invalid("supersedes", format!("decision `{s}` was already superseded")))
        }
        (None, Some(f)) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "decision_conflict",
                format!(
                    "decision `{}` ({}) already ends this application; to replace it, send `supersedes: \"{}\"`",
                    f.id, f.decision, f.id
                ),
            )
            .with_field("supersedes")
            .with_details(json!({ "decision": decision_json(f) })))
        }
        _ => {}
    }
    let row = DecisionRow {
        id: new_id("d"),
        candidate_id: candidate.id,
        posting_id,
        decision: req.decision,
        recruiter_id: recruiter.to_owned(),
        rationale: rationale.map(str::to_owned),
        trace_ids: req.trace_ids,
        decided_at,
        supersedes: req.supersedes,
        created_at: now,
    };
    let mut tx = state.audit.begin().await?;
    candidates::insert_decision(tx.conn(), &row, &caller.key_id).await?;
    // The audit keeps opaque ids and digests: the posting id, the recruiter's id and the
    // rationale are the caller's text.
    tx.append(Event::new(
        "decision.recorded",
        &caller.key_id,
        json!({
            "decision_id": row.id,
            "candidate_id": row.candidate_id,
            "posting_digest": row.posting_id.as_deref().map(|p| sha256_hex(p.as_bytes())),
            "decision": row.decision,
            "recruiter_digest": sha256_hex(row.recruiter_id.as_bytes()),
            "rationale_digest": row.rationale.as_deref().map(|r| sha256_hex(r.as_bytes())),
            "trace_ids": row.trace_ids,
            "decided_at_ms": row.decided_at,
            "supersedes": row.supersedes,
        }),
    ))
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(json!({ "decision": decision_json(&row), "recorded_by": caller.key_id }))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionQuery {
    candidate_id: Option<String>,
    posting_id: Option<String>,
    after: Option<String>,
    limit: Option<i64>,
}

pub async fn list(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<DecisionQuery>,
) -> ApiResult<Json<Value>> {
    let (after, limit) = paging(q.after.as_deref(), q.limit)?;
    let rows = candidates::decisions_of_key(
        state.store.pool(),
        &caller.key_id,
        q.candidate_id.as_deref().filter(|c| !c.is_empty()),
        q.posting_id.as_deref().filter(|p| !p.is_empty()),
        after.as_ref(),
        limit + 1,
    )
    .await?;
    Ok(Json(super::page(rows, limit, |d| (d.created_at, d.id.clone()), decision_json)))
}
