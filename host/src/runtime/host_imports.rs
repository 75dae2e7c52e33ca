//! Host interfaces linked into every plugin's sandbox. Each capability adds its own imports to
//! the linker; grants are checked per call from the store's state.

use super::sandbox::{CallState, LogLevel};
use crate::inference::{InferenceError, MAX_TEXTS_PER_CALL, MAX_TEXT_BYTES};
use crate::world::WIT_VERSION;
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
pub fn add_to_linker(linker: &mut Linker<CallState>) -> wasmtime::Result<()> {
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    // wasi:http is linked for every plugin, but only a manifest that asks for outbound hosts may
    // import it (world::check_import), and each request must match an administrator's grant.
    wasmtime_wasi_http::p2::add_only_http_to_linker_sync(linker)?;
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
    inference.func_wrap("embed", |store: StoreContextMut<'_, CallState>, (model, texts): (String, Vec<String>)| {
        let mut store = store;
        let started = std::time::Instant::now();
        let state = store.data();
        let result = granted(state, &model).and_then(|()| {
            if texts.len() > MAX_TEXTS_PER_CALL {
                return Err(InferenceError::InputTooLarge(format!(
                    "{} texts in one call (at most {MAX_TEXTS_PER_CALL})",
                    texts.len()
                )));
            }
            if let Some(t) = texts.iter().find(|t| t.len() > MAX_TEXT_BYTES) {
                return Err(InferenceError::InputTooLarge(format!(
                    "a text of {} bytes (at most {MAX_TEXT_BYTES})",
                    t.len()
                )));
            }
            match &state.inference {
                Some(backend) => backend.embed(&model, &texts),
                None => Err(InferenceError::ModelUnavailable(model.clone())),
            }
        });
        // Reported in the call report; it also counts in the plugin's time limit.
        store.data_mut().inference_time += started.elapsed();
        if result.is_ok() {
            *store.data_mut().models_used.entry(model).or_default() += texts.len() as u64;
        }
        Ok((result,))
    })?;
    Ok(())
}
