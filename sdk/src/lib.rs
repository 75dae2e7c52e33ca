//! # vivier-sdk
//!
//! The guest-side crate for writing Vivier plugins: WebAssembly components that implement one
//! of the `vivier:hr@0.1.0` worlds (see `wit/README.md`).
//!
//! Enable the feature of the world your plugin implements (`cv-parser`, `skills-matcher` or
//! `posting-drafter`), implement its trait and export it:
//!
//! ```ignore
//! use vivier_sdk::cv_parser::{CvParser, Document, ParsedCv, ParseError};
//!
//! struct MyParser;
//! impl CvParser for MyParser {
//!     fn parse(document: Document) -> Result<ParsedCv, ParseError> { todo!() }
//! }
//! vivier_sdk::cv_parser::export_cv_parser!(MyParser);
//! ```
//!
//! Build with `cargo build --target wasm32-wasip2 --release`: the output `.wasm` is already a
//! component. The [`text`] and [`dates`] helpers are plain Rust and can be unit-tested natively.

extern crate self as vivier_sdk;

pub mod dates;
pub mod text;

#[doc(hidden)]
pub use wit_bindgen as __wit_bindgen;

/// Bindings of the `cv-parser` world.
#[cfg(feature = "cv-parser")]
pub mod cv_parser {
    #[doc(hidden)]
    pub mod __bindings {
        wit_bindgen::generate!({
            path: "../wit",
            world: "cv-parser",
            pub_export_macro: true,
            export_macro_name: "export_cv_parser",
            default_bindings_module: "vivier_sdk::cv_parser::__bindings",
            runtime_path: "vivier_sdk::__wit_bindgen::rt",
            additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        });
    }
    /// `export_cv_parser!(MyParser);` exports your type as the component's `parse`.
    pub use __bindings::export_cv_parser;
    pub use __bindings::vivier::hr::cv::{Identity, ParseError, ParsedCv};
    pub use __bindings::vivier::hr::types::*;
    pub use __bindings::vivier::hr::{config, log};
    /// Implement this for your parser, then call [`export_cv_parser!`](crate::cv_parser::export_cv_parser).
    pub use __bindings::Guest as CvParser;
}

/// Bindings of the `skills-matcher` world.
#[cfg(feature = "skills-matcher")]
pub mod skills_matcher {
    #[doc(hidden)]
    pub mod __bindings {
        wit_bindgen::generate!({
            path: "../wit",
            world: "skills-matcher",
            pub_export_macro: true,
            export_macro_name: "export_skills_matcher",
            default_bindings_module: "vivier_sdk::skills_matcher::__bindings",
            runtime_path: "vivier_sdk::__wit_bindgen::rt",
            additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        });
    }
    /// `export_skills_matcher!(MyMatcher);` exports your type as the component's `assess`.
    pub use __bindings::export_skills_matcher;
    pub use __bindings::vivier::hr::matching::{
        Assessment, Candidate, MatchError, Posting, Requirement, RequirementAssessment, RequirementKind,
        RequirementStatus,
    };
    pub use __bindings::vivier::hr::types::*;
    pub use __bindings::vivier::hr::{config, inference, log};
    /// Implement this for your matcher, then call [`export_skills_matcher!`](crate::skills_matcher::export_skills_matcher).
    pub use __bindings::Guest as SkillsMatcher;
}

/// Bindings of the `posting-drafter` world.
#[cfg(feature = "posting-drafter")]
pub mod posting_drafter {
    #[doc(hidden)]
    pub mod __bindings {
        wit_bindgen::generate!({
            path: "../wit",
            world: "posting-drafter",
            pub_export_macro: true,
            export_macro_name: "export_posting_drafter",
            default_bindings_module: "vivier_sdk::posting_drafter::__bindings",
            runtime_path: "vivier_sdk::__wit_bindgen::rt",
            additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        });
    }
    /// `export_posting_drafter!(MyDrafter);` exports your type as the component's `draft`.
    pub use __bindings::export_posting_drafter;
    pub use __bindings::vivier::hr::drafting::*;
    pub use __bindings::vivier::hr::{config, log};
    /// Implement this for your drafter, then call [`export_posting_drafter!`](crate::posting_drafter::export_posting_drafter).
    pub use __bindings::Guest as PostingDrafter;
}
