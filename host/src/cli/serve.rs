//! `vivier serve`, `vivier keys` and `vivier audit`: the server and its operations.

use super::*;
use crate::audit::{Audit, Event};
use crate::auth::{self, Role};
use crate::server::config::ServerConfig;
use crate::store::{keys, Store};

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create an API key; the key is printed once, alone on the last line.
    Create {
        #[arg(long, value_enum)]
        role: Role,
        #[arg(long)]
        label: Option<String>,
    },
    /// List keys (ids, roles, dates; never the keys).
    List,
    /// Revoke a key by id.
    Revoke { id: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the audit chain; exits non-zero and names the first broken link if it is broken.
    Verify,
    /// Run a recorded ranking again (stored posting and profiles, recorded plugin version, the
    /// call's clock) and compare the input and output digests with the audit record; exits
    /// non-zero when they differ.
    Replay {
        /// The ranking's trace id (`trace_id` of its answer and audit record).
        trace_id: String,
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn block_on<F: std::future::Future>(f: F) -> Result<F::Output> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(f))
}

pub(super) fn serve(cli: &Cli, config: Option<&Path>, bind: Option<std::net::SocketAddr>) -> Result<()> {
    let mut cfg = ServerConfig::load(&cli.data_dir, config)?;
    if let Some(b) = bind {
        cfg.bind = b;
    }
    block_on(crate::server::serve_with(&cli.data_dir, cfg, &cli.trusted_keys, cli.database.clone()))?
}

pub(super) fn keys(cli: &Cli, command: &KeysCommand) -> Result<()> {
    block_on(async {
        let store = Store::connect(&cli.data_dir, cli.database.as_deref()).await?;
        match command {
            KeysCommand::Create { role, label } => {
                let (id, key) = auth::create_key(store.pool(), *role, label.as_deref()).await?;
                Audit::new(store.clone())
                    .record(Event::new("admin.key.create", "cli", json!({ "key_id": id, "role": role })))
                    .await?;
                println!("Created {role} key {id}. It is shown only once; store it now:");
                println!("{key}");
            }
            KeysCommand::List => {
                for k in keys::list(store.pool()).await? {
                    let state = if k.revoked_at.is_some() { "revoked" } else { "active" };
                    println!("{}\t{}\t{}\t{}", k.id, k.role, state, k.label.unwrap_or_default());
                }
            }
            KeysCommand::Revoke { id } => {
                if !keys::revoke(store.pool(), id).await? {
                    bail!("no active key `{id}`");
                }
                Audit::new(store.clone())
                    .record(Event::new("admin.key.revoke", "cli", json!({ "key_id": id })))
                    .await?;
                println!("Revoked {id}");
            }
        }
        store.close().await;
        Ok(())
    })?
}

pub(super) fn audit(cli: &Cli, command: &AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Verify => block_on(async {
            if cli.database.is_none() && !cli.data_dir.join(crate::store::DB_FILE).is_file() {
                bail!("no Vivier database in {}", cli.data_dir.display());
            }
            let store = Store::connect(&cli.data_dir, cli.database.as_deref()).await?;
            let v = Audit::new(store.clone()).verify().await?;
            store.close().await;
            println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&v)?));
            match &v.first_broken {
                None => Ok(()),
                Some(b) => bail!("the audit chain is broken at row {}: {}", b.seq, b.reason),
            }
        })?,
        AuditCommand::Replay { trace_id, json } => {
            let ctx = super::Session::new(cli)?;
            let recorded = block_on(async {
                let store = ctx.store().await?;
                let r = crate::audit::replay::load(store.pool(), trace_id).await;
                store.close().await;
                anyhow::Ok(r?)
            })??;
            let r = crate::audit::replay::run(&ctx.runtime, &ctx.registry, &ctx.data_dir, &recorded)?;
            if *json {
                println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&r)?));
            } else {
                let verdict = |ok: bool| if ok { "identique" } else { "DIFFÉRENTE" };
                println!(
                    "Rejeu de {} : {} ({} candidats)\nentrée  : {} (enregistrée {}, rejouée {})\nsortie  : {} (enregistrée {}, rejouée {})",
                    r.trace_id,
                    crate::text::terminal_safe(&r.plugin),
                    r.candidates,
                    verdict(r.input_matches),
                    r.recorded_input_digest,
                    r.replayed_input_digest,
                    verdict(r.output_matches),
                    r.recorded_output_digest,
                    r.replayed_output_digest,
                );
            }
            if !r.reproduced() {
                bail!("the replay of {} does not reproduce the audit record", r.trace_id);
            }
            Ok(())
        }
    }
}
