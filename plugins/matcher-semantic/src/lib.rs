//! # vivier-matcher-semantic
//!
//! A `skills-matcher` that reads requirements by meaning: each open-text requirement (skill,
//! activity) is compared with the profile's passages (experiences whole and line by line,
//! summary, diplomas, certifications, skills list) through a local multilingual sentence
//! embedding model run by the host (`inference` import; the plugin never loads weights). The
//! similarity is judged against two fixed reference cohorts (ordinary CV passages, ordinary
//! requirements of many trades; see [`cohort`]), so that a passage counts only when it stands
//! out from what any CV says, whatever the requirement's wording. A passage from a job far from
//! the posting's role (its title and missions) proves less than the same passage from a job of
//! the trade (`role-floor`). The lexical matcher's reading is kept where it is stronger (exact
//! terms, ESCO/ROME synonyms) and for licences, languages, diplomas and minimum experience. A
//! described experience proves more than a listed skill, and a long list proves less per item, so
//! keyword stuffing does not pay.
//!
//! Settings (all optional, through the `config` import): `model` (default
//! `multilingual-e5-small`; another model must be installed on the host and granted to the
//! plugin by the administrator), `query-prefix` / `passage-prefix` (what that model expects
//! before a sought and a searched text; default E5's "query: " and "passage: "),
//! `relevance-floor` / `relevance-ceiling` (relevance, in standard deviations above the
//! cohorts, mapped to credit 0 and 1), `role-floor` (share of its credit
//! a passage of an unrelated job keeps, default 0.8; 1 turns the role fit off), `batch-size`,
//! `log-similarities` ("true": log every best relevance, for
//! `cargo bench --bench calibrate_semantic`), and the lexical matcher's `partial-threshold`,
//! `reference-date`, `max-evidence`.
//!
//! Vectors are not cached here (every call is a fresh sandboxed instance with no storage): the
//! host caches them by digest of model and text, so re-ranking known profiles, and the cohorts
//! on every call, cost no inference.

pub mod chunks;
pub mod cohort;
pub mod engine;

#[cfg(test)]
mod tests;

use vivier_sdk::skills_matcher::{config, inference, log, Assessment, Candidate, MatchError, Posting, SkillsMatcher};

/// The component.
pub struct SemanticMatcher;

/// Embeddings through the host's `inference` import.
struct HostEmbedder<'a> {
    model: &'a str,
}

impl engine::Embedder for HostEmbedder<'_> {
    fn embed(&mut self, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
        inference::embed(self.model, texts).map_err(|e| match e {
            inference::InferenceError::ModelNotGranted(m) => format!("modèle {m} non autorisé pour ce module"),
            inference::InferenceError::ModelUnavailable(m) => {
                format!("modèle {m} absent de cet hôte (l'administrateur doit l'installer : vivier models install)")
            }
            inference::InferenceError::InputTooLarge(m) => format!("entrée trop grande : {m}"),
            inference::InferenceError::Internal(m) => m,
        })
    }
}

impl SkillsMatcher for SemanticMatcher {
    fn assess(posting: Posting, candidates: Vec<Candidate>) -> Result<Vec<Assessment>, MatchError> {
        let (mut settings, problems) = engine::Settings::from_lookup(config::get);
        for problem in problems {
            log::emit(log::Level::Warn, &problem);
        }
        if settings.lexical.reference_month.is_none() {
            settings.lexical.reference_month = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| vivier_matcher_lexical::engine::month_from_unix_seconds(d.as_secs()));
        }
        let model = settings.model.clone();
        let mut trace = Vec::new();
        let result = engine::assess(&posting, &candidates, &settings, &mut HostEmbedder { model: &model }, &mut trace);
        for line in trace {
            log::emit(log::Level::Debug, &line);
        }
        if let Ok(a) = &result {
            log::emit(log::Level::Info, &format!("{} candidat(s) évalué(s) avec {model}", a.len()));
        }
        result
    }
}

vivier_sdk::skills_matcher::export_skills_matcher!(SemanticMatcher);
