//! Per-call resource limits and the memory limiter that enforces and measures them.

use crate::manifest::Capabilities;
use std::time::Duration;

/// Limits applied to one call. The manifest asks; the host's ceilings cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CallLimits {
    pub memory_bytes: u64,
    pub timeout: Duration,
    pub max_output_bytes: u64,
    pub max_log_bytes: usize,
    pub host: HostLimits,
}

/// Ceilings set by the administrator for every plugin on this host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostCeilings {
    pub memory_bytes: u64,
    pub timeout: Duration,
    pub max_output_bytes: u64,
    pub max_log_bytes: usize,
}

impl Default for HostCeilings {
    fn default() -> Self {
        Self {
            memory_bytes: 512 << 20,
            timeout: Duration::from_secs(60),
            max_output_bytes: 8 << 20,
            max_log_bytes: 64 << 10,
        }
    }
}

impl CallLimits {
    pub fn from_capabilities(caps: &Capabilities, ceilings: &HostCeilings) -> Self {
        Self {
            memory_bytes: (u64::from(caps.memory_mib) << 20).min(ceilings.memory_bytes),
            timeout: Duration::from_millis(caps.timeout_ms.into()).min(ceilings.timeout),
            max_output_bytes: ceilings.max_output_bytes,
            max_log_bytes: ceilings.max_log_bytes,
            host: HostLimits::for_plugin((u64::from(caps.memory_mib) << 20).min(ceilings.memory_bytes)),
        }
    }
}

/// What the host may spend on behalf of one call, beside the plugin's own linear memory. Each
/// figure bounds one door a plugin could use to make the host allocate; past one, the call fails
/// with [`super::PluginError::HostLimit`] naming it (logs past their cap are dropped and counted
/// instead, so that a chatty plugin still returns its result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct HostLimits {
    /// Bytes the guest may hand the host in one host call (strings and lists lifted into host
    /// memory, e.g. a log message or texts to embed), and in the call's result.
    pub hostcall_bytes: usize,
    /// Live host resources at once (streams, pollables, wasi:http fields, requests, bodies).
    pub live_resources: usize,
    /// Largest wasi:http header block.
    pub http_field_bytes: usize,
    /// Largest `get-random-bytes` request.
    pub random_bytes: u64,
    /// Outgoing HTTP requests one call may make in all, and at once.
    pub http_requests_total: u32,
    pub http_requests_concurrent: u32,
    /// Bytes the host keeps for the call until it ends (log entries with their bookkeeping,
    /// outbound request records and bodies): the plugin's memory limit by default.
    pub retained_bytes: u64,
}

/// Bytes counted for each log entry beyond its message (the entry's own bookkeeping), so that a
/// flood of empty messages is bounded like a flood of long ones.
pub const LOG_ENTRY_OVERHEAD: usize = 64;

impl HostLimits {
    pub fn for_plugin(memory_bytes: u64) -> Self {
        Self {
            // 256 texts of 64 KiB for `inference.embed`, with room for list bookkeeping; a
            // result over the output limit (8 MiB of JSON) is refused anyway.
            hostcall_bytes: 20 << 20,
            live_resources: 1024,
            http_field_bytes: 16 << 10,
            random_bytes: 64 << 10,
            http_requests_total: 16,
            http_requests_concurrent: 2,
            retained_bytes: memory_bytes,
        }
    }
}

/// Refuses growth past the call's memory limit and records the peak, so each call reports
/// what it used and a refusal can be told apart from other traps.
#[derive(Debug)]
pub struct MemoryLimiter {
    limit: usize,
    peak: usize,
    refused: Option<usize>,
}

const MAX_TABLE_ELEMENTS: usize = 1 << 20;

impl MemoryLimiter {
    pub fn new(limit: u64) -> Self {
        Self { limit: usize::try_from(limit).unwrap_or(usize::MAX), peak: 0, refused: None }
    }
    pub fn peak(&self) -> u64 {
        self.peak as u64
    }
    /// The size a refused growth asked for, if any was refused.
    pub fn refused(&self) -> Option<u64> {
        self.refused.map(|r| r as u64)
    }
}

impl wasmtime::ResourceLimiter for MemoryLimiter {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limit {
            self.refused = Some(self.refused.map_or(desired, |r| r.max(desired)));
            return Ok(false);
        }
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }

    fn instances(&self) -> usize {
        64
    }
    fn tables(&self) -> usize {
        64
    }
    fn memories(&self) -> usize {
        16
    }
}
