//! The "boussole" sheet of one plugin: the seven criteria of the local doctrine on AI, each with
//! the evidence this host has measured or recorded, or "non démontré". Nothing is inferred from
//! what a vendor merely claims, except under transparency, where the claim is the evidence.

use super::technical::{metrics_text, plugin_json, signature_text};
use super::{date, md_escape, sobriety, uses_ai_model, Context, ReportError, Window};
use crate::audit::Audit;
use crate::store::{monitoring, now_ms};
use crate::world::World;
use serde_json::{json, Value};

const NOT_EVIDENCED: &str = "non démontré";
const EVIDENCED: &str = "élément mesuré";

fn criterion(id: &str, title: &str, evidence: Vec<String>, shown: bool, missing: &str) -> Value {
    json!({ "id": id, "title": title, "status": if shown { EVIDENCED } else { NOT_EVIDENCED },
            "evidence": evidence, "missing": if shown { Value::Null } else { missing.into() } })
}

pub async fn data(ctx: &Context<'_>, spec: &str) -> Result<Value, ReportError> {
    let entry = ctx.registry.find(spec)?;
    let pool = ctx.store.pool();
    let m = &entry.bundle.manifest;
    let ai = uses_ai_model(&entry);
    let mut criteria = Vec::new();

    // 1. No sensitive data.
    let probes = monitoring::probes(pool, entry.id()).await?;
    let probe = probes.iter().find(|p| p.plugin_digest == entry.bundle.digest);
    let mut ev = Vec::new();
    if entry.world() == World::SkillsMatcher {
        ev.push("le contrat skills-matcher ne comporte aucun champ d'identité (nom, courriel, date de naissance) : le module ne reçoit qu'un identifiant opaque et un parcours".to_owned());
    }
    let probe_ok = probe.is_some_and(|p| p.passed);
    if let Some(p) = probe {
        ev.push(format!(
            "sonde contrefactuelle du {} sur cette empreinte : {}",
            date(p.created_at),
            if p.passed { "écarts dans la tolérance" } else { "écarts hors tolérance" }
        ));
    }
    criterion_push(
        &mut criteria,
        criterion(
            "sensitive_data",
            "Absence de données sensibles",
            ev,
            probe_ok,
            "aucune sonde de biais passée pour cette version (`vivier probe bias --plugin ID`)",
        ),
    );

    // 2. Legal and security compliance.
    let verification = Audit::new(ctx.store.clone()).verify().await?;
    let caps = &m.capabilities;
    let ev = vec![
        format!("signature : {}", signature_text(&entry.signature)),
        format!(
            "bac à sable : {} Mio, {} ms par appel ; réseau : {}",
            caps.memory_mib,
            caps.timeout_ms,
            if caps.outbound_hosts.is_empty() {
                "aucun".to_owned()
            } else {
                format!("{} (sur accord de l'administrateur)", caps.outbound_hosts.join(", "))
            }
        ),
        format!(
            "journal d'audit : {} ligne(s), chaîne {}",
            verification.rows,
            if verification.valid { "intacte" } else { "ROMPUE" }
        ),
    ];
    criterion_push(
        &mut criteria,
        criterion(
            "compliance",
            "Conformité légale et sécurité",
            ev,
            verification.valid,
            "la chaîne du journal d'audit est rompue",
        ),
    );
    let legal_note = "la conformité juridique (AIPD, analyse d'impact sur les droits fondamentaux validées) reste à établir par le DPO";

    // 3. Service improvement: evaluations on the department's data.
    let evals = monitoring::eval_runs(pool, entry.id()).await?;
    let ev: Vec<String> = evals
        .iter()
        .map(|e| {
            format!(
                "{} : évaluation `{}` sur « {} » : {}",
                date(e.created_at),
                e.kind,
                e.dataset,
                metrics_text(&serde_json::from_str(&e.metrics_json).unwrap_or(Value::Null))
            )
        })
        .collect();
    let shown = !ev.is_empty();
    criterion_push(
        &mut criteria,
        criterion(
            "service",
            "Amélioration du service rendu",
            ev,
            shown,
            "aucune évaluation sur des données étiquetées du Département (`vivier eval ...`)",
        ),
    );

    // 4. Agents' working conditions: nothing here measures them.
    criterion_push(&mut criteria, criterion("working_conditions", "Conditions de travail des agents", vec![], false,
        "aucune mesure du temps de traitement ni de l'avis des agents ; à recueillir (consultation du comité social territorial)"));

    // 5. Energy sobriety, from the audit log's call records, next to the rule-based plugins.
    let window = Window { from: 0, to: now_ms() + 1 };
    let sob = sobriety::data(ctx, &window, sobriety::DEFAULT_WATTS_PER_CORE).await?;
    let slot = entry.world().name();
    let me = format!("{}@{}", entry.id(), entry.version());
    let mut ev = Vec::new();
    let summary = |plugin: &str| -> Option<(u64, f64, f64)> {
        let lines: Vec<&Value> = sob["lines"].as_array()?.iter().filter(|l| l["plugin"] == plugin).collect();
        let calls: u64 = lines.iter().filter_map(|l| l["calls"].as_u64()).sum();
        if calls == 0 {
            return None;
        }
        let cpu: f64 = lines
            .iter()
            .map(|l| l["cpu_ms_per_call"].as_f64().unwrap_or(0.0) * l["calls"].as_f64().unwrap_or(0.0))
            .sum();
        let wh: f64 = lines.iter().filter_map(|l| l["energy_wh"].as_f64()).sum();
        Some((calls, cpu / calls as f64, wh * 1e3 / calls as f64))
    };
    let mine = summary(&me);
    if let Some((calls, cpu, mwh)) = mine {
        ev.push(
            format!(
                "{calls} appel(s) journalisé(s) : {cpu:.2} ms de CPU et {mwh:.4} mWh estimés par appel ({} W par cœur)",
                sobriety::DEFAULT_WATTS_PER_CORE
            )
            .replace('.', ","),
        );
    }
    for other in sob["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["slot"] == slot && l["uses_ai_model"] == false && l["plugin"] != me.as_str())
    {
        let p = other["plugin"].as_str().unwrap_or("");
        if ev.iter().any(|e| e.contains(p)) {
            continue;
        }
        if let Some((calls, cpu, mwh)) = summary(p) {
            ev.push(
                format!("référence sans IA `{p}` : {calls} appel(s), {cpu:.2} ms de CPU et {mwh:.4} mWh par appel")
                    .replace('.', ","),
            );
        }
    }
    criterion_push(
        &mut criteria,
        criterion("sobriety", "Sobriété énergétique", ev, mine.is_some(), "aucun appel journalisé pour cette version"),
    );

    // 6. Transparency: the vendor's art. 13 facts and the host's explanation and register.
    let t = &m.transparency;
    let ev = vec![
        format!("fournisseur : {} ({})", t.provider, t.contact),
        format!("finalité prévue déclarée ; {} limite(s) déclarée(s) ; {} mesure(s) de performance déclarée(s)", t.limitations.len(), t.accuracy.len()),
        "explication au candidat (`/v1/candidates/{id}/explanation`), registre public des algorithmes (`/register`), journal d'audit".to_owned(),
    ];
    criterion_push(&mut criteria, criterion("transparency", "Transparence et redevabilité", ev, true, ""));

    // 7. Benefit versus doing without AI: same dataset, a rule-based plugin of the same slot.
    let mut ev = Vec::new();
    let mut compared = false;
    if !ai {
        ev.push("module sans modèle d'IA : il sert lui-même d'alternative de référence".to_owned());
        compared = true;
    } else {
        for e in &evals {
            for other in monitoring::eval_runs_on(pool, &e.dataset_digest).await? {
                if other.plugin_id == entry.id() || other.kind != e.kind {
                    continue;
                }
                let baseline = ctx
                    .registry
                    .find(&format!("{}@{}", other.plugin_id, other.plugin_version))
                    .or_else(|_| ctx.registry.find(&other.plugin_id));
                if baseline.is_ok_and(|b| !uses_ai_model(&b)) {
                    compared = true;
                    ev.push(format!(
                        "sur « {} » : ce module {} ; sans IA `{}@{}` {}",
                        e.dataset,
                        metrics_text(&serde_json::from_str(&e.metrics_json).unwrap_or(Value::Null)),
                        other.plugin_id,
                        other.plugin_version,
                        metrics_text(&serde_json::from_str(&other.metrics_json).unwrap_or(Value::Null))
                    ));
                }
            }
        }
    }
    criterion_push(&mut criteria, criterion("benefit", "Bénéfice par rapport à une solution sans IA", ev, compared,
        "aucune évaluation comparée à la référence sans IA sur les mêmes données (`vivier eval rank --plugin A --plugin vivier-matcher-lexical`)"));

    Ok(json!({ "kind": "boussole", "plugin": plugin_json(&entry), "criteria": criteria, "note": legal_note }))
}

fn criterion_push(list: &mut Vec<Value>, c: Value) {
    list.push(c);
}

pub fn markdown(data: &Value) -> String {
    let p = &data["plugin"];
    let s = |v: &Value| md_escape(v.as_str().unwrap_or(""));
    let mut out = format!("# Boussole de l'IA — module `{}` {}\n\n", s(&p["id"]), s(&p["version"]));
    out.push_str(&format!(
        "{} ({}), emplacement {}, empreinte `{}`.\n\n",
        s(&p["name"]),
        s(&p["vendor"]),
        s(&p["slot"]),
        s(&p["digest"])
    ));
    out.push_str("Pour chaque critère de la doctrine locale : les éléments que Vivier a mesurés ou enregistrés, ou « non démontré ».\n\n");
    for (i, c) in data["criteria"].as_array().into_iter().flatten().enumerate() {
        out.push_str(&format!("## {}. {} — {}\n\n", i + 1, s(&c["title"]), s(&c["status"])));
        for e in c["evidence"].as_array().into_iter().flatten() {
            out.push_str(&format!("- {}\n", s(e)));
        }
        if let Some(m) = c["missing"].as_str() {
            out.push_str(&format!("- Manque : {}\n", md_escape(m)));
        }
        out.push('\n');
    }
    out.push_str(&format!("Note : {}.\n", s(&data["note"])));
    out
}
