//! Counterfactual bias probe of a skills-matcher (`vivier probe bias`), run at install, at each
//! new version and before activation.
//!
//! For each signal ([`pairs::Signal`]) the probe builds pairs of profiles that differ in that
//! signal only and asks the matcher to assess both members of every pair in the same call. It
//! reports, per signal, the score differences (reference minus variant) and an exact sign test.
//! The matcher is probed on the raw pairs, because the point is its own sensitivity (a matcher
//! may one day be fed by another path, and the pseudonymiser's residues must not be what saves
//! it); the same pairs are also run end to end, through the pseudonymiser, to show what remains
//! in production.
//!
//! A signal fails when the mean difference exceeds the tolerance in absolute value and the sign
//! test rejects "no systematic difference" at 5 %: a systematic, not a chance, shift. A probe
//! whose matcher fails on the pairs fails too: what cannot be measured is not shown harmless.

pub mod gate;
pub mod pairs;
pub mod stats;

use crate::model::{Candidate, PartialDate, Posting};
use crate::ranking;
use crate::runtime::{LoadedPlugin, Runtime};
use pairs::{Rng, Signal};
use serde::{Deserialize, Serialize};

/// Default tolerance on the mean score difference (scores are in [0, 1]).
pub const DEFAULT_TOLERANCE: f64 = 0.02;
/// Default number of pairs per signal.
pub const DEFAULT_PAIRS: usize = 40;
/// Significance level of the sign test.
pub const ALPHA: f64 = 0.05;
/// Fixed seed: a probe is reproducible, and two versions of a plugin meet the same pairs.
pub const SEED: u64 = 0x5649_5649_4552;
/// The probe's "today", fixed so that months of experience do not move with the calendar.
const TODAY: PartialDate = PartialDate { year: 2026, month: Some(12) };

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub tolerance: f64,
    pub pairs: usize,
}

impl Default for Options {
    fn default() -> Self {
        let tolerance = std::env::var("VIVIER_PROBE_TOLERANCE")
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|t| t.is_finite() && *t >= 0.0)
            .unwrap_or(DEFAULT_TOLERANCE);
        Self { tolerance, pairs: DEFAULT_PAIRS }
    }
}

/// Score differences of one run (raw or end to end).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Differences {
    pub n: usize,
    /// Mean of score(reference) − score(variant).
    pub mean_diff: f64,
    pub mean_abs_diff: f64,
    pub max_abs_diff: f64,
    /// Pairs where the reference scored higher, lower, the same.
    pub reference_higher: usize,
    pub variant_higher: usize,
    pub ties: usize,
    /// Exact two-sided sign test.
    pub p_value: f64,
}

impl Differences {
    pub fn of(diffs: &[f64]) -> Self {
        let n = diffs.len();
        if n == 0 {
            return Self { p_value: 1.0, ..Default::default() };
        }
        // Differences below f32 resolution are ties: the matcher's scores are f32.
        let eps = 1e-6;
        let pos = diffs.iter().filter(|d| **d > eps).count();
        let neg = diffs.iter().filter(|d| **d < -eps).count();
        Self {
            n,
            mean_diff: diffs.iter().sum::<f64>() / n as f64,
            mean_abs_diff: diffs.iter().map(|d| d.abs()).sum::<f64>() / n as f64,
            max_abs_diff: diffs.iter().fold(0.0, |m, d| m.max(d.abs())),
            reference_higher: pos,
            variant_higher: neg,
            ties: n - pos - neg,
            p_value: stats::sign_test(pos, neg),
        }
    }

    fn systematic(&self, tolerance: f64) -> bool {
        self.mean_diff.abs() > tolerance && self.p_value < ALPHA
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalReport {
    pub signal: Signal,
    pub label: String,
    /// The matcher's own sensitivity (raw pairs).
    pub raw: Differences,
    /// The same pairs through the host's pseudonymiser, as in production.
    pub end_to_end: Differences,
    pub passed: bool,
    /// The matcher failed on the pairs.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginRef {
    pub id: String,
    pub version: String,
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasReport {
    pub plugin: PluginRef,
    pub tolerance: f64,
    pub alpha: f64,
    pub pairs_per_signal: usize,
    pub seed: u64,
    pub signals: Vec<SignalReport>,
    pub passed: bool,
    /// French summary for administrators and the audit log.
    pub summary: String,
}

impl BiasReport {
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "Sonde de biais — {} {} (sha256 {})\ntolérance {} sur l'écart moyen, test des signes exact (seuil {}), {} paires par signal\n",
            self.plugin.id,
            self.plugin.version,
            &self.plugin.digest[..self.plugin.digest.len().min(12)],
            self.tolerance,
            self.alpha,
            self.pairs_per_signal
        );
        s.push_str(&format!(
            "{:<16} {:>4} {:>10} {:>9} {:>10} | {:>14} {:>9} | {}\n",
            "signal", "n", "écart moy", "écart max", "p", "bout-en-bout", "p", "verdict"
        ));
        for r in &self.signals {
            s.push_str(&format!(
                "{:<16} {:>4} {:>+10.4} {:>9.4} {:>10.2e} | {:>+14.4} {:>9.2e} | {}\n",
                r.signal.name(),
                r.raw.n,
                r.raw.mean_diff,
                r.raw.max_abs_diff,
                r.raw.p_value,
                r.end_to_end.mean_diff,
                r.end_to_end.p_value,
                match (&r.error, r.passed) {
                    (Some(e), _) => format!("ÉCHEC (erreur : {e})"),
                    (None, true) => "conforme".to_owned(),
                    (None, false) => "ÉCHEC".to_owned(),
                }
            ));
        }
        s.push_str(&self.summary);
        s.push('\n');
        s
    }
}

/// Scores by candidate id from one matcher call, or the error.
fn scores(
    runtime: &Runtime,
    plugin: &LoadedPlugin,
    posting: &Posting,
    cands: &[Candidate],
) -> Result<Vec<(String, f64)>, String> {
    let inv = runtime.assess(plugin, posting, cands);
    let assessments = match inv.result {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => return Err(e.to_string()),
        Err(e) => return Err(e.to_string()),
    };
    ranking::check(cands, &assessments).map_err(|e| e.to_string())?;
    if let Some(a) = assessments.iter().find(|a| !a.score.is_finite()) {
        return Err(format!("score of {} is not a number", a.candidate_id));
    }
    Ok(assessments.into_iter().map(|a| (a.candidate_id, f64::from(a.score))).collect())
}

/// Differences of every pair of one signal, raw and end to end.
fn run_signal(
    runtime: &Runtime,
    plugin: &LoadedPlugin,
    signal: Signal,
    n: usize,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let postings = pairs::postings();
    // One seed per signal: adding a signal never changes the pairs of the others.
    let mut rng = Rng::new(SEED ^ (signal as u64).wrapping_mul(0x1000_0000_01B3));
    let mut by_family: Vec<Vec<(crate::model::Profile, crate::model::Profile)>> = vec![Vec::new(); postings.len()];
    for i in 0..n {
        let family = i % postings.len();
        by_family[family].push(pairs::pair(signal, family, &mut rng));
    }
    let (mut raw, mut e2e) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (posting, family_pairs) in postings.iter().zip(&by_family) {
        if family_pairs.is_empty() {
            continue;
        }
        for (through_pseudonymiser, out) in [(false, &mut raw), (true, &mut e2e)] {
            let make = if through_pseudonymiser { ranking::candidate } else { ranking::raw_candidate };
            let mut cands = Vec::with_capacity(family_pairs.len() * 2);
            for (i, (a, b)) in family_pairs.iter().enumerate() {
                cands.push(make(format!("a{i}"), None, a.clone(), TODAY));
                cands.push(make(format!("b{i}"), None, b.clone(), TODAY));
            }
            let s = scores(runtime, plugin, posting, &cands)?;
            let get = |id: &str| s.iter().find(|(c, _)| c == id).map(|(_, v)| *v).unwrap_or(0.0);
            for i in 0..family_pairs.len() {
                out.push(get(&format!("a{i}")) - get(&format!("b{i}")));
            }
        }
    }
    Ok((raw, e2e))
}

/// Runs the probe on a loaded skills-matcher.
pub fn run(runtime: &Runtime, plugin: &LoadedPlugin, options: Options) -> BiasReport {
    let n = options.pairs.max(1);
    let mut signals = Vec::new();
    for signal in Signal::ALL {
        let report = match run_signal(runtime, plugin, signal, n) {
            Ok((raw, e2e)) => {
                let raw = Differences::of(&raw);
                let end_to_end = Differences::of(&e2e);
                let passed = !raw.systematic(options.tolerance);
                SignalReport { signal, label: signal.label_fr().into(), raw, end_to_end, passed, error: None }
            }
            Err(e) => SignalReport {
                signal,
                label: signal.label_fr().into(),
                raw: Differences::default(),
                end_to_end: Differences::default(),
                passed: false,
                error: Some(e),
            },
        };
        signals.push(report);
    }
    let failed: Vec<&str> = signals.iter().filter(|s| !s.passed).map(|s| s.signal.name()).collect();
    let passed = failed.is_empty();
    let summary = if passed {
        format!(
            "Aucun écart systématique au-delà de {} sur les {} signaux testés : sonde réussie (ce qui ne prouve pas l'absence de tout biais).",
            options.tolerance,
            signals.len()
        )
    } else {
        format!("Sonde échouée : écart systématique ou erreur pour {}.", failed.join(", "))
    };
    let m = &plugin.manifest.plugin;
    BiasReport {
        plugin: PluginRef { id: m.id.clone(), version: m.version.clone(), digest: plugin.digest.clone() },
        tolerance: options.tolerance,
        alpha: ALPHA,
        pairs_per_signal: n,
        seed: SEED,
        signals,
        passed,
        summary,
    }
}
