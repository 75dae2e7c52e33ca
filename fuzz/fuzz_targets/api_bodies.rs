//! Fuzzes the SIRH and admin API's request bodies through the real router, in process, over a
//! real SQLite file and the bundled plugins: JSON bodies of every write route, and multipart
//! uploads. The property: client input never yields a 500 (see `server::error`), and never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower::ServiceExt;
use vivier::auth::Role;
use vivier::server::{self, config::ServerConfig, Shared};

struct Env {
    rt: tokio::runtime::Runtime,
    state: Shared,
    sirh: String,
    admin: String,
    _dir: tempfile::TempDir,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let (state, sirh, admin) = rt.block_on(async {
            let state = server::build_state(dir.path(), ServerConfig::default(), &[]).await.unwrap();
            let (_, sirh) = vivier::auth::create_key(state.store.pool(), Role::Sirh, None).await.unwrap();
            let (_, admin) = vivier::auth::create_key(state.store.pool(), Role::Admin, None).await.unwrap();
            (state, sirh, admin)
        });
        Env { rt, state, sirh, admin, _dir: dir }
    })
}

/// (method, path, content type, admin key?) chosen by the first input byte.
const ROUTES: &[(&str, &str, &str, bool)] = &[
    ("POST", "/v1/cv/parse", "application/json", false),
    ("POST", "/v1/cv/parse", "multipart/form-data; boundary=B", false),
    ("POST", "/v1/rankings", "application/json", false),
    ("POST", "/v1/postings/draft", "application/json", false),
    ("POST", "/v1/postings/lint", "application/json", false),
    ("POST", "/v1/decisions", "application/json", false),
    ("PUT", "/v1/candidates/c-unknown/monitoring", "application/json", false),
    ("PUT", "/v1/admin/slots/skills-matcher/active", "application/json", true),
    ("PUT", "/v1/admin/slots/cv-parser/policy", "application/json", true),
    ("POST", "/v1/admin/keys", "application/json", true),
    ("POST", "/v1/admin/plugins", "application/zip", true),
    ("PUT", "/v1/admin/slots/skills-matcher/shadow", "application/json", true),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let (method, path, content_type, admin) = ROUTES[pick as usize % ROUTES.len()];
    let env = env();
    let key = if admin { &env.admin } else { &env.sirh };
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", content_type)
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::from(body.to_vec()))
        .unwrap();
    let status = env.rt.block_on(async {
        let resp = server::router(env.state.clone()).oneshot(req).await.unwrap();
        let status = resp.status();
        let text = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap_or_default();
        if status.is_server_error() && status.as_u16() != 502 && status.as_u16() != 503 && status.as_u16() != 504 {
            panic!("{method} {path} gave {status}: {}", String::from_utf8_lossy(&text));
        }
        status
    });
    let _ = status;
});
