//! Installed plugin bundles in the database, so that every replica can serve every plugin:
//! manifest, component and signature are content-addressed blobs, and each replica writes them
//! into its local plugin store (`<data-dir>/plugins/<id>/<version>/`) when it lacks them.

use super::{now_ms, Conn, Pool, StoreError};
use crate::bundle::{Bundle, SIGNATURE_FILE};
use crate::manifest::MANIFEST_FILE;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Stores bytes under their sha256 and returns the digest; storing the same bytes twice is a no-op.
pub async fn put_blob(conn: &mut Conn, bytes: &[u8]) -> Result<String, StoreError> {
    let digest = hex::encode(Sha256::digest(bytes));
    sqlx::query(
        "INSERT INTO blobs (digest, size, data_b64, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING",
    )
    .bind(&digest)
    .bind(bytes.len() as i64)
    .bind(B64.encode(bytes))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(digest)
}

/// The bytes of a blob, checked against their digest.
pub async fn blob(pool: &Pool, digest: &str) -> Result<Vec<u8>, StoreError> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT data_b64 FROM blobs WHERE digest = $1").bind(digest).fetch_optional(pool).await?;
    let text = text.ok_or_else(|| StoreError::Corrupt(format!("blob {digest} is missing")))?;
    let bytes = B64.decode(text.as_bytes()).map_err(|e| StoreError::Corrupt(format!("blob {digest}: {e}")))?;
    if hex::encode(Sha256::digest(&bytes)) != digest {
        return Err(StoreError::Corrupt(format!("blob {digest} does not match its digest")));
    }
    Ok(bytes)
}

/// Records an installed bundle (its files as blobs). The same id@version again is a no-op: the
/// registry already refuses a different component under an installed version.
pub async fn save(conn: &mut Conn, bundle: &Bundle) -> Result<(), StoreError> {
    let m = &bundle.manifest.plugin;
    let manifest = put_blob(conn, &bundle.manifest_bytes).await?;
    let component = put_blob(conn, &bundle.component).await?;
    let signature = match &bundle.signature {
        Some(sig) => Some(put_blob(conn, sig).await?),
        None => None,
    };
    sqlx::query(
        "INSERT INTO installed_plugins (plugin_ref, plugin_id, version, component_digest, manifest_blob, component_file, \
         component_blob, signature_blob, installed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (plugin_ref) DO NOTHING",
    )
    .bind(format!("{}@{}", m.id, m.version))
    .bind(&m.id)
    .bind(&m.version)
    .bind(&bundle.digest)
    .bind(&manifest)
    .bind(&bundle.manifest.component.file)
    .bind(&component)
    .bind(&signature)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledRow {
    pub plugin_ref: String,
    pub plugin_id: String,
    pub version: String,
    pub component_digest: String,
    pub manifest_blob: String,
    pub component_file: String,
    pub component_blob: String,
    pub signature_blob: Option<String>,
}

type InstalledTuple = (String, String, String, String, String, String, String, Option<String>);

pub async fn list(pool: &Pool) -> Result<Vec<InstalledRow>, StoreError> {
    let rows: Vec<InstalledTuple> = sqlx::query_as(
        "SELECT plugin_ref, plugin_id, version, component_digest, manifest_blob, component_file, component_blob, \
         signature_blob FROM installed_plugins ORDER BY plugin_ref",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                plugin_ref,
                plugin_id,
                version,
                component_digest,
                manifest_blob,
                component_file,
                component_blob,
                signature_blob,
            )| {
                InstalledRow {
                    plugin_ref,
                    plugin_id,
                    version,
                    component_digest,
                    manifest_blob,
                    component_file,
                    component_blob,
                    signature_blob,
                }
            },
        )
        .collect())
}

/// A name that is one plain path component (no separator, no `..`), since it becomes a directory.
fn plain(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Writes the bundles this replica lacks into `<data_dir>/plugins/`; returns the refs written.
/// Each bundle goes to a temporary directory renamed into place, so a crash never leaves half
/// a plugin; a bundle already present locally is left as it is.
pub async fn materialise(pool: &Pool, data_dir: &Path) -> Result<Vec<String>, StoreError> {
    let mut written = Vec::new();
    for row in list(pool).await? {
        if !plain(&row.plugin_id) || !plain(&row.version) || !plain(&row.component_file) {
            return Err(StoreError::Corrupt(format!("installed plugin `{}` has an unsafe name", row.plugin_ref)));
        }
        let dest = data_dir.join("plugins").join(&row.plugin_id).join(&row.version);
        if dest.join(MANIFEST_FILE).is_file() {
            continue;
        }
        let manifest = blob(pool, &row.manifest_blob).await?;
        let component = blob(pool, &row.component_blob).await?;
        let signature = match &row.signature_blob {
            Some(d) => Some(blob(pool, d).await?),
            None => None,
        };
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| StoreError::Io { path, source }
        };
        let tmp = data_dir.join("plugins").join(format!(".replica-{}-{}", row.plugin_id, super::new_id("t")));
        std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        std::fs::write(tmp.join(MANIFEST_FILE), &manifest).map_err(io(&tmp))?;
        std::fs::write(tmp.join(&row.component_file), &component).map_err(io(&tmp))?;
        if let Some(sig) = signature {
            std::fs::write(tmp.join(SIGNATURE_FILE), sig).map_err(io(&tmp))?;
        }
        std::fs::create_dir_all(dest.parent().expect("dest has a parent")).map_err(io(&dest))?;
        if let Err(source) = std::fs::rename(&tmp, &dest) {
            let _ = std::fs::remove_dir_all(&tmp);
            // Another process of this data directory got there first.
            if !dest.join(MANIFEST_FILE).is_file() {
                return Err(StoreError::Io { path: dest.display().to_string(), source });
            }
            continue;
        }
        written.push(row.plugin_ref);
    }
    Ok(written)
}
