//! Minimal `cv-parser` plugin, to copy when writing your own.
//!
//! Reads `text/plain` only: the first non-empty line becomes `identity.full_name`, every line
//! starting with "- " becomes a skill. Other media types are refused with
//! `ParseError::UnsupportedMediaType`. Build: `cargo build --target wasm32-wasip2 --release`.

use vivier_sdk::cv_parser::*;

pub struct ExampleParser;

/// Largest document accepted: refuse rather than run out of memory or output budget.
const MAX_BYTES: u64 = 1 << 20;

impl CvParser for ExampleParser {
    fn parse(document: Document) -> Result<ParsedCv, ParseError> {
        // "text/plain" or "text/plain; charset=utf-8".
        if !document.media_type.to_ascii_lowercase().starts_with("text/plain") {
            return Err(ParseError::UnsupportedMediaType(document.media_type));
        }
        if document.bytes.len() as u64 > MAX_BYTES {
            return Err(ParseError::TooLarge(MAX_BYTES));
        }
        let (text, _) = vivier_sdk::text::decode_text(&document.bytes);
        if text.trim().is_empty() {
            return Err(ParseError::EmptyDocument);
        }
        let full_name = text.lines().map(str::trim).find(|l| !l.is_empty());
        let full_name = full_name.map(str::to_owned);
        let skills = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("- "))
            .map(|label| Skill {
                label: label.trim().to_owned(),
                concept_id: None,
                evidence: vec![label.trim().to_owned()],
            })
            .collect();
        let identity = Identity {
            full_name,
            email: None,
            phone: None,
            address: None,
            city: None,
            postal_code: None,
            links: vec![],
            birth_date: None,
            has_photo: false,
        };
        let profile = Profile {
            headline: None,
            summary: None,
            experiences: vec![],
            education: vec![],
            skills,
            languages: vec![],
            certifications: vec![],
            driving_licences: vec![],
            public_service: PublicService {
                grade: None,
                cadre_emplois: None,
                categorie: None,
                concours: vec![],
                status: None,
            },
            interests: vec![],
        };
        Ok(ParsedCv { identity, profile, warnings: vec![] })
    }
}

vivier_sdk::cv_parser::export_cv_parser!(ExampleParser);

#[cfg(test)]
mod tests;
