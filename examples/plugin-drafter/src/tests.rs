use super::*;

#[test]
fn short_ad_and_deadline_warning() {
    let request = DraftRequest {
        job_title: "Agent d'accueil".into(),
        employer: None,
        filiere: None,
        categorie: None,
        cadre_emplois: None,
        grades: vec![],
        service: None,
        location: None,
        missions: vec!["Accueillir le public".into()],
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
        recruiter_notes: Some("note interne".into()),
    };
    let ad = ExampleDrafter::draft(request).unwrap();
    assert!(ad.markdown.starts_with("# Agent d'accueil (F/H)\n"));
    assert!(ad.markdown.contains("- Accueillir le public"));
    assert!(!ad.markdown.contains("note interne"));
    assert_eq!(ad.warnings[0].code, "missing-application-deadline");
}
