//! The worlds a plugin can implement, and which imports each may use.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// WIT package version served by this host. Minor versions of the same major are served side by
/// side as the contract grows (see `wit/README.md`).
pub const WIT_VERSION: &str = "0.1.0";
pub const WIT_PACKAGE: &str = "vivier:hr";

/// A slot of the platform: each world has one active plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum World {
    CvParser,
    SkillsMatcher,
    PostingDrafter,
}

impl World {
    pub const ALL: [World; 3] = [World::CvParser, World::SkillsMatcher, World::PostingDrafter];

    pub fn name(self) -> &'static str {
        match self {
            World::CvParser => "cv-parser",
            World::SkillsMatcher => "skills-matcher",
            World::PostingDrafter => "posting-drafter",
        }
    }

    /// The function the component must export.
    pub fn export_name(self) -> &'static str {
        match self {
            World::CvParser => "parse",
            World::SkillsMatcher => "assess",
            World::PostingDrafter => "draft",
        }
    }

    /// Host interfaces (`vivier:hr/<name>`) this world may import.
    pub fn host_interfaces(self) -> &'static [&'static str] {
        match self {
            World::CvParser => &["types", "cv", "log", "config"],
            World::SkillsMatcher => &["types", "matching", "log", "config", "inference"],
            World::PostingDrafter => &["drafting", "log", "config"],
        }
    }
}

impl fmt::Display for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for World {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        World::ALL
            .into_iter()
            .find(|w| w.name() == s)
            .ok_or_else(|| format!("unknown world `{s}` (expected cv-parser, skills-matcher or posting-drafter)"))
    }
}

/// Why an import is acceptable, or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportVerdict {
    Allowed,
    Refused(String),
}

/// WASI interfaces that Rust's standard library (and most guest languages) import even for pure
/// functions. They are linked with everything denied: no preopened directory, no environment,
/// no arguments, stdout/stderr captured into the plugin log.
const BASE_WASI: &[&str] = &["wasi:io/", "wasi:cli/", "wasi:clocks/", "wasi:random/", "wasi:filesystem/"];

/// Decides whether a component of `world` may import `name` (e.g. `wasi:sockets/tcp@0.2.6`).
/// `network_world` is true for a plugin of the posting-drafter-http world, the only one that may
/// import `wasi:http`.
pub fn check_import(world: World, name: &str, network_world: bool) -> ImportVerdict {
    if BASE_WASI.iter().any(|p| name.starts_with(p)) {
        return ImportVerdict::Allowed;
    }
    if let Some(rest) = name.strip_prefix("vivier:hr/") {
        let (iface, version) = rest.split_once('@').unwrap_or((rest, ""));
        if !version_served(version) {
            return ImportVerdict::Refused(format!(
                "`{name}`: WIT version {version:?} is not served by this host (serves {WIT_VERSION})"
            ));
        }
        if world.host_interfaces().contains(&iface) {
            return ImportVerdict::Allowed;
        }
        return ImportVerdict::Refused(format!("`{name}` is not available to the {world} world"));
    }
    if name.starts_with("wasi:http/") {
        if !network_world || world != World::PostingDrafter {
            return ImportVerdict::Refused(format!(
                "`{name}`: only a plugin of the posting-drafter-http world may import wasi:http (with \
                 `outbound-hosts` in its manifest and an administrator's grant)"
            ));
        }
        // The client side only: a plugin sends requests, it never serves them.
        if name.starts_with("wasi:http/outgoing-handler@") || name.starts_with("wasi:http/types@") {
            return ImportVerdict::Allowed;
        }
        return ImportVerdict::Refused(format!(
            "`{name}`: only wasi:http/outgoing-handler and wasi:http/types are available"
        ));
    }
    if name.starts_with("wasi:sockets/") {
        return ImportVerdict::Refused(format!(
            "`{name}`: raw sockets are never granted; outbound HTTP goes through wasi:http to allowlisted hosts"
        ));
    }
    ImportVerdict::Refused(format!("`{name}` is not a host interface of Vivier"))
}

/// Same major (0.x: same minor) and not newer than this host.
pub fn version_served(version: &str) -> bool {
    let (Ok(v), Ok(host)) = (semver::Version::parse(version), semver::Version::parse(WIT_VERSION)) else {
        return false;
    };
    let compatible = if host.major == 0 { v.major == 0 && v.minor == host.minor } else { v.major == host.major };
    compatible && v <= host
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matcher_cannot_import_cv_identity() {
        assert_eq!(check_import(World::SkillsMatcher, "vivier:hr/types@0.1.0", false), ImportVerdict::Allowed);
        assert!(matches!(
            check_import(World::SkillsMatcher, "vivier:hr/cv@0.1.0", false),
            ImportVerdict::Refused(m) if m.contains("not available")
        ));
    }

    #[test]
    fn sockets_and_unknown_imports_are_refused() {
        assert!(matches!(check_import(World::CvParser, "wasi:sockets/tcp@0.2.6", false), ImportVerdict::Refused(_)));
        assert!(matches!(check_import(World::CvParser, "acme:spy/exfil", false), ImportVerdict::Refused(_)));
        assert!(matches!(
            check_import(World::PostingDrafter, "wasi:http/outgoing-handler@0.2.6", false),
            ImportVerdict::Refused(m) if m.contains("posting-drafter-http")
        ));
        assert_eq!(check_import(World::CvParser, "wasi:cli/environment@0.2.6", false), ImportVerdict::Allowed);
    }

    #[test]
    fn http_client_imports_need_outbound_hosts() {
        let h = "wasi:http/outgoing-handler@0.2.12";
        assert!(matches!(check_import(World::PostingDrafter, h, false), ImportVerdict::Refused(_)));
        assert!(matches!(check_import(World::CvParser, h, true), ImportVerdict::Refused(_)));
        assert!(matches!(check_import(World::SkillsMatcher, h, true), ImportVerdict::Refused(_)));
        assert_eq!(check_import(World::PostingDrafter, h, true), ImportVerdict::Allowed);
        assert_eq!(check_import(World::PostingDrafter, "wasi:http/types@0.2.12", true), ImportVerdict::Allowed);
        assert!(matches!(
            check_import(World::PostingDrafter, "wasi:http/incoming-handler@0.2.12", true),
            ImportVerdict::Refused(_)
        ));
    }

    #[test]
    fn versions() {
        assert!(version_served("0.1.0"));
        assert!(!version_served("0.2.0"));
        assert!(!version_served("1.0.0"));
        assert!(!version_served(""));
    }
}
