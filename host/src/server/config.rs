//! Server configuration: defaults, then a TOML file, then `VIVIER_*` environment variables,
//! then command-line flags. Unknown keys and bad values are errors, never silently ignored.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The AI Act (art. 19, 26(6)) asks for at least six months of logs.
pub const MIN_AUDIT_RETENTION_DAYS: u32 = 183;
pub const CONFIG_FILE: &str = "vivier.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    /// Largest request body (multipart upload, JSON).
    pub max_body_bytes: usize,
    /// Largest CV document.
    pub max_document_bytes: usize,
    /// Most candidates in one ranking request.
    pub max_candidates: usize,
    /// Most CVs in one batch (`POST /v1/cv/batches`), zip entries included.
    pub max_batch_files: usize,
    /// Plugin calls running at once (each on a blocking thread); further calls wait.
    pub max_concurrent_calls: usize,
    /// Requests to plugin routes that may wait for a call slot; beyond, 503 with `Retry-After`.
    pub max_queued_calls: usize,
    /// Longest wait for a call slot before a 503 with `Retry-After`.
    pub queue_timeout_ms: u64,
    /// Unsuccessful (or never decided) candidates are erased this long after the last contact.
    pub candidate_retention_days: u32,
    /// Audit rows older than this are purged behind a checkpoint; at least 183 days.
    pub audit_retention_days: u32,
    /// How often the retention job runs.
    pub purge_interval_secs: u64,
    /// Mean time between two runs of the continuous bias probe on the active matcher, in
    /// seconds (the actual times are random); 0 turns it off.
    pub probe_every_secs: u64,
    /// Vendor public keys whose signatures are trusted (hex or base64).
    pub trusted_keys: Vec<String>,
    /// The admin console's session cookie carries `Secure` (set it when served over HTTPS).
    pub console_secure_cookie: bool,
    /// Requests each API key may send per minute (429 beyond); 0 turns the limit off.
    pub rate_limit_per_minute: u32,
    /// A request's headers must arrive within this, or the connection is closed.
    pub header_read_timeout_ms: u64,
    /// A request's body must arrive within this of the request (408 beyond).
    pub body_timeout_ms: u64,
    /// A keep-alive connection without a request in flight or a byte for this long is closed.
    pub idle_timeout_ms: u64,
    /// Open connections one IP address may hold; further ones are closed at once.
    pub max_connections_per_peer: usize,
    /// How often the webhook sender looks for due deliveries.
    pub webhook_poll_ms: u64,
    /// First retry delay of a failed webhook delivery; each next one is three times longer.
    pub webhook_retry_base_ms: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 20 << 20,
            max_document_bytes: 10 << 20,
            max_candidates: 2000,
            max_batch_files: 500,
            max_concurrent_calls: std::thread::available_parallelism().map_or(2, |n| n.get()) * 2,
            max_queued_calls: 64,
            queue_timeout_ms: 10_000,
            candidate_retention_days: 730,
            audit_retention_days: 365,
            purge_interval_secs: 3600,
            probe_every_secs: 6 * 3600,
            trusted_keys: vec![],
            console_secure_cookie: false,
            rate_limit_per_minute: 1200,
            header_read_timeout_ms: 10_000,
            body_timeout_ms: 120_000,
            idle_timeout_ms: 60_000,
            max_connections_per_peer: 256,
            webhook_poll_ms: 1000,
            webhook_retry_base_ms: 10_000,
        }
    }
}

fn env_var<T: std::str::FromStr>(name: &str, target: &mut T) -> Result<()>
where
    T::Err: std::fmt::Display,
{
    if let Ok(text) = std::env::var(name) {
        *target = text.trim().parse().map_err(|e| anyhow::anyhow!("{name}=`{text}` is invalid: {e}"))?;
    }
    Ok(())
}

impl ServerConfig {
    /// Reads `file` (or `<data_dir>/vivier.toml` when present), then the environment.
    pub fn load(data_dir: &Path, file: Option<&Path>) -> Result<Self> {
        let default_file = data_dir.join(CONFIG_FILE);
        let path: Option<PathBuf> = match file {
            Some(f) => Some(f.to_owned()),
            None if default_file.is_file() => Some(default_file),
            None => None,
        };
        let mut config = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("{} is invalid: {}", p.display(), e.message()))?
            }
            None => ServerConfig::default(),
        };
        env_var("VIVIER_BIND", &mut config.bind)?;
        env_var("VIVIER_MAX_BODY_BYTES", &mut config.max_body_bytes)?;
        env_var("VIVIER_MAX_DOCUMENT_BYTES", &mut config.max_document_bytes)?;
        env_var("VIVIER_MAX_CANDIDATES", &mut config.max_candidates)?;
        env_var("VIVIER_MAX_BATCH_FILES", &mut config.max_batch_files)?;
        env_var("VIVIER_MAX_CONCURRENT_CALLS", &mut config.max_concurrent_calls)?;
        env_var("VIVIER_MAX_QUEUED_CALLS", &mut config.max_queued_calls)?;
        env_var("VIVIER_QUEUE_TIMEOUT_MS", &mut config.queue_timeout_ms)?;
        env_var("VIVIER_CANDIDATE_RETENTION_DAYS", &mut config.candidate_retention_days)?;
        env_var("VIVIER_AUDIT_RETENTION_DAYS", &mut config.audit_retention_days)?;
        env_var("VIVIER_PURGE_INTERVAL_SECS", &mut config.purge_interval_secs)?;
        env_var("VIVIER_PROBE_EVERY_SECS", &mut config.probe_every_secs)?;
        env_var("VIVIER_CONSOLE_SECURE_COOKIE", &mut config.console_secure_cookie)?;
        env_var("VIVIER_RATE_LIMIT_PER_MINUTE", &mut config.rate_limit_per_minute)?;
        env_var("VIVIER_HEADER_READ_TIMEOUT_MS", &mut config.header_read_timeout_ms)?;
        env_var("VIVIER_BODY_TIMEOUT_MS", &mut config.body_timeout_ms)?;
        env_var("VIVIER_IDLE_TIMEOUT_MS", &mut config.idle_timeout_ms)?;
        env_var("VIVIER_MAX_CONNECTIONS_PER_PEER", &mut config.max_connections_per_peer)?;
        env_var("VIVIER_WEBHOOK_POLL_MS", &mut config.webhook_poll_ms)?;
        env_var("VIVIER_WEBHOOK_RETRY_BASE_MS", &mut config.webhook_retry_base_ms)?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<()> {
        if self.audit_retention_days < MIN_AUDIT_RETENTION_DAYS {
            bail!(
                "audit_retention_days is {}, below the legal floor of {MIN_AUDIT_RETENTION_DAYS} days (AI Act art. 19 and 26(6))",
                self.audit_retention_days
            );
        }
        if self.max_concurrent_calls == 0 || self.max_concurrent_calls > 256 {
            bail!("max_concurrent_calls must be between 1 and 256");
        }
        if self.max_queued_calls > 10_000 {
            bail!("max_queued_calls must be at most 10000");
        }
        if self.queue_timeout_ms == 0 {
            bail!("queue_timeout_ms must be positive");
        }
        if self.max_document_bytes > self.max_body_bytes {
            bail!("max_document_bytes cannot exceed max_body_bytes");
        }
        if self.header_read_timeout_ms == 0 || self.body_timeout_ms == 0 || self.idle_timeout_ms == 0 {
            bail!("header_read_timeout_ms, body_timeout_ms and idle_timeout_ms must be positive");
        }
        if self.max_connections_per_peer == 0 {
            bail!("max_connections_per_peer must be at least 1");
        }
        if self.webhook_poll_ms == 0 || self.webhook_retry_base_ms == 0 {
            bail!("webhook_poll_ms and webhook_retry_base_ms must be positive");
        }
        if self.purge_interval_secs == 0 {
            bail!("purge_interval_secs must be positive");
        }
        Ok(())
    }
}
