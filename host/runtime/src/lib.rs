//! # vivier-runtime: the sandbox
//!
//! Everything a plugin can reach is in this crate, and this crate depends on no server,
//! storage or CLI code: the WebAssembly engine, the linker and every host import, the limits
//! of a call, the call path and the checks of its result, and the checks of a bundle and its
//! manifest before anything of it is compiled. `README.md` beside this crate states each
//! guarantee and names the test that proves it.
//!
//! Data flow of a call: checked bundle → [`runtime::Runtime::load`] (bounded compile, import
//! allowlist, export types) → [`runtime::Runtime::parse`] / `assess` / `draft` (fresh store and
//! instance, limits armed, deadline held even inside host calls) → [`runtime::CallReport`].

pub mod bundle;
pub mod inference;
pub mod manifest;
pub mod model;
pub mod outbound;
pub mod runtime;
pub mod text;
pub mod world;

pub use runtime::{Runtime, RuntimeConfig};
