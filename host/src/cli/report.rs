//! `vivier report KIND`: the deployer's documents in French Markdown (or `--json`), from the
//! data directory's database and installed plugins; the same as `GET /v1/reports/KIND`.

use super::*;
use crate::audit::{Audit, Event};
use crate::report::{self, Context as ReportContext, Params};
use crate::server::config::ServerConfig;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub kind: ReportKind,
    /// Print the report as JSON (Markdown text and figures) instead of Markdown.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ReportKind {
    /// Public algorithm register entry (CRPA L312-1-3) and the "mention explicite" for decision
    /// letters (R311-3-1-1), from the installed and active plugins.
    Register,
    /// Candidate information notice (GDPR arts. 13-14, AI Act art. 26(11)).
    Notice,
    /// Technical file of a plugin: manifest facts, evaluations, bias probe, limits, digest.
    TechnicalFile {
        #[arg(long)]
        plugin: String,
    },
    /// Pre-filled data protection impact assessment, for the DPO to complete.
    Dpia,
    /// Pre-filled fundamental-rights impact assessment (AI Act art. 27), for the DPO to complete.
    Fria,
    /// The seven criteria of the local doctrine for a plugin, with the measured evidence.
    Boussole {
        #[arg(long)]
        plugin: String,
    },
    /// CPU time per call and estimated energy, per plugin and month, from the audit log.
    Sobriety {
        /// First day (YYYY-MM-DD), included; default: 365 days before --to.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD), included; default: today.
        #[arg(long)]
        to: Option<String>,
        /// Power drawn by one busy core, in watts.
        #[arg(long, default_value_t = report::sobriety::DEFAULT_WATTS_PER_CORE)]
        watts_per_core: f64,
    },
    /// Selection rates by declared group at each stage, per plugin version; small groups suppressed.
    Fairness {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// The AI stage counts the first K of each ranking.
        #[arg(long, default_value_t = report::fairness::DEFAULT_TOP_K)]
        top_k: u32,
    },
}

impl ReportKind {
    fn split(&self) -> (&'static str, Params) {
        let mut p = Params::default();
        let kind = match self {
            ReportKind::Register => "register",
            ReportKind::Notice => "notice",
            ReportKind::TechnicalFile { plugin } => {
                p.plugin = Some(plugin.clone());
                "technical-file"
            }
            ReportKind::Dpia => "dpia",
            ReportKind::Fria => "fria",
            ReportKind::Boussole { plugin } => {
                p.plugin = Some(plugin.clone());
                "boussole"
            }
            ReportKind::Sobriety { from, to, watts_per_core } => {
                (p.from, p.to, p.watts_per_core) = (from.clone(), to.clone(), Some(*watts_per_core));
                "sobriety"
            }
            ReportKind::Fairness { from, to, top_k } => {
                (p.from, p.to, p.top_k) = (from.clone(), to.clone(), Some(*top_k));
                "fairness"
            }
        };
        (kind, p)
    }
}

pub(super) fn run(cli: &Cli, args: &ReportArgs) -> Result<()> {
    if cli.database.is_none() && !cli.data_dir.join(crate::store::DB_FILE).is_file() {
        bail!("no Vivier database in {} (start `vivier serve` once, or pass --data-dir)", cli.data_dir.display());
    }
    let config = ServerConfig::load(&cli.data_dir, None)?;
    let registry = cli.registry()?;
    let (kind, params) = args.kind.split();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let report = runtime.block_on(async {
        let store = cli.store().await?;
        let ctx = ReportContext {
            store: &store,
            registry: &registry,
            candidate_retention_days: config.candidate_retention_days,
            audit_retention_days: config.audit_retention_days,
        };
        if kind == "register" {
            let register = crate::register::from_data_dir(&store, &registry).await?;
            store.close().await;
            return anyhow::Ok(Err(register));
        }
        let report = report::build(kind, &ctx, &params).await?;
        Audit::new(store.clone())
            .record(Event::new(
                "report.generated",
                "cli",
                json!({ "kind": report.kind, "from": params.from, "to": params.to, "plugin": params.plugin }),
            ))
            .await?;
        store.close().await;
        anyhow::Ok(Ok(report))
    })?;
    // The register is the public page's content, built by the same code (`crate::register`).
    let report = match report {
        Ok(report) => report,
        Err(register) => {
            if args.json {
                println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&register)?));
            } else {
                print!("{}", crate::register::to_markdown(&register));
            }
            return Ok(());
        }
    };
    if args.json {
        println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&report.to_json())?));
    } else {
        print!("{}", report.markdown);
    }
    Ok(())
}
