//! Fuzzes the whole parsing core natively: format detection, PDF (lopdf + interpreter + layout),
//! DOCX/ODT (zip + XML), text decoding and the section parsers. Any panic is a bug: bad input
//! must come back as a typed `ParseError`.
#![no_main]

#[path = "../src/checks.rs"]
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse_document(data));
