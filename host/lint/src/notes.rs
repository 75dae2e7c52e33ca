//! Recruiter notes: which sentences are internal remarks (never published), which may feed the
//! ad, and whether an internal remark leaked into a draft. Notes taken with a hiring manager
//! mix facts about the post ("astreinte un week-end sur quatre") with things that must stay
//! inside the service (budget, the previous holder, an internal candidate, opinions, health).
//!
//! Notes are compared in canonical form ([`canonical`]): a marker or a criterion hidden with
//! soft hyphens or look-alike letters is still one, and a remark copied into the ad with such
//! tricks is still a leak.

use crate::rules;
use crate::text::{canonical, sentences};

/// Folded phrases that mark a remark as internal.
pub const INTERNAL_MARKERS: &[&str] = &[
    "entre nous",
    "confidentiel",
    "confidentielle",
    "ne pas mentionner",
    "ne pas le mentionner",
    "ne pas diffuser",
    "ne pas publier",
    "ne pas dire",
    "ne pas ecrire",
    "a ne pas",
    "pas dans l annonce",
    "pas a publier",
    "en interne",
    "interne uniquement",
    "pour info",
    "off",
    "precedent titulaire",
    "precedente titulaire",
    "ancien titulaire",
    "ancienne titulaire",
    "predecesseur",
    "remplace",
    "remplacer",
    "conflit",
    "conflits",
    "tension",
    "tensions",
    "difficile",
    "difficiles",
    "ambiance",
    "turn over",
    "turnover",
    "budget",
    "enveloppe",
    "negociable",
    "negocier",
    "negociation",
    "candidat interne",
    "candidate interne",
    "candidature interne",
    "pressenti",
    "pressentie",
    "deja identifie",
    "deja identifiee",
    "quelqu un en vue",
    "prefere",
    "prefererait",
    "aimerait",
    "souhaiterait",
    "voudrait",
    "arret maladie",
    "burn out",
    "depression",
    "licenciement",
    "disciplinaire",
    "sanction",
    "absenteisme",
    "salaire actuel",
    "ne convient pas",
    "n a pas convenu",
    "piston",
    "recommande par",
    "recommandee par",
    "fils de",
    "fille de",
    "neveu",
    "niece",
    "elu",
    "elue",
    "le maire",
    "dgs",
    "dga",
    "n 1",
    "rumeur",
    "plainte",
    "mutation sanction",
];

/// A sentence of the notes, with whether it must stay internal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSentence {
    pub text: String,
    pub internal: bool,
}

/// The text holds one of `markers` (folded phrases), once normalised, on word boundaries.
pub fn has_marker(text: &str, markers: &[&str]) -> bool {
    let padded = format!(" {} ", canonical(text));
    markers.iter().any(|m| padded.contains(&format!(" {m} ")))
}

/// A sentence of notes that must stay internal: it holds an internal marker or a discriminatory
/// criterion (not a merely ambiguous term). `document` is the canonical text of the whole notes.
pub fn is_internal(sentence: &str, document: &str) -> bool {
    has_marker(sentence, INTERNAL_MARKERS) || rules::check(sentence, document).iter().any(|f| !f.ambiguous)
}

/// Splits notes into sentences (also at "-" bullets) and classifies them with [`is_internal`].
pub fn classify(notes: &str) -> Vec<NoteSentence> {
    let doc = canonical(notes);
    let mut out = Vec::new();
    for (s, e) in sentences(notes) {
        for part in notes[s..e].split(" - ") {
            let text = part.trim().trim_start_matches(['-', '*', '•', ' ']).trim().to_owned();
            if canonical(&text).is_empty() {
                continue;
            }
            out.push(NoteSentence { internal: is_internal(&text, &doc), text });
        }
    }
    out
}

const STOP: &[&str] = &[
    "avec", "dans", "pour", "sans", "plus", "tres", "mais", "elle", "nous", "vous", "leur", "sont", "etre", "avoir",
    "cette", "tout", "tous", "toute", "aussi", "dont", "comme", "poste", "fait", "faire", "bien", "encore", "depuis",
    "entre", "apres", "avant", "chez", "ceux", "celle", "quand",
];

fn content_words(folded: &str) -> Vec<&str> {
    let mut v: Vec<&str> = folded.split(' ').filter(|w| w.len() >= 4 && !STOP.contains(w)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Sentences of `ad` that repeat an internal remark of `notes`: most of its content words in
/// one sentence of the ad, or one of its markers with another of its words. Returns (ad
/// sentence, note sentence) pairs.
pub fn leaks(notes: &str, ad: &str) -> Vec<(String, String)> {
    let ad_sentences: Vec<(String, String)> =
        sentences(ad).into_iter().map(|(s, e)| (ad[s..e].trim().to_owned(), canonical(&ad[s..e]))).collect();
    let mut out = Vec::new();
    for note in classify(notes).into_iter().filter(|n| n.internal) {
        let folded = canonical(&note.text);
        let words = content_words(&folded);
        let markers: Vec<&str> = INTERNAL_MARKERS
            .iter()
            .copied()
            .filter(|m| m.len() >= 5 && format!(" {folded} ").contains(&format!(" {m} ")))
            .collect();
        for (original, ad_folded) in &ad_sentences {
            let padded = format!(" {ad_folded} ");
            let shared = words.iter().filter(|w| padded.contains(&format!(" {w} "))).count();
            let by_overlap = words.len() >= 3 && shared * 10 >= words.len() * 6;
            let by_marker = markers.iter().any(|m| padded.contains(&format!(" {m} "))) && shared >= 2;
            if by_overlap || by_marker {
                out.push((original.clone(), note.text.clone()));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTES: &str = "Astreinte un week-end sur quatre. Entre nous, le précédent titulaire est parti en conflit \
                         avec la cheffe. Budget serré : pas plus de 2 200 € net. Logiciel Ciril utilisé.";

    #[test]
    fn classifies_internal_remarks() {
        let c = classify(NOTES);
        let internal: Vec<bool> = c.iter().map(|n| n.internal).collect();
        assert_eq!(internal, [false, true, true, false]);
    }

    #[test]
    fn finds_copied_remarks_only() {
        let ad = "## Vos missions\n- Astreinte un week-end sur quatre.\n- Le précédent titulaire est parti en conflit avec la cheffe.\n";
        let l = leaks(NOTES, ad);
        assert_eq!(l.len(), 1);
        assert!(l[0].0.contains("précédent titulaire"));
        assert!(leaks(NOTES, "## Vos missions\n- Astreinte un week-end sur quatre.\n").is_empty());
    }

    #[test]
    fn hidden_markers_criteria_and_copies_are_still_found() {
        let c = classify("Astreinte le samedi. En\u{AD}tre no\u{200B}us, budget serré. On cherche un h.o.m.m.e.");
        let internal: Vec<bool> = c.iter().map(|n| n.internal).collect();
        assert_eq!(internal, [false, true, true]);
        let ad = "## Vos missions\n- Le précédent tіtulaіre est parti en cоnflit avec la cheffe.\n";
        assert_eq!(leaks(NOTES, ad).len(), 1);
    }
}
