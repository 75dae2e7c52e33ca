//! `POST /v1/cv/batches`: a campaign's CVs in one request (many `file` parts, or zip archives of
//! them), answered at once with a job; the files are parsed in the background, one by one, each
//! exactly as `POST /v1/cv/parse` would. `GET /v1/jobs/{id}`: the job's progress and per-file
//! results. A file whose `external_id` already names a live candidate of this key is not parsed
//! again: its result is `existing`, with that candidate's id.

use super::parse::{check_document, check_external_id, multipart_error, parse_one};
use super::rfc3339;
use crate::auth::Caller;
use crate::cli::media_type_for;
use crate::model::Document;
use crate::server::error::{ApiError, ApiResult};
use crate::server::Shared;
use crate::store::jobs::{self, ItemRow, JobRow};
use crate::store::{new_id, now_ms, StoreError};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Read;
use std::time::Duration;

pub const KIND: &str = "cv-batch";
/// How many times a file waits for a turn when every parser lane is busy.
const OVERLOAD_RETRIES: u32 = 120;

/// A batch as received: the files in order, and the SIRH's applicant ids by file name.
struct Batch {
    files: Vec<Document>,
    external_ids: HashMap<String, String>,
}

fn is_zip(name: &str, media_type: Option<&str>) -> bool {
    matches!(media_type, Some("application/zip" | "application/x-zip-compressed"))
        || name.to_ascii_lowercase().ends_with(".zip")
}

/// The CVs of a zip archive, with the same limits as uploaded files: bounded entry count, each
/// entry's real (not declared) size, and the archive's total.
fn unzip(state: &Shared, archive: &[u8], budget: &mut usize, files: &mut Vec<Document>) -> ApiResult<()> {
    let bad = |m: String| ApiError::invalid("file", m);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive))
        .map_err(|e| bad(format!("not a valid zip archive: {e}")))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| bad(format!("zip entry {i}: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.enclosed_name().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
        let Some(name) = name.filter(|n| !n.starts_with('.')) else { continue };
        if files.len() >= state.config.max_batch_files {
            return Err(ApiError::too_large(format!("more than {} CVs in one batch", state.config.max_batch_files)));
        }
        let limit = state.config.max_document_bytes.min(*budget);
        let mut bytes = Vec::new();
        (&mut entry)
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| bad(format!("zip entry `{name}`: {e}")))?;
        if bytes.len() > limit {
            return Err(ApiError::too_large(format!(
                "zip entry `{name}` is larger than a CV may be, or the archive expands beyond {} bytes",
                4 * state.config.max_body_bytes
            ))
            .with_field("file"));
        }
        *budget -= bytes.len();
        let media_type = media_type_for(std::path::Path::new(&name)).to_owned();
        files.push(Document { filename: name, media_type, bytes });
    }
    Ok(())
}

async fn read_batch(state: &Shared, req: Request) -> ApiResult<Batch> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the CVs as multipart/form-data: `file` parts (CVs or zip archives of CVs) and an optional `external_ids` part",
        ));
    }
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(|e| ApiError::bad_request(format!("invalid multipart body: {e}")))?;
    let (mut files, mut external_ids) = (Vec::new(), None);
    // What zip archives may expand to, in all.
    let mut budget = 4 * state.config.max_body_bytes;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("file") => {
                let filename = field.file_name().unwrap_or("cv").to_owned();
                let declared = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if is_zip(&filename, declared.as_deref()) {
                    unzip(state, &bytes, &mut budget, &mut files)?;
                    continue;
                }
                if files.len() >= state.config.max_batch_files {
                    return Err(ApiError::too_large(format!(
                        "more than {} CVs in one batch",
                        state.config.max_batch_files
                    )));
                }
                let media_type = match declared.as_deref() {
                    None | Some("application/octet-stream") => {
                        media_type_for(std::path::Path::new(&filename)).to_owned()
                    }
                    Some(m) => m.to_owned(),
                };
                files.push(Document { filename, media_type, bytes: bytes.to_vec() });
            }
            Some("external_ids") if external_ids.is_none() => {
                let text = field.text().await.map_err(multipart_error)?;
                let map: HashMap<String, String> = serde_json::from_str(&text).map_err(|e| {
                    ApiError::invalid("external_ids", format!("a JSON object from file name to external id: {e}"))
                })?;
                external_ids = Some(map);
            }
            other => {
                let name: String = other.unwrap_or("").chars().take(64).collect();
                return Err(ApiError::invalid(
                    name.clone(),
                    format!("unknown or repeated part `{name}`: the parts are `file` (repeated) and, optionally, `external_ids`"),
                ));
            }
        }
    }
    if files.is_empty() {
        return Err(ApiError::invalid("file", "the batch has no CV"));
    }
    let external_ids = external_ids.unwrap_or_default();
    let mut names = std::collections::HashSet::new();
    for (i, f) in files.iter().enumerate() {
        check_document(state, f, &format!("file[{i}]"))?;
        if external_ids.contains_key(&f.filename) && !names.insert(f.filename.as_str()) {
            return Err(ApiError::invalid(
                format!("file[{i}]"),
                "two files have this name and an external id: names must be unique to pair them",
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (name, id) in &external_ids {
        check_external_id("external_ids", id)?;
        if !files.iter().any(|f| &f.filename == name) {
            return Err(ApiError::invalid(
                "external_ids",
                format!("no file is named `{}`", super::decisions::clip(name)),
            ));
        }
        if !seen.insert(id) {
            return Err(ApiError::invalid("external_ids", format!("external id `{id}` is given to two files")));
        }
    }
    Ok(Batch { files, external_ids })
}

pub async fn create(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> ApiResult<Response> {
    let batch = read_batch(&state, req).await?;
    let job_id = new_id("job");
    let items: Vec<(String, Option<String>)> =
        batch.files.iter().map(|f| (f.filename.clone(), batch.external_ids.get(&f.filename).cloned())).collect();
    let mut tx = state.store.begin_write().await?;
    jobs::create(&mut tx, &job_id, KIND, &caller.key_id, &items, now_ms()).await?;
    tx.commit().await.map_err(StoreError::from)?;
    let ctx = crate::audit::REQUEST.try_with(Clone::clone).ok();
    let (runner_state, runner_caller, id) = (state.clone(), caller.clone(), job_id.clone());
    let work = async move { run(runner_state, runner_caller, id, batch.files, items).await };
    // The job's audit rows carry the request that created it.
    match ctx {
        Some(ctx) => tokio::spawn(crate::audit::REQUEST.scope(ctx, work)),
        None => tokio::spawn(work),
    };
    let (job, items) = jobs::get(state.store.pool(), &caller.key_id, &job_id)
        .await?
        .ok_or_else(|| ApiError::internal("the job just created is missing"))?;
    let mut response = (StatusCode::ACCEPTED, Json(job_json(&job, &items))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/v1/jobs/{job_id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// Parses the files one after the other; each result is stored as soon as it is known.
async fn run(
    state: Shared,
    caller: Caller,
    job_id: String,
    files: Vec<Document>,
    items: Vec<(String, Option<String>)>,
) {
    let pool = state.store.pool().clone();
    for (i, (doc, (filename, external_id))) in files.into_iter().zip(items).enumerate() {
        let mut item = ItemRow {
            position: i as i64,
            filename,
            external_id: external_id.clone(),
            status: "parsed".into(),
            candidate_id: None,
            trace_id: None,
            error_code: None,
            error_message: None,
        };
        match parse_waiting_for_a_turn(&state, &caller, doc, external_id).await {
            Ok(answer) => {
                item.candidate_id = answer["candidate_id"].as_str().map(str::to_owned);
                item.trace_id = answer["trace_id"].as_str().map(str::to_owned);
            }
            Err(e) if e.code == "external_id_exists" => {
                item.status = "existing".into();
                item.candidate_id = e.details.as_ref().and_then(|d| d["candidate_id"].as_str()).map(str::to_owned);
            }
            Err(e) => {
                item.status = "failed".into();
                item.trace_id = e.trace_id.clone();
                item.error_code = Some(e.code.to_owned());
                item.error_message = Some(e.message.clone());
            }
        }
        if let Err(e) = jobs::finish_item(&pool, &job_id, &item, now_ms()).await {
            tracing::error!(job = %job_id, error = %e, "a batch result could not be stored; the job stops");
            return;
        }
    }
    if let Err(e) = jobs::finish(&pool, &job_id, now_ms()).await {
        tracing::error!(job = %job_id, error = %e, "a finished batch could not be marked done");
        return;
    }
    crate::server::webhooks::notify(
        &state,
        "job.done",
        Some(&caller.key_id),
        json!({ "job_id": job_id, "kind": KIND, "url": format!("/v1/jobs/{job_id}") }),
    )
    .await;
}

/// A batch waits for a free parser lane instead of failing its files when the server is busy.
async fn parse_waiting_for_a_turn(
    state: &Shared,
    caller: &Caller,
    doc: Document,
    external_id: Option<String>,
) -> ApiResult<Value> {
    let mut tries = 0;
    loop {
        match parse_one(state, caller, doc.clone(), external_id.clone()).await {
            Err(e) if e.code == "overloaded" && tries < OVERLOAD_RETRIES => {
                tries += 1;
                tokio::time::sleep(Duration::from_secs(e.retry_after.unwrap_or(1).clamp(1, 10))).await;
            }
            other => return other,
        }
    }
}

fn job_json(job: &JobRow, items: &[ItemRow]) -> Value {
    let interrupted = job.status == "running" && now_ms() - job.updated_at > jobs::STALE_MS;
    let status = if interrupted { "interrupted" } else { job.status.as_str() };
    let results: Vec<Value> = items
        .iter()
        .map(|i| {
            let item_status = if interrupted && i.status == "queued" { "not_processed" } else { i.status.as_str() };
            json!({
                "position": i.position,
                "filename": i.filename,
                "external_id": i.external_id,
                "status": item_status,
                "candidate_id": i.candidate_id,
                "trace_id": i.trace_id,
                "error": i.error_code.as_ref().map(|c| json!({ "code": c, "message": i.error_message })),
            })
        })
        .collect();
    json!({
        "job_id": job.id,
        "kind": job.kind,
        "status": status,
        "total": job.total,
        "done": job.done,
        "created_at": rfc3339(job.created_at),
        "finished_at": job.finished_at.map(rfc3339),
        "items": results,
    })
}

pub async fn get(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    match jobs::get(state.store.pool(), &caller.key_id, &id).await? {
        Some((job, items)) => Ok(Json(job_json(&job, &items))),
        None => Err(ApiError::not_found(format!("no job `{}`", super::decisions::clip(&id))).with_field("id")),
    }
}
