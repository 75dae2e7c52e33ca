//! `vivier:hr/cv`: identity, reachable only from the `cv-parser` world.

use super::types::{Profile, Warning};
use serde::{Deserialize, Serialize};
use wasmtime::component::{ComponentType, Lift, Lower};

#[derive(
    Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower, schemars::JsonSchema,
)]
#[component(record)]
pub struct Identity {
    #[component(name = "full-name")]
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    #[component(name = "postal-code")]
    pub postal_code: Option<String>,
    pub links: Vec<String>,
    #[component(name = "birth-date")]
    pub birth_date: Option<String>,
    #[component(name = "has-photo")]
    pub has_photo: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ComponentType, Lift, Lower)]
#[component(record)]
pub struct ParsedCv {
    pub identity: Identity,
    pub profile: Profile,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ComponentType, Lift, Lower, thiserror::Error)]
#[component(variant)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ParseError {
    #[component(name = "unsupported-media-type")]
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[component(name = "empty-document")]
    #[error("the document is empty")]
    EmptyDocument,
    #[component(name = "too-large")]
    #[error("the document is larger than the parser's limit of {0} bytes")]
    TooLarge(u64),
    #[component(name = "encrypted")]
    #[error("the document is encrypted")]
    Encrypted,
    #[component(name = "corrupt")]
    #[error("the document is corrupt: {0}")]
    Corrupt(String),
    #[component(name = "no-text-layer")]
    #[error("the document has no text layer (a scan?); OCR is not supported")]
    NoTextLayer,
    #[component(name = "internal")]
    #[error("parser internal error: {0}")]
    Internal(String),
}
