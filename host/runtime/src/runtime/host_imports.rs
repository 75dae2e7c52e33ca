//! Host interfaces linked into every plugin's sandbox. Each capability adds its own imports to
//! the linker; grants are checked per call from the store's state.

use super::sandbox::{CallState, LogLevel};
use crate::inference::{EmbedControl, InferenceError, MAX_TEXTS_PER_CALL, MAX_TEXT_BYTES};
use crate::world::WIT_VERSION;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wasmtime::component::{ComponentType, Lift, Linker, Lower};
use wasmtime::StoreContextMut;

#[derive(Debug, Clone, Copy, ComponentType, Lift, Lower)]
#[component(enum)]
#[repr(u8)]
#[allow(dead_code)] // variants are built by lifting guest values
enum WitLevel {
    #[component(name = "trace")]
    Trace,
    #[component(name = "debug")]
    Debug,
    #[component(name = "info")]
    Info,
    #[component(name = "warn")]
    Warn,
    #[component(name = "error")]
    Error,
}

impl From<WitLevel> for LogLevel {
    fn from(l: WitLevel) -> Self {
        match l {
            WitLevel::Trace => LogLevel::Trace,
            WitLevel::Debug => LogLevel::Debug,
            WitLevel::Info => LogLevel::Info,
            WitLevel::Warn => LogLevel::Warn,
            WitLevel::Error => LogLevel::Error,
        }
    }
}

fn iface(name: &str) -> String {
    format!("vivier:hr/{name}@{WIT_VERSION}")
}

/// Adds WASI (everything denied by the per-call context) and Vivier's host interfaces.
///
/// Every import that can wait (WASI `poll`, sleeps, stream reads, outgoing HTTP, inference) is
/// linked in its async form: a plugin blocked in one is a pending future, which the call's
/// deadline and the stop switch drop (see `call.rs`), never a host thread stuck until it returns.
pub fn add_to_linker(linker: &mut Linker<CallState>) -> wasmtime::Result<()> {
    wasmtime_wasi::p2::add_to_linker_async(linker)?;
    // wasi:http is linked for every plugin, but only a component of the posting-drafter-http
    // world may import it (world::check_import), and each request must match an administrator's
    // grant.
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(linker)?;
    // Interfaces that only carry types still have to exist as instances.
    for types_only in ["types", "cv", "matching", "drafting"] {
        linker.instance(&iface(types_only))?;
    }
    add_log(linker)?;
    add_config(linker)?;
    add_inference(linker)?;
    Ok(())
}

fn add_log(linker: &mut Linker<CallState>) -> wasmtime::Result<()> {
    linker.instance(&iface("log"))?.func_wrap(
        "emit",
        |mut store: StoreContextMut<'_, CallState>, (level, message): (WitLevel, String)| {
            store.data_mut().log.push(level.into(), "log", &message);
            Ok(())
        },
    )
}

fn add_config(linker: &mut Linker<CallState>) -> wasmtime::Result<()> {
    let mut config = linker.instance(&iface("config"))?;
    config.func_wrap("get", |store: StoreContextMut<'_, CallState>, (key,): (String,)| {
        Ok((store.data().grants.config.get(&key).cloned(),))
    })?;
    config.func_wrap("entries", |store: StoreContextMut<'_, CallState>, (): ()| {
        let entries: Vec<(String, String)> =
            store.data().grants.config.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Ok((entries,))
    })?;
    Ok(())
}

fn granted(state: &CallState, model: &str) -> Result<(), InferenceError> {
    if state.grants.models.iter().any(|m| m == model) {
        Ok(())
    } else {
        Err(InferenceError::ModelNotGranted(model.to_owned()))
    }
}

fn add_inference(linker: &mut Linker<CallState>) -> wasmtime::Result<()> {
    let mut inference = linker.instance(&iface("inference"))?;
    inference.func_wrap("dimension", |store: StoreContextMut<'_, CallState>, (model,): (String,)| {
        let state = store.data();
        let result = granted(state, &model).and_then(|()| match &state.inference {
            Some(backend) => backend.dimension(&model),
            None => Err(InferenceError::ModelUnavailable(model.clone())),
        });
        Ok((result,))
    })?;
    inference.func_wrap_async(
        "embed",
        |mut store: StoreContextMut<'_, CallState>, (model, texts): (String, Vec<String>)| {
            Box::new(async move {
                let count = texts.len() as u64;
                let state = store.data();
                // Counted on drop too: a call cut at its deadline reports the time it waited.
                let _wall = AddElapsed(std::time::Instant::now(), state.inference_wall_ns.clone());
                let (meter, partition) = (state.inference_cpu_ns.clone(), state.cache_partition.clone());
                let result = match check_embed(state, &model, &texts) {
                    Ok((backend, permits)) => embed(backend, permits, meter, partition, model.clone(), texts).await,
                    Err(e) => Err(e),
                };
                if result.is_ok() {
                    *store.data_mut().models_used.entry(model).or_default() += count;
                }
                Ok((result,))
            })
        },
    )?;
    Ok(())
}

/// Adds the time since `.0` to the counter `.1` (nanoseconds) when dropped.
struct AddElapsed(std::time::Instant, Arc<std::sync::atomic::AtomicU64>);

impl Drop for AddElapsed {
    fn drop(&mut self) {
        self.1.fetch_add(self.0.elapsed().as_nanos() as u64, Ordering::AcqRel);
    }
}

/// Sets its flag when dropped: the call's future was dropped (deadline, stop switch), so the
/// inference thread stops at its next batch instead of finishing work nobody will read.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

type Permits = Arc<tokio::sync::Semaphore>;

/// The grant and size checks of an `embed` import, and what computing it needs.
fn check_embed(
    state: &CallState,
    model: &str,
    texts: &[String],
) -> Result<(Arc<dyn crate::inference::Inference>, Permits), InferenceError> {
    granted(state, model)?;
    if texts.len() > MAX_TEXTS_PER_CALL {
        return Err(InferenceError::InputTooLarge(format!(
            "{} texts in one call (at most {MAX_TEXTS_PER_CALL})",
            texts.len()
        )));
    }
    if let Some(t) = texts.iter().find(|t| t.len() > MAX_TEXT_BYTES) {
        return Err(InferenceError::InputTooLarge(format!("a text of {} bytes (at most {MAX_TEXT_BYTES})", t.len())));
    }
    let backend = state.inference.clone().ok_or_else(|| InferenceError::ModelUnavailable(model.to_owned()))?;
    Ok((backend, state.inference_permits.clone()))
}

/// One `embed` import, computed on the blocking pool (never on the plugin's fiber stack), under a
/// host-wide permit, cancellable between batches. The computing thread adds its CPU time to
/// `meter` as it goes.
async fn embed(
    backend: Arc<dyn crate::inference::Inference>,
    permits: Permits,
    meter: Arc<std::sync::atomic::AtomicU64>,
    partition: String,
    model: String,
    texts: Vec<String>,
) -> Result<Vec<Vec<f32>>, InferenceError> {
    // Waiting for a permit is under the call's deadline like everything else.
    let Ok(permit) = permits.acquire_owned().await else {
        return Err(InferenceError::Internal("the host is shutting down".into()));
    };
    let cancelled = Arc::new(AtomicBool::new(false));
    let _cancel = CancelOnDrop(cancelled.clone());
    let job = tokio::task::spawn_blocking(move || {
        let control = EmbedControl::metered(cancelled, meter).with_partition(partition);
        let result = backend.embed_until(&model, &texts, &control);
        control.publish();
        // The permit is held until the thread is done, cancelled or not: no more threads
        // compute at once than the host allows.
        drop(permit);
        result
    });
    match job.await {
        Ok(done) => done,
        Err(e) => Err(InferenceError::Internal(format!("inference thread failed: {e}"))),
    }
}
