//! Shared helpers of the integration tests: test components built by host/build.rs, and the
//! `vivier` binary run as a user runs it.
#![allow(dead_code)]

use std::path::PathBuf;
use vivier::bundle::{Bundle, SignatureStatus};
use vivier::manifest::Manifest;
use vivier::runtime::{LoadError, LoadedPlugin, PluginGrants};
use vivier::{Runtime, RuntimeConfig};

pub fn components_dir() -> PathBuf {
    PathBuf::from(env!("VIVIER_TEST_COMPONENTS"))
}

pub fn component(name: &str) -> Vec<u8> {
    let path = components_dir().join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("test component {} missing: {e}", path.display()))
}

pub fn runtime() -> Runtime {
    Runtime::new(RuntimeConfig::default()).expect("runtime starts")
}

/// A manifest for a test component.
pub fn manifest(id: &str, world: &str, memory_mib: u32, timeout_ms: u32, extra_caps: &str) -> Manifest {
    Manifest::parse(&format!(
        r#"
[plugin]
id = "{id}"
name = "Test {id}"
version = "0.0.1"
vendor = "Vivier tests"
world = "{world}"
wit-version = "0.1.0"
description = "Test component."

[capabilities]
memory-mib = {memory_mib}
timeout-ms = {timeout_ms}
{extra_caps}

[transparency]
provider = "Vivier tests"
contact = "tests@example.invalid"
intended-purpose = "Tests de confinement"
limitations = ["Composant de test"]
human-oversight = "Aucune"
"#
    ))
    .expect("test manifest is valid")
}

pub fn hostile_bundle(feature: &str, memory_mib: u32, timeout_ms: u32, extra_caps: &str) -> Bundle {
    let m = manifest(&format!("hostile-{feature}"), "skills-matcher", memory_mib, timeout_ms, extra_caps);
    Bundle::pack(m, component(&format!("hostile-{feature}")), None).expect("bundle packs")
}

pub fn load_hostile(rt: &Runtime, feature: &str, memory_mib: u32, timeout_ms: u32) -> Result<LoadedPlugin, LoadError> {
    let bundle = hostile_bundle(feature, memory_mib, timeout_ms, "");
    rt.load(&bundle, SignatureStatus::Unsigned, PluginGrants::default())
}

/// Resident memory of this process, in bytes.
pub fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096
}

/// Runs the `vivier` binary on a data directory, as a user would, and collects its output.
pub fn vivier(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vivier"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("VIVIER_TRUSTED_KEYS")
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
