//! Pre-filled impact assessments for the DPO: the DPIA (GDPR art. 35) and the fundamental-rights
//! impact assessment (AI Act art. 27), from the active plugins and the host's own safeguards.
//! The parts only the deployer can write are marked "À compléter par le DPO".

use super::notice::slot_purpose;
use super::technical::plugin_json;
use super::{active_plugins, md_escape, Context, ReportError, TO_CHECK, TO_COMPLETE};
use crate::store::monitoring;
use serde_json::{json, Value};

async fn common(ctx: &Context<'_>, kind: &str) -> Result<Value, ReportError> {
    let mut plugins = Vec::new();
    for (w, e) in active_plugins(ctx).await? {
        let probes = monitoring::probes(ctx.store.pool(), e.id()).await?;
        let probe = probes.iter().find(|p| p.plugin_digest == e.bundle.digest);
        let evals = monitoring::eval_runs(ctx.store.pool(), e.id()).await?.len();
        plugins.push(json!({ "slot": w.name(), "purpose": slot_purpose(w), "plugin": plugin_json(&e),
            "probe_passed": probe.map(|p| p.passed), "evaluations": evals }));
    }
    Ok(json!({ "kind": kind, "plugins": plugins,
        "candidate_retention_days": ctx.candidate_retention_days, "audit_retention_days": ctx.audit_retention_days }))
}

pub async fn dpia_data(ctx: &Context<'_>) -> Result<Value, ReportError> {
    common(ctx, "dpia").await
}

pub async fn fria_data(ctx: &Context<'_>) -> Result<Value, ReportError> {
    common(ctx, "fria").await
}

fn plugin_lines(data: &Value) -> String {
    let s = |v: &Value| md_escape(v.as_str().unwrap_or(""));
    let mut out = String::new();
    for p in data["plugins"].as_array().into_iter().flatten() {
        let m = &p["plugin"];
        out.push_str(&format!(
            "- **{}** — `{}@{}` ({}), empreinte `{}`. Finalité déclarée : {}\n",
            s(&p["purpose"]),
            s(&m["id"]),
            s(&m["version"]),
            s(&m["vendor"]),
            s(&m["digest"]),
            s(&m["transparency"]["intended-purpose"])
        ));
        for l in m["transparency"]["limitations"].as_array().into_iter().flatten() {
            out.push_str(&format!("  - Limite connue : {}\n", s(l)));
        }
        let probe = match p["probe_passed"].as_bool() {
            Some(true) => "sonde de biais passée pour cette version",
            Some(false) => "sonde de biais **hors tolérance** pour cette version",
            None => "aucune sonde de biais pour cette version (non démontré)",
        };
        out.push_str(&format!("  - {probe} ; {} évaluation(s) enregistrée(s)\n", p["evaluations"]));
    }
    out
}

const SAFEGUARDS: &str = "- Suggestions seulement : aucun chemin de code n'écarte ni ne retient une candidature ; la décision est \
enregistrée par le SIRH avec l'identifiant de l'agent (RGPD art. 22).\n\
- Minimisation par construction : le module de comparaison ne reçoit qu'un identifiant opaque et un parcours, jamais l'identité.\n\
- Bac à sable : chaque appel s'exécute isolé, sans fichiers, sans réseau sauf accord de l'administrateur, avec limites de mémoire et de temps.\n\
- Journal d'audit chaîné par empreintes : chaque appel (module, version, empreinte, empreintes des entrées et sorties, temps) et chaque \
décision ou action d'administration ; vérifiable par `vivier audit verify`.\n\
- Explication au candidat sur demande (`GET /v1/candidates/{id}/explanation`).\n\
- Suivi des écarts entre groupes (`vivier report fairness`) à partir de données facultatives conservées à part.\n\
- Effacement à la demande et purge automatique des candidatures non retenues.\n";

pub fn dpia_markdown(data: &Value) -> String {
    let mut out =
        String::from("# Analyse d'impact relative à la protection des données (AIPD) — projet pré-rempli\n\n");
    out.push_str(&format!("*RGPD art. 35 ; la liste de la CNIL (délibération 2018-327) vise les traitements établissant des profils de \
personnes à des fins de gestion des ressources humaines {TO_CHECK}. Les sections marquées {TO_COMPLETE} ne peuvent être \
remplies que par le Département.*\n\n"));
    out.push_str(&format!("## 1. Description du traitement\n\nFinalité : aide au recrutement (lecture des CV, suggestion de classement, aide à la rédaction des offres). \
Responsable : {TO_COMPLETE}. Personnes concernées : candidats aux postes du Département (environ 200 recrutements par an).\n\nModules actifs :\n\n"));
    out.push_str(&plugin_lines(data));
    out.push_str(&format!(
        "\n## 2. Données et durées\n\n- Identité (conservée à part), CV et profil extrait, suggestions, décisions.\n\
- Données de suivi facultatives : genre, tranche d'âge (jamais transmises aux modules).\n\
- Conservation : {} jours après le dernier contact pour une candidature non retenue ; journal d'audit {} jours.\n\
- Archives publiques (visa d'élimination) : {TO_COMPLETE}.\n\n",
        data["candidate_retention_days"], data["audit_retention_days"]
    ));
    out.push_str(&format!("## 3. Nécessité et proportionnalité\n\nBase légale envisagée : mission d'intérêt public (art. 6(1)(e)) {TO_CHECK}.\n\n{TO_COMPLETE} : justification de la nécessité, information des candidats (voir `vivier report notice`), \
consultation du comité social territorial (AI Act art. 26(7)).\n\n"));
    out.push_str(&format!("## 4. Mesures déjà en place dans Vivier\n\n{SAFEGUARDS}\n"));
    out.push_str(&format!("## 5. Risques pour les personnes\n\n| Risque | Mesures | Gravité | Vraisemblance |\n|---|---|---|---|\n\
| Discrimination indirecte par le classement | sonde contrefactuelle, suivi des écarts, décision humaine | {TO_COMPLETE} | {TO_COMPLETE} |\n\
| Erreur de lecture du CV | profil visible et corrigible par l'agent, explication | {TO_COMPLETE} | {TO_COMPLETE} |\n\
| Accès illégitime aux données | clés par rôle, journal d'audit, stockage local | {TO_COMPLETE} | {TO_COMPLETE} |\n\
| Confiance excessive de l'agent dans la suggestion | mention « suggestion », formation des agents | {TO_COMPLETE} | {TO_COMPLETE} |\n\n"));
    out.push_str(&format!("## 6. Avis et validation\n\n{TO_COMPLETE} : avis du DPO, décision du responsable de traitement, date de révision.\n"));
    out
}

pub fn fria_markdown(data: &Value) -> String {
    let mut out =
        String::from("# Analyse d'impact sur les droits fondamentaux (AI Act art. 27) — projet pré-rempli\n\n");
    out.push_str(&format!("*Obligatoire avant la première utilisation pour les organismes de droit public. Le modèle officiel du Bureau de l'IA (art. 27(5)) \
et l'autorité de surveillance à notifier (art. 27(3)) sont {TO_CHECK}. L'art. 27(4) permet de renvoyer à l'AIPD (`vivier report dpia`).*\n\n"));
    out.push_str(&format!("## a) Processus dans lesquels le système est utilisé\n\nLecture des CV reçus, suggestion de classement des candidatures pour une offre, aide à la rédaction des offres ; \
à chaque étape un agent décide.\n\nModules actifs :\n\n{}\n{TO_COMPLETE} : description des processus du Département (qui consulte les suggestions, à quel moment).\n\n", plugin_lines(data)));
    out.push_str(&format!("## b) Période et fréquence d'utilisation\n\n{TO_COMPLETE} (ordre de grandeur : 200 recrutements par an ; `vivier report sobriety` donne le nombre d'appels par mois).\n\n"));
    out.push_str(&format!("## c) Catégories de personnes concernées\n\nCandidats internes et externes aux postes du Département. {TO_COMPLETE} : publics particuliers (personnes en situation de handicap, seniors, personnes éloignées de l'emploi).\n\n"));
    out.push_str(&format!("## d) Risques spécifiques de préjudice\n\n- Non-discrimination (code pénal art. 225-1) : genre grammatical des intitulés, âge révélé par les dates, interruptions de carrière, \
mentions de santé ou de handicap, lieu de résidence, diplômes étrangers. Mesures : sonde contrefactuelle par version (résultats ci-dessus), suivi des écarts sur l'usage réel.\n\
- Protection des données : voir l'AIPD.\n- Droit à un recours effectif et à une bonne administration : explication et mention explicite (CRPA L311-3-1, R311-3-1-1).\n\n\
{TO_COMPLETE} : autres risques identifiés à partir des informations de transparence des fournisseurs.\n\n"));
    out.push_str(&format!("## e) Mesures de contrôle humain\n\n{SAFEGUARDS}\n{TO_COMPLETE} : agents désignés, formation (AI Act art. 4 et 26(2)).\n\n"));
    out.push_str(&format!("## f) Mesures si les risques se réalisent\n\n- Arrêt immédiat d'un emplacement (`POST /v1/admin/slots/{{slot}}/stop`) et retour à la version précédente (`.../rollback`).\n\
- Alerte du suivi des écarts (« écart à examiner ») : examen par un agent et le DPO.\n\n{TO_COMPLETE} : gouvernance interne, mécanisme de réclamation pour les candidats, information du fournisseur (art. 26(5)).\n"));
    out
}
