//! One recruitment as a SIRH drives it through Vivier's HTTP API (see docs/api.md and the
//! server's /openapi.json): parse a few CVs under the SIRH's own applicant ids, rank them for a
//! posting, draft the ad, record the recruiter's decisions, and fetch a candidate's explanation.
//! Every creating call carries an `Idempotency-Key`, so that a retry after a network error never
//! stores a person twice nor records a decision twice.
//!
//! ```sh
//! cargo run --release -- serve &                                  # in another terminal
//! export VIVIER_KEY=$(cargo run --release -- keys create --role sirh | tail -n 1)
//! cargo run --release --example sirh-client                       # VIVIER_URL defaults to http://127.0.0.1:8080
//! ```

use base64::Engine as _;
use serde_json::{json, Value};
use std::path::Path;

struct Client {
    base: String,
    key: String,
    agent: ureq::Agent,
}

impl Client {
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut req = self
            .agent
            .request(method, &format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.key));
        if method == "POST" {
            // One key per logical request: a retry of this call would send the same one.
            let mut nonce = [0u8; 16];
            getrandom::getrandom(&mut nonce).map_err(|e| e.to_string())?;
            req = req.set("Idempotency-Key", &hex::encode(nonce));
        }
        let res = match body {
            Some(b) => req.set("Content-Type", "application/json").send_string(&b.to_string()),
            None => req.call(),
        };
        match res {
            Ok(r) => r.into_json().map_err(|e| e.to_string()),
            // Errors are JSON: {"error": {status, code, message, field}}.
            Err(ureq::Error::Status(code, r)) => Err(format!("HTTP {code}: {}", r.into_string().unwrap_or_default())),
            Err(e) => Err(e.to_string()),
        }
    }
}

fn main() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let client = Client {
        base: std::env::var("VIVIER_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into()),
        key: std::env::var("VIVIER_KEY")
            .map_err(|_| "set VIVIER_KEY to a sirh key (vivier keys create --role sirh)")?,
        agent: ureq::AgentBuilder::new().build(),
    };

    // 1. Parse the applications. The SIRH keeps the identity; Vivier returns an opaque candidate id.
    let mut candidates = Vec::new();
    for (n, file) in
        ["fr-redactrice-territoriale.txt", "fr-agent-contractuel.md", "fr-recherche-emploi.txt"].iter().enumerate()
    {
        let bytes = std::fs::read(root.join("tests/data/cv").join(file)).map_err(|e| e.to_string())?;
        // The SIRH's own applicant id: a candidate id lost in a crash is found again with
        // GET /v1/candidates?external_id=...
        let external_id = format!("APP-DEMO-{}", n + 1);
        let body = json!({ "filename": file, "content_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
                           "external_id": external_id });
        let parsed = match client.call("POST", "/v1/cv/parse", Some(&body)) {
            Ok(parsed) => {
                println!(
                    "parsed {file}: candidate {} ({} experiences, {} gaps, trace {})",
                    parsed["candidate_id"].as_str().unwrap_or("?"),
                    parsed["profile"]["experiences"].as_array().map_or(0, Vec::len),
                    parsed["gaps"].as_array().map_or(0, Vec::len),
                    parsed["trace_id"].as_str().unwrap_or("?")
                );
                parsed
            }
            // Parsed on an earlier run of this walk-through: the applicant id names the candidate.
            Err(e) if e.contains("external_id_exists") => {
                let found = client.call("GET", &format!("/v1/candidates?external_id={external_id}"), None)?;
                println!("{file}: already candidate {}", found["items"][0]["candidate_id"].as_str().unwrap_or("?"));
                found["items"][0].clone()
            }
            Err(e) => return Err(e),
        };
        candidates.push(parsed["candidate_id"].as_str().unwrap_or_default().to_owned());
    }

    // 2. Rank them for the posting: suggestions for the recruiter, every candidate returned.
    let posting: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/fixtures/conformance/job-posting.json"))
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let ranking =
        client.call("POST", "/v1/rankings", Some(&json!({ "posting": posting, "candidate_ids": candidates })))?;
    println!("\n{}", ranking["notice"].as_str().unwrap_or(""));
    for c in ranking["candidates"].as_array().into_iter().flatten() {
        println!(
            "  #{} {} score {:.2}: {}",
            c["rank"],
            c["candidate_id"].as_str().unwrap_or("?"),
            c["score"].as_f64().unwrap_or(0.0),
            c["summary"].as_str().unwrap_or("")
        );
    }
    let trace = ranking["trace_id"].as_str().unwrap_or_default().to_owned();

    // 3. Draft the job ad; a human edits and signs it.
    let request: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/fixtures/conformance/draft-request.json"))
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let ad = client.call("POST", "/v1/postings/draft", Some(&request))?;
    println!(
        "\ndraft: {} ({} warnings, human review required)",
        ad["title"].as_str().unwrap_or(""),
        ad["warnings"].as_array().map_or(0, Vec::len)
    );

    // 4. The recruiter decides; the SIRH records it with the trace ids the recruiter saw.
    let decisions = [
        ("interview", None),
        ("rejected", Some("Pas d'expérience de la paie, indispensable sur ce poste.")),
        ("shortlisted", None),
    ];
    for (id, (decision, rationale)) in candidates.iter().zip(decisions) {
        // The ranking the recruiter saw: the candidate's explanation will describe that one.
        let body = json!({ "candidate_id": id, "decision": decision, "recruiter_id": "agent-017", "rationale": rationale, "trace_ids": [trace] });
        match client.call("POST", "/v1/decisions", Some(&body)) {
            Ok(_) => println!("recorded {decision} for {id}"),
            // A final decision from an earlier run stands; replacing it would need `supersedes`.
            Err(e) if e.contains("decision_conflict") => println!("{id} already has a final decision"),
            Err(e) => return Err(e),
        }
    }

    // 5. The rejected candidate asks how the algorithm contributed (CRPA R311-3-1-2).
    let id = &candidates[1];
    let explanation = client.call(
        "GET",
        &format!("/v1/candidates/{id}/explanation?posting={}", posting["id"].as_str().unwrap_or("")),
        None,
    )?;
    println!(
        "\nexplanation for {id}:\n{}",
        explanation["crpa_r311_3_1_2"]["1_degre_et_mode_de_contribution"].as_str().unwrap_or("")
    );
    println!(
        "HTML version: {}/v1/candidates/{id}/explanation?posting={}&format=html",
        client.base,
        posting["id"].as_str().unwrap_or("")
    );
    Ok(())
}
