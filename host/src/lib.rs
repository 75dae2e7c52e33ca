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
pub mod bundle;
pub mod cli;
pub mod conformance;
pub mod drafting;
pub mod embedding_cache;
pub mod embedding_disk;
pub mod eval;
pub mod grants;
pub mod inference;
pub mod json_resume;
pub mod lint;
pub mod manifest;
pub mod model;
pub mod models;
pub mod outbound;
pub mod posting;
pub mod probe;
pub mod pseudonymise;
pub mod ranking;
pub mod register;
pub mod registry;
pub mod report;
pub mod runtime;
pub mod server;
pub mod shadow;
pub mod store;
pub mod timeline;
pub mod world;

pub use runtime::{Runtime, RuntimeConfig};
