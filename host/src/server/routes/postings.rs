//! `POST /v1/postings/draft`: a first draft of a job ad, always to be edited by a human.

use crate::audit::Event;
use crate::auth::Caller;
use crate::model::{DraftError, DraftRequest};
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::{call_payload, Shared};
use crate::store::candidates::{insert_suggestion, NewSuggestion};
use crate::store::{new_id, now_ms};
use crate::world::World;
use axum::extract::State;
use axum::{Extension, Json};
use serde_json::{json, Value};

pub async fn draft(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    ApiJson(request): ApiJson<DraftRequest>,
) -> ApiResult<Json<Value>> {
    if request.job_title.trim().is_empty() {
        return Err(ApiError::invalid("job_title", "the job title is required"));
    }
    let trace_id = new_id("t");
    let r = std::sync::Arc::new(request);
    let (_active, attempts) = state.call(World::PostingDrafter, move |rt, p| rt.draft(p, &r)).await?;
    state.audit_failures(&caller, &attempts, &trace_id).await?;
    let inv = attempts.into_iter().last().expect("at least one attempt");
    let report = inv.report;
    let ad = match inv.result {
        Err(e) => return Err(super::plugin_failure(&e, &trace_id)),
        Ok(Err(e)) => {
            state.audit.record(Event::new("plugin.call", &caller.key_id, call_payload(&trace_id, &report))).await?;
            return Err(match e {
                DraftError::InvalidRequest(m) => ApiError::invalid("$", m),
                other => ApiError::new(axum::http::StatusCode::BAD_GATEWAY, "plugin_failed", other.to_string()),
            }
            .with_trace(&trace_id));
        }
        Ok(Ok(ad)) => ad,
    };
    let mut tx = state.audit.begin().await?;
    let now = now_ms();
    insert_suggestion(
        tx.conn(),
        &NewSuggestion {
            trace_id: &trace_id,
            kind: "draft",
            plugin: &report.plugin,
            posting_id: None,
            key_id: &caller.key_id,
            now,
        },
    )
    .await?;
    tx.append(Event::new("plugin.call", &caller.key_id, call_payload(&trace_id, &report))).await?;
    tx.commit().await?;
    Ok(Json(json!({
        "trace_id": trace_id,
        "title": ad.title,
        "markdown": ad.markdown,
        "warnings": ad.warnings,
        "plugin": report.plugin,
        "human_review_required": true,
    })))
}
