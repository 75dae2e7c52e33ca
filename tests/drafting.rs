//! Job-ad drafting end to end: the bundled template drafter run in the sandbox, the host's
//! linter on its output and on the request, `vivier lint`, and `vivier eval draft` on the
//! development set of fictional requests.

mod common;

use common::{stdout, vivier};
use std::path::{Path, PathBuf};

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn violations(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["severity"] != "info")
        .map(|w| {
            (
                w["code"].as_str().unwrap().to_owned(),
                w["category"].as_str().unwrap().to_owned(),
                w["excerpt"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn draft_output_has_the_issue_fields_and_a_complete_request_has_no_violation() {
    let dir = tempfile::tempdir().unwrap();
    let o = vivier(dir.path(), &["draft", &repo("tests/fixtures/conformance/draft-request.json")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["generated_by", "human_review_required", "markdown", "title", "warnings"]);
    assert_eq!(v["human_review_required"], true);
    assert_eq!(v["generated_by"]["id"], "vivier-drafter-template");
    assert_eq!(v["generated_by"]["digest"].as_str().unwrap().len(), 64);
    assert_eq!(v["generated_by"]["ai_generated"], false);
    assert_eq!(v["title"], "Gestionnaire carrière et paie (F/H)");
    let md = v["markdown"].as_str().unwrap();
    for needle in ["Fonction publique territoriale", "15 janvier 2027", "situation de handicap", "Référence de l'offre"]
    {
        assert!(md.contains(needle), "{needle} missing:\n{md}");
    }
    // The fixture gives no start date: the only gap is décret 2018-1351 art. 3, 11°.
    let expected = [("missing-mention".to_owned(), "missing-mention".to_owned(), "vacancy-date".to_owned())];
    assert_eq!(violations(&v), expected, "{md}");
    for w in v["warnings"].as_array().unwrap() {
        for field in ["code", "category", "severity", "message", "article", "excerpt"] {
            assert!(w.get(field).is_some(), "{field} missing in {w}");
        }
    }
}

#[test]
fn draft_flags_the_request_and_keeps_criteria_out_of_the_ad() {
    let dir = tempfile::tempdir().unwrap();
    let mut request: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("tests/fixtures/conformance/draft-request.json")).unwrap())
            .unwrap();
    request["profile"].as_array_mut().unwrap().push("Jeune et dynamique".into());
    request["recruiter_notes"] =
        "Astreinte un samedi par mois. Entre nous, la DRH voudrait une femme sans enfants.".into();
    let path = write(dir.path(), "request.json", &request.to_string());
    let o = vivier(dir.path(), &["draft", path.to_str().unwrap()]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let md = v["markdown"].as_str().unwrap();
    assert!(!md.contains("Jeune") && !md.contains("femme") && !md.contains("DRH voudrait"), "{md}");
    assert!(md.contains("Astreinte un samedi par mois."), "publishable note used:\n{md}");
    let found = violations(&v);
    for category in ["age", "sex", "family-situation"] {
        assert!(found.iter().any(|(code, c, _)| code == "discriminatory-criterion" && c == category), "{found:?}");
    }
    let age = v["warnings"].as_array().unwrap().iter().find(|w| w["category"] == "age").unwrap();
    assert!(age["article"].as_str().unwrap().contains("225-1"));
    assert_eq!(age["excerpt"], "Jeune et dynamique");
    assert!(age["message"].as_str().unwrap().starts_with("Critère d'âge"));
}

#[test]
fn lint_command_checks_a_markdown_ad() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.md",
        "# Assistante de direction\n\nNous recherchons une personne jeune et dynamique, de nationalité française \
         exigée, habitant la commune.\n\n- Permis B exigé\n",
    );
    let o = vivier(dir.path(), &["lint", bad.to_str().unwrap()]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found = violations(&v);
    for category in ["age", "nationality", "place-of-residence", "sex", "missing-mention"] {
        assert!(found.iter().any(|(_, c, _)| c == category), "{category} not in {found:?}");
    }
    assert!(found.iter().any(|(code, _, e)| code == "missing-mention" && e == "application-deadline"));
    assert!(!found.iter().any(|(_, _, e)| e.contains("Permis")), "{found:?}");
    let strict = vivier(dir.path(), &["lint", "--strict", bad.to_str().unwrap()]);
    assert_eq!(strict.status.code(), Some(2));

    // The template's own ad from a complete request passes the linter.
    let mut request: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("tests/fixtures/conformance/draft-request.json")).unwrap())
            .unwrap();
    request["start_date"] = "1er mars 2027".into();
    let path = write(dir.path(), "request.json", &request.to_string());
    let o = vivier(dir.path(), &["draft", path.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let good = write(dir.path(), "good.md", v["markdown"].as_str().unwrap());
    let o = vivier(dir.path(), &["lint", "--strict", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn eval_draft_meets_the_targets_on_the_development_set() {
    let dir = tempfile::tempdir().unwrap();
    let o = vivier(dir.path(), &["eval", "draft", "--cases", &repo("tests/data/drafting/dev.jsonl")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("(34 cases, 0 drafting failures)"), "{out}");
    assert!(out.contains("targets: met"), "{out}");
}

#[test]
fn eval_draft_meets_the_targets_on_disguised_and_multi_criterion_cases() {
    let dir = tempfile::tempdir().unwrap();
    let o = vivier(dir.path(), &["eval", "draft", "--cases", &repo("tests/data/drafting/evasion.jsonl")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("(30 cases, 0 drafting failures)"), "{out}");
    assert!(out.contains("targets: met"), "{out}");
}

#[test]
fn eval_draft_reports_misses_of_a_case_that_cannot_pass() {
    let dir = tempfile::tempdir().unwrap();
    let case = r#"{"id":"x","request":{"job_title":"Agent (F/H)","profile":["Permis B"]},"must_mention":[["licorne"]],"must_flag":[{"phrase":"Permis B","category":"age"}],"must_not_flag":[]}"#;
    let path = write(dir.path(), "cases.jsonl", case);
    let o = vivier(dir.path(), &["eval", "draft", "--cases", path.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("must_mention present:          0/1"), "{out}");
    assert!(out.contains("must_flag flagged (category):  0/1"), "{out}");
    assert!(out.contains("targets: NOT met") && out.contains("not flagged as age"), "{out}");
}
