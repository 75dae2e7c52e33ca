//! `vivier:hr/matching`: suggestions for a human; nothing here rejects or selects.

use super::types::Profile;
use serde::{Deserialize, Serialize};
use wasmtime::component::{ComponentType, Lift, Lower};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower)]
#[component(enum)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum RequirementKind {
    #[component(name = "skill")]
    Skill,
    #[component(name = "experience")]
    Experience,
    #[component(name = "education")]
    Education,
    #[component(name = "language")]
    Language,
    #[component(name = "certification")]
    Certification,
    #[component(name = "licence")]
    Licence,
    #[component(name = "other")]
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ComponentType, Lift, Lower)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub label: String,
    pub kind: RequirementKind,
    pub weight: f32,
    pub mandatory: bool,
    #[component(name = "concept-id")]
    #[serde(default)]
    pub concept_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ComponentType, Lift, Lower)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Posting {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ComponentType, Lift, Lower)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    pub id: String,
    pub profile: Profile,
    /// Host-computed total months of dated experience (`timeline::total_months` of the host).
    #[component(name = "experience-months")]
    #[serde(default)]
    pub experience_months: Option<u32>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(enum)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum RequirementStatus {
    #[component(name = "met")]
    Met,
    #[component(name = "partial")]
    Partial,
    #[component(name = "missing")]
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema)]
#[component(record)]
pub struct RequirementAssessment {
    #[component(name = "requirement-id")]
    pub requirement_id: String,
    pub requirement: String,
    pub status: RequirementStatus,
    pub evidence: Vec<String>,
    pub weight: f32,
    pub contribution: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ComponentType, Lift, Lower)]
#[component(record)]
pub struct Assessment {
    #[component(name = "candidate-id")]
    pub candidate_id: String,
    pub score: f32,
    pub requirements: Vec<RequirementAssessment>,
    pub summary: String,
    #[component(name = "interview-questions")]
    pub interview_questions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, thiserror::Error)]
#[component(variant)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum MatchError {
    #[component(name = "invalid-posting")]
    #[error("invalid posting: {0}")]
    InvalidPosting(String),
    #[component(name = "internal")]
    #[error("matcher internal error: {0}")]
    Internal(String),
}
