use super::*;

#[test]
fn share_of_labels_found_in_skills() {
    let req = |id: &str, label: &str| Requirement {
        id: id.into(),
        label: label.into(),
        kind: RequirementKind::Skill,
        weight: 1.0,
        mandatory: false,
        concept_id: None,
    };
    let posting = Posting {
        id: "p".into(),
        title: "Gestionnaire".into(),
        description: String::new(),
        requirements: vec![req("r1", "Paie"), req("r2", "Marchés publics")],
    };
    let profile = Profile {
        headline: None,
        summary: None,
        experiences: vec![],
        education: vec![],
        skills: vec![Skill { label: "Gestion de la PAIE".into(), concept_id: None, evidence: vec![] }],
        languages: vec![],
        certifications: vec![],
        driving_licences: vec![],
        public_service: PublicService {
            grade: None,
            cadre_emplois: None,
            categorie: None,
            concours: vec![],
            status: None,
        },
        interests: vec![],
    };
    let out =
        ExampleMatcher::assess(posting, vec![Candidate { id: "c1".into(), profile, experience_months: None }]).unwrap();
    assert_eq!(out[0].candidate_id, "c1");
    assert_eq!(out[0].score, 0.5);
}
