//! Recruiter notes: the sentences that may feed the ad (facts about the post) and those that
//! must stay internal (budget, people, conflicts, wishes about who to hire, any protected
//! criterion). The markers and the criteria are the host linter's (`vivier-lint`), which
//! checks the same thing on the result, whatever the drafter.

use vivier_lint::notes::{has_marker, INTERNAL_MARKERS};
use vivier_lint::rules;
use vivier_sdk::text::{fold, squash_spaces};

/// Phrases that make a remark internal for this plugin on top of the linter's markers
/// ([`INTERNAL_MARKERS`]): a reference or a métier is used as such, not pasted as a sentence.
const DRAFTER_MARKERS: &[&str] = &["veut", "metier", "ref", "reference", "prevoir", "sensible"];

/// Characters of notes read for the ad.
pub const MAX_NOTES_CHARS: usize = 4000;
/// Note sentences published at most.
pub const MAX_PUBLISHED: usize = 10;

/// The first `max` characters of a text.
pub fn head(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// A sentence of the notes and whether it must stay internal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSentence {
    pub text: String,
    pub internal: bool,
}

fn split(notes: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = notes.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        // "Réf. : X" or "env. 400 agents" do not end a sentence: the next word must start one.
        let next_starts =
            chars[i + 1..].iter().find(|n| !n.is_whitespace()).is_none_or(|n| n.is_uppercase() || *n == '-');
        if c == '\n' || (matches!(c, '.' | '!' | '?' | ';') && next_space && next_starts) {
            if c != '\n' {
                current.push(c);
            }
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    out.into_iter()
        .flat_map(|s| s.split(" - ").map(str::to_owned).collect::<Vec<_>>())
        .map(|s| squash_spaces(s.trim().trim_start_matches(['-', '*', '•', ' '])))
        .filter(|s| !fold(s).is_empty())
        .collect()
}

/// Classifies every sentence of the notes.
pub fn classify(notes: &str) -> Vec<NoteSentence> {
    split(notes)
        .into_iter()
        .map(|text| {
            let marked = has_marker(&text, INTERNAL_MARKERS) || has_marker(&text, DRAFTER_MARKERS);
            // Even a term that may be lawful ("senior") keeps the sentence out of the ad.
            let criterion = !rules::check(&text, "").is_empty();
            // A publishable note is a full statement, capitalised and ended, for the ad.
            let mut text = text;
            if let Some(first) = text.chars().next() {
                text = first.to_uppercase().collect::<String>() + &text[first.len_utf8()..];
            }
            if !text.ends_with(['.', '!', '?']) {
                text.push('.');
            }
            NoteSentence { internal: marked || criterion, text }
        })
        .collect()
}

/// The value after a label in the notes ("Réf. : DRH-2026-14", "Métier : Gestionnaire paie"):
/// the rest of that sentence, without the label.
pub fn labelled(notes: &str, labels: &[&str]) -> Option<String> {
    for sentence in split(notes) {
        let Some((head, rest)) = sentence.split_once(':') else { continue };
        let head = fold(head);
        if labels.iter().any(|l| head == *l || head == format!("{l} n") || head.ends_with(&format!(" {l}"))) {
            let value = rest.trim().trim_end_matches('.').trim().to_owned();
            if !value.is_empty() && value.chars().count() <= 80 {
                return Some(value);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_split_between_internal_and_publishable() {
        let c = classify(
            "Astreinte un week-end sur quatre. Entre nous, budget serré.\n- équipe de 6 agents\n- Réf. : DRH-2026-14",
        );
        let v: Vec<(bool, &str)> = c.iter().map(|n| (n.internal, n.text.as_str())).collect();
        assert_eq!(
            v,
            [
                (false, "Astreinte un week-end sur quatre."),
                (true, "Entre nous, budget serré."),
                (false, "Équipe de 6 agents."),
                (true, "Réf. : DRH-2026-14."),
            ]
        );
        assert_eq!(labelled("Réf. : DRH-2026-14", &["ref", "reference"]).as_deref(), Some("DRH-2026-14"));
        assert_eq!(labelled("Métier : Gestionnaire paie.", &["metier"]).as_deref(), Some("Gestionnaire paie"));
    }
}
