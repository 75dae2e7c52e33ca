//! Host inference: real ONNX inference with the default model (installed on first run into the
//! model store, with progress on stderr), the model store's digest checks, and the `inference`
//! import as a sandboxed component sees it.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use vivier::bundle::{Bundle, SignatureStatus};
use vivier::inference::Inference;
use vivier::model::{Candidate, MatchError, Posting, Profile};
use vivier::models::{import, install, Embedder, ModelStore, ModelStoreError, StoreBackend, DEFAULT_MODEL};
use vivier::runtime::{LoadError, PluginGrants};
use vivier::{Runtime, RuntimeConfig};

/// The default store, with the default model installed once for all tests (a file lock
/// serialises installs between test processes).
fn backend() -> Arc<StoreBackend> {
    static BACKEND: OnceLock<Arc<StoreBackend>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            let store = ModelStore::from_env();
            install::ensure(&store, DEFAULT_MODEL).expect("installing the default model");
            Arc::new(StoreBackend::with_threads(store, 2))
        })
        .clone()
}

fn embedder() -> Arc<Embedder> {
    backend().embedder(DEFAULT_MODEL).expect("the default model loads")
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn similarities(query: &str, passages: &[&str]) -> Vec<f32> {
    let mut texts = vec![format!("query: {query}")];
    texts.extend(passages.iter().map(|p| format!("passage: {p}")));
    let v = embedder().embed(&texts).unwrap();
    v[1..].iter().map(|p| cosine(&v[0], p)).collect()
}

#[test]
fn vectors_are_unit_length_with_the_manifest_dimension() {
    let e = embedder();
    assert_eq!(e.dimension(), 384);
    let v = e.embed(&["passage: Gestionnaire des carrières", "", "🙂 ünïcödé ﬁ"]).unwrap();
    assert_eq!(v.len(), 3);
    for x in &v {
        assert_eq!(x.len(), 384);
        let norm: f32 = x.iter().map(|a| a * a).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    }
    assert!(e.embed::<&str>(&[]).unwrap().is_empty());
}

#[test]
fn french_synonyms_are_closer_than_unrelated_jobs() {
    let s = similarities(
        "gestionnaire de paie",
        &[
            "gestion de la rémunération des agents",
            "agent de déneigement des routes départementales",
            "conduite d'engins de déneigement et salage",
        ],
    );
    assert!(s[0] > s[1] + 0.02 && s[0] > s[2] + 0.02, "paie ↔ rémunération should win: {s:?}");

    let s = similarities(
        "puéricultrice en PMI",
        &["infirmière puéricultrice en protection maternelle et infantile", "comptable en collectivité territoriale"],
    );
    assert!(s[0] > s[1] + 0.02, "PMI ↔ protection maternelle et infantile should win: {s:?}");
}

#[test]
fn french_and_english_equivalents_match() {
    let s = similarities(
        "gestion de la paie des agents publics",
        &["payroll management for public employees", "snow clearing of county roads"],
    );
    assert!(s[0] > s[1] + 0.02, "the English translation should win: {s:?}");
    let s = similarities(
        "snow plough driver",
        &["conducteur de chasse-neige, déneigement des routes", "assistante de gestion des ressources humaines"],
    );
    assert!(s[0] > s[1] + 0.02, "the French translation should win: {s:?}");
}

#[test]
fn a_batch_gives_the_same_vectors_as_single_texts() {
    let e = embedder();
    let long = "Gestion administrative du personnel, paie, carrières et formation. ".repeat(12);
    let texts = vec![
        "passage: Aide-soignante en EHPAD".to_owned(),
        format!("passage: {long}"),
        "query: assistante sociale".to_owned(),
        "passage: Technicien informatique, réseaux et téléphonie, support aux utilisateurs".to_owned(),
        "passage: RH".to_owned(),
    ];
    let batch = e.embed(&texts).unwrap();
    for (text, from_batch) in texts.iter().zip(&batch) {
        let single = e.embed(std::slice::from_ref(text)).unwrap().remove(0);
        let diff = single.iter().zip(from_batch).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(diff < 1e-4, "batch and single differ by {diff} for {text:.40}");
    }
    // More texts than one internal batch (at most 32 texts and 256 tokens), of mixed lengths:
    // order is kept, whichever batch a text falls in.
    let many: Vec<String> =
        (0..70).map(|i| format!("passage: poste numéro {i} {}", "paie et carrière ".repeat(i % 23))).collect();
    let vectors = e.embed(&many).unwrap();
    for i in (0..70).step_by(9) {
        let again = e.embed(&many[i..i + 1]).unwrap();
        assert!(cosine(&vectors[i], &again[0]) > 0.9999, "text {i} changed with its batch");
    }
}

#[test]
fn long_texts_are_truncated_at_512_tokens() {
    let e = embedder();
    let text = "paie rémunération carrière ".repeat(400);
    let ids = e.tokenize(&[text.as_str()]).unwrap();
    assert_eq!(ids[0].len(), 512);
    assert_eq!(e.embed(&[text]).unwrap()[0].len(), 384);
}

#[test]
fn a_damaged_model_file_is_refused_with_a_clear_error() {
    let store = backend().store().clone();
    let manifest = store.manifest(DEFAULT_MODEL).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let copy = ModelStore::new(tmp.path());
    let dir = copy.model_dir(DEFAULT_MODEL);
    std::fs::create_dir_all(&dir).unwrap();
    for f in &manifest.files {
        let from = store.model_dir(DEFAULT_MODEL).join(&f.name);
        if f.name == manifest.tokenizer {
            let mut bytes = std::fs::read(&from).unwrap();
            let last = bytes.len() - 2;
            bytes[last] ^= 0x01; // same size, different content
            std::fs::write(dir.join(&f.name), bytes).unwrap();
        } else {
            std::os::unix::fs::symlink(&from, dir.join(&f.name)).unwrap();
        }
    }
    std::fs::copy(store.model_dir(DEFAULT_MODEL).join("model.toml"), dir.join("model.toml")).unwrap();
    let err = Embedder::load(&copy, DEFAULT_MODEL, 1).unwrap_err();
    assert!(matches!(err, ModelStoreError::DigestMismatch { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("tokenizer.json") && msg.contains("sha256 mismatch"), "{msg}");
    assert!(msg.contains(&format!("vivier models install {DEFAULT_MODEL} --force")), "{msg}");
    // Through the `inference` interface, a damaged model is an internal error, not a panic.
    let backend = StoreBackend::with_threads(copy, 1);
    assert!(matches!(backend.embed(DEFAULT_MODEL, &["x".into()]), Err(vivier::inference::InferenceError::Internal(_))));
}

#[test]
fn installing_an_installed_model_is_immediate() {
    let store = backend().store().clone();
    let started = std::time::Instant::now();
    let outcome = install::install(&store, DEFAULT_MODEL, false).unwrap();
    assert!(matches!(outcome, install::InstallOutcome::AlreadyInstalled(_)));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let err = install::install(&store, "no-such-model", false).unwrap_err().to_string();
    assert!(err.contains("no model `no-such-model` in the catalogue"), "{err}");
}

// --- through a sandboxed component -------------------------------------------------------

fn probe_bundle(models: &[&str]) -> Bundle {
    let list = models.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ");
    let m = common::manifest("embed-probe", "skills-matcher", 64, 60_000, &format!("models = [{list}]"));
    Bundle::pack(m, common::component("hostile-embed-probe"), None).expect("bundle packs")
}

fn grants(models: &[&str], model_setting: &str) -> PluginGrants {
    let config: BTreeMap<String, String> = [("model".to_owned(), model_setting.to_owned())].into();
    PluginGrants {
        config: Arc::new(config),
        models: models.iter().map(|m| m.to_string()).collect::<Vec<_>>().into(),
        ..Default::default()
    }
}

fn runtime_with_models() -> Runtime {
    Runtime::new(RuntimeConfig::default()).unwrap().with_inference(backend())
}

fn posting() -> Posting {
    Posting {
        id: "p1".into(),
        title: "Gestionnaire paie et carrières".into(),
        description: String::new(),
        requirements: vec![],
    }
}

fn candidate(id: &str, headline: &str) -> Candidate {
    Candidate {
        id: id.into(),
        profile: Profile { headline: Some(headline.into()), ..Profile::default() },
        experience_months: None,
    }
}

#[test]
fn a_sandboxed_plugin_embeds_through_the_host() {
    let rt = runtime_with_models();
    let plugin = rt
        .load(&probe_bundle(&[DEFAULT_MODEL]), SignatureStatus::Unsigned, grants(&[DEFAULT_MODEL], DEFAULT_MODEL))
        .unwrap();
    let candidates = [
        candidate("snow", "Agent d'exploitation des routes, déneigement"),
        candidate("pay", "Responsable de la rémunération et de la gestion des carrières des agents"),
    ];
    let inv = rt.assess(&plugin, &posting(), &candidates);
    let assessments = inv.result.expect("call succeeds").expect("plugin succeeds");
    assert_eq!(assessments[1].candidate_id, "pay");
    assert!(assessments[1].score > assessments[0].score, "{assessments:?}");
    assert_eq!(assessments[0].summary, "dimension 384, 384 values");
    assert!(inv.report.inference_us > 0 && inv.report.inference_us <= inv.report.wall_us, "{:?}", inv.report);
    // The call report (and so the audit record) names the model that computed, with its files' digest.
    let used = &inv.report.models;
    assert_eq!(used.len(), 1, "{used:?}");
    assert_eq!((used[0].id.as_str(), used[0].texts), (DEFAULT_MODEL, 3), "the title and two headlines");
    assert_eq!(Some(used[0].digest.clone()), backend().fingerprint(DEFAULT_MODEL));
}

#[test]
fn a_plugin_without_the_model_grant_is_refused_the_model() {
    let rt = runtime_with_models();
    // The manifest names no model: the host refuses the call to `inference`.
    let plugin = rt.load(&probe_bundle(&[]), SignatureStatus::Unsigned, grants(&[], DEFAULT_MODEL)).unwrap();
    let inv = rt.assess(&plugin, &posting(), &[candidate("c", "Gestionnaire paie")]);
    match inv.result.expect("the call itself completes") {
        Err(MatchError::Internal(msg)) => assert!(msg.contains("ModelNotGranted"), "{msg}"),
        other => panic!("expected model-not-granted, got {other:?}"),
    }

    // Granted another model than the one it asks for: refused as well.
    let plugin = rt
        .load(&probe_bundle(&[DEFAULT_MODEL]), SignatureStatus::Unsigned, grants(&[DEFAULT_MODEL], "other-model"))
        .unwrap();
    let inv = rt.assess(&plugin, &posting(), &[candidate("c", "Gestionnaire paie")]);
    assert!(matches!(inv.result, Ok(Err(MatchError::Internal(ref m))) if m.contains("ModelNotGranted")));
}

#[test]
fn a_plugin_needing_an_absent_model_cannot_be_loaded() {
    let rt = runtime_with_models();
    let err = rt
        .load(&probe_bundle(&["no-such-model"]), SignatureStatus::Unsigned, grants(&["no-such-model"], "no-such-model"))
        .unwrap_err();
    assert!(matches!(err, LoadError::ModelMissing { .. }), "{err}");
    assert!(err.to_string().contains("vivier models install no-such-model"), "{err}");

    // A host without a model store refuses any plugin that needs a model.
    let bare = common::runtime();
    let err = bare
        .load(&probe_bundle(&[DEFAULT_MODEL]), SignatureStatus::Unsigned, grants(&[DEFAULT_MODEL], DEFAULT_MODEL))
        .unwrap_err();
    assert!(err.to_string().contains(&format!("`{DEFAULT_MODEL}`")), "{err}");
}

// --- models brought by an administrator ---------------------------------------------------

fn staging_left(store: &ModelStore) -> Vec<String> {
    std::fs::read_dir(store.root())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with(".staging"))
        .collect()
}

fn new_model(id: &str, from: &std::path::Path, dimension: u32) -> import::NewModel {
    import::NewModel {
        id: id.into(),
        onnx: from.join("model.onnx"),
        tokenizer: from.join("tokenizer.json"),
        dimension,
        pooling: vivier::models::Pooling::Mean,
        query_prefix: "query: ".into(),
        passage_prefix: "passage: ".into(),
        max_tokens: 512,
        licence: "MIT".into(),
        attribution: "intfloat/multilingual-e5-small, copied for a test".into(),
        description: String::new(),
    }
}

#[test]
fn a_model_folder_from_another_host_is_imported_with_its_digests_checked() {
    let source = backend().store().model_dir(DEFAULT_MODEL);
    let tmp = tempfile::tempdir().unwrap();
    let store = ModelStore::new(tmp.path().join("models"));
    let m = import::import(&store, &import::ImportSource::Folder(source.clone()), false).unwrap();
    assert_eq!(m.files, backend().store().manifest(DEFAULT_MODEL).unwrap().files);
    assert_eq!(m.source, backend().store().manifest(DEFAULT_MODEL).unwrap().source, "provenance kept");
    store.verify(DEFAULT_MODEL).unwrap();
    assert!(store.model_dir(DEFAULT_MODEL).join("LICENCE.txt").is_file());

    // A damaged copy (same size, one byte changed) is refused and the installed model stays.
    let usb = tmp.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    for name in ["model.toml", "model.onnx"] {
        std::os::unix::fs::symlink(source.join(name), usb.join(name)).unwrap();
    }
    let mut tokenizer = std::fs::read(source.join("tokenizer.json")).unwrap();
    let last = tokenizer.len() - 2;
    tokenizer[last] ^= 0x01;
    std::fs::write(usb.join("tokenizer.json"), tokenizer).unwrap();
    let err = import::import(&store, &import::ImportSource::Folder(usb), true).unwrap_err();
    assert!(matches!(err, ModelStoreError::DigestMismatch { .. }), "{err}");
    assert!(err.to_string().contains("tokenizer.json"), "{err}");
    store.verify(DEFAULT_MODEL).expect("the installed model is untouched");
    assert!(staging_left(&store).is_empty(), "{:?}", staging_left(&store));

    // Not a model folder: a clear error.
    let err = import::import(&store, &import::ImportSource::Folder(tmp.path().join("nowhere")), false).unwrap_err();
    assert!(err.to_string().contains("model.toml"), "{err}");
}

#[test]
fn new_model_files_are_checked_by_running_them_before_they_are_installed() {
    let source = backend().store().model_dir(DEFAULT_MODEL);
    let tmp = tempfile::tempdir().unwrap();
    let store = ModelStore::new(tmp.path().join("models"));

    // Declared with the wrong dimension: refused, nothing installed.
    let err = import::import(&store, &import::ImportSource::Files(new_model("e5-local", &source, 768)), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("dimension 768") && err.contains("384"), "{err}");
    assert!(matches!(store.manifest("e5-local"), Err(ModelStoreError::NotInstalled { .. })));
    assert!(staging_left(&store).is_empty());

    let m = import::import(&store, &import::ImportSource::Files(new_model("e5-local", &source, 384)), false).unwrap();
    assert_eq!(m.dimension, 384);
    assert_eq!(m.source.as_ref().unwrap().converter, "none");
    store.verify("e5-local").unwrap();

    // Installed already: replaced only with force; a broken replacement leaves the model in place.
    let again = import::import(&store, &import::ImportSource::Files(new_model("e5-local", &source, 384)), false);
    assert!(again.unwrap_err().to_string().contains("--force"));
    let mut broken = new_model("e5-local", &source, 384);
    broken.onnx = source.join("tokenizer.json");
    let err = import::import(&store, &import::ImportSource::Files(broken), true).unwrap_err();
    assert!(matches!(err, ModelStoreError::Load { .. }), "{err}");
    store.verify("e5-local").expect("still the model imported before");

    // A catalogue id keeps its meaning: only the pinned files may be imported under it.
    let mut other = new_model(DEFAULT_MODEL, &source, 384);
    other.onnx = source.join("tokenizer.json");
    let err = import::import(&store, &import::ImportSource::Files(other), false).unwrap_err().to_string();
    assert!(err.contains("catalogue model"), "{err}");
}

#[test]
fn a_model_granted_by_the_administrator_serves_a_plugin_that_asks_for_another() {
    let source = backend().store().model_dir(DEFAULT_MODEL);
    let tmp = tempfile::tempdir().unwrap();
    let store = ModelStore::new(tmp.path().join("models"));
    import::import(&store, &import::ImportSource::Files(new_model("e5-local", &source, 384)), false).unwrap();
    let rt = Runtime::new(RuntimeConfig::default())
        .unwrap()
        .with_inference(Arc::new(StoreBackend::with_threads(store.clone(), 1)));
    let bundle = probe_bundle(&[]);
    let data_dir = tmp.path().join("data");
    std::fs::create_dir_all(data_dir.join("grants")).unwrap();
    let grants_file = data_dir.join("grants").join("embed-probe.toml");

    // Without the administrator's grant the plugin may not use the model.
    std::fs::write(&grants_file, "[config]\nmodel = \"e5-local\"\n").unwrap();
    let granted =
        vivier::grants::AdminGrants::load(&data_dir, "embed-probe").unwrap().to_plugin_grants(&bundle.manifest);
    let plugin = rt.load(&bundle, SignatureStatus::Unsigned, granted.unwrap()).unwrap();
    let inv = rt.assess(&plugin, &posting(), &[candidate("c", "Gestionnaire paie")]);
    assert!(matches!(inv.result, Ok(Err(MatchError::Internal(ref m))) if m.contains("ModelNotGranted")));

    std::fs::write(&grants_file, "models = [\"e5-local\"]\n[config]\nmodel = \"e5-local\"\n").unwrap();
    let granted =
        vivier::grants::AdminGrants::load(&data_dir, "embed-probe").unwrap().to_plugin_grants(&bundle.manifest);
    let plugin = rt.load(&bundle, SignatureStatus::Unsigned, granted.unwrap()).unwrap();
    let candidates = [
        candidate("snow", "Agent d'exploitation des routes, déneigement"),
        candidate("pay", "Responsable de la rémunération et de la gestion des carrières des agents"),
    ];
    let inv = rt.assess(&plugin, &posting(), &candidates);
    assert_eq!(inv.report.models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["e5-local"]);
    let assessments = inv.result.unwrap().unwrap();
    assert_eq!(assessments[0].summary, "dimension 384, 384 values");
    assert!(assessments[1].score > assessments[0].score, "{assessments:?}");
}

#[test]
fn a_loaded_model_is_reported_by_the_files_it_was_loaded_from() {
    let source = backend().store().model_dir(DEFAULT_MODEL);
    let tmp = tempfile::tempdir().unwrap();
    let store = ModelStore::new(tmp.path());
    import::import(&store, &import::ImportSource::Files(new_model("e5-local", &source, 384)), false).unwrap();
    let backend = StoreBackend::with_threads(store.clone(), 1);
    let before_load = backend.fingerprint("e5-local").expect("an installed model has a fingerprint");
    backend.embed("e5-local", &["passage: paie".to_owned()]).unwrap();
    assert_eq!(backend.fingerprint("e5-local").as_ref(), Some(&before_load));

    // The files on disk change under a running host: it keeps serving the model it loaded, and
    // says so; a fresh backend reads the new files.
    let path = store.model_dir("e5-local").join("model.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let onnx_digest = &store.manifest("e5-local").unwrap().files[0].sha256;
    std::fs::write(&path, text.replace(onnx_digest.as_str(), &"0".repeat(64))).unwrap();
    assert_eq!(backend.fingerprint("e5-local").as_ref(), Some(&before_load));
    let fresh = StoreBackend::with_threads(store, 1).fingerprint("e5-local").unwrap();
    assert_ne!(fresh, before_load);
}
