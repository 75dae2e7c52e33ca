//! Mandatory mentions of a public-service vacancy notice.
//!
//! Décret n° 2018-1351 du 28 décembre 2018, art. 3, as amended by décret n° 2022-598 du
//! 20 avril 2022: the notice must give 1° the versant, 2° creation or vacancy of the post,
//! 3° the statutory category, the cadre(s) d'emplois and, where relevant, the grade, 4° the
//! recruiting authority, 5° the body or structure of the post, 6° the métier reference,
//! 7° the missions and the expected profile (experience or skills), 8° where relevant, specific
//! conditions (habilitations, diplomas, training), 9° the job title, 10° the location, 11° the
//! date of vacancy, 12° the authority to send applications to and the application deadline.
//! Item 8° depends on the post and cannot be checked from the text; every other item is.

use crate::text::{contains_words, fold};

/// One mandatory item: stable id (the warning's excerpt), French label, item of art. 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub id: &'static str,
    pub label: &'static str,
    pub item: &'static str,
}

pub const ARTICLE: &str = "Décret n° 2018-1351 du 28 décembre 2018, art. 3 (modifié par le décret n° 2022-598)";

pub const MENTIONS: &[Mention] = &[
    Mention { id: "versant", label: "le versant de la fonction publique (territoriale)", item: "1°" },
    Mention { id: "vacancy", label: "la création ou la vacance de l'emploi", item: "2°" },
    Mention { id: "categorie", label: "la catégorie statutaire (A, B ou C)", item: "3°" },
    Mention { id: "cadre-emplois", label: "le ou les cadres d'emplois", item: "3°" },
    Mention { id: "recruiting-authority", label: "l'autorité de recrutement (employeur)", item: "4°" },
    Mention { id: "structure", label: "la structure (direction, service) où se trouve l'emploi", item: "5°" },
    Mention { id: "metier", label: "la référence du métier (répertoire des métiers territoriaux)", item: "6°" },
    Mention { id: "missions", label: "les missions de l'emploi", item: "7°" },
    Mention { id: "profile", label: "le profil attendu (expérience ou compétences)", item: "7°" },
    Mention { id: "title", label: "l'intitulé du poste", item: "9°" },
    Mention { id: "location", label: "la localisation géographique de l'emploi", item: "10°" },
    Mention { id: "vacancy-date", label: "la date de vacance de l'emploi (prise de poste)", item: "11°" },
    Mention { id: "application-contact", label: "l'autorité à qui adresser les candidatures", item: "12°" },
    Mention { id: "application-deadline", label: "le délai (date limite) de candidature", item: "12°" },
];

fn any(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| contains_words(text, p))
}

/// The request values that count as a mention when the ad repeats them. The host fills it
/// from its request type; every value is optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts<'a> {
    pub categorie: Option<&'a str>,
    pub cadre_emplois: Option<&'a str>,
    pub employer: Option<&'a str>,
    pub service: Option<&'a str>,
    pub location: Option<&'a str>,
    pub contact: Option<&'a str>,
}

/// A request value found in the ad (folded, on word boundaries).
fn value_in(text: &str, value: Option<&str>) -> bool {
    value.map(fold).is_some_and(|v| v.len() >= 3 && contains_words(text, &v))
}

/// The mandatory items the ad lacks. Lines still holding a placeholder ("à compléter") do not count.
pub fn missing(title: &str, markdown: &str, facts: &Facts) -> Vec<Mention> {
    let kept: Vec<&str> = markdown
        .lines()
        .filter(|l| {
            let f = fold(l);
            !(f.contains("a completer") || f.contains("a preciser") || f.contains("xxx"))
        })
        .collect();
    let text = fold(&format!("{title}\n{}", kept.join("\n")));
    let has_email = kept.iter().any(|l| l.contains('@') || l.contains("http"));
    MENTIONS
        .iter()
        .copied()
        .filter(|m| {
            let present = match m.id {
                "versant" => any(
                    &text,
                    &[
                        "fonction publique territoriale",
                        "fonction publique hospitaliere",
                        "fonction publique de l etat",
                        "fpt",
                    ],
                ),
                "vacancy" => any(
                    &text,
                    &[
                        "vacance",
                        "vacant",
                        "vacante",
                        "creation de poste",
                        "creation d emploi",
                        "creation du poste",
                        "poste cree",
                        "emploi cree",
                        "poste a pourvoir",
                        "emploi a pourvoir",
                        "poste est a pourvoir",
                    ],
                ),
                "categorie" => {
                    any(&text, &["categorie a", "categorie b", "categorie c", "cat a", "cat b", "cat c"])
                        || facts.categorie.is_some_and(|c| {
                            let c = fold(c);
                            contains_words(&text, &format!("categorie {c}"))
                        })
                }
                "cadre-emplois" => {
                    any(&text, &["cadre d emplois", "cadres d emplois", "cadre d emploi", "cadres d emploi"])
                        || value_in(&text, facts.cadre_emplois)
                }
                "recruiting-authority" => {
                    value_in(&text, facts.employer)
                        || any(
                            &text,
                            &[
                                "departement",
                                "conseil departemental",
                                "commune",
                                "mairie",
                                "ville de",
                                "region",
                                "communaute",
                                "metropole",
                                "syndicat",
                                "centre de gestion",
                                "ccas",
                                "cias",
                                "sdis",
                                "etablissement public",
                                "agglomeration",
                                "employeur",
                                "collectivite",
                            ],
                        )
                }
                "structure" => {
                    value_in(&text, facts.service)
                        || any(
                            &text,
                            &[
                                "direction",
                                "service",
                                "pole",
                                "unite",
                                "structure",
                                "etablissement",
                                "college",
                                "agence",
                                "mission",
                            ],
                        )
                }
                "metier" => any(&text, &["metier", "metiers"]),
                "missions" => any(&text, &["missions", "mission", "activites", "vos fonctions", "fonctions"]),
                "profile" => {
                    any(&text, &["profil", "competences", "savoir faire", "qualites", "experience", "connaissances"])
                }
                "title" => !fold(title).is_empty(),
                "location" => {
                    value_in(&text, facts.location)
                        || any(
                            &text,
                            &[
                                "lieu de travail",
                                "localisation",
                                "lieu d affectation",
                                "residence administrative",
                                "poste base",
                                "situe a",
                                "lieu",
                            ],
                        )
                }
                "vacancy-date" => any(
                    &text,
                    &[
                        "a pourvoir",
                        "prise de poste",
                        "a compter du",
                        "date de vacance",
                        "des que possible",
                        "poste vacant",
                        "au plus tot",
                        "date de debut",
                        "debut",
                        "date d arrivee",
                    ],
                ),
                "application-contact" => {
                    has_email
                        || value_in(&text, facts.contact)
                        || any(
                            &text,
                            &[
                                "a l attention",
                                "adresser",
                                "a adresser",
                                "envoyer",
                                "postuler",
                                "par courrier",
                                "candidature a",
                                "candidatures a",
                                "lettre de motivation et cv a",
                            ],
                        )
                }
                "application-deadline" => any(
                    &text,
                    &[
                        "date limite",
                        "avant le",
                        "au plus tard",
                        "jusqu au",
                        "limite de candidature",
                        "limite de depot",
                        "delai de candidature",
                        "cloture des candidatures",
                    ],
                ),
                _ => true,
            };
            !present
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_ad_lacks_everything_but_the_title() {
        let ids: Vec<&str> =
            missing("Agent d'accueil (F/H)", "Bonjour.", &Facts::default()).iter().map(|m| m.id).collect();
        assert!(!ids.contains(&"title"));
        assert!(ids.contains(&"application-deadline"));
        assert!(ids.contains(&"metier"));
        assert_eq!(ids.len(), MENTIONS.len() - 1);
    }

    #[test]
    fn placeholders_do_not_count() {
        let md = "- **Date limite de candidature** : *[à compléter]*\n";
        assert!(missing("T", md, &Facts::default()).iter().any(|m| m.id == "application-deadline"));
        let md = "- **Date limite de candidature** : 15 mars 2027\n";
        assert!(!missing("T", md, &Facts::default()).iter().any(|m| m.id == "application-deadline"));
    }
}
