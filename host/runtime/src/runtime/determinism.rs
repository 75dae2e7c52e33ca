//! What a plugin can read that is not its input: the clocks and random bytes. Both are made
//! functions of the call, so that the same input gives the same output and nothing a plugin
//! measures tells it about host work or earlier calls.
//!
//! - The wall clock reads the start of the call's day (UTC midnight), fixed for the whole
//!   call: a plugin may know the date (to count months of experience), not the moment, so two
//!   calls with the same input on the same day give the same output.
//! - The monotonic clock is virtual: it advances by a fixed step at each reading, so it can
//!   order events but not time them (no timing of host inference, of the embedding cache, or
//!   of another call). Sleeping still waits real time, under the call's deadline.
//! - Random bytes, secure and insecure, come from a ChaCha generator seeded with the call's
//!   input digest (and the insecure seed is derived from it too).

use rand::SeedableRng as _;
use std::time::Duration;
use wasmtime_wasi::{HostMonotonicClock, HostWallClock};

/// Nanoseconds the virtual monotonic clock advances at each reading.
pub const MONOTONIC_STEP_NS: u64 = 1_000;

/// What a call's clocks and random generators are made from.
#[derive(Debug, Clone, Copy)]
pub struct CallEnvironment {
    /// The call's start, in milliseconds since the Unix epoch.
    pub started_at_ms: u64,
    /// The call's input digest, as bytes.
    pub seed: [u8; 32],
}

impl CallEnvironment {
    /// From a hex sha256 digest (other text is hashed first).
    pub fn new(started_at_ms: u64, input_digest: &str) -> Self {
        let mut seed = [0u8; 32];
        match hex::decode(input_digest) {
            Ok(bytes) if bytes.len() == 32 => seed.copy_from_slice(&bytes),
            _ => {
                use sha2::Digest;
                seed.copy_from_slice(&sha2::Sha256::digest(input_digest.as_bytes()));
            }
        }
        Self { started_at_ms, seed }
    }

    pub(crate) fn configure(&self, builder: &mut wasmtime_wasi::WasiCtxBuilder) {
        let day_ms = self.started_at_ms - self.started_at_ms % 86_400_000;
        builder.wall_clock(FixedWallClock(Duration::from_millis(day_ms)));
        builder.monotonic_clock(SteppingClock(std::sync::atomic::AtomicU64::new(0)));
        builder.secure_random(rand::rngs::StdRng::from_seed(self.seed));
        let mut insecure = self.seed;
        insecure[0] ^= 0x5a;
        builder.insecure_random(rand::rngs::StdRng::from_seed(insecure));
        builder.insecure_random_seed(u128::from_le_bytes(self.seed[16..].try_into().expect("16 bytes")));
    }
}

struct FixedWallClock(Duration);

impl HostWallClock for FixedWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_millis(1)
    }
    fn now(&self) -> Duration {
        self.0
    }
}

struct SteppingClock(std::sync::atomic::AtomicU64);

impl HostMonotonicClock for SteppingClock {
    fn resolution(&self) -> u64 {
        MONOTONIC_STEP_NS
    }
    fn now(&self) -> u64 {
        self.0.fetch_add(MONOTONIC_STEP_NS, std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clocks_tell_nothing_about_time_spent() {
        let wall = FixedWallClock(Duration::from_millis(1_796_000_000_000));
        let mono = SteppingClock(Default::default());
        let (w0, m0) = (wall.now(), mono.now());
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(wall.now(), w0);
        assert_eq!(mono.now() - m0, MONOTONIC_STEP_NS, "20 ms of host work read as one step");
    }

    #[test]
    fn the_seed_is_the_input_digest() {
        let d = "052d0829a845ee80aa419e37783dcfa9df511db6c8555cd306ed6a873a20e59f";
        assert_eq!(CallEnvironment::new(0, d).seed, CallEnvironment::new(5, d).seed);
        assert_ne!(CallEnvironment::new(0, d).seed, CallEnvironment::new(0, "other").seed);
    }
}
