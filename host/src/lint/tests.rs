//! Behaviour of the linter on fictional phrasings.

use super::*;

fn categories(text: &str) -> Vec<String> {
    let flags = lint_ad("Agent (F/H)", text, None);
    flags
        .into_iter()
        .filter(|f| f.is_violation() && f.warning.code == "discriminatory-criterion")
        .map(|f| f.warning.category)
        .collect()
}

fn flagged(text: &str, category: &str) -> bool {
    categories(text).iter().any(|c| c == category)
}

#[test]
fn direct_and_indirect_criteria_are_flagged_with_their_category() {
    let cases = [
        ("Nous cherchons une personne jeune et dynamique.", "age"),
        ("Une personne jeune et dynamique, de nationalité française", "age"),
        ("Candidat de moins de 30 ans", "age"),
        ("Âgé·e de 25 à 35 ans", "age"),
        ("Idéalement né après 1990", "age"),
        ("Un homme robuste pour les manutentions", "sex"),
        ("Secrétaire sérieuse et organisée", "sex"),
        ("Sans projet de grossesse à court terme", "pregnancy"),
        ("Pas de congé maternité prévu", "pregnancy"),
        ("Sans contraintes familiales", "family-situation"),
        ("Célibataire de préférence", "family-situation"),
        ("Physique agréable exigé", "physical-appearance"),
        ("Pas de tatouages visibles", "physical-appearance"),
        ("Candidat d'origine européenne", "origin"),
        ("Nationalité française exigée", "nationality"),
        ("Être en bonne santé", "health"),
        ("Pas d'arrêts maladie fréquents", "health"),
        ("Pas de travailleur handicapé", "disability"),
        ("Personne valide uniquement", "disability"),
        ("Non pratiquant de préférence", "religion"),
        ("Femme voilée s'abstenir", "religion"),
        ("Proche de la majorité municipale", "political-opinion"),
        ("Non syndiqué", "union-activity"),
        ("Orientation sexuelle : hétérosexuel", "sexual-orientation"),
        ("Personne non binaire s'abstenir", "gender-identity"),
        ("Nom à consonance française", "surname"),
        ("Habiter la commune est obligatoire", "place-of-residence"),
        ("Candidats locaux uniquement", "place-of-residence"),
        ("Français langue maternelle", "language"),
        ("Parler sans accent", "language"),
        ("Test génétique à fournir", "genetic-characteristics"),
        ("Pas de bénéficiaires du RSA", "economic-vulnerability"),
        ("Compte bancaire en France exigé", "bank-domicile"),
        ("Joindre un RIB à la candidature", "bank-domicile"),
        ("Sans perte d'autonomie", "loss-of-autonomy"),
        ("Bonnes mœurs exigées", "mores"),
    ];
    let mut missed = Vec::new();
    for (text, category) in cases {
        if !flagged(text, category) {
            missed.push(format!("{text:?} → {category} (got {:?})", categories(text)));
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn legitimate_requirements_are_not_flagged() {
    let cases = [
        "Permis B exigé",
        "Travail de nuit par roulement",
        "Astreintes techniques un week-end sur quatre",
        "Port de charges jusqu'à 25 kg et travail en extérieur",
        "Diplôme d'État d'infirmier exigé (cadre d'emplois des infirmiers en soins généraux)",
        "Plus de 5 ans d'expérience en comptabilité publique",
        "Accompagnement des jeunes de 16 à 25 ans vers l'emploi",
        "Suivi des femmes enceintes et des enfants de moins de 6 ans en PMI",
        "Chargé de mission égalité femmes-hommes",
        "Sage-femme de PMI",
        "Maîtrise de l'anglais (niveau B2)",
        "Aide à domicile auprès des personnes âgées",
        "Évaluation de la perte d'autonomie des personnes âgées (APA)",
        "Accompagnement des bénéficiaires du RSA",
        "Résidence administrative : Hôtel du Département",
        "Relations avec les organisations syndicales et gestion des décharges d'activité syndicale",
        "Respect du principe de laïcité et de neutralité",
        "Nationalité française ou d'un État membre de l'Union européenne",
        "Au service des habitants du territoire",
        "Secrétariat du syndicat intercommunal des eaux",
        "Casier judiciaire compatible avec les fonctions (bulletin n° 2)",
        "Recrutement sans distinction d'âge, de sexe ou d'origine",
        "Tous nos postes sont ouverts aux personnes en situation de handicap",
        "Vaccination contre l'hépatite B obligatoire (code de la santé publique, art. L3111-4)",
        "Prise en charge des mineurs étrangers non accompagnés",
        "Traçabilité de l'origine des produits en restauration collective",
        "Aptitude physique vérifiée par un médecin agréé",
        "Titre de séjour autorisant à travailler pour les candidats contractuels",
        "Habilitation électrique B1V et CACES R486",
    ];
    let mut wrong = Vec::new();
    for text in cases {
        let c = categories(text);
        if !c.is_empty() {
            wrong.push(format!("{text:?} → {c:?}"));
        }
    }
    assert!(wrong.is_empty(), "flagged:\n{}", wrong.join("\n"));
}

#[test]
fn nationality_is_lawful_for_a_reserved_post() {
    let text = "Emploi comportant l'exercice de prérogatives de puissance publique : nationalité française exigée.";
    assert!(!flagged(text, "nationality"));
}

#[test]
fn warnings_carry_article_excerpt_and_french_message() {
    let flags = lint_ad("Agent (F/H)", "## Profil\n- Jeune et dynamique.\n", None);
    let w = &flags.iter().find(|f| f.warning.category == "age").unwrap().warning;
    assert_eq!(w.code, "discriminatory-criterion");
    assert_eq!(w.severity, Severity::Error);
    assert!(w.article.contains("225-1") && w.article.contains("L1132-1"));
    assert_eq!(w.excerpt, "Jeune et dynamique.");
    assert!(w.message.starts_with("Critère d'âge"));
}

#[test]
fn titles_and_mentions() {
    let flags = lint_ad("Assistante de direction", "Missions : accueil.", None);
    assert!(flags.iter().any(|f| f.warning.code == "gendered-title" && f.warning.category == "sex"));
    let missing: Vec<&str> =
        flags.iter().filter(|f| f.warning.code == "missing-mention").map(|f| f.warning.excerpt.as_str()).collect();
    assert!(missing.contains(&"application-deadline") && missing.contains(&"categorie"));
    assert!(!missing.contains(&"missions"));
}

#[test]
fn leaked_internal_notes_are_flagged() {
    let request = DraftRequest {
        job_title: "Agent d'accueil".into(),
        recruiter_notes: Some(
            "Accueil physique et téléphonique. Entre nous, la candidate interne ne convient pas au DGS.".into(),
        ),
        ..Default::default()
    };
    let ad = "## Missions\n- Accueil physique et téléphonique.\n- La candidate interne ne convient pas au DGS.\n";
    let flags = lint_ad("Agent d'accueil (F/H)", ad, Some(&request));
    let leaks: Vec<&Flag> = flags.iter().filter(|f| f.warning.code == "internal-note-leak").collect();
    assert_eq!(leaks.len(), 1, "{flags:#?}");
    assert!(leaks[0].warning.excerpt.contains("candidate interne"));
}

#[test]
fn the_request_is_linted_notes_included() {
    let request = DraftRequest {
        job_title: "Technicienne bâtiment".into(),
        profile: vec!["Permis B".into()],
        recruiter_notes: Some("Le chef préférerait quelqu'un sans enfants.".into()),
        ..Default::default()
    };
    let flags = lint_request(&request);
    assert!(flags.iter().any(|f| f.warning.category == "family-situation" && f.warning.severity == Severity::Warning));
    assert!(flags.iter().any(|f| f.warning.code == "gendered-title"));
    assert!(!flags.iter().any(|f| f.matched.contains("Permis")));
}

#[test]
fn disguised_criteria_are_flagged_with_the_ad_s_own_words() {
    let ad = "## Profil\n- Candidat de mo\u{AD}ins de 35 ans.\n- Un h.o.m.m.e de préférence.\n- Nаtiоnаlité française exigée.\n";
    let flags = lint_ad("Agent (F/H)", ad, None);
    let find = |category: &str| {
        flags.iter().find(|f| f.warning.code == "discriminatory-criterion" && f.warning.category == category).unwrap()
    };
    assert_eq!(find("age").matched, "mo\u{AD}ins de 35 ans");
    assert_eq!(find("age").warning.excerpt, "Candidat de mo\u{AD}ins de 35 ans.");
    assert_eq!(find("sex").matched, "h.o.m.m.e");
    assert_eq!(find("nationality").matched, "Nаtiоnаlité");
    assert_eq!(find("nationality").warning.severity, Severity::Error);
}

#[test]
fn a_passage_with_two_criteria_gets_two_warnings() {
    let flags = lint_ad("Agent (F/H)", "Homme de moins de 40 ans exigé.", None);
    let categories: Vec<&str> = flags
        .iter()
        .filter(|f| f.warning.code == "discriminatory-criterion")
        .map(|f| f.warning.category.as_str())
        .collect();
    assert_eq!(categories, ["sex", "age"]);
}

#[test]
fn intent_in_notes_is_flagged_with_its_category_even_disguised() {
    let request = DraftRequest {
        job_title: "Agent (F/H)".into(),
        recruiter_notes: Some("Entre nous, le maire veut un h\u{200B}omme de m o i n s  d e  4 0  a n s.".into()),
        ..Default::default()
    };
    let flags = lint_request(&request);
    for category in ["sex", "age"] {
        assert!(
            flags.iter().any(|f| f.warning.category == category
                && f.warning.severity == Severity::Warning
                && f.warning.message.contains("notes du recruteur")),
            "{category}: {flags:#?}"
        );
    }
}
