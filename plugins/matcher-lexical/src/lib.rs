//! # vivier-matcher-lexical
//!
//! The non-AI baseline of the `skills-matcher` world: a deterministic, explainable lexical
//! matcher. For each requirement of a posting it folds the label (accents, case), drops stop
//! words, stems lightly, expands a small table of French public-sector synonyms and
//! abbreviations ([`synonyms`]), and looks for the terms in the candidate's profile. Experience
//! requirements with a duration ("3 ans d'expérience en …") count the months of matching
//! experiences from their partial dates.
//!
//! The WebAssembly glue is this file only; the logic lives in plain modules tested natively.
//!
//! Settings (all optional, through the `config` import):
//! * `partial-threshold`: share of a requirement's terms that makes it "partial" (default 0.5);
//! * `reference-date`: "AAAA-MM", the month positions still held run to (default: the host's
//!   clock, so set it to replay an assessment exactly);
//! * `max-evidence`: most evidence excerpts per requirement (default 3).

pub mod analysis;
pub mod engine;
pub mod profile;
pub mod report;
pub mod synonyms;
pub mod taxonomy;

#[cfg(test)]
mod tests;

#[cfg(feature = "component")]
use vivier_sdk::skills_matcher::{config, log, Assessment, Candidate, MatchError, Posting, SkillsMatcher};

/// The component.
#[cfg(feature = "component")]
pub struct LexicalMatcher;

#[cfg(feature = "component")]
impl SkillsMatcher for LexicalMatcher {
    fn assess(posting: Posting, candidates: Vec<Candidate>) -> Result<Vec<Assessment>, MatchError> {
        let (mut settings, problems) = engine::Settings::from_lookup(config::get);
        for problem in problems {
            log::emit(log::Level::Warn, &problem);
        }
        if settings.reference_month.is_none() {
            settings.reference_month = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| engine::month_from_unix_seconds(d.as_secs()));
        }
        let result = engine::assess(&posting, &candidates, &settings);
        if let Ok(assessments) = &result {
            log::emit(
                log::Level::Info,
                &format!(
                    "{} candidat(s) évalué(s) sur {} exigence(s)",
                    assessments.len(),
                    assessments.first().map_or(0, |a| a.requirements.len())
                ),
            );
        }
        result
    }
}

#[cfg(feature = "component")]
vivier_sdk::skills_matcher::export_skills_matcher!(LexicalMatcher);
