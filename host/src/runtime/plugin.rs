//! Loading a plugin: compile or load from cache, check imports against the world's allowlist,
//! check exports against the world's types, and prepare instantiation.

use super::cache::CacheOutcome;
use super::limits::CallLimits;
use super::sandbox::{CallState, PluginGrants};
use super::Runtime;
use crate::bundle::{Bundle, SignatureStatus};
use crate::manifest::Manifest;
use crate::model::*;
use crate::world::{check_import, ImportVerdict, World};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::component::{Component, ComponentExportIndex, InstancePre};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    NotAComponent(String),
    #[error("the component could not be compiled: {0}")]
    Compile(String),
    #[error("the component imports what its world does not allow: {}", .0.join("; "))]
    ForbiddenImports(Vec<String>),
    #[error("the component does not match the {world} world: {}", .problems.join("; "))]
    ExportMismatch { world: World, problems: Vec<String> },
    #[error("the component cannot be linked: {0}")]
    Link(String),
    #[error(
        "the plugin needs model `{model}`, which is not installed on this host: run `vivier models install {model}` \
         (or `vivier models import` with the model's files)"
    )]
    ModelMissing { model: String },
    #[error("the plugin needs model `{model}`, which cannot be used: {reason}")]
    ModelUnusable { model: String, reason: String },
}

/// A plugin ready to be called.
pub struct LoadedPlugin {
    pub manifest: Arc<Manifest>,
    pub world: World,
    pub digest: String,
    pub signature: SignatureStatus,
    pub limits: CallLimits,
    pub grants: PluginGrants,
    pub(crate) pre: InstancePre<CallState>,
    pub(crate) export: ComponentExportIndex,
    pub cache: CacheOutcome,
    pub load_time: Duration,
}

impl std::fmt::Debug for LoadedPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedPlugin")
            .field("id", &self.manifest.plugin.id)
            .field("version", &self.manifest.plugin.version)
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

impl LoadedPlugin {
    pub fn id(&self) -> &str {
        &self.manifest.plugin.id
    }
    pub fn version(&self) -> &str {
        &self.manifest.plugin.version
    }
}

/// Distinguishes a component from a core module or junk before asking the compiler.
fn check_header(bytes: &[u8]) -> Result<(), LoadError> {
    match bytes.get(..8) {
        Some([0x00, 0x61, 0x73, 0x6d, _, _, 0x01, 0x00]) => Ok(()),
        Some([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]) => Err(LoadError::NotAComponent(
            "this is a core WebAssembly module, not a component: build with `--target wasm32-wasip2`".into(),
        )),
        _ => Err(LoadError::NotAComponent("this file is not a WebAssembly component".into())),
    }
}

impl Runtime {
    /// Prepares a plugin from a bundle whose digest and signature were already checked.
    pub fn load(
        &self,
        bundle: &Bundle,
        signature: SignatureStatus,
        grants: PluginGrants,
    ) -> Result<LoadedPlugin, LoadError> {
        let started = Instant::now();
        check_header(&bundle.component)?;
        self.check_models(&grants)?;
        let manifest = Arc::new(bundle.manifest.clone());
        let world = manifest.world();
        let (component, cache) = match &self.cache {
            Some(cache) => cache.load_or_compile(&self.engine, &bundle.component, &bundle.digest),
            None => Component::new(&self.engine, &bundle.component).map(|c| (c, CacheOutcome::Compiled)),
        }
        .map_err(|e| LoadError::Compile(format!("{e:#}")))?;

        let outbound = !manifest.capabilities.outbound_hosts.is_empty();
        let refused: Vec<String> = component
            .component_type()
            .imports(&self.engine)
            .filter_map(|(name, _)| match check_import(world, name, outbound) {
                ImportVerdict::Allowed => None,
                ImportVerdict::Refused(why) => Some(why),
            })
            .collect();
        if !refused.is_empty() {
            return Err(LoadError::ForbiddenImports(refused));
        }

        let pre = self.linker.instantiate_pre(&component).map_err(|e| LoadError::Link(format!("{e:#}")))?;
        let export = component.get_export_index(None, world.export_name()).ok_or_else(|| {
            LoadError::ExportMismatch { world, problems: vec![format!("missing export `{}`", world.export_name())] }
        })?;
        let limits = CallLimits::from_capabilities(&manifest.capabilities, &self.ceilings);
        let mut plugin = LoadedPlugin {
            manifest,
            world,
            digest: bundle.digest.clone(),
            signature,
            limits,
            grants,
            pre,
            export,
            cache,
            load_time: Duration::ZERO,
        };
        self.typecheck(&plugin)?;
        plugin.load_time = started.elapsed();
        Ok(plugin)
    }

    /// Every model the plugin may use must be installed and usable: better refused at install
    /// than at the first call. Loads the model once per backend (then shared by every call).
    fn check_models(&self, grants: &PluginGrants) -> Result<(), LoadError> {
        for model in grants.models.iter() {
            let found = match &self.inference {
                Some(backend) => backend.prepare(model),
                None => Err(crate::inference::InferenceError::ModelUnavailable(model.clone())),
            };
            match found {
                Ok(_) => {}
                Err(crate::inference::InferenceError::ModelUnavailable(_)) => {
                    return Err(LoadError::ModelMissing { model: model.clone() })
                }
                Err(e) => return Err(LoadError::ModelUnusable { model: model.clone(), reason: e.to_string() }),
            }
        }
        Ok(())
    }

    /// Instantiates once in a sandbox and checks the export's signature against the world.
    fn typecheck(&self, plugin: &LoadedPlugin) -> Result<(), LoadError> {
        let mut store = self.sandbox(plugin);
        let instance = plugin.pre.instantiate(&mut store).map_err(|e| LoadError::Link(format!("{e:#}")))?;
        let e = &plugin.export;
        let checked = match plugin.world {
            World::CvParser => {
                instance.get_typed_func::<(&Document,), (Result<ParsedCv, ParseError>,)>(&mut store, e).map(drop)
            }
            World::SkillsMatcher => instance
                .get_typed_func::<(&Posting, &[Candidate]), (Result<Vec<Assessment>, MatchError>,)>(&mut store, e)
                .map(drop),
            World::PostingDrafter => {
                instance.get_typed_func::<(&DraftRequest,), (Result<JobAd, DraftError>,)>(&mut store, e).map(drop)
            }
        };
        checked.map_err(|err| LoadError::ExportMismatch {
            world: plugin.world,
            problems: vec![format!("export `{}`: {err:#}", plugin.world.export_name())],
        })
    }
}
