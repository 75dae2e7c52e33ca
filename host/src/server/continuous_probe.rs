//! Continuous probing: at random times the host runs counterfactual pairs through the active
//! skills-matcher, in the background, with a fresh seed each time (`probe::run`): calls that
//! look like production, whose results no recruiter ever sees. Each run is recorded in the
//! audit log per plugin version (`probe.continuous`); a failed signal raises `probe.alert`,
//! which the console shows on its Modules page until a run passes again.
//!
//! A matcher that behaves only while probed at activation is caught here, on its own terms:
//! every run is as hard to tell from production as the activation probe.

use super::Shared;
use crate::audit::Event;
use crate::probe;
use crate::world::World;
use serde_json::json;
use std::time::Duration;

/// Pairs per signal of a background run: a lighter probe, repeated.
pub const PAIRS: usize = 12;

/// Seconds until the next run: exponential around the mean, so that runs cannot be predicted
/// (at least a minute, at most four means).
fn next_delay(mean_secs: u64) -> Duration {
    let u = (probe::random_seed() >> 11) as f64 / (1u64 << 53) as f64;
    let secs = -(1.0 - u).ln() * mean_secs as f64;
    Duration::from_secs_f64(secs.clamp(60.0_f64.min(mean_secs as f64), 4.0 * mean_secs as f64))
}

pub fn spawn(state: Shared) -> Option<tokio::task::JoinHandle<()>> {
    let mean = state.config.probe_every_secs;
    if mean == 0 {
        return None;
    }
    Some(tokio::spawn(async move {
        loop {
            tokio::time::sleep(next_delay(mean)).await;
            if let Err(e) = run_once(&state).await {
                tracing::warn!(error = %e, "continuous bias probe did not run");
            }
        }
    }))
}

/// One background run on the active matcher, recorded; `Ok(None)` when there is none to probe
/// (no active matcher, or its slot is stopped).
pub async fn run_once(state: &Shared) -> anyhow::Result<Option<probe::BiasReport>> {
    let Ok((active, _)) = state.slots.for_call(World::SkillsMatcher) else { return Ok(None) };
    // One matcher lane while it runs: the probe's calls count like the SIRH's.
    let _turn = state
        .admission
        .turn(World::SkillsMatcher, active.plugin.limits.timeout)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let (rt, plugin) = (state.runtime.clone(), active.plugin.clone());
    let options = probe::Options { pairs: PAIRS, ..probe::Options::default() };
    let report = tokio::task::spawn_blocking(move || probe::run(&rt, &plugin, options)).await?;
    let failed: Vec<&str> = report.signals.iter().filter(|s| !s.passed).map(|s| s.signal.name()).collect();
    let payload = json!({
        "plugin": format!("{}@{}", report.plugin.id, report.plugin.version),
        "digest": report.plugin.digest,
        "passed": report.passed,
        "failed_signals": failed,
        "seed": report.seed,
        "pairs_per_signal": report.pairs_per_signal,
        "summary": report.summary,
    });
    let mut tx = state.audit.begin().await?;
    tx.append(Event::new("probe.continuous", "system", payload.clone())).await?;
    if !report.passed {
        tx.append(Event::new("probe.alert", "system", payload)).await?;
    }
    tx.commit().await?;
    if !report.passed {
        tracing::warn!(plugin = %report.plugin.id, version = %report.plugin.version, signals = ?failed, "continuous bias probe failed");
    }
    Ok(Some(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_random_and_bounded() {
        let delays: Vec<Duration> = (0..200).map(|_| next_delay(3600)).collect();
        assert!(delays.iter().all(|d| *d >= Duration::from_secs(60) && *d <= Duration::from_secs(4 * 3600)));
        let distinct: std::collections::BTreeSet<u64> = delays.iter().map(Duration::as_secs).collect();
        assert!(distinct.len() > 100, "not predictable");
        let mean = delays.iter().map(Duration::as_secs_f64).sum::<f64>() / 200.0;
        assert!((1800.0..5400.0).contains(&mean), "{mean}");
    }
}
