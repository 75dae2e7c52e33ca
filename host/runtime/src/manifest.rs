//! `vivier-plugin.toml`: who made a plugin, what it implements, what it may use, and the
//! transparency facts a deployer needs (AI Act art. 13).

use crate::world::{self, World};
use serde::{Deserialize, Serialize};

pub const MANIFEST_FILE: &str = "vivier-plugin.toml";

/// The one world that may reach the network: a `posting-drafter` that also imports
/// `wasi:http/outgoing-handler` (see `wit/worlds.wit`). Its slot is `posting-drafter`.
pub const NETWORK_WORLD: &str = "posting-drafter-http";

/// Ceilings a manifest may ask for; an administrator's configuration can lower them.
pub const MAX_MEMORY_MIB: u32 = 1024;
pub const MAX_TIMEOUT_MS: u32 = 120_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub plugin: PluginInfo,
    #[serde(default)]
    pub component: ComponentInfo,
    #[serde(default)]
    pub capabilities: Capabilities,
    pub transparency: Transparency,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PluginInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    pub vendor: String,
    pub world: String,
    pub wit_version: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ComponentInfo {
    /// Component file inside the bundle.
    #[serde(default = "default_component_file")]
    pub file: String,
    /// Hex sha256 of the component; required in a bundle.
    #[serde(default)]
    pub sha256: Option<String>,
}

impl Default for ComponentInfo {
    fn default() -> Self {
        Self { file: default_component_file(), sha256: None }
    }
}

fn default_component_file() -> String {
    "plugin.wasm".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Capabilities {
    #[serde(default = "default_memory")]
    pub memory_mib: u32,
    #[serde(default = "default_timeout")]
    pub timeout_ms: u32,
    /// Hosts the plugin asks to reach over wasi:http (an administrator must also grant them).
    #[serde(default)]
    pub outbound_hosts: Vec<String>,
    /// Host models the plugin asks to use through `inference`.
    #[serde(default)]
    pub models: Vec<String>,
}

impl Default for Capabilities {
    fn default() -> Self {
        Self { memory_mib: default_memory(), timeout_ms: default_timeout(), outbound_hosts: vec![], models: vec![] }
    }
}

fn default_memory() -> u32 {
    64
}
fn default_timeout() -> u32 {
    5000
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Transparency {
    pub provider: String,
    pub contact: String,
    pub intended_purpose: String,
    pub limitations: Vec<String>,
    pub human_oversight: String,
    #[serde(default)]
    pub accuracy: Vec<AccuracyFigure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccuracyFigure {
    pub metric: String,
    pub value: String,
    pub dataset: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{MANIFEST_FILE} is not valid TOML for a Vivier manifest: {0}")]
    Syntax(String),
    #[error("{MANIFEST_FILE} is invalid: {}", .0.join("; "))]
    Invalid(Vec<String>),
}

impl Manifest {
    pub fn parse(text: &str) -> Result<Self, ManifestError> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| ManifestError::Syntax(e.message().to_owned()))?;
        manifest.validate()?;
        Ok(manifest)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a manifest always serialises")
    }

    /// The slot the plugin serves.
    pub fn world(&self) -> World {
        if self.network_world() {
            return World::PostingDrafter;
        }
        self.plugin.world.parse().expect("validated at parse")
    }

    /// Whether the plugin implements the posting-drafter-http world, the only one that may
    /// import `wasi:http` (and so ask for outbound hosts).
    pub fn network_world(&self) -> bool {
        self.plugin.world == NETWORK_WORLD
    }

    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<(), ManifestError> {
        let mut problems = Vec::new();
        let p = &self.plugin;
        if p.id.is_empty()
            || p.id.len() > 64
            || !p.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || p.id.starts_with('-')
        {
            problems.push(format!("plugin.id `{}` must be 1-64 characters of a-z, 0-9 and '-'", p.id));
        }
        if semver::Version::parse(&p.version).is_err() {
            problems.push(format!("plugin.version `{}` is not a semantic version (e.g. 1.2.0)", p.version));
        }
        if p.world != NETWORK_WORLD {
            if let Err(e) = p.world.parse::<World>() {
                problems.push(format!("plugin.world: {e} (or {NETWORK_WORLD})"));
            }
        }
        if !world::version_served(&p.wit_version) {
            problems.push(format!(
                "plugin.wit-version `{}` is not served by this host (serves {})",
                p.wit_version,
                world::WIT_VERSION
            ));
        }
        for (field, value) in
            [("plugin.name", &p.name), ("plugin.vendor", &p.vendor), ("plugin.description", &p.description)]
        {
            if value.trim().is_empty() {
                problems.push(format!("{field} is empty"));
            }
        }
        let file = &self.component.file;
        if file.is_empty() || file.contains('/') || file.contains('\\') || file.starts_with('.') {
            problems.push(format!("component.file `{file}` must be a plain file name inside the bundle"));
        }
        if let Some(digest) = &self.component.sha256 {
            if digest.len() != 64 || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
                problems.push("component.sha256 must be 64 hexadecimal characters".into());
            }
        }
        let c = &self.capabilities;
        if c.memory_mib == 0 || c.memory_mib > MAX_MEMORY_MIB {
            problems.push(format!("capabilities.memory-mib must be between 1 and {MAX_MEMORY_MIB}"));
        }
        if c.timeout_ms == 0 || c.timeout_ms > MAX_TIMEOUT_MS {
            problems.push(format!("capabilities.timeout-ms must be between 1 and {MAX_TIMEOUT_MS}"));
        }
        if !c.outbound_hosts.is_empty() && !self.network_world() {
            problems.push(format!(
                "capabilities.outbound-hosts: only a plugin of the {NETWORK_WORLD} world may reach the network, \
                 and this one implements {}",
                p.world
            ));
        }
        for host in &c.outbound_hosts {
            if !valid_host(host) {
                problems.push(format!("capabilities.outbound-hosts: `{host}` is not a host name (e.g. llm.example.fr or llm.example.fr:8443)"));
            }
        }
        let t = &self.transparency;
        for (field, value) in [
            ("transparency.provider", &t.provider),
            ("transparency.contact", &t.contact),
            ("transparency.intended-purpose", &t.intended_purpose),
            ("transparency.human-oversight", &t.human_oversight),
        ] {
            if value.trim().is_empty() {
                problems.push(format!("{field} is empty (AI Act art. 13 requires it)"));
            }
        }
        if t.limitations.iter().all(|l| l.trim().is_empty()) {
            problems.push("transparency.limitations lists nothing (AI Act art. 13 requires known limitations)".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ManifestError::Invalid(problems))
        }
    }
}

fn valid_host(host: &str) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    let labels_ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
        });
    port_ok && labels_ok
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"
[plugin]
id = "acme-parser"
name = "Lecteur ACME"
version = "1.2.0"
vendor = "ACME SAS"
world = "cv-parser"
wit-version = "0.1.0"
description = "Reads CVs."

[capabilities]
memory-mib = 32
timeout-ms = 2000

[transparency]
provider = "ACME SAS, 1 rue de l'Exemple, Lyon"
contact = "dpo@acme.example"
intended-purpose = "Lecture de CV"
limitations = ["Pas d'OCR"]
human-oversight = "Le recruteur vérifie chaque champ."
"#;

    #[test]
    fn parses_a_valid_manifest_with_defaults() {
        let m = Manifest::parse(SAMPLE).unwrap();
        assert_eq!(m.world(), World::CvParser);
        assert_eq!(m.component.file, "plugin.wasm");
        assert_eq!(m.capabilities.memory_mib, 32);
        assert!(m.capabilities.outbound_hosts.is_empty());
        let again = Manifest::parse(&m.to_toml()).unwrap();
        assert_eq!(again, m);
    }

    #[test]
    fn reports_every_problem() {
        let bad = SAMPLE
            .replace("acme-parser", "Acme Parser")
            .replace("1.2.0", "latest")
            .replace("\"cv-parser\"", "\"mind-reader\"")
            .replace("memory-mib = 32", "memory-mib = 999999\noutbound-hosts = [\"http://x\"]")
            .replace("limitations = [\"Pas d'OCR\"]", "limitations = []");
        let err = Manifest::parse(&bad).unwrap_err().to_string();
        for needle in ["plugin.id", "plugin.version", "unknown world", "memory-mib", "outbound-hosts", "limitations"] {
            assert!(err.contains(needle), "{needle} missing from: {err}");
        }
    }

    #[test]
    fn only_the_network_world_may_ask_for_outbound_hosts() {
        let parser = SAMPLE.replace("timeout-ms = 2000", "timeout-ms = 2000\noutbound-hosts = [\"exfil.example\"]");
        let err = Manifest::parse(&parser).unwrap_err().to_string();
        assert!(err.contains("only a plugin of the posting-drafter-http world"), "{err}");
        let drafter = parser.replace("\"cv-parser\"", "\"posting-drafter-http\"");
        let m = Manifest::parse(&drafter).unwrap();
        assert!(m.network_world());
        assert_eq!(m.world(), World::PostingDrafter);
        let plain = parser.replace("\"cv-parser\"", "\"posting-drafter\"");
        assert!(Manifest::parse(&plain).is_err());
    }

    #[test]
    fn unknown_fields_and_bad_toml_are_errors() {
        assert!(matches!(Manifest::parse("[plugin\nid="), Err(ManifestError::Syntax(_))));
        let extra = SAMPLE.replace("[capabilities]", "[capabilities]\nfilesystem = \"/\"");
        assert!(Manifest::parse(&extra).unwrap_err().to_string().contains("filesystem"));
    }
}
