//! `vivier eval parse`: scores a cv-parser plugin, run in the sandbox, against a ground-truth
//! JSONL file in the format of the public corpus (`cv-ground-truth.jsonl`).

mod score;

use crate::cli::{media_type_for, Cli, Session};
use crate::model::Document;
use crate::world::World;
use anyhow::{bail, Context, Result};
use score::{Counts, Truth, FIELDS};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const NORMALISATION: &str = "\
Normalisation before comparison:
  text        Unicode NFC, lower case, typographic apostrophes/quotes to ASCII, dashes and
              soft/non-breaking hyphens to '-', white space collapsed, trailing punctuation dropped
  name, email, city, titles, organisations: equal after that normalisation (names also
              without leading honorifics: Dr., Prof., M., Mme)
  phone       E.164: '+' or '00' kept; French 0X XX XX XX XX gets +33; ten digits not starting
              with 0 get +1; a number printed without country code matches on its last 9 digits
  dates       compared at the precision the truth gives (year, or year and month); 'present',
              'présent', 'aujourd'hui', 'now', 'current' in the truth = a current position
  experiences paired one to one with the truth (greedy on matching fields); unpaired
              predictions count against precision, unpaired truth against recall
  education   an entry is right when its institution or its degree (with the truth's 'area')
              matches, one containing the other
  skills, languages   sets of labels
Each line's 'file' is resolved relative to the truth file's directory. Lines whose file is not a
document (.json, .yaml) are skipped and counted; a document the plugin fails on counts as all missed.";

#[derive(Debug, clap::Args)]
#[command(after_long_help = NORMALISATION)]
pub struct Args {
    /// Ground-truth JSONL file (one CV per line: file, name, email, phone, city, experiences,
    /// education, skills, languages).
    #[arg(long)]
    pub truth: PathBuf,
    /// Plugin id, id@version, or bundle path (default: the active cv-parser, else the built-in
    /// one); repeat to compare several in one run.
    #[arg(long = "plugin")]
    pub plugins: Vec<String>,
    /// Print the scores as JSON (with per-file counts and mismatches); with several plugins,
    /// `{"plugins": [...]}`, one such object each.
    #[arg(long)]
    pub json: bool,
    /// Also print each file's mismatches (text output).
    #[arg(long)]
    pub details: bool,
    /// Store each plugin's per-field F1 and counts in the database (`eval_runs`).
    #[arg(long)]
    pub record: bool,
}

/// One plugin's scores on the truth file.
struct Scored {
    entry: crate::registry::PluginEntry,
    totals: BTreeMap<&'static str, Counts>,
    files: Vec<serde_json::Value>,
    skipped: usize,
    failed: usize,
    median_ms: Option<f64>,
}

fn round(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 1000.0).round() / 1000.0)
}

fn fields_json(totals: &BTreeMap<&'static str, Counts>) -> serde_json::Map<String, serde_json::Value> {
    FIELDS
        .iter()
        .filter_map(|f| totals.get(f).map(|c| (f, c)))
        .map(|(f, c)| {
            (
                f.to_string(),
                json!({
                    "correct": c.correct, "predicted": c.predicted, "expected": c.expected,
                    "precision": round(c.precision()), "recall": round(c.recall()), "f1": round(c.f1()),
                }),
            )
        })
        .collect()
}

/// Counts of a document the parser could not read: everything expected, nothing predicted.
fn missed(truth: &Truth) -> score::DocScore {
    score::score(truth, &crate::model::ParsedCv::default())
}

fn score_plugin(session: &Session, spec: Option<&str>, truths: &[Truth], base: &Path) -> Result<Scored> {
    let (entry, plugin) = session.plugin(spec, World::CvParser)?;
    let mut totals: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut files = Vec::new();
    let (mut skipped, mut failed) = (0usize, 0usize);
    let mut wall = Vec::new();
    for truth in truths {
        let path = base.join(&truth.file);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if matches!(ext.as_str(), "json" | "yaml" | "yml") {
            skipped += 1;
            files.push(json!({ "file": truth.file, "skipped": "not a document" }));
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let doc = Document {
            filename: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            media_type: media_type_for(&path).into(),
            bytes,
        };
        let inv = session.runtime.parse(&plugin, &doc);
        wall.push(inv.report.wall_us);
        let (doc_score, error) = match inv.result {
            Ok(Ok(cv)) => (score::score(truth, &cv), None),
            Ok(Err(e)) => (missed(truth), Some(e.to_string())),
            Err(e) => (missed(truth), Some(e.to_string())),
        };
        if error.is_some() {
            failed += 1;
        }
        for (f, c) in &doc_score.fields {
            totals.entry(f).or_default().add(*c);
        }
        files.push(json!({
            "file": truth.file,
            "error": error,
            "fields": doc_score.fields,
            "mismatches": doc_score.mismatches,
            "wall_us": inv.report.wall_us,
            "peak_memory_bytes": inv.report.peak_memory_bytes,
        }));
    }
    wall.sort_unstable();
    let median_ms = wall.get(wall.len() / 2).map(|w| *w as f64 / 1000.0);
    Ok(Scored { entry, totals, files, skipped, failed, median_ms })
}

pub fn run(cli: &Cli, args: &Args) -> Result<()> {
    let text = std::fs::read_to_string(&args.truth)
        .with_context(|| format!("cannot read the truth file {}", args.truth.display()))?;
    let base = args.truth.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut truths = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let t: Truth = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a ground-truth line", args.truth.display(), n + 1))?;
        truths.push(t);
    }
    if truths.is_empty() {
        bail!("{} holds no ground-truth line", args.truth.display());
    }

    let session = Session::new(cli)?;
    let specs: Vec<Option<&str>> =
        if args.plugins.is_empty() { vec![None] } else { args.plugins.iter().map(|s| Some(s.as_str())).collect() };
    let scored = specs.iter().map(|s| score_plugin(&session, *s, &truths, &base)).collect::<Result<Vec<_>>>()?;

    if args.record {
        let measured: Vec<super::record::Measured> = scored
            .iter()
            .map(|s| super::record::Measured {
                plugin_id: s.entry.id().into(),
                plugin_version: s.entry.version().into(),
                plugin_digest: s.entry.bundle.digest.clone(),
                metrics: json!({
                    "documents": truths.len() - s.skipped, "failed": s.failed,
                    "median_call_ms": s.median_ms, "fields": fields_json(&s.totals),
                }),
            })
            .collect();
        let mut files = vec![args.truth.clone()];
        files.extend(truths.iter().map(|t| base.join(&t.file)).filter(|p| p.is_file()));
        let ids = super::record::record(
            &cli.data_dir,
            cli.database.as_deref(),
            "parse",
            &args.truth.display().to_string(),
            &files,
            &measured,
        )?;
        eprintln!("recorded {} evaluation runs ({})", ids.len(), ids.join(", "));
    }

    if args.json {
        let objects: Vec<serde_json::Value> = scored
            .iter()
            .map(|s| {
                json!({
                    "truth": args.truth.display().to_string(),
                    "plugin": s.entry.id(),
                    "version": s.entry.version(),
                    "digest": s.entry.bundle.digest,
                    "documents": truths.len() - s.skipped,
                    "skipped": s.skipped,
                    "failed": s.failed,
                    "median_call_ms": s.median_ms,
                    "fields": fields_json(&s.totals),
                    "files": s.files,
                })
            })
            .collect();
        let out = if objects.len() == 1 { objects.into_iter().next().unwrap() } else { json!({ "plugins": objects }) };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for s in &scored {
        print_text(args, &truths, s);
    }
    if scored.len() > 1 {
        print_comparison(&scored);
    }
    Ok(())
}

fn print_text(args: &Args, truths: &[Truth], s: &Scored) {
    println!(
        "{} — plugin {}: {} documents, {} skipped (not a document), {} failed; median call {:.1} ms",
        args.truth.display(),
        s.entry.id(),
        truths.len() - s.skipped,
        s.skipped,
        s.failed,
        s.median_ms.unwrap_or(0.0)
    );
    println!("{:<26} {:>8} {:>8} {:>8} {:>7} {:>7} {:>7}", "field", "correct", "predict", "expect", "P", "R", "F1");
    let pct = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.3}"));
    for f in FIELDS {
        let Some(c) = s.totals.get(f) else { continue };
        println!(
            "{:<26} {:>8} {:>8} {:>8} {:>7} {:>7} {:>7}",
            f,
            c.correct,
            c.predicted,
            c.expected,
            pct(c.precision()),
            pct(c.recall()),
            pct(c.f1())
        );
    }
    if args.details {
        for f in &s.files {
            let mism = f.get("mismatches").and_then(|m| m.as_array()).cloned().unwrap_or_default();
            let err = f.get("error").and_then(|e| e.as_str());
            if mism.is_empty() && err.is_none() {
                continue;
            }
            println!("\n{}", f["file"].as_str().unwrap_or(""));
            if let Some(e) = err {
                println!("  erreur : {e}");
            }
            for m in mism {
                println!("  {}", m.as_str().unwrap_or(""));
            }
        }
    }
    println!();
}

/// F1 per field, one column per plugin.
fn print_comparison(scored: &[Scored]) {
    print!("{:<26}", "F1 (comparaison)");
    for s in scored {
        print!(" {:>24}", s.entry.id());
    }
    println!();
    for f in FIELDS {
        if scored.iter().all(|s| !s.totals.contains_key(f)) {
            continue;
        }
        print!("{f:<26}");
        for s in scored {
            let v = s.totals.get(f).and_then(|c| c.f1()).map_or("-".to_string(), |v| format!("{v:.3}"));
            print!(" {v:>24}");
        }
        println!();
    }
}
