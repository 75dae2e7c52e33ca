//! The OpenAPI 3.0 contract of the API, served at `/openapi.json`, and its human-readable page at
//! `/docs` rendered from the same document.
//!
//! Request bodies and the data model they share with plugins (profile, identity, draft request,
//! requirement assessments...) are derived from the Rust types the handlers deserialize
//! (`schemars`), so the contract cannot drift from what the server accepts. Answers are declared
//! here and checked against real answers: `tests/openapi.rs` validates the document, generates a
//! client with `openapi-python-client` and validates every answer of a whole recruitment against
//! it.

use super::routes::explanation::escape;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// Every error `code` the API returns, for clients that switch on it.
pub const ERROR_CODES: &[&str] = &[
    "bad_request",
    "malformed_json",
    "missing_parameter",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "append_only",
    "conflict",
    "decision_conflict",
    "external_id_exists",
    "idempotency_in_progress",
    "too_large",
    "unsupported_media_type",
    "unsupported_document",
    "document_too_large",
    "invalid_field",
    "unreadable_document",
    "probe_failed",
    "rate_limited",
    "request_timeout",
    "plugin_failed",
    "overloaded",
    "stopped",
    "unavailable",
    "storage_unavailable",
    "internal",
    "error",
];

const SIRH: &[&str] = &["sirh"];
const ADMIN: &[&str] = &["admin"];
const AUDIT: &[&str] = &["admin", "auditor"];

/// One operation, built step by step.
struct Op {
    value: Value,
    authenticated: bool,
}

fn op(id: &str, tag: &str, summary: &str, roles: &[&str]) -> Op {
    let mut value = json!({ "operationId": id, "tags": [tag], "summary": summary, "x-roles": roles, "responses": {} });
    if roles.is_empty() {
        value["security"] = json!([]);
    }
    Op { value, authenticated: !roles.is_empty() }
}

impl Op {
    fn body(mut self, content: Value) -> Self {
        self.value["requestBody"] = json!({ "required": true, "content": content });
        self
    }
    fn optional_body(mut self, content: Value) -> Self {
        self.value["requestBody"] = json!({ "required": false, "content": content });
        self
    }
    fn ok(mut self, status: u16, description: &str, content: Option<Value>) -> Self {
        let mut r = json!({ "description": description, "headers": { "X-Request-Id": { "$ref": "#/components/headers/X-Request-Id" } } });
        if self.authenticated {
            r["headers"]["RateLimit"] = json!({ "$ref": "#/components/headers/RateLimit" });
            r["headers"]["RateLimit-Policy"] = json!({ "$ref": "#/components/headers/RateLimit-Policy" });
        }
        if let Some(c) = content {
            r["content"] = c;
        }
        self.value["responses"][status.to_string()] = r;
        self
    }
    fn errors(mut self, codes: &[u16]) -> Self {
        let mut all: Vec<u16> = codes.to_vec();
        if self.authenticated {
            all.extend([401, 403, 429, 503]);
        }
        if self.value.get("requestBody").is_some() {
            all.push(408);
        }
        all.sort_unstable();
        all.dedup();
        for code in all {
            self.value["responses"][code.to_string()] = json!({ "$ref": format!("#/components/responses/E{code}") });
        }
        self
    }
    fn param(mut self, p: Value) -> Self {
        match self.value["parameters"].as_array_mut() {
            Some(list) => list.push(p),
            None => self.value["parameters"] = json!([p]),
        }
        self
    }
    fn query(self, name: &str, description: &str, schema: Value) -> Self {
        self.param(
            json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema }),
        )
    }
    /// A creating POST: a retry with the same `Idempotency-Key` gets the first answer.
    fn idempotent(self) -> Self {
        self.param(json!({ "$ref": "#/components/parameters/Idempotency-Key" }))
    }
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

fn text_content(media_type: &str) -> Value {
    json!({ media_type: { "schema": { "type": "string" } } })
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn nullable_string() -> Value {
    json!({ "type": "string", "nullable": true })
}

fn date_time() -> Value {
    json!({ "type": "string", "format": "date-time", "description": "RFC 3339, UTC" })
}

fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// An object whose listed properties are all present in every answer.
fn object(properties: Value) -> Value {
    let required: Vec<String> = properties.as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    json!({ "type": "object", "required": required, "properties": properties })
}

/// An object of facts this document does not detail (administrators' views).
fn open_object(description: &str) -> Value {
    json!({ "type": "object", "additionalProperties": true, "description": description })
}

/// The parameters of a templated path, declared once for all its operations.
fn path_parameters(path: &str) -> Value {
    let params: Vec<Value> = path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            let schema = match name {
                "slot" => json!({ "type": "string", "enum": ["cv-parser", "skills-matcher", "posting-drafter"] }),
                "kind" => json!({ "type": "string", "enum": ["notice", "technical-file", "dpia", "fria", "boussole", "sobriety", "fairness"] }),
                "spec" => json!({ "type": "string", "description": "Plugin id, or id@version", "example": "vivier-matcher-lexical@0.1.0" }),
                _ => string(),
            };
            json!({ "name": name, "in": "path", "required": true, "schema": schema })
        })
        .collect();
    Value::Array(params)
}

struct Paths(Map<String, Value>);

impl Paths {
    fn add(&mut self, path: &str, method: &str, o: Op) {
        let item = self.0.entry(path.to_owned()).or_insert_with(|| {
            let params = path_parameters(path);
            if params.as_array().is_some_and(|p| !p.is_empty()) {
                json!({ "parameters": params })
            } else {
                json!({})
            }
        });
        item[method] = o.value;
    }
}

/// The schema of `T` as a reference, its definitions collected in the generator.
fn derived<T: JsonSchema>(gen: &mut SchemaGenerator) -> Value {
    serde_json::to_value(gen.subschema_for::<T>()).expect("schemas serialise")
}

fn sirh_paths(p: &mut Paths, gen: &mut SchemaGenerator) {
    use super::routes::{decisions, monitoring, parse, postings, rankings};
    let upload = derived::<parse::JsonDocument>(gen);
    p.add("/v1/cv/parse", "post", op("parseCv", "sirh", "Parse one CV; identity and profile are stored apart under a new candidate id", SIRH)
        .idempotent()
        .body(json!({
            "multipart/form-data": { "schema": { "type": "object", "required": ["file"], "additionalProperties": false, "properties": {
                "file": { "type": "string", "format": "binary", "description": "The CV (PDF, DOCX, ODT, text or Markdown); one per request" },
                "external_id": { "type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$", "description": "The SIRH's applicant id, unique per key" } } } },
            "application/json": { "schema": upload }
        }))
        .ok(201, "The candidate, with the parser's reading of the CV", Some(json_content(r("ParseResult"))))
        .errors(&[400, 409, 413, 415, 422, 502, 504]));
    p.add("/v1/cv/batches", "post", op("createCvBatch", "sirh", "A campaign's CVs in one request, parsed in the background: answers at once with the job to poll", SIRH)
        .idempotent()
        .body(json!({ "multipart/form-data": { "schema": { "type": "object", "required": ["file"], "additionalProperties": false, "properties": {
            "file": { "type": "array", "items": { "type": "string", "format": "binary" }, "description": "The CVs, or zip archives of CVs (at most max_batch_files in all)" },
            "external_ids": { "type": "string", "description": "JSON object from file name to the SIRH's applicant id; a file whose id names a live candidate is not parsed again (result `existing`)" } } } } }))
        .ok(202, "The job, with `Location: /v1/jobs/{id}`", Some(json_content(r("Job"))))
        .errors(&[400, 413, 415, 422]));
    p.add(
        "/v1/jobs/{id}",
        "get",
        op("getJob", "sirh", "A batch job's progress and per-file results (kept 7 days)", SIRH)
            .ok(200, "The job", Some(json_content(r("Job"))))
            .errors(&[404]),
    );
    let ranking = derived::<rankings::RankingRequest>(gen);
    p.add(
        "/v1/rankings",
        "post",
        op("rankCandidates", "sirh", "Rank candidates for a posting: every candidate returned, as suggestions", SIRH)
            .idempotent()
            .body(json_content(ranking))
            .ok(200, "Every candidate, best suggestion first", Some(json_content(r("RankingResult"))))
            .errors(&[400, 404, 409, 413, 415, 422, 502, 504]),
    );
    let draft = derived::<crate::model::DraftRequest>(gen);
    p.add(
        "/v1/postings/draft",
        "post",
        op(
            "draftJobAd",
            "sirh",
            "Draft a job ad in French (human review required), checked by the host's linter",
            SIRH,
        )
        .idempotent()
        .body(json_content(draft))
        .ok(200, "The draft and the linter's warnings", Some(json_content(r("Draft"))))
        .errors(&[400, 409, 413, 415, 422, 502, 504]),
    );
    let lint = derived::<postings::LintBody>(gen);
    p.add(
        "/v1/postings/lint",
        "post",
        op(
            "lintJobAd",
            "sirh",
            "Check an ad for discriminatory criteria, missing mandatory mentions and leaked notes",
            SIRH,
        )
        .body(json_content(lint))
        .ok(200, "The linter's findings", Some(json_content(r("LintResult"))))
        .errors(&[400, 413, 415, 422]),
    );
    let decision = derived::<decisions::DecisionRequest>(gen);
    p.add(
        "/v1/decisions",
        "post",
        op("recordDecision", "sirh", "Record a recruiter's decision (Vivier never decides)", SIRH)
            .idempotent()
            .body(json_content(decision))
            .ok(201, "The decision as recorded", Some(json_content(r("DecisionRecorded"))))
            .errors(&[400, 404, 409, 413, 415, 422]),
    );
    p.add(
        "/v1/decisions",
        "get",
        op("listDecisions", "sirh", "The decisions this key recorded, oldest first, by pages", SIRH)
            .query("candidate_id", "Only this candidate's", string())
            .query("posting_id", "Only this posting's", string())
            .query("after", "The `next_after` of the previous page", string())
            .query("limit", "Page size (default 50)", json!({ "type": "integer", "minimum": 1, "maximum": 500 }))
            .ok(200, "One page", Some(json_content(r("DecisionPage"))))
            .errors(&[400, 422]),
    );
    p.add(
        "/v1/candidates",
        "get",
        op(
            "listCandidates",
            "sirh",
            "The live candidates this key created, oldest first, by pages; or the one with an external id",
            SIRH,
        )
        .query("external_id", "The SIRH's applicant id", string())
        .query("after", "The `next_after` of the previous page", string())
        .query("limit", "Page size (default 50)", json!({ "type": "integer", "minimum": 1, "maximum": 500 }))
        .ok(200, "One page", Some(json_content(r("CandidatePage"))))
        .errors(&[400, 422]),
    );
    p.add(
        "/v1/candidates/{id}",
        "get",
        op("getCandidate", "sirh", "The candidate's file: data, AI suggestions and human decisions side by side", SIRH)
            .ok(200, "The file", Some(json_content(r("CandidateFile"))))
            .errors(&[404]),
    );
    p.add(
        "/v1/candidates/{id}",
        "delete",
        op(
            "eraseCandidate",
            "sirh",
            "Erase the candidate's data (the audit keeps a tombstone); erasing again answers the same",
            SIRH,
        )
        .ok(204, "Erased", None)
        .errors(&[404]),
    );
    p.add("/v1/candidates/{id}/explanation", "get", op("explainToCandidate", "sirh", "Plain-French explanation (CRPA R311-3-1-2, AI Act art. 86) of the ranking the recruiter saw before deciding", SIRH)
        .param(json!({ "name": "posting", "in": "query", "required": true, "schema": string() }))
        .query("format", "html: the page for the candidate (also with Accept: text/html)", json!({ "type": "string", "enum": ["json", "html"] }))
        .ok(200, "The explanation", Some(json!({ "application/json": { "schema": r("Explanation") }, "text/html": { "schema": string() } })))
        .errors(&[400, 404, 422]));
    let m = derived::<monitoring::MonitoringRequest>(gen);
    p.add("/v1/candidates/{id}/monitoring", "put", op("setMonitoring", "sirh", "Optional gender and age band, for fairness monitoring only (stored apart, never sent to plugins, erased with the candidate)", SIRH)
        .body(json_content(m))
        .ok(200, "Stored", Some(json_content(r("MonitoringStored"))))
        .errors(&[404, 413, 415, 422]));
    p.add(
        "/v1/candidates/{id}/monitoring",
        "delete",
        op("clearMonitoring", "sirh", "Withdraw the candidate's monitoring data", SIRH)
            .ok(204, "Withdrawn", None)
            .errors(&[404]),
    );
}

fn other_paths(p: &mut Paths) {
    p.add(
        "/healthz",
        "get",
        op("health", "operations", "Liveness and slot status", &[])
            .ok(200, "Up", Some(json_content(r("Health"))))
            .errors(&[503]),
    );
    p.add(
        "/metrics",
        "get",
        op("metrics", "operations", "Prometheus metrics: calls, errors, latency, CPU per plugin", AUDIT)
            .ok(200, "Prometheus text format", Some(text_content("text/plain")))
            .errors(&[]),
    );
    p.add(
        "/openapi.json",
        "get",
        op("openapi", "public", "This document", &[]).ok(
            200,
            "OpenAPI 3.0",
            Some(json_content(open_object("OpenAPI document"))),
        ),
    );
    p.add(
        "/docs",
        "get",
        op("apiDocs", "public", "This document as a page", &[]).ok(200, "HTML", Some(text_content("text/html"))),
    );
    p.add(
        "/register",
        "get",
        op("registerHtml", "public", "Public algorithm register (HTML, French)", &[]).ok(
            200,
            "HTML",
            Some(text_content("text/html")),
        ),
    );
    p.add(
        "/register.json",
        "get",
        op("registerJson", "public", "Public algorithm register (JSON)", &[]).ok(
            200,
            "The register",
            Some(json_content(r("Register"))),
        ),
    );
    p.add(
        "/registre",
        "get",
        op("registre", "public", "Public algorithm register, the console's page (HTML, French; CRPA L312-1-3)", &[])
            .ok(200, "HTML", Some(text_content("text/html"))),
    );
    p.add("/v1/reports/register", "get", op("registerReport", "public", "Algorithm register generated from the installed and active plugins (CRPA L312-1-3), with the mention explicite for decision letters (R311-3-1-1)", &[])
        .query("format", "markdown: the French document as text/markdown", json!({ "type": "string", "enum": ["json", "markdown"] }))
        .ok(200, "The register", Some(json!({ "application/json": { "schema": r("Register") }, "text/markdown": { "schema": string() } })))
        .errors(&[422]));
    p.add("/v1/reports/{kind}", "get", op("report", "audit", "The deployer's documents in French (notice, technical file, DPIA, FRIA, boussole, sobriety, fairness monitoring), as `vivier report KIND`", AUDIT)
        .query("plugin", "Plugin id or id@version (technical-file, boussole)", string())
        .query("from", "First day, included (sobriety, fairness); default 365 days before `to`", json!({ "type": "string", "format": "date" }))
        .query("to", "Last day, included; default today", json!({ "type": "string", "format": "date" }))
        .query("watts_per_core", "Sobriety: watts drawn by a busy core (default 10)", json!({ "type": "number" }))
        .query("top_k", "Fairness: the AI stage counts the first k of each ranking (default 5)", json!({ "type": "integer" }))
        .query("format", "markdown: the French document as text/markdown (also with Accept: text/markdown)", json!({ "type": "string", "enum": ["json", "markdown"] }))
        .ok(200, "The document", Some(json!({ "application/json": { "schema": r("Report") }, "text/markdown": { "schema": string() } })))
        .errors(&[404, 422]));
    p.add(
        "/v1/audit/verify",
        "get",
        op("verifyAudit", "audit", "Verify the hash chain; reports the first broken link", AUDIT).ok(
            200,
            "The verdict",
            Some(json_content(r("Verification"))),
        ),
    );
    p.add(
        "/v1/audit/events",
        "get",
        op("auditEvents", "audit", "Audit events after a sequence number", AUDIT)
            .query("after", "Sequence number to start after (default 0)", json!({ "type": "integer", "minimum": 0 }))
            .query("limit", "Most events (default 100)", json!({ "type": "integer", "minimum": 1, "maximum": 1000 }))
            .ok(200, "Events, oldest first", Some(json_content(r("AuditEvents"))))
            .errors(&[400, 422]),
    );
    p.add(
        "/v1/audit/purge",
        "delete",
        op("purgeAudit", "audit", "Refused: the audit log is append-only", AUDIT).errors(&[405]),
    );
    let admin_obj = |d: &str| Some(json_content(open_object(d)));
    let justification = json!({ "type": "object", "additionalProperties": false, "properties": { "override_justification": { "type": "string", "minLength": 20,
        "description": "Needed to put in service a skills-matcher whose bias probe failed (or never ran with the current settings); audited" } } });
    p.add(
        "/v1/admin/plugins",
        "get",
        op("listPlugins", "admin", "Plugins with digest, signature, capabilities and transparency facts", ADMIN).ok(
            200,
            "Plugins",
            admin_obj("plugins"),
        ),
    );
    p.add("/v1/admin/plugins", "post", op("installPlugin", "admin", "Upload and install a bundle (.zip body)", ADMIN)
        .body(json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary", "description": "The bundle (.zip); any content type is accepted" } } }))
        .ok(201, "Installed", admin_obj("The installed plugin")).errors(&[409, 413, 415, 422]));
    p.add(
        "/v1/admin/plugins/{spec}",
        "get",
        op("inspectPlugin", "admin", "Inspect a plugin", ADMIN)
            .ok(200, "The plugin", admin_obj("plugin"))
            .errors(&[404, 422]),
    );
    p.add(
        "/v1/admin/plugins/{spec}/enable",
        "post",
        op("enablePlugin", "admin", "Enable a plugin", ADMIN)
            .ok(200, "Enabled", admin_obj("plugin"))
            .errors(&[404, 422]),
    );
    p.add(
        "/v1/admin/plugins/{spec}/disable",
        "post",
        op("disablePlugin", "admin", "Disable a plugin (not while active)", ADMIN)
            .ok(200, "Disabled", admin_obj("plugin"))
            .errors(&[404, 409, 422]),
    );
    p.add(
        "/v1/admin/slots",
        "get",
        op("listSlots", "admin", "Slots: active plugin, previous, pin, stop switch, failure policy", ADMIN).ok(
            200,
            "Slots",
            admin_obj("slots"),
        ),
    );
    p.add(
        "/v1/admin/slots/{slot}/active",
        "put",
        op(
            "activatePlugin",
            "admin",
            "Put a plugin in service in a slot (hot swap, no restart); a matcher must pass the bias probe",
            ADMIN,
        )
        .body(json_content(
            json!({ "type": "object", "required": ["plugin"], "additionalProperties": false, "properties": {
            "plugin": { "type": "string", "example": "vivier-matcher-lexical@0.1.0" },
            "override_justification": justification["properties"]["override_justification"] } }),
        ))
        .ok(200, "Activated", admin_obj("slot"))
        .errors(&[404, 409, 413, 415, 422]),
    );
    p.add(
        "/v1/admin/slots/{slot}/rollback",
        "post",
        op("rollbackSlot", "admin", "Put the previous plugin back in service", ADMIN)
            .optional_body(json_content(justification))
            .ok(200, "Rolled back", admin_obj("slot"))
            .errors(&[404, 409, 415, 422]),
    );
    for (action, id, what) in [
        ("pin", "pinSlot", "Pin the slot's plugin version"),
        ("unpin", "unpinSlot", "Unpin"),
        ("stop", "stopSlot", "Stop switch: refuse every call of the slot, calls in flight included"),
        ("start", "startSlot", "Restart a stopped slot"),
    ] {
        p.add(
            &format!("/v1/admin/slots/{{slot}}/{action}"),
            "post",
            op(id, "admin", what, ADMIN).ok(200, "Done", admin_obj("slot")).errors(&[404]),
        );
    }
    p.add("/v1/admin/slots/{slot}/policy", "put", op("setFailurePolicy", "admin", "Failure policy: fail-closed (default) or retry-once on the same plugin", ADMIN)
        .body(json_content(json!({ "type": "object", "required": ["failure_policy"], "additionalProperties": false, "properties": { "failure_policy": { "type": "string", "enum": ["fail-closed", "retry-once"] } } })))
        .ok(200, "Set", admin_obj("slot")).errors(&[404, 413, 415, 422]));
    p.add("/v1/admin/slots/{slot}/shadow", "post", op("attachShadow", "admin", "Attach a plugin in shadow (skills-matcher): same inputs after the answer, results never returned", ADMIN)
        .body(json_content(json!({ "type": "object", "required": ["plugin"], "additionalProperties": false, "properties": { "plugin": { "type": "string", "example": "vivier-matcher-semantic" } } })))
        .ok(200, "Attached", admin_obj("shadow")).errors(&[404, 409, 413, 415, 422]));
    p.add(
        "/v1/admin/slots/{slot}/shadow",
        "delete",
        op("detachShadow", "admin", "Detach the slot's shadow plugin", ADMIN).ok(204, "Detached", None).errors(&[404]),
    );
    p.add(
        "/v1/admin/slots/{slot}/shadow/report",
        "get",
        op(
            "shadowReport",
            "admin",
            "Shadow versus active: Kendall tau, top-3 overlap, errors, CPU time, bias probes",
            ADMIN,
        )
        .ok(200, "Comparison", admin_obj("report"))
        .errors(&[404, 422]),
    );
    p.add(
        "/v1/admin/keys",
        "get",
        op("listKeys", "admin", "API keys (never the keys themselves)", ADMIN).ok(200, "Keys", admin_obj("keys")),
    );
    p.add("/v1/admin/keys", "post", op("createKey", "admin", "Create an API key (shown once)", ADMIN)
        .body(json_content(json!({ "type": "object", "required": ["role"], "additionalProperties": false, "properties": { "role": { "type": "string", "enum": ["sirh", "admin", "auditor"] }, "label": string() } })))
        .ok(201, "The key, shown once", admin_obj("key")).errors(&[413, 415, 422]));
    p.add(
        "/v1/admin/keys/{id}",
        "delete",
        op("revokeKey", "admin", "Revoke a key", ADMIN).ok(204, "Revoked", None).errors(&[404]),
    );
    p.add(
        "/v1/admin/retention/run",
        "post",
        op("runRetention", "admin", "Run the retention job now (candidate purge, audit purge with checkpoint)", ADMIN)
            .ok(200, "What was purged", admin_obj("counts")),
    );
}

/// The answers' schemas declared here (requests and the shared data model are derived).
fn answer_schemas() -> Value {
    let plugin_ref = object(json!({ "id": string(), "version": string(), "digest": string(),
        "world": { "type": "string", "enum": ["cv-parser", "skills-matcher", "posting-drafter", "posting-drafter-http"] } }));
    let decision = object(json!({
        "decision_id": string(), "candidate_id": string(), "posting_id": nullable_string(),
        "decision": { "type": "string", "enum": crate::server::routes::decisions::DECISIONS },
        "recruiter_id": string(), "rationale": nullable_string(), "trace_ids": array(string()),
        "decided_at": date_time(), "recorded_at": date_time(), "supersedes": nullable_string() }));
    let candidate_summary = object(json!({ "candidate_id": string(), "external_id": nullable_string(),
        "created_at": date_time(), "last_contact_at": date_time(), "outcome": { "type": "string", "nullable": true, "description": "hired, unsuccessful, or null while undecided" } }));
    let suggestion = json!({ "type": "object", "required": ["kind", "type", "trace_id", "at", "plugin"], "properties": {
        "kind": { "type": "string", "enum": ["ai_suggestion"] }, "type": { "type": "string", "enum": ["parse", "ranking"] },
        "trace_id": string(), "at": date_time(), "plugin": object(json!({ "id": string(), "version": string(), "digest": string() })),
        "posting_id": string(), "rank": { "type": "integer" }, "out_of": { "type": "integer" }, "score": { "type": "number" },
        "requirements": array(r("RequirementAssessment")), "summary": string() } });
    let mut human_decision = decision.clone();
    human_decision["properties"]["kind"] = json!({ "type": "string", "enum": ["human_decision"] });
    human_decision["properties"]["at"] = date_time();
    let error_body = object(json!({
        "status": { "type": "integer" },
        "code": { "type": "string", "enum": ERROR_CODES },
        "message": string() }));
    let mut error_body = error_body;
    for (k, v) in [
        (
            "field",
            json!({ "type": "string", "description": "Path of the offending field, e.g. candidate_ids[2] or posting.required_skills" }),
        ),
        ("trace_id", string()),
        ("request_id", json!({ "type": "string", "description": "The request's X-Request-Id" })),
        ("details", open_object("Facts for the caller, e.g. the existing candidate_id of external_id_exists")),
    ] {
        error_body["properties"][k] = v;
    }
    json!({
        "Error": object(json!({ "error": error_body })),
        "PluginRef": plugin_ref,
        "CallFacts": object(json!({ "wall_us": { "type": "integer" }, "cpu_us": { "type": "integer" }, "peak_memory_bytes": { "type": "integer" },
            "input_digest": string(), "output_digest": string() })),
        "ParseResult": object(json!({
            "candidate_id": string(), "external_id": nullable_string(), "trace_id": string(),
            "identity": r("Identity"), "profile": r("Profile"), "warnings": array(r("Warning")),
            "gaps": array(r("Gap")), "irregularities": array(r("Irregularity")), "plugin": r("PluginRef"), "call": r("CallFacts") })),
        "RankedCandidate": { "type": "object", "required": ["rank", "label", "score", "requirements", "summary", "interview_questions"], "properties": {
            "candidate_id": { "type": "string", "description": "A stored candidate" }, "ref": { "type": "string", "description": "An inline profile's ref" },
            "rank": { "type": "integer" }, "label": { "type": "string", "enum": ["suggestion"] }, "score": { "type": "number" },
            "requirements": array(r("RequirementAssessment")), "summary": string(), "interview_questions": array(string()) } },
        "Sanitised": object(json!({ "candidate_id": string(), "requirement_id": string(), "reason": string() })),
        "RankingResult": object(json!({
            "trace_id": string(), "posting_id": string(), "suggestions_only": { "type": "boolean", "enum": [true] }, "notice": string(),
            "plugin": r("PluginRef"), "candidates": array(r("RankedCandidate")), "sanitised": array(open_object("What the host corrected in the matcher's answer")) })),
        "Draft": object(json!({ "title": string(), "markdown": string(), "warnings": array(r("DraftWarning")),
            "generated_by": r("GeneratedBy"), "human_review_required": { "type": "boolean", "enum": [true] },
            "trace_id": string(), "plugin": r("PluginRef") })),
        "Job": object(json!({
            "job_id": string(), "kind": { "type": "string", "enum": ["cv-batch"] },
            "status": { "type": "string", "enum": ["running", "done", "interrupted"] },
            "total": { "type": "integer" }, "done": { "type": "integer" }, "created_at": date_time(),
            "finished_at": { "type": "string", "format": "date-time", "nullable": true },
            "items": array(object(json!({
                "position": { "type": "integer" }, "filename": string(), "external_id": nullable_string(),
                "status": { "type": "string", "enum": ["queued", "parsed", "existing", "failed", "not_processed"] },
                "candidate_id": nullable_string(), "trace_id": nullable_string(),
                "error": { "type": "object", "nullable": true, "required": ["code", "message"], "properties": { "code": string(), "message": string() } } }))) })),
        "LintResult": object(json!({ "title": string(), "warnings": array(r("DraftWarning")), "violations": { "type": "integer" } })),
        "Decision": decision,
        "DecisionRecorded": object(json!({ "decision": r("Decision"), "recorded_by": string() })),
        "DecisionPage": object(json!({ "items": array(r("Decision")), "next_after": nullable_string() })),
        "CandidateSummary": candidate_summary,
        "CandidatePage": object(json!({ "items": array(r("CandidateSummary")), "next_after": nullable_string() })),
        "AiSuggestion": suggestion,
        "HumanDecision": human_decision,
        "CandidateFile": {
            "allOf": [r("CandidateSummary"), object(json!({
                "identity": r("Identity"), "profile": r("Profile"), "warnings": array(r("Warning")), "gaps": array(r("Gap")),
                "ai_suggestions": array(r("AiSuggestion")), "human_decisions": array(r("HumanDecision")),
                "timeline": array(open_object("An ai_suggestion or a human_decision, in time order")) })),
                { "type": "object", "properties": { "monitoring": r("MonitoringStored") }, "description": "`monitoring`: present when the SIRH declared it" }]
        },
        "MonitoringStored": object(json!({ "gender": nullable_string(), "age_band": nullable_string(), "updated_at": date_time() })),
        "Explanation": {
            "type": "object", "description": "In French, for the candidate: the four elements of CRPA R311-3-1-2 and the AI Act art. 86 elements",
            "required": ["candidate_id", "posting", "generated_at", "classement_explique", "langue", "crpa_r311_3_1_2", "ai_act_article_86", "vos_droits"],
            "properties": {
                "candidate_id": string(), "posting": object(json!({ "id": string(), "title": string() })), "generated_at": date_time(),
                "classement_explique": object(json!({ "trace_id": string(), "date": date_time(), "pourquoi_ce_classement": string() })),
                "langue": { "type": "string", "enum": ["fr"] },
                "crpa_r311_3_1_2": open_object("1 degree and mode of contribution, 2 data and sources, 3 parameters and weights (criteres), 4 operations"),
                "ai_act_article_86": open_object("Role of the AI system and the main elements of the decision"),
                "vos_droits": string() } },
        "Health": object(json!({ "status": string(), "version": string(), "slots": open_object("slot → ready, stopped or unavailable") })),
        "AuditEvents": object(json!({ "events": array(object(json!({ "seq": { "type": "integer" }, "at": date_time(),
            "at_ms": { "type": "integer", "description": "The time as hashed in the chain (ms since the epoch)" },
            "kind": string(), "actor": string(), "payload": open_object("Opaque ids, digests and bounded values only"), "prev_hash": string(), "hash": string() }))) })),
        "Report": { "type": "object", "required": ["kind", "markdown", "data"], "properties": {
            "kind": string(), "generated_at": date_time(),
            "markdown": { "type": "string", "description": "The document in French Markdown" },
            "data": open_object("The figures and facts the document is built from") } },
        "Verification": { "type": "object", "required": ["valid"], "properties": {
            "valid": { "type": "boolean" }, "rows": { "type": "integer" }, "first_seq": { "type": "integer", "nullable": true }, "last_seq": { "type": "integer", "nullable": true },
            "head_hash": nullable_string(), "checkpoint": { "type": "object", "nullable": true, "additionalProperties": true },
            "first_broken": { "type": "object", "nullable": true, "properties": { "seq": { "type": "integer" }, "reason": string() } } } },
        "Register": { "type": "object", "required": ["title", "principle", "mention_explicite", "processings"], "properties": {
            "title": string(), "principle": string(),
            "mention_explicite": { "type": "string", "description": "Sentence for decision letters (CRPA R311-3-1-1)" },
            "processings": array(open_object("One processing: slot, name, purpose, status, main parameters, active module")) } }
    })
}

pub fn document() -> Value {
    let mut gen = SchemaSettings::openapi3().into_generator();
    let mut paths = Paths(Map::new());
    sirh_paths(&mut paths, &mut gen);
    other_paths(&mut paths);
    // The shared data model, derived from the types, then the answers declared here.
    for s in [
        derived::<crate::model::Identity>(&mut gen),
        derived::<crate::model::Warning>(&mut gen),
        derived::<crate::model::DraftWarning>(&mut gen),
        derived::<crate::model::RequirementAssessment>(&mut gen),
        derived::<crate::timeline::Gap>(&mut gen),
        derived::<crate::timeline::Irregularity>(&mut gen),
        derived::<crate::drafting::GeneratedBy>(&mut gen),
    ] {
        debug_assert!(s.get("$ref").is_some(), "{s}");
    }
    let mut schemas: Map<String, Value> = gen.take_definitions(true).into_iter().collect::<Map<String, Value>>();
    if let Value::Object(answers) = answer_schemas() {
        schemas.extend(answers);
    }
    let mut responses = Map::new();
    for (code, what) in [
        (400, "Malformed request (e.g. invalid JSON, missing query parameter)"),
        (401, "Missing, unknown or revoked API key"),
        (403, "The key's role cannot use this route"),
        (404, "No such resource"),
        (405, "This route does not accept this method"),
        (408, "The request body did not arrive within `body_timeout_ms` (`request_timeout`)"),
        (409, "Conflict with the current state: an external id already taken (`external_id_exists`, `details.candidate_id`), a decision contradicting a final one (`decision_conflict`), a request with this Idempotency-Key still running, a pinned slot or an active plugin"),
        (413, "Body, document or candidate list too large"),
        (415, "Unsupported content type or document type"),
        (422, "A field is invalid; `field` gives its path"),
        (429, "This key's quota for the minute is spent (`rate_limited`); see `Retry-After`"),
        (502, "The plugin failed (fail-closed: no fallback to another plugin)"),
        (503, "Slot stopped or unavailable, the audit log could not be written, or `overloaded` (at capacity; see the `Retry-After` header)"),
        (504, "The plugin exceeded its time limit"),
    ] {
        let mut response = json!({ "description": what, "content": { "application/json": { "schema": r("Error") } },
            "headers": { "X-Request-Id": { "$ref": "#/components/headers/X-Request-Id" } } });
        if matches!(code, 409 | 429 | 503) {
            response["headers"]["Retry-After"] = json!({ "$ref": "#/components/headers/Retry-After" });
        }
        responses.insert(format!("E{code}"), response);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Vivier SIRH API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "AI help for public-sector recruitment, as suggestions for a human who decides. Every plugin call is audited; matchers never see identity data. Times are RFC 3339 UTC. Send `X-Request-Id` (1 to 128 of A-Z a-z 0-9 . _ : -) and a W3C `traceparent` to find a request in the audit log. Versioning and deprecation policy: docs/api.md."
        },
        "servers": [{ "url": "/", "description": "The server that serves this document" }],
        "security": [{ "bearer": [] }],
        "tags": [
            { "name": "sirh", "description": "For the HR software (role sirh)" },
            { "name": "admin", "description": "Plugin and key administration (role admin)" },
            { "name": "audit", "description": "Audit log and the deployer's documents (roles admin, auditor)" },
            { "name": "public", "description": "No key needed" },
            { "name": "operations", "description": "Health and metrics" }
        ],
        "paths": paths.0,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "API key from `vivier keys create --role ROLE`" } },
            "parameters": {
                "Idempotency-Key": { "name": "Idempotency-Key", "in": "header", "required": false,
                    "description": "1 to 255 printable ASCII characters. The same key with the same request within 24 hours gets the first answer again (header Idempotent-Replayed: true), never a second resource; with another request, 422.",
                    "schema": { "type": "string", "maxLength": 255 } }
            },
            "headers": {
                "X-Request-Id": { "description": "The client's request id, or one made by the server; also in the audit rows of the request", "schema": string() },
                "Retry-After": { "description": "Seconds to wait before retrying", "schema": { "type": "integer" } },
                "RateLimit": { "description": "IETF RateLimit header: \"per-key\";r=REMAINING;t=SECONDS_TO_RESET", "schema": string() },
                "RateLimit-Policy": { "description": "IETF RateLimit-Policy header: \"per-key\";q=QUOTA;w=60", "schema": string() }
            },
            "responses": responses,
            "schemas": schemas
        }
    })
}

/// The docs page: every operation of the document, grouped by tag.
pub fn html() -> String {
    let doc = document();
    let mut rows = String::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "put", "delete"] {
            let Some(o) = item.get(method) else { continue };
            let roles = o["x-roles"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            let codes =
                o["responses"].as_object().map(|r| r.keys().cloned().collect::<Vec<_>>().join(" ")).unwrap_or_default();
            rows.push_str(&format!(
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                method.to_uppercase(),
                escape(path),
                escape(o["summary"].as_str().unwrap_or("")),
                if roles.is_empty() { "none".into() } else { escape(&roles) },
                escape(&codes)
            ));
        }
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vivier API</title>\
         <style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}td,th{{border-bottom:1px solid #ccc;padding:.3em .6em;text-align:left}}</style></head>\
         <body><h1>Vivier SIRH API {v}</h1><p>{d}</p><p>Authenticate with <code>Authorization: Bearer KEY</code> \
         (keys from <code>vivier keys create --role sirh|admin|auditor</code>). Errors are JSON <code>{{\"error\": {{status, code, message, field}}}}</code>. \
         Machine-readable contract: <a href=\"/openapi.json\">/openapi.json</a>.</p>\
         <table><tr><th>Method</th><th>Path</th><th>What</th><th>Roles</th><th>Statuses</th></tr>{rows}</table></body></html>",
        v = escape(doc["info"]["version"].as_str().unwrap_or("")),
        d = escape(doc["info"]["description"].as_str().unwrap_or("")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decision_enum_is_the_one_the_server_checks() {
        let doc = document();
        let listed = &doc["components"]["schemas"]["DecisionRequest"]["properties"]["decision"]["enum"];
        assert_eq!(listed, &json!(crate::server::routes::decisions::DECISIONS));
    }

    #[test]
    fn every_operation_has_a_unique_id_and_every_templated_path_declares_its_parameters() {
        let doc = document();
        let mut ids = std::collections::HashSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            let declared: Vec<&str> =
                item["parameters"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
            for name in path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
                assert!(declared.contains(&name), "{path}: {name} undeclared");
            }
            for (method, o) in item.as_object().unwrap().iter().filter(|(k, _)| *k != "parameters") {
                let id = o["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
                assert!(ids.insert(id.to_owned()), "{id} twice");
            }
        }
    }
}
