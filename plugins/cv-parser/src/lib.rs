//! # vivier-cv-parser
//!
//! The reference CV parser of Vivier: plain text and Markdown CVs in French and English.
//! Deterministic heuristics only (no model, no network). This file is the WebAssembly glue;
//! the logic lives in plain Rust modules so that it is unit-tested natively:
//!
//! * [`input`]: media types, size limit, decoding, Markdown clean-up;
//! * [`sections`]: headings ("Expérience professionnelle", "## Skills", "Langues :");
//! * [`identity`]: name, e-mail, phone (E.164), address, links, birth date;
//! * [`experience`], [`education`], [`skills`], [`languages`], [`certifications`],
//!   [`public_service`]: the profile;
//! * [`parse`]: the pipeline and the warnings.

pub mod certifications;
pub mod datespan;
pub mod education;
pub mod entries;
pub mod experience;
pub mod format;
pub mod identity;
pub mod input;
pub mod languages;
pub mod office;
pub mod parse;
pub mod pdf;
pub mod public_service;
pub mod sections;
pub mod skills;

#[cfg(test)]
mod devset;

pub use parse::{parse_document, parse_text};

use vivier_sdk::cv_parser::{CvParser, Document, ParseError, ParsedCv};

/// The exported component.
pub struct Plugin;

impl CvParser for Plugin {
    fn parse(document: Document) -> Result<ParsedCv, ParseError> {
        parse_document(&document.filename, &document.media_type, &document.bytes)
    }
}

vivier_sdk::cv_parser::export_cv_parser!(Plugin);
