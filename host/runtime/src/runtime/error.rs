//! What can go wrong when a plugin runs. Every case names the plugin and the limit or fault,
//! so a caller can map it to a status code and an administrator can act on it.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PluginError {
    #[error("plugin {plugin} exceeded its time limit of {limit_ms} ms and was stopped")]
    Timeout { plugin: String, limit_ms: u64 },
    #[error("plugin {plugin} asked for {requested} bytes of memory, over its limit of {limit} bytes, and was stopped")]
    MemoryLimit { plugin: String, limit: u64, requested: u64 },
    #[error("plugin {plugin} trapped ({trap}){}", fmt_detail(.detail))]
    Trap { plugin: String, trap: String, detail: String },
    #[error("plugin {plugin} exited early with status {code}")]
    Exit { plugin: String, code: i32 },
    #[error("plugin {plugin} returned {size} bytes of output, over the limit of {limit} bytes")]
    OutputTooLarge { plugin: String, limit: u64, size: u64 },
    #[error("plugin {plugin} returned an invalid result: {reason}")]
    InvalidOutput { plugin: String, reason: String },
    #[error("plugin {plugin} could not be started: {reason}")]
    Instantiation { plugin: String, reason: String },
    #[error("plugin {plugin} tried an outbound request that is not granted: {reason}")]
    OutboundDenied { plugin: String, reason: String },
    #[error("plugin {plugin} was stopped by an administrator (stop switch) while it ran")]
    Stopped { plugin: String },
    #[error("plugin {plugin} made the host spend past its limit on {limit}: {detail}")]
    HostLimit { plugin: String, limit: String, detail: String },
    #[error("host error while running plugin {plugin}: {reason}")]
    Host { plugin: String, reason: String },
}

fn fmt_detail(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

impl PluginError {
    /// A short stable code for logs, audit records and API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            PluginError::Timeout { .. } => "timeout",
            PluginError::MemoryLimit { .. } => "memory_limit",
            PluginError::Trap { .. } => "trap",
            PluginError::Exit { .. } => "exit",
            PluginError::OutputTooLarge { .. } => "output_too_large",
            PluginError::InvalidOutput { .. } => "invalid_output",
            PluginError::Instantiation { .. } => "instantiation",
            PluginError::OutboundDenied { .. } => "outbound_denied",
            PluginError::Stopped { .. } => "stopped",
            PluginError::HostLimit { .. } => "host_limit",
            PluginError::Host { .. } => "host",
        }
    }
}
