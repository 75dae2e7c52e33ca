//! Discriminatory phrasings, as short word patterns over folded text, with the lawful uses that
//! French public-service ads often contain listed as exceptions ("accompagnement des jeunes",
//! "égalité femmes-hommes", "5 ans d'expérience", "suivi des femmes enceintes" in a PMI post,
//! "aide à domicile", "sage-femme", "syndicat intercommunal", "résidence administrative").
//!
//! A pattern is space-separated word specs: "a|b" alternatives, "#" a number, "x*" a prefix,
//! "~" zero to two arbitrary words. Patterns run on words from [`crate::text::words`] of the
//! normalised text ([`crate::normalize()`]), so accents, case, elision ("d'origine" → "d
//! origine"), inclusive endings and the tricks that hide words from a matcher do not matter.

use crate::criteria::Criterion::{self, *};
use crate::normalize::normalize;
use crate::text::{contains_words, fold, sentence_at, words, Word};
use std::collections::HashSet;
use std::sync::OnceLock;

pub(crate) struct Rule {
    pub criteria: &'static [Criterion],
    pub pattern: &'static str,
    /// May be lawful: reported as information for the reviewer, not as a violation.
    pub ambiguous: bool,
    /// Any of these words within `window` words before or after: a lawful use.
    pub unless_near: &'static [&'static str],
    pub window: usize,
    /// The word just before the match is one of these: a lawful use.
    pub unless_before: &'static [&'static str],
    /// Any of these among the three words after the match: a lawful use.
    pub unless_after: &'static [&'static str],
    /// The sentence contains one of these folded phrases: a lawful use.
    pub unless_sentence: &'static [&'static str],
    /// The whole document contains one of these folded phrases: a lawful use (e.g. a post
    /// legally reserved to nationals).
    pub unless_document: &'static [&'static str],
}

const fn r(criteria: &'static [Criterion], pattern: &'static str) -> Rule {
    Rule {
        criteria,
        pattern,
        ambiguous: false,
        unless_near: &[],
        window: 4,
        unless_before: &[],
        unless_after: &[],
        unless_sentence: &[],
        unless_document: &[],
    }
}

const EXPERIENCE: &[&str] = &[
    "experience",
    "experiences",
    "anciennete",
    "pratique",
    "carriere",
    "service",
    "services",
    "d",
    "dans",
    "sur",
    "en",
    "au",
    "a",
    "de",
    "minimum",
];
/// Around a number of years or "jeune": the public served, or a duration of experience or contract.
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
    "pmi",
    "creche",
    "creches",
    "scolaire",
];
const SEX_CONTEXT: &[&str] = &[
    "egalite",
    "parite",
    "violences",
    "violence",
    "mixite",
    "droits",
    "sexisme",
    "sexistes",
    "victimes",
    "lutte",
    "prevention",
    "education",
];
const PREGNANCY_CONTEXT: &[&str] = &[
    "suivi",
    "suivis",
    "consultation",
    "consultations",
    "prenatal",
    "prenatale",
    "prenatales",
    "pmi",
    "accompagnement",
    "accompagner",
    "declaration",
    "declarations",
    "ivg",
    "interruption",
    "perinatal",
    "perinatale",
    "perinatalite",
    "sage",
    "visites",
    "usageres",
    "aupres",
];
/// A post legally reserved to French nationals (CGFP L321-2: sovereignty, prerogatives of public power).
const RESERVED_POST: &[&str] = &[
    "puissance publique",
    "souverainete",
    "reserve aux nationaux",
    "reserve aux ressortissants francais",
    "l321 2",
    "l 321 2",
];
const EU_CONDITION: &[&str] =
    &["union", "europeenne", "ue", "eee", "europeen", "ressortissant", "ressortissants", "membre", "etats", "etat"];
const SOCIAL_PUBLIC: &[&str] = &[
    "accompagnement",
    "accompagner",
    "personnes",
    "usagers",
    "beneficiaires",
    "public",
    "publics",
    "agees",
    "evaluation",
    "apa",
    "prevention",
    "prise",
    "politique",
    "direction",
    "pole",
    "service",
    "aupres",
    "mdph",
    "pch",
];

pub(crate) static RULES: &[Rule] = &[
    // ── Age ─────────────────────────────────────────────────────────────────────────────
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..r(&[Age], "moins|plus de # ans|an") },
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..r(&[Age], "entre # et # ans") },
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..r(&[Age], "# a # ans") },
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..r(&[Age], "# # ans") },
    Rule { unless_near: AGE_CONTEXT, ..r(&[Age], "age|agee|ages|agees de #") },
    Rule { unless_near: AGE_CONTEXT, ..r(&[Age], "# ans maximum|max|minimum|maxi|revolus") },
    Rule { unless_near: AGE_CONTEXT, ..r(&[Age], "# ans au plus|maximum") },
    r(&[Age], "age maximum|minimum|maximal|minimal|limite|requis|ideal|souhaite"),
    r(&[Age], "limite|tranche|condition|conditions d age"),
    r(&[Age], "ne|nee|nes|nees apres|avant|en #"),
    Rule {
        unless_before: &["des", "les", "aux", "ces", "nos", "vos", "pour", "de", "d", "jeunes", "du", "tres"],
        unless_after: &[
            "public", "publics", "enfant", "enfants", "majeur", "majeurs", "adulte", "adultes", "en", "de", "des", "d",
            "agriculteurs", "pousses", "plants", "arbres", "talents", "parents", "actifs", "accueillis", "suivis",
            "usagers", "vulnerables", "mineurs",
        ],
        ..r(&[Age], "jeune|jeunes")
    },
    r(&[Age], "jeune|jeunes diplome|diplomee|diplomes|diplomees"),
    r(&[Age], "jeune|jeunes et dynamique|dynamiques|motive|motivee|motives|energique|energiques|sportif|sportive"),
    r(&[Age], "personne|personnes|candidat|candidats|candidate|candidates|profil|profils|equipe|collaborateur|collaboratrice jeune|jeunes"),
    r(&[Age, Sex], "jeune|jeunes fille|filles|homme|hommes|femme|femmes"),
    r(&[Age], "generation y|z|millennial"),
    r(&[Age], "digital native|natives|natif|natifs"),
    r(&[Age], "retraite|retraites|retraitee|seniors s abstenir"),
    r(&[Age], "pas|sans de retraite|retraites|seniors"),
    Rule { ambiguous: true, ..r(&[Age], "junior|juniors|senior|seniors") },
    Rule { ambiguous: true, ..r(&[Age], "debut de carriere") },
    // ── Sex ─────────────────────────────────────────────────────────────────────────────
    Rule {
        unless_near: &["femme", "femmes", "egalite", "parite", "violences", "mixite", "droits", "sexisme", "sexistes"],
        unless_sentence: &["droits de l homme"],
        ..r(&[Sex], "homme|hommes")
    },
    Rule {
        unless_near: &[
            "homme", "hommes", "egalite", "parite", "violences", "violence", "mixite", "droits", "sexisme", "sexistes",
            "enceinte", "enceintes", "pmi", "accompagnement", "suivi", "victimes", "accueil", "maison", "foyer",
        ],
        unless_before: &["sage", "sages"],
        ..r(&[Sex], "femme|femmes")
    },
    Rule { unless_near: SEX_CONTEXT, ..r(&[Sex], "masculin|masculine|masculins|feminin|feminine|feminins|sexe") },
    r(&[Sex], "garcon|garcons"),
    r(&[Sex], "reserve|reservee|reserves aux hommes|femmes"),
    r(&[Sex], "la|une|cette candidate|candidates"),
    r(&[Sex], "secretaire|comptable|gestionnaire|standardiste|responsable|collaboratrice serieuse|rigoureuse|motivee|organisee|souriante|jolie|douce|discrete|polyvalente|consciencieuse"),
    r(&[Sex], "assistante|hotesse|hotesses|vendeuse|secretaire|standardiste serieuse|rigoureuse|motivee|organisee|souriante|jolie|douce|discrete"),
    // ── Pregnancy ───────────────────────────────────────────────────────────────────────
    Rule { unless_near: PREGNANCY_CONTEXT, ..r(&[Pregnancy], "enceinte|enceintes|grossesse|grossesses") },
    r(&[Pregnancy], "conge|conges maternite"),
    r(&[Pregnancy], "conge|conges de maternite"),
    r(&[Pregnancy, FamilySituation], "projet|desir|envie d|de enfant|enfants|grossesse|bebe|maternite"),
    Rule { unless_near: PREGNANCY_CONTEXT, ..r(&[Pregnancy], "future|futures maman|mamans|mere|meres") },
    // ── Family situation ────────────────────────────────────────────────────────────────
    r(&[FamilySituation], "celibataire|celibataires|mariee|mariees|pacse|pacsee|pacses|divorcee|divorcees"),
    r(&[FamilySituation], "etre|soit|est|etes marie|maries|divorce|divorces"),
    r(&[FamilySituation], "etre|soit|est|etes|vivre|vivant en couple"),
    r(&[FamilySituation], "sans|pas|aucun d|de enfant|enfants"),
    r(&[FamilySituation], "sans enfant|enfants"),
    Rule { unless_sentence: &["supplement familial"], ..r(&[FamilySituation], "situation familiale|matrimoniale|maritale") },
    Rule { unless_sentence: &["supplement familial"], ..r(&[FamilySituation], "situation de famille") },
    Rule { unless_sentence: &["supplement familial"], ..r(&[FamilySituation], "charge|charges de famille") },
    r(&[FamilySituation, Sex], "mere|pere de famille"),
    Rule { unless_sentence: &["supplement familial"], ..r(&[FamilySituation], "enfants a charge") },
    r(&[FamilySituation], "sans|pas|aucune|aucun|libre ~ contrainte|contraintes|attache|attaches familiale|familiales|familial|familiaux"),
    r(&[FamilySituation], "vie de famille compatible|stable"),
    Rule { unless_near: PREGNANCY_CONTEXT, ..r(&[FamilySituation, Sex], "jeune|jeunes maman|mamans|papa|papas") },
    // ── Physical appearance ─────────────────────────────────────────────────────────────
    r(&[PhysicalAppearance], "physique agreable|avenant|attrayant|attractif|irreprochable"),
    r(&[PhysicalAppearance], "bon|beau|joli physique"),
    r(&[PhysicalAppearance], "belle|jolie|bonne presentation|apparence"),
    r(&[PhysicalAppearance], "apparence|apparences"),
    r(&[PhysicalAppearance], "mince|minceur|surpoids|obese|obesite|corpulence|tatouage|tatouages|tatoue|tatouee|piercing|piercings|barbe|barbu|look"),
    r(&[PhysicalAppearance], "joli|jolie|jolies|beau|belle gueule|visage|minois"),
    r(&[PhysicalAppearance], "taille minimum|minimale|minimal|requise|imposante"),
    r(&[PhysicalAppearance], "grande|grand|petite taille"),
    r(&[PhysicalAppearance], "mesurer au|plus moins|de"),
    Rule { unless_near: &["hygiene", "charlotte", "attaches", "cuisine", "coiffe", "calot"], ..r(&[PhysicalAppearance], "cheveux") },
    Rule { ambiguous: true, ..r(&[PhysicalAppearance], "presentation soignee|irreprochable") },
    // ── Origin ──────────────────────────────────────────────────────────────────────────
    Rule {
        unless_near: &["produits", "produit", "denrees", "viande", "viandes", "aliments", "donnees", "fonds", "controle", "tracabilite", "appellation"],
        ..r(&[Origin], "d origine")
    },
    Rule {
        unless_near: &["produits", "produit", "denrees", "viande", "aliments", "tracabilite"],
        ..r(&[Origin], "origine|origines ethnique|etrangere|francaise|europeenne|africaine|maghrebine|asiatique|immigree|modeste")
    },
    r(&[Origin], "de souche"),
    Rule { unless_before: &["prevention", "lutte"], ..r(&[Origin], "ethnie|ethnies|ethnique|ethniques") },
    Rule { unless_near: &["chien", "chiens", "animaux", "animal", "canine", "bovine", "pretendue"], ..r(&[Origin], "race|races|racial|raciale") },
    r(&[Origin], "couleur de peau"),
    r(&[Origin], "couleur de la peau"),
    r(&[Origin], "peau blanche|claire|noire|mate"),
    r(&[Origin], "type europeen|caucasien|africain|maghrebin|asiatique"),
    r(&[Origin], "issu|issue|issus|issues de la|l diversite|immigration"),
    r(&[Origin, PlaceOfResidence], "originaire|originaires"),
    // ── Nationality beyond the legal condition ─────────────────────────────────────────
    Rule {
        unless_near: EU_CONDITION,
        window: 16,
        unless_document: RESERVED_POST,
        ..r(&[Nationality], "nationalite|nationalites")
    },
    Rule { unless_near: EU_CONDITION, window: 8, unless_document: RESERVED_POST, ..r(&[Nationality], "citoyen|citoyenne|citoyens|citoyennete francais|francaise|francaises") },
    Rule { unless_document: RESERVED_POST, ..r(&[Nationality], "francais|francaise|francaises uniquement|seulement|exclusivement") },
    r(&[Nationality], "passeport francais"),
    r(&[Nationality], "etranger|etrangers|etrangere|etrangeres s abstenir"),
    r(&[Nationality], "pas|sans|aucun|non d|de etranger|etrangers|etrangere|etrangeres"),
    // ── Health ──────────────────────────────────────────────────────────────────────────
    r(&[Health], "bonne|parfaite|excellente sante"),
    r(&[Health], "en bonne sante"),
    Rule { unless_near: &["usagers", "personnes", "public", "patients", "beneficiaires", "aupres", "des", "enfants"], ..r(&[Health], "etat de sante") },
    r(&[Health], "sante fragile|solide"),
    r(&[Health], "arret|arrets maladie"),
    r(&[Health], "jamais|pas|peu|rarement malade|malades"),
    Rule { unless_near: SOCIAL_PUBLIC, ..r(&[Health], "maladie|maladies chronique|chroniques") },
    r(&[Health], "antecedent|antecedents medicaux|medical|psychiatriques"),
    r(&[Health], "antecedent|antecedents de sante"),
    r(&[Health], "sans|pas|aucun|aucune ~ probleme|problemes|souci|soucis de sante|dos"),
    r(&[Health], "sans|pas|aucun|aucune ~ probleme|problemes|souci|soucis medical|medicaux"),
    r(&[Health], "seropositif|seropositive|seropositifs|diabetique|diabetiques|epileptique|epileptiques"),
    r(&[Health], "faible|aucun|pas d absenteisme"),
    r(&[Health, Disability], "sans|aucune restriction|restrictions medicale|medicales"),
    Rule { ambiguous: true, ..r(&[Health], "bonne condition|forme physique") },
    Rule { ambiguous: true, ..r(&[Health], "excellente condition|forme physique") },
    // ── Disability ──────────────────────────────────────────────────────────────────────
    Rule { unless_before: &["ou"], ..r(&[Disability], "pas|sans|aucun|non de|d handicap*|rqth") },
    Rule { unless_before: &["ou"], ..r(&[Disability], "pas|sans|aucun|non handicap*|rqth|invalidite") },
    r(&[Disability], "pas|sans|aucun|aucune de travailleur*|personne*|candidat* handicap*"),
    r(&[Disability], "pas|sans|aucun|aucune de travailleur*|personne*|candidat* en situation de handicap"),
    r(&[Disability], "handicap*|rqth s abstenir"),
    r(&[Disability, Health], "personne|personnes|candidat|candidats|salarie|agent valide|valides"),
    r(&[Disability], "incompatible avec un|le|tout handicap"),
    r(&[Disability], "fauteuil|fauteuils roulant|roulants s abstenir"),
    // ── Religion ────────────────────────────────────────────────────────────────────────
    Rule {
        unless_near: &["laicite", "fait", "faits", "neutralite", "edifice", "edifices", "patrimoine", "cultes", "principe", "respect", "liberte", "interreligieux"],
        ..r(&[Religion], "religion|religions|religieux|religieuse|religieuses|confession|confessionnel|confessionnelle")
    },
    r(&[Religion], "musulman*|chretien*|catholique*|juif|juive|juifs|juives|protestant*|bouddhiste*|athee*|evangelique*|hindou*"),
    Rule { unless_near: &["sport", "sports", "sportif", "activite", "activites", "musique", "discipline", "disciplines"], ..r(&[Religion], "pratiquant|pratiquante|pratiquants|pratiquantes|croyant|croyante|croyants|croyantes") },
    r(&[Religion], "voilee|voilees|foulard|foulards|kippa|turban|burkini"),
    r(&[Religion], "port du|de voile"),
    r(&[Religion], "pas|sans de voile"),
    Rule { ambiguous: true, ..r(&[Religion], "signe|signes religieux|ostentatoire|ostentatoires") },
    // ── Political opinion ───────────────────────────────────────────────────────────────
    r(&[PoliticalOpinion], "opinion|opinions|engagement|engagements|sensibilite|convictions|militant|militante|militants politique|politiques"),
    r(&[PoliticalOpinion], "apolitique|apolitiques|encarte|encartee|encartes|sympathisant*"),
    r(&[PoliticalOpinion], "de gauche|droite"),
    r(&[PoliticalOpinion], "proche|proches de la majorite"),
    r(&[PoliticalOpinion], "valeurs de la majorite"),
    r(&[PoliticalOpinion], "adherent|adherente|adherents|membre d|du|a ~ parti"),
    r(&[PoliticalOpinion], "couleur politique"),
    // ── Union activity ──────────────────────────────────────────────────────────────────
    r(&[UnionActivity], "non|pas|jamais syndique|syndiquee|syndiques|syndiquees"),
    Rule { unless_before: &["des", "les", "aux"], ..r(&[UnionActivity], "syndique|syndiquee|syndiques|syndiquees|syndicaliste|syndicalistes") },
    Rule {
        unless_near: &["gestion", "suivi", "decharge", "decharges", "dialogue", "relations", "instances", "droit", "droits", "organisations", "representants", "autorisations", "absence", "absences", "moyens", "partenaires", "temps"],
        ..r(&[UnionActivity], "activite|activites|appartenance|engagement|mandat|militantisme|militant|militante|passe syndical|syndicale|syndicales|syndicaux|mutualiste|mutualistes")
    },
    r(&[UnionActivity], "pas|sans|aucun|aucune|non|eviter de|d|les syndicat|syndicats|syndicalistes|syndiques"),
    Rule { unless_near: &["organisations", "relations", "dialogue", "representants", "instances", "partenaires"], ..r(&[UnionActivity], "cgt|cfdt|unsa|fsu|cftc") },
    // ── Sexual orientation and gender identity ──────────────────────────────────────────
    r(&[SexualOrientation], "orientation sexuelle"),
    Rule {
        unless_near: &["prevention", "lutte", "accueil", "discrimination", "discriminations", "droits", "accompagnement", "haine"],
        ..r(&[SexualOrientation], "homosexuel*|heterosexuel*|gay|gays|lesbienne*|bisexuel*|lgbt*")
    },
    r(&[GenderIdentity], "identite de genre"),
    Rule { unless_near: &["prevention", "lutte", "accueil", "droits", "accompagnement", "haine"], ..r(&[GenderIdentity], "transgenre*|transsexuel*|cisgenre*|intersexe*") },
    r(&[GenderIdentity], "non binaire|binaires"),
    r(&[GenderIdentity], "ne|nee homme|femme|garcon|fille"),
    r(&[GenderIdentity, Sex], "sexe biologique"),
    r(&[GenderIdentity, Sex], "sexe de naissance"),
    r(&[GenderIdentity], "genre de naissance"),
    // ── Surname ─────────────────────────────────────────────────────────────────────────
    r(&[Surname, Origin], "consonance|consonances"),
    r(&[Surname], "patronyme|patronymes"),
    r(&[Surname, Origin], "nom|noms francais|etranger|etrangers|arabe|africain"),
    r(&[Surname], "nom de famille"),
    // ── Place of residence ──────────────────────────────────────────────────────────────
    Rule {
        unless_before: &["des", "aux", "les", "nos", "ses", "l", "d", "leurs", "nouveaux", "pour"],
        unless_near: &["service", "usagers", "accueil", "information", "renseigner", "informer", "population"],
        ..r(&[PlaceOfResidence], "habiter|habitez|habitant|habitante|habite|habitants")
    },
    Rule {
        unless_before: &["personnes", "usagers", "enfants", "familles", "jeunes", "beneficiaires", "mineurs", "des"],
        ..r(&[PlaceOfResidence], "resider|residez|residant|residante|residants|domicilie|domiciliee|domicilies|domiciliees")
    },
    r(&[PlaceOfResidence], "lieu de residence|domicile"),
    r(&[PlaceOfResidence], "votre|ton domicile"),
    Rule { unless_before: &["a", "au", "aux", "leur", "son", "sa", "du"], ..r(&[PlaceOfResidence], "domicile|residence a|proche|pres|situe|situee|dans|sur") },
    r(&[PlaceOfResidence], "candidat|candidats|candidature|candidatures|profil|profils local|locale|locaux|locales"),
    r(&[PlaceOfResidence], "candidat|candidats|candidature|candidatures|profil|profils du|de secteur|canton|quartier|commune|village|coin|cru"),
    r(&[PlaceOfResidence], "candidat|candidats|candidature|candidatures|profil|profils de la commune"),
    r(&[PlaceOfResidence], "vivre|vivant a|au|dans|en|sur|pres"),
    r(&[PlaceOfResidence], "code postal"),
    // ── Language ────────────────────────────────────────────────────────────────────────
    r(&[Language, Origin], "langue maternelle"),
    Rule { unless_before: &["digital"], ..r(&[Language, Origin], "natif|native|natifs|natives") },
    r(&[Language, Origin], "sans accent"),
    r(&[Language, Origin], "accent|accents etranger|etrangers|regional|regionaux|prononce|marque"),
    r(&[Language, Origin], "aucun|pas d accent"),
    r(&[Language], "ne parlant que|ne parle que"),
    r(&[Language], "parlant|parler uniquement|seulement|exclusivement francais"),
    r(&[Language, Origin], "francais|francaise|bilingue de naissance"),
    r(&[Language], "pas|aucune d autre|autres langue|langues"),
    // ── Genetic characteristics ─────────────────────────────────────────────────────────
    r(&[GeneticCharacteristics], "test|tests|depistage|profil|caracteristique|caracteristiques|donnees genetique|genetiques"),
    r(&[GeneticCharacteristics], "predisposition|predispositions"),
    r(&[GeneticCharacteristics], "antecedent|antecedents familiaux|familial|hereditaires"),
    r(&[GeneticCharacteristics], "maladie|maladies hereditaire|hereditaires|genetique|genetiques"),
    Rule { unless_near: &["laboratoire", "analyses", "analyse", "prelevement", "prelevements", "police", "scientifique"], ..r(&[GeneticCharacteristics], "adn") },
    // ── Economic vulnerability ──────────────────────────────────────────────────────────
    r(&[EconomicVulnerability], "surendette|surendettee|surendettes|surendettement"),
    r(&[EconomicVulnerability], "sans|pas|aucune de dette|dettes"),
    r(&[EconomicVulnerability], "pas|non|sans|aucun ~ beneficiaire|beneficiaires|allocataire|allocataires du|des|de rsa|minima|minimas|aides"),
    r(&[EconomicVulnerability], "situation financiere|patrimoniale personnelle|stable|saine"),
    r(&[EconomicVulnerability], "solvable|solvables|solvabilite"),
    r(&[EconomicVulnerability], "interdit|interdits|fichage|fiche bancaire|bancaires"),
    r(&[EconomicVulnerability], "chomeur|chomeurs|chomeuse|chomeuses s abstenir"),
    r(&[EconomicVulnerability], "pas|sans de chomeur|chomeurs"),
    r(&[EconomicVulnerability], "proprietaire de son|votre logement"),
    r(&[EconomicVulnerability], "justificatif|justificatifs de revenus|ressources"),
    r(&[EconomicVulnerability], "avis d imposition"),
    // ── Bank domicile ───────────────────────────────────────────────────────────────────
    r(&[BankDomicile], "domiciliation|domiciliations bancaire|bancaires"),
    r(&[BankDomicile], "compte bancaire|courant en france"),
    r(&[BankDomicile], "compte bancaire|courant francais"),
    r(&[BankDomicile], "compte en banque en|dans"),
    r(&[BankDomicile], "banque|banques francaise|francaises|locale"),
    r(&[BankDomicile], "banque|banques en france"),
    Rule {
        unless_near: &["apres", "recrutement", "embauche", "prise", "paie", "nomination", "arrivee", "recrute", "recrutee"],
        window: 8,
        ..r(&[BankDomicile], "rib")
    },
    Rule {
        unless_near: &["apres", "recrutement", "embauche", "prise", "paie", "nomination", "arrivee", "recrute", "recrutee"],
        window: 8,
        ..r(&[BankDomicile], "releve d identite bancaire")
    },
    Rule {
        unless_near: &["apres", "recrutement", "embauche", "prise", "paie", "nomination", "arrivee"],
        window: 8,
        ..r(&[BankDomicile], "coordonnees bancaires")
    },
    // ── Loss of autonomy ────────────────────────────────────────────────────────────────
    Rule { unless_near: SOCIAL_PUBLIC, window: 6, ..r(&[LossOfAutonomy], "perte d autonomie") },
    r(&[LossOfAutonomy], "sans|pas|aucune ~ perte d autonomie"),
    r(&[LossOfAutonomy], "non dependant|dependante|dependants|dependantes"),
    r(&[LossOfAutonomy], "sans|pas de dependance"),
    // ── Mores ───────────────────────────────────────────────────────────────────────────
    Rule { unless_before: &["brigade"], ..r(&[Mores], "moeurs") },
    r(&[Mores], "moralite|moralites"),
    r(&[Mores], "vie privee irreprochable|rangee|stable|exemplaire"),
    Rule { unless_near: &["promotion", "prevention", "sains", "sain", "favorables", "education"], ..r(&[Mores], "mode|modes de vie") },
    r(&[Mores], "vie dissolue"),
    r(&[Mores], "frequentations"),
    // ── Intent: how recruiters' notes say who to keep out ───────────────────────────────
    // Notes are never published, but what they say can still steer the selection: "trop âgé",
    // "éviter les mamans", "pas de Maghrébins", and slurs that have no lawful use.
    Rule { unless_near: AGE_CONTEXT, ..r(&[Age], "trop vieux|vieille|vieilles|age|agee|ages|agees") },
    r(&[Age], "pas|sans|aucun|eviter|ecarter|exclure de|d|les|des vieux|vieilles|quinquagenaire*|sexagenaire*|quadragenaire*|quinqua|quinquas"),
    Rule { unless_near: AGE_CONTEXT, ..r(&[Age], "quinquagenaire*|sexagenaire*|quadragenaire*|trentenaire*") },
    r(&[Sex], "gars|nana|nanas|mec|mecs"),
    r(&[FamilySituation, Sex], "pas|sans|aucune|eviter|ecarter|exclure de|d|les|des mere|meres|maman|mamans"),
    r(&[Origin], "pas|sans|aucun|eviter|ecarter|exclure de|d|les|des maghrebin*|arabes|noirs|noires|africain*|asiatiques|roms|gitan*|blacks"),
    r(&[Origin], "beur|beurs|beurette*|rebeu*|renoi*|bougnoul*|bamboula*|negre|negres|negresse*"),
    r(&[Disability], "eviter|ecarter|exclure|refuser les|des|de|d|tout|toute|tous handicap*|invalide*|infirme*"),
    r(&[SexualOrientation], "pede|pedes|gouine|gouines|tapette|tapettes|tarlouze*|homo|homos"),
    r(&[GenderIdentity], "travelo*"),
    Rule { unless_after: EXPERIENCE, unless_near: AGE_CONTEXT, ..r(&[Age], "au dela|dessus de # ans") },
    Rule { unless_after: &["d", "de"], ..r(&[Age], "la|sa vingtaine|trentaine|quarantaine|cinquantaine|soixantaine") },
    Rule {
        unless_near: &["sejour", "titre", "autorisation", "union", "europeenne", "ue", "eee", "ressortissants"],
        window: 8,
        ..r(&[Nationality], "eviter|ecarter|exclure|refuser les|des|tout|toute|tous ~ etranger|etrangers|etrangere|etrangeres")
    },
    r(&[FamilySituation], "sans|aucune|aucun attache|attaches"),
    r(&[FamilySituation], "pas d|de attache|attaches"),
    r(&[Pregnancy, FamilySituation], "pas|ne|plus ~ avoir|faire d|de|des|un enfant|enfants|bebe"),
];

/// Words shortly before a phrase that make it a non-discrimination statement
/// ("sans distinction d'âge", "quelle que soit votre origine").
const STATEMENT: &[&str] = &[
    "discrimination",
    "discriminations",
    "discriminatoire",
    "distinction",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "independamment",
    "consideration",
    "egal",
    "egalite",
];

fn number(folded: &str) -> bool {
    folded.chars().all(|c| c.is_ascii_digit())
        // A letter O among digits is read as a zero: "3O ans".
        || (folded.starts_with(|c: char| c.is_ascii_digit()) && folded.chars().all(|c| c.is_ascii_digit() || c == 'o'))
        || matches!(
            folded,
            "un" | "une"
                | "deux"
                | "trois"
                | "quatre"
                | "cinq"
                | "six"
                | "sept"
                | "huit"
                | "neuf"
                | "dix"
                | "quinze"
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

/// Length in words of a match of `specs` starting at `ws[0]`, if any ("~" skips 0–2 words).
fn match_at(specs: &[&str], ws: &[Word]) -> Option<usize> {
    let Some((first, rest)) = specs.split_first() else { return Some(0) };
    if *first == "~" {
        for skip in 0..=2 {
            if skip > ws.len() {
                break;
            }
            if let Some(n) = match_at(rest, &ws[skip..]) {
                return Some(skip + n);
            }
        }
        return None;
    }
    let w = ws.first()?;
    if !spec_matches(first, &w.folded) {
        return None;
    }
    match_at(rest, &ws[1..]).map(|n| n + 1)
}

/// One hit of a rule in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub criteria: Vec<Criterion>,
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

/// Every rule hit in `text`, in text order, with byte spans in `text`. `document` is the
/// canonical text ([`crate::text::canonical`]) of the whole document the text belongs to (for
/// document-level exceptions).
///
/// The text is normalised first: the rules read what people read, and each span is mapped back
/// to the original words. Distinct criteria stay distinct findings or distinct entries of one
/// finding's `criteria`: a passage with an age limit and a sex requirement gives both.
pub fn check(text: &str, document: &str) -> Vec<Finding> {
    let n = normalize(text);
    let mut out = check_normalized(&n.text, document);
    for f in &mut out {
        (f.start, f.end) = n.source(f.start, f.end);
    }
    out.sort_by_key(|f| (f.start, f.end));
    out
}

/// Punctuation that closes a clause: an exception read after a match does not cross it
/// ("moins de 40 ans, de nationalité française" is not "40 ans de pratique").
const CLAUSE_END: &[char] = &[',', ';', ':', '.', '!', '?', '(', ')', '\n'];

/// The words after the match ending before word `end` that are in the same clause, at most three.
fn after<'a>(text: &str, ws: &'a [Word], end: usize) -> &'a [Word] {
    let mut k = end;
    while k < ws.len()
        && k < end + 3
        && (k == 0 || !text.get(ws[k - 1].end..ws[k].start).is_some_and(|gap| gap.contains(CLAUSE_END)))
    {
        k += 1;
    }
    &ws[end..k]
}

fn check_normalized(text: &str, document: &str) -> Vec<Finding> {
    let ws = words(text);
    let sentence_of = |byte: usize| -> String {
        let (s, e) = sentence_at(text, byte);
        fold(&text[s..e])
    };
    let mut out: Vec<Finding> = Vec::new();
    for rule in RULES {
        if rule.unless_document.iter().any(|p| contains_words(document, p)) {
            continue;
        }
        let specs: Vec<&str> = rule.pattern.split(' ').collect();
        for i in 0..ws.len() {
            let Some(len) = match_at(&specs, &ws[i..]) else { continue };
            let end = i + len;
            let before = i.checked_sub(1).map(|j| ws[j].folded.as_str());
            if before.is_some_and(|b| rule.unless_before.contains(&b))
                || after(text, &ws, end).iter().any(|w| rule.unless_after.contains(&w.folded.as_str()))
                || near(&ws, i, end, rule.unless_near, rule.window)
                || ws[i.saturating_sub(6)..i].iter().any(|w| STATEMENT.contains(&w.folded.as_str()))
            {
                continue;
            }
            if !rule.unless_sentence.is_empty() {
                let sentence = sentence_of(ws[i].start);
                if rule.unless_sentence.iter().any(|p| contains_words(&sentence, p)) {
                    continue;
                }
            }
            let finding = Finding {
                criteria: rule.criteria.to_vec(),
                ambiguous: rule.ambiguous,
                start: ws[i].start,
                end: ws[end - 1].end,
            };
            // One finding per criterion and place: keep the longest. Findings that share no
            // criterion are never merged, whatever their overlap.
            let same = |f: &Finding| {
                f.criteria.iter().any(|c| finding.criteria.contains(c))
                    && f.start < finding.end
                    && finding.start < f.end
            };
            if let Some(k) = out.iter().position(same) {
                let old = &mut out[k];
                if !finding.ambiguous {
                    for c in &finding.criteria {
                        if !old.criteria.contains(c) {
                            old.criteria.push(*c);
                        }
                    }
                    if finding.end - finding.start > old.end - old.start {
                        old.start = finding.start;
                        old.end = finding.end;
                    }
                    old.ambiguous = false;
                }
                continue;
            }
            out.push(finding);
        }
    }
    out
}

/// Short French words that glue the words of the rules together, for reading spaced-out runs.
const FUNCTION_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "cette", "d", "dans", "de", "des", "du", "elle", "en", "est", "et", "etre",
    "il", "je", "l", "la", "le", "les", "n", "ne", "ni", "non", "nous", "on", "ou", "par", "pas", "plus", "pour", "qu",
    "que", "qui", "s", "sa", "sans", "se", "ses", "son", "sur", "tres", "un", "une", "vous", "y",
];

/// The words of the rules (pattern words, exceptions) and French function words; the prefixes
/// of "x*" specs.
fn vocabulary() -> &'static (HashSet<&'static str>, Vec<&'static str>) {
    static VOCABULARY: OnceLock<(HashSet<&'static str>, Vec<&'static str>)> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let mut words: HashSet<&'static str> = FUNCTION_WORDS.iter().copied().collect();
        let mut prefixes = Vec::new();
        for rule in RULES {
            for alt in rule.pattern.split([' ', '|']).filter(|a| !matches!(*a, "#" | "~" | "")) {
                match alt.strip_suffix('*') {
                    Some(prefix) => prefixes.push(prefix),
                    None => {
                        words.insert(alt);
                    }
                }
            }
            for list in [rule.unless_near, rule.unless_before, rule.unless_after] {
                words.extend(list.iter().copied());
            }
        }
        words.extend(STATEMENT.iter().copied());
        (words, prefixes)
    })
}

/// A folded word the rules know, or the prefix of an "x*" spec with an ending of at most four
/// letters ("handicapees", not "travailleurhandicape").
pub(crate) fn is_vocabulary(word: &str) -> bool {
    let (words, prefixes) = vocabulary();
    words.contains(word) || prefixes.iter().any(|p| word.starts_with(p) && word.len() <= p.len() + 4)
}
