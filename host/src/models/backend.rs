//! The [`Inference`] backend of the host: models from the store, each loaded once on first use
//! and then shared by every call of every plugin (thread-safe).

use super::embedder::{default_threads, Embedder};
use super::store::{ModelManifest, ModelStore, ModelStoreError};
use crate::inference::EmbedControl;
use crate::inference::{Inference, InferenceError};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Slot = Arc<Mutex<Option<Arc<Embedder>>>>;

pub struct StoreBackend {
    store: ModelStore,
    threads: usize,
    slots: Mutex<HashMap<String, Slot>>,
}

impl std::fmt::Debug for StoreBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreBackend").field("store", &self.store.root()).finish_non_exhaustive()
    }
}

fn fingerprint_of(manifest: &ModelManifest) -> String {
    let mut h = sha2::Sha256::new();
    h.update(concat!("tract backend ", env!("CARGO_PKG_VERSION")).as_bytes());
    for f in &manifest.files {
        h.update(format!("\n{} {}", f.name, f.sha256).as_bytes());
    }
    hex::encode(h.finalize())
}

fn to_inference_error(id: &str, e: ModelStoreError) -> InferenceError {
    match e {
        ModelStoreError::NotInstalled { .. } | ModelStoreError::InvalidId(_) => {
            InferenceError::ModelUnavailable(id.to_owned())
        }
        other => InferenceError::Internal(other.to_string()),
    }
}

impl StoreBackend {
    pub fn new(store: ModelStore) -> Self {
        Self::with_threads(store, default_threads())
    }

    pub fn with_threads(store: ModelStore, threads: usize) -> Self {
        Self { store, threads, slots: Mutex::new(HashMap::new()) }
    }

    pub fn store(&self) -> &ModelStore {
        &self.store
    }

    /// The loaded model, loading it on first use. Concurrent first calls wait for one load;
    /// a failed load is not remembered, so installing the model later makes it usable.
    pub fn embedder(&self, id: &str) -> Result<Arc<Embedder>, ModelStoreError> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            slots.entry(id.to_owned()).or_default().clone()
        };
        let mut loaded = slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(embedder) = &*loaded {
            return Ok(embedder.clone());
        }
        let embedder = Arc::new(Embedder::load(&self.store, id, self.threads)?);
        tracing::info!(model = id, load_ms = embedder.load_time.as_millis() as u64, "model loaded");
        *loaded = Some(embedder.clone());
        Ok(embedder)
    }
}

impl StoreBackend {
    /// The model if it is loaded; `None` while it loads or before (never waits for a load).
    fn loaded(&self, id: &str) -> Option<Arc<Embedder>> {
        let slot = self.slots.lock().unwrap_or_else(|p| p.into_inner()).get(id)?.clone();
        let loaded = slot.try_lock().ok()?.clone();
        loaded
    }
}

impl Inference for StoreBackend {
    fn dimension(&self, model: &str) -> Result<u32, InferenceError> {
        if let Some(embedder) = self.loaded(model) {
            return Ok(embedder.dimension());
        }
        self.store.manifest(model).map(|m| m.dimension).map_err(|e| to_inference_error(model, e))
    }

    fn embed(&self, model: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError> {
        let embedder = self.embedder(model).map_err(|e| to_inference_error(model, e))?;
        embedder.embed(texts).map_err(InferenceError::Internal)
    }

    fn embed_until(
        &self,
        model: &str,
        texts: &[String],
        control: &EmbedControl,
    ) -> Result<Vec<Vec<f32>>, InferenceError> {
        let embedder = self.embedder(model).map_err(|e| to_inference_error(model, e))?;
        embedder.embed_until(texts, control).map_err(InferenceError::Internal)
    }

    fn prepare(&self, model: &str) -> Result<(), InferenceError> {
        self.embedder(model).map(drop).map_err(|e| to_inference_error(model, e))
    }

    /// The digests of the model's files as its manifest records them (checked when it loads),
    /// plus this backend's code version: another conversion or engine gives another fingerprint.
    /// Once the model is loaded, the files it was loaded from, not those the store holds now: a
    /// model replaced on disk (`vivier models import --force`) serves from memory until restart,
    /// and call reports and cache keys must name what computed.
    fn fingerprint(&self, model: &str) -> Option<String> {
        match self.loaded(model) {
            Some(embedder) => Some(fingerprint_of(embedder.manifest())),
            None => self.store.manifest(model).ok().map(|m| fingerprint_of(&m)),
        }
    }
}
