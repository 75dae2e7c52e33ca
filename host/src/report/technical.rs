//! The technical file of one plugin: who made it, what it is for, what it may use, its digest
//! and signature, the evaluations run here (with their data), its bias-probe report, its limits.

use super::{date, md_escape, uses_ai_model, Context, ReportError};
use crate::bundle::SignatureStatus;
use crate::registry::PluginEntry;
use crate::store::monitoring::{self, EvalRow, ProbeRow};
use serde_json::{json, Value};

pub fn signature_text(s: &SignatureStatus) -> String {
    match s {
        SignatureStatus::Verified { key } => format!("signé, signature vérifiée (clé {key})"),
        SignatureStatus::NotChecked => "signé, signature non vérifiée (aucune clé de confiance configurée)".into(),
        SignatureStatus::Unsigned => "non signé (accepté car aucune clé de confiance n'est configurée)".into(),
        SignatureStatus::Builtin => "fourni avec Vivier (binaire de l'hôte)".into(),
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

pub fn eval_json(e: &EvalRow) -> Value {
    json!({ "id": e.id, "kind": e.kind, "plugin": format!("{}@{}", e.plugin_id, e.plugin_version), "plugin_digest": e.plugin_digest,
            "dataset": e.dataset, "dataset_digest": e.dataset_digest, "metrics": parse(&e.metrics_json), "date": date(e.created_at) })
}

pub fn probe_json(p: &ProbeRow) -> Value {
    json!({ "plugin": format!("{}@{}", p.plugin_id, p.plugin_version), "plugin_digest": p.plugin_digest,
            "passed": p.passed, "report": parse(&p.report_json), "date": date(p.created_at) })
}

pub fn plugin_json(entry: &PluginEntry) -> Value {
    let m = &entry.bundle.manifest;
    json!({
        "id": m.plugin.id, "name": m.plugin.name, "version": m.plugin.version, "vendor": m.plugin.vendor,
        "slot": m.plugin.world, "wit_version": m.plugin.wit_version, "description": m.plugin.description,
        "digest": entry.bundle.digest, "signature": signature_text(&entry.signature),
        "uses_ai_model": uses_ai_model(entry),
        "capabilities": m.capabilities, "transparency": m.transparency,
    })
}

pub async fn data(ctx: &Context<'_>, spec: &str) -> Result<Value, ReportError> {
    let entry = ctx.registry.find(spec)?;
    let pool = ctx.store.pool();
    let evals: Vec<Value> = monitoring::eval_runs(pool, entry.id()).await?.iter().map(eval_json).collect();
    let probes: Vec<Value> = monitoring::probes(pool, entry.id()).await?.iter().map(probe_json).collect();
    Ok(json!({ "kind": "technical-file", "plugin": plugin_json(&entry), "evaluations": evals, "bias_probes": probes }))
}

/// A metrics object as `clé = valeur` pairs (the evaluation's own names).
pub fn metrics_text(m: &Value) -> String {
    match m.as_object() {
        Some(o) if !o.is_empty() => o
            .iter()
            .map(|(k, v)| match v {
                Value::Number(n) => format!("{k} = {n}"),
                Value::String(s) => format!("{k} = {s}"),
                other => format!("{k} = {other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => "aucune mesure lisible".into(),
    }
}

/// The probe's per-signal lines, when its report has a `signals` array.
pub fn probe_lines(report: &Value) -> Vec<String> {
    report["signals"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            let name = s["signal"].as_str().or(s["name"].as_str()).unwrap_or("signal");
            let rest = s
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(k, _)| k.as_str() != "signal" && k.as_str() != "name")
                        .filter(|(_, v)| !v.is_object() && !v.is_array())
                        .map(|(k, v)| {
                            format!("{k} = {}", v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            format!("{} : {rest}", md_escape(name))
        })
        .collect()
}

pub fn markdown(data: &Value) -> String {
    let p = &data["plugin"];
    let t = &p["transparency"];
    let c = &p["capabilities"];
    let s = |v: &Value| md_escape(v.as_str().unwrap_or(""));
    let mut out = format!("# Dossier technique du module `{}` {}\n\n", s(&p["id"]), s(&p["version"]));
    out.push_str("## Identification\n\n");
    out.push_str(&format!(
        "- Nom : {}\n- Éditeur : {}\n- Emplacement (contrat WIT) : {} (vivier:hr@{})\n- Description : {}\n",
        s(&p["name"]),
        s(&p["vendor"]),
        s(&p["slot"]),
        s(&p["wit_version"]),
        s(&p["description"])
    ));
    out.push_str(&format!(
        "- Empreinte SHA-256 du composant : `{}`\n- Signature : {}\n",
        s(&p["digest"]),
        s(&p["signature"])
    ));
    out.push_str(&format!(
        "- Type : {}\n\n",
        if p["uses_ai_model"] == true { "IA (utilise un modèle)" } else { "sans modèle d'IA (règles)" }
    ));
    out.push_str("## Informations de transparence déclarées par le fournisseur (AI Act art. 13)\n\n");
    out.push_str(&format!(
        "- Fournisseur : {} ({})\n- Finalité prévue : {}\n- Contrôle humain : {}\n",
        s(&t["provider"]),
        s(&t["contact"]),
        s(&t["intended-purpose"]),
        s(&t["human-oversight"])
    ));
    let accuracy = t["accuracy"].as_array().cloned().unwrap_or_default();
    if accuracy.is_empty() {
        out.push_str("- Performances déclarées : aucune\n");
    }
    for a in accuracy {
        out.push_str(&format!(
            "- Performance déclarée : {} = {} (jeu de données : {})\n",
            s(&a["metric"]),
            s(&a["value"]),
            s(&a["dataset"])
        ));
    }
    out.push_str("\n## Moyens accordés et limites\n\n");
    out.push_str(&format!(
        "- Mémoire maximale par appel : {} Mio ; durée maximale : {} ms\n",
        c["memory-mib"], c["timeout-ms"]
    ));
    let hosts: Vec<String> =
        c["outbound-hosts"].as_array().into_iter().flatten().filter_map(|h| h.as_str().map(md_escape)).collect();
    out.push_str(&format!(
        "- Accès réseau demandé : {}\n",
        if hosts.is_empty() {
            "aucun".into()
        } else {
            format!("{} (seulement si un administrateur l'accorde)", hosts.join(", "))
        }
    ));
    let models: Vec<String> =
        c["models"].as_array().into_iter().flatten().filter_map(|h| h.as_str().map(md_escape)).collect();
    out.push_str(&format!(
        "- Modèles de l'hôte utilisés : {}\n",
        if models.is_empty() { "aucun".into() } else { models.join(", ") }
    ));
    out.push_str("- Bac à sable : ni fichiers, ni variables d'environnement, ni réseau sauf accord ; chaque appel est journalisé (journal chaîné par empreintes)\n");
    for l in t["limitations"].as_array().into_iter().flatten() {
        out.push_str(&format!("- Limite déclarée : {}\n", s(l)));
    }
    out.push_str("\n## Évaluations réalisées sur les données du Département\n\n");
    let evals = data["evaluations"].as_array().cloned().unwrap_or_default();
    if evals.is_empty() {
        out.push_str(
            "Aucune évaluation enregistrée (`vivier eval ...`) : performances **non démontrées** localement.\n",
        );
    }
    for e in &evals {
        out.push_str(&format!(
            "- {} — évaluation `{}` de {} sur « {} » (empreinte `{}`) : {}\n",
            s(&e["date"]),
            s(&e["kind"]),
            s(&e["plugin"]),
            s(&e["dataset"]),
            s(&e["dataset_digest"]),
            metrics_text(&e["metrics"])
        ));
    }
    out.push_str("\n## Test de biais par paires (sonde contrefactuelle)\n\n");
    let probes = data["bias_probes"].as_array().cloned().unwrap_or_default();
    if probes.is_empty() {
        out.push_str("Aucun rapport de sonde enregistré (`vivier probe bias`) : absence de biais **non démontrée**.\n");
    }
    for pr in &probes {
        out.push_str(&format!(
            "- {} — {} (empreinte `{}`) : {}\n",
            s(&pr["date"]),
            s(&pr["plugin"]),
            s(&pr["plugin_digest"]),
            if pr["passed"] == true {
                "écarts dans la tolérance configurée"
            } else {
                "écarts au-delà de la tolérance : activation soumise à justification écrite"
            }
        ));
        for line in probe_lines(&pr["report"]) {
            out.push_str(&format!("  - {line}\n"));
        }
    }
    out
}
