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
