//! `GET /v1/candidates/{id}`: the candidate's data and history, AI suggestions and human
//! decisions side by side. `DELETE`: erasure on request, leaving an audit tombstone.

use super::rfc3339;
use crate::audit::Event;
use crate::auth::Caller;
use crate::server::error::{ApiError, ApiResult};
use crate::server::Shared;
use crate::store::candidates::{self, CandidateRow};
use crate::store::now_ms;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

pub async fn live(state: &Shared, id: &str) -> ApiResult<CandidateRow> {
    match candidates::get(state.store.pool(), id).await? {
        Some(c) if c.erased_at.is_some() => {
            Err(ApiError::not_found(format!("candidate `{id}` was erased")).with_field("id"))
        }
        Some(c) => Ok(c),
        None => Err(ApiError::not_found(format!("no candidate `{id}`")).with_field("id")),
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

pub async fn history(State(state): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let c = live(&state, &id).await?;
    let pool = state.store.pool();
    // A live candidate always has its CV's reading: both are written in one transaction.
    let (identity, profile, warnings, timeline, parse_trace) = candidates::cv(pool, &id)
        .await?
        .ok_or_else(|| ApiError::internal(format!("candidate {id} has no stored CV")))?;
    let mut events = Vec::new();
    let mut suggestions = Vec::new();
    if let Some(s) = candidates::suggestion_by_trace(pool, &parse_trace).await? {
        let v = json!({ "kind": "ai_suggestion", "type": "parse", "trace_id": s.trace_id, "at": rfc3339(s.created_at),
            "plugin": { "id": s.plugin_id, "version": s.plugin_version, "digest": s.plugin_digest } });
        events.push((s.created_at, v.clone()));
        suggestions.push(v);
    }
    for a in candidates::assessments(pool, &id, None).await? {
        let assessment = parse(&a.assessment_json);
        let v = json!({
            "kind": "ai_suggestion", "type": "ranking", "trace_id": a.trace_id, "at": rfc3339(a.created_at),
            "posting_id": a.posting_id, "rank": a.rank, "out_of": a.candidate_count, "score": a.score,
            "requirements": assessment["requirements"], "summary": assessment["summary"],
            "plugin": { "id": a.plugin_id, "version": a.plugin_version, "digest": a.plugin_digest },
        });
        events.push((a.created_at, v.clone()));
        suggestions.push(v);
    }
    let mut decisions = Vec::new();
    for d in candidates::decisions(pool, &id).await? {
        let mut v = super::decisions::decision_json(&d);
        v["kind"] = "human_decision".into();
        v["at"] = rfc3339(d.decided_at).into();
        events.push((d.decided_at, v.clone()));
        decisions.push(v);
    }
    events.sort_by_key(|(at, _)| *at);
    let mut file = summary_json(&c);
    let fields = [
        ("identity", parse(&identity)),
        ("profile", parse(&profile)),
        ("warnings", parse(&warnings)),
        ("gaps", parse(&timeline)["gaps"].clone()),
        ("ai_suggestions", suggestions.into()),
        ("human_decisions", decisions.into()),
        ("timeline", events.into_iter().map(|(_, v)| v).collect::<Vec<_>>().into()),
    ];
    for (k, v) in fields {
        file[k] = v;
    }
    // Declared for fairness monitoring only; shown, when given, because the candidate may ask for it.
    if let Some(m) = crate::store::monitoring::get(pool, &id).await? {
        file["monitoring"] = serde_json::to_value(m).map_err(ApiError::internal)?;
    }
    Ok(Json(file))
}

/// Erases a candidate's personal data in one transaction with its audit tombstone.
pub async fn erase_candidate(state: &Shared, id: &str, actor: &str, reason: &str) -> ApiResult<u64> {
    // Who to tell, read before the erasure clears it.
    let before = candidates::get(state.store.pool(), id).await?;
    let mut tx = state.audit.begin().await?;
    let removed = candidates::erase(tx.conn(), id, reason, now_ms()).await?;
    tx.append(Event::new(
        "candidate.erased",
        actor,
        json!({ "candidate_id": id, "reason": reason, "rows_removed": removed }),
    ))
    .await?;
    tx.commit().await?;
    state.runtime.forget_cached_vectors();
    let event = if reason == "retention" { "candidate.purged" } else { "candidate.erased" };
    let (owner, external_id) = before.map(|c| (c.owner_key, c.external_id)).unwrap_or_default();
    crate::server::webhooks::notify(
        state,
        event,
        owner.as_deref(),
        json!({ "candidate_id": id, "external_id": external_id }),
    )
    .await;
    Ok(removed)
}

/// Erasure is idempotent: erasing an erased candidate answers as the first erasure did.
pub async fn erase(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    match candidates::get(state.store.pool(), &id).await? {
        Some(c) if c.erased_at.is_some() => Ok(StatusCode::NO_CONTENT),
        Some(_) => {
            erase_candidate(&state, &id, &caller.key_id, "request").await?;
            Ok(StatusCode::NO_CONTENT)
        }
        None => Err(ApiError::not_found(format!("no candidate `{}`", super::decisions::clip(&id))).with_field("id")),
    }
}

/// The one shape of a candidate in lists and in its file.
pub fn summary_json(c: &CandidateRow) -> Value {
    json!({
        "candidate_id": c.id,
        "external_id": c.external_id,
        "created_at": rfc3339(c.created_at),
        "last_contact_at": rfc3339(c.last_contact_at),
        "outcome": c.outcome,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateQuery {
    external_id: Option<String>,
    after: Option<String>,
    limit: Option<i64>,
}

/// `GET /v1/candidates`: the live candidates this key created, oldest first, or the one with
/// the SIRH's applicant id `external_id`.
pub async fn list(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<CandidateQuery>,
) -> ApiResult<Json<Value>> {
    let (after, limit) = super::paging(q.after.as_deref(), q.limit)?;
    if let Some(ext) = q.external_id.as_deref().filter(|e| !e.is_empty()) {
        super::parse::check_external_id("external_id", ext)?;
        let mut conn = state.store.pool().acquire().await.map_err(crate::store::StoreError::from)?;
        let found = candidates::by_external_id(&mut conn, &caller.key_id, ext).await?;
        return Ok(Json(json!({ "items": found.iter().map(summary_json).collect::<Vec<_>>(), "next_after": null })));
    }
    let rows = candidates::list(state.store.pool(), &caller.key_id, after.as_ref(), limit + 1).await?;
    Ok(Json(super::page(rows, limit, |c| (c.created_at, c.id.clone()), summary_json)))
}
