//! Lingering close: a request refused before its body was read whole (413 over the size limit,
//! 401, 503 overloaded) still gets its answer to the client.
//!
//! Most HTTP clients (the SIRH's included) write the whole body before they read the response.
//! When a server answers early and closes a socket with unread bytes in it, the kernel sends a
//! reset, and the client sees "broken pipe" or "connection reset" instead of the 413 that says
//! what was wrong. Like Apache's and nginx's lingering close, the rest of the body is read and
//! thrown away first, within a bound of bytes and time; past the bound the connection is closed.

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

/// Most bytes of a refused body read and discarded before the answer.
const DRAIN_MAX_BYTES: u64 = 64 << 20;
/// Longest time spent reading them.
const DRAIN_MAX_TIME: Duration = Duration::from_secs(10);

type Leftover = Arc<Mutex<Option<Body>>>;

/// The request body, handing what the handler did not read back to the middleware when dropped.
struct Tracked {
    inner: Option<Body>,
    leftover: Leftover,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.get_mut().inner.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.as_ref().map(HttpBody::size_hint).unwrap_or_else(|| SizeHint::with_exact(0))
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Some(body) = self.inner.take().filter(|b| !b.is_end_stream()) {
            if let Ok(mut slot) = self.leftover.lock() {
                *slot = Some(body);
            }
        }
    }
}

/// Middleware: runs the request, then reads and discards what the handler left of its body.
pub async fn linger(req: Request, next: Next) -> Response {
    let leftover: Leftover = Arc::default();
    let slot = leftover.clone();
    let req = req.map(|body| Body::new(Tracked { inner: Some(body), leftover: slot }));
    let mut response = next.run(req).await;
    let unread = leftover.lock().ok().and_then(|mut s| s.take());
    if let Some(body) = unread {
        let drained = tokio::time::timeout(DRAIN_MAX_TIME, drain(body)).await.unwrap_or(false);
        if !drained {
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
    }
    response
}

/// Reads `body` to its end, up to [`DRAIN_MAX_BYTES`]; true when the end was reached.
async fn drain(mut body: Body) -> bool {
    use http_body_util::BodyExt;
    let mut read = 0u64;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return false };
        read += frame.data_ref().map_or(0, |d| d.len() as u64);
        if read > DRAIN_MAX_BYTES {
            return false;
        }
    }
    true
}
