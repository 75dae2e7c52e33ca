//! Routes without a key: health, the public algorithm register (`/register` and its JSON, the same
//! as the console's `/registre`, and `/v1/reports/register`), the OpenAPI document and its
//! human-readable page. The console's sign-in page is in `server::console`.

use crate::server::console::layout::html_response;
use crate::server::console::registre;
use crate::server::error::ApiError;
use crate::server::openapi;
use crate::server::Shared;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/register", get(register_html))
        .route("/register.json", get(register_json))
        .route("/v1/reports/register", get(register_report))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .route("/docs", get(|| async { Html(openapi::html()) }))
}

async fn healthz(State(state): State<Shared>) -> impl IntoResponse {
    let db = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(state.store.pool()).await.is_ok();
    let slots: serde_json::Map<String, Value> = state
        .slots
        .all()
        .into_iter()
        .map(|(w, s)| {
            let status = if s.row.stopped {
                "stopped"
            } else if s.active.is_some() {
                "ready"
            } else {
                "unavailable"
            };
            (w.name().to_owned(), status.into())
        })
        .collect();
    let status = if db { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        Json(
            json!({ "status": if db { "ok" } else { "database_unavailable" }, "version": env!("CARGO_PKG_VERSION"), "slots": slots }),
        ),
    )
}

async fn register_json(State(state): State<Shared>) -> Json<crate::register::Register> {
    Json(registre::current(&state).await)
}

async fn register_html(State(state): State<Shared>) -> Response {
    html_response(StatusCode::OK, registre::html(&registre::current(&state).await))
}

#[derive(Deserialize)]
pub struct ReportQuery {
    format: Option<String>,
}

/// `GET /v1/reports/register`: the register as JSON, or Markdown with `?format=markdown`.
async fn register_report(State(state): State<Shared>, Query(q): Query<ReportQuery>) -> Result<Response, ApiError> {
    let markdown = match q.format.as_deref() {
        None | Some("json") => false,
        Some("markdown") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "format",
                format!("`{other}` is not a format of the register (json, markdown)"),
            ))
        }
    };
    let r = registre::current(&state).await;
    Ok(if markdown {
        ([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], crate::register::to_markdown(&r)).into_response()
    } else {
        Json(r).into_response()
    })
}
