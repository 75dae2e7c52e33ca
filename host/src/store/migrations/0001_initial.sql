-- Portable SQL: runs on SQLite and PostgreSQL (no AUTOINCREMENT, no SQLite-only types).
-- Booleans are INTEGER 0/1; times are BIGINT milliseconds since the Unix epoch.

CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    label TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- The candidate record as Vivier sees it: an opaque id and its lifecycle, nothing personal.
CREATE TABLE IF NOT EXISTS candidates (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    last_contact_at BIGINT NOT NULL,
    outcome TEXT,
    erased_at BIGINT,
    erasure_reason TEXT
);

-- Identity is kept apart from the profile: matchers are only ever given profiles.
CREATE TABLE IF NOT EXISTS identities (
    candidate_id TEXT PRIMARY KEY,
    identity_json TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS profiles (
    candidate_id TEXT PRIMARY KEY,
    profile_json TEXT NOT NULL,
    warnings_json TEXT NOT NULL,
    timeline_json TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    document_digest TEXT NOT NULL
);

-- Every AI output (a suggestion), identified by its trace id.
CREATE TABLE IF NOT EXISTS suggestions (
    trace_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    plugin_id TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    plugin_digest TEXT NOT NULL,
    posting_id TEXT,
    key_id TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS assessments (
    trace_id TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    posting_id TEXT NOT NULL,
    rank_position INTEGER NOT NULL,
    candidate_count INTEGER NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    assessment_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (trace_id, candidate_id)
);
CREATE INDEX IF NOT EXISTS assessments_by_candidate ON assessments (candidate_id, posting_id, created_at);

CREATE TABLE IF NOT EXISTS postings (
    id TEXT PRIMARY KEY,
    posting_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Human decisions, recorded as the SIRH sends them; Vivier never writes one itself.
CREATE TABLE IF NOT EXISTS decisions (
    id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL,
    posting_id TEXT,
    decision TEXT NOT NULL,
    recruiter_id TEXT NOT NULL,
    rationale TEXT,
    trace_ids_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    key_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_candidate ON decisions (candidate_id, created_at);

-- Hash-chained, append-only. seq is assigned by the writer (max + 1); the primary key makes two
-- writers racing for the same seq fail instead of forking the chain.
CREATE TABLE IF NOT EXISTS audit_log (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (at_ms);

-- When old audit rows are purged, the hash of the last purged row is kept here so the chain
-- that remains still verifies from its first row.
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    purged_rows BIGINT NOT NULL
);

-- One row per slot (world): the active plugin and the administrator's switches.
CREATE TABLE IF NOT EXISTS slots (
    world TEXT PRIMARY KEY,
    active TEXT NOT NULL,
    previous TEXT,
    pinned INTEGER NOT NULL DEFAULT 0,
    stopped INTEGER NOT NULL DEFAULT 0,
    failure_policy TEXT NOT NULL DEFAULT 'fail-closed',
    updated_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS plugin_flags (
    plugin_ref TEXT PRIMARY KEY,
    enabled INTEGER NOT NULL,
    updated_at BIGINT NOT NULL
);
