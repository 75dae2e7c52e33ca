//! French grammatical gender in job titles, neutralised.
//!
//! The table pairs the masculine and feminine forms of the words of ESCO v1.0 occupations and
//! ROME v4.60 job titles (`host/data/gender-pairs.tsv`, built by
//! `host/data/extract_gender_pairs.py`). Both forms of a word become one label, the double form
//! `masculin/féminin` ("ingénieur/ingénieure"): it is the same for every candidate whatever form
//! their CV used, it still matches a posting written in either form, and it avoids the median
//! point that official French texts do not use (circulaire du 21 novembre 2017).
//!
//! Words the table does not know go through suffix rules (-trice → -teur, -euse → -eur,
//! -ière → -ier, -ienne → -ien, -eure → -eur, -ée → -é, -ale → -al, -ive → -if, -ante → -ant...); the rules only apply in titles and
//! headlines, where a word ending so is a job noun, never in free text, where "année" or
//! "moyenne" would be damaged. A feminine form the rules turn into a known masculine word takes
//! that word's double form; otherwise it becomes the rule's masculine form, which is also what
//! an unknown masculine form stays as, so the two still meet.

use std::collections::HashMap;
use std::sync::OnceLock;

const PAIRS: &str = include_str!("../../data/gender-pairs.tsv");

struct Table {
    /// Either form, lower case → the neutral label.
    label: HashMap<String, String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut masculine_to_feminine: HashMap<&str, &str> = HashMap::new();
        let mut rows = Vec::new();
        for line in PAIRS.lines() {
            let Some((m, f)) = line.split_once('\t') else { continue };
            rows.push((m, f));
            // A masculine form with several feminine spellings ("directrice", "directrices")
            // keeps the first: the label must be one string.
            masculine_to_feminine.entry(m).or_insert(f);
        }
        let mut label = HashMap::new();
        for (m, f) in rows {
            let neutral = format!("{m}/{}", masculine_to_feminine[m]);
            label.insert(f.to_owned(), neutral.clone());
            label.insert(m.to_owned(), neutral);
        }
        Table { label }
    })
}

/// Number of word pairs compiled in (for the documentation and the tests).
pub fn pair_count() -> usize {
    PAIRS.lines().filter(|l| l.contains('\t')).count()
}

/// Masculine form of a feminine job noun by suffix, when one of the rules applies.
fn rule_masculine(word: &str) -> Option<String> {
    const RULES: &[(&str, &str)] = &[
        ("trices", "teur"),
        ("trice", "teur"),
        ("euses", "eur"),
        ("euse", "eur"),
        ("ières", "ier"),
        ("ière", "ier"),
        ("iennes", "ien"),
        ("ienne", "ien"),
        ("eures", "eur"),
        ("eure", "eur"),
        ("ées", "é"),
        ("ée", "é"),
        ("ales", "al"),
        ("ale", "al"),
        ("ives", "if"),
        ("ive", "if"),
        ("elles", "el"),
        ("elle", "el"),
        ("antes", "ant"),
        ("ante", "ant"),
        ("entes", "ent"),
        ("ente", "ent"),
        ("ères", "er"),
        ("ère", "er"),
        ("ointe", "oint"),
    ];
    RULES.iter().find_map(|(fem, masc)| {
        let stem = word.strip_suffix(fem)?;
        (stem.chars().count() >= 3).then(|| format!("{stem}{masc}"))
    })
}

/// The neutral label of one lower-case word, or None when the word is not gendered.
fn neutral_word(lower: &str, rules: bool) -> Option<String> {
    let t = table();
    if let Some(l) = t.label.get(lower) {
        return Some(l.clone());
    }
    if !rules {
        return None;
    }
    let masc = rule_masculine(lower)?;
    Some(t.label.get(&masc).cloned().unwrap_or(masc))
}

/// Replaces every gendered word of `text`. `title` enables the suffix rules on every word
/// (titles and headlines); in free text they only apply to the two words after a job noun of
/// the table, where adjectives agree with it ("ingénieure territoriale", "assistante sociale").
/// The case of the first letter is kept; the rest of the text is untouched.
pub fn neutralise(text: &str, title: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = String::new();
    // Words left in which free text may use the rules.
    let mut agreeing = 0usize;
    let mut flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let known = table().label.contains_key(&lower);
        let found = neutral_word(&lower, title || agreeing > 0);
        agreeing = if known { 2 } else { agreeing.saturating_sub(1) };
        match found {
            Some(n) if n != lower => {
                if word.chars().next().is_some_and(char::is_uppercase) {
                    let mut c = n.chars();
                    if let Some(first) = c.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(c.as_str());
                    }
                } else {
                    out.push_str(&n);
                }
            }
            _ => out.push_str(word),
        }
        word.clear();
    };
    for ch in text.chars() {
        if ch.is_alphabetic() {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_meet_on_one_label() {
        for (m, f) in [
            ("Directeur des ressources humaines", "Directrice des ressources humaines"),
            ("Ingénieur territorial", "Ingénieure territoriale"),
            ("Chargé de mission", "Chargée de mission"),
            ("Agent d'accueil", "Agente d'accueil"),
            ("Conseiller en insertion", "Conseillère en insertion"),
            ("Chef de service", "Cheffe de service"),
        ] {
            assert_eq!(neutralise(m, true), neutralise(f, true), "{m} / {f}");
        }
        assert_eq!(neutralise("Ingénieure", true), "Ingénieur/ingénieure");
        assert!(pair_count() > 1000);
    }

    #[test]
    fn rules_cover_unseen_titles_and_spare_free_text() {
        // "Dératiseuse" is in no table: the rule gives the form an unknown masculine keeps.
        assert_eq!(neutralise("dératiseuse", true), neutralise("dératiseur", true));
        assert_eq!(neutralise("une année moyenne", false), "une année moyenne");
        assert_eq!(
            neutralise("en tant qu'ingénieure territoriale depuis une année", false),
            neutralise("en tant qu'ingénieur territorial depuis une année", false)
        );
    }
}
