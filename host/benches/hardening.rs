//! Sustained load, overload and a trapping plugin against a real `vivier serve` on loopback.
//!
//! The workload mixes, in turn: a PDF CV parse, a DOCX CV parse, a ranking of 100 stored
//! candidates and a template draft. Phases:
//! 1. capacity: closed loop, 2 clients per core, 20 s: the maximum mixed throughput;
//! 2. sustained: open loop at 80 % of that maximum for `VIVIER_LOAD_SECS` (default 60; the
//!    figures in docs/benchmarks.md use 600): errors, p99 per tenth of the run, RSS at start,
//!    end and peak;
//! 3. overload: open loop at 2x the maximum for `VIVIER_OVERLOAD_SECS` (default 30): answered,
//!    refused with 503 `overloaded` (and how fast), other errors, RSS;
//! 4. trap storm: CV parses at 10/s alone, then beside 100 rankings a second on a matcher that
//!    traps on every call: the parser's latency.
//!
//! Latencies of the open-loop phases are measured from each request's scheduled time, so a
//! server that falls behind shows it (no coordinated omission).
//!
//! cargo bench --workspace --bench hardening

use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "load/mod.rs"]
mod load;
use load::{call, create_key, percentile, rss_kib, start_server};

/// One request: its HTTP status (0 for a transport error).
type Op = Arc<dyn Fn(&ureq::Agent, u64) -> u16 + Send + Sync>;

struct Sample {
    at: f64,
    ms: f64,
    status: u16,
}

fn send(agent: &ureq::Agent, url: &str, key: &str, body: &Value) -> u16 {
    let r = agent
        .post(url)
        .set("Authorization", &format!("Bearer {key}"))
        .set("Content-Type", "application/json")
        .send_string(&body.to_string());
    match r {
        Ok(resp) => {
            let status = resp.status();
            // Read the whole answer, as a client does.
            let _ = std::io::copy(&mut resp.into_reader(), &mut std::io::sink());
            status
        }
        Err(ureq::Error::Status(code, resp)) => {
            let _ = std::io::copy(&mut resp.into_reader(), &mut std::io::sink());
            code
        }
        Err(_) => 0,
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().timeout(Duration::from_secs(120)).build()
}

/// Closed loop: `clients` threads, each sending the next request when the last one is answered.
fn closed_loop(clients: usize, secs: f64, op: Op) -> Vec<Sample> {
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (stop, next, op) = (stop.clone(), next.clone(), op.clone());
            std::thread::spawn(move || {
                let (agent, mut out) = (agent(), Vec::new());
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let status = op(&agent, next.fetch_add(1, Ordering::Relaxed));
                    out.push(Sample {
                        at: started.elapsed().as_secs_f64(),
                        ms: t.elapsed().as_secs_f64() * 1e3,
                        status,
                    });
                }
                out
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(secs));
    stop.store(true, Ordering::Relaxed);
    handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
}

/// Open loop: request i is due at start + i / rate, whatever happened to the others.
fn open_loop(rate: f64, secs: f64, workers: usize, op: Op) -> Vec<Sample> {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let total = (rate * secs) as u64;
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (next, op) = (next.clone(), op.clone());
            std::thread::spawn(move || {
                let (agent, mut out) = (agent(), Vec::new());
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let due = Duration::from_secs_f64(i as f64 / rate);
                    if let Some(wait) = due.checked_sub(started.elapsed()) {
                        std::thread::sleep(wait);
                    }
                    let status = op(&agent, i);
                    out.push(Sample {
                        at: due.as_secs_f64(),
                        ms: (started.elapsed() - due).as_secs_f64() * 1e3,
                        status,
                    });
                }
                out
            })
        })
        .collect();
    handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
}

fn sorted_ms<'a>(samples: impl Iterator<Item = &'a Sample>) -> Vec<f64> {
    let mut v: Vec<f64> = samples.map(|s| s.ms).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Samples the server's RSS every 200 ms until stopped; returns the peak in KiB.
fn rss_watch(pid: u32) -> (Arc<AtomicBool>, std::thread::JoinHandle<u64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    let h = std::thread::spawn(move || {
        let mut peak = 0;
        while !s.load(Ordering::Relaxed) {
            peak = peak.max(rss_kib(pid));
            std::thread::sleep(Duration::from_millis(200));
        }
        peak
    });
    (stop, h)
}

fn env_secs(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn main() {
    let sustained_secs = env_secs("VIVIER_LOAD_SECS", 60.0);
    let overload_secs = env_secs("VIVIER_OVERLOAD_SECS", 30.0);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let bin = env!("CARGO_BIN_EXE_vivier");
    let data = tempfile::tempdir().unwrap();
    let (sirh, admin) = (create_key(bin, data.path(), "sirh"), create_key(bin, data.path(), "admin"));
    let (mut child, base) = start_server(bin, data.path(), &[]);
    let pid = child.id();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());

    let doc = |name: &str| {
        let bytes = std::fs::read(format!("{root}/tests/data/cv-fr/{name}")).unwrap();
        json!({ "filename": name, "content_base64": b64(&bytes) })
    };
    let pdf = doc("01-durand-marie.pdf");
    let docx = doc("02-lefebvre-thomas.docx");
    let a = agent();
    let mut ids = Vec::new();
    let cvs: Vec<_> = std::fs::read_dir(format!("{root}/tests/data/cv-fr"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    for i in 0..100 {
        let p = &cvs[i % cvs.len()];
        let body = json!({ "filename": "cv.txt", "content_base64": b64(&std::fs::read(p).unwrap()) });
        let v = call(&a, "POST", &format!("{base}/v1/cv/parse"), &sirh, Some(&body)).unwrap();
        ids.push(v["candidate_id"].as_str().unwrap().to_owned());
    }
    let fixture = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/tests/fixtures/conformance/{name}")).unwrap())
            .unwrap()
    };
    let rank = json!({ "posting": fixture("posting.json"), "candidate_ids": ids });
    let draft = fixture("draft-request.json");
    let (b, k) = (base.clone(), sirh.clone());
    let mixed: Op = Arc::new(move |agent, i| match i % 4 {
        0 => send(agent, &format!("{b}/v1/cv/parse"), &k, &pdf),
        1 => send(agent, &format!("{b}/v1/cv/parse"), &k, &docx),
        2 => send(agent, &format!("{b}/v1/rankings"), &k, &rank),
        _ => send(agent, &format!("{b}/v1/postings/draft"), &k, &draft),
    });
    println!("machine: {cores} cores; server pid {pid}; RSS after set-up {} MiB", rss_kib(pid) / 1024);

    // 1. Capacity.
    let samples = closed_loop(2 * cores, 20.0, mixed.clone());
    let ok = samples.iter().filter(|s| s.status < 300).count();
    let max_rate = ok as f64 / 20.0;
    let lat = sorted_ms(samples.iter());
    println!(
        "capacity (closed loop, {} clients, 20 s): {max_rate:.1} req/s, p50 {:.1} ms, p99 {:.1} ms, {} errors",
        2 * cores,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        samples.len() - ok
    );

    // 2. Sustained at 80 %.
    let rate = 0.8 * max_rate;
    let rss_start = rss_kib(pid);
    let (stop, peak) = rss_watch(pid);
    let samples = open_loop(rate, sustained_secs, 4 * cores, mixed.clone());
    stop.store(true, Ordering::Relaxed);
    let (rss_peak, rss_end) = (peak.join().unwrap(), rss_kib(pid));
    let errors = samples.iter().filter(|s| s.status >= 300 || s.status == 0).count();
    let lat = sorted_ms(samples.iter());
    println!(
        "sustained at 80 % ({rate:.1} req/s, {sustained_secs:.0} s): {} requests, {errors} errors, p50 {:.1} ms, p99 {:.1} ms",
        samples.len(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
    let tenth = sustained_secs / 10.0;
    let p99s: Vec<String> = (0..10)
        .map(|w| {
            let l = sorted_ms(samples.iter().filter(|s| s.at >= w as f64 * tenth && s.at < (w + 1) as f64 * tenth));
            format!("{:.0}", percentile(&l, 0.99))
        })
        .collect();
    println!("  p99 (ms) per tenth of the run: {}", p99s.join(" "));
    println!("  RSS start {} MiB, end {} MiB, peak {} MiB", rss_start / 1024, rss_end / 1024, rss_peak / 1024);

    // 3. Overload at 2x.
    let rate = 2.0 * max_rate;
    let (stop, peak) = rss_watch(pid);
    let samples = open_loop(rate, overload_secs, 256, mixed.clone());
    stop.store(true, Ordering::Relaxed);
    let rss_peak = peak.join().unwrap();
    let served: Vec<&Sample> = samples.iter().filter(|s| s.status < 300 && s.status != 0).collect();
    let refused: Vec<&Sample> = samples.iter().filter(|s| s.status == 503).collect();
    let other = samples.len() - served.len() - refused.len();
    let (ls, lr) = (sorted_ms(served.iter().copied()), sorted_ms(refused.iter().copied()));
    println!(
        "overload at 2x ({rate:.1} req/s, {overload_secs:.0} s): {} requests; {} served (p50 {:.1} ms, p99 {:.1} ms, {:.1} req/s); {} refused 503 (p50 {:.1} ms, p99 {:.1} ms); {other} other errors",
        samples.len(),
        served.len(),
        percentile(&ls, 0.5),
        percentile(&ls, 0.99),
        served.len() as f64 / overload_secs,
        refused.len(),
        percentile(&lr, 0.5),
        percentile(&lr, 0.99),
    );
    let mut others = std::collections::BTreeMap::new();
    for s in samples.iter().filter(|s| !(s.status < 300 && s.status != 0) && s.status != 503) {
        *others.entry(s.status).or_insert(0) += 1;
    }
    if !others.is_empty() {
        println!("  other errors by status (0: transport error): {others:?}");
    }
    let healthy = ureq::get(&format!("{base}/healthz")).call().map(|r| r.status()).unwrap_or(0);
    println!("  RSS peak {} MiB, after {} MiB; /healthz afterwards: {healthy}", rss_peak / 1024, rss_kib(pid) / 1024);

    // 4. A matcher that traps on every call, 100 calls a second, beside CV parses at 10/s.
    let parse_pdf = {
        let (b, k, pdf) = (base.clone(), sirh.clone(), doc("01-durand-marie.pdf"));
        Arc::new(move |agent: &ureq::Agent, _| send(agent, &format!("{b}/v1/cv/parse"), &k, &pdf)) as Op
    };
    let alone = open_loop(10.0, 20.0, 4, parse_pdf.clone());
    install_trapping_matcher(&base, &admin, data.path());
    let calls = Arc::new(AtomicUsize::new(0));
    let storm = {
        let (b, k, c) = (base.clone(), sirh.clone(), calls.clone());
        let body = json!({ "posting": fixture("posting.json"), "candidate_ids": [ids[0]] });
        std::thread::spawn(move || {
            let op: Op = Arc::new(move |agent, _| {
                c.fetch_add(1, Ordering::Relaxed);
                send(agent, &format!("{b}/v1/rankings"), &k, &body)
            });
            open_loop(100.0, 20.0, 16, op)
        })
    };
    let beside = open_loop(10.0, 20.0, 4, parse_pdf);
    let storm = storm.join().unwrap();
    let trapped = storm.iter().filter(|s| s.status == 502).count();
    let (la, lb) = (sorted_ms(alone.iter()), sorted_ms(beside.iter()));
    println!(
        "trap storm: {} rankings on the trapping matcher ({trapped} answered 502); CV parse p50/p99 alone {:.1}/{:.1} ms, beside the storm {:.1}/{:.1} ms; parse errors {} / {}",
        storm.len(),
        percentile(&la, 0.5),
        percentile(&la, 0.99),
        percentile(&lb, 0.5),
        percentile(&lb, 0.99),
        alone.iter().filter(|s| s.status >= 300).count(),
        beside.iter().filter(|s| s.status >= 300).count(),
    );
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    let _ = child.wait();
}

/// Uploads the hostile `panic` component as a skills-matcher and makes it active.
fn install_trapping_matcher(base: &str, admin: &str, dir: &std::path::Path) {
    let manifest = common::manifest("hostile-panic", "skills-matcher", 64, 2000, "");
    let component = common::component("hostile-panic");
    let bundle = vivier::bundle::Bundle::pack(manifest, component, None).unwrap();
    let path = dir.join("panic.zip");
    bundle.write_zip(&path).unwrap();
    let up = ureq::post(&format!("{base}/v1/admin/plugins"))
        .set("Authorization", &format!("Bearer {admin}"))
        .set("Content-Type", "application/zip")
        .send_bytes(&std::fs::read(&path).unwrap());
    assert!(up.is_ok(), "upload: {up:?}");
    let body = json!({ "plugin": "hostile-panic", "override_justification": "Banc d'essai : ce plugin échoue à chaque appel" });
    let r = call(&agent(), "PUT", &format!("{base}/v1/admin/slots/skills-matcher/active"), admin, Some(&body));
    assert!(r.is_ok(), "activation: {r:?}");
}
