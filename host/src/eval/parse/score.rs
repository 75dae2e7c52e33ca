//! Scoring of parsed CVs against ground truth in the format of the public corpus
//! (`cv-ground-truth.jsonl`): per-field true positives, predicted and expected counts.
//!
//! Normalisation (also printed by `vivier eval parse --help`):
//! * text: Unicode NFC, lower case, typographic apostrophes and quotes to ASCII, dashes and
//!   non-breaking or soft hyphens to '-', white space collapsed, trailing punctuation dropped;
//! * names: leading honorifics (Dr., Prof., M., Mme) dropped;
//! * phones: E.164 (`+`/`00` prefixes kept; a French 0X XX XX XX XX gets +33; ten digits
//!   not starting with 0 get +1); a number written without country code matches on its last
//!   nine digits;
//! * dates: compared at the precision the truth gives (year, or year and month); "present",
//!   "présent", "aujourd'hui", "now", "current" mean a current position;
//! * experiences are paired with the truth one to one (greedy on matching fields, in document
//!   order); unpaired predictions count against precision;
//! * education: an entry is right when its institution or its degree matches (one contains
//!   the other after normalisation); skills and languages compare as sets of labels.

use crate::model::{Experience, ParsedCv, PartialDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// One line of a ground-truth file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Truth {
    pub file: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub experiences: Option<Vec<TruthExperience>>,
    #[serde(default)]
    pub education: Option<Vec<TruthEducation>>,
    #[serde(default)]
    pub skills: Option<Vec<String>>,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TruthExperience {
    #[serde(default)]
    pub title: Option<String>,
    /// The corpus spells it the American way; French sets may use `organisation`.
    #[serde(default, alias = "organisation")]
    pub organization: Option<String>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TruthEducation {
    #[serde(default)]
    pub degree: Option<String>,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub institution: Option<String>,
}

/// Fields scored, in the order they are printed.
pub const FIELDS: &[&str] = &[
    "name",
    "email",
    "phone",
    "city",
    "experience.title",
    "experience.organisation",
    "experience.start",
    "experience.end",
    "education",
    "skills",
    "languages",
];

/// Counts for one field.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Counts {
    pub correct: usize,
    pub predicted: usize,
    pub expected: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.correct += o.correct;
        self.predicted += o.predicted;
        self.expected += o.expected;
    }
    pub fn precision(&self) -> Option<f64> {
        (self.predicted > 0).then(|| self.correct as f64 / self.predicted as f64)
    }
    pub fn recall(&self) -> Option<f64> {
        (self.expected > 0).then(|| self.correct as f64 / self.expected as f64)
    }
    /// `None` when the truth has no value for the field: precision alone is then shown.
    pub fn f1(&self) -> Option<f64> {
        if self.expected == 0 {
            return None;
        }
        let (p, r) = (self.precision().unwrap_or(0.0), self.recall().unwrap_or(0.0));
        Some(if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
    }
}

/// Scores of one document, with the mismatches for a human to read.
#[derive(Debug, Default, Serialize)]
pub struct DocScore {
    pub fields: BTreeMap<&'static str, Counts>,
    pub mismatches: Vec<String>,
}

/// Text normalisation for comparisons.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfc().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' | '´' => '\'',
            '\u{201C}' | '\u{201D}' | '«' | '»' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{00AD}' | '\u{200B}' => continue,
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end_matches([' ', ',', '.', ';', ':', '|', '-']).trim().to_string()
}

fn text_eq(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

/// Names compare without leading honorifics ("Dr. Zhen Wei" = "Zhen Wei").
fn name_eq(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        let n = norm(s);
        let mut words: Vec<&str> = n.split(' ').collect();
        while words.len() > 1
            && matches!(
                words[0],
                "dr" | "dr."
                    | "prof"
                    | "prof."
                    | "pr"
                    | "mr"
                    | "mr."
                    | "mrs"
                    | "mrs."
                    | "ms"
                    | "ms."
                    | "m."
                    | "mme"
                    | "mlle"
            )
        {
            words.remove(0);
        }
        words.join(" ")
    };
    let (a, b) = (strip(a), strip(b));
    !a.is_empty() && a == b
}

fn contains_either(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

/// E.164 normalisation of a phone number as written.
pub fn e164(s: &str) -> Option<String> {
    let t = s.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return None;
    }
    let plus = t.starts_with('+') || t.starts_with("(+");
    Some(if plus {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if digits.len() == 10 && digits.starts_with('0') {
        format!("+33{}", &digits[1..])
    } else if digits.len() == 10 {
        format!("+1{digits}")
    } else {
        digits
    })
}

fn phone_eq(truth: &str, pred: &str) -> bool {
    let (Some(a), Some(b)) = (e164(truth), e164(pred)) else { return false };
    if a == b {
        return true;
    }
    // A number printed without its country code (RenderCV shows +34 612 345 678 as
    // 612 34 56 78) matches on its national significant number.
    let tail = |s: &str| s.chars().rev().take(9).collect::<String>();
    let no_country = |raw: &str| !raw.trim_start().starts_with(['+', '(']) || raw.trim_start().starts_with("(0");
    (no_country(truth) || no_country(pred)) && tail(&a) == tail(&b) && a.len() >= 9 && b.len() >= 9
}

/// A truth date: year, optional month, or "present".
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TDate {
    Present,
    Date(u16, Option<u8>),
}

const MONTHS: &[(&str, u8)] = &[
    ("janv", 1),
    ("jan", 1),
    ("ene", 1),
    ("fév", 2),
    ("fev", 2),
    ("feb", 2),
    ("mars", 3),
    ("mar", 3),
    ("avr", 4),
    ("apr", 4),
    ("abr", 4),
    ("mai", 5),
    ("may", 5),
    ("juin", 6),
    ("jun", 6),
    ("juil", 7),
    ("jul", 7),
    ("aoû", 8),
    ("aou", 8),
    ("aug", 8),
    ("ago", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("déc", 12),
    ("dec", 12),
    ("dic", 12),
];

/// Reads a raw truth date ("2023-06", "Jan. 2016", "Janvier 2021", "09/2019", "present").
pub fn truth_date(raw: &str) -> Option<TDate> {
    let s = norm(raw);
    if ["present", "présent", "aujourd'hui", "now", "current", "actual", "à ce jour", "ce jour", "en cours"]
        .iter()
        .any(|p| s.contains(p))
    {
        return Some(TDate::Present);
    }
    let nums: Vec<u32> = s.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    let year = nums.iter().copied().find(|n| (1900..=2100).contains(n))? as u16;
    let mut month = nums.iter().copied().find(|&n| (1..=12).contains(&n)).map(|m| m as u8);
    if month.is_none() {
        month = s
            .split(|c: char| !c.is_alphabetic())
            .find_map(|w| MONTHS.iter().find(|(p, _)| w.starts_with(p) && w.len() >= 3).map(|&(_, m)| m));
    }
    Some(TDate::Date(year, month))
}

fn date_eq(truth: TDate, pred: Option<PartialDate>, current: bool, is_end: bool) -> bool {
    match truth {
        TDate::Present => is_end && current,
        TDate::Date(y, m) => pred.is_some_and(|p| p.year == y && (m.is_none() || p.month == m)),
    }
}

fn pred_has_date(e: &Experience, is_end: bool) -> bool {
    if is_end {
        e.end.is_some() || e.current
    } else {
        e.start.is_some()
    }
}

fn field(fields: &mut BTreeMap<&'static str, Counts>, name: &'static str, c: Counts) {
    fields.entry(name).or_default().add(c);
}

fn scalar(truth: Option<&str>, pred: Option<&str>, eq: impl Fn(&str, &str) -> bool) -> Counts {
    let truth = truth.filter(|t| !t.trim().is_empty());
    let pred = pred.filter(|p| !p.trim().is_empty());
    Counts {
        correct: matches!((truth, pred), (Some(t), Some(p)) if eq(t, p)) as usize,
        predicted: pred.is_some() as usize,
        expected: truth.is_some() as usize,
    }
}

/// Scores one parsed CV.
pub fn score(truth: &Truth, cv: &ParsedCv) -> DocScore {
    let mut d = DocScore::default();
    let id = &cv.identity;
    let note = |d: &mut DocScore, f: &str, c: Counts, t: Option<&str>, p: Option<&str>| {
        if c.correct < c.predicted.max(c.expected) {
            d.mismatches.push(format!("{f}: attendu {:?}, lu {:?}", t.unwrap_or("-"), p.unwrap_or("-")));
        }
    };
    for (name, t, p, eq) in [
        ("name", truth.name.as_deref(), id.full_name.as_deref(), name_eq as fn(&str, &str) -> bool),
        ("email", truth.email.as_deref(), id.email.as_deref(), text_eq),
        ("phone", truth.phone.as_deref(), id.phone.as_deref(), phone_eq),
        ("city", truth.city.as_deref(), id.city.as_deref(), text_eq),
    ] {
        let c = scalar(t, p, eq);
        note(&mut d, name, c, t, p);
        field(&mut d.fields, FIELDS.iter().find(|f| **f == name).copied().unwrap_or("name"), c);
    }

    // Experiences: one-to-one pairing, best matches first, ties in document order.
    let texps = truth.experiences.clone().unwrap_or_default();
    let pexps = &cv.profile.experiences;
    let tdates: Vec<(Option<TDate>, Option<TDate>)> = texps
        .iter()
        .map(|t| (t.start.as_deref().and_then(truth_date), t.end.as_deref().and_then(truth_date)))
        .collect();
    let matches = |ti: usize, pi: usize| -> [bool; 4] {
        let (t, p) = (&texps[ti], &pexps[pi]);
        [
            t.title.as_deref().is_some_and(|x| text_eq(x, &p.title)),
            matches!((t.organization.as_deref(), p.organisation.as_deref()), (Some(a), Some(b)) if text_eq(a, b)),
            tdates[ti].0.is_some_and(|td| date_eq(td, p.start, p.current, false)),
            tdates[ti].1.is_some_and(|td| date_eq(td, p.end, p.current, true)),
        ]
    };
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for ti in 0..texps.len() {
        for pi in 0..pexps.len() {
            let m = matches(ti, pi);
            let s = 2 * m[0] as usize + 2 * m[1] as usize + m[2] as usize + m[3] as usize;
            if s > 0 {
                pairs.push((s, ti, pi));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.cmp(&a.0).then((a.1 as i64 - a.2 as i64).abs().cmp(&(b.1 as i64 - b.2 as i64).abs())).then(a.1.cmp(&b.1))
    });
    let (mut t_used, mut p_used) = (vec![false; texps.len()], vec![false; pexps.len()]);
    let mut paired: Vec<(usize, usize)> = Vec::new();
    for (_, ti, pi) in pairs {
        if !t_used[ti] && !p_used[pi] {
            t_used[ti] = true;
            p_used[pi] = true;
            paired.push((ti, pi));
        }
    }
    let names = ["experience.title", "experience.organisation", "experience.start", "experience.end"];
    let mut counts = [Counts::default(); 4];
    for (i, t) in texps.iter().enumerate() {
        let has = [t.title.is_some(), t.organization.is_some(), tdates[i].0.is_some(), tdates[i].1.is_some()];
        for k in 0..4 {
            counts[k].expected += has[k] as usize;
        }
    }
    for p in pexps {
        let has =
            [!p.title.trim().is_empty(), p.organisation.is_some(), pred_has_date(p, false), pred_has_date(p, true)];
        for k in 0..4 {
            counts[k].predicted += has[k] as usize;
        }
    }
    for &(ti, pi) in &paired {
        let m = matches(ti, pi);
        for k in 0..4 {
            counts[k].correct += m[k] as usize;
        }
        if m.iter().any(|x| !x) {
            let (t, p) = (&texps[ti], &pexps[pi]);
            d.mismatches.push(format!(
                "experience: attendu {:?} / {:?} / {:?}–{:?}, lu {:?} / {:?} / {:?}–{:?}{}",
                t.title.as_deref().unwrap_or("-"),
                t.organization.as_deref().unwrap_or("-"),
                t.start.as_deref().unwrap_or("-"),
                t.end.as_deref().unwrap_or("-"),
                p.title,
                p.organisation.as_deref().unwrap_or("-"),
                p.start.map(fmt_date),
                p.end.map(fmt_date),
                if p.current { " (en cours)" } else { "" }
            ));
        }
    }
    for (ti, t) in texps.iter().enumerate().filter(|(i, _)| !t_used[*i]) {
        let _ = ti;
        d.mismatches.push(format!(
            "experience manquante : {:?} / {:?}",
            t.title.as_deref().unwrap_or("-"),
            t.organization.as_deref().unwrap_or("-")
        ));
    }
    for p in pexps.iter().enumerate().filter(|(i, _)| !p_used[*i]).map(|(_, p)| p) {
        d.mismatches.push(format!(
            "experience en trop : {:?} / {:?}",
            p.title,
            p.organisation.as_deref().unwrap_or("-")
        ));
    }
    for k in 0..4 {
        field(&mut d.fields, names[k], counts[k]);
    }

    // Education: entries right by institution or degree.
    let tedu = truth.education.clone().unwrap_or_default();
    let pedu = &cv.profile.education;
    let mut used = vec![false; pedu.len()];
    let mut correct = 0;
    for t in &tedu {
        let degree = match (&t.degree, &t.area) {
            (Some(d), Some(a)) => Some(format!("{d} {a}")),
            (Some(d), None) => Some(d.clone()),
            (None, a) => a.clone(),
        };
        let hit = pedu.iter().enumerate().position(|(i, p)| {
            !used[i]
                && (matches!((&t.institution, &p.institution), (Some(a), Some(b)) if contains_either(a, b))
                    || t.institution.as_deref().is_some_and(|a| contains_either(a, &p.degree))
                    || degree.as_deref().is_some_and(|dg| contains_either(dg, &p.degree))
                    || t.degree.as_deref().is_some_and(|dg| text_eq(dg, &p.degree)))
        });
        match hit {
            Some(i) => {
                used[i] = true;
                correct += 1;
            }
            None => d.mismatches.push(format!(
                "formation manquante : {:?} / {:?}",
                degree.as_deref().unwrap_or("-"),
                t.institution.as_deref().unwrap_or("-")
            )),
        }
    }
    field(&mut d.fields, "education", Counts { correct, predicted: pedu.len(), expected: tedu.len() });

    // Skills and languages as sets.
    let set_counts = |truth: &Option<Vec<String>>, pred: Vec<String>| -> (Counts, Vec<String>) {
        let Some(truth) = truth else { return (Counts::default(), Vec::new()) };
        let t: Vec<String> = truth.iter().map(|s| norm(s)).filter(|s| !s.is_empty()).collect();
        let p: Vec<String> = pred.iter().map(|s| norm(s)).filter(|s| !s.is_empty()).collect();
        let (mut tu, mut pu) = (t.clone(), p.clone());
        tu.sort();
        tu.dedup();
        pu.sort();
        pu.dedup();
        let correct = tu.iter().filter(|x| pu.contains(x)).count();
        let missing = tu.iter().filter(|x| !pu.contains(x)).cloned().collect();
        (Counts { correct, predicted: pu.len(), expected: tu.len() }, missing)
    };
    let (c, missing) = set_counts(&truth.skills, cv.profile.skills.iter().map(|s| s.label.clone()).collect());
    if !missing.is_empty() {
        d.mismatches.push(format!("compétences manquantes : {}", missing.join(", ")));
    }
    field(&mut d.fields, "skills", c);
    let (c, missing) = set_counts(&truth.languages, cv.profile.languages.iter().map(|l| l.name.clone()).collect());
    if !missing.is_empty() {
        d.mismatches.push(format!("langues manquantes : {}", missing.join(", ")));
    }
    field(&mut d.fields, "languages", c);
    d
}

fn fmt_date(p: PartialDate) -> String {
    match p.month {
        Some(m) => format!("{}-{m:02}", p.year),
        None => p.year.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identity, Profile};

    #[test]
    fn normalisation() {
        assert_eq!(norm("  Chargée  d’études, "), "chargée d'études");
        assert_eq!(norm("Co\u{00AD}-Founder"), "co-founder");
        assert_eq!(norm("Cafe\u{301}"), norm("Café"));
    }

    #[test]
    fn phones() {
        assert_eq!(e164("06 12 34 56 78").as_deref(), Some("+33612345678"));
        assert_eq!(e164("+33 (0)6 12 34 56 78").as_deref(), Some("+330612345678"));
        assert!(phone_eq("+34-612-345-678", "612 34 56 78"));
        assert!(phone_eq("(415) 555-0142", "+14155550142"));
        assert!(!phone_eq("+33612345678", "+33612345679"));
    }

    #[test]
    fn truth_dates() {
        assert_eq!(truth_date("2023-06"), Some(TDate::Date(2023, Some(6))));
        assert_eq!(truth_date("Jan. 2016"), Some(TDate::Date(2016, Some(1))));
        assert_eq!(truth_date("Janvier 2021"), Some(TDate::Date(2021, Some(1))));
        assert_eq!(truth_date("09/2019"), Some(TDate::Date(2019, Some(9))));
        assert_eq!(truth_date("2015"), Some(TDate::Date(2015, None)));
        assert_eq!(truth_date("present"), Some(TDate::Present));
        assert_eq!(truth_date("aujourd’hui"), Some(TDate::Present));
    }

    #[test]
    fn experience_pairing_and_counts() {
        let truth: Truth = serde_json::from_str(
            r#"{"file":"x","name":"Jean Dupont","experiences":[
              {"title":"Assistant RH","organization":"Mairie","start":"2019","end":"present"},
              {"title":"Stagiaire","organization":"CD38","start":"2018-01","end":"2018-06"}]}"#,
        )
        .unwrap();
        let exp = |t: &str, o: &str, s: PartialDate, e: Option<PartialDate>, cur: bool| Experience {
            title: t.into(),
            organisation: Some(o.into()),
            start: Some(s),
            end: e,
            current: cur,
            ..Experience::default()
        };
        let cv = ParsedCv {
            identity: Identity { full_name: Some("JEAN DUPONT".into()), ..Identity::default() },
            profile: Profile {
                experiences: vec![
                    exp("Assistant RH", "Mairie", PartialDate { year: 2019, month: Some(3) }, None, true),
                    exp(
                        "Stagiaire",
                        "CD 38",
                        PartialDate { year: 2018, month: Some(1) },
                        Some(PartialDate { year: 2018, month: None }),
                        false,
                    ),
                    exp("Extra", "X", PartialDate { year: 2010, month: None }, None, false),
                ],
                ..Profile::default()
            },
            warnings: vec![],
        };
        let s = score(&truth, &cv);
        assert_eq!(s.fields["name"], Counts { correct: 1, predicted: 1, expected: 1 });
        assert_eq!(s.fields["experience.title"], Counts { correct: 2, predicted: 3, expected: 2 });
        assert_eq!(s.fields["experience.organisation"], Counts { correct: 1, predicted: 3, expected: 2 });
        assert_eq!(s.fields["experience.start"], Counts { correct: 2, predicted: 3, expected: 2 });
        // "2018" does not give the month the truth has.
        assert_eq!(s.fields["experience.end"], Counts { correct: 1, predicted: 2, expected: 2 });
    }
}
