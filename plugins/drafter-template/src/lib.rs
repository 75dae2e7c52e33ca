//! # vivier-drafter-template
//!
//! A deterministic `posting-drafter` (no AI): fills a template of a French territorial
//! public-service job ad from a draft request, in Markdown, with the usual sections (employer,
//! missions, profile, conditions, application) and mentions (disability, equal access). It warns
//! about missing mandatory mentions (décret n° 2018-1351, art. 3) and runs a basic discrimination
//! check over all request text, recruiter notes included, with the host's own linter (the
//! `vivier-lint` crate). Recruiter notes are never copied into the ad; a discriminatory passage
//! of another field is left out of it.
//!
//! Settings (optional, through the `config` import): `disability-mention`, `equality-mention`
//! (replace the closing sentences) and `employer` (used when a request names no employer).

pub mod compose;
pub mod excerpt;
pub mod notes;

#[cfg(test)]
mod tests;

use vivier_sdk::posting_drafter::{config, log, DraftError, DraftRequest, JobAd, PostingDrafter};

/// The component.
pub struct TemplateDrafter;

impl PostingDrafter for TemplateDrafter {
    fn draft(request: DraftRequest) -> Result<JobAd, DraftError> {
        let options = compose::Options::from_lookup(config::get);
        let ad = compose::draft(&request, &options)?;
        log::emit(log::Level::Info, &format!("annonce rédigée avec {} alerte(s)", ad.warnings.len()));
        Ok(ad)
    }
}

vivier_sdk::posting_drafter::export_posting_drafter!(TemplateDrafter);
