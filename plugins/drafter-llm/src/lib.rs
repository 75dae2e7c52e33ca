//! # vivier-drafter-llm
//!
//! A `posting-drafter` that asks an OpenAI-compatible chat-completions endpoint for the ad.
//! Settings through `config`: `base-url` (e.g. "http://llm.intra.example:8000/v1"), `model`,
//! optionally `temperature`. The only way out is `wasi:http/outgoing-handler`; the host checks
//! the endpoint against the administrator's grant and adds the API key, which this plugin never
//! sees. The host lints the result and marks it as AI-generated.

pub mod client;
pub mod prompt;

use vivier_sdk::posting_drafter::{config, log, DraftError, DraftRequest, JobAd, PostingDrafter};

pub struct LlmDrafter;

impl PostingDrafter for LlmDrafter {
    fn draft(request: DraftRequest) -> Result<JobAd, DraftError> {
        if request.job_title.trim().is_empty() {
            return Err(DraftError::InvalidRequest("l'intitulé du poste (job-title) est vide".into()));
        }
        let base = config::get("base-url").filter(|b| !b.trim().is_empty()).ok_or_else(|| {
            DraftError::InvalidRequest("réglage `base-url` absent : l'administrateur doit le définir".into())
        })?;
        let model = config::get("model").filter(|m| !m.trim().is_empty()).ok_or_else(|| {
            DraftError::InvalidRequest("réglage `model` absent : l'administrateur doit le définir".into())
        })?;
        let temperature = config::get("temperature").and_then(|t| t.parse::<f64>().ok()).unwrap_or(0.2);
        let body = prompt::request_body(&request, &model, temperature);
        let url = format!("{}/chat/completions", base.trim_end_matches('/'));
        let response = client::post_json(&url, body.as_bytes()).map_err(DraftError::Upstream)?;
        if !(200..300).contains(&response.status) {
            return Err(DraftError::Upstream(format!("le service a répondu {}", response.status)));
        }
        let markdown = prompt::completion_text(&response.body).map_err(DraftError::Upstream)?;
        log::emit(log::Level::Info, &format!("annonce reçue : {} caractères", markdown.chars().count()));
        Ok(JobAd { title: prompt::title_of(&markdown, &request.job_title), markdown, warnings: vec![] })
    }
}

vivier_sdk::posting_drafter::export_posting_drafter!(LlmDrafter);
