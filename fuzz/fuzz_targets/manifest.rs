//! Fuzzes `vivier-plugin.toml` parsing and validation: whatever a vendor writes, a typed
//! `ManifestError` or a manifest that validates and round-trips through TOML.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(manifest) = vivier::manifest::Manifest::parse(text) {
        let again = vivier::manifest::Manifest::parse(&manifest.to_toml()).expect("a parsed manifest re-parses");
        assert_eq!(again.to_toml(), manifest.to_toml());
    }
});
