//! The candidate's own identity values, removed from text wherever they occur.
//!
//! Patterns (e-mails, phones, URLs, addresses, birth dates) catch what looks like contact
//! details; this catches what *is* this candidate's: each part of the name, the e-mail, the
//! phone in any spacing or country prefix, the address, the town and postal code, each link and
//! the birth date in the usual French and ISO writings. Text and values are compared folded —
//! case, accents, spaces and punctuation ignored — so "D U P O N T", "dupont", "Dupont-" and
//! "06.12.34.56.78" are all found; the removed span runs over the original characters.

use crate::model::Identity;
use crate::text::{fold_alnum as fold, fold_alnum_char as fold_char};

/// Shortest name part removed: initials and particles ("de", "Le") would erase common words.
const MIN_NAME_PART: usize = 3;

/// What to look for, each folded (letters and digits only, lower case, no accents).
#[derive(Debug, Default, Clone)]
pub struct IdentityValues {
    /// Removed only as whole words of the text.
    words: Vec<String>,
    /// Removed wherever they occur (long values: e-mails, phones, links, dates, addresses).
    anywhere: Vec<String>,
}

const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

impl IdentityValues {
    pub fn of(identity: &Identity) -> Self {
        let mut v = Self::default();
        if let Some(name) = &identity.full_name {
            for part in name.split(|c: char| !c.is_alphanumeric()) {
                let f = fold(part);
                if f.chars().count() >= MIN_NAME_PART {
                    v.words.push(f);
                }
            }
            let whole = fold(name);
            if whole.chars().count() >= MIN_NAME_PART {
                v.anywhere.push(whole);
            }
        }
        if let Some(email) = &identity.email {
            v.push_long(email);
            if let Some((local, domain)) = email.split_once('@') {
                v.push_long(local);
                v.push_long(domain);
            }
        }
        if let Some(phone) = &identity.phone {
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            // The national number without its trunk 0 or country code: "+33 6 12…" and "06 12…".
            if digits.len() >= 9 {
                v.anywhere.push(digits[digits.len() - 9..].to_owned());
            } else if digits.len() >= 6 {
                v.anywhere.push(digits);
            }
        }
        for place in [&identity.address, &identity.city, &identity.postal_code].into_iter().flatten() {
            v.push_long(place);
        }
        if let Some(city) = &identity.city {
            let f = fold(city);
            if f.chars().count() >= MIN_NAME_PART {
                v.words.push(f);
            }
        }
        for link in &identity.links {
            v.push_long(link);
            let bare = link.trim_start_matches("https://").trim_start_matches("http://").trim_start_matches("www.");
            v.push_long(bare);
        }
        if let Some(birth) = &identity.birth_date {
            v.push_long(birth);
            v.anywhere.extend(date_writings(birth));
        }
        v.words.sort();
        v.words.dedup();
        v.anywhere.sort();
        v.anywhere.dedup();
        v
    }

    fn push_long(&mut self, text: &str) {
        let f = fold(text);
        // A value of a few characters ("12", "fr") would erase ordinary words.
        if f.chars().count() >= 5 {
            self.anywhere.push(f);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.anywhere.is_empty()
    }

    /// `text` without any of the values; what is left reads as text (spaces collapsed).
    pub fn remove_from(&self, text: &str) -> String {
        if self.is_empty() || text.is_empty() {
            return text.to_owned();
        }
        // The folded text, each folded character with the original character it came from.
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut folded = Vec::new();
        let mut origin = Vec::new();
        for (i, &(_, c)) in chars.iter().enumerate() {
            for f in fold_char(c) {
                folded.push(f);
                origin.push(i);
            }
        }
        let mut cut = vec![false; chars.len()];
        let is_word_char = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|(_, c)| c.is_alphanumeric());
        for (value, whole_word) in self.anywhere.iter().map(|v| (v, false)).chain(self.words.iter().map(|v| (v, true)))
        {
            let needle: Vec<char> = value.chars().collect();
            if needle.is_empty() || needle.len() > folded.len() {
                continue;
            }
            for start in 0..=folded.len() - needle.len() {
                if folded[start..start + needle.len()] != needle[..] {
                    continue;
                }
                let (first, last) = (origin[start], origin[start + needle.len() - 1]);
                // A name part is a word of the text, not a piece of a longer one ("Martin" is
                // not removed from "Martinique"); folded characters of one original character
                // must be taken whole.
                let starts_cleanly = start == 0 || origin[start - 1] != first;
                let ends_cleanly = start + needle.len() == folded.len() || origin[start + needle.len()] != last;
                if !(starts_cleanly && ends_cleanly) {
                    continue;
                }
                if whole_word && (is_word_char(first.checked_sub(1)) || is_word_char(Some(last + 1))) {
                    // Letter-spaced names ("D U P O N T") have no word character beside them
                    // but their own letters: those are handled by the spacing check below.
                    continue;
                }
                cut[first..=last].iter_mut().for_each(|c| *c = true);
            }
        }
        // Letter-spaced or dotted writings of a name part ("D U P O N T", "D.U.P.O.N.T").
        for word in &self.words {
            spaced_matches(&chars, word, &mut cut);
        }
        let kept: String = chars.iter().zip(&cut).filter(|(_, c)| !**c).map(|((_, ch), _)| *ch).collect();
        kept.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    }
}

/// Marks runs of single letters separated by spaces or punctuation that spell `word`.
fn spaced_matches(chars: &[(usize, char)], word: &str, cut: &mut [bool]) {
    let letters: Vec<(usize, char)> = chars
        .iter()
        .enumerate()
        .filter(|(_, (_, c))| c.is_alphanumeric())
        .map(|(i, (_, c))| (i, fold_char(*c).next().unwrap_or(*c)))
        .collect();
    let target: Vec<char> = word.chars().collect();
    'outer: for s in 0..letters.len() {
        if s + target.len() > letters.len() {
            break;
        }
        for k in 0..target.len() {
            let (i, c) = letters[s + k];
            if c != target[k] {
                continue 'outer;
            }
            // Each letter stands alone: its neighbours in the text are not letters.
            let alone = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_none_or(|(_, c)| !c.is_alphanumeric());
            if !(alone(i.checked_sub(1)) && alone(Some(i + 1))) {
                continue 'outer;
            }
        }
        let (first, last) = (letters[s].0, letters[s + target.len() - 1].0);
        cut[first..=last].iter_mut().for_each(|c| *c = true);
    }
}

/// The folded writings of a birth date given as "12/03/1985", "12-03-1985", "1985-03-12" or
/// "12 mars 1985".
fn date_writings(date: &str) -> Vec<String> {
    let numbers: Vec<u32> = date.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    let folded = fold(date);
    let month_named = MONTHS.iter().position(|m| folded.contains(m)).map(|m| m as u32 + 1);
    let (d, m, y) = match (numbers.as_slice(), month_named) {
        ([y, m, d], None) if *y > 1000 => (*d, *m, *y),
        ([d, m, y], None) => (*d, *m, *y),
        ([d, y], Some(m)) => (*d, m, *y),
        _ => return Vec::new(),
    };
    if !(1..=31).contains(&d) || !(1..=12).contains(&m) || y < 1900 {
        return Vec::new();
    }
    let month = MONTHS[m as usize - 1];
    vec![
        format!("{d:02}{m:02}{y}"),
        format!("{d}{m}{y}"),
        format!("{d}{m:02}{y}"),
        format!("{y}{m:02}{d:02}"),
        format!("{d}{month}{y}"),
        format!("{d:02}{month}{y}"),
        format!("{d:02}{m:02}{:02}", y % 100),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            full_name: Some("Amélie Nguyen-Dubreuil".into()),
            email: Some("amelie.nguyen@exemple.fr".into()),
            phone: Some("+33 6 12 34 56 78".into()),
            address: Some("14 impasse des Tilleuls".into()),
            city: Some("Saint-Fictif".into()),
            postal_code: Some("33999".into()),
            links: vec!["https://www.linkedin.com/in/amelie-ng".into()],
            birth_date: Some("03/07/1988".into()),
            has_photo: false,
        }
    }

    #[test]
    fn every_writing_of_the_candidates_identity_is_removed() {
        let v = IdentityValues::of(&identity());
        let text = "AMELIE NGUYEN-DUBREUIL, N g u y e n, d.u.b.r.e.u.i.l — amelie.nguyen@exemple.fr, \
                    06 12 34 56 78 / 0612345678 / +33 (0)6.12.34.56.78, 14 impasse des Tilleuls, Saint-Fictif, \
                    linkedin.com/in/amelie-ng, née le 3 juillet 1988 (03.07.1988). Gestion de la paie.";
        let out = v.remove_from(text).to_lowercase();
        for gone in [
            "amelie",
            "amélie",
            "nguyen",
            "dubreuil",
            "n g u y e n",
            "d.u.b",
            "exemple",
            "12 34",
            "5678",
            "tilleuls",
            "fictif",
            "amelie-ng",
            "1988",
        ] {
            assert!(!out.contains(gone), "{gone} left in: {out}");
        }
        assert!(out.contains("gestion de la paie"), "{out}");
    }

    #[test]
    fn name_parts_are_whole_words_only() {
        let id = Identity { full_name: Some("Paul Martin".into()), ..Default::default() };
        let v = IdentityValues::of(&id);
        assert_eq!(v.remove_from("Mission en Martinique avec M. Martin"), "Mission en Martinique avec M.");
        assert_eq!(v.remove_from("Accueil du public"), "Accueil du public");
    }
}
