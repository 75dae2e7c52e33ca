-- The SIRH contract (portable SQL, as 0001): the SIRH's own applicant id, the key that created a
-- candidate, a decision's own date and the decision it supersedes, and stored answers of
-- requests sent with an `Idempotency-Key`.
ALTER TABLE candidates ADD COLUMN external_id TEXT;
ALTER TABLE candidates ADD COLUMN owner_key TEXT;
CREATE UNIQUE INDEX candidates_by_external_id ON candidates (owner_key, external_id);
CREATE INDEX candidates_by_owner ON candidates (owner_key, created_at, id);

ALTER TABLE decisions ADD COLUMN decided_at BIGINT;
ALTER TABLE decisions ADD COLUMN supersedes TEXT;
UPDATE decisions SET decided_at = created_at WHERE decided_at IS NULL;
CREATE INDEX decisions_by_key ON decisions (key_id, created_at, id);

-- One row per (API key, Idempotency-Key): the request's digest, then the answer once it is
-- complete (status NULL while the first request runs). Kept 24 hours; an answer that names a
-- candidate is deleted with the candidate's data.
CREATE TABLE idempotency_keys (
    key_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_digest TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    response_body TEXT,
    candidate_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (key_id, idem_key)
);
CREATE INDEX idempotency_by_time ON idempotency_keys (created_at);
CREATE INDEX idempotency_by_candidate ON idempotency_keys (candidate_id);
