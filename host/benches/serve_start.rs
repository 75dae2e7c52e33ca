//! Start-up time of `vivier serve` with all bundled plugins: from spawning the process to the
//! first `/healthz` answer. Cold: a new data directory (every component compiled by Cranelift);
//! warm: the same directory again (components loaded from the compilation cache).
//!
//! cargo bench --workspace --bench serve_start

use std::time::{Duration, Instant};

#[path = "load/mod.rs"]
mod load;
use load::{percentile, start_server};

/// Seconds from spawn to a 200 on `/healthz`.
fn start_once(data: &std::path::Path) -> f64 {
    let bin = env!("CARGO_BIN_EXE_vivier");
    let t = Instant::now();
    let (mut child, base) = start_server(bin, data, &[]);
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).build();
    while agent.get(&format!("{base}/healthz")).call().map(|r| r.status()).unwrap_or(0) != 200 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let secs = t.elapsed().as_secs_f64();
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
    secs
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], percentile(&v, 0.5), v[v.len() - 1])
}

fn main() {
    let runs: usize = std::env::var("VIVIER_START_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let mut cold = Vec::new();
    let keep = tempfile::tempdir().unwrap();
    for i in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        cold.push(start_once(dir.path()));
        if i == 0 {
            start_once(keep.path());
        }
    }
    let warm: Vec<f64> = (0..runs).map(|_| start_once(keep.path())).collect();
    let (cmin, cmed, cmax) = median(cold);
    let (wmin, wmed, wmax) = median(warm);
    println!(
        "serve start, cold (new data directory), {runs} runs: min {cmin:.3} s, median {cmed:.3} s, max {cmax:.3} s"
    );
    println!(
        "serve start, warm (compilation cache), {runs} runs: min {wmin:.3} s, median {wmed:.3} s, max {wmax:.3} s"
    );
}
