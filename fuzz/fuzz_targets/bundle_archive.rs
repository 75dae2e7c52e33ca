//! Fuzzes the bundle reader an administrator's upload goes through: zip archive (entry count,
//! sizes, names, compression), manifest, component digest and signature. Bad bytes must come back
//! as a `BundleError`, never a panic, and never a decompression that outgrows the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(bundle) = vivier::bundle::Bundle::read_zip(std::io::Cursor::new(data)) {
        let _ = bundle.check_signature(&[]);
    }
});
