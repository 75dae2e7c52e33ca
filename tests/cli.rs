//! The `vivier` binary as a user runs it: output on stdout, one clear sentence on stderr for
//! errors, non-zero exit status, never a panic.

mod common;

use common::{stderr, stdout, vivier};

use std::process::Output;

fn fixture(name: &str) -> String {
    format!("{}/../tests/fixtures/conformance/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn assert_clean_error(o: &Output, needle: &str) {
    assert!(!o.status.success());
    let err = stderr(o);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(needle), "{err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
}

#[test]
fn parse_one_file_prints_one_json_document() {
    let dir = tempfile::tempdir().unwrap();
    let o = vivier(dir.path(), &["parse", &fixture("cv-fr.txt")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["identity"]["email"], "claire.exemple@example.fr");
    assert_eq!(v["plugin"]["id"], "vivier-cv-parser");
    assert_eq!(v["plugin"]["digest"].as_str().unwrap().len(), 64);
    assert!(v["profile"]["experiences"].as_array().unwrap().len() >= 2);
    assert!(v["gaps"].is_array());
}

#[test]
fn parse_several_files_prints_json_lines_and_json_resume() {
    let dir = tempfile::tempdir().unwrap();
    let cv = fixture("cv-fr.txt");
    let o = vivier(dir.path(), &["parse", &cv, &cv, "--format", "json-resume"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["basics"]["email"], "claire.exemple@example.fr");
    assert_eq!(lines[0]["work"][0]["startDate"], "2019-09");
    assert!(lines[0]["meta"]["vivier"].is_object());
}

#[test]
fn errors_are_one_sentence_without_panics() {
    let dir = tempfile::tempdir().unwrap();
    assert_clean_error(&vivier(dir.path(), &["parse", "/nonexistent/cv.pdf"]), "cannot read");
    assert_clean_error(
        &vivier(dir.path(), &["parse", &fixture("cv-fr.txt"), "--plugin", "nobody"]),
        "no plugin `nobody`",
    );
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    assert_clean_error(&vivier(dir.path(), &["parse", empty.to_str().unwrap()]), "empty");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, b"{ not json").unwrap();
    assert_clean_error(&vivier(dir.path(), &["draft", bad.to_str().unwrap()]), "not a valid draft request");
    assert_clean_error(&vivier(dir.path(), &["plugin", "verify", bad.to_str().unwrap()]), "zip");
}

#[test]
fn rank_and_draft_use_the_bundled_plugins() {
    let dir = tempfile::tempdir().unwrap();
    let posting = format!("{}/../tests/data/ranking/postings/p-paie.json", env!("CARGO_MANIFEST_DIR"));
    let o = vivier(dir.path(), &["rank", "--posting", &posting, &fixture("cv-fr.txt")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 1);
    assert!(stderr(&o).contains("aucune candidature"));
    let o = vivier(dir.path(), &["draft", &fixture("draft-request.json")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["human_review_required"], true);
    assert_eq!(v["generated_by"]["id"], "vivier-drafter-template");
}

#[test]
fn vendor_workflow_keygen_pack_conformance_install() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key = dir.path().join("vendor.key");
    let o = vivier(&data, &["plugin", "keygen", "--out", key.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = stdout(&o).trim().to_owned();
    assert_eq!(public.len(), 64);

    let components = common::components_dir();
    let manifest = components.join("example-matcher.toml");
    let wasm = components.join("example-matcher.wasm");
    let bundle = dir.path().join("example.zip");
    let o = vivier(
        &data,
        &[
            "plugin",
            "pack",
            "--manifest",
            manifest.to_str().unwrap(),
            "--component",
            wasm.to_str().unwrap(),
            "--out",
            bundle.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bundle = bundle.to_str().unwrap();

    let o = vivier(&data, &["conformance", bundle]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(" 0 failed"), "{}", stdout(&o));

    let o = vivier(&data, &["--trusted-key", &public, "plugin", "install", bundle]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = vivier(&data, &["--trusted-key", &public, "plugin", "activate", "example-matcher"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = vivier(&data, &["--trusted-key", &public, "plugin", "list"]);
    assert!(stdout(&o).lines().any(|l| l.starts_with("* example-matcher")), "{}", stdout(&o));
    let o = vivier(&data, &["--trusted-key", &public, "plugin", "inspect", "example-matcher"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["signature"]["status"], "verified");
    assert_eq!(v["active"], true);

    // Another vendor's key does not verify this bundle.
    let o = vivier(
        &data,
        &[
            "--trusted-key",
            &hex::encode(ed25519_dalek::SigningKey::from_bytes(&[3; 32]).verifying_key().to_bytes()),
            "plugin",
            "verify",
            bundle,
        ],
    );
    assert_clean_error(&o, "signature");
}
