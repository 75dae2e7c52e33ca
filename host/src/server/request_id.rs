//! Request correlation: the `X-Request-Id` a client sends (or one generated here) is returned on
//! every answer and written, with the W3C `traceparent` trace id, into the audit rows the request
//! produces — so an SIRH's log line, an error body and an audit record can be matched.

use crate::audit::RequestContext;
use crate::store::new_id;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub const REQUEST_ID: &str = "x-request-id";
pub const TRACEPARENT: &str = "traceparent";
/// Longest request id accepted from a client.
pub const MAX_REQUEST_ID: usize = 128;

/// A client's request id, when it is a bounded opaque token (else the server makes one: a
/// caller's free text never reaches the audit log).
fn client_request_id(req: &Request) -> Option<String> {
    let v = req.headers().get(REQUEST_ID)?.to_str().ok()?.trim();
    let ok = !v.is_empty()
        && v.len() <= MAX_REQUEST_ID
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| v.to_owned())
}

/// The trace id of a valid W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`, ids not all zero).
pub fn trace_id_of(traceparent: &str) -> Option<String> {
    let parts: Vec<&str> = traceparent.trim().split('-').collect();
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    match parts.as_slice() {
        [version, trace, parent, flags, ..]
            if hex(version, 2)
                && *version != "ff"
                && (parts.len() == 4 || *version != "00")
                && hex(trace, 32)
                && hex(parent, 16)
                && hex(flags, 2)
                && !zero(trace)
                && !zero(parent) =>
        {
            Some((*trace).to_owned())
        }
        _ => None,
    }
}

pub async fn correlate(mut req: Request, next: Next) -> Response {
    let request_id = client_request_id(&req).unwrap_or_else(|| new_id("req"));
    let trace_id = req.headers().get(TRACEPARENT).and_then(|v| v.to_str().ok()).and_then(trace_id_of);
    let ctx = RequestContext { request_id: request_id.clone(), trace_id };
    req.extensions_mut().insert(ctx.clone());
    let mut response = crate::audit::REQUEST.scope(ctx, next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::trace_id_of;

    #[test]
    fn traceparent_follows_w3c() {
        let ok = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(trace_id_of(ok).as_deref(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
        for bad in [
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "<script>",
        ] {
            assert_eq!(trace_id_of(bad), None, "{bad}");
        }
        // A later version may add fields.
        assert!(trace_id_of("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xyz").is_some());
    }
}
