//! `vivier eval rank`: skills-matchers measured against graded relevance (nDCG@3, nDCG@10, MAP),
//! per posting and overall, side by side with a naive keyword-overlap baseline computed by the
//! host (a reference column, not a plugin).

use super::baseline;
use super::rank_metrics::{Figures, RELEVANT_GRADE};
use crate::cli::rank::{candidates, read_posting};
use crate::cli::{Cli, Session};
use crate::model::Candidate;
use crate::posting::JobPosting;
use crate::ranking;
use crate::world::World;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Name of the baseline column.
pub const BASELINE: &str = "baseline (mots-clés, hôte)";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of POSTING.json files (*.json).
    #[arg(long)]
    pub postings: PathBuf,
    /// Directory of CVs (pdf, docx, odt, txt, md); every CV is ranked for every posting.
    #[arg(long)]
    pub cvs: PathBuf,
    /// JSONL lines {"posting": <posting id>, "file": <CV file name>, "grade": 0-3}; CVs without
    /// a line for a posting count as grade 0.
    #[arg(long)]
    pub relevance: PathBuf,
    /// Skills-matcher to measure (id, id@version or bundle path); repeat for several. Default:
    /// the active one.
    #[arg(long = "plugin")]
    pub plugins: Vec<String>,
    /// Print the figures and every ranking as JSON.
    #[arg(long)]
    pub json: bool,
    /// Store each matcher's overall figures (and the host baseline's) in the database
    /// (`eval_runs`), with the plugin and data set digests.
    #[arg(long)]
    pub record: bool,
}

/// The non-AI matcher every comparison includes, so "does it beat doing without AI?" is
/// always answered in the same run.
pub const NON_AI_MATCHER: &str = "vivier-matcher-lexical";

#[derive(Debug, Deserialize)]
struct Judgement {
    posting: String,
    file: String,
    grade: u8,
}

/// Graded relevance: posting id → CV file name → grade.
pub fn read_relevance(path: &Path) -> Result<BTreeMap<String, BTreeMap<String, u8>>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out: BTreeMap<String, BTreeMap<String, u8>> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let j: Judgement = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not a judgement", path.display(), i + 1))?;
        if j.grade > 3 {
            bail!("{} line {}: grade {} is outside 0-3", path.display(), i + 1, j.grade);
        }
        out.entry(j.posting).or_default().insert(j.file, j.grade);
    }
    Ok(out)
}

fn files_in(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read directory {}", dir.display()))? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        if path.is_file() && keep(&ext) {
            out.push(path);
        }
    }
    // Sorted, so that ties and figures never depend on the file system's order.
    out.sort();
    Ok(out)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// One system's ranking of one posting.
#[derive(Debug, Serialize)]
struct Run {
    system: String,
    figures: Figures,
    /// CV file names, best first, with their grade.
    ranking: Vec<(String, u8)>,
}

#[derive(Debug, Serialize)]
struct PostingResult {
    posting: String,
    runs: Vec<Run>,
}

fn grades_in_order(order: &[String], grades: &BTreeMap<String, u8>) -> Vec<(String, u8)> {
    order.iter().map(|f| (f.clone(), grades.get(f).copied().unwrap_or(0))).collect()
}

fn baseline_order(job: &JobPosting, names: &[String], cands: &[Candidate]) -> Vec<String> {
    let mut scored: Vec<(usize, f64)> =
        cands.iter().enumerate().map(|(i, c)| (i, baseline::score(job, &c.profile))).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().map(|(i, _)| names[i].clone()).collect()
}

pub fn run(cli: &Cli, args: &Args) -> Result<()> {
    let ctx = Session::new(cli)?;
    let relevance = read_relevance(&args.relevance)?;
    let posting_files = files_in(&args.postings, |e| e == "json")?;
    let cv_files = files_in(&args.cvs, |e| matches!(e, "pdf" | "docx" | "odt" | "txt" | "md"))?;
    if posting_files.is_empty() || cv_files.is_empty() {
        bail!("no posting (*.json) in {} or no CV in {}", args.postings.display(), args.cvs.display());
    }
    let (_, parser) = ctx.plugin(None, World::CvParser)?;
    let cands = candidates(&ctx, &parser, &cv_files)?;
    let names: Vec<String> = cv_files.iter().map(|p| file_name(p)).collect();
    let mut matchers = Vec::new();
    let specs: Vec<Option<&str>> =
        if args.plugins.is_empty() { vec![None] } else { args.plugins.iter().map(|s| Some(s.as_str())).collect() };
    let mut entries = Vec::new();
    for spec in specs {
        let (entry, loaded) = ctx.plugin(spec, World::SkillsMatcher)?;
        matchers.push((entry.id().to_owned(), loaded));
        entries.push(entry);
    }
    if !entries.iter().any(|e| e.id() == NON_AI_MATCHER) {
        let (entry, loaded) = ctx.plugin(Some(NON_AI_MATCHER), World::SkillsMatcher)?;
        matchers.push((entry.id().to_owned(), loaded));
        entries.push(entry);
    }
    let mut cpu_us: Vec<u64> = vec![0; matchers.len()];
    let mut calls: Vec<u64> = vec![0; matchers.len()];

    let mut results = Vec::new();
    for path in &posting_files {
        let job = read_posting(path)?;
        let Some(grades) = relevance.get(&job.id) else {
            eprintln!("note : aucune pertinence pour l'offre {} ({}), ignorée", job.id, path.display());
            continue;
        };
        for f in grades.keys() {
            if !names.contains(f) {
                bail!(
                    "{}: posting {} grades {f}, which is not in {}",
                    args.relevance.display(),
                    job.id,
                    args.cvs.display()
                );
            }
        }
        let matching = job.to_matching();
        let mut runs = Vec::new();
        let order = baseline_order(&job, &names, &cands);
        let ranking = grades_in_order(&order, grades);
        let g: Vec<u8> = ranking.iter().map(|r| r.1).collect();
        runs.push(Run { system: BASELINE.to_owned(), figures: Figures::of(&g), ranking });
        for (m, (id, loaded)) in matchers.iter().enumerate() {
            let (suggestions, report) = ranking::rank(&ctx.runtime, loaded, &matching, &cands, &names)
                .with_context(|| format!("posting {} with {id}", job.id))?;
            cpu_us[m] += report.cpu_us;
            calls[m] += 1;
            let order: Vec<String> = suggestions.into_iter().map(|s| s.candidate).collect();
            let ranking = grades_in_order(&order, grades);
            let g: Vec<u8> = ranking.iter().map(|r| r.1).collect();
            runs.push(Run { system: id.clone(), figures: Figures::of(&g), ranking });
        }
        results.push(PostingResult { posting: job.id.clone(), runs });
    }
    if results.is_empty() {
        bail!("no posting of {} has relevance judgements in {}", args.postings.display(), args.relevance.display());
    }
    let systems: Vec<String> = results[0].runs.iter().map(|r| r.system.clone()).collect();
    let overall: Vec<(String, Figures)> = systems
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), Figures::mean(&results.iter().map(|r| r.runs[i].figures).collect::<Vec<_>>())))
        .collect();
    if args.record {
        let mut measured = vec![super::record::Measured {
            plugin_id: "host-baseline-keywords".into(),
            plugin_version: env!("CARGO_PKG_VERSION").into(),
            plugin_digest: "host".into(),
            metrics: serde_json::json!({ "figures": overall[0].1, "postings": results.len(), "cvs": cv_files.len(), "non_ai": true }),
        }];
        for (m, e) in entries.iter().enumerate() {
            measured.push(super::record::Measured {
                plugin_id: e.id().into(),
                plugin_version: e.version().into(),
                plugin_digest: e.bundle.digest.clone(),
                metrics: serde_json::json!({
                    "figures": overall[m + 1].1, "postings": results.len(), "cvs": cv_files.len(),
                    "cpu_us_per_call": cpu_us[m] / calls[m].max(1), "non_ai": e.id() == NON_AI_MATCHER,
                }),
            });
        }
        let mut files = posting_files.clone();
        files.extend(cv_files.iter().cloned());
        files.push(args.relevance.clone());
        let dataset = format!("{} + {} + {}", args.postings.display(), args.cvs.display(), args.relevance.display());
        let ids = super::record::record(&cli.data_dir, cli.database.as_deref(), "rank", &dataset, &files, &measured)?;
        eprintln!("recorded {} evaluation runs ({})", ids.len(), ids.join(", "));
    }
    if args.json {
        let out = serde_json::json!({
            "relevant_grade_for_map": RELEVANT_GRADE,
            "overall": overall.iter().map(|(s, f)| serde_json::json!({"system": s, "figures": f})).collect::<Vec<_>>(),
            "postings": results,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{} offre(s), {} CV ; nDCG@3 / nDCG@10 / MAP (pertinent : note ≥ {RELEVANT_GRADE})",
        results.len(),
        cv_files.len()
    );
    let width = systems.iter().map(|s| s.chars().count()).max().unwrap_or(10).max(22);
    print!("{:<24}", "offre");
    for s in &systems {
        print!(" | {s:^width$}");
    }
    println!();
    let cell = |f: &Figures| format!("{:.3} / {:.3} / {:.3}", f.ndcg3, f.ndcg10, f.map);
    for r in &results {
        print!("{:<24}", r.posting);
        for run in &r.runs {
            print!(" | {:^width$}", cell(&run.figures));
        }
        println!();
    }
    print!("{:<24}", "ENSEMBLE (moyenne)");
    for (_, f) in &overall {
        print!(" | {:^width$}", cell(f));
    }
    println!();
    Ok(())
}
