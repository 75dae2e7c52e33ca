//! `vivier:hr/types`: what a person did and knows, never who they are.

use serde::{Deserialize, Serialize};
use wasmtime::component::{ComponentType, Lift, Lower};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ComponentType, Lift, Lower)]
#[component(record)]
pub struct Document {
    pub filename: String,
    #[component(name = "media-type")]
    pub media_type: String,
    #[serde(with = "crate::model::types::base64_bytes")]
    pub bytes: Vec<u8>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
}

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Experience {
    pub title: String,
    pub organisation: Option<String>,
    pub location: Option<String>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub current: bool,
    pub description: String,
}

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Education {
    pub degree: String,
    pub institution: Option<String>,
    pub location: Option<String>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub level: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub label: String,
    #[component(name = "concept-id")]
    pub concept_id: Option<String>,
    pub evidence: Vec<String>,
}

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub name: String,
    pub level: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    pub name: String,
    pub issuer: Option<String>,
    pub date: Option<PartialDate>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(enum)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    #[component(name = "titulaire")]
    Titulaire,
    #[component(name = "stagiaire")]
    Stagiaire,
    #[component(name = "contractuel")]
    Contractuel,
    #[component(name = "other")]
    Other,
}

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct PublicService {
    pub grade: Option<String>,
    #[component(name = "cadre-emplois")]
    pub cadre_emplois: Option<String>,
    pub categorie: Option<String>,
    pub concours: Vec<String>,
    pub status: Option<EmploymentStatus>,
}

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub headline: Option<String>,
    pub summary: Option<String>,
    pub experiences: Vec<Experience>,
    pub education: Vec<Education>,
    pub skills: Vec<Skill>,
    pub languages: Vec<Language>,
    pub certifications: Vec<Certification>,
    #[component(name = "driving-licences")]
    pub driving_licences: Vec<String>,
    #[component(name = "public-service")]
    pub public_service: PublicService,
    pub interests: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema)]
#[component(record)]
pub struct Warning {
    pub code: String,
    pub message: String,
}

/// Document bytes travel as base64 in JSON.
pub(crate) mod base64_bytes {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
