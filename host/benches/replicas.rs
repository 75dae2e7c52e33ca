//! Scale-out figures: requests per second and p99 latency of CV parses and rankings (50 stored
//! candidates) with 1, 2 and 3 `vivier serve` replicas on loopback over one PostgreSQL (a
//! throwaway cluster, as in the tests), next to one replica on its SQLite file; then the time a
//! plugin activation made through replica 1 takes to reach every replica.
//! `VIVIER_LOAD_SECS` sets each phase's duration (default 20), `VIVIER_LOAD_CLIENTS` the total
//! number of concurrent clients, spread over the replicas (default 6).
//!
//! cargo bench -p vivier --bench replicas

#[path = "../../tests/pg/mod.rs"]
mod pg;

use base64::Engine as _;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "load/mod.rs"]
mod load;
use load::{call, percentile};

const BIN: &str = env!("CARGO_BIN_EXE_vivier");
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn with_db(cmd: &mut Command, db: Option<&str>) {
    cmd.env_remove("VIVIER_DATABASE");
    if let Some(db) = db {
        cmd.arg("--database").arg(db);
    }
}

fn key(data: &Path, db: Option<&str>, role: &str) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args(["keys", "create", "--role", role, "--data-dir"]).arg(data);
    with_db(&mut cmd, db);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().last().unwrap().trim().to_owned()
}

fn start(data: &Path, db: Option<&str>) -> (Child, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--data-dir"]).arg(data);
    with_db(&mut cmd, db);
    let mut child = cmd
        .env("VIVIER_BIND", "127.0.0.1:0")
        .env("VIVIER_MODEL_INSTALL", "off")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("vivier listening on ").expect("address line").to_owned();
    (child, base)
}

/// `clients` threads, spread over `bases`, run `op` for `secs`: (ok, errors, sorted ms, elapsed).
type Op = Arc<dyn Fn(&ureq::Agent, &str) -> Result<(), String> + Send + Sync>;

fn phase(bases: &[String], clients: usize, secs: u64, op: Op) -> (usize, usize, Vec<f64>, f64) {
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (stop, op, errors, base) = (stop.clone(), op.clone(), errors.clone(), bases[c % bases.len()].clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(120)).build();
                let mut lat = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    match op(&agent, &base) {
                        Ok(()) => lat.push(t.elapsed().as_secs_f64() * 1000.0),
                        Err(e) => {
                            if errors.fetch_add(1, Ordering::Relaxed) < 3 {
                                eprintln!("error: {e}");
                            }
                        }
                    }
                }
                lat
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::Relaxed);
    let mut all: Vec<f64> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    (all.len(), errors.load(Ordering::Relaxed), all, elapsed)
}

fn matcher_bundle(dir: &Path) -> Vec<u8> {
    let builtin = vivier::builtin::bundles()
        .unwrap()
        .into_iter()
        .find(|b| b.manifest.plugin.id == "vivier-matcher-lexical")
        .unwrap();
    let mut manifest = builtin.manifest.clone();
    manifest.plugin.version = "0.9.0".into();
    let bundle = vivier::bundle::Bundle::pack(manifest, builtin.component.clone(), None).unwrap();
    let path = dir.join("matcher.zip");
    bundle.write_zip(&path).unwrap();
    std::fs::read(path).unwrap()
}

fn run(label: &str, db: Option<&str>, replicas: usize, clients: usize, secs: u64) {
    let dirs: Vec<_> = (0..replicas).map(|_| tempfile::tempdir().unwrap()).collect();
    let sirh = key(dirs[0].path(), db, "sirh");
    let admin = key(dirs[0].path(), db, "admin");
    let servers: Vec<(Child, String)> = dirs.iter().map(|d| start(d.path(), db)).collect();
    let bases: Vec<String> = servers.iter().map(|(_, b)| b.clone()).collect();
    let agent = ureq::AgentBuilder::new().build();
    let b64 = |p: &Path| base64::engine::general_purpose::STANDARD.encode(std::fs::read(p).unwrap());

    let doc = format!("{ROOT}/tests/fixtures/bench/cv-3k.txt");
    let parse_body = Arc::new(
        json!({ "filename": "cv-3k.txt", "media_type": "text/plain", "content_base64": b64(Path::new(&doc)) }),
    );
    let mut cvs: Vec<_> = std::fs::read_dir(format!("{ROOT}/tests/data/cv"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    cvs.sort();
    let mut ids = Vec::new();
    for i in 0..50 {
        let p = &cvs[i % cvs.len()];
        let b = json!({ "filename": p.file_name().unwrap().to_string_lossy(), "content_base64": b64(p) });
        let v = call(&agent, "POST", &format!("{}/v1/cv/parse", bases[i % bases.len()]), &sirh, Some(&b)).unwrap();
        ids.push(v["candidate_id"].as_str().unwrap().to_owned());
    }
    let posting: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{ROOT}/tests/fixtures/conformance/posting.json")).unwrap(),
    )
    .unwrap();
    let rank_body = Arc::new(json!({ "posting": posting, "candidate_ids": ids }));

    let (k, b) = (sirh.clone(), parse_body.clone());
    let (n, errors, lat, elapsed) = phase(
        &bases,
        clients,
        secs,
        Arc::new(move |a, base| call(a, "POST", &format!("{base}/v1/cv/parse"), &k, Some(&b)).map(drop)),
    );
    println!(
        "{label}: parse   {:7.1} req/s  p50 {:6.1} ms  p99 {:6.1} ms  ({n} ok, {errors} errors)",
        n as f64 / elapsed,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
    let (k, b) = (sirh.clone(), rank_body.clone());
    let (n, errors, lat, elapsed) = phase(
        &bases,
        clients,
        secs,
        Arc::new(move |a, base| {
            let v = call(a, "POST", &format!("{base}/v1/rankings"), &k, Some(&b))?;
            if v["candidates"].as_array().map_or(0, Vec::len) != 50 {
                return Err("a candidate is missing".into());
            }
            Ok(())
        }),
    );
    println!(
        "{label}: rank 50 {:7.1} req/s  p50 {:6.1} ms  p99 {:6.1} ms  ({n} ok, {errors} errors)",
        n as f64 / elapsed,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );

    if replicas > 1 {
        // Activation propagation: replica 1 swaps the matcher back and forth; time until every
        // replica reports the new plugin loaded.
        let zip = matcher_bundle(dirs[0].path());
        let up = agent
            .post(&format!("{}/v1/admin/plugins", bases[0]))
            .set("Authorization", &format!("Bearer {admin}"))
            .set("Content-Type", "application/zip")
            .send_bytes(&zip);
        assert!(up.is_ok(), "{up:?}");
        let builtin = vivier::builtin::bundles()
            .unwrap()
            .into_iter()
            .find(|b| b.manifest.plugin.id == "vivier-matcher-lexical")
            .unwrap();
        let specs = [
            "vivier-matcher-lexical@0.9.0".to_owned(),
            format!("vivier-matcher-lexical@{}", builtin.manifest.plugin.version),
        ];
        let mut times = Vec::new();
        std::thread::sleep(Duration::from_secs(1));
        for round in 0..6 {
            let spec = &specs[round % 2];
            let t = Instant::now();
            call(
                &agent,
                "PUT",
                &format!("{}/v1/admin/slots/skills-matcher/active", bases[0]),
                &admin,
                Some(&json!({ "plugin": spec })),
            )
            .unwrap();
            for base in &bases[1..] {
                while t.elapsed() < Duration::from_secs(10) {
                    let v = call(&agent, "GET", &format!("{base}/v1/admin/slots"), &admin, None).unwrap();
                    let s =
                        v["slots"].as_array().unwrap().iter().find(|s| s["slot"] == "skills-matcher").unwrap().clone();
                    if s["active"] == spec.as_str() && s["loaded"] == true {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{label}: activation reaches all {replicas} replicas in median {:.0} ms, max {:.0} ms ({} swaps)",
            percentile(&times, 0.5),
            times.last().unwrap(),
            times.len()
        );
    }
    for (mut child, _) in servers {
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let _ = child.wait();
    }
}

fn main() {
    let secs: u64 = std::env::var("VIVIER_LOAD_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let clients: usize = std::env::var("VIVIER_LOAD_CLIENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    println!(
        "{clients} clients in total, {secs} s per phase, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    run("sqlite   x1", None, 1, clients, secs);
    for n in 1..=3 {
        let db = pg::fresh_database();
        run(&format!("postgres x{n}"), Some(&db), n, clients, secs);
    }
}
