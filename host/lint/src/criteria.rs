//! The protected criteria of French anti-discrimination law, with the category codes of the
//! draft warnings, the articles they rest on and the explanation shown to recruiters.
//!
//! Sources: Code pénal art. 225-1 (list of criteria) and 225-2 5° (making a job offer subject to
//! one of them); Code du travail art. L1132-1 (same list, plus bank domiciliation), L1142-1
//! (sex and family situation in an offer), L5331-2 (age limits in an offer); Code général de la
//! fonction publique art. L131-1 (non-discrimination between public agents).

use serde::{Deserialize, Serialize};

/// A protected criterion. The serialised form is the warning `category`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Criterion {
    Age,
    Sex,
    Pregnancy,
    FamilySituation,
    PhysicalAppearance,
    Origin,
    Nationality,
    Health,
    Disability,
    Religion,
    PoliticalOpinion,
    UnionActivity,
    SexualOrientation,
    GenderIdentity,
    Surname,
    PlaceOfResidence,
    Language,
    GeneticCharacteristics,
    EconomicVulnerability,
    BankDomicile,
    LossOfAutonomy,
    Mores,
}

const PENAL: &str = "Code pénal, art. 225-1 et 225-2 (5°)";
const TRAVAIL: &str = "code du travail, art. L1132-1";
const CGFP: &str = "code général de la fonction publique, art. L131-1";

impl Criterion {
    pub const ALL: [Criterion; 22] = [
        Criterion::Age,
        Criterion::Sex,
        Criterion::Pregnancy,
        Criterion::FamilySituation,
        Criterion::PhysicalAppearance,
        Criterion::Origin,
        Criterion::Nationality,
        Criterion::Health,
        Criterion::Disability,
        Criterion::Religion,
        Criterion::PoliticalOpinion,
        Criterion::UnionActivity,
        Criterion::SexualOrientation,
        Criterion::GenderIdentity,
        Criterion::Surname,
        Criterion::PlaceOfResidence,
        Criterion::Language,
        Criterion::GeneticCharacteristics,
        Criterion::EconomicVulnerability,
        Criterion::BankDomicile,
        Criterion::LossOfAutonomy,
        Criterion::Mores,
    ];

    /// The warning category, e.g. "family-situation".
    pub fn code(self) -> &'static str {
        match self {
            Criterion::Age => "age",
            Criterion::Sex => "sex",
            Criterion::Pregnancy => "pregnancy",
            Criterion::FamilySituation => "family-situation",
            Criterion::PhysicalAppearance => "physical-appearance",
            Criterion::Origin => "origin",
            Criterion::Nationality => "nationality",
            Criterion::Health => "health",
            Criterion::Disability => "disability",
            Criterion::Religion => "religion",
            Criterion::PoliticalOpinion => "political-opinion",
            Criterion::UnionActivity => "union-activity",
            Criterion::SexualOrientation => "sexual-orientation",
            Criterion::GenderIdentity => "gender-identity",
            Criterion::Surname => "surname",
            Criterion::PlaceOfResidence => "place-of-residence",
            Criterion::Language => "language",
            Criterion::GeneticCharacteristics => "genetic-characteristics",
            Criterion::EconomicVulnerability => "economic-vulnerability",
            Criterion::BankDomicile => "bank-domicile",
            Criterion::LossOfAutonomy => "loss-of-autonomy",
            Criterion::Mores => "mores",
        }
    }

    pub fn from_code(code: &str) -> Option<Criterion> {
        Criterion::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Legal basis cited in the warning.
    pub fn article(self) -> String {
        match self {
            // Listed in CGFP L131-1 as well.
            Criterion::Age => format!("{PENAL} ; {TRAVAIL} et L5331-2 ; {CGFP}"),
            Criterion::Sex | Criterion::FamilySituation | Criterion::Pregnancy => {
                format!("{PENAL} ; {TRAVAIL} et L1142-1 ; {CGFP}")
            }
            Criterion::Nationality => format!(
                "{PENAL} ; {TRAVAIL} ; {CGFP} ; code général de la fonction publique, art. L321-1 et L321-2 \
                 (seule condition de nationalité légale)"
            ),
            Criterion::PhysicalAppearance
            | Criterion::Origin
            | Criterion::Health
            | Criterion::Disability
            | Criterion::Religion
            | Criterion::PoliticalOpinion
            | Criterion::UnionActivity
            | Criterion::SexualOrientation
            | Criterion::GenderIdentity
            | Criterion::Surname => format!("{PENAL} ; {TRAVAIL} ; {CGFP}"),
            Criterion::BankDomicile => format!("{TRAVAIL} (domiciliation bancaire)"),
            Criterion::PlaceOfResidence
            | Criterion::Language
            | Criterion::GeneticCharacteristics
            | Criterion::EconomicVulnerability
            | Criterion::LossOfAutonomy
            | Criterion::Mores => format!("{PENAL} ; {TRAVAIL}"),
        }
    }

    /// French explanation for the recruiter.
    pub fn message(self) -> &'static str {
        match self {
            Criterion::Age => "Critère d'âge, direct ou indirect (« jeune », tranche d'âge, année de naissance) : une offre ne peut ni fixer de limite d'âge ni viser une génération. Décrivez l'expérience ou les compétences attendues.",
            Criterion::Sex => "Critère de sexe : l'offre ne peut ni mentionner le sexe de la personne recherchée ni s'adresser à un seul sexe, même indirectement. Décrivez la tâche (par exemple le port de charges) de façon neutre.",
            Criterion::Pregnancy => "Grossesse ou maternité : ce critère ne peut ni figurer dans une offre ni fonder un choix.",
            Criterion::FamilySituation => "Situation de famille (vie de couple, enfants, contraintes familiales) : ce critère ne peut ni figurer dans une offre ni fonder un choix. Décrivez plutôt les horaires ou sujétions objectives du poste.",
            Criterion::PhysicalAppearance => "Apparence physique : critère interdit. Décrivez, si besoin, la tenue de travail ou les règles d'hygiène et de sécurité du poste.",
            Criterion::Origin => "Origine, appartenance vraie ou supposée à une ethnie, une nation ou une prétendue race : critère interdit.",
            Criterion::Nationality => "Nationalité : seule la condition légale d'accès aux emplois de fonctionnaire s'applique (nationalité française ou d'un État de l'Union européenne ou de l'Espace économique européen, hors emplois légalement réservés aux nationaux) ; elle ne peut pas être restreinte davantage dans l'offre.",
            Criterion::Health => "État de santé : critère interdit. L'aptitude physique est appréciée par un médecin agréé ; décrivez plutôt les contraintes objectives du poste (port de charges, travail en extérieur).",
            Criterion::Disability => "Handicap : critère interdit. Les postes sont ouverts aux personnes en situation de handicap, avec aménagement si nécessaire ; décrivez les contraintes objectives du poste.",
            Criterion::Religion => "Convictions religieuses : critère interdit. Le principe de neutralité s'impose aux agents dans le service mais ne peut servir à écarter une candidature.",
            Criterion::PoliticalOpinion => "Opinions politiques : critère interdit. Le devoir de neutralité et de réserve s'applique dans le service, sans condition d'opinion.",
            Criterion::UnionActivity => "Activités ou appartenance syndicales ou mutualistes : critère interdit.",
            Criterion::SexualOrientation => "Orientation sexuelle : critère interdit.",
            Criterion::GenderIdentity => "Identité de genre : critère interdit.",
            Criterion::Surname => "Nom de famille : critère interdit (y compris la « consonance » d'un nom).",
            Criterion::PlaceOfResidence => "Lieu de résidence : critère interdit. Une contrainte de service objective (astreinte, délai d'intervention) se décrit comme telle, sans condition de domicile.",
            Criterion::Language => "Langue : exiger une langue maternelle, l'absence d'accent ou écarter qui parle une autre langue est interdit. Si le poste l'exige, indiquez un niveau de maîtrise (par exemple B2).",
            Criterion::GeneticCharacteristics => "Caractéristiques génétiques : critère interdit ; aucune information génétique ou antécédent familial ne peut être demandé.",
            Criterion::EconomicVulnerability => "Particulière vulnérabilité économique (minima sociaux, dettes, chômage de longue durée) : critère interdit.",
            Criterion::BankDomicile => "Domiciliation bancaire : critère interdit ; les coordonnées bancaires ne se demandent qu'après le recrutement, pour la paie.",
            Criterion::LossOfAutonomy => "Perte d'autonomie : critère interdit.",
            Criterion::Mores => "Mœurs ou vie privée : critère interdit. Seule la compatibilité du bulletin n° 2 du casier judiciaire avec les fonctions peut être vérifiée pour un fonctionnaire.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Criterion::ALL {
            assert!(seen.insert(c.code()));
            assert_eq!(Criterion::from_code(c.code()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.code());
            assert!(!c.article().is_empty() && !c.message().is_empty());
        }
        assert_eq!(seen.len(), 22);
    }
}
