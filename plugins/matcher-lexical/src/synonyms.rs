//! A small table of French public-sector synonyms and abbreviations.
//!
//! Each group lists phrases that mean the same thing for matching. Phrases are written as a
//! person would write them; they go through the same folding, stop-word removal and stemming as
//! requirements and profiles. Keep groups narrow: a synonym that is only sometimes true makes the
//! baseline dishonest.

use crate::analysis::significant_stems;
use std::sync::OnceLock;

pub const GROUPS: &[&[&str]] = &[
    // Human resources
    &["paie", "rémunération", "rémunérations", "salaires", "payroll", "traitement des agents"],
    &["RH", "ressources humaines", "GRH", "gestion des ressources humaines", "human resources", "HR"],
    &["DRH", "direction des ressources humaines"],
    &["GPEC", "GPEEC", "gestion prévisionnelle des emplois et des compétences", "GEPP"],
    &["DSN", "déclaration sociale nominative"],
    &["CNRACL", "caisse nationale de retraite des agents des collectivités locales"],
    &["CGFP", "code général de la fonction publique", "statut de la fonction publique"],
    &["FPT", "fonction publique territoriale"],
    // Finance and procurement
    &["marchés publics", "commande publique", "achat public", "achats publics", "public procurement"],
    &["comptabilité publique", "M57", "M14", "nomenclature M57"],
    &["AP/CP", "autorisations de programme et crédits de paiement"],
    // Social action
    &["PMI", "protection maternelle et infantile"],
    &["ASE", "aide sociale à l'enfance"],
    &["RSA", "revenu de solidarité active"],
    &["APA", "allocation personnalisée d'autonomie"],
    &["PCH", "prestation de compensation du handicap"],
    &["MDPH", "maison départementale des personnes handicapées"],
    &["CCAS", "centre communal d'action sociale"],
    &["EHPAD", "établissement d'hébergement pour personnes âgées dépendantes"],
    &[
        "travailleur social",
        "travailleuse sociale",
        "assistant de service social",
        "assistante de service social",
        "ASS",
    ],
    &["DEASS", "diplôme d'État d'assistant de service social"],
    &["EJE", "éducateur de jeunes enfants", "éducatrice de jeunes enfants"],
    // Territory, works, digital
    &["SIG", "système d'information géographique", "systèmes d'information géographique", "GIS", "QGIS", "ArcGIS"],
    &["CAO", "conception assistée par ordinateur", "AutoCAD", "CAD"],
    &["DAO", "dessin assisté par ordinateur"],
    &["BIM", "building information modeling", "maquette numérique"],
    &["VRD", "voirie et réseaux divers"],
    &["PLU", "plan local d'urbanisme", "PLUi"],
    &["ADS", "application du droit des sols", "instruction des autorisations d'urbanisme"],
    &["RGPD", "règlement général sur la protection des données", "GDPR", "protection des données personnelles"],
    &["bureautique", "pack office", "suite office", "microsoft office", "suite bureautique"],
    &["tableur", "Excel", "LibreOffice Calc"],
    &["traitement de texte", "Word", "LibreOffice Writer"],
    // Safety, licences, certifications
    &["permis B", "permis VL", "permis de conduire B", "permis voiture"],
    &["SST", "sauveteur secouriste du travail"],
    &["PSC1", "prévention et secours civiques de niveau 1"],
    &["SSIAP", "service de sécurité incendie et d'assistance à personnes"],
    &["CACES", "certificat d'aptitude à la conduite en sécurité"],
    &["BAFA", "brevet d'aptitude aux fonctions d'animateur"],
    &["habilitation électrique", "habilitation BR", "habilitation B1V", "habilitation B2V"],
    // Languages
    &["anglais", "english"],
    &["espagnol", "spanish", "castillan"],
    &["allemand", "german"],
    &["italien", "italian"],
    &["LSF", "langue des signes française", "langue des signes"],
    // Reception
    &["accueil du public", "accueil des usagers", "accueil physique et téléphonique"],
    // Abbreviations of French local government, written out: a posting may spell out what a CV
    // abbreviates, and the other way round. Only abbreviations with one usual meaning in a
    // département's work: two-letter ones ("CA", "CP", "SI") and those with a second common
    // meaning in CVs ("CAP" diploma or commission, "ERP" software or public building, "ENS",
    // "SEM", "SAGE") are left out.
    // Institutions and law
    &["CGCT", "code général des collectivités territoriales"],
    &["CRPA", "code des relations entre le public et l'administration"],
    &["CNFPT", "centre national de la fonction publique territoriale"],
    &["CDG", "centre de gestion de la fonction publique territoriale", "centre de gestion"],
    &["EPCI", "établissement public de coopération intercommunale"],
    &["SPL", "société publique locale"],
    &["CNIL", "commission nationale de l'informatique et des libertés"],
    &["DPO", "délégué à la protection des données", "déléguée à la protection des données", "data protection officer"],
    &["AIPD", "analyse d'impact relative à la protection des données", "analyse d'impact sur la protection des données"],
    &["CADA", "commission d'accès aux documents administratifs"],
    // Human resources
    &["CPF", "compte personnel de formation"],
    &["VAE", "validation des acquis de l'expérience"],
    &["RIFSEEP", "régime indemnitaire tenant compte des fonctions, des sujétions, de l'expertise et de l'engagement professionnel"],
    &["NBI", "nouvelle bonification indiciaire"],
    &["CST", "comité social territorial"],
    &["LDG", "lignes directrices de gestion"],
    &["DUERP", "document unique d'évaluation des risques professionnels", "document unique"],
    &["EPI", "équipements de protection individuelle", "équipement de protection individuelle"],
    &["QVT", "qualité de vie au travail", "QVCT", "qualité de vie et des conditions de travail"],
    // Finance, procurement, assemblies
    &["DOB", "débat d'orientation budgétaire", "ROB", "rapport d'orientation budgétaire"],
    &["PPI", "plan pluriannuel d'investissement", "programmation pluriannuelle des investissements"],
    &["DSP", "délégation de service public"],
    &["CCAP", "cahier des clauses administratives particulières"],
    &["CCTP", "cahier des clauses techniques particulières"],
    &["DCE", "dossier de consultation des entreprises"],
    &["BPU", "bordereau des prix unitaires"],
    &["DPGF", "décomposition du prix global et forfaitaire"],
    // Social action, health and autonomy
    &["CRIP", "cellule de recueil des informations préoccupantes"],
    &["AEMO", "action éducative en milieu ouvert"],
    &["MECS", "maison d'enfants à caractère social"],
    &["MNA", "mineurs non accompagnés", "mineur non accompagné"],
    &["CAF", "caisse d'allocations familiales"],
    &["CPAM", "caisse primaire d'assurance maladie"],
    &["AAH", "allocation aux adultes handicapés"],
    &["SAAD", "service d'aide et d'accompagnement à domicile", "services d'aide et d'accompagnement à domicile"],
    &["SSIAD", "service de soins infirmiers à domicile"],
    &["GIR", "groupe iso-ressources", "AGGIR", "grille autonomie gérontologie groupes iso-ressources"],
    &["IAE", "insertion par l'activité économique"],
    &["SIAE", "structure d'insertion par l'activité économique", "structures d'insertion par l'activité économique"],
    &["PDI", "programme départemental d'insertion"],
    &["CER", "contrat d'engagement réciproque"],
    &["CHRS", "centre d'hébergement et de réinsertion sociale"],
    &["FSL", "fonds de solidarité pour le logement"],
    &["CESF", "conseiller en économie sociale et familiale", "conseillère en économie sociale et familiale"],
    // Education, culture, youth
    &["EPLE", "établissement public local d'enseignement"],
    &["SIGB", "système intégré de gestion de bibliothèque", "système intégré de gestion de bibliothèques"],
    &["BDP", "bibliothèque départementale de prêt", "médiathèque départementale", "bibliothèque départementale"],
    &["BAFD", "brevet d'aptitude aux fonctions de directeur"],
    // Buildings, works, roads, mobility
    &["MOE", "maîtrise d'œuvre"],
    &["MOA", "maîtrise d'ouvrage"],
    &["AMO", "assistance à maîtrise d'ouvrage"],
    &["OPC", "ordonnancement, pilotage et coordination"],
    &["CVC", "chauffage, ventilation et climatisation", "chauffage ventilation climatisation"],
    &["GTB", "gestion technique du bâtiment", "gestion technique des bâtiments"],
    &["GMAO", "gestion de maintenance assistée par ordinateur"],
    &["TCE", "tous corps d'état"],
    &["DOE", "dossier des ouvrages exécutés"],
    &["SPS", "sécurité et protection de la santé", "coordination sécurité et protection de la santé"],
    &["PMR", "personnes à mobilité réduite", "personne à mobilité réduite"],
    &["AOM", "autorité organisatrice de la mobilité", "autorité organisatrice des mobilités"],
    // Environment
    &["PCAET", "plan climat-air-énergie territorial", "plan climat air énergie territorial"],
    &["GES", "gaz à effet de serre"],
    &["ZNIEFF", "zone naturelle d'intérêt écologique, faunistique et floristique"],
    &["GEMAPI", "gestion des milieux aquatiques et prévention des inondations"],
    // Digital, quality, laboratories, food
    &["DSI", "direction des systèmes d'information"],
    &["RGAA", "référentiel général d'amélioration de l'accessibilité"],
    &["ENT", "espace numérique de travail"],
    &["GED", "gestion électronique des documents", "gestion électronique de documents"],
    &["COFRAC", "comité français d'accréditation"],
    &["HACCP", "analyse des dangers et maîtrise des points critiques", "analyse des risques et maîtrise des points critiques"],
    &["PMS", "plan de maîtrise sanitaire"],
    &["DLC", "date limite de consommation"],
];

/// The groups as stem sequences, prepared once.
pub fn prepared() -> &'static [Vec<Vec<String>>] {
    static PREPARED: OnceLock<Vec<Vec<Vec<String>>>> = OnceLock::new();
    PREPARED.get_or_init(|| {
        GROUPS
            .iter()
            .map(|group| {
                let mut variants: Vec<Vec<String>> = Vec::new();
                for phrase in *group {
                    let stems = significant_stems(phrase);
                    if !stems.is_empty() && !variants.contains(&stems) {
                        variants.push(stems);
                    }
                }
                variants
            })
            .collect()
    })
}

/// The longest synonym phrase that starts at `stems[0]`: its length in words and its group's
/// variants. The hand-written table comes first, then the ESCO groups ([`crate::taxonomy`]);
/// ties go to the group listed first, so results never depend on hashing.
pub fn longest_match(stems: &[String]) -> Option<(usize, Vec<Vec<String>>)> {
    let mut best: Option<(usize, Vec<Vec<String>>)> = None;
    for group in prepared() {
        for variant in group {
            let n = variant.len();
            if n <= stems.len() && stems[..n] == variant[..] && best.as_ref().is_none_or(|(len, _)| n > *len) {
                best = Some((n, group.clone()));
            }
        }
    }
    for group in crate::taxonomy::GROUPS {
        for variant in *group {
            let n = variant.len();
            let same = n <= stems.len() && stems[..n].iter().zip(variant.iter()).all(|(a, b)| a == b);
            if same && best.as_ref().is_none_or(|(len, _)| n > *len) {
                best = Some((n, group.iter().map(|v| v.iter().map(|s| (*s).to_owned()).collect()).collect()));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_long_forms_share_a_group() {
        let stems = significant_stems("Protection maternelle et infantile (PMI)");
        let (len, group) = longest_match(&stems).expect("PMI long form");
        assert_eq!(len, 3);
        assert!(group.contains(&vec!["pmi".to_owned()]));
        let (_, group) = longest_match(&significant_stems("marchés publics")).unwrap();
        let group = &group;
        assert!(group.contains(&significant_stems("commande publique")));
        let (len, group) = longest_match(&significant_stems("système intégré de gestion de bibliothèque")).unwrap();
        assert_eq!(len, 4, "four significant words");
        assert!(group.contains(&vec!["sigb".to_owned()]));
    }

    #[test]
    fn an_abbreviation_with_a_second_common_meaning_has_no_group() {
        for word in ["CAP", "ERP", "SEM", "CA", "CET"] {
            assert!(!GROUPS.iter().any(|g| g.contains(&word)), "{word}");
        }
    }

    #[test]
    fn every_group_has_two_distinct_variants() {
        for (i, group) in prepared().iter().enumerate() {
            assert!(group.len() >= 2, "group {i} ({:?}) collapses to one variant", GROUPS[i]);
        }
    }
}
