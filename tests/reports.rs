//! Fairness monitoring and the deployer's documents, against a real `vivier serve` and SQLite
//! file: monitoring intake and its erasure, `GET /v1/reports/{kind}`, and `vivier report KIND`
//! run as a separate process on the same data directory.

mod server;

use serde_json::{json, Value};
use server::*;
use std::path::Path;
use std::process::Command;

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-6)
}

/// Parses `n` CVs, declares the gender of each (`genders[i % len]`) and returns the ids.
fn candidates(s: &Server, k: &Keys, genders: &[&str]) -> Vec<String> {
    genders
        .iter()
        .map(|g| {
            let id = parse(s, &k.sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
            let r =
                put_json(&s.url(&format!("/v1/candidates/{id}/monitoring")), Some(&k.sirh), &json!({ "gender": g }));
            assert_eq!(r.status, 200, "{}", r.text);
            id
        })
        .collect()
}

/// Ranks the candidates for a posting (same CV, equal scores: the order given is the ranking's).
fn rank(s: &Server, k: &Keys, posting: &str, ids: &[String]) -> String {
    let mut p = fixture_json("job-posting.json");
    p["id"] = posting.into();
    let r = post_json(&s.url("/v1/rankings"), Some(&k.sirh), &json!({ "posting": p, "candidate_ids": ids }));
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    let order: Vec<&str> =
        v["candidates"].as_array().unwrap().iter().map(|c| c["candidate_id"].as_str().unwrap()).collect();
    assert_eq!(order, ids.iter().map(String::as_str).collect::<Vec<_>>(), "ties keep the caller's order");
    v["trace_id"].as_str().unwrap().to_owned()
}

fn decide(s: &Server, k: &Keys, id: &str, posting: &str, decision: &str) {
    let r = post_json(
        &s.url("/v1/decisions"),
        Some(&k.sirh),
        &json!({ "candidate_id": id, "posting_id": posting, "decision": decision, "recruiter_id": "agent-7" }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
}

fn fairness(s: &Server, key: &str) -> Value {
    let r = get(&s.url("/v1/reports/fairness"), Some(key));
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

fn stage<'a>(report: &'a Value, name: &str) -> &'a Value {
    let section =
        report["data"]["sections"].as_array().unwrap().iter().find(|s| s["slot"] == "skills-matcher").unwrap();
    let st = section["stages"].as_array().unwrap().iter().find(|s| s["stage"] == name).unwrap();
    st["dimensions"].as_array().unwrap().iter().find(|d| d["dimension"] == "gender").unwrap()
}

fn group<'a>(dim: &'a Value, g: &str) -> &'a Value {
    dim["groups"].as_array().unwrap().iter().find(|x| x["group"] == g).unwrap()
}

/// The report must never suggest that groups are treated alike.
fn assert_no_fair_wording(report: &Value) {
    let md = report["markdown"].as_str().unwrap().to_lowercase();
    for word in ["fair", "équit", "equit", "conforme", "pas de biais"] {
        assert!(!md.contains(word), "`{word}` in the report:\n{md}");
    }
    let allowed = ["insufficient_data", "disparity_to_review", "no_disparity_detected"];
    for section in report["data"]["sections"].as_array().unwrap() {
        for st in section["stages"].as_array().unwrap() {
            for d in st["dimensions"].as_array().unwrap() {
                for c in d["comparisons"].as_array().unwrap() {
                    assert!(allowed.contains(&c["verdict"].as_str().unwrap()), "{c}");
                }
            }
        }
    }
}

#[test]
fn fairness_report_suppresses_small_groups_then_gives_the_expected_intervals() {
    let (_dir, s, k) = setup();
    // Small history: 6 women and 6 men for posting P1, half of each shortlisted.
    let small = candidates(&s, &k, &["female", "male"].repeat(6));
    rank(&s, &k, "P1", &small);
    for id in small.iter().step_by(2).take(3).chain(small.iter().skip(1).step_by(2).take(3)) {
        decide(&s, &k, id, "P1", "shortlisted");
    }
    let r = fairness(&s, &k.auditor);
    assert_no_fair_wording(&r);
    for st in ["ai_top_k", "shortlist", "hire"] {
        let dim = stage(&r, st);
        for g in ["female", "male"] {
            let row = group(dim, g);
            assert_eq!(row["suppressed"], true, "{row}");
            assert!(row["n"].is_null() && row["selected"].is_null() && row["rate"].is_null(), "{row}");
        }
        assert_eq!(dim["comparisons"][0]["verdict"], "insufficient_data");
        assert!(dim["comparisons"][0]["rate_ratio"].is_null(), "no figure from suppressed cells");
    }
    let md = r["markdown"].as_str().unwrap();
    assert!(md.contains("données insuffisantes") && md.contains("< 10 (masqué)"), "{md}");

    // Larger history for posting P2: 30 women and 30 men, the ranking lists 5 men first;
    // 6 women and 24 men shortlisted, one man hired.
    let women = candidates(&s, &k, &["female"; 30]);
    let men = candidates(&s, &k, &["male"; 30]);
    let order: Vec<String> = men[..5].iter().chain(&women).chain(&men[5..]).cloned().collect();
    rank(&s, &k, "P2", &order);
    for id in women.iter().take(6).chain(men.iter().take(24)) {
        decide(&s, &k, id, "P2", "shortlisted");
    }
    decide(&s, &k, &men[0], "P2", "hired");

    let r = fairness(&s, &k.admin);
    assert_no_fair_wording(&r);
    assert_eq!(r["data"]["top_k"], 5);
    // AI stage: P1's top 5 alternate F, M, F, M, F; P2's top 5 are men: 3/36 women, 7/36 men.
    let ai = stage(&r, "ai_top_k");
    assert_eq!((group(ai, "female")["n"].as_u64(), group(ai, "female")["selected"].as_u64()), (Some(36), Some(3)));
    assert_eq!((group(ai, "male")["n"].as_u64(), group(ai, "male")["selected"].as_u64()), (Some(36), Some(7)));
    let ci = &group(ai, "female")["rate_ci95"];
    assert!(close(&ci[0], 0.017_526_496) && close(&ci[1], 0.224_689_761), "{ci}");

    // Human shortlist: 9/36 women, 27/36 men. Expected figures computed independently (exact
    // binomial tails by bisection): Clopper-Pearson 95 % for 9/36 is [0.121203, 0.422030];
    // the ratio 1/3 has the Bonferroni-combined exact interval [0.121122, 0.804162]; the
    // Mantel-Haenszel odds ratio over P1 and P2 is 3/23, CMH χ² (corrected) 15.5989, p 7.83e-5.
    let sl = stage(&r, "shortlist");
    let f = group(sl, "female");
    assert_eq!((f["n"].as_u64(), f["selected"].as_u64()), (Some(36), Some(9)));
    assert!(
        close(&f["rate"], 0.25) && close(&f["rate_ci95"][0], 0.121_203_294) && close(&f["rate_ci95"][1], 0.422_029_585),
        "{f}"
    );
    let c = &sl["comparisons"][0];
    assert_eq!((c["focal"].as_str(), c["reference"].as_str()), (Some("female"), Some("male")));
    assert!(close(&c["rate_ratio"]["estimate"], 1.0 / 3.0), "{c}");
    assert!(
        close(&c["rate_ratio"]["ci95"][0], 0.121_121_952) && close(&c["rate_ratio"]["ci95"][1], 0.804_162_099),
        "{c}"
    );
    assert_eq!(c["pooled"]["strata"], 2);
    assert!(close(&c["pooled"]["odds_ratio"]["estimate"], 3.0 / 23.0), "{c}");
    assert!((c["pooled"]["chi2_corrected"].as_f64().unwrap() - 15.598_886).abs() < 1e-4, "{c}");
    assert!((c["pooled"]["p_value"].as_f64().unwrap() - 7.83e-5).abs() < 1e-6, "{c}");
    assert_eq!(c["verdict"], "disparity_to_review");
    // Hires: one man out of 36: the groups are shown, the verdict stays cautious.
    let hire = stage(&r, "hire");
    assert_eq!(group(hire, "male")["selected"], 1);
    assert_eq!(hire["comparisons"][0]["verdict"], "insufficient_data");
    // Nobody declared an age band: every age group is suppressed.
    let md = r["markdown"].as_str().unwrap();
    assert!(
        md.contains("écart à examiner") && md.contains("Mantel-Haenszel") && md.contains("Clopper-Pearson"),
        "{md}"
    );

    // A window without any activity has nothing to report.
    let r = get(&s.url("/v1/reports/fairness?from=2020-01-01&to=2020-12-31"), Some(&k.auditor)).json();
    assert_eq!(r["data"]["sections"].as_array().unwrap().len(), 0);
    assert!(r["markdown"].as_str().unwrap().contains("données insuffisantes"));
}

#[test]
fn monitoring_intake_is_optional_checked_and_erased_with_the_candidate() {
    let (dir, s, k) = setup();
    let id = parse(&s, &k.sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    let url = s.url(&format!("/v1/candidates/{id}/monitoring"));
    assert_error(&put_json(&url, Some(&k.sirh), &json!({ "gender": "f" })), 422, Some("gender"));
    assert_error(&put_json(&url, Some(&k.sirh), &json!({ "age_band": "40" })), 422, Some("age_band"));
    assert_error(&put_json(&url, Some(&k.sirh), &json!({})), 422, Some("gender"));
    assert_error(
        &put_json(&url, Some(&k.sirh), &json!({ "gender": "male", "birth_date": "1980-01-01" })),
        422,
        Some("birth_date"),
    );
    assert_error(&put_json(&url, Some(&k.auditor), &json!({ "gender": "male" })), 403, None);
    assert_error(
        &put_json(&s.url("/v1/candidates/c_none/monitoring"), Some(&k.sirh), &json!({ "gender": "male" })),
        404,
        None,
    );
    let r = put_json(&url, Some(&k.sirh), &json!({ "gender": "female", "age_band": "45_54" }));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["monitoring"]["age_band"], "45_54");
    // The candidate sees it in their file (GDPR access); the audit records that it was set, not the values.
    let h = get(&s.url(&format!("/v1/candidates/{id}")), Some(&k.sirh)).json();
    assert_eq!(h["monitoring"]["gender"], "female");
    assert!(h["profile"].to_string().find("45_54").is_none(), "monitoring data stays out of the profile");
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&k.auditor)).json();
    let set: Vec<&Value> =
        events["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "candidate.monitoring.set").collect();
    assert_eq!(set.len(), 1);
    assert!(!set[0].to_string().contains("45_54") && !set[0].to_string().contains("female"), "{}", set[0]);

    // Withdrawal, then set again, then erasure of the candidate removes it.
    assert_eq!(delete(&url, Some(&k.sirh)).status, 204);
    assert!(get(&s.url(&format!("/v1/candidates/{id}")), Some(&k.sirh)).json()["monitoring"].is_null());
    assert_eq!(put_json(&url, Some(&k.sirh), &json!({ "gender": "other" })).status, 200);
    let other = parse(&s, &k.sirh, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    assert_eq!(
        put_json(
            &s.url(&format!("/v1/candidates/{other}/monitoring")),
            Some(&k.sirh),
            &json!({ "age_band": "under_30" })
        )
        .status,
        200
    );
    assert_eq!(count_monitoring(dir.path(), &id), 1);
    assert_eq!(delete(&s.url(&format!("/v1/candidates/{id}")), Some(&k.sirh)).status, 204);
    assert_eq!(count_monitoring(dir.path(), &id), 0, "erasure deletes the monitoring row");
    assert_eq!(count_monitoring(dir.path(), &other), 1, "other candidates keep theirs");
    assert_error(&put_json(&url, Some(&k.sirh), &json!({ "gender": "male" })), 404, None);
    assert!(audit_verify(dir.path()).0);
}

fn count_monitoring(data: &Path, id: &str) -> i64 {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = vivier::store::Store::open(data).await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM candidate_monitoring WHERE candidate_id = $1")
            .bind(id)
            .fetch_one(store.pool())
            .await
            .unwrap();
        store.close().await;
        n
    })
}

fn report(data: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(bin()).arg("report").args(args).arg("--data-dir").arg(data).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Stands in for part A's writers (bias probe, evaluations), which fill these tables.
fn seed_evidence(data: &Path, semantic_digest: &str, lexical_digest: &str) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = vivier::store::Store::open(data).await.unwrap();
        let report = json!({ "tolerance": 0.02, "signals": [
            { "signal": "genre grammatical", "pairs": 40, "mean_delta": 0.004, "p_value": 0.41 },
            { "signal": "mention RQTH", "pairs": 40, "mean_delta": -0.001, "p_value": 0.77 } ] });
        sqlx::query("INSERT INTO bias_probes (plugin_digest, plugin_id, plugin_version, report_json, passed, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(semantic_digest).bind("vivier-matcher-semantic").bind("0.1.0").bind(report.to_string()).bind(1i64).bind(1_767_225_600_000i64)
            .execute(store.pool()).await.unwrap();
        for (id, plugin, digest, ndcg) in [("e1", "vivier-matcher-semantic", semantic_digest, 0.81), ("e2", "vivier-matcher-lexical", lexical_digest, 0.74)] {
            sqlx::query("INSERT INTO eval_runs (id, kind, plugin_id, plugin_version, plugin_digest, dataset, dataset_digest, metrics_json, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(id).bind("rank").bind(plugin).bind("0.1.0").bind(digest).bind("tests/data/ranking").bind("sha256:d5")
                .bind(json!({ "ndcg@5": ndcg, "queries": 6 }).to_string()).bind(1_767_225_600_000i64)
                .execute(store.pool()).await.unwrap();
        }
        store.close().await;
    });
}

#[test]
fn documents_from_the_cli_and_the_api() {
    let (dir, s, k) = setup();
    let data = dir.path();
    let ids = candidates(&s, &k, &["female", "male", "female"]);
    rank(&s, &k, "P1", &ids);
    let plugins = get(&s.url("/v1/admin/plugins"), Some(&k.admin)).json();
    let digest = |id: &str| {
        plugins["plugins"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap()["digest"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (semantic, lexical) = (digest("vivier-matcher-semantic"), digest("vivier-matcher-lexical"));
    seed_evidence(data, &semantic, &lexical);

    // Roles: admin and auditor only.
    assert_error(&get(&s.url("/v1/reports/notice"), Some(&k.sirh)), 403, None);
    assert_error(&get(&s.url("/v1/reports/notice"), None), 401, None);
    assert_error(&get(&s.url("/v1/reports/nope"), Some(&k.auditor)), 404, Some("kind"));
    assert_error(&get(&s.url("/v1/reports/fairness?from=2026-02-30"), Some(&k.auditor)), 422, Some("from"));
    assert_error(&get(&s.url("/v1/reports/sobriety?watts_per_core=-3"), Some(&k.auditor)), 422, Some("watts_per_core"));
    assert_error(
        &get(&s.url("/v1/reports/sobriety?watts_per_core=abc"), Some(&k.auditor)),
        422,
        Some("watts_per_core"),
    );
    assert_error(&get(&s.url("/v1/reports/technical-file"), Some(&k.auditor)), 422, Some("plugin"));
    assert_error(&get(&s.url("/v1/reports/boussole?plugin=nope"), Some(&k.auditor)), 404, Some("plugin"));

    // Notice: the active functions, the legal references, the parts to complete.
    let (ok, notice, err) = report(data, &["notice"]);
    assert!(ok, "{err}");
    for needle in [
        "26(11)",
        "articles 13 et 14",
        "vivier-cv-parser",
        "vivier-matcher-lexical",
        "À compléter par le DPO",
        "à vérifier par le DPO",
        "730 jours",
    ] {
        assert!(
            notice.contains(needle) || notice.contains(&needle.replace("vivier-", "")),
            "`{needle}` missing:\n{notice}"
        );
    }
    let api = get(&s.url("/v1/reports/notice?format=markdown"), Some(&k.auditor));
    assert_eq!(api.status, 200);
    assert!(api.content_type.starts_with("text/markdown"));
    assert_eq!(api.text, notice, "the CLI and the API give the same document");

    // Technical file: manifest facts, digest, the evaluation with its data, the probe per signal.
    let (ok, tf, err) = report(data, &["technical-file", "--plugin", "vivier-matcher-semantic"]);
    assert!(ok, "{err}");
    for needle in [
        semantic.as_str(),
        "multilingual-e5-small",
        "tests/data/ranking",
        "ndcg@5 = 0.81",
        "genre grammatical",
        "mention RQTH",
        "dans la tolérance",
    ] {
        assert!(tf.contains(needle), "`{needle}` missing:\n{tf}");
    }
    let (ok, _, err) = report(data, &["technical-file", "--plugin", "no-such-plugin"]);
    assert!(!ok && err.contains("no-such-plugin"), "{err}");

    // Boussole: measured evidence or "non démontré", the comparison with the rule-based baseline.
    let (ok, b, err) = report(data, &["boussole", "--plugin", "vivier-matcher-semantic", "--json"]);
    assert!(ok, "{err}");
    let b: Value = serde_json::from_str(&b).unwrap();
    let criteria = b["data"]["criteria"].as_array().unwrap();
    assert_eq!(criteria.len(), 7);
    let status = |id: &str| criteria.iter().find(|c| c["id"] == id).unwrap()["status"].as_str().unwrap().to_owned();
    assert_eq!(status("sensitive_data"), "élément mesuré");
    assert_eq!(status("benefit"), "élément mesuré");
    assert_eq!(status("working_conditions"), "non démontré");
    assert_eq!(status("sobriety"), "non démontré", "the semantic matcher was never called here");
    let benefit = criteria.iter().find(|c| c["id"] == "benefit").unwrap()["evidence"].to_string();
    assert!(
        benefit.contains("0.81") && benefit.contains("0.74") && benefit.contains("vivier-matcher-lexical"),
        "{benefit}"
    );
    let (ok, lex, _) = report(data, &["boussole", "--plugin", "vivier-matcher-lexical"]);
    assert!(ok && lex.contains("## 5. Sobriété énergétique — élément mesuré"), "{lex}");
    assert!(
        lex.contains("## 1. Absence de données sensibles — non démontré"),
        "no probe for the lexical matcher:\n{lex}"
    );

    // DPIA and FRIA: pre-filled from the active plugins, with the DPO's sections marked.
    for kind in ["dpia", "fria"] {
        let (ok, text, err) = report(data, &[kind]);
        assert!(ok, "{err}");
        assert!(
            text.matches("À compléter par le DPO").count() >= 3 && text.contains("vivier-matcher-lexical"),
            "{text}"
        );
    }
    let (_, fria, _) = report(data, &["fria"]);
    assert!(fria.contains("art. 27") && fria.contains("## f)"), "{fria}");

    // Sobriety: the calls of the parser (3 parses) and the lexical matcher (1 ranking), with the
    // documented energy model applied to the recorded CPU time.
    let (ok, j, err) = report(data, &["sobriety", "--watts-per-core", "20", "--json"]);
    assert!(ok, "{err}");
    let j: Value = serde_json::from_str(&j).unwrap();
    let lines = j["data"]["lines"].as_array().unwrap();
    let line = |p: &str| lines.iter().find(|l| l["plugin"].as_str().unwrap().starts_with(p)).unwrap();
    assert_eq!(line("vivier-cv-parser@")["calls"], 3);
    assert_eq!(line("vivier-matcher-lexical@")["calls"], 1);
    assert_eq!(line("vivier-matcher-lexical@")["uses_ai_model"], false);
    for l in lines {
        let (cpu, wh) = (l["estimated_cpu_seconds"].as_f64().unwrap(), l["energy_wh"].as_f64().unwrap());
        assert!(cpu > 0.0 && (wh - cpu * 20.0 / 3600.0).abs() < 1e-12, "{l}");
    }
    let (ok, md, _) = report(data, &["sobriety"]);
    assert!(ok && md.contains("## Emplacement skills-matcher") && md.contains("sans IA (règles)"), "{md}");
    let (ok, _, err) = report(data, &["sobriety", "--from", "2026-13-01"]);
    assert!(!ok && err.contains("from"), "{err}");

    // Fairness from the CLI: three people only, nothing to conclude.
    let (ok, f, err) = report(data, &["fairness"]);
    assert!(ok, "{err}");
    assert!(f.contains("données insuffisantes") && !f.to_lowercase().contains("fair"), "{f}");

    // Every generation is audited; the chain still verifies with the CLI's appends.
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&k.auditor)).json();
    let generated = events["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "report.generated").count();
    assert_eq!(generated, 11, "one per successful generation (10 from the CLI, 1 from the API)");
    assert!(audit_verify(data).0);

    // No database: a clear error, not a panic.
    let empty = tempfile::tempdir().unwrap();
    let (ok, _, err) = report(empty.path(), &["notice"]);
    assert!(!ok && err.contains("no Vivier database"), "{err}");
}
