//! `vivier shadow attach|detach|report`: the shadow plugin of a slot, from the command line.
//! The server reads the attachment at start; a running server changes it at once through
//! `POST /v1/admin/slots/{slot}/shadow`.

use super::*;
use crate::audit::{Audit, Event};
use crate::store::now_ms;
use crate::store::oversight::{self, ShadowSlot};

#[derive(Debug, Subcommand)]
pub enum ShadowCommand {
    /// Run a second plugin in shadow on a slot: same inputs, after the answer, never returned.
    Attach {
        #[arg(long, default_value = "skills-matcher")]
        slot: String,
        #[arg(long)]
        plugin: String,
    },
    /// Stop the shadow plugin of a slot (its runs stay for the report).
    Detach {
        #[arg(long, default_value = "skills-matcher")]
        slot: String,
    },
    /// Compare the shadow plugin with the active one: rank correlation, top-3 overlap, errors,
    /// CPU time, bias probes.
    Report {
        #[arg(long, default_value = "skills-matcher")]
        slot: String,
        #[arg(long)]
        json: bool,
    },
}

fn world(slot: &str) -> Result<World> {
    let w: World = slot.parse().map_err(|_| anyhow::anyhow!("no slot `{slot}`"))?;
    if w != World::SkillsMatcher {
        bail!("shadow evaluation is available for the skills-matcher slot, not {w}");
    }
    Ok(w)
}

fn print_report(v: &serde_json::Value) {
    println!("Évaluation fantôme — emplacement {}", v["slot"].as_str().unwrap_or(""));
    match v["attached"].get("plugin_ref").and_then(|p| p.as_str()) {
        Some(p) => println!("plugin en observation : {p}"),
        None => println!("aucun plugin en observation actuellement"),
    }
    let comparisons = v["comparisons"].as_array().cloned().unwrap_or_default();
    if comparisons.is_empty() {
        println!("aucune exécution fantôme enregistrée");
    }
    let num = |x: &serde_json::Value| x.as_f64().map_or("-".to_string(), |f| format!("{f:.3}"));
    for c in comparisons {
        println!(
            "{} (actif) / {} (fantôme) : {} exécutions, {} erreurs ; tau de Kendall moyen {} (min {}), recouvrement top-{} {} ; CPU moyen {} µs / {} µs (rapport {})",
            c["active"].as_str().unwrap_or(""),
            c["shadow"].as_str().unwrap_or(""),
            c["runs"],
            c["shadow_errors"],
            num(&c["kendall_tau_mean"]),
            num(&c["kendall_tau_min"]),
            c["top_k"],
            num(&c["top_k_overlap_mean"]),
            c["active_cpu_us_mean"],
            c["shadow_cpu_us_mean"],
            num(&c["shadow_cpu_ratio"]),
        );
        for (who, key) in [("actif", "active_bias_probe"), ("fantôme", "shadow_bias_probe")] {
            let p = &c[key];
            let verdict = match p.get("passed").and_then(|b| b.as_bool()) {
                Some(true) => "réussie",
                Some(false) => "ÉCHOUÉE",
                None => "jamais exécutée",
            };
            println!("  sonde de biais ({who}) : {verdict}");
        }
    }
}

pub(super) fn run(cli: &Cli, command: &ShadowCommand) -> Result<()> {
    match command {
        ShadowCommand::Attach { slot, plugin } => {
            let w = world(slot)?;
            let ctx = Session::new(cli)?;
            let entry = ctx.registry.find(plugin)?;
            if matches!(entry.source, Source::File(_)) {
                bail!("{plugin}: install it first with `vivier plugin install`");
            }
            if entry.world() != w {
                bail!("plugin {} implements {}, not {w}", entry.id(), entry.world());
            }
            entry.load(&ctx.runtime)?;
            let spec = format!("{}@{}", entry.id(), entry.version());
            let row = ShadowSlot {
                world: w.name().into(),
                plugin_ref: spec.clone(),
                plugin_digest: entry.bundle.digest.clone(),
                attached_by: "cli".into(),
                attached_at: now_ms(),
            };
            super::serve::block_on(async {
                let store = cli.store().await?;
                let mut tx = Audit::new(store.clone()).begin().await?;
                oversight::attach_shadow(tx.conn(), &row).await?;
                tx.append(Event::new(
                    "admin.slot.shadow.attach",
                    "cli",
                    json!({ "slot": row.world, "plugin": row.plugin_ref, "digest": row.plugin_digest }),
                ))
                .await?;
                tx.commit().await?;
                store.close().await;
                anyhow::Ok(())
            })??;
            println!("{spec} attached in shadow to {w} (takes effect at the server's next start)");
            Ok(())
        }
        ShadowCommand::Detach { slot } => {
            let w = world(slot)?;
            super::serve::block_on(async {
                let store = cli.store().await?;
                let mut tx = Audit::new(store.clone()).begin().await?;
                if !oversight::detach_shadow(tx.conn(), w.name()).await? {
                    bail!("the {w} slot has no shadow plugin");
                }
                tx.append(Event::new("admin.slot.shadow.detach", "cli", json!({ "slot": w.name() }))).await?;
                tx.commit().await?;
                store.close().await;
                anyhow::Ok(())
            })??;
            println!("shadow plugin of {w} detached");
            Ok(())
        }
        ShadowCommand::Report { slot, json } => {
            let w = world(slot)?;
            let ctx = Session::new(cli)?;
            let digests: std::collections::HashMap<String, String> = ctx
                .registry
                .list()?
                .into_iter()
                .map(|e| (format!("{}@{}", e.id(), e.version()), e.bundle.digest.clone()))
                .collect();
            let v = super::serve::block_on(async {
                let store = cli.store().await?;
                let v = crate::shadow::report(store.pool(), w.name(), |r| digests.get(r).cloned(), None).await?;
                store.close().await;
                anyhow::Ok(v)
            })??;
            if *json {
                println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&v)?));
            } else {
                print_report(&v);
            }
            Ok(())
        }
    }
}
