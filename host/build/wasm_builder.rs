//! Compiles guest crates of this workspace to WebAssembly components from a build script, in
//! the manner of wasmtime's `crates/test-programs/artifacts`: a nested `cargo build` with its
//! own target directory (sharing the outer one would deadlock on cargo's lock).

use std::path::{Path, PathBuf};
use std::process::Command;

pub const TARGET: &str = "wasm32-wasip2";
const PROFILE: &str = "plugin";

pub struct Builder {
    pub workspace: PathBuf,
    pub target_dir: PathBuf,
    cargo: String,
}

impl Builder {
    pub fn new() -> Self {
        let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
        let workspace = manifest_dir.parent().unwrap().to_owned();
        let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
        // The outer target directory is the ancestor cargo marked with CACHEDIR.TAG.
        let target_dir = out_dir
            .ancestors()
            .find(|p| p.join("CACHEDIR.TAG").exists())
            .map(|t| t.join("wasm-components"))
            .unwrap_or_else(|| out_dir.join("wasm-components"));
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        Self { workspace, target_dir, cargo }
    }

    /// Installs the wasm32-wasip2 target with rustup when this toolchain lacks it:
    /// `rust-toolchain.toml` does not add targets to an already installed toolchain.
    pub fn ensure_target(&self) {
        let sysroot = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .args(["--print", "sysroot"])
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
        let installed =
            sysroot.as_deref().is_some_and(|s| Path::new(s).join("lib/rustlib").join(TARGET).join("lib").exists());
        if installed {
            return;
        }
        println!("cargo:warning=installing the {TARGET} target with rustup (first build on this machine)");
        let status = Command::new("rustup").args(["target", "add", TARGET]).status();
        match status {
            Ok(s) if s.success() => {}
            other => panic!(
                "the {TARGET} target is missing and `rustup target add {TARGET}` failed ({other:?}); \
                 install it by hand and build again"
            ),
        }
    }

    /// Builds `package` (with `features`) and returns the path of its component.
    pub fn build(&self, package: &str, features: &[&str]) -> PathBuf {
        let mut cmd = Command::new(&self.cargo);
        cmd.current_dir(&self.workspace)
            .args(["build", "--quiet", "--target", TARGET, "--profile", PROFILE, "-p", package])
            .arg("--target-dir")
            .arg(&self.target_dir);
        if !features.is_empty() {
            cmd.arg("--features").arg(features.join(","));
        }
        for var in [
            "CARGO_ENCODED_RUSTFLAGS",
            "RUSTFLAGS",
            "CARGO_TARGET_DIR",
            "CARGO_BUILD_TARGET",
            "CARGO_BUILD_RUSTFLAGS",
            "RUSTC_WORKSPACE_WRAPPER",
            "CARGO_PRIMARY_PACKAGE",
            "CARGO_MANIFEST_DIR",
            "CARGO_MANIFEST_PATH",
        ] {
            cmd.env_remove(var);
        }
        for (key, _) in std::env::vars() {
            if key.starts_with("CARGO_PROFILE_") || key.starts_with("CARGO_FEATURE_") || key.starts_with("CARGO_CFG_") {
                cmd.env_remove(key);
            }
        }
        let status = cmd.status().unwrap_or_else(|e| panic!("cannot run cargo to build {package}: {e}"));
        assert!(status.success(), "building the {package} component failed (features: {features:?})");
        let file = format!("{}.wasm", package.replace('-', "_"));
        self.target_dir.join(TARGET).join(PROFILE).join(file)
    }
}
