//! Developer tool: scores the parser natively on a ground-truth JSONL in the format of the
//! public corpus (`cv-ground-truth.jsonl`, `tests/data/cv-fr/truth.jsonl`), without building the
//! host or the WebAssembly component.
//!
//! `cargo run -p vivier-cv-parser --release --example eval_corpus -- TRUTH.jsonl [--details]`
//!
//! The rules are those of the host's scorer (`host/src/eval/parse/score.rs`), copied here so the
//! figures agree: same normalisation, dates at the truth's precision, experiences paired one to
//! one (best matches first, ties in document order), .json/.yaml lines skipped. Files are read
//! relative to the truth file's directory. `--details` prints each file's mismatches.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;
use vivier_sdk::cv_parser::{Experience, ParsedCv, PartialDate};

const FIELDS: &[&str] = &[
    "name",
    "email",
    "phone",
    "city",
    "experience.title",
    "experience.organisation",
    "experience.start",
    "experience.end",
    "education",
    "skills",
    "languages",
];

#[derive(Clone, Copy, Default)]
struct Counts {
    correct: usize,
    predicted: usize,
    expected: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.correct += o.correct;
        self.predicted += o.predicted;
        self.expected += o.expected;
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn f1(c: Counts) -> Option<f64> {
    if c.expected == 0 {
        return None;
    }
    let (p, r) = (ratio(c.correct, c.predicted).unwrap_or(0.0), ratio(c.correct, c.expected).unwrap_or(0.0));
    Some(if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
}

/// Same as score.rs `norm`.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfc().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' | '´' => '\'',
            '\u{201C}' | '\u{201D}' | '«' | '»' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{00AD}' | '\u{200B}' => continue,
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end_matches([' ', ',', '.', ';', ':', '|', '-']).trim().to_string()
}

fn text_eq(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

fn name_eq(a: &str, b: &str) -> bool {
    const HONORIFICS: &[&str] =
        &["dr", "dr.", "prof", "prof.", "pr", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "m.", "mme", "mlle"];
    let strip = |s: &str| {
        let n = norm(s);
        let mut words: Vec<&str> = n.split(' ').collect();
        while words.len() > 1 && HONORIFICS.contains(&words[0]) {
            words.remove(0);
        }
        words.join(" ")
    };
    let (a, b) = (strip(a), strip(b));
    !a.is_empty() && a == b
}

fn contains_either(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

fn e164(s: &str) -> Option<String> {
    let t = s.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return None;
    }
    let plus = t.starts_with('+') || t.starts_with("(+");
    Some(if plus {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if digits.len() == 10 && digits.starts_with('0') {
        format!("+33{}", &digits[1..])
    } else if digits.len() == 10 {
        format!("+1{digits}")
    } else {
        digits
    })
}

fn phone_eq(truth: &str, pred: &str) -> bool {
    let (Some(a), Some(b)) = (e164(truth), e164(pred)) else { return false };
    if a == b {
        return true;
    }
    let tail = |s: &str| s.chars().rev().take(9).collect::<String>();
    let no_country = |raw: &str| !raw.trim_start().starts_with(['+', '(']) || raw.trim_start().starts_with("(0");
    (no_country(truth) || no_country(pred)) && tail(&a) == tail(&b) && a.len() >= 9 && b.len() >= 9
}

#[derive(Clone, Copy, PartialEq)]
enum TDate {
    Present,
    Date(u16, Option<u8>),
}

const MONTHS: &[(&str, u8)] = &[
    ("janv", 1),
    ("jan", 1),
    ("ene", 1),
    ("fév", 2),
    ("fev", 2),
    ("feb", 2),
    ("mars", 3),
    ("mar", 3),
    ("avr", 4),
    ("apr", 4),
    ("abr", 4),
    ("mai", 5),
    ("may", 5),
    ("juin", 6),
    ("jun", 6),
    ("juil", 7),
    ("jul", 7),
    ("aoû", 8),
    ("aou", 8),
    ("aug", 8),
    ("ago", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("déc", 12),
    ("dec", 12),
    ("dic", 12),
];

fn truth_date(raw: &str) -> Option<TDate> {
    let s = norm(raw);
    let present = ["present", "présent", "aujourd'hui", "now", "current", "actual", "à ce jour", "ce jour", "en cours"];
    if present.iter().any(|p| s.contains(p)) {
        return Some(TDate::Present);
    }
    let nums: Vec<u32> = s.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    let year = nums.iter().copied().find(|n| (1900..=2100).contains(n))? as u16;
    let mut month = nums.iter().copied().find(|&n| (1..=12).contains(&n)).map(|m| m as u8);
    if month.is_none() {
        month = s
            .split(|c: char| !c.is_alphabetic())
            .find_map(|w| MONTHS.iter().find(|(p, _)| w.starts_with(p) && w.len() >= 3).map(|&(_, m)| m));
    }
    Some(TDate::Date(year, month))
}

fn date_eq(truth: TDate, pred: Option<PartialDate>, current: bool, is_end: bool) -> bool {
    match truth {
        TDate::Present => is_end && current,
        TDate::Date(y, m) => pred.is_some_and(|p| p.year == y && (m.is_none() || p.month == m)),
    }
}

fn pred_has_date(e: &Experience, is_end: bool) -> bool {
    if is_end {
        e.end.is_some() || e.current
    } else {
        e.start.is_some()
    }
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn scalar(truth: Option<&str>, pred: Option<&str>, eq: fn(&str, &str) -> bool) -> Counts {
    let truth = truth.filter(|t| !t.trim().is_empty());
    let pred = pred.filter(|p| !p.trim().is_empty());
    Counts {
        correct: matches!((truth, pred), (Some(t), Some(p)) if eq(t, p)) as usize,
        predicted: pred.is_some() as usize,
        expected: truth.is_some() as usize,
    }
}

fn fmt_date(p: Option<PartialDate>) -> String {
    match p {
        Some(PartialDate { year, month: Some(m) }) => format!("{year}-{m:02}"),
        Some(PartialDate { year, month: None }) => year.to_string(),
        None => "-".into(),
    }
}

type Fields = BTreeMap<&'static str, Counts>;

fn score_identity(truth: &Value, cv: &ParsedCv, f: &mut Fields, out: &mut Vec<String>) {
    let id = &cv.identity;
    for (name, pred, eq) in [
        ("name", id.full_name.as_deref(), name_eq as fn(&str, &str) -> bool),
        ("email", id.email.as_deref(), text_eq),
        ("phone", id.phone.as_deref(), phone_eq),
        ("city", id.city.as_deref(), text_eq),
    ] {
        let t = s(truth, name);
        let c = scalar(t, pred, eq);
        if c.correct < c.predicted.max(c.expected) {
            out.push(format!("{name}: want {:?}, got {:?}", t.unwrap_or("-"), pred.unwrap_or("-")));
        }
        f.entry(FIELDS.iter().find(|x| **x == name).copied().unwrap_or("name")).or_default().add(c);
    }
}

struct TExp {
    title: Option<String>,
    org: Option<String>,
    start: Option<TDate>,
    end: Option<TDate>,
    raw: Value,
}

fn score_experiences(truth: &Value, cv: &ParsedCv, f: &mut Fields, out: &mut Vec<String>) {
    let texps: Vec<TExp> = truth
        .get("experiences")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|t| TExp {
            title: s(&t, "title").map(String::from),
            org: s(&t, "organization").or(s(&t, "organisation")).map(String::from),
            start: s(&t, "start").and_then(truth_date),
            end: s(&t, "end").and_then(truth_date),
            raw: t,
        })
        .collect();
    let pexps = &cv.profile.experiences;
    let matches = |ti: usize, pi: usize| -> [bool; 4] {
        let (t, p) = (&texps[ti], &pexps[pi]);
        [
            t.title.as_deref().is_some_and(|x| text_eq(x, &p.title)),
            matches!((t.org.as_deref(), p.organisation.as_deref()), (Some(a), Some(b)) if text_eq(a, b)),
            t.start.is_some_and(|td| date_eq(td, p.start, p.current, false)),
            t.end.is_some_and(|td| date_eq(td, p.end, p.current, true)),
        ]
    };
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for ti in 0..texps.len() {
        for pi in 0..pexps.len() {
            let m = matches(ti, pi);
            let sc = 2 * m[0] as usize + 2 * m[1] as usize + m[2] as usize + m[3] as usize;
            if sc > 0 {
                pairs.push((sc, ti, pi));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.cmp(&a.0).then((a.1 as i64 - a.2 as i64).abs().cmp(&(b.1 as i64 - b.2 as i64).abs())).then(a.1.cmp(&b.1))
    });
    let (mut t_used, mut p_used) = (vec![false; texps.len()], vec![false; pexps.len()]);
    let mut paired = Vec::new();
    for (_, ti, pi) in pairs {
        if !t_used[ti] && !p_used[pi] {
            t_used[ti] = true;
            p_used[pi] = true;
            paired.push((ti, pi));
        }
    }
    let mut counts = [Counts::default(); 4];
    for t in &texps {
        let has = [t.title.is_some(), t.org.is_some(), t.start.is_some(), t.end.is_some()];
        for k in 0..4 {
            counts[k].expected += has[k] as usize;
        }
    }
    for p in pexps {
        let has =
            [!p.title.trim().is_empty(), p.organisation.is_some(), pred_has_date(p, false), pred_has_date(p, true)];
        for k in 0..4 {
            counts[k].predicted += has[k] as usize;
        }
    }
    for &(ti, pi) in &paired {
        let m = matches(ti, pi);
        for k in 0..4 {
            counts[k].correct += m[k] as usize;
        }
        // A field neither expected nor predicted (a template's "year") is not a mismatch.
        let (te, pe) = (&texps[ti], &pexps[pi]);
        let seen = [
            te.title.is_some() || !pe.title.trim().is_empty(),
            te.org.is_some() || pe.organisation.is_some(),
            te.start.is_some() || pred_has_date(pe, false),
            te.end.is_some() || pred_has_date(pe, true),
        ];
        let wrong: Vec<&str> = ["title", "org", "start", "end"]
            .iter()
            .zip(m)
            .zip(seen)
            .filter(|((_, ok), s)| !ok && *s)
            .map(|((n, _), _)| *n)
            .collect();
        if !wrong.is_empty() {
            let (t, p) = (&texps[ti].raw, &pexps[pi]);
            out.push(format!(
                "experience: want {:?} / {:?} / {:?}-{:?}\n              got  {:?} / {:?} / {}-{}{}   [wrong: {}]",
                s(t, "title").unwrap_or("-"),
                s(t, "organization").or(s(t, "organisation")).unwrap_or("-"),
                s(t, "start").unwrap_or("-"),
                s(t, "end").unwrap_or("-"),
                p.title,
                p.organisation.as_deref().unwrap_or("-"),
                fmt_date(p.start),
                fmt_date(p.end),
                if p.current { " (current)" } else { "" },
                wrong.join(",")
            ));
        }
    }
    for (_, t) in texps.iter().enumerate().filter(|(i, _)| !t_used[*i]) {
        out.push(format!(
            "experience missing: {:?} / {:?}",
            t.title.as_deref().unwrap_or("-"),
            t.org.as_deref().unwrap_or("-")
        ));
    }
    for (_, p) in pexps.iter().enumerate().filter(|(i, _)| !p_used[*i]) {
        out.push(format!("experience extra: {:?} / {:?}", p.title, p.organisation.as_deref().unwrap_or("-")));
    }
    let names = ["experience.title", "experience.organisation", "experience.start", "experience.end"];
    for k in 0..4 {
        f.entry(names[k]).or_default().add(counts[k]);
    }
}

fn score_education(truth: &Value, cv: &ParsedCv, f: &mut Fields, out: &mut Vec<String>) {
    let tedu = truth.get("education").and_then(Value::as_array).cloned().unwrap_or_default();
    let pedu = &cv.profile.education;
    let mut used = vec![false; pedu.len()];
    let mut correct = 0;
    for t in &tedu {
        let (d, a, inst) = (s(t, "degree"), s(t, "area"), s(t, "institution"));
        let degree = match (d, a) {
            (Some(d), Some(a)) => Some(format!("{d} {a}")),
            (Some(d), None) => Some(d.to_string()),
            (None, a) => a.map(String::from),
        };
        let hit = pedu.iter().enumerate().position(|(i, p)| {
            !used[i]
                && (matches!((inst, &p.institution), (Some(a), Some(b)) if contains_either(a, b))
                    || inst.is_some_and(|a| contains_either(a, &p.degree))
                    || degree.as_deref().is_some_and(|dg| contains_either(dg, &p.degree))
                    || d.is_some_and(|dg| text_eq(dg, &p.degree)))
        });
        match hit {
            Some(i) => {
                used[i] = true;
                correct += 1;
            }
            None => out.push(format!(
                "education missing: {:?} / {:?}",
                degree.as_deref().unwrap_or("-"),
                inst.unwrap_or("-")
            )),
        }
    }
    f.entry("education").or_default().add(Counts { correct, predicted: pedu.len(), expected: tedu.len() });
}

fn score_set(name: &'static str, truth: &Value, pred: Vec<String>, f: &mut Fields, out: &mut Vec<String>) {
    let Some(truth) = truth.get(name).and_then(Value::as_array) else { return };
    let mut t: Vec<String> = truth.iter().filter_map(Value::as_str).map(norm).filter(|x| !x.is_empty()).collect();
    let mut p: Vec<String> = pred.iter().map(|x| norm(x)).filter(|x| !x.is_empty()).collect();
    t.sort();
    t.dedup();
    p.sort();
    p.dedup();
    let correct = t.iter().filter(|x| p.contains(x)).count();
    let missing: Vec<String> = t.iter().filter(|x| !p.contains(x)).cloned().collect();
    if !missing.is_empty() {
        out.push(format!("{name} missing: {}", missing.join(", ")));
    }
    f.entry(name).or_default().add(Counts { correct, predicted: p.len(), expected: t.len() });
}

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

fn fmt_pct(x: Option<f64>) -> String {
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
    let text = std::fs::read_to_string(truth_path).expect("readable truth file");
    let mut totals: Fields = BTreeMap::new();
    let (mut skipped, mut failed, mut docs) = (0, 0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let truth: Value = serde_json::from_str(line).expect("valid JSON line");
        let file = s(&truth, "file").unwrap_or_default().to_string();
        let path = base.join(&file);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if matches!(ext.as_str(), "json" | "yaml" | "yml") {
            skipped += 1;
            continue;
        }
        docs += 1;
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let cv = match vivier_cv_parser::parse_document(&name, media_type_for(&path), &bytes) {
            Ok(cv) => cv,
            Err(e) => {
                failed += 1;
                println!("{file}: ERROR {e:?}");
                // Everything expected, nothing predicted, as the host counts a failure.
                vivier_cv_parser::parse_text("")
            }
        };
        let (mut fields, mut out) = (Fields::new(), Vec::new());
        score_identity(&truth, &cv, &mut fields, &mut out);
        score_experiences(&truth, &cv, &mut fields, &mut out);
        score_education(&truth, &cv, &mut fields, &mut out);
        let skills = cv.profile.skills.iter().map(|k| k.label.clone()).collect();
        score_set("skills", &truth, skills, &mut fields, &mut out);
        let langs = cv.profile.languages.iter().map(|l| l.name.clone()).collect();
        score_set("languages", &truth, langs, &mut fields, &mut out);
        for (k, c) in &fields {
            totals.entry(k).or_default().add(*c);
        }
        if details && !out.is_empty() {
            println!("== {file}");
            for m in &out {
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
            fmt_pct(ratio(c.correct, c.predicted)),
            fmt_pct(ratio(c.correct, c.expected)),
            fmt_pct(f1(c))
        );
    }
}
