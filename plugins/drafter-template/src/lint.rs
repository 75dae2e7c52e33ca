//! A basic discrimination check of the text of a draft request.
//!
//! Rules are short word patterns on folded text, with exceptions for the lawful uses that
//! public-sector job ads often contain ("accompagnement des jeunes", "égalité femmes-hommes",
//! "plus de 5 ans d'expérience", "suivi des femmes enceintes" in a PMI post). It is a safety net
//! for a human reviewer, not a legal opinion: it misses paraphrases, and a hit is a prompt to
//! reread.

use crate::words::{words, Word};

/// A protected criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Criterion {
    Age,
    Sex,
    Family,
    Pregnancy,
    Origin,
    Nationality,
    Health,
    Appearance,
    Religion,
    Union,
    Political,
    Residence,
    Orientation,
}

const PENAL: &str = "Code pénal, art. 225-1 et 225-2";
const CGFP: &str = "code général de la fonction publique, art. L131-1";

impl Criterion {
    /// Stable warning code.
    pub fn code(self) -> &'static str {
        match self {
            Criterion::Age => "age-criterion",
            Criterion::Sex => "sex-criterion",
            Criterion::Family => "family-situation",
            Criterion::Pregnancy => "pregnancy",
            Criterion::Origin => "origin-criterion",
            Criterion::Nationality => "nationality-criterion",
            Criterion::Health => "health-criterion",
            Criterion::Appearance => "appearance-criterion",
            Criterion::Religion => "religion-criterion",
            Criterion::Union => "union-membership",
            Criterion::Political => "political-opinion",
            Criterion::Residence => "residence-criterion",
            Criterion::Orientation => "sexual-orientation",
        }
    }

    /// Legal basis cited in the warning.
    pub fn article(self) -> String {
        match self {
            Criterion::Age => {
                format!("{PENAL} ; {CGFP} ; code du travail, art. L1132-1 et L5331-2")
            }
            Criterion::Sex | Criterion::Family | Criterion::Pregnancy => {
                format!("{PENAL} ; {CGFP} ; code du travail, art. L1132-1 et L1142-1")
            }
            Criterion::Nationality => {
                format!("{PENAL} ; {CGFP} ; code du travail, art. L1132-1 ; code général de la fonction publique, art. L321-1 et suivants")
            }
            Criterion::Residence => format!("{PENAL} ; code du travail, art. L1132-1"),
            _ => format!("{PENAL} ; {CGFP} ; code du travail, art. L1132-1"),
        }
    }

    /// French explanation for the recruiter.
    pub fn message(self) -> &'static str {
        match self {
            Criterion::Age => "Critère d'âge : une offre ne peut ni fixer de limite d'âge ni viser une tranche d'âge. Décrivez plutôt l'expérience ou les compétences attendues.",
            Criterion::Sex => "Critère de sexe : l'annonce ne peut ni mentionner le sexe de la personne recherchée ni s'adresser à un seul sexe. Employez une formulation neutre ou les deux formes.",
            Criterion::Family => "Situation de famille : ce critère ne peut ni figurer dans une offre ni fonder un choix.",
            Criterion::Pregnancy => "Grossesse ou maternité : ce critère ne peut ni figurer dans une offre ni fonder un choix.",
            Criterion::Origin => "Origine (y compris le nom, l'accent ou la langue maternelle) : critère interdit. Si le poste l'exige, demandez un niveau de langue.",
            Criterion::Nationality => "Nationalité : seule la condition légale d'accès aux emplois de fonctionnaire s'applique (nationalité française ou d'un État de l'Union européenne ou de l'Espace économique européen) ; elle est vérifiée au recrutement et ne doit pas être restreinte davantage dans l'annonce.",
            Criterion::Health => "État de santé ou handicap : critère interdit. L'aptitude physique est appréciée par un médecin agréé ; décrivez plutôt les contraintes objectives du poste (port de charges, travail en extérieur).",
            Criterion::Appearance => "Apparence physique : critère interdit. Décrivez, si besoin, la tenue de travail ou les règles d'hygiène et de sécurité du poste.",
            Criterion::Religion => "Convictions religieuses : critère interdit. Le principe de neutralité s'impose aux agents dans le service mais ne peut servir à écarter une candidature.",
            Criterion::Union => "Appartenance ou activité syndicale : critère interdit.",
            Criterion::Political => "Opinions politiques : critère interdit.",
            Criterion::Residence => "Lieu de résidence : critère interdit. Une contrainte de service objective (astreintes, délai d'intervention) se décrit comme telle, sans condition de domicile.",
            Criterion::Orientation => "Orientation sexuelle ou identité de genre : critère interdit.",
        }
    }
}

struct Rule {
    criterion: Criterion,
    /// Space-separated word specs: "a|b" alternatives, "#" a number, "x*" a prefix.
    pattern: &'static str,
    /// May be lawful ("profil junior" about experience): reported as information, kept in the ad.
    ambiguous: bool,
    /// Any of these words within four words before or after: a lawful use.
    unless_near: &'static [&'static str],
    /// Any of these among the three words after the match: a lawful use.
    unless_after: &'static [&'static str],
    /// The word just before the match is one of these: a lawful use.
    unless_before: &'static [&'static str],
    /// How many words around the match `unless_near` looks at.
    window: usize,
}

const fn rule(criterion: Criterion, pattern: &'static str) -> Rule {
    Rule { criterion, pattern, ambiguous: false, unless_near: &[], unless_after: &[], unless_before: &[], window: 4 }
}

const EXPERIENCE: &[&str] = &["experience", "experiences", "anciennete", "pratique", "carriere", "service", "services"];
/// Around a number of years: experience or a contract length, or a public served.
const AGE_CONTEXT: &[&str] = &[
    "jeunes",
    "enfant",
    "enfants",
    "mineur",
    "mineurs",
    "adolescent",
    "adolescents",
    "eleves",
    "public",
    "publics",
    "beneficiaires",
    "personnes",
    "usagers",
    "femmes",
    "mineures",
    "residents",
    "patients",
    "experience",
    "experiences",
    "anciennete",
    "pratique",
    "contrat",
    "cdd",
    "mission",
    "duree",
    "engagement",
    "periode",
    "detachement",
];
const SEX_CONTEXT: &[&str] = &["egalite", "parite", "violences", "violence", "mixite", "droits", "sexisme", "sexistes"];
const PREGNANCY_CONTEXT: &[&str] = &[
    "suivi",
    "suivis",
    "consultation",
    "consultations",
    "prenatal",
    "prenatale",
    "pmi",
    "accompagnement",
    "declaration",
    "declarations",
    "ivg",
    "interruption",
    "perinatal",
    "perinatale",
    "femmes",
    "sage",
];

const RULES: &[Rule] = &[
    // Age
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..rule(Criterion::Age, "moins|plus de # ans|an") },
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..rule(Criterion::Age, "entre # et # ans") },
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..rule(Criterion::Age, "# a # ans") },
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..rule(Criterion::Age, "# # ans") },
    Rule { unless_near: AGE_CONTEXT, ..rule(Criterion::Age, "age|agee|agees|ages de #") },
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..rule(Criterion::Age, "# ans maximum|max|minimum|maxi|au") },
    rule(Criterion::Age, "age maximum|minimum|maximal|minimal|limite|requis|ideal"),
    rule(Criterion::Age, "limite|tranche|condition d age"),
    rule(Criterion::Age, "ne|nee|nes|nees apres|avant #"),
    Rule {
        unless_before: &["des", "les", "aux", "ces", "nos", "vos", "pour", "de", "d", "jeunes"],
        unless_after: &[
            "public", "publics", "enfant", "enfants", "majeur", "majeurs", "adulte", "adultes", "en", "de", "des",
            "agriculteurs", "pousses", "plants", "arbres", "talents",
        ],
        ..rule(Criterion::Age, "jeune|jeunes")
    },
    rule(Criterion::Age, "jeune|jeunes diplome|diplomee|diplomes|diplomees"),
    Rule { ambiguous: true, ..rule(Criterion::Age, "junior|juniors|senior|seniors") },
    // Sex
    Rule {
        unless_near: &[
            "femme", "femmes", "egalite", "parite", "violences", "violence", "mixite", "droits", "sexisme", "sexistes",
        ],
        ..rule(Criterion::Sex, "homme|hommes")
    },
    Rule {
        unless_near: &[
            "homme", "hommes", "egalite", "parite", "violences", "violence", "mixite", "droits", "sexisme", "sexistes",
            "enceinte", "enceintes", "pmi", "accompagnement", "suivi",
        ],
        ..rule(Criterion::Sex, "femme|femmes")
    },
    Rule { unless_near: SEX_CONTEXT, ..rule(Criterion::Sex, "masculin|masculine|feminin|feminine|sexe") },
    // Family situation
    rule(Criterion::Family, "celibataire|celibataires|mariee|mariees|pacse|pacsee|divorcee"),
    rule(Criterion::Family, "etre|soit|est marie|divorce"),
    rule(Criterion::Family, "sans|pas|aucun d|de enfant|enfants"),
    rule(Criterion::Family, "sans enfant|enfants"),
    rule(Criterion::Family, "situation familiale|matrimoniale|maritale"),
    rule(Criterion::Family, "situation de famille"),
    rule(Criterion::Family, "charge|charges de famille"),
    rule(Criterion::Family, "mere|pere de famille"),
    rule(Criterion::Family, "enfants a charge"),
    // Pregnancy
    Rule { unless_near: PREGNANCY_CONTEXT, ..rule(Criterion::Pregnancy, "enceinte|enceintes|grossesse|grossesses") },
    rule(Criterion::Pregnancy, "conge|conges maternite"),
    rule(Criterion::Pregnancy, "conge|conges de maternite"),
    rule(Criterion::Pregnancy, "projet|desir d|de enfant|grossesse|bebe"),
    Rule { unless_near: PREGNANCY_CONTEXT, ..rule(Criterion::Pregnancy, "future|futures maman|mamans") },
    // Origin
    rule(Criterion::Origin, "d origine"),
    rule(Criterion::Origin, "origine|origines ethnique|etrangere|francaise|europeenne|africaine|maghrebine|asiatique"),
    rule(Criterion::Origin, "de souche"),
    rule(Criterion::Origin, "ethnie|ethnies|ethnique|ethniques|race|races|raciale"),
    rule(Criterion::Origin, "couleur de peau"),
    rule(Criterion::Origin, "couleur de la peau"),
    rule(Criterion::Origin, "consonance|patronyme"),
    rule(Criterion::Origin, "sans accent"),
    rule(Criterion::Origin, "accent etranger|regional|prononce"),
    rule(Criterion::Origin, "langue maternelle"),
    rule(Criterion::Origin, "natif|native|natifs|natives"),
    rule(Criterion::Origin, "originaire|originaires"),
    // Nationality beyond the legal condition
    Rule {
        unless_near: &["union", "europeenne", "ue", "eee", "europeen", "ressortissant", "ressortissants"],
        window: 16,
        ..rule(Criterion::Nationality, "nationalite|nationalites")
    },
    Rule {
        unless_near: &[
            "langue", "langues", "stage", "stages", "mobilite", "affaires", "sejour", "pays", "relations", "ressortissants",
            "ressortissant", "public", "publics", "accueil", "usagers", "personnes",
        ],
        ..rule(Criterion::Nationality, "etranger|etrangere|etrangers|etrangeres")
    },
    // Health and disability
    rule(Criterion::Health, "bonne|parfaite sante"),
    rule(Criterion::Health, "etat de sante"),
    rule(Criterion::Health, "sante fragile|physique"),
    rule(Criterion::Health, "pas|sans|aucun|non de|d handicap*|rqth"),
    rule(Criterion::Health, "pas|sans|aucun|non handicap*|rqth|malade*"),
    rule(Criterion::Health, "pas|sans|aucun de travailleur*|personne* handicap*"),
    rule(Criterion::Health, "arret|arrets maladie"),
    rule(Criterion::Health, "souvent|jamais|pas malade|malades"),
    rule(Criterion::Health, "maladie|maladies chronique|chroniques"),
    rule(Criterion::Health, "personne|personnes valide|valides"),
    rule(Criterion::Health, "antecedents medicaux"),
    Rule { ambiguous: true, ..rule(Criterion::Health, "bonne condition physique") },
    // Appearance
    rule(Criterion::Appearance, "physique agreable|avenant|attrayant|attractif"),
    rule(Criterion::Appearance, "bon|beau physique"),
    rule(Criterion::Appearance, "belle|jolie|bonne presentation"),
    rule(Criterion::Appearance, "apparence|apparences"),
    rule(Criterion::Appearance, "jolie|joli|jolies|mince|minceur|surpoids|obese|tatouage|tatouages|piercing|piercings|barbe|look"),
    Rule { ambiguous: true, ..rule(Criterion::Appearance, "presentation soignee") },
    // Religion
    Rule {
        unless_near: &["laicite", "fait", "faits", "neutralite", "edifice", "edifices", "patrimoine", "cultes"],
        ..rule(Criterion::Religion, "religion|religions|religieux|religieuse|religieuses")
    },
    rule(Criterion::Religion, "musulman*|chretien*|catholique*|juif|juive|juifs|juives|protestant*|bouddhiste*|athee*|pratiquant*|croyant*"),
    rule(Criterion::Religion, "voilee|voilees|foulard|kippa"),
    rule(Criterion::Religion, "pas|sans|port de|du voile"),
    // Union membership and political opinions
    rule(Criterion::Union, "syndique|syndiquee|syndiques|syndiquees|syndicaliste|syndicalistes"),
    rule(Criterion::Union, "activite|activites|appartenance|engagement|mandat|militantisme|militant|militante syndical|syndicale|syndicales|syndicaux"),
    rule(Criterion::Union, "cgt|cfdt|unsa|fsu|cftc"),
    rule(Criterion::Union, "force ouvriere"),
    rule(Criterion::Political, "opinion|opinions|parti|engagement|militant|militante politique|politiques"),
    rule(Criterion::Political, "encarte|encartee|sympathisant*"),
    // Place of residence
    Rule { unless_before: &["des", "aux", "les", "nos", "ses", "l", "d", "leurs"], ..rule(Criterion::Residence, "habiter|habitez|habitant|habitante|habite") },
    rule(Criterion::Residence, "resider|residez|residant|residante|domicilie|domiciliee|domicilies|domiciliees"),
    rule(Criterion::Residence, "lieu de residence|domicile"),
    rule(Criterion::Residence, "domicile a|proche|pres"),
    rule(Criterion::Residence, "vivre|vivant a|au|dans|en|sur|pres"),
    // Sexual orientation
    rule(Criterion::Orientation, "orientation sexuelle"),
    rule(Criterion::Orientation, "homosexuel*|heterosexuel*|gay|gays|lesbienne*|transgenre*"),
];

/// Words before a phrase that make it a non-discrimination statement ("sans distinction d'âge").
const STATEMENT: &[&str] = &["discrimination", "discriminations", "distinction", "quel", "quelle", "quels", "quelles"];

fn number(folded: &str) -> bool {
    folded.chars().all(|c| c.is_ascii_digit())
        || matches!(
            folded,
            "un" | "deux"
                | "trois"
                | "quatre"
                | "cinq"
                | "six"
                | "sept"
                | "huit"
                | "neuf"
                | "dix"
                | "vingt"
                | "trente"
                | "quarante"
                | "cinquante"
                | "soixante"
        )
}

fn spec_matches(spec: &str, word: &str) -> bool {
    spec.split('|').any(|alt| match alt {
        "#" => number(word),
        _ => match alt.strip_suffix('*') {
            Some(prefix) => word.starts_with(prefix),
            None => alt == word,
        },
    })
}

/// A hit of a rule in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub criterion: Criterion,
    pub ambiguous: bool,
    /// Byte span of the phrase in the text.
    pub start: usize,
    pub end: usize,
}

fn near(ws: &[Word], from: usize, to: usize, set: &[&str], window: usize) -> bool {
    let lo = from.saturating_sub(window);
    let hi = (to + window).min(ws.len());
    ws[lo..hi].iter().enumerate().any(|(k, w)| {
        let i = lo + k;
        (i < from || i >= to) && set.contains(&w.folded.as_str())
    })
}

/// Every rule hit in a text, in text order; at most one finding per criterion and position.
pub fn check(text: &str) -> Vec<Finding> {
    let ws = words(text);
    let mut out: Vec<Finding> = Vec::new();
    for rule in RULES {
        let specs: Vec<&str> = rule.pattern.split(' ').collect();
        if specs.len() > ws.len() {
            continue;
        }
        for i in 0..=ws.len() - specs.len() {
            let end = i + specs.len();
            if !specs.iter().zip(&ws[i..end]).all(|(s, w)| spec_matches(s, &w.folded)) {
                continue;
            }
            let before = i.checked_sub(1).map(|j| ws[j].folded.as_str());
            if before.is_some_and(|b| rule.unless_before.contains(&b))
                || ws[end..(end + 3).min(ws.len())].iter().any(|w| rule.unless_after.contains(&w.folded.as_str()))
                || near(&ws, i, end, rule.unless_near, rule.window)
                || ws[i.saturating_sub(8)..i].iter().any(|w| STATEMENT.contains(&w.folded.as_str()))
            {
                continue;
            }
            let finding = Finding {
                criterion: rule.criterion,
                ambiguous: rule.ambiguous,
                start: ws[i].start,
                end: ws[end - 1].end,
            };
            let overlaps =
                out.iter().any(|f| f.criterion == finding.criterion && f.start < finding.end && finding.start < f.end);
            if !overlaps {
                out.push(finding);
            }
        }
    }
    out.sort_by_key(|a| (a.start, a.criterion));
    out
}

/// Feminine-only forms of job titles ("vendeuse H/F" is still a gendered title).
const FEMININE_TITLES: &[&str] = &[
    "assistante",
    "hotesse",
    "vendeuse",
    "directrice",
    "animatrice",
    "chargee",
    "adjointe",
    "agente",
    "educatrice",
    "infirmiere",
    "puericultrice",
    "conseillere",
    "technicienne",
    "redactrice",
    "attachee",
    "soignante",
    "secretaire",
    "aide-soignante",
    "cuisiniere",
    "lingere",
    "femme",
    "gardienne",
    "ouvriere",
    "coordinatrice",
    "responsable",
];

/// The feminine-only word of a title that has no inclusive form ("Assistante RH"), if any.
/// Epicene words ("secrétaire", "responsable") are listed only to be skipped.
pub fn gendered_title_word(title: &str) -> Option<String> {
    let lower = title.to_lowercase().replace("h/f", "").replace("f/h", "");
    if lower.contains('·')
        || lower.contains("(e)")
        || lower.contains('/')
        || lower.contains(" ou ")
        || lower.contains('.')
    {
        return None;
    }
    words(title)
        .into_iter()
        .find(|w| {
            FEMININE_TITLES.contains(&w.folded.as_str()) && !matches!(w.folded.as_str(), "secretaire" | "responsable")
        })
        .map(|w| title[w.start..w.end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria(text: &str) -> Vec<Criterion> {
        check(text).into_iter().map(|f| f.criterion).collect()
    }

    #[test]
    fn age_limits_are_found_but_not_experience() {
        assert_eq!(criteria("Candidat de moins de 30 ans"), [Criterion::Age]);
        assert_eq!(criteria("Profil jeune et dynamique"), [Criterion::Age]);
        assert_eq!(criteria("Âgé de 25 à 35 ans"), [Criterion::Age]);
        assert!(criteria("Plus de 5 ans d'expérience en comptabilité publique").is_empty());
        assert!(criteria("Accompagnement des jeunes de 16 à 25 ans vers l'emploi").is_empty());
        assert!(criteria("Suivi des enfants de moins de 6 ans (PMI)").is_empty());
        assert!(criteria("Recrutement sans distinction d'âge ni de sexe").is_empty());
        let f = check("Profil junior accepté");
        assert!(f[0].ambiguous);
    }

    #[test]
    fn other_criteria() {
        assert_eq!(criteria("De préférence un homme pour le port de charges"), [Criterion::Sex]);
        assert!(criteria("Chargé de mission égalité femmes-hommes").is_empty());
        assert_eq!(criteria("Sans enfants, disponible le week-end"), [Criterion::Family]);
        assert_eq!(criteria("Pas de femme enceinte"), [Criterion::Pregnancy]);
        assert!(criteria("Consultations de suivi des femmes enceintes").is_empty());
        assert_eq!(criteria("Nationalité française exigée"), [Criterion::Nationality]);
        assert!(criteria("Nationalité française ou d'un État de l'Union européenne").is_empty());
        assert_eq!(criteria("Être en bonne santé"), [Criterion::Health]);
        assert!(criteria("Accueil des personnes en situation de handicap").is_empty());
        assert_eq!(criteria("Bonne présentation exigée"), [Criterion::Appearance]);
        assert_eq!(criteria("Pas de personne voilée à l'accueil"), [Criterion::Religion]);
        assert!(criteria("Respect du principe de laïcité et du fait religieux").is_empty());
        assert_eq!(criteria("Éviter les syndiqués"), [Criterion::Union]);
        assert!(criteria("Relations avec les organisations syndicales").is_empty());
        assert_eq!(criteria("Habiter à moins de 10 km"), [Criterion::Residence]);
        assert!(criteria("Au service des habitants du département").is_empty());
        assert_eq!(criteria("Français langue maternelle"), [Criterion::Origin]);
    }

    #[test]
    fn gendered_titles() {
        assert_eq!(gendered_title_word("Assistante RH").as_deref(), Some("Assistante"));
        assert_eq!(gendered_title_word("Assistant·e RH"), None);
        assert_eq!(gendered_title_word("Secrétaire de mairie"), None);
        assert_eq!(gendered_title_word("Chargé ou chargée de mission"), None);
    }
}
