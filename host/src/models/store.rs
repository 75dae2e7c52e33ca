//! Where installed models live, and what each one's `model.toml` says about it.

use crate::bundle::sha256_hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub const MANIFEST_FILE: &str = "model.toml";

#[derive(Debug, thiserror::Error)]
pub enum ModelStoreError {
    #[error("model `{id}` is not installed in {dir}: run `vivier models install {id}` (or `vivier models import` with the model's files)")]
    NotInstalled { id: String, dir: PathBuf },
    #[error("`{0}` is not a valid model id (1-64 characters of a-z, 0-9, '-', '_' and '.')")]
    InvalidId(String),
    #[error("no model `{0}` in the catalogue (known: {known})", known = super::catalog::CATALOG.iter().map(|e| e.id).collect::<Vec<_>>().join(", "))]
    UnknownModel(String),
    #[error("sha256 mismatch for {file}: expected {expected}, found {actual}{hint}")]
    DigestMismatch { file: PathBuf, expected: String, actual: String, hint: String },
    #[error("{path}: invalid model manifest: {reason}")]
    BadManifest { path: PathBuf, reason: String },
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error("installing model `{id}` failed: {reason}")]
    Install { id: String, reason: String },
    #[error("model `{id}` cannot be loaded: {reason}")]
    Load { id: String, reason: String },
}

pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> ModelStoreError {
    let context = context.into();
    move |source| ModelStoreError::Io { context, source }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pooling {
    /// Mean of the token vectors under the attention mask, then L2 normalisation.
    Mean,
    /// The first token's vector, then L2 normalisation.
    Cls,
}

/// One file of a model, with the digest checked when the model is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Where an installed model came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelProvenance {
    pub registry: String,
    pub package: String,
    pub version: String,
    pub file: String,
    pub sha256: String,
    pub converter: String,
}

/// `model.toml`: everything the host and an auditor need to know about one installed model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelManifest {
    pub id: String,
    pub description: String,
    pub licence: String,
    pub attribution: String,
    pub dimension: u32,
    pub pooling: Pooling,
    /// Prefix for search queries (e.g. a requirement), per the model's training convention.
    pub query_prefix: String,
    /// Prefix for searched passages (e.g. a CV's experience).
    pub passage_prefix: String,
    /// Longest input in tokens, special tokens included; longer texts are truncated.
    pub max_tokens: u32,
    /// The ONNX graph and the `tokenizers` JSON, by file name.
    pub onnx: String,
    pub tokenizer: String,
    pub files: Vec<ModelFile>,
    pub source: Option<ModelProvenance>,
    /// Seconds since the Unix epoch.
    pub installed_at: u64,
}

/// A directory of installed models.
#[derive(Debug, Clone)]
pub struct ModelStore {
    root: PathBuf,
}

/// `$VIVIER_MODEL_DIR`, else `$XDG_CACHE_HOME/vivier/models`, else `~/.cache/vivier/models`.
pub fn default_dir() -> PathBuf {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = env("VIVIER_MODEL_DIR") {
        return dir;
    }
    if let Some(cache) = env("XDG_CACHE_HOME") {
        return cache.join("vivier").join("models");
    }
    match env("HOME") {
        Some(home) => home.join(".cache").join("vivier").join("models"),
        None => std::env::temp_dir().join("vivier-models"),
    }
}

pub fn check_id(id: &str) -> Result<(), ModelStoreError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('.')
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ModelStoreError::InvalidId(id.chars().take(80).collect()))
    }
}

/// sha256 of a file, streamed.
pub fn file_sha256(path: &Path) -> Result<String, ModelStoreError> {
    copy_file_hashing(path, None).map(|(_, digest)| digest)
}

/// Streams the file at `from` into `to` when given, in one read: its size and sha256.
pub fn copy_file_hashing(from: &Path, to: Option<&Path>) -> Result<(u64, String), ModelStoreError> {
    let mut file = std::fs::File::open(from).map_err(io(format!("opening {}", from.display())))?;
    let mut out = match to {
        Some(to) => Some(std::fs::File::create(to).map_err(io(format!("creating {}", to.display())))?),
        None => None,
    };
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(io(format!("reading {}", from.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        if let (Some(out), Some(to)) = (out.as_mut(), to) {
            out.write_all(&buf[..n]).map_err(io(format!("writing {}", to.display())))?;
        }
        bytes += n as u64;
    }
    Ok((bytes, hex::encode(hasher.finalize())))
}

/// Fails with [`ModelStoreError::DigestMismatch`] unless `path` has the expected sha256.
pub fn check_file_digest(path: &Path, expected: &str, hint: &str) -> Result<(), ModelStoreError> {
    let actual = file_sha256(path)?;
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(ModelStoreError::DigestMismatch {
            file: path.to_owned(),
            expected: expected.to_owned(),
            actual,
            hint: hint.to_owned(),
        })
    }
}

/// Reads a `model.toml` (from `path`, for messages) and checks that it is self-consistent: a
/// valid id, the graph and tokenizer among its files, plain file names only.
pub fn parse_manifest(text: &str, path: &Path) -> Result<ModelManifest, ModelStoreError> {
    let bad = |reason: String| ModelStoreError::BadManifest { path: path.to_owned(), reason };
    let manifest: ModelManifest = toml::from_str(text).map_err(|e| bad(e.message().to_owned()))?;
    check_id(&manifest.id).map_err(|e| bad(e.to_string()))?;
    for name in [&manifest.onnx, &manifest.tokenizer] {
        if !manifest.files.iter().any(|f| &f.name == name) {
            return Err(bad(format!("`{name}` is used but not listed in files")));
        }
    }
    for f in &manifest.files {
        if f.name.is_empty() || f.name.contains('/') || f.name.contains('\\') || f.name.starts_with('.') {
            return Err(bad(format!("file `{}` is not a plain file name", f.name)));
        }
    }
    Ok(manifest)
}

impl ModelStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The store at [`default_dir`].
    pub fn from_env() -> Self {
        Self::new(default_dir())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn model_dir(&self, id: &str) -> PathBuf {
        self.root.join(id)
    }

    /// The manifest of an installed model. Cheap: reads `model.toml` and checks that every
    /// listed file exists with its recorded size (digests are checked by [`Self::verify`]).
    pub fn manifest(&self, id: &str) -> Result<ModelManifest, ModelStoreError> {
        check_id(id)?;
        let dir = self.model_dir(id);
        let path = dir.join(MANIFEST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ModelStoreError::NotInstalled { id: id.to_owned(), dir: self.root.clone() })
            }
            Err(e) => return Err(io(format!("reading {}", path.display()))(e)),
        };
        let manifest = parse_manifest(&text, &path)?;
        if manifest.id != id {
            return Err(ModelStoreError::BadManifest { path, reason: format!("it describes `{}`", manifest.id) });
        }
        for f in &manifest.files {
            let size = std::fs::metadata(dir.join(&f.name)).map(|m| m.len()).ok();
            if size != Some(f.bytes) {
                return Err(ModelStoreError::NotInstalled { id: id.to_owned(), dir: self.root.clone() });
            }
        }
        Ok(manifest)
    }

    /// Checks every file of an installed model against the digests of its manifest.
    pub fn verify(&self, id: &str) -> Result<ModelManifest, ModelStoreError> {
        let manifest = self.manifest(id)?;
        let dir = self.model_dir(id);
        let hint = format!(" (the model files were changed or damaged: run `vivier models install {id} --force`)");
        for f in &manifest.files {
            check_file_digest(&dir.join(&f.name), &f.sha256, &hint)?;
        }
        Ok(manifest)
    }

    /// Installed models, sorted by id. Damaged entries are skipped with a warning.
    pub fn list(&self) -> Result<Vec<ModelManifest>, ModelStoreError> {
        let entries = match std::fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
            Err(e) => return Err(io(format!("reading {}", self.root.display()))(e)),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if check_id(&name).is_err() || !entry.path().join(MANIFEST_FILE).is_file() {
                continue;
            }
            match self.manifest(&name) {
                Ok(m) => out.push(m),
                Err(e) => tracing::warn!(model = %name, error = %e, "skipping a damaged model"),
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Replaces the folder of `manifest.id` with the files `manifest` lists from `staged` (same
    /// file system), and its licence note if there is one. The old `model.toml` goes first and
    /// the new one is written last, so a reader sees the old model, no model, or the new one whole.
    pub fn put_in_place(&self, staged: &Path, manifest: &ModelManifest) -> Result<(), ModelStoreError> {
        let dir = self.model_dir(&manifest.id);
        let _ = std::fs::remove_file(dir.join(MANIFEST_FILE));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(io(format!("creating {}", dir.display())))?;
        let names = manifest.files.iter().map(|f| f.name.as_str());
        let licence = Some(LICENCE_FILE).filter(|name| staged.join(name).is_file());
        for name in names.chain(licence) {
            std::fs::rename(staged.join(name), dir.join(name)).map_err(io(format!("moving {name} into place")))?;
        }
        write_manifest_in(&dir, manifest)
    }
}

/// Licence notes travel with a model folder but are not part of its digests.
pub const LICENCE_FILE: &str = "LICENCE.txt";

/// The text of a model's licence note.
pub fn licence_note(attribution: &str, licence: &str) -> String {
    format!("{attribution}\n\nLicence: {licence}\n")
}

/// Seconds since the Unix epoch, for `installed-at`.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Writes `model.toml` into `dir` atomically.
fn write_manifest_in(dir: &Path, manifest: &ModelManifest) -> Result<(), ModelStoreError> {
    let text = toml::to_string_pretty(manifest).expect("a model manifest always serialises");
    let tmp = dir.join(format!(".{MANIFEST_FILE}.tmp"));
    std::fs::write(&tmp, text).map_err(io(format!("writing {}", tmp.display())))?;
    std::fs::rename(&tmp, dir.join(MANIFEST_FILE)).map_err(io(format!("writing {}", dir.display())))
}

/// The digest of a small in-memory value, for messages.
pub fn bytes_sha256(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape_the_store() {
        for bad in ["", "../etc", "a/b", ".hidden", "UPPER", &"x".repeat(65)] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
        check_id("multilingual-e5-small").unwrap();
    }

    #[test]
    fn missing_model_names_the_install_command() {
        let dir = tempfile::tempdir().unwrap();
        let err = ModelStore::new(dir.path()).manifest("multilingual-e5-small").unwrap_err().to_string();
        assert!(err.contains("vivier models install multilingual-e5-small"), "{err}");
    }

    #[test]
    fn digest_mismatch_is_reported_with_both_digests() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"hello").unwrap();
        let good = bytes_sha256(b"hello");
        check_file_digest(&path, &good, "").unwrap();
        let err = check_file_digest(&path, &"0".repeat(64), "").unwrap_err();
        assert!(matches!(err, ModelStoreError::DigestMismatch { ref actual, .. } if *actual == good), "{err}");
    }
}
