//! Sobriety: CPU time per call and an energy estimate per plugin and month, from the audit log's
//! call records, AI plugins next to the rule-based ones of the same slot (the non-AI baseline).
//!
//! Energy model (an order of magnitude, not a measurement): energy = CPU seconds × watts per
//! core ÷ 3600, in Wh. CPU seconds are the calling thread's CPU time plus, for calls that used
//! host inference, the inference time multiplied by the number of inference threads (every
//! thread assumed busy: an upper bound). Idle power, memory, storage, network and the
//! manufacture of the hardware are left out.

use super::{md_escape, month, uses_ai_model, Context, ReportError, Window};
use crate::store::monitoring;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A server core under load: a 2020s two-socket server draws about 150-250 W for 16-32 cores.
pub const DEFAULT_WATTS_PER_CORE: f64 = 10.0;

#[derive(Default)]
struct Acc {
    calls: u64,
    errors: u64,
    cpu_us: u64,
    inference_us: u64,
    wall_us: u64,
    slot: String,
}

pub async fn data(ctx: &Context<'_>, window: &Window, watts: f64) -> Result<Value, ReportError> {
    let threads = crate::models::embedder::default_threads() as u64;
    let rows = monitoring::plugin_calls(ctx.store.pool(), window.from, window.to).await?;
    let mut acc: BTreeMap<(String, String), Acc> = BTreeMap::new();
    let mut unreadable = 0;
    for (at, payload) in rows {
        let Ok(p) = serde_json::from_str::<Value>(&payload) else {
            unreadable += 1;
            continue;
        };
        let (Some(id), Some(version)) = (p["plugin"]["id"].as_str(), p["plugin"]["version"].as_str()) else {
            unreadable += 1;
            continue;
        };
        let a = acc.entry((format!("{id}@{version}"), month(at))).or_default();
        a.slot = p["slot"].as_str().unwrap_or("").to_owned();
        a.calls += 1;
        a.errors += u64::from(p["outcome"].as_str().is_some_and(|o| o != "ok"));
        a.cpu_us += p["cpu_us"].as_u64().unwrap_or(0);
        a.inference_us += p["inference_us"].as_u64().unwrap_or(0);
        a.wall_us += p["wall_us"].as_u64().unwrap_or(0);
    }
    let mut lines = Vec::new();
    for ((plugin, month), a) in &acc {
        let ai = ctx.registry.find(plugin).map(|e| uses_ai_model(&e)).ok();
        let cpu_s = (a.cpu_us + a.inference_us * threads) as f64 / 1e6;
        let wh = cpu_s * watts / 3600.0;
        lines.push(json!({
            "plugin": plugin, "slot": a.slot, "month": month,
            "uses_ai_model": ai,
            "calls": a.calls, "errors": a.errors,
            "cpu_ms_per_call": a.cpu_us as f64 / 1e3 / a.calls as f64,
            "inference_ms_per_call": a.inference_us as f64 / 1e3 / a.calls as f64,
            "wall_ms_per_call": a.wall_us as f64 / 1e3 / a.calls as f64,
            "estimated_cpu_seconds": cpu_s,
            "energy_wh": wh,
            "energy_mwh_per_call": wh * 1e3 / a.calls as f64,
        }));
    }
    Ok(json!({
        "kind": "sobriety",
        "window": window.to_json(),
        "watts_per_core": watts,
        "inference_threads": threads,
        "model": "énergie (Wh) = (temps CPU du fil d'appel + temps d'inférence × nombre de fils d'inférence) × watts par cœur ÷ 3600",
        "lines": lines,
        "unreadable_records": unreadable,
    }))
}

fn fr(v: &Value, digits: usize) -> String {
    v.as_f64().map_or("—".into(), |f| format!("{f:.digits$}").replace('.', ","))
}

pub fn markdown(data: &Value) -> String {
    let mut out = String::from("# Sobriété énergétique des modules\n\n");
    out.push_str(&format!(
        "Période : {}. Source : les enregistrements d'appel du journal d'audit (un par appel de module).\n\n",
        data["window"]["label"].as_str().unwrap_or("")
    ));
    out.push_str(&format!(
        "Modèle d'estimation : {} ; {} W par cœur, {} fil(s) d'inférence. C'est un ordre de grandeur, majorant pour \
l'inférence, qui ne compte ni la consommation au repos du serveur, ni la mémoire, le stockage, le réseau, ni la \
fabrication du matériel. Valeur par défaut : {DEFAULT_WATTS_PER_CORE} W par cœur (serveur de 150 à 250 W pour 16 à 32 cœurs) ; \
à remplacer par la mesure du serveur réel (`--watts-per-core`).\n\n",
        data["model"].as_str().unwrap_or(""),
        fr(&data["watts_per_core"], 1),
        data["inference_threads"]
    ));
    let lines = data["lines"].as_array().cloned().unwrap_or_default();
    if lines.is_empty() {
        out.push_str("Aucun appel de module enregistré sur la période.\n");
        return out;
    }
    let mut slots: Vec<&str> = lines.iter().filter_map(|l| l["slot"].as_str()).collect();
    slots.sort();
    slots.dedup();
    for slot in slots {
        out.push_str(&format!("## Emplacement {slot}\n\n"));
        out.push_str("| Mois | Module | Type | Appels | Erreurs | CPU par appel (ms) | Inférence par appel (ms) | Énergie par appel (mWh) | Énergie du mois (Wh) |\n|---|---|---|---|---|---|---|---|---|\n");
        for l in lines.iter().filter(|l| l["slot"] == slot) {
            let kind = match l["uses_ai_model"].as_bool() {
                Some(true) => "IA (modèle)",
                Some(false) => "sans IA (règles)",
                None => "inconnu (module désinstallé)",
            };
            out.push_str(&format!(
                "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
                l["month"].as_str().unwrap_or(""),
                md_escape(l["plugin"].as_str().unwrap_or("")),
                kind,
                l["calls"],
                l["errors"],
                fr(&l["cpu_ms_per_call"], 2),
                fr(&l["inference_ms_per_call"], 2),
                fr(&l["energy_mwh_per_call"], 4),
                fr(&l["energy_wh"], 4),
            ));
        }
        out.push('\n');
    }
    out
}
