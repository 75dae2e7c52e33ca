//! Signed notifications to the SIRH: a batch job done, a candidate erased or purged, a slot's
//! active plugin changed. An administrator registers each endpoint (its URL is the only place
//! Vivier itself sends to); each notification is stored, then sent by a background sender with
//! retries and exponential backoff, and every attempt is in the delivery log.
//!
//! The body is JSON `{id, type, created_at, data}` with opaque ids only. `Vivier-Signature:
//! t=UNIX_SECONDS,v1=HEX` is HMAC-SHA256 of `t.body` under the endpoint's secret (shown once at
//! registration): a receiver recomputes it and refuses a stale `t` (replays).

use crate::auth::Caller;
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::Shared;
use crate::store::webhooks::{self as store, Delivery, Webhook};
use crate::store::{new_id, now_ms};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Extension, Json, Router};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;

pub const EVENTS: [&str; 4] = ["job.done", "candidate.erased", "candidate.purged", "slot.changed"];
/// Attempts before a delivery is marked failed.
pub const MAX_ATTEMPTS: i64 = 6;
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a sender holds a delivery before another may take it over.
const LEASE_MS: i64 = 60_000;

/// Queues `event` for every endpoint subscribed to it (and, for an endpoint tied to one SIRH key,
/// only that key's events). A failure is logged: a notification never fails the change it reports.
pub async fn notify(state: &Shared, event: &str, key_id: Option<&str>, data: Value) {
    if let Err(e) = enqueue(state, event, key_id, data).await {
        tracing::error!(event, error = %e, "a webhook notification could not be queued");
    }
}

async fn enqueue(
    state: &Shared,
    event: &str,
    key_id: Option<&str>,
    data: Value,
) -> Result<(), crate::store::StoreError> {
    let pool = state.store.pool();
    let now = now_ms();
    for w in store::all(pool).await? {
        let subscribed = w.events.iter().any(|e| e == event || e == "*");
        let for_key = match (&w.key_id, key_id) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (Some(_), None) => event == "slot.changed",
            (None, _) => true,
        };
        if subscribed && for_key {
            let id = new_id("evt");
            let body = json!({ "id": id, "type": event, "created_at": crate::store::rfc3339(now), "data": data });
            store::enqueue(pool, &id, &w.id, event, &body.to_string(), now).await?;
        }
    }
    Ok(())
}

/// The signature header of `body` sent at `t` (seconds since the epoch).
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Delay before attempt `n + 1` after `n` failed ones: base, 3×base, 9×base...
pub fn backoff_ms(base_ms: u64, failed: i64) -> i64 {
    (base_ms as i64).saturating_mul(3_i64.saturating_pow(failed.saturating_sub(1).clamp(0, 10) as u32))
}

/// The background sender; the server aborts it before closing the store.
pub fn spawn(state: Shared) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(state.config.webhook_poll_ms)).await;
            if let Err(e) = send_due(&state).await {
                tracing::warn!(error = %e, "webhook sender");
            }
        }
    })
}

async fn send_due(state: &Shared) -> Result<(), crate::store::StoreError> {
    let pool = state.store.pool();
    let due = store::due(pool, now_ms(), 20).await?;
    if due.is_empty() {
        return Ok(());
    }
    let hooks = store::all(pool).await?;
    for d in due {
        if !store::claim(pool, &d, now_ms() + LEASE_MS).await? {
            continue;
        }
        let Some(hook) = hooks.iter().find(|w| w.id == d.webhook_id) else {
            store::record_attempt(pool, &d.id, false, None, Some("the endpoint was removed"), None, now_ms()).await?;
            continue;
        };
        let outcome = post(hook, &d).await;
        let now = now_ms();
        let failed = d.attempts + 1;
        let retry_at = (failed < MAX_ATTEMPTS).then(|| now + backoff_ms(state.config.webhook_retry_base_ms, failed));
        match outcome {
            Ok(status) if (200..300).contains(&status) => {
                store::record_attempt(pool, &d.id, true, Some(status), None, None, now).await?
            }
            Ok(status) => {
                store::record_attempt(
                    pool,
                    &d.id,
                    false,
                    Some(status),
                    Some("the endpoint did not answer 2xx"),
                    retry_at,
                    now,
                )
                .await?
            }
            Err(e) => store::record_attempt(pool, &d.id, false, None, Some(&e), retry_at, now).await?,
        }
    }
    Ok(())
}

/// One POST of a delivery's body; the endpoint's status, or why there was none.
async fn post(hook: &Webhook, d: &Delivery) -> Result<u16, String> {
    let url = url::Url::parse(&hook.url).map_err(|e| e.to_string())?;
    let host = url.host_str().ok_or("no host")?.to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let signature = signature(&hook.secret, now_ms() / 1000, &d.body);
    let request = http::Request::post(path)
        .header(http::header::HOST, url.authority())
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::USER_AGENT, concat!("vivier/", env!("CARGO_PKG_VERSION")))
        .header("vivier-event", &d.event)
        .header("vivier-delivery", &d.id)
        .header("vivier-signature", signature)
        .body(http_body_util::Full::new(bytes::Bytes::from(d.body.clone())))
        .map_err(|e| e.to_string())?;
    let send = async {
        let stream =
            tokio::net::TcpStream::connect((host.as_str(), port)).await.map_err(|e| format!("connect: {e}"))?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(wasmtime_wasi_http::io::TokioIo::new(stream))
            .await
            .map_err(|e| format!("handshake: {e}"))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let response = sender.send_request(request).await.map_err(|e| format!("send: {e}"))?;
        Ok::<u16, String>(response.status().as_u16())
    };
    tokio::time::timeout(SEND_TIMEOUT, send).await.map_err(|_| "no answer within 10 s".to_owned())?
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// `http://` URL of the SIRH's endpoint (on-premises; put a TLS-terminating proxy on
    /// loopback in front of an HTTPS one).
    url: String,
    /// Among `job.done`, `candidate.erased`, `candidate.purged`, `slot.changed`, or `*`.
    events: Vec<String>,
    /// Only this SIRH key's jobs and candidates (slot changes always).
    #[serde(default)]
    key_id: Option<String>,
}

async fn create(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    ApiJson(req): ApiJson<NewWebhook>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let url = url::Url::parse(&req.url).map_err(|e| ApiError::invalid("url", format!("not a URL: {e}")))?;
    if url.scheme() != "http" || url.host_str().is_none() || req.url.len() > 2000 {
        return Err(ApiError::invalid(
            "url",
            "an http:// URL of at most 2000 characters (for an HTTPS endpoint, a TLS-terminating proxy on loopback)",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::invalid("url", "no credentials in the URL: the signature authenticates Vivier"));
    }
    if req.events.is_empty() || req.events.iter().any(|e| e != "*" && !EVENTS.contains(&e.as_str())) {
        return Err(ApiError::invalid("events", format!("one or more of {}, or *", EVENTS.join(", "))));
    }
    let mut secret = [0u8; 32];
    getrandom::getrandom(&mut secret).map_err(ApiError::internal)?;
    let hook = Webhook {
        id: new_id("wh"),
        url: req.url,
        events: req.events,
        secret: format!("whsec_{}", hex::encode(secret)),
        key_id: req.key_id,
        created_at: now_ms(),
    };
    store::insert(state.store.pool(), &hook).await?;
    state
        .audit
        .record(crate::audit::Event::new(
            "admin.webhook.create",
            &caller.key_id,
            json!({ "webhook_id": hook.id, "url_digest": crate::bundle::sha256_hex(hook.url.as_bytes()), "events": hook.events }),
        ))
        .await?;
    let mut out = serde_json::to_value(&hook).map_err(ApiError::internal)?;
    out["secret"] = hook.secret.clone().into();
    Ok((StatusCode::CREATED, Json(out)))
}

async fn list(State(state): State<Shared>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "webhooks": store::all(state.store.pool()).await? })))
}

async fn remove(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if !store::delete(state.store.pool(), &id).await? {
        return Err(ApiError::not_found(format!("no webhook `{}`", crate::server::routes::decisions::clip(&id))));
    }
    state
        .audit
        .record(crate::audit::Event::new("admin.webhook.delete", &caller.key_id, json!({ "webhook_id": id })))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn deliveries(State(state): State<Shared>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "deliveries": store::log(state.store.pool(), 200).await? })))
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/admin/webhooks", get(list).post(create))
        .route("/v1/admin/webhooks/deliveries", get(deliveries))
        .route("/v1/admin/webhooks/{id}", delete(remove))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_and_backoff() {
        // Recomputed independently: HMAC-SHA256("k", "1700000000.{}").
        let s = signature("k", 1_700_000_000, "{}");
        assert!(s.starts_with("t=1700000000,v1=") && s.len() == "t=1700000000,v1=".len() + 64, "{s}");
        assert_ne!(s, signature("k2", 1_700_000_000, "{}"));
        assert_eq!([1, 2, 3].map(|n| backoff_ms(10_000, n)), [10_000, 30_000, 90_000]);
    }
}
