//! The on-disk layer of the embedding cache: vectors survive the process, so a second `vivier
//! rank` (or a restarted server) re-ranking the same profiles embeds nothing again.
//!
//! One file per vector, named by the sha256 of model id, model fingerprint (the digests of its
//! files) and text; the text itself is never written. Files sit under
//! `<root>/<model-id>-<fingerprint prefix>/<first key byte>/`, so a model whose files change
//! gets a fresh directory and the stale one is removed. A file carries its own checksum: a
//! torn, truncated, edited or foreign file is deleted and the vector recomputed, never trusted.
//! Writes go through a temporary file and a rename, so concurrent processes never see half a
//! vector. Bounded: each of the 256 shards keeps at most `capacity / 256` files, oldest first.
//!
//! The vectors are derived from CV passages, so the cache lives in the deployment's data
//! directory (same access rights and retention as the rest of its data), not in the shared
//! model store.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"VIVEMB01";
/// Files kept by default across all shards (about 31 MB for 384-dimension vectors).
pub const DEFAULT_DISK_CAPACITY: usize = 20_000;
const SHARDS: usize = 256;

/// Vectors of one model (one fingerprint) on disk.
#[derive(Debug, Clone)]
pub struct DiskCache {
    dir: PathBuf,
    model: String,
    fingerprint: String,
    per_shard: usize,
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn checksum(key: &[u8; 32], payload: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(MAGIC);
    h.update(key);
    h.update(payload);
    h.finalize().into()
}

/// Why a cache file was not used (it is then deleted and the vector recomputed).
#[derive(Debug, PartialEq, Eq)]
pub enum Rejected {
    Absent,
    Corrupt(&'static str),
}

impl DiskCache {
    /// The cache of `model` (identified by `fingerprint`, the digests of its files) under `root`.
    /// Directories of the same model with another fingerprint are removed: their vectors came
    /// from other weights.
    pub fn open(root: &Path, model: &str, fingerprint: &str, capacity: usize) -> std::io::Result<Self> {
        let prefix: String = fingerprint.chars().filter(char::is_ascii_hexdigit).take(16).collect();
        let name = format!("{model}-{prefix}");
        std::fs::create_dir_all(root)?;
        restrict(root);
        if let Ok(entries) = std::fs::read_dir(root) {
            for e in entries.flatten() {
                let other = e.file_name().to_string_lossy().into_owned();
                let same_model = other
                    .strip_prefix(model)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|r| r.len() == 16 && r.chars().all(|c| c.is_ascii_hexdigit()));
                if same_model && other != name {
                    tracing::info!(dir = %e.path().display(), "removing embeddings of a replaced model");
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = root.join(name);
        std::fs::create_dir_all(&dir)?;
        Ok(DiskCache {
            dir,
            model: model.to_owned(),
            fingerprint: fingerprint.to_owned(),
            per_shard: capacity.div_ceil(SHARDS).max(1),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of a text: model id, fingerprint and text, so nothing else can collide with it.
    pub fn key(&self, text: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        for part in [self.model.as_bytes(), self.fingerprint.as_bytes(), text.as_bytes()] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        h.finalize().into()
    }

    fn shard(&self, key: &[u8; 32]) -> PathBuf {
        self.dir.join(hex(&key[..1]))
    }

    pub fn path(&self, key: &[u8; 32]) -> PathBuf {
        self.shard(key).join(format!("{}.vec", hex(key)))
    }

    /// The stored vector of `key`, if a sound one of `dimension` values is there. A damaged file
    /// is deleted.
    pub fn get(&self, key: &[u8; 32], dimension: usize) -> Result<Vec<f32>, Rejected> {
        let path = self.path(key);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(_) => return Err(Rejected::Absent),
        };
        let result = decode(key, &bytes, dimension);
        if let Err(Rejected::Corrupt(why)) = &result {
            tracing::warn!(file = %path.display(), reason = why, "ignoring a damaged embedding cache file");
            let _ = std::fs::remove_file(&path);
        }
        result
    }

    /// Stores `vector` under `key`, then trims the shard. Failures are logged, not returned: the
    /// cache only saves time.
    pub fn put(&self, key: &[u8; 32], vector: &[f32]) {
        if let Err(e) = self.try_put(key, vector) {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot write the embedding cache");
        }
    }

    fn try_put(&self, key: &[u8; 32], vector: &[f32]) -> std::io::Result<()> {
        let shard = self.shard(key);
        std::fs::create_dir_all(&shard)?;
        let bytes = encode(key, vector);
        let tmp = shard.join(format!(".{}.{}.tmp", hex(&key[..8]), std::process::id()));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
        }
        std::fs::rename(&tmp, self.path(key))?;
        self.trim(&shard)
    }

    /// Oldest files of a shard go first once it holds more than its share.
    fn trim(&self, shard: &Path) -> std::io::Result<()> {
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(shard)?
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".vec"))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        if files.len() <= self.per_shard {
            return Ok(());
        }
        files.sort();
        for (_, p) in &files[..files.len() - self.per_shard] {
            let _ = std::fs::remove_file(p);
        }
        Ok(())
    }
}

fn encode(key: &[u8; 32], vector: &[f32]) -> Vec<u8> {
    let mut payload = Vec::with_capacity(4 + 4 * vector.len());
    payload.extend_from_slice(&(vector.len() as u32).to_le_bytes());
    for x in vector {
        payload.extend_from_slice(&x.to_le_bytes());
    }
    let mut out = Vec::with_capacity(8 + payload.len() + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&payload);
    out.extend_from_slice(&checksum(key, &payload));
    out
}

fn decode(key: &[u8; 32], bytes: &[u8], dimension: usize) -> Result<Vec<f32>, Rejected> {
    if bytes.len() != 8 + 4 + 4 * dimension + 32 {
        return Err(Rejected::Corrupt("wrong size"));
    }
    if &bytes[..8] != MAGIC {
        return Err(Rejected::Corrupt("not an embedding cache file"));
    }
    let payload = &bytes[8..bytes.len() - 32];
    if checksum(key, payload)[..] != bytes[bytes.len() - 32..] {
        return Err(Rejected::Corrupt("checksum mismatch"));
    }
    let n = u32::from_le_bytes(payload[..4].try_into().expect("4 bytes")) as usize;
    if n != dimension {
        return Err(Rejected::Corrupt("wrong dimension"));
    }
    let v: Vec<f32> =
        payload[4..].chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes"))).collect();
    // Backends return unit vectors; anything else did not come from one.
    let norm = v.iter().map(|x| x * x).sum::<f32>();
    if v.iter().any(|x| !x.is_finite()) || (norm - 1.0).abs() > 1e-3 {
        return Err(Rejected::Corrupt("not a unit vector"));
    }
    Ok(v)
}

/// The cache holds data derived from CVs: only the host's user may read it.
fn restrict(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(seed: f32, dim: usize) -> Vec<f32> {
        let v: Vec<f32> = (0..dim).map(|i| (i as f32 + seed).sin()).collect();
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / n).collect()
    }

    #[test]
    fn round_trip_and_every_kind_of_damage_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(root.path(), "m", &"ab".repeat(32), 1000).unwrap();
        let k = cache.key("passage: paie");
        let v = unit(1.0, 8);
        assert_eq!(cache.get(&k, 8), Err(Rejected::Absent));
        cache.put(&k, &v);
        assert_eq!(cache.get(&k, 8).unwrap(), v);
        let path = cache.path(&k);
        let good = std::fs::read(&path).unwrap();
        assert_eq!(cache.get(&k, 16), Err(Rejected::Corrupt("wrong size")));
        assert!(!path.exists(), "a file of another dimension is deleted");
        let mut flipped = good.clone();
        flipped[20] ^= 1;
        let mut wrong_magic = good.clone();
        wrong_magic[0] = b'X';
        // A sound file copied under another key does not serve that key.
        let other = cache.key("passage: autre");
        for (bytes, key, why) in [
            (flipped, k, "checksum mismatch"),
            (good[..good.len() - 1].to_vec(), k, "wrong size"),
            (wrong_magic, k, "not an embedding cache file"),
            (good.clone(), other, "checksum mismatch"),
        ] {
            std::fs::create_dir_all(cache.path(&key).parent().unwrap()).unwrap();
            std::fs::write(cache.path(&key), &bytes).unwrap();
            assert_eq!(cache.get(&key, 8), Err(Rejected::Corrupt(why)));
            assert!(!cache.path(&key).exists(), "a damaged file is deleted");
        }
        // A well-formed file whose vector is not a unit vector is refused too.
        cache.put(&k, &[2.0; 8]);
        assert_eq!(cache.get(&k, 8), Err(Rejected::Corrupt("not a unit vector")));
    }

    #[test]
    fn another_fingerprint_replaces_the_directory_and_shards_are_bounded() {
        let root = tempfile::tempdir().unwrap();
        let old = DiskCache::open(root.path(), "m", &"aa".repeat(32), 256).unwrap();
        let k = old.key("t");
        old.put(&k, &unit(0.0, 4));
        let keep = DiskCache::open(root.path(), "m-other", &"cc".repeat(32), 256).unwrap();
        let new = DiskCache::open(root.path(), "m", &"bb".repeat(32), 256).unwrap();
        assert!(!old.dir().exists(), "the old model's vectors are removed");
        assert!(keep.dir().exists(), "another model's are kept");
        assert_ne!(new.key("t"), k, "the fingerprint is part of the key");

        // 256 files over 256 shards: one per shard; writing many texts keeps that bound.
        for i in 0..600 {
            new.put(&new.key(&format!("t{i}")), &unit(i as f32, 4));
        }
        for shard in std::fs::read_dir(new.dir()).unwrap().flatten() {
            let n = std::fs::read_dir(shard.path()).unwrap().count();
            assert!(n <= 1, "{n} files in {}", shard.path().display());
        }
    }
}
