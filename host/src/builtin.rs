//! Reference plugins compiled into the binary by `build.rs`.

use crate::bundle::{Bundle, BundleError};
use crate::manifest::Manifest;

/// A component built from `plugins/` with its source manifest.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinComponent {
    pub package: &'static str,
    pub manifest: &'static str,
    pub wasm: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

impl BuiltinComponent {
    /// The bundle, with the digest computed from the embedded component.
    pub fn bundle(&self) -> Result<Bundle, BundleError> {
        let manifest = Manifest::parse(self.manifest)?;
        Bundle::pack(manifest, self.wasm.to_vec(), None)
    }
}

/// Bundles of every reference plugin.
pub fn bundles() -> Result<Vec<Bundle>, BundleError> {
    BUNDLED.iter().map(BuiltinComponent::bundle).collect()
}
