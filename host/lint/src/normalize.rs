//! Text as people read it. An ad can hide a criterion from a word matcher and still show it to
//! every reader: a soft hyphen or a zero-width space inside each word, a Cyrillic "о" for the
//! Latin "o", fullwidth or mathematical letters, "m o i n s  d e  3 5  a n s", "h.o.m.m.e", or a
//! right-to-left override that displays "emmoh" as "homme". [`normalize`] undoes these before
//! matching:
//!
//! 1. right-to-left overrides (U+202E … U+202C) are read in display order;
//! 2. invisible characters are dropped: format characters (general category Cf: soft hyphen,
//!    zero-width space and joiners, bidi controls, word joiner, BOM), other default-ignorable
//!    code points (variation selectors, Hangul fillers) and combining marks (accents are folded
//!    away by the matcher anyway, and stacked marks would cut words);
//! 3. NFKC: fullwidth, mathematical, circled and other compatibility letters become plain ones;
//! 4. a letter of another script that UTS #39 lists as confusable with Latin letters or digits
//!    becomes its Latin skeleton ("о" → "o"). Latin letters, accented ones included, are kept as
//!    they are: the matcher folds accents itself, and a skeleton would also turn "0" into "O";
//! 5. letter-spacing and punctuation between single letters are undone (see `spacing`);
//! 6. a digit inside a word of letters stands for the letter it looks like ("h0mme", "f3mme").
//!
//! Each character of the result remembers the byte span of the original it comes from, so a
//! warning quotes the ad's real words ([`Normalized::source`]).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// One character of the normalised text and the original bytes it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    pub c: char,
    pub start: usize,
    pub end: usize,
}

/// A normalised text and, for each of its bytes, the original span it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    /// Original byte span of the character each byte of `text` belongs to.
    spans: Vec<(usize, usize)>,
    original_len: usize,
}

impl Normalized {
    /// The original byte span of `text[start..end]`: from the first to the last original byte
    /// any of its characters comes from (an empty or out-of-range span maps to an empty one).
    pub fn source(&self, start: usize, end: usize) -> (usize, usize) {
        let end = end.min(self.spans.len());
        if start >= end {
            let at = self.spans.get(start).map_or(self.original_len, |s| s.0);
            return (at, at);
        }
        // Spans are in order except inside a right-to-left override: take the extremes.
        let range = &self.spans[start..end];
        let lo = range.iter().map(|s| s.0).min().unwrap_or(0);
        let hi = range.iter().map(|s| s.1).max().unwrap_or(lo);
        (lo, hi)
    }

    /// The normalised text is the original, byte for byte.
    pub fn is_identity(&self) -> bool {
        self.text.len() == self.original_len && self.spans.iter().enumerate().all(|(i, s)| s.0 <= i && i < s.1)
    }
}

/// Normalises a text for matching (see the module documentation).
pub fn normalize(input: &str) -> Normalized {
    let mut units = crate::spacing::undo(read(input), &crate::rules::is_vocabulary);
    digits_as_letters(&mut units);
    let mut text = String::with_capacity(input.len());
    let mut spans = Vec::with_capacity(input.len());
    for u in units {
        text.push(u.c);
        spans.extend(std::iter::repeat_n((u.start, u.end), u.c.len_utf8()));
    }
    Normalized { text, spans, original_len: input.len() }
}

/// The canonical form of a text for comparisons: normalised, then folded (see
/// [`crate::text::fold`]). "h.o.m.m.e" and "Hоmme" (Cyrillic о) both give "homme".
pub fn canonical(input: &str) -> String {
    crate::text::fold(&normalize(input).text)
}

const RLO: char = '\u{202E}';
const LRO: char = '\u{202D}';
const PDF: char = '\u{202C}';

/// Steps 1–4: one pass over the characters.
fn read(input: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(input.len());
    // Start of the pending right-to-left override: (original byte, index in `out`).
    let mut rtl: Option<(usize, usize)> = None;
    for (i, c) in input.char_indices() {
        let end = i + c.len_utf8();
        if let Some((from, k)) = rtl {
            // An override ends at its PDF, at a line break or at the end of the text.
            if c == PDF || c == '\n' || c == LRO || c == RLO {
                let close = if c == PDF { end } else { i };
                close_override(&mut out, k, from, close);
                rtl = None;
                if c == PDF {
                    continue;
                }
            }
        }
        if c == RLO {
            rtl = Some((i, out.len()));
            continue;
        }
        if c.is_ascii() {
            out.push(Unit { c, start: i, end });
            continue;
        }
        if invisible(c) {
            continue;
        }
        for d in std::iter::once(c).nfkc().filter(|&d| !invisible(d)) {
            latin(d, |l| out.push(Unit { c: l, start: i, end }));
        }
    }
    if let Some((from, k)) = rtl {
        close_override(&mut out, k, from, input.len());
    }
    out
}

/// Characters `out[k..]` were displayed right to left: reverse them, and let each stand for the
/// whole override, controls included, so that a quote of any of them shows what was displayed.
fn close_override(out: &mut [Unit], k: usize, from: usize, to: usize) {
    out[k..].reverse();
    for u in &mut out[k..] {
        u.start = from;
        u.end = to;
    }
}

/// Not displayed, or not a letter of its own: format characters, default-ignorable code points
/// and combining marks.
fn invisible(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    if is_combining_mark(c) || matches!(c.general_category(), GeneralCategory::Format | GeneralCategory::NonspacingMark)
    {
        return true;
    }
    // UTS #39 skeletons drop default-ignorable code points: an empty skeleton is one.
    let mut buf = [0u8; 4];
    let empty = unicode_security::skeleton(c.encode_utf8(&mut buf)).next().is_none();
    empty
}

/// Latin letters, accented or not, and the French ligatures: kept as they are.
fn is_latin_letter(c: char) -> bool {
    if matches!(c, 'œ' | 'Œ' | 'æ' | 'Æ') {
        return true;
    }
    let mut d = std::iter::once(c).nfd();
    d.next().is_some_and(|b| b.is_ascii_alphabetic()) && d.all(is_combining_mark)
}

/// Emits `c`, or its Latin skeleton when `c` is a letter or digit of another script that looks
/// like Latin letters or digits.
fn latin(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() || !c.is_alphanumeric() || is_latin_letter(c) {
        return emit(c);
    }
    let mut buf = [0u8; 4];
    let mut proto = [' '; 4];
    let mut n = 0;
    for p in unicode_security::skeleton(c.encode_utf8(&mut buf)).filter(|p| !is_combining_mark(*p)) {
        if n == proto.len() || !p.is_ascii_alphanumeric() {
            return emit(c);
        }
        proto[n] = p;
        n += 1;
    }
    match &proto[..n] {
        [] => emit(c),
        // The prototype of the I/l/1 class is "l": an upper-case look-alike reads as "I".
        ['l'] if c.is_uppercase() => emit('I'),
        p => p.iter().copied().for_each(emit),
    }
}

/// Digits read as letters inside a word: 0 o, 3 e, 4 a, 5 s, 7 t ("1" is "i" or "l": left).
fn leet(d: char) -> Option<char> {
    Some(match d {
        '0' => 'o',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        _ => return None,
    })
}

/// Step 6. Only in a word that starts with a letter and has three letters or more, and only a
/// digit after a letter and before a letter or at the word's end: "h0mme", "f3mm3", but not
/// "35ans", "3e", "B2", "M57", "RN7" or "1er".
fn digits_as_letters(units: &mut [Unit]) {
    // Reading a digit as a letter keeps it alphanumeric: the words found first stay the words.
    for word in crate::spacing::tokens(units) {
        let start = word.start;
        let letters = units[word.clone()].iter().filter(|u| u.c.is_alphabetic()).count();
        if letters < 3 || !units[start].c.is_alphabetic() {
            continue;
        }
        for k in word.clone() {
            let Some(l) = leet(units[k].c) else { continue };
            let after_letter = units[k - 1].c.is_alphabetic();
            let before_letter_or_end = k + 1 == word.end || units[k + 1].c.is_alphabetic();
            if after_letter && before_letter_or_end {
                units[k].c = l;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normalised text and the original words of each of its words.
    fn check(input: &str, expected: &str) {
        let n = normalize(input);
        assert_eq!(n.text, expected, "{input:?}");
    }

    #[test]
    fn format_characters_are_dropped() {
        check("mo\u{AD}ins de 3\u{AD}5 an\u{AD}s", "moins de 35 ans");
        check("ho\u{200B}mme ro\u{200C}bus\u{200D}te", "homme robuste");
        check("bon\u{2060}ne san\u{FEFF}té", "bonne santé");
        check("\u{202A}fem\u{202B}me\u{202C} \u{2066}seu\u{2069}le", "femme seule");
        check("h\u{FE0F}o\u{FE0F}mme\u{3164}", "homme");
    }

    #[test]
    fn compatibility_letters_become_plain() {
        check("ｓａｎｓ ｅｎｆａｎｔｓ", "sans enfants");
        check("𝐒𝐚𝐧𝐬 𝐞𝐧𝐟𝐚𝐧𝐭𝐬", "Sans enfants");
        check("ⓗⓞⓜⓜⓔ", "homme");
        check("ﬁlle", "fille");
    }

    #[test]
    fn confusables_of_other_scripts_become_latin() {
        // Cyrillic а е о с р і у х, Greek ο.
        check("Nаtiоnаlité frаnçаisе", "Nationalité française");
        check("сорie рhуsіquе", "copie physique");
        check("hοmme", "homme");
        check("\u{0406}nterdit", "Interdit");
    }

    #[test]
    fn french_letters_and_digits_are_kept() {
        let s = "Âgé·e de 30 à 45 ans, œuvre, çà et là, Noël, maïs, l'an 2027, 0 et 1, l et I";
        check(s, s);
        assert!(normalize(s).is_identity());
        // A real Cyrillic word stays unreadable as French: no rule can match it.
        assert!(!canonical("Договор").contains(' '));
    }

    #[test]
    fn digits_standing_for_letters() {
        check("un h0mme, une f3mm3, c3libataire", "un homme, une femme, celibataire");
        for s in ["moins de 35ans", "3e étage", "niveau B2", "instruction M57", "RN7", "1er mai", "T4", "Covid19"] {
            check(s, s);
        }
    }

    #[test]
    fn right_to_left_override_is_read_as_displayed() {
        check("un \u{202E}emmoh\u{202C} jeune", "un homme jeune");
        check("un \u{202E}emmoh", "un homme");
        let t = "un \u{202E}emmoh\u{202C} jeune";
        let n = normalize(t);
        let s = n.text.find("homme").unwrap();
        let (a, b) = n.source(s, s + 5);
        assert_eq!(&t[a..b], "\u{202E}emmoh\u{202C}");
    }

    #[test]
    fn offsets_map_back_to_the_original_words() {
        let t = "Candidat de mo\u{AD}ins de 3\u{AD}5 ans, Nаtiоnаlité ｆｒａｎçａｉｓｅ";
        let n = normalize(t);
        for (word, original) in [
            ("moins de 35 ans", "mo\u{AD}ins de 3\u{AD}5 ans"),
            ("Candidat", "Candidat"),
            ("Nationalité", "Nаtiоnаlité"),
            ("française", "ｆｒａｎçａｉｓｅ"),
        ] {
            let s = n.text.find(word).unwrap_or_else(|| panic!("{word} in {:?}", n.text));
            let (a, b) = n.source(s, s + word.len());
            assert_eq!(&t[a..b], original);
        }
        // Empty spans and spans past the end stay inside the original.
        assert_eq!(n.source(n.text.len(), n.text.len()), (t.len(), t.len()));
        assert_eq!(n.source(0, 0), (0, 0));
    }

    #[test]
    fn canonical_folds_after_normalising() {
        assert_eq!(canonical("H.O.M.M.E"), "homme");
        assert_eq!(canonical("Hоmme"), "homme");
        assert_eq!(canonical("m o i n s  d e  3 5  a n s"), "moins de 35 ans");
        assert_eq!(canonical("L'Âge  requis"), "l age requis");
    }
}
