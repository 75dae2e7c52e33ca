//! Fuzzes the job-ad linter (discriminatory wording, missing mentions, F/H, accessibility) on
//! any Markdown a recruiter or a drafter could produce, with and without the posting's request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vivier::model::DraftRequest;

fn request() -> &'static DraftRequest {
    static REQUEST: OnceLock<DraftRequest> = OnceLock::new();
    REQUEST.get_or_init(|| {
        serde_json::from_str(include_str!("../../tests/fixtures/conformance/draft-request.json"))
            .expect("the conformance draft request parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (title, body) = vivier::lint::split_title(&text);
    let _ = vivier::lint::lint_ad(&title, body, None);
    let _ = vivier::lint::lint_ad(&title, body, Some(request()));
    let _ = vivier::lint::lint_draft(request(), &title, body);
});
