//! The property each fuzz target checks, one function per target. Shared by the fuzz targets
//! (`fuzz/fuzz_targets/*.rs`) and by the regression test that replays every input the fuzzers
//! once crashed on (`tests/fuzz_regressions.rs`): a fixed crash stays fixed.
//!
//! Every function panics when, and only when, the property is broken.

use std::sync::OnceLock;
use tower::ServiceExt;
use vivier::auth::Role;
use vivier::model::DraftRequest;
use vivier::server::{self, config::ServerConfig, Shared};

/// The whole parsing core, natively: format detection, PDF (lopdf + interpreter + layout),
/// DOCX/ODT (zip + XML), text decoding and the section parsers. Bad input must come back as a
/// typed `ParseError`. The first byte picks the declared type, so that the text path is reached
/// as well as the binary ones (the content still decides for PDF and ZIP).
pub fn parse_document(data: &[u8]) {
    let (name, media) = match data.first().map(|b| b % 4) {
        Some(0) => ("cv.pdf", "application/pdf"),
        Some(1) => ("cv.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        Some(2) => ("cv.md", "text/markdown"),
        _ => ("cv.txt", "text/plain"),
    };
    let _ = vivier_cv_parser::parse_document(name, media, data.get(1..).unwrap_or_default());
}

/// The bundle reader an administrator's upload goes through: zip archive (entry count, sizes,
/// names, compression), manifest, component digest and signature. Bad bytes must come back as a
/// `BundleError`, never a decompression that outgrows the limits.
pub fn bundle_archive(data: &[u8]) {
    if let Ok(bundle) = vivier::bundle::Bundle::read_zip(std::io::Cursor::new(data)) {
        let _ = bundle.check_signature(&[]);
    }
}

/// `vivier-plugin.toml` parsing and validation: whatever a vendor writes, a typed
/// `ManifestError` or a manifest that validates and round-trips through TOML.
pub fn manifest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(manifest) = vivier::manifest::Manifest::parse(text) {
        let again = vivier::manifest::Manifest::parse(&manifest.to_toml()).expect("a parsed manifest re-parses");
        assert_eq!(again.to_toml(), manifest.to_toml());
    }
}

fn draft_request() -> &'static DraftRequest {
    static REQUEST: OnceLock<DraftRequest> = OnceLock::new();
    REQUEST.get_or_init(|| {
        serde_json::from_str(include_str!("../../tests/fixtures/conformance/draft-request.json"))
            .expect("the conformance draft request parses")
    })
}

/// The job-ad linter (discriminatory wording, missing mentions, F/H, accessibility) on any
/// Markdown a recruiter or a drafter could produce, with and without the posting's request.
pub fn ad_linter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (title, body) = vivier::lint::split_title(&text);
    let _ = vivier::lint::lint_ad(&title, body, None);
    let _ = vivier::lint::lint_ad(&title, body, Some(draft_request()));
    let _ = vivier::lint::lint_draft(draft_request(), &title, body);
}

struct ApiEnv {
    rt: tokio::runtime::Runtime,
    state: Shared,
    sirh: String,
    admin: String,
    _dir: tempfile::TempDir,
}

fn api_env() -> &'static ApiEnv {
    static ENV: OnceLock<ApiEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
        let (state, sirh, admin) = rt.block_on(async {
            let state = server::build_state(dir.path(), ServerConfig::default(), &[]).await.expect("server state");
            let (_, sirh) = vivier::auth::create_key(state.store.pool(), Role::Sirh, None).await.expect("key");
            let (_, admin) = vivier::auth::create_key(state.store.pool(), Role::Admin, None).await.expect("key");
            (state, sirh, admin)
        });
        ApiEnv { rt, state, sirh, admin, _dir: dir }
    })
}

/// Builds the API's state before fuzzing starts: compiling the bundled plugins takes seconds
/// (far more with debug assertions), which libFuzzer would otherwise count as the first input's
/// time and report as a hang.
pub fn api_warm_up() {
    api_env();
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

/// The SIRH and admin API's request bodies through the real router, in process, over a real
/// SQLite file and the bundled plugins: JSON bodies of every write route, and multipart uploads.
/// Client input never yields a 500 (see `server::error`); 502/503/504 name a plugin or storage
/// failure and are allowed.
pub fn api_bodies(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else { return };
    let (method, path, content_type, admin) = ROUTES[pick as usize % ROUTES.len()];
    let env = api_env();
    let key = if admin { &env.admin } else { &env.sirh };
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", content_type)
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::from(body.to_vec()))
        .expect("request");
    env.rt.block_on(async {
        let resp = server::router(env.state.clone()).oneshot(req).await.expect("the router is infallible");
        let status = resp.status();
        let text = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap_or_default();
        if status.is_server_error() && ![502, 503, 504].contains(&status.as_u16()) {
            panic!("{method} {path} gave {status}: {}", String::from_utf8_lossy(&text));
        }
    });
}
