//! `vivier probe bias`, and the probe as `vivier plugin install` and `activate` use it.

use super::*;
use crate::audit::{Audit, Event};
use crate::probe::{self, gate, BiasReport};
use crate::store::now_ms;
use crate::store::oversight::{self, ProbeRow};

#[derive(Debug, Subcommand)]
pub enum ProbeCommand {
    /// Counterfactual bias probe of a skills-matcher: pairs of profiles differing in one signal
    /// (gender of titles, age, career gap, RQTH, town, foreign diploma), score differences and
    /// an exact sign test per signal. The report is stored with the plugin's digest.
    Bias {
        /// Plugin id, id@version or bundle path.
        #[arg(long)]
        plugin: String,
        /// Largest accepted mean score difference (default 0.02, or VIVIER_PROBE_TOLERANCE).
        #[arg(long)]
        tolerance: Option<f64>,
        /// Pairs per signal.
        #[arg(long, default_value_t = probe::DEFAULT_PAIRS)]
        pairs: usize,
        /// Replay a run: its seed, as the report gives it (by default each run draws its own,
        /// so a vendor cannot learn the pairs).
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long)]
        json: bool,
    },
}

/// Runs the probe and stores the report (replacing an older one of the same digest).
pub(crate) fn probe_and_store(
    ctx: &Session,
    loaded: &LoadedPlugin,
    options: probe::Options,
) -> Result<(BiasReport, ProbeRow)> {
    let report = probe::run(&ctx.runtime, loaded, options);
    let row = gate::row_of(&report, now_ms(), &gate::settings_digest(&ctx.data_dir, loaded.id()));
    let r = row.clone();
    super::serve::block_on(async {
        let store = ctx.store().await?;
        let audit = Audit::new(store.clone());
        let mut tx = audit.begin().await?;
        oversight::save_probe(tx.conn(), &r).await?;
        tx.append(Event::new(
            "admin.probe.run",
            "cli",
            json!({ "plugin": format!("{}@{}", r.plugin_id, r.plugin_version), "digest": r.plugin_digest, "passed": r.passed }),
        ))
        .await?;
        tx.commit().await?;
        store.close().await;
        anyhow::Ok(())
    })??;
    Ok((report, row))
}

/// The gate of `vivier plugin activate`: the stored probe of this digest (run now if it never
/// ran), then the rule; an override is audited before the slot changes.
pub(crate) fn gate_activation(ctx: &Session, entry: &PluginEntry, justification: Option<&str>) -> Result<()> {
    if entry.world() != World::SkillsMatcher {
        return Ok(());
    }
    let spec = format!("{}@{}", entry.id(), entry.version());
    let stored = super::serve::block_on(async {
        let store = ctx.store().await?;
        let row = oversight::probe(store.pool(), &entry.bundle.digest).await?;
        store.close().await;
        anyhow::Ok(row)
    })??;
    let row = match gate::current(stored, &gate::settings_digest(&ctx.data_dir, entry.id())) {
        Some(row) => row,
        None => {
            eprintln!("no bias probe for {spec} with the current settings yet: running it now");
            let loaded = entry.load_granted(&ctx.runtime, &ctx.data_dir)?;
            probe_and_store(ctx, &loaded, probe::Options::default())?.1
        }
    };
    match gate::check(&spec, Some(&row), justification)? {
        gate::Decision::Passed => Ok(()),
        gate::Decision::Overridden { audit } => {
            super::serve::block_on(async {
                let store = ctx.store().await?;
                Audit::new(store.clone()).record(Event::new("admin.probe.override", "cli", audit)).await?;
                store.close().await;
                anyhow::Ok(())
            })??;
            eprintln!("{spec}: bias probe failed, activated on the administrator's written justification (audited)");
            Ok(())
        }
    }
}

pub(super) fn run(cli: &Cli, command: &ProbeCommand) -> Result<()> {
    match command {
        ProbeCommand::Bias { plugin, tolerance, pairs, seed, json } => {
            let ctx = Session::new(cli)?;
            let (entry, loaded) = ctx.plugin(Some(plugin.as_str()), World::SkillsMatcher)?;
            let mut options = probe::Options::default();
            if let Some(t) = tolerance {
                if !t.is_finite() || *t < 0.0 {
                    bail!("--tolerance must be a non-negative number");
                }
                options.tolerance = *t;
            }
            if *pairs == 0 {
                bail!("--pairs must be at least 1");
            }
            options.pairs = *pairs;
            options.seed = *seed;
            let (report, _) = probe_and_store(&ctx, &loaded, options)?;
            if *json {
                println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&report)?));
            } else {
                print!("{}", report.to_text());
            }
            if !report.passed {
                bail!("the bias probe of {} {} failed", entry.id(), entry.version());
            }
            Ok(())
        }
    }
}
