//! Minimal `posting-drafter` plugin, to copy when writing your own.
//!
//! Writes a few lines of Markdown from the request: title, missions, deadline. Recruiter notes
//! are never copied. Build: `cargo build --target wasm32-wasip2 --release`.

use vivier_sdk::posting_drafter::*;

pub struct ExampleDrafter;

impl PostingDrafter for ExampleDrafter {
    fn draft(request: DraftRequest) -> Result<JobAd, DraftError> {
        let title = vivier_sdk::text::squash_spaces(&request.job_title);
        if title.is_empty() {
            return Err(DraftError::InvalidRequest("intitulé vide".into()));
        }
        let title = format!("{title} (F/H)");
        let mut markdown = format!("# {title}\n\n## Vos missions\n\n");
        for mission in &request.missions {
            markdown.push_str(&format!("- {mission}\n"));
        }
        let mut warnings = vec![];
        match &request.application_deadline {
            Some(deadline) => markdown.push_str(&format!("\nCandidature avant le {deadline}.\n")),
            None => warnings.push(DraftWarning {
                code: "missing-application-deadline".into(),
                category: "mandatory-mention".into(),
                severity: Severity::Warning,
                message: "Date limite de candidature absente.".into(),
                article: "Décret n° 2018-1351 du 28 décembre 2018, art. 3".into(),
                excerpt: String::new(),
            }),
        }
        markdown.push_str("\nTous nos postes sont ouverts aux personnes en situation de handicap.\n");
        Ok(JobAd { title, markdown, warnings })
    }
}

vivier_sdk::posting_drafter::export_posting_drafter!(ExampleDrafter);

#[cfg(test)]
mod tests;
