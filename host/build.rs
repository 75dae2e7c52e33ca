//! Builds the reference plugins (embedded in the binary) and the test components (hostile
//! plugins and the SDK examples, used by the test suite) as WebAssembly components.

#[path = "build/wasm_builder.rs"]
mod wasm_builder;

use std::fmt::Write as _;
use std::path::PathBuf;

/// Reference plugins bundled with Vivier: (package, directory).
const BUNDLED: &[(&str, &str)] = &[
    ("vivier-cv-parser", "plugins/cv-parser"),
    ("vivier-matcher-lexical", "plugins/matcher-lexical"),
    ("vivier-matcher-semantic", "plugins/matcher-semantic"),
    ("vivier-drafter-template", "plugins/drafter-template"),
];

/// SDK examples: (package, directory).
const EXAMPLES: &[(&str, &str)] = &[
    ("example-cv-parser", "examples/plugin-cv-parser"),
    ("example-matcher", "examples/plugin-matcher"),
    ("example-drafter", "examples/plugin-drafter"),
];

/// Reference plugins that need an administrator's grant: built for the tests and for packing,
/// not embedded (the bundled set must work with nothing granted).
const GRANTED: &[(&str, &str)] = &[("vivier-drafter-llm", "plugins/drafter-llm")];

/// Features of `vivier-hostile`, one component each.
const HOSTILE: &[&str] = &[
    "noop",
    "infinite-loop",
    "deep-recursion",
    "memory-bomb",
    "output-bomb",
    "output-flood",
    "read-passwd",
    "read-env",
    "open-socket",
    "http-without-grant",
    "panic",
    "unreachable",
    "log-flood",
    "nan-score",
    "wrong-ids",
    "exit",
    "sleep-forever",
    "poll-never",
    "embed-forever",
    "resource-hoard",
    "empty-log-flood",
    "hostcall-bomb",
    "random-bomb",
    "remember",
    "embed-probe",
    "biased-gender",
    "probe-aware",
    "clock-probe",
    "lying-criteria",
    "invented-criterion",
    "echo",
];

/// Features of `vivier-hostile-http` (posting-drafter-http components), one component each.
const HOSTILE_HTTP: &[&str] = &["http-hang", "http-flood", "http-scope"];

/// Features of `vivier-hostile-parser` (cv-parser components), one component each.
const HOSTILE_PARSER: &[&str] = &["identity-everywhere"];

fn main() {
    let builder = wasm_builder::Builder::new();
    // host/lint: the linter crate is compiled into the template drafter too.
    for dir in [
        "wit",
        "sdk",
        "host/lint",
        "plugins",
        "examples",
        "tests/hostile",
        "tests/hostile-http",
        "tests/hostile-parser",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={}", builder.workspace.join(dir).display());
    }
    println!("cargo:rerun-if-env-changed=VIVIER_SKIP_COMPONENTS");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let test_dir = out.join("test-components");
    println!("cargo:rustc-env=VIVIER_TEST_COMPONENTS={}", test_dir.display());
    // For quick `cargo check`/`clippy` of the host alone: no component is built or embedded.
    if std::env::var_os("VIVIER_SKIP_COMPONENTS").is_some() {
        std::fs::write(out.join("bundled.rs"), "pub const BUNDLED: &[BuiltinComponent] = &[];\n").unwrap();
        return;
    }
    builder.ensure_target();

    let mut code =
        String::from("/// Reference plugins compiled by build.rs.\npub const BUNDLED: &[BuiltinComponent] = &[\n");
    for (package, dir) in BUNDLED {
        let wasm = builder.build(package, &[]);
        let dest = out.join(format!("{package}.wasm"));
        std::fs::copy(&wasm, &dest).unwrap();
        let manifest = builder.workspace.join(dir).join("vivier-plugin.toml");
        writeln!(
            code,
            "    BuiltinComponent {{ package: {package:?}, manifest: include_str!({:?}), wasm: include_bytes!({:?}) }},",
            manifest.display().to_string(),
            dest.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    std::fs::write(out.join("bundled.rs"), code).unwrap();

    // Test components stay out of the binary: the tests find them in this directory.
    std::fs::create_dir_all(&test_dir).unwrap();
    for (package, dir) in EXAMPLES {
        let wasm = builder.build(package, &[]);
        std::fs::copy(&wasm, test_dir.join(format!("{package}.wasm"))).unwrap();
        std::fs::copy(builder.workspace.join(dir).join("vivier-plugin.toml"), test_dir.join(format!("{package}.toml")))
            .unwrap();
    }
    for (package, dir) in GRANTED {
        let wasm = builder.build(package, &[]);
        std::fs::copy(&wasm, test_dir.join(format!("{package}.wasm"))).unwrap();
        std::fs::copy(builder.workspace.join(dir).join("vivier-plugin.toml"), test_dir.join(format!("{package}.toml")))
            .unwrap();
    }
    for feature in HOSTILE {
        let wasm = builder.build("vivier-hostile", &[feature]);
        std::fs::copy(&wasm, test_dir.join(format!("hostile-{feature}.wasm"))).unwrap();
    }
    for feature in HOSTILE_HTTP {
        let wasm = builder.build("vivier-hostile-http", &[feature]);
        std::fs::copy(&wasm, test_dir.join(format!("hostile-{feature}.wasm"))).unwrap();
    }
    for feature in HOSTILE_PARSER {
        let wasm = builder.build("vivier-hostile-parser", &[feature]);
        std::fs::copy(&wasm, test_dir.join(format!("hostile-{feature}.wasm"))).unwrap();
    }
}
