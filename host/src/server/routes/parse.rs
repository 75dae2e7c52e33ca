//! `POST /v1/cv/parse`: a CV (multipart upload or JSON with base64) through the active
//! cv-parser. Identity and profile are stored apart under a new opaque candidate id.

use crate::audit::Event;
use crate::auth::Caller;
use crate::cli::media_type_for;
use crate::model::{Document, ParseError};
use crate::runtime::call::document_digest;
use crate::server::error::{bytes_rejection, from_json, is_json, ApiError, ApiResult};
use crate::server::{call_payload, Shared};
use crate::store::candidates::{by_external_id, insert_parsed, insert_suggestion, NewParse, NewSuggestion};
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

/// A CV sent as JSON, for clients that cannot send multipart.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonDocument {
    filename: String,
    /// Guessed from the file name when absent.
    #[serde(default)]
    media_type: Option<String>,
    /// The document's bytes, base64.
    content_base64: String,
    /// The SIRH's applicant id, unique per key (1 to 128 of letters, digits and . _ : -).
    #[serde(default)]
    external_id: Option<String>,
}

/// The longest SIRH applicant id accepted.
pub const MAX_EXTERNAL_ID: usize = 128;

/// The SIRH's applicant id: 1 to 128 characters among letters, digits and `.`, `_`, `:`, `-`
/// (an id, never a name: it is stored with the candidate and returned everywhere).
pub fn check_external_id(field: &str, id: &str) -> ApiResult<()> {
    let ok = !id.is_empty()
        && id.len() <= MAX_EXTERNAL_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            field,
            format!("an external id is 1 to {MAX_EXTERNAL_ID} characters among letters, digits and . _ : -"),
        ))
    }
}

/// A CV as uploaded, with the SIRH's applicant id when it gave one.
pub struct Upload {
    pub document: Document,
    pub external_id: Option<String>,
}

async fn read_upload(state: &Shared, req: Request) -> ApiResult<Upload> {
    let content_type =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let (doc, external_id) = if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("invalid multipart body: {e}")))?;
        let (mut found, mut external_id) = (None, None);
        while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
            match field.name() {
                Some("file") if found.is_some() => {
                    return Err(ApiError::invalid("file", "one CV per request: send several with POST /v1/cv/batches"))
                }
                Some("file") => {
                    let filename = field.file_name().unwrap_or("cv").to_owned();
                    let declared = field.content_type().map(str::to_owned);
                    let bytes = field.bytes().await.map_err(multipart_error)?;
                    let media_type = match declared.as_deref() {
                        None | Some("application/octet-stream") => media_type_for(Path::new(&filename)).to_owned(),
                        Some(m) => m.to_owned(),
                    };
                    found = Some(Document { filename, media_type, bytes: bytes.to_vec() });
                }
                Some("external_id") if external_id.is_none() => {
                    let text = field.text().await.map_err(multipart_error)?;
                    external_id = Some(text.trim().to_owned());
                }
                other => {
                    let name = other.unwrap_or("").chars().take(64).collect::<String>();
                    return Err(ApiError::invalid(
                        name.clone(),
                        format!(
                            "unknown or repeated part `{name}`: the parts are `file` and, optionally, `external_id`"
                        ),
                    ));
                }
            }
        }
        let document = found.ok_or_else(|| ApiError::invalid("file", "the multipart body has no `file` part"))?;
        (document, external_id)
    } else if is_json(&req) {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(bytes_rejection)?;
        let body: JsonDocument = from_json(&bytes)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body.content_base64.trim())
            .map_err(|e| ApiError::invalid("content_base64", format!("not valid base64: {e}")))?;
        let media_type = body.media_type.unwrap_or_else(|| media_type_for(Path::new(&body.filename)).to_owned());
        (Document { filename: body.filename, media_type, bytes }, body.external_id)
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the CV as multipart/form-data (part `file`) or as JSON {filename, media_type, content_base64}",
        ));
    };
    check_document(state, &doc, "file")?;
    if let Some(id) = &external_id {
        check_external_id("external_id", id)?;
    }
    Ok(Upload { document: doc, external_id })
}

/// The limits every uploaded CV meets; `field` names it in the error.
pub fn check_document(state: &Shared, doc: &Document, field: &str) -> ApiResult<()> {
    if doc.bytes.is_empty() {
        return Err(ApiError::invalid(field, "the document is empty"));
    }
    if doc.bytes.len() > state.config.max_document_bytes {
        return Err(ApiError::too_large(format!(
            "the document is {} bytes, over the {}-byte limit",
            doc.bytes.len(),
            state.config.max_document_bytes
        ))
        .with_field(field));
    }
    if doc.filename.len() > 255 {
        return Err(ApiError::invalid(field, "the file name is longer than 255 bytes"));
    }
    Ok(())
}

/// A live candidate under this applicant id already: its id, never a second copy of the data.
fn external_id_taken(existing: &crate::store::candidates::CandidateRow) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "external_id_exists",
        format!(
            "this key already has candidate `{}` under this external id; erase it first to parse again",
            existing.id
        ),
    )
    .with_field("external_id")
    .with_details(json!({ "candidate_id": existing.id }))
}

pub fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.body_text().contains(crate::server::connections::BODY_TIMEOUT) {
        crate::server::error::body_timeout()
    } else if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
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
    let upload = read_upload(&state, req).await?;
    let answer = parse_one(&state, &caller, upload.document, upload.external_id).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

/// One CV through the active parser, stored under a new candidate id; the answer of
/// `POST /v1/cv/parse`. A live candidate of this key under the same `external_id` is refused
/// (`external_id_exists`, naming it).
pub async fn parse_one(
    state: &Shared,
    caller: &Caller,
    document: Document,
    external_id: Option<String>,
) -> ApiResult<Value> {
    if let Some(ext) = &external_id {
        let mut conn = state.store.pool().acquire().await.map_err(crate::store::StoreError::from)?;
        if let Some(existing) = by_external_id(&mut conn, &caller.key_id, ext).await? {
            return Err(external_id_taken(&existing));
        }
    }
    let doc = std::sync::Arc::new(document);
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
    // Checked again under the write lock: two parses racing with one external id make one candidate.
    if let Some(ext) = &external_id {
        if let Some(existing) = by_external_id(tx.conn(), &caller.key_id, ext).await? {
            return Err(external_id_taken(&existing));
        }
    }
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
            external_id: external_id.as_deref(),
            owner_key: &caller.key_id,
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
    Ok(json!({
        "candidate_id": candidate_id,
        "external_id": external_id,
        "trace_id": trace_id,
        "identity": cv.identity,
        "profile": cv.profile,
        "warnings": cv.warnings,
        "gaps": timeline.gaps,
        "irregularities": timeline.irregularities,
        "plugin": report.plugin,
        "call": { "wall_us": report.wall_us, "cpu_us": report.cpu_us, "peak_memory_bytes": report.peak_memory_bytes,
                  "input_digest": report.input_digest, "output_digest": report.output_digest },
    }))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("model types serialise")
}
