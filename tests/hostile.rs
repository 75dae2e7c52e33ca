//! Hostile plugins: each misbehaviour gives a typed error or a sanitised result, the host keeps
//! serving, and memory returns to its baseline.

mod common;

use common::*;
use vivier::model::*;
use vivier::runtime::{LoadError, LoadedPlugin, PluginError};
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
            assert!(list.iter().any(|i| i.contains("wasi:http/") && i.contains("outbound-hosts")), "{list:?}")
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
    // 30 × (64 MiB + 256 MiB) passed through the sandbox; the process keeps none of it.
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
