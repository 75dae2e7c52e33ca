//! The development set: fictional CVs in `tests/data/cv/` with what a human reads in them
//! (`<name>.expected.json`). Identity and experience fields must match exactly; skills are
//! compared as a set (the parser may find more); languages by name and level.

use crate::parse_document;
use serde_json::Value;
use std::path::PathBuf;
use vivier_sdk::cv_parser::{EmploymentStatus, ParsedCv, PartialDate};
use vivier_sdk::text::fold;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/cv")
}

fn date(d: &Option<PartialDate>) -> Value {
    match d {
        Some(PartialDate { year, month: Some(m) }) => Value::String(format!("{year}-{m:02}")),
        Some(PartialDate { year, month: None }) => Value::String(format!("{year}")),
        None => Value::Null,
    }
}

fn opt(s: &Option<String>) -> Value {
    s.clone().map_or(Value::Null, Value::String)
}

/// Per-field tallies: (field, found right, expected).
#[derive(Default)]
struct Score {
    rows: Vec<(String, usize, usize)>,
    errors: Vec<String>,
}

impl Score {
    fn add(&mut self, field: &str, ok: usize, total: usize) {
        match self.rows.iter_mut().find(|r| r.0 == field) {
            Some(r) => {
                r.1 += ok;
                r.2 += total;
            }
            None => self.rows.push((field.to_string(), ok, total)),
        }
    }
    fn check(&mut self, file: &str, field: &str, got: Value, want: &Value) {
        let ok = &got == want;
        self.add(field, usize::from(ok), 1);
        if !ok {
            self.errors.push(format!("{file}: {field}: got {got}, want {want}"));
        }
    }
}

fn score_file(name: &str, cv: &ParsedCv, want: &Value, s: &mut Score) {
    let id = &cv.identity;
    s.check(name, "name", opt(&id.full_name), &want["name"]);
    s.check(name, "email", opt(&id.email), &want["email"]);
    s.check(name, "phone", opt(&id.phone), &want["phone"]);
    s.check(name, "city", opt(&id.city), &want["city"]);
    if let Some(pc) = want.get("postal_code") {
        s.check(name, "postal_code", opt(&id.postal_code), pc);
    }

    let exps = want["experiences"].as_array().cloned().unwrap_or_default();
    let got = &cv.profile.experiences;
    s.check(name, "experience count", Value::from(got.len()), &Value::from(exps.len()));
    for (i, w) in exps.iter().enumerate() {
        let Some(g) = got.get(i) else {
            s.add("experience title", 0, 1);
            s.add("experience organisation", 0, 1);
            s.add("experience dates", 0, 1);
            s.errors.push(format!("{name}: experience {i} missing: {w}"));
            continue;
        };
        s.check(name, "experience title", Value::String(g.title.clone()), &w["title"]);
        s.check(name, "experience organisation", opt(&g.organisation), &w["organisation"]);
        let dates = serde_json::json!([date(&g.start), date(&g.end), g.current]);
        s.check(name, "experience dates", dates, &serde_json::json!([w["start"], w["end"], w["current"]]));
    }

    let edus = want["education"].as_array().cloned().unwrap_or_default();
    let got = &cv.profile.education;
    s.check(name, "education count", Value::from(got.len()), &Value::from(edus.len()));
    for (i, w) in edus.iter().enumerate() {
        let g = got.get(i);
        s.check(name, "education degree", g.map_or(Value::Null, |g| Value::String(g.degree.clone())), &w["degree"]);
        s.check(name, "education institution", g.map_or(Value::Null, |g| opt(&g.institution)), &w["institution"]);
        s.check(name, "education level", g.map_or(Value::Null, |g| opt(&g.level)), &w["level"]);
    }

    let found: Vec<String> = cv.profile.skills.iter().map(|k| fold(&k.label)).collect();
    for w in want["skills"].as_array().cloned().unwrap_or_default() {
        let w = w.as_str().unwrap_or_default();
        let ok = found.contains(&fold(w));
        s.add("skills (recall)", usize::from(ok), 1);
        if !ok {
            s.errors.push(format!("{name}: skill {w:?} not found in {found:?}"));
        }
    }
    for k in &cv.profile.skills {
        assert!(!k.evidence.is_empty(), "{name}: skill {} without evidence", k.label);
    }

    let langs: Vec<Value> =
        cv.profile.languages.iter().map(|l| serde_json::json!({"name": l.name, "level": l.level})).collect();
    for w in want["languages"].as_array().cloned().unwrap_or_default() {
        let ok = langs.contains(&w);
        s.add("languages", usize::from(ok), 1);
        if !ok {
            s.errors.push(format!("{name}: language {w} not in {langs:?}"));
        }
    }
    if let Some(l) = want.get("driving_licences") {
        s.check(name, "driving licences", serde_json::json!(cv.profile.driving_licences), l);
    }
    if let Some(i) = want.get("interests") {
        s.check(name, "interests", serde_json::json!(cv.profile.interests), i);
    }
    if let Some(ps) = want.get("public_service") {
        let p = &cv.profile.public_service;
        let status = p.status.map(|st| match st {
            EmploymentStatus::Titulaire => "titulaire",
            EmploymentStatus::Stagiaire => "stagiaire",
            EmploymentStatus::Contractuel => "contractuel",
            EmploymentStatus::Other => "other",
        });
        s.check(name, "public service status", serde_json::json!(status), &ps["status"]);
        let grade = p.grade.as_deref().map(|g| g.to_lowercase());
        s.check(name, "public service grade", serde_json::json!(grade), &ps["grade"]);
        s.check(name, "public service categorie", opt(&p.categorie), &ps["categorie"]);
        s.check(name, "public service concours", serde_json::json!(p.concours), &ps["concours"]);
    }
    for code in want.get("warnings").and_then(Value::as_array).cloned().unwrap_or_default() {
        let ok = cv.warnings.iter().any(|w| Value::String(w.code.clone()) == code);
        s.add("expected warnings", usize::from(ok), 1);
        if !ok {
            s.errors.push(format!("{name}: warning {code} missing"));
        }
    }
    // Identity never leaks into the profile.
    let profile = serde_json::to_string(&cv.profile).unwrap_or_default();
    for secret in [&id.email, &id.phone, &id.full_name].into_iter().flatten() {
        assert!(!profile.contains(secret.as_str()), "{name}: {secret} leaks into the profile");
    }
}

#[test]
fn dev_set_matches_ground_truth() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/data/cv exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "dev set too small: {}", files.len());
    let mut score = Score::default();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let bytes = std::fs::read(path).expect("readable");
        let media = if name.ends_with(".md") { "text/markdown" } else { "text/plain" };
        let cv = parse_document(&name, media, &bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let want: Value =
            serde_json::from_slice(&std::fs::read(dir().join(format!("{stem}.expected.json"))).expect("expected.json"))
                .expect("valid json");
        if std::env::var("CV_DUMP").is_ok() {
            println!("{name}: {}", serde_json::to_string_pretty(&cv).unwrap_or_default());
        }
        score_file(&name, &cv, &want, &mut score);
    }
    println!("{:<28} {:>5} {:>5}", "field", "ok", "total");
    for (field, ok, total) in &score.rows {
        println!("{field:<28} {ok:>5} {total:>5}");
    }
    for e in &score.errors {
        println!("MISMATCH {e}");
    }
    assert!(score.errors.is_empty(), "{} mismatches on the dev set (run with --nocapture)", score.errors.len());
}
