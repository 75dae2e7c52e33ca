//! The bundled CV parser, run sandboxed by `vivier eval parse` as an evaluator runs it, keeps
//! the accuracy on the French CVs of the repository: the development set
//! (tests/data/cv-fr) and the four rounds of the check set written later with other tools and
//! layouts (tests/data/cv-fr-check, scored before the fixes they led to; see its README). All
//! five formats are in both. A regression guard: a rule that helps one layout and breaks
//! another fails here.

mod common;

use common::{stderr, stdout, vivier};

/// The target for identity fields and experience title, organisation and dates.
const TARGET_F1: f64 = 0.95;
const FIELDS: &[&str] = &[
    "name",
    "email",
    "phone",
    "city",
    "experience.title",
    "experience.organisation",
    "experience.start",
    "experience.end",
];

fn repo(rel: &str) -> String {
    format!("{}/../{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn french_cvs_in_five_formats_meet_the_target_on_identity_and_experiences() {
    let dir = tempfile::tempdir().unwrap();
    for truth in [
        "tests/data/cv-fr/truth.jsonl",
        "tests/data/cv-fr-check/truth.jsonl",
        "tests/data/cv-fr-check/truth-round2.jsonl",
        "tests/data/cv-fr-check/truth-round3.jsonl",
        "tests/data/cv-fr-check/truth-round4.jsonl",
    ] {
        let o = vivier(dir.path(), &["eval", "parse", "--json", "--truth", &repo(truth)]);
        assert!(o.status.success(), "{truth}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["failed"], 0, "{truth}: a document failed to parse");
        let mut below = Vec::new();
        for field in FIELDS {
            let f1 = v["fields"][field]["f1"].as_f64().unwrap_or_else(|| panic!("{truth}: no F1 for {field}"));
            if f1 < TARGET_F1 {
                below.push(format!("{field} {f1:.3}"));
            }
        }
        assert!(below.is_empty(), "{truth}: F1 under {TARGET_F1}: {}", below.join(", "));
    }
}
