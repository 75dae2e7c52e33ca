//! Shadow evaluation: a second plugin attached to a slot runs on the same inputs as the active
//! one, after the answer has gone, and its results are only ever compared, never returned.
//! This module computes the comparison report from the stored runs; the server's runner is in
//! `server::shadow`.
//!
//! Per pair (active, shadow) of plugin versions: number of runs, shadow errors, mean Kendall
//! tau-b between the two orders, mean top-3 overlap, mean CPU time of each, and both plugins'
//! bias probe results. Orders are lists of per-call opaque ids, so the report holds no personal
//! data.

use crate::probe::gate;
use crate::probe::stats::{kendall_tau, top_k_overlap};
use crate::store::oversight::{self, ShadowRun};
use crate::store::{Pool, StoreError};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Top-k of the overlap figure: the first screen a recruiter reads.
pub const TOP_K: usize = 3;

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn round(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 10_000.0).round() / 10_000.0)
}

/// Figures of the runs of one (active, shadow) pair.
pub fn figures(runs: &[&ShadowRun]) -> Value {
    let (mut taus, mut overlaps) = (Vec::new(), Vec::new());
    let mut errors = 0usize;
    for r in runs {
        let active: Vec<String> = serde_json::from_str(&r.active_order).unwrap_or_default();
        match r.shadow_order.as_deref().map(serde_json::from_str::<Vec<String>>) {
            Some(Ok(shadow)) if r.shadow_error.is_none() => {
                if let Some(t) = kendall_tau(&active, &shadow) {
                    taus.push(t);
                }
                if let Some(o) = top_k_overlap(&active, &shadow, TOP_K) {
                    overlaps.push(o);
                }
            }
            _ => errors += 1,
        }
    }
    let active_cpu: Vec<f64> = runs.iter().map(|r| r.active_cpu_us as f64).collect();
    let shadow_cpu: Vec<f64> =
        runs.iter().filter(|r| r.shadow_error.is_none()).map(|r| r.shadow_cpu_us as f64).collect();
    let (a, s) = (mean(&active_cpu), mean(&shadow_cpu));
    json!({
        "runs": runs.len(),
        "shadow_errors": errors,
        "compared": taus.len(),
        "kendall_tau_mean": round(mean(&taus)),
        "kendall_tau_min": round(taus.iter().copied().reduce(f64::min)),
        "top_k": TOP_K,
        "top_k_overlap_mean": round(mean(&overlaps)),
        "active_cpu_us_mean": a.map(|v| v.round()),
        "shadow_cpu_us_mean": s.map(|v| v.round()),
        "shadow_cpu_ratio": round(a.zip(s).filter(|(a, _)| *a > 0.0).map(|(a, s)| s / a)),
    })
}

/// The stored probe summary of a plugin digest, or null.
async fn probe_summary(pool: &Pool, digest: Option<&str>) -> Result<Value, StoreError> {
    Ok(match digest {
        Some(d) => oversight::probe(pool, d).await?.as_ref().map(gate::summary_of).unwrap_or(Value::Null),
        None => Value::Null,
    })
}

/// The report of a slot. `digest_of` resolves `id@version` to a digest (through the registry).
pub async fn report(
    pool: &Pool,
    world: &str,
    digest_of: impl Fn(&str) -> Option<String>,
    dropped: Option<u64>,
) -> Result<Value, StoreError> {
    let runs = oversight::shadow_runs(pool, world).await?;
    let attached = oversight::shadow_slots(pool).await?.into_iter().find(|s| s.world == world);
    let mut groups: BTreeMap<(String, String), Vec<&ShadowRun>> = BTreeMap::new();
    for r in &runs {
        groups.entry((r.active_ref.clone(), r.shadow_ref.clone())).or_default().push(r);
    }
    let mut comparisons = Vec::new();
    for ((active, shadow), rs) in &groups {
        let mut f = figures(rs);
        f["active"] = active.clone().into();
        f["shadow"] = shadow.clone().into();
        f["active_bias_probe"] = probe_summary(pool, digest_of(active).as_deref()).await?;
        f["shadow_bias_probe"] = probe_summary(pool, digest_of(shadow).as_deref()).await?;
        f["from"] = crate::server::routes::rfc3339(rs.first().map_or(0, |r| r.created_at)).into();
        f["to"] = crate::server::routes::rfc3339(rs.last().map_or(0, |r| r.created_at)).into();
        comparisons.push(f);
    }
    Ok(json!({
        "slot": world,
        "attached": attached,
        "dropped_since_start": dropped,
        "comparisons": comparisons,
        "notice": "Évaluation fantôme : les résultats du plugin en observation ne sont jamais renvoyés au SIRH ; ce rapport compare seulement les deux classements.",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(active: &[&str], shadow: Option<&[&str]>, a_cpu: i64, s_cpu: i64) -> ShadowRun {
        ShadowRun {
            id: "x".into(),
            world: "skills-matcher".into(),
            trace_id: "t".into(),
            active_ref: "a@1".into(),
            shadow_ref: "b@1".into(),
            active_order: serde_json::to_string(active).unwrap(),
            shadow_order: shadow.map(|s| serde_json::to_string(s).unwrap()),
            shadow_error: shadow.is_none().then(|| "trap".into()),
            active_cpu_us: a_cpu,
            shadow_cpu_us: s_cpu,
            created_at: 0,
        }
    }

    #[test]
    fn figures_of_identical_reversed_and_failed_runs() {
        let same = run(&["k1", "k2", "k3", "k4"], Some(&["k1", "k2", "k3", "k4"]), 100, 300);
        let reversed = run(&["k1", "k2", "k3", "k4"], Some(&["k4", "k3", "k2", "k1"]), 100, 100);
        let failed = run(&["k1", "k2"], None, 100, 0);
        let f = figures(&[&same, &reversed, &failed]);
        assert_eq!(f["runs"], 3);
        assert_eq!(f["shadow_errors"], 1);
        assert_eq!(f["kendall_tau_mean"], 0.0);
        assert_eq!(f["kendall_tau_min"], -1.0);
        // Top 3: all shared in the first run, two of three in the reversed one.
        assert_eq!(f["top_k_overlap_mean"], 0.8333);
        assert_eq!(f["shadow_cpu_ratio"], 2.0);
    }
}
