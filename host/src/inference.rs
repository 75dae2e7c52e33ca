//! The `inference` host interface: text embeddings computed by the host, never by plugins.
//! The model store and the tract backend plug in through [`Inference`].

use serde::Serialize;
use wasmtime::component::{ComponentType, Lift, Lower};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ComponentType, Lift, Lower, thiserror::Error)]
#[component(variant)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum InferenceError {
    #[component(name = "model-not-granted")]
    #[error("model {0} is not granted to this plugin")]
    ModelNotGranted(String),
    #[component(name = "model-unavailable")]
    #[error("model {0} is not installed on this host")]
    ModelUnavailable(String),
    #[component(name = "input-too-large")]
    #[error("input too large: {0}")]
    InputTooLarge(String),
    #[component(name = "internal")]
    #[error("inference failed: {0}")]
    Internal(String),
}

/// A local embedding backend shared by every call (the model is loaded once).
pub trait Inference: Send + Sync + std::fmt::Debug {
    fn dimension(&self, model: &str) -> Result<u32, InferenceError>;
    /// One L2-normalised vector per text.
    fn embed(&self, model: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError>;
    /// Makes `model` ready (e.g. loads its weights), so that a plugin's first call does not pay
    /// for it inside its time limit. Called when a plugin that names the model is loaded.
    fn prepare(&self, model: &str) -> Result<(), InferenceError> {
        self.dimension(model).map(drop)
    }
    /// What identifies the weights behind `model` (e.g. the digests of its files), so that
    /// vectors kept across processes are never served for other weights. `None`: do not keep
    /// this model's vectors on disk.
    fn fingerprint(&self, _model: &str) -> Option<String> {
        None
    }
    /// Drops every vector kept for later calls (in memory and on disk). Called when a candidate
    /// is erased: cached vectors are derived from CV passages and cannot be traced back to one
    /// candidate, so erasure empties the whole cache rather than leave them until rotation.
    fn forget_all(&self) {}
}

/// Most texts a single `embed` call may carry.
pub const MAX_TEXTS_PER_CALL: usize = 256;
/// Longest text accepted, in bytes (longer texts are truncated by the tokenizer anyway).
pub const MAX_TEXT_BYTES: usize = 64 << 10;
