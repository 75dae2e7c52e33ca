-- Fairness monitoring and the evidence the deployer's documents cite.
-- Portable SQL: runs on SQLite and PostgreSQL.

-- Gender and age band a SIRH may send for monitoring only: never required, kept apart from the
-- profile, never given to a plugin, erased with the candidate.
CREATE TABLE IF NOT EXISTS candidate_monitoring (
    candidate_id TEXT PRIMARY KEY,
    gender TEXT,
    age_band TEXT,
    updated_at BIGINT NOT NULL
);

-- Written by the bias probe and the evaluations (issue 8, part A); read by the reports. The same
-- definitions appear in that part's migration, hence IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS bias_probes (
    plugin_digest TEXT PRIMARY KEY,
    plugin_id TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    report_json TEXT NOT NULL,
    passed INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS eval_runs (
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
