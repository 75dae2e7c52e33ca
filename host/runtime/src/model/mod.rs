//! The host's view of the `vivier:hr@0.1.0` types.
//!
//! These Rust types mirror the WIT records field by field (`#[component(name = ...)]` gives the
//! WIT spelling) and are also the JSON model of the CLI and the API (snake_case fields). A
//! component whose types drift from these is refused at install by the export type check, so
//! the two cannot silently disagree. When a new WIT version lands, its types get their own
//! module and convert into these.

pub mod cv;
pub mod drafting;
pub mod matching;
pub mod types;

pub use cv::{Identity, ParseError, ParsedCv};
pub use drafting::{DraftError, DraftRequest, DraftWarning, JobAd, Severity};
pub use matching::{
    Assessment, Candidate, MatchError, Posting, Requirement, RequirementAssessment, RequirementKind, RequirementStatus,
};
pub use types::*;
