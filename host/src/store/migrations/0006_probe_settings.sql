-- A bias-probe verdict holds for a component digest *and* the administrator's settings it ran
-- with (grants: configuration, models, network): a new setting needs a new probe. Empty for
-- verdicts of plugins without grants, which stay valid. Portable SQL, as 0001.
ALTER TABLE bias_probes ADD COLUMN settings_digest TEXT NOT NULL DEFAULT '';
