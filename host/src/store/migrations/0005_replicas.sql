-- Stateless replicas: everything a replica needs to serve lives in the database, including the
-- bytes of installed plugin bundles. Portable SQL, as 0001.

-- Content-addressed blobs: the key is the sha256 (hex) of the bytes, stored as base64 text so
-- that both backends hold them the same way. A blob is written once and never changed.
CREATE TABLE IF NOT EXISTS blobs (
    digest TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    data_b64 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Installed plugin bundles (id@version), each file of the bundle a blob. Every replica
-- materialises these into its local plugin store before it loads them; compiled components
-- stay in each replica's local cache.
CREATE TABLE IF NOT EXISTS installed_plugins (
    plugin_ref TEXT PRIMARY KEY,
    plugin_id TEXT NOT NULL,
    version TEXT NOT NULL,
    component_digest TEXT NOT NULL,
    manifest_blob TEXT NOT NULL,
    component_file TEXT NOT NULL,
    component_blob TEXT NOT NULL,
    signature_blob TEXT,
    installed_at BIGINT NOT NULL
);
