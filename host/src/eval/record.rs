//! `vivier eval ... --record`: each plugin's summary metrics stored in `eval_runs`, with the
//! plugin's digest and a digest of the data set, so a technical file can cite a measured,
//! reproducible result ("this version, on these files, scored this").

use crate::store::oversight::{insert_eval_run, EvalRunRow};
use crate::store::{new_id, now_ms, Store};
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One plugin (or the host's baseline) measured in a run.
pub struct Measured {
    pub plugin_id: String,
    pub plugin_version: String,
    pub plugin_digest: String,
    pub metrics: serde_json::Value,
}

/// SHA-256 over the data set's files, in the order given (callers sort them), each file's name
/// and bytes, so renaming or editing any file changes the digest.
pub fn dataset_digest(files: &[PathBuf]) -> Result<String> {
    let mut h = Sha256::new();
    for f in files {
        let bytes = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    Ok(hex::encode(h.finalize()))
}

/// Stores one row per measured plugin; returns their ids.
pub fn record(
    data_dir: &Path,
    database: Option<&str>,
    kind: &str,
    dataset: &str,
    files: &[PathBuf],
    measured: &[Measured],
) -> Result<Vec<String>> {
    let digest = dataset_digest(files)?;
    let rows: Vec<EvalRunRow> = measured
        .iter()
        .map(|m| EvalRunRow {
            id: new_id("ev"),
            kind: kind.to_owned(),
            plugin_id: m.plugin_id.clone(),
            plugin_version: m.plugin_version.clone(),
            plugin_digest: m.plugin_digest.clone(),
            dataset: dataset.to_owned(),
            dataset_digest: digest.clone(),
            metrics_json: m.metrics.to_string(),
            created_at: now_ms(),
        })
        .collect();
    let ids = rows.iter().map(|r| r.id.clone()).collect();
    crate::cli::block_on(async {
        let store = Store::connect(data_dir, database).await?;
        let audit = crate::audit::Audit::new(store.clone());
        let mut tx = audit.begin().await?;
        for r in &rows {
            insert_eval_run(tx.conn(), r).await?;
        }
        tx.append(crate::audit::Event::new(
            "eval.record",
            "cli",
            serde_json::json!({
                "kind": kind, "dataset": dataset, "dataset_digest": digest,
                "runs": rows.iter().map(|r| serde_json::json!({"id": r.id, "plugin": format!("{}@{}", r.plugin_id, r.plugin_version), "digest": r.plugin_digest})).collect::<Vec<_>>(),
            }),
        ))
        .await?;
        tx.commit().await?;
        store.close().await;
        anyhow::Ok(())
    })??;
    Ok(ids)
}
