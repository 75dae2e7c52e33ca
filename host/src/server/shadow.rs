//! The shadow runner: after a ranking's answer is built, the same posting and candidates go to
//! the slot's shadow plugin on a background task. The queue is bounded: when it is full the run
//! is dropped and counted, never waited for, so the shadow can neither slow nor fail a request.
//! Its results go to `shadow_runs` only.

use super::slots::Active;
use crate::model::{Candidate, Posting};
use crate::ranking;
use crate::runtime::Runtime;
use crate::store::oversight::{insert_shadow_run, ShadowRun};
use crate::store::{new_id, now_ms, Store};
use crate::world::World;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::mpsc;

/// Default queue length (`VIVIER_SHADOW_QUEUE`).
pub const DEFAULT_QUEUE: usize = 64;

pub struct Job {
    pub world: World,
    pub trace_id: String,
    pub active_ref: String,
    pub active_order: Vec<String>,
    pub active_cpu_us: u64,
    pub posting: Arc<Posting>,
    pub candidates: Arc<Vec<Candidate>>,
    pub shadow: Arc<Active>,
}

pub struct Shadow {
    tx: mpsc::Sender<Job>,
    attached: RwLock<BTreeMap<World, Arc<Active>>>,
    pub dropped: AtomicU64,
    pub queued: AtomicU64,
}

impl Shadow {
    /// Starts the runner (inside the server's tokio runtime).
    pub fn start(store: Store, runtime: Arc<Runtime>) -> Self {
        let capacity = std::env::var("VIVIER_SHADOW_QUEUE")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(DEFAULT_QUEUE);
        let (tx, mut rx) = mpsc::channel::<Job>(capacity);
        let idle = idle_worker();
        tokio::spawn(async move {
            // One shadow run at a time, on a thread at the lowest CPU priority: the shadow takes
            // only the CPU that real calls leave idle.
            while let Some(job) = rx.recv().await {
                let row = run(&runtime, &idle, job).await;
                if let Err(e) = insert_shadow_run(store.pool(), &row).await {
                    tracing::warn!(error = %e, "shadow run not stored");
                }
            }
        });
        Self { tx, attached: RwLock::new(BTreeMap::new()), dropped: AtomicU64::new(0), queued: AtomicU64::new(0) }
    }

    pub fn attach(&self, world: World, plugin: Arc<Active>) {
        self.attached.write().unwrap_or_else(|e| e.into_inner()).insert(world, plugin);
    }

    pub fn detach(&self, world: World) {
        self.attached.write().unwrap_or_else(|e| e.into_inner()).remove(&world);
    }

    pub fn get(&self, world: World) -> Option<Arc<Active>> {
        self.attached.read().unwrap_or_else(|e| e.into_inner()).get(&world).cloned()
    }

    /// Queues a shadow run of a ranking if a shadow plugin is attached; never waits.
    #[allow(clippy::too_many_arguments)]
    pub fn offer_ranking(
        &self,
        trace_id: &str,
        active_ref: String,
        active_order: Vec<String>,
        active_cpu_us: u64,
        posting: Arc<Posting>,
        candidates: Arc<Vec<Candidate>>,
    ) {
        let Some(shadow) = self.get(World::SkillsMatcher) else { return };
        let job = Job {
            world: World::SkillsMatcher,
            trace_id: trace_id.to_owned(),
            active_ref,
            active_order,
            active_cpu_us,
            posting,
            candidates,
            shadow,
        };
        match self.tx.try_send(job) {
            Ok(()) => {
                self.queued.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

type IdleWork = Box<dyn FnOnce() + Send>;

/// The thread shadow runs execute on, at nice 19. A dedicated thread, because an unprivileged
/// process cannot raise a thread's priority back, so a pooled thread could not be lent and
/// returned.
fn idle_worker() -> std::sync::mpsc::Sender<IdleWork> {
    let (tx, rx) = std::sync::mpsc::channel::<IdleWork>();
    let started = std::thread::Builder::new().name("vivier-shadow".into()).spawn(move || {
        lower_priority();
        for work in rx {
            work();
        }
    });
    if let Err(e) = started {
        tracing::warn!(error = %e, "shadow thread not started: shadow runs will be recorded as failed");
    }
    tx
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // On Linux a thread's nice value is its own: PRIO_PROCESS with the thread id.
    // SAFETY: plain system calls on the calling thread, no memory passed.
    let rc = unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 19)
    };
    if rc != 0 {
        tracing::warn!(error = %std::io::Error::last_os_error(), "shadow thread priority not lowered");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// Runs one job on the idle thread; a failure of the shadow plugin is data, not an error.
async fn run(runtime: &Arc<Runtime>, idle: &std::sync::mpsc::Sender<IdleWork>, job: Job) -> ShadowRun {
    let (rt, plugin, posting, cands) =
        (runtime.clone(), job.shadow.plugin.clone(), job.posting.clone(), job.candidates.clone());
    let on_idle_thread = |work: Box<dyn FnOnce() -> (Result<Vec<String>, String>, u64) + Send>| {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let sent = idle.send(Box::new(move || {
            let _ = reply.send(work());
        }));
        async move {
            match sent {
                Ok(()) => answer.await.map_err(|_| "the shadow thread stopped".to_owned()),
                Err(_) => Err("the shadow thread is not running".to_owned()),
            }
        }
    };
    let outcome = on_idle_thread(Box::new(move || {
        let inv = rt.assess(&plugin, &posting, &cands);
        let cpu = inv.report.cpu_us;
        let order = match inv.result {
            Ok(Ok(mut a)) => match ranking::check(&cands, &a) {
                Ok(()) => {
                    a.sort_by(|x, y| y.score.total_cmp(&x.score));
                    Ok(a.into_iter().map(|x| x.candidate_id).collect::<Vec<_>>())
                }
                Err(e) => Err(e.to_string()),
            },
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(format!("{e} (code {})", e.code())),
        };
        (order, cpu)
    }))
    .await;
    let (order, cpu) = outcome.unwrap_or_else(|e| (Err(format!("shadow task failed: {e}")), 0));
    ShadowRun {
        id: new_id("sh"),
        world: job.world.name().into(),
        trace_id: job.trace_id,
        active_ref: job.active_ref,
        shadow_ref: job.shadow.spec(),
        active_order: serde_json::to_string(&job.active_order).unwrap_or_else(|_| "[]".into()),
        shadow_order: order.as_ref().ok().map(|o| serde_json::to_string(o).unwrap_or_else(|_| "[]".into())),
        shadow_error: order.err(),
        active_cpu_us: job.active_cpu_us as i64,
        shadow_cpu_us: cpu as i64,
        created_at: now_ms(),
    }
}
