//! Behaviour tests of the matcher on fictional profiles and postings.

use crate::engine::{assess, month_from_unix_seconds, parse_reference, Settings, MAX_EVIDENCE_CHARS};
use vivier_sdk::skills_matcher::*;

fn empty_profile() -> Profile {
    Profile {
        headline: None,
        summary: None,
        experiences: vec![],
        education: vec![],
        skills: vec![],
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
    }
}

fn skill(label: &str) -> Skill {
    Skill { label: label.into(), concept_id: None, evidence: vec![] }
}

fn date(year: u16, month: Option<u8>) -> Option<PartialDate> {
    Some(PartialDate { year, month })
}

fn experience(
    title: &str,
    description: &str,
    start: Option<PartialDate>,
    end: Option<PartialDate>,
    current: bool,
) -> Experience {
    Experience {
        title: title.into(),
        organisation: None,
        location: None,
        start,
        end,
        current,
        description: description.into(),
    }
}

fn req(id: &str, label: &str, kind: RequirementKind) -> Requirement {
    Requirement { id: id.into(), label: label.into(), kind, weight: 1.0, mandatory: true, concept_id: None }
}

fn posting(requirements: Vec<Requirement>) -> Posting {
    Posting {
        id: "offre-test-001".into(),
        title: "Gestionnaire paie et carrières (F/H)".into(),
        description: "Poste fictif de développement.".into(),
        requirements,
    }
}

fn settings() -> Settings {
    Settings { reference_month: parse_reference("2025-06"), ..Settings::default() }
}

fn one(requirement: Requirement, profile: Profile) -> RequirementAssessment {
    let out = assess(
        &posting(vec![requirement]),
        &[Candidate { id: "c1".into(), profile, experience_months: None }],
        &settings(),
    )
    .unwrap();
    out.into_iter().next().unwrap().requirements.into_iter().next().unwrap()
}

/// A fictional HR assistant.
fn gestionnaire_rh() -> Profile {
    let mut p = empty_profile();
    p.headline = Some("Gestionnaire ressources humaines".into());
    p.skills = vec![
        Skill {
            label: "Gestion des rémunérations".into(),
            concept_id: None,
            evidence: vec!["Préparation mensuelle des éléments variables pour 450 agents".into()],
        },
        skill("Excel (tableaux croisés dynamiques)"),
    ];
    p.experiences = vec![
        experience(
            "Gestionnaire paie",
            "Saisie des éléments de paie, contrôle des bulletins, déclarations DSN.",
            date(2019, Some(9)),
            date(2021, Some(8)),
            false,
        ),
        experience(
            "Gestionnaire carrière et paie",
            "Suivi des carrières et de la paie des agents du service de PMI.",
            date(2021, Some(9)),
            None,
            true,
        ),
    ];
    p.education = vec![Education {
        degree: "Licence professionnelle Gestion des ressources humaines".into(),
        institution: None,
        location: None,
        start: None,
        end: None,
        level: Some("bac+3".into()),
    }];
    p.languages = vec![Language { name: "English".into(), level: Some("C1".into()) }];
    p.driving_licences = vec!["B".into()];
    p.public_service.concours = vec!["Concours de rédacteur territorial".into()];
    p.interests = vec!["Photographie argentique".into()];
    p
}

#[test]
fn synonym_turns_missing_into_met() {
    let mut p = empty_profile();
    p.skills = vec![skill("Gestion des rémunérations")];
    p.experiences = vec![experience(
        "Agent administratif",
        "Secrétariat du service de protection maternelle et infantile",
        None,
        None,
        false,
    )];
    // Neither "paie" nor "PMI" appear verbatim in the profile.
    let r = one(req("r1", "Maîtrise de la paie", RequirementKind::Skill), p.clone());
    assert_eq!(r.status, RequirementStatus::Met, "{r:?}");
    assert!(r.evidence[0].contains("rémunérations"), "{:?}", r.evidence);
    let r = one(req("r2", "Connaissance de la PMI", RequirementKind::Skill), p.clone());
    assert_eq!(r.status, RequirementStatus::Met);
    // Without the synonym the same kind of requirement stays missing.
    let r = one(req("r3", "Connaissance de la comptabilité analytique", RequirementKind::Skill), p);
    assert_eq!(r.status, RequirementStatus::Missing);
    assert!(r.evidence.is_empty());
}

#[test]
fn half_the_terms_is_partial() {
    let mut p = empty_profile();
    p.skills = vec![skill("Rédaction de courriers")];
    let r = one(req("r1", "Rédaction d'actes juridiques", RequirementKind::Skill), p);
    // "rédaction" found, "actes" and "juridiques" not: 1/3 < 0.5.
    assert_eq!(r.status, RequirementStatus::Missing);
    let mut p = empty_profile();
    p.skills = vec![skill("Rédaction de courriers administratifs")];
    let r = one(req("r1", "Rédaction d'actes administratifs", RequirementKind::Skill), p);
    assert_eq!(r.status, RequirementStatus::Partial);
    // "administratifs" is a generic word (frequent in ESCO and ROME): finding it and
    // "rédaction" without the specific "actes" earns well under half the weight.
    assert!(r.contribution > 0.0 && r.contribution < 0.5, "{r:?}");
}

#[test]
fn candidate_without_anything_still_gets_an_assessment_in_order() {
    let requirements =
        vec![req("r1", "Gestion de la paie", RequirementKind::Skill), req("r2", "Permis B", RequirementKind::Licence)];
    let candidates = vec![
        Candidate { id: "cand-b".into(), profile: gestionnaire_rh(), experience_months: None },
        Candidate { id: "cand-a".into(), profile: empty_profile(), experience_months: None },
        Candidate { id: "cand-c".into(), profile: gestionnaire_rh(), experience_months: None },
    ];
    let out = assess(&posting(requirements), &candidates, &settings()).unwrap();
    let ids: Vec<&str> = out.iter().map(|a| a.candidate_id.as_str()).collect();
    assert_eq!(ids, ["cand-b", "cand-a", "cand-c"]);
    let empty = &out[1];
    assert_eq!(empty.score, 0.0);
    assert_eq!(empty.requirements.len(), 2);
    assert!(empty.requirements.iter().all(|r| r.status == RequirementStatus::Missing));
    assert_eq!(empty.summary, "0 exigence sur 2 satisfaite ; manque : Gestion de la paie, Permis B.");
    assert_eq!(empty.interview_questions.len(), 2);
    assert!(empty.interview_questions[0]
        .starts_with("Pouvez-vous décrire votre expérience en lien avec « Gestion de la paie »"));
    assert_eq!(out[0].score, 1.0);
    assert_eq!(out[0].summary, "2 exigences sur 2 satisfaites.");
    assert!(out[0].interview_questions.is_empty());
}

#[test]
fn no_candidates_gives_no_assessments() {
    let out = assess(&posting(vec![req("r1", "Paie", RequirementKind::Skill)]), &[], &settings()).unwrap();
    assert!(out.is_empty());
}

#[test]
fn years_of_experience_are_counted_from_partial_dates() {
    // 24 months (2019-09 → 2021-08) + 46 months (2021-09 → reference 2025-06) = 70 months.
    let r = one(req("r1", "3 ans d'expérience en gestion de la paie", RequirementKind::Experience), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Met, "{r:?}");
    assert!(r.evidence.iter().any(|e| e == "Expérience : Gestionnaire paie (24 mois)"));

    let r =
        one(req("r2", "Expérience de 10 ans en gestion de la paie", RequirementKind::Experience), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Partial);

    let mut p = empty_profile();
    p.experiences = vec![experience("Gestionnaire paie", "", date(2022, None), date(2022, None), false)];
    let r = one(req("r3", "Deux ans d'expérience en paie", RequirementKind::Experience), p);
    assert_eq!(r.status, RequirementStatus::Partial);
    assert_eq!(r.evidence, vec!["Expérience : Gestionnaire paie (12 mois)"]);

    // No experience at all, but the skill is listed: at most partial.
    let mut p = empty_profile();
    p.skills = vec![skill("Paie")];
    let r = one(req("r4", "3 ans d'expérience en paie", RequirementKind::Experience), p);
    assert_eq!(r.status, RequirementStatus::Partial);
}

#[test]
fn languages_compare_levels() {
    let r = one(req("r1", "Anglais niveau B2", RequirementKind::Language), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Met, "{r:?}");
    assert_eq!(r.evidence, ["Langue : English (C1)"]);
    let mut p = empty_profile();
    p.languages = vec![Language { name: "Anglais".into(), level: Some("notions".into()) }];
    let r = one(req("r1", "Anglais courant", RequirementKind::Language), p);
    assert_eq!(r.status, RequirementStatus::Partial);
    let r = one(req("r1", "Espagnol courant", RequirementKind::Language), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Missing);
}

#[test]
fn licences_compare_categories() {
    assert_eq!(one(req("r1", "Permis B", RequirementKind::Licence), gestionnaire_rh()).status, RequirementStatus::Met);
    assert_eq!(
        one(req("r1", "Permis C", RequirementKind::Licence), gestionnaire_rh()).status,
        RequirementStatus::Missing
    );
    let mut p = empty_profile();
    p.driving_licences = vec!["CE".into()];
    // CE implies B; the label needs no explicit kind when it says "permis".
    assert_eq!(
        one(req("r1", "Permis B obligatoire", RequirementKind::Other), p.clone()).status,
        RequirementStatus::Met
    );
    assert_eq!(one(req("r1", "Permis C ou CE", RequirementKind::Licence), p).status, RequirementStatus::Met);
    // "permis de construire" is not a licence.
    let mut p = empty_profile();
    p.skills = vec![skill("Instruction des permis de construire")];
    assert_eq!(
        one(req("r1", "Instruction des permis de construire", RequirementKind::Skill), p).status,
        RequirementStatus::Met
    );
}

#[test]
fn education_levels_and_fields() {
    let r = one(req("r1", "Bac+2 minimum en ressources humaines", RequirementKind::Education), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Met, "{r:?}");
    let r = one(req("r1", "Master en droit public", RequirementKind::Education), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Missing, "{r:?}");
    let r = one(req("r1", "Bac+3 en droit public", RequirementKind::Education), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Partial, "{r:?}");
}

#[test]
fn public_service_facts_and_weak_sources() {
    let r = one(req("r1", "Lauréat du concours de rédacteur territorial", RequirementKind::Other), gestionnaire_rh());
    // "lauréat" is not in the profile: 2 of 3 terms.
    assert_eq!(r.status, RequirementStatus::Partial);
    let r = one(req("r1", "Concours de rédacteur", RequirementKind::Other), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Met);
    assert!(r.evidence[0].starts_with("Concours : "));
    // Interests alone never meet a requirement.
    let r = one(req("r1", "Photographie", RequirementKind::Skill), gestionnaire_rh());
    assert_eq!(r.status, RequirementStatus::Partial);
    assert!(r.evidence[0].starts_with("Centre d'intérêt : "));
}

#[test]
fn concept_ids_match_directly() {
    let mut p = empty_profile();
    p.skills = vec![Skill { label: "Payroll".into(), concept_id: Some("ESCO:S-PAIE-01".into()), evidence: vec![] }];
    let mut r = req("r1", "Traitement des salaires", RequirementKind::Skill);
    r.concept_id = Some("esco:s-paie-01".into());
    assert_eq!(one(r, p).status, RequirementStatus::Met);
}

#[test]
fn weights_are_normalised_and_bad_weights_count_as_one() {
    let mut r1 = req("r1", "Gestion de la paie", RequirementKind::Skill);
    r1.weight = 3.0;
    let mut r2 = req("r2", "Marchés publics", RequirementKind::Skill);
    r2.weight = f32::NAN;
    let mut r3 = req("r3", "Excel", RequirementKind::Skill);
    r3.weight = -2.0;
    let out = assess(
        &posting(vec![r1, r2, r3]),
        &[Candidate { id: "c".into(), profile: gestionnaire_rh(), experience_months: None }],
        &settings(),
    )
    .unwrap();
    let a = &out[0];
    let weights: Vec<f32> = a.requirements.iter().map(|r| r.weight).collect();
    assert_eq!(weights, [3.0, 1.0, 1.0]);
    assert!((a.requirements[0].contribution - 0.6).abs() < 1e-6);
    assert_eq!(a.requirements[1].contribution, 0.0);
    // Excel is only listed in the skills (not shown in an experience): 0.8 of its share.
    assert!((a.requirements[2].contribution - 0.16).abs() < 1e-6);
    assert!((a.score - 0.76).abs() < 1e-6, "{}", a.score);
    let sum: f32 = a.requirements.iter().map(|r| r.contribution).sum();
    assert!((sum - a.score).abs() < 1e-6);
    assert_eq!(a.summary, "2 exigences sur 3 satisfaites ; manque : Marchés publics.");
}

#[test]
fn invalid_and_description_only_postings() {
    let mut p = posting(vec![]);
    p.description = "  \n ".into();
    assert!(matches!(assess(&p, &[], &settings()), Err(MatchError::InvalidPosting(_))));
    p.description = "Vous assurez la gestion de la paie.\n- Suivi des carrières\n- Permis B".into();
    let out =
        assess(&p, &[Candidate { id: "c".into(), profile: gestionnaire_rh(), experience_months: None }], &settings())
            .unwrap();
    let ids: Vec<&str> = out[0].requirements.iter().map(|r| r.requirement_id.as_str()).collect();
    assert_eq!(ids, ["d1", "d2", "d3"]);
    assert!(out[0].requirements.iter().all(|r| r.status == RequirementStatus::Met), "{:?}", out[0].requirements);
}

#[test]
fn output_is_deterministic_and_evidence_short() {
    let mut p = gestionnaire_rh();
    p.experiences[1].description =
        format!("{} Gestion de la paie des assistants familiaux. {}", "Contexte. ".repeat(30), "Suite. ".repeat(30));
    let requirements = vec![
        req("r1", "Gestion de la paie", RequirementKind::Skill),
        req("r2", "3 ans d'expérience en paie", RequirementKind::Experience),
        req("r3", "Suivi des carrières", RequirementKind::Skill),
        req("r4", "", RequirementKind::Other),
    ];
    let candidates = vec![
        Candidate { id: "c1".into(), profile: p.clone(), experience_months: None },
        Candidate { id: "c2".into(), profile: p, experience_months: None },
    ];
    let a = assess(&posting(requirements.clone()), &candidates, &settings()).unwrap();
    let b = assess(&posting(requirements), &candidates, &settings()).unwrap();
    assert_eq!(a, b);
    for r in &a[0].requirements {
        for e in &r.evidence {
            assert!(e.chars().count() <= MAX_EVIDENCE_CHARS, "{e}");
        }
    }
    // An empty label cannot be checked: the same neutral "partial" for everyone.
    assert_eq!(a[0].requirements[3].status, RequirementStatus::Partial);
}

#[test]
fn settings_are_read_and_checked() {
    let (s, problems) = Settings::from_lookup(|k| match k {
        "partial-threshold" => Some("0.1".into()),
        "reference-date" => Some("2024-02".into()),
        "max-evidence" => Some("douze".into()),
        _ => None,
    });
    assert_eq!(s.partial_threshold, 0.1);
    assert_eq!(s.reference_month, Some(2024 * 12 + 1));
    assert_eq!(s.max_evidence, 3);
    assert_eq!(problems.len(), 1);
    // A lower threshold turns 1 term of 3 into partial.
    let mut p = empty_profile();
    p.skills = vec![skill("Rédaction de courriers")];
    let out = assess(
        &posting(vec![req("r1", "Rédaction d'actes juridiques", RequirementKind::Skill)]),
        &[Candidate { id: "c".into(), profile: p, experience_months: None }],
        &s,
    )
    .unwrap();
    assert_eq!(out[0].requirements[0].status, RequirementStatus::Partial);
}

#[test]
fn unix_time_to_month() {
    assert_eq!(month_from_unix_seconds(0), 1970 * 12);
    // 2023-11-14T22:13:20Z
    assert_eq!(month_from_unix_seconds(1_700_000_000), 2023 * 12 + 10);
    // 2024-02-29T12:00:00Z
    assert_eq!(month_from_unix_seconds(1_709_208_000), 2024 * 12 + 1);
}

#[test]
fn minimum_experience_uses_the_host_months() {
    let r = req("experience", "Expérience professionnelle d'au moins 3 ans", RequirementKind::Experience);
    let run = |months: Option<u32>, profile: Profile| {
        let out = assess(
            &posting(vec![r.clone()]),
            &[Candidate { id: "c".into(), profile, experience_months: months }],
            &settings(),
        )
        .unwrap();
        out[0].requirements[0].clone()
    };
    // The host's figure wins over the plugin's own reading of the dates.
    let a = run(Some(40), empty_profile());
    assert_eq!(a.status, RequirementStatus::Met, "{a:?}");
    // No computed total in the evidence (the host keeps only quotes of the CV): here, no
    // dated experience to quote.
    assert!(a.evidence.is_empty(), "{:?}", a.evidence);
    let a = run(Some(24), gestionnaire_rh());
    assert!(a.evidence.iter().any(|e| e == "Expérience : Gestionnaire paie (24 mois)"), "{:?}", a.evidence);
    assert_eq!(a.status, RequirementStatus::Partial);
    assert!((a.contribution - 24.0 / 36.0).abs() < 1e-6);
    assert_eq!(run(Some(6), gestionnaire_rh()).status, RequirementStatus::Missing);
    // Without the host's figure: the profile's dated experiences (2019-09 to 2025-06).
    assert_eq!(run(None, gestionnaire_rh()).status, RequirementStatus::Met);
}

#[test]
fn keyword_stuffing_does_not_beat_experience() {
    let requirements = vec![
        req("r1", "Système d'information géographique", RequirementKind::Skill),
        req("r2", "Cartographie", RequirementKind::Skill),
        req("r3", "Marchés publics", RequirementKind::Skill),
    ];
    // Forty skills listed, nothing done.
    let mut stuffed = empty_profile();
    let many: Vec<String> = (0..37).map(|i| format!("Compétence numéro {i}")).collect();
    stuffed.skills = vec![skill(&format!("SIG ; Cartographie ; Marchés publics ; {}", many.join(" ; ")))];
    // Two of the three shown in an experience.
    let mut genuine = empty_profile();
    genuine.experiences =
        vec![experience("Technicien SIG", "Cartographie des réseaux d'eau", date(2019, Some(1)), None, true)];
    let out = assess(
        &posting(requirements),
        &[
            Candidate { id: "stuffed".into(), profile: stuffed, experience_months: Some(0) },
            Candidate { id: "genuine".into(), profile: genuine, experience_months: Some(70) },
        ],
        &settings(),
    )
    .unwrap();
    assert!(out[1].score > out[0].score, "{} vs {}", out[1].score, out[0].score);
    assert!(out[0].requirements.iter().all(|r| r.status != RequirementStatus::Met), "{:?}", out[0]);
    // The same three skills in a short list are credible (met).
    let mut short = empty_profile();
    short.skills = vec![skill("SIG"), skill("Cartographie"), skill("Marchés publics")];
    let r = one(req("r2", "Cartographie", RequirementKind::Skill), short);
    assert_eq!(r.status, RequirementStatus::Met);
}

#[test]
fn a_keyword_list_under_a_summary_heading_is_discounted_like_a_skills_list() {
    use crate::profile::keyword_list_items;
    let many: Vec<String> = (0..37).map(|i| format!("Compétence numéro {i}")).collect();
    let keywords = format!("SIG, Cartographie, Marchés publics, {}", many.join(", "));
    assert_eq!(keyword_list_items(&keywords), Some(40));
    // Sentences, even with commas, are a summary.
    assert_eq!(
        keyword_list_items("Dix ans en collectivité, au service des usagers, avec rigueur et discrétion."),
        None
    );
    let mut stuffed = empty_profile();
    stuffed.summary = Some(keywords);
    let r = one(req("r2", "Cartographie", RequirementKind::Skill), stuffed.clone());
    assert_ne!(r.status, RequirementStatus::Met, "{r:?}");
    let mut genuine = empty_profile();
    genuine.experiences =
        vec![experience("Technicien SIG", "Cartographie des réseaux d'eau", date(2019, Some(1)), None, true)];
    let requirements = vec![
        req("r1", "Système d'information géographique", RequirementKind::Skill),
        req("r2", "Cartographie", RequirementKind::Skill),
    ];
    let out = assess(
        &posting(requirements),
        &[
            Candidate { id: "stuffed".into(), profile: stuffed, experience_months: Some(2) },
            Candidate { id: "genuine".into(), profile: genuine, experience_months: Some(70) },
        ],
        &settings(),
    )
    .unwrap();
    assert!(out[1].score > out[0].score, "{} vs {}", out[1].score, out[0].score);
}

/// Native timing of 1,000 profiles (not a test of speed: run with --ignored --nocapture).
#[test]
#[ignore]
fn native_timing_1000() {
    let reqs = vec![
        req("r1", "Paie des agents publics", RequirementKind::Skill),
        req("r2", "Gestion des carrières", RequirementKind::Skill),
        req("r3", "Statut de la fonction publique territoriale", RequirementKind::Skill),
        req("o1", "DSN", RequirementKind::Skill),
        req("experience", "Expérience professionnelle d'au moins 2 ans", RequirementKind::Experience),
    ];
    let cands: Vec<Candidate> = (0..1000)
        .map(|i| Candidate { id: format!("c{i}"), profile: gestionnaire_rh(), experience_months: Some(30) })
        .collect();
    let t = std::time::Instant::now();
    let out = assess(&posting(reqs.clone()), &cands, &settings()).unwrap();
    println!("assess: {:?} for {}", t.elapsed(), out.len());
    for _ in 0..5 {
        assess(&posting(reqs.clone()), &cands, &settings()).unwrap();
    }
}
