//! Behaviour tests with a fake embedder: bags of stems where a few test words share a
//! dimension, standing in for a multilingual model (no model weights in unit tests).

use crate::engine::{assess, role_text, Embedder, Settings};
use vivier_matcher_lexical::analysis::significant_stems;
use vivier_sdk::skills_matcher::*;

const DIM: usize = 64;

/// Words a real multilingual model would bring together; everything else hashes to its own
/// dimension.
fn concept(stem: &str) -> Option<usize> {
    Some(match stem {
        "visit" | "visite" | "home" | "domicil" => 0,
        "famil" | "parent" | "families" | "family" => 1,
        "cart" | "carte" | "map" | "cartographi" => 2,
        _ => return None,
    })
}

fn hash(s: &str) -> usize {
    s.bytes().fold(7usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize)) % (DIM - 8) + 8
}

#[derive(Default)]
struct Fake {
    calls: usize,
    fail: bool,
    seen: Vec<String>,
}

impl Embedder for Fake {
    fn embed(&mut self, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
        self.calls += 1;
        if self.fail {
            return Err("modèle multilingual-e5-small absent de cet hôte".into());
        }
        self.seen.extend(texts.iter().cloned());
        Ok(texts
            .iter()
            .map(|t| {
                let body = ["query: ", "passage: ", "Q| ", "P| "]
                    .iter()
                    .find_map(|p| t.strip_prefix(p))
                    .unwrap_or_else(|| panic!("no known prefix: {t}"));
                let mut v = vec![0f32; DIM];
                for s in significant_stems(body) {
                    v[concept(&s).unwrap_or_else(|| hash(&s))] += 1.0;
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter().map(|x| x / n).collect()
            })
            .collect())
    }
}

fn settings() -> Settings {
    let mut s = Settings { floor: 1.0, ceiling: 3.0, batch: 5, ..Settings::default() };
    s.lexical.reference_month = Some(2026 * 12 + 10);
    s
}

fn profile() -> Profile {
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

fn experience(title: &str, description: &str) -> Experience {
    Experience {
        title: title.into(),
        organisation: None,
        location: None,
        start: Some(PartialDate { year: 2018, month: Some(1) }),
        end: None,
        current: true,
        description: description.into(),
    }
}

fn req(id: &str, label: &str, kind: RequirementKind, weight: f32) -> Requirement {
    Requirement { id: id.into(), label: label.into(), kind, weight, mandatory: true, concept_id: None }
}

fn posting() -> Posting {
    Posting {
        id: "p".into(),
        title: "Puéricultrice de PMI".into(),
        description: String::new(),
        requirements: vec![
            req("r1", "Visites à domicile", RequirementKind::Skill, 2.0),
            req("r2", "Cartographie", RequirementKind::Skill, 1.0),
            req("experience", "Expérience professionnelle d'au moins 2 ans", RequirementKind::Experience, 1.5),
        ],
    }
}

fn candidate(id: &str, profile: Profile, months: Option<u32>) -> Candidate {
    Candidate { id: id.into(), profile, experience_months: months }
}

#[test]
fn meaning_found_without_the_words_english_cv() {
    let mut p = profile();
    p.experiences = vec![experience("Health visitor", "Home visits to families\nProduce maps of the area")];
    let mut fake = Fake::default();
    let out = assess(&posting(), &[candidate("c1", p, Some(100))], &settings(), &mut fake, &mut Vec::new()).unwrap();
    let r = &out[0].requirements[0];
    assert_eq!(r.status, RequirementStatus::Met, "{r:?}");
    assert!(r.evidence[0].starts_with("Expérience : ") && r.evidence[0].contains("similarité"), "{:?}", r.evidence);
    assert!(out[0].requirements[1].status != RequirementStatus::Missing);
    // Minimum experience: the lexical reading of the host's months, untouched.
    assert_eq!(out[0].requirements[2].status, RequirementStatus::Met);
    // Its evidence quotes the CV (the host keeps nothing else): no computed total.
    assert!(out[0].requirements[2].evidence.iter().all(|e| !e.contains("cumulée")), "{:?}", out[0].requirements[2]);
    // 1 + 1 candidates' texts in batches of 5.
    assert!(fake.calls >= 1);
}

#[test]
fn stuffed_list_does_not_beat_a_described_experience() {
    let mut stuffed = profile();
    let filler: Vec<String> = (0..40).map(|i| format!("Savoir-faire {i}")).collect();
    stuffed.skills = vec![Skill {
        label: format!("Visites à domicile ; Cartographie ; {}", filler.join(" ; ")),
        concept_id: None,
        evidence: vec![],
    }];
    let mut genuine = profile();
    genuine.experiences = vec![experience("Puéricultrice", "Visites à domicile auprès des jeunes parents")];
    let out = assess(
        &posting(),
        &[candidate("stuffed", stuffed, Some(3)), candidate("genuine", genuine, Some(60))],
        &settings(),
        &mut Fake::default(),
        &mut Vec::new(),
    )
    .unwrap();
    assert!(out[1].score > out[0].score, "{} vs {}", out[1].score, out[0].score);
    assert!(out[0].requirements.iter().all(|r| r.status != RequirementStatus::Met), "{:?}", out[0]);
}

#[test]
fn a_sentence_of_an_unrelated_job_proves_less_than_in_a_job_of_the_trade() {
    let mut posting = posting();
    posting.description =
        "Puéricultrice de PMI — Service : PMI.\nMissions :\n- Visites à domicile auprès des jeunes familles".into();
    assert_eq!(role_text(&posting), "Puéricultrice de PMI : Visites à domicile auprès des jeunes familles");
    // The same sentence, in a job of the trade and in an accountant's job.
    let job = |title: &str, other: &str| {
        let mut p = profile();
        p.experiences = vec![experience(title, &format!("{other}\nHome visits to families"))];
        p
    };
    let cands = [
        candidate("trade", job("Puéricultrice", "Consultations de nourrissons en PMI"), Some(60)),
        candidate("unrelated", job("Comptable", "Saisie des factures fournisseurs"), Some(60)),
    ];
    let out = assess(&posting, &cands, &settings(), &mut Fake::default(), &mut Vec::new()).unwrap();
    let visits = |i: usize| out[i].requirements[0].contribution;
    assert!(visits(0) > visits(1), "{} vs {}", visits(0), visits(1));
    assert!(visits(1) > 0.0, "an unrelated job is discounted, not ignored");
    // role-floor 1 turns the role fit off: the same sentence then proves the same.
    let off = Settings { role_floor: 1.0, ..settings() };
    let out = assess(&posting, &cands, &off, &mut Fake::default(), &mut Vec::new()).unwrap();
    assert_eq!(out[0].requirements[0].contribution, out[1].requirements[0].contribution);
}

#[test]
fn contributions_add_up_every_candidate_kept_and_deterministic() {
    let mut a = profile();
    a.experiences = vec![experience("Cartographe", "Cartes du réseau routier")];
    let cands =
        vec![candidate("c1", a, Some(20)), candidate("c2", profile(), None), candidate("c3", profile(), Some(0))];
    let first = assess(&posting(), &cands, &settings(), &mut Fake::default(), &mut Vec::new()).unwrap();
    let again = assess(&posting(), &cands, &settings(), &mut Fake::default(), &mut Vec::new()).unwrap();
    assert_eq!(first, again);
    let ids: Vec<&str> = first.iter().map(|a| a.candidate_id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    for a in &first {
        let sum: f32 = a.requirements.iter().map(|r| r.contribution).sum();
        assert!((sum - a.score).abs() < 1e-6, "{sum} vs {}", a.score);
        assert!((0.0..=1.0).contains(&a.score));
        assert_eq!(a.requirements.len(), 3);
        // A question for every requirement that is not met.
        let gaps = a.requirements.iter().filter(|r| r.status != RequirementStatus::Met).count();
        assert_eq!(a.interview_questions.len(), gaps, "{a:?}");
        assert!(!a.summary.is_empty());
    }
    assert!(first[0].score > first[1].score);
}

#[test]
fn host_failure_is_a_clear_error_not_a_silent_fallback() {
    let mut p = profile();
    p.experiences = vec![experience("Puéricultrice", "Visites")];
    let err = assess(
        &posting(),
        &[candidate("c1", p, None)],
        &settings(),
        &mut Fake { fail: true, ..Fake::default() },
        &mut Vec::new(),
    )
    .unwrap_err();
    match err {
        MatchError::Internal(m) => assert!(m.contains("multilingual-e5-small"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn settings_are_read_and_checked() {
    let (s, problems) = Settings::from_lookup(|k| match k {
        "relevance-floor" => Some("3".into()),
        "relevance-ceiling" => Some("2.5".into()),
        "batch-size" => Some("0".into()),
        "model" => Some("autre-modele".into()),
        _ => None,
    });
    assert_eq!(s.model, "autre-modele");
    // Ceiling below floor: both back to defaults.
    assert_eq!((s.floor, s.ceiling), (Settings::default().floor, Settings::default().ceiling));
    assert_eq!(problems.len(), 2, "{problems:?}");
    let (s, problems) = Settings::from_lookup(|k| match k {
        "relevance-floor" => Some("1,2".into()),
        "relevance-ceiling" => Some("2.5".into()),
        // Cosine thresholds of earlier versions: named as ignored, not misread.
        "similarity-floor" => Some("0.85".into()),
        _ => None,
    });
    assert_eq!((s.floor, s.ceiling), (Settings::default().floor, 2.5));
    assert!(problems.iter().any(|p| p.starts_with("relevance-floor ignoré")), "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("similarity-floor ignoré")), "{problems:?}");
    assert_eq!(s.calibrate(s.floor), 0.0);
    assert_eq!(s.calibrate(s.ceiling + 0.05), 1.0);
}

#[test]
fn the_models_prefixes_come_from_the_settings() {
    let (custom, problems) = Settings::from_lookup(|k| match k {
        "query-prefix" => Some("Q| ".into()),
        "passage-prefix" => Some("P| ".into()),
        _ => None,
    });
    assert!(problems.is_empty(), "{problems:?}");
    let cands = [candidate("c1", profile(), Some(100))];
    let mut e5 = Fake::default();
    let first = assess(&posting(), &cands, &settings(), &mut e5, &mut Vec::new()).unwrap();
    assert!(e5.seen.iter().all(|t| t.starts_with("query: ") || t.starts_with("passage: ")));
    let mut other = Fake::default();
    let s = Settings { query_prefix: custom.query_prefix, passage_prefix: custom.passage_prefix, ..settings() };
    let second = assess(&posting(), &cands, &s, &mut other, &mut Vec::new()).unwrap();
    assert!(other.seen.iter().any(|t| t.starts_with("Q| ")) && other.seen.iter().any(|t| t.starts_with("P| ")));
    assert!(other.seen.iter().all(|t| t.starts_with("Q| ") || t.starts_with("P| ")), "{:?}", other.seen);
    // The fake ignores prefixes: same vectors, same reading.
    assert_eq!(first[0].score, second[0].score);
}

#[test]
fn model_reads_the_first_of_neutral_double_forms() {
    use crate::chunks::for_model;
    assert_eq!(
        for_model("Assistant/assistante social/sociale de secteur : suivi des familles"),
        "Assistant social de secteur : suivi des familles"
    );
    assert_eq!(
        for_model("Éducateur/éducatrice spécialisé/spécialisée, EJE"),
        "Éducateur spécialisé, EJE (éducateur de jeunes enfants)"
    );
    // Not two forms of one word: kept as written.
    for kept in ["AP/CP et M57", "saisie et/ou contrôle", "09/2019 à 06/2021", "Paie/RH", "a/b"] {
        assert_eq!(for_model(kept), kept);
    }
}

#[test]
fn model_reads_acronyms_with_their_long_form() {
    use crate::chunks::for_model;
    assert_eq!(
        for_model("Plans d'aide APA, suivi des bénéficiaires (RSA)"),
        "Plans d'aide APA (allocation personnalisée d'autonomie), suivi des bénéficiaires (RSA (revenu de solidarité active))"
    );
    // Capitals that are no known abbreviation, and words that only look alike, are left alone.
    assert_eq!(for_model("Mairie de PARIS, Apa"), "Mairie de PARIS, Apa");
}

#[test]
fn a_passage_close_to_every_requirement_proves_less() {
    use crate::engine::{relevance, Baseline};
    let requirement = Baseline { mean: 0.80, spread: 0.02 };
    let specific = Baseline { mean: 0.78, spread: 0.02 };
    let generic = Baseline { mean: 0.84, spread: 0.02 };
    // Same cosine with the requirement: the generic passage stands out less.
    assert!(relevance(0.85, &requirement, &specific) > relevance(0.85, &requirement, &generic));
    assert!((relevance(0.85, &requirement, &specific) - 3.0).abs() < 1e-4);
    // The spread has a floor: a cohort that answers alike does not blow a tiny gap up.
    let flat = Baseline::of(&[1.0, 0.0], &[vec![1.0, 0.0], vec![1.0, 0.0]]);
    assert!(relevance(1.0, &flat, &flat).abs() < 1e-4);
    assert!(relevance(1.005, &flat, &flat) <= 0.5 + 1e-4);
}
