//! Fuzzes the bundle reader an administrator's upload goes through: zip archive (entry count,
//! sizes, names, compression), manifest, component digest and signature. Bad bytes must come back
//! as a `BundleError`, never a panic, and never a decompression that outgrows the limits.
#![no_main]

#[path = "../src/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::bundle_archive(data));
