//! The French admin console in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed here when missing), driven over WebDriver with fantoccini,
//! against a real `vivier serve` and SQLite file. Every page is checked with axe-core (fetched
//! from the npm registry once, cached outside the repository) and photographed into
//! `target/e2e-artifacts/`.

mod server;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use server::*;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn run(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null()).stderr(Stdio::inherit()).status().is_ok_and(|s| s.success())
}

/// Installs Chromium and its WebDriver with apt-get when either is missing.
fn ensure_chromium() {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return;
    }
    let install = || {
        run(Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"))
    };
    if !install() {
        assert!(run(Command::new("apt-get").arg("update")), "apt-get update failed");
        assert!(install(), "apt-get install chromium chromium-driver failed");
    }
    assert!(Path::new(CHROMEDRIVER).exists(), "{CHROMEDRIVER} is still missing after the install");
}

/// axe-core 4 from the npm registry, cached in `~/.cache/vivier/axe`.
fn axe_source() -> String {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let dir = PathBuf::from(std::env::var("XDG_CACHE_HOME").unwrap_or(format!("{home}/.cache"))).join("vivier/axe");
    let js = dir.join("package/axe.min.js");
    if !js.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        assert!(
            run(Command::new("npm")
                .args(["pack", "axe-core@4", "--silent", "--pack-destination"])
                .arg(&dir)
                .current_dir(&dir)),
            "npm pack axe-core@4 failed"
        );
        let tgz = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "tgz"))
            .expect("npm pack left a .tgz");
        assert!(run(Command::new("tar").arg("-xzf").arg(&tgz).arg("-C").arg(&dir).arg("package/axe.min.js")));
    }
    std::fs::read_to_string(js).unwrap()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn browser() -> (Driver, Client) {
    ensure_chromium();
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let caps = json!({ "goog:chromeOptions": { "binary": CHROMIUM, "args": [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1800", "--lang=fr-FR"
    ] } });
    let caps = caps.as_object().unwrap().clone();
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session opens");
    (driver, client)
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page, asserts no violation, and
/// saves a screenshot.
async fn check_page(c: &Client, axe: &str, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(artifacts().join(format!("{name}.png")), png).unwrap();
    // Evaluated by the driver, not as a page script: the console's CSP forbids scripts.
    let loaded = c.execute(&format!("{axe}\n;return typeof window.axe;"), vec![]).await.unwrap();
    assert_eq!(loaded, "object");
    let out = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })\
               .then(r => done({ ok: true, v: r.violations.map(v => v.id + ': ' + v.help + ' [' + v.nodes.map(n => n.target.join(' ')).join(' | ') + ']') }))\
               .catch(e => done({ ok: false, v: [String(e)] }));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(out["ok"], true, "axe did not run on {name}: {out}");
    assert_eq!(out["v"], json!([]), "accessibility violations on {name}");
}

async fn path_of(c: &Client) -> String {
    let u = c.current_url().await.unwrap();
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_owned(),
    }
}

/// The page's path once the navigation a click started has landed on `expected` (a form whose
/// handler loads a plugin can take a while), or the path it stayed on after a minute.
async fn arrive_at(c: &Client, expected: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let path = path_of(c).await;
        if path == expected || std::time::Instant::now() > deadline {
            return path;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Clicks what `css` names and waits until the page it leads to has loaded: WebDriver's click
/// may return while a form's answer is still on its way.
async fn click_through(c: &Client, css: &str) {
    c.execute("window.__vivierBeforeClick = true;", vec![]).await.unwrap();
    c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let loaded = c
            .execute("return window.__vivierBeforeClick === undefined && document.readyState === 'complete';", vec![])
            .await;
        if matches!(loaded, Ok(serde_json::Value::Bool(true))) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no page loaded within a minute after clicking {css}");
}

async fn body_text(c: &Client) -> String {
    c.find(Locator::Css("body")).await.unwrap().text().await.unwrap()
}

async fn sign_in(c: &Client, s: &Server, key: &str) {
    c.goto(&s.url("/admin")).await.unwrap();
    assert_eq!(path_of(c).await, "/admin/connexion");
    c.find(Locator::Id("cle")).await.unwrap().send_keys(key).await.unwrap();
    click_through(c, "main form button[type=submit]").await;
    assert_eq!(arrive_at(c, "/admin/modules").await, "/admin/modules");
}

/// The confirmation link of an action, then its confirm button.
async fn act(c: &Client, href_parts: &[&str]) {
    let sel: String = href_parts.iter().map(|p| format!("[href*=\"{p}\"]")).collect();
    click_through(c, &format!("a{sel}")).await;
    assert!(path_of(c).await.starts_with("/admin/confirmer"));
    click_through(c, "form[action=\"/admin/actions\"] button[type=submit]").await;
}

/// A form POST with an explicit cookie and no redirect following: what a forged request sends.
fn forged_post(url: &str, cookie: &str, body: &str) -> (u16, String) {
    let agent = ureq::AgentBuilder::new().redirects(0).timeout(Duration::from_secs(60)).build();
    let r = agent
        .post(url)
        .set("Cookie", cookie)
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(body);
    match r {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("transport error: {e}"),
    }
}

async fn session_cookie(c: &Client) -> String {
    let cookie = c.get_named_cookie("vivier_session").await.expect("a session cookie is set");
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(format!("{:?}", cookie.same_site()), "Some(Strict)");
    format!("vivier_session={}", cookie.value())
}

fn slot(s: &Server, admin: &str, name: &str) -> Value {
    let slots = get(&s.url("/v1/admin/slots"), Some(admin)).json();
    slots["slots"].as_array().unwrap().iter().find(|x| x["slot"] == name).unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_end_to_end() {
    let axe = axe_source();
    let dir = tempfile::tempdir().unwrap();
    let admin = create_key(dir.path(), "admin");
    let auditor = create_key(dir.path(), "auditor");
    let sirh = create_key(dir.path(), "sirh");
    let s = Server::start(dir.path());
    let (bundle_path, digest) = republished_matcher(dir.path(), "9.9.0");
    let spec = "vivier-matcher-lexical@9.9.0";
    let (_driver, c) = browser().await;

    // Sign-in page, then the Modules page.
    c.goto(&s.url("/admin/modules")).await.unwrap();
    assert_eq!(path_of(&c).await, "/admin/connexion", "pages need a session");
    check_page(&c, &axe, "01-connexion").await;
    c.find(Locator::Id("cle")).await.unwrap().send_keys(&sirh).await.unwrap();
    click_through(&c, "main form button[type=submit]").await;
    assert!(body_text(&c).await.contains("Seules les clés administrateur et auditeur"), "a SIRH key opens no session");
    sign_in(&c, &s, &admin).await;
    check_page(&c, &axe, "02-modules").await;
    let text = body_text(&c).await;
    assert!(text.contains("Comparaison aux critères de l'offre") && text.contains("vivier-cv-parser"), "{text}");

    // Upload a bundle: it is installed, not active.
    c.find(Locator::Id("paquet")).await.unwrap().send_keys(bundle_path.to_str().unwrap()).await.unwrap();
    c.find(Locator::Id("confirmation")).await.unwrap().click().await.unwrap();
    click_through(&c, "form[action=\"/admin/modules/installer\"] button").await;
    assert_eq!(arrive_at(&c, "/admin/modules?fait=installer").await, "/admin/modules?fait=installer");
    let text = body_text(&c).await;
    assert!(text.contains("Le module a été installé") && text.contains(spec) && text.contains(&digest), "{text}");
    assert_ne!(slot(&s, &admin, "skills-matcher")["active"], spec);

    // Make it active, through the confirmation page.
    click_through(&c, &format!("a[href*=\"rendre-actif\"][href*=\"{spec}\"]")).await;
    assert!(path_of(&c).await.starts_with("/admin/confirmer"));
    check_page(&c, &axe, "03-confirmation").await;
    assert_ne!(slot(&s, &admin, "skills-matcher")["active"], spec, "the confirmation page changes nothing");
    click_through(&c, "form[action=\"/admin/actions\"] button[type=submit]").await;
    assert_eq!(arrive_at(&c, "/admin/modules?fait=rendre-actif").await, "/admin/modules?fait=rendre-actif");
    assert_eq!(slot(&s, &admin, "skills-matcher")["active"], spec);

    // SIRH traffic on the new plugin, and a decision against its ranking.
    let a = parse(&s, &sirh, "fr-redactrice-territoriale.txt")["candidate_id"].as_str().unwrap().to_owned();
    let b = parse(&s, &sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    let body = json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": [a, b] });
    let ranking = post_json(&s.url("/v1/rankings"), Some(&sirh), &body);
    assert_eq!(ranking.status, 200, "{}", ranking.text);
    let ranking = ranking.json();
    assert_eq!(ranking["plugin"]["version"], "9.9.0");
    let last = ranking["candidates"].as_array().unwrap().iter().find(|c| c["rank"] == 2).expect("two ranked")
        ["candidate_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = json!({ "candidate_id": last, "posting_id": ranking["posting_id"], "decision": "interview", "recruiter_id": "agent-7", "trace_ids": [ranking["trace_id"]] });
    assert_eq!(post_json(&s.url("/v1/decisions"), Some(&sirh), &d).status, 201);

    // Journal: the activation is there, under the admin key, and the chain verifies.
    c.goto(&s.url("/admin/journal?resultat=admin")).await.unwrap();
    check_page(&c, &axe, "04-journal").await;
    let text = body_text(&c).await;
    assert!(text.contains("Chaîne d'audit vérifiée"), "{text}");
    assert!(
        text.contains("admin.slot.activate") && text.contains(spec) && text.contains("admin.plugin.install"),
        "{text}"
    );
    assert!(!text.contains("plugin.call"), "the admin filter leaves calls out");
    c.goto(&s.url("/admin/journal?usage=cv-parser&resultat=ok")).await.unwrap();
    let text = body_text(&c).await;
    assert!(text.contains("vivier-cv-parser") && !text.contains("admin.slot.activate"), "{text}");
    c.goto(&s.url("/admin/journal?du=2024-02-30")).await.unwrap();
    assert!(body_text(&c).await.contains("n'est pas une date"));

    // Activité: the calls of the new plugin and the decision against the ranking.
    c.goto(&s.url("/admin/activite")).await.unwrap();
    check_page(&c, &axe, "05-activite").await;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for r in c.find_all(Locator::Css("table tbody tr")).await.unwrap() {
        let mut cells = Vec::new();
        for td in r.find_all(Locator::Css("td")).await.unwrap() {
            cells.push(td.text().await.unwrap().trim().to_owned());
        }
        rows.push(cells);
    }
    let calls =
        rows.iter().find(|r| r.len() == 7 && r[1] == spec).unwrap_or_else(|| panic!("no row for {spec}: {rows:?}"));
    assert!(calls[2].parse::<u64>().unwrap() >= 1 && calls[3].starts_with("0 "), "{calls:?}");
    let human = rows.iter().find(|r| r.len() == 5).unwrap_or_else(|| panic!("no decision row: {rows:?}"));
    assert_eq!(human[1..], ["1", "1", "1", "1 (100 %)"], "one ranking, one decision, against it: {rows:?}");
    assert_eq!(c.find_all(Locator::Css("svg[role=img]")).await.unwrap().len(), 2);

    // Stop the slot: the SIRH's next call fails closed.
    c.goto(&s.url("/admin/modules")).await.unwrap();
    act(&c, &["action=arreter", "slot=skills-matcher"]).await;
    assert_eq!(arrive_at(&c, "/admin/modules?fait=arreter").await, "/admin/modules?fait=arreter");
    let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &body);
    assert_error(&r, 503, None);
    assert_eq!(r.json()["error"]["code"], "slot_stopped");

    // Forms without the CSRF token, or with a wrong one, are refused.
    let cookie = session_cookie(&c).await;
    let (status, _) = forged_post(&s.url("/admin/actions"), &cookie, "action=relancer&slot=skills-matcher");
    assert_eq!(status, 403);
    let (status, _) = forged_post(&s.url("/admin/actions"), &cookie, "csrf=0000&action=relancer&slot=skills-matcher");
    assert_eq!(status, 403);
    assert_eq!(slot(&s, &admin, "skills-matcher")["stopped"], true);

    // Sign out: the session is gone, its cookie opens nothing.
    click_through(&c, "form[action=\"/admin/deconnexion\"] button").await;
    assert_eq!(arrive_at(&c, "/admin/connexion").await, "/admin/connexion");
    let (status, _) = forged_post(&s.url("/admin/actions"), &cookie, "action=relancer&slot=skills-matcher");
    assert_eq!(status, 401);

    // An auditor sees the pages, no action, and a forged POST with a valid token is refused.
    sign_in(&c, &s, &auditor).await;
    check_page(&c, &axe, "06-modules-auditeur").await;
    assert!(body_text(&c).await.contains(spec));
    assert!(c.find_all(Locator::Css("a[href^=\"/admin/confirmer\"]")).await.unwrap().is_empty());
    assert!(c.find_all(Locator::Css("form[action=\"/admin/modules/installer\"]")).await.unwrap().is_empty());
    let forms = c.find_all(Locator::Css("form")).await.unwrap();
    assert_eq!(forms.len(), 1, "only the sign-out form");
    let csrf = c.find(Locator::Css("input[name=csrf]")).await.unwrap().attr("value").await.unwrap().unwrap();
    let cookie = session_cookie(&c).await;
    let (status, text) =
        forged_post(&s.url("/admin/actions"), &cookie, &format!("csrf={csrf}&action=relancer&slot=skills-matcher"));
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("lecture seule"));
    assert_eq!(slot(&s, &admin, "skills-matcher")["stopped"], true);
    c.goto(&s.url("/admin/confirmer?action=relancer&slot=skills-matcher")).await.unwrap();
    assert!(body_text(&c).await.contains("aucune action n'est possible"));
    c.goto(&s.url("/admin/journal")).await.unwrap();
    assert!(body_text(&c).await.contains("admin.slot.stop"));

    // The public register, without a session: the stopped slot says so.
    let r = get(&s.url("/registre"), None);
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    assert!(
        r.text.contains("Registre public des algorithmes") && r.text.contains(&digest) && r.text.contains("suspendu")
    );
    assert!(r.text.contains("CADA"), "the mention explicite is on the page");
    c.goto(&s.url("/registre")).await.unwrap();
    check_page(&c, &axe, "07-registre").await;
    let json = get(&s.url("/v1/reports/register"), None).json();
    let matcher =
        json["processings"].as_array().unwrap().iter().find(|p| p["slot"] == "skills-matcher").unwrap().clone();
    assert_eq!(matcher["module"]["version"], "9.9.0");
    assert_eq!(matcher["in_service"], false);
    let md = get(&s.url("/v1/reports/register?format=markdown"), None);
    assert!(md.content_type.starts_with("text/markdown") && md.text.starts_with("# Registre public"), "{}", md.text);
    assert_error(&get(&s.url("/v1/reports/register?format=pdf"), None), 422, Some("format"));

    let (ok, v) = audit_verify(dir.path());
    assert!(ok, "{v}");
    c.close().await.unwrap();
}
