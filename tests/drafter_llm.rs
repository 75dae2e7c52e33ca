//! The LLM drafter, a real component, against a small OpenAI-compatible mock server on
//! loopback started by the test: granted and ungranted endpoints, slow, malformed, huge and
//! refused responses, and the API key injected by the host.

mod common;
mod server;

use common::{component, components_dir};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vivier::bundle::{Bundle, SignatureStatus};
use vivier::drafting::{self, GeneratedBy};
use vivier::grants::AdminGrants;
use vivier::manifest::Manifest;
use vivier::model::{DraftError, DraftRequest};
use vivier::runtime::{LoadedPlugin, PluginError};
use vivier::{Runtime, RuntimeConfig};

const AD: &str = "# Agent d'accueil (F/H)\n\nFonction publique territoriale, vacance de poste. Nous cherchons une personne jeune et dynamique.";

/// What the mock server saw of one request.
#[derive(Debug, Clone, Default)]
struct Seen {
    path: String,
    authorization: Option<String>,
    body: String,
}

/// A one-thread HTTP/1.1 server; the path prefix chooses the behaviour.
struct MockLlm {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// The behaviour of the `/switch/` prefix, changed while a server uses it.
    mode: Arc<Mutex<String>>,
}

impl MockLlm {
    fn start() -> MockLlm {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mode = Arc::new(Mutex::new("ok".to_owned()));
        let (log, current) = (seen.clone(), mode.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, current) = (log.clone(), current.clone());
                std::thread::spawn(move || serve(stream, &log, &current));
            }
        });
        MockLlm { port, seen, mode }
    }
    fn base(&self, mode: &str) -> String {
        format!("http://127.0.0.1:{}/{mode}/v1", self.port)
    }
}

fn serve(mut stream: TcpStream, log: &Mutex<Vec<Seen>>, current: &Mutex<String>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (mut length, mut authorization) = (0usize, None);
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        let (k, v) = h.split_once(':').unwrap_or((&h, ""));
        match k.to_ascii_lowercase().as_str() {
            "content-length" => length = v.trim().parse().unwrap_or(0),
            "authorization" => authorization = Some(v.trim().to_owned()),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    log.lock().unwrap().push(Seen { path: path.clone(), authorization, body: String::from_utf8_lossy(&body).into() });
    let ok = serde_json::json!({"choices": [{"message": {"role": "assistant", "content": AD}}]}).to_string();
    let mut mode = path.split('/').nth(1).unwrap_or("").to_owned();
    if mode == "switch" {
        mode = current.lock().unwrap().clone();
    }
    let (status, payload) = match mode.as_str() {
        // The endpoint dies mid-request: the connection closes without an answer.
        "drop" => return,
        "ok" => ("200 OK", ok),
        // Takes the request and never answers.
        "hang" => {
            std::thread::sleep(Duration::from_secs(120));
            return;
        }
        "slow" => {
            std::thread::sleep(Duration::from_secs(5));
            ("200 OK", ok)
        }
        "malformed" => ("200 OK", "{\"choices\": [ not json".to_owned()),
        "huge" => ("200 OK", format!("{{\"choices\":[{{\"message\":{{\"content\":\"{}\"}}}}]}}", "a".repeat(3 << 20))),
        "error" => ("500 Internal Server Error", "{\"error\":\"overloaded\"}".to_owned()),
        _ => ("404 Not Found", String::new()),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{payload}",
        payload.len()
    );
}

fn request() -> DraftRequest {
    serde_json::from_str(include_str!("fixtures/conformance/draft-request.json")).unwrap()
}

/// The LLM drafter loaded with an administrator's grants file.
fn load(rt: &Runtime, grants_toml: &str, timeout_ms: u32) -> LoadedPlugin {
    std::env::set_var("VIVIER_TEST_LLM_KEY", "sk-test-secret");
    let mut manifest =
        Manifest::parse(&std::fs::read_to_string(components_dir().join("vivier-drafter-llm.toml")).unwrap()).unwrap();
    manifest.capabilities.timeout_ms = timeout_ms;
    let bundle = Bundle::pack(manifest.clone(), component("vivier-drafter-llm"), None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("grants")).unwrap();
    std::fs::write(dir.path().join("grants/vivier-drafter-llm.toml"), grants_toml).unwrap();
    let grants = AdminGrants::load(dir.path(), "vivier-drafter-llm").unwrap().to_plugin_grants(&manifest).unwrap();
    rt.load(&bundle, SignatureStatus::Unsigned, grants).expect("the LLM drafter loads")
}

fn grants(mock: &MockLlm, mode: &str, outbound: &str) -> String {
    format!(
        "outbound = [{outbound:?}]\napi-key-env = \"VIVIER_TEST_LLM_KEY\"\n[config]\nbase-url = {:?}\nmodel = \"mock-7b\"\n",
        mock.base(mode)
    )
}

fn granted(mock: &MockLlm) -> String {
    format!("POST http://127.0.0.1:{}/=127.0.0.1", mock.port)
}

fn upstream(result: Result<Result<vivier::model::JobAd, DraftError>, PluginError>) -> String {
    match result {
        Ok(Err(DraftError::Upstream(m))) => m,
        other => panic!("expected an upstream error, got {other:?}"),
    }
}

fn http_log(report: &vivier::runtime::CallReport) -> Vec<serde_json::Value> {
    report.log.iter().filter(|e| e.source == "http").map(|e| serde_json::from_str(&e.message).unwrap()).collect()
}

#[test]
fn a_granted_endpoint_drafts_with_the_host_secret_and_the_ad_is_linted_and_marked_ai() {
    let mock = MockLlm::start();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let plugin = load(&rt, &grants(&mock, "ok", &granted(&mock)), 10_000);
    let inv = rt.draft(&plugin, &request());
    let ad = inv.result.clone().expect("no fault").expect("drafted");
    assert!(ad.markdown.starts_with("# Agent d'accueil (F/H)"));
    let seen = mock.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/ok/v1/chat/completions");
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer sk-test-secret"), "the host adds the key");
    assert!(seen[0].body.contains("\"model\":\"mock-7b\"") && seen[0].body.contains("Gestionnaire carrière et paie"));
    assert!(!seen[0].body.contains("sk-test-secret"), "the plugin never had the key");
    // One logged call: host, bytes, duration, status; never the body.
    let calls = http_log(&inv.report);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0]["host"], "127.0.0.1");
    assert_eq!(calls[0]["status"], 200);
    assert_eq!(calls[0]["outcome"], "ok");
    assert!(calls[0]["bytes_received"].as_u64().unwrap() > 50);
    assert!(!inv.report.log.iter().any(|e| e.message.contains("jeune et dynamique")));

    let generated_by = GeneratedBy {
        id: plugin.id().into(),
        version: plugin.version().into(),
        digest: plugin.digest.clone(),
        ai_generated: drafting::is_generative(&plugin),
    };
    let (out, _) = drafting::finish(&request(), ad, generated_by);
    assert!(out.generated_by.ai_generated);
    assert!(out.warnings.iter().any(|w| w.code == "ai-generated" && w.article.contains("art. 50")));
    assert!(out.warnings.iter().any(|w| w.category == "age"), "the host's linter checks the model's text");
    assert!(out.warnings.iter().any(|w| w.code == "missing-mention" && w.excerpt == "application-deadline"));
}

#[test]
fn an_ungranted_endpoint_fails_with_a_typed_error_naming_the_missing_grant() {
    let mock = MockLlm::start();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    // The administrator granted another port only.
    let plugin = load(&rt, &grants(&mock, "ok", "POST http://127.0.0.1:9/=127.0.0.1"), 10_000);
    let inv = rt.draft(&plugin, &request());
    match inv.result {
        Err(PluginError::OutboundDenied { reason, .. }) => {
            assert!(reason.contains(&format!("must grant `http://127.0.0.1:{}`", mock.port)), "{reason}")
        }
        other => panic!("expected outbound_denied, got {other:?}"),
    }
    assert_eq!(inv.report.outcome, "outbound_denied");
    assert!(mock.seen.lock().unwrap().is_empty(), "nothing reached the server");
}

#[test]
fn a_granted_name_resolving_to_an_unpinned_internal_address_is_refused() {
    let mock = MockLlm::start();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    // "localhost" is granted without pinning: it resolves to loopback, an internal address.
    let toml = format!(
        "outbound = [\"POST http://localhost:{}/\"]\n[config]\nbase-url = \"http://localhost:{}/ok/v1\"\nmodel = \"m\"\n",
        mock.port, mock.port
    );
    let plugin = load(&rt, &toml, 10_000);
    match rt.draft(&plugin, &request()).result {
        Err(PluginError::OutboundDenied { reason, .. }) => {
            assert!(reason.contains("localhost resolves to"), "{reason}")
        }
        other => panic!("expected outbound_denied, got {other:?}"),
    }
    assert!(mock.seen.lock().unwrap().is_empty());
}

#[test]
fn malformed_huge_failing_and_refused_answers_are_typed_errors() {
    let mock = MockLlm::start();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();

    let plugin = load(&rt, &grants(&mock, "malformed", &granted(&mock)), 10_000);
    assert!(upstream(rt.draft(&plugin, &request()).result).contains("illisible"));

    let plugin = load(&rt, &grants(&mock, "huge", &granted(&mock)), 10_000);
    let inv = rt.draft(&plugin, &request());
    assert!(http_log(&inv.report)[0]["outcome"] == "too_large", "{:?}", inv.report.log);
    upstream(inv.result);

    let plugin = load(&rt, &grants(&mock, "error", &granted(&mock)), 10_000);
    assert!(upstream(rt.draft(&plugin, &request()).result).contains("500"));

    // A granted endpoint where nothing listens.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let toml = format!(
        "outbound = [\"POST http://127.0.0.1:{port}/=127.0.0.1\"]\n[config]\nbase-url = \"http://127.0.0.1:{port}/v1\"\nmodel = \"m\"\n"
    );
    let plugin = load(&rt, &toml, 10_000);
    let inv = rt.draft(&plugin, &request());
    assert_eq!(http_log(&inv.report)[0]["outcome"], "refused");
    upstream(inv.result);
}

#[test]
fn a_slow_endpoint_is_cut_off_by_the_host() {
    let mock = MockLlm::start();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let plugin = load(&rt, &grants(&mock, "slow", &granted(&mock)), 1500);
    let started = Instant::now();
    let inv = rt.draft(&plugin, &request());
    let elapsed = started.elapsed();
    match &inv.result {
        Ok(Err(DraftError::Upstream(_))) | Err(PluginError::Timeout { .. }) => {}
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(5), "the 5 s answer was not awaited ({elapsed:?})");
    assert_eq!(http_log(&inv.report)[0]["outcome"], "timeout");
}

/// The LLM drafter behind the SIRH API, with the endpoint failing in turn.
#[test]
fn through_the_api_a_slow_dead_or_garbled_llm_is_a_clear_error_and_the_template_drafter_still_works() {
    use serde_json::json;
    let mock = MockLlm::start();
    let dir = tempfile::tempdir().unwrap();
    let (sirh, admin) = (server::create_key(dir.path(), "sirh"), server::create_key(dir.path(), "admin"));
    std::fs::create_dir_all(dir.path().join("grants")).unwrap();
    std::fs::write(dir.path().join("grants/vivier-drafter-llm.toml"), grants(&mock, "switch", &granted(&mock)))
        .unwrap();
    let s = server::Server::start_with(dir.path(), &[("VIVIER_TEST_LLM_KEY", "sk-test-secret")]);
    let mut manifest =
        Manifest::parse(&std::fs::read_to_string(components_dir().join("vivier-drafter-llm.toml")).unwrap()).unwrap();
    manifest.capabilities.timeout_ms = 1500;
    let bundle = Bundle::pack(manifest, component("vivier-drafter-llm"), None).unwrap();
    let zip = dir.path().join("llm.zip");
    bundle.write_zip(&zip).unwrap();
    let up =
        server::post_raw(&s.url("/v1/admin/plugins"), Some(&admin), "application/zip", &std::fs::read(&zip).unwrap());
    assert_eq!(up.status, 201, "{}", up.text);
    let activate = |id: &str| {
        let r =
            server::put_json(&s.url("/v1/admin/slots/posting-drafter/active"), Some(&admin), &json!({ "plugin": id }));
        assert_eq!(r.status, 200, "{}", r.text);
    };
    activate("vivier-drafter-llm");
    let draft =
        || server::post_json(&s.url("/v1/postings/draft"), Some(&sirh), &server::fixture_json("draft-request.json"));

    let r = draft();
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["generated_by"]["ai_generated"], true, "{}", r.text);

    for (mode, statuses, says) in [
        ("slow", &[502, 504][..], "délai"),
        ("malformed", &[502][..], "illisible"),
        ("drop", &[502][..], "sans répondre"),
    ] {
        *mock.mode.lock().unwrap() = mode.to_owned();
        let r = draft();
        assert!(statuses.contains(&r.status), "{mode}: {} {}", r.status, r.text);
        let e = server::assert_error(&r, r.status, None);
        assert_eq!(e["error"]["code"], "plugin_failed", "{mode}: {e}");
        assert!(e["error"]["trace_id"].as_str().is_some(), "{mode}: the SIRH can quote the call: {e}");
        let message = e["error"]["message"].as_str().unwrap().to_lowercase();
        assert!(r.status == 504 || message.contains(says), "{mode}: {message}");
    }

    // The endpoint still down, the administrator switches to the template drafter: drafts work.
    activate("vivier-drafter-template");
    let r = draft();
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["generated_by"]["ai_generated"], false, "{}", r.text);
}

// --- Hostile plugins of the network world: the deadline, the caps and the grant's scope hold. ---

fn load_hostile_http(rt: &Runtime, feature: &str, port: u16, grant: &str, path: &str, timeout_ms: u32) -> LoadedPlugin {
    let manifest = common::manifest(
        &format!("hostile-{feature}"),
        "posting-drafter-http",
        64,
        timeout_ms,
        "outbound-hosts = [\"127.0.0.1\"]",
    );
    let bundle = Bundle::pack(manifest.clone(), component(&format!("hostile-{feature}")), None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("grants")).unwrap();
    let toml = format!(
        "outbound = [{grant:?}]\napi-key-env = \"VIVIER_TEST_LLM_KEY\"\n[config]\nauthority = \"127.0.0.1:{port}\"\npath = {path:?}\n"
    );
    std::fs::write(dir.path().join(format!("grants/hostile-{feature}.toml")), toml).unwrap();
    // SAFETY: every test of this file sets the same value.
    unsafe { std::env::set_var("VIVIER_TEST_LLM_KEY", "sk-test-secret") };
    let grants =
        AdminGrants::load(dir.path(), &format!("hostile-{feature}")).unwrap().to_plugin_grants(&manifest).unwrap();
    rt.load(&bundle, SignatureStatus::Unsigned, grants).expect("the hostile drafter loads")
}

#[test]
fn a_plugin_waiting_on_an_endpoint_that_never_answers_ends_at_its_deadline() {
    let mock = MockLlm::start();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let grant = format!("POST http://127.0.0.1:{}/hang/=127.0.0.1", mock.port);
    let plugin = load_hostile_http(&rt, "http-hang", mock.port, &grant, "/hang/v1", 600);
    let inv = rt.draft(&plugin, &request());
    assert!(matches!(inv.result, Err(PluginError::Timeout { limit_ms: 600, .. })), "{:?}", inv.result);
    // Each request may last 80 % of the call's time (so the LLM drafter can fall back before its
    // deadline): a plugin that starts again at once reaches the endpoint a second time, never more.
    let seen = mock.seen.lock().unwrap().len();
    assert!((1..=2).contains(&seen), "{seen} requests reached the endpoint before the deadline");
}

#[test]
fn one_call_cannot_open_more_requests_than_its_caps() {
    let mock = MockLlm::start();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    // An endpoint that takes each request and never answers: whatever reached it is what ran
    // at once.
    let grant = format!("POST http://127.0.0.1:{}/hang/=127.0.0.1", mock.port);
    let plugin = load_hostile_http(&rt, "http-flood", mock.port, &grant, "/hang/v1/chat/completions", 2_000);
    let inv = rt.draft(&plugin, &request());
    match &inv.result {
        Err(PluginError::OutboundDenied { reason, .. }) => {
            assert!(reason.contains("outbound request limit"), "{reason}")
        }
        other => panic!("expected outbound_denied, got {other:?}"),
    }
    let seen = mock.seen.lock().unwrap().len();
    assert!(seen <= 2, "{seen} requests reached the endpoint at once");
}

#[test]
fn requests_outside_the_grants_method_and_path_are_refused_and_never_get_the_secret() {
    let mock = MockLlm::start();
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let grant = format!("POST http://127.0.0.1:{}/ok/v1/chat/completions=127.0.0.1", mock.port);
    let plugin = load_hostile_http(&rt, "http-scope", mock.port, &grant, "/ok/v1/chat/completions", 10_000);
    let inv = rt.draft(&plugin, &request());
    match &inv.result {
        Err(PluginError::OutboundDenied { reason, .. }) => assert!(reason.contains("outside the grants"), "{reason}"),
        other => panic!("expected outbound_denied, got {other:?}"),
    }
    assert!(mock.seen.lock().unwrap().is_empty(), "a request outside the grant reached the endpoint");
    let calls = http_log(&inv.report);
    assert_eq!(calls.len(), 6, "{calls:?}");
    assert!(calls.iter().all(|c| c["outcome"] == "denied"), "{calls:?}");
}
