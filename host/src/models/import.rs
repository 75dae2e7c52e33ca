//! `vivier models import`: installs a model from files an administrator brings, for hosts that
//! reach no package index (air-gapped servers) and for models no reachable registry carries.
//!
//! Two sources:
//! * a model folder copied from another Vivier host's store (`model.toml` and its files): every
//!   file is checked against the digests of that `model.toml`, whose provenance is kept;
//! * an ONNX graph and a `tokenizers` JSON, described by the administrator (dimension, pooling,
//!   prefixes, licence): the digests are computed here and the provenance says "local files".
//!
//! Either way the files are copied into a staging folder, loaded and run on two probe texts
//! before the model folder is put in place, so a model that would fail at the first plugin call
//! is refused here, and an installed model is never replaced by a broken one. A catalogue id
//! keeps its meaning on every host: files imported under it must have the catalogue's digests.

use super::catalog;
use super::embedder::Embedder;
use super::install::{lock_store, progress};
use super::store::{
    check_id, copy_file_hashing, io, licence_note, now_secs, parse_manifest, ModelFile, ModelManifest, ModelProvenance,
    ModelStore, ModelStoreError, Pooling, LICENCE_FILE, MANIFEST_FILE,
};
use std::path::{Path, PathBuf};

/// A model described by the administrator: its files and the conventions to use it with.
#[derive(Debug, Clone)]
pub struct NewModel {
    pub id: String,
    pub onnx: PathBuf,
    pub tokenizer: PathBuf,
    pub dimension: u32,
    pub pooling: Pooling,
    pub query_prefix: String,
    pub passage_prefix: String,
    pub max_tokens: u32,
    pub licence: String,
    pub attribution: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub enum ImportSource {
    /// A model folder from another host's store.
    Folder(PathBuf),
    /// New files, described by the administrator.
    Files(NewModel),
}

fn fail(id: &str, reason: impl Into<String>) -> ModelStoreError {
    ModelStoreError::Install { id: id.to_owned(), reason: reason.into() }
}

/// Imports a model; an installed model of the same id is replaced only with `force`.
pub fn import(store: &ModelStore, source: &ImportSource, force: bool) -> Result<ModelManifest, ModelStoreError> {
    let (id, folder_manifest) = match source {
        ImportSource::Folder(dir) => {
            let path = dir.join(MANIFEST_FILE);
            let text = std::fs::read_to_string(&path).map_err(io(format!(
                "reading {} (a model folder from another host's store has one)",
                path.display()
            )))?;
            let manifest = parse_manifest(&text, &path)?;
            (manifest.id.clone(), Some(manifest))
        }
        ImportSource::Files(spec) => {
            check_id(&spec.id)?;
            (spec.id.clone(), None)
        }
    };
    let _lock = lock_store(store)?;
    if !force && store.manifest(&id).is_ok() {
        return Err(fail(&id, "a model of this id is already installed: add --force to replace it"));
    }
    let staging = store.root().join(format!(".staging-import-{id}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(io(format!("creating {}", staging.display())))?;
    let result = match source {
        ImportSource::Folder(dir) => stage_folder(dir, folder_manifest.expect("parsed above"), &staging),
        ImportSource::Files(spec) => stage_files(spec, &staging),
    }
    .and_then(|manifest| {
        check_catalogue_digests(&manifest)?;
        probe(&staging, &manifest)?;
        store.put_in_place(&staging, &manifest)?;
        Ok(manifest)
    });
    let _ = std::fs::remove_dir_all(&staging);
    let manifest = result?;
    progress(&format!("model {id} imported into {} (licence {})", store.model_dir(&id).display(), manifest.licence));
    Ok(manifest)
}

/// Copies a file into the staging folder and returns its digest and size.
fn copy_in(from: &Path, staging: &Path, name: &str) -> Result<ModelFile, ModelStoreError> {
    progress(&format!("copying {}", from.display()));
    let (bytes, sha256) = copy_file_hashing(from, Some(&staging.join(name)))?;
    Ok(ModelFile { name: name.to_owned(), sha256, bytes })
}

fn stage_folder(dir: &Path, mut manifest: ModelManifest, staging: &Path) -> Result<ModelManifest, ModelStoreError> {
    for f in &manifest.files {
        let copied = copy_in(&dir.join(&f.name), staging, &f.name)?;
        if !copied.sha256.eq_ignore_ascii_case(&f.sha256) || copied.bytes != f.bytes {
            return Err(ModelStoreError::DigestMismatch {
                file: dir.join(&f.name),
                expected: f.sha256.clone(),
                actual: copied.sha256,
                hint: " (the file differs from what its model.toml records: copy the folder again)".into(),
            });
        }
    }
    progress(&format!("{} files sha256 ok", manifest.files.len()));
    if dir.join(LICENCE_FILE).is_file() {
        std::fs::copy(dir.join(LICENCE_FILE), staging.join(LICENCE_FILE)).map_err(io("copying the licence note"))?;
    }
    manifest.installed_at = now_secs();
    Ok(manifest)
}

fn stage_files(spec: &NewModel, staging: &Path) -> Result<ModelManifest, ModelStoreError> {
    let id = &spec.id;
    if spec.dimension == 0 || spec.max_tokens < 8 {
        return Err(fail(id, "the dimension must be positive and the token limit at least 8"));
    }
    if spec.licence.trim().is_empty() {
        return Err(fail(id, "say under which licence the model may be used (--licence)"));
    }
    let onnx = copy_in(&spec.onnx, staging, "model.onnx")?;
    let tokenizer = copy_in(&spec.tokenizer, staging, "tokenizer.json")?;
    let attribution = if spec.attribution.trim().is_empty() { spec.licence.clone() } else { spec.attribution.clone() };
    std::fs::write(staging.join(LICENCE_FILE), licence_note(&attribution, &spec.licence))
        .map_err(io("writing the licence note"))?;
    Ok(ModelManifest {
        id: id.clone(),
        description: if spec.description.trim().is_empty() {
            format!("imported from {}", spec.onnx.display())
        } else {
            spec.description.clone()
        },
        licence: spec.licence.clone(),
        attribution,
        dimension: spec.dimension,
        pooling: spec.pooling,
        query_prefix: spec.query_prefix.clone(),
        passage_prefix: spec.passage_prefix.clone(),
        max_tokens: spec.max_tokens,
        onnx: onnx.name.clone(),
        tokenizer: tokenizer.name.clone(),
        source: Some(ModelProvenance {
            registry: "local files (vivier models import)".into(),
            package: spec.onnx.display().to_string(),
            version: String::new(),
            file: spec.tokenizer.display().to_string(),
            sha256: onnx.sha256.clone(),
            converter: "none".into(),
        }),
        files: vec![onnx, tokenizer],
        installed_at: now_secs(),
    })
}

/// Files imported under a catalogue id must be the ones `vivier models install` would give.
fn check_catalogue_digests(manifest: &ModelManifest) -> Result<(), ModelStoreError> {
    let Some(entry) = catalog::find(&manifest.id) else { return Ok(()) };
    for (name, sha256) in entry.files {
        let found = manifest.files.iter().find(|f| f.name == *name);
        if found.is_none_or(|f| !f.sha256.eq_ignore_ascii_case(sha256)) {
            return Err(fail(
                &manifest.id,
                format!(
                    "`{}` is a catalogue model and {name} is not its pinned file (sha256 {sha256}): import these \
                     files under another id",
                    manifest.id
                ),
            ));
        }
    }
    Ok(())
}

/// Loads the staged model and embeds two texts: the graph, the tokenizer and the declared
/// dimension must agree, and the vectors must be usable.
fn probe(staging: &Path, manifest: &ModelManifest) -> Result<(), ModelStoreError> {
    let id = &manifest.id;
    progress("loading the model and embedding two test texts");
    let embedder = Embedder::load_files(staging, manifest.clone(), 1)?;
    let texts = [
        format!("{}gestion de la paie des agents", manifest.query_prefix),
        format!("{}conduite d'engins de déneigement", manifest.passage_prefix),
    ];
    let vectors = embedder.embed(&texts).map_err(|e| {
        fail(
            id,
            format!(
                "the model does not run as described (dimension {}, {:?} pooling): {e}",
                manifest.dimension, manifest.pooling
            ),
        )
    })?;
    for v in &vectors {
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if v.iter().any(|x| !x.is_finite()) || (norm - 1.0).abs() > 1e-3 {
            return Err(fail(id, "the model gives vectors that are not finite or zero: it cannot be used"));
        }
    }
    let cosine: f32 = vectors[0].iter().zip(&vectors[1]).map(|(a, b)| a * b).sum();
    if cosine > 0.9999 {
        return Err(fail(id, "the model gives the same vector for unrelated texts: it cannot be used"));
    }
    Ok(())
}
