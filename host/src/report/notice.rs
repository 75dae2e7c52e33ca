//! The candidate information notice (GDPR arts. 13-14, AI Act art. 26(11)), listing the AI
//! functions actually active, for the application form and the acknowledgement.

use super::technical::plugin_json;
use super::{active_plugins, md_escape, Context, ReportError, TO_CHECK, TO_COMPLETE};
use crate::world::World;
use serde_json::{json, Value};

/// What each slot does to an application, in the candidate's words.
pub fn slot_purpose(world: World) -> &'static str {
    match world {
        World::CvParser => "lecture de votre CV pour en extraire vos expériences, diplômes et compétences",
        World::SkillsMatcher => "comparaison de votre profil avec les exigences de l'offre, sous forme de suggestion de classement pour l'agent recruteur",
        World::PostingDrafter => "aide à la rédaction des offres d'emploi (ne traite aucune candidature)",
    }
}

pub async fn data(ctx: &Context<'_>) -> Result<Value, ReportError> {
    let functions: Vec<Value> = active_plugins(ctx)
        .await?
        .iter()
        .map(|(w, e)| json!({ "slot": w.name(), "purpose": slot_purpose(*w), "about_candidates": *w != World::PostingDrafter, "plugin": plugin_json(e) }))
        .collect();
    Ok(json!({
        "kind": "notice",
        "functions": functions,
        "candidate_retention_days": ctx.candidate_retention_days,
        "audit_retention_days": ctx.audit_retention_days,
    }))
}

pub fn markdown(data: &Value) -> String {
    let s = |v: &Value| md_escape(v.as_str().unwrap_or(""));
    let mut out = String::from(
        "# Information des candidats : traitement de votre candidature et usage de l'intelligence artificielle\n\n",
    );
    out.push_str("*Notice établie au titre des articles 13 et 14 du RGPD et de l'article 26(11) du règlement européen sur l'IA.*\n\n");
    out.push_str(&format!("## Responsable du traitement\n\n{TO_COMPLETE} : nom et adresse du Département, coordonnées du délégué à la protection des données.\n\n"));
    out.push_str("## Un système d'IA aide le recruteur ; il ne décide pas\n\n");
    out.push_str("Le Département utilise, pour traiter les candidatures, un système d'intelligence artificielle classé « à haut risque » \
par le règlement européen sur l'IA (annexe III, point 4 : emploi et recrutement). Ce système aide les agents ; **aucune candidature \
n'est écartée ni retenue automatiquement**. Chaque décision (présélection, entretien, recrutement, refus) est prise par un agent, \
qui peut s'écarter des suggestions. Vous avez le droit d'obtenir l'intervention d'un agent, d'exprimer votre point de vue et de \
contester la décision (RGPD art. 22).\n\n");
    out.push_str("Fonctions actives à la date de cette notice :\n\n");
    for f in data["functions"].as_array().into_iter().flatten().filter(|f| f["about_candidates"] == true) {
        let p = &f["plugin"];
        out.push_str(&format!(
            "- **{}** : module « {} » (`{}`) version {} de {} ({}). Finalité déclarée : {} Contrôle humain : {}\n",
            s(&f["purpose"]),
            s(&p["name"]),
            s(&p["id"]),
            s(&p["version"]),
            s(&p["vendor"]),
            if p["uses_ai_model"] == true {
                "utilise un modèle d'IA"
            } else {
                "fondé sur des règles, sans modèle d'IA"
            },
            s(&p["transparency"]["intended-purpose"]),
            s(&p["transparency"]["human-oversight"]),
        ));
    }
    out.push_str("\nCes modules fonctionnent sur les serveurs du Département. Le module de comparaison ne reçoit ni votre nom, ni vos \
coordonnées, ni votre date de naissance : seulement votre parcours, sous un identifiant opaque.\n\n");
    out.push_str(&format!("## Base légale\n\nExécution d'une mission d'intérêt public (RGPD art. 6(1)(e)) et mesures précontractuelles prises à \
votre demande (art. 6(1)(b)) {TO_CHECK}.\n\n"));
    out.push_str("## Données traitées\n\n- Votre CV et les informations qui en sont extraites ; votre identité est conservée à part.\n\
- Les suggestions produites par les modules et les décisions des agents.\n\
- Facultativement, votre genre et votre tranche d'âge, pour le seul suivi statistique des écarts entre groupes : ces données \
ne sont jamais transmises aux modules, ne sont jamais exigées et sont effacées avec votre dossier.\n\n");
    out.push_str(&format!("## Durées de conservation\n\n- Candidature non retenue : {} jours après le dernier contact, puis effacement.\n\
- Journal des traitements (sans données en clair) : {} jours.\n- Versement éventuel aux archives publiques : {TO_COMPLETE} (avec le service des Archives départementales).\n\n",
        data["candidate_retention_days"], data["audit_retention_days"]));
    out.push_str(&format!("## Destinataires\n\nLes agents chargés du recrutement et, le cas échéant, le jury. {TO_COMPLETE} : autres destinataires.\n\n"));
    out.push_str(&format!("## Vos droits\n\n- Accès à vos données, y compris aux suggestions et classements vous concernant (RGPD art. 15).\n\
- Explication de la manière dont l'algorithme a contribué à la décision (code des relations entre le public et l'administration, art. L311-3-1 et R311-3-1-2).\n\
- Rectification (art. 16) {TO_CHECK}, effacement (art. 17), opposition au traitement par l'IA (art. 21) {TO_CHECK}.\n\
- Réclamation auprès de la CNIL (www.cnil.fr).\n\
- Si votre CV nous a été transmis par un tiers (CVthèque, France Travail), cette notice vous est adressée dans un délai d'un mois (RGPD art. 14) {TO_CHECK}.\n\n\
Pour exercer vos droits : {TO_COMPLETE} (adresse ou formulaire).\n"));
    out
}
