//! API keys and roles. A key is 32 random bytes shown once; only its sha256 is stored (a
//! high-entropy secret needs no slow hash). Each role reaches only its own routes.

use crate::store::{keys, Pool, StoreError};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The HR software: parse, rank, draft, decisions, candidates, explanations.
    Sirh,
    /// Plugin administration, keys, metrics, audit verification.
    Admin,
    /// Read-only access to the audit log and metrics.
    Auditor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Sirh => "sirh",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sirh" => Ok(Role::Sirh),
            "admin" => Ok(Role::Admin),
            "auditor" => Ok(Role::Auditor),
            other => Err(format!("unknown role `{other}` (sirh, admin or auditor)")),
        }
    }
}

/// Who is calling: the key's id (recorded in the audit log) and its role.
#[derive(Debug, Clone)]
pub struct Caller {
    pub key_id: String,
    pub role: Role,
}

/// Prefix that makes a Vivier key recognisable in a secret scanner.
pub const KEY_PREFIX: &str = "vvk_";

pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn generate_key() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    format!("{KEY_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Creates a key; returns its id and the key itself (which is not stored).
pub async fn create_key(pool: &Pool, role: Role, label: Option<&str>) -> Result<(String, String), StoreError> {
    let key = generate_key();
    let id = keys::insert(pool, role, &hash_key(&key), label).await?;
    Ok((id, key))
}

/// The caller a bearer key belongs to, if it is a known, unrevoked key.
pub async fn authenticate(pool: &Pool, key: &str) -> Result<Option<Caller>, StoreError> {
    if !key.starts_with(KEY_PREFIX) || key.len() > 128 {
        return Ok(None);
    }
    Ok(keys::find_by_hash(pool, &hash_key(key)).await?.map(|r| Caller { key_id: r.id, role: r.role }))
}
