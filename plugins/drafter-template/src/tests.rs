//! Behaviour tests on fictional draft requests.

use crate::compose::{ad_title, draft, Options, DEFAULT_CONTRACT_BASIS, TO_COMPLETE};
use vivier_sdk::posting_drafter::*;

/// A complete, lawful, fictional request.
fn request() -> DraftRequest {
    DraftRequest {
        job_title: "  gestionnaire paie et carrières (H/F) ".into(),
        employer: Some("Département de l'Exemple".into()),
        filiere: Some("administrative".into()),
        categorie: Some("C".into()),
        cadre_emplois: Some("adjoints administratifs territoriaux".into()),
        grades: vec!["Adjoint administratif".into(), "Adjoint administratif principal de 2e classe".into()],
        service: Some("Direction des ressources humaines – service paie".into()),
        location: Some("Hôtel du Département, Exempleville".into()),
        missions: vec![
            "Préparer et contrôler la paie d'un portefeuille d'environ 400 agents".into(),
            "- Suivre les carrières : avancements, positions, arrêtés".into(),
            "Accueillir et renseigner les agents".into(),
        ],
        profile: vec![
            "Expérience de 2 ans minimum en gestion de la paie".into(),
            "Connaissance du statut de la fonction publique territoriale".into(),
            "Aisance avec les outils bureautiques".into(),
        ],
        working_time: Some("Temps complet, 37 h 30 hebdomadaires avec RTT".into()),
        remuneration: vec!["Rémunération statutaire".into(), "RIFSEEP (IFSE + CIA)".into(), "Adhésion au CNAS".into()],
        remote_work: Some("Possible jusqu'à 2 jours par semaine".into()),
        application_deadline: Some("15 mars 2026".into()),
        start_date: Some("1er mai 2026".into()),
        contact: Some("recrutement@exemple-departement.invalid".into()),
        contract_basis: None,
        open_to_contractuels: Some(true),
        recruitment_route: Some("Mutation, détachement, liste d'aptitude".into()),
        recruiter_notes: None,
    }
}

fn codes(ad: &JobAd) -> Vec<&str> {
    ad.warnings.iter().map(|w| w.code.as_str()).collect()
}

#[test]
fn complete_request_gives_a_full_ad_without_alerts() {
    let ad = draft(&request(), &Options::default()).unwrap();
    assert_eq!(ad.title, "Gestionnaire paie et carrières (F/H)");
    let md = &ad.markdown;
    assert!(md.starts_with(
        "# Gestionnaire paie et carrières (F/H) – Cadre d'emplois des adjoints administratifs territoriaux\n"
    ));
    for section in ["## L'employeur", "## Vos missions", "## Votre profil", "## Conditions", "## Candidature"] {
        assert!(md.contains(section), "{section} missing in\n{md}");
    }
    assert!(md.contains("- Suivre les carrières : avancements, positions, arrêtés\n"));
    assert!(md.contains("  - RIFSEEP (IFSE + CIA)\n"));
    assert!(md.contains("- **Grades** : Adjoint administratif, Adjoint administratif principal de 2e classe\n"));
    assert!(md.contains(
        "par voie statutaire ou, à défaut, contractuelle (article L332-8 du code général de la fonction publique)"
    ));
    assert!(md.contains("Tous nos postes sont ouverts aux personnes en situation de handicap"));
    assert!(md.contains("- **Date limite de candidature** : 15 mars 2026"));
    assert!(!md.contains(TO_COMPLETE));
    // Only the note that the default legal basis was used.
    assert_eq!(codes(&ad), ["contract-basis-default", "metier-from-title"]);
}

#[test]
fn age_in_recruiter_notes_warns_and_stays_out_of_the_ad() {
    let mut r = request();
    r.recruiter_notes = Some("Le chef de service veut quelqu'un de moins de 30 ans pour l'équipe.".into());
    let ad = draft(&r, &Options::default()).unwrap();
    let w = ad.warnings.iter().find(|w| w.code == "age-criterion").expect("age warning");
    assert_eq!(w.category, "discrimination");
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.article.contains("225-1") && w.article.contains("L131-1") && w.article.contains("L1132-1"));
    assert!(w.excerpt.contains("moins de 30 ans"));
    assert!(!ad.markdown.contains("30 ans"));
    assert!(!ad.markdown.contains("chef de service"));
    assert!(codes(&ad).contains(&"recruiter-notes-kept-internal"));
}

#[test]
fn recruiter_notes_are_never_pasted() {
    let mut r = request();
    r.recruiter_notes = Some("Poste sensible, prévoir un entretien avec la DGS.".into());
    let ad = draft(&r, &Options::default()).unwrap();
    assert!(!ad.markdown.contains("DGS"));
    assert!(!codes(&ad).iter().any(|c| c.ends_with("-criterion")));
}

#[test]
fn discriminatory_published_items_are_removed() {
    let mut r = request();
    r.profile.push("De préférence un homme, sans enfants".into());
    let ad = draft(&r, &Options::default()).unwrap();
    assert!(!ad.markdown.contains("homme"));
    assert!(ad.markdown.contains("Aisance avec les outils bureautiques"));
    let sex = ad.warnings.iter().find(|w| w.code == "sex-criterion").unwrap();
    assert_eq!(sex.severity, Severity::Error);
    assert!(sex.article.contains("L1142-1"));
    assert!(codes(&ad).contains(&"family-situation"));
}

#[test]
fn missing_deadline_and_statutory_facts_warn() {
    let mut r = request();
    r.application_deadline = None;
    r.categorie = None;
    r.cadre_emplois = Some("  ".into());
    r.grades.clear();
    r.remuneration.clear();
    let ad = draft(&r, &Options::default()).unwrap();
    let c = codes(&ad);
    for code in [
        "missing-application-deadline",
        "missing-categorie",
        "missing-cadre-emplois",
        "missing-grades",
        "missing-remuneration",
    ] {
        assert!(c.contains(&code), "{code} not in {c:?}");
    }
    let deadline = ad.warnings.iter().find(|w| w.code == "missing-application-deadline").unwrap();
    assert_eq!(deadline.category, "mandatory-mention");
    assert_eq!(deadline.severity, Severity::Warning);
    assert!(deadline.article.contains("2018-1351"));
    assert!(ad.markdown.contains(&format!("- **Date limite de candidature** : {TO_COMPLETE}")));
}

#[test]
fn empty_title_is_invalid() {
    let mut r = request();
    r.job_title = " \t".into();
    assert!(matches!(draft(&r, &Options::default()), Err(DraftError::InvalidRequest(_))));
}

#[test]
fn titles_are_clean_and_inclusive() {
    assert_eq!(ad_title("chargé de mission SIG - "), "Chargé de mission SIG (F/H)");
    assert_eq!(ad_title("Assistant·e de direction"), "Assistant·e de direction");
    assert_eq!(ad_title("Agent d'entretien F/H"), "Agent d'entretien (F/H)");
    let mut r = request();
    r.job_title = "Assistante de gestion H/F".into();
    let ad = draft(&r, &Options::default()).unwrap();
    assert!(codes(&ad).contains(&"gendered-title"));
}

#[test]
fn contract_basis_and_options() {
    let mut r = request();
    r.contract_basis = Some("article L332-14 du code général de la fonction publique".into());
    let options = Options::from_lookup(|k| {
        (k == "disability-mention").then(|| "Poste ouvert aux bénéficiaires de l'obligation d'emploi.".to_owned())
    });
    let ad = draft(&r, &options).unwrap();
    assert!(ad.markdown.contains("contractuelle (article L332-14 du code général de la fonction publique)"));
    assert!(!ad.markdown.contains(DEFAULT_CONTRACT_BASIS));
    assert!(ad.markdown.contains("Poste ouvert aux bénéficiaires de l'obligation d'emploi."));
    assert_eq!(codes(&ad), ["metier-from-title"]);

    r.open_to_contractuels = Some(false);
    r.contract_basis = None;
    let ad = draft(&r, &Options::default()).unwrap();
    assert!(!ad.markdown.contains("contractuelle"));
}

#[test]
fn minimal_request_is_drafted_with_placeholders() {
    let r = DraftRequest {
        job_title: "Agent d'entretien des routes".into(),
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
    let ad = draft(&r, &Options::default()).unwrap();
    assert!(ad.markdown.contains(TO_COMPLETE));
    assert!(codes(&ad).contains(&"missing-employer"));
    assert!(codes(&ad).contains(&"recruitment-route-unspecified"));
    assert_eq!(draft(&r, &Options::default()).unwrap(), ad);
}

#[test]
fn decree_mentions_reference_and_publishable_notes_are_in_the_ad() {
    let mut r = request();
    r.recruiter_notes = Some(
        "Réf. : DRH-2026-14. Métier : Gestionnaire paie. Équipe de 6 agents, logiciel Ciril. \
         Entre nous, le précédent titulaire est parti en conflit avec la cheffe. Budget serré."
            .into(),
    );
    let ad = draft(&r, &Options::default()).unwrap();
    let md = &ad.markdown;
    for needle in [
        "Fonction publique territoriale",
        "Vacance d'emploi permanent",
        "**Référence de l'offre : DRH-2026-14**",
        "- **Métier de référence** : Gestionnaire paie\n",
        "- Équipe de 6 agents, logiciel Ciril.\n",
        "- **Poste à pourvoir (prise de poste)** : 1er mai 2026\n",
        "Département de l'Exemple recrute au sein de",
    ] {
        assert!(md.contains(needle), "{needle:?} missing in\n{md}");
    }
    assert!(!md.contains("titulaire est parti") && !md.contains("Budget"));
    assert!(codes(&ad).contains(&"recruiter-notes-kept-internal"));
    assert!(!codes(&ad).contains(&"metier-from-title"));

    // Without a reference in the notes: a stable generated one.
    r.recruiter_notes = None;
    let a = draft(&r, &Options::default()).unwrap();
    assert!(a.markdown.contains("**Référence de l'offre : VIV-2026-"));
    assert_eq!(a, draft(&r, &Options::default()).unwrap());
}

#[test]
fn contractuels_opening_only_when_requested() {
    let mut r = request();
    r.open_to_contractuels = None;
    r.contract_basis = Some("article L332-8".into());
    let ad = draft(&r, &Options::default()).unwrap();
    assert!(!ad.markdown.contains("contractuelle"));
    assert!(codes(&ad).contains(&"contract-basis-unused"));
}

#[test]
fn a_megabyte_of_notes_is_drafted_quickly() {
    let mut r = request();
    r.recruiter_notes = Some("Notes de réunion. ".repeat(60_000));
    let t = std::time::Instant::now();
    let ad = draft(&r, &Options::default()).unwrap();
    eprintln!("1 MB of notes: {:?}", t.elapsed());
    assert!(ad.markdown.len() < 20_000);
    assert!(codes(&ad).contains(&"recruiter-notes-truncated"));
}

#[test]
fn disguised_criteria_are_found_and_kept_out_of_the_ad() {
    let mut r = request();
    r.profile.push("De préférence un h.o.m.m.e".into());
    r.profile.push("N\u{0430}tio\u{AD}nalité fr\u{0430}nçaise exigée".into());
    r.recruiter_notes = Some("Le DGS veut quelqu'un de m o i n s  d e  3 5  a n s.".into());
    let ad = draft(&r, &Options::default()).unwrap();
    let c = codes(&ad);
    for code in ["sex-criterion", "nationality-criterion", "age-criterion"] {
        assert!(c.contains(&code), "{code} not in {c:?}");
    }
    assert!(!ad.markdown.contains("h.o.m.m.e") && !ad.markdown.contains("nalité fr"), "{}", ad.markdown);
    let age = ad.warnings.iter().find(|w| w.code == "age-criterion").unwrap();
    assert_eq!(age.severity, Severity::Warning);
}

#[test]
fn each_criterion_of_a_passage_gets_its_own_warning() {
    let mut r = request();
    r.profile.push("Homme de moins de 40 ans".into());
    let ad = draft(&r, &Options::default()).unwrap();
    let on_passage: Vec<&str> =
        ad.warnings.iter().filter(|w| w.excerpt.contains("Homme de moins")).map(|w| w.code.as_str()).collect();
    assert_eq!(on_passage, ["sex-criterion", "age-criterion"]);
}
