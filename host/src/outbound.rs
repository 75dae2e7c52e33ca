//! Outbound HTTP policy for plugins granted network access (the LLM drafter's path): which
//! endpoints an administrator granted, and the check of the address a granted name resolves to,
//! so that an allowed name cannot be pointed at another internal address (DNS rebinding).
//!
//! The decision logic; `runtime::http` applies it to every `wasi:http` request a plugin sends.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// One endpoint an administrator granted: scheme, host and port, and optionally the addresses
/// the host name may resolve to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub scheme: String,
    pub host: String,
    pub port: u16,
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
    #[error("{host} resolves to {addr}, which is not an address granted for it")]
    AddressNotGranted { host: String, addr: IpAddr },
    #[error("{host} could not be resolved: {reason}")]
    Resolve { host: String, reason: String },
}

impl Grant {
    /// Parses "https://llm.example.fr:8443" (default ports 80/443), optionally followed by
    /// "=10.0.0.5,10.0.0.6" to pin addresses.
    pub fn parse(spec: &str) -> Result<Grant, OutboundError> {
        let (url, pins) = spec.split_once('=').unwrap_or((spec, ""));
        let (scheme, host, port) = split_url(url.trim())?;
        let pinned = pins
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.trim().parse::<IpAddr>().map_err(|_| OutboundError::InvalidUrl(spec.to_owned())))
            .collect::<Result<_, _>>()?;
        Ok(Grant { scheme, host, port, pinned })
    }
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

/// The grant that covers a URL, or the typed refusal naming the missing grant.
pub fn authorise<'a>(grants: &'a [Grant], url: &str) -> Result<&'a Grant, OutboundError> {
    let (scheme, host, port) = split_url(url)?;
    grants.iter().find(|g| g.scheme == scheme && g.host == host && g.port == port).ok_or(OutboundError::NotGranted {
        scheme,
        host,
        port,
    })
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
        let grants =
            [Grant::parse("https://LLM.example.fr").unwrap(), Grant::parse("http://127.0.0.1:8000=127.0.0.1").unwrap()];
        assert_eq!(authorise(&grants, "https://llm.example.fr/v1/chat/completions").unwrap().port, 443);
        assert!(authorise(&grants, "http://127.0.0.1:8000/v1/chat/completions").is_ok());
        let e = authorise(&grants, "http://llm.example.fr/v1").unwrap_err();
        assert!(e.to_string().contains("must grant `http://llm.example.fr:80`"), "{e}");
        assert!(matches!(authorise(&grants, "https://llm.example.fr:8443/"), Err(OutboundError::NotGranted { .. })));
        assert!(matches!(authorise(&grants, "https://user@llm.example.fr/"), Err(OutboundError::InvalidUrl(_))));
        assert!(matches!(authorise(&grants, "ftp://llm.example.fr/"), Err(OutboundError::InvalidUrl(_))));
        assert_eq!(split_url("http://[::1]:8000/x").unwrap(), ("http".into(), "::1".into(), 8000));
        assert_eq!(split_url("https://[::1]").unwrap().2, 443);
    }

    #[test]
    fn a_granted_name_cannot_point_at_another_internal_address() {
        let public = Grant::parse("https://llm.example.fr").unwrap();
        assert!(check_addresses(&public, &["203.0.113.7".parse().unwrap()]).is_ok());
        for internal in ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fd00::1", "::ffff:10.0.0.1"]
        {
            assert!(check_addresses(&public, &[internal.parse().unwrap()]).is_err(), "{internal}");
        }
        let pinned = Grant::parse("http://llm.intra:8000=10.0.0.5").unwrap();
        assert!(check_addresses(&pinned, &["10.0.0.5".parse().unwrap()]).is_ok());
        let e = check_addresses(&pinned, &["10.0.0.6".parse().unwrap()]).unwrap_err();
        assert_eq!(e, OutboundError::AddressNotGranted { host: "llm.intra".into(), addr: "10.0.0.6".parse().unwrap() });
    }

    #[test]
    fn resolution_of_a_pinned_loopback_grant() {
        let g = Grant::parse("http://localhost:8000=127.0.0.1,::1").unwrap();
        let addrs = resolve(&g).unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 8000));
        let unpinned = Grant::parse("http://localhost:8000").unwrap();
        assert!(matches!(resolve(&unpinned), Err(OutboundError::AddressNotGranted { .. })));
    }
}
