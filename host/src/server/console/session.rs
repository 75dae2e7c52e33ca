//! Console sessions: a random token in an HttpOnly, SameSite=Strict cookie; the database keeps
//! only its sha256. The CSRF token of a session is an HMAC of the session token, so it needs no
//! storage and cannot be computed by a page that cannot read the cookie.

use crate::auth::{Caller, Role};
use crate::server::AppState;
use crate::store::{now_ms, sessions, StoreError};
use axum::http::{header, HeaderMap};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const COOKIE: &str = "vivier_session";
/// The sign-in form's double-submit cookie (no session exists yet to bind a token to).
pub const LOGIN_COOKIE: &str = "vivier_connexion";
/// A working day; an administrator signs in again the next morning.
pub const TTL_MS: i64 = 8 * 3600 * 1000;

#[derive(Debug, Clone)]
pub struct Session {
    pub key_id: String,
    pub role: Role,
    pub token_hash: String,
    pub csrf: String,
}

impl Session {
    pub fn caller(&self) -> Caller {
        Caller { key_id: self.key_id.clone(), role: self.role }
    }
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
    pub fn role_fr(&self) -> &'static str {
        match self.role {
            Role::Admin => "administrateur",
            Role::Auditor => "auditeur (lecture seule)",
            Role::Sirh => "SIRH",
        }
    }
    /// Constant-time comparison of a submitted CSRF token.
    pub fn csrf_ok(&self, submitted: Option<&str>) -> bool {
        submitted.is_some_and(|s| constant_eq(s.as_bytes(), self.csrf.as_bytes()))
    }
}

pub fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn csrf_for(token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(token.as_bytes()).expect("HMAC takes any key length");
    mac.update(b"vivier-console-csrf");
    hex::encode(mac.finalize().into_bytes())
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name && !v.is_empty() && v.len() <= 128).then(|| v.to_owned())
    })
}

/// `Set-Cookie` value. `Secure` when the server is configured to be reached over HTTPS only.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}")
}

/// The live session of a request, if its cookie names one.
pub async fn current(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, StoreError> {
    let Some(token) = cookie(headers, COOKIE) else { return Ok(None) };
    let token_hash = crate::auth::hash_key(&token);
    Ok(sessions::find(state.store.pool(), &token_hash, now_ms()).await?.map(|row| Session {
        key_id: row.key_id,
        role: row.role,
        token_hash,
        csrf: csrf_for(&token),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_csrf() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; vivier_session=tok123; b=2".parse().unwrap());
        assert_eq!(cookie(&h, COOKIE).as_deref(), Some("tok123"));
        assert_eq!(cookie(&h, "missing"), None);
        assert_ne!(csrf_for("tok123"), csrf_for("tok124"));
        assert_eq!(csrf_for("tok123"), csrf_for("tok123"));
        let s = Session { key_id: "k".into(), role: Role::Admin, token_hash: "h".into(), csrf: csrf_for("t") };
        assert!(s.csrf_ok(Some(&csrf_for("t"))));
        assert!(!s.csrf_ok(Some("forged")) && !s.csrf_ok(None));
        let c = set_cookie(COOKIE, "v", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("; Secure"));
    }
}
