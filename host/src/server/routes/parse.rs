//! `POST /v1/cv/parse`: a CV (multipart upload or JSON with base64) through the active
//! cv-parser. Identity and profile are stored apart under a new opaque candidate id.

use crate::audit::Event;
use crate::auth::Caller;
use crate::cli::media_type_for;
use crate::model::{Document, ParseError};
use crate::runtime::call::document_digest;
use crate::server::error::{bytes_rejection, from_json, is_json, ApiError, ApiResult};
use crate::server::{call_payload, Shared};
use crate::store::candidates::{insert_parsed, insert_suggestion, NewParse, NewSuggestion};
use crate::store::{new_id, now_ms};
use crate::timeline;
use crate::world::World;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::{Extension, Json};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDocument {
    filename: String,
    #[serde(default)]
    media_type: Option<String>,
    content_base64: String,
}

async fn read_document(state: &Shared, req: Request) -> ApiResult<Document> {
    let content_type =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let doc = if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("invalid multipart body: {e}")))?;
        let mut found = None;
        while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
            if field.name() != Some("file") {
                continue;
            }
            let filename = field.file_name().unwrap_or("cv").to_owned();
            let declared = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(multipart_error)?;
            let media_type = match declared.as_deref() {
                None | Some("application/octet-stream") => media_type_for(Path::new(&filename)).to_owned(),
                Some(m) => m.to_owned(),
            };
            found = Some(Document { filename, media_type, bytes: bytes.to_vec() });
            break;
        }
        found.ok_or_else(|| ApiError::invalid("file", "the multipart body has no `file` part"))?
    } else if is_json(&req) {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(bytes_rejection)?;
        let body: JsonDocument = from_json(&bytes)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body.content_base64.trim())
            .map_err(|e| ApiError::invalid("content_base64", format!("not valid base64: {e}")))?;
        let media_type = body.media_type.unwrap_or_else(|| media_type_for(Path::new(&body.filename)).to_owned());
        Document { filename: body.filename, media_type, bytes }
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the CV as multipart/form-data (part `file`) or as JSON {filename, media_type, content_base64}",
        ));
    };
    if doc.bytes.is_empty() {
        return Err(ApiError::invalid("file", "the document is empty"));
    }
    if doc.bytes.len() > state.config.max_document_bytes {
        return Err(ApiError::too_large(format!(
            "the document is {} bytes, over the {}-byte limit",
            doc.bytes.len(),
            state.config.max_document_bytes
        )));
    }
    if doc.filename.len() > 255 {
        return Err(ApiError::invalid("filename", "the file name is longer than 255 bytes"));
    }
    Ok(doc)
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large("the upload is larger than this server accepts")
    } else {
        ApiError::bad_request(format!("invalid multipart body: {e}"))
    }
}

/// What the parser declined, as the client's problem (the document), not the server's.
fn parse_refusal(e: &ParseError, trace_id: &str) -> ApiError {
    let (status, code) = match e {
        ParseError::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_document"),
        ParseError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "document_too_large"),
        ParseError::Internal(_) => (StatusCode::BAD_GATEWAY, "plugin_failed"),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, "unreadable_document"),
    };
    ApiError::new(status, code, e.to_string()).with_field("file").with_trace(trace_id)
}

pub async fn parse(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let doc = std::sync::Arc::new(read_document(&state, req).await?);
    let trace_id = new_id("t");
    let d = doc.clone();
    let (_active, attempts) = state.call(World::CvParser, move |rt, p| rt.parse(p, &d)).await?;
    state.audit_failures(&caller, &attempts, &trace_id).await?;
    let inv = attempts.into_iter().last().expect("at least one attempt");
    let report = inv.report;
    let cv = match inv.result {
        Err(e) => return Err(super::plugin_failure(&e, &trace_id)),
        Ok(Err(e)) => {
            let mut tx = state.audit.begin().await?;
            tx.append(Event::new("plugin.call", &caller.key_id, call_payload(&trace_id, &report))).await?;
            tx.commit().await?;
            return Err(parse_refusal(&e, &trace_id));
        }
        Ok(Ok(cv)) => cv,
    };
    let timeline = timeline::analyse(&cv.profile, timeline::current_month());
    let candidate_id = new_id("c");
    let now = now_ms();
    let (identity_json, profile_json) = (to_json(&cv.identity), to_json(&cv.profile));
    let (warnings_json, timeline_json) = (to_json(&cv.warnings), to_json(&timeline));
    let digest = document_digest(&doc);
    let mut tx = state.audit.begin().await?;
    insert_parsed(
        tx.conn(),
        &NewParse {
            candidate_id: &candidate_id,
            identity_json: &identity_json,
            profile_json: &profile_json,
            warnings_json: &warnings_json,
            timeline_json: &timeline_json,
            trace_id: &trace_id,
            document_digest: &digest,
            now,
        },
    )
    .await?;
    insert_suggestion(
        tx.conn(),
        &NewSuggestion {
            trace_id: &trace_id,
            kind: "parse",
            plugin: &report.plugin,
            posting_id: None,
            key_id: &caller.key_id,
            now,
        },
    )
    .await?;
    let mut payload = call_payload(&trace_id, &report);
    payload["candidate_id"] = candidate_id.clone().into();
    tx.append(Event::new("plugin.call", &caller.key_id, payload)).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "candidate_id": candidate_id,
            "trace_id": trace_id,
            "identity": cv.identity,
            "profile": cv.profile,
            "warnings": cv.warnings,
            "gaps": timeline.gaps,
            "irregularities": timeline.irregularities,
            "plugin": report.plugin,
            "call": { "wall_us": report.wall_us, "cpu_us": report.cpu_us, "peak_memory_bytes": report.peak_memory_bytes,
                      "input_digest": report.input_digest, "output_digest": report.output_digest },
        })),
    ))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("model types serialise")
}
