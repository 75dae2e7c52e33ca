//! Per-key rate limit: each API key gets `rate_limit_per_minute` requests per fixed minute
//! window. Every authenticated answer carries the IETF `RateLimit-Policy` and `RateLimit` headers
//! (draft-ietf-httpapi-ratelimit-headers); beyond the quota, 429 with `Retry-After`. One SIRH
//! key in a loop then slows itself, not the other keys (the global admission queue of plugin
//! calls stays behind this).

use axum::http::{HeaderMap, HeaderValue};
use std::collections::HashMap;
use std::sync::Mutex;

pub const WINDOW_SECS: u64 = 60;
/// At most this many keys are tracked; the oldest windows are dropped first (keys are created
/// by administrators, so this is never reached in practice).
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset_secs: u64,
}

impl Quota {
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        let policy = format!("\"per-key\";q={};w={WINDOW_SECS}", self.limit);
        let state = format!("\"per-key\";r={};t={}", self.remaining, self.reset_secs);
        for (name, value) in [("ratelimit-policy", policy), ("ratelimit", state)] {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(name, v);
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    /// Key id → (window number, requests counted in it).
    windows: Mutex<HashMap<String, (u64, u32)>>,
}

impl RateLimiter {
    /// Counts one request of `key_id` at `now_secs`: `Ok` with what is left, `Err` when the quota
    /// of the window is spent. A `limit` of 0 turns the limit off.
    pub fn check(&self, key_id: &str, limit: u32, now_secs: u64) -> Result<Option<Quota>, Quota> {
        if limit == 0 {
            return Ok(None);
        }
        let window = now_secs / WINDOW_SECS;
        let reset_secs = WINDOW_SECS - now_secs % WINDOW_SECS;
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= MAX_TRACKED && !windows.contains_key(key_id) {
            windows.retain(|_, (w, _)| *w == window);
        }
        let entry = windows.entry(key_id.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        if entry.1 >= limit {
            return Err(Quota { limit, remaining: 0, reset_secs });
        }
        entry.1 += 1;
        Ok(Some(Quota { limit, remaining: limit - entry.1, reset_secs }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_its_own_window() {
        let r = RateLimiter::default();
        assert_eq!(r.check("a", 2, 120).unwrap().unwrap().remaining, 1);
        assert_eq!(r.check("a", 2, 121).unwrap().unwrap().remaining, 0);
        let refused = r.check("a", 2, 150).unwrap_err();
        assert_eq!((refused.remaining, refused.reset_secs), (0, 30));
        assert!(r.check("b", 2, 150).is_ok(), "another key is not slowed");
        assert_eq!(r.check("a", 2, 180).unwrap().unwrap().remaining, 1, "a new window");
        assert_eq!(r.check("a", 0, 180), Ok(None));
    }
}
