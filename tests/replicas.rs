//! Stateless replicas: three `vivier serve` processes on loopback over one PostgreSQL (a
//! throwaway cluster), each with its own empty data directory. Changes made through one replica
//! reach the others within 2 s; concurrent writes keep one audit chain; a replica killed with
//! SIGKILL loses no acknowledged decision and the others keep serving.

mod pg;
mod server;

use serde_json::{json, Value};
use server::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Polls `check` until it holds; the time it took, or None after `limit`.
fn time_until(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

fn slot(base: &str, admin: &str, name: &str) -> Value {
    let slots = get(&format!("{base}/v1/admin/slots"), Some(admin)).json();
    slots["slots"].as_array().unwrap().iter().find(|s| s["slot"] == name).unwrap().clone()
}

/// A request that may meet a dead replica: None on a transport error instead of a panic.
fn try_post(url: &str, key: &str, body: &Value) -> Option<(u16, Value)> {
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build();
    match agent.post(url).set("Authorization", &format!("Bearer {key}")).send_json(body.clone()) {
        Ok(r) => Some((r.status(), r.into_json().unwrap_or(Value::Null))),
        Err(ureq::Error::Status(code, r)) => Some((code, r.into_json().unwrap_or(Value::Null))),
        Err(_) => None,
    }
}

#[test]
fn three_replicas_share_one_database() {
    let db = pg::fresh_database();
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let sirh = create_key_on(dirs[3].path(), Some(&db), "sirh");
    let admin = create_key_on(dirs[3].path(), Some(&db), "admin");

    // Replica 1 starts first and compiles the plugins; its compiled cache is copied to the other
    // two (as an operator warms a new pod), which then start at once.
    // A load test: one key sends thousands of requests a minute, above any sane per-key quota.
    const UNLIMITED: &[(&str, &str)] = &[("VIVIER_RATE_LIMIT_PER_MINUTE", "0")];
    let first = Server::start_on(dirs[0].path(), Some(&db), UNLIMITED);
    for d in &dirs[1..3] {
        copy_dir(&dirs[0].path().join("cache"), &d.path().join("cache"));
    }
    let mut replicas = vec![first];
    replicas.extend(std::thread::scope(|scope| {
        let handles: Vec<_> =
            dirs[1..3].iter().map(|d| scope.spawn(|| Server::start_on(d.path(), Some(&db), UNLIMITED))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect::<Vec<_>>()
    }));
    let bases: Vec<String> = replicas.iter().map(|s| s.base.clone()).collect();
    for b in &bases {
        assert_eq!(get(&format!("{b}/healthz"), None).json()["status"], "ok");
    }

    // Install through replica 1: the bundle reaches the others through the database.
    let up = post_raw(
        &format!("{}/v1/admin/plugins", bases[0]),
        Some(&admin),
        "application/zip",
        &matcher_bundle(dirs[0].path(), "0.9.0"),
    );
    assert_eq!(up.status, 201, "{}", up.text);
    for b in &bases[1..] {
        let listed = time_until(Duration::from_secs(2), || {
            get(&format!("{b}/v1/admin/plugins"), Some(&admin)).text.contains("vivier-matcher-lexical@0.9.0")
        });
        assert!(listed.is_some(), "the installed plugin reaches {b} within 2 s");
    }

    // Activate through replica 1: replicas 2 and 3 serve with it within 2 s, without restart.
    let act = put_json(
        &format!("{}/v1/admin/slots/skills-matcher/active", bases[0]),
        Some(&admin),
        &json!({ "plugin": "vivier-matcher-lexical@0.9.0" }),
    );
    assert_eq!(act.status, 200, "{}", act.text);
    for b in &bases[1..] {
        let took = time_until(Duration::from_secs(2), || {
            let s = slot(b, &admin, "skills-matcher");
            s["active"] == "vivier-matcher-lexical@0.9.0" && s["loaded"] == true
        });
        eprintln!("activation reached {b} in {took:?}");
        assert!(took.is_some(), "the activation reaches {b} within 2 s");
    }
    let cand = parse_on(&bases[1], &sirh, "en-nurse.txt");
    let r = post_json(
        &format!("{}/v1/rankings", bases[2]),
        Some(&sirh),
        &json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": [cand] }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["plugin"]["version"], "0.9.0", "replica 3 ranks with the plugin activated on replica 1");

    // Stop the slot through replica 2: replica 1 refuses calls within 2 s; start it again.
    assert_eq!(post_empty(&format!("{}/v1/admin/slots/cv-parser/stop", bases[1]), Some(&admin)).status, 200);
    let stopped = time_until(Duration::from_secs(2), || {
        let r =
            post_file(&format!("{}/v1/cv/parse", bases[0]), Some(&sirh), "cv.txt", "text/plain", &cv("en-nurse.txt"));
        r.status == 503
    });
    assert!(stopped.is_some(), "the stop switch reaches replica 1 within 2 s");
    assert_eq!(post_empty(&format!("{}/v1/admin/slots/cv-parser/start", bases[1]), Some(&admin)).status, 200);
    let started = time_until(Duration::from_secs(2), || slot(&bases[2], &admin, "cv-parser")["stopped"] == false);
    assert!(started.is_some());

    // Revoke a key through replica 3: refused at once by replicas 1 and 2.
    let made = post_json(&format!("{}/v1/admin/keys", bases[2]), Some(&admin), &json!({ "role": "sirh" })).json();
    let (kid, key) = (made["id"].as_str().unwrap().to_owned(), made["key"].as_str().unwrap().to_owned());
    assert_eq!(get(&format!("{}/v1/candidates/{cand}", bases[0]), Some(&key)).status, 200);
    assert_eq!(delete(&format!("{}/v1/admin/keys/{kid}", bases[2]), Some(&admin)).status, 204);
    for b in &bases[..2] {
        let refused =
            time_until(Duration::from_secs(2), || get(&format!("{b}/v1/candidates/{cand}"), Some(&key)).status == 401);
        assert!(refused.is_some(), "the revocation reaches {b} within 2 s");
    }

    // Load: every replica writes decisions and runs plugin calls at once for a minute; then
    // replica 3 is killed with SIGKILL and the other two go on for 15 s. Acknowledged decisions
    // are kept for the end.
    let mut candidates = Vec::new();
    for (i, name) in ["fr-redactrice-territoriale.txt", "en-nurse.txt", "fr-recherche-emploi.txt"].iter().enumerate() {
        candidates.push(parse_on(&bases[i], &sirh, name));
    }
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let after_kill_ok = Arc::new(Mutex::new(vec![0usize; 3]));
    let killed = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(75);
    let workers: Vec<_> = (0..6)
        .map(|w| {
            let (base, sirh, cands) = (bases[w % 3].clone(), sirh.clone(), candidates.clone());
            let (acknowledged, after_kill_ok, killed) = (acknowledged.clone(), after_kill_ok.clone(), killed.clone());
            std::thread::spawn(move || {
                let mut i = 0usize;
                let mut failures = 0;
                while Instant::now() < deadline {
                    i += 1;
                    let cand = &cands[i % cands.len()];
                    let ok = if i % 4 == 0 {
                        let body = json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": [cand] });
                        try_post(&format!("{base}/v1/rankings"), &sirh, &body).map(|(code, _)| {
                            assert_eq!(code, 200, "a ranking on a live replica succeeds");
                        })
                    } else {
                        let body = json!({ "candidate_id": cand, "decision": "interview",
                                           "recruiter_id": format!("agent-{w}"), "rationale": format!("entretien {i}") });
                        try_post(&format!("{base}/v1/decisions"), &sirh, &body).map(|(code, v)| {
                            assert_eq!(code, 201, "{v}");
                            let id = v["decision"]["decision_id"].as_str().unwrap().to_owned();
                            acknowledged.lock().unwrap().push((cand.clone(), id));
                        })
                    };
                    match ok {
                        Some(()) if killed.load(Ordering::SeqCst) => after_kill_ok.lock().unwrap()[w % 3] += 1,
                        Some(()) => {}
                        None => {
                            failures += 1;
                            if w % 3 != 2 {
                                panic!("a live replica {base} stopped answering");
                            }
                            std::thread::sleep(Duration::from_millis(100));
                        }
                    }
                }
                failures
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(60));
    let third = replicas.pop().unwrap();
    third.kill9();
    killed.store(true, Ordering::SeqCst);
    let failures: Vec<usize> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let after = after_kill_ok.lock().unwrap().clone();
    assert!(after[0] > 0 && after[1] > 0, "replicas 1 and 2 keep serving after the kill: {after:?}");
    assert!(failures[2] + failures[5] > 0, "the killed replica stopped answering");

    // Every acknowledged decision is in the database, whichever replica took it.
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 20, "enough load: {} decisions", acknowledged.len());
    let mut stored = std::collections::HashSet::new();
    for cand in &candidates {
        let r = get(&format!("{}/v1/candidates/{cand}", bases[0]), Some(&sirh));
        assert_eq!(r.status, 200, "history of {cand}: {} bytes: {}", r.text.len(), &r.text[..r.text.len().min(300)]);
        let h = r.json();
        for d in h["human_decisions"].as_array().unwrap() {
            stored.insert(d["decision_id"].as_str().unwrap().to_owned());
        }
    }
    let lost: Vec<_> = acknowledged.iter().filter(|(_, id)| !stored.contains(id)).collect();
    assert!(lost.is_empty(), "{} acknowledged decisions lost: {lost:?}", lost.len());
    eprintln!("{} decisions acknowledged, none lost; after the kill: {after:?}", acknowledged.len());

    // One chain, written by three processes: `vivier audit verify` on the database passes.
    let (ok, v) = audit_verify_on(dirs[3].path(), Some(&db));
    assert!(ok, "{v}");
    assert_eq!(v["valid"], true);
    assert_eq!(v["first_seq"], 1);
    assert_eq!(v["rows"], v["last_seq"], "one contiguous chain from row 1: {v}");
    assert!(v["rows"].as_i64().unwrap() > acknowledged.len() as i64);
}

fn parse_on(base: &str, key: &str, name: &str) -> String {
    let r = post_file(&format!("{base}/v1/cv/parse"), Some(key), name, "text/plain", &cv(name));
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["candidate_id"].as_str().unwrap().to_owned()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The republished matcher's bytes, as an upload sends them.
fn matcher_bundle(dir: &std::path::Path, version: &str) -> Vec<u8> {
    std::fs::read(republished_matcher(dir, version).0).unwrap()
}
