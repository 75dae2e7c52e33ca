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
        tokio::spawn(async move {
            // One shadow run at a time: the shadow takes at most one core from real calls.
            while let Some(job) = rx.recv().await {
                let row = run(&runtime, job).await;
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

/// Runs one job on the blocking pool; a failure of the shadow plugin is data, not an error.
async fn run(runtime: &Arc<Runtime>, job: Job) -> ShadowRun {
    let (rt, plugin, posting, cands) =
        (runtime.clone(), job.shadow.plugin.clone(), job.posting.clone(), job.candidates.clone());
    let outcome = tokio::task::spawn_blocking(move || {
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
    })
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
