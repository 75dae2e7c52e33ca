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

-- The reports also read `bias_probes` and `eval_runs`, created by 0002_oversight.sql, which
-- always runs first.
