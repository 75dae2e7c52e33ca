//! Per-call cost of Vivier's sandbox versus raw wasmtime, a 3 KB CV parse, and cold compile
//! versus cached load. Prints figures; asserts nothing. Run: `cargo bench -p vivier`.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use vivier::bundle::{Bundle, SignatureStatus};
use vivier::manifest::Manifest;
use vivier::model::{Document, Posting};
use vivier::runtime::PluginGrants;
use vivier::{builtin, Runtime, RuntimeConfig};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::Store;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

const ROUNDS: usize = 10;
const CALLS_PER_ROUND: usize = 2_000;

struct RawState {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl WasiView for RawState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

fn components() -> PathBuf {
    PathBuf::from(env!("VIVIER_TEST_COMPONENTS"))
}

fn noop_manifest() -> Manifest {
    let text = std::fs::read_to_string(components().join("example-matcher.toml")).unwrap();
    let mut m = Manifest::parse(&text).unwrap();
    m.plugin.id = "bench-noop".into();
    m
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn p99(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() * 99 / 100]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let noop_wasm = std::fs::read(components().join("hostile-noop.wasm")).expect("test components are built");
    let rt = Runtime::new(RuntimeConfig::default()).unwrap();

    // Raw wasmtime: same engine configuration (pooling, epochs), InstancePre, fresh store and
    // instance per call, no limits, no accounting.
    let raw_engine = wasmtime::Engine::new(&vivier::runtime::engine_config(64, 512 << 20)).unwrap();
    let component = Component::new(&raw_engine, &noop_wasm).unwrap();
    let mut linker: Linker<RawState> = Linker::new(&raw_engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    linker.define_unknown_imports_as_traps(&component).unwrap();
    let pre = linker.instantiate_pre(&component).unwrap();
    let export = component.get_export_index(None, "assess").unwrap();
    let posting = Posting { id: "p".into(), title: "t".into(), description: String::new(), requirements: vec![] };
    let raw_call = || {
        let mut store =
            Store::new(&raw_engine, RawState { wasi: WasiCtxBuilder::new().build(), table: ResourceTable::new() });
        store.set_epoch_deadline(u64::MAX / 2);
        let instance = pre.instantiate(&mut store).unwrap();
        let f = instance
            .get_typed_func::<(&Posting, &[vivier::model::Candidate]), (Result<Vec<vivier::model::Assessment>, vivier::model::MatchError>,)>(&mut store, &export)
            .unwrap();
        let (r,) = f.call(&mut store, (&posting, &[])).unwrap();
        assert!(r.is_ok());
    };

    let noop_bundle = Bundle::pack(noop_manifest(), noop_wasm.clone(), None).unwrap();
    let noop = rt.load(&noop_bundle, SignatureStatus::Unsigned, PluginGrants::default()).unwrap();
    let vivier_call = || {
        let inv = rt.assess(&noop, &posting, &[]);
        assert!(matches!(inv.result, Ok(Ok(_))));
    };

    let parser_bundle =
        builtin::bundles().unwrap().into_iter().find(|b| b.manifest.plugin.id == "vivier-cv-parser").unwrap();
    let parser = rt.load(&parser_bundle, SignatureStatus::Builtin, PluginGrants::default()).unwrap();
    let cv_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/bench/cv-3k.txt");
    let cv = std::fs::read(cv_path).unwrap();
    let doc = Document { filename: "cv.txt".into(), media_type: "text/plain".into(), bytes: cv.clone() };
    let parse_call = || {
        let inv = rt.parse(&parser, &doc);
        assert!(matches!(inv.result, Ok(Ok(_))));
    };

    // Interleaved rounds, so that a noisy neighbour affects every case alike.
    let mut samples: [Vec<Duration>; 3] = Default::default();
    let mut best: [Duration; 3] = [Duration::MAX; 3];
    for round in 0..ROUNDS {
        for case in 0..3 {
            let case = (case + round) % 3;
            let mut round_samples = Vec::with_capacity(CALLS_PER_ROUND);
            let calls = if case == 2 { CALLS_PER_ROUND / 4 } else { CALLS_PER_ROUND };
            for _ in 0..calls {
                let t = Instant::now();
                match case {
                    0 => raw_call(),
                    1 => vivier_call(),
                    _ => parse_call(),
                }
                round_samples.push(t.elapsed());
            }
            best[case] = best[case].min(median(&mut round_samples));
            samples[case].extend(round_samples);
        }
    }
    let names = [
        "raw wasmtime: fresh instance + no-op call",
        "Vivier full path: same no-op plugin",
        "Vivier: parse a 3 KB text CV (vivier-cv-parser)",
    ];
    println!("per call ({ROUNDS} interleaved rounds; best-round median = quiet core, overall = under load)");
    for (i, name) in names.iter().enumerate() {
        let overall = median(&mut samples[i]);
        let tail = p99(&mut samples[i]);
        println!(
            "  {name:<52} best-round median {:>8.1} µs   overall median {:>8.1} µs   p99 {:>8.1} µs",
            us(best[i]),
            us(overall),
            us(tail)
        );
    }
    println!(
        "  overhead ratio Vivier / raw: {:.2}× (best-round medians), {:.2}× (overall medians)   [target ≤ 1.5×]",
        us(best[1]) / us(best[0]),
        us(median(&mut samples[1])) / us(median(&mut samples[0]))
    );
    println!("  CV size: {} bytes", cv.len());

    // Cold compile versus cached load of the cv-parser component.
    let dir = std::env::temp_dir().join(format!("vivier-bench-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut cold = Vec::new();
    let mut cached = Vec::new();
    for i in 0..5 {
        let cache_dir = dir.join(i.to_string());
        let config = || RuntimeConfig { cache_dir: Some(cache_dir.clone()), ..Default::default() };
        let rt = Runtime::new(config()).unwrap();
        let t = Instant::now();
        let p = rt.load(&parser_bundle, SignatureStatus::Builtin, PluginGrants::default()).unwrap();
        cold.push(t.elapsed());
        assert_eq!(p.cache, vivier::runtime::CacheOutcome::Compiled);
        let rt = Runtime::new(config()).unwrap();
        let t = Instant::now();
        let p = rt.load(&parser_bundle, SignatureStatus::Builtin, PluginGrants::default()).unwrap();
        cached.push(t.elapsed());
        assert_eq!(p.cache, vivier::runtime::CacheOutcome::Hit);
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "load of vivier-cv-parser ({} KB component), including import and export checks: cold compile median {:.1} ms, cached median {:.2} ms",
        parser_bundle.component.len() / 1024,
        us(median(&mut cold)) / 1000.0,
        us(median(&mut cached)) / 1000.0
    );
}
