//! CV parsing speed over the public corpus: the same parser code in the sandbox (the built-in
//! wasm component, fresh instance per call) and natively (the parser crate as an rlib), in the
//! same run, with the sandbox/native ratio and the sandbox's peak memory per call. Prints
//! figures; asserts nothing. Run: `cargo bench -p vivier --bench parse_cv [-- CORPUS_DIR]`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vivier::bundle::SignatureStatus;
use vivier::model::Document;
use vivier::runtime::PluginGrants;
use vivier::{builtin, Runtime, RuntimeConfig};

const ROUNDS: usize = 7;

fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            documents(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("pdf" | "docx" | "odt" | "txt" | "md")) {
            out.push(p);
        }
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dirs: Vec<PathBuf> = match std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        Some(d) => vec![PathBuf::from(d)],
        None => vec![manifest.join("../../shared/corpus/cv"), manifest.join("../tests/data/cv-fr")],
    };
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let bundle = builtin::bundles().unwrap().into_iter().find(|b| b.manifest.plugin.id == "vivier-cv-parser").unwrap();
    let parser = rt.load(&bundle, SignatureStatus::Builtin, PluginGrants::default()).unwrap();
    println!("cv-parser component: {} KiB", bundle.component.len() / 1024);

    for dir in dirs {
        let mut files = Vec::new();
        documents(&dir, &mut files);
        if files.is_empty() {
            println!("{}: no document", dir.display());
            continue;
        }
        let docs: Vec<Document> = files
            .iter()
            .map(|p| Document {
                filename: p.file_name().unwrap().to_string_lossy().into_owned(),
                media_type: vivier::cli::media_type_for(p).into(),
                bytes: std::fs::read(p).unwrap(),
            })
            .collect();
        let (mut sandbox, mut native): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
        let mut peak = 0u64;
        let mut peaks = Vec::new();
        let mut failures = 0;
        // Per document: the median of its rounds, sandbox and native interleaved so that a noisy
        // neighbour affects both alike.
        for doc in &docs {
            let (mut s, mut n) = (Vec::new(), Vec::new());
            let mut doc_peak = 0;
            for _ in 0..ROUNDS {
                let t = Instant::now();
                let inv = rt.parse(&parser, doc);
                s.push(t.elapsed());
                if !matches!(inv.result, Ok(Ok(_))) {
                    failures += 1;
                }
                doc_peak = doc_peak.max(inv.report.peak_memory_bytes);
                let t = Instant::now();
                let r = vivier_cv_parser::parse_document(&doc.filename, &doc.media_type, &doc.bytes);
                n.push(t.elapsed());
                std::hint::black_box(r.is_ok());
            }
            sandbox.push(median(&mut s));
            native.push(median(&mut n));
            peak = peak.max(doc_peak);
            peaks.push(doc_peak);
        }
        peaks.sort_unstable();
        let (ms_s, ms_n) = (ms(median(&mut sandbox.clone())), ms(median(&mut native.clone())));
        let total_s: f64 = sandbox.iter().map(|d| ms(*d)).sum();
        let total_n: f64 = native.iter().map(|d| ms(*d)).sum();
        println!(
            "{} ({} documents, {ROUNDS} rounds each, {} failed calls)",
            dir.display(),
            docs.len(),
            failures / ROUNDS
        );
        println!("  median per CV   sandbox {ms_s:>7.2} ms   native {ms_n:>7.2} ms   ratio {:.2}×   [targets ≤ 15 ms, ≤ 2.0×]", ms_s / ms_n);
        println!(
            "  mean per CV     sandbox {:>7.2} ms   native {:>7.2} ms   ratio {:.2}×",
            total_s / docs.len() as f64,
            total_n / docs.len() as f64,
            total_s / total_n
        );
        println!(
            "  slowest CV      sandbox {:>7.2} ms   native {:>7.2} ms",
            ms(*sandbox.iter().max().unwrap()),
            ms(*native.iter().max().unwrap())
        );
        println!(
            "  peak memory per call (sandbox): median {:.1} MiB, max {:.1} MiB   [target ≤ 64 MiB]",
            peaks[peaks.len() / 2] as f64 / 1048576.0,
            peak as f64 / 1048576.0
        );
    }
}
