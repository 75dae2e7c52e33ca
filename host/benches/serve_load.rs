//! Load generator against a real `vivier serve` on loopback: CV parses and rankings of 100
//! candidates, from concurrent clients. Prints requests per second, p50/p99 latency and the
//! server's RSS before and after. `VIVIER_LOAD_SECS` sets the duration of each phase (default
//! 60), `VIVIER_LOAD_CLIENTS` the number of concurrent clients (default 4).
//!
//! cargo bench -p vivier --bench serve_load

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "load/mod.rs"]
mod load;
use load::{call, percentile, rss_kib};

/// Runs `op` from `clients` threads for `secs`; returns (requests, errors, sorted latencies in ms).
type Op = Arc<dyn Fn(&ureq::Agent) -> Result<(), String> + Send + Sync>;

fn phase(clients: usize, secs: u64, op: Op) -> (usize, usize, Vec<f64>, f64) {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (stop, op) = (stop.clone(), op.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(120)).build();
                let (mut lat, mut errors) = (Vec::new(), 0);
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    match op(&agent) {
                        Ok(()) => lat.push(t.elapsed().as_secs_f64() * 1000.0),
                        Err(e) => {
                            errors += 1;
                            if errors < 3 {
                                eprintln!("error: {e}");
                            }
                        }
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
    (all.len() + errors, errors, all, elapsed)
}

fn main() {
    let secs: u64 = std::env::var("VIVIER_LOAD_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let clients: usize = std::env::var("VIVIER_LOAD_CLIENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(4);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let data = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_vivier");
    let out =
        Command::new(bin).args(["keys", "create", "--role", "sirh", "--data-dir"]).arg(data.path()).output().unwrap();
    let key = String::from_utf8(out.stdout).unwrap().lines().last().unwrap().trim().to_owned();
    let mut child = Command::new(bin)
        .args(["serve", "--data-dir"])
        .arg(data.path())
        .env("VIVIER_BIND", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("vivier listening on ").expect("address line").to_owned();
    let pid = child.id();

    // The document: a 2-page PDF when one is given, else the 3 kB text CV of the CLI benchmark.
    let (doc_path, media) = match std::env::var("VIVIER_LOAD_PDF") {
        Ok(p) => (p, "application/pdf"),
        Err(_) => (format!("{root}/tests/fixtures/bench/cv-3k.txt"), "text/plain"),
    };
    use base64::Engine as _;
    let doc = base64::engine::general_purpose::STANDARD.encode(std::fs::read(&doc_path).unwrap());
    let parse_body =
        Arc::new(json!({ "filename": doc_path.rsplit('/').next(), "media_type": media, "content_base64": doc }));
    let agent = ureq::AgentBuilder::new().build();
    // 100 stored candidates for the ranking phase, from the development CVs.
    let cvs: Vec<_> = std::fs::read_dir(format!("{root}/tests/data/cv"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    let mut ids = Vec::new();
    for i in 0..100 {
        let p = &cvs[i % cvs.len()];
        let b = json!({ "filename": p.file_name().unwrap().to_string_lossy(), "content_base64": base64::engine::general_purpose::STANDARD.encode(std::fs::read(p).unwrap()) });
        ids.push(
            call(&agent, "POST", &format!("{base}/v1/cv/parse"), &key, Some(&b)).unwrap()["candidate_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let posting: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/tests/fixtures/conformance/posting.json")).unwrap(),
    )
    .unwrap();
    let rank_body = Arc::new(json!({ "posting": posting, "candidate_ids": ids }));
    let rss_before = rss_kib(pid);
    println!("server pid {pid}, {clients} clients, {secs} s per phase, RSS after warm-up {} MiB", rss_before / 1024);

    let (url, k, b) = (format!("{base}/v1/cv/parse"), key.clone(), parse_body.clone());
    let (n, errors, lat, elapsed) =
        phase(clients, secs, Arc::new(move |a| call(a, "POST", &url, &k, Some(&b)).map(drop)));
    println!(
        "parse ({media}, {} bytes): {n} requests, {errors} errors, {:.1} req/s, p50 {:.1} ms, p99 {:.1} ms",
        std::fs::metadata(&doc_path).unwrap().len(),
        (n - errors) as f64 / elapsed,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
    let (url, k, b) = (format!("{base}/v1/rankings"), key.clone(), rank_body.clone());
    let (n, errors, lat, elapsed) = phase(
        clients,
        secs,
        Arc::new(move |a| {
            let v = call(a, "POST", &url, &k, Some(&b))?;
            if v["candidates"].as_array().map_or(0, Vec::len) != 100 {
                return Err("a candidate is missing".into());
            }
            Ok(())
        }),
    );
    println!(
        "rank 100 candidates: {n} requests, {errors} errors, {:.1} req/s, p50 {:.1} ms, p99 {:.1} ms",
        (n - errors) as f64 / elapsed,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
    println!("RSS before {} MiB, after {} MiB", rss_before / 1024, rss_kib(pid) / 1024);
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    let _ = child.wait();
}
