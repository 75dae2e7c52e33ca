//! The chat-completions request and the reading of its answer. Plain Rust, testable natively.

use serde_json::{json, Value};
use vivier_sdk::posting_drafter::DraftRequest;

/// Instructions to the model: the structure and mandatory mentions of a territorial ad
/// (décret n° 2018-1351, art. 3), non-discrimination, and what to do with the notes.
pub const SYSTEM: &str = "Tu rédiges en français des offres d'emploi de la fonction publique territoriale, \
en Markdown. Commence par un titre de niveau 1 : l'intitulé du poste suivi de « (F/H) ». Sections : L'employeur, \
Vos missions, Votre profil, Conditions, Candidature. Mentions obligatoires (décret n° 2018-1351, art. 3) : \
fonction publique territoriale ; vacance ou création de poste ; catégorie, cadre d'emplois et grade ; employeur ; \
service ; métier de référence ; missions et profil ; lieu de travail ; date de prise de poste ; à qui adresser les \
candidatures et date limite de candidature. Termine par : « Tous nos postes sont ouverts aux personnes en situation \
de handicap. » N'invente aucun fait absent de la demande ; écris « [à compléter] » à la place. N'ajoute aucun \
critère lié à l'âge, au sexe, à la situation de famille, à la grossesse, à l'origine, à la nationalité, à la santé, \
au handicap, à l'apparence, aux convictions, au lieu de résidence ou à la langue maternelle. Les notes du \
recruteur sont internes : n'en reprends que les faits objectifs sur le poste, jamais les remarques sur des \
personnes, le budget, les conflits ou les préférences. Mentionne l'ouverture aux contractuels seulement si la \
demande l'indique.";

/// The JSON body of the chat-completions call.
pub fn request_body(r: &DraftRequest, model: &str, temperature: f64) -> String {
    let fields = json!({
        "intitule": r.job_title, "employeur": r.employer, "filiere": r.filiere, "categorie": r.categorie,
        "cadre_emplois": r.cadre_emplois, "grades": r.grades, "service": r.service, "lieu": r.location,
        "missions": r.missions, "profil": r.profile, "temps_de_travail": r.working_time,
        "remuneration": r.remuneration, "teletravail": r.remote_work,
        "date_limite_candidature": r.application_deadline, "prise_de_poste": r.start_date,
        "contact_candidature": r.contact, "fondement_contractuel": r.contract_basis,
        "ouvert_aux_contractuels": r.open_to_contractuels, "voie_de_recrutement": r.recruitment_route,
        "notes_internes_du_recruteur": r.recruiter_notes,
    });
    json!({
        "model": model,
        "temperature": temperature,
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": format!("Rédige l'offre à partir de cette demande (JSON) :\n{fields}")},
        ],
    })
    .to_string()
}

/// The text of the first choice, or why the answer cannot be used.
pub fn completion_text(body: &[u8]) -> Result<String, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("réponse illisible du service : {e}"))?;
    let text = v
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| "réponse du service sans choices[0].message.content".to_owned())?;
    let text = text.trim();
    if text.is_empty() {
        return Err("le service a renvoyé un texte vide".into());
    }
    Ok(text.to_owned())
}

/// The first level-1 heading of the ad, or the requested title with "(F/H)".
pub fn title_of(markdown: &str, job_title: &str) -> String {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("{} (F/H)", job_title.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_and_answer() {
        let r = DraftRequest {
            job_title: "Agent d'accueil".into(),
            employer: None,
            filiere: None,
            categorie: None,
            cadre_emplois: None,
            grades: vec![],
            service: None,
            location: None,
            missions: vec![],
            profile: vec![],
            working_time: None,
            remuneration: vec![],
            remote_work: None,
            application_deadline: None,
            start_date: None,
            contact: None,
            contract_basis: None,
            open_to_contractuels: None,
            recruitment_route: None,
            recruiter_notes: None,
        };
        let v: Value = serde_json::from_str(&request_body(&r, "m", 0.2)).unwrap();
        assert_eq!(v["model"], "m");
        assert!(v["messages"][1]["content"].as_str().unwrap().contains("Agent d'accueil"));
        let ok = br##"{"choices":[{"message":{"role":"assistant","content":"# Agent (F/H)\n\nTexte"}}]}"##;
        assert_eq!(title_of(&completion_text(ok).unwrap(), "x"), "Agent (F/H)");
        assert!(completion_text(b"{not json").is_err());
        assert!(completion_text(br#"{"choices":[]}"#).is_err());
    }
}
