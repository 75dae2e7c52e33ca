//! Calibration of vivier-matcher-semantic's relevance floor and ceiling on the fictional
//! development set (tests/data/ranking): the best relevance (cosine in standard deviations
//! above the reference cohorts) of every open requirement with every CV, grouped by the CV's
//! relevance grade for the posting. A general rule, not a fit to the set: floor = 75th
//! percentile of the unrelated (grade 0) CVs' best relevances, so most unrelated passages earn
//! nothing; ceiling = median of the fitting (grade 3) CVs', so half of the fitting passages earn
//! full credit; both over the original and the reworded postings together. Prints figures and
//! suggested settings; asserts nothing. Needs the model: `vivier models install`. Run:
//! `cargo bench -p vivier --bench calibrate_semantic`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vivier::bundle::SignatureStatus;
use vivier::model::{Document, PartialDate};
use vivier::posting::JobPosting;
use vivier::runtime::PluginGrants;
use vivier::{builtin, ranking, Runtime, RuntimeConfig};

fn percentile(v: &mut [f32], p: f32) -> f32 {
    v.sort_by(f32::total_cmp);
    if v.is_empty() {
        return f32::NAN;
    }
    v[((v.len() - 1) as f32 * p).round() as usize]
}

fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    out.sort();
    out
}

fn main() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ranking");
    // Memory-cached: every posting re-reads the same profile passages.
    let rt = Runtime::new(RuntimeConfig::default()).unwrap().with_inference(vivier::models::host_backend());
    let bundles = builtin::bundles().unwrap();
    let find = |id: &str| bundles.iter().find(|b| b.manifest.plugin.id == id).unwrap();
    let parser = rt.load(find("vivier-cv-parser"), SignatureStatus::Builtin, PluginGrants::default()).unwrap();
    let semantic = find("vivier-matcher-semantic");
    let grants = PluginGrants {
        config: Arc::new(BTreeMap::from([("log-similarities".to_owned(), "true".to_owned())])),
        models: semantic.manifest.capabilities.models.clone().into(),
        ..Default::default()
    };
    let matcher = match rt.load(semantic, SignatureStatus::Builtin, grants) {
        Ok(m) => m,
        Err(e) => {
            println!("semantic matcher unavailable ({e}); run `vivier models install` first");
            return;
        }
    };
    let cvs = sorted_files(&data.join("cvs"));
    let names: Vec<String> = cvs.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    let today = PartialDate { year: 2026, month: Some(11) };
    let candidates: Vec<_> = cvs
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let doc = Document {
                filename: names[i].clone(),
                media_type: vivier::cli::media_type_for(f).into(),
                bytes: std::fs::read(f).unwrap(),
            };
            {
                let cv = rt.parse(&parser, &doc).result.unwrap().unwrap();
                ranking::candidate(format!("c{}", i + 1), Some(&cv.identity), cv.profile, today)
            }
        })
        .collect();
    let mut grades: HashMap<(String, String), u8> = HashMap::new();
    for line in std::fs::read_to_string(data.join("relevance.jsonl")).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        grades.insert(
            (v["posting"].as_str().unwrap().to_owned(), v["file"].as_str().unwrap().to_owned()),
            v["grade"].as_u64().unwrap() as u8,
        );
    }
    let mut pooled: BTreeMap<u8, Vec<f32>> = BTreeMap::new();
    for set in ["postings", "postings-reworded"] {
        let mut by_grade: BTreeMap<u8, Vec<f32>> = BTreeMap::new();
        for p in sorted_files(&data.join(set)) {
            let job = JobPosting::from_json(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let inv = rt.assess(&matcher, &job.to_matching(), &candidates);
            inv.result.expect("call").expect("assessment");
            for entry in &inv.report.log {
                let parts: Vec<&str> = entry.message.split(' ').collect();
                if parts.len() != 5 || parts[0] != "similarity" {
                    continue;
                }
                let i: usize = parts[1][1..].parse().unwrap();
                let relevance: f32 = parts[3].parse().unwrap();
                let grade = grades.get(&(job.id.clone(), names[i - 1].clone())).copied().unwrap_or(0);
                by_grade.entry(grade).or_default().push(relevance);
                pooled.entry(grade).or_default().push(relevance);
            }
        }
        println!("{set}: best relevance per (open requirement, CV), by the CV's grade");
        print_grades(&mut by_grade);
    }
    let floor = percentile(pooled.get_mut(&0).map_or(&mut [][..], |v| &mut v[..]), 0.75);
    let ceiling = percentile(pooled.get_mut(&3).map_or(&mut [][..], |v| &mut v[..]), 0.5);
    println!("both sets: suggested relevance-floor {floor:.2}, relevance-ceiling {ceiling:.2}");
}

fn print_grades(by_grade: &mut BTreeMap<u8, Vec<f32>>) {
    for (g, v) in by_grade.iter_mut() {
        let n = v.len();
        println!(
            "  grade {g}: n={n:>3}  p25 {:.3}  p50 {:.3}  p75 {:.3}  p90 {:.3}",
            percentile(v, 0.25),
            percentile(v, 0.5),
            percentile(v, 0.75),
            percentile(v, 0.9)
        );
    }
}
