//! Fuzzes `vivier-plugin.toml` parsing and validation: whatever a vendor writes, a typed
//! `ManifestError` or a manifest that validates and round-trips through TOML.
#![no_main]

#[path = "../src/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::manifest(data));
