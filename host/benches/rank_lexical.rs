//! Ranking 1,000 parsed profiles with vivier-matcher-lexical in the sandbox (one call, fresh
//! instance, limits on): the target is ≤ 50 ms. Profiles come from the fictional
//! development CVs of tests/data/ranking, parsed once with the bundled parser, then cycled.
//! Prints figures; asserts nothing. Run: `cargo bench -p vivier --bench rank_lexical`.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use vivier::bundle::SignatureStatus;
use vivier::model::{Document, PartialDate};
use vivier::posting::JobPosting;
use vivier::runtime::PluginGrants;
use vivier::{builtin, ranking, Runtime, RuntimeConfig};

const CANDIDATES: usize = 1_000;
const ROUNDS: usize = 15;

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ranking");
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();
    let bundles = builtin::bundles().unwrap();
    let load = |id: &str| {
        let b = bundles.iter().find(|b| b.manifest.plugin.id == id).unwrap();
        rt.load(b, SignatureStatus::Builtin, PluginGrants::default()).unwrap()
    };
    let parser = load("vivier-cv-parser");
    let matcher = load("vivier-matcher-lexical");

    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("cvs")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let profiles: Vec<_> = files
        .iter()
        .map(|f| {
            let doc = Document {
                filename: f.file_name().unwrap().to_string_lossy().into_owned(),
                media_type: vivier::cli::media_type_for(f).into(),
                bytes: std::fs::read(f).unwrap(),
            };
            rt.parse(&parser, &doc).result.unwrap().unwrap().profile
        })
        .collect();
    let today = PartialDate { year: 2026, month: Some(11) };
    let candidates: Vec<_> = (0..CANDIDATES)
        .map(|i| ranking::candidate(format!("c{i}"), None, profiles[i % profiles.len()].clone(), today))
        .collect();

    let mut postings: Vec<PathBuf> =
        std::fs::read_dir(data.join("postings")).unwrap().map(|e| e.unwrap().path()).collect();
    postings.sort();
    println!("vivier-matcher-lexical, {CANDIDATES} parsed profiles per call, {ROUNDS} calls per posting");
    let mut all = Vec::new();
    let mut all_cpu: Vec<u64> = Vec::new();
    for p in &postings {
        let job = JobPosting::from_json(&std::fs::read_to_string(p).unwrap()).unwrap();
        let posting = job.to_matching();
        let mut samples: Vec<Duration> = Vec::new();
        let mut peak = 0u64;
        let mut cpu: Vec<u64> = Vec::new();
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let inv = rt.assess(&matcher, &posting, &candidates);
            samples.push(t.elapsed());
            let out = inv.result.unwrap().unwrap();
            assert_eq!(out.len(), CANDIDATES);
            peak = peak.max(inv.report.peak_memory_bytes);
            cpu.push(inv.report.cpu_us);
        }
        samples.sort();
        cpu.sort();
        let median = samples[ROUNDS / 2];
        all_cpu.push(cpu[ROUNDS / 2]);
        all.extend(samples.iter().copied());
        println!(
            "  {:<12} median {:>6.1} ms (thread CPU {:>6.1} ms)  min {:>6.1} ms  max {:>6.1} ms  peak guest memory {:.1} MiB",
            job.id,
            median.as_secs_f64() * 1e3,
            cpu[ROUNDS / 2] as f64 / 1e3,
            samples[0].as_secs_f64() * 1e3,
            samples[ROUNDS - 1].as_secs_f64() * 1e3,
            peak as f64 / (1 << 20) as f64
        );
    }
    // The floor: the SDK's example matcher (a few string searches per candidate) on the same
    // input, i.e. the cost of moving 1,000 profiles in and 1,000 assessments out of the sandbox
    // plus the call report's digests.
    let components = PathBuf::from(env!("VIVIER_TEST_COMPONENTS"));
    let manifest =
        vivier::manifest::Manifest::parse(&std::fs::read_to_string(components.join("example-matcher.toml")).unwrap())
            .unwrap();
    let wasm = std::fs::read(components.join("example-matcher.wasm")).unwrap();
    let bundle = vivier::bundle::Bundle::pack(manifest, wasm, None).unwrap();
    let example = rt.load(&bundle, SignatureStatus::Unsigned, PluginGrants::default()).unwrap();
    let posting = JobPosting::from_json(&std::fs::read_to_string(&postings[0]).unwrap()).unwrap().to_matching();
    let mut floor: Vec<(Duration, u64)> = (0..ROUNDS)
        .map(|_| {
            let t = Instant::now();
            let inv = rt.assess(&example, &posting, &candidates);
            (t.elapsed(), inv.report.cpu_us)
        })
        .collect();
    floor.sort();
    println!(
        "floor (example matcher, same input): median {:.1} ms (thread CPU {:.1} ms)",
        floor[ROUNDS / 2].0.as_secs_f64() * 1e3,
        floor[ROUNDS / 2].1 as f64 / 1e3
    );
    all.sort();
    all_cpu.sort();
    println!("median of per-posting thread CPU time: {:.1} ms", all_cpu[all_cpu.len() / 2] as f64 / 1e3);
    println!(
        "overall median {:.1} ms per 1,000 profiles (target ≤ 50 ms), p90 {:.1} ms",
        all[all.len() / 2].as_secs_f64() * 1e3,
        all[all.len() * 9 / 10].as_secs_f64() * 1e3
    );
}
