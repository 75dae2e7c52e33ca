//! A memory cache in front of any [`Inference`] backend: texts already embedded (a profile's
//! passages, keyed by the digest of model and text) are not computed again, so re-ranking the
//! same candidates for another posting, or again after an edit of the posting, only embeds
//! what is new. Plugins cannot keep anything between calls (fresh sandboxed instance each
//! time), so the place for this cache is the host. Bounded: oldest entries go first.

use crate::inference::{Inference, InferenceError};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Vectors kept by default (≈ 30 MB for 384-dimension vectors).
pub const DEFAULT_CAPACITY: usize = 20_000;

#[derive(Default)]
struct Store {
    vectors: HashMap<[u8; 32], Vec<f32>>,
    order: VecDeque<[u8; 32]>,
    hits: u64,
    misses: u64,
}

pub struct CachedInference {
    inner: Arc<dyn Inference>,
    capacity: usize,
    store: Mutex<Store>,
}

impl std::fmt::Debug for CachedInference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (hits, misses) = self.stats();
        f.debug_struct("CachedInference")
            .field("inner", &self.inner)
            .field("hits", &hits)
            .field("misses", &misses)
            .finish()
    }
}

fn key(model: &str, text: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(model.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    h.finalize().into()
}

impl CachedInference {
    pub fn new(inner: Arc<dyn Inference>, capacity: usize) -> Self {
        CachedInference { inner, capacity: capacity.max(1), store: Mutex::new(Store::default()) }
    }

    /// (texts served from the cache, texts computed) since creation.
    pub fn stats(&self) -> (u64, u64) {
        let s = self.store.lock().unwrap_or_else(|e| e.into_inner());
        (s.hits, s.misses)
    }
}

impl Inference for CachedInference {
    fn dimension(&self, model: &str) -> Result<u32, InferenceError> {
        self.inner.dimension(model)
    }

    fn embed(&self, model: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError> {
        let keys: Vec<[u8; 32]> = texts.iter().map(|t| key(model, t)).collect();
        let mut out: Vec<Option<Vec<f32>>> = {
            let s = self.store.lock().unwrap_or_else(|e| e.into_inner());
            keys.iter().map(|k| s.vectors.get(k).cloned()).collect()
        };
        // Compute each missing text once, even when it repeats within the request.
        let mut todo: Vec<usize> = Vec::new();
        for (i, v) in out.iter().enumerate() {
            if v.is_none() && !todo.iter().any(|&j| keys[j] == keys[i]) {
                todo.push(i);
            }
        }
        if !todo.is_empty() {
            let batch: Vec<String> = todo.iter().map(|&i| texts[i].clone()).collect();
            let computed = self.inner.embed(model, &batch)?;
            if computed.len() != batch.len() {
                return Err(InferenceError::Internal(format!(
                    "backend returned {} vectors for {} texts",
                    computed.len(),
                    batch.len()
                )));
            }
            let fresh: HashMap<[u8; 32], Vec<f32>> = todo.iter().map(|&i| keys[i]).zip(computed).collect();
            for (i, slot) in out.iter_mut().enumerate() {
                if slot.is_none() {
                    *slot = fresh.get(&keys[i]).cloned();
                }
            }
            let mut s = self.store.lock().unwrap_or_else(|e| e.into_inner());
            for (k, v) in fresh {
                if s.vectors.insert(k, v).is_none() {
                    s.order.push_back(k);
                }
            }
            while s.order.len() > self.capacity {
                if let Some(old) = s.order.pop_front() {
                    s.vectors.remove(&old);
                }
            }
            s.misses += todo.len() as u64;
            s.hits += (texts.len() - todo.len()) as u64;
        } else {
            let mut s = self.store.lock().unwrap_or_else(|e| e.into_inner());
            s.hits += texts.len() as u64;
        }
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
        assert_eq!(cache.stats(), (2, 4));
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
}
