//! What an administrator grants a plugin beyond its sandbox: outbound endpoints, the secret
//! sent to them, and settings. One file per plugin, `<data-dir>/grants/<plugin-id>.toml`:
//!
//! ```toml
//! # Endpoints (scheme://host:port, optionally "=address,..." to pin what the name may resolve to).
//! outbound = ["http://llm.intra.example:8000=10.20.0.5"]
//! # Environment variable of the host holding the API key, sent as "Authorization: Bearer <key>"
//! # to the granted endpoints only; the plugin never reads it.
//! api-key-env = "VIVIER_LLM_API_KEY"
//!
//! [config]            # what the plugin reads through the `config` import
//! base-url = "http://llm.intra.example:8000/v1"
//! model = "mistral-small"
//! ```
//!
//! A grant counts only for a host the plugin's manifest asks for (`outbound-hosts`): the
//! manifest asks, the administrator grants.

use crate::manifest::Manifest;
use crate::outbound::Grant;
use crate::runtime::http::OutboundGrant;
use crate::runtime::PluginGrants;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AdminGrants {
    #[serde(default)]
    pub outbound: Vec<String>,
    #[serde(default)]
    pub api_key_env: Option<String>,
    #[serde(default)]
    pub config: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum GrantsError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

impl AdminGrants {
    /// The grants file of `plugin_id` under `data_dir`, or no grant when there is none.
    pub fn load(data_dir: &Path, plugin_id: &str) -> Result<AdminGrants, GrantsError> {
        let path = data_dir.join("grants").join(format!("{plugin_id}.toml"));
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AdminGrants::default()),
            Err(e) => return Err(GrantsError::Read { path: path.display().to_string(), reason: e.to_string() }),
        };
        toml::from_str(&text)
            .map_err(|e| GrantsError::Invalid { path: path.display().to_string(), reason: e.message().to_owned() })
    }

    /// The plugin's grants: settings, models of its manifest, and the outbound endpoints both
    /// asked for by the manifest and granted here.
    pub fn to_plugin_grants(&self, manifest: &Manifest) -> Result<PluginGrants, GrantsError> {
        let invalid =
            |reason: String| GrantsError::Invalid { path: format!("grants of {}", manifest.plugin.id), reason };
        let secret = match &self.api_key_env {
            Some(var) => Some(
                std::env::var(var)
                    .map_err(|_| invalid(format!("the environment variable {var} holding the API key is not set")))?,
            ),
            None => None,
        };
        let asked = &manifest.capabilities.outbound_hosts;
        let mut outbound = Vec::new();
        for spec in &self.outbound {
            let grant = Grant::parse(spec).map_err(|e| invalid(e.to_string()))?;
            let with_port = format!("{}:{}", grant.host, grant.port);
            if asked.iter().any(|h| h.eq_ignore_ascii_case(&grant.host) || h.eq_ignore_ascii_case(&with_port)) {
                outbound.push(OutboundGrant { grant, authorization: secret.as_ref().map(|k| format!("Bearer {k}")) });
            }
        }
        Ok(PluginGrants {
            config: std::sync::Arc::new(self.config.clone()),
            models: manifest.capabilities.models.clone().into(),
            outbound: outbound.into(),
        })
    }
}
