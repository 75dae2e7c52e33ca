//! Oversight through the API, against a real `vivier serve`: the bias probe at install, the
//! activation gate and its audited override, and shadow evaluation (never changes a response,
//! never leaks a failure, compared in a report).

mod common;
mod server;

use serde_json::{json, Value};
use server::*;
use std::path::Path;
use vivier::bundle::Bundle;

fn bundle_of(dir: &Path, id: &str, component: &str) -> Vec<u8> {
    let manifest = common::manifest(id, "skills-matcher", 128, 10_000, "");
    let bundle = Bundle::pack(manifest, common::component(component), None).unwrap();
    let path = dir.join(format!("{id}.zip"));
    bundle.write_zip(&path).unwrap();
    std::fs::read(path).unwrap()
}

fn upload(s: &Server, admin: &str, bytes: &[u8]) -> Value {
    let r = post_raw(&s.url("/v1/admin/plugins"), Some(admin), "application/zip", bytes);
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

fn activate(s: &Server, admin: &str, body: Value) -> Resp {
    put_json(&s.url("/v1/admin/slots/skills-matcher/active"), Some(admin), &body)
}

fn events(s: &Server, admin: &str, kind: &str) -> Vec<Value> {
    let all = get(&s.url("/v1/audit/events?limit=1000"), Some(admin)).json();
    all["events"].as_array().unwrap().iter().filter(|e| e["kind"] == kind).cloned().collect()
}

#[test]
fn a_biased_matcher_fails_the_probe_and_needs_an_audited_justification() {
    let dir = tempfile::tempdir().unwrap();
    let admin = create_key(dir.path(), "admin");
    let s = Server::start(dir.path());

    let up = upload(&s, &admin, &bundle_of(dir.path(), "biased-matcher", "hostile-biased-gender"));
    assert_eq!(up["bias_probe"]["passed"], false, "{up}");
    assert_eq!(up["bias_probe"]["failed_signals"], json!(["gender"]), "only the gender signal moves: {up}");

    let refused = activate(&s, &admin, json!({ "plugin": "biased-matcher" }));
    let e = assert_error(&refused, 409, None);
    assert_eq!(e["error"]["code"], "bias_probe_failed");
    assert_eq!(e["error"]["details"]["bias_probe"]["passed"], false);
    assert_error(
        &activate(&s, &admin, json!({ "plugin": "biased-matcher", "override_justification": "ok" })),
        422,
        Some("override_justification"),
    );
    let slots = get(&s.url("/v1/admin/slots"), Some(&admin)).json();
    assert!(
        slots["slots"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["slot"] == "skills-matcher" && x["active"] == "vivier-matcher-lexical@0.1.0"),
        "{slots}"
    );
    assert!(events(&s, &admin, "admin.probe.override").is_empty());

    let why = "Expérimentation encadrée : chaque classement est relu par deux agents";
    let ok = activate(&s, &admin, json!({ "plugin": "biased-matcher", "override_justification": why }));
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["active"], "biased-matcher@0.0.1");
    let overrides = events(&s, &admin, "admin.probe.override");
    assert_eq!(overrides.len(), 1);
    let p = &overrides[0]["payload"];
    assert_eq!(p["justification"], why);
    assert_eq!(p["plugin"], "biased-matcher@0.0.1");
    assert_eq!(p["probe"]["passed"], false);
    assert!(p["probe"]["summary"].as_str().unwrap().contains("gender"), "{p}");

    // Rolling back to it passes the same gate: back to the lexical matcher, then a rollback to
    // the biased one is refused without a justification (API and console alike share the rule).
    assert_eq!(activate(&s, &admin, json!({ "plugin": "vivier-matcher-lexical" })).status, 200);
    let rollback = s.url("/v1/admin/slots/skills-matcher/rollback");
    let refused = post_empty(&rollback, Some(&admin));
    assert_eq!(assert_error(&refused, 409, None)["error"]["code"], "bias_probe_failed");
    let why_back = "Retour provisoire encadré : relecture de chaque classement par deux agents";
    let back = post_json(&rollback, Some(&admin), &json!({ "override_justification": why_back }));
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(back.json()["active"], "biased-matcher@0.0.1");
    let overrides = events(&s, &admin, "admin.probe.override");
    assert_eq!(overrides.len(), 2);
    assert!(overrides.iter().any(|o| o["payload"]["justification"] == why_back));
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
}

#[test]
fn a_verdict_holds_for_the_settings_it_ran_with() {
    let dir = tempfile::tempdir().unwrap();
    let admin = create_key(dir.path(), "admin");
    let s = Server::start(dir.path());
    let up = upload(&s, &admin, &bundle_of(dir.path(), "neutral-matcher", "example-matcher"));
    assert_eq!(up["bias_probe"]["passed"], true, "{up}");
    // An administrator changes its settings: the stored verdict no longer applies, and making it
    // active runs the probe again with the new settings.
    std::fs::create_dir_all(dir.path().join("grants")).unwrap();
    std::fs::write(dir.path().join("grants/neutral-matcher.toml"), "[config]\nseuil = \"0.4\"\n").unwrap();
    let runs_before = events(&s, &admin, "admin.probe.run").len();
    let ok = activate(&s, &admin, json!({ "plugin": "neutral-matcher" }));
    assert_eq!(ok.status, 200, "{}", ok.text);
    let runs = events(&s, &admin, "admin.probe.run");
    assert_eq!(runs.len(), runs_before + 1, "a new setting needs a new probe: {runs:?}");
    assert_eq!(runs.last().unwrap()["payload"]["plugin"], "neutral-matcher@0.0.1");
}

#[test]
fn a_neutral_matcher_passes_and_activates_without_justification() {
    let dir = tempfile::tempdir().unwrap();
    let admin = create_key(dir.path(), "admin");
    let s = Server::start(dir.path());
    let up = upload(&s, &admin, &bundle_of(dir.path(), "neutral-matcher", "example-matcher"));
    assert_eq!(up["bias_probe"]["passed"], true, "{up}");
    let ok = activate(&s, &admin, json!({ "plugin": "neutral-matcher" }));
    assert_eq!(ok.status, 200, "{}", ok.text);
    // The bundled lexical matcher was never installed: going back to it probes it first.
    let back = activate(&s, &admin, json!({ "plugin": "vivier-matcher-lexical" }));
    assert_eq!(back.status, 200, "{}", back.text);
    let runs = events(&s, &admin, "admin.probe.run");
    assert!(
        runs.iter().any(|e| e["payload"]["plugin"] == "vivier-matcher-lexical@0.1.0" && e["payload"]["passed"] == true),
        "{runs:?}"
    );
}

fn ranking_body() -> Value {
    let skills = ["paie", "carrière", "DSN", "absences", "Excel", "CIRIL", "statut"];
    let profiles: Vec<Value> = (0..6)
        .map(|i| {
            json!({ "ref": format!("sirh-{i}"), "profile": {
                "headline": if i % 2 == 0 { "Gestionnaire paie" } else { "Technicienne paie" },
                "experiences": [{ "title": "Gestionnaire paie", "description": "Paie et carrière", "current": true,
                                  "start": { "year": 2015 + i, "month": 1 } }],
                "skills": skills[..=i].iter().map(|l| json!({ "label": l, "evidence": [] })).collect::<Vec<_>>(),
                "education": [], "languages": [], "certifications": [], "driving_licences": [], "interests": [],
                "public_service": { "concours": [] }
            }})
        })
        .collect();
    json!({ "posting": fixture_json("job-posting.json"), "profiles": profiles })
}

/// The response without what differs by construction between two calls.
fn stable(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("trace_id");
    v
}

fn shadow_report(s: &Server, admin: &str, runs: usize) -> Value {
    // The shadow runs after the answers: wait until the runs are stored (no timing asserted).
    for _ in 0..600 {
        let r = get(&s.url("/v1/admin/slots/skills-matcher/shadow/report"), Some(admin)).json();
        let total: u64 = r["comparisons"].as_array().unwrap().iter().map(|c| c["runs"].as_u64().unwrap()).sum();
        if total as usize >= runs {
            return r;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the shadow runs were never stored");
}

#[test]
fn shadow_mode_never_changes_a_response_and_is_compared_in_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let admin = create_key(dir.path(), "admin");
    let sirh = create_key(dir.path(), "sirh");
    let s = Server::start(dir.path());
    let body = ranking_body();
    let without: Vec<Value> = (0..3)
        .map(|_| post_json(&s.url("/v1/rankings"), Some(&sirh), &body))
        .map(|r| {
            assert_eq!(r.status, 200, "{}", r.text);
            stable(r.json())
        })
        .collect();

    assert_error(
        &post_json(&s.url("/v1/admin/slots/cv-parser/shadow"), Some(&admin), &json!({ "plugin": "vivier-cv-parser" })),
        422,
        Some("slot"),
    );
    assert_error(
        &post_json(
            &s.url("/v1/admin/slots/skills-matcher/shadow"),
            Some(&admin),
            &json!({ "plugin": "vivier-matcher-lexical" }),
        ),
        409,
        None,
    );

    // A shadow that traps on every call: the SIRH never sees it.
    upload(&s, &admin, &bundle_of(dir.path(), "shadow-panic", "hostile-panic"));
    let a =
        post_json(&s.url("/v1/admin/slots/skills-matcher/shadow"), Some(&admin), &json!({ "plugin": "shadow-panic" }));
    assert_eq!(a.status, 200, "{}", a.text);
    for _ in 0..3 {
        let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &body);
        assert_eq!(r.status, 200, "a shadow failure never reaches the caller: {}", r.text);
        assert_eq!(stable(r.json()), without[0]);
    }
    let report = shadow_report(&s, &admin, 3);
    let c = &report["comparisons"][0];
    assert_eq!(c["shadow"], "shadow-panic@0.0.1");
    assert_eq!(c["shadow_errors"], 3, "{report}");

    // A working shadow: same answers again, and a comparison with figures.
    upload(&s, &admin, &bundle_of(dir.path(), "shadow-example", "example-matcher"));
    let a = post_json(
        &s.url("/v1/admin/slots/skills-matcher/shadow"),
        Some(&admin),
        &json!({ "plugin": "shadow-example" }),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    for _ in 0..4 {
        let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &body);
        assert_eq!(stable(r.json()), without[0], "responses with and without a shadow are identical");
    }
    let report = shadow_report(&s, &admin, 7);
    let c = report["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["shadow"] == "shadow-example@0.0.1")
        .unwrap()
        .clone();
    assert_eq!(c["runs"], 4);
    assert_eq!(c["shadow_errors"], 0);
    let tau = c["kendall_tau_mean"].as_f64().unwrap();
    assert!((-1.0..=1.0).contains(&tau), "{c}");
    assert!(c["top_k_overlap_mean"].as_f64().is_some());
    assert_eq!(c["shadow_bias_probe"]["passed"], true, "{c}");
    assert_eq!(report["attached"]["plugin_ref"], "shadow-example@0.0.1");

    assert_eq!(delete(&s.url("/v1/admin/slots/skills-matcher/shadow"), Some(&admin)).status, 204);
    assert_error(&delete(&s.url("/v1/admin/slots/skills-matcher/shadow"), Some(&admin)), 404, None);
    assert_eq!(events(&s, &admin, "admin.slot.shadow.attach").len(), 2);
    assert_eq!(events(&s, &admin, "admin.slot.shadow.detach").len(), 1);
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
}

/// The console's Modules page, signed in with `key` through the sign-in form.
fn console_modules(s: &Server, key: &str) -> String {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let form = agent.get(&s.url("/admin/connexion")).call().unwrap();
    let login = form.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let html = form.into_string().unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let signed = agent
        .post(&s.url("/admin/connexion"))
        .set("Cookie", &login)
        .send_form(&[("csrf", csrf.as_str()), ("cle", key)])
        .unwrap();
    let session = signed
        .all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with("vivier_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    agent.get(&s.url("/admin/modules")).set("Cookie", &session).call().unwrap().into_string().unwrap()
}

/// At random times the host probes the active matcher again, in the background; a run that
/// fails a signal is recorded per version and raises an alert in the journal and the console.
#[test]
fn the_active_matcher_is_probed_again_in_the_background_and_a_failure_raises_an_alert() {
    let dir = tempfile::tempdir().unwrap();
    let admin = create_key(dir.path(), "admin");
    // A mean of two seconds between runs, for the test (six hours by default).
    let s = Server::start_with(dir.path(), &[("VIVIER_PROBE_EVERY_SECS", "2")]);
    upload(&s, &admin, &bundle_of(dir.path(), "biased-matcher", "hostile-biased-gender"));
    let why = "Test de la sonde continue : le module doit être signalé en arrière-plan";
    let ok = activate(&s, &admin, json!({ "plugin": "biased-matcher", "override_justification": why }));
    assert_eq!(ok.status, 200, "{}", ok.text);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    let alert = loop {
        let alerts = events(&s, &admin, "probe.alert");
        if let Some(a) = alerts.into_iter().find(|a| a["payload"]["plugin"] == "biased-matcher@0.0.1") {
            break a;
        }
        assert!(std::time::Instant::now() < deadline, "no background probe ran");
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    assert_eq!(alert["actor"], "system");
    assert_eq!(alert["payload"]["passed"], false);
    assert!(alert["payload"]["failed_signals"].as_array().unwrap().contains(&json!("gender")), "{alert}");
    let runs = events(&s, &admin, "probe.continuous");
    assert!(runs.iter().any(|r| r["payload"]["plugin"] == "biased-matcher@0.0.1"), "{runs:?}");
    let page = console_modules(&s, &admin);
    assert!(page.contains("Alerte de la sonde de biais continue") && page.contains("biased-matcher"), "{page}");
    // Back to the lexical matcher, which passes: the alert is about the active module only.
    assert_eq!(activate(&s, &admin, json!({ "plugin": "vivier-matcher-lexical" })).status, 200);
    assert!(!console_modules(&s, &admin).contains("Alerte de la sonde de biais continue"));
    assert!(s.stop().success());
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
}
