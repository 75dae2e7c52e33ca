//! Compiling untrusted components without putting the host at risk.
//!
//! Cranelift cannot be interrupted, and a small component can be built to make it slow or
//! hungry (long block chains, deep nesting, huge functions). So a component is first walked
//! with `wasmparser` and refused past documented limits ([`CompileLimits`]); then it is compiled
//! in a child process — this same executable, re-run as `vivier __compile-component` — under an
//! address-space limit, a CPU limit and a wall-clock kill. If the optimising compile runs out of
//! time, one more attempt is made without optimisation (much cheaper on the pathological
//! shapes). The parent only ever loads the artefact the child wrote. The host's memory and time
//! stay flat whatever the component is.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wasmparser::{Operator, Parser, Payload};

/// The hidden subcommand that runs [`child_main`].
pub const CHILD_SUBCOMMAND: &str = "__compile-component";
/// Environment variable naming the executable that compiles (`vivier`), when the current
/// executable is not it (tests, embedders).
pub const COMPILER_ENV: &str = "VIVIER_COMPILER";

/// What an untrusted component may be, and what its compilation may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompileLimits {
    /// Largest function body, in bytes.
    pub max_function_bytes: usize,
    /// Most functions in all the component's modules.
    pub max_functions: u64,
    /// Most locals in one function.
    pub max_locals: u64,
    /// Deepest nesting of blocks, loops and ifs in one function.
    pub max_nesting: u32,
    /// Wall-clock time of one compile attempt in the child.
    pub timeout: Duration,
    /// Address space of the child, in bytes.
    pub memory_bytes: u64,
}

impl Default for CompileLimits {
    fn default() -> Self {
        Self {
            // Vivier's CV parser, the largest reference plugin (2.7 MB), has a 540 KB function
            // at nesting depth 758 and about 9,000 functions.
            max_function_bytes: 2 << 20,
            max_functions: 100_000,
            max_locals: 20_000,
            max_nesting: 4_096,
            // The optimising compile grows faster than linearly with a function's size (about
            // 13 s for a 1 MiB function on one 2-core VM, `cargo bench --bench compile_bound`);
            // the CV parser takes 3 s. Past 20 s the unoptimised retry takes under a second.
            timeout: Duration::from_secs(20),
            memory_bytes: 2 << 30,
        }
    }
}

/// How components are compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compiler {
    /// In a child process: `exe __compile-component`, under the limits.
    Subprocess { exe: PathBuf, limits: CompileLimits },
    /// In this process, after the same shape checks: only where no `vivier` executable exists
    /// (a library embedding without the binary). Memory and time of the compile are not bounded.
    InProcess { limits: CompileLimits },
}

impl Compiler {
    /// The `vivier` executable: `$VIVIER_COMPILER`, else this executable when it is `vivier`,
    /// else a `vivier` beside it or one folder up (cargo's test binaries live in `deps/`).
    pub fn from_env() -> Self {
        let limits = CompileLimits::default();
        let exe = std::env::var_os(COMPILER_ENV).map(PathBuf::from).filter(|p| p.is_file()).or_else(|| {
            let current = std::env::current_exe().ok()?;
            if current.file_stem().is_some_and(|s| s == "vivier") {
                return Some(current);
            }
            let dir = current.parent()?;
            [dir.join("vivier"), dir.parent()?.join("vivier")].into_iter().find(|p| p.is_file())
        });
        match exe {
            Some(exe) => Compiler::Subprocess { exe, limits },
            None => {
                tracing::warn!(
                    "no `vivier` executable found to compile components in a child process (set {COMPILER_ENV}): \
                     components are compiled in this process"
                );
                Compiler::InProcess { limits }
            }
        }
    }

    pub fn limits(&self) -> &CompileLimits {
        match self {
            Compiler::Subprocess { limits, .. } | Compiler::InProcess { limits } => limits,
        }
    }
}

/// Why a component was not compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    #[error("the component is over a compile limit: {0}")]
    OverLimit(String),
    #[error("the component is not valid WebAssembly: {0}")]
    Invalid(String),
    #[error("compiling the component took more than {0} s; it was stopped")]
    Timeout(u64),
    #[error("compiling the component needed more than {0} MiB of memory; it was stopped")]
    OutOfMemory(u64),
    #[error("the compiler failed: {0}")]
    Failed(String),
}

/// What the shape check measured (also reported by the compile benchmark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    pub functions: u64,
    pub largest_function_bytes: usize,
    pub most_locals: u64,
    pub deepest_nesting: u32,
}

/// Walks every function of every module of the component, refusing it past the limits. Linear
/// in the component's size; no compilation.
pub fn check_shape(wasm: &[u8], limits: &CompileLimits) -> Result<Shape, CompileError> {
    let mut shape = Shape::default();
    let invalid = |e: wasmparser::BinaryReaderError| CompileError::Invalid(e.message().to_owned());
    for payload in Parser::new(0).parse_all(wasm) {
        let Payload::CodeSectionEntry(body) = payload.map_err(invalid)? else { continue };
        shape.functions += 1;
        if shape.functions > limits.max_functions {
            return Err(CompileError::OverLimit(format!("more than {} functions", limits.max_functions)));
        }
        let size = body.range().len();
        shape.largest_function_bytes = shape.largest_function_bytes.max(size);
        if size > limits.max_function_bytes {
            return Err(CompileError::OverLimit(format!(
                "a function of {size} bytes (at most {})",
                limits.max_function_bytes
            )));
        }
        let mut locals = 0u64;
        let mut reader = body.get_locals_reader().map_err(invalid)?;
        for _ in 0..reader.get_count() {
            locals = locals.saturating_add(u64::from(reader.read().map_err(invalid)?.0));
        }
        shape.most_locals = shape.most_locals.max(locals);
        if locals > limits.max_locals {
            return Err(CompileError::OverLimit(format!(
                "a function with {locals} locals (at most {})",
                limits.max_locals
            )));
        }
        let (mut depth, mut ops) = (0u32, body.get_operators_reader().map_err(invalid)?);
        while !ops.eof() {
            match ops.read().map_err(invalid)? {
                Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } | Operator::TryTable { .. } => {
                    depth += 1;
                    shape.deepest_nesting = shape.deepest_nesting.max(depth);
                    if depth > limits.max_nesting {
                        return Err(CompileError::OverLimit(format!(
                            "blocks nested more than {} deep in one function",
                            limits.max_nesting
                        )));
                    }
                }
                Operator::End => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    Ok(shape)
}

/// Optimisation of one compile attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opt {
    Speed,
    None,
}

impl Opt {
    fn arg(self) -> &'static str {
        match self {
            Opt::Speed => "speed",
            Opt::None => "none",
        }
    }
}

/// Settings the child needs to build an engine whose artefacts the parent's engine loads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EngineShape {
    pub max_concurrent_calls: u32,
    pub max_memory_bytes: u64,
}

fn child_config(shape: EngineShape, opt: Opt) -> wasmtime::Config {
    let mut config = super::engine_config(shape.max_concurrent_calls, shape.max_memory_bytes);
    // The pooling allocator's reservation would not fit the child's address-space limit, and
    // the allocation strategy does not change the compiled code.
    config.allocation_strategy(wasmtime::InstanceAllocationStrategy::OnDemand);
    config.cranelift_opt_level(match opt {
        Opt::Speed => wasmtime::OptLevel::Speed,
        Opt::None => wasmtime::OptLevel::None,
    });
    config
}

impl Compiler {
    /// Checks the component's shape, then compiles it to an artefact for `engine` and loads it.
    pub(crate) fn compile(
        &self,
        engine: &wasmtime::Engine,
        shape: EngineShape,
        wasm: &[u8],
    ) -> Result<wasmtime::component::Component, CompileError> {
        check_shape(wasm, self.limits())?;
        match self {
            Compiler::InProcess { .. } => {
                wasmtime::component::Component::new(engine, wasm).map_err(|e| CompileError::Failed(format!("{e:#}")))
            }
            Compiler::Subprocess { exe, limits } => {
                // Out of time or memory while optimising: once more without optimisation.
                let artefact = match run_child(exe, limits, shape, Opt::Speed, wasm) {
                    Err(CompileError::Timeout(_) | CompileError::OutOfMemory(_)) => {
                        run_child(exe, limits, shape, Opt::None, wasm)?
                    }
                    other => other?,
                };
                // SAFETY: the artefact was written by this host's own executable, compiling for
                // an engine of the same settings (wasmtime checks version and settings again).
                unsafe { wasmtime::component::Component::deserialize(engine, &artefact) }
                    .map_err(|e| CompileError::Failed(format!("the compiled artefact cannot be loaded: {e:#}")))
            }
        }
    }
}

/// Largest artefact read back from the child.
const MAX_ARTEFACT_BYTES: u64 = 1 << 30;

fn run_child(
    exe: &std::path::Path,
    limits: &CompileLimits,
    shape: EngineShape,
    opt: Opt,
    wasm: &[u8],
) -> Result<Vec<u8>, CompileError> {
    let mut cmd = Command::new(exe);
    cmd.arg(CHILD_SUBCOMMAND)
        .arg(opt.arg())
        .arg(shape.max_concurrent_calls.to_string())
        .arg(shape.max_memory_bytes.to_string())
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (memory, cpu_secs) = (limits.memory_bytes, limits.timeout.as_secs().max(1) + 1);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls (setrlimit) between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let set = |resource, value: u64| {
                    let limit = libc::rlimit { rlim_cur: value as libc::rlim_t, rlim_max: value as libc::rlim_t };
                    if libc::setrlimit(resource, &limit) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                };
                set(libc::RLIMIT_AS, memory)?;
                set(libc::RLIMIT_CPU, cpu_secs)?;
                set(libc::RLIMIT_CORE, 0)?;
                Ok(())
            })
        };
    }
    let mut child = cmd.spawn().map_err(|e| CompileError::Failed(format!("cannot start {}: {e}", exe.display())))?;
    let mut stdin = child.stdin.take().expect("piped");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let input = wasm.to_vec();
    // Each pipe on its own thread, so that neither side can block the other.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(MAX_ARTEFACT_BYTES).read_to_end(&mut out);
        out
    });
    let errors = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = (&mut stderr).take(64 << 10).read_to_end(&mut err);
        String::from_utf8_lossy(&err).into_owned()
    });
    let deadline = Instant::now() + limits.timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(CompileError::Failed(format!("waiting for the compiler: {e}"))),
        }
    };
    let _ = writer.join();
    let artefact = reader.join().unwrap_or_default();
    let message = errors.join().unwrap_or_default();
    let Some(status) = status else { return Err(CompileError::Timeout(limits.timeout.as_secs())) };
    if status.success() {
        return Ok(artefact);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if status.signal() == Some(libc::SIGXCPU) || status.signal() == Some(libc::SIGKILL) {
            return Err(CompileError::Timeout(limits.timeout.as_secs()));
        }
    }
    let message = message.trim();
    if message.starts_with("invalid:") {
        return Err(CompileError::Invalid(message["invalid:".len()..].trim().to_owned()));
    }
    // Allocation failures under RLIMIT_AS abort the child ("memory allocation of N bytes failed").
    if message.contains("memory allocation") || message.contains("out of memory") || message.contains("Cannot allocate")
    {
        return Err(CompileError::OutOfMemory(limits.memory_bytes >> 20));
    }
    Err(CompileError::Failed(crate::runtime::sandbox::truncate_utf8(message, 2000).to_owned()))
}

/// The child side: reads a component on stdin, writes the compiled artefact on stdout. `args`
/// are what follows the subcommand: opt level, concurrent calls, memory bytes. Returns the exit
/// code.
pub fn child_main(args: &[String]) -> i32 {
    let parse = || -> Option<(Opt, EngineShape)> {
        let opt = match args.first()?.as_str() {
            "speed" => Opt::Speed,
            "none" => Opt::None,
            _ => return None,
        };
        Some((
            opt,
            EngineShape {
                max_concurrent_calls: args.get(1)?.parse().ok()?,
                max_memory_bytes: args.get(2)?.parse().ok()?,
            },
        ))
    };
    let Some((opt, shape)) = parse() else {
        eprintln!("usage: vivier {CHILD_SUBCOMMAND} speed|none <calls> <memory-bytes> < component.wasm");
        return 2;
    };
    let mut wasm = Vec::new();
    if let Err(e) = std::io::stdin().take(crate::bundle::MAX_COMPONENT_BYTES + 1).read_to_end(&mut wasm) {
        eprintln!("cannot read the component: {e}");
        return 1;
    }
    let engine = match wasmtime::Engine::new(&child_config(shape, opt)) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot start the compiler: {e:#}");
            return 1;
        }
    };
    match engine.precompile_component(&wasm) {
        Ok(artefact) => match std::io::stdout().lock().write_all(&artefact) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("cannot write the artefact: {e}");
                1
            }
        },
        Err(e) => {
            eprintln!("invalid: {e:#}");
            1
        }
    }
}

/// Hand-built components, for the tests and the compile benchmark: shapes a vendor can write
/// byte by byte and no compiler emits.
pub mod samples {
    /// Appends `v` as unsigned LEB128.
    pub fn leb128(out: &mut Vec<u8>, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    /// A component holding one core module whose one function (one i32 local) has `body` as
    /// its code, and nothing else: no import, no export.
    pub fn component_with_body(body: &[u8]) -> Vec<u8> {
        let mut func = vec![1, 1, 0x7f]; // one group of one i32 local
        func.extend_from_slice(body);
        func.push(0x0b);
        let mut code = Vec::new();
        leb128(&mut code, 1);
        leb128(&mut code, func.len() as u64);
        code.extend(func);
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        module.extend([1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10]); // type () -> (), one function
        leb128(&mut module, code.len() as u64);
        module.extend(code);
        let mut component = b"\0asm\x0d\0\x01\0".to_vec();
        component.push(1); // core module section
        leb128(&mut component, module.len() as u64);
        component.extend(module);
        component
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A core module with one function nesting `depth` blocks.
    fn nested(depth: usize) -> Vec<u8> {
        let mut body = vec![0u8]; // no locals
        body.extend(std::iter::repeat_n([0x02, 0x40], depth).flatten()); // block (empty type)
        body.extend(std::iter::repeat_n(0x0b, depth + 1)); // end × depth, then the function's end
        let mut code = Vec::new();
        samples::leb128(&mut code, 1);
        samples::leb128(&mut code, body.len() as u64);
        code.extend(body);
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend([1, 4, 1, 0x60, 0, 0]); // type section: () -> ()
        m.extend([3, 2, 1, 0]); // function section
        m.push(10);
        samples::leb128(&mut m, code.len() as u64);
        m.extend(code);
        m
    }

    #[test]
    fn shape_limits_refuse_deep_nesting_and_count_what_they_see() {
        let limits = CompileLimits::default();
        let ok = check_shape(&nested(100), &limits).unwrap();
        assert_eq!((ok.functions, ok.deepest_nesting), (1, 100));
        let err = check_shape(&nested(5000), &limits).unwrap_err();
        assert!(err.to_string().contains("nested more than 4096"), "{err}");
        let small = CompileLimits { max_function_bytes: 50, ..limits };
        assert!(matches!(check_shape(&nested(100), &small), Err(CompileError::OverLimit(_))));
        assert!(matches!(check_shape(b"\0asm\x01\0\0\0\x0a\xff", &limits), Err(CompileError::Invalid(_))));
    }
}
