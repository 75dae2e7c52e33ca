//! The `vivier` command line. Errors reach the user as one clear sentence on stderr and a
//! non-zero exit status, never as a panic trace.

use crate::bundle::{parse_signing_key, parse_verifying_key, Bundle};
use crate::manifest::Manifest;
use crate::model::{Candidate, Document, DraftRequest, ParsedCv, Posting};
use crate::registry::{PluginEntry, Registry, Source};
use crate::runtime::{CallReport, LoadedPlugin, PluginError, Runtime, RuntimeConfig};
use crate::timeline::{self, Timeline};
use crate::world::World;
use crate::{conformance, json_resume};
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "vivier",
    version,
    about = "Sandboxed AI plugins for public-sector recruitment: suggestions, never decisions"
)]
pub struct Cli {
    /// Where Vivier keeps installed plugins, caches and state.
    #[arg(long, global = true, env = "VIVIER_DATA_DIR", default_value = "./vivier-data")]
    pub data_dir: PathBuf,
    /// Trusted vendor public keys (hex or base64, comma-separated). When set, only bundles
    /// signed by one of them are accepted.
    #[arg(long = "trusted-key", global = true, env = "VIVIER_TRUSTED_KEYS", value_delimiter = ',')]
    pub trusted_keys: Vec<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    JsonResume,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse CV files with the active cv-parser (or the one named).
    Parse {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Plugin id, id@version, or bundle path.
        #[arg(long)]
        plugin: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// Rank parsed CVs against a posting (JSON) with the active skills-matcher: suggestions only.
    Rank {
        /// Posting JSON: id, title, description, requirements[{id, label, kind, weight, mandatory}].
        #[arg(long)]
        posting: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        plugin: Option<String>,
    },
    /// Draft a job ad from a request (JSON) with the active posting-drafter.
    Draft {
        request: PathBuf,
        #[arg(long)]
        plugin: Option<String>,
    },
    /// Manage plugins.
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
    /// Run the conformance kit on a bundle (what a vendor runs before delivery).
    Conformance {
        bundle: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// List built-in and installed plugins, with the active one of each slot.
    List,
    /// Show a plugin's manifest, capabilities, transparency facts, digest and signature.
    Inspect { plugin: String },
    /// Check a bundle: manifest, digest, signature, imports and exports.
    Verify { bundle: PathBuf },
    /// Verify and install a bundle (directory or .zip).
    Install { bundle: PathBuf },
    /// Make an installed plugin the active one of its slot.
    Activate { plugin: String },
    /// Make a bundle (.zip) from a manifest and a component, optionally signed.
    Pack {
        #[arg(long)]
        manifest: PathBuf,
        #[arg(long)]
        component: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Vendor signing key file (from `vivier plugin keygen`).
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Create a vendor signing key; prints the public key to give to administrators.
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
}

/// What a command needs: the plugin registry and the sandboxed runtime.
struct Session {
    registry: Registry,
    runtime: Runtime,
}

impl Session {
    fn new(cli: &Cli) -> Result<Self> {
        let trusted = cli
            .trusted_keys
            .iter()
            .filter(|k| !k.trim().is_empty())
            .map(|k| parse_verifying_key(k).with_context(|| format!("trusted key `{k}`")))
            .collect::<Result<Vec<_>>>()?;
        let registry = Registry::new(&cli.data_dir, trusted);
        let config = RuntimeConfig { cache_dir: Some(cli.data_dir.join("cache")), ..Default::default() };
        Ok(Self { registry, runtime: Runtime::new(config)? })
    }

    fn plugin(&self, spec: Option<&str>, world: World) -> Result<(PluginEntry, LoadedPlugin)> {
        let entry = match spec {
            Some(spec) => self.registry.find(spec)?,
            None => self.registry.active(world)?,
        };
        if entry.world() != world {
            bail!("plugin {} implements {}, not {world}", entry.id(), entry.world());
        }
        let loaded = entry.load(&self.runtime)?;
        Ok((entry, loaded))
    }
}

pub fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Parse { files, plugin, format } => parse(&Session::new(&cli)?, files, plugin.as_deref(), *format),
        Command::Rank { posting, files, plugin } => rank(&Session::new(&cli)?, posting, files, plugin.as_deref()),
        Command::Draft { request, plugin } => draft(&Session::new(&cli)?, request, plugin.as_deref()),
        Command::Conformance { bundle, json } => {
            let ctx = Session::new(&cli)?;
            let report = conformance::run(bundle, &ctx.registry, &ctx.runtime);
            if *json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.to_text());
            }
            if !report.passed() {
                bail!("the bundle does not conform");
            }
            Ok(())
        }
        Command::Plugin { command } => plugin_command(&cli, command),
    }
}

/// Media type from the file name; the parser still checks the content.
pub fn media_type_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("odt") => "application/vnd.oasis.opendocument.text",
        Some("txt") => "text/plain",
        Some("md" | "markdown") => "text/markdown",
        _ => "application/octet-stream",
    }
}

/// Largest file the CLI reads; the plugin may accept less.
const MAX_INPUT_BYTES: u64 = 50 << 20;

fn read_document(path: &Path) -> Result<Document> {
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.len() > MAX_INPUT_BYTES {
        bail!("{} is {} MB, over the {} MB limit", path.display(), meta.len() >> 20, MAX_INPUT_BYTES >> 20);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Document {
        filename: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        media_type: media_type_for(path).into(),
        bytes,
    })
}

fn call_summary(r: &CallReport) -> serde_json::Value {
    json!({
        "wall_us": r.wall_us, "cpu_us": r.cpu_us, "peak_memory_bytes": r.peak_memory_bytes,
        "input_digest": r.input_digest, "output_digest": r.output_digest, "outcome": r.outcome,
        "sanitised": r.sanitised, "log": r.log, "log_dropped": r.log_dropped,
    })
}

/// Parses one file; `Ok(Err)` is a per-file failure reported in the output.
fn parse_one(
    ctx: &Session,
    plugin: &LoadedPlugin,
    path: &Path,
) -> Result<Result<(ParsedCv, Timeline, CallReport), String>> {
    let doc = match read_document(path) {
        Ok(d) => d,
        Err(e) => return Ok(Err(format!("{e:#}"))),
    };
    let inv = ctx.runtime.parse(plugin, &doc);
    Ok(match inv.result {
        Ok(Ok(cv)) => {
            let t = timeline::analyse(&cv.profile, timeline::current_month());
            Ok((cv, t, inv.report))
        }
        Ok(Err(e)) => Err(format!("{}: {e}", path.display())),
        Err(e) => Err(format!("{}: {e}", path.display())),
    })
}

fn parse(ctx: &Session, files: &[PathBuf], spec: Option<&str>, format: Format) -> Result<()> {
    let (entry, plugin) = ctx.plugin(spec, World::CvParser)?;
    let mut failures = 0;
    for path in files {
        let out = match parse_one(ctx, &plugin, path)? {
            Ok((cv, t, report)) => match format {
                Format::JsonResume => json_resume::render(&cv, &t),
                Format::Json => json!({
                    "file": path.display().to_string(),
                    "plugin": report.plugin,
                    "identity": cv.identity,
                    "profile": cv.profile,
                    "warnings": cv.warnings,
                    "gaps": t.gaps,
                    "irregularities": t.irregularities,
                    "call": call_summary(&report),
                }),
            },
            Err(message) => {
                failures += 1;
                eprintln!("error: {message}");
                json!({ "file": path.display().to_string(), "plugin": entry.id(), "error": message })
            }
        };
        if files.len() == 1 {
            println!("{}", serde_json::to_string_pretty(&out)?);
        } else {
            println!("{}", serde_json::to_string(&out)?);
        }
    }
    if failures > 0 {
        bail!("{failures} of {} file(s) could not be parsed", files.len());
    }
    Ok(())
}

fn rank(ctx: &Session, posting: &Path, files: &[PathBuf], spec: Option<&str>) -> Result<()> {
    let text = std::fs::read_to_string(posting).with_context(|| format!("cannot read {}", posting.display()))?;
    let posting: Posting =
        serde_json::from_str(&text).with_context(|| format!("{} is not a valid posting", posting.display()))?;
    let (_, parser) = ctx.plugin(None, World::CvParser)?;
    let (_, matcher) = ctx.plugin(spec, World::SkillsMatcher)?;
    // The matcher sees opaque ids and profiles only; the file names stay on this side.
    let mut candidates = Vec::new();
    let mut files_by_id = Vec::new();
    for (i, path) in files.iter().enumerate() {
        match parse_one(ctx, &parser, path)? {
            Ok((cv, _, _)) => {
                let id = format!("c{}", i + 1);
                files_by_id.push((id.clone(), path.display().to_string()));
                candidates.push(Candidate { id, profile: cv.profile });
            }
            Err(message) => bail!("{message}"),
        }
    }
    let inv = ctx.runtime.assess(&matcher, &posting, &candidates);
    let mut assessments = match inv.result {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => bail!("{e}"),
        Err(e) => bail!("{e}"),
    };
    assessments.sort_by(|a, b| b.score.total_cmp(&a.score));
    let rows: Vec<_> = assessments
        .iter()
        .map(|a| {
            let file = files_by_id.iter().find(|(id, _)| *id == a.candidate_id).map(|(_, f)| f.clone());
            json!({ "file": file, "assessment": a })
        })
        .collect();
    let out = json!({
        "notice": "Suggestions pour aider le recruteur ; aucune candidature n'est écartée ni retenue automatiquement.",
        "plugin": inv.report.plugin,
        "candidates": rows,
        "call": call_summary(&inv.report),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

fn draft(ctx: &Session, path: &Path, spec: Option<&str>) -> Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let request: DraftRequest =
        serde_json::from_str(&text).with_context(|| format!("{} is not a valid draft request", path.display()))?;
    let (_, plugin) = ctx.plugin(spec, World::PostingDrafter)?;
    let inv = ctx.runtime.draft(&plugin, &request);
    let ad = match inv.result {
        Ok(Ok(ad)) => ad,
        Ok(Err(e)) => bail!("{e}"),
        Err(e) => bail!("{e}"),
    };
    let out = json!({
        "title": ad.title,
        "markdown": ad.markdown,
        "warnings": ad.warnings,
        "generated_by": { "id": inv.report.plugin.id, "version": inv.report.plugin.version, "digest": inv.report.plugin.digest },
        "human_review_required": true,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

fn describe(entry: &PluginEntry, active: bool) -> serde_json::Value {
    let m = &entry.bundle.manifest;
    json!({
        "id": m.plugin.id, "name": m.plugin.name, "version": m.plugin.version, "vendor": m.plugin.vendor,
        "world": m.plugin.world, "wit_version": m.plugin.wit_version, "description": m.plugin.description,
        "digest": entry.bundle.digest, "signature": entry.signature, "source": entry.source, "active": active,
        "capabilities": m.capabilities, "transparency": m.transparency,
    })
}

fn plugin_command(cli: &Cli, command: &PluginCommand) -> Result<()> {
    match command {
        PluginCommand::Keygen { out } => {
            if out.exists() {
                bail!("{} exists; refusing to overwrite a key", out.display());
            }
            let mut seed = [0u8; 32];
            getrandom::getrandom(&mut seed).context("no system randomness")?;
            let key = ed25519_dalek::SigningKey::from_bytes(&seed);
            std::fs::write(out, hex::encode(seed)).with_context(|| format!("cannot write {}", out.display()))?;
            #[cfg(unix)]
            std::fs::set_permissions(out, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
            println!("{}", hex::encode(key.verifying_key().as_bytes()));
            eprintln!("signing key written to {}; give the public key above to administrators", out.display());
            Ok(())
        }
        PluginCommand::Pack { manifest, component, out, key } => {
            let text =
                std::fs::read_to_string(manifest).with_context(|| format!("cannot read {}", manifest.display()))?;
            let manifest = Manifest::parse(&text)?;
            let wasm = std::fs::read(component).with_context(|| format!("cannot read {}", component.display()))?;
            let key = match key {
                Some(path) => Some(parse_signing_key(
                    &std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?,
                )?),
                None => None,
            };
            let bundle = Bundle::pack(manifest, wasm, key.as_ref())?;
            bundle.write_zip(out).with_context(|| format!("cannot write {}", out.display()))?;
            println!("{} (sha256 {}{})", out.display(), bundle.digest, if key.is_some() { ", signed" } else { "" });
            Ok(())
        }
        _ => {
            let ctx = Session::new(cli)?;
            match command {
                PluginCommand::List => {
                    let active: Vec<(String, String)> = World::ALL
                        .iter()
                        .filter_map(|w| {
                            ctx.registry.active(*w).ok().map(|e| (e.id().to_owned(), e.version().to_owned()))
                        })
                        .collect();
                    for entry in ctx.registry.list()? {
                        let is_active = active.contains(&(entry.id().to_owned(), entry.version().to_owned()));
                        let source = match &entry.source {
                            Source::Builtin => "built-in".to_string(),
                            Source::Installed(p) | Source::File(p) => p.display().to_string(),
                        };
                        println!(
                            "{}{:<28} {:<8} {:<16} {}  {}",
                            if is_active { "* " } else { "  " },
                            entry.id(),
                            entry.version(),
                            entry.world(),
                            &entry.bundle.digest[..12],
                            source
                        );
                    }
                    Ok(())
                }
                PluginCommand::Inspect { plugin } => {
                    let entry = ctx.registry.find(plugin)?;
                    let active =
                        ctx.registry.active(entry.world()).is_ok_and(|a| a.bundle.digest == entry.bundle.digest);
                    println!("{}", serde_json::to_string_pretty(&describe(&entry, active))?);
                    Ok(())
                }
                PluginCommand::Verify { bundle } => {
                    let entry = ctx.registry.open_bundle(bundle)?;
                    let loaded = entry.load(&ctx.runtime)?;
                    println!(
                        "{} {} ({}) is valid: sha256 {}, signature {:?}, exports match the {} world",
                        entry.id(),
                        entry.version(),
                        entry.bundle.manifest.plugin.vendor,
                        entry.bundle.digest,
                        entry.signature,
                        loaded.world
                    );
                    Ok(())
                }
                PluginCommand::Install { bundle } => {
                    let entry = ctx.registry.install(bundle, &ctx.runtime)?;
                    println!(
                        "installed {} {} ({}); activate it with `vivier plugin activate {}`",
                        entry.id(),
                        entry.version(),
                        entry.world(),
                        entry.id()
                    );
                    Ok(())
                }
                PluginCommand::Activate { plugin } => {
                    let entry = ctx.registry.activate(plugin, &ctx.runtime)?;
                    println!("{} {} is now active for {}", entry.id(), entry.version(), entry.world());
                    Ok(())
                }
                PluginCommand::Keygen { .. } | PluginCommand::Pack { .. } => unreachable!("handled above"),
            }
        }
    }
}

/// Maps a plugin failure to a process exit status, so scripts can tell faults apart.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    match err.downcast_ref::<PluginError>() {
        Some(PluginError::Timeout { .. } | PluginError::MemoryLimit { .. }) => 3,
        Some(_) => 4,
        None => 1,
    }
}
