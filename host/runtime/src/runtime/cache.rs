//! On-disk cache of compiled components.
//!
//! Compiling a component takes ~0.2 s per 100 KB; loading a cached one ~0.2 ms. A cached file is
//! native code, so it is only used when (1) its key matches the component digest and this
//! engine's exact configuration and version, and (2) it carries a MAC made with this host's
//! secret cache key. A stale, corrupt or foreign file is recompiled and replaced, never run.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use wasmtime::component::Component;
use wasmtime::Engine;

type HmacSha256 = Hmac<Sha256>;
const MAC_LEN: usize = 32;
const KEY_FILE: &str = "cache.key";

/// How a component was obtained, for reports and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CacheOutcome {
    Hit,
    /// Compiled now (no cache entry, or caching disabled).
    Compiled,
    /// An entry existed but was stale, corrupt or not ours: recompiled and replaced.
    Replaced,
}

#[derive(Debug)]
pub struct ComponentCache {
    dir: PathBuf,
    key: [u8; 32],
}

struct Sha256Hasher(Sha256);
impl Hasher for Sha256Hasher {
    fn finish(&self) -> u64 {
        unreachable!("only used to feed bytes into sha256")
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

impl ComponentCache {
    /// Opens (or creates) a cache directory and its secret key.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let key_path = dir.join(KEY_FILE);
        let key = match std::fs::read(&key_path) {
            Ok(bytes) if bytes.len() == 32 => bytes.try_into().expect("length checked"),
            _ => {
                let mut key = [0u8; 32];
                getrandom::getrandom(&mut key).map_err(std::io::Error::other)?;
                write_private(&key_path, &key)?;
                key
            }
        };
        Ok(Self { dir: dir.to_owned(), key })
    }

    fn entry_path(&self, engine: &Engine, component_digest: &str) -> PathBuf {
        let mut hasher = Sha256Hasher(Sha256::new());
        engine.precompile_compatibility_hash().hash(&mut hasher);
        hasher.0.update(component_digest.as_bytes());
        self.dir.join(format!("{}.cwasm", hex::encode(hasher.0.finalize())))
    }

    fn mac(&self, bytes: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("any key length works");
        mac.update(bytes);
        mac
    }

    /// Loads the compiled component from the cache, or compiles it with `compile` and stores it.
    pub fn load_or_compile<E>(
        &self,
        engine: &Engine,
        component_digest: &str,
        compile: impl FnOnce() -> Result<Component, E>,
    ) -> Result<(Component, CacheOutcome), E> {
        let path = self.entry_path(engine, component_digest);
        let existed = path.exists();
        if let Some(component) = self.try_load(engine, &path) {
            return Ok((component, CacheOutcome::Hit));
        }
        let component = compile()?;
        // A cache that cannot be written only costs speed.
        if let Err(e) = self.store(&path, &component) {
            tracing::warn!(path = %path.display(), error = %e, "could not write the component cache");
        }
        Ok((component, if existed { CacheOutcome::Replaced } else { CacheOutcome::Compiled }))
    }

    fn try_load(&self, engine: &Engine, path: &Path) -> Option<Component> {
        let bytes = std::fs::read(path).ok()?;
        if bytes.len() <= MAC_LEN {
            return None;
        }
        let (artifact, tag) = bytes.split_at(bytes.len() - MAC_LEN);
        self.mac(artifact).verify_slice(tag).ok()?;
        // SAFETY: the artifact was produced by `Component::serialize` on this host (the MAC
        // proves it was written with this host's secret key), and wasmtime checks that it
        // matches this engine's version and configuration.
        unsafe { Component::deserialize(engine, artifact) }.ok()
    }

    fn store(&self, path: &Path, component: &Component) -> wasmtime::Result<()> {
        let mut bytes = component.serialize()?;
        let tag = self.mac(&bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        // Write then rename, so a concurrent reader never sees half a file.
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        write_private(&tmp, &bytes)?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
