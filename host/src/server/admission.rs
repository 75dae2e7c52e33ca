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
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Seconds a refused client is told to wait: one typical call's worth.
const RETRY_AFTER_SECS: u64 = 1;

pub struct Admission {
    running: Semaphore,
    /// Requests admitted to a plugin route (running, waiting, or before/after their call).
    admitted: AtomicUsize,
    capacity: usize,
    queue_timeout: Duration,
    shed: AtomicU64,
}

/// A request's place among the admitted ones, given back when the response is produced.
pub struct Ticket<'a>(&'a Admission);

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Admission {
    pub fn new(max_concurrent: usize, max_queued: usize, queue_timeout: Duration) -> Self {
        Self {
            running: Semaphore::new(max_concurrent),
            admitted: AtomicUsize::new(0),
            capacity: max_concurrent + max_queued,
            queue_timeout,
            shed: AtomicU64::new(0),
        }
    }

    /// A ticket when the server has room for one more request, else the 503 to send.
    pub fn enter(&self) -> ApiResult<Ticket<'_>> {
        let mut current = self.admitted.load(Ordering::Acquire);
        loop {
            if current >= self.capacity {
                return Err(self.refuse(format!(
                    "the server is at capacity ({} plugin calls running or waiting); retry in {RETRY_AFTER_SECS} s",
                    self.capacity
                )));
            }
            match self.admitted.compare_exchange_weak(current, current + 1, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return Ok(Ticket(self)),
                Err(seen) => current = seen,
            }
        }
    }

    /// Waits for a turn to run a plugin call, at most the queue timeout.
    pub async fn turn(&self) -> ApiResult<SemaphorePermit<'_>> {
        match tokio::time::timeout(self.queue_timeout, self.running.acquire()).await {
            Ok(permit) => permit.map_err(ApiError::internal),
            Err(_) => Err(self.refuse(format!(
                "no plugin call slot became free within {} ms; retry in {RETRY_AFTER_SECS} s",
                self.queue_timeout.as_millis()
            ))),
        }
    }

    fn refuse(&self, message: String) -> ApiError {
        self.shed.fetch_add(1, Ordering::Relaxed);
        ApiError::unavailable("overloaded", message).with_retry_after(RETRY_AFTER_SECS)
    }

    /// Requests refused since start (for `/metrics`).
    pub fn shed_total(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }

    /// Requests currently admitted to plugin routes (for `/metrics`).
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Acquire)
    }
}

/// Middleware of the plugin routes: holds a ticket for the whole request, or refuses it.
pub async fn admit(State(state): State<Shared>, req: Request, next: Next) -> Response {
    match state.admission.enter() {
        Ok(_ticket) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_beyond_capacity_are_refused_with_retry_after_and_freed_on_drop() {
        let a = Admission::new(1, 1, Duration::from_millis(10));
        let t1 = a.enter().unwrap();
        let _t2 = a.enter().unwrap();
        let refused = a.enter().err().unwrap();
        assert_eq!(refused.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.code, "overloaded");
        assert_eq!(refused.retry_after, Some(RETRY_AFTER_SECS));
        assert_eq!(a.shed_total(), 1);
        drop(t1);
        assert!(a.enter().is_ok());
    }

    #[tokio::test]
    async fn a_waiting_call_gives_up_after_the_queue_timeout() {
        let a = Admission::new(1, 4, Duration::from_millis(20));
        let _running = a.turn().await.unwrap();
        let waited = a.turn().await.err().unwrap();
        assert_eq!(waited.code, "overloaded");
    }
}
