//! Fuzzes the job-ad linter (discriminatory wording, missing mentions, F/H, accessibility) on
//! any Markdown a recruiter or a drafter could produce, with and without the posting's request.
#![no_main]

#[path = "../src/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::ad_linter(data));
