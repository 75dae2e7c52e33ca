//! Fuzzes the whole parsing core natively: format detection, PDF (lopdf + interpreter + layout),
//! DOCX/ODT (zip + XML), text decoding and the section parsers. Any panic is a bug: bad input
//! must come back as a typed `ParseError`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the declared type, so that the text path is reached as well as the
    // binary ones (the content still decides for PDF and ZIP).
    let (name, media) = match data.first().map(|b| b % 4) {
        Some(0) => ("cv.pdf", "application/pdf"),
        Some(1) => ("cv.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        Some(2) => ("cv.md", "text/markdown"),
        _ => ("cv.txt", "text/plain"),
    };
    let _ = vivier_cv_parser::parse_document(name, media, data.get(1..).unwrap_or_default());
});
