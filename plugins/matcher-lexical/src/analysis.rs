//! Word-level analysis of French (and some English) text: folding, stop words, light stemming.
//!
//! Every token keeps the byte span of the word in the original text, so that evidence excerpts
//! can be cut from what the candidate actually wrote.

use vivier_sdk::text::fold;

/// One word of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Folded form (no accents, lower case).
    pub folded: String,
    /// Light stem of the folded form.
    pub stem: String,
    /// Byte span of the word in the original text.
    pub start: usize,
    pub end: usize,
    /// A stop word or a filler word of requirement phrasing ("maîtrise", "connaissance").
    pub stop: bool,
}

/// Grammatical words (folded) that carry no meaning for matching.
const STOP_WORDS: &[&str] = &[
    // French
    "a", "afin", "ainsi", "au", "aupres", "aux", "avec", "ce", "ces", "cet", "cette", "chez", "comme", "d", "dans",
    "de", "des", "dont", "du", "elle", "en", "entre", "et", "etc", "etre", "il", "ils", "j", "l", "la", "le", "les",
    "leur", "leurs", "lui", "m", "ma", "mes", "mon", "n", "ne", "ni", "nos", "notre", "nous", "on", "ou", "par", "pas",
    "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sous", "sur", "t", "ta", "te", "tes", "ton", "tout",
    "toute", "toutes", "tous", "tres", "tu", "un", "une", "vos", "votre", "vous", "y", "plus", "moins", "bien", "bon",
    "bons", "bonne", "bonnes", "solide", "solides", "parfaite", "parfait", "forte", "fort", // English
    "the", "an", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from", "good", "strong",
];

/// Words that frame a requirement without saying what is required.
const FILLER_WORDS: &[&str] = &[
    "maitrise",
    "maitriser",
    "maitrisee",
    "connaissance",
    "connaissances",
    "connaitre",
    "competence",
    "competences",
    "capacite",
    "capacites",
    "aptitude",
    "aptitudes",
    "savoir",
    "sens",
    "experience",
    "experiences",
    "experimente",
    "experimentee",
    "souhaite",
    "souhaitee",
    "souhaitable",
    "requis",
    "requise",
    "exige",
    "exigee",
    "apprecie",
    "appreciee",
    "obligatoire",
    "indispensable",
    "necessaire",
    "idealement",
    "justifier",
    "justifiant",
    "titulaire",
    "minimum",
    "minimale",
    "an",
    "ans",
    "annee",
    "annees",
    "mois",
    "domaine",
    "matiere",
    "notions",
    "notion",
    "avoir",
    "disposer",
    "pratique",
    "usage",
    "utilisation",
    "outil",
    "outils",
    "reussie",
    "reussi",
    "confirmee",
    "confirme",
    "significative",
    "significatif",
    "premiere",
    "skills",
    "skill",
    "knowledge",
    "years",
    "year",
    "proficiency",
    "proficient",
    // Verbs of posting descriptions ("vous assurez la gestion de …").
    "assurer",
    "assurez",
    "assure",
    "participer",
    "participez",
    "contribuer",
    "contribuez",
    "effectuer",
    "effectuez",
    "realiser",
    "realisez",
    "veiller",
    "veillez",
    "etes",
    "serez",
    "devez",
    "devrez",
    "pouvoir",
];

/// Whether a folded word is a stop or filler word. Called for every word of every profile, so
/// it looks the word up in a sorted table rather than scanning the lists.
pub fn is_stop(folded: &str) -> bool {
    static SORTED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut all: Vec<&'static str> = STOP_WORDS.iter().chain(FILLER_WORDS).copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    });
    sorted.binary_search(&folded).is_ok()
}

/// Suffixes removed by [`stem`], longest forms first. Applied once, keeping at least 3 letters.
const SUFFIXES: &[&str] = &[
    "abilite", "issement", "atrice", "ateur", "ation", "ement", "naire", "ienne", "trice", "teur", "atif", "ative",
    "elle", "euse", "able", "ible", "ien", "eur", "ite", "ive", "if", "el", "ee", "er", "e",
];

/// Common words whose stem would meet an unrelated family: "mise en forme" is not "formation"
/// ("formation", "formateur", "former" all give "form").
const HOMOGRAPHS: &[(&str, &str)] =
    &[("forme", "forme"), ("formes", "forme"), ("format", "format"), ("formats", "format")];

/// Light French stemming: plural `s`/`x`, `-aux` → `-al`, `-ique` → `-ic` and common derivational
/// suffixes, so that "comptable"/"comptabilité", "animateur"/"animation",
/// "technicien"/"technique" and "sociaux"/"sociale" meet. Short words, codes and words with
/// digits are kept as they are ("rh", "b2", "m57").
pub fn stem(folded: &str) -> String {
    let mut s = folded.to_owned();
    if s.chars().count() <= 3 || s.chars().any(|c| c.is_ascii_digit()) {
        return s;
    }
    if let Some(&(_, kept)) = HOMOGRAPHS.iter().find(|(word, _)| *word == folded) {
        return kept.to_owned();
    }
    if s.ends_with("aux") {
        s.truncate(s.len() - 3);
        s.push_str("al");
    } else if (s.ends_with('s') || s.ends_with('x')) && !s.ends_with("ss") {
        s.pop();
    }
    if s.ends_with("ique") && s.len() >= 6 {
        s.truncate(s.len() - 4);
        s.push_str("ic");
        return s;
    }
    for suffix in SUFFIXES {
        if s.ends_with(suffix) && s.len() - suffix.len() >= 3 {
            s.truncate(s.len() - suffix.len());
            break;
        }
    }
    s
}

/// Calls `f(folded, start, end)` for every word of `text`, without allocating for plain ASCII
/// words (the usual case): the folded form lives in a reused buffer.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, usize, usize)) {
    let mut buf = String::new();
    for_each_raw_word(text, |word, s, e| {
        if word.is_ascii() {
            buf.clear();
            buf.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            f(&buf, s, e);
        } else {
            // A run may fold to several words (a ligature, an exotic character): all of them
            // keep the run's span.
            for folded in fold(word).split(' ').filter(|w| !w.is_empty()) {
                f(folded, s, e);
            }
        }
    });
}

/// Calls `f(raw, start, end)` for every run of word characters of `text`, as written.
pub fn for_each_raw_word(text: &str, mut emit: impl FnMut(&str, usize, usize)) {
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() || unicode_mark(c);
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                emit(&text[s..i], s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        emit(&text[s..], s, text.len());
    }
}

/// Splits a text into words with their spans, folded and stemmed.
pub fn tokenize(text: &str) -> Vec<Token> {
    words(text, false)
}

/// The words of a text; with `significant_only`, stop words and bare numbers are dropped before
/// stemming (the profile side of every comparison, so the cheaper path matters).
fn words(text: &str, significant_only: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |out: &mut Vec<Token>, s: usize, e: usize| {
        let word = &text[s..e];
        // Most words are plain ASCII: lower-casing is all the folding they need.
        if word.is_ascii() {
            let folded = word.to_ascii_lowercase();
            let stop = is_stop(&folded);
            if significant_only && (stop || is_number(&folded)) {
                return;
            }
            out.push(Token { stem: stem(&folded), stop, folded, start: s, end: e });
            return;
        }
        // A run may fold to several words (a ligature, an exotic character): keep them all
        // with the run's span.
        for folded in fold(word).split(' ').filter(|w| !w.is_empty()) {
            if significant_only && (is_stop(folded) || is_number(folded)) {
                continue;
            }
            out.push(Token { stem: stem(folded), stop: is_stop(folded), folded: folded.to_owned(), start: s, end: e });
        }
    };
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() || unicode_mark(c);
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(&mut out, s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(&mut out, s, text.len());
    }
    out
}

/// Combining accents written as separate code points stay inside their word.
fn unicode_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The significant tokens (no stop words, no bare numbers) of a text.
pub fn significant(text: &str) -> Vec<Token> {
    words(text, true)
}

/// Stems of the significant words of a text.
pub fn significant_stems(text: &str) -> Vec<String> {
    significant(text).into_iter().map(|t| t.stem).collect()
}

pub fn is_number(folded: &str) -> bool {
    !folded.is_empty() && folded.chars().all(|c| c.is_ascii_digit())
}

/// Position of the first contiguous occurrence of `needle` in the stems of `tokens`.
pub fn find_sequence(tokens: &[Token], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > tokens.len() {
        return None;
    }
    (0..=tokens.len() - needle.len())
        .find(|&i| tokens[i..i + needle.len()].iter().zip(needle).all(|(t, n)| t.stem == *n))
}

/// A short excerpt of `text` around the byte span `start..end`, at most `max_chars` characters,
/// cut at word boundaries, with "…" where the text was cut, and white space squashed.
///
/// Taken for every matching source of every candidate, so only the characters around the match
/// are looked at one by one: the excerpt lies within 41 characters before the match and
/// `max_chars` after its start.
pub fn excerpt(text: &str, start: usize, end: usize, max_chars: usize) -> String {
    if squashed_chars(text) <= max_chars {
        return vivier_sdk::text::squash_spaces(text);
    }
    let budget = max_chars.saturating_sub(2).max(8);
    // Character indices: `first` of the match, `last` past it, `n` in all.
    let char_count = |upto: usize| text.get(..upto.min(text.len())).map_or(0, |t| t.chars().count());
    let n = text.chars().count();
    let first = if start < text.len() && text.is_char_boundary(start) { char_count(start) } else { 0 };
    let last = if text.is_char_boundary(end.min(text.len())) { char_count(end) } else { n };
    // The characters from `base` on, enough to cover every index read below.
    let base = first.saturating_sub(41);
    let window: Vec<char> = text.chars().skip(base).take(first - base + budget + 2).collect();
    let at = |ci: usize| window[ci - base];
    // Start a little before the match, on a word boundary.
    let mut from = first.saturating_sub(40);
    while from > 0 && from < first && !at(from - 1).is_whitespace() {
        from += 1;
    }
    let mut to = (from + budget).min(n);
    if last > to {
        // A long match: keep its beginning.
        from = first;
        to = (from + budget).min(n);
    }
    // End on a word boundary when one is near.
    if to < n {
        let mut cut = to;
        while cut > from + budget / 2 && !at(cut).is_whitespace() {
            cut -= 1;
        }
        if cut > from + budget / 2 {
            to = cut;
        }
    }
    let mut out = String::with_capacity((to - from) * 2 + 8);
    if from > 0 {
        out.push('…');
    }
    // The slice with its white space squashed.
    let mut pending_space = false;
    let mut wrote = false;
    for ci in from..to {
        let c = at(ci);
        if c.is_whitespace() {
            pending_space = wrote;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
            wrote = true;
        }
    }
    if to < n {
        out.push('…');
    }
    out
}

/// Characters of `text` once its white space is squashed, counted without building it (an
/// excerpt is taken from every matching experience of every candidate).
fn squashed_chars(text: &str) -> usize {
    let mut words = 0usize;
    let chars: usize = text
        .split_whitespace()
        .map(|w| {
            words += 1;
            w.chars().count()
        })
        .sum();
    chars + words.saturating_sub(1)
}

/// Cuts a text to at most `max_chars` characters, with "…" when cut.
pub fn truncate(text: &str, max_chars: usize) -> String {
    let text = vivier_sdk::text::squash_spaces(text);
    if text.chars().count() <= max_chars {
        return text;
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stemming_joins_french_word_families() {
        assert_eq!(stem("comptable"), stem("comptabilite"));
        assert_eq!(stem("animateur"), stem("animation"));
        assert_eq!(stem("animatrice"), stem("animation"));
        assert_eq!(stem("technicien"), stem("techniques"));
        assert_eq!(stem("sociaux"), stem("sociale"));
        assert_eq!(stem("administratif"), stem("administrative"));
        assert_eq!(stem("remunerations"), stem("remuneration"));
        assert_eq!(stem("carrieres"), stem("carriere"));
        assert_eq!(stem("publique"), stem("public"));
        assert_eq!(stem("rh"), "rh");
        assert_eq!(stem("m57"), "m57");
    }

    #[test]
    fn a_layout_word_does_not_meet_training() {
        assert_eq!(stem("formateur"), stem("formations"));
        assert_ne!(stem("forme"), stem("formation"));
        assert_ne!(stem("formes"), stem("formateur"));
        assert_ne!(stem("format"), stem("formation"));
    }

    #[test]
    fn tokens_keep_original_spans() {
        let text = "Maîtrise de la paie";
        let toks = tokenize(text);
        assert_eq!(toks.len(), 4);
        assert!(toks[0].stop);
        assert_eq!(&text[toks[3].start..toks[3].end], "paie");
        assert_eq!(significant_stems("Maîtrise des marchés publics"), ["march", "public"]);
    }

    /// The straightforward version [`excerpt`] must agree with: every character collected.
    fn excerpt_reference(text: &str, start: usize, end: usize, max_chars: usize) -> String {
        let squashed = vivier_sdk::text::squash_spaces(text);
        if squashed.chars().count() <= max_chars {
            return squashed;
        }
        let budget = max_chars.saturating_sub(2).max(8);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let first = chars.iter().position(|&(i, _)| i >= start).unwrap_or(0);
        let last = chars.iter().position(|&(i, _)| i >= end).unwrap_or(chars.len());
        let mut from = first.saturating_sub(40);
        while from > 0 && from < first && !chars[from - 1].1.is_whitespace() {
            from += 1;
        }
        let mut to = (from + budget).min(chars.len());
        if last > to {
            from = first;
            to = (from + budget).min(chars.len());
        }
        if to < chars.len() {
            let mut cut = to;
            while cut > from + budget / 2 && !chars[cut].1.is_whitespace() {
                cut -= 1;
            }
            if cut > from + budget / 2 {
                to = cut;
            }
        }
        let slice: String = chars[from..to].iter().map(|&(_, c)| c).collect();
        let mut out = String::new();
        if from > 0 {
            out.push('…');
        }
        out.push_str(&vivier_sdk::text::squash_spaces(&slice));
        if to < chars.len() {
            out.push('…');
        }
        out
    }

    #[test]
    fn excerpt_agrees_with_the_straightforward_version() {
        let words = ["paie", "carrières", "Évaluation", "  ", "des", "agents\n", "rémunération", "•", "DSN", "é"];
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for round in 0..3000 {
            let len = next() % 120;
            let text: Vec<&str> = (0..len).map(|_| words[next() % words.len()]).collect();
            let text = text.join(if round % 3 == 0 { "  " } else { " " });
            let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let a = bounds[next() % bounds.len()];
            let b = bounds[next() % bounds.len()];
            let (start, end) = (a.min(b), a.max(b));
            let max = [20, 60, 100, 180][next() % 4];
            assert_eq!(
                excerpt(&text, start, end, max),
                excerpt_reference(&text, start, end, max),
                "{text:?} {start}..{end} max {max}"
            );
        }
    }

    #[test]
    fn excerpts_are_short_and_centred() {
        let long = format!("{} gestion de la paie des agents {}", "début ".repeat(40), "fin ".repeat(40));
        let start = long.find("paie").unwrap();
        let ex = excerpt(&long, start, start + 4, 100);
        assert!(ex.chars().count() <= 100, "{ex}");
        assert!(ex.contains("paie"));
        assert!(ex.starts_with('…') && ex.ends_with('…'));
        assert_eq!(excerpt("court", 0, 5, 100), "court");
    }
}
