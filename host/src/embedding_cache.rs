//! A memory cache in front of any [`Inference`] backend: texts already embedded (a profile's
//! passages, keyed by the digest of model and text) are not computed again, so re-ranking the
//! same candidates for another posting, or again after an edit of the posting, only embeds
//! what is new. Plugins cannot keep anything between calls (fresh sandboxed instance each
//! time), so the place for this cache is the host. Bounded: oldest entries go first.
//!
//! With [`CachedInference::with_disk`], vectors also go to an on-disk layer
//! ([`crate::embedding_disk`]) keyed by the model's fingerprint, so that another process (the
//! next `vivier rank`, a restarted server) re-ranking the same profiles computes nothing again.

use crate::embedding_disk::DiskCache;
use crate::inference::EmbedControl;
use crate::inference::{Inference, InferenceError};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Vectors kept by default (≈ 30 MB for 384-dimension vectors).
pub const DEFAULT_CAPACITY: usize = 20_000;

#[derive(Default)]
struct Store {
    vectors: HashMap<[u8; 32], Vec<f32>>,
    order: VecDeque<[u8; 32]>,
    stats: CacheStats,
}

/// Texts served and computed since the cache was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub memory_hits: u64,
    pub disk_hits: u64,
    /// Texts the backend embedded.
    pub computed: u64,
}

struct Disk {
    root: PathBuf,
    capacity: usize,
    /// One cache per model, opened on the model's first use; `None` when the backend gives no
    /// fingerprint for it (nothing then goes to disk).
    models: Mutex<HashMap<String, Option<DiskCache>>>,
}

pub struct CachedInference {
    inner: Arc<dyn Inference>,
    capacity: usize,
    store: Mutex<Store>,
    disk: Option<Disk>,
}

impl std::fmt::Debug for CachedInference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedInference")
            .field("inner", &self.inner)
            .field("stats", &self.stats())
            .field("disk", &self.disk.as_ref().map(|d| &d.root))
            .finish()
    }
}

/// The key of a text: one partition per plugin digest (see `EmbedControl::partition`), so a
/// plugin cannot tell by timing whether a text was embedded before by another plugin or call.
fn key(partition: &str, model: &str, text: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(partition.as_bytes());
    h.update([0]);
    h.update(model.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    h.finalize().into()
}

impl CachedInference {
    pub fn new(inner: Arc<dyn Inference>, capacity: usize) -> Self {
        CachedInference { inner, capacity: capacity.max(1), store: Mutex::new(Store::default()), disk: None }
    }

    /// Also keeps vectors under `root`, at most `capacity` files.
    pub fn with_disk(mut self, root: impl Into<PathBuf>, capacity: usize) -> Self {
        self.disk = Some(Disk { root: root.into(), capacity, models: Mutex::new(HashMap::new()) });
        self
    }

    pub fn stats(&self) -> CacheStats {
        self.store.lock().unwrap_or_else(|e| e.into_inner()).stats
    }

    fn disk_cache(&self, model: &str) -> Option<DiskCache> {
        let disk = self.disk.as_ref()?;
        let mut models = disk.models.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = models.get(model) {
            return c.clone();
        }
        let cache = self.inner.fingerprint(model).and_then(|fp| {
            DiskCache::open(&disk.root, model, &fp, disk.capacity)
                .map_err(|e| tracing::warn!(dir = %disk.root.display(), error = %e, "embedding cache on disk disabled"))
                .ok()
        });
        // A model not installed yet gives no fingerprint: ask again next time.
        if cache.is_some() {
            models.insert(model.to_owned(), cache.clone());
        }
        cache
    }
}

impl CachedInference {
    fn remember(&self, s: &mut Store, k: [u8; 32], v: Vec<f32>) {
        if s.vectors.insert(k, v).is_none() {
            s.order.push_back(k);
        }
        while s.order.len() > self.capacity {
            if let Some(old) = s.order.pop_front() {
                s.vectors.remove(&old);
            }
        }
    }
}

impl Inference for CachedInference {
    fn dimension(&self, model: &str) -> Result<u32, InferenceError> {
        self.inner.dimension(model)
    }

    fn fingerprint(&self, model: &str) -> Option<String> {
        self.inner.fingerprint(model)
    }

    fn forget_all(&self) {
        {
            let mut s = self.store.lock().unwrap_or_else(|e| e.into_inner());
            s.vectors.clear();
            s.order.clear();
        }
        if let Some(disk) = &self.disk {
            // Reopened (empty) on the next call; a removal error leaves files the next erasure retries.
            disk.models.lock().unwrap_or_else(|e| e.into_inner()).clear();
            if let Err(e) = std::fs::remove_dir_all(&disk.root) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(dir = %disk.root.display(), error = %e, "could not empty the embedding cache");
                }
            }
        }
        self.inner.forget_all();
    }

    fn embed(&self, model: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError> {
        self.embed_until(model, texts, &EmbedControl::default())
    }

    fn embed_until(
        &self,
        model: &str,
        texts: &[String],
        control: &EmbedControl,
    ) -> Result<Vec<Vec<f32>>, InferenceError> {
        let partition = control.partition();
        let keys: Vec<[u8; 32]> = texts.iter().map(|t| key(partition, model, t)).collect();
        // On disk too: the text is keyed with its partition.
        let disk_text = |t: &str| if partition.is_empty() { t.to_owned() } else { format!("{partition}\u{0}{t}") };
        let mut out: Vec<Option<Vec<f32>>> = {
            let s = self.store.lock().unwrap_or_else(|e| e.into_inner());
            keys.iter().map(|k| s.vectors.get(k).cloned()).collect()
        };
        let memory_hits = out.iter().filter(|v| v.is_some()).count() as u64;
        let mut disk_hits = 0u64;
        let disk = if memory_hits < texts.len() as u64 { self.disk_cache(model) } else { None };
        if let Some(disk) = &disk {
            let dimension = self.inner.dimension(model)? as usize;
            let mut found = Vec::new();
            for (i, slot) in out.iter_mut().enumerate() {
                if slot.is_none() {
                    if let Ok(v) = disk.get(&disk.key(&disk_text(&texts[i])), dimension) {
                        found.push((keys[i], v.clone()));
                        *slot = Some(v);
                        disk_hits += 1;
                    }
                }
            }
            let mut s = self.store.lock().unwrap_or_else(|e| e.into_inner());
            for (k, v) in found {
                self.remember(&mut s, k, v);
            }
        }
        // Compute each missing text once, even when it repeats within the request.
        let mut todo: Vec<usize> = Vec::new();
        for (i, v) in out.iter().enumerate() {
            if v.is_none() && !todo.iter().any(|&j| keys[j] == keys[i]) {
                todo.push(i);
            }
        }
        if !todo.is_empty() {
            let batch: Vec<String> = todo.iter().map(|&i| texts[i].clone()).collect();
            let computed = self.inner.embed_until(model, &batch, control)?;
            if computed.len() != batch.len() {
                return Err(InferenceError::Internal(format!(
                    "backend returned {} vectors for {} texts",
                    computed.len(),
                    batch.len()
                )));
            }
            if let Some(disk) = &disk {
                for (&i, v) in todo.iter().zip(&computed) {
                    disk.put(&disk.key(&disk_text(&texts[i])), v);
                }
            }
            let fresh: HashMap<[u8; 32], Vec<f32>> = todo.iter().map(|&i| keys[i]).zip(computed).collect();
            for (i, slot) in out.iter_mut().enumerate() {
                if slot.is_none() {
                    *slot = fresh.get(&keys[i]).cloned();
                }
            }
            let mut s = self.store.lock().unwrap_or_else(|e| e.into_inner());
            for (k, v) in fresh {
                self.remember(&mut s, k, v);
            }
        }
        let mut s = self.store.lock().unwrap_or_else(|e| e.into_inner());
        // Repeats within the request count as memory hits, as texts served without computing.
        let memory_hits = texts.len() as u64 - disk_hits - todo.len() as u64;
        s.stats.memory_hits += memory_hits;
        s.stats.disk_hits += disk_hits;
        s.stats.computed += todo.len() as u64;
        tracing::debug!(model, texts = texts.len(), memory_hits, disk_hits, computed = todo.len(), "embedding cache");
        drop(s);
        out.into_iter()
            .map(|v| v.ok_or_else(|| InferenceError::Internal("embedding missing from the backend's answer".into())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug, Default)]
    struct Counting(AtomicUsize);

    impl Inference for Counting {
        fn dimension(&self, _: &str) -> Result<u32, InferenceError> {
            Ok(2)
        }
        fn embed(&self, _: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError> {
            self.0.fetch_add(texts.len(), Ordering::SeqCst);
            Ok(texts.iter().map(|t| vec![t.len() as f32, 1.0]).collect())
        }
    }

    #[test]
    fn texts_are_embedded_once_per_model() {
        let inner = Arc::new(Counting::default());
        let cache = CachedInference::new(inner.clone(), 100);
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let a = cache.embed("m", &t(&["passage: a", "passage: bb", "passage: a"])).unwrap();
        assert_eq!(a, vec![vec![10.0, 1.0], vec![11.0, 1.0], vec![10.0, 1.0]]);
        assert_eq!(inner.0.load(Ordering::SeqCst), 2);
        let b = cache.embed("m", &t(&["passage: bb", "query: c"])).unwrap();
        assert_eq!(b[0], vec![11.0, 1.0]);
        assert_eq!(inner.0.load(Ordering::SeqCst), 3);
        // Another model is another key.
        cache.embed("other", &t(&["passage: a"])).unwrap();
        assert_eq!(inner.0.load(Ordering::SeqCst), 4);
        assert_eq!(cache.stats(), CacheStats { memory_hits: 2, disk_hits: 0, computed: 4 });
    }

    #[test]
    fn bounded_oldest_first() {
        let inner = Arc::new(Counting::default());
        let cache = CachedInference::new(inner.clone(), 2);
        let one = |s: &str| cache.embed("m", &[s.to_string()]).unwrap();
        one("a");
        one("b");
        one("c");
        one("a");
        assert_eq!(inner.0.load(Ordering::SeqCst), 4, "a was evicted by c");
        one("c");
        assert_eq!(inner.0.load(Ordering::SeqCst), 4);
    }

    /// A backend that names its weights and returns unit vectors, as the real one does.
    #[derive(Debug, Default)]
    struct Fingerprinted(AtomicUsize);

    impl Inference for Fingerprinted {
        fn dimension(&self, _: &str) -> Result<u32, InferenceError> {
            Ok(2)
        }
        fn fingerprint(&self, _: &str) -> Option<String> {
            Some("0123456789abcdef".repeat(4))
        }
        fn embed(&self, _: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError> {
            self.0.fetch_add(texts.len(), Ordering::SeqCst);
            Ok(texts.iter().map(|t| (t.len() as f32).sin_cos()).map(|(a, b)| vec![a, b]).collect())
        }
    }

    /// Erasing a candidate empties the cache: nothing derived from a CV stays on disk or in memory.
    #[test]
    fn forget_all_empties_memory_and_disk() {
        let dir = tempfile::tempdir().unwrap();
        let texts: Vec<String> = ["passage: a", "passage: bb"].map(String::from).to_vec();
        let backend = Arc::new(Fingerprinted::default());
        let cache = CachedInference::new(backend.clone(), 100).with_disk(dir.path().join("embeddings"), 100);
        cache.embed("m", &texts).unwrap();
        assert!(dir.path().join("embeddings").exists());
        cache.forget_all();
        assert!(!dir.path().join("embeddings").exists(), "the vectors on disk are gone");
        cache.embed("m", &texts).unwrap();
        assert_eq!(backend.0.load(Ordering::SeqCst), 4, "both texts are computed again");
        // A fresh process over the same directory finds only what was computed after the erasure.
        let again = Arc::new(Fingerprinted::default());
        CachedInference::new(again.clone(), 100)
            .with_disk(dir.path().join("embeddings"), 100)
            .embed("m", &texts)
            .unwrap();
        assert_eq!(again.0.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn each_plugin_has_its_own_partition() {
        let backend = Arc::new(Counting::default());
        let cache = CachedInference::new(backend.clone(), 100);
        let texts = vec!["passage: a".to_owned()];
        let (a, b) =
            (EmbedControl::default().with_partition("digest-a"), EmbedControl::default().with_partition("digest-b"));
        cache.embed_until("m", &texts, &a).unwrap();
        cache.embed_until("m", &texts, &a).unwrap();
        assert_eq!(backend.0.load(Ordering::SeqCst), 1, "a plugin's own entries serve it");
        cache.embed_until("m", &texts, &b).unwrap();
        assert_eq!(backend.0.load(Ordering::SeqCst), 2, "another plugin's entries are not visible");
    }

    #[test]
    fn a_second_cache_on_the_same_directory_computes_nothing_and_ignores_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        let texts: Vec<String> = ["passage: a", "passage: bb", "passage: ccc"].map(String::from).to_vec();
        let first_backend = Arc::new(Fingerprinted::default());
        let first = CachedInference::new(first_backend.clone(), 100).with_disk(dir.path(), 100);
        let expected = first.embed("m", &texts).unwrap();
        assert_eq!(first_backend.0.load(Ordering::SeqCst), 3);

        // Another process: an empty memory cache over the same directory.
        let second_backend = Arc::new(Fingerprinted::default());
        let second = CachedInference::new(second_backend.clone(), 100).with_disk(dir.path(), 100);
        assert_eq!(second.embed("m", &texts).unwrap(), expected);
        assert_eq!(second_backend.0.load(Ordering::SeqCst), 0);
        assert_eq!(second.stats(), CacheStats { memory_hits: 0, disk_hits: 3, computed: 0 });

        // One damaged file: that text alone is computed again, and the result is right.
        let disk = second.disk_cache("m").unwrap();
        let path = disk.path(&disk.key(&texts[1]));
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[12] ^= 0x40;
        std::fs::write(&path, &bytes).unwrap();
        let third_backend = Arc::new(Fingerprinted::default());
        let third = CachedInference::new(third_backend.clone(), 100).with_disk(dir.path(), 100);
        assert_eq!(third.embed("m", &texts).unwrap(), expected);
        assert_eq!(third_backend.0.load(Ordering::SeqCst), 1);
        assert_eq!(third.stats(), CacheStats { memory_hits: 0, disk_hits: 2, computed: 1 });
    }

    #[test]
    fn without_a_fingerprint_nothing_goes_to_disk() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CachedInference::new(Arc::new(Counting::default()), 100).with_disk(dir.path().join("e"), 100);
        cache.embed("m", &["passage: a".to_string()]).unwrap();
        assert!(!dir.path().join("e").exists());
    }
}
