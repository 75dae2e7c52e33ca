//! The OpenAPI 3 contract of the API, served at `/openapi.json`, and its human-readable page at
//! `/docs` rendered from the same document.

use super::routes::explanation::escape;
use serde_json::{json, Value};

fn op(tag: &str, summary: &str, roles: &[&str], body: Option<Value>, ok: (&str, Value), errors: &[u16]) -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert(
        ok.0.into(),
        json!({ "description": "Success", "content": { "application/json": { "schema": ok.1 } } }),
    );
    for code in errors {
        responses.insert(code.to_string(), json!({ "$ref": format!("#/components/responses/E{code}") }));
    }
    let mut o = json!({ "tags": [tag], "summary": summary, "responses": responses, "x-roles": roles });
    if roles.is_empty() {
        o["security"] = json!([]);
    }
    if let Some(b) = body {
        o["requestBody"] = json!({ "required": true, "content": b });
    }
    o
}

fn json_body(schema: Value) -> Option<Value> {
    Some(json!({ "application/json": { "schema": schema } }))
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn obj() -> Value {
    json!({ "type": "object" })
}

fn slot_param() -> Value {
    json!([{ "name": "slot", "in": "path", "required": true, "schema": { "type": "string", "enum": ["cv-parser", "skills-matcher", "posting-drafter"] } }])
}

pub fn document() -> Value {
    let sirh = &["sirh"][..];
    let admin = &["admin"][..];
    let audit = &["admin", "auditor"][..];
    let paths = json!({
        "/healthz": { "get": op("operations", "Liveness and slot status", &[], None, ("200", obj()), &[]) },
        "/register": { "get": op("public", "Public algorithm register (HTML, French)", &[], None, ("200", json!({"type":"string"})), &[]) },
        "/register.json": { "get": op("public", "Public algorithm register (JSON)", &[], None, ("200", obj()), &[]) },
        "/registre": { "get": op("public", "Public algorithm register, the console's page (HTML, French; CRPA L312-1-3)", &[], None, ("200", json!({"type":"string"})), &[]) },
        "/v1/reports/register": {
            "parameters": [{ "name": "format", "in": "query", "required": false, "schema": { "type": "string", "enum": ["json", "markdown"] } }],
            "get": op("public", "Algorithm register generated from the installed and active plugins (CRPA L312-1-3), with the mention explicite for decision letters (R311-3-1-1); JSON, or Markdown with format=markdown", &[], None, ("200", r("Register")), &[422])
        },
        "/metrics": { "get": op("operations", "Prometheus metrics: calls, errors, latency, CPU per plugin", audit, None, ("200", json!({"type":"string"})), &[401, 403]) },
        "/v1/cv/parse": { "post": op("sirh", "Parse a CV; identity and profile are stored apart under a new candidate id", sirh,
            Some(json!({
                "multipart/form-data": { "schema": { "type": "object", "required": ["file"], "properties": { "file": { "type": "string", "format": "binary" } } } },
                "application/json": { "schema": r("DocumentUpload") }
            })), ("201", r("ParseResult")), &[400, 401, 403, 413, 415, 422, 502, 503, 504]) },
        "/v1/rankings": { "post": op("sirh", "Rank candidates for a posting: every candidate returned, as suggestions", sirh,
            json_body(r("RankingRequest")), ("200", r("RankingResult")), &[400, 401, 403, 404, 413, 415, 422, 502, 503, 504]) },
        "/v1/postings/draft": { "post": op("sirh", "Draft a job ad (human review required)", sirh,
            json_body(r("DraftRequest")), ("200", obj()), &[400, 401, 403, 413, 415, 422, 502, 503]) },
        "/v1/postings/lint": { "post": op("sirh", "Check an ad for discriminatory criteria, missing mandatory mentions and leaked notes", sirh,
            json_body(obj()), ("200", obj()), &[400, 401, 403, 413, 415, 422]) },
        "/v1/decisions": { "post": op("sirh", "Record a recruiter's decision (Vivier never decides)", sirh,
            json_body(r("DecisionRequest")), ("201", obj()), &[400, 401, 403, 404, 415, 422]) },
        "/v1/candidates/{id}": {
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
            "get": op("sirh", "Candidate data and history: AI suggestions and human decisions side by side", sirh, None, ("200", obj()), &[401, 403, 404]),
            "delete": { "tags": ["sirh"], "summary": "Erase the candidate's data (the audit keeps a tombstone)", "x-roles": sirh,
                        "responses": { "204": { "description": "Erased" }, "401": {"$ref": "#/components/responses/E401"}, "403": {"$ref": "#/components/responses/E403"}, "404": {"$ref": "#/components/responses/E404"} } }
        },
        "/v1/candidates/{id}/explanation": {
            "parameters": [
                { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "posting", "in": "query", "required": true, "schema": { "type": "string" } },
                { "name": "format", "in": "query", "required": false, "schema": { "type": "string", "enum": ["json", "html"] } }
            ],
            "get": op("sirh", "Plain-French explanation (CRPA R311-3-1-2, AI Act art. 86); HTML with format=html or Accept: text/html", sirh, None, ("200", obj()), &[400, 401, 403, 404, 422])
        },
        "/v1/audit/verify": { "get": op("audit", "Verify the hash chain; reports the first broken link", audit, None, ("200", r("Verification")), &[401, 403]) },
        "/v1/audit/events": { "get": op("audit", "Audit events after a sequence number (query: after, limit)", audit, None, ("200", obj()), &[401, 403, 422]) },
        "/v1/admin/plugins": {
            "get": op("admin", "List plugins with digest, signature, capabilities and transparency facts", admin, None, ("200", obj()), &[401, 403]),
            "post": op("admin", "Upload and install a bundle (.zip body)", admin, Some(json!({ "application/zip": { "schema": { "type": "string", "format": "binary" } } })), ("201", obj()), &[401, 403, 409, 413, 422])
        },
        "/v1/admin/plugins/{spec}": { "get": op("admin", "Inspect a plugin (id or id@version)", admin, None, ("200", obj()), &[401, 403, 404, 422]) },
        "/v1/admin/plugins/{spec}/enable": { "post": op("admin", "Enable a plugin", admin, None, ("200", obj()), &[401, 403, 404]) },
        "/v1/admin/plugins/{spec}/disable": { "post": op("admin", "Disable a plugin (not while active)", admin, None, ("200", obj()), &[401, 403, 404, 409]) },
        "/v1/admin/slots": { "get": op("admin", "Slots: active plugin, previous, pin, stop switch, failure policy", admin, None, ("200", obj()), &[401, 403]) },
        "/v1/admin/slots/{slot}/active": { "parameters": slot_param(), "put": op("admin", "Activate a plugin in a slot (hot swap, no restart)", admin,
            json_body(json!({ "type": "object", "required": ["plugin"], "properties": { "plugin": { "type": "string", "example": "vivier-matcher-lexical@0.1.0" } } })), ("200", obj()), &[401, 403, 404, 409, 415, 422]) },
        "/v1/admin/slots/{slot}/rollback": { "parameters": slot_param(), "post": op("admin", "Roll back to the previous plugin", admin, None, ("200", obj()), &[401, 403, 404, 409]) },
        "/v1/admin/slots/{slot}/pin": { "parameters": slot_param(), "post": op("admin", "Pin the slot's plugin version", admin, None, ("200", obj()), &[401, 403, 404]) },
        "/v1/admin/slots/{slot}/unpin": { "parameters": slot_param(), "post": op("admin", "Unpin", admin, None, ("200", obj()), &[401, 403, 404]) },
        "/v1/admin/slots/{slot}/stop": { "parameters": slot_param(), "post": op("admin", "Stop switch: refuse every call of the slot", admin, None, ("200", obj()), &[401, 403, 404]) },
        "/v1/admin/slots/{slot}/start": { "parameters": slot_param(), "post": op("admin", "Restart a stopped slot", admin, None, ("200", obj()), &[401, 403, 404]) },
        "/v1/admin/slots/{slot}/policy": { "parameters": slot_param(), "put": op("admin", "Failure policy: fail-closed (default) or retry-once on the same plugin", admin,
            json_body(json!({ "type": "object", "required": ["failure_policy"], "properties": { "failure_policy": { "type": "string", "enum": ["fail-closed", "retry-once"] } } })), ("200", obj()), &[401, 403, 404, 415, 422]) },
        "/v1/admin/keys": {
            "get": op("admin", "List API keys (never the keys themselves)", admin, None, ("200", obj()), &[401, 403]),
            "post": op("admin", "Create an API key (shown once)", admin, json_body(json!({ "type": "object", "required": ["role"], "properties": { "role": { "type": "string", "enum": ["sirh", "admin", "auditor"] }, "label": { "type": "string" } } })), ("201", obj()), &[401, 403, 415, 422])
        },
        "/v1/admin/keys/{id}": { "delete": { "tags": ["admin"], "summary": "Revoke a key", "x-roles": admin, "responses": { "204": { "description": "Revoked" }, "404": {"$ref": "#/components/responses/E404"} } } },
        "/v1/admin/retention/run": { "post": op("admin", "Run the retention job now (candidate purge, audit purge with checkpoint)", admin, None, ("200", obj()), &[401, 403]) },
        "/v1/candidates/{id}/monitoring": {
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
            "put": op("sirh", "Optional gender and age band, for fairness monitoring only (stored apart, never sent to plugins, erased with the candidate)", sirh,
                json_body(r("Monitoring")), ("200", obj()), &[401, 403, 404, 415, 422]),
            "delete": { "tags": ["sirh"], "summary": "Withdraw the candidate's monitoring data", "x-roles": sirh,
                        "responses": { "204": { "description": "Withdrawn" }, "401": {"$ref": "#/components/responses/E401"}, "403": {"$ref": "#/components/responses/E403"}, "404": {"$ref": "#/components/responses/E404"} } }
        },
        "/v1/reports/{kind}": {
            "parameters": [
                { "name": "kind", "in": "path", "required": true, "schema": { "type": "string", "enum": ["notice", "technical-file", "dpia", "fria", "boussole", "sobriety", "fairness"] } },
                { "name": "plugin", "in": "query", "required": false, "description": "Plugin id or id@version (technical-file, boussole)", "schema": { "type": "string" } },
                { "name": "from", "in": "query", "required": false, "description": "First day YYYY-MM-DD, included (sobriety, fairness); default 365 days before `to`", "schema": { "type": "string", "format": "date" } },
                { "name": "to", "in": "query", "required": false, "description": "Last day YYYY-MM-DD, included; default today", "schema": { "type": "string", "format": "date" } },
                { "name": "watts_per_core", "in": "query", "required": false, "description": "Sobriety: watts drawn by a busy core (default 10)", "schema": { "type": "number" } },
                { "name": "top_k", "in": "query", "required": false, "description": "Fairness: the AI stage counts the first k of each ranking (default 5)", "schema": { "type": "integer" } },
                { "name": "format", "in": "query", "required": false, "description": "markdown: the French document as text/markdown (also with Accept: text/markdown)", "schema": { "type": "string", "enum": ["json", "markdown"] } }
            ],
            "get": op("audit", "The deployer's documents in French (notice, technical file, DPIA, FRIA, boussole, sobriety, fairness monitoring), as `vivier report KIND`", audit, None, ("200", r("Report")), &[401, 403, 404, 422])
        },
    });
    let mut paths = paths;
    // Oversight: the activation gate's justification, and shadow evaluation.
    paths["/v1/admin/slots/{slot}/active"]["put"]["requestBody"]["content"]["application/json"]["schema"]
        ["properties"]["override_justification"] = json!({ "type": "string", "minLength": 20,
            "description": "Needed to activate a skills-matcher whose bias probe failed; audited with the probe summary" });
    // A rollback to a matcher passes the same gate: an optional body with the justification.
    paths["/v1/admin/slots/{slot}/rollback"]["post"]["requestBody"] = json!({ "required": false,
        "content": { "application/json": { "schema": { "type": "object", "additionalProperties": false,
            "properties": { "override_justification": { "type": "string", "minLength": 20,
                "description": "Needed to roll back to a skills-matcher whose bias probe failed (or never ran with the current settings); audited" } } } } } });
    paths["/v1/admin/slots/{slot}/rollback"]["post"]["responses"]["422"] =
        json!({ "$ref": "#/components/responses/E422" });
    paths["/v1/admin/slots/{slot}/shadow"] = json!({ "parameters": slot_param(),
        "post": op("admin", "Attach a plugin in shadow (skills-matcher): same inputs after the answer, results never returned", admin,
            json_body(json!({ "type": "object", "required": ["plugin"], "properties": { "plugin": { "type": "string", "example": "vivier-matcher-semantic" } } })),
            ("200", obj()), &[401, 403, 404, 409, 415, 422]),
        "delete": { "tags": ["admin"], "summary": "Detach the slot's shadow plugin", "x-roles": admin,
            "responses": { "204": { "description": "Detached" }, "404": {"$ref": "#/components/responses/E404"} } } });
    paths["/v1/admin/slots/{slot}/shadow/report"] = json!({ "parameters": slot_param(),
        "get": op("admin", "Shadow versus active: Kendall tau, top-3 overlap, errors, CPU time, bias probes", admin, None, ("200", obj()), &[401, 403, 404, 422]) });
    let mut responses = serde_json::Map::new();
    for (code, what) in [
        (400, "Malformed request (e.g. invalid JSON, missing query parameter)"),
        (401, "Missing, unknown or revoked API key"),
        (403, "The key's role cannot use this route"),
        (404, "No such resource"),
        (409, "Conflict with the current state (pinned slot, version conflict, active plugin)"),
        (413, "Body, document or candidate list too large"),
        (415, "Unsupported content type or document type"),
        (422, "A field is invalid; `field` gives its path"),
        (502, "The plugin failed (fail-closed: no fallback to another plugin)"),
        (503, "Slot stopped or unavailable, the audit log could not be written, or `overloaded` (at capacity; see the `Retry-After` header)"),
        (504, "The plugin exceeded its time limit"),
    ] {
        responses.insert(
            format!("E{code}"),
            json!({ "description": what, "content": { "application/json": { "schema": r("Error") } } }),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Vivier SIRH API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "AI help for public-sector recruitment, as suggestions for a human who decides. Every plugin call is audited; matchers never see identity data."
        },
        "servers": [{ "url": "http://127.0.0.1:8080" }],
        "security": [{ "bearer": [] }],
        "tags": [
            { "name": "sirh", "description": "For the HR software (role sirh)" },
            { "name": "admin", "description": "Plugin and key administration (role admin)" },
            { "name": "audit", "description": "Audit log (roles admin, auditor)" },
            { "name": "public", "description": "No key needed" },
            { "name": "operations", "description": "Health and metrics" }
        ],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "API key from `vivier keys create --role ROLE`" } },
            "responses": responses,
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["status", "code", "message"], "properties": {
                    "status": { "type": "integer" }, "code": { "type": "string" }, "message": { "type": "string" },
                    "field": { "type": "string", "description": "Path of the offending field, e.g. candidate_ids[2] or posting.requirements[0].weight" },
                    "trace_id": { "type": "string" } } } } },
                "DocumentUpload": { "type": "object", "required": ["filename", "content_base64"], "properties": {
                    "filename": { "type": "string" }, "media_type": { "type": "string", "description": "Guessed from the file name when absent" },
                    "content_base64": { "type": "string", "format": "byte" } } },
                "ParseResult": { "type": "object", "properties": {
                    "candidate_id": { "type": "string" }, "trace_id": { "type": "string" }, "identity": obj(), "profile": obj(),
                    "warnings": { "type": "array", "items": obj() }, "gaps": { "type": "array", "items": obj() }, "plugin": r("PluginRef") } },
                "PluginRef": { "type": "object", "properties": { "id": {"type":"string"}, "version": {"type":"string"}, "digest": {"type":"string"}, "world": {"type":"string"} } },
                "Posting": { "type": "object", "required": ["id", "title", "requirements"], "properties": {
                    "id": {"type":"string"}, "title": {"type":"string"}, "description": {"type":"string"},
                    "requirements": { "type": "array", "items": { "type": "object", "required": ["id", "label", "kind", "weight", "mandatory"], "properties": {
                        "id": {"type":"string"}, "label": {"type":"string"}, "kind": { "type": "string", "enum": ["skill", "experience", "education", "language", "certification", "licence", "other"] },
                        "weight": {"type":"number"}, "mandatory": {"type":"boolean"}, "concept_id": {"type":"string"} } } } } },
                "RankingRequest": { "type": "object", "required": ["posting"], "properties": {
                    "posting": r("Posting"),
                    "candidate_ids": { "type": "array", "items": { "type": "string" }, "description": "Ids returned by /v1/cv/parse" },
                    "profiles": { "type": "array", "items": { "type": "object", "required": ["ref", "profile"], "properties": { "ref": { "type": "string" }, "profile": obj() } } } } },
                "RankingResult": { "type": "object", "properties": {
                    "trace_id": {"type":"string"}, "posting_id": {"type":"string"}, "suggestions_only": { "type": "boolean", "enum": [true] }, "notice": {"type":"string"},
                    "plugin": r("PluginRef"),
                    "candidates": { "type": "array", "items": { "type": "object", "properties": {
                        "candidate_id": {"type":"string"}, "ref": {"type":"string"}, "rank": {"type":"integer"}, "label": { "type": "string", "enum": ["suggestion"] },
                        "score": {"type":"number"}, "requirements": { "type": "array", "items": obj() }, "summary": {"type":"string"},
                        "interview_questions": { "type": "array", "items": {"type":"string"} } } } } } },
                "DraftRequest": { "type": "object", "required": ["job_title"], "properties": { "job_title": {"type":"string"}, "missions": { "type": "array", "items": {"type":"string"} }, "profile": { "type": "array", "items": {"type":"string"} } } },
                "DecisionRequest": { "type": "object", "required": ["candidate_id", "decision", "recruiter_id"], "properties": {
                    "candidate_id": {"type":"string"}, "posting_id": {"type":"string"},
                    "decision": { "type": "string", "enum": ["shortlisted", "interview", "rejected", "hired", "withdrawn"] },
                    "recruiter_id": {"type":"string"}, "rationale": { "type": "string", "description": "Required for a rejection" },
                    "trace_ids": { "type": "array", "items": {"type":"string"}, "description": "Trace ids of the AI outputs the recruiter saw" } } },
                "Monitoring": { "type": "object", "properties": {
                    "gender": { "type": "string", "enum": ["female", "male", "other", "undisclosed"] },
                    "age_band": { "type": "string", "enum": ["under_30", "30_44", "45_54", "55_plus"] } } },
                "Report": { "type": "object", "required": ["kind", "markdown", "data"], "properties": {
                    "kind": { "type": "string" }, "generated_at": { "type": "string" },
                    "markdown": { "type": "string", "description": "The document in French Markdown" },
                    "data": { "type": "object", "description": "The figures and facts the document is built from" } } },
                "Verification": { "type": "object", "required": ["valid"], "properties": {
                    "valid": {"type":"boolean"}, "rows": {"type":"integer"}, "first_seq": {"type":"integer"}, "last_seq": {"type":"integer"}, "head_hash": {"type":"string"},
                    "checkpoint": obj(), "first_broken": { "type": "object", "nullable": true, "properties": { "seq": {"type":"integer"}, "reason": {"type":"string"} } } } },
                "Register": { "type": "object", "required": ["title", "principle", "mention_explicite", "processings"], "properties": {
                    "title": {"type":"string"}, "principle": {"type":"string"},
                    "mention_explicite": { "type": "string", "description": "Sentence for decision letters (CRPA R311-3-1-1)" },
                    "processings": { "type": "array", "items": { "type": "object", "properties": {
                        "slot": {"type":"string"}, "name": {"type":"string"}, "purpose": {"type":"string"},
                        "status": { "type": "string", "enum": ["en service", "suspendu", "indisponible"] }, "in_service": {"type":"boolean"},
                        "main_parameters": { "type": "array", "items": {"type":"string"} },
                        "module": { "type": "object", "nullable": true, "description": "The active plugin: manifest identity, transparency sheet, models, outbound hosts, digest, signature" },
                        "installed_alternatives": { "type": "array", "items": {"type":"string"} } } } } } }
            }
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
