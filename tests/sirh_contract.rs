//! The SIRH contract through real sockets: retries that never duplicate (`Idempotency-Key`,
//! `external_id`), decisions pinned to what the recruiter saw, explanations that a later
//! ranking does not change, one strictness for bodies, lists with cursor paging.

mod server;

use serde_json::{json, Value};
use server::*;

const PARSE: &str = "/v1/cv/parse";

fn parse_with(
    s: &Server,
    key: &str,
    name: &str,
    external_id: Option<&str>,
    idem: Option<&str>,
    boundary: &str,
) -> Resp {
    let content = cv(name);
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("file", Some(name), &content)];
    if let Some(e) = external_id {
        parts.push(("external_id", None, e.as_bytes()));
    }
    let (ct, body) = multipart(boundary, &parts);
    let headers: Vec<(&str, &str)> = idem.map(|k| ("Idempotency-Key", k)).into_iter().collect();
    send("POST", &s.url(PARSE), Some(key), &headers, Some((&ct, &body)))
}

fn ids_of(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|c| c["candidate_id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn retried_parses_never_store_a_person_twice() {
    let (_dir, s, k) = setup();
    let key = k.sirh.as_str();
    // The same request retried with its key (another multipart boundary, as clients draw one per
    // attempt): the first answer again, marked as a replay, and one candidate.
    let first = parse_with(&s, key, "fr-redactrice-territoriale.txt", Some("APP-2026-0001"), Some("k-1"), "b-one");
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = parse_with(&s, key, "fr-redactrice-territoriale.txt", Some("APP-2026-0001"), Some("k-1"), "b-two");
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json()["candidate_id"], first.json()["candidate_id"]);
    let c1 = first.json()["candidate_id"].as_str().unwrap().to_owned();
    assert_eq!(first.json()["external_id"], "APP-2026-0001");
    // The same key for another request is the client's bug: refused, nothing stored.
    let other = parse_with(&s, key, "en-nurse.txt", None, Some("k-1"), "b-three");
    assert_error(&other, 422, Some("Idempotency-Key"));
    assert_error(&parse_with(&s, key, "en-nurse.txt", None, Some("with space"), "b"), 422, Some("Idempotency-Key"));
    // Without a key, the SIRH's applicant id still prevents a second copy, and names the first.
    let dup = parse_with(&s, key, "fr-redactrice-territoriale.txt", Some("APP-2026-0001"), None, "b-four");
    let err = assert_error(&dup, 409, Some("external_id"));
    assert_eq!(err["error"]["code"], "external_id_exists");
    assert_eq!(err["error"]["details"]["candidate_id"], c1.as_str());
    assert_error(&parse_with(&s, key, "en-nurse.txt", Some("nom prénom"), None, "b"), 422, Some("external_id"));

    // A candidate id lost in a crash is found again by the SIRH's own id; lists page by cursor.
    let found = get(&s.url("/v1/candidates?external_id=APP-2026-0001"), Some(key));
    assert_eq!(found.status, 200, "{}", found.text);
    assert_eq!(ids_of(&found.json()), [c1.clone()]);
    assert_eq!(found.json()["items"][0]["external_id"], "APP-2026-0001");
    let c2 = parse(&s, key, "en-nurse.txt")["candidate_id"].as_str().unwrap().to_owned();
    let c3 = parse(&s, key, "fr-alternance.txt")["candidate_id"].as_str().unwrap().to_owned();
    let mut seen = Vec::new();
    let mut url = s.url("/v1/candidates?limit=2");
    loop {
        let page = get(&url, Some(key)).json();
        seen.extend(ids_of(&page));
        match page["next_after"].as_str() {
            Some(after) => url = s.url(&format!("/v1/candidates?limit=2&after={after}")),
            None => break,
        }
    }
    assert_eq!(seen, [c1.clone(), c2, c3]);
    assert_error(&get(&s.url("/v1/candidates?after=garbage"), Some(key)), 422, Some("after"));
    assert_error(&get(&s.url("/v1/candidates?limit=0"), Some(key)), 422, Some("limit"));
    // Another SIRH key has its own applicant ids and its own list.
    let other_key = create_key(_dir.path(), "sirh");
    assert_eq!(ids_of(&get(&s.url("/v1/candidates"), Some(&other_key)).json()), Vec::<String>::new());
    let theirs = parse_with(&s, &other_key, "en-nurse.txt", Some("APP-2026-0001"), None, "b-five");
    assert_eq!(theirs.status, 201, "{}", theirs.text);

    // Erasure answers the same the second time; it frees the applicant id and the stored replay.
    let url = s.url(&format!("/v1/candidates/{c1}"));
    assert_eq!(delete(&url, Some(key)).status, 204);
    assert_eq!(delete(&url, Some(key)).status, 204);
    assert_error(&delete(&s.url("/v1/candidates/c_unknown"), Some(key)), 404, None);
    assert_eq!(
        ids_of(&get(&s.url("/v1/candidates?external_id=APP-2026-0001"), Some(key)).json()),
        Vec::<String>::new()
    );
    let replay = parse_with(&s, key, "fr-redactrice-territoriale.txt", Some("APP-2026-0001"), Some("k-1"), "b-six");
    assert_eq!(replay.status, 201, "{}", replay.text);
    assert_eq!(replay.header("idempotent-replayed"), None, "the erased candidate's answer is not replayed");
    assert_ne!(replay.json()["candidate_id"], c1.as_str());
}

#[test]
fn one_strictness_for_every_body() {
    let (_dir, s, k) = setup();
    let key = Some(k.sirh.as_str());
    let content = cv("en-nurse.txt");
    // Two CVs in one parse, or a part the contract does not know: refused, nothing parsed.
    let (ct, body) = multipart("b", &[("file", Some("a.txt"), &content), ("file", Some("b.txt"), &content)]);
    assert_error(&send("POST", &s.url(PARSE), key, &[], Some((&ct, &body))), 422, Some("file"));
    let (ct, body) = multipart("b", &[("file", Some("a.txt"), &content), ("name", None, b"Jean Dupont")]);
    assert_error(&send("POST", &s.url(PARSE), key, &[], Some((&ct, &body))), 422, Some("name"));
    assert_eq!(get(&s.url("/v1/candidates"), key).json()["items"], json!([]));
    // Unknown fields are named, in every JSON body.
    let mut draft = fixture_json("draft-request.json");
    draft["salaire"] = "35 k€".into();
    assert_error(&post_json(&s.url("/v1/postings/draft"), key, &draft), 422, Some("salaire"));
    assert_error(&post_json(&s.url("/v1/postings/lint"), key, &json!({ "markdown": "# A", "x": 1 })), 422, Some("x"));
    let mut profile = parse(&s, &k.sirh, "en-nurse.txt")["profile"].clone();
    profile["photo"] = "base64…".into();
    let body =
        json!({ "posting": fixture_json("job-posting.json"), "profiles": [{ "ref": "r1", "profile": profile }] });
    assert_error(&post_json(&s.url("/v1/rankings"), key, &body), 422, Some("profiles[0].profile.photo"));
}

/// Rank, decide, rank again, explain: the explanation is the one of the ranking the recruiter saw.
#[test]
fn explanations_stay_pinned_to_the_ranking_the_recruiter_saw() {
    let (_dir, s, k) = setup();
    let key = Some(k.sirh.as_str());
    let ids: Vec<String> = ["fr-redactrice-territoriale.txt", "en-nurse.txt", "fr-alternance.txt"]
        .iter()
        .map(|n| parse(&s, &k.sirh, n)["candidate_id"].as_str().unwrap().to_owned())
        .collect();
    let rank = |ids: &[String]| {
        let r = post_json(
            &s.url("/v1/rankings"),
            key,
            &json!({ "posting": fixture_json("job-posting.json"), "candidate_ids": ids }),
        );
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    };
    let first = rank(&ids);
    let trace = first["trace_id"].as_str().unwrap().to_owned();
    let last = first["candidates"][2]["candidate_id"].as_str().unwrap().to_owned();
    let url = s.url(&format!("/v1/candidates/{last}/explanation?posting=conformance-posting"));

    // A decision dated in the future, or before the ranking it cites, is refused.
    let mut dec = json!({ "candidate_id": last, "decision": "rejected", "recruiter_id": "agent-017",
                          "rationale": "Expérience en paie insuffisante.", "trace_ids": [trace] });
    dec["decided_at"] = "2999-01-01T00:00:00Z".into();
    assert_error(&post_json(&s.url("/v1/decisions"), key, &dec), 422, Some("decided_at"));
    dec["decided_at"] = "2001-01-01T00:00:00+01:00".into();
    assert_error(&post_json(&s.url("/v1/decisions"), key, &dec), 422, Some("decided_at"));
    dec["decided_at"] = "hier".into();
    assert_error(&post_json(&s.url("/v1/decisions"), key, &dec), 422, Some("decided_at"));
    dec.as_object_mut().unwrap().remove("decided_at");
    // The posting comes from the ranking the recruiter saw; a retried decision is one decision.
    let idem = [("Idempotency-Key", "dec-1")];
    let body = dec.to_string();
    let saved = send("POST", &s.url("/v1/decisions"), key, &idem, Some(("application/json", body.as_bytes())));
    assert_eq!(saved.status, 201, "{}", saved.text);
    let retried = send("POST", &s.url("/v1/decisions"), key, &idem, Some(("application/json", body.as_bytes())));
    assert_eq!((retried.status, retried.header("idempotent-replayed")), (201, Some("true")));
    let d = saved.json()["decision"].clone();
    assert_eq!(d["posting_id"], "conformance-posting");
    assert!(d["decided_at"].as_str().unwrap().ends_with('Z'), "{d}");
    let before = get(&url, key);
    assert_eq!(before.status, 200, "{}", before.text);

    // The SIRH ranks the same posting again, with only this candidate: rank 1 of 1.
    let second = rank(std::slice::from_ref(&last));
    assert_eq!(second["candidates"][0]["rank"], 1);
    let after = get(&url, key);
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("generated_at");
        v
    };
    assert_eq!(strip(after.json()), strip(before.json()), "a later ranking changed the explanation");
    let e = after.json();
    assert_eq!(e["classement_explique"]["trace_id"], trace.as_str());
    let contribution = e["crpa_r311_3_1_2"]["1_degre_et_mode_de_contribution"].as_str().unwrap();
    assert!(contribution.contains("rang (3 sur 3)"), "{contribution}");
    let seen = &e["ai_act_article_86"]["principaux_elements_de_la_decision"][0];
    assert_eq!(seen["le_recruteur_a_vu_cette_suggestion"], true, "{e}");

    // A contradicting decision must name the one it replaces; then the explanation follows it.
    let hired = json!({ "candidate_id": last, "posting_id": "conformance-posting", "decision": "hired",
                        "recruiter_id": "agent-017", "trace_ids": [second["trace_id"]] });
    let conflict = assert_error(&post_json(&s.url("/v1/decisions"), key, &hired), 409, Some("supersedes"));
    assert_eq!(conflict["error"]["code"], "decision_conflict");
    let mut wrong = hired.clone();
    wrong["supersedes"] = "d_unknown".into();
    assert_error(&post_json(&s.url("/v1/decisions"), key, &wrong), 422, Some("supersedes"));
    let mut hired = hired;
    hired["supersedes"] = d["decision_id"].clone();
    let replaced = post_json(&s.url("/v1/decisions"), key, &hired);
    assert_eq!(replaced.status, 201, "{}", replaced.text);
    let e = get(&url, key).json();
    assert_eq!(e["classement_explique"]["trace_id"], second["trace_id"]);
    let decisions = e["ai_act_article_86"]["principaux_elements_de_la_decision"].as_array().unwrap();
    assert_eq!(decisions.len(), 1, "the superseded decision is not the standing one: {e}");
    assert_eq!(decisions[0]["decision"], "recrutement");

    // The decisions this key recorded, by candidate, with the same shape as when recorded.
    let list = get(&s.url(&format!("/v1/decisions?candidate_id={last}")), key);
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "{}", list.text);
    assert_eq!(items[0], d);
    assert_eq!(items[1]["supersedes"], d["decision_id"]);
}

#[test]
fn requests_are_correlated_into_the_audit_and_limited_per_key() {
    let dir = tempfile::tempdir().unwrap();
    let (sirh, auditor) = (create_key(dir.path(), "sirh"), create_key(dir.path(), "auditor"));
    let s = Server::start_with(dir.path(), &[("VIVIER_RATE_LIMIT_PER_MINUTE", "6")]);
    let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    // The client's request id comes back, and with the trace id it is in the audit row.
    let (ct, body) = multipart("b", &[("file", Some("cv.txt"), &cv("en-nurse.txt"))]);
    let headers = [("X-Request-Id", "sirh-req-42"), ("traceparent", traceparent)];
    let parsed = send("POST", &s.url(PARSE), Some(&sirh), &headers, Some((&ct, &body)));
    assert_eq!(parsed.status, 201, "{}", parsed.text);
    assert_eq!(parsed.header("x-request-id"), Some("sirh-req-42"));
    assert_eq!(parsed.header("ratelimit-policy"), Some("\"per-key\";q=6;w=60"));
    assert!(parsed.header("ratelimit").is_some_and(|v| v.starts_with("\"per-key\";r=")), "{:?}", parsed.headers);
    let events = get(&s.url("/v1/audit/events?limit=1000"), Some(&auditor)).json();
    let call = events["events"].as_array().unwrap().iter().find(|e| e["kind"] == "plugin.call").cloned().unwrap();
    assert_eq!(call["payload"]["request"]["id"], "sirh-req-42", "{call}");
    assert_eq!(call["payload"]["request"]["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert!(call["at"].as_str().unwrap().ends_with('Z'));
    // A request id that is not an opaque token is replaced, never copied; errors carry it.
    let r = send("GET", &s.url("/v1/candidates/c_unknown"), Some(&sirh), &[("X-Request-Id", "Jean Dupont")], None);
    let generated = r.header("x-request-id").unwrap().to_owned();
    assert!(generated.starts_with("req_"), "{generated}");
    assert_eq!(assert_error(&r, 404, None)["error"]["request_id"], generated.as_str());
    // Times are RFC 3339 UTC in every answer.
    let listed = get(&s.url("/v1/candidates"), Some(&sirh)).json();
    assert!(listed["items"][0]["created_at"].as_str().unwrap().ends_with('Z'), "{listed}");

    // One key over its quota gets 429 with Retry-After; another key is not slowed. (A minute
    // boundary may reset the window once: at most twice the quota is needed.)
    let limited = (0..13).map(|_| get(&s.url("/v1/candidates"), Some(&sirh))).find(|r| r.status == 429).unwrap();
    let err = assert_error(&limited, 429, None);
    assert_eq!(err["error"]["code"], "rate_limited");
    let wait: u64 = limited.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(limited.header("ratelimit").unwrap().contains(";r=0;"), "{:?}", limited.headers);
    assert_eq!(get(&s.url("/v1/audit/verify"), Some(&auditor)).status, 200);
}

/// A loopback endpoint that records each request (headers, body) and answers 500 to the first.
fn receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/vivier", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut head, mut length) = (String::new(), 0usize);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            log.lock().unwrap().push((head, String::from_utf8(body).unwrap()));
            let status = if n == 0 { "500 Internal Server Error" } else { "204 No Content" };
            let _ = stream
                .write_all(format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes());
        }
    });
    (url, seen)
}

fn header_of(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
    })
}

#[test]
fn a_campaign_is_one_job_and_the_sirh_hears_of_it_signed() {
    use hmac::Mac;
    let dir = tempfile::tempdir().unwrap();
    let (sirh, admin) = (create_key(dir.path(), "sirh"), create_key(dir.path(), "admin"));
    let s =
        Server::start_with(dir.path(), &[("VIVIER_WEBHOOK_POLL_MS", "100"), ("VIVIER_WEBHOOK_RETRY_BASE_MS", "300")]);
    let (url, seen) = receiver();
    let hook = post_json(&s.url("/v1/admin/webhooks"), Some(&admin), &json!({ "url": url, "events": ["*"] }));
    assert_eq!(hook.status, 201, "{}", hook.text);
    let secret = hook.json()["secret"].as_str().unwrap().to_owned();
    assert_error(
        &post_json(&s.url("/v1/admin/webhooks"), Some(&admin), &json!({ "url": "ftp://x", "events": ["*"] })),
        422,
        Some("url"),
    );

    // One applicant is already known under APP-1: the batch gives its id back, parses nothing.
    let known = parse_with(&s, &sirh, "en-nurse.txt", Some("APP-1"), None, "b");
    let known = known.json()["candidate_id"].as_str().unwrap().to_owned();
    let mut zipped = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut zipped);
        z.start_file("z.txt", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut z, &cv("fr-alternance.txt")).unwrap();
        z.finish().unwrap();
    }
    let zipped = zipped.into_inner();
    let png = b"\x89PNG\r\n\x1a\n not a CV".to_vec();
    let (ct, body) = multipart(
        "batch",
        &[
            ("file", Some("a.txt"), &cv("en-nurse.txt")),
            ("file", Some("b.txt"), &cv("fr-redactrice-territoriale.txt")),
            ("file", Some("cvs.zip"), &zipped),
            ("file", Some("photo.png"), &png),
            ("external_ids", None, br#"{"a.txt": "APP-1", "z.txt": "APP-3"}"#),
        ],
    );
    let created = send("POST", &s.url("/v1/cv/batches"), Some(&sirh), &[], Some((&ct, &body)));
    assert_eq!(created.status, 202, "{}", created.text);
    let job = created.json();
    let location = created.header("location").unwrap().to_owned();
    assert_eq!(location, format!("/v1/jobs/{}", job["job_id"].as_str().unwrap()));
    assert_eq!(job["total"], 4);
    let done = (0..600)
        .map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(200));
            get(&s.url(&location), Some(&sirh)).json()
        })
        .find(|j| j["status"] == "done")
        .expect("the batch finishes");
    assert_eq!(done["done"], 4, "{done}");
    let items = done["items"].as_array().unwrap();
    let status: Vec<&str> = items.iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["existing", "parsed", "parsed", "failed"], "{done}");
    assert_eq!(items[0]["candidate_id"], known.as_str());
    assert_eq!((items[2]["filename"].as_str(), items[2]["external_id"].as_str()), (Some("z.txt"), Some("APP-3")));
    assert_eq!(items[3]["error"]["code"], "unreadable_document", "{done}");
    let parsed = items[1]["candidate_id"].as_str().unwrap().to_owned();
    assert_eq!(get(&s.url(&format!("/v1/candidates/{parsed}")), Some(&sirh)).status, 200);
    // Another key does not see the job; a batch with a stray part is refused whole.
    let other = create_key(dir.path(), "sirh");
    assert_error(&get(&s.url(&location), Some(&other)), 404, None);
    let (ct, body) = multipart("b", &[("file", Some("a.txt"), &cv("en-nurse.txt")), ("nom", None, b"Dupont")]);
    assert_error(&send("POST", &s.url("/v1/cv/batches"), Some(&sirh), &[], Some((&ct, &body))), 422, Some("nom"));

    // The erasure is notified too; every notification is signed, the first one retried.
    assert_eq!(delete(&s.url(&format!("/v1/candidates/{parsed}")), Some(&sirh)).status, 204);
    let got = (0..300)
        .find_map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let seen = seen.lock().unwrap().clone();
            let types: Vec<String> = seen
                .iter()
                .filter_map(|(_, b)| serde_json::from_str::<Value>(b).ok()?["type"].as_str().map(str::to_owned))
                .collect();
            (types.iter().filter(|t| *t == "job.done").count() >= 2 && types.iter().any(|t| t == "candidate.erased"))
                .then_some(seen)
        })
        .expect("job.done (retried) and candidate.erased arrive");
    for (head, body) in &got {
        let sig = header_of(head, "vivier-signature").unwrap();
        let (t, v1) = sig.split_once(",v1=").unwrap();
        let t = t.strip_prefix("t=").unwrap();
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.{body}").as_bytes());
        assert_eq!(hex::encode(mac.finalize().into_bytes()), v1, "a bad signature on {body}");
        let event: Value = serde_json::from_str(body).unwrap();
        assert!(event["created_at"].as_str().unwrap().ends_with('Z'));
        if event["type"] == "candidate.erased" {
            assert_eq!(event["data"]["candidate_id"], parsed.as_str());
        }
    }
    let log = get(&s.url("/v1/admin/webhooks/deliveries"), Some(&admin)).json();
    let job_done = log["deliveries"].as_array().unwrap().iter().find(|d| d["event"] == "job.done").unwrap().clone();
    assert_eq!((job_done["status"].as_str(), job_done["attempts"].as_i64()), (Some("delivered"), Some(2)), "{log}");
    assert_eq!(job_done["last_status"], 204);
}
