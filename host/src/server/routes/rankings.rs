//! `POST /v1/rankings`: candidates (stored ids or inline profiles) assessed against a posting by
//! the active skills-matcher. The matcher gets profiles under per-call opaque ids only; every
//! candidate comes back, labelled as a suggestion.

use super::parse::to_json;
use crate::audit::Event;
use crate::auth::Caller;
use crate::model::{Posting, Profile};
use crate::posting::{JobPosting, PostingError};
use crate::ranking;
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::{call_payload, Shared};
use crate::store::candidates::{self, insert_assessment, insert_suggestion, upsert_posting, NewSuggestion};
use crate::store::{new_id, now_ms};
use crate::world::World;
use axum::extract::State;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

pub const NOTICE: &str = "Suggestions pour aider le recruteur : aucune candidature n'est écartée ni retenue \
automatiquement. La décision appartient à un agent, qui peut s'écarter de ce classement.";

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankingRequest {
    /// The recruiter's posting: its requirement rows are derived by the host (each required
    /// skill weighs 2, each optional skill 1, the minimum experience 1.5).
    #[schemars(with = "JobPosting")]
    posting: Value,
    #[serde(default)]
    candidate_ids: Vec<String>,
    #[serde(default)]
    profiles: Vec<InlineProfile>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct InlineProfile {
    /// The SIRH's own reference, echoed back; never shown to the matcher.
    #[serde(rename = "ref")]
    reference: String,
    profile: Profile,
}

/// Who a per-call id stands for.
enum Subject {
    Stored(String),
    Inline(String),
}

pub async fn rank(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    ApiJson(req): ApiJson<RankingRequest>,
) -> ApiResult<Json<Value>> {
    let total = req.candidate_ids.len() + req.profiles.len();
    if total == 0 {
        return Err(ApiError::invalid("candidate_ids", "give at least one candidate id or inline profile"));
    }
    if total > state.config.max_candidates {
        return Err(ApiError::too_large(format!(
            "{total} candidates in one ranking, over the limit of {}",
            state.config.max_candidates
        )));
    }
    let posting = read_posting(req.posting)?;
    let posting_id = posting.id.trim().to_owned();
    if posting_id.is_empty() || posting_id.len() > 200 {
        return Err(ApiError::invalid("posting.id", "the posting id must be 1 to 200 characters"));
    }
    let today = crate::timeline::current_month();
    let mut subjects = Vec::with_capacity(total);
    let mut matcher_input = Vec::with_capacity(total);
    let mut seen = std::collections::HashSet::new();
    for (i, id) in req.candidate_ids.iter().enumerate() {
        if !seen.insert(id.as_str()) {
            return Err(ApiError::invalid(format!("candidate_ids[{i}]"), format!("candidate `{id}` is listed twice")));
        }
        // The identity too: its values are removed from wherever the parser put them.
        let (identity, profile) = match candidates::cv(state.store.pool(), id).await? {
            Some((identity, profile, ..)) => (
                serde_json::from_str::<crate::model::Identity>(&identity).map_err(ApiError::internal)?,
                serde_json::from_str::<Profile>(&profile).map_err(ApiError::internal)?,
            ),
            None => {
                return Err(ApiError::not_found(format!("no candidate `{id}` (never parsed, or erased)"))
                    .with_field(format!("candidate_ids[{i}]")))
            }
        };
        matcher_input.push(ranking::candidate(format!("k{}", subjects.len() + 1), Some(&identity), profile, today));
        subjects.push(Subject::Stored(id.clone()));
    }
    let mut refs = std::collections::HashSet::new();
    for (i, p) in req.profiles.into_iter().enumerate() {
        if p.reference.is_empty() || !refs.insert(p.reference.clone()) {
            return Err(ApiError::invalid(
                format!("profiles[{i}].ref"),
                "each inline profile needs a distinct, non-empty ref",
            ));
        }
        matcher_input.push(ranking::candidate(format!("k{}", subjects.len() + 1), None, p.profile, today));
        subjects.push(Subject::Inline(p.reference));
    }

    let trace_id = new_id("t");
    let posting = std::sync::Arc::new(posting);
    let input = std::sync::Arc::new(matcher_input);
    let (p, c) = (posting.clone(), input.clone());
    let (_active, attempts) = state.call(World::SkillsMatcher, move |rt, plugin| rt.assess(plugin, &p, &c)).await?;
    state.audit_failures(&caller, &attempts, &trace_id).await?;
    let inv = attempts.into_iter().last().expect("at least one attempt");
    let report = inv.report;
    let mut assessments = match inv.result {
        Err(e) => return Err(super::plugin_failure(&e, &trace_id)),
        Ok(Err(e)) => {
            state.audit.record(Event::new("plugin.call", &caller.key_id, call_payload(&trace_id, &report))).await?;
            return Err(match e {
                crate::model::MatchError::InvalidPosting(m) => ApiError::invalid("posting", m),
                other => ApiError::new(axum::http::StatusCode::BAD_GATEWAY, "plugin_failed", other.to_string()),
            }
            .with_trace(&trace_id));
        }
        Ok(Ok(a)) => a,
    };
    // A matcher that drops a candidate or whose contributions do not add up to its score fails
    // the call: the recruiter must see every candidate, with weights that explain the score.
    if let Err(e) = ranking::check(&input, &assessments) {
        state.audit.record(Event::new("plugin.call", &caller.key_id, call_payload(&trace_id, &report))).await?;
        return Err(
            ApiError::new(axum::http::StatusCode::BAD_GATEWAY, "plugin_failed", e.to_string()).with_trace(&trace_id)
        );
    }
    // Highest score first; ties keep the caller's order. Every candidate stays in the answer.
    assessments.sort_by(|a, b| b.score.total_cmp(&a.score));
    let count = assessments.len() as i64;
    let now = now_ms();
    let mut tx = state.audit.begin().await?;
    upsert_posting(tx.conn(), &posting_id, &to_json(&*posting), now).await?;
    insert_suggestion(
        tx.conn(),
        &NewSuggestion {
            trace_id: &trace_id,
            kind: "ranking",
            plugin: &report.plugin,
            posting_id: Some(&posting_id),
            key_id: &caller.key_id,
            now,
        },
    )
    .await?;
    let mut rows = Vec::with_capacity(assessments.len());
    let mut stored_ids = Vec::new();
    for (rank, a) in assessments.iter().enumerate() {
        let index: usize = a.candidate_id[1..].parse::<usize>().map_err(ApiError::internal)? - 1;
        let (key, value) = match &subjects[index] {
            Subject::Stored(id) => {
                insert_assessment(
                    tx.conn(),
                    &trace_id,
                    id,
                    &posting_id,
                    rank as i64 + 1,
                    count,
                    a.score as f64,
                    &to_json(a),
                    now,
                )
                .await?;
                stored_ids.push(id.clone());
                ("candidate_id", id.clone())
            }
            Subject::Inline(r) => ("ref", r.clone()),
        };
        let mut row = json!({
            "rank": rank + 1,
            "label": "suggestion",
            "score": a.score,
            "requirements": a.requirements,
            "summary": a.summary,
            "interview_questions": a.interview_questions,
        });
        row[key] = value.into();
        rows.push(row);
    }
    let mut payload = call_payload(&trace_id, &report);
    payload["posting_id"] = posting_id.clone().into();
    payload["candidate_ids"] = stored_ids.into();
    payload["inline_profiles"] = (subjects.iter().filter(|s| matches!(s, Subject::Inline(_))).count()).into();
    tx.append(Event::new("plugin.call", &caller.key_id, payload)).await?;
    tx.commit().await?;
    // The answer is ready: the shadow plugin, if any, gets the same input on its own queue.
    state.shadow.offer_ranking(
        &trace_id,
        format!("{}@{}", report.plugin.id, report.plugin.version),
        assessments.iter().map(|a| a.candidate_id.clone()).collect(),
        report.cpu_us,
        posting.clone(),
        input.clone(),
    );
    Ok(Json(json!({
        "trace_id": trace_id,
        "posting_id": posting_id,
        "suggestions_only": true,
        "notice": NOTICE,
        "plugin": report.plugin,
        "candidates": rows,
        "sanitised": report.sanitised,
    })))
}

/// The posting of a ranking request: the recruiter's POSTING.json, the one posting format (its
/// requirement rows are derived by the host, see `crate::posting`); errors name the field.
fn read_posting(value: Value) -> ApiResult<Posting> {
    match JobPosting::from_json(&value.to_string()) {
        Ok(p) => Ok(p.to_matching()),
        Err(e) => {
            let field = match &e {
                PostingError::Missing(f) | PostingError::Invalid { field: f, .. } => format!("posting.{f}"),
                PostingError::Unknown(f) => format!("posting.{f}"),
                PostingError::RequirementRows => "posting.requirements".to_owned(),
                PostingError::NotJson(_) | PostingError::NotAnObject => "posting".to_owned(),
            };
            Err(ApiError::invalid(field, e.to_string()))
        }
    }
}
