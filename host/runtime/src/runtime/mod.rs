//! The sandboxed component host.
//!
//! One wasmtime [`Engine`] (pooling allocator, epoch interruption) and one [`Linker`] serve
//! every plugin. Loading a plugin checks its component's size and shape, compiles it in a
//! bounded child process (or loads it from cache), checks its imports and exports against its
//! world, and prepares an `InstancePre`. Every call then runs in a fresh store and instance with
//! the plugin's limits, its deadline held even while it waits in a host call (see [`call`]).

pub mod cache;
pub mod call;
pub mod compile;
pub mod determinism;
pub mod error;
mod host_imports;
pub mod http;
pub mod integrity;
pub mod limits;
pub mod plugin;
pub mod sandbox;

pub use cache::{CacheOutcome, ComponentCache};
pub use call::{json_digest, CallReport, Invocation, ModelUse, PluginRef};
pub use compile::{CompileLimits, Compiler};
pub use error::PluginError;
pub use limits::{CallLimits, HostCeilings, HostLimits};
pub use plugin::{LoadError, LoadedPlugin, StopSwitch};
pub use sandbox::{LogEntry, LogLevel, PluginGrants};

use crate::inference::Inference;
use sandbox::CallState;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use wasmtime::component::Linker;
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    pub ceilings: HostCeilings,
    /// Where compiled components are cached; `None` compiles on every load.
    pub cache_dir: Option<PathBuf>,
    /// Instances that may exist at once (concurrent calls).
    pub max_concurrent_calls: u32,
    /// Granularity of time limits.
    pub epoch_tick: Duration,
    /// How untrusted components are compiled (a bounded child process by default).
    pub compiler: Compiler,
    /// Inference computations running at once, host-wide (each on its own thread).
    pub inference_threads: usize,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            ceilings: HostCeilings::default(),
            cache_dir: None,
            max_concurrent_calls: 64,
            epoch_tick: Duration::from_millis(10),
            compiler: Compiler::from_env(),
            inference_threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

pub struct Runtime {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<CallState>,
    pub(crate) cache: Option<ComponentCache>,
    pub(crate) ceilings: HostCeilings,
    pub(crate) inference: Option<Arc<dyn Inference>>,
    pub(crate) inference_permits: Arc<tokio::sync::Semaphore>,
    pub(crate) compiler: Compiler,
    pub(crate) engine_shape: compile::EngineShape,
    pub(crate) io: SandboxIo,
}

/// The sandbox's own tokio runtime: the timers, sockets and blocking threads of plugin calls.
/// A call's future is driven on the caller's thread (so its CPU time is the caller's) with this
/// runtime entered, whatever runtime the caller itself runs in.
pub(crate) struct SandboxIo {
    rt: Option<tokio::runtime::Runtime>,
}

impl SandboxIo {
    fn new(blocking_threads: usize) -> std::io::Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(blocking_threads.max(1) + 2)
            .thread_name("vivier-sandbox")
            .enable_all()
            .build()?;
        Ok(Self { rt: Some(rt) })
    }

    /// Runs `future` to completion on this thread, with the sandbox runtime entered.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        let _entered = self.rt.as_ref().expect("present until drop").enter();
        futures_executor::block_on(future)
    }
}

impl Drop for SandboxIo {
    fn drop(&mut self) {
        // Never blocks, so a runtime may be dropped from async code too.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime").field("ceilings", &self.ceilings).finish_non_exhaustive()
    }
}

/// Engine configuration shared by the runtime and the benchmark's raw-wasmtime baseline.
pub fn engine_config(max_concurrent_calls: u32, max_memory_bytes: u64) -> Config {
    let mut pool = PoolingAllocationConfig::default();
    let n = max_concurrent_calls.max(1);
    pool.total_component_instances(n)
        .total_core_instances(n * 16)
        .total_memories(n * 2)
        .total_tables(n * 16)
        .total_stacks(n)
        .max_memories_per_component(4)
        .max_tables_per_component(16)
        .max_memory_size(usize::try_from(max_memory_bytes).unwrap_or(usize::MAX));
    let mut config = base_config();
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    config
}

/// What every engine of Vivier shares, the compile child's included (an artefact is only loaded
/// by an engine of the same settings): the component model, epochs, and no proposal a plugin
/// does not need, so that less of the compiler is exposed to untrusted input.
pub fn base_config() -> Config {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    config
        .wasm_simd(false)
        .wasm_relaxed_simd(false)
        .wasm_memory64(false)
        .wasm_multi_memory(false)
        .wasm_tail_call(false)
        .wasm_wide_arithmetic(false)
        .wasm_custom_page_sizes(false)
        .wasm_extended_const(false);
    config
}

impl Runtime {
    pub fn new(config: RuntimeConfig) -> anyhow::Result<Self> {
        let engine = Engine::new(&engine_config(config.max_concurrent_calls, config.ceilings.memory_bytes))
            .map_err(|e| anyhow::anyhow!("cannot start the WebAssembly engine: {e}"))?;
        let mut linker = Linker::new(&engine);
        host_imports::add_to_linker(&mut linker).map_err(|e| anyhow::anyhow!("cannot link host interfaces: {e}"))?;
        let cache = match &config.cache_dir {
            Some(dir) => Some(
                ComponentCache::open(dir)
                    .map_err(|e| anyhow::anyhow!("cannot open the component cache {}: {e}", dir.display()))?,
            ),
            None => None,
        };
        start_epoch_ticker(&engine, config.epoch_tick);
        let io = SandboxIo::new(config.inference_threads)
            .map_err(|e| anyhow::anyhow!("cannot start the sandbox's I/O runtime: {e}"))?;
        Ok(Self {
            engine,
            linker,
            cache,
            ceilings: config.ceilings,
            inference: None,
            inference_permits: Arc::new(tokio::sync::Semaphore::new(config.inference_threads.max(1))),
            compiler: config.compiler,
            engine_shape: compile::EngineShape {
                max_concurrent_calls: config.max_concurrent_calls,
                max_memory_bytes: config.ceilings.memory_bytes,
            },
            io,
        })
    }

    /// Empties the embedding backend's caches (see [`Inference::forget_all`]).
    pub fn forget_cached_vectors(&self) {
        if let Some(inference) = &self.inference {
            inference.forget_all();
        }
    }

    /// Installs the embedding backend used by the `inference` import.
    pub fn with_inference(mut self, backend: Arc<dyn Inference>) -> Self {
        self.inference = Some(backend);
        self
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn ceilings(&self) -> &HostCeilings {
        &self.ceilings
    }
}

/// Advances the engine's epoch at every tick so that time limits are enforced. The thread ends
/// when the engine is dropped.
fn start_epoch_ticker(engine: &Engine, tick: Duration) {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("vivier-epoch".into())
        .spawn(move || loop {
            std::thread::sleep(tick);
            match weak.upgrade() {
                Some(engine) => engine.increment_epoch(),
                None => break,
            }
        })
        .expect("spawning the epoch thread");
}
