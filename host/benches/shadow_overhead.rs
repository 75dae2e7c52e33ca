//! What a shadow plugin costs the SIRH: rankings of 100 stored candidates from concurrent
//! clients against a real `vivier serve`, first without a shadow, then with a second lexical
//! matcher attached in shadow to the skills-matcher slot. Prints req/s and p50/p99 latency of
//! both phases, the slowdown (target: under 10 %), and how many shadow runs were stored or
//! dropped. `VIVIER_LOAD_SECS` (default 20) and `VIVIER_LOAD_CLIENTS` (default 2).
//!
//! cargo bench -p vivier --bench shadow_overhead

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use vivier::bundle::Bundle;

#[path = "load/mod.rs"]
mod load;
use load::{call, percentile};

/// (req/s, p50 ms, p99 ms, errors) of rankings from `clients` threads for `secs`.
fn phase(clients: usize, secs: u64, url: &str, key: &str, body: &Value) -> (f64, f64, f64, usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (stop, url, key, body) = (stop.clone(), url.to_owned(), key.to_owned(), body.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(120)).build();
                let (mut lat, mut errors) = (Vec::new(), 0);
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    match call(&agent, "POST", &url, &key, Some(&body)) {
                        Ok(v) if v["candidates"].as_array().map_or(0, Vec::len) == 100 => {
                            lat.push(t.elapsed().as_secs_f64() * 1000.0)
                        }
                        _ => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::Relaxed);
    let (mut all, mut errors) = (Vec::new(), 0);
    for h in handles {
        let (l, e) = h.join().unwrap();
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    (all.len() as f64 / elapsed, percentile(&all, 0.5), percentile(&all, 0.99), errors)
}

fn main() {
    let secs: u64 = std::env::var("VIVIER_LOAD_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let clients: usize = std::env::var("VIVIER_LOAD_CLIENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let data = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_vivier");
    let key_of = |role: &str| {
        let out =
            Command::new(bin).args(["keys", "create", "--role", role, "--data-dir"]).arg(data.path()).output().unwrap();
        String::from_utf8(out.stdout).unwrap().lines().last().unwrap().trim().to_owned()
    };
    let (sirh, admin) = (key_of("sirh"), key_of("admin"));
    let mut child = Command::new(bin)
        .args(["serve", "--data-dir"])
        .arg(data.path())
        .env("VIVIER_BIND", "127.0.0.1:0")
        .env("VIVIER_MODEL_INSTALL", "off")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("vivier listening on ").expect("address line").to_owned();
    let agent = ureq::AgentBuilder::new().build();

    use base64::Engine as _;
    let cvs: Vec<_> = std::fs::read_dir(format!("{root}/tests/data/cv"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    let mut ids = Vec::new();
    for i in 0..100 {
        let p = &cvs[i % cvs.len()];
        let b = json!({ "filename": p.file_name().unwrap().to_string_lossy(), "content_base64": base64::engine::general_purpose::STANDARD.encode(std::fs::read(p).unwrap()) });
        let v = call(&agent, "POST", &format!("{base}/v1/cv/parse"), &sirh, Some(&b)).unwrap();
        ids.push(v["candidate_id"].as_str().unwrap().to_owned());
    }
    let posting: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/tests/fixtures/conformance/posting.json")).unwrap(),
    )
    .unwrap();
    let body = json!({ "posting": posting, "candidate_ids": ids });
    let url = format!("{base}/v1/rankings");
    // Warm-up, so that both phases start from compiled components and a warm cache.
    for _ in 0..5 {
        call(&agent, "POST", &url, &sirh, Some(&body)).unwrap();
    }

    let (rps0, p50_0, p99_0, e0) = phase(clients, secs, &url, &sirh, &body);
    println!("without shadow: {rps0:.1} req/s, p50 {p50_0:.1} ms, p99 {p99_0:.1} ms, {e0} errors");

    // The shadow: the bundled lexical matcher republished as another version.
    let builtin = vivier::builtin::bundles()
        .unwrap()
        .into_iter()
        .find(|b| b.manifest.plugin.id == "vivier-matcher-lexical")
        .unwrap();
    let mut manifest = builtin.manifest.clone();
    manifest.plugin.version = "9.9.9".into();
    let zip = data.path().join("shadow.zip");
    Bundle::pack(manifest, builtin.component.clone(), None).unwrap().write_zip(&zip).unwrap();
    let up = agent
        .post(&format!("{base}/v1/admin/plugins"))
        .set("Authorization", &format!("Bearer {admin}"))
        .set("Content-Type", "application/zip")
        .send_bytes(&std::fs::read(&zip).unwrap());
    assert!(up.is_ok(), "upload: {up:?}");
    let shadow_url = format!("{base}/v1/admin/slots/skills-matcher/shadow");
    call(&agent, "POST", &shadow_url, &admin, Some(&json!({ "plugin": "vivier-matcher-lexical@9.9.9" }))).unwrap();
    for _ in 0..5 {
        call(&agent, "POST", &url, &sirh, Some(&body)).unwrap();
    }

    let (rps1, p50_1, p99_1, e1) = phase(clients, secs, &url, &sirh, &body);
    println!("with shadow:    {rps1:.1} req/s, p50 {p50_1:.1} ms, p99 {p99_1:.1} ms, {e1} errors");
    println!(
        "slowdown: p50 {:+.1} %, throughput {:+.1} % (target: p50 within +10 %)",
        100.0 * (p50_1 / p50_0 - 1.0),
        100.0 * (rps1 / rps0 - 1.0)
    );
    std::thread::sleep(Duration::from_secs(2));
    let report = call(&agent, "GET", &format!("{shadow_url}/report"), &admin, None).unwrap();
    let runs: u64 = report["comparisons"].as_array().map_or(0, |c| c.iter().filter_map(|x| x["runs"].as_u64()).sum());
    println!(
        "shadow runs stored: {runs}, dropped (queue full): {}; mean Kendall tau {}, shadow/active CPU {}",
        report["dropped_since_start"],
        report["comparisons"][0]["kendall_tau_mean"],
        report["comparisons"][0]["shadow_cpu_ratio"]
    );
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
}
