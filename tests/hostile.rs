//! Hostile plugins: each misbehaviour gives a typed error or a sanitised result, the host keeps
//! serving, and memory returns to its baseline.

mod common;

use common::*;
use vivier::bundle::SignatureStatus;
use vivier::model::*;
use vivier::runtime::{CompileLimits, Compiler, LoadError, LoadedPlugin, PluginError, PluginGrants};
use vivier::Runtime;

fn posting() -> Posting {
    Posting {
        id: "p".into(),
        title: "Gestionnaire paie".into(),
        description: String::new(),
        requirements: vec![Requirement {
            id: "r1".into(),
            label: "Paie".into(),
            kind: RequirementKind::Skill,
            weight: 1.0,
            mandatory: true,
            concept_id: None,
        }],
    }
}

fn candidates(n: usize) -> Vec<Candidate> {
    (0..n).map(|i| Candidate { id: format!("c{i}"), profile: Profile::default(), experience_months: None }).collect()
}

fn assess(rt: &Runtime, plugin: &LoadedPlugin) -> vivier::runtime::Invocation<Result<Vec<Assessment>, MatchError>> {
    rt.assess(plugin, &posting(), &candidates(2))
}

/// After any fault the same runtime still serves a well-behaved plugin.
fn still_serving(rt: &Runtime) {
    let noop = load_hostile(rt, "remember", 64, 2000).unwrap();
    let inv = assess(rt, &noop);
    assert!(matches!(inv.result, Ok(Ok(ref a)) if a.len() == 2), "host stopped serving: {:?}", inv.result);
}

fn fault(feature: &str, memory_mib: u32, timeout_ms: u32) -> PluginError {
    let rt = runtime();
    let plugin = load_hostile(&rt, feature, memory_mib, timeout_ms).unwrap();
    let inv = assess(&rt, &plugin);
    let err = inv.result.expect_err("the host must stop this plugin");
    assert_eq!(inv.report.outcome, err.code());
    assert_eq!(inv.report.plugin.id, format!("hostile-{feature}"));
    still_serving(&rt);
    // The poisoned plugin itself can be called again: every call gets a fresh instance.
    assert!(assess(&rt, &plugin).result.is_err());
    err
}

#[test]
fn infinite_loop_is_stopped_at_the_deadline() {
    let err = fault("infinite-loop", 64, 200);
    assert!(matches!(err, PluginError::Timeout { limit_ms: 200, .. }), "{err}");
    assert!(err.to_string().contains("time limit of 200 ms"));
}

#[test]
fn deep_recursion_traps() {
    let err = fault("deep-recursion", 64, 5000);
    assert!(matches!(err, PluginError::Trap { .. }), "{err}");
}

#[test]
fn memory_bomb_is_refused_at_the_limit() {
    let err = fault("memory-bomb", 64, 5000);
    match err {
        PluginError::MemoryLimit { limit, requested, .. } => {
            assert_eq!(limit, 64 << 20);
            assert!(requested > limit);
        }
        other => panic!("expected a memory limit error, got {other}"),
    }
}

#[test]
fn gigabyte_output_cannot_be_built() {
    let err = fault("output-bomb", 64, 5000);
    assert!(matches!(err, PluginError::MemoryLimit { .. }), "{err}");
}

#[test]
fn output_over_the_host_limit_is_refused() {
    let err = fault("output-flood", 256, 10_000);
    match err {
        PluginError::OutputTooLarge { size, limit, .. } => assert!(size > limit),
        other => panic!("expected output too large, got {other}"),
    }
}

#[test]
fn panic_becomes_a_trap_with_its_message() {
    let err = fault("panic", 64, 5000);
    match err {
        PluginError::Trap { detail, .. } => assert!(detail.contains("panicked on purpose"), "{detail}"),
        other => panic!("expected a trap, got {other}"),
    }
}

#[test]
fn unreachable_traps() {
    let err = fault("unreachable", 64, 5000);
    match err {
        PluginError::Trap { trap, .. } => assert!(trap.contains("unreachable"), "{trap}"),
        other => panic!("expected a trap, got {other}"),
    }
}

#[test]
fn exit_is_contained() {
    let err = fault("exit", 64, 5000);
    assert!(matches!(err, PluginError::Exit { .. } | PluginError::Trap { .. }), "{err}");
}

#[test]
fn wrong_candidate_ids_are_an_invalid_output() {
    let err = fault("wrong-ids", 64, 5000);
    match err {
        PluginError::InvalidOutput { reason, .. } => assert!(reason.contains("not-a-candidate"), "{reason}"),
        other => panic!("expected invalid output, got {other}"),
    }
}

#[test]
fn nan_and_negative_scores_are_sanitised() {
    let rt = runtime();
    let plugin = load_hostile(&rt, "nan-score", 64, 5000).unwrap();
    let inv = assess(&rt, &plugin);
    let assessments = inv.result.unwrap().unwrap();
    assert!(assessments.iter().all(|a| a.score == 0.0));
    assert_eq!(inv.report.sanitised.len(), 2, "{:?}", inv.report.sanitised);
    assert!(inv.report.sanitised[0].contains("NaN"));
}

#[test]
fn file_system_is_empty() {
    let rt = runtime();
    let plugin = load_hostile(&rt, "read-passwd", 64, 5000).unwrap();
    let a = assess(&rt, &plugin).result.unwrap().unwrap();
    let summary = &a[0].summary;
    assert!(!summary.contains("root:"), "the plugin read /etc/passwd: {summary}");
    assert!(summary.contains("denied"), "{summary}");
    assert!(summary.ends_with("entries: 0"), "{summary}");
}

#[test]
fn environment_and_arguments_are_empty() {
    // SAFETY: set before any other thread of this test reads the environment.
    unsafe { std::env::set_var("VIVIER_TEST_SECRET", "hunter2") };
    let rt = runtime();
    let plugin = load_hostile(&rt, "read-env", 64, 5000).unwrap();
    let a = assess(&rt, &plugin).result.unwrap().unwrap();
    assert_eq!(a[0].summary, "vars=[] args=[] home=");
}

#[test]
fn sockets_are_refused_at_install() {
    let rt = runtime();
    let err = load_hostile(&rt, "open-socket", 64, 5000).unwrap_err();
    match &err {
        LoadError::ForbiddenImports(list) => assert!(list.iter().any(|i| i.contains("wasi:sockets/")), "{list:?}"),
        other => panic!("expected forbidden imports, got {other}"),
    }
    assert!(err.to_string().contains("wasi:sockets"));
    still_serving(&rt);
}

#[test]
fn http_without_a_grant_is_refused_at_install() {
    let rt = runtime();
    let err = load_hostile(&rt, "http-without-grant", 64, 5000).unwrap_err();
    match &err {
        LoadError::ForbiddenImports(list) => {
            assert!(list.iter().any(|i| i.contains("wasi:http/") && i.contains("posting-drafter-http")), "{list:?}")
        }
        other => panic!("expected forbidden imports, got {other}"),
    }
}

#[test]
fn log_flood_is_capped_and_the_call_succeeds() {
    let rt = runtime();
    let plugin = load_hostile(&rt, "log-flood", 64, 30_000).unwrap();
    let inv = assess(&rt, &plugin);
    let a = inv.result.unwrap().unwrap();
    assert_eq!(a[0].summary, "survived");
    let logged: usize = inv.report.log.iter().map(|e| e.message.len()).sum();
    assert!(logged <= rt.ceilings().max_log_bytes, "{logged} bytes of log kept");
    assert!(inv.report.log_dropped > 0);
    assert!(inv.report.log.iter().any(|e| e.source == "log"));
}

#[test]
fn every_call_gets_a_fresh_instance() {
    let rt = runtime();
    let plugin = load_hostile(&rt, "remember", 64, 5000).unwrap();
    for _ in 0..5 {
        let a = assess(&rt, &plugin).result.unwrap().unwrap();
        assert_eq!(a[0].summary, "calls seen by this instance: 1");
    }
}

#[test]
fn memory_returns_to_baseline_after_faults() {
    let rt = runtime();
    let bomb = load_hostile(&rt, "memory-bomb", 64, 5000).unwrap();
    let flood = load_hostile(&rt, "output-flood", 256, 10_000).unwrap();
    // Warm up the pool, then measure.
    for _ in 0..3 {
        let _ = assess(&rt, &bomb);
        let _ = assess(&rt, &flood);
    }
    let before = rss_bytes();
    for _ in 0..30 {
        assert!(matches!(assess(&rt, &bomb).result, Err(PluginError::MemoryLimit { .. })));
        assert!(matches!(assess(&rt, &flood).result, Err(PluginError::OutputTooLarge { .. })));
    }
    let after = rss_bytes();
    // 30 × (64 MiB + 12 MiB of output) passed through the sandbox; the process keeps none of it.
    assert!(after < before + (48 << 20), "RSS grew from {} MiB to {} MiB", before >> 20, after >> 20);
}

#[test]
fn at_least_twelve_hostile_components_are_built() {
    // `hostile-noop`, `hostile-remember` and `hostile-embed-probe` are well-behaved probes, not hostile.
    let hostile = std::fs::read_dir(components_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("hostile-")
                && n != "hostile-noop.wasm"
                && n != "hostile-remember.wasm"
                && n != "hostile-embed-probe.wasm"
        })
        .count();
    assert!(hostile >= 12, "only {hostile} hostile components");
}

// --- What a plugin reads besides its input: clocks and random bytes are functions of the call. ---

#[test]
fn clocks_and_random_bytes_are_functions_of_the_call() {
    let rt = runtime();
    let plugin = load_hostile(&rt, "clock-probe", 64, 5000).unwrap();
    let read = |n: usize| {
        let inv = rt.assess(&plugin, &posting(), &candidates(n));
        inv.result.unwrap().unwrap()[0].summary.clone()
    };
    let (first, second) = (read(2), read(2));
    // The same input (the same day): the same readings, random bytes included.
    assert_eq!(first, second);
    // A 30 ms sleep reads as a few steps of the virtual clock (1 µs each): time spent cannot
    // be measured.
    let slept: u64 = first.split("slept_ns=").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(slept < 1_000_000, "{first}");
    // The wall clock is the day, not the moment.
    let wall: u64 = first.split("wall_ms=").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert_eq!(wall % 86_400_000, 0, "{first}");
    // Another input: other random bytes.
    assert_ne!(read(3), first);
}

// --- Time: a plugin blocked inside a host call ends at its deadline. ---

#[test]
fn a_plugin_asleep_in_the_host_ends_at_its_deadline() {
    for feature in ["sleep-forever", "poll-never"] {
        let err = fault(feature, 64, 300);
        assert!(matches!(err, PluginError::Timeout { limit_ms: 300, .. }), "{feature}: {err}");
    }
}

#[test]
fn the_stop_switch_ends_a_call_in_flight() {
    let rt = std::sync::Arc::new(runtime());
    let plugin = std::sync::Arc::new(load_hostile(&rt, "sleep-forever", 64, 60_000).unwrap());
    let (rt2, p2) = (rt.clone(), plugin.clone());
    let call = std::thread::spawn(move || assess(&rt2, &p2));
    std::thread::sleep(std::time::Duration::from_millis(300));
    plugin.stop.engage();
    let inv = call.join().unwrap();
    assert!(matches!(inv.result, Err(PluginError::Stopped { .. })), "{:?}", inv.result);
    assert_eq!(inv.report.outcome, "stopped");
    // Engaged, it refuses new calls; released, it runs again (and sleeps until its deadline).
    assert!(matches!(assess(&rt, &plugin).result, Err(PluginError::Stopped { .. })));
    plugin.stop.release();
    still_serving(&rt);
}

/// An embedding backend that computes slowly, batch after batch, and counts the batches it ran.
#[derive(Debug, Default)]
struct SlowBackend {
    batches: std::sync::atomic::AtomicU64,
}

impl vivier::inference::Inference for SlowBackend {
    fn dimension(&self, _: &str) -> Result<u32, vivier::inference::InferenceError> {
        Ok(4)
    }
    fn embed(&self, m: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, vivier::inference::InferenceError> {
        self.embed_until(m, texts, &vivier::inference::EmbedControl::default())
    }
    fn embed_until(
        &self,
        _: &str,
        texts: &[String],
        control: &vivier::inference::EmbedControl,
    ) -> Result<Vec<Vec<f32>>, vivier::inference::InferenceError> {
        // 64 batches of 50 ms of CPU each: 3.2 s for one request.
        for _ in 0..64 {
            control.check()?;
            let until = std::time::Instant::now() + std::time::Duration::from_millis(50);
            while std::time::Instant::now() < until {
                std::hint::black_box(0u64);
            }
            self.batches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        Ok(texts.iter().map(|_| vec![0.5; 4]).collect())
    }
}

#[test]
fn host_inference_is_cut_at_the_deadline_and_its_cpu_counted() {
    let backend = std::sync::Arc::new(SlowBackend::default());
    let rt = runtime().with_inference(backend.clone());
    let bundle = hostile_bundle("embed-forever", 64, 400, "models = [\"multilingual-e5-small\"]");
    let grants = PluginGrants { models: vec!["multilingual-e5-small".to_owned()].into(), ..Default::default() };
    let plugin = rt.load(&bundle, SignatureStatus::Unsigned, grants).unwrap();
    let inv = assess(&rt, &plugin);
    assert!(matches!(inv.result, Err(PluginError::Timeout { limit_ms: 400, .. })), "{:?}", inv.result);
    // The inference thread's CPU is the call's: more than what the calling thread spent.
    assert!(inv.report.inference_cpu_us > 0, "{:?}", inv.report);
    assert!(inv.report.cpu_us >= inv.report.inference_cpu_us);
    // The batch running at the deadline is the last: the thread stops instead of finishing.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let after = backend.batches.load(std::sync::atomic::Ordering::SeqCst);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(backend.batches.load(std::sync::atomic::Ordering::SeqCst), after, "inference went on after the call");
    assert!(after < 64, "the whole request was computed ({after} batches)");
    still_serving(&rt);
}

// --- Memory the host spends for a plugin counts against the plugin. ---

#[test]
fn hoarded_host_resources_hit_a_typed_limit() {
    let err = fault("resource-hoard", 64, 10_000);
    match err {
        PluginError::HostLimit { limit, .. } => assert!(limit.contains("live resources"), "{limit}"),
        other => panic!("expected a host limit, got {other}"),
    }
}

#[test]
fn one_huge_host_call_hits_a_typed_limit() {
    let err = fault("hostcall-bomb", 256, 10_000);
    match err {
        PluginError::HostLimit { limit, .. } => assert!(limit.contains("data passed to the host"), "{limit}"),
        other => panic!("expected a host limit, got {other}"),
    }
    let err = fault("random-bomb", 64, 10_000);
    match err {
        PluginError::HostLimit { limit, .. } => assert!(limit.contains("random bytes"), "{limit}"),
        other => panic!("expected a host limit, got {other}"),
    }
}

#[test]
fn empty_log_entries_are_counted_with_their_bookkeeping() {
    let rt = runtime();
    let plugin = load_hostile(&rt, "empty-log-flood", 64, 30_000).unwrap();
    let inv = assess(&rt, &plugin);
    assert_eq!(inv.result.unwrap().unwrap()[0].summary, "survived");
    let kept = inv.report.log.len();
    assert!(kept * vivier::runtime::limits::LOG_ENTRY_OVERHEAD <= rt.ceilings().max_log_bytes, "{kept} entries kept");
    assert!(inv.report.log_dropped > 1_000_000, "{}", inv.report.log_dropped);
}

#[test]
fn host_memory_returns_to_baseline_after_a_thousand_resource_floods() {
    let rt = runtime();
    let hoard = load_hostile(&rt, "resource-hoard", 64, 10_000).unwrap();
    let logs = load_hostile(&rt, "empty-log-flood", 64, 30_000).unwrap();
    for _ in 0..20 {
        let _ = assess(&rt, &hoard);
    }
    let _ = assess(&rt, &logs);
    let before = rss_bytes();
    for _ in 0..1000 {
        assert!(matches!(assess(&rt, &hoard).result, Err(PluginError::HostLimit { .. })));
    }
    for _ in 0..3 {
        assert!(assess(&rt, &logs).result.is_ok());
    }
    let after = rss_bytes();
    assert!(after < before + (32 << 20), "RSS grew from {} MiB to {} MiB", before >> 20, after >> 20);
    still_serving(&rt);
}

// --- Compilation: a component built to make the compiler slow or hungry is refused in bounded
// time, and the host's memory stays flat (the compiler runs in a child process). ---

fn compile_bundle(id: &str, wasm: Vec<u8>) -> vivier::bundle::Bundle {
    vivier::bundle::Bundle::pack(manifest(id, "skills-matcher", 64, 1000, ""), wasm, None).unwrap()
}

#[test]
fn deeply_nested_blocks_are_refused_before_compiling() {
    let rt = runtime();
    let depth = 20_000;
    let mut body = Vec::new();
    body.extend(std::iter::repeat_n([0x02u8, 0x40], depth).flatten());
    body.extend(std::iter::repeat_n(0x0bu8, depth));
    let before = rss_bytes();
    let err = rt
        .load(
            &compile_bundle("nested", vivier::runtime::compile::samples::component_with_body(&body)),
            SignatureStatus::Unsigned,
            PluginGrants::default(),
        )
        .unwrap_err();
    assert!(matches!(err, LoadError::TooComplex(ref m) if m.contains("nested more than")), "{err}");
    assert!(rss_bytes() < before + (16 << 20));
    still_serving(&rt);
}

#[test]
fn a_component_slow_to_compile_is_stopped_and_retried_without_optimisation() {
    // 60,000 chained blocks (600 KB): seconds and hundreds of MiB with optimisation, tens of
    // milliseconds without. A compile limit of one second forces the second route.
    let limits = CompileLimits { timeout: std::time::Duration::from_secs(1), ..CompileLimits::default() };
    let exe = std::path::PathBuf::from(env!("CARGO_BIN_EXE_vivier"));
    let rt = vivier::Runtime::new(vivier::RuntimeConfig {
        compiler: Compiler::Subprocess { exe, limits },
        ..Default::default()
    })
    .unwrap();
    let mut body = Vec::new();
    for _ in 0..60_000 {
        body.extend([0x02, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x0b]);
    }
    let before = rss_bytes();
    let err = rt
        .load(
            &compile_bundle("chain", vivier::runtime::compile::samples::component_with_body(&body)),
            SignatureStatus::Unsigned,
            PluginGrants::default(),
        )
        .unwrap_err();
    // Compiled (bounded), then refused for what it is: a component that exports nothing.
    assert!(matches!(err, LoadError::ExportMismatch { .. } | LoadError::TooComplex(_)), "{err}");
    assert!(rss_bytes() < before + (32 << 20), "the compile grew this process");
    still_serving(&rt);
}
