//! The fairness monitoring report: per slot and plugin version, selection rates by declared
//! group at each stage (the matcher's top k, the human shortlist, the hire), with exact
//! intervals, the ratio to a reference group, and a test pooled across postings.
//!
//! The report never concludes that a plugin treats groups alike: with a département's volumes
//! the honest outcome is most often "données insuffisantes". Groups under [`MIN_CELL`] are
//! suppressed; comparisons with a group under [`MIN_VERDICT`] get that verdict.

use super::stats::{self, Table};
use super::{md_escape, ratio_text, ReportError, Window};
use crate::store::monitoring::{self, DecisionFact, RankedRow};
use crate::store::Store;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Groups with fewer people are not shown (re-identification, noise).
pub const MIN_CELL: u64 = 10;
/// Comparisons with fewer people in a group say "données insuffisantes" whatever the figures.
pub const MIN_VERDICT: u64 = 30;
pub const DEFAULT_TOP_K: u32 = 5;
const LEVEL: f64 = 0.95;
const ALPHA: f64 = 0.05;

pub const GENDERS: [&str; 4] = ["female", "male", "other", "undisclosed"];
pub const AGE_BANDS: [&str; 4] = ["under_30", "30_44", "45_54", "55_plus"];

/// (dimension, reference group, focal groups compared with it).
const COMPARISONS: [(&str, &str, &[&str]); 2] =
    [("gender", "male", &["female"]), ("age_band", "30_44", &["under_30", "45_54", "55_plus"])];

const STAGES: [(&str, &str); 3] = [
    ("ai_top_k", "Proposé·e dans les k premiers par le module"),
    ("shortlist", "Présélectionné·e par un agent (présélection, entretien ou recrutement)"),
    ("hire", "Recruté·e"),
];

fn group_label(g: &str) -> &str {
    match g {
        "female" => "femmes",
        "male" => "hommes",
        "other" => "autre",
        "undisclosed" => "ne souhaite pas répondre",
        "under_30" => "moins de 30 ans",
        "30_44" => "30 à 44 ans",
        "45_54" => "45 à 54 ans",
        "55_plus" => "55 ans et plus",
        "unknown" => "non renseigné",
        other => other,
    }
}

/// One person at one posting, as counted at each stage.
#[derive(Debug, Clone)]
struct Unit {
    posting: String,
    gender: String,
    age_band: String,
    /// None for the AI stage when no matcher ranked this person (human-only track).
    ai_top_k: Option<bool>,
    shortlist: bool,
    hire: bool,
}

impl Unit {
    fn group(&self, dimension: &str) -> &str {
        if dimension == "gender" {
            &self.gender
        } else {
            &self.age_band
        }
    }

    fn selected(&self, stage: &str) -> Option<bool> {
        match stage {
            "ai_top_k" => self.ai_top_k,
            "shortlist" => Some(self.shortlist),
            _ => Some(self.hire),
        }
    }
}

fn human_outcomes(decisions: &[DecisionFact]) -> HashMap<(String, String), (bool, bool)> {
    let mut out: HashMap<(String, String), (bool, bool)> = HashMap::new();
    for d in decisions {
        let Some(posting) = &d.posting_id else { continue };
        let e = out.entry((d.candidate_id.clone(), posting.clone())).or_default();
        e.0 |= matches!(d.decision.as_str(), "shortlisted" | "interview" | "hired");
        e.1 |= d.decision == "hired";
    }
    out
}

fn declared(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "unknown".into())
}

/// Per plugin version (`id@version`, or None for people no matcher ranked), the units to count.
fn units(
    ranked: &[RankedRow],
    decisions: &[DecisionFact],
    window: &Window,
    top_k: u32,
) -> BTreeMap<Option<String>, Vec<Unit>> {
    let outcomes = human_outcomes(decisions);
    // The latest ranking of a person for a posting by a version is the one the recruiter saw last.
    let mut latest: BTreeMap<(String, String, String), &RankedRow> = BTreeMap::new();
    for r in ranked {
        latest
            .insert((format!("{}@{}", r.plugin_id, r.plugin_version), r.posting_id.clone(), r.candidate_id.clone()), r);
    }
    let mut by_version: BTreeMap<Option<String>, Vec<Unit>> = BTreeMap::new();
    let mut ranked_pairs = BTreeSet::new();
    for ((version, posting, candidate), r) in &latest {
        ranked_pairs.insert((candidate.clone(), posting.clone()));
        let (shortlist, hire) = outcomes.get(&(candidate.clone(), posting.clone())).copied().unwrap_or_default();
        by_version.entry(Some(version.clone())).or_default().push(Unit {
            posting: posting.clone(),
            gender: declared(&r.gender),
            age_band: declared(&r.age_band),
            ai_top_k: Some(r.rank <= i64::from(top_k)),
            shortlist,
            hire,
        });
    }
    // Decisions about people no matcher ranked for that posting: the human-only track.
    let mut seen = BTreeSet::new();
    for d in decisions {
        let Some(posting) = &d.posting_id else { continue };
        let key = (d.candidate_id.clone(), posting.clone());
        if d.created_at < window.from
            || d.created_at >= window.to
            || ranked_pairs.contains(&key)
            || !seen.insert(key.clone())
        {
            continue;
        }
        let (shortlist, hire) = outcomes[&key];
        by_version.entry(None).or_default().push(Unit {
            posting: posting.clone(),
            gender: declared(&d.gender),
            age_band: declared(&d.age_band),
            ai_top_k: None,
            shortlist,
            hire,
        });
    }
    by_version
}

fn count(units: &[&Unit], dimension: &str, group: &str, stage: &str) -> (u64, u64) {
    let mut n = 0;
    let mut x = 0;
    for u in units.iter().filter(|u| u.group(dimension) == group) {
        if let Some(s) = u.selected(stage) {
            n += 1;
            x += u64::from(s);
        }
    }
    (n, x)
}

fn group_row(group: &str, n: u64, x: u64) -> Value {
    if n < MIN_CELL {
        return json!({ "group": group, "label": group_label(group), "suppressed": true, "n": Value::Null, "selected": Value::Null, "rate": Value::Null });
    }
    let (lo, hi) = stats::clopper_pearson(x, n, LEVEL).expect("n > 0");
    json!({ "group": group, "label": group_label(group), "suppressed": false, "n": n, "selected": x,
            "rate": x as f64 / n as f64, "rate_ci95": [lo, hi] })
}

fn finite(v: f64) -> Value {
    if v.is_finite() {
        json!(v)
    } else {
        Value::Null
    }
}

fn ratio_json(r: &stats::Ratio) -> Value {
    json!({ "estimate": finite(r.estimate), "ci95": [finite(r.lower), finite(r.upper)] })
}

fn comparison(units: &[&Unit], dimension: &str, reference: &str, focal: &str, stage: &str) -> Value {
    let (n1, x1) = count(units, dimension, focal, stage);
    let (n2, x2) = count(units, dimension, reference, stage);
    let base = json!({ "focal": focal, "reference": reference, "focal_label": group_label(focal), "reference_label": group_label(reference) });
    let mut v = base;
    if n1 < MIN_CELL || n2 < MIN_CELL {
        v["verdict"] = "insufficient_data".into();
        v["reason"] = format!("un des deux groupes compte moins de {MIN_CELL} personnes (chiffres masqués)").into();
        return v;
    }
    let ratio = stats::rate_ratio(x1, n1, x2, n2, LEVEL);
    let fisher = stats::fisher([x1, n1 - x1, x2, n2 - x2], LEVEL);
    // Pooled across postings: one 2×2 table per posting, postings with both groups only.
    let mut tables: BTreeMap<&str, Table> = BTreeMap::new();
    for u in units {
        let Some(s) = u.selected(stage) else { continue };
        let g = u.group(dimension);
        let t = tables.entry(u.posting.as_str()).or_default();
        match (g == focal, g == reference, s) {
            (true, _, true) => t[0] += 1,
            (true, _, false) => t[1] += 1,
            (_, true, true) => t[2] += 1,
            (_, true, false) => t[3] += 1,
            _ => {}
        }
    }
    let tables: Vec<Table> = tables.into_values().collect();
    let mh = stats::mantel_haenszel(&tables, stats::Z_95);
    let significant = match (&mh, &ratio) {
        (Some(m), _) => m.p_value < ALPHA,
        (None, Some(r)) => r.upper < 1.0 || r.lower > 1.0,
        (None, None) => false,
    };
    let (verdict, reason) = if n1.min(n2) < MIN_VERDICT {
        ("insufficient_data", format!("moins de {MIN_VERDICT} personnes dans un des deux groupes"))
    } else if x1 + x2 < 5 || (n1 - x1) + (n2 - x2) < 5 {
        (
            "insufficient_data",
            "moins de 5 personnes sélectionnées (ou non sélectionnées) dans les deux groupes réunis".to_owned(),
        )
    } else if ratio.is_none() && mh.is_none() {
        ("insufficient_data", "aucune personne sélectionnée dans le groupe de référence".to_owned())
    } else if significant {
        (
            "disparity_to_review",
            "écart statistiquement significatif au seuil de 5 % : à examiner par un agent, ce n'est pas une conclusion"
                .to_owned(),
        )
    } else {
        (
            "no_disparity_detected",
            "aucun écart mis en évidence avec ces effectifs ; cela ne démontre pas l'absence d'écart".to_owned(),
        )
    };
    v["rate_ratio"] = ratio.as_ref().map(ratio_json).unwrap_or(Value::Null);
    v["odds_ratio_exact"] = fisher
        .map(|f| json!({ "estimate": finite(f.odds_ratio), "ci95": [finite(f.lower), finite(f.upper)], "p_value": f.p_value }))
        .unwrap_or(Value::Null);
    v["pooled"] = mh
        .map(|m| {
            json!({ "strata": m.strata, "odds_ratio": ratio_json(&m.odds_ratio),
                    "risk_ratio": m.risk_ratio.as_ref().map(ratio_json), "chi2_corrected": m.chi2, "p_value": m.p_value })
        })
        .unwrap_or(Value::Null);
    v["verdict"] = verdict.into();
    v["reason"] = reason.into();
    v
}

fn version_section(version: &Option<String>, units: &[Unit]) -> Value {
    let refs: Vec<&Unit> = units.iter().collect();
    let postings: BTreeSet<&str> = units.iter().map(|u| u.posting.as_str()).collect();
    let mut stages = Vec::new();
    for (stage, label) in STAGES {
        if stage == "ai_top_k" && version.is_none() {
            continue;
        }
        let mut dims = Vec::new();
        for (dimension, reference, focals) in COMPARISONS {
            let all: &[&str] = if dimension == "gender" { &GENDERS } else { &AGE_BANDS };
            let groups: Vec<Value> = all
                .iter()
                .chain(std::iter::once(&"unknown"))
                .map(|g| {
                    let (n, x) = count(&refs, dimension, g, stage);
                    group_row(g, n, x)
                })
                .collect();
            let comparisons: Vec<Value> =
                focals.iter().map(|f| comparison(&refs, dimension, reference, f, stage)).collect();
            dims.push(json!({ "dimension": dimension, "groups": groups, "comparisons": comparisons }));
        }
        stages.push(json!({ "stage": stage, "label": label, "dimensions": dims }));
    }
    json!({
        "slot": if version.is_some() { "skills-matcher" } else { "none" },
        "plugin": version,
        "people": units.len(),
        "postings": postings.len(),
        "stages": stages,
    })
}

pub const METHOD: &str = "Taux de sélection par groupe déclaré, avec intervalle de confiance exact à 95 % \
(Clopper-Pearson). Rapport des taux (groupe comparé ÷ groupe de référence) avec un intervalle exact conservateur \
(deux intervalles de Clopper-Pearson à 97,5 %, inégalité de Bonferroni). Rapport des cotes exact conditionnel \
(loi hypergéométrique non centrale, test exact de Fisher bilatéral). Test regroupé sur les offres, stratifié par offre : \
rapport des cotes et rapport des taux de Mantel-Haenszel (intervalles de Robins-Breslow-Greenland et de Greenland-Robins), \
test de Cochran-Mantel-Haenszel avec correction de continuité. Groupes de moins de 10 personnes masqués ; \
moins de 30 personnes dans un groupe comparé : « données insuffisantes ». Aucun seuil ne vaut conclusion juridique.";

pub async fn compute(store: &Store, window: &Window, top_k: u32) -> Result<Value, ReportError> {
    let ranked = monitoring::ranked(store.pool(), window.from, window.to).await?;
    let decisions = monitoring::decisions(store.pool()).await?;
    let sections: Vec<Value> =
        units(&ranked, &decisions, window, top_k).iter().map(|(v, u)| version_section(v, u)).collect();
    Ok(json!({
        "kind": "fairness",
        "window": window.to_json(),
        "top_k": top_k,
        "min_cell": MIN_CELL,
        "min_verdict": MIN_VERDICT,
        "reference_groups": { "gender": "male", "age_band": "30_44" },
        "method": METHOD,
        "sections": sections,
    }))
}

fn verdict_label(v: &str) -> &'static str {
    match v {
        "disparity_to_review" => "écart à examiner",
        "no_disparity_detected" => "pas d'écart mis en évidence (ce n'est pas une preuve d'absence d'écart)",
        _ => "données insuffisantes",
    }
}

fn pct(v: &Value) -> String {
    v.as_f64().map_or("—".into(), |f| format!("{:.1} %", f * 100.0).replace('.', ","))
}

pub fn markdown(data: &Value) -> String {
    let mut out = String::new();
    out.push_str("# Suivi des écarts de sélection entre groupes\n\n");
    out.push_str(&format!(
        "Période : {}. Étape IA : les {} premiers du classement.\n\n",
        data["window"]["label"].as_str().unwrap_or(""),
        data["top_k"]
    ));
    out.push_str("Ces chiffres sont des indicateurs de vigilance, non une conclusion : le droit français et européen ne fixe \
aucun seuil. Ils portent sur le genre et la tranche d'âge que le SIRH a transmis à titre facultatif, pour ce seul suivi ; \
ces données ne sont jamais transmises aux modules.\n\n");
    out.push_str(&format!("Méthode : {}\n\n", data["method"].as_str().unwrap_or("")));
    let sections = data["sections"].as_array().cloned().unwrap_or_default();
    if sections.is_empty() {
        out.push_str("Aucun classement ni aucune décision sur la période : **données insuffisantes**.\n");
    }
    for s in &sections {
        match s["plugin"].as_str() {
            Some(p) => out.push_str(&format!("## Emplacement skills-matcher, module `{}`\n\n", md_escape(p))),
            None => out.push_str("## Candidatures sans suggestion IA (décisions seules)\n\n"),
        }
        out.push_str(&format!("{} candidatures, {} offres.\n\n", s["people"], s["postings"]));
        for st in s["stages"].as_array().into_iter().flatten() {
            out.push_str(&format!("### {}\n\n", st["label"].as_str().unwrap_or("")));
            for d in st["dimensions"].as_array().into_iter().flatten() {
                out.push_str("| Groupe | Effectif | Sélectionnés | Taux | IC 95 % exact |\n|---|---|---|---|---|\n");
                for g in d["groups"].as_array().into_iter().flatten() {
                    if g["suppressed"] == true {
                        out.push_str(&format!(
                            "| {} | < {MIN_CELL} (masqué) | — | — | — |\n",
                            g["label"].as_str().unwrap_or("")
                        ));
                    } else {
                        let ci = &g["rate_ci95"];
                        out.push_str(&format!(
                            "| {} | {} | {} | {} | [{} ; {}] |\n",
                            g["label"].as_str().unwrap_or(""),
                            g["n"],
                            g["selected"],
                            pct(&g["rate"]),
                            pct(&ci[0]),
                            pct(&ci[1])
                        ));
                    }
                }
                out.push('\n');
                for c in d["comparisons"].as_array().into_iter().flatten() {
                    out.push_str(&format!(
                        "- {} par rapport aux {} : **{}**",
                        c["focal_label"].as_str().unwrap_or(""),
                        c["reference_label"].as_str().unwrap_or(""),
                        verdict_label(c["verdict"].as_str().unwrap_or(""))
                    ));
                    if let Some(r) = c.get("rate_ratio").filter(|r| !r.is_null()) {
                        out.push_str(&format!(" ; rapport des taux {}", ratio_text(r)));
                    }
                    if let Some(f) = c.get("odds_ratio_exact").filter(|r| !r.is_null()) {
                        out.push_str(&format!(
                            " ; rapport des cotes exact {} (p = {:.3})",
                            ratio_text(f),
                            f["p_value"].as_f64().unwrap_or(1.0)
                        ));
                    }
                    if let Some(m) = c.get("pooled").filter(|r| !r.is_null()) {
                        out.push_str(&format!(
                            " ; regroupé sur {} offre(s) (Mantel-Haenszel) : rapport des cotes {}, p = {:.3}",
                            m["strata"],
                            ratio_text(&m["odds_ratio"]),
                            m["p_value"].as_f64().unwrap_or(1.0)
                        ));
                    }
                    out.push_str(&format!(". {}.\n", c["reason"].as_str().unwrap_or("")));
                }
                out.push('\n');
            }
        }
    }
    out
}
