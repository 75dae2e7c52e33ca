//! `vivier rank` and `vivier eval rank` as a recruiter and an evaluator run them, on the
//! fictional development set of tests/data/ranking.

mod common;

use common::{stderr, stdout, vivier};
use std::path::{Path, PathBuf};

fn data(rel: &str) -> String {
    format!("{}/../tests/data/ranking/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn all_cvs() -> Vec<String> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(data("cvs")).unwrap().map(|e| e.unwrap().path()).collect();
    out.sort();
    out.into_iter().map(|p| p.display().to_string()).collect()
}

fn rank_json(dir: &Path, posting: &str, extra: &[&str]) -> serde_json::Value {
    let cvs = all_cvs();
    let mut args = vec!["rank", "--posting", posting];
    args.extend_from_slice(extra);
    args.extend(cvs.iter().map(String::as_str));
    let o = vivier(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn rank_prints_the_issue_json_with_every_candidate_and_contributions_that_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let posting = data("postings/p-paie.json");
    let v = rank_json(dir.path(), &posting, &[]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["posting", "suggestions"]);
    assert_eq!(v["posting"], "p-paie");
    let s = v["suggestions"].as_array().unwrap();
    // No candidate dropped, each under the path as given, ranks 1..n by decreasing score.
    assert_eq!(s.len(), all_cvs().len());
    let mut names: Vec<String> = s.iter().map(|x| x["candidate"].as_str().unwrap().to_owned()).collect();
    names.sort();
    assert_eq!(names, all_cvs());
    for (i, x) in s.iter().enumerate() {
        assert_eq!(x["rank"], i + 1);
        let score = x["score"].as_f64().unwrap();
        if i > 0 {
            assert!(score <= s[i - 1]["score"].as_f64().unwrap());
        }
        let rows = x["requirements"].as_array().unwrap();
        // 3 required + 2 optional skills + minimum experience.
        let ids: Vec<&str> = rows.iter().map(|r| r["requirement_id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["r1", "r2", "r3", "o1", "o2", "experience"]);
        let sum: f64 = rows.iter().map(|r| r["contribution"].as_f64().unwrap()).sum();
        assert!((sum - score).abs() < 1e-5, "{sum} vs {score}");
        let gaps = rows.iter().filter(|r| r["status"] != "met").count();
        assert!(x["questions"].as_array().unwrap().len() >= gaps.min(1));
        assert!(!x["summary"].as_str().unwrap().is_empty());
    }
    // The payroll manager of a commune comes first.
    assert!(s[0]["candidate"].as_str().unwrap().ends_with("cv01-gestionnaire-remuneration.txt"), "{}", s[0]);
}

#[test]
fn rank_csv_is_the_candidates_by_requirements_table() {
    let dir = tempfile::tempdir().unwrap();
    let cv1 = data("cvs/cv09-geomaticien.txt");
    let cv2 = data("cvs/cv11-agent-voirie.txt");
    let o = vivier(dir.path(), &["rank", "--posting", &data("postings/p-sig.json"), "--format", "csv", &cv2, &cv1]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("rang,candidat,score,Système d'information géographique (r1),"), "{}", lines[0]);
    assert!(lines[0].ends_with("Expérience professionnelle d'au moins 2 ans (experience)"), "{}", lines[0]);
    assert!(lines[1].starts_with(&format!("1,{cv1},")), "{}", lines[1]);
    assert!(lines[2].starts_with(&format!("2,{cv2},")), "{}", lines[2]);
    assert_eq!(lines[1].split(',').count(), 3 + 6);
    assert!(lines[1].contains("satisfaite ("));
}

#[test]
fn invalid_postings_give_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cv = data("cvs/cv01-gestionnaire-remuneration.txt");
    let mut posting: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("postings/p-paie.json")).unwrap()).unwrap();
    let ok = dir.path().join("ok.json");
    std::fs::write(&ok, posting.to_string()).unwrap();
    assert!(vivier(dir.path(), &["rank", "--posting", ok.to_str().unwrap(), &cv]).status.success());
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: [(&str, Edit, &str); 4] = [
        // A typo is never silently ignored.
        ("unknown", Box::new(|v| v["salaire"] = "35 k€".into()), "unknown field `salaire`"),
        ("no-title", Box::new(|v| drop(v.as_object_mut().unwrap().remove("title"))), "no `title` field"),
        ("no-skills", Box::new(|v| v["required_skills"] = serde_json::json!([])), "`required_skills`"),
        ("bad-years", Box::new(|v| v["min_experience_years"] = "deux".into()), "`min_experience_years`"),
    ];
    for (name, edit, needle) in cases {
        let mut v = posting.clone();
        edit(&mut v);
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, v.to_string()).unwrap();
        let o = vivier(dir.path(), &["rank", "--posting", path.to_str().unwrap(), &cv]);
        assert!(!o.status.success(), "{name}");
        let err = stderr(&o);
        assert!(err.starts_with("error: ") && err.contains(needle), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn keyword_stuffing_cvs_are_never_in_a_top_three() {
    let dir = tempfile::tempdir().unwrap();
    let mut matchers = vec!["vivier-matcher-lexical"];
    // The semantic matcher needs the host model (`vivier models install`); without it the
    // plugin is refused at load and only the lexical matcher is checked here.
    let probe = vivier(
        dir.path(),
        &[
            "rank",
            "--posting",
            &data("postings/p-paie.json"),
            "--plugin",
            "vivier-matcher-semantic",
            &data("cvs/cv01-gestionnaire-remuneration.txt"),
        ],
    );
    if probe.status.success() {
        matchers.push("vivier-matcher-semantic");
    } else {
        eprintln!("semantic matcher skipped: {}", stderr(&probe));
    }
    for matcher in matchers {
        // The development set, then the two check sets written later (tests/data/ranking-check*).
        let dev = ["cv03-liste-de-competences", "cv20-liste-finances-social"];
        stuffing_outside_top_three(dir.path(), matcher, "", &dev);
        let check = ["cv17-liste-competences-departement", "cv18-mots-cles-candidature"];
        stuffing_outside_top_three(dir.path(), matcher, "../ranking-check/", &check);
        let check2 = ["cv19-vendeuse-competences", "cv20-preparateur-commandes-profil"];
        stuffing_outside_top_three(dir.path(), matcher, "../ranking-check2/", &check2);
        let check3 = ["cv19-vendeur-competences", "cv20-profil-polyvalent"];
        stuffing_outside_top_three(dir.path(), matcher, "../ranking-check3/", &check3);
    }
}

fn stuffing_outside_top_three(dir: &Path, matcher: &str, set_dir: &str, stuffing: &[&str]) {
    let mut cvs: Vec<String> = std::fs::read_dir(data(&format!("{set_dir}cvs")))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    cvs.sort();
    for set in ["postings", "postings-reworded"] {
        let folder = data(&format!("{set_dir}{set}"));
        let mut postings: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
        postings.sort();
        for p in postings {
            let mut args = vec!["rank", "--posting", p.to_str().unwrap(), "--plugin", matcher];
            args.extend(cvs.iter().map(String::as_str));
            let o = vivier(dir, &args);
            assert!(o.status.success(), "{}", stderr(&o));
            let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            let top: Vec<&str> =
                v["suggestions"].as_array().unwrap()[..3].iter().map(|s| s["candidate"].as_str().unwrap()).collect();
            assert!(
                top.iter().all(|c| stuffing.iter().all(|s| !c.contains(s))),
                "{matcher}, {}: stuffing CV in the top 3: {top:?}",
                p.display()
            );
        }
    }
}

#[test]
fn eval_rank_on_a_tiny_hand_checked_example() {
    let dir = tempfile::tempdir().unwrap();
    let postings = dir.path().join("postings");
    let cvs = dir.path().join("cvs");
    std::fs::create_dir_all(&postings).unwrap();
    std::fs::create_dir_all(&cvs).unwrap();
    std::fs::copy(data("postings/p-paie.json"), postings.join("p-paie.json")).unwrap();
    for f in ["cv01-gestionnaire-remuneration.txt", "cv11-agent-voirie.txt"] {
        std::fs::copy(data(&format!("cvs/{f}")), cvs.join(f)).unwrap();
    }
    // Grades deliberately inverted: every system puts the payroll manager first, so the
    // grade-3 CV sits at rank 2. nDCG@3 = (7 / log2 3) / 7 = 0.6309; AP = 1/2.
    let rel = dir.path().join("rel.jsonl");
    std::fs::write(
        &rel,
        "{\"posting\":\"p-paie\",\"file\":\"cv01-gestionnaire-remuneration.txt\",\"grade\":0}\n\
         {\"posting\":\"p-paie\",\"file\":\"cv11-agent-voirie.txt\",\"grade\":3}\n",
    )
    .unwrap();
    let args = [
        "eval",
        "rank",
        "--postings",
        postings.to_str().unwrap(),
        "--cvs",
        cvs.to_str().unwrap(),
        "--relevance",
        rel.to_str().unwrap(),
        "--plugin",
        "vivier-matcher-lexical",
        "--json",
    ];
    let o = vivier(dir.path(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let overall = v["overall"].as_array().unwrap();
    assert_eq!(overall.len(), 2, "baseline and one plugin");
    assert!(overall[0]["system"].as_str().unwrap().starts_with("baseline"));
    assert_eq!(overall[1]["system"], "vivier-matcher-lexical");
    for o in overall {
        let f = &o["figures"];
        assert!((f["ndcg3"].as_f64().unwrap() - 1.0 / 3f64.log2()).abs() < 1e-9, "{o}");
        assert!((f["ndcg10"].as_f64().unwrap() - 1.0 / 3f64.log2()).abs() < 1e-9);
        assert!((f["map"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    }
    // Text table: one line per posting plus the overall line.
    let o = vivier(dir.path(), &args[..args.len() - 1]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("0.631 / 0.631 / 0.500"), "{}", stdout(&o));
    // A judgement naming a CV that is not in the directory is an error, not a silent zero.
    std::fs::write(&rel, "{\"posting\":\"p-paie\",\"file\":\"absent.txt\",\"grade\":2}\n").unwrap();
    let o = vivier(dir.path(), &args);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("absent.txt"), "{}", stderr(&o));
}

/// nDCG@3 of each system on one posting set, from `vivier eval rank --json`.
fn ndcg3_by_system(dir: &Path, set: &str, plugins: &[&str]) -> std::collections::HashMap<String, f64> {
    let mut args = vec!["eval", "rank", "--json", "--postings"];
    let postings = data(set);
    let cvs = data("cvs");
    let relevance = data("relevance.jsonl");
    args.extend([postings.as_str(), "--cvs", cvs.as_str(), "--relevance", relevance.as_str()]);
    for p in plugins {
        args.extend(["--plugin", p]);
    }
    let o = vivier(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["overall"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["system"].as_str().unwrap().to_owned(), r["figures"]["ndcg3"].as_f64().unwrap()))
        .collect()
}

/// The order the issue asks for, on the development set: the lexical matcher at least as good
/// as naive keyword overlap, the semantic matcher better than the lexical one, on the original
/// postings and on the postings reworded without the CVs' words. The floors sit a little under
/// the figures measured when the matchers last changed (semantic 0.953 and 0.924): they catch
/// a regression, they are not the held-out targets.
#[test]
fn dev_set_semantic_beats_lexical_which_beats_keyword_overlap() {
    use vivier::models::{install, ModelStore, DEFAULT_MODEL};
    install::ensure(&ModelStore::from_env(), DEFAULT_MODEL).expect("installing the default model");
    let dir = tempfile::tempdir().unwrap();
    for (set, semantic_floor) in [("postings", 0.93), ("postings-reworded", 0.87)] {
        let f = ndcg3_by_system(dir.path(), set, &["vivier-matcher-lexical", "vivier-matcher-semantic"]);
        let baseline = f.iter().find(|(k, _)| k.starts_with("baseline")).map(|(_, v)| *v).unwrap();
        let (lexical, semantic) = (f["vivier-matcher-lexical"], f["vivier-matcher-semantic"]);
        assert!(lexical >= baseline, "{set}: lexical {lexical:.3} < keyword overlap {baseline:.3}");
        assert!(semantic > lexical, "{set}: semantic {semantic:.3} <= lexical {lexical:.3}");
        assert!(semantic >= semantic_floor, "{set}: semantic nDCG@3 {semantic:.3} < {semantic_floor}");
    }
}
