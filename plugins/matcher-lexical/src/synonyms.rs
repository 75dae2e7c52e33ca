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
    }

    #[test]
    fn every_group_has_two_distinct_variants() {
        for (i, group) in prepared().iter().enumerate() {
            assert!(group.len() >= 2, "group {i} ({:?}) collapses to one variant", GROUPS[i]);
        }
    }
}
