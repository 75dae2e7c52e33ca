//! The per-call sandbox: a fresh WASI context with nothing granted, captured output, and the
//! state host imports need. One is built for every call and dropped after it.

use super::limits::{CallLimits, MemoryLimiter, LOG_ENTRY_OVERHEAD};
use crate::inference::Inference;
use bytes::Bytes;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use wasmtime::component::ResourceTable;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// Settings and grants of one plugin, shared by all its calls.
#[derive(Debug, Clone, Default)]
pub struct PluginGrants {
    /// Settings an administrator set for this plugin (`config` import).
    pub config: Arc<BTreeMap<String, String>>,
    /// Models the plugin may use through `inference`.
    pub models: Arc<[String]>,
    /// Endpoints the plugin may reach through `wasi:http`, granted by an administrator.
    pub outbound: Arc<[super::http::OutboundGrant]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub level: LogLevel,
    /// "log" for the log import, "stdout" or "stderr" for WASI output.
    pub source: &'static str,
    pub message: String,
}

/// A plugin's log for one call, capped in bytes (each entry counts its message and its own
/// bookkeeping): past the cap entries are counted, not kept.
#[derive(Debug, Default)]
pub struct LogBuffer {
    pub entries: Vec<LogEntry>,
    pub dropped: u64,
    bytes: usize,
    cap: usize,
}

const MAX_MESSAGE_BYTES: usize = 4096;

impl LogBuffer {
    pub fn new(cap: usize) -> Self {
        Self { cap, ..Default::default() }
    }

    pub fn push(&mut self, level: LogLevel, source: &'static str, message: &str) {
        let message = truncate_utf8(message, MAX_MESSAGE_BYTES);
        let cost = message.len() + LOG_ENTRY_OVERHEAD;
        if self.bytes + cost > self.cap {
            self.dropped += 1;
            return;
        }
        self.bytes += cost;
        self.entries.push(LogEntry { level, source, message: message.to_owned() });
    }
}

pub(crate) fn truncate_utf8(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Store data of one call.
pub struct CallState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limiter: MemoryLimiter,
    pub(crate) log: LogBuffer,
    pub(crate) grants: PluginGrants,
    pub(crate) inference: Option<Arc<dyn Inference>>,
    /// Host-wide bound on inference running at once (shared by every call).
    pub(crate) inference_permits: Arc<tokio::sync::Semaphore>,
    /// Wall time spent waiting for host inference during this call, in nanoseconds (reported,
    /// and counted in the timeout). Shared with the import's future, which adds to it even
    /// when the call's deadline drops it.
    pub(crate) inference_wall_ns: Arc<std::sync::atomic::AtomicU64>,
    /// CPU time of the host threads that computed embeddings for this call, in nanoseconds,
    /// published by those threads as they go (see `EmbedControl`).
    pub(crate) inference_cpu_ns: Arc<std::sync::atomic::AtomicU64>,
    /// The embedding cache partition of this call: the plugin's digest.
    pub(crate) cache_partition: String,
    /// Texts embedded per model during this call.
    pub(crate) models_used: std::collections::BTreeMap<String, u64>,
    pub(crate) stdout: CappedSink,
    pub(crate) stderr: CappedSink,
    http: wasmtime_wasi_http::WasiHttpCtx,
    pub(crate) http_hooks: super::http::OutboundHooks,
}

impl CallState {
    pub fn new(
        limits: &CallLimits,
        grants: PluginGrants,
        inference: Option<Arc<dyn Inference>>,
        inference_permits: Arc<tokio::sync::Semaphore>,
        env: &super::determinism::CallEnvironment,
    ) -> Self {
        let stdout = CappedSink::new(limits.max_log_bytes / 4);
        let stderr = CappedSink::new(limits.max_log_bytes / 4);
        // WasiCtxBuilder starts with nothing: no preopened directory, no environment, no
        // arguments, stdin closed, TCP/UDP and name lookup denied.
        let mut wasi = WasiCtxBuilder::new();
        wasi.stdout(stdout.clone()).stderr(stderr.clone()).max_random_size(limits.host.random_bytes);
        // Clocks and random bytes are functions of the call (see `determinism`).
        env.configure(&mut wasi);
        let wasi = wasi.build();
        // Outbound calls end before the call's own deadline, so the plugin can report a clean error.
        let http_hooks =
            super::http::OutboundHooks::new(grants.outbound.clone(), limits.timeout.mul_f32(0.8), &limits.host);
        let mut http = wasmtime_wasi_http::WasiHttpCtx::new();
        http.set_field_size_limit(limits.host.http_field_bytes);
        // Every stream, pollable, field, request and body of the call is an entry here.
        let mut table = ResourceTable::new();
        table.set_max_capacity(limits.host.live_resources);
        Self {
            wasi,
            http,
            http_hooks,
            table,
            limiter: MemoryLimiter::new(limits.memory_bytes),
            log: LogBuffer::new(limits.max_log_bytes),
            grants,
            inference,
            inference_permits,
            inference_wall_ns: Default::default(),
            inference_cpu_ns: Default::default(),
            cache_partition: String::new(),
            models_used: Default::default(),
            stdout,
            stderr,
        }
    }

    /// Moves captured stdout/stderr into the log and returns it.
    pub fn take_log(&mut self) -> LogBuffer {
        for (sink, source, level) in
            [(&self.stdout, "stdout", LogLevel::Info), (&self.stderr, "stderr", LogLevel::Warn)]
        {
            let (text, dropped) = sink.take();
            for line in String::from_utf8_lossy(&text).lines().filter(|l| !l.trim().is_empty()) {
                self.log.push(level, source, line);
            }
            self.log.dropped += dropped;
        }
        std::mem::take(&mut self.log)
    }

    /// The tail of what the plugin wrote to stderr, e.g. a panic message.
    pub fn stderr_tail(&self, max: usize) -> String {
        let text = self.stderr.peek();
        let text = String::from_utf8_lossy(&text);
        let text = text.trim();
        let mut start = text.len().saturating_sub(max);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        text[start..].to_owned()
    }
}

impl wasmtime_wasi_http::WasiHttpView for CallState {
    fn http(&mut self) -> wasmtime_wasi_http::WasiHttpCtxView<'_> {
        wasmtime_wasi_http::WasiHttpCtxView { ctx: &mut self.http, table: &mut self.table, hooks: &mut self.http_hooks }
    }
}

impl WasiView for CallState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

/// An output stream that keeps the first `cap` bytes and silently counts the rest, so a
/// plugin that floods stdout is neither trapped nor allowed to grow host memory.
#[derive(Debug, Clone)]
pub struct CappedSink {
    inner: Arc<Mutex<SinkInner>>,
}

#[derive(Debug, Default)]
struct SinkInner {
    kept: Vec<u8>,
    dropped_bytes: u64,
    cap: usize,
}

impl CappedSink {
    pub fn new(cap: usize) -> Self {
        Self { inner: Arc::new(Mutex::new(SinkInner { cap, ..Default::default() })) }
    }

    fn write_bytes(&self, bytes: &[u8]) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let room = inner.cap.saturating_sub(inner.kept.len());
        let kept = bytes.len().min(room);
        inner.kept.extend_from_slice(&bytes[..kept]);
        inner.dropped_bytes += (bytes.len() - kept) as u64;
    }

    fn take(&self) -> (Vec<u8>, u64) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let dropped = u64::from(inner.dropped_bytes > 0);
        inner.dropped_bytes = 0;
        (std::mem::take(&mut inner.kept), dropped)
    }

    fn peek(&self) -> Vec<u8> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).kept.clone()
    }
}

const SINK_PERMIT: usize = 64 << 10;

#[wasmtime_wasi::async_trait]
impl OutputStream for CappedSink {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.write_bytes(&bytes);
        Ok(())
    }
    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }
    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(SINK_PERMIT)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for CappedSink {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for CappedSink {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.write_bytes(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

impl IsTerminal for CappedSink {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CappedSink {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_buffer_caps_volume() {
        // Each entry counts its message and its bookkeeping: empty messages are not free.
        let mut log = LogBuffer::new(2 * LOG_ENTRY_OVERHEAD + 11);
        log.push(LogLevel::Info, "log", "12345");
        log.push(LogLevel::Info, "log", "123456");
        log.push(LogLevel::Info, "log", "12345");
        assert_eq!(log.entries.len(), 2);
        assert_eq!(log.dropped, 1);
        let mut empty = LogBuffer::new(10 * LOG_ENTRY_OVERHEAD);
        for _ in 0..1000 {
            empty.push(LogLevel::Trace, "log", "");
        }
        assert_eq!((empty.entries.len(), empty.dropped), (10, 990));
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate_utf8("été", 2), "é");
        assert_eq!(truncate_utf8("été", 1), "");
    }

    #[test]
    fn sink_keeps_a_prefix() {
        let sink = CappedSink::new(4);
        sink.write_bytes(b"abcdef");
        assert_eq!(sink.take(), (b"abcd".to_vec(), 1));
    }
}
