//! Behaviour of the shared matcher on fictional phrasings, plain and disguised.

use crate::rules::check;
use crate::text::canonical;
use crate::Criterion::{self, *};

/// Unambiguous criteria found in `text`, in order, without repeats.
fn criteria(text: &str) -> Vec<Criterion> {
    let mut out = Vec::new();
    for f in check(text, &canonical(text)).into_iter().filter(|f| !f.ambiguous) {
        for c in f.criteria {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// The original words of each unambiguous finding of `text`.
fn matched(text: &str) -> Vec<&str> {
    check(text, &canonical(text)).into_iter().filter(|f| !f.ambiguous).map(|f| &text[f.start..f.end]).collect()
}

/// Ways of hiding words from a plain matcher while people still read them.
fn soft_hyphens(s: &str) -> String {
    interleave(s, "\u{AD}")
}

fn zero_width(s: &str) -> String {
    interleave(s, "\u{200B}")
}

/// `mark` after the second character of every word of three characters or more.
fn interleave(s: &str, mark: &str) -> String {
    s.split(' ')
        .map(|w| {
            let cs: Vec<char> = w.chars().collect();
            if cs.len() >= 3 {
                cs[..2].iter().collect::<String>() + mark + &cs[2..].iter().collect::<String>()
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cyrillic а е о с р х у і for their Latin look-alikes.
fn cyrillic(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'a' => 'а',
            'e' => 'е',
            'o' => 'о',
            'c' => 'с',
            'p' => 'р',
            'x' => 'х',
            'y' => 'у',
            'i' => 'і',
            _ => c,
        })
        .collect()
}

fn fullwidth(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
}

/// `sep` between the letters of each word, `word_sep` between words ("m o i n s  d e").
fn spaced(s: &str, sep: &str, word_sep: &str) -> String {
    s.split(' ')
        .map(|w| {
            let cs: Vec<char> = w.chars().collect();
            let mut out = String::new();
            for (i, c) in cs.iter().enumerate() {
                out.push(*c);
                if cs.get(i + 1).is_some_and(|n| n.is_alphanumeric() && c.is_alphanumeric()) {
                    out.push_str(sep);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join(word_sep)
}

const DISCRIMINATORY: &[(&str, Criterion)] = &[
    ("Nous cherchons une personne jeune et dynamique.", Age),
    ("Candidat de moins de 30 ans", Age),
    ("Idéalement né après 1990", Age),
    ("Un homme robuste pour les manutentions", Sex),
    ("Secrétaire sérieuse et organisée", Sex),
    ("Sans projet de grossesse à court terme", Pregnancy),
    ("Sans contraintes familiales", FamilySituation),
    ("Célibataire de préférence", FamilySituation),
    ("Physique agréable exigé", PhysicalAppearance),
    ("Pas de tatouages visibles", PhysicalAppearance),
    ("Candidat d'origine européenne", Origin),
    ("Nationalité française exigée", Nationality),
    ("Être en bonne santé", Health),
    ("Pas d'arrêts maladie fréquents", Health),
    ("Pas de travailleur handicapé", Disability),
    ("Personne valide uniquement", Disability),
    ("Non pratiquant de préférence", Religion),
    ("Femme voilée s'abstenir", Religion),
    ("Proche de la majorité municipale", PoliticalOpinion),
    ("Non syndiqué", UnionActivity),
    ("Orientation sexuelle : hétérosexuel", SexualOrientation),
    ("Nom à consonance française", Surname),
    ("Habiter la commune est obligatoire", PlaceOfResidence),
    ("Candidats locaux uniquement", PlaceOfResidence),
    ("Français langue maternelle", Language),
    ("Parler sans accent", Language),
    ("Test génétique à fournir", GeneticCharacteristics),
    ("Pas de bénéficiaires du RSA", EconomicVulnerability),
    ("Compte bancaire en France exigé", BankDomicile),
    ("Sans perte d'autonomie", LossOfAutonomy),
    ("Bonnes mœurs exigées", Mores),
];

const LAWFUL: &[&str] = &[
    "Permis B exigé",
    "Travail de nuit par roulement",
    "Port de charges jusqu'à 25 kg et travail en extérieur",
    "Plus de 5 ans d'expérience en comptabilité publique",
    "Accompagnement des jeunes de 16 à 25 ans vers l'emploi",
    "Suivi des femmes enceintes et des enfants de moins de 6 ans en PMI",
    "Chargé de mission égalité femmes-hommes",
    "Sage-femme de PMI",
    "Maîtrise de l'anglais (niveau B2)",
    "Aide à domicile auprès des personnes âgées",
    "Accompagnement des bénéficiaires du RSA",
    "Résidence administrative : Hôtel du Département",
    "Respect du principe de laïcité et de neutralité",
    "Nationalité française ou d'un État membre de l'Union européenne",
    "Au service des habitants du territoire",
    "Recrutement sans distinction d'âge, de sexe ou d'origine",
    "Tous nos postes sont ouverts aux personnes en situation de handicap",
];

#[test]
fn every_trick_still_shows_the_criterion() {
    type Trick = fn(&str) -> String;
    let tricks: [(&str, Trick); 7] = [
        ("soft hyphens", soft_hyphens),
        ("zero-width spaces", zero_width),
        ("Cyrillic look-alikes", cyrillic),
        ("fullwidth", fullwidth),
        ("letter-spacing", |s| spaced(s, " ", "  ")),
        ("dotted letters", |s| spaced(s, ".", " ")),
        ("all at once", |s| soft_hyphens(&cyrillic(&spaced(s, "-", "  ")))),
    ];
    let mut missed = Vec::new();
    for (text, criterion) in DISCRIMINATORY {
        assert!(criteria(text).contains(criterion), "plain {text:?}: {:?}", criteria(text));
        for (name, trick) in &tricks {
            let hidden = trick(text);
            if !criteria(&hidden).contains(criterion) {
                missed.push(format!("{name}: {hidden:?} → {criterion:?} (got {:?})", criteria(&hidden)));
            }
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn lawful_phrasings_stay_lawful_when_disguised() {
    let mut wrong = Vec::new();
    for text in LAWFUL {
        for hidden in [text.to_string(), soft_hyphens(text), cyrillic(text), fullwidth(text), zero_width(text)] {
            let c = criteria(&hidden);
            if !c.is_empty() {
                wrong.push(format!("{hidden:?} → {c:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "flagged:\n{}", wrong.join("\n"));
}

#[test]
fn findings_quote_the_original_words() {
    let t = "Candidat de mo\u{AD}ins de 3\u{AD}5 ans, Nаtiоnаlité française exigée, un h.o.m.m.e";
    assert_eq!(matched(t), ["mo\u{AD}ins de 3\u{AD}5 ans", "Nаtiоnаlité", "h.o.m.m.e"]);
    let t = "Agent de m o i n s  d e  3 5  a n s.";
    assert_eq!(matched(t), ["m o i n s  d e  3 5  a n s"]);
}

#[test]
fn each_criterion_of_a_passage_is_found() {
    assert_eq!(criteria("Homme de moins de 40 ans, de nationalité française uniquement"), [Sex, Age, Nationality]);
    assert_eq!(criteria("Jeune femme célibataire de préférence"), [Age, Sex, FamilySituation]);
    assert_eq!(
        criteria("Candidat valide, non syndiqué, habitant la commune"),
        [Disability, Health, UnionActivity, PlaceOfResidence]
    );
    assert_eq!(criteria("Entre nous, pas de femme enceinte ni de candidat de plus de 50 ans."), [Pregnancy, Age]);
    assert_eq!(criteria("Candidat de moins de 3O ans"), [Age]);
    // A clause boundary ends the experience exception: "ans, de" is not "ans d'expérience".
    assert!(criteria("Plus de 5 ans de pratique exigés").is_empty());
}

#[test]
fn intent_in_notes_is_found() {
    for (text, criterion) in [
        ("Le maire le trouvera trop âgé.", Age),
        ("Éviter les mamans, on a besoin de souplesse.", FamilySituation),
        ("Pas de Maghrébins à l'accueil.", Origin),
        ("Plutôt un gars solide.", Sex),
        ("Écarter les handicapés, le poste est physique.", Disability),
        ("Le chef ne veut pas d'un quinquagénaire.", Age),
        ("Pas au-delà de 45 ans.", Age),
        ("Quelqu'un dans la trentaine.", Age),
        ("Éviter les profils étrangers.", Nationality),
        ("Plutôt quelqu'un sans attaches.", FamilySituation),
        ("Quelqu'un qui ne compte pas avoir d'enfants.", Pregnancy),
    ] {
        assert!(criteria(text).contains(&criterion), "{text:?}: {:?}", criteria(text));
    }
    for text in [
        "Accueil des personnes trop âgées pour vivre seules",
        "Pas de vêtements blancs en atelier",
        "Maîtrise de l'arabe appréciée",
        "Encadrement d'une trentaine d'agents",
        "Les candidats étrangers doivent détenir un titre de séjour autorisant à travailler",
        "Plus de 5 ans d'expérience au-delà de 3 ans de contrat",
    ] {
        assert!(criteria(text).is_empty(), "{text:?}: {:?}", criteria(text));
    }
}

/// The cases the template drafter tested on its own copy of the rules.
#[test]
fn former_drafter_cases() {
    assert_eq!(criteria("Candidat de moins de 30 ans"), [Age]);
    assert_eq!(criteria("Profil jeune et dynamique"), [Age]);
    assert_eq!(criteria("Âgé de 25 à 35 ans"), [Age]);
    assert!(criteria("Plus de 5 ans d'expérience en comptabilité publique").is_empty());
    assert!(criteria("Accompagnement des jeunes de 16 à 25 ans vers l'emploi").is_empty());
    assert!(criteria("Suivi des enfants de moins de 6 ans (PMI)").is_empty());
    assert!(criteria("Recrutement sans distinction d'âge ni de sexe").is_empty());
    assert!(check("Profil junior accepté", "")[0].ambiguous);
    assert_eq!(criteria("De préférence un homme pour le port de charges"), [Sex]);
    assert!(criteria("Chargé de mission égalité femmes-hommes").is_empty());
    assert_eq!(criteria("Sans enfants, disponible le week-end"), [FamilySituation]);
    assert_eq!(criteria("Pas de femme enceinte"), [Pregnancy]);
    assert!(criteria("Consultations de suivi des femmes enceintes").is_empty());
    assert_eq!(criteria("Nationalité française exigée"), [Nationality]);
    assert!(criteria("Nationalité française ou d'un État de l'Union européenne").is_empty());
    assert_eq!(criteria("Être en bonne santé"), [Health]);
    assert!(criteria("Accueil des personnes en situation de handicap").is_empty());
    assert_eq!(criteria("Bonne présentation exigée"), [PhysicalAppearance]);
    assert_eq!(criteria("Pas de personne voilée à l'accueil"), [Religion]);
    assert!(criteria("Respect du principe de laïcité et du fait religieux").is_empty());
    assert_eq!(criteria("Éviter les syndiqués"), [UnionActivity]);
    assert!(criteria("Relations avec les organisations syndicales").is_empty());
    assert_eq!(criteria("Habiter à moins de 10 km"), [PlaceOfResidence]);
    assert!(criteria("Au service des habitants du département").is_empty());
    assert!(criteria("Français langue maternelle").contains(&Language));
}
