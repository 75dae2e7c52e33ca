//! Fuzzes the SIRH and admin API's request bodies through the real router, in process, over a
//! real SQLite file and the bundled plugins: JSON bodies of every write route, and multipart
//! uploads. The property: client input never yields a 500 (see `server::error`), and never a
//! panic.
#![no_main]

#[path = "../src/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(init: checks::api_warm_up(), |data: &[u8]| checks::api_bodies(data));
