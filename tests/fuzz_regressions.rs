//! Replays every input a fuzzer once failed on (`tests/data/fuzz-regressions/<target>/`) through
//! the same check the fuzz target runs (`fuzz/src/checks.rs`), so that a fixed crash stays fixed.
//! A new finding: copy `fuzz/artifacts/<target>/crash-*` into the target's folder (see its
//! README).

#[path = "../fuzz/src/checks.rs"]
#[allow(dead_code)] // api_warm_up: libFuzzer's init hook, not needed to replay.
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/fuzz-regressions").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{}: no input to replay", dir.display());
    let mut failed = Vec::new();
    for path in &inputs {
        let data = std::fs::read(path).expect("regression input");
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(failed.is_empty(), "{target}: these fuzzer findings fail again: {failed:?}");
    inputs.len()
}

#[test]
fn parse_document_findings_stay_fixed() {
    replay("parse_document", checks::parse_document);
}

#[test]
fn bundle_archive_findings_stay_fixed() {
    replay("bundle_archive", checks::bundle_archive);
}

#[test]
fn manifest_findings_stay_fixed() {
    replay("manifest", checks::manifest);
}

#[test]
fn ad_linter_findings_stay_fixed() {
    replay("ad_linter", checks::ad_linter);
}

#[test]
fn api_bodies_findings_stay_fixed() {
    replay("api_bodies", checks::api_bodies);
}
