"""One whole recruitment through a client generated from /openapi.json by openapi-python-client,
used as an integrator would, with no hand edit; every answer is also checked against the schema
the document declares for it. Run by tests/openapi.rs, which generates the client first.

Environment: VIVIER_CLIENT_MODULE (the generated package), VIVIER_URL, VIVIER_SIRH_KEY,
VIVIER_AUDITOR_KEY, VIVIER_SPEC (the document), VIVIER_DATA (the repository's tests/ folder).
"""

import base64
import importlib
import io
import json
import os
import sys
import time
import uuid

from openapi_schema_validator import OAS30Validator

client_pkg = os.environ["VIVIER_CLIENT_MODULE"]
spec = json.load(open(os.environ["VIVIER_SPEC"]))
data = os.environ["VIVIER_DATA"]


def load(name):
    return importlib.import_module(f"{client_pkg}.{name}")


types = load("types")
models = load("models")
sirh_api = {n: load(f"api.sirh.{n}") for n in [
    "parse_cv", "list_candidates", "rank_candidates", "draft_job_ad", "lint_job_ad",
    "record_decision", "list_decisions", "get_candidate", "explain_to_candidate", "erase_candidate",
    "create_cv_batch", "get_job",
]}
verify_audit = load("api.audit.verify_audit")
Client = load("client").AuthenticatedClient

base = os.environ["VIVIER_URL"].rstrip("/")
sirh = Client(base_url=base, token=os.environ["VIVIER_SIRH_KEY"], raise_on_unexpected_status=True)
auditor = Client(base_url=base, token=os.environ["VIVIER_AUDITOR_KEY"], raise_on_unexpected_status=True)
checked = []


def declared(path, method, status):
    """The schema the document declares for this answer (JSON), with the components to resolve refs."""
    response = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].split("/")[-1]]
    return {"components": spec["components"], "allOf": [response["content"]["application/json"]["schema"]]}


def call(path, method, expected, fn, **kwargs):
    """Calls a generated function; the answer must have the expected status, parse into the
    generated model and match its declared schema."""
    r = fn.sync_detailed(**kwargs)
    if r.status_code != expected:
        sys.exit(f"{method.upper()} {path}: {r.status_code} instead of {expected}: {r.content[:400]!r}")
    if r.content:
        body = json.loads(r.content)
        OAS30Validator(declared(path, method, expected)).validate(body)
        checked.append(f"{method.upper()} {path} {expected}")
    return r


def cv_file(name):
    with open(os.path.join(data, "data", "cv", name), "rb") as f:
        payload = f.read()
    return types.File(payload=io.BytesIO(payload), file_name=name, mime_type="text/plain")


# 1. Parse two CVs (multipart with the SIRH's applicant id, retried with the same key) and one as JSON.
ids = []
for i, name in enumerate(["fr-redactrice-territoriale.txt", "en-nurse.txt"]):
    key = str(uuid.uuid4())
    for attempt in range(2):
        body = models.ParseCvFilesBody(file=cv_file(name), external_id=f"APP-{i + 1}")
        r = call("/v1/cv/parse", "post", 201, sirh_api["parse_cv"], client=sirh, body=body, idempotency_key=key)
        assert isinstance(r.parsed, models.ParseResult), r.parsed
        if attempt == 0:
            ids.append(r.parsed.candidate_id)
        else:
            assert r.parsed.candidate_id == ids[-1], "a retry made a second candidate"
            assert r.headers.get("idempotent-replayed") == "true"

with open(os.path.join(data, "data", "cv", "fr-alternance.txt"), "rb") as f:
    doc = models.JsonDocument(filename="cv.txt", content_base64=base64.b64encode(f.read()).decode())
r = call("/v1/cv/parse", "post", 201, sirh_api["parse_cv"], client=sirh, body=doc)
ids.append(r.parsed.candidate_id)

# A lost candidate id is found again by the SIRH's own id.
r = call("/v1/candidates", "get", 200, sirh_api["list_candidates"], client=sirh, external_id="APP-2")
assert [c.candidate_id for c in r.parsed.items] == [ids[1]], r.parsed
r = call("/v1/candidates", "get", 200, sirh_api["list_candidates"], client=sirh, limit=2)
assert len(r.parsed.items) == 2 and isinstance(r.parsed.next_after, str)

# A campaign: two more CVs in one batch, polled until done; APP-2 is known already.
batch = models.CreateCvBatchBody(
    file=[cv_file("en-nurse.txt"), cv_file("fr-colonnes.txt")],
    external_ids=json.dumps({"en-nurse.txt": "APP-2", "fr-colonnes.txt": "APP-4"}))
r = call("/v1/cv/batches", "post", 202, sirh_api["create_cv_batch"], client=sirh, body=batch)
job_id = r.parsed.job_id
for _ in range(600):
    r = call("/v1/jobs/{id}", "get", 200, sirh_api["get_job"], client=sirh, id=job_id)
    if r.parsed.status == models.JobStatus.DONE:
        break
    time.sleep(0.2)
assert [i.status for i in r.parsed.items] == [models.JobItemsItemStatus.EXISTING, models.JobItemsItemStatus.PARSED], r.parsed
assert r.parsed.items[0].candidate_id == ids[1]

# 2. Rank them for the recruiter's posting.
with open(os.path.join(data, "fixtures", "conformance", "job-posting.json")) as f:
    posting = models.JobPosting.from_dict(json.load(f))
request = models.RankingRequest(posting=posting, candidate_ids=ids)
r = call("/v1/rankings", "post", 200, sirh_api["rank_candidates"], client=sirh, body=request)
ranking = r.parsed
assert ranking.suggestions_only is True and len(ranking.candidates) == 3
last = ranking.candidates[-1].candidate_id

# 3. Draft the ad and lint it.
with open(os.path.join(data, "fixtures", "conformance", "draft-request.json")) as f:
    draft_request = models.DraftRequest.from_dict(json.load(f))
r = call("/v1/postings/draft", "post", 200, sirh_api["draft_job_ad"], client=sirh, body=draft_request)
assert r.parsed.human_review_required is True and r.parsed.markdown
r = call("/v1/postings/lint", "post", 200, sirh_api["lint_job_ad"], client=sirh,
         body=models.LintBody(markdown=r.parsed.markdown, title=r.parsed.title))
assert isinstance(r.parsed, models.LintResult)

# 4. The recruiter decides, having seen the ranking; a retry records it once.
decision = models.DecisionRequest(
    candidate_id=last, decision=models.DecisionRequestDecision.REJECTED, recruiter_id="agent-017",
    rationale="Expérience en paie insuffisante pour ce poste.", trace_ids=[ranking.trace_id])
key = str(uuid.uuid4())
first = call("/v1/decisions", "post", 201, sirh_api["record_decision"], client=sirh, body=decision, idempotency_key=key)
again = call("/v1/decisions", "post", 201, sirh_api["record_decision"], client=sirh, body=decision, idempotency_key=key)
assert again.parsed.decision.decision_id == first.parsed.decision.decision_id
r = call("/v1/decisions", "get", 200, sirh_api["list_decisions"], client=sirh, candidate_id=last)
assert len(r.parsed.items) == 1

# 5. The candidate's file and explanation.
r = call("/v1/candidates/{id}", "get", 200, sirh_api["get_candidate"], client=sirh, id=last)
assert len(r.parsed.human_decisions) == 1
r = call("/v1/candidates/{id}/explanation", "get", 200, sirh_api["explain_to_candidate"], client=sirh, id=last,
         posting="conformance-posting")
assert r.parsed.classement_explique.trace_id == ranking.trace_id

# 6. Erasure, twice: the same answer.
for _ in range(2):
    r = sirh_api["erase_candidate"].sync_detailed(client=sirh, id=ids[0])
    assert r.status_code == 204, r.status_code

# An error answer matches the declared Error schema too.
r = sirh_api["get_candidate"].sync_detailed(client=sirh, id=ids[0])
assert r.status_code == 404 and isinstance(r.parsed, models.Error), r
OAS30Validator(declared("/v1/candidates/{id}", "get", 404)).validate(json.loads(r.content))

r = call("/v1/audit/verify", "get", 200, verify_audit, client=auditor)
assert r.parsed.valid is True

print(json.dumps({"checked": checked}, indent=1))
print("recruitment done")
