//! Developer tool: scores the parser natively on a ground-truth JSONL in the format of the
//! public corpus (`cv-ground-truth.jsonl`, `tests/data/cv-fr/truth.jsonl`), without building the
//! host or the WebAssembly component.
//!
//! `cargo run -p vivier-cv-parser --release --example eval_corpus -- TRUTH.jsonl [--details]`
//!
//! The scoring is the host's own (`host/src/eval/parse/score.rs`, compiled in here against the
//! SDK's types, which carry the same names as the host's), so the figures are those of
//! `vivier eval parse`: same normalisation, dates at the truth's precision, experiences paired
//! one to one, .json/.yaml lines skipped, files read relative to the truth file's folder.
//! `--details` prints each file's mismatches.

/// What the host's scorer calls `crate::model`: the SDK's types of the cv-parser world.
mod model {
    pub use vivier_sdk::cv_parser::{Experience, ParsedCv, PartialDate};
}

#[path = "../../../host/src/eval/parse/score.rs"]
#[allow(dead_code)]
mod score;

use score::{Counts, Truth, FIELDS};
use std::collections::BTreeMap;
use std::path::Path;

fn media_type_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("odt") => "application/vnd.oasis.opendocument.text",
        Some("txt") => "text/plain",
        Some("md" | "markdown") => "text/markdown",
        _ => "application/octet-stream",
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("    -".into(), |v| format!("{v:.3}"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(truth_path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: eval_corpus TRUTH.jsonl [--details]");
        std::process::exit(2);
    };
    let details = args.iter().any(|a| a == "--details");
    let base = Path::new(truth_path).parent().unwrap_or(Path::new("."));
    let text = std::fs::read_to_string(truth_path).unwrap_or_else(|e| panic!("{truth_path}: {e}"));
    let mut totals: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let (mut skipped, mut failed, mut docs) = (0, 0, 0);
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let truth: Truth = serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
        let path = base.join(&truth.file);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if matches!(ext.as_str(), "json" | "yaml" | "yml") {
            skipped += 1;
            continue;
        }
        docs += 1;
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let scored = match vivier_cv_parser::parse_document(&name, media_type_for(&path), &bytes) {
            Ok(cv) => score::score(&truth, &cv),
            Err(e) => {
                failed += 1;
                println!("{}: ERROR {e:?}", truth.file);
                // Everything expected, nothing predicted, as the host counts a failure.
                score::score(&truth, &vivier_cv_parser::parse_text(""))
            }
        };
        for (k, c) in &scored.fields {
            totals.entry(k).or_default().add(*c);
        }
        if details && !scored.mismatches.is_empty() {
            println!("== {}", truth.file);
            for m in &scored.mismatches {
                println!("   {m}");
            }
        }
    }
    println!("{docs} documents, {skipped} skipped (not documents), {failed} failed");
    println!("{:<26} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}", "field", "correct", "pred", "expect", "P", "R", "F1");
    for name in FIELDS {
        let c = totals.get(name).copied().unwrap_or_default();
        println!(
            "{name:<26} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
            c.correct,
            c.predicted,
            c.expected,
            fmt(c.precision()),
            fmt(c.recall()),
            fmt(c.f1())
        );
    }
}
