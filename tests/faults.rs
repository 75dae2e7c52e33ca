//! Faults: the server killed with SIGKILL in the middle of writes, twenty times over; the data
//! directory's disk full, then read-only; more requests than capacity. In every case what the
//! API acknowledged is still there and the audit chain verifies.

mod common;
mod server;

use serde_json::json;
use server::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier, Mutex};
use vivier::bundle::Bundle;

fn decision(candidate: &str, round: usize) -> serde_json::Value {
    json!({ "candidate_id": candidate, "decision": "interview", "recruiter_id": format!("agent-{round}") })
}

/// Every decision id recorded for these candidates, read through the API.
fn stored_decisions(s: &Server, key: &str, candidates: &[String]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for c in candidates {
        let h = get(&s.url(&format!("/v1/candidates/{c}")), Some(key));
        assert_eq!(h.status, 200, "{}", h.text);
        for d in h.json()["human_decisions"].as_array().unwrap() {
            ids.insert(d["decision_id"].as_str().unwrap().to_owned());
        }
    }
    ids
}

#[test]
fn twenty_kill_9s_during_writes_lose_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let s = Server::start(dir.path());
    let candidates: Vec<String> =
        (0..4).map(|_| parse(&s, &sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned()).collect();
    assert!(s.stop().success());

    use base64::Engine as _;
    let cv_body = json!({ "filename": "cv.txt", "content_base64": base64::engine::general_purpose::STANDARD.encode(cv("fr-colonnes.txt")) });
    let mut acknowledged = BTreeSet::new();
    let mut parsed = candidates.clone();
    for round in 0..20 {
        let s = Server::start(dir.path());
        let acked: Arc<Mutex<Vec<(&'static str, String)>>> = Arc::default();
        // Four writers: three record decisions, one parses CVs (candidate, suggestion and audit rows).
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (base, key, acked, candidates, cv_body) =
                    (s.base.clone(), sirh.clone(), acked.clone(), candidates.clone(), cv_body.clone());
                std::thread::spawn(move || {
                    let agent = ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(30)).build();
                    for i in 0.. {
                        let auth = format!("Bearer {key}");
                        let (route, body) = if w == 3 {
                            ("/v1/cv/parse", cv_body.clone())
                        } else {
                            ("/v1/decisions", decision(&candidates[(w + i) % candidates.len()], round))
                        };
                        let r = agent
                            .post(&format!("{base}{route}"))
                            .set("Authorization", &auth)
                            .set("Content-Type", "application/json")
                            .send_string(&body.to_string());
                        match r {
                            Ok(resp) => {
                                let v: serde_json::Value = resp.into_json().unwrap();
                                let entry = match v["decision"]["decision_id"].as_str() {
                                    Some(id) => ("decision", id.to_owned()),
                                    None => ("candidate", v["candidate_id"].as_str().unwrap().to_owned()),
                                };
                                acked.lock().unwrap().push(entry);
                            }
                            // A request in flight when the process dies fails at the transport level.
                            Err(ureq::Error::Status(code, r)) => {
                                panic!("HTTP {code}: {}", r.into_string().unwrap_or_default())
                            }
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect();
        // Kill at a different point of the write stream each round.
        let target = 5 + (round * 7) % 23;
        while acked.lock().unwrap().len() < target {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        s.kill9();
        for w in writers {
            w.join().expect("writers end only on transport errors");
        }
        let (valid, v) = audit_verify(dir.path());
        assert!(valid, "round {round}: {v}");
        for (kind, id) in acked.lock().unwrap().drain(..) {
            match kind {
                "decision" => acknowledged.insert(id),
                _ => {
                    parsed.push(id);
                    true
                }
            };
        }
    }

    let s = Server::start(dir.path());
    let stored = stored_decisions(&s, &sirh, &candidates);
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "{} acknowledged decisions lost: {lost:?}", lost.len());
    assert!(acknowledged.len() >= 20 * 3, "{} decisions acknowledged", acknowledged.len());
    for c in &parsed {
        let h = get(&s.url(&format!("/v1/candidates/{c}")), Some(&sirh));
        assert_eq!(h.status, 200, "acknowledged candidate {c} lost: {}", h.text);
        assert!(h.json()["profile"].is_object(), "{}", h.text);
    }
    assert!(s.stop().success());
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// None where this process may not mount (not root, or no CAP_SYS_ADMIN).
    fn mount(dir: &Path, size_mib: u32) -> Option<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mib}m"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_owned()))
    }

    fn remount(&self, options: &str) {
        let st = Command::new("mount").args(["-o", &format!("remount,{options}")]).arg(&self.0).status().unwrap();
        assert!(st.success(), "mount -o remount,{options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes a file until the file system refuses: the disk is full.
fn fill(path: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 1 << 16];
    loop {
        if let Err(e) = f.write_all(&chunk).and_then(|_| f.sync_data()) {
            assert_eq!(e.raw_os_error(), Some(libc::ENOSPC), "{e}");
            return;
        }
    }
}

#[test]
fn a_full_disk_fails_writes_clearly_keeps_what_was_stored_and_recovers() {
    let mnt = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(mnt.path(), 512) else {
        eprintln!("SKIPPED: this process may not mount a tmpfs (needs root); the disk-full case is not exercised");
        return;
    };
    let data = mnt.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let sirh = create_key(&data, "sirh");
    let s = Server::start(&data);
    let first = parse(&s, &sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    let d = post_json(&s.url("/v1/decisions"), Some(&sirh), &decision(&first, 0));
    assert_eq!(d.status, 201, "{}", d.text);
    let before = get(&s.url(&format!("/v1/candidates/{first}")), Some(&sirh)).json();

    // Filled up: the WAL may still have room for a few writes, never for all of them.
    fill(&mnt.path().join("filler"));
    let mut refusal = None;
    for _ in 0..200 {
        let r = post_file(&s.url("/v1/cv/parse"), Some(&sirh), "cv.txt", "text/plain", &cv("fr-colonnes.txt"));
        match r.status {
            201 => continue,
            _ => {
                refusal = Some(r);
                break;
            }
        }
    }
    let r = refusal.expect("a write on a full disk fails");
    let e = assert_error(&r, 503, None);
    assert_eq!(e["error"]["code"], "storage_unavailable", "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("could not be recorded"), "{e}");
    assert_eq!(get(&s.url("/healthz"), None).status, 200, "the server stays up");

    // Space returns: writes work again, nothing stored before is changed.
    std::fs::remove_file(mnt.path().join("filler")).unwrap();
    let again = parse(&s, &sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    assert_eq!(get(&s.url(&format!("/v1/candidates/{first}")), Some(&sirh)).json(), before);
    assert_eq!(get(&s.url(&format!("/v1/candidates/{again}")), Some(&sirh)).status, 200);
    assert!(s.stop().success());
    let (valid, v) = audit_verify(&data);
    assert!(valid, "{v}");

    // Read-only: the kernel refuses to remount a file system with files open for writing, so the
    // server meets a read-only data directory when it starts (after a remount by fsck or an admin).
    fs.remount("ro");
    let out = Command::new(bin())
        .args(["serve", "--data-dir"])
        .arg(&data)
        .env("VIVIER_BIND", "127.0.0.1:0")
        .env("VIVIER_MODEL_INSTALL", "off")
        .output()
        .unwrap();
    assert!(!out.status.success(), "a server that cannot write its audit log must not serve");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not writable") && err.contains("Read-only file system"), "the error names the cause: {err}");
    fs.remount("rw");
    let s = Server::start(&data);
    assert_eq!(get(&s.url(&format!("/v1/candidates/{first}")), Some(&sirh)).json(), before);
    parse(&s, &sirh, "en-nurse.txt");
    assert!(s.stop().success());
    let (valid, v) = audit_verify(&data);
    assert!(valid, "{v}");
}

/// A matcher that spins until its deadline, with a short one.
fn spinning_matcher(dir: &Path, timeout_ms: u32) -> Vec<u8> {
    let manifest = common::manifest("hostile-infinite-loop", "skills-matcher", 64, timeout_ms, "");
    let bundle = Bundle::pack(manifest, common::component("hostile-infinite-loop"), None).unwrap();
    let path = dir.join("spin.zip");
    bundle.write_zip(&path).unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn requests_beyond_capacity_get_an_immediate_503_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    let s = Server::start_with(dir.path(), &[("VIVIER_MAX_CONCURRENT_CALLS", "1"), ("VIVIER_MAX_QUEUED_CALLS", "1")]);
    let id = parse(&s, &sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    let up =
        post_raw(&s.url("/v1/admin/plugins"), Some(&admin), "application/zip", &spinning_matcher(dir.path(), 1500));
    assert_eq!(up.status, 201, "{}", up.text);
    let act = put_json(
        &s.url("/v1/admin/slots/skills-matcher/active"),
        Some(&admin),
        &json!({ "plugin": "hostile-infinite-loop", "override_justification": "Test de surcharge : ce plugin tourne jusqu'à son délai" }),
    );
    assert_eq!(act.status, 200, "{}", act.text);

    // Ten rankings at once: one runs, one waits, eight are refused.
    let n = 10;
    let barrier = Arc::new(Barrier::new(n));
    let order = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..n)
        .map(|_| {
            let (url, key, barrier, order) = (s.url("/v1/rankings"), sirh.clone(), barrier.clone(), order.clone());
            let body = json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": [id] });
            std::thread::spawn(move || {
                barrier.wait();
                let r = post_json(&url, Some(&key), &body);
                order.lock().unwrap().push(r);
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    let order = std::mem::take(&mut *order.lock().unwrap());
    let refused: Vec<_> = order.iter().filter(|r| r.status == 503).collect();
    assert!(
        refused.len() >= n - 2,
        "{} of {n} refused: {:?}",
        refused.len(),
        order.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in &refused {
        let e = assert_error(r, 503, None);
        assert_eq!(e["error"]["code"], "overloaded", "{e}");
        // Honest: the running call ends at its deadline (1.5 s after it started), at the latest.
        let wait: u64 = r.retry_after.as_deref().and_then(|v| v.parse().ok()).expect("Retry-After");
        assert!((1..=2).contains(&wait), "Retry-After {wait}");
    }
    // The refusals came back before any admitted call reached its deadline.
    let first_admitted = order.iter().position(|r| r.status != 503).expect("a call was admitted");
    assert!(order[..first_admitted].len() >= n - 2, "{:?}", order.iter().map(|r| r.status).collect::<Vec<_>>());
    for r in &order[first_admitted..] {
        assert!(matches!(r.status, 504 | 502 | 503), "{}", r.text);
    }
    let m = get(&s.url("/metrics"), Some(&admin)).text;
    let shed: u64 = m
        .lines()
        .find_map(|l| l.strip_prefix("vivier_requests_shed_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("the shed counter is exported");
    assert_eq!(shed as usize, order.iter().filter(|r| r.status == 503).count());
    // The other slots were never affected, and the server has room again.
    parse(&s, &sirh, "en-nurse.txt");
}

/// Plugin-route requests running or waiting now, as `/metrics` exports them.
fn admitted(s: &Server, admin: &str) -> u64 {
    get(&s.url("/metrics"), Some(admin))
        .text
        .lines()
        .find_map(|l| l.strip_prefix("vivier_requests_admitted "))
        .and_then(|v| v.trim().parse().ok())
        .expect("the admitted gauge is exported")
}

/// A matcher asleep inside a host call, installed through the admin route as a vendor would
/// ship it: its calls fill the matcher's lane only, parsing keeps answering, a refused ranking
/// is told to come back when a running call ends at the latest, and the stop switch ends the
/// calls in flight (not at their deadline), freeing their places.
#[test]
fn a_matcher_stuck_in_the_host_holds_only_its_lane_and_stops_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    // Two calls per world, none queued.
    let s = Server::start_with(dir.path(), &[("VIVIER_MAX_CONCURRENT_CALLS", "4"), ("VIVIER_MAX_QUEUED_CALLS", "0")]);
    let id = parse(&s, &sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    let timeout_ms = 4000;
    let manifest = common::manifest("hostile-sleep-forever", "skills-matcher", 64, timeout_ms, "");
    let bundle = Bundle::pack(manifest, common::component("hostile-sleep-forever"), None).unwrap();
    let zip = dir.path().join("asleep.zip");
    bundle.write_zip(&zip).unwrap();
    let up = post_raw(&s.url("/v1/admin/plugins"), Some(&admin), "application/zip", &std::fs::read(&zip).unwrap());
    assert_eq!(up.status, 201, "{}", up.text);
    // Its bias probe ends at each call's deadline, so activating it takes a written justification.
    let act = put_json(
        &s.url("/v1/admin/slots/skills-matcher/active"),
        Some(&admin),
        &json!({ "plugin": "hostile-sleep-forever", "override_justification": "Test de confinement : ce plugin dort dans l'hôte" }),
    );
    assert_eq!(act.status, 200, "{}", act.text);

    let body = json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": [id] });
    let asleep: Vec<_> = (0..2)
        .map(|_| {
            let (url, key, body) = (s.url("/v1/rankings"), sirh.clone(), body.clone());
            std::thread::spawn(move || post_json(&url, Some(&key), &body))
        })
        .collect();
    while admitted(&s, &admin) < 2 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The matcher's lane is full: the next ranking is refused at once, with an honest wait.
    let refused = post_json(&s.url("/v1/rankings"), Some(&sirh), &body);
    assert_eq!(assert_error(&refused, 503, None)["error"]["code"], "overloaded");
    let wait: u64 = refused.retry_after.as_deref().and_then(|v| v.parse().ok()).expect("Retry-After");
    assert!((1..=u64::from(timeout_ms / 1000)).contains(&wait), "Retry-After {wait}");
    // Parsing has its own lane: two at once still answer.
    let parsers: Vec<_> = (0..2)
        .map(|_| {
            let (url, key) = (s.url("/v1/cv/parse"), sirh.clone());
            std::thread::spawn(move || post_file(&url, Some(&key), "cv.txt", "text/plain", &cv("en-nurse.txt")))
        })
        .collect();
    for p in parsers {
        let r = p.join().unwrap();
        assert_eq!(r.status, 201, "{}", r.text);
    }

    // The stop switch ends both sleepers in flight: stopped, not timed out.
    assert_eq!(post_empty(&s.url("/v1/admin/slots/skills-matcher/stop"), Some(&admin)).status, 200);
    for t in asleep {
        let r = t.join().unwrap();
        let e = assert_error(&r, 503, None);
        assert_eq!(e["error"]["code"], "plugin_failed", "{e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("(code stopped)"), "{e}");
    }
    assert_eq!(admitted(&s, &admin), 0, "every place is free again");
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&admin)).json();
    let stopped = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "plugin.call" && e["payload"]["outcome"] == "stopped")
        .count();
    assert_eq!(stopped, 2, "each call ended by the switch is in the audit log");
    assert!(s.stop().success());
    let (valid, v) = audit_verify(dir.path());
    assert!(valid, "{v}");
}
