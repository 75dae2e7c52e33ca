//! Admission control for the routes that call a plugin (parse, rank, draft).
//!
//! At most `max_concurrent_calls` plugin calls run; at most `max_queued_calls` more requests
//! wait for a turn, each for at most `queue_timeout_ms`. A request beyond that is answered at
//! once with 503 `overloaded` and `Retry-After`, before its body is parsed: under overload the
//! server spends neither memory on bodies it will not serve nor plugin time on clients that
//! would time out anyway, and every admitted request keeps its latency. (The unread body is
//! then drained without being kept, so the client receives the 503: see [`super::linger`].)

use super::error::{ApiError, ApiResult};
use super::Shared;
use crate::world::World;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Seconds a refused client is told to wait when no running call says better.
const RETRY_AFTER_SECS: u64 = 1;

/// One world's share: a plugin whose calls block (until their deadline) fills its own lane, never
/// the others', so a stuck matcher does not make parsing answer 503.
struct Lane {
    running: Semaphore,
    admitted: AtomicUsize,
    capacity: usize,
    /// Deadlines of the calls running now: when the next one ends at the latest.
    deadlines: Mutex<Vec<Instant>>,
}

impl Lane {
    /// Seconds until a running call of this lane ends at the latest (its deadline): an honest
    /// `Retry-After`.
    fn retry_after(&self) -> u64 {
        let deadlines = self.deadlines.lock().unwrap_or_else(|p| p.into_inner());
        deadlines
            .iter()
            .min()
            .map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64().ceil() as u64)
            .unwrap_or(RETRY_AFTER_SECS)
            .max(RETRY_AFTER_SECS)
    }
}

pub struct Admission {
    /// Every world's calls together.
    running: Semaphore,
    lanes: BTreeMap<World, Lane>,
    per_world: usize,
    queue_timeout: Duration,
    shed: AtomicU64,
}

/// A request's place among the admitted ones of its world, given back when the response is
/// produced.
pub struct Ticket<'a>(&'a Lane);

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A running call's turn: both permits, and its deadline listed in its lane until it ends.
pub struct Turn<'a> {
    _world: SemaphorePermit<'a>,
    _all: SemaphorePermit<'a>,
    lane: &'a Lane,
    deadline: Instant,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut deadlines = self.lane.deadlines.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = deadlines.iter().position(|d| *d == self.deadline) {
            deadlines.swap_remove(i);
        }
    }
}

impl Admission {
    /// At most `max_concurrent` calls run, and at most half of them (rounded up) of one world;
    /// each world queues at most `max_queued` more.
    pub fn new(max_concurrent: usize, max_queued: usize, queue_timeout: Duration) -> Self {
        let per_world = max_concurrent.div_ceil(2).max(1);
        let lanes = World::ALL
            .into_iter()
            .map(|w| {
                let lane = Lane {
                    running: Semaphore::new(per_world),
                    admitted: AtomicUsize::new(0),
                    capacity: per_world + max_queued,
                    deadlines: Mutex::new(Vec::new()),
                };
                (w, lane)
            })
            .collect();
        Self { running: Semaphore::new(max_concurrent), lanes, per_world, queue_timeout, shed: AtomicU64::new(0) }
    }

    fn lane(&self, world: World) -> &Lane {
        self.lanes.get(&world).expect("a lane per world")
    }

    /// A ticket when the world's lane has room for one more request, else the 503 to send.
    pub fn enter(&self, world: World) -> ApiResult<Ticket<'_>> {
        let lane = self.lane(world);
        let mut current = lane.admitted.load(Ordering::Acquire);
        loop {
            if current >= lane.capacity {
                return Err(self.refuse(
                    lane,
                    format!("the {world} calls are at capacity ({} running or waiting); retry later", lane.capacity),
                ));
            }
            match lane.admitted.compare_exchange_weak(current, current + 1, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return Ok(Ticket(lane)),
                Err(seen) => current = seen,
            }
        }
    }

    /// Waits for a turn to run a call of `world` that may last `timeout`, at most the queue
    /// timeout.
    pub async fn turn(&self, world: World, timeout: Duration) -> ApiResult<Turn<'_>> {
        let lane = self.lane(world);
        let acquire = async {
            let own = lane.running.acquire().await.map_err(ApiError::internal)?;
            let all = self.running.acquire().await.map_err(ApiError::internal)?;
            Ok::<_, ApiError>((own, all))
        };
        match tokio::time::timeout(self.queue_timeout, acquire).await {
            Ok(Ok((own, all))) => {
                let deadline = Instant::now() + timeout;
                lane.deadlines.lock().unwrap_or_else(|p| p.into_inner()).push(deadline);
                Ok(Turn { _world: own, _all: all, lane, deadline })
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(self.refuse(
                lane,
                format!("no {world} call slot became free within {} ms; retry later", self.queue_timeout.as_millis()),
            )),
        }
    }

    fn refuse(&self, lane: &Lane, message: String) -> ApiError {
        self.shed.fetch_add(1, Ordering::Relaxed);
        let wait = lane.retry_after();
        ApiError::unavailable("overloaded", format!("{message} (in {wait} s)")).with_retry_after(wait)
    }

    /// Requests refused since start (for `/metrics`).
    pub fn shed_total(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }

    /// Requests currently admitted to plugin routes (for `/metrics`).
    pub fn admitted(&self) -> usize {
        self.lanes.values().map(|l| l.admitted.load(Ordering::Acquire)).sum()
    }

    /// Calls of one world that may run at once.
    pub fn per_world(&self) -> usize {
        self.per_world
    }
}

/// The world a plugin route calls.
fn world_of(path: &str) -> World {
    if path.starts_with("/v1/cv/") {
        World::CvParser
    } else if path.starts_with("/v1/postings/") {
        World::PostingDrafter
    } else {
        World::SkillsMatcher
    }
}

/// Middleware of the plugin routes: holds a ticket of the route's world for the whole request,
/// or refuses it.
pub async fn admit(State(state): State<Shared>, req: Request, next: Next) -> Response {
    match state.admission.enter(world_of(req.uri().path())) {
        Ok(_ticket) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: World = World::SkillsMatcher;

    #[test]
    fn tickets_beyond_capacity_are_refused_with_retry_after_and_freed_on_drop() {
        let a = Admission::new(1, 1, Duration::from_millis(10));
        let t1 = a.enter(M).unwrap();
        let _t2 = a.enter(M).unwrap();
        let refused = a.enter(M).err().unwrap();
        assert_eq!(refused.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.code, "overloaded");
        assert_eq!(refused.retry_after, Some(RETRY_AFTER_SECS));
        assert_eq!(a.shed_total(), 1);
        // Another world's lane is not full.
        assert!(a.enter(World::CvParser).is_ok());
        drop(t1);
        assert!(a.enter(M).is_ok());
    }

    #[tokio::test]
    async fn a_waiting_call_gives_up_after_the_queue_timeout_and_is_told_when_a_slot_frees() {
        let a = Admission::new(1, 4, Duration::from_millis(20));
        let _running = a.turn(M, Duration::from_secs(30)).await.unwrap();
        let waited = a.turn(M, Duration::from_secs(30)).await.err().unwrap();
        assert_eq!(waited.code, "overloaded");
        // The running call ends at the latest at its deadline, in 30 s.
        assert!(matches!(waited.retry_after, Some(29..=30)), "{:?}", waited.retry_after);
    }

    #[tokio::test]
    async fn a_world_whose_calls_are_stuck_leaves_room_to_the_others() {
        let a = Admission::new(4, 0, Duration::from_millis(20));
        let _stuck: Vec<_> =
            [a.turn(M, Duration::from_secs(60)).await.unwrap(), a.turn(M, Duration::from_secs(60)).await.unwrap()]
                .into();
        assert_eq!(a.turn(M, Duration::from_secs(1)).await.err().unwrap().code, "overloaded");
        let parse = a.turn(World::CvParser, Duration::from_secs(1)).await;
        assert!(parse.is_ok(), "parsing must not wait for a stuck matcher");
    }
}
