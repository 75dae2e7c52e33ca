//! What an administrator grants a plugin beyond its sandbox: outbound endpoints, the secret
//! sent to them, and settings. One file per plugin, `<data-dir>/grants/<plugin-id>.toml`:
//!
//! ```toml
//! # Endpoints: "[METHODS] scheme://host:port/path-prefix", optionally "=address,..." to pin what
//! # the name may resolve to. Methods default to POST; the path prefix is required ("/" allows
//! # every path) and matches at a segment boundary, after "." and ".." are resolved.
//! outbound = ["POST http://llm.intra.example:8000/v1/chat/completions=10.20.0.5"]
//! # Environment variable of the host holding the API key, sent as "Authorization: Bearer <key>"
//! # only with a request within a grant (method and path included); the plugin never reads it.
//! api-key-env = "VIVIER_LLM_API_KEY"
//!
//! # Local models of the host's model store the plugin may use besides those its manifest names
//! # (installed with `vivier models install` or `vivier models import`).
//! models = ["e5-base-local"]
//!
//! [config]            # what the plugin reads through the `config` import
//! base-url = "http://llm.intra.example:8000/v1"
//! model = "mistral-small"
//! ```
//!
//! An outbound grant counts only for a host the plugin's manifest asks for (`outbound-hosts`):
//! the manifest asks, the administrator grants. A model grant needs no such request: a local
//! model computes on the host and sends nothing out, so swapping one (a larger model, say) is an
//! administrator's choice, made without repackaging the plugin.

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
    pub models: Vec<String>,
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

    /// The plugin's grants: settings, the models of its manifest and those granted here, and the
    /// outbound endpoints both asked for by the manifest and granted here.
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
        let mut models = manifest.capabilities.models.clone();
        for model in &self.models {
            crate::models::store::check_id(model).map_err(|e| invalid(e.to_string()))?;
            if !models.contains(model) {
                models.push(model.clone());
            }
        }
        Ok(PluginGrants {
            config: std::sync::Arc::new(self.config.clone()),
            models: models.into(),
            outbound: outbound.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(plugin: &str) -> Manifest {
        let path = format!("{}/../plugins/{plugin}/vivier-plugin.toml", env!("CARGO_MANIFEST_DIR"));
        Manifest::parse(&std::fs::read_to_string(path).unwrap()).expect("a bundled plugin's manifest")
    }

    #[test]
    fn granted_models_are_added_to_those_of_the_manifest() {
        let grants: AdminGrants = toml::from_str("models = [\"e5-base-local\", \"multilingual-e5-small\"]").unwrap();
        let got = grants.to_plugin_grants(&manifest("matcher-semantic")).unwrap();
        assert_eq!(&*got.models, ["multilingual-e5-small".to_owned(), "e5-base-local".to_owned()]);
        let none = AdminGrants::default().to_plugin_grants(&manifest("matcher-lexical")).unwrap();
        assert!(none.models.is_empty(), "no model unless the manifest names it or the administrator grants it");
    }

    #[test]
    fn a_model_grant_must_be_a_store_id() {
        let grants: AdminGrants = toml::from_str("models = [\"../../etc\"]").unwrap();
        let err = grants.to_plugin_grants(&manifest("matcher-lexical")).unwrap_err().to_string();
        assert!(err.contains("not a valid model id"), "{err}");
    }
}
