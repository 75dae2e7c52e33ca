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
