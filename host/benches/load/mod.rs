//! What the load benches (`serve_load`, `shadow_overhead`, `replicas`) share: latency percentiles
//! and one authenticated JSON call to a running `vivier serve`.
#![allow(dead_code)]

use serde_json::Value;

/// The `p` quantile (0 to 1) of latencies sorted ascending; 0 when there are none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One request with a bearer key, a JSON body when given, and a JSON answer.
pub fn call(agent: &ureq::Agent, method: &str, url: &str, key: &str, body: Option<&Value>) -> Result<Value, String> {
    let req = agent.request(method, url).set("Authorization", &format!("Bearer {key}"));
    let resp = match body {
        Some(b) => req.set("Content-Type", "application/json").send_string(&b.to_string()),
        None => req.call(),
    };
    resp.map_err(|e| e.to_string())?.into_json().map_err(|e| e.to_string())
}

/// Resident memory of a process, in KiB (0 when it is gone).
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A key of `role` created with the CLI on `data` (alone on the last line of its output).
pub fn create_key(bin: &str, data: &std::path::Path, role: &str) -> String {
    let out = std::process::Command::new(bin)
        .args(["keys", "create", "--role", role, "--data-dir"])
        .arg(data)
        .output()
        .expect("vivier keys create runs");
    String::from_utf8(out.stdout).unwrap().lines().last().expect("a key").trim().to_owned()
}

/// `vivier serve` on a free loopback port over `data`; returns the child and its base URL.
pub fn start_server(bin: &str, data: &std::path::Path, env: &[(&str, &str)]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut cmd = std::process::Command::new(bin);
    cmd.args(["serve", "--data-dir"])
        .arg(data)
        .env("VIVIER_BIND", "127.0.0.1:0")
        .env("VIVIER_MODEL_INSTALL", "off")
        .stdout(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("vivier serve starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("vivier listening on ").expect("the address line").to_owned();
    (child, base)
}
