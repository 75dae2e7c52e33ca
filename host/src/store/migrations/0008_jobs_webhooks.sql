-- Campaigns and notifications (portable SQL, as 0001). A job is a batch of CVs parsed in the
-- background; each item is one file's result. File names are the caller's text: they stay here
-- (never in the audit log) and go with the job (7 days) or the candidate's erasure.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    key_id TEXT NOT NULL,
    status TEXT NOT NULL,
    total BIGINT NOT NULL,
    done BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_by_time ON jobs (created_at);

CREATE TABLE job_items (
    job_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    filename TEXT NOT NULL,
    external_id TEXT,
    status TEXT NOT NULL,
    candidate_id TEXT,
    trace_id TEXT,
    error_code TEXT,
    error_message TEXT,
    PRIMARY KEY (job_id, position)
);
CREATE INDEX job_items_by_candidate ON job_items (candidate_id);

-- Endpoints an administrator registered for signed notifications. The secret signs the bodies
-- (HMAC-SHA256); it is shown once at creation.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events_json TEXT NOT NULL,
    secret TEXT NOT NULL,
    key_id TEXT,
    created_at BIGINT NOT NULL
);

-- Each notification to each endpoint, with its attempts: the delivery log.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_status BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
