//! `GET /v1/reports/{kind}`: the deployer's documents (French Markdown, with the figures as JSON),
//! the same as `vivier report KIND`. Roles admin and auditor. Each generation is audited.

use crate::audit::Event;
use crate::auth::Caller;
use crate::registry::RegistryError;
use crate::report::{self, Context, Params, ReportError};
use crate::server::error::{ApiError, ApiResult};
use crate::server::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<Shared> {
    Router::new().route("/v1/reports/{kind}", get(build))
}

#[derive(Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    plugin: Option<String>,
    watts_per_core: Option<String>,
    top_k: Option<String>,
    format: Option<String>,
}

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> Self {
        match &e {
            ReportError::UnknownKind(_) => ApiError::not_found(e.to_string()).with_field("kind"),
            ReportError::Invalid { field, .. } => ApiError::invalid(*field, e.to_string()),
            ReportError::PluginRequired(_) => ApiError::invalid("plugin", e.to_string()),
            ReportError::Registry(RegistryError::NotFound(_)) => {
                ApiError::not_found(e.to_string()).with_field("plugin")
            }
            ReportError::Registry(_) => ApiError::invalid("plugin", e.to_string()),
            ReportError::Store(_) => ApiError::internal(&e),
        }
    }
}

fn number<T: std::str::FromStr>(field: &'static str, v: Option<&str>) -> ApiResult<Option<T>> {
    v.map(|s| s.trim().parse::<T>().map_err(|_| ApiError::invalid(field, format!("`{s}` is not a number")))).transpose()
}

pub async fn build(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(kind): Path<String>,
    Query(q): Query<ReportQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let params = Params {
        watts_per_core: number("watts_per_core", q.watts_per_core.as_deref())?,
        top_k: number("top_k", q.top_k.as_deref())?,
        from: q.from,
        to: q.to,
        plugin: q.plugin,
    };
    let markdown = match q.format.as_deref() {
        Some("markdown") => true,
        Some("json") => false,
        Some(other) => return Err(ApiError::invalid("format", format!("`{other}` is not json or markdown"))),
        None => headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/markdown")),
    };
    let ctx = Context {
        store: &state.store,
        registry: &state.registry,
        candidate_retention_days: state.config.candidate_retention_days,
        audit_retention_days: state.config.audit_retention_days,
    };
    let report = report::build(&kind, &ctx, &params).await?;
    state
        .audit
        .record(Event::new(
            "report.generated",
            &caller.key_id,
            json!({ "kind": report.kind, "from": params.from, "to": params.to, "plugin": params.plugin }),
        ))
        .await?;
    if markdown {
        return Ok(
            (StatusCode::OK, [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], report.markdown).into_response()
        );
    }
    Ok(Json(report.to_json()).into_response())
}
