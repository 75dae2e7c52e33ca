//! HTTP routes, one module per resource.

pub mod admin;
pub mod audit;
pub mod batches;
pub mod candidates;
pub mod decisions;
pub mod explanation;
pub mod monitoring;
pub mod parse;
pub mod postings;
pub mod public;
pub mod rankings;
pub mod reports;
pub mod retention;
pub mod shadow;

use super::error::ApiError;
use super::Shared;
use crate::runtime::PluginError;
use crate::store::candidates::Cursor;
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::Router;

/// The SIRH's routes that call a plugin: behind admission control (see `server::admission`).
pub fn plugin_routes() -> Router<Shared> {
    Router::new()
        .route("/v1/cv/parse", post(parse::parse))
        .route("/v1/rankings", post(rankings::rank))
        .route("/v1/postings/draft", post(postings::draft))
}

pub fn sirh_routes() -> Router<Shared> {
    Router::new()
        .route("/v1/postings/lint", post(postings::lint))
        .route("/v1/decisions", post(decisions::record).get(decisions::list))
        .route("/v1/candidates", get(candidates::list))
        .route("/v1/cv/batches", post(batches::create))
        .route("/v1/jobs/{id}", get(batches::get))
        .route("/v1/candidates/{id}", get(candidates::history).delete(candidates::erase))
        .route("/v1/candidates/{id}/explanation", get(explanation::explain))
        .route("/v1/candidates/{id}/monitoring", put(monitoring::set).delete(monitoring::clear))
}

pub fn audit_routes() -> Router<Shared> {
    Router::new()
        .route("/v1/audit/verify", get(audit::verify))
        .route("/v1/audit/events", get(audit::events))
        .route("/metrics", get(audit::metrics))
        .route("/v1/audit/purge", delete(audit::purge_not_allowed))
}

/// A plugin that failed: the error goes back to the caller (fail-closed), never a fallback.
pub fn plugin_failure(err: &PluginError, trace_id: &str) -> ApiError {
    let status = match err {
        PluginError::Timeout { .. } => StatusCode::GATEWAY_TIMEOUT,
        PluginError::Stopped { .. } => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_GATEWAY,
    };
    ApiError::new(status, "plugin_failed", format!("{err} (code {})", err.code())).with_trace(trace_id)
}

/// Default and largest page of a list.
pub const PAGE_DEFAULT: i64 = 50;
pub const PAGE_MAX: i64 = 500;

/// The `after` cursor and `limit` of a list request.
pub fn paging(after: Option<&str>, limit: Option<i64>) -> Result<(Option<Cursor>, i64), ApiError> {
    let after = match after.filter(|a| !a.is_empty()) {
        Some(a) => Some(Cursor::decode(a).ok_or_else(|| {
            ApiError::invalid("after", "not a cursor: send back the `next_after` of the previous page")
        })?),
        None => None,
    };
    let limit = limit.unwrap_or(PAGE_DEFAULT);
    if !(1..=PAGE_MAX).contains(&limit) {
        return Err(ApiError::invalid("limit", format!("a page holds 1 to {PAGE_MAX} items")));
    }
    Ok((after, limit))
}

/// One page of a list fetched with `limit + 1` rows: the items, and the cursor of the next page
/// when there is one.
pub fn page<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> (i64, String),
    json: impl Fn(&T) -> serde_json::Value,
) -> serde_json::Value {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = more.then(|| {
        rows.last().map(|r| {
            let (created_at, id) = key(r);
            Cursor { created_at, id }.encode()
        })
    });
    serde_json::json!({ "items": rows.iter().map(json).collect::<Vec<_>>(), "next_after": next.flatten() })
}

pub use crate::store::{civil_from_days, rfc3339};
