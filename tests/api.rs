//! The SIRH API through a real socket against a real SQLite file: roles, the recruitment flow
//! (parse → rank → decision → explanation), bad input, erasure and retention.

mod server;

use serde_json::{json, Value};
use server::*;

#[test]
fn roles_reach_only_their_routes() {
    let (_dir, s, k) = setup();
    assert!(k.sirh.starts_with("vvk_") && k.sirh.len() > 40);
    // No key needed: health, the public register, the console's sign-in page, the contract.
    assert_eq!(get(&s.url("/healthz"), None).json()["status"], "ok");
    let reg = get(&s.url("/register"), None);
    assert_eq!(reg.status, 200);
    assert!(reg.text.contains("vivier-matcher-lexical") && reg.text.contains("Registre public"));
    let console = get(&s.url("/admin"), None);
    assert_eq!(console.status, 200);
    assert!(console.text.contains("href=\"/registre\"") && console.text.contains("name=\"csrf\""));
    assert_eq!(get(&s.url("/openapi.json"), None).json()["openapi"], "3.0.3");
    assert!(get(&s.url("/docs"), None).text.contains("/v1/rankings"));

    // Everything else needs a key.
    assert_error(&get(&s.url("/v1/candidates/c_x"), None), 401, None);
    assert_error(&get(&s.url("/v1/candidates/c_x"), Some("vvk_not-a-real-key")), 401, None);
    assert_error(&get(&s.url("/v1/candidates/c_x"), Some("Basic abc")), 401, None);
    assert_error(&get(&s.url("/v1/admin/plugins"), None), 401, None);
    assert_error(&get(&s.url("/v1/audit/verify"), None), 401, None);
    assert_error(&get(&s.url("/metrics"), None), 401, None);

    // A role sees only its routes.
    assert_error(&get(&s.url("/v1/admin/plugins"), Some(&k.sirh)), 403, None);
    assert_error(&get(&s.url("/v1/audit/verify"), Some(&k.sirh)), 403, None);
    assert_error(&post_json(&s.url("/v1/rankings"), Some(&k.admin), &json!({})), 403, None);
    assert_error(&post_json(&s.url("/v1/decisions"), Some(&k.auditor), &json!({})), 403, None);
    assert_error(&get(&s.url("/v1/admin/slots"), Some(&k.auditor)), 403, None);
    assert_eq!(get(&s.url("/v1/admin/plugins"), Some(&k.admin)).status, 200);
    // Two credentials in one request: refused, whichever comes first.
    for (first, second) in [(k.admin.as_str(), "vvk_not-a-real-key"), ("vvk_not-a-real-key", k.admin.as_str())] {
        use std::io::{Read, Write};
        let addr = s.url("").trim_start_matches("http://").trim_end_matches('/').to_owned();
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            stream,
            "GET /v1/admin/plugins HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {first}\r\n\
             Authorization: Bearer {second}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    }
    assert_eq!(get(&s.url("/v1/audit/verify"), Some(&k.auditor)).json()["valid"], true);
    assert_eq!(get(&s.url("/v1/audit/verify"), Some(&k.admin)).json()["valid"], true);
    assert_eq!(get(&s.url("/metrics"), Some(&k.auditor)).status, 200);

    // A revoked key stops working at once; the revocation is audited with the admin key's id.
    let created = post_json(&s.url("/v1/admin/keys"), Some(&k.admin), &json!({ "role": "sirh", "label": "test" }));
    assert_eq!(created.status, 201, "{}", created.text);
    let (id, new_key) =
        (created.json()["id"].as_str().unwrap().to_owned(), created.json()["key"].as_str().unwrap().to_owned());
    assert_eq!(get(&s.url("/v1/candidates/c_none"), Some(&new_key)).status, 404);
    assert_eq!(delete(&s.url(&format!("/v1/admin/keys/{id}")), Some(&k.admin)).status, 204);
    assert_error(&get(&s.url("/v1/candidates/c_none"), Some(&new_key)), 401, None);
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&k.auditor)).json();
    let revoke = events["events"].as_array().unwrap().iter().find(|e| e["kind"] == "admin.key.revoke").unwrap().clone();
    assert_eq!(revoke["payload"]["key_id"], id);
    assert!(revoke["actor"].as_str().unwrap().starts_with("key_"));
    // Keys are stored hashed: the database file does not contain them.
    let db = std::fs::read(s.data.join("vivier.db")).unwrap();
    let wal = std::fs::read(s.data.join("vivier.db-wal")).unwrap_or_default();
    for key in [&k.sirh, &k.admin, &new_key] {
        let needle = key.as_bytes();
        assert!(!db.windows(needle.len()).any(|w| w == needle) && !wal.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn recruitment_flow_parse_rank_decide_explain() {
    let (_dir, s, k) = setup();
    let key = Some(k.sirh.as_str());
    // Parse: multipart and JSON base64.
    let a = parse(&s, &k.sirh, "fr-redactrice-territoriale.txt");
    assert!(a["candidate_id"].as_str().unwrap().starts_with("c_"));
    assert!(a["trace_id"].as_str().unwrap().starts_with("t_"));
    assert_eq!(a["plugin"]["id"], "vivier-cv-parser");
    assert!(a["identity"].is_object() && a["profile"]["experiences"].is_array() && a["gaps"].is_array());
    assert!(a["profile"].get("email").is_none() && a["profile"].get("full_name").is_none());
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(cv("fr-agent-contractuel.md"));
    let b = post_json(&s.url("/v1/cv/parse"), key, &json!({ "filename": "cv.md", "content_base64": b64 }));
    assert_eq!(b.status, 201, "{}", b.text);
    let b = b.json();
    let c = parse(&s, &k.sirh, "en-nurse.txt");
    let ids: Vec<&str> = [&a, &b, &c].iter().map(|v| v["candidate_id"].as_str().unwrap()).collect();

    // Rank stored candidates and an inline profile: every one comes back, as a suggestion.
    let posting = fixture_json("job-posting.json");
    let inline = json!({ "ref": "sirh-42", "profile": c["profile"] });
    let r = post_json(
        &s.url("/v1/rankings"),
        key,
        &json!({ "posting": posting, "candidate_ids": ids, "profiles": [inline] }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = r.json();
    assert_eq!(r["suggestions_only"], true);
    let rows = r["candidates"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|row| row["label"] == "suggestion" && row["requirements"].is_array()));
    let scores: Vec<f64> = rows.iter().map(|row| row["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    for id in &ids {
        assert_eq!(rows.iter().filter(|row| row["candidate_id"] == *id).count(), 1);
    }
    assert_eq!(rows.iter().filter(|row| row["ref"] == "sirh-42").count(), 1);
    let ranking_trace = r["trace_id"].as_str().unwrap().to_owned();

    // The recruiter's POSTING.json is accepted as it is: one row per skill and one for experience,
    // contributions adding up to the score. A missing field is named.
    let job: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/ranking/postings/p-paie.json"))
            .unwrap(),
    )
    .unwrap();
    let r2 = post_json(&s.url("/v1/rankings"), key, &json!({ "posting": job, "candidate_ids": ids }));
    assert_eq!(r2.status, 200, "{}", r2.text);
    let rows2 = r2.json()["candidates"].as_array().unwrap().clone();
    assert_eq!(rows2.len(), 3);
    for row in &rows2 {
        let reqs = row["requirements"].as_array().unwrap();
        assert_eq!(reqs.len(), 6, "{row}");
        let sum: f64 = reqs.iter().map(|q| q["contribution"].as_f64().unwrap()).sum();
        assert!((sum - row["score"].as_f64().unwrap()).abs() < 1e-4, "{row}");
    }
    let mut incomplete = job.clone();
    incomplete.as_object_mut().unwrap().remove("min_experience_years");
    assert_error(
        &post_json(&s.url("/v1/rankings"), key, &json!({ "posting": incomplete, "candidate_ids": ids })),
        422,
        Some("posting.min_experience_years"),
    );

    // Draft an ad.
    let d = post_json(&s.url("/v1/postings/draft"), key, &fixture_json("draft-request.json"));
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(d.json()["human_review_required"], true);
    assert!(!d.json()["markdown"].as_str().unwrap().is_empty());
    assert_eq!(d.json()["generated_by"]["ai_generated"], false, "{}", d.text);
    // Markup and unsafe links in the request never reach the ad meant to be published.
    let mut hostile = fixture_json("draft-request.json");
    hostile["missions"] =
        json!(["Accueil du public <script>alert(1)</script>", "[Postuler ici](javascript:alert(document.cookie))"]);
    let d = post_json(&s.url("/v1/postings/draft"), key, &hostile);
    assert_eq!(d.status, 200, "{}", d.text);
    let ad = d.json();
    let markdown = ad["markdown"].as_str().unwrap().to_lowercase();
    assert!(!markdown.contains("<script") && !markdown.contains("javascript:"), "{markdown}");
    assert!(markdown.contains("accueil du public"), "{markdown}");
    assert!(ad["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "unsafe-markup"), "{ad}");

    // The host's linter on an ad the recruiter wrote: a discriminatory criterion is flagged with
    // its category, a clean sentence is not.
    let ad = "# Agent d'accueil\n\nNous recherchons une personne jeune et dynamique. Permis B exigé.\n";
    let l = post_json(&s.url("/v1/postings/lint"), key, &json!({ "markdown": ad }));
    assert_eq!(l.status, 200, "{}", l.text);
    let warnings = l.json()["warnings"].as_array().unwrap().clone();
    assert!(warnings.iter().any(|w| w["category"] == "age"), "{}", l.text);
    assert!(!warnings.iter().any(|w| w["excerpt"].as_str().unwrap_or("").contains("Permis")), "{}", l.text);
    assert_error(&post_json(&s.url("/v1/postings/lint"), key, &json!({ "markdown": " " })), 422, Some("markdown"));
    // Megabytes of text are not an ad: refused before the linter reads them.
    let huge = format!("# Agent F/H\n\n{}", "Jeune et dynamique, âgé de 25 ans. ".repeat(10_000));
    assert_error(&post_json(&s.url("/v1/postings/lint"), key, &json!({ "markdown": huge })), 422, Some("markdown"));

    // Decisions: a rejection needs a rationale; trace ids must be real.
    let mut dec = json!({ "candidate_id": ids[0], "posting_id": "conformance-posting", "decision": "rejected",
                          "recruiter_id": "agent-017", "trace_ids": [ranking_trace] });
    assert_error(&post_json(&s.url("/v1/decisions"), key, &dec), 422, Some("rationale"));
    dec["rationale"] = "Expérience en paie insuffisante pour ce poste.".into();
    dec["trace_ids"] = json!([ranking_trace, "t_unknown"]);
    assert_error(&post_json(&s.url("/v1/decisions"), key, &dec), 422, Some("trace_ids[1]"));
    dec["trace_ids"] = json!([ranking_trace]);
    dec["decision"] = "auto-reject".into();
    assert_error(&post_json(&s.url("/v1/decisions"), key, &dec), 422, Some("decision"));
    dec["decision"] = "rejected".into();
    let saved = post_json(&s.url("/v1/decisions"), key, &dec);
    assert_eq!(saved.status, 201, "{}", saved.text);
    let hired = json!({ "candidate_id": ids[1], "posting_id": "conformance-posting", "decision": "hired", "recruiter_id": "agent-017" });
    assert_eq!(post_json(&s.url("/v1/decisions"), key, &hired).status, 201);

    // History: AI suggestions and human decisions side by side.
    let h = get(&s.url(&format!("/v1/candidates/{}", ids[0])), key).json();
    assert_eq!(h["ai_suggestions"].as_array().unwrap().len(), 3); // parse + two rankings
    assert_eq!(h["human_decisions"][0]["decision"], "rejected");
    assert_eq!(h["human_decisions"][0]["trace_ids"][0], ranking_trace.as_str());
    let kinds: Vec<&str> = h["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["ai_suggestion", "ai_suggestion", "ai_suggestion", "human_decision"]);

    // Explanation: the four R311-3-1-2 elements with this candidate's weights, and art. 86.
    let url = s.url(&format!("/v1/candidates/{}/explanation?posting=conformance-posting", ids[0]));
    let e = get(&url, key);
    assert_eq!(e.status, 200, "{}", e.text);
    let e = e.json();
    let crpa = &e["crpa_r311_3_1_2"];
    for section in [
        "1_degre_et_mode_de_contribution",
        "2_donnees_traitees_et_sources",
        "3_parametres_et_ponderation",
        "4_operations_effectuees",
    ] {
        assert!(!crpa[section].is_null(), "missing {section}");
    }
    let criteria = crpa["3_parametres_et_ponderation"]["criteres"].as_array().unwrap();
    assert_eq!(criteria.len(), 3);
    assert_eq!(criteria[0]["poids"].as_f64(), Some(2.0));
    let row = rows.iter().find(|row| row["candidate_id"] == ids[0]).unwrap();
    assert_eq!(crpa["3_parametres_et_ponderation"]["score"].as_f64(), row["score"].as_f64());
    assert!(crpa["1_degre_et_mode_de_contribution"].as_str().unwrap().contains("suggestion"));
    let art86 = &e["ai_act_article_86"];
    assert_eq!(art86["principaux_elements_de_la_decision"][0]["decision"], "candidature non retenue");
    assert_eq!(art86["principaux_elements_de_la_decision"][0]["le_recruteur_a_vu_cette_suggestion"], true);
    // No identity data of this or any other candidate in the explanation.
    let text = e.to_string();
    for other in [&a, &b, &c] {
        if let Some(email) = other["identity"]["email"].as_str() {
            assert!(!text.contains(email));
        }
    }
    let html = get(&format!("{url}&format=html"), key);
    assert!(html.content_type.starts_with("text/html"));
    // A page meant for a candidate carries the console's headers: no script, framing or sniffing.
    let raw = ureq::get(&format!("{url}&format=html"))
        .set("Authorization", &format!("Bearer {}", key.unwrap()))
        .call()
        .unwrap();
    assert!(raw.header("content-security-policy").unwrap().contains("default-src 'none'"));
    assert_eq!((raw.header("x-content-type-options"), raw.header("x-frame-options")), (Some("nosniff"), Some("DENY")));
    assert!(html.text.contains("Degré et mode de contribution") && html.text.contains("article 86"));
    assert!(get_accept(&url, key, "text/html").text.starts_with("<!doctype html>"));
    assert_error(&get(&s.url(&format!("/v1/candidates/{}/explanation", ids[0])), key), 400, Some("posting"));
    assert_error(
        &get(&s.url(&format!("/v1/candidates/{}/explanation?posting=other", ids[0])), key),
        404,
        Some("posting"),
    );

    // The audit log has every call and decision, verifies, and holds no personal data in clear.
    let v = get(&s.url("/v1/audit/verify"), Some(&k.auditor)).json();
    assert_eq!(v["valid"], true, "{v}");
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&k.auditor)).json();
    let events = events["events"].as_array().unwrap();
    let calls: Vec<&Value> = events.iter().filter(|e| e["kind"] == "plugin.call").collect();
    assert_eq!(calls.len(), 7); // 3 parses, 2 rankings, 2 drafts
    for c in &calls {
        let p = &c["payload"];
        assert_eq!(p["plugin"]["digest"].as_str().unwrap().len(), 64);
        assert_eq!(p["input_digest"].as_str().unwrap().len(), 64);
        assert!(
            p["wall_us"].as_u64().is_some()
                && p["cpu_us"].as_u64().is_some()
                && p["peak_memory_bytes"].as_u64().unwrap() > 0
        );
        assert_eq!(p["outcome"], "ok");
    }
    assert_eq!(events.iter().filter(|e| e["kind"] == "decision.recorded").count(), 2);
    let log = serde_json::to_string(events).unwrap();
    for who in [&a, &b, &c] {
        for field in ["email", "full_name", "phone"] {
            if let Some(v) = who["identity"][field].as_str() {
                assert!(!log.contains(v), "{field} in clear in the audit log");
            }
        }
    }
    assert!(!log.contains("agent-017") && !log.contains("insuffisante"));

    // Metrics count the calls per plugin.
    let m = get(&s.url("/metrics"), Some(&k.admin)).text;
    assert!(m.contains("vivier_plugin_calls_total{slot=\"cv-parser\",plugin=\"vivier-cv-parser\""), "{m}");
    assert!(m.contains("vivier_plugin_call_duration_seconds_bucket"));
}

#[test]
fn bad_input_gets_typed_errors_never_500() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    let s =
        Server::start_with(dir.path(), &[("VIVIER_MAX_BODY_BYTES", "200000"), ("VIVIER_MAX_DOCUMENT_BYTES", "100000")]);
    let key = Some(sirh.as_str());
    let rank = s.url("/v1/rankings");
    let parse = s.url("/v1/cv/parse");
    assert_error(&post_raw(&rank, key, "application/json", b"{not json"), 400, None);
    assert_error(&post_raw(&rank, key, "text/plain", b"{}"), 415, None);
    assert_error(&post_json(&rank, key, &json!({ "candidate_ids": [] })), 422, Some("posting"));
    // One posting format, strict: a wrong type, an unknown field or requirement rows are named.
    for (field, value, path) in [
        ("min_experience_years", json!("deux"), "posting.min_experience_years"),
        ("salary", json!("35 k€"), "posting.salary"),
        ("requirements", json!([]), "posting.requirements"),
        ("required_skills", json!(["Paie", " "]), "posting.required_skills"),
    ] {
        let mut posting = fixture_json("job-posting.json");
        posting[field] = value;
        assert_error(&post_json(&rank, key, &json!({ "posting": posting, "candidate_ids": ["c_1"] })), 422, Some(path));
    }
    let posting = fixture_json("job-posting.json");
    assert_error(&post_json(&rank, key, &json!({ "posting": posting })), 422, Some("candidate_ids"));
    assert_error(
        &post_json(&rank, key, &json!({ "posting": posting, "candidate_ids": ["c_missing"] })),
        404,
        Some("candidate_ids[0]"),
    );
    assert_error(&post_json(&rank, key, &json!({ "posting": posting, "candidate_ids": [], "extra": 1 })), 422, None);
    let big = "x".repeat(300_000);
    assert_error(&post_json(&rank, key, &json!({ "posting": posting, "pad": big })), 413, None);
    // Far past the limit and past what socket buffers hold: the client, which writes the whole
    // body before reading, still gets the 413 rather than a reset connection.
    let huge = "x".repeat(16 << 20);
    assert_error(&post_json(&rank, key, &json!({ "posting": posting, "pad": huge })), 413, None);
    assert_error(&post_file(&parse, key, "cv.txt", "text/plain", huge.as_bytes()), 413, None);

    assert_error(&post_file(&parse, key, "cv.txt", "text/plain", &vec![b'a'; 150_000]), 413, None);
    assert_error(&post_file(&parse, key, "cv.txt", "text/plain", b""), 422, Some("file"));
    assert_error(&post_file(&parse, key, "photo.png", "image/png", b"\x89PNG\r\n\x1a\n0000"), 415, Some("file"));
    assert_error(
        &post_json(&parse, key, &json!({ "filename": "cv.txt", "content_base64": "@@@" })),
        422,
        Some("content_base64"),
    );
    assert_error(&post_json(&parse, key, &json!({ "filename": 3, "content_base64": "" })), 422, Some("filename"));
    assert_error(&post_raw(&parse, key, "application/xml", b"<cv/>"), 415, None);
    assert_error(&post_raw(&parse, key, "multipart/form-data; boundary=zz", b"--zz\r\nbroken"), 400, None);

    assert_error(&post_json(&s.url("/v1/decisions"), key, &json!({ "candidate_id": "c_1" })), 422, Some("decision"));
    assert_error(
        &post_json(
            &s.url("/v1/decisions"),
            key,
            &json!({ "candidate_id": "c_1", "decision": "hired", "recruiter_id": "r" }),
        ),
        404,
        Some("candidate_id"),
    );
    assert_error(&get(&s.url("/v1/candidates/c_nope"), key), 404, None);
    assert_error(&delete(&s.url("/v1/candidates/c_nope"), key), 404, None);
    assert_error(&get(&s.url("/v1/nothing-here"), key), 404, None);
    assert_error(&post_json(&s.url("/v1/postings/draft"), key, &json!({ "job_title": "" })), 422, Some("job_title"));
    assert_error(&post_json(&s.url("/v1/postings/draft"), key, &json!({ "job_title": ["x"] })), 422, Some("job_title"));

    let a = Some(admin.as_str());
    assert_error(&put_json(&s.url("/v1/admin/slots/no-such-slot/active"), a, &json!({ "plugin": "x" })), 404, None);
    assert_error(
        &put_json(&s.url("/v1/admin/slots/skills-matcher/active"), a, &json!({ "plugin": "../../etc/passwd" })),
        422,
        Some("plugin"),
    );
    assert_error(
        &put_json(&s.url("/v1/admin/slots/skills-matcher/active"), a, &json!({ "plugin": "vivier-cv-parser" })),
        422,
        Some("plugin"),
    );
    assert_error(
        &put_json(&s.url("/v1/admin/slots/skills-matcher/active"), a, &json!({ "plugin": "nobody@1.0.0" })),
        404,
        Some("plugin"),
    );
    assert_error(
        &put_json(&s.url("/v1/admin/slots/skills-matcher/policy"), a, &json!({ "failure_policy": "fallback" })),
        422,
        Some("failure_policy"),
    );
    assert_error(&post_raw(&s.url("/v1/admin/plugins"), a, "application/zip", b"PK\x03\x04 not a zip"), 422, None);
    assert_error(&post_json(&s.url("/v1/admin/plugins/vivier-matcher-lexical/disable"), a, &json!({})), 409, None);
    assert_error(&post_empty(&s.url("/v1/admin/slots/skills-matcher/rollback"), a), 409, None);
    assert_error(&post_json(&s.url("/v1/admin/keys"), a, &json!({ "role": "root" })), 422, Some("role"));
    // Rejections produced by the framework itself (path or query that does not parse) are JSON too.
    assert_error(&get(&s.url("/v1/audit/events?after=abc"), a), 400, None);
    assert_error(&get(&s.url("/v1/audit/events?limit=0"), a), 422, Some("limit"));
    assert_error(&get(&s.url("/v1/candidates/%FF%FE"), key), 400, None);
    let m = get(&s.url("/metrics"), a).text;
    assert!(!m.contains("status=\"500\""), "{m}");
}

#[test]
fn erasure_and_retention_leave_only_tombstones() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    let admin = create_key(dir.path(), "admin");
    // Zero days: every unsuccessful candidate is due at once when the job runs.
    let s = Server::start_with(dir.path(), &[("VIVIER_CANDIDATE_RETENTION_DAYS", "0")]);
    let key = Some(sirh.as_str());
    let a = parse(&s, &sirh, "fr-alternance.txt");
    let b = parse(&s, &sirh, "fr-belgique.md");
    let c = parse(&s, &sirh, "fr-colonnes.txt");
    let (ia, ib, ic) =
        (a["candidate_id"].as_str().unwrap(), b["candidate_id"].as_str().unwrap(), c["candidate_id"].as_str().unwrap());

    // Erasure on request.
    assert_eq!(delete(&s.url(&format!("/v1/candidates/{ia}")), key).status, 204);
    assert_error(&get(&s.url(&format!("/v1/candidates/{ia}")), key), 404, None);
    assert_error(
        &post_json(
            &s.url("/v1/rankings"),
            key,
            &json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": [ia] }),
        ),
        404,
        Some("candidate_ids[0]"),
    );

    // Retention: the rejected candidate goes, the hired one stays.
    let reject = json!({ "candidate_id": ib, "decision": "rejected", "recruiter_id": "r1", "rationale": "Profil éloigné du poste." });
    assert_eq!(post_json(&s.url("/v1/decisions"), key, &reject).status, 201);
    let hire = json!({ "candidate_id": ic, "decision": "hired", "recruiter_id": "r1" });
    assert_eq!(post_json(&s.url("/v1/decisions"), key, &hire).status, 201);
    let run = post_empty(&s.url("/v1/admin/retention/run"), Some(&admin));
    assert_eq!(run.status, 200, "{}", run.text);
    assert_eq!(run.json()["candidates_erased"], 1);
    assert_error(&get(&s.url(&format!("/v1/candidates/{ib}")), key), 404, None);
    assert_eq!(get(&s.url(&format!("/v1/candidates/{ic}")), key).status, 200);

    // The audit keeps tombstones with the opaque id and no personal data.
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&admin)).json();
    let tombstones: Vec<&Value> =
        events["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "candidate.erased").collect();
    assert_eq!(tombstones.len(), 2);
    assert_eq!(tombstones[0]["payload"]["candidate_id"], ia);
    assert_eq!(tombstones[0]["payload"]["reason"], "request");
    assert_eq!(tombstones[1]["payload"]["reason"], "retention");
    assert_eq!(get(&s.url("/v1/audit/verify"), Some(&admin)).json()["valid"], true);
    let stopped = s.stop();
    assert!(stopped.success());
    // Nothing of the erased candidates remains in the database file.
    let name = a["identity"]["full_name"].as_str().or(a["identity"]["email"].as_str());
    if let Some(name) = name {
        let db = std::fs::read(dir.path().join("vivier.db")).unwrap();
        assert!(!db.windows(name.len()).any(|w| w == name.as_bytes()), "erased identity still in the file");
    }
}

#[test]
fn configuration_file_and_environment_are_applied_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");
    // An audit retention below the legal floor is refused at start, with the reason.
    let out = std::process::Command::new(bin())
        .args(["serve", "--data-dir"])
        .arg(dir.path())
        .env("VIVIER_BIND", "127.0.0.1:0")
        .env("VIVIER_AUDIT_RETENTION_DAYS", "30")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("183") && !err.contains("panicked"), "{err}");
    // Unknown keys in the TOML file are errors, not silently ignored.
    std::fs::write(dir.path().join("vivier.toml"), "max_candidatez = 1\n").unwrap();
    let out = std::process::Command::new(bin()).args(["serve", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("max_candidatez"));
    // The file's limits apply.
    std::fs::write(dir.path().join("vivier.toml"), "max_candidates = 1\nbind = \"127.0.0.1:1\"\n").unwrap();
    let s = Server::start(dir.path()); // VIVIER_BIND overrides the file's bind address
    let ids: Vec<String> = ["en-nurse.txt", "fr-alternance.txt"]
        .iter()
        .map(|f| parse(&s, &sirh, f)["candidate_id"].as_str().unwrap().to_owned())
        .collect();
    let r = post_json(
        &s.url("/v1/rankings"),
        Some(&sirh),
        &json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": ids }),
    );
    assert_error(&r, 413, None);
    let one = post_json(
        &s.url("/v1/rankings"),
        Some(&sirh),
        &json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": [ids[0]] }),
    );
    assert_eq!(one.status, 200, "{}", one.text);
}
