//! What compiling an untrusted component costs, and what the bound around it costs.
//!
//! 1. The curve of item 3 of the containment work: compile time and the compiler's peak memory
//!    against one function's nesting depth and size, with and without optimisation, each in
//!    the same child process the host uses (`vivier __compile-component`), measured with
//!    `wait4` (peak RSS of the child).
//! 2. The bound's cost on the reference plugins: loading each bundled component compiled in a
//!    child process versus in this process (no cache).
//!
//! Prints figures; asserts nothing. Run: `cargo bench -p vivier --bench compile_bound`.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use vivier::bundle::SignatureStatus;
use vivier::runtime::compile::samples::component_with_body;
use vivier::runtime::compile::{check_shape, CompileLimits, Compiler, CHILD_SUBCOMMAND};
use vivier::runtime::PluginGrants;
use vivier::{builtin, Runtime, RuntimeConfig};

/// `local += 1` (8 bytes).
const WORK: [u8; 8] = [0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x01];

/// `depth` nested blocks, each doing a little work before opening the next.
fn nested(depth: usize) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..depth {
        body.extend([0x02, 0x40]);
        body.extend(WORK);
    }
    body.extend(std::iter::repeat_n(0x0b, depth));
    body
}

/// Blocks one after another, each doing a little work, up to `bytes` of code.
fn chained(bytes: usize) -> Vec<u8> {
    let one = [[0x02, 0x40].as_slice(), &WORK, &[0x0b]].concat();
    one.repeat(bytes / one.len())
}

struct Sample {
    outcome: String,
    wall: Duration,
    peak_mib: f64,
}

/// Compiles in the host's compile child, with the host's default limits (rlimits included).
fn compile_in_child(exe: &std::path::Path, wasm: &[u8], opt: &str) -> Sample {
    let limits = CompileLimits::default();
    let memory = limits.memory_bytes;
    let mut cmd = Command::new(exe);
    cmd.args([CHILD_SUBCOMMAND, opt, "64", &(512u64 << 20).to_string()])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: only setrlimit between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let l = libc::rlimit { rlim_cur: memory as libc::rlim_t, rlim_max: memory as libc::rlim_t };
                libc::setrlimit(libc::RLIMIT_AS, &l);
                Ok(())
            })
        };
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("vivier runs");
    child.stdin.take().unwrap().write_all(wasm).unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid out-parameter.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, once; std's handle is not waited on afterwards.
    unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let outcome = if ok {
        "compiled".to_owned()
    } else if libc::WIFSIGNALED(status) {
        format!("signal {}", libc::WTERMSIG(status))
    } else {
        let mut err = String::new();
        let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
        if err.contains("memory allocation") {
            "out of memory".into()
        } else {
            "failed".into()
        }
    };
    Sample { outcome, wall, peak_mib: usage.ru_maxrss as f64 / 1024.0 }
}

fn curve(exe: &std::path::Path, title: &str, cases: &[(String, Vec<u8>)]) {
    let limits = CompileLimits::default();
    println!("\n{title}\n");
    println!("| shape | size | shape check | opt speed: time | peak | opt none: time | peak |");
    println!("|---|---|---|---|---|---|---|");
    for (label, body) in cases {
        let wasm = component_with_body(body);
        let t = Instant::now();
        let check = check_shape(&wasm, &limits);
        let check_ms = t.elapsed().as_secs_f64() * 1e3;
        let check = match check {
            Ok(_) => format!("ok ({check_ms:.1} ms)"),
            Err(e) => {
                println!("| {label} | {} KB | refused ({check_ms:.1} ms): {e} | – | – | – | – |", wasm.len() / 1000);
                continue;
            }
        };
        let fast = compile_in_child(exe, &wasm, "speed");
        let none = compile_in_child(exe, &wasm, "none");
        let cell = |s: &Sample| {
            let t = s.wall.as_secs_f64();
            let mark = if s.outcome == "compiled" { String::new() } else { format!(" ({})", s.outcome) };
            (format!("{t:.2} s{mark}"), format!("{:.0} MiB", s.peak_mib))
        };
        let (ft, fp) = cell(&fast);
        let (nt, np) = cell(&none);
        println!("| {label} | {} KB | {check} | {ft} | {fp} | {nt} | {np} |", wasm.len() / 1000);
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let exe = std::path::PathBuf::from(env!("CARGO_BIN_EXE_vivier"));
    let depths = [256, 512, 1024, 2048, 4096, 5000];
    let nesting: Vec<_> = depths.iter().map(|&d| (format!("nesting {d}"), nested(d))).collect();
    curve(&exe, "Compile cost against nesting depth (one function)", &nesting);
    let sizes = [64 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20, 3 << 20];
    let sizes: Vec<_> = sizes.iter().map(|&b| (format!("chain {} KiB", b >> 10), chained(b))).collect();
    curve(&exe, "Compile cost against function size (chained blocks)", &sizes);

    println!("\nReference plugins: load (shape check + compile + checks) in a child versus in process, no cache\n");
    println!("| plugin | component | in process | in a child | overhead |");
    println!("|---|---|---|---|---|");
    let child = Runtime::new(RuntimeConfig {
        compiler: Compiler::Subprocess { exe: exe.clone(), limits: CompileLimits::default() },
        ..Default::default()
    })
    .unwrap();
    let local = Runtime::new(RuntimeConfig {
        compiler: Compiler::InProcess { limits: CompileLimits::default() },
        ..Default::default()
    })
    .unwrap();
    for bundle in builtin::bundles().unwrap() {
        let time = |rt: &Runtime| {
            median(
                (0..3)
                    .map(|_| {
                        let t = Instant::now();
                        rt.load(&bundle, SignatureStatus::Builtin, PluginGrants::default()).expect("loads");
                        t.elapsed()
                    })
                    .collect(),
            )
        };
        let (a, b) = (time(&local), time(&child));
        println!(
            "| {} | {} KB | {:.0} ms | {:.0} ms | {:+.0} ms ({:.2}×) |",
            bundle.manifest.plugin.id,
            bundle.component.len() / 1000,
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            (b.as_secs_f64() - a.as_secs_f64()) * 1e3,
            b.as_secs_f64() / a.as_secs_f64()
        );
    }
}
