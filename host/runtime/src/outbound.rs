//! Outbound HTTP policy for plugins granted network access (the LLM drafter's path): which
//! endpoints an administrator granted, and the check of the address a granted name resolves to,
//! so that an allowed name cannot be pointed at another internal address (DNS rebinding).
//!
//! The decision logic; `runtime::http` applies it to every `wasi:http` request a plugin sends.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// One endpoint an administrator granted: methods, scheme, host, port and path prefix, and
/// optionally the addresses the host name may resolve to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Upper-case HTTP methods allowed (`POST` when the grant names none).
    pub methods: Vec<String>,
    pub scheme: String,
    pub host: String,
    pub port: u16,
    /// Path prefix, at a segment boundary: `/v1` allows `/v1` and `/v1/chat/completions`, not
    /// `/v1beta`; `/` allows every path.
    pub path_prefix: String,
    /// Addresses the name is pinned to; empty: any public address, never an internal one.
    pub pinned: Vec<IpAddr>,
}

/// Why a request is refused. Each case names what is missing so an administrator can act.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    #[error("`{0}` is not a valid http(s) URL")]
    InvalidUrl(String),
    #[error("no outbound grant for {scheme}://{host}:{port}: an administrator must grant `{scheme}://{host}:{port}` to this plugin")]
    NotGranted { scheme: String, host: String, port: u16 },
    #[error("{method} {scheme}://{host}:{port}{path} is outside the grants for this endpoint (their methods and path prefixes)")]
    OutOfScope { method: String, scheme: String, host: String, port: u16, path: String },
    #[error(
        "`{0}`: a grant names the path prefix it allows, e.g. `POST http://llm.intra:8000/v1/` (`/` allows every path)"
    )]
    NoPath(String),
    #[error("{host} resolves to {addr}, which is not an address granted for it")]
    AddressNotGranted { host: String, addr: IpAddr },
    #[error("outbound request limit reached: {0}")]
    Quota(String),
    #[error("{host} could not be resolved: {reason}")]
    Resolve { host: String, reason: String },
}

const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

impl Grant {
    /// Parses "POST,GET https://llm.example.fr:8443/v1/" (methods optional, `POST` by default;
    /// default ports 80/443; the path prefix required), optionally followed by
    /// "=10.0.0.5,10.0.0.6" to pin addresses.
    pub fn parse(spec: &str) -> Result<Grant, OutboundError> {
        let (head, pins) = spec.split_once('=').unwrap_or((spec, ""));
        let head = head.trim();
        let (methods, url) = match head.split_once(char::is_whitespace) {
            Some((m, url)) => {
                let methods: Vec<String> = m.split(',').map(|m| m.trim().to_ascii_uppercase()).collect();
                if methods.iter().any(|m| !METHODS.contains(&m.as_str())) {
                    return Err(OutboundError::InvalidUrl(spec.to_owned()));
                }
                (methods, url.trim())
            }
            None => (vec!["POST".to_owned()], head),
        };
        let (scheme, host, port) = split_url(url)?;
        let path = canonical_path(url).ok_or_else(|| OutboundError::InvalidUrl(spec.to_owned()))?;
        let after_authority = url.split_once("://").map_or("", |(_, r)| r);
        if !after_authority.contains('/') {
            return Err(OutboundError::NoPath(spec.to_owned()));
        }
        let pinned = pins
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.trim().parse::<IpAddr>().map_err(|_| OutboundError::InvalidUrl(spec.to_owned())))
            .collect::<Result<_, _>>()?;
        Ok(Grant { methods, scheme, host, port, path_prefix: path, pinned })
    }

    /// Whether `method` and the canonical `path` are within this grant.
    pub fn allows(&self, method: &str, path: &str) -> bool {
        let prefix = self.path_prefix.as_str();
        let in_prefix = prefix == "/"
            || path == prefix
            || (path.starts_with(prefix)
                && (prefix.ends_with('/') || path.as_bytes().get(prefix.len()) == Some(&b'/')));
        self.methods.iter().any(|m| m.eq_ignore_ascii_case(method)) && in_prefix
    }
}

/// The path of a URL with `.` and `..` resolved, or `None` when it hides a separator (an encoded
/// slash or backslash, an empty segment): what is checked against a grant is what is sent.
pub fn canonical_path(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let path = parsed.path();
    let lower = path.to_ascii_lowercase();
    if ["%2f", "%5c", "%2e", "//", "\\"].iter().any(|b| lower.contains(b)) || url.contains('\\') {
        return None;
    }
    Some(if path.is_empty() { "/".to_owned() } else { path.to_owned() })
}

/// (scheme, lower-case host, port) of an http(s) URL.
pub fn split_url(url: &str) -> Result<(String, String, u16), OutboundError> {
    let bad = || OutboundError::InvalidUrl(url.to_owned());
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let scheme = scheme.to_ascii_lowercase();
    let default = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err(bad()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') || authority.is_empty() {
        return Err(bad());
    }
    // "[::1]:8000", "[::1]", "host:8000", "host".
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, rest) = v6.split_once(']').ok_or_else(bad)?;
        match rest.strip_prefix(':') {
            Some(p) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None if rest.is_empty() => (h, default),
            None => return Err(bad()),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None => (authority, default),
        }
    };
    let host = host.to_ascii_lowercase();
    if host.is_empty() || port == 0 {
        return Err(bad());
    }
    Ok((scheme, host, port))
}

/// The grant that covers a request, with the canonical path and query to send, or the typed
/// refusal naming what is missing.
pub fn authorise<'a>(grants: &'a [Grant], method: &str, url: &str) -> Result<(&'a Grant, String), OutboundError> {
    let (scheme, host, port) = split_url(url)?;
    let endpoint: Vec<&Grant> =
        grants.iter().filter(|g| g.scheme == scheme && g.host == host && g.port == port).collect();
    if endpoint.is_empty() {
        return Err(OutboundError::NotGranted { scheme, host, port });
    }
    let path = canonical_path(url).ok_or_else(|| OutboundError::InvalidUrl(url.to_owned()))?;
    let grant = endpoint.into_iter().find(|g| g.allows(method, &path)).ok_or_else(|| OutboundError::OutOfScope {
        method: method.to_owned(),
        scheme: scheme.clone(),
        host: host.clone(),
        port,
        path: path.clone(),
    })?;
    let query = url::Url::parse(url).ok().and_then(|u| u.query().map(|q| format!("?{q}"))).unwrap_or_default();
    Ok((grant, format!("{path}{query}")))
}

/// Loopback, private, link-local, unique-local, unspecified or CGNAT: an address inside the
/// département's network or the host itself.
pub fn is_internal(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => {
            a.is_loopback()
                || a.is_private()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || (a.octets()[0] == 100 && (a.octets()[1] & 0xC0) == 64)
        }
        IpAddr::V6(a) => {
            a.is_loopback()
                || a.is_unspecified()
                || (a.segments()[0] & 0xfe00) == 0xfc00
                || (a.segments()[0] & 0xffc0) == 0xfe80
                || a.to_ipv4_mapped().is_some_and(|v4| is_internal(IpAddr::V4(v4)))
        }
    }
}

/// Checks resolved addresses against a grant: pinned addresses only when the grant pins some,
/// otherwise no internal address.
pub fn check_addresses(grant: &Grant, addrs: &[IpAddr]) -> Result<(), OutboundError> {
    for &addr in addrs {
        let ok = if grant.pinned.is_empty() { !is_internal(addr) } else { grant.pinned.contains(&addr) };
        if !ok {
            return Err(OutboundError::AddressNotGranted { host: grant.host.clone(), addr });
        }
    }
    Ok(())
}

/// Resolves a granted name and checks every address; the caller connects to the returned
/// addresses only, so a later answer for the same name cannot redirect the connection.
pub fn resolve(grant: &Grant) -> Result<Vec<SocketAddr>, OutboundError> {
    let addrs: Vec<SocketAddr> = (grant.host.as_str(), grant.port)
        .to_socket_addrs()
        .map_err(|e| OutboundError::Resolve { host: grant.host.clone(), reason: e.to_string() })?
        .collect();
    if addrs.is_empty() {
        return Err(OutboundError::Resolve { host: grant.host.clone(), reason: "no address".into() });
    }
    check_addresses(grant, &addrs.iter().map(SocketAddr::ip).collect::<Vec<_>>())?;
    Ok(addrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_match_scheme_host_and_port() {
        let grants = [
            Grant::parse("https://LLM.example.fr/").unwrap(),
            Grant::parse("http://127.0.0.1:8000/=127.0.0.1").unwrap(),
        ];
        assert_eq!(authorise(&grants, "POST", "https://llm.example.fr/v1/chat/completions").unwrap().0.port, 443);
        assert!(authorise(&grants, "POST", "http://127.0.0.1:8000/v1/chat/completions").is_ok());
        let e = authorise(&grants, "POST", "http://llm.example.fr/v1").unwrap_err();
        assert!(e.to_string().contains("must grant `http://llm.example.fr:80`"), "{e}");
        assert!(matches!(
            authorise(&grants, "POST", "https://llm.example.fr:8443/"),
            Err(OutboundError::NotGranted { .. })
        ));
        assert!(matches!(
            authorise(&grants, "POST", "https://user@llm.example.fr/"),
            Err(OutboundError::InvalidUrl(_))
        ));
        assert!(matches!(authorise(&grants, "POST", "ftp://llm.example.fr/"), Err(OutboundError::InvalidUrl(_))));
        assert!(matches!(Grant::parse("https://llm.example.fr"), Err(OutboundError::NoPath(_))));
        assert!(Grant::parse("STEAL https://llm.example.fr/").is_err());
    }

    #[test]
    fn a_grant_allows_its_methods_and_path_prefix_only() {
        let grants = [Grant::parse("POST https://llm.example.fr/v1/chat/completions").unwrap()];
        let ok = authorise(&grants, "POST", "https://llm.example.fr/v1/chat/completions?x=1").unwrap();
        assert_eq!(ok.1, "/v1/chat/completions?x=1");
        for (method, url) in [
            ("GET", "https://llm.example.fr/v1/chat/completions"),
            ("DELETE", "https://llm.example.fr/v1/chat/completions"),
            ("POST", "https://llm.example.fr/v1/chat/completionsX"),
            ("POST", "https://llm.example.fr/v1/models"),
            ("POST", "https://llm.example.fr/admin/users"),
            ("POST", "https://llm.example.fr/v1/chat/completions/../../../admin"),
            ("POST", "https://llm.example.fr/v1/chat/completions/..%2f..%2fadmin"),
            ("POST", "https://llm.example.fr/v1/chat/completions%2F..%2F..%2Fadmin"),
            ("POST", "https://llm.example.fr/v1/chat/completions/%2e%2e/%2e%2e/admin"),
            ("POST", "https://llm.example.fr//v1/chat/completions"),
        ] {
            assert!(authorise(&grants, method, url).is_err(), "{method} {url} must be refused");
        }
        // A sub-path of the prefix is within it; `..` inside the prefix resolves before the check.
        assert!(authorise(&grants, "POST", "https://llm.example.fr/v1/chat/completions/stream").is_ok());
        let resolved = authorise(&grants, "POST", "https://llm.example.fr/v1/x/../chat/completions").unwrap();
        assert_eq!(resolved.1, "/v1/chat/completions");
        let two = [Grant::parse("GET,POST http://127.0.0.1:8000/=127.0.0.1").unwrap()];
        assert!(authorise(&two, "GET", "http://127.0.0.1:8000/anything").is_ok());
        assert!(authorise(&two, "PUT", "http://127.0.0.1:8000/anything").is_err());
        assert_eq!(split_url("http://[::1]:8000/x").unwrap(), ("http".into(), "::1".into(), 8000));
        assert_eq!(split_url("https://[::1]").unwrap().2, 443);
    }

    #[test]
    fn a_granted_name_cannot_point_at_another_internal_address() {
        let public = Grant::parse("https://llm.example.fr/").unwrap();
        assert!(check_addresses(&public, &["203.0.113.7".parse().unwrap()]).is_ok());
        for internal in ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fd00::1", "::ffff:10.0.0.1"]
        {
            assert!(check_addresses(&public, &[internal.parse().unwrap()]).is_err(), "{internal}");
        }
        let pinned = Grant::parse("http://llm.intra:8000/=10.0.0.5").unwrap();
        assert!(check_addresses(&pinned, &["10.0.0.5".parse().unwrap()]).is_ok());
        let e = check_addresses(&pinned, &["10.0.0.6".parse().unwrap()]).unwrap_err();
        assert_eq!(e, OutboundError::AddressNotGranted { host: "llm.intra".into(), addr: "10.0.0.6".parse().unwrap() });
    }

    #[test]
    fn resolution_of_a_pinned_loopback_grant() {
        let g = Grant::parse("http://localhost:8000/=127.0.0.1,::1").unwrap();
        let addrs = resolve(&g).unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 8000));
        let unpinned = Grant::parse("http://localhost:8000/").unwrap();
        assert!(matches!(resolve(&unpinned), Err(OutboundError::AddressNotGranted { .. })));
    }
}
