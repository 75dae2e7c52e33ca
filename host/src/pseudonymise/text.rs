//! Free text scrubbed of what proxies identity or a protected criterion: contact details, birth
//! dates and ages, nationality, family situation, pregnancy and leave, health and disability,
//! postal addresses, civil titles. A removed passage leaves nothing behind (no "[retiré]"
//! marker: a marker present in one CV and absent from another would itself be a signal).

use regex::{Regex, RegexBuilder};
use std::sync::OnceLock;

fn re(pattern: &str) -> Regex {
    RegexBuilder::new(pattern).case_insensitive(true).build().expect("static pattern compiles")
}

struct Patterns {
    remove: Vec<Regex>,
    age: Regex,
    postal: Regex,
    spaces: Regex,
    orphan_punct: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        remove: [
            // Contact details and links.
            r"[\w.+-]+@[\w-]+(\.[\w-]+)+",
            r"(https?://|www\.)\S+",
            r"(linkedin|github|viadeo)\.com/\S*",
            r"(\+|00)\d{2,3}[\s.\-]?\(?0?\)?[\s.\-]?\d([\s.\-]?\d{2}){3,4}",
            r"\b0[1-9]([\s.\-]?\d{2}){4}\b",
            // Civil titles.
            r"\b(madame|monsieur|mademoiselle|mme|mlle)\b\.?",
            // Birth date, birthplace, age.
            r"\bn(é|ée|és|ées)\s+(le|en|à|au)\s+[^,;.\n]*",
            r"\b(date|lieu)\s+de\s+naissance\s*:?\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|[^,;.\n]*)",
            r"\bâg[ée]e?s?\s+de\s+\d{1,3}\s*ans\b",
            r"\bâge\s*:?\s*\d{1,3}(\s*ans)?\b",
            // Nationality and residence status.
            r"\b(de\s+)?nationalit[ée]s?\s*:?\s*[\p{L}\-]+(\s+et\s+[\p{L}\-]+)?",
            r"\b(naturalis[ée]e?s?|titre\s+de\s+s[ée]jour|carte\s+de\s+r[ée]sident|r[ée]fugi[ée]e?)\b[^,;.\n]*",
            // Family situation, pregnancy, leave.
            r"\bsituation\s+(familiale|de\s+famille)\s*:?[^.;\n]*",
            r"\b(mari[ée]e?|c[ée]libataire|pacs[ée]e?|divorc[ée]e?|veuve?|veuf|en\s+couple|concubinage|enceinte|grossesse)\b",
            r"\b(m[èe]re|p[èe]re)\s+de\s+(\d+|un|une|deux|trois|quatre|cinq)\s+enfants?\b",
            r"\b(\d+|un|deux|trois|quatre|cinq)\s+enfants?(\s+\([^)]*\))?",
            r"\bsans\s+enfants?\b",
            r"\bcong[ée]s?\s+(de\s+)?(maternit[ée]|paternit[ée]|parental|d'adoption|maladie|longue\s+maladie|longue\s+dur[ée]e|grave\s+maladie)\b[^,;.\n]*",
            r"\bdisponibilit[ée]\s+pour\s+(élever|elever|soins?|raisons?\s+familiales)[^,;.\n]*",
            // Health and disability (RQTH, MDPH, AAH, ALD...).
            r"\b(b[ée]n[ée]ficiaire\s+(de\s+la\s+|d'une\s+)?)?r\.?q\.?t\.?h\.?\b[^,;.\n]*",
            r"\breconnaissance\s+de\s+la\s+qualit[ée]\s+de\s+travailleu(r|se)\s+handicap[ée]e?[^,;.\n]*",
            // Generic words ("handicap", "maladie") stay: "référent handicap" or "assurance
            // maladie" are skills; what is removed is a statement about the candidate.
            r"\b(travailleu(r|se)s?\s+handicap[ée]e?s?|(je\s+suis|étant)\s+en\s+situation\s+de\s+handicap|invalidit[ée]|affection\s+de\s+longue\s+dur[ée]e|ald|mi-temps\s+th[ée]rapeutique|longue\s+maladie|maladie\s+chronique)\b[^,;.\n]*",
            r"\b(arr[êe]ts?|cong[ée]s?)\s+(de\s+)?maladie\b[^,;.\n]*",
            r"\batteinte?\s+d[e']\s*(une?\s+)?(maladie|handicap|pathologie)[^,;.\n]*",
            // Postal addresses: a street line.
            r"\b\d{1,4}\s*(bis|ter)?,?\s+(rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|place|route|quai|cours|r[ée]sidence|lotissement|square|cit[ée])\b[^,;.\n]*",
            r"\b(domicili[ée]e?|habite|r[ée]sidant|r[ée]side)\s+(à|a|au|en)\s+[^,;.\n]*",
        ]
        .iter()
        .map(|p| re(p))
        .collect(),
        age: re(r"\b\d{2}\s*ans\b\s*([,;.)\n]|$)"),
        // Case-sensitive: a town starts with a capital, the words after it do not.
        postal: Regex::new(r"\b(\d{5})\s+\p{Lu}[\p{L}'’\-]*(\s+(sur|en|de|la|le|les|\p{Lu}[\p{L}'’\-]*))*")
            .expect("static pattern compiles"),
        spaces: Regex::new(r"[ \t]{2,}").expect("static pattern compiles"),
        orphan_punct: Regex::new(r"[\s,;.]*[,;.][\s,;.]*").expect("static pattern compiles"),
    })
}

/// The département of a French postal code ("33150" → "33", "97411" → "974", "20090" → "20").
pub fn departement_of_postal(code: &str) -> Option<String> {
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if code.starts_with("97") || code.starts_with("98") { code[..3].to_owned() } else { code[..2].to_owned() })
}

/// Free text without the passages above. "15 ans d'expérience" is kept: an age is a number of
/// years followed by nothing (end of a clause), a duration is followed by what it measures.
pub fn scrub(text: &str) -> String {
    let p = patterns();
    let mut s = text.to_owned();
    for r in &p.remove {
        if r.is_match(&s) {
            s = r.replace_all(&s, "").into_owned();
        }
    }
    s = p.age.replace_all(&s, "$1").into_owned();
    // A postal code and town in free text belong to an address: removed (the département of
    // structured places is kept, see `super::departement`).
    s = p.postal.replace_all(&s, "").into_owned();
    s = p.spaces.replace_all(&s, " ").into_owned();
    // What a removal leaves (" , .", ". .") collapses to its strongest mark and one space, so
    // that a CV with a removed passage reads exactly like the same CV without it.
    let len = s.len();
    s = p
        .orphan_punct
        .replace_all(&s, |c: &regex::Captures| {
            let m = &c[0];
            // "1,5" or "v2.1": one mark between two words is not a removal's trace.
            if !m.contains(char::is_whitespace) && m.chars().filter(|ch| ",;.".contains(*ch)).count() == 1 {
                return m.to_owned();
            }
            // Inside the text the first mark is the one the CV wrote before the removed
            // passage; at the end, the last one closes the text.
            let at_end = c.get(0).is_some_and(|x| x.end() == len);
            let mut marks = m.chars().filter(|ch| ",;.".contains(*ch));
            let mark = if at_end { marks.last() } else { marks.next() }.unwrap_or('.');
            let newline = m.contains('\n');
            format!("{mark}{}", if newline { "\n" } else { " " })
        })
        .into_owned();
    let s = s.trim_start_matches([',', ';', '.', ' ', '\n']).trim_end();
    s.strip_suffix([',', ';']).unwrap_or(s).trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_protected_passages_and_keeps_durations() {
        let t = "Née le 12 mars 1985 à Dakar, 39 ans, mariée, 2 enfants. Bénéficiaire de la RQTH. \
                 15 ans d'expérience en paie. Congé maternité en 2019. Nationalité sénégalaise. \
                 12 rue des Lilas 33150 Cenon. marie.dupont@example.org, 06 12 34 56 78";
        let s = scrub(t).to_lowercase();
        for gone in [
            "1985",
            "dakar",
            "39 ans",
            "mariée",
            "enfant",
            "rqth",
            "maternité",
            "sénégal",
            "lilas",
            "cenon",
            "@",
            "06 12",
        ] {
            assert!(!s.contains(gone), "{gone} left in: {s}");
        }
        assert!(s.contains("15 ans d'expérience en paie"), "{s}");
    }

    #[test]
    fn postal_codes_keep_the_departement() {
        assert_eq!(departement_of_postal("97411").as_deref(), Some("974"));
        assert_eq!(scrub("Poste basé 33000 Bordeaux, service paie"), "Poste basé, service paie");
        assert_eq!(scrub("budget de 1,5 M€ (v2.1)"), "budget de 1,5 M€ (v2.1)");
    }
}
