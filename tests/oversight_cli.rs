//! Oversight from the command line: `vivier probe bias`, the activation gate of
//! `vivier plugin activate` with its audited override, multi-plugin `eval` with `--record`, and
//! `vivier shadow attach|report|detach`.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use vivier::bundle::Bundle;

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn bundle_file(dir: &Path, id: &str, component: &str) -> String {
    let manifest = common::manifest(id, "skills-matcher", 128, 10_000, "");
    let path = dir.join(format!("{id}.zip"));
    Bundle::pack(manifest, common::component(component), None).unwrap().write_zip(&path).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Rows of a table of the data directory's database (through the library, as part B reads them).
fn query(data: &Path, sql: &str) -> Vec<(String, String, i64)> {
    let sql = sql.to_owned();
    let data = data.to_owned();
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async move {
        let store = vivier::store::Store::open(&data).await.unwrap();
        let rows: Vec<(String, String, i64)> = sqlx::query_as(&sql).fetch_all(store.pool()).await.unwrap();
        store.close().await;
        rows
    })
}

#[test]
fn the_probe_fails_the_biased_matcher_passes_the_neutral_ones_and_gates_activation() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    for neutral in ["vivier-matcher-lexical"] {
        let o = vivier(&data, &["probe", "bias", "--plugin", neutral, "--json"]);
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["passed"], true, "{v}");
        let signals = v["signals"].as_array().unwrap();
        assert_eq!(signals.len(), 6);
        for s in signals {
            assert_eq!(s["raw"]["n"], 40, "{s}");
            assert!(s["raw"]["p_value"].as_f64().unwrap() <= 1.0);
        }
        let gender = signals.iter().find(|s| s["signal"] == "gender").unwrap();
        assert_eq!(gender["end_to_end"]["max_abs_diff"], 0.0, "the pseudonymiser erases the title's gender: {gender}");
    }

    let biased = bundle_file(dir.path(), "biased-matcher", "hostile-biased-gender");
    let o = vivier(&data, &["plugin", "install", &biased]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Sonde échouée"), "the install reports the probe: {}", stderr(&o));

    let o = vivier(&data, &["probe", "bias", "--plugin", "biased-matcher", "--json"]);
    assert!(!o.status.success(), "a failed probe exits non-zero");
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["passed"], false);
    let gender = v["signals"].as_array().unwrap().iter().find(|s| s["signal"] == "gender").unwrap().clone();
    assert_eq!(gender["passed"], false, "{gender}");
    assert!(gender["raw"]["mean_diff"].as_f64().unwrap() > 0.02, "the masculine title scores higher: {gender}");
    assert!(gender["raw"]["p_value"].as_f64().unwrap() < 0.001, "{gender}");
    assert_eq!(gender["end_to_end"]["mean_diff"], 0.0, "through the pseudonymiser the bias has nothing to bite on");
    for s in v["signals"].as_array().unwrap().iter().filter(|s| s["signal"] != "gender") {
        assert_eq!(s["passed"], true, "{s}");
    }
    let text = vivier(&data, &["probe", "bias", "--plugin", "biased-matcher"]);
    assert!(stdout(&text).contains("gender") && stdout(&text).contains("ÉCHEC"), "{}", stdout(&text));

    let o = vivier(&data, &["plugin", "activate", "biased-matcher"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bias probe"), "{}", stderr(&o));
    let o = vivier(&data, &["plugin", "activate", "biased-matcher", "--override-justification", "trop court"]);
    assert!(!o.status.success());
    let o = vivier(&data, &["plugin", "list"]);
    assert!(stdout(&o).lines().any(|l| l.starts_with("* vivier-matcher-lexical")), "{}", stdout(&o));

    let why = "Essai encadré de trois mois décidé par la DRH, chaque classement relu";
    let o = vivier(&data, &["plugin", "activate", "biased-matcher", "--override-justification", why]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = vivier(&data, &["plugin", "list"]);
    assert!(stdout(&o).lines().any(|l| l.starts_with("* biased-matcher")), "{}", stdout(&o));
    let audit = query(&data, "SELECT kind, payload, seq FROM audit_log WHERE kind = 'admin.probe.override'");
    assert_eq!(audit.len(), 1);
    let payload: Value = serde_json::from_str(&audit[0].1).unwrap();
    assert_eq!(payload["justification"], why);
    assert_eq!(payload["probe"]["passed"], false);
    let probes = query(&data, "SELECT plugin_id, plugin_version, passed FROM bias_probes ORDER BY plugin_id");
    assert_eq!(
        probes,
        vec![("biased-matcher".into(), "0.0.1".into(), 0), ("vivier-matcher-lexical".into(), "0.1.0".into(), 1)]
    );
    let o = vivier(&data, &["audit", "verify"]);
    assert!(o.status.success(), "{}", stdout(&o));

    // A neutral vendor matcher installs with a passing probe and activates without a word.
    let neutral = bundle_file(dir.path(), "neutral-matcher", "example-matcher");
    assert!(vivier(&data, &["plugin", "install", &neutral]).status.success());
    let o = vivier(&data, &["plugin", "activate", "neutral-matcher"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn eval_compares_plugins_in_one_run_and_records_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let matcher = bundle_file(dir.path(), "neutral-matcher", "example-matcher");
    assert!(vivier(&data, &["plugin", "install", &matcher]).status.success());
    let o = vivier(
        &data,
        &[
            "eval",
            "rank",
            "--postings",
            &repo("tests/data/ranking/postings"),
            "--cvs",
            &repo("tests/data/ranking/cvs"),
            "--relevance",
            &repo("tests/data/ranking/relevance.jsonl"),
            "--plugin",
            "neutral-matcher",
            "--json",
            "--record",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let systems: Vec<&str> = v["overall"].as_array().unwrap().iter().map(|o| o["system"].as_str().unwrap()).collect();
    assert_eq!(systems.len(), 3, "baseline, the plugin asked for, and the non-AI matcher always: {systems:?}");
    assert_eq!(&systems[1..], ["neutral-matcher", "vivier-matcher-lexical"]);

    let o = vivier(
        &data,
        &[
            "eval",
            "parse",
            "--truth",
            &repo("tests/data/cv-fr/truth.jsonl"),
            "--plugin",
            "vivier-cv-parser",
            "--json",
            "--record",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = vivier(
        &data,
        &[
            "eval",
            "draft",
            "--cases",
            &repo("tests/data/drafting/dev.jsonl"),
            "--plugin",
            "vivier-drafter-template",
            "--record",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let runs = query(&data, "SELECT kind, plugin_id || '|' || plugin_digest || '|' || dataset_digest || '|' || metrics_json, created_at FROM eval_runs ORDER BY kind, plugin_id");
    let kinds: Vec<(&str, &str)> =
        runs.iter().map(|(k, rest, _)| (k.as_str(), rest.split('|').next().unwrap())).collect();
    assert_eq!(
        kinds,
        [
            ("draft", "vivier-drafter-template"),
            ("parse", "vivier-cv-parser"),
            ("rank", "host-baseline-keywords"),
            ("rank", "neutral-matcher"),
            ("rank", "vivier-matcher-lexical"),
        ]
    );
    for (_, rest, _) in &runs {
        let parts: Vec<&str> = rest.splitn(4, '|').collect();
        assert_eq!(parts[2].len(), 64, "a sha256 of the data set: {rest}");
        let m: Value = serde_json::from_str(parts[3]).unwrap();
        assert!(m.is_object() && !m.as_object().unwrap().is_empty());
    }
    let rank_lexical = runs.iter().find(|r| r.1.starts_with("vivier-matcher-lexical")).unwrap();
    let m: Value = serde_json::from_str(rank_lexical.1.splitn(4, '|').nth(3).unwrap()).unwrap();
    assert!(m["figures"]["ndcg10"].as_f64().unwrap() > 0.0 && m["non_ai"] == true, "{m}");
}

#[test]
fn multi_plugin_parse_and_draft_print_one_block_per_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = vivier(
        &data,
        &[
            "eval",
            "parse",
            "--truth",
            &repo("tests/data/cv-fr/truth.jsonl"),
            "--plugin",
            "vivier-cv-parser",
            "--plugin",
            "vivier-cv-parser",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let plugins = v["plugins"].as_array().unwrap();
    assert_eq!(plugins.len(), 2);
    assert_eq!(plugins[0]["fields"], plugins[1]["fields"], "the same parser scores the same");
    let o = vivier(
        &data,
        &[
            "eval",
            "draft",
            "--cases",
            &repo("tests/data/drafting/dev.jsonl"),
            "--plugin",
            "vivier-drafter-template",
            "--plugin",
            "vivier-drafter-template",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches("plugin: vivier-drafter-template").count(), 2, "{}", stdout(&o));
}

#[test]
fn shadow_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let matcher = bundle_file(dir.path(), "shadow-example", "example-matcher");
    assert!(vivier(&data, &["plugin", "install", &matcher]).status.success());
    let o = vivier(&data, &["shadow", "attach", "--slot", "cv-parser", "--plugin", "vivier-cv-parser"]);
    assert!(!o.status.success() && stderr(&o).contains("skills-matcher"), "{}", stderr(&o));
    let o = vivier(&data, &["shadow", "attach", "--slot", "skills-matcher", "--plugin", "shadow-example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = vivier(&data, &["shadow", "report", "--slot", "skills-matcher", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["attached"]["plugin_ref"], "shadow-example@0.0.1");
    assert_eq!(v["comparisons"].as_array().unwrap().len(), 0);
    let o = vivier(&data, &["shadow", "report"]);
    assert!(stdout(&o).contains("aucune exécution fantôme"), "{}", stdout(&o));
    assert!(vivier(&data, &["shadow", "detach"]).status.success());
    assert!(!vivier(&data, &["shadow", "detach"]).status.success(), "nothing left to detach");
}

/// A matcher biased on gender that behaves while it believes it is probed (the ids, posting
/// names and stock phrases of a fixed synthetic probe): the probe's calls look like production,
/// so it is caught; a run can be replayed with its recorded seed.
#[test]
fn a_matcher_that_hides_its_bias_from_a_probe_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let aware = bundle_file(dir.path(), "aware-matcher", "hostile-probe-aware");
    let o = vivier(&data, &["plugin", "install", &aware]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = vivier(&data, &["probe", "bias", "--plugin", "aware-matcher", "--json"]);
    assert!(!o.status.success(), "the probe fails it: {}", stdout(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let gender = v["signals"].as_array().unwrap().iter().find(|s| s["signal"] == "gender").unwrap().clone();
    assert_eq!(gender["passed"], false, "{gender}");
    // Each run draws its seed; the recorded one replays the run exactly.
    let seed = v["seed"].as_u64().unwrap().to_string();
    let again = vivier(&data, &["probe", "bias", "--plugin", "aware-matcher", "--json", "--seed", &seed]);
    let w: Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(w["signals"], v["signals"]);
    let other = vivier(&data, &["probe", "bias", "--plugin", "aware-matcher", "--json"]);
    let x: Value = serde_json::from_str(&stdout(&other)).unwrap();
    assert_ne!(x["seed"], v["seed"], "a new run, new pairs");
}
