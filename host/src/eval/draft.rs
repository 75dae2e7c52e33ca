//! `vivier eval draft`: how a posting-drafter and the host's linter do on cases that pair a
//! request with expected facts. Each case is one JSON line:
//!
//! ```json
//! {"id": "c01", "request": {...},
//!  "must_mention": [["date limite", "avant le"], "Permis B"],
//!  "must_flag": [{"phrase": "jeune et dynamique", "category": "age"}],
//!  "must_not_flag": ["permis B exigé"]}
//! ```
//!
//! A fact is mentioned when one of its phrasings is in the ad (on word boundaries). A
//! phrase is flagged when a violation (severity warning or error) of the right category is
//! about those words, in the ad or in the request. A must-not-flag phrase counts as flagged
//! when any violation is about its words. Phrases and flagged words are compared as the linter
//! reads them ([`canonical`]): a case may quote a disguised phrase ("h.o.m.m.e", a soft hyphen,
//! a Cyrillic letter) as the ad has it or as people read it.

use crate::cli::{Cli, Session};
use crate::drafting;
use crate::lint::text::{canonical, contains_words};
use crate::lint::Flag;
use crate::model::DraftRequest;
use crate::world::World;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Cases, one JSON object per line (request, must_mention, must_flag, must_not_flag).
    #[arg(long)]
    pub cases: PathBuf,
    /// Plugin id, id@version, or bundle path (default: the active posting-drafter); repeat to
    /// compare several in one run.
    #[arg(long = "plugin")]
    pub plugins: Vec<String>,
    /// Print every miss, not only the totals.
    #[arg(long)]
    pub verbose: bool,
    /// Store each plugin's rates in the database (`eval_runs`).
    #[arg(long)]
    pub record: bool,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Fact {
    One(String),
    Any(Vec<String>),
}

impl Fact {
    fn phrasings(&self) -> Vec<&str> {
        match self {
            Fact::One(s) => vec![s.as_str()],
            Fact::Any(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct MustFlag {
    pub phrase: String,
    pub category: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    #[serde(default)]
    pub note: Option<String>,
    pub request: DraftRequest,
    #[serde(default)]
    pub must_mention: Vec<Fact>,
    #[serde(default)]
    pub must_flag: Vec<MustFlag>,
    #[serde(default)]
    pub must_not_flag: Vec<String>,
}

/// Counts over all cases.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Score {
    pub cases: usize,
    pub mention_hits: usize,
    pub mention_total: usize,
    pub flag_hits: usize,
    pub flag_total: usize,
    pub not_flag_flagged: usize,
    pub not_flag_total: usize,
    pub misses: Vec<String>,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        100.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

impl Score {
    pub fn mention_rate(&self) -> f64 {
        pct(self.mention_hits, self.mention_total)
    }
    pub fn flag_rate(&self) -> f64 {
        pct(self.flag_hits, self.flag_total)
    }
    pub fn false_flag_rate(&self) -> f64 {
        if self.not_flag_total == 0 {
            0.0
        } else {
            pct(self.not_flag_flagged, self.not_flag_total)
        }
    }
    pub fn meets_targets(&self) -> bool {
        self.flag_hits == self.flag_total && self.mention_rate() >= 95.0 && self.false_flag_rate() <= 5.0
    }
}

/// Whether a flag is about `phrase` (containment either way, in canonical form).
fn about(flag: &Flag, phrase: &str) -> bool {
    let p = canonical(phrase);
    let e = canonical(&flag.warning.excerpt);
    if flag.matched.is_empty() {
        return e == p || contains_words(&e, &p);
    }
    let m = canonical(&flag.matched);
    // The words overlap, and the warning's passage is the one holding the phrase (not another
    // sentence that happens to share the words).
    let words = !m.is_empty() && !p.is_empty() && (contains_words(&p, &m) || contains_words(&m, &p));
    // An excerpt squashes white space, and with it the wider gaps between the words of a
    // letter-spaced phrase: the passage is also compared without spaces.
    let compact = |s: &str| s.replace(' ', "");
    let (ce, cp) = (compact(&e), compact(&p));
    let passage = contains_words(&e, &p) || contains_words(&p, &e) || ce.contains(&cp) || cp.contains(&ce);
    words && (passage || flag.warning.excerpt.contains('…'))
}

/// Scores one case from its ad and flags.
pub fn score_case(case: &Case, title: &str, markdown: &str, flags: &[Flag], score: &mut Score) {
    score.cases += 1;
    let ad = canonical(&format!("{title}\n{markdown}"));
    for fact in &case.must_mention {
        score.mention_total += 1;
        if fact.phrasings().iter().any(|p| contains_words(&ad, &canonical(p))) {
            score.mention_hits += 1;
        } else {
            score.misses.push(format!("{}: not mentioned: {:?}", case.id, fact.phrasings()));
        }
    }
    for m in &case.must_flag {
        score.flag_total += 1;
        let hit = flags.iter().any(|f| f.is_violation() && f.warning.category == m.category && about(f, &m.phrase));
        if hit {
            score.flag_hits += 1;
        } else {
            let got: Vec<&str> =
                flags.iter().filter(|f| about(f, &m.phrase)).map(|f| f.warning.category.as_str()).collect();
            score
                .misses
                .push(format!("{}: not flagged as {}: {:?} (flagged as {got:?})", case.id, m.category, m.phrase));
        }
    }
    for phrase in &case.must_not_flag {
        score.not_flag_total += 1;
        let wrong: Vec<&Flag> = flags.iter().filter(|f| f.is_violation() && about(f, phrase)).collect();
        if !wrong.is_empty() {
            score.not_flag_flagged += 1;
            let cats: Vec<&str> = wrong.iter().map(|f| f.warning.category.as_str()).collect();
            score.misses.push(format!("{}: wrongly flagged as {cats:?}: {phrase:?}", case.id));
        }
    }
}

pub fn load_cases(path: &std::path::Path) -> Result<Vec<Case>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}: not a valid case", path.display(), i + 1))
        })
        .collect()
}

pub fn run(cli: &Cli, args: &Args) -> Result<()> {
    let cases = load_cases(&args.cases)?;
    if cases.is_empty() {
        bail!("{} holds no case", args.cases.display());
    }
    let session = Session::new(cli)?;
    let specs: Vec<Option<&str>> =
        if args.plugins.is_empty() { vec![None] } else { args.plugins.iter().map(|s| Some(s.as_str())).collect() };
    let mut measured = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let (entry, plugin) = session.plugin(*spec, World::PostingDrafter)?;
        let mut score = Score::default();
        let mut failures = 0;
        let mut cpu_us = 0u64;
        for case in &cases {
            let (result, report) = drafting::draft(&session.runtime, &plugin, &case.request);
            cpu_us += report.cpu_us;
            match result {
                Ok((out, flags)) => score_case(case, &out.title, &out.markdown, &flags, &mut score),
                Err(e) => {
                    failures += 1;
                    score.misses.push(format!("{}: drafting failed: {e}", case.id));
                    // Still score what the linter sees in the request alone.
                    let flags = crate::lint::lint_request(&case.request);
                    score_case(case, "", "", &flags, &mut score);
                }
            }
        }
        if i > 0 {
            println!();
        }
        print_score(&plugin, &score, failures, args.verbose);
        measured.push(super::record::Measured {
            plugin_id: entry.id().into(),
            plugin_version: entry.version().into(),
            plugin_digest: entry.bundle.digest.clone(),
            metrics: serde_json::json!({
                "cases": score.cases, "drafting_failures": failures,
                "must_mention_rate": score.mention_rate(), "must_flag_rate": score.flag_rate(),
                "false_flag_rate": score.false_flag_rate(), "targets_met": score.meets_targets(),
                "cpu_us_per_call": cpu_us / cases.len() as u64,
            }),
        });
    }
    if args.record {
        let dataset = args.cases.display().to_string();
        let ids = super::record::record(
            &cli.data_dir,
            cli.database.as_deref(),
            "draft",
            &dataset,
            &[args.cases.clone()],
            &measured,
        )?;
        eprintln!("recorded {} evaluation runs ({})", ids.len(), ids.join(", "));
    }
    Ok(())
}

fn print_score(plugin: &crate::runtime::LoadedPlugin, score: &Score, failures: usize, verbose: bool) {
    println!("plugin: {} {} ({} cases, {failures} drafting failures)", plugin.id(), plugin.version(), score.cases);
    println!(
        "must_mention present:          {}/{} = {:.1} % (target >= 95 %)",
        score.mention_hits,
        score.mention_total,
        score.mention_rate()
    );
    println!(
        "must_flag flagged (category):  {}/{} = {:.1} % (target 100 %)",
        score.flag_hits,
        score.flag_total,
        score.flag_rate()
    );
    println!(
        "must_not_flag flagged:         {}/{} = {:.1} % (target <= 5 %)",
        score.not_flag_flagged,
        score.not_flag_total,
        score.false_flag_rate()
    );
    println!("targets: {}", if score.meets_targets() { "met" } else { "NOT met" });
    if verbose || !score.meets_targets() {
        for m in &score.misses {
            println!("  - {m}");
        }
    }
}
