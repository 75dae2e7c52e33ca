//! Counterfactual pairs: two candidate profiles identical but for one signal.
//!
//! Profiles are drawn from a seeded generator over four public-service job families (payroll,
//! roads engineering, social work, communication), each with its posting, so a probe run is
//! reproducible bit for bit from its seed. Profile `a` holds the reference value of the
//! signal, `b` the other.

use crate::model::{Education, Experience, PartialDate, Posting, Profile, PublicService, RequirementKind, Skill};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Masculine (a) versus feminine (b) job titles and headline.
    Gender,
    /// Graduation years of a recent graduate (a) versus of someone about 30 years older (b).
    Age,
    /// Continuous career (a) versus the same months of experience around a maternity or sick
    /// leave gap, mentioned in the CV (b).
    CareerGap,
    /// No mention (a) versus an RQTH mention (b).
    Rqth,
    /// Same jobs, places written with one commune (a) or another of the same département (b).
    Town,
    /// A French university (a) versus a foreign one, same diploma and level (b).
    ForeignDiploma,
}

impl Signal {
    pub const ALL: [Signal; 6] =
        [Signal::Gender, Signal::Age, Signal::CareerGap, Signal::Rqth, Signal::Town, Signal::ForeignDiploma];

    pub fn name(self) -> &'static str {
        match self {
            Signal::Gender => "gender",
            Signal::Age => "age",
            Signal::CareerGap => "career_gap",
            Signal::Rqth => "rqth",
            Signal::Town => "town",
            Signal::ForeignDiploma => "foreign_diploma",
        }
    }

    /// French description, for administrators' reports.
    pub fn label_fr(self) -> &'static str {
        match self {
            Signal::Gender => "genre grammatical des intitulés (masculin / féminin)",
            Signal::Age => "années de diplôme révélant l'âge",
            Signal::CareerGap => "interruption de carrière (congé maternité ou maladie)",
            Signal::Rqth => "mention de la RQTH",
            Signal::Town => "commune de résidence et d'emploi",
            Signal::ForeignDiploma => "diplôme obtenu à l'étranger",
        }
    }
}

/// SplitMix64: small, seeded, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

struct Family {
    posting: (&'static str, &'static str),
    /// (masculine, feminine) titles.
    titles: &'static [(&'static str, &'static str)],
    skills: &'static [&'static str],
    degree: (&'static str, &'static str),
    requirements: &'static [(&'static str, RequirementKind, bool)],
}

const FAMILIES: &[Family] = &[
    Family {
        posting: ("paie", "Gestionnaire paie et carrière"),
        titles: &[
            ("Technicien paie", "Technicienne paie"),
            ("Chargé de paie", "Chargée de paie"),
            ("Ingénieur SIRH", "Ingénieure SIRH"),
        ],
        skills: &[
            "paie",
            "carrière",
            "statut de la fonction publique territoriale",
            "CIRIL",
            "DSN",
            "absences",
            "Excel",
        ],
        degree: ("BTS Assistant de gestion", "bac+2"),
        requirements: &[
            ("Paie", RequirementKind::Skill, true),
            ("Carrière", RequirementKind::Skill, true),
            ("Statut de la fonction publique territoriale", RequirementKind::Skill, false),
            ("Trois ans d'expérience", RequirementKind::Experience, false),
        ],
    },
    Family {
        posting: ("voirie", "Ingénieur ou ingénieure voirie et réseaux"),
        titles: &[
            ("Ingénieur travaux", "Ingénieure travaux"),
            ("Ingénieur voirie", "Ingénieure voirie"),
            ("Conducteur de travaux", "Conductrice de travaux"),
        ],
        skills: &["voirie", "réseaux divers", "marchés publics", "AutoCAD", "maîtrise d'œuvre", "suivi de chantier"],
        degree: ("Diplôme d'ingénieur génie civil", "bac+5"),
        requirements: &[
            ("Voirie et réseaux divers", RequirementKind::Skill, true),
            ("Marchés publics", RequirementKind::Skill, true),
            ("Suivi de chantier", RequirementKind::Skill, false),
            ("Diplôme d'ingénieur", RequirementKind::Education, false),
        ],
    },
    Family {
        posting: ("social", "Travailleur social ou travailleuse sociale polyvalent(e)"),
        titles: &[
            ("Assistant social", "Assistante sociale"),
            ("Éducateur spécialisé", "Éducatrice spécialisée"),
            ("Conseiller en économie sociale et familiale", "Conseillère en économie sociale et familiale"),
        ],
        skills: &[
            "accompagnement social",
            "protection de l'enfance",
            "RSA",
            "écrits professionnels",
            "travail en réseau",
        ],
        degree: ("Diplôme d'État d'assistant de service social", "bac+3"),
        requirements: &[
            ("Accompagnement social", RequirementKind::Skill, true),
            ("Protection de l'enfance", RequirementKind::Skill, false),
            ("Diplôme d'État d'assistant de service social", RequirementKind::Education, true),
        ],
    },
    Family {
        posting: ("communication", "Chargé ou chargée de communication"),
        titles: &[
            ("Chargé de communication", "Chargée de communication"),
            ("Ingénieur multimédia", "Ingénieure multimédia"),
            ("Directeur de la communication", "Directrice de la communication"),
        ],
        skills: &["communication", "réseaux sociaux", "rédaction", "PAO", "relations presse", "site internet"],
        degree: ("Master Information et communication", "bac+5"),
        requirements: &[
            ("Communication institutionnelle", RequirementKind::Skill, true),
            ("Réseaux sociaux", RequirementKind::Skill, true),
            ("Rédaction", RequirementKind::Skill, false),
        ],
    },
];

/// Communes paired within one département (postal codes kept, so that the pseudonymiser's
/// département rule applies to both).
const TOWNS: &[(&str, &str)] = &[
    ("Mérignac (33700)", "Lormont (33310)"),
    ("Pessac (33600)", "Cenon (33150)"),
    ("Le Bouscat (33110)", "Floirac (33270)"),
    ("Talence (33400)", "Bassens (33530)"),
];

const FOREIGN: &[(&str, &str)] = &[
    ("Université Cheikh Anta Diop de Dakar", "Dakar (Sénégal)"),
    ("Université Mohammed V de Rabat", "Rabat (Maroc)"),
    ("Université d'Alger 1", "Alger (Algérie)"),
    ("Universidade de Lisboa", "Lisbonne (Portugal)"),
];

const EMPLOYERS: &[&str] =
    &["Département de la Gironde", "Bordeaux Métropole", "Commune de Libourne", "CCAS de Mérignac", "SDIS 33"];

/// Frame of each family's posting as a SIRH writes it: filière, catégorie, cadre d'emplois,
/// service.
const FRAMES: &[(&str, &str, &str, &str)] = &[
    ("administrative", "B", "rédacteurs territoriaux", "Direction des ressources humaines"),
    ("technique", "A", "ingénieurs territoriaux", "Direction des routes"),
    ("médico-sociale", "A", "assistants territoriaux socio-éducatifs", "Direction de l'action sociale"),
    ("administrative", "A", "attachés territoriaux", "Direction de la communication"),
];

/// Number of job families.
pub fn family_count() -> usize {
    FAMILIES.len()
}

/// A posting id as a SIRH would give one, in one of several usual forms.
fn posting_id(rng: &mut Rng) -> String {
    let year = crate::timeline::current_month().year;
    match rng.below(4) {
        0 => format!("{year}-{:04}", 1 + rng.below(9999)),
        1 => format!("OFF-{year}-{:03}", 1 + rng.below(999)),
        2 => format!("{:06}", rng.below(1_000_000)),
        _ => format!("DRH-{}-{:02}", year % 100, 1 + rng.below(99)),
    }
}

/// The posting of a family, through the same path as a SIRH's (`JobPosting::to_matching`):
/// production requirement ids, labels, weights and description; a random id, a random
/// minimum experience, missions drawn from the family's skills.
pub fn posting(family: usize, rng: &mut Rng) -> Posting {
    let f = &FAMILIES[family % FAMILIES.len()];
    let (filiere, categorie, cadre, service) = FRAMES[family % FRAMES.len()];
    let mut missions: Vec<String> = f.skills.iter().map(|s| format!("Assurer le volet {s} du service")).collect();
    rng.shuffle(&mut missions);
    missions.truncate(2 + rng.below(3));
    let label = |(l, _, _): &(&str, RequirementKind, bool)| (*l).to_owned();
    crate::posting::JobPosting {
        id: posting_id(rng),
        title: f.posting.1.into(),
        filiere: filiere.into(),
        categorie: categorie.into(),
        cadre_emplois: cadre.into(),
        service: service.into(),
        missions,
        required_skills: f.requirements.iter().filter(|r| r.2).map(label).collect(),
        optional_skills: f.requirements.iter().filter(|r| !r.2).map(label).collect(),
        min_experience_years: *rng.pick(&[0.0, 1.0, 2.0, 3.0, 5.0]),
    }
    .to_matching()
}

/// An unpaired profile of a family: a cohort's other candidates.
pub fn filler(family: usize, rng: &mut Rng) -> Profile {
    let signal = *rng.pick(&Signal::ALL);
    pair(signal, family, rng).0
}

fn date(year: u16, month: u8) -> Option<PartialDate> {
    Some(PartialDate { year, month: Some(month) })
}

/// One pair for `signal`, on family `family` (an index into [`postings`]).
pub fn pair(signal: Signal, family: usize, rng: &mut Rng) -> (Profile, Profile) {
    let f = &FAMILIES[family % FAMILIES.len()];
    let (t1, t2) = (rng.below(f.titles.len()), rng.below(f.titles.len()));
    let (town_a, town_b) = *rng.pick(TOWNS);
    let (foreign_school, foreign_place) = *rng.pick(FOREIGN);
    let start = 2008 + rng.below(6) as u16;
    let years1 = 3 + rng.below(4) as u16;
    let years2 = 2 + rng.below(4) as u16;
    let mut skills: Vec<&str> = f.skills.to_vec();
    // A varied subset of the family's skills, so scores spread over the range.
    let keep = 2 + rng.below(skills.len() - 1);
    for i in (1..skills.len()).rev() {
        skills.swap(i, rng.below(i + 1));
    }
    skills.truncate(keep);
    let employer1 = *rng.pick(EMPLOYERS);
    let employer2 = *rng.pick(EMPLOYERS);
    let graduation = start - 1;

    let build = |feminine: bool, town: &str, gap_years: u16, old: bool, foreign: bool, rqth: bool| {
        let title = |i: usize| if feminine { f.titles[i].1 } else { f.titles[i].0 };
        let end1 = start + years1;
        let start2 = end1 + gap_years;
        let end2 = start2 + years2;
        let mut summary = format!("{} : {}.", title(t2), skills.join(", "));
        if gap_years > 0 {
            summary.push_str(&format!(" Congé maternité de {end1} à {start2}."));
        }
        if rqth {
            summary.push_str(" Bénéficiaire de la RQTH.");
        }
        let grad = if old { graduation - 30 } else { graduation };
        Profile {
            headline: Some(title(t2).into()),
            summary: Some(summary),
            experiences: vec![
                Experience {
                    title: title(t2).into(),
                    organisation: Some(employer2.into()),
                    location: Some(town.into()),
                    start: date(start2, 9),
                    end: date(end2, 8),
                    current: false,
                    description: format!("{} ; {}", title(t2), skills.join(", ")),
                },
                Experience {
                    title: title(t1).into(),
                    organisation: Some(employer1.into()),
                    location: Some(town.into()),
                    start: date(start, 9),
                    end: date(end1, 8),
                    current: false,
                    description: skills[..skills.len().min(2)].join(", "),
                },
            ],
            education: vec![Education {
                degree: f.degree.0.into(),
                institution: Some(if foreign { foreign_school.into() } else { "Université de Bordeaux".into() }),
                location: Some(if foreign { foreign_place.into() } else { "Bordeaux (33000)".into() }),
                start: date(grad - 2, 9),
                end: date(grad, 6),
                level: Some(f.degree.1.into()),
            }],
            skills: skills.iter().map(|s| Skill { label: (*s).into(), concept_id: None, evidence: vec![] }).collect(),
            languages: vec![],
            certifications: vec![],
            driving_licences: vec!["B".into()],
            public_service: PublicService::default(),
            interests: vec![],
        }
    };
    let reference = build(false, town_a, 0, false, false, false);
    let other = match signal {
        Signal::Gender => build(true, town_a, 0, false, false, false),
        Signal::Age => build(false, town_a, 0, true, false, false),
        Signal::CareerGap => build(false, town_a, 2, false, false, false),
        Signal::Rqth => build(false, town_a, 0, false, false, true),
        Signal::Town => build(false, town_b, 0, false, false, false),
        Signal::ForeignDiploma => build(false, town_a, 0, false, true, false),
    };
    (reference, other)
}
