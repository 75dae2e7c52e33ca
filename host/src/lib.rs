//! # Vivier host
//!
//! Runs vendor plugins (WebAssembly components implementing the `vivier:hr` worlds) in a
//! sandbox, for AI-assisted recruitment in which a human always decides.
//!
//! Data flow of a call: request → (pseudonymise) → slot → [`runtime::Runtime`] sandboxed call →
//! [`runtime::CallReport`] (audit) → response.

#![recursion_limit = "512"]

pub mod audit;
pub mod auth;
pub mod builtin;
pub mod cli;
pub mod conformance;
pub mod drafting;
pub mod embedding_cache;
pub mod embedding_disk;
pub mod eval;
pub mod grants;
pub mod json_resume;
pub mod lint;
pub mod models;
pub mod posting;
pub mod probe;
pub mod pseudonymise;
pub mod ranking;
pub mod register;
pub mod registry;
pub mod report;
pub mod server;
pub mod shadow;
pub mod store;
pub mod timeline;

// The sandbox is its own crate (`host/runtime`); its modules keep their paths here.
pub use vivier_runtime::{bundle, inference, manifest, model, outbound, runtime, text, world};
pub use vivier_runtime::{Runtime, RuntimeConfig};
