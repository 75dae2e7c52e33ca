//! Letter-spacing and punctuation between single letters: "m o i n s  d e  3 5  a n s",
//! "h.o.m.m.e", "f-e-m-m-e", "h_o_m_m_e" are read as the words they spell.
//!
//! A *run* is three or more one-character tokens in a row, separated by short gaps made only of
//! spaces and joining punctuation (no apostrophe, comma or line break: "l'a", "A, B", lists stay
//! apart). The most frequent gap of a run is the one inside words; any other gap is a word break
//! ("m o i n s  d e": one space inside, two between). A run whose gaps are all alike may still
//! hold several words ("h o m m e r o b u s t e"): it is cut where the rule vocabulary can read
//! words, and a stretch the vocabulary does not know is kept whole.
//!
//! French has one-letter words, so a run made only of them and of digits is left alone ("il y
//! a à faire", "de 2 à 3 ans"); two single letters never make a run ("M. Dupont", "à la", "y a").

use crate::normalize::Unit;
use std::ops::Range;

/// Characters that may stand between the letters of a spaced-out word.
const SEPARATORS: &[char] = &[' ', '\t', '.', '-', '_', '*', '·', '•', '⋅', '∙', '/', '|', '+', '~', '‐', '‑'];
const APOSTROPHES: &[char] = &['\'', '’', 'ʼ', '‘'];
/// Longest gap, in characters, between two letters of a run (" / " is three).
const MAX_GAP: usize = 3;
/// Fewest one-character tokens that make a run.
const MIN_RUN: usize = 3;
/// Longest run cut into words (longer ones are kept whole: no real word is that long).
const MAX_SEGMENTED: usize = 120;
/// Longest vocabulary word tried.
const MAX_WORD: usize = 24;
/// Cost of a piece the vocabulary knows, and of a piece it does not (plus its length). An
/// unknown piece must have at least `MIN_UNKNOWN` letters: so "jeunesse" and "entretien" are not
/// read as "jeune" + "sse" and "entre" + "tien", while "hommerobuste" is "homme" + "robuste".
const KNOWN_COST: usize = 3;
const UNKNOWN_COST: usize = 10;
const MIN_UNKNOWN: usize = 5;

/// The only words of one or two letters a run is cut into: more would cut ordinary words into
/// two known ones ("jeunesse" into "jeunes" + "se").
const SHORT_WORDS: &[&str] = &["a", "au", "de", "du", "en", "et", "la", "le", "ne", "ni", "ou", "un"];

/// Two short words written together ("dela" of "au-delà"): read as the two words.
fn two_short(piece: &str) -> bool {
    (1..piece.len())
        .any(|i| piece.is_char_boundary(i) && SHORT_WORDS.contains(&&piece[..i]) && SHORT_WORDS.contains(&&piece[i..]))
}

/// One-letter French words and digits: a run of only these is ordinary text.
fn standalone(c: char) -> bool {
    c.is_numeric() || matches!(c, 'a' | 'A' | 'à' | 'À' | 'y' | 'Y' | 'ô' | 'Ô')
}

fn is_gap(gap: &[Unit]) -> bool {
    !gap.is_empty() && gap.len() <= MAX_GAP && gap.iter().all(|u| SEPARATORS.contains(&u.c))
}

/// Index ranges of the letter-and-digit tokens of `units`.
pub(crate) fn tokens(units: &[Unit]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if !units[i].c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < units.len() && units[i].c.is_alphanumeric() {
            i += 1;
        }
        out.push(start..i);
    }
    out
}

/// Undoes letter-spacing in `units`. `known` tells whether a folded word is in the vocabulary.
pub(crate) fn undo(units: Vec<Unit>, known: &dyn Fn(&str) -> bool) -> Vec<Unit> {
    let tokens = tokens(&units);
    // A letter followed by an apostrophe is elided ("l'", "d'"): it belongs to the next word,
    // never to a run ("v o i l é e à l'accueil", "p e r t e  d'a u t o n o m i e").
    let single = |t: &Range<usize>| t.len() == 1 && !units.get(t.end).is_some_and(|u| APOSTROPHES.contains(&u.c));
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    let mut copied = 0;
    let mut k = 0;
    while k < tokens.len() {
        let mut m = k;
        if single(&tokens[k]) {
            while m + 1 < tokens.len() && single(&tokens[m + 1]) && is_gap(&units[tokens[m].end..tokens[m + 1].start]) {
                m += 1;
            }
        }
        let run = &tokens[k..=m];
        if run.len() >= MIN_RUN && !run.iter().all(|t| standalone(units[t.start].c)) {
            out.extend_from_slice(&units[copied..run[0].start]);
            join(&units, run, known, &mut out);
            copied = run[run.len() - 1].end;
        }
        k = m + 1;
    }
    out.extend_from_slice(&units[copied..]);
    out
}

/// A space standing for the gap between two letters of a run.
fn space(gap: &[Unit]) -> Unit {
    Unit { c: ' ', start: gap[0].start, end: gap[gap.len() - 1].end }
}

/// Writes the words of a run: its letters, with one space at each word break.
fn join(units: &[Unit], run: &[Range<usize>], known: &dyn Fn(&str) -> bool, out: &mut Vec<Unit>) {
    let letters: Vec<Unit> = run.iter().map(|t| units[t.start]).collect();
    let gaps: Vec<&[Unit]> = run.windows(2).map(|w| &units[w[0].end..w[1].start]).collect();
    let text = |g: &[Unit]| g.iter().map(|u| u.c).collect::<String>();
    // The gap inside words: the most frequent, then the shortest.
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for g in &gaps {
        let t = text(g);
        match kinds.iter_mut().find(|(k, _)| *k == t) {
            Some((_, n)) => *n += 1,
            None => kinds.push((t, 1)),
        }
    }
    let inside = kinds
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.chars().count().cmp(&a.0.chars().count())))
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for (i, g) in gaps.iter().enumerate() {
        if text(g) != inside {
            words.push(start..i + 1);
            start = i + 1;
        }
    }
    words.push(start..letters.len());
    let uniform = words.len() == 1;
    for w in words {
        if w.start > 0 {
            out.push(space(gaps[w.start - 1]));
        }
        // Explicit breaks show the words; a uniform run is cut with the vocabulary.
        let cuts = if uniform { segment(&letters[w.clone()], known) } else { Vec::new() };
        for (i, u) in letters[w.clone()].iter().enumerate() {
            if cuts.contains(&i) {
                out.push(space(gaps[w.start + i - 1]));
            }
            out.push(*u);
        }
    }
}

/// Where to cut a run of letters into words (indices of the letters that start a new word),
/// at the least cost: known words cost little, unknown stretches much more.
fn segment(letters: &[Unit], known: &dyn Fn(&str) -> bool) -> Vec<usize> {
    let n = letters.len();
    if !(2..=MAX_SEGMENTED).contains(&n) {
        return Vec::new();
    }
    let folded: Vec<String> = letters.iter().map(|u| crate::text::fold(u.c.encode_utf8(&mut [0u8; 4]))).collect();
    let cost = |j: usize, i: usize| -> Option<usize> {
        let piece: String = folded[j..i].concat();
        let word =
            if piece.len() <= 2 { SHORT_WORDS.contains(&piece.as_str()) } else { known(&piece) && !two_short(&piece) };
        if word || piece.chars().all(|c| c.is_ascii_digit()) {
            Some(KNOWN_COST)
        } else if i - j >= MIN_UNKNOWN || (j == 0 && i == n) {
            Some(UNKNOWN_COST + i - j)
        } else {
            None
        }
    };
    // best[i]: (cost, pieces, start of the last piece) of the best cut of letters[..i].
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0, 0));
    for i in 1..=n {
        let from = if i == n { 0 } else { i.saturating_sub(MAX_WORD) };
        for j in from..i {
            let (Some((c0, p0, _)), Some(c)) = (best[j], cost(j, i)) else { continue };
            let candidate = (c0 + c, p0 + 1, j);
            if best[i].is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                best[i] = Some(candidate);
            }
        }
    }
    let mut cuts = Vec::new();
    let mut i = n;
    while let Some((_, _, j)) = best[i] {
        if j == 0 {
            break;
        }
        cuts.push(j);
        i = j;
    }
    cuts
}

#[cfg(test)]
mod tests {
    use crate::normalize::{normalize, Normalized};

    fn read(input: &str) -> String {
        normalize(input).text
    }

    /// The original text behind the normalised `word`.
    fn source<'a>(input: &'a str, n: &Normalized, word: &str) -> &'a str {
        let s = n.text.find(word).unwrap_or_else(|| panic!("{word:?} not in {:?}", n.text));
        let (a, b) = n.source(s, s + word.len());
        &input[a..b]
    }

    #[test]
    fn spaced_letters_with_wider_word_breaks() {
        assert_eq!(read("Agent de m o i n s  d e  3 5  a n s."), "Agent de moins de 35 ans.");
        assert_eq!(read("n o n  s y n d i q u é"), "non syndiqué");
        assert_eq!(read("b.o.n.n.e.s  m.o.e.u.r.s"), "bonnes moeurs");
        assert_eq!(read("j.e.u.n.e e.t d.y.n.a.m.i.q.u.e"), "jeune et dynamique");
    }

    #[test]
    fn punctuation_between_single_letters() {
        assert_eq!(read("un h.o.m.m.e robuste"), "un homme robuste");
        assert_eq!(read("une f-e-m-m-e discrète"), "une femme discrète");
        assert_eq!(read("un h_o_m_m_e"), "un homme");
        assert_eq!(read("un h/o/m/m/e"), "un homme");
        assert_eq!(read("un h·o·m·m·e"), "un homme");
        assert_eq!(read("Joindre un R.I.B. à la candidature"), "Joindre un RIB à la candidature");
    }

    #[test]
    fn uniform_runs_are_cut_into_known_words() {
        assert_eq!(read("m o i n s d e 3 5 a n s"), "moins de 35 ans");
        assert_eq!(read("un h o m m e r o b u s t e"), "un homme robuste");
        assert_eq!(read("un h o m m e à temps plein"), "un homme à temps plein");
        assert_eq!(read("une femme v o i l é e à l'accueil"), "une femme voilée à l'accueil");
        assert_eq!(read("s a n s p e r t e d'a u t o n o m i e"), "sans perte d'autonomie");
        assert_eq!(read("s a n s e n f a n t s"), "sans enfants");
        assert_eq!(read("p a s d e t r a v a i l l e u r h a n d i c a p é"), "pas de travailleur handicapé");
        assert_eq!(read("p r o c h e d e l a m a j o r i t é"), "proche de la majorité");
        // A word the vocabulary does not know stays whole, even if it starts with one it knows.
        assert_eq!(read("Service j e u n e s s e"), "Service jeunesse");
        assert_eq!(read("E N T R E T I E N"), "ENTRETIEN");
    }

    #[test]
    fn ordinary_french_is_left_alone() {
        for s in [
            "Il y a à faire : accueil à la mairie",
            "M. Martin, DRH",
            "J.-P. Durand",
            "Bac +2",
            "Expérience de 2 à 3 ans",
            "enfants de 6 à 11 ans",
            "Catégorie A, B ou C",
            "l'a vu",
            "Âgé·e·s",
            "agent·e·s",
            "article L. 332-8",
            "version 1.2.3",
            "c'est-à-dire",
            "e-mail",
        ] {
            assert_eq!(read(s), s);
        }
        // Acronyms of three letters or more are read as one word, as people read them.
        assert_eq!(read("C.V. et lettre"), "C.V. et lettre");
        assert_eq!(read("bénéficiaires du R.S.A"), "bénéficiaires du RSA");
        assert_eq!(read("en P.M.I."), "en PMI.");
    }

    #[test]
    fn joined_words_map_to_their_spaced_originals() {
        let t = "Agent de m o i n s  d e  3 5  a n s, h.o.m.m.e.";
        let n = normalize(t);
        assert_eq!(source(t, &n, "moins de 35 ans"), "m o i n s  d e  3 5  a n s");
        assert_eq!(source(t, &n, "homme"), "h.o.m.m.e");
        assert_eq!(source(t, &n, "de 35"), "d e  3 5");
    }
}
