//! `vivier:hr/drafting`: first drafts of job ads, always edited and signed by a human.

use serde::{Deserialize, Serialize};
use wasmtime::component::{ComponentType, Lift, Lower};

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(default, deny_unknown_fields)]
pub struct DraftRequest {
    #[component(name = "job-title")]
    pub job_title: String,
    pub employer: Option<String>,
    pub filiere: Option<String>,
    pub categorie: Option<String>,
    #[component(name = "cadre-emplois")]
    pub cadre_emplois: Option<String>,
    pub grades: Vec<String>,
    pub service: Option<String>,
    pub location: Option<String>,
    pub missions: Vec<String>,
    pub profile: Vec<String>,
    #[component(name = "working-time")]
    pub working_time: Option<String>,
    pub remuneration: Vec<String>,
    #[component(name = "remote-work")]
    pub remote_work: Option<String>,
    #[component(name = "application-deadline")]
    pub application_deadline: Option<String>,
    #[component(name = "start-date")]
    pub start_date: Option<String>,
    pub contact: Option<String>,
    #[component(name = "contract-basis")]
    pub contract_basis: Option<String>,
    #[component(name = "open-to-contractuels")]
    pub open_to_contractuels: Option<bool>,
    #[component(name = "recruitment-route")]
    pub recruitment_route: Option<String>,
    #[component(name = "recruiter-notes")]
    pub recruiter_notes: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(enum)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    #[component(name = "info")]
    Info,
    #[component(name = "warning")]
    Warning,
    #[component(name = "error")]
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema)]
#[component(record)]
pub struct DraftWarning {
    pub code: String,
    pub category: String,
    pub severity: Severity,
    pub message: String,
    pub article: String,
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower)]
#[component(record)]
pub struct JobAd {
    pub title: String,
    pub markdown: String,
    pub warnings: Vec<DraftWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, thiserror::Error)]
#[component(variant)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum DraftError {
    #[component(name = "invalid-request")]
    #[error("invalid draft request: {0}")]
    InvalidRequest(String),
    #[component(name = "upstream")]
    #[error("upstream service failed: {0}")]
    Upstream(String),
    #[component(name = "internal")]
    #[error("drafter internal error: {0}")]
    Internal(String),
}
