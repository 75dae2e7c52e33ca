//! Outbound HTTP for plugins, through the standard `wasi:http/outgoing-handler` only.
//!
//! The host sends every request itself ([`WasiHttpHooks::send_request`]): the method and URL
//! must match a grant of the administrator (method, scheme, host, port, path prefix), and the
//! canonical path that was checked is the one sent; the name is resolved and every address
//! re-checked ([`crate::outbound`]) before connecting to exactly those addresses; the API key,
//! a host secret, is added as `Authorization` only to a request within its grant (the plugin may
//! not set that header and never sees the key); one call may make a bounded number of requests,
//! a bounded number at once; connection and total time are bounded, and so is the response
//! size. Each call is logged (method, host, path, bytes, duration, status; never a body).

use super::limits::HostLimits;
use crate::outbound::{self, Grant, OutboundError};
use http_body_util::{BodyExt, Full, Limited};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::{Error as HttpError, ForbiddenHeaderFilter, RequestOptions, WasiBody, WasiHttpHooks};

/// Largest request body a plugin may send.
pub const MAX_REQUEST_BYTES: usize = 1 << 20;
/// Largest response body a plugin may receive.
pub const MAX_RESPONSE_BYTES: usize = 2 << 20;
/// Longest wait for a TCP connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// An endpoint granted by the administrator, with the secret header the host adds to it.
#[derive(Clone)]
pub struct OutboundGrant {
    pub grant: Grant,
    /// Value of the `Authorization` header (e.g. "Bearer ..."), never shown to the plugin.
    pub authorization: Option<String>,
}

impl std::fmt::Debug for OutboundGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboundGrant")
            .field("grant", &self.grant)
            .field("authorization", &self.authorization.as_ref().map(|_| "<secret>"))
            .finish()
    }
}

/// One outbound call as logged: no body, no header value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpCall {
    pub method: String,
    pub scheme: String,
    pub host: String,
    pub port: u16,
    /// The canonical path sent (no query: it may carry data).
    pub path: String,
    pub status: Option<u16>,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub duration_ms: u64,
    /// "ok", "denied", "timeout", "refused", "too_large" or "error".
    pub outcome: String,
}

/// What the calls of one plugin invocation did, shared with the spawned request futures.
#[derive(Debug, Clone, Default)]
pub struct OutboundLog {
    calls: Arc<Mutex<Vec<HttpCall>>>,
    denied: Arc<Mutex<Option<OutboundError>>>,
}

impl OutboundLog {
    fn push(&self, call: HttpCall) {
        tracing::info!(
            host = %call.host, port = call.port, status = ?call.status, bytes_sent = call.bytes_sent,
            bytes_received = call.bytes_received, duration_ms = call.duration_ms, outcome = %call.outcome,
            "plugin outbound HTTP call"
        );
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).push(call);
    }
    fn deny(&self, e: OutboundError) {
        self.denied.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
    }
    pub fn calls(&self) -> Vec<HttpCall> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    /// The first refusal of this invocation, if any.
    pub fn denied(&self) -> Option<OutboundError> {
        self.denied.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The hooks of one call's `wasi:http` context.
pub struct OutboundHooks {
    grants: Arc<[OutboundGrant]>,
    pub log: OutboundLog,
    timeout: Duration,
    /// Requests this call may still start.
    remaining: u32,
    total: u32,
    /// Requests of this call in flight.
    in_flight: Arc<tokio::sync::Semaphore>,
    concurrent: u32,
}

impl OutboundHooks {
    pub fn new(grants: Arc<[OutboundGrant]>, timeout: Duration, limits: &HostLimits) -> Self {
        Self {
            grants,
            log: OutboundLog::default(),
            timeout,
            remaining: limits.http_requests_total,
            total: limits.http_requests_total,
            in_flight: Arc::new(tokio::sync::Semaphore::new(limits.http_requests_concurrent as usize)),
            concurrent: limits.http_requests_concurrent,
        }
    }
}

/// Size of one write into an outgoing body the host buffers, and how many it buffers: a plugin
/// holding many bodies open cannot make the host keep megabytes for each.
const OUTGOING_BODY_CHUNK: usize = 64 << 10;

type SendFuture = Box<
    dyn std::future::Future<
            Output = Result<
                (http::Response<WasiBody>, Box<dyn std::future::Future<Output = Result<(), HttpError>> + Send>),
                HttpError,
            >,
        > + Send,
>;

impl WasiHttpHooks for OutboundHooks {
    fn forbidden_header_filter(&mut self) -> ForbiddenHeaderFilter {
        // The plugin cannot set credentials: the host adds them for granted endpoints.
        Arc::new(|name| {
            *name == http::header::AUTHORIZATION
                || *name == http::header::PROXY_AUTHORIZATION
                || wasmtime_wasi_http::DEFAULT_FORBIDDEN_HEADERS.contains(name)
        })
    }

    fn p2_outgoing_body_buffer_chunks(&mut self) -> usize {
        1
    }

    fn p2_outgoing_body_chunk_size(&mut self) -> usize {
        OUTGOING_BODY_CHUNK
    }

    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        _options: Option<RequestOptions>,
        _fut: Box<dyn std::future::Future<Output = Result<(), HttpError>> + Send>,
    ) -> SendFuture {
        let grants = self.grants.clone();
        let log = self.log.clone();
        let timeout = self.timeout;
        // Caps of the call, taken now (not when the spawned future first runs), so a plugin
        // cannot start more requests than allowed by firing them all before any is polled.
        let quota = if self.remaining == 0 {
            Err(OutboundError::Quota(format!("more than {} outgoing requests in one call", self.total)))
        } else {
            self.remaining -= 1;
            self.in_flight
                .clone()
                .try_acquire_owned()
                .map_err(|_| OutboundError::Quota(format!("more than {} outgoing requests at once", self.concurrent)))
        };
        Box::new(async move {
            let _permit = match quota {
                Ok(p) => p,
                Err(e) => {
                    log.deny(e);
                    return Err(HttpError::ConnectionLimitReached);
                }
            };
            let started = Instant::now();
            let uri = request.uri().to_string();
            let method = request.method().to_string();
            let (scheme, host, port) = match outbound::split_url(&uri) {
                Ok(t) => t,
                Err(e) => {
                    log.deny(e);
                    return Err(HttpError::HttpRequestUriInvalid);
                }
            };
            let mut call = HttpCall {
                method,
                scheme: scheme.clone(),
                host: host.clone(),
                port,
                path: String::new(),
                status: None,
                bytes_sent: 0,
                bytes_received: 0,
                duration_ms: 0,
                outcome: "error".into(),
            };
            let result = send(request, &uri, &grants, timeout, started, &mut call, &log).await;
            call.duration_ms = started.elapsed().as_millis() as u64;
            if result.is_ok() {
                call.outcome = "ok".into();
            }
            log.push(call);
            result.map(|resp| (resp, Box::new(async { Ok(()) }) as Box<dyn std::future::Future<Output = _> + Send>))
        })
    }
}

async fn send(
    request: http::Request<WasiBody>,
    uri: &str,
    grants: &[OutboundGrant],
    timeout: Duration,
    started: Instant,
    call: &mut HttpCall,
    log: &OutboundLog,
) -> Result<http::Response<WasiBody>, HttpError> {
    let plain: Vec<Grant> = grants.iter().map(|g| g.grant.clone()).collect();
    let (grant, path_and_query) = match outbound::authorise(&plain, request.method().as_str(), uri) {
        Ok((g, p)) => (g.clone(), p),
        Err(e) => {
            call.outcome = "denied".into();
            log.deny(e);
            return Err(HttpError::HttpRequestDenied);
        }
    };
    call.path = path_and_query.split('?').next().unwrap_or("/").to_owned();
    // The secret of the grant that matched, method and path included: never another's.
    let secret = grants.iter().find(|g| g.grant == grant).and_then(|g| g.authorization.clone());
    if grant.scheme == "https" {
        // This build has no TLS client: terminate TLS on a proxy the administrator controls.
        call.outcome = "denied".into();
        log.deny(OutboundError::InvalidUrl(format!("{uri} (https is not supported by this host build)")));
        return Err(HttpError::HttpRequestDenied);
    }
    // Resolve once, check every address, connect to those addresses only.
    let addrs: Vec<std::net::SocketAddr> = match tokio::net::lookup_host((grant.host.as_str(), grant.port)).await {
        Ok(a) => a.collect(),
        Err(_) => return Err(HttpError::DestinationNotFound),
    };
    if let Err(e) = outbound::check_addresses(&grant, &addrs.iter().map(|a| a.ip()).collect::<Vec<_>>()) {
        call.outcome = "denied".into();
        log.deny(e);
        return Err(HttpError::DestinationIpProhibited);
    }
    let remaining = |started: Instant| timeout.saturating_sub(started.elapsed());
    let stream =
        match tokio::time::timeout(CONNECT_TIMEOUT.min(remaining(started)), tokio::net::TcpStream::connect(&addrs[..]))
            .await
        {
            Ok(Ok(s)) => s,
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                call.outcome = "refused".into();
                return Err(HttpError::ConnectionRefused);
            }
            Ok(Err(e)) => return Err(HttpError::Connect(e)),
            Err(_) => {
                call.outcome = "timeout".into();
                return Err(HttpError::ConnectionTimeout);
            }
        };
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(HttpError::Hyper)?;
    let connection = wasmtime_wasi::runtime::spawn(async move {
        let _ = conn.await;
    });

    let (mut parts, body) = request.into_parts();
    let body = match tokio::time::timeout(remaining(started), Limited::new(body, MAX_REQUEST_BYTES).collect()).await {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(_)) => return Err(HttpError::HttpRequestBodySize(None)),
        Err(_) => {
            call.outcome = "timeout".into();
            return Err(HttpError::ConnectionWriteTimeout);
        }
    };
    call.bytes_sent = body.len() as u64;
    // Origin-form request line with exactly the path that was checked; the Host header was set
    // from the authority.
    parts.uri = http::Uri::builder()
        .path_and_query(path_and_query.as_str())
        .build()
        .map_err(|_| HttpError::HttpRequestUriInvalid)?;
    if let Some(secret) = secret {
        let value = http::HeaderValue::from_str(&secret).map_err(|_| HttpError::HttpRequestDenied)?;
        parts.headers.insert(http::header::AUTHORIZATION, value);
    }
    let request = http::Request::from_parts(parts, Full::new(body));
    let response = match tokio::time::timeout(remaining(started), sender.send_request(request)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Err(HttpError::Hyper(e)),
        Err(_) => {
            call.outcome = "timeout".into();
            return Err(HttpError::ConnectionReadTimeout);
        }
    };
    call.status = Some(response.status().as_u16());
    let (parts, body) = response.into_parts();
    let bytes = match tokio::time::timeout(remaining(started), Limited::new(body, MAX_RESPONSE_BYTES).collect()).await {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(e)) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
                call.outcome = "too_large".into();
                return Err(HttpError::HttpResponseBodySize(Some(MAX_RESPONSE_BYTES as u64)));
            }
            return Err(HttpError::HttpResponseIncomplete);
        }
        Err(_) => {
            call.outcome = "timeout".into();
            return Err(HttpError::ConnectionReadTimeout);
        }
    };
    drop(connection);
    call.bytes_received = bytes.len() as u64;
    let body: WasiBody = Full::new(bytes).map_err(|never| match never {}).boxed_unsync();
    Ok(http::Response::from_parts(parts, body))
}
