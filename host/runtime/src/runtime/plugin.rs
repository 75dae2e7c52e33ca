//! Loading a plugin: compile or load from cache, check imports against the world's allowlist,
//! check exports against the world's types, and prepare instantiation.

use super::cache::CacheOutcome;
use super::compile::CompileError;
use super::limits::CallLimits;
use super::sandbox::{CallState, PluginGrants};
use super::Runtime;
use crate::bundle::{Bundle, SignatureStatus};
use crate::manifest::Manifest;
use crate::model::*;
use crate::world::{check_import, ImportVerdict, World};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::component::{ComponentExportIndex, InstancePre};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    NotAComponent(String),
    #[error("the component could not be compiled: {0}")]
    Compile(String),
    #[error("the component was refused before compilation: {0}")]
    TooComplex(String),
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
    /// Ends this plugin's calls in flight and refuses new ones while engaged (the incident
    /// switch of its slot).
    pub stop: StopSwitch,
}

/// The incident switch of a loaded plugin: engaging it ends every call of the plugin in flight
/// (whatever it is doing, host calls included) and refuses new ones until it is released.
#[derive(Debug, Clone, Default)]
pub struct StopSwitch(Arc<StopInner>);

#[derive(Debug, Default)]
struct StopInner {
    engaged: std::sync::atomic::AtomicBool,
    notify: tokio::sync::Notify,
}

impl StopSwitch {
    pub fn engage(&self) {
        self.0.engaged.store(true, std::sync::atomic::Ordering::Release);
        self.0.notify.notify_waiters();
    }
    pub fn release(&self) {
        self.0.engaged.store(false, std::sync::atomic::Ordering::Release);
    }
    pub fn is_engaged(&self) -> bool {
        self.0.engaged.load(std::sync::atomic::Ordering::Acquire)
    }
    /// Resolves once the switch is engaged.
    pub(crate) async fn engaged(&self) {
        loop {
            let notified = self.0.notify.notified();
            if self.is_engaged() {
                return;
            }
            notified.await;
        }
    }
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
        let compile = || self.compiler.compile(&self.engine, self.engine_shape, &bundle.component);
        let (component, cache) = match &self.cache {
            Some(cache) => cache.load_or_compile(&self.engine, &bundle.digest, compile),
            None => compile().map(|c| (c, CacheOutcome::Compiled)),
        }
        .map_err(|e| match e {
            CompileError::OverLimit(_) | CompileError::Timeout(_) | CompileError::OutOfMemory(_) => {
                LoadError::TooComplex(e.to_string())
            }
            other => LoadError::Compile(other.to_string()),
        })?;

        let network = manifest.network_world();
        let refused: Vec<String> = component
            .component_type()
            .imports(&self.engine)
            .filter_map(|(name, _)| match check_import(world, name, network) {
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
            stop: StopSwitch::default(),
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
        let deadline = Instant::now() + plugin.limits.timeout;
        let env = super::determinism::CallEnvironment::new(0, "typecheck");
        let mut store = self.sandbox(plugin, deadline, &env);
        // The timer is made inside `block_on`, where the sandbox's runtime is entered.
        let instantiate =
            async { tokio::time::timeout_at(deadline.into(), plugin.pre.instantiate_async(&mut store)).await };
        let instance = match self.io.block_on(instantiate) {
            Ok(Ok(instance)) => instance,
            Ok(Err(e)) => return Err(LoadError::Link(format!("{e:#}"))),
            Err(_) => return Err(LoadError::Link("instantiation did not finish within the time limit".into())),
        };
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
