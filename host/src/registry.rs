//! Which plugins this host has, and which one is active in each slot (world).
//!
//! Installed bundles live under `<data-dir>/plugins/<id>/<version>/`; the choice of active
//! plugin per slot in `<data-dir>/active.toml`. The reference plugins are always available as
//! built-ins and are active until an administrator activates another plugin.

use crate::builtin;
use crate::bundle::{Bundle, BundleError, SignatureStatus, SIGNATURE_FILE};
use crate::manifest::MANIFEST_FILE;
use crate::runtime::{LoadError, LoadedPlugin, PluginGrants, Runtime};
use crate::world::World;
use ed25519_dalek::VerifyingKey;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("no plugin `{0}` is installed (see `vivier plugin list`)")]
    NotFound(String),
    #[error(transparent)]
    Bundle(#[from] BundleError),
    // Not a `source` field: the message already carries the cause, and error chains (anyhow's
    // `{:#}`) would print it twice.
    #[error("plugin {id} {version} was refused: {cause}")]
    Load { id: String, version: String, cause: LoadError },
    #[error("plugin {id} implements {actual}, not {expected}")]
    WrongWorld { id: String, expected: World, actual: World },
    #[error("plugin {id} {version} is already installed with a different component (digest {existing}); publish a new version")]
    VersionConflict { id: String, version: String, existing: String },
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error(transparent)]
    Grants(#[from] crate::grants::GrantsError),
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> RegistryError {
    let context = context.into();
    move |source| RegistryError::Io { context, source }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum Source {
    Builtin,
    Installed(PathBuf),
    File(PathBuf),
}

/// A plugin known to the host, verified but not yet loaded.
#[derive(Debug, Clone)]
pub struct PluginEntry {
    pub bundle: Bundle,
    pub signature: SignatureStatus,
    pub source: Source,
}

impl PluginEntry {
    pub fn id(&self) -> &str {
        &self.bundle.manifest.plugin.id
    }
    pub fn version(&self) -> &str {
        &self.bundle.manifest.plugin.version
    }
    pub fn world(&self) -> World {
        self.bundle.manifest.world()
    }

    /// Compiles (or loads from cache) and checks the plugin against its world.
    pub fn load(&self, runtime: &Runtime) -> Result<LoadedPlugin, RegistryError> {
        let grants = PluginGrants {
            config: Default::default(),
            models: self.bundle.manifest.capabilities.models.clone().into(),
            outbound: Default::default(),
        };
        self.load_with(runtime, grants)
    }

    /// Loads with the grants an administrator gave it in `data_dir` (see [`crate::grants`]):
    /// how `serve` and the CLI load plugins.
    pub fn load_granted(&self, runtime: &Runtime, data_dir: &Path) -> Result<LoadedPlugin, RegistryError> {
        let grants = crate::grants::AdminGrants::load(data_dir, self.id())?.to_plugin_grants(&self.bundle.manifest)?;
        self.load_with(runtime, grants)
    }

    /// Loads with these grants.
    pub fn load_with(&self, runtime: &Runtime, grants: PluginGrants) -> Result<LoadedPlugin, RegistryError> {
        runtime.load(&self.bundle, self.signature.clone(), grants).map_err(|cause| RegistryError::Load {
            id: self.id().to_owned(),
            version: self.version().to_owned(),
            cause,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Registry {
    data_dir: PathBuf,
    trusted: Vec<VerifyingKey>,
}

impl Registry {
    pub fn new(data_dir: &Path, trusted: Vec<VerifyingKey>) -> Self {
        Self { data_dir: data_dir.to_owned(), trusted }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn plugins_dir(&self) -> PathBuf {
        self.data_dir.join("plugins")
    }

    fn active_file(&self) -> PathBuf {
        self.data_dir.join("active.toml")
    }

    /// Checks a bundle's signature against the trusted keys.
    pub fn verify(&self, bundle: Bundle, source: Source) -> Result<PluginEntry, RegistryError> {
        let signature = bundle.check_signature(&self.trusted)?;
        Ok(PluginEntry { bundle, signature, source })
    }

    /// Reads and verifies a bundle file or directory given on the command line.
    pub fn open_bundle(&self, path: &Path) -> Result<PluginEntry, RegistryError> {
        self.verify(Bundle::read(path)?, Source::File(path.to_owned()))
    }

    fn builtins() -> Result<Vec<PluginEntry>, RegistryError> {
        Ok(builtin::bundles()?
            .into_iter()
            .map(|bundle| PluginEntry { bundle, signature: SignatureStatus::Builtin, source: Source::Builtin })
            .collect())
    }

    /// Installed plugins, all of them or those of one id, read from the plugin store.
    fn installed(&self, only: Option<&str>) -> Result<Vec<PluginEntry>, RegistryError> {
        let root = self.plugins_dir();
        let mut id_dirs = Vec::new();
        match only {
            Some(id) => id_dirs.push(root.join(id)),
            None if root.is_dir() => {
                for id in std::fs::read_dir(&root).map_err(io(format!("reading {}", root.display())))? {
                    id_dirs.push(id.map_err(io("reading the plugin store"))?.path());
                }
            }
            None => {}
        }
        let mut dirs = Vec::new();
        for id in id_dirs {
            if let Ok(versions) = std::fs::read_dir(&id) {
                dirs.extend(versions.filter_map(|v| v.ok().map(|v| v.path())).filter(|p| p.is_dir()));
            }
        }
        dirs.sort();
        let mut out = Vec::new();
        for dir in dirs {
            // A damaged entry must not hide the others: it is reported and skipped.
            match Bundle::read(&dir)
                .map_err(RegistryError::from)
                .and_then(|b| self.verify(b, Source::Installed(dir.clone())))
            {
                Ok(entry) => out.push(entry),
                Err(e) => tracing::warn!(path = %dir.display(), error = %e, "skipping an unreadable installed plugin"),
            }
        }
        Ok(out)
    }

    /// Every known plugin: built-ins first, then installed ones by id and version.
    pub fn list(&self) -> Result<Vec<PluginEntry>, RegistryError> {
        let mut out = Self::builtins()?;
        out.extend(self.installed(None)?);
        Ok(out)
    }

    /// Finds a plugin by id (newest version), `id@version`, or a bundle path.
    pub fn find(&self, spec: &str) -> Result<PluginEntry, RegistryError> {
        let path = Path::new(spec);
        if spec.contains('/') || spec.ends_with(".zip") || path.exists() {
            return self.open_bundle(path);
        }
        let (id, version) = spec.split_once('@').map_or((spec, None), |(i, v)| (i, Some(v)));
        let mut candidates = Self::builtins()?;
        candidates.retain(|e| e.id() == id);
        candidates.extend(self.installed(Some(id))?);
        candidates
            .into_iter()
            .filter(|e| version.is_none_or(|v| e.version() == v))
            .max_by(|a, b| {
                let va = semver::Version::parse(a.version()).ok();
                let vb = semver::Version::parse(b.version()).ok();
                va.cmp(&vb)
            })
            .ok_or_else(|| RegistryError::NotFound(spec.to_owned()))
    }

    fn active_map(&self) -> Result<BTreeMap<String, String>, RegistryError> {
        match std::fs::read_to_string(self.active_file()) {
            Ok(text) => toml::from_str(&text).map_err(|e| RegistryError::Io {
                context: format!("reading {}", self.active_file().display()),
                source: std::io::Error::other(e.message().to_owned()),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(io(format!("reading {}", self.active_file().display()))(e)),
        }
    }

    /// The plugin serving a slot: the administrator's choice, else the reference plugin.
    pub fn active(&self, world: World) -> Result<PluginEntry, RegistryError> {
        if let Some(spec) = self.active_map()?.get(world.name()) {
            return self.find(spec);
        }
        Self::builtins()?
            .into_iter()
            .find(|e| e.world() == world)
            .ok_or_else(|| RegistryError::NotFound(format!("built-in {world}")))
    }

    /// Verifies, loads (import and export checks) and stores a bundle.
    pub fn install(&self, path: &Path, runtime: &Runtime) -> Result<PluginEntry, RegistryError> {
        let entry = self.open_bundle(path)?;
        entry.load(runtime)?;
        let m = &entry.bundle.manifest.plugin;
        let dest = self.plugins_dir().join(&m.id).join(&m.version);
        if dest.exists() {
            let existing = Bundle::read(&dest)?;
            if existing.digest != entry.bundle.digest {
                return Err(RegistryError::VersionConflict {
                    id: m.id.clone(),
                    version: m.version.clone(),
                    existing: existing.digest,
                });
            }
        }
        // Write into a temporary directory, then rename: a crash never leaves half a plugin.
        let tmp = self.plugins_dir().join(format!(".incoming-{}-{}", m.id, std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(io(format!("creating {}", tmp.display())))?;
        let b = &entry.bundle;
        let write =
            |name: &str, bytes: &[u8]| std::fs::write(tmp.join(name), bytes).map_err(io(format!("writing {name}")));
        write(MANIFEST_FILE, &b.manifest_bytes)?;
        write(&b.manifest.component.file, &b.component)?;
        if let Some(sig) = &b.signature {
            write(SIGNATURE_FILE, sig)?;
        }
        if dest.exists() {
            std::fs::remove_dir_all(&dest).map_err(io(format!("replacing {}", dest.display())))?;
        }
        std::fs::create_dir_all(dest.parent().unwrap()).map_err(io("creating the plugin store"))?;
        std::fs::rename(&tmp, &dest).map_err(io(format!("moving the plugin into {}", dest.display())))?;
        Ok(PluginEntry { source: Source::Installed(dest), ..entry })
    }

    /// Makes a plugin the active one of its slot.
    pub fn activate(&self, spec: &str, runtime: &Runtime) -> Result<PluginEntry, RegistryError> {
        let entry = self.find(spec)?;
        if matches!(entry.source, Source::File(_)) {
            return Err(RegistryError::NotFound(format!("{spec} (install it first with `vivier plugin install`)")));
        }
        entry.load(runtime)?;
        let mut map = self.active_map()?;
        map.insert(entry.world().name().to_owned(), format!("{}@{}", entry.id(), entry.version()));
        std::fs::create_dir_all(&self.data_dir).map_err(io(format!("creating {}", self.data_dir.display())))?;
        let text = toml::to_string(&map).expect("a map of strings serialises");
        let tmp = self.active_file().with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(io("writing active.toml"))?;
        std::fs::rename(&tmp, self.active_file()).map_err(io("writing active.toml"))?;
        Ok(entry)
    }
}
