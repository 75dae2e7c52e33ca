//! One loaded embedding model: tokenizer + optimised tract plan, shared by every call.
//!
//! The plan keeps symbolic `batch` and `sequence` dimensions, so one optimisation serves every
//! batch shape. Texts are tokenised (truncated at the model's token limit), sorted by length and
//! run in small padded batches; each vector is pooled under the attention mask and L2-normalised.

use super::onnx_fold::fold_dequantize_linear;
use super::store::{ModelManifest, ModelStore, ModelStoreError, Pooling};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokenizers::{Tokenizer, TruncationParams};
use tract_onnx::prelude::tract_linalg::multithread::{multithread_tract_scope, Executor};
use tract_onnx::prelude::{tract_ndarray, Framework, InferenceModelExt, IntoRunnable, IntoTValue};
use tract_onnx::prelude::{TValue, TVec, Tensor, TypedRunnableModel};
use vivier_runtime::inference::EmbedControl;

/// At most this many texts run together in one padded batch.
pub const BATCH: usize = 32;
/// At most this many tokens (texts × longest text) in one batch, unless one text alone has more.
/// Large batches are slower per text in tract: 32 texts of 256 tokens took 8.3 s as one batch and
/// 5.4 s one by one on one thread; 32 texts of 20 tokens were fastest 12 at a time
/// (`cargo bench --bench inference`, 2026-12-07, AVX-512 VM).
pub const BATCH_TOKENS: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    Ids,
    Mask,
    TokenTypes,
}

pub struct Embedder {
    manifest: ModelManifest,
    tokenizer: Tokenizer,
    plan: Arc<TypedRunnableModel>,
    inputs: Vec<Input>,
    output: usize,
    pad_id: u32,
    executor: Executor,
    threads: usize,
    /// Time taken by [`Embedder::load`] (digest check, graph optimisation, tokenizer).
    pub load_time: Duration,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").field("model", &self.manifest.id).field("threads", &self.threads).finish()
    }
}

/// Threads for one inference: `$VIVIER_INFERENCE_THREADS`, else the machine's cores (at most 4).
pub fn default_threads() -> usize {
    std::env::var("VIVIER_INFERENCE_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(4)))
}

fn load_err(id: &str) -> impl Fn(String) -> ModelStoreError + '_ {
    move |reason| ModelStoreError::Load { id: id.to_owned(), reason }
}

impl Embedder {
    /// Verifies the model's digests and loads it. Takes a few seconds: do it once.
    pub fn load(store: &ModelStore, id: &str, threads: usize) -> Result<Self, ModelStoreError> {
        let started = Instant::now();
        let manifest = store.verify(id)?;
        let dir = store.model_dir(id);
        let mut embedder = Self::load_files(&dir, manifest, threads)?;
        embedder.load_time = started.elapsed();
        Ok(embedder)
    }

    /// Loads the files of a manifest without checking digests (benchmarks, tools).
    pub fn load_files(dir: &Path, manifest: ModelManifest, threads: usize) -> Result<Self, ModelStoreError> {
        let started = Instant::now();
        let id = manifest.id.clone();
        let err = load_err(&id);
        let onnx = tract_onnx::onnx();
        let mut proto = onnx
            .proto_model_for_path(dir.join(&manifest.onnx))
            .map_err(|e| err(format!("reading {}: {e:#}", manifest.onnx)))?;
        fold_dequantize_linear(&mut proto).map_err(&err)?;
        let model = onnx.model_for_proto_model(&proto).map_err(|e| err(format!("{e:#}")))?;
        drop(proto);
        let plan = model
            .into_optimized()
            .and_then(|m| m.into_runnable())
            .map_err(|e| err(format!("optimising the graph: {e:#}")))?;

        let typed = plan.model();
        let mut inputs = Vec::new();
        for outlet in typed.input_outlets().map_err(|e| err(format!("{e:#}")))? {
            let name = typed.node(outlet.node).name.as_str();
            inputs.push(match name {
                "input_ids" => Input::Ids,
                "attention_mask" => Input::Mask,
                "token_type_ids" => Input::TokenTypes,
                other => return Err(err(format!("unexpected graph input `{other}`"))),
            });
        }
        if !inputs.contains(&Input::Ids) {
            return Err(err("the graph has no `input_ids` input".into()));
        }
        let outputs = typed.output_outlets().map_err(|e| err(format!("{e:#}")))?;
        let output = outputs.iter().position(|o| typed.outlet_label(*o) == Some("last_hidden_state")).unwrap_or(0);

        let mut tokenizer = Tokenizer::from_file(dir.join(&manifest.tokenizer))
            .map_err(|e| err(format!("reading {}: {e}", manifest.tokenizer)))?;
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: manifest.max_tokens as usize, ..Default::default() }))
            .map_err(|e| err(format!("tokenizer truncation: {e}")))?;
        tokenizer.with_padding(None);
        let pad_id = tokenizer.token_to_id("<pad>").or_else(|| tokenizer.token_to_id("[PAD]")).unwrap_or(0);
        let threads = threads.max(1);
        let executor = if threads > 1 { Executor::multithread(threads) } else { Executor::SingleThread };
        Ok(Self { manifest, tokenizer, plan, inputs, output, pad_id, executor, threads, load_time: started.elapsed() })
    }

    pub fn manifest(&self) -> &ModelManifest {
        &self.manifest
    }

    pub fn dimension(&self) -> u32 {
        self.manifest.dimension
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Token ids of each text, special tokens included, truncated at the model's limit.
    pub fn tokenize<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Vec<u32>>, String> {
        let inputs: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        let encodings = self.tokenizer.encode_batch(inputs, true).map_err(|e| format!("tokenizing: {e}"))?;
        Ok(encodings.into_iter().map(|e| e.get_ids().to_vec()).collect())
    }

    /// One L2-normalised vector per text, in order.
    pub fn embed<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>, String> {
        self.embed_until(texts, &EmbedControl::default())
    }

    /// [`Embedder::embed`] for a plugin call: stops between batches once `control` says the call
    /// has ended, and reports the CPU time of its helper threads to it.
    pub fn embed_until<S: AsRef<str>>(&self, texts: &[S], control: &EmbedControl) -> Result<Vec<Vec<f32>>, String> {
        if texts.is_empty() {
            return Ok(vec![]);
        }
        self.embed_ids_until(&self.tokenize(texts)?, control)
    }

    /// Embeds already tokenised texts: sorted by length so that batches carry little padding.
    pub fn embed_ids(&self, ids: &[Vec<u32>]) -> Result<Vec<Vec<f32>>, String> {
        self.embed_ids_until(ids, &EmbedControl::default())
    }

    fn embed_ids_until(&self, ids: &[Vec<u32>], control: &EmbedControl) -> Result<Vec<Vec<f32>>, String> {
        let max = self.manifest.max_tokens as usize;
        if let Some(long) = ids.iter().find(|t| t.len() > max) {
            return Err(format!("{} tokens in one text (at most {max})", long.len()));
        }
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let workers = self.threads.min(ids.len()).max(1);
        let mut out = vec![Vec::new(); ids.len()];
        if workers == 1 {
            // One text (or one thread): the model's own kernels use the threads.
            self.embed_rows(&order, ids, &self.executor, &mut out, control)?;
            return Ok(out);
        }
        // Several texts: one share of the rows per thread, each run on one core. Splitting the
        // batch scales with the cores where tract's parallel kernels do not (measured by
        // `scripts/bench-inference.sh`). Dealt in turn from the length order, so every share has
        // texts of every length and the threads finish together.
        let shares: Vec<Vec<usize>> =
            (0..workers).map(|w| order.iter().copied().skip(w).step_by(workers).collect()).collect();
        let results: Vec<Result<Vec<Vec<f32>>, String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = shares
                .iter()
                .map(|share| {
                    scope.spawn(move || {
                        let cpu = vivier_runtime::inference::thread_cpu_time();
                        let mut part = vec![Vec::new(); ids.len()];
                        let done =
                            self.embed_rows(share, ids, &Executor::SingleThread, &mut part, control).map(|()| part);
                        control.add_helper_cpu(vivier_runtime::inference::thread_cpu_time().saturating_sub(cpu));
                        done
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("an inference thread panicked".to_owned())))
                .collect()
        });
        for (share, part) in shares.iter().zip(results) {
            let mut part = part?;
            for &i in share {
                out[i] = std::mem::take(&mut part[i]);
            }
        }
        Ok(out)
    }

    /// Embeds the texts `rows` (sorted by length) in padded batches of at most [`BATCH`] texts and
    /// [`BATCH_TOKENS`] tokens, into `out` at their index.
    fn embed_rows(
        &self,
        rows: &[usize],
        ids: &[Vec<u32>],
        executor: &Executor,
        out: &mut [Vec<f32>],
        control: &EmbedControl,
    ) -> Result<(), String> {
        let mut start = 0;
        while start < rows.len() {
            control.check().map_err(|e| e.to_string())?;
            let mut end = start + 1;
            // Rows are sorted by length: the row added last is the batch's longest.
            while end < rows.len() && end - start < BATCH && (end + 1 - start) * ids[rows[end]].len() <= BATCH_TOKENS {
                end += 1;
            }
            let chunk = &rows[start..end];
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
            for (&i, vector) in chunk.iter().zip(self.run_batch(&batch, executor)?) {
                out[i] = vector;
            }
            start = end;
        }
        Ok(())
    }

    /// One padded batch through the graph, then pooling.
    fn run_batch(&self, batch: &[&[u32]], executor: &Executor) -> Result<Vec<Vec<f32>>, String> {
        let b = batch.len();
        let s = batch.iter().map(|t| t.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![i64::from(self.pad_id); b * s];
        let mut mask = vec![0i64; b * s];
        for (row, tokens) in batch.iter().enumerate() {
            for (col, &t) in tokens.iter().enumerate() {
                ids[row * s + col] = i64::from(t);
                mask[row * s + col] = 1;
            }
        }
        let tensor = |data: &[i64]| -> Result<TValue, String> {
            Tensor::from_shape(&[b, s], data).map(IntoTValue::into_tvalue).map_err(|e| e.to_string())
        };
        let zeros = vec![0i64; b * s];
        let mut inputs = TVec::new();
        for input in &self.inputs {
            inputs.push(tensor(match input {
                Input::Ids => &ids,
                Input::Mask => &mask,
                Input::TokenTypes => &zeros,
            })?);
        }
        let outputs = multithread_tract_scope(executor.clone(), || self.plan.run(inputs))
            .map_err(|e| format!("running the model: {e:#}"))?;
        let hidden = outputs
            .get(self.output)
            .ok_or("the model returned no output")?
            .to_plain_array_view::<f32>()
            .map_err(|e| e.to_string())?;
        let shape = hidden.shape().to_vec();
        let dim = self.manifest.dimension as usize;
        if shape.len() != 3 || shape[0] != b || shape[1] != s || shape[2] != dim {
            return Err(format!("unexpected output shape {shape:?} (expected [{b}, {s}, {dim}])"));
        }
        let mut vectors = Vec::with_capacity(b);
        for (row, tokens) in batch.iter().enumerate() {
            let mut v = vec![0f32; dim];
            let rows = match self.manifest.pooling {
                Pooling::Mean => 0..tokens.len(),
                Pooling::Cls => 0..tokens.len().min(1),
            };
            let n = rows.len().max(1) as f32;
            for t in rows {
                for (acc, x) in v.iter_mut().zip(hidden.slice(tract_ndarray::s![row, t, ..])) {
                    *acc += *x;
                }
            }
            let norm = v.iter().map(|x| (x / n) * (x / n)).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| *x = *x / n / norm);
            }
            vectors.push(v);
        }
        Ok(vectors)
    }
}
