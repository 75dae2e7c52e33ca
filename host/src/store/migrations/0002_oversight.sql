-- Oversight evidence: bias probe reports (one per plugin digest), recorded evaluation runs, and
-- shadow runs of a second plugin on a slot (results kept for the comparison report only, never
-- returned to a caller).

CREATE TABLE bias_probes (
    plugin_digest TEXT PRIMARY KEY,
    plugin_id TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    report_json TEXT NOT NULL,
    passed INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE eval_runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    plugin_id TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    plugin_digest TEXT NOT NULL,
    dataset TEXT NOT NULL,
    dataset_digest TEXT NOT NULL,
    metrics_json TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX eval_runs_plugin ON eval_runs (plugin_id, created_at);

-- The plugin attached in shadow to a slot (at most one per slot).
CREATE TABLE shadow_slots (
    world TEXT PRIMARY KEY,
    plugin_ref TEXT NOT NULL,
    plugin_digest TEXT NOT NULL,
    attached_by TEXT NOT NULL,
    attached_at BIGINT NOT NULL
);

-- One shadow run: the same input given to the active plugin and to the shadow one. Orders are
-- JSON arrays of the per-call opaque candidate ids, best first (no personal data).
CREATE TABLE shadow_runs (
    id TEXT PRIMARY KEY,
    world TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    active_ref TEXT NOT NULL,
    shadow_ref TEXT NOT NULL,
    active_order TEXT NOT NULL,
    shadow_order TEXT,
    shadow_error TEXT,
    active_cpu_us BIGINT NOT NULL,
    shadow_cpu_us BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX shadow_runs_world ON shadow_runs (world, shadow_ref, created_at);
