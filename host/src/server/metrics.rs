//! Prometheus metrics: plugin calls, errors, latency and CPU time per plugin; HTTP responses.

use crate::runtime::CallReport;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

const BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

#[derive(Default, Clone)]
struct PluginStats {
    calls: u64,
    errors: u64,
    wall_seconds: f64,
    cpu_seconds: f64,
    buckets: [u64; BUCKETS.len()],
}

#[derive(Default)]
pub struct Metrics {
    plugins: Mutex<BTreeMap<(String, String, String), PluginStats>>,
    http: Mutex<BTreeMap<u16, u64>>,
}

fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Metrics {
    pub fn record_call(&self, report: &CallReport) {
        let key = (report.plugin.world.name().to_owned(), report.plugin.id.clone(), report.plugin.version.clone());
        let mut map = self.plugins.lock().unwrap_or_else(|e| e.into_inner());
        let s = map.entry(key).or_default();
        s.calls += 1;
        if report.outcome != "ok" {
            s.errors += 1;
        }
        let wall = report.wall_us as f64 / 1e6;
        s.wall_seconds += wall;
        s.cpu_seconds += report.cpu_us as f64 / 1e6;
        for (i, le) in BUCKETS.iter().enumerate() {
            if wall <= *le {
                s.buckets[i] += 1;
            }
        }
    }

    pub fn record_response(&self, status: u16) {
        *self.http.lock().unwrap_or_else(|e| e.into_inner()).entry(status).or_default() += 1;
    }

    pub fn render(&self) -> String {
        let plugins = self.plugins.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut out = String::new();
        let heads = [
            ("vivier_plugin_calls_total", "counter", "Plugin calls."),
            ("vivier_plugin_errors_total", "counter", "Plugin calls that did not end with `ok`."),
            ("vivier_plugin_cpu_seconds_total", "counter", "CPU time spent in plugin calls."),
        ];
        for (name, kind, help) in heads {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for ((world, id, version), s) in &plugins {
                let value = match name {
                    "vivier_plugin_calls_total" => s.calls as f64,
                    "vivier_plugin_errors_total" => s.errors as f64,
                    _ => s.cpu_seconds,
                };
                let _ = writeln!(
                    out,
                    "{name}{{slot=\"{}\",plugin=\"{}\",version=\"{}\"}} {value}",
                    label(world),
                    label(id),
                    label(version)
                );
            }
        }
        let name = "vivier_plugin_call_duration_seconds";
        let _ = writeln!(out, "# HELP {name} Wall time of plugin calls.\n# TYPE {name} histogram");
        for ((world, id, version), s) in &plugins {
            let labels = format!("slot=\"{}\",plugin=\"{}\",version=\"{}\"", label(world), label(id), label(version));
            for (i, le) in BUCKETS.iter().enumerate() {
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{le}\"}} {}", s.buckets[i]);
            }
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", s.calls);
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", s.wall_seconds);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", s.calls);
        }
        let _ = writeln!(
            out,
            "# HELP vivier_http_responses_total HTTP responses by status.\n# TYPE vivier_http_responses_total counter"
        );
        for (status, n) in self.http.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(out, "vivier_http_responses_total{{status=\"{status}\"}} {n}");
        }
        out
    }
}
