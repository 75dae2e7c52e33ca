//! Inclusive job titles. Code du travail L1142-1 forbids an offer that names the sex of the
//! person sought; the usual reading (Pôle emploi guide, Défenseur des droits) is that a title
//! must be in both genders ("Chargé ou chargée de mission", "Assistant·e") or carry "F/H",
//! and that a feminine-only title stays gendered even with "H/F" ("Vendeuse H/F").

use crate::normalize::normalize;
use crate::text::{fold, words};

/// Why a title is not in both genders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleIssue {
    /// A feminine-only form ("Assistante RH (F/H)").
    FeminineOnly(String),
    /// A masculine-only form that excludes by itself ("Homme d'entretien").
    MasculineOnly(String),
    /// No gender mark at all ("Technicien informatique").
    NoMark,
}

/// Feminine forms whose masculine differs: listed to catch "Assistante (F/H)".
const FEMININE: &[&str] = &[
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
    "cuisiniere",
    "lingere",
    "gardienne",
    "ouvriere",
    "coordinatrice",
    "controleuse",
    "inspectrice",
    "formatrice",
    "instructrice",
    "gestionnaire-",
    "femme",
    "aide-menagere",
    "menagere",
    "serveuse",
    "caissiere",
];
const MASCULINE_ONLY: &[&str] = &["homme", "hommes", "garcon"];

/// The title's gender marks: "F/H", "H/F", a median dot, "(e)", ".e", a double form "x ou y" /
/// "x/y", or "femme ou homme".
fn has_mark(title: &str) -> bool {
    let lower = title.to_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    ["f/h", "h/f", "(f/h)", "(h/f)", "f-h", "h-f", "(e)", "·", "•e", "⋅"].iter().any(|m| compact.contains(m))
        || lower.contains(" ou ")
        || lower.split_whitespace().any(|w| w.contains('/') && w.len() > 3)
        || lower
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .any(|w| w.ends_with(".e") || w.ends_with(".es"))
}

/// The first problem of a title, if any. The title is read normalised (a soft hyphen or a
/// Cyrillic letter inside "Homme" does not hide it); the word reported is the original one.
pub fn check(title: &str) -> Option<TitleIssue> {
    let n = normalize(title);
    let read = n.text.as_str();
    let ws = words(read);
    let marked = has_mark(read);
    let double = read.contains(" ou ") || read.contains('/') || read.contains('·') || read.contains("(e)");
    for w in &ws {
        let (s, e) = n.source(w.start, w.end);
        let original = title[s..e].to_owned();
        let shown = &read[w.start..w.end];
        if MASCULINE_ONLY.contains(&w.folded.as_str()) {
            return Some(TitleIssue::MasculineOnly(original));
        }
        // "Assistante" is fine next to "Assistant" ("Assistant ou assistante"), not alone.
        if FEMININE.contains(&w.folded.as_str()) && !shown.contains('·') && !shown.contains("(e)") {
            let masculine_too = double && ws.iter().any(|o| o.folded != w.folded && w.folded.starts_with(&o.folded));
            if !masculine_too {
                return Some(TitleIssue::FeminineOnly(original));
            }
        }
    }
    if !marked && !fold(read).is_empty() {
        return Some(TitleIssue::NoMark);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(check("Gestionnaire paie (F/H)"), None);
        assert_eq!(check("Technicien informatique H/F"), None);
        assert_eq!(check("Chargé ou chargée de mission"), None);
        assert_eq!(check("Assistant·e RH"), None);
        assert_eq!(check("Agent(e) d'accueil"), None);
        assert_eq!(check("Assistante RH (F/H)"), Some(TitleIssue::FeminineOnly("Assistante".into())));
        assert_eq!(check("Vendeuse H/F"), Some(TitleIssue::FeminineOnly("Vendeuse".into())));
        assert_eq!(check("Homme d'entretien"), Some(TitleIssue::MasculineOnly("Homme".into())));
        assert_eq!(check("Technicien informatique"), Some(TitleIssue::NoMark));
        assert_eq!(check("Sage-femme (F/H)"), None);
    }

    #[test]
    fn hidden_gendered_titles_report_the_original_word() {
        let t = "H\u{43E}\u{200B}mme d'entretien";
        assert_eq!(check(t), Some(TitleIssue::MasculineOnly("H\u{43E}\u{200B}mme".into())));
        assert_eq!(
            check("Ａｓｓｉｓｔａｎｔｅ RH (F/H)"),
            Some(TitleIssue::FeminineOnly("Ａｓｓｉｓｔａｎｔｅ".into()))
        );
        assert_eq!(check("Assistant·e RH"), None);
        assert_eq!(check("Gestionnaire paie (F／H)"), None);
    }
}
