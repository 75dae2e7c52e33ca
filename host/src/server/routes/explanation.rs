//! `GET /v1/candidates/{id}/explanation?posting=`: what the algorithm did for this candidate,
//! in plain French, with the four elements of CRPA art. R311-3-1-2 and the AI Act art. 86
//! elements. JSON by default, HTML with `format=html` or `Accept: text/html`.

use super::candidates::live;
use super::rfc3339;
use crate::audit::Event;
use crate::auth::Caller;
use crate::model::{Assessment, RequirementStatus};
use crate::server::error::{ApiError, ApiResult};
use crate::server::Shared;
use crate::store::candidates::{self, DecisionRow};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct ExplanationQuery {
    posting: Option<String>,
    format: Option<String>,
}

/// The decisions about this posting that still stand (not replaced by a later one), in the
/// order they were recorded. A decision without a posting concerns every posting.
fn standing_decisions(all: Vec<DecisionRow>, posting_id: &str) -> Vec<DecisionRow> {
    let superseded: Vec<String> = all.iter().filter_map(|d| d.supersedes.clone()).collect();
    all.into_iter()
        .filter(|d| d.posting_id.as_deref().is_none_or(|p| p == posting_id))
        .filter(|d| !superseded.contains(&d.id))
        .collect()
}

/// The ranking the explanation describes: the one the recruiter saw before the latest standing
/// decision that names one (its latest), never a ranking made after; without such a decision,
/// the latest ranking. The second value says which, in French.
async fn explained_ranking(
    pool: &crate::store::Pool,
    candidate_id: &str,
    posting_id: &str,
    decisions: &[DecisionRow],
) -> ApiResult<(candidates::AssessmentRow, String)> {
    let rankings = candidates::assessments(pool, candidate_id, Some(posting_id)).await?;
    for d in decisions.iter().rev() {
        if let Some(a) = rankings.iter().rev().find(|a| d.trace_ids.contains(&a.trace_id)) {
            let why = format!(
                "Le classement du {} (trace {}), que le recruteur a consulté avant sa décision du {}. Un classement produit après cette décision n'en change pas l'explication.",
                date_fr(a.created_at), a.trace_id, date_fr(d.decided_at)
            );
            return Ok((a.clone(), why));
        }
    }
    let Some(a) = rankings.last() else {
        return Err(ApiError::not_found(format!(
            "candidate `{candidate_id}` was not ranked for posting `{posting_id}`"
        ))
        .with_field("posting"));
    };
    let why = format!(
        "Le classement le plus récent, du {} (trace {}) : aucune décision enregistrée n'indique encore quel classement le recruteur a consulté.",
        date_fr(a.created_at), a.trace_id
    );
    Ok((a.clone(), why))
}

fn date_fr(ms: i64) -> String {
    let (y, m, d) = super::civil_from_days(ms.div_euclid(86_400_000));
    format!("{d:02}/{m:02}/{y}")
}

fn status_fr(s: RequirementStatus) -> &'static str {
    match s {
        RequirementStatus::Met => "satisfait",
        RequirementStatus::Partial => "partiellement satisfait",
        RequirementStatus::Missing => "non trouvé dans le CV",
    }
}

fn decision_fr(d: &str) -> &'static str {
    match d {
        "shortlisted" => "présélection",
        "interview" => "convocation à un entretien",
        "rejected" => "candidature non retenue",
        "hired" => "recrutement",
        "withdrawn" => "retrait de la candidature",
        _ => "décision",
    }
}

pub async fn explain(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Query(q): Query<ExplanationQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let posting_id = q.posting.filter(|p| !p.trim().is_empty()).ok_or_else(|| {
        ApiError::new(axum::http::StatusCode::BAD_REQUEST, "missing_parameter", "give the posting: ?posting=ID")
            .with_field("posting")
    })?;
    let html = match q.format.as_deref() {
        Some("html") => true,
        Some("json") | None => {
            q.format.is_none()
                && headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
        }
        Some(other) => return Err(ApiError::invalid("format", format!("`{other}` is not json or html"))),
    };
    live(&state, &id).await?;
    let pool = state.store.pool();
    let decisions = standing_decisions(candidates::decisions(pool, &id).await?, &posting_id);
    let (a, basis) = explained_ranking(pool, &id, &posting_id, &decisions).await?;
    let assessment: Assessment = serde_json::from_str(&a.assessment_json).map_err(ApiError::internal)?;
    let posting: Value = match candidates::posting(pool, &posting_id).await? {
        Some(p) => serde_json::from_str(&p).unwrap_or(Value::Null),
        None => Value::Null,
    };
    let cv = candidates::cv(pool, &id).await?;
    let parse_trace = match &cv {
        Some((_, _, _, _, t)) => candidates::suggestion_by_trace(pool, t).await?,
        None => None,
    };
    let profile: Value = cv.as_ref().map(|c| serde_json::from_str(&c.1).unwrap_or(Value::Null)).unwrap_or(Value::Null);
    let transparency = state
        .registry
        .find(&format!("{}@{}", a.plugin_id, a.plugin_version))
        .ok()
        .map(|e| e.bundle.manifest.transparency.clone());

    let title = posting["title"].as_str().unwrap_or(&posting_id).to_owned();
    let total_weight: f32 = assessment.requirements.iter().map(|r| r.weight).sum();
    let parameters: Vec<Value> = assessment
        .requirements
        .iter()
        .map(|r| {
            let share = if total_weight > 0.0 { r.weight / total_weight } else { 0.0 };
            json!({
                "critere": r.requirement,
                "poids": r.weight,
                "part_du_score_maximal": format!("{:.0} %", share * 100.0),
                "resultat": status_fr(r.status),
                "contribution": r.contribution,
                "elements_trouves": r.evidence,
            })
        })
        .collect();
    let count = |k: &str| profile[k].as_array().map_or(0, Vec::len);
    let data_used = json!({
        "donnees": [
            format!("{} expérience(s) professionnelle(s), avec intitulés, dates et descriptions", count("experiences")),
            format!("{} diplôme(s) ou formation(s)", count("education")),
            format!("{} compétence(s), {} langue(s), {} certification(s)", count("skills"), count("languages"), count("certifications")),
            "la situation statutaire déclarée (grade, cadre d'emplois, catégorie), si elle figure dans le CV".to_owned(),
        ],
        "donnees_non_utilisees": "Vos nom, adresse, courriel, téléphone, date de naissance et photo ne sont jamais transmis au module de comparaison : il ne reçoit qu'un identifiant opaque et votre parcours.",
        "sources": [
            format!("Le CV que vous avez transmis, reçu par le logiciel de recrutement et lu le {}", parse_trace.as_ref().map_or("(date inconnue)".into(), |s| date_fr(s.created_at))),
            format!("L'offre d'emploi « {title} » (référence {posting_id}) et ses critères, fixés par le service recruteur"),
        ],
    });
    let mut operations = Vec::new();
    if let Some(s) = &parse_trace {
        operations.push(format!(
            "Lecture automatique du CV par le module « {} » version {} (trace {}) : extraction des expériences, formations et compétences.",
            s.plugin_id, s.plugin_version, s.trace_id
        ));
    }
    operations.push("Calcul des périodes sans emploi déclaré de plus de 6 mois, signalées au recruteur comme questions possibles, jamais comme pénalité.".into());
    operations.push(format!(
        "Comparaison du parcours avec les {} critères de l'offre par le module « {} » version {} (trace {}, le {}) : pour chaque critère, recherche d'éléments correspondants dans le CV, puis somme pondérée donnant un score de {:.2} sur 1.",
        assessment.requirements.len(), a.plugin_id, a.plugin_version, a.trace_id, date_fr(a.created_at), assessment.score
    ));
    operations.push(format!(
        "Présentation au recruteur d'une liste de {} candidatures classées par score (la vôtre au rang {}), avec les éléments trouvés et des questions d'entretien. Aucune candidature n'est écartée par le traitement.",
        a.candidate_count, a.rank
    ));
    let decisions_json: Vec<Value> = decisions
        .iter()
        .map(|d| {
            json!({
                "decision": decision_fr(&d.decision),
                "date": date_fr(d.decided_at),
                "decided_at": rfc3339(d.decided_at),
                "prise_par": "un agent du service recruteur",
                "motif": d.rationale,
                "suggestions_consultees": d.trace_ids,
                "le_recruteur_a_vu_cette_suggestion": d.trace_ids.contains(&a.trace_id),
            })
        })
        .collect();
    let contribution = format!(
        "Le traitement algorithmique a produit une aide à la décision : un score indicatif ({:.2} sur 1) et un rang ({} sur {}) pour l'offre « {title} ». Ce n'est qu'une suggestion. {} Aucune décision n'est prise automatiquement (article 22 du RGPD, article L311-3-1 du code des relations entre le public et l'administration).",
        assessment.score, a.rank, a.candidate_count,
        if decisions.is_empty() { "Aucune décision n'a encore été enregistrée : elle sera prise par un agent.".to_owned() }
        else { "La décision a été prise par un agent, qui a examiné votre candidature et pouvait s'écarter de cette suggestion.".to_owned() }
    );
    let body = json!({
        "candidate_id": id,
        "posting": { "id": posting_id, "title": title },
        "generated_at": rfc3339(crate::store::now_ms()),
        "classement_explique": {
            "trace_id": a.trace_id,
            "date": rfc3339(a.created_at),
            "pourquoi_ce_classement": basis,
        },
        "langue": "fr",
        "crpa_r311_3_1_2": {
            "1_degre_et_mode_de_contribution": contribution,
            "2_donnees_traitees_et_sources": data_used,
            "3_parametres_et_ponderation": {
                "explication": "Chaque critère de l'offre a un poids fixé par le service recruteur. Pour votre candidature, chaque critère a été jugé satisfait, partiellement satisfait ou non trouvé ; sa contribution au score est indiquée ci-dessous.",
                "score": assessment.score,
                "criteres": parameters,
            },
            "4_operations_effectuees": operations,
        },
        "ai_act_article_86": {
            "role_du_systeme_d_ia": "Système d'IA d'aide au recrutement (annexe III, point 4 a, du règlement européen sur l'IA) : il lit les CV et compare les parcours aux critères de l'offre pour aider le recruteur à préparer son examen. Il ne sélectionne ni n'écarte personne.",
            "principaux_elements_de_la_decision": decisions_json,
            "fournisseur_du_module": transparency.as_ref().map(|t| json!({ "fournisseur": t.provider, "contact": t.contact, "finalite": t.intended_purpose, "limites": t.limitations, "controle_humain": t.human_oversight })),
        },
        "vos_droits": "Vous pouvez demander la communication de ces règles et de leur mise en œuvre (articles L311-3-1 et R311-3-1-2 du CRPA), ainsi que l'accès à vos données et leur rectification (RGPD). En l'absence de réponse dans un délai d'un mois, vous pouvez saisir la Commission d'accès aux documents administratifs (CADA).",
    });
    state
        .audit
        .record(Event::new(
            "explanation.issued",
            &caller.key_id,
            json!({ "candidate_id": id, "posting_id": posting_id, "ranking_trace_id": a.trace_id, "format": if html { "html" } else { "json" } }),
        ))
        .await?;
    if html {
        // The console's headers: no script, no framing, no sniffing.
        return Ok(crate::server::console::layout::html_response(axum::http::StatusCode::OK, render_html(&body)));
    }
    Ok(Json(body).into_response())
}

pub fn escape(text: &str) -> String {
    crate::text::html_escape(text)
}

fn render_html(b: &Value) -> String {
    let s = |v: &Value| escape(v.as_str().unwrap_or(""));
    let list = |v: &Value| {
        v.as_array()
            .map(|items| items.iter().map(|i| format!("<li>{}</li>", s(i))).collect::<String>())
            .unwrap_or_default()
    };
    let r = &b["crpa_r311_3_1_2"];
    let rows: String = r["3_parametres_et_ponderation"]["criteres"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| {
                    format!(
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{}</td></tr>",
                        s(&c["critere"]),
                        c["poids"],
                        s(&c["part_du_score_maximal"]),
                        s(&c["resultat"]),
                        c["contribution"].as_f64().unwrap_or(0.0),
                        escape(
                            &c["elements_trouves"]
                                .as_array()
                                .map(|e| e.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" ; "))
                                .unwrap_or_default()
                        )
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let decisions: String = b["ai_act_article_86"]["principaux_elements_de_la_decision"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|d| {
                    format!(
                        "<li>{} le {}, par {}{}</li>",
                        s(&d["decision"]),
                        s(&d["date"]),
                        s(&d["prise_par"]),
                        d["motif"].as_str().map(|m| format!(" : « {} »", escape(m))).unwrap_or_default()
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        r#"<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Explication du traitement algorithmique</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.3em .5em}}</style></head><body>
<h1>Comment un algorithme a contribué à l'examen de votre candidature</h1>
<p>Offre : <strong>{title}</strong> (référence {pid})</p>
<p>Classement expliqué : {why}</p>
<h2>1. Degré et mode de contribution du traitement à la décision</h2><p>{c1}</p>
<h2>2. Données traitées et leurs sources</h2><ul>{d}</ul><p>{dn}</p><p>Sources :</p><ul>{src}</ul>
<h2>3. Paramètres du traitement et leur pondération, appliqués à votre situation</h2><p>{pe}</p>
<p>Score indicatif : <strong>{score:.2}</strong> sur 1.</p>
<table><tr><th>Critère</th><th>Poids</th><th>Part du score</th><th>Résultat</th><th>Contribution</th><th>Éléments trouvés</th></tr>{rows}</table>
<h2>4. Opérations effectuées</h2><ol>{ops}</ol>
<h2>Rôle du système d'IA et principaux éléments de la décision (article 86 du règlement européen sur l'IA)</h2>
<p>{role}</p><ul>{decisions}</ul>
<h2>Vos droits</h2><p>{rights}</p></body></html>"#,
        title = s(&b["posting"]["title"]),
        pid = s(&b["posting"]["id"]),
        why = s(&b["classement_explique"]["pourquoi_ce_classement"]),
        c1 = s(&r["1_degre_et_mode_de_contribution"]),
        d = list(&r["2_donnees_traitees_et_sources"]["donnees"]),
        dn = s(&r["2_donnees_traitees_et_sources"]["donnees_non_utilisees"]),
        src = list(&r["2_donnees_traitees_et_sources"]["sources"]),
        pe = s(&r["3_parametres_et_ponderation"]["explication"]),
        score = r["3_parametres_et_ponderation"]["score"].as_f64().unwrap_or(0.0),
        ops = list(&r["4_operations_effectuees"]),
        role = s(&b["ai_act_article_86"]["role_du_systeme_d_ia"]),
        rights = s(&b["vos_droits"]),
    )
}
