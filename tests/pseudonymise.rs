//! Pseudonymisation that holds: over thousands of generated profiles, each CV and its
//! counterfactual (the same CV with a protected signal added: feminine titles, birth date, age,
//! nationality, family, leave, RQTH, illness, address, another commune, graduation years, contact
//! details) reach the matcher as exactly the same value, checked on what a real matcher
//! component receives (the `echo` test component returns the WIT value it was handed).

mod common;

use common::*;
use vivier::model::*;
use vivier::probe::pairs::Rng;
use vivier::ranking;

const TODAY: PartialDate = PartialDate { year: 2026, month: Some(6) };

/// (masculine, feminine) job titles, most from the ESCO/ROME pair table, some only covered by
/// the suffix rules.
const TITLES: &[(&str, &str)] = &[
    ("Directeur des ressources humaines", "Directrice des ressources humaines"),
    ("Ingénieur territorial", "Ingénieure territoriale"),
    ("Chargé de mission", "Chargée de mission"),
    ("Agent d'accueil", "Agente d'accueil"),
    ("Technicien principal", "Technicienne principale"),
    ("Conseiller en insertion professionnelle", "Conseillère en insertion professionnelle"),
    ("Animateur périscolaire", "Animatrice périscolaire"),
    ("Éducateur spécialisé", "Éducatrice spécialisée"),
    ("Assistant social", "Assistante sociale"),
    ("Rédacteur principal", "Rédactrice principale"),
    ("Attaché territorial", "Attachée territoriale"),
    ("Adjoint administratif", "Adjointe administrative"),
    ("Infirmier puériculteur", "Infirmière puéricultrice"),
    ("Chef de service", "Cheffe de service"),
    ("Contrôleur de gestion", "Contrôleuse de gestion"),
    ("Inspecteur de salubrité", "Inspectrice de salubrité"),
    ("Coordinateur de projet", "Coordinatrice de projet"),
    ("Médiateur numérique", "Médiatrice numérique"),
    ("Instructeur des autorisations", "Instructrice des autorisations"),
    ("Gestionnaire paie", "Gestionnaire paie"),
];

/// Passages a CV may contain that a matcher must not see, with words that betray each if any
/// of it got through.
const PASSAGES: &[(&str, &[&str])] = &[
    ("Née le 3 avril 1979 à Oran", &["1979", "oran", "née le"]),
    ("Né en 1990", &["1990", "né en"]),
    ("Date de naissance : 12/03/1985", &["1985", "naissance"]),
    ("Âgée de 42 ans", &["42 ans", "âgée"]),
    ("45 ans", &["45 ans"]),
    ("Nationalité marocaine", &["nationalit", "marocaine"]),
    ("De nationalité française", &["nationalit", "française"]),
    ("Mariée, 3 enfants", &["mariée", "enfant"]),
    ("Célibataire", &["célibataire"]),
    ("Pacsé, deux enfants", &["pacsé", "enfant"]),
    ("Mère de deux enfants", &["mère", "enfant"]),
    ("Situation familiale : divorcée", &["familiale", "divorcée"]),
    ("Congé maternité en 2018", &["maternité"]),
    ("Congé parental de 2015 à 2017", &["parental"]),
    ("Arrêt maladie de six mois en 2020", &["maladie"]),
    ("Bénéficiaire de la RQTH", &["rqth", "bénéficiaire"]),
    ("RQTH en cours de renouvellement", &["rqth", "renouvellement"]),
    ("Travailleuse handicapée reconnue par la CDAPH", &["handicap", "cdaph"]),
    ("Reconnaissance de la qualité de travailleur handicapé depuis 2012", &["handicap", "reconnaissance"]),
    ("Invalidité de catégorie 1", &["invalidit"]),
    ("Mi-temps thérapeutique en 2021", &["thérapeutique"]),
    ("12 rue des Lilas, 33150 Cenon", &["lilas", "cenon", "33150"]),
    ("Domiciliée à Lormont", &["domicili", "lormont"]),
    ("Titre de séjour valable jusqu'en 2027", &["séjour"]),
    ("marie.dupont@example.org", &["@", "dupont"]),
    ("06 12 34 56 78", &["06 12", "56 78"]),
    ("+33 6 12 34 56 78", &["+33"]),
    ("Madame", &["madame"]),
];

const SENTENCES: &[&str] = &[
    "Gestion de la paie de 300 agents",
    "Suivi des carrières et des absences",
    "Rédaction de notes et de délibérations",
    "Préparation du budget de 1,5 M€",
    "Encadrement d'une équipe de 6 personnes",
    "15 ans d'expérience en collectivité",
    "Pilotage de marchés publics",
    "Accompagnement des usagers",
    "Maîtrise des logiciels CIRIL et Excel",
    "Animation de réunions partenariales",
];

const COMMUNES: &[(&str, &str)] = &[
    ("Mérignac (33700)", "Lormont (33310)"),
    ("Pessac (33600)", "Cenon (33150)"),
    ("Libourne (33500)", "Floirac (33270)"),
    ("Bordeaux 33000", "Bègles 33130"),
];

struct Pair {
    reference: Profile,
    variant: Profile,
    /// Words that must not reach the matcher.
    betrayals: Vec<&'static str>,
}

fn sentences(rng: &mut Rng, n: usize) -> Vec<String> {
    (0..n).map(|_| rng.pick(SENTENCES).to_string()).collect()
}

/// Inserts `passage` among the sentences at a random place (the variant's text).
fn with_passage(rng: &mut Rng, base: &[String], passage: &str) -> String {
    let mut v = base.to_vec();
    let at = rng.below(v.len() + 1);
    v.insert(at, passage.to_owned());
    v.join(". ") + "."
}

fn generate(rng: &mut Rng) -> Pair {
    let mut betrayals: Vec<&'static str> = Vec::new();
    let (t1, t2) = (rng.below(TITLES.len()), rng.below(TITLES.len()));
    let (commune_ref, commune_var) = *rng.pick(COMMUNES);
    let n = 2 + rng.below(3);
    let summary = sentences(rng, n);
    let n = 1 + rng.below(3);
    let desc1 = sentences(rng, n);
    let n = 1 + rng.below(3);
    let desc2 = sentences(rng, n);
    let interests = ["Randonnée", "Bénévolat associatif", "Lecture"];
    // Two or three passages, each in a field of its own choosing.
    let mut in_summary = Vec::new();
    let mut in_desc = Vec::new();
    let mut in_interests = Vec::new();
    for _ in 0..(2 + rng.below(2)) {
        let (p, words) = *rng.pick(PASSAGES);
        betrayals.extend_from_slice(words);
        match rng.below(3) {
            0 => in_summary.push(p),
            1 => in_desc.push(p),
            _ => in_interests.push(p),
        }
    }
    let feminine_titles = rng.below(2) == 0;
    let grad_ref = 2000 + rng.below(15) as u16;
    let grad_var = grad_ref - 20 - rng.below(10) as u16;
    let start = grad_ref + 1;

    let build = |variant: bool, rng: &mut Rng| {
        let title = |i: usize| if variant && feminine_titles { TITLES[i].1 } else { TITLES[i].0 };
        let text = |base: &[String], passages: &[&str], rng: &mut Rng| {
            let mut s = base.join(". ") + ".";
            if variant {
                let mut v = base.to_vec();
                for p in passages {
                    let joined = with_passage(rng, &v, p);
                    v = joined.trim_end_matches('.').split(". ").map(str::to_owned).collect();
                }
                s = v.join(". ") + ".";
            }
            s
        };
        let mut interest_items: Vec<String> = interests.iter().map(|s| s.to_string()).collect();
        if variant {
            interest_items.extend(in_interests.iter().map(|s| s.to_string()));
        }
        Profile {
            headline: Some(title(t2).to_owned()),
            summary: Some(text(&summary, &in_summary, rng)),
            experiences: vec![
                Experience {
                    title: title(t2).to_owned(),
                    organisation: Some("Département de la Gironde".into()),
                    location: Some(if variant { commune_var } else { commune_ref }.to_owned()),
                    start: Some(PartialDate { year: start + 5, month: Some(1) }),
                    end: None,
                    current: true,
                    description: format!("En tant que {}, {}", title(t2).to_lowercase(), text(&desc1, &in_desc, rng)),
                },
                Experience {
                    title: title(t1).to_owned(),
                    organisation: Some("Commune de Pessac".into()),
                    location: Some(if variant { commune_var } else { commune_ref }.to_owned()),
                    start: Some(PartialDate { year: start, month: Some(9) }),
                    end: Some(PartialDate { year: start + 4, month: Some(12) }),
                    current: false,
                    description: text(&desc2, &[], rng),
                },
            ],
            education: vec![Education {
                degree: "Master Droit public".into(),
                institution: Some("Université de Bordeaux".into()),
                location: Some("Bordeaux (33000)".into()),
                start: Some(PartialDate { year: if variant { grad_var } else { grad_ref } - 2, month: None }),
                end: Some(PartialDate { year: if variant { grad_var } else { grad_ref }, month: None }),
                level: Some("bac+5".into()),
            }],
            skills: vec![Skill {
                label: "Paie".into(),
                concept_id: None,
                evidence: vec![format!("{} : gestion de la paie", title(t1))],
            }],
            languages: vec![Language { name: "Anglais".into(), level: Some("B2".into()) }],
            certifications: vec![],
            driving_licences: vec!["B".into()],
            public_service: PublicService {
                grade: Some(
                    if variant && feminine_titles { "Attachée principale" } else { "Attaché principal" }.into(),
                ),
                ..Default::default()
            },
            interests: interest_items,
        }
    };
    // The same random choices for both: rebuild the generator state for the variant.
    let reference = build(false, &mut Rng::new(7));
    let variant = build(true, rng);
    betrayals.extend_from_slice(&[
        "lormont",
        "floirac",
        "bègles",
        "cenon",
        "mérignac",
        "pessac (",
        "libourne",
        "33700",
    ]);
    Pair { reference, variant, betrayals }
}

fn pairs(n: usize) -> Vec<Pair> {
    let mut rng = Rng::new(0x00C0_FFEE);
    (0..n).map(|_| generate(&mut rng)).collect()
}

#[test]
fn counterfactual_profiles_reach_the_matcher_identical() {
    let pairs = pairs(3000);
    for (i, p) in pairs.iter().enumerate() {
        let a = ranking::candidate(format!("a{i}"), None, p.reference.clone(), TODAY);
        let b = ranking::candidate(format!("a{i}"), None, p.variant.clone(), TODAY);
        assert_ne!(p.reference, p.variant, "pair {i}: the generator must add a signal");
        assert_eq!(a, b, "pair {i}: the matcher would see a difference\nraw: {:#?}", p.variant);
    }
}

/// What a real component receives, in batches of 100 pairs per call.
fn echoed(rt: &vivier::Runtime, plugin: &vivier::runtime::LoadedPlugin, cands: &[Candidate]) -> Vec<String> {
    let posting = Posting { id: "p".into(), title: "t".into(), description: String::new(), requirements: vec![] };
    let inv = rt.assess(plugin, &posting, cands);
    let out = match inv.result {
        Ok(Ok(a)) => a,
        other => panic!("echo failed: {other:?}"),
    };
    out.into_iter().map(|a| a.summary).collect()
}

#[test]
fn no_protected_signal_in_the_wit_value_a_matcher_gets() {
    let rt = runtime();
    let echo = load_hostile(&rt, "echo", 256, 20_000).unwrap();
    let pairs = pairs(2000);
    let mut leaks_raw = 0usize;
    for (batch, chunk) in pairs.chunks(100).enumerate() {
        let seen: Vec<Candidate> = chunk
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                [
                    ranking::candidate(format!("r{i}"), None, p.reference.clone(), TODAY),
                    ranking::candidate(format!("v{i}"), None, p.variant.clone(), TODAY),
                ]
            })
            .collect();
        let got = echoed(&rt, &echo, &seen);
        for (i, p) in chunk.iter().enumerate() {
            let (r, v) = (&got[2 * i], &got[2 * i + 1]);
            assert_eq!(r, v, "batch {batch} pair {i}: the component saw two different profiles");
            let lower = v.to_lowercase();
            for w in &p.betrayals {
                assert!(!lower.contains(w), "batch {batch} pair {i}: `{w}` reached the matcher: {v}");
            }
        }
        // The same variants without the pseudonymiser do carry the signals: the check above
        // can fail.
        let raw: Vec<Candidate> = chunk
            .iter()
            .enumerate()
            .map(|(i, p)| ranking::raw_candidate(format!("v{i}"), None, p.variant.clone(), TODAY))
            .collect();
        let got_raw = echoed(&rt, &echo, &raw);
        for (i, p) in chunk.iter().enumerate() {
            let lower = got_raw[i].to_lowercase();
            if p.betrayals.iter().any(|w| lower.contains(w)) {
                leaks_raw += 1;
            }
        }
    }
    assert_eq!(leaks_raw, pairs.len(), "every raw variant carries at least one signal");
}

#[test]
fn pseudonymised_text_stays_useful() {
    let p = Profile {
        headline: Some("Ingénieure territoriale".into()),
        summary: Some("Née le 2 mai 1980. 15 ans d'expérience en voirie. Budget de 1,5 M€.".into()),
        experiences: vec![Experience {
            title: "Cheffe de service voirie".into(),
            location: Some("Libourne (33500)".into()),
            description: "Pilotage de marchés publics, RQTH".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let c = ranking::candidate("c1".into(), None, p, TODAY);
    assert_eq!(c.profile.headline.as_deref(), Some("Ingénieur/ingénieure territorial/territoriale"));
    assert_eq!(c.profile.summary.as_deref(), Some("15 ans d'expérience en voirie. Budget de 1,5 M€."));
    assert_eq!(c.profile.experiences[0].title, "Chef/cheffe de service voirie");
    assert_eq!(c.profile.experiences[0].location.as_deref(), Some("département 33"));
    assert_eq!(c.profile.experiences[0].description, "Pilotage de marchés publics");
}

/// A parser's output that copies the candidate's identity into every string field of the
/// profile, in several writings (case, spacing, separators, country prefix, date formats).
fn identity_everywhere(id: &Identity) -> Profile {
    let name = id.full_name.clone().unwrap();
    let spaced: String = name.split(' ').last().unwrap().chars().map(|c| format!("{c} ")).collect();
    let writings = [
        name.to_uppercase(),
        spaced,
        id.email.clone().unwrap(),
        "06 12 34 56 78".into(),
        "+33 (0)6.12.34.56.78".into(),
        id.address.clone().unwrap(),
        format!("{} {}", id.postal_code.clone().unwrap(), id.city.clone().unwrap()),
        id.links[0].clone(),
        "3 juillet 1988".into(),
        "1988-07-03".into(),
    ];
    let all = |extra: &str| format!("{extra} {}", writings.join(" ; "));
    Profile {
        headline: Some(all("Gestionnaire paie")),
        summary: Some(all("Résumé")),
        experiences: vec![Experience {
            title: all("Gestionnaire"),
            organisation: Some(all("Mairie")),
            location: Some(all("Lieu")),
            description: all("Paie"),
            ..Default::default()
        }],
        education: vec![Education {
            degree: all("Licence"),
            institution: Some(all("Université")),
            location: Some(all("Ville")),
            level: Some(all("bac+3")),
            ..Default::default()
        }],
        skills: vec![Skill { label: all("Paie"), concept_id: Some(all("ESCO")), evidence: vec![all("preuve")] }],
        languages: vec![Language { name: all("Anglais"), level: Some(all("C1")) }],
        certifications: vec![Certification { name: all("CACES"), issuer: Some(all("Organisme")), date: None }],
        driving_licences: vec![all("B")],
        public_service: PublicService {
            grade: Some(all("Adjoint")),
            cadre_emplois: Some(all("Adjoints")),
            categorie: Some(all("C")),
            concours: vec![all("Concours")],
            status: None,
        },
        interests: vec![all("Lecture")],
    }
}

#[test]
fn a_parser_copying_the_identity_into_every_field_gets_none_of_it_to_the_matcher() {
    let id = Identity {
        full_name: Some("Amélie Nguyen-Dubreuil".into()),
        email: Some("amelie.nguyen@exemple.fr".into()),
        phone: Some("+33 6 12 34 56 78".into()),
        address: Some("14 impasse des Tilleuls".into()),
        city: Some("Saint-Fictif".into()),
        postal_code: Some("33999".into()),
        links: vec!["https://www.linkedin.com/in/amelie-ng".into()],
        birth_date: Some("03/07/1988".into()),
        has_photo: false,
    };
    let profile = identity_everywhere(&id);
    let rt = runtime();
    let echo = load_hostile(&rt, "echo", 256, 20_000).unwrap();
    let seen = echoed(&rt, &echo, &[ranking::candidate("k1".into(), Some(&id), profile.clone(), TODAY)]);
    let got: String = seen[0].to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    for value in
        ["amelie", "amélie", "nguyen", "dubreuil", "exemple", "612345678", "tilleuls", "fictif", "33999", "1988"]
    {
        assert!(!got.contains(value), "`{value}` reached the matcher: {}", seen[0]);
    }
    // Every field kept its own words: the check does not pass by emptying the profile.
    for kept in ["gestionnaire", "licence", "anglais", "caces", "adjoint", "lecture"] {
        assert!(got.contains(kept), "`{kept}` was lost: {}", seen[0]);
    }
    // Without the identity the same profile does carry it: the check above can fail.
    let raw = echoed(&rt, &echo, &[ranking::raw_candidate("k1".into(), None, profile, TODAY)]);
    assert!(raw[0].to_lowercase().contains("dubreuil"));
}
