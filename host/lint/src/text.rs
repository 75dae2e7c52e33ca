//! French-aware text handling for the linter: accent folding, elision, inclusive writing, and
//! words with their byte spans so that a warning can quote the original text. These functions
//! read the text as it is; the matcher runs them on the normalised text of
//! [`crate::normalize()`], and [`canonical`] folds a normalised text for comparisons.

use unicode_normalization::UnicodeNormalization;

pub use crate::normalize::canonical;

/// Folds a string for comparison: accents removed, lower case, ligatures expanded, any run of
/// characters that are not letters or digits turned into one space. "L'Âge  requis" → "l age requis".
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut space = false;
    for c in input.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let expanded: &str = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            _ => "",
        };
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if expanded.is_empty() {
                out.extend(c.to_lowercase());
            } else {
                out.push_str(expanded);
            }
        } else {
            space = true;
        }
    }
    out
}

/// One word of a text: its folded form and its byte span in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub folded: String,
    pub start: usize,
    pub end: usize,
}

/// Inclusive-writing separators that glue a feminine or plural ending to a word
/// ("candidat·e·s", "âgé.e", "agent-e"): the ending is dropped so the stem matches.
const INCLUSIVE_DOTS: [char; 3] = ['·', '•', '⋅'];

/// Splits a text into folded words. Elided articles become their own word ("d'origine" → "d",
/// "origine"), inclusive endings are dropped ("âgé·e" → "age", "salarié(e)s" → "salarie").
pub fn words(text: &str) -> Vec<Word> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_word = |c: char| c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word(chars[i].1) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        while i < chars.len() && is_word(chars[i].1) {
            i += 1;
        }
        let stem_end = chars.get(i).map_or(text.len(), |&(b, _)| b);
        // Inclusive endings: "·e", "·es", ".e", "(e)", "(e)s", "·rice".
        let mut end = stem_end;
        while let Some(&(_, sep)) = chars.get(i) {
            if INCLUSIVE_DOTS.contains(&sep) || (sep == '.' && short_ending(&chars, i + 1)) {
                let mut j = i + 1;
                let mut n = 0;
                while j < chars.len() && chars[j].1.is_alphabetic() {
                    j += 1;
                    n += 1;
                }
                if n == 0 || n > 4 {
                    break;
                }
                i = j;
                end = chars.get(i).map_or(text.len(), |&(b, _)| b);
            } else if sep == '(' {
                let mut j = i + 1;
                let mut n = 0;
                while j < chars.len() && chars[j].1.is_alphabetic() {
                    j += 1;
                    n += 1;
                }
                if n == 0 || n > 3 || chars.get(j).map(|c| c.1) != Some(')') {
                    break;
                }
                i = j + 1;
                while i < chars.len() && chars[i].1.is_alphabetic() && chars[i].1 == 's' {
                    i += 1;
                }
                end = chars.get(i).map_or(text.len(), |&(b, _)| b);
            } else {
                break;
            }
        }
        for folded in fold(&text[start..stem_end]).split(' ').filter(|w| !w.is_empty()) {
            out.push(Word { folded: folded.to_owned(), start, end });
        }
    }
    out
}

/// After a '.', a 1–3 letter lower-case ending followed by a non-letter: "âgé.e " but not
/// "Lyon. Elle".
fn short_ending(chars: &[(usize, char)], from: usize) -> bool {
    let mut n = 0;
    let mut j = from;
    while j < chars.len() && chars[j].1.is_lowercase() {
        j += 1;
        n += 1;
    }
    (1..=3).contains(&n) && chars.get(j).is_none_or(|c| !c.1.is_alphabetic())
}

/// Byte spans of the sentences of a text: split after '.', '!', '?', ';' followed by a space,
/// and at line breaks. Markdown markers are part of their sentence.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in bytes.iter().enumerate() {
        let next_is_space = bytes.get(k + 1).is_none_or(|n| n.1.is_whitespace());
        let cut = c == '\n' || (matches!(c, '.' | '!' | '?' | ';') && next_is_space);
        if cut {
            let end = i + c.len_utf8();
            if !text[start..end].trim().is_empty() {
                out.push((start, end));
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push((start, text.len()));
    }
    out
}

/// The span of the sentence, as [`sentences`] cuts them, that holds byte `at`: found by looking
/// only around `at`, so that quoting many flags of a long text stays linear.
pub fn sentence_at(text: &str, at: usize) -> (usize, usize) {
    let at = floor_char(text, at.min(text.len()));
    let is_cut = |i: usize, c: char| {
        c == '\n'
            || (matches!(c, '.' | '!' | '?' | ';')
                && text[i + c.len_utf8()..].chars().next().is_none_or(char::is_whitespace))
    };
    let start = text[..at].char_indices().rev().find(|&(i, c)| is_cut(i, c)).map_or(0, |(i, c)| i + c.len_utf8());
    let end =
        text[at..].char_indices().find(|&(i, c)| is_cut(at + i, c)).map_or(text.len(), |(i, c)| at + i + c.len_utf8());
    (start, end)
}

/// Collapses white space and trims.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sentence around a byte span, trimmed, at most `max` characters (cut around the span).
pub fn excerpt(text: &str, start: usize, end: usize, max: usize) -> String {
    let (s, e) = match sentence_at(text, start) {
        (s, e) if start < e && !text[s..e].trim().is_empty() => (s, e),
        _ => (start, end),
    };
    let e = e.max(end);
    let sentence = squash(text[s..e].trim_start_matches(['-', '*', '#', ' ', '\t', '•']).trim());
    if sentence.chars().count() <= max {
        return sentence;
    }
    // Too long: the span with context on both sides.
    let lo = floor_char(text, start.saturating_sub(max / 2));
    let hi = ceil_char(text, (end + max / 2).min(text.len()));
    let mut out = squash(&text[lo.max(s)..hi.min(e)]);
    if out.chars().count() > max {
        out = out.chars().take(max).collect();
    }
    format!("…{out}…")
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// True when `needle` (folded) occurs in `haystack` (folded) on word boundaries.
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let padded = format!(" {haystack} ");
    padded.contains(&format!(" {needle} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_handles_accents_ligatures_and_elision() {
        assert_eq!(fold("L'Âge  requis : Œuvre"), "l age requis oeuvre");
        assert_eq!(fold("Bonnes mœurs"), "bonnes moeurs");
    }

    #[test]
    fn words_drop_inclusive_endings_and_keep_spans() {
        let t = "Candidat·e âgé(e)s d'origine";
        let w = words(t);
        let folded: Vec<&str> = w.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["candidat", "age", "d", "origine"]);
        assert_eq!(&t[w[0].start..w[0].end], "Candidat·e");
        assert_eq!(&t[w[1].start..w[1].end], "âgé(e)s");
        let w = words("Lyon. Elle est âgé.e de 30 ans");
        assert_eq!(w[0].folded, "lyon");
        assert_eq!(w[1].folded, "elle");
        assert!(w.iter().any(|w| w.folded == "age"));
    }

    #[test]
    fn the_sentence_at_a_byte_is_the_one_sentences_cuts() {
        for t in
            ["Lyon. Elle est là ; bien !\nNouvelle ligne? Oui.", "Âgé.e de 30 ans. Fin", "Un.\n\nDeux", "", "Sans fin"]
        {
            for (s, e) in sentences(t) {
                for at in (s..e).filter(|&b| t.is_char_boundary(b)) {
                    assert_eq!(sentence_at(t, at), (s, e), "{t:?} at {at}");
                }
            }
        }
    }

    #[test]
    fn sentences_and_excerpts() {
        let t = "Poste de jour. Homme robuste exigé pour les charges.\n- Permis B";
        assert_eq!(sentences(t).len(), 3);
        let s = t.find("Homme").unwrap();
        assert_eq!(excerpt(t, s, s + 5, 160), "Homme robuste exigé pour les charges.");
        assert!(contains_words("permis b exige", "permis b"));
        assert!(!contains_words("permisb", "permis"));
    }
}
