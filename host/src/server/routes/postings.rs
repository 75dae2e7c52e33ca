//! `POST /v1/postings/draft`: a first draft of a job ad, always to be edited by a human, checked by
//! the host's linter; `POST /v1/postings/lint`: the same linter on an ad the recruiter wrote.

use crate::audit::Event;
use crate::auth::Caller;
use crate::drafting::{self, GeneratedBy};
use crate::lint;
use crate::model::{DraftError, DraftRequest};
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::{call_payload, Shared};
use crate::store::candidates::{insert_suggestion, NewSuggestion};
use crate::store::{new_id, now_ms};
use crate::world::World;
use axum::extract::State;
use axum::{Extension, Json};
use serde::Deserialize;
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
    let call_request = r.clone();
    let (active, attempts) = state.call(World::PostingDrafter, move |rt, p| rt.draft(p, &call_request)).await?;
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
    let generated_by = GeneratedBy {
        id: report.plugin.id.clone(),
        version: report.plugin.version.clone(),
        digest: report.plugin.digest.clone(),
        ai_generated: drafting::is_generative(&active.plugin),
    };
    let (out, _flags) = drafting::finish(&r, ad, generated_by);
    let mut body = serde_json::to_value(&out).map_err(ApiError::internal)?;
    body["trace_id"] = json!(trace_id);
    body["plugin"] = json!(report.plugin);
    Ok(Json(body))
}

/// An ad to check, with the request it was written from when there is one.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LintBody {
    /// The ad in Markdown; its first `# ` heading is the title unless `title` is given.
    pub markdown: String,
    #[serde(default)]
    pub title: Option<String>,
    /// The draft request: also checks that internal remarks of its notes did not leak.
    #[serde(default)]
    pub request: Option<DraftRequest>,
}

pub async fn lint(ApiJson(body): ApiJson<LintBody>) -> ApiResult<Json<Value>> {
    if body.markdown.trim().is_empty() {
        return Err(ApiError::invalid("markdown", "the ad is empty"));
    }
    if body.markdown.len() > lint::MAX_AD_BYTES {
        return Err(ApiError::invalid(
            "markdown",
            format!(
                "the ad is {} bytes long; the linter reads ads of at most {} bytes",
                body.markdown.len(),
                lint::MAX_AD_BYTES
            ),
        ));
    }
    let title = match body.title {
        Some(t) => t,
        None => lint::split_title(&body.markdown).0,
    };
    let mut flags = lint::lint_ad(&title, &body.markdown, body.request.as_ref());
    if let Some(r) = &body.request {
        flags.extend(lint::lint_request(r));
    }
    let violations = flags.iter().filter(|f| f.is_violation()).count();
    let warnings: Vec<_> = flags.into_iter().map(|f| f.warning).collect();
    Ok(Json(json!({ "title": title, "warnings": warnings, "violations": violations })))
}
