//! The `vivier` command line. Errors reach the user as one clear sentence on stderr and a
//! non-zero exit status, never as a panic trace.

use crate::bundle::{parse_signing_key, parse_verifying_key, Bundle};
use crate::manifest::Manifest;
use crate::model::{Candidate, Document, DraftRequest, ParsedCv};
use crate::registry::{PluginEntry, Registry, Source};
use crate::runtime::{CallReport, LoadedPlugin, PluginError, Runtime, RuntimeConfig};
use crate::timeline::{self, Timeline};
use crate::world::World;
use crate::{conformance, json_resume};
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use std::path::{Path, PathBuf};

mod draft;
mod lint;
mod parse;
mod plugin;
pub(crate) mod probe;
pub(crate) mod rank;
mod report;
mod serve;
mod shadow;

pub(crate) use serve::block_on;
pub use serve::{AuditCommand, KeysCommand};

pub use parse::media_type_for;
use parse::parse_one;

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
    /// PostgreSQL database shared by replicas (postgres://user:password@host:port/db); default:
    /// the SQLite file in the data directory.
    #[arg(long, global = true, env = "VIVIER_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
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
        /// POSTING.json: id, title, filiere, categorie, cadre_emplois, service, missions,
        /// required_skills, optional_skills, min_experience_years.
        #[arg(long)]
        posting: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        plugin: Option<String>,
        /// json: suggestions with evidence; csv: the candidates × requirements table.
        #[arg(long, value_enum, default_value = "json")]
        format: rank::RankFormat,
    },
    /// Draft a job ad from a request (JSON) with the active posting-drafter.
    Draft {
        request: PathBuf,
        #[arg(long)]
        plugin: Option<String>,
    },
    /// Check a job ad (Markdown) for discriminatory criteria, missing mandatory mentions and leaked notes.
    Lint(lint::LintArgs),
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
    /// Measure a plugin against ground truth (parsing, ranking, drafting).
    Eval {
        #[command(subcommand)]
        command: crate::eval::EvalCommand,
    },
    /// Run the SIRH HTTP API (default 127.0.0.1:8080, or VIVIER_BIND=host:port).
    Serve {
        /// TOML configuration file (default: <data-dir>/vivier.toml when present).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Address to listen on; overrides VIVIER_BIND and the configuration file.
        #[arg(long)]
        bind: Option<std::net::SocketAddr>,
    },
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Manage the host's local embedding models (used by plugins through `inference`).
    Models {
        #[command(subcommand)]
        command: crate::models::cli::ModelsCommand,
    },
    /// The deployer's documents in French: notice, technical file, DPIA, FRIA, boussole, sobriety, fairness.
    Report(report::ReportArgs),
    /// Probe a plugin for bias (counterfactual pairs).
    Probe {
        #[command(subcommand)]
        command: probe::ProbeCommand,
    },
    /// Evaluate a second plugin in shadow on a slot.
    Shadow {
        #[command(subcommand)]
        command: shadow::ShadowCommand,
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
    /// Make an installed plugin the active one of its slot. A skills-matcher needs a passing
    /// bias probe (run now if it never ran) or a written justification, which is audited.
    Activate {
        plugin: String,
        /// Why the plugin may be activated although its bias probe failed (at least 20 characters).
        #[arg(long)]
        override_justification: Option<String>,
    },
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
pub(crate) struct Session {
    pub(crate) registry: Registry,
    pub(crate) runtime: Runtime,
    pub(crate) data_dir: PathBuf,
    pub(crate) database: Option<String>,
}

impl Cli {
    /// The registry of the data directory, trusting the configured vendor keys.
    pub(crate) fn registry(&self) -> Result<Registry> {
        let trusted = self
            .trusted_keys
            .iter()
            .filter(|k| !k.trim().is_empty())
            .map(|k| parse_verifying_key(k).with_context(|| format!("trusted key `{k}`")))
            .collect::<Result<Vec<_>>>()?;
        Ok(Registry::new(&self.data_dir, trusted))
    }

    /// The database `--database` names, else the data directory's SQLite file.
    pub(crate) async fn store(&self) -> Result<crate::store::Store> {
        Ok(crate::store::Store::connect(&self.data_dir, self.database.as_deref()).await?)
    }
}

impl Session {
    pub(crate) fn new(cli: &Cli) -> Result<Self> {
        let registry = cli.registry()?;
        let data_dir = cli.data_dir.clone();
        let config = RuntimeConfig { cache_dir: Some(cli.data_dir.join("cache")), ..Default::default() };
        Ok(Self {
            registry,
            runtime: Runtime::new(config)?.with_inference(crate::models::host_backend_in(&cli.data_dir)),
            data_dir,
            database: cli.database.clone(),
        })
    }

    /// The database `--database` names, else the data directory's SQLite file.
    pub(crate) async fn store(&self) -> Result<crate::store::Store> {
        Ok(crate::store::Store::connect(&self.data_dir, self.database.as_deref()).await?)
    }

    pub(crate) fn plugin(&self, spec: Option<&str>, world: World) -> Result<(PluginEntry, LoadedPlugin)> {
        let entry = match spec {
            Some(spec) => self.registry.find(spec)?,
            None => self.registry.active(world)?,
        };
        if entry.world() != world {
            bail!("plugin {} implements {}, not {world}", entry.id(), entry.world());
        }
        let loaded = entry.load_granted(&self.runtime, &self.data_dir)?;
        Ok((entry, loaded))
    }
}

pub fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Parse { files, plugin, format } => parse::run(&Session::new(&cli)?, files, plugin.as_deref(), *format),
        Command::Rank { posting, files, plugin, format } => {
            rank::run(&Session::new(&cli)?, posting, files, plugin.as_deref(), *format)
        }
        Command::Draft { request, plugin } => draft::run(&Session::new(&cli)?, request, plugin.as_deref()),
        Command::Conformance { bundle, json } => {
            let ctx = Session::new(&cli)?;
            let report = conformance::run(bundle, &ctx.registry, &ctx.runtime);
            if *json {
                println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&report)?));
            } else {
                print!("{}", report.to_text());
            }
            if !report.passed() {
                bail!("the bundle does not conform");
            }
            Ok(())
        }
        Command::Lint(args) => lint::run(args),
        Command::Plugin { command } => plugin::run(&cli, command),
        Command::Eval { command } => crate::eval::run(&cli, command),
        Command::Serve { config, bind } => serve::serve(&cli, config.as_deref(), *bind),
        Command::Keys { command } => serve::keys(&cli, command),
        Command::Audit { command } => serve::audit(&cli, command),
        Command::Models { command } => crate::models::cli::run(command),
        Command::Report(args) => report::run(&cli, args),
        Command::Probe { command } => probe::run(&cli, command),
        Command::Shadow { command } => shadow::run(&cli, command),
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
