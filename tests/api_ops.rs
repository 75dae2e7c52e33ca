//! Operating the server: restart persistence, concurrent requests, hot swap under load,
//! fail-closed slots and the stop switch, and a kill -9 in the middle of writes.

mod common;
mod server;

use serde_json::json;
use server::*;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use vivier::bundle::Bundle;

fn hostile_bundle(dir: &Path, feature: &str) -> Vec<u8> {
    let manifest = common::manifest(&format!("hostile-{feature}"), "skills-matcher", 64, 2000, "");
    let bundle = Bundle::pack(manifest, common::component(&format!("hostile-{feature}")), None).unwrap();
    let path = dir.join(format!("{feature}.zip"));
    bundle.write_zip(&path).unwrap();
    std::fs::read(path).unwrap()
}

fn rank_body(ids: &[String]) -> serde_json::Value {
    json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": ids })
}

#[test]
fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    let s = Server::start(dir.path());
    let a = parse(&s, &sirh, "fr-recherche-emploi.txt");
    let id = a["candidate_id"].as_str().unwrap().to_owned();
    let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &rank_body(std::slice::from_ref(&id)));
    assert_eq!(r.status, 200, "{}", r.text);
    let d = json!({ "candidate_id": id, "decision": "interview", "recruiter_id": "agent-2", "trace_ids": [r.json()["trace_id"]] });
    assert_eq!(post_json(&s.url("/v1/decisions"), Some(&sirh), &d).status, 201);
    assert_eq!(post_empty(&s.url("/v1/admin/slots/posting-drafter/stop"), Some(&admin)).status, 200);
    let before = get(&s.url(&format!("/v1/candidates/{id}")), Some(&sirh)).json();
    assert!(s.stop().success(), "graceful shutdown exits 0");

    let s = Server::start(dir.path());
    let after = get(&s.url(&format!("/v1/candidates/{id}")), Some(&sirh));
    assert_eq!(after.status, 200, "{}", after.text);
    assert_eq!(after.json(), before);
    let slots = get(&s.url("/v1/admin/slots"), Some(&admin)).json();
    let drafter = slots["slots"].as_array().unwrap().iter().find(|s| s["slot"] == "posting-drafter").unwrap().clone();
    assert_eq!(drafter["stopped"], true);
    let e = post_json(&s.url("/v1/postings/draft"), Some(&sirh), &fixture_json("draft-request.json"));
    assert_error(&e, 503, None);
    assert_eq!(e.json()["error"]["code"], "slot_stopped");
    let v = get(&s.url("/v1/audit/verify"), Some(&admin)).json();
    assert_eq!(v["valid"], true, "{v}");
    // Bundled plugins were enabled once, on first start only.
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&admin)).json();
    let enabled = events["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "admin.plugin.enable").count();
    assert_eq!(enabled, 3);
}

#[test]
fn graceful_shutdown_lets_in_flight_requests_finish() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let s = Server::start(dir.path());
    let profile = parse(&s, &sirh, "fr-redactrice-territoriale.txt")["profile"].clone();
    // A ranking of many inline profiles takes long enough to be in flight when SIGTERM arrives.
    let profiles: Vec<_> = (0..1500).map(|i| json!({ "ref": format!("r{i}"), "profile": profile })).collect();
    let body = json!({ "posting": fixture_json("job-posting.json"), "profiles": profiles });
    let url = s.url("/v1/rankings");
    let key = sirh.clone();
    let started = Arc::new(AtomicBool::new(false));
    let flag = started.clone();
    let request = std::thread::spawn(move || {
        flag.store(true, Ordering::SeqCst);
        post_json(&url, Some(&key), &body)
    });
    while !started.load(Ordering::SeqCst) {
        std::thread::yield_now();
    }
    std::thread::sleep(std::time::Duration::from_millis(150));
    let status = s.stop();
    let r = request.join().unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["candidates"].as_array().unwrap().len(), 1500);
    assert!(status.success());
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
}

#[test]
fn concurrent_requests_all_succeed_and_chain_stays_valid() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let s = Arc::new(Server::start(dir.path()));
    let files = ["fr-alternance.txt", "fr-colonnes.txt", "en-nurse.txt", "fr-windows1252.txt"];
    let threads: Vec<_> = (0..12)
        .map(|t| {
            let (s, key) = (s.clone(), sirh.clone());
            std::thread::spawn(move || {
                let mut ids = vec![];
                for i in 0..4 {
                    ids.push(
                        parse(&s, &key, files[(t + i) % files.len()])["candidate_id"].as_str().unwrap().to_owned(),
                    );
                }
                let r = post_json(&s.url("/v1/rankings"), Some(&key), &rank_body(&ids));
                assert_eq!(r.status, 200, "{}", r.text);
                assert_eq!(r.json()["candidates"].as_array().unwrap().len(), 4);
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no request failed");
    }
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
    // 12 × 4 parses + 12 rankings, plus 3 first-start events and the key creation.
    assert_eq!(v["rows"], 12 * 5 + 3 + 1, "{v}");
}

#[test]
fn hot_swap_under_load_and_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    let s = Arc::new(Server::start(dir.path()));
    let ids: Vec<String> = ["fr-alternance.txt", "en-nurse.txt"]
        .iter()
        .map(|f| parse(&s, &sirh, f)["candidate_id"].as_str().unwrap().to_owned())
        .collect();

    let up =
        post_raw(&s.url("/v1/admin/plugins"), Some(&admin), "application/zip", &matcher_bundle(dir.path(), "0.9.0"));
    assert_eq!(up.status, 201, "{}", up.text);
    assert_eq!(up.json()["ref"], "vivier-matcher-lexical@0.9.0");
    let again =
        post_raw(&s.url("/v1/admin/plugins"), Some(&admin), "application/zip", &matcher_bundle(dir.path(), "0.9.0"));
    assert_eq!(again.status, 201, "reinstalling the same bundle is idempotent: {}", again.text);

    let stop = Arc::new(AtomicBool::new(false));
    let seen_new = Arc::new(AtomicUsize::new(0));
    let swapped = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..4)
        .map(|_| {
            let (s, key, ids, stop, seen_new, swapped) =
                (s.clone(), sirh.clone(), ids.clone(), stop.clone(), seen_new.clone(), swapped.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    let sent_after_swap = swapped.load(Ordering::SeqCst);
                    let r = post_json(&s.url("/v1/rankings"), Some(&key), &rank_body(&ids));
                    assert_eq!(r.status, 200, "no request fails during a swap: {}", r.text);
                    let version = r.json()["plugin"]["version"].as_str().unwrap().to_owned();
                    if sent_after_swap {
                        assert_eq!(version, "0.9.0", "a request sent after the swap uses the new plugin");
                    }
                    if version == "0.9.0" {
                        seen_new.fetch_add(1, Ordering::SeqCst);
                    }
                    n += 1;
                }
                n
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let act = put_json(
        &s.url("/v1/admin/slots/skills-matcher/active"),
        Some(&admin),
        &json!({ "plugin": "vivier-matcher-lexical@0.9.0" }),
    );
    assert_eq!(act.status, 200, "{}", act.text);
    swapped.store(true, Ordering::SeqCst);
    std::thread::sleep(std::time::Duration::from_millis(800));
    stop.store(true, Ordering::SeqCst);
    let total: usize = load.into_iter().map(|t| t.join().expect("load thread")).sum();
    assert!(total > 4 && seen_new.load(Ordering::SeqCst) > 0, "total {total}");

    // Pinned: another activation is refused; rollback needs unpinning.
    assert_eq!(post_empty(&s.url("/v1/admin/slots/skills-matcher/pin"), Some(&admin)).status, 200);
    assert_error(&post_empty(&s.url("/v1/admin/slots/skills-matcher/rollback"), Some(&admin)), 409, None);
    assert_eq!(post_empty(&s.url("/v1/admin/slots/skills-matcher/unpin"), Some(&admin)).status, 200);
    let rb = post_empty(&s.url("/v1/admin/slots/skills-matcher/rollback"), Some(&admin));
    assert_eq!(rb.status, 200, "{}", rb.text);
    assert_eq!(rb.json()["active"], "vivier-matcher-lexical@0.1.0");
    let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &rank_body(&ids));
    assert_eq!(r.json()["plugin"]["version"], "0.1.0");
    // The inactive version can now be disabled, and a disabled plugin cannot be activated.
    assert_eq!(post_empty(&s.url("/v1/admin/plugins/vivier-matcher-lexical@0.9.0/disable"), Some(&admin)).status, 200);
    let refused = put_json(
        &s.url("/v1/admin/slots/skills-matcher/active"),
        Some(&admin),
        &json!({ "plugin": "vivier-matcher-lexical@0.9.0" }),
    );
    assert_error(&refused, 409, None);
    let listed = get(&s.url("/v1/admin/plugins/vivier-matcher-lexical@0.9.0"), Some(&admin)).json();
    assert_eq!(listed["enabled"], false);
    assert_eq!(listed["signature"]["status"], "unsigned");
    assert_eq!(listed["manifest"]["plugin"]["version"], "0.9.0");
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
}

#[test]
fn a_failing_plugin_fails_closed_and_the_stop_switch_stops_calls() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    let s = Server::start(dir.path());
    let id = parse(&s, &sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    let up =
        post_raw(&s.url("/v1/admin/plugins"), Some(&admin), "application/zip", &hostile_bundle(dir.path(), "panic"));
    assert_eq!(up.status, 201, "{}", up.text);
    // It traps on the bias probe's pairs too, so activating it takes a written justification.
    let act = put_json(
        &s.url("/v1/admin/slots/skills-matcher/active"),
        Some(&admin),
        &json!({ "plugin": "hostile-panic", "override_justification": "Test de confinement : ce plugin doit échouer" }),
    );
    assert_eq!(act.status, 200, "{}", act.text);
    // The plugin traps: the SIRH gets the error, never another vendor's answer.
    let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &rank_body(std::slice::from_ref(&id)));
    let e = assert_error(&r, 502, None);
    assert_eq!(e["error"]["code"], "plugin_failed");
    let trace = e["error"]["trace_id"].as_str().unwrap().to_owned();
    // Retry-once retries on the same plugin only, then fails closed too.
    let p = put_json(
        &s.url("/v1/admin/slots/skills-matcher/policy"),
        Some(&admin),
        &json!({ "failure_policy": "retry-once" }),
    );
    assert_eq!(p.status, 200, "{}", p.text);
    assert_error(&post_json(&s.url("/v1/rankings"), Some(&sirh), &rank_body(std::slice::from_ref(&id))), 502, None);
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&admin)).json();
    let failures: Vec<_> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "plugin.call" && e["payload"]["outcome"] == "trap")
        .cloned()
        .collect();
    assert_eq!(failures.len(), 3, "one failed call, then two attempts under retry-once");
    assert_eq!(failures[0]["payload"]["trace_id"], trace.as_str());
    assert!(failures.iter().all(|f| f["payload"]["plugin"]["id"] == "hostile-panic"));
    let m = get(&s.url("/metrics"), Some(&admin)).text;
    assert!(
        m.contains("vivier_plugin_errors_total{slot=\"skills-matcher\",plugin=\"hostile-panic\",version=\"0.0.1\"} 3"),
        "{m}"
    );

    // Stop switch: every call refused until restarted.
    assert_eq!(post_empty(&s.url("/v1/admin/slots/cv-parser/stop"), Some(&admin)).status, 200);
    let stopped = post_file(&s.url("/v1/cv/parse"), Some(&sirh), "cv.txt", "text/plain", &cv("en-nurse.txt"));
    assert_eq!(assert_error(&stopped, 503, None)["error"]["code"], "slot_stopped");
    assert_eq!(get(&s.url("/healthz"), None).json()["slots"]["cv-parser"], "stopped");
    assert_eq!(post_empty(&s.url("/v1/admin/slots/cv-parser/start"), Some(&admin)).status, 200);
    parse(&s, &sirh, "en-nurse.txt");
}

#[test]
fn kill_9_during_writes_leaves_a_valid_chain() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let s = Server::start(dir.path());
    let base = s.base.clone();
    let done = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..6)
        .map(|_| {
            let (base, key, done) = (base.clone(), sirh.clone(), done.clone());
            std::thread::spawn(move || {
                let body = cv("fr-colonnes.txt");
                loop {
                    // Requests in flight when the process dies fail at the transport level.
                    let r = ureq::post(&format!("{base}/v1/cv/parse"))
                        .set("Authorization", &format!("Bearer {key}"))
                        .set("Content-Type", "application/json")
                        .send_string(
                            &json!({ "filename": "cv.txt", "content_base64": base64_encode(&body) }).to_string(),
                        );
                    match r {
                        Ok(_) => {
                            done.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(ureq::Error::Status(code, r)) => {
                            panic!("HTTP {code}: {}", r.into_string().unwrap_or_default())
                        }
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    while done.load(Ordering::SeqCst) < 20 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    s.kill9();
    for w in writers {
        w.join().expect("writers only end on transport errors");
    }
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
    assert!(v["rows"].as_i64().unwrap() >= 20 + 4, "{v}");
    // The server starts again on the same file and keeps appending to the same chain.
    let s = Server::start(dir.path());
    parse(&s, &sirh, "en-nurse.txt");
    assert!(s.stop().success());
    let (valid, v2) = audit_verify(dir.path());
    assert!(valid && v2["rows"].as_i64() > v["rows"].as_i64(), "{v2}");
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The republished matcher's bytes, as an upload sends them.
fn matcher_bundle(dir: &std::path::Path, version: &str) -> Vec<u8> {
    std::fs::read(republished_matcher(dir, version).0).unwrap()
}

/// A matcher that relabels a criterion ("Âge inférieur à 35 ans", weight 9) and invents
/// evidence: the recruiter's ranking and the candidate's explanation show the posting's
/// criteria and weights and only what the CV says; the corrections are in the answer and the
/// audit record. A matcher that adds a criterion of its own fails the call.
#[test]
fn what_a_matcher_says_about_criteria_and_evidence_is_checked_against_the_posting_and_the_cv() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    let s = Server::start(dir.path());
    let id = parse(&s, &sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    let why = "Test d'intégrité : ce module ment sur les critères et les éléments du CV";
    for feature in ["lying-criteria", "invented-criterion"] {
        let up = post_raw(
            &s.url("/v1/admin/plugins"),
            Some(&admin),
            "application/zip",
            &hostile_bundle(dir.path(), feature),
        );
        assert_eq!(up.status, 201, "{}", up.text);
    }
    let activate = |plugin: &str| {
        let r = put_json(
            &s.url("/v1/admin/slots/skills-matcher/active"),
            Some(&admin),
            &json!({ "plugin": plugin, "override_justification": why }),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    };

    activate("hostile-lying-criteria");
    let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &rank_body(std::slice::from_ref(&id)));
    assert_eq!(r.status, 200, "{}", r.text);
    let ranking = r.json();
    let first = &ranking["candidates"][0]["requirements"][0];
    assert_eq!((first["requirement"].as_str(), first["weight"].as_f64()), (Some("Paie"), Some(2.0)), "{first}");
    assert_eq!(first["evidence"], json!([]), "invented evidence is dropped: {first}");
    let notes: Vec<&str> = ranking["sanitised"].as_array().unwrap().iter().filter_map(|n| n.as_str()).collect();
    assert!(notes.iter().any(|n| n.contains("label of `r1`")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("weight of `r1`")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("evidence line(s) of `r1`")), "{notes:?}");
    let explanation = get(&s.url(&format!("/v1/candidates/{id}/explanation?posting=conformance-posting")), Some(&sirh));
    assert_eq!(explanation.status, 200, "{}", explanation.text);
    let text = explanation.text.to_lowercase();
    assert!(!text.contains("35 ans") && !text.contains("retraite") && !text.contains("trop âgé"), "{text}");
    let criteria = &explanation.json()["crpa_r311_3_1_2"]["3_parametres_et_ponderation"]["criteres"];
    let labels: Vec<&str> = criteria.as_array().unwrap().iter().map(|c| c["critere"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Paie", "Statut de la fonction publique territoriale", "Anglais"]);
    let calls = get(&s.url("/v1/audit/events?limit=1000"), Some(&admin)).json();
    assert!(calls["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "plugin.call" && e["payload"]["sanitised"].as_u64() >= Some(3)));

    activate("hostile-invented-criterion");
    let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &rank_body(std::slice::from_ref(&id)));
    let e = assert_error(&r, 502, None);
    assert!(e["error"]["message"].as_str().unwrap().contains("does not have"), "{e}");
}

/// `vivier audit replay TRACE_ID` runs a recorded ranking again from what is stored and finds
/// the recorded digests; a posting changed since is reported, not papered over.
#[test]
fn a_recorded_ranking_replays_to_the_same_digests() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let s = Server::start(dir.path());
    let ids: Vec<String> = ["en-nurse.txt", "fr-redactrice-territoriale.txt"]
        .iter()
        .map(|f| parse(&s, &sirh, f)["candidate_id"].as_str().unwrap().to_owned())
        .collect();
    let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &rank_body(&ids));
    assert_eq!(r.status, 200, "{}", r.text);
    let first = r.json()["trace_id"].as_str().unwrap().to_owned();
    assert!(s.stop().success());

    let replay = |trace: &str| {
        let out = common::vivier(dir.path(), &["audit", "replay", trace, "--json"]);
        (out.status.success(), common::stdout(&out), common::stderr(&out))
    };
    let (ok, out, err) = replay(&first);
    assert!(ok, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["input_matches"].as_bool(), v["output_matches"].as_bool()), (Some(true), Some(true)), "{v}");
    assert_eq!(v["candidates"], 2);

    // The same posting id, reworded, ranked again: the stored posting is now the new one, so the
    // first ranking's input cannot be rebuilt, and the replay says so.
    let s = Server::start(dir.path());
    let mut body = rank_body(&ids);
    body["posting"]["title"] = json!("Gestionnaire paie (poste modifié)");
    assert_eq!(post_json(&s.url("/v1/rankings"), Some(&sirh), &body).status, 200);
    assert!(s.stop().success());
    let (ok, out, _) = replay(&first);
    assert!(!ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["input_matches"], false, "{v}");
    let (_, _, err) = replay("t_unknown");
    assert!(err.contains("no recorded plugin call"), "{err}");
}

/// A dishonest parser, installed through the admin route, copies the candidate's identity into
/// every field of the profile; the matcher (the `echo` component returns the value it was
/// handed) receives none of it, through the whole path: parse, store, pseudonymise, rank.
#[test]
fn a_parser_that_copies_the_identity_everywhere_gets_none_of_it_to_the_matcher() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    let s = Server::start(dir.path());
    let parser = common::manifest("hostile-identity-everywhere", "cv-parser", 64, 5000, "");
    let bundle = Bundle::pack(parser, common::component("hostile-identity-everywhere"), None).unwrap();
    bundle.write_zip(&dir.path().join("parser.zip")).unwrap();
    let zip = std::fs::read(dir.path().join("parser.zip")).unwrap();
    for (bytes, slot, plugin) in [
        (zip, "cv-parser", "hostile-identity-everywhere"),
        (hostile_bundle(dir.path(), "echo"), "skills-matcher", "hostile-echo"),
    ] {
        let up = post_raw(&s.url("/v1/admin/plugins"), Some(&admin), "application/zip", &bytes);
        assert_eq!(up.status, 201, "{}", up.text);
        let act = put_json(
            &s.url(&format!("/v1/admin/slots/{slot}/active")),
            Some(&admin),
            &json!({ "plugin": plugin, "override_justification": "Test : ce module renvoie ce qu'il reçoit" }),
        );
        assert_eq!(act.status, 200, "{}", act.text);
    }
    let cv = "Nom : Amélie Nguyen-Dubreuil\nCourriel : amelie.nguyen@exemple.fr\nTéléphone : +33 6 12 34 56 78\n\
              Adresse : 14 impasse des Tilleuls\nVille : Saint-Fictif\nCode postal : 33999\n\
              Lien : https://www.linkedin.com/in/amelie-ng\nNaissance : 03/07/1988\nGestionnaire paie depuis 2015.\n";
    let parsed = post_file(&s.url("/v1/cv/parse"), Some(&sirh), "cv.txt", "text/plain", cv.as_bytes());
    assert_eq!(parsed.status, 201, "{}", parsed.text);
    let parsed = parsed.json();
    assert!(parsed.to_string().contains("Dubreuil"), "the parser did copy the identity: {parsed}");
    let id = parsed["candidate_id"].as_str().unwrap().to_owned();
    let r = post_json(&s.url("/v1/rankings"), Some(&sirh), &rank_body(std::slice::from_ref(&id)));
    assert_eq!(r.status, 200, "{}", r.text);
    let seen = r.json()["candidates"][0]["summary"].as_str().unwrap().to_owned();
    let folded: String = seen.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    for value in
        ["amelie", "amélie", "nguyen", "dubreuil", "exemple", "612345678", "tilleuls", "fictif", "33999", "1988"]
    {
        assert!(!folded.contains(value), "`{value}` reached the matcher: {seen}");
    }
    for kept in ["gestionnaire", "licence", "anglais", "caces", "lecture"] {
        assert!(folded.contains(kept), "`{kept}` was lost: {seen}");
    }
}
