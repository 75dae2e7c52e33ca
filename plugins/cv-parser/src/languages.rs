//! Spoken languages and their levels (CEFR A1–C2 or words: "courant", "natif", "fluent").

use crate::input::Line;
use crate::skills::split_items;
use vivier_sdk::cv_parser::Language;
use vivier_sdk::text::fold;

const NAMES: &[&str] = &[
    "francais",
    "anglais",
    "espagnol",
    "allemand",
    "italien",
    "portugais",
    "arabe",
    "chinois",
    "mandarin",
    "cantonais",
    "japonais",
    "russe",
    "neerlandais",
    "polonais",
    "roumain",
    "turc",
    "grec",
    "suedois",
    "norvegien",
    "danois",
    "finnois",
    "tcheque",
    "hongrois",
    "bulgare",
    "croate",
    "serbe",
    "ukrainien",
    "hebreu",
    "hindi",
    "coreen",
    "vietnamien",
    "thai",
    "persan",
    "farsi",
    "berbere",
    "kabyle",
    "wolof",
    "lingala",
    "swahili",
    "breton",
    "occitan",
    "corse",
    "basque",
    "catalan",
    "alsacien",
    "creole",
    "tamoul",
    "bambara",
    "albanais",
    "armenien",
    "luxembourgeois",
    "slovaque",
    "slovene",
    "lituanien",
    "letton",
    "estonien",
    "islandais",
    "irlandais",
    "gallois",
    "macedonien",
    "bosniaque",
    "georgien",
    "azeri",
    "kurde",
    "pachto",
    "dari",
    "ourdou",
    "bengali",
    "pendjabi",
    "malais",
    "indonesien",
    "tagalog",
    "malgache",
    "amharique",
    "somali",
    "haoussa",
    "yoruba",
    "peul",
    "soninke",
    "tahitien",
    "gascon",
    "picard",
    "flamand",
    "lsf",
    "langue des signes francaise",
    "langue des signes",
    "english",
    "french",
    "spanish",
    "german",
    "italian",
    "portuguese",
    "arabic",
    "chinese",
    "japanese",
    "russian",
    "dutch",
    "polish",
    "romanian",
    "turkish",
    "greek",
    "swedish",
    "korean",
    "vietnamese",
    "hebrew",
    "ukrainian",
    "persian",
    "norwegian",
    "danish",
    "finnish",
    "czech",
    "hungarian",
    "irish",
    "welsh",
    "luxembourgish",
    "slovak",
    "slovenian",
    "lithuanian",
    "latvian",
    "estonian",
    "icelandic",
    "bulgarian",
    "croatian",
    "serbian",
    "albanian",
    "armenian",
    "georgian",
    "kurdish",
    "urdu",
    "punjabi",
    "malay",
    "indonesian",
    "malagasy",
    "amharic",
    "tamil",
    "flemish",
    "sign language",
];

const LEVEL_WORDS: &[&str] = &[
    "langue maternelle",
    "maternelle",
    "natif",
    "native",
    "bilingue",
    "bilingual",
    "courant",
    "couramment",
    "fluent",
    "notions",
    "bonnes notions",
    "scolaire",
    "intermediaire",
    "intermediate",
    "avance",
    "advanced",
    "debutant",
    "beginner",
    "basic",
    "elementaire",
    "elementary",
    "professionnel",
    "professional",
    "professional working proficiency",
    "full professional proficiency",
    "limited working proficiency",
    "mother tongue",
    "conversational",
    "lu ecrit parle",
    "lu parle ecrit",
    "operationnel",
    "bon niveau",
    "tres bon niveau",
    "correct",
    "ecrit et oral",
    "oral",
    "ecrit",
    "niveau",
    "maitrise",
    "native speaker",
];

/// The language named at the start of a text, as written.
pub fn language_prefix(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let f = fold(t);
    let name = NAMES.iter().find(|n| f == **n || f.starts_with(&format!("{n} ")))?;
    let n_words = name.split(' ').count();
    // Byte spans of the words of `t`.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in t.char_indices() {
        let sep = c.is_whitespace() || matches!(c, ':' | '(' | ')' | ',' | '-' | '–');
        match (sep, start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, t.len()));
    }
    let &(_, end) = spans.get(n_words.checked_sub(1)?)?;
    let written = t.get(spans.first()?.0..end)?.to_string();
    let rest = t.get(end..).unwrap_or("").to_string();
    Some((written, rest))
}

/// Whether a list names at least one language ("anglais (B2), espagnol" but not "Rust, Go").
pub fn names_language(text: &str) -> bool {
    split_items(text).iter().any(|i| language_prefix(i).is_some())
}

/// Whether a line starts with a language name ("Anglais : B2").
pub fn starts_with_language(text: &str) -> bool {
    language_prefix(text).is_some_and(|(_, rest)| {
        let r = fold(&rest);
        r.is_empty() || level_of(&rest).is_some()
    })
}

/// The level written in a text: a CEFR code, else a level phrase as written.
pub fn level_of(text: &str) -> Option<String> {
    let upper: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_uppercase).collect();
    if let Some(code) = upper.iter().find(|w| matches!(w.as_str(), "A1" | "A2" | "B1" | "B2" | "C1" | "C2")) {
        return Some(code.clone());
    }
    let cleaned = text
        .trim()
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '(' | ',' | '—'))
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ')' | '.' | ','))
        .trim();
    let f = fold(cleaned);
    if f.is_empty() {
        return None;
    }
    let level = LEVEL_WORDS.iter().any(|l| f == *l || f.starts_with(&format!("{l} ")) || f.contains(&format!(" {l}")))
        || ["toeic", "toefl", "ielts", "dele", "goethe", "dalf", "delf", "cambridge", "bulats", "linguaskill"]
            .iter()
            .any(|t| f.contains(t));
    level.then(|| cleaned.to_string())
}

pub fn parse(lines: &[Line]) -> Vec<Language> {
    let mut out: Vec<Language> = Vec::new();
    for line in lines {
        // "Anglais : B2 – Arabe : langue maternelle": a dash before a language name parts two items.
        let items = split_items(&line.text).into_iter().flat_map(|item| {
            let mut parts = vec![item];
            for sep in [" – ", " — ", " - "] {
                parts = parts
                    .into_iter()
                    .flat_map(|p| {
                        let mut out: Vec<String> = Vec::new();
                        for piece in p.split(sep) {
                            match out.last_mut() {
                                Some(last) if language_prefix(piece).is_none() => {
                                    last.push_str(sep);
                                    last.push_str(piece);
                                }
                                _ => out.push(piece.to_string()),
                            }
                        }
                        out
                    })
                    .collect();
            }
            parts
        });
        for item in items {
            match language_prefix(&item) {
                Some((name, rest)) => {
                    let level = level_of(&rest);
                    if let Some(existing) = out.iter_mut().find(|l| fold(&l.name) == fold(&name)) {
                        if existing.level.is_none() {
                            existing.level = level;
                        }
                    } else if out.len() < 50 {
                        out.push(Language { name: capitalise(&name), level });
                    }
                }
                None => {
                    // "Espagnol, notions": a level alone qualifies the previous language.
                    if let (Some(last), Some(level)) = (out.last_mut(), level_of(&item)) {
                        if last.level.is_none() {
                            last.level = Some(level);
                        }
                    }
                }
            }
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::prepare;

    #[test]
    fn language_levels() {
        let p = prepare("Anglais : courant (C1)\n- Espagnol (notions), allemand – B1\nItalien, lu écrit parlé\nFrançais langue maternelle\nEnglish: native\nLSF\n");
        let got: Vec<(String, Option<String>)> = parse(&p.lines).into_iter().map(|l| (l.name, l.level)).collect();
        let want: Vec<(String, Option<String>)> = [
            ("Anglais", Some("C1")),
            ("Espagnol", Some("notions")),
            ("Allemand", Some("B1")),
            ("Italien", Some("lu écrit parlé")),
            ("Français", Some("langue maternelle")),
            ("English", Some("native")),
            ("LSF", None),
        ]
        .iter()
        .map(|(n, l)| (n.to_string(), l.map(str::to_string)))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn several_languages_on_a_dashed_line() {
        let p =
            prepare("Portugais : C1 – Wolof : langue maternelle - Italien\nLangue des signes française (niveau 2)\n");
        let got: Vec<(String, Option<String>)> = parse(&p.lines).into_iter().map(|l| (l.name, l.level)).collect();
        let want = [
            ("Portugais", Some("C1")),
            ("Wolof", Some("langue maternelle")),
            ("Italien", None),
            ("Langue des signes française", Some("niveau 2")),
        ];
        let want: Vec<(String, Option<String>)> =
            want.iter().map(|(n, l)| (n.to_string(), l.map(str::to_string))).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn languages_of_neighbouring_countries_and_diasporas() {
        let p = prepare("Luxembourgeois (C2), Allemand (C1)\nMalgache : langue maternelle\nSlovak - B2\n");
        let got: Vec<(String, Option<String>)> = parse(&p.lines).into_iter().map(|l| (l.name, l.level)).collect();
        let want = [("Luxembourgeois", "C2"), ("Allemand", "C1"), ("Malgache", "langue maternelle"), ("Slovak", "B2")];
        let want: Vec<(String, Option<String>)> =
            want.iter().map(|(n, l)| (n.to_string(), Some(l.to_string()))).collect();
        assert_eq!(got, want);
    }
}
