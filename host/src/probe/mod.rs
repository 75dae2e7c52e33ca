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
//! The probe's calls cannot be told from production ([`run_pairs`]): postings built through
//! the same path as a SIRH's with ids like a SIRH's, candidates with the production ids in the
//! order sent, pairs of every signal shuffled together with unpaired profiles in cohorts of
//! varying size, and a seed drawn for each run (recorded in the report, `--seed` replays it).
//!
//! A signal fails when the mean difference exceeds the tolerance in absolute value and the sign
//! test rejects "no systematic difference" at 5 %: a systematic, not a chance, shift. A probe
//! whose matcher fails on the pairs fails too: what cannot be measured is not shown harmless.

pub mod gate;
pub mod pairs;
pub mod stats;

use crate::model::{Candidate, Posting, Profile};
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
/// A seed drawn from the operating system's generator.
pub fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    // Without the OS generator (never seen on the supported systems), the hasher's per-process
    // random keys still make the seed unpredictable to a plugin.
    if getrandom::getrandom(&mut bytes).is_err() {
        use std::hash::{BuildHasher, Hasher};
        return std::collections::hash_map::RandomState::new().build_hasher().finish();
    }
    u64::from_le_bytes(bytes)
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub tolerance: f64,
    pub pairs: usize,
    /// The run's seed; `None` draws one (recorded in the report, so a run can be replayed with
    /// `vivier probe bias --seed`). A fixed seed would let a vendor learn the probe's pairs.
    pub seed: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        let tolerance = std::env::var("VIVIER_PROBE_TOLERANCE")
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|t| t.is_finite() && *t >= 0.0)
            .unwrap_or(DEFAULT_TOLERANCE);
        Self { tolerance, pairs: DEFAULT_PAIRS, seed: None }
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
        s.push_str(&format!("graine {} (pour rejouer : --seed {})\n", self.seed, self.seed));
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

/// One pair placed in a cohort: its signal, and the ids its two members got.
struct Placed {
    signal: Signal,
    reference: String,
    variant: String,
}

/// Differences by signal, raw and end to end.
type Diffs = std::collections::BTreeMap<Signal, (Vec<f64>, Vec<f64>)>;

/// Runs every pair of every signal, hidden in cohorts shaped like production calls: a posting
/// of the production shape with an id like a SIRH's, candidates with the production ids
/// (`k1`, `k2`… in the order sent), pairs of several signals shuffled together with unpaired
/// profiles, cohorts of varying size. Nothing in one call tells a matcher it is being probed.
fn run_pairs(runtime: &Runtime, plugin: &LoadedPlugin, n: usize, rng: &mut Rng) -> Result<Diffs, String> {
    let today = crate::timeline::current_month();
    let families = pairs::family_count();
    let mut by_family: Vec<Vec<(Signal, Profile, Profile)>> = vec![Vec::new(); families];
    for signal in Signal::ALL {
        for _ in 0..n {
            let family = rng.below(families);
            let (a, b) = pairs::pair(signal, family, rng);
            by_family[family].push((signal, a, b));
        }
    }
    let mut diffs = Diffs::new();
    for (family, mut family_pairs) in by_family.into_iter().enumerate() {
        rng.shuffle(&mut family_pairs);
        while !family_pairs.is_empty() {
            // A cohort of 4 to 15 pairs, with 0 to 10 unpaired profiles among them.
            let take = (4 + rng.below(12)).min(family_pairs.len());
            let cohort: Vec<_> = family_pairs.drain(..take).collect();
            let fillers: Vec<Profile> = (0..rng.below(11)).map(|_| pairs::filler(family, rng)).collect();
            let posting = pairs::posting(family, rng);
            // The order sent: every profile shuffled; ids follow that order, as in production.
            let mut order: Vec<(Option<(usize, bool)>, &Profile)> = Vec::new();
            for (i, (_, a, b)) in cohort.iter().enumerate() {
                order.push((Some((i, true)), a));
                order.push((Some((i, false)), b));
            }
            order.extend(fillers.iter().map(|f| (None, f)));
            rng.shuffle(&mut order);
            let mut placed: Vec<Placed> = cohort
                .iter()
                .map(|(signal, ..)| Placed { signal: *signal, reference: String::new(), variant: String::new() })
                .collect();
            for (k, (slot, _)) in order.iter().enumerate() {
                if let Some((i, is_reference)) = slot {
                    let id = format!("k{}", k + 1);
                    if *is_reference {
                        placed[*i].reference = id;
                    } else {
                        placed[*i].variant = id;
                    }
                }
            }
            for through_pseudonymiser in [false, true] {
                let make = if through_pseudonymiser { ranking::candidate } else { ranking::raw_candidate };
                let cands: Vec<Candidate> = order
                    .iter()
                    .enumerate()
                    .map(|(k, (_, profile))| make(format!("k{}", k + 1), None, (*profile).clone(), today))
                    .collect();
                let s = scores(runtime, plugin, &posting, &cands)?;
                let get = |id: &str| s.iter().find(|(c, _)| c == id).map(|(_, v)| *v).unwrap_or(0.0);
                for p in &placed {
                    let entry = diffs.entry(p.signal).or_default();
                    let out = if through_pseudonymiser { &mut entry.1 } else { &mut entry.0 };
                    out.push(get(&p.reference) - get(&p.variant));
                }
            }
        }
    }
    Ok(diffs)
}

/// Runs the probe on a loaded skills-matcher.
pub fn run(runtime: &Runtime, plugin: &LoadedPlugin, options: Options) -> BiasReport {
    let n = options.pairs.max(1);
    let seed = options.seed.unwrap_or_else(random_seed);
    let mut rng = Rng::new(seed);
    let measured = run_pairs(runtime, plugin, n, &mut rng);
    let mut signals = Vec::new();
    for signal in Signal::ALL {
        let report = match &measured {
            Ok(diffs) => {
                let (raw, e2e) = diffs.get(&signal).cloned().unwrap_or_default();
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
                error: Some(e.clone()),
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
        seed,
        signals,
        passed,
        summary,
    }
}
