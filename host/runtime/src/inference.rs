//! The `inference` host interface: text embeddings computed by the host, never by plugins.
//! The model store and the tract backend plug in through [`Inference`].

use serde::Serialize;
use wasmtime::component::{ComponentType, Lift, Lower};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ComponentType, Lift, Lower, thiserror::Error)]
#[component(variant)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum InferenceError {
    #[component(name = "model-not-granted")]
    #[error("model {0} is not granted to this plugin")]
    ModelNotGranted(String),
    #[component(name = "model-unavailable")]
    #[error("model {0} is not installed on this host")]
    ModelUnavailable(String),
    #[component(name = "input-too-large")]
    #[error("input too large: {0}")]
    InputTooLarge(String),
    #[component(name = "internal")]
    #[error("inference failed: {0}")]
    Internal(String),
}

/// A local embedding backend shared by every call (the model is loaded once).
pub trait Inference: Send + Sync + std::fmt::Debug {
    fn dimension(&self, model: &str) -> Result<u32, InferenceError>;
    /// One L2-normalised vector per text.
    fn embed(&self, model: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError>;
    /// [`Inference::embed`] for a plugin call: stops between batches once the call has ended
    /// (`control.cancelled()`), so a long request is cut, not finished, and adds the CPU time of
    /// any helper thread to `control`, so that the call's CPU figure includes it. Backends that
    /// compute in one piece on the calling thread keep the default, which checks once.
    fn embed_until(
        &self,
        model: &str,
        texts: &[String],
        control: &EmbedControl,
    ) -> Result<Vec<Vec<f32>>, InferenceError> {
        control.check()?;
        self.embed(model, texts)
    }
    /// Makes `model` ready (e.g. loads its weights), so that a plugin's first call does not pay
    /// for it inside its time limit. Called when a plugin that names the model is loaded.
    fn prepare(&self, model: &str) -> Result<(), InferenceError> {
        self.dimension(model).map(drop)
    }
    /// What identifies the weights behind `model` (e.g. the digests of its files), so that
    /// vectors kept across processes are never served for other weights. `None`: do not keep
    /// this model's vectors on disk.
    fn fingerprint(&self, _model: &str) -> Option<String> {
        None
    }
    /// Drops every vector kept for later calls (in memory and on disk). Called when a candidate
    /// is erased: cached vectors are derived from CV passages and cannot be traced back to one
    /// candidate, so erasure empties the whole cache rather than leave them until rotation.
    fn forget_all(&self) {}
}

/// What a plugin call hands down to an embedding: when to stop, and where the CPU time spent
/// for it is counted. The computing thread publishes its CPU time (and its helpers') to the
/// call's meter at every [`check`](Self::check), so a call ended at its deadline still reports
/// the inference it paid for, even while the last batch is being cut.
#[derive(Debug, Default)]
pub struct EmbedControl {
    cancelled: std::sync::Arc<std::sync::atomic::AtomicBool>,
    helper_cpu_ns: std::sync::atomic::AtomicU64,
    /// The call's CPU meter, in nanoseconds, shared by all its inference jobs.
    meter: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// What this job has already added to the meter.
    published_ns: std::sync::atomic::AtomicU64,
    /// The computing thread, and its CPU time when the job started.
    thread: Option<(std::thread::ThreadId, std::time::Duration)>,
    /// Whose computation this is (a plugin's digest): caches keep one partition per plugin, so
    /// that no plugin can observe what another, or an earlier call, had embedded.
    partition: String,
}

impl EmbedControl {
    pub fn new(cancelled: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Self {
        Self { cancelled, ..Default::default() }
    }
    /// A control for a job computed on this thread, whose CPU time goes to `meter`.
    pub fn metered(
        cancelled: std::sync::Arc<std::sync::atomic::AtomicBool>,
        meter: std::sync::Arc<std::sync::atomic::AtomicU64>,
    ) -> Self {
        let thread = Some((std::thread::current().id(), thread_cpu_time()));
        Self { cancelled, meter, thread, ..Default::default() }
    }
    /// The same control, for computations of `partition` (a plugin's digest).
    pub fn with_partition(mut self, partition: impl Into<String>) -> Self {
        self.partition = partition.into();
        self
    }
    /// The cache partition: a plugin's digest, or empty for the host's own computations.
    pub fn partition(&self) -> &str {
        &self.partition
    }
    pub fn cancelled(&self) -> bool {
        self.cancelled.load(std::sync::atomic::Ordering::Acquire)
    }
    /// `Err` once the call has ended: what a backend returns between batches. Also publishes
    /// the CPU time spent so far.
    pub fn check(&self) -> Result<(), InferenceError> {
        self.publish();
        if self.cancelled() {
            return Err(InferenceError::Internal("cancelled: the plugin call has ended".into()));
        }
        Ok(())
    }
    pub fn add_helper_cpu(&self, cpu: std::time::Duration) {
        self.helper_cpu_ns.fetch_add(cpu.as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
    }
    pub fn helper_cpu(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.helper_cpu_ns.load(std::sync::atomic::Ordering::Relaxed))
    }
    /// Adds to the meter what the job spent since it last did (only on the computing thread,
    /// whose CPU clock this reads).
    pub fn publish(&self) {
        use std::sync::atomic::Ordering;
        let Some((id, start)) = self.thread else { return };
        if std::thread::current().id() != id {
            return;
        }
        let spent = (thread_cpu_time().saturating_sub(start) + self.helper_cpu()).as_nanos() as u64;
        let before = self.published_ns.swap(spent, Ordering::AcqRel);
        self.meter.fetch_add(spent.saturating_sub(before), Ordering::AcqRel);
    }
}

/// CPU time of the calling thread, for backends that report their helper threads' share.
pub fn thread_cpu_time() -> std::time::Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return std::time::Duration::ZERO;
    }
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Most texts a single `embed` call may carry.
pub const MAX_TEXTS_PER_CALL: usize = 256;
/// Longest text accepted, in bytes (longer texts are truncated by the tokenizer anyway).
pub const MAX_TEXT_BYTES: usize = 64 << 10;
