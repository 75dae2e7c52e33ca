//! Host inference benchmark (tract): model load time, 1×20, 1×256, 32×20 and 32×256 tokens,
//! peak RSS. Prints one JSON line. `scripts/bench-inference.sh` runs it next to onnxruntime on
//! the same model file and the same token ids (written with `--ids-out`).
//!
//!     cargo bench -p vivier --bench inference -- [--threads N] [--model-dir DIR] [--onnx FILE] [--ids-out FILE]

use std::path::PathBuf;
use std::time::Instant;
use vivier::models::{install, Embedder, ModelStore, DEFAULT_MODEL};

/// A long French text: real tokens to cut windows of exact lengths from.
const CORPUS: &str = "Le département recrute un gestionnaire paie et carrières pour sa direction des ressources \
humaines. Placé sous l'autorité du chef de service, vous assurez la gestion administrative des agents \
titulaires et contractuels : préparation et contrôle de la paie, suivi des absences, avancements d'échelon \
et de grade, promotions internes, positions statutaires et départs à la retraite. Vous conseillez les agents \
et les encadrants sur leurs droits et obligations, rédigez les actes administratifs (arrêtés, contrats, \
certificats) et participez à la fiabilisation des données du système d'information des ressources humaines. \
Vous contribuez à la préparation du budget de la masse salariale et aux déclarations sociales nominatives. \
Profil recherché : connaissance du statut de la fonction publique territoriale, maîtrise des règles de \
rémunération, rigueur, discrétion et sens du service public. Une expérience sur un poste similaire est \
souhaitée. Le service d'exploitation des routes recrute également des agents pour la viabilité hivernale : \
déneigement, salage, surveillance du réseau routier départemental, entretien des dépendances vertes et \
signalisation temporaire de chantier. Permis C apprécié, astreintes en période hivernale.";

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn rss_peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// `n` texts of exactly `len` tokens: `<s>`, a window of the corpus, `</s>`.
fn windows(stream: &[u32], bos: u32, eos: u32, n: usize, len: usize) -> Vec<Vec<u32>> {
    (0..n)
        .map(|i| {
            let start = (i * 7) % (stream.len() - len);
            let mut ids = vec![bos];
            ids.extend_from_slice(&stream[start..start + len - 2]);
            ids.push(eos);
            ids
        })
        .collect()
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

fn main() {
    let threads: usize = arg("--threads").and_then(|t| t.parse().ok()).unwrap_or(1);
    let store =
        ModelStore::new(arg("--model-dir").map(PathBuf::from).unwrap_or_else(vivier::models::store::default_dir));
    let mut manifest = install::ensure(&store, DEFAULT_MODEL).expect("installing the default model");
    if let Some(onnx) = arg("--onnx") {
        manifest.onnx = onnx; // another graph of the same model (e.g. fp32), same tokenizer
    }
    let dir = store.model_dir(DEFAULT_MODEL);
    let rss_before = rss_peak_mib();
    let t = Instant::now();
    let embedder = Embedder::load_files(&dir, manifest.clone(), threads).expect("model loads");
    let load_s = t.elapsed().as_secs_f64();

    let stream = embedder.tokenize(&[CORPUS.repeat(3)]).unwrap().remove(0);
    let (bos, eos) = (stream[0], *stream.last().unwrap());
    let stream = &stream[1..stream.len() - 1];
    let s20 = windows(stream, bos, eos, 32, 20);
    let s256 = windows(stream, bos, eos, 32, 256);
    if let Some(path) = arg("--ids-out") {
        let json = serde_json::json!({ "short": s20, "long": s256 });
        std::fs::write(&path, json.to_string()).expect("writing token ids");
    }

    let one20 = median_ms(9, || drop(embedder.embed_ids(&s20[..1]).unwrap()));
    let one256 = median_ms(5, || drop(embedder.embed_ids(&s256[..1]).unwrap()));
    let b20 = median_ms(5, || drop(embedder.embed_ids(&s20).unwrap()));
    let b256 = median_ms(3, || drop(embedder.embed_ids(&s256).unwrap()));
    let vectors = embedder.embed_ids(&s20[..4]).unwrap();
    if let Some(path) = arg("--vectors-out") {
        std::fs::write(&path, serde_json::to_string(&vectors).unwrap()).expect("writing vectors");
    }
    let report = serde_json::json!({
        "engine": "tract", "model": manifest.onnx, "threads": threads,
        "load_s": (load_s * 100.0).round() / 100.0,
        "ms_1x20": (one20 * 10.0).round() / 10.0, "ms_1x256": (one256 * 10.0).round() / 10.0,
        "ms_32x20": (b20 * 10.0).round() / 10.0, "ms_32x256": (b256 * 10.0).round() / 10.0,
        "peak_rss_mib": rss_peak_mib().round(), "rss_before_load_mib": rss_before.round(),
    });
    println!("{report}");
}
