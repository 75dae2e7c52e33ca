//! One call into a plugin: fresh store and instance, limits armed, result checked, resources
//! accounted. A plugin that traps, loops or bloats costs this call an error, nothing more.

use super::error::PluginError;
use super::plugin::LoadedPlugin;
use super::sandbox::{CallState, LogEntry};
use super::Runtime;
use crate::bundle::sha256_hex;
use crate::model::*;
use crate::world::World;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use wasmtime::component::{ComponentNamedList, Lift, Lower};
use wasmtime::{Store, Trap, UpdateDeadline};

/// Which plugin served a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginRef {
    pub id: String,
    pub version: String,
    pub digest: String,
    pub world: World,
}

impl From<&LoadedPlugin> for PluginRef {
    fn from(p: &LoadedPlugin) -> Self {
        Self { id: p.id().to_owned(), version: p.version().to_owned(), digest: p.digest.clone(), world: p.world }
    }
}

/// One model used during a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelUse {
    pub id: String,
    /// sha256 over the model's files and the inference engine (see
    /// [`crate::inference::Inference::fingerprint`]); empty when the backend gives none.
    pub digest: String,
    pub texts: u64,
}

/// The accounting of one call: what an audit record is made of.
#[derive(Debug, Clone, Serialize)]
pub struct CallReport {
    pub plugin: PluginRef,
    /// Milliseconds since the Unix epoch.
    pub started_at_ms: u64,
    pub wall_us: u64,
    pub cpu_us: u64,
    pub peak_memory_bytes: u64,
    /// Time spent in host inference (`inference.embed`) during the call, included in `wall_us`.
    pub inference_us: u64,
    /// CPU time of the host threads that computed embeddings for the call, included in `cpu_us`.
    pub inference_cpu_us: u64,
    /// The host models that computed for this call: which id, which files, how many texts.
    /// An administrator may grant a plugin another model, so the plugin's digest alone does not
    /// say what produced a result.
    pub models: Vec<ModelUse>,
    /// sha256 of the input, so a record proves what was processed without keeping it.
    pub input_digest: String,
    /// sha256 of the canonical JSON of the result (empty when the call failed).
    pub output_digest: String,
    pub output_bytes: u64,
    /// "ok", "plugin_error" (the plugin declined, e.g. unsupported format) or a [`PluginError`] code.
    pub outcome: String,
    /// What the host corrected in the plugin's result (e.g. a NaN score).
    pub sanitised: Vec<String>,
    pub log: Vec<LogEntry>,
    pub log_dropped: u64,
}

/// The result of a call with its report; the report exists even when the call failed.
#[derive(Debug)]
pub struct Invocation<T> {
    pub result: Result<T, PluginError>,
    pub report: CallReport,
}

fn thread_cpu_time_us() -> u64 {
    crate::inference::thread_cpu_time().as_micros() as u64
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Digest of a document: its bytes and declared metadata, without re-encoding the bytes.
pub fn document_digest(doc: &Document) -> String {
    let mut h = Sha256::new();
    h.update(doc.filename.as_bytes());
    h.update([0]);
    h.update(doc.media_type.as_bytes());
    h.update([0]);
    h.update(&doc.bytes);
    hex::encode(h.finalize())
}

/// The sha256 (hex) of a value's JSON: the input digest of a call (`assess`, `draft`).
pub fn json_digest<T: Serialize>(value: &T) -> String {
    sha256_hex(&serde_json::to_vec(value).unwrap_or_default())
}

impl Runtime {
    /// Parses a document with a `cv-parser` plugin.
    pub fn parse(&self, plugin: &LoadedPlugin, document: &Document) -> Invocation<Result<ParsedCv, ParseError>> {
        self.invoke::<(&Document,), Result<ParsedCv, ParseError>>(
            plugin,
            World::CvParser,
            (document,),
            document_digest(document),
            None,
            |_| Ok(vec![]),
        )
    }

    /// Assesses candidates with a `skills-matcher` plugin. Every candidate gets exactly one
    /// assessment back, or the call fails: no candidate is ever silently dropped.
    pub fn assess(
        &self,
        plugin: &LoadedPlugin,
        posting: &Posting,
        candidates: &[Candidate],
    ) -> Invocation<Result<Vec<Assessment>, MatchError>> {
        self.assess_as_of(plugin, posting, candidates, None)
    }

    /// [`assess`](Self::assess) with the plugin's clock set to `clock_ms` (milliseconds since
    /// the epoch) instead of now: a recorded call replayed as it ran (`vivier audit replay`).
    pub fn assess_as_of(
        &self,
        plugin: &LoadedPlugin,
        posting: &Posting,
        candidates: &[Candidate],
        clock_ms: Option<u64>,
    ) -> Invocation<Result<Vec<Assessment>, MatchError>> {
        let digest = json_digest(&(posting, candidates));
        let mut invocation = self.invoke::<(&Posting, &[Candidate]), Result<Vec<Assessment>, MatchError>>(
            plugin,
            World::SkillsMatcher,
            (posting, candidates),
            digest,
            clock_ms,
            |result| match result {
                Ok(assessments) => super::integrity::check_assessments(assessments, posting, candidates),
                Err(_) => Ok(vec![]),
            },
        );
        if let Ok(Ok(assessments)) = &mut invocation.result {
            // Present results in the caller's order of candidates, whatever the plugin did.
            let order: std::collections::HashMap<&str, usize> =
                candidates.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
            assessments.sort_by_key(|a| order.get(a.candidate_id.as_str()).copied().unwrap_or(usize::MAX));
        }
        invocation
    }

    /// Drafts a job ad with a `posting-drafter` plugin.
    pub fn draft(&self, plugin: &LoadedPlugin, request: &DraftRequest) -> Invocation<Result<JobAd, DraftError>> {
        self.invoke::<(&DraftRequest,), Result<JobAd, DraftError>>(
            plugin,
            World::PostingDrafter,
            (request,),
            json_digest(request),
            None,
            |_| Ok(vec![]),
        )
    }

    /// A fresh store for one use of `plugin`: its memory limiter and host limits installed, and
    /// its deadline armed. Wasm code running at the deadline, or when the plugin's stop switch
    /// is engaged, is interrupted at the next epoch tick; a plugin waiting in a host call is
    /// ended by the timeout around the call (see `run`).
    pub(crate) fn sandbox(
        &self,
        plugin: &LoadedPlugin,
        deadline: Instant,
        env: &super::determinism::CallEnvironment,
    ) -> Store<CallState> {
        let mut state = CallState::new(
            &plugin.limits,
            plugin.grants.clone(),
            self.inference.clone(),
            self.inference_permits.clone(),
            env,
        );
        state.cache_partition = plugin.digest.clone();
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limiter);
        store.set_hostcall_fuel(plugin.limits.host.hostcall_bytes);
        store.set_max_component_handles(plugin.limits.host.live_resources);
        store.set_epoch_deadline(1);
        let stop = plugin.stop.clone();
        store.epoch_deadline_callback(move |_| {
            Ok(if stop.is_engaged() || Instant::now() >= deadline {
                UpdateDeadline::Interrupt
            } else {
                UpdateDeadline::Continue(1)
            })
        });
        store
    }

    /// The per-call path shared by every world. `check` validates and sanitises the result in
    /// place, returning what it corrected, or the reason the result cannot be used.
    fn invoke<P, R>(
        &self,
        plugin: &LoadedPlugin,
        world: World,
        params: P,
        input_digest: String,
        clock_ms: Option<u64>,
        check: impl FnOnce(&mut R) -> Result<Vec<String>, String>,
    ) -> Invocation<R>
    where
        P: ComponentNamedList + Lower,
        R: Lift + Serialize + 'static,
        (R,): ComponentNamedList + Lift,
    {
        let started_at_ms = now_ms();
        let wall = Instant::now();
        let cpu = thread_cpu_time_us();
        let mut report = CallReport {
            plugin: PluginRef::from(plugin),
            started_at_ms,
            wall_us: 0,
            cpu_us: 0,
            peak_memory_bytes: 0,
            inference_us: 0,
            inference_cpu_us: 0,
            models: vec![],
            input_digest,
            output_digest: String::new(),
            output_bytes: 0,
            outcome: String::new(),
            sanitised: vec![],
            log: vec![],
            log_dropped: 0,
        };
        let result = if plugin.world != world {
            Err(PluginError::Host {
                plugin: plugin.id().to_owned(),
                reason: format!("plugin implements {}, not {world}", plugin.world),
            })
        } else {
            self.run(plugin, params, clock_ms, check, &mut report)
        };
        report.outcome = match &result {
            Ok(_) if report.outcome.is_empty() => "ok".into(),
            Ok(_) => std::mem::take(&mut report.outcome),
            Err(e) => e.code().into(),
        };
        // The calling thread drives the plugin; inference ran on other threads and is added.
        report.cpu_us = thread_cpu_time_us().saturating_sub(cpu) + report.inference_cpu_us;
        report.wall_us = wall.elapsed().as_micros() as u64;
        Invocation { result, report }
    }

    fn run<P, R>(
        &self,
        plugin: &LoadedPlugin,
        params: P,
        clock_ms: Option<u64>,
        check: impl FnOnce(&mut R) -> Result<Vec<String>, String>,
        report: &mut CallReport,
    ) -> Result<R, PluginError>
    where
        P: ComponentNamedList + Lower,
        R: Lift + Serialize + 'static,
        (R,): ComponentNamedList + Lift,
    {
        let id = plugin.id();
        if plugin.stop.is_engaged() {
            return Err(PluginError::Stopped { plugin: id.to_owned() });
        }
        let deadline = Instant::now() + plugin.limits.timeout;
        let at = clock_ms.unwrap_or(report.started_at_ms);
        let env = super::determinism::CallEnvironment::new(at, &report.input_digest);
        let mut store = self.sandbox(plugin, deadline, &env);

        let call = async {
            let instance = plugin.pre.instantiate_async(&mut store).await?;
            let func = instance.get_typed_func::<P, (R,)>(&mut store, &plugin.export)?;
            func.call_async(&mut store, params).await
        };
        // Whatever the plugin is doing — computing, or waiting in a host call (a sleep, a poll,
        // a stream, an HTTP request, inference) — the call ends at its deadline or when the
        // stop switch is engaged: dropping the future drops the plugin's fiber, and the store
        // is never entered again.
        let ended = self.io.block_on(async {
            tokio::select! {
                biased;
                _ = plugin.stop.engaged() => Ended::Stopped,
                done = tokio::time::timeout_at(deadline.into(), call) => match done {
                    Ok(result) => Ended::Returned(result),
                    Err(_) => Ended::TimedOut,
                },
            }
        });
        // Classify before the log is taken: a trap's detail comes from what stderr holds.
        let called = match ended {
            Ended::Returned(result) => result.map_err(|err| classify(err, store.data(), plugin)),
            Ended::TimedOut => Err(timeout(plugin)),
            Ended::Stopped => Err(PluginError::Stopped { plugin: id.to_owned() }),
        };
        let state = store.data_mut();
        let log = state.take_log();
        report.log = log.entries;
        report.log_dropped = log.dropped;
        // Outbound calls: logged without bodies; a refused one fails the call with its reason.
        for c in state.http_hooks.log.calls() {
            report.log.push(LogEntry {
                level: super::sandbox::LogLevel::Info,
                source: "http",
                message: serde_json::to_string(&c).unwrap_or_default(),
            });
        }
        if let Some(denied) = state.http_hooks.log.denied() {
            return Err(PluginError::OutboundDenied { plugin: id.to_owned(), reason: denied.to_string() });
        }
        report.peak_memory_bytes = state.limiter.peak();
        report.inference_us = state.inference_wall_ns.load(std::sync::atomic::Ordering::Acquire) / 1000;
        report.inference_cpu_us = state.inference_cpu_ns.load(std::sync::atomic::Ordering::Acquire) / 1000;
        report.models = state
            .models_used
            .iter()
            .map(|(id, &texts)| ModelUse {
                id: id.clone(),
                digest: state.inference.as_ref().and_then(|b| b.fingerprint(id)).unwrap_or_default(),
                texts,
            })
            .collect();
        let (mut value,) = called?;
        let bytes = serde_json::to_vec(&value).map_err(|e| PluginError::InvalidOutput {
            plugin: id.to_owned(),
            reason: format!("result cannot be represented: {e}"),
        })?;
        report.output_bytes = bytes.len() as u64;
        if report.output_bytes > plugin.limits.max_output_bytes {
            return Err(PluginError::OutputTooLarge {
                plugin: id.to_owned(),
                limit: plugin.limits.max_output_bytes,
                size: report.output_bytes,
            });
        }
        report.sanitised =
            check(&mut value).map_err(|reason| PluginError::InvalidOutput { plugin: id.to_owned(), reason })?;
        report.output_digest = if report.sanitised.is_empty() { sha256_hex(&bytes) } else { json_digest(&value) };
        if bytes.starts_with(b"{\"Err\"") {
            report.outcome = "plugin_error".into();
        }
        Ok(value)
    }
}

/// How a call's future ended.
enum Ended<T> {
    Returned(wasmtime::Result<T>),
    TimedOut,
    Stopped,
}

fn timeout(plugin: &LoadedPlugin) -> PluginError {
    PluginError::Timeout { plugin: plugin.id().to_owned(), limit_ms: plugin.limits.timeout.as_millis() as u64 }
}

/// Turns a wasmtime failure into a typed error naming the limit or fault.
fn classify(err: wasmtime::Error, state: &CallState, plugin: &LoadedPlugin) -> PluginError {
    let id = plugin.id().to_owned();
    if let Some(Trap::Interrupt) = err.downcast_ref::<Trap>() {
        if plugin.stop.is_engaged() {
            return PluginError::Stopped { plugin: id };
        }
        return timeout(plugin);
    }
    if let Some(limit) = host_limit(&err, &plugin.limits.host) {
        return PluginError::HostLimit { plugin: id, limit: limit.0, detail: limit.1 };
    }
    if let Some(requested) = state.limiter.refused() {
        return PluginError::MemoryLimit { plugin: id, limit: plugin.limits.memory_bytes, requested };
    }
    if let Some(exit) = err.downcast_ref::<wasmtime_wasi::I32Exit>() {
        return PluginError::Exit { plugin: id, code: exit.0 };
    }
    let stderr = state.stderr_tail(600);
    match err.downcast_ref::<Trap>() {
        Some(trap) => PluginError::Trap { plugin: id, trap: trap.to_string(), detail: stderr },
        None => {
            let root = err.root_cause().to_string();
            let detail = if stderr.is_empty() { root } else { format!("{root}; stderr: {stderr}") };
            PluginError::Trap { plugin: id, trap: "host call failed".into(), detail }
        }
    }
}

/// The host limit a failure ran into, if it is one: (which limit, what happened).
fn host_limit(err: &wasmtime::Error, limits: &super::limits::HostLimits) -> Option<(String, String)> {
    let text = format!("{err:#}");
    if err
        .downcast_ref::<wasmtime::component::ResourceTableError>()
        .is_some_and(|e| matches!(e, wasmtime::component::ResourceTableError::Full))
        || text.contains("resource table has no free keys")
    {
        return Some((
            format!("live resources (at most {})", limits.live_resources),
            "the plugin held too many streams, pollables or HTTP objects at once".into(),
        ));
    }
    if text.contains("fuel allocated for hostcalls has been exhausted") {
        return Some((
            format!("data passed to the host in one call (at most {} bytes)", limits.hostcall_bytes),
            "the plugin handed the host more data at once than it may".into(),
        ));
    }
    if text.contains("handles") && (text.contains("limit") || text.contains("exceed") || text.contains("too many")) {
        return Some((format!("live resources (at most {})", limits.live_resources), text));
    }
    if text.contains("requested len") && text.contains("exceeds limit") {
        return Some((format!("random bytes in one request (at most {})", limits.random_bytes), text));
    }
    None
}
