//! `Idempotency-Key` on the SIRH's creating POSTs: the same key with the same body gets the
//! first answer again (`Idempotent-Replayed: true`), never a second candidate, ranking or
//! decision; the same key with another body is refused (422); a retry while the first request
//! still runs gets 409. Only successful answers are kept (24 hours): after an error the client
//! may retry with the same key.

use super::error::{ApiError, ApiResult};
use super::Shared;
use crate::auth::Caller;
use crate::store::{idempotency, idempotency::Stored, now_ms};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";
/// Longest key accepted: a UUID is 36 characters.
pub const MAX_KEY_LEN: usize = 255;
/// Largest answer kept for a replay.
const MAX_STORED_ANSWER: usize = 16 << 20;

/// The key of a request, when it sent one; an unusable key is the client's error.
fn key_of(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let mut values = headers.get_all(HEADER).iter();
    let Some(value) = values.next() else { return Ok(None) };
    let field = |m: &str| ApiError::invalid("Idempotency-Key", m.to_owned());
    if values.next().is_some() {
        return Err(field("send one Idempotency-Key header"));
    }
    let key = value.to_str().map_err(|_| field("the key must be printable ASCII"))?.trim();
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(field("the key must be 1 to 255 printable ASCII characters, without spaces"));
    }
    Ok(Some(key.to_owned()))
}

/// What makes two requests "the same": method, path, query and body. A multipart body is
/// compared without its boundary, which clients draw at random for every attempt.
fn request_digest(req: &Request, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(req.method().as_str());
    h.update([0]);
    h.update(req.uri().path_and_query().map_or("", |p| p.as_str()));
    h.update([0]);
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .find(|b| !b.is_empty());
    match boundary {
        Some(b) => {
            h.update(content_type.split(';').next().unwrap_or("").trim());
            h.update([0]);
            for (i, part) in split_all(body, b.as_bytes()).enumerate() {
                if i > 0 {
                    h.update([1]);
                }
                h.update(part);
            }
        }
        None => {
            h.update(content_type);
            h.update([0]);
            h.update(body);
        }
    }
    hex::encode(h.finalize())
}

fn split_all<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(hay);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.windows(needle.len()).position(|w| w == needle) {
            Some(i) => {
                rest = Some(&r[i + needle.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The candidate an answer names, so that erasing the candidate removes the stored answer.
fn named_candidate(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v["candidate_id"].as_str().or_else(|| v["decision"]["candidate_id"].as_str()).map(str::to_owned)
}

fn replay(status: u16, content_type: &str, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    r
}

pub async fn idempotent(State(state): State<Shared>, req: Request, next: Next) -> Response {
    match run(&state, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn run(state: &Shared, req: Request, next: Next) -> ApiResult<Response> {
    if req.method() != Method::POST {
        return Ok(next.run(req).await);
    }
    let Some(key) = key_of(req.headers())? else { return Ok(next.run(req).await) };
    let caller = req.extensions().get::<Caller>().cloned().ok_or_else(|| ApiError::internal("no caller"))?;
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, state.config.max_body_bytes).await.map_err(|e| {
        if super::connections::is_body_timeout(&e) {
            super::error::body_timeout()
        } else {
            ApiError::too_large("the request body is larger than this server accepts")
        }
    })?;
    let req = Request::from_parts(parts, Body::from(bytes.clone()));
    let digest = request_digest(&req, &bytes);
    let pool = state.store.pool();
    let now = now_ms();
    let reused = || {
        ApiError::invalid(
            "Idempotency-Key",
            "this key was used for a different request; use a new key for a new request",
        )
    };
    match idempotency::get(pool, &caller.key_id, &key, now).await? {
        Some(Stored::Done { request_digest, status, content_type, body }) => {
            return if request_digest == digest { Ok(replay(status, &content_type, body)) } else { Err(reused()) };
        }
        Some(Stored::Pending { request_digest }) if request_digest != digest => return Err(reused()),
        Some(Stored::Pending { .. }) => return Err(in_progress()),
        None => {}
    }
    if !idempotency::claim(pool, &caller.key_id, &key, &digest, now).await? {
        return Err(in_progress());
    }
    let response = next.run(req).await;
    if !response.status().is_success() {
        idempotency::forget(pool, &caller.key_id, &key).await?;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_STORED_ANSWER).await else {
        idempotency::forget(pool, &caller.key_id, &key).await?;
        return Err(ApiError::internal("an answer too large to keep for a retry"));
    };
    let content_type =
        parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/json").to_owned();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    idempotency::complete(
        pool,
        &caller.key_id,
        &key,
        parts.status.as_u16(),
        &content_type,
        &text,
        named_candidate(&bytes).as_deref(),
    )
    .await?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

fn in_progress() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "idempotency_in_progress",
        "a request with this Idempotency-Key is still running",
    )
    .with_field("Idempotency-Key")
    .with_retry_after(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(ct: &str) -> Request {
        Request::builder()
            .method("POST")
            .uri("/v1/cv/parse")
            .header(header::CONTENT_TYPE, ct)
            .body(Body::empty())
            .unwrap()
    }

    #[test]
    fn a_multipart_retry_with_another_boundary_is_the_same_request() {
        let a = b"--aaa\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nCV\r\n--aaa--\r\n";
        let b = b"--bbbb\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nCV\r\n--bbbb--\r\n";
        let c = b"--bbbb\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nCV2\r\n--bbbb--\r\n";
        let da = request_digest(&req("multipart/form-data; boundary=aaa"), a);
        let db = request_digest(&req("multipart/form-data; boundary=bbbb"), b);
        let dc = request_digest(&req("multipart/form-data; boundary=bbbb"), c);
        assert_eq!(da, db);
        assert_ne!(db, dc);
        assert_ne!(request_digest(&req("application/json"), b"{}"), request_digest(&req("application/json"), b"{ }"));
    }

    #[test]
    fn keys_are_bounded_printable_ascii() {
        let mut h = HeaderMap::new();
        assert_eq!(key_of(&h).unwrap(), None);
        h.insert(HEADER, HeaderValue::from_static("7f3c-01"));
        assert_eq!(key_of(&h).unwrap().as_deref(), Some("7f3c-01"));
        h.insert(HEADER, HeaderValue::from_str(&"k".repeat(256)).unwrap());
        assert!(key_of(&h).is_err());
        h.insert(HEADER, HeaderValue::from_static("a b"));
        assert!(key_of(&h).is_err());
    }
}
