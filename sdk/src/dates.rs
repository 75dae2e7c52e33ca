//! Partial dates as CVs write them, in French and English.
//!
//! ```
//! use vivier_sdk::dates::{parse_range, PartialDate};
//! let r = parse_range("sept. 2019 – aujourd'hui").unwrap();
//! assert_eq!(r.start, Some(PartialDate::new(2019, Some(9))));
//! assert!(r.current);
//! ```

use crate::text::fold;

/// A year with an optional month (1-12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
}

impl PartialDate {
    pub fn new(year: u16, month: Option<u8>) -> Self {
        Self { year, month }
    }

    /// Months since year 0, taking January when the month is unknown and `as_end` is false,
    /// December when it is true (a period "2015-2018" covers the whole of 2018).
    pub fn month_index(&self, as_end: bool) -> i32 {
        let month = self.month.unwrap_or(if as_end { 12 } else { 1 });
        i32::from(self.year) * 12 + i32::from(month) - 1
    }
}

/// A period of a CV: start, end, and whether it runs to the present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct DateRange {
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub current: bool,
}

const MONTHS: &[(&str, u8)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("jan", 1),
    ("january", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("feb", 2),
    ("february", 2),
    ("mars", 3),
    ("mar", 3),
    ("march", 3),
    ("avril", 4),
    ("avr", 4),
    ("apr", 4),
    ("april", 4),
    ("mai", 5),
    ("may", 5),
    ("juin", 6),
    ("jun", 6),
    ("june", 6),
    ("juillet", 7),
    ("juil", 7),
    ("jul", 7),
    ("july", 7),
    ("aout", 8),
    ("aug", 8),
    ("august", 8),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("september", 9),
    ("octobre", 10),
    ("oct", 10),
    ("october", 10),
    ("novembre", 11),
    ("nov", 11),
    ("november", 11),
    ("decembre", 12),
    ("dec", 12),
    ("december", 12),
];

/// Words that mean "until now". Multi-word forms are matched on folded text.
const PRESENT: &[&str] = &[
    "aujourd hui",
    "ce jour",
    "present",
    "presente",
    "maintenant",
    "actuellement",
    "actuel",
    "en cours",
    "now",
    "current",
    "currently",
    "today",
    "ongoing",
    "date",
];

const SINCE: &[&str] = &["depuis", "since", "des"];

/// The month number of a (French or English, possibly abbreviated) month name.
pub fn month_from_name(word: &str) -> Option<u8> {
    let folded = fold(word);
    MONTHS.iter().find(|(name, _)| *name == folded).map(|&(_, m)| m)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Date(PartialDate),
    Month(u8),
    Present,
    Since,
}

fn plausible_year(y: u32) -> Option<u16> {
    (1940..=2100).contains(&y).then_some(y as u16)
}

/// Reads a numeric date: "09/2019", "9.2019", "01/09/2019", "2019/09" or "2019". Years must be
/// plausible for a career (1940-2100); days and months have at most two digits.
pub fn numeric_date(word: &str) -> Option<PartialDate> {
    let parts: Vec<&str> = word.split(['/', '.']).filter(|p| !p.is_empty()).collect();
    let nums: Vec<u32> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let month = |i: usize| (parts[i].len() <= 2 && (1..=12).contains(&nums[i])).then_some(nums[i] as u8);
    let year = |i: usize| if parts[i].len() == 4 { plausible_year(nums[i]) } else { None };
    match nums.len() {
        1 => Some(PartialDate::new(year(0)?, None)),
        2 => match (month(0), year(1)) {
            (Some(m), Some(y)) => Some(PartialDate::new(y, Some(m))),
            _ => Some(PartialDate::new(year(0)?, Some(month(1)?))),
        },
        3 if parts[0].len() <= 2 => Some(PartialDate::new(year(2)?, Some(month(1)?))),
        _ => None,
    }
}

/// Whether a folded word is, or is part of, an expression meaning "until now" ("aujourd'hui",
/// "à ce jour", "présent", "en cours"...), for parsers that tokenise lines themselves. The
/// preposition "en" does not count: alone, it says nothing about time.
pub fn is_present_word(folded: &str) -> bool {
    folded != "en" && PRESENT.iter().any(|p| p.split(' ').any(|w| w == folded))
}

/// Whether the '/' or '.' at `i` joins the parts of one numeric date ("09/2019", "01.09.2019")
/// rather than separating two years ("2016/2018" is a period, as French CVs often write it).
pub fn joins_date_parts(chars: &[char], i: usize) -> bool {
    let digit_run = |range: &mut dyn Iterator<Item = usize>| {
        range.take_while(|&k| chars.get(k).is_some_and(|c| c.is_ascii_digit())).count()
    };
    if i == 0 || !chars[i - 1].is_ascii_digit() || !chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()) {
        return false;
    }
    let before = digit_run(&mut (0..i).rev());
    let after = digit_run(&mut (i + 1..chars.len()));
    !(before == 4 && after == 4)
}

fn tokens(text: &str) -> Vec<Token> {
    // Keep '/' and '.' between digits; everything else that is not alphanumeric separates words.
    let lowered: String = crate::text::clean_typography(text).to_lowercase();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = lowered.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = joins_date_parts(&chars, i);
        if c.is_alphanumeric() || ((c == '/' || c == '.') && between_digits) {
            current.push(c);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();

    let mut out = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let w = folded[i].as_str();
        let next = folded.get(i + 1).map(String::as_str);
        if let Some(d) = numeric_date(&words[i]) {
            out.push(Token::Date(d));
        } else if let Some(m) = MONTHS.iter().find(|(n, _)| *n == w).map(|&(_, m)| m) {
            // "mar" and "mai" are also ordinary words: only a month when a year or a range follows.
            match next.and_then(numeric_date) {
                Some(PartialDate { year, month: None }) => {
                    out.push(Token::Date(PartialDate::new(year, Some(m))));
                    i += 1;
                }
                _ => out.push(Token::Month(m)),
            }
        } else if next.is_some_and(|n| PRESENT.contains(&format!("{w} {n}").as_str())) {
            out.push(Token::Present);
            i += 1;
        } else if PRESENT.contains(&w) {
            out.push(Token::Present);
        } else if SINCE.contains(&w) {
            out.push(Token::Since);
        }
        i += 1;
    }
    out
}

/// Finds the period written in a line such as "sept. 2019 – aujourd'hui", "09/2019 - 06/2021",
/// "2015-2018", "depuis mars 2021", "De 2012 à 2014", "Janvier 2020 à ce jour",
/// "2018 – présent", "Mai – juin 2024" or "March 2017 to May 2019". `None` when no date is found.
pub fn parse_range(text: &str) -> Option<DateRange> {
    let toks = tokens(text);
    let since = toks.first() == Some(&Token::Since)
        || toks.windows(2).any(|w| w[0] == Token::Since && matches!(w[1], Token::Date(_)));
    let mut dates: Vec<Token> = toks.into_iter().filter(|t| *t != Token::Since).collect();
    // A lone month takes the year of the next date ("Mai – juin 2024").
    for i in 0..dates.len() {
        if let Token::Month(m) = dates[i] {
            let year = dates[i + 1..].iter().find_map(|t| match t {
                Token::Date(d) => Some(d.year),
                _ => None,
            });
            if let Some(year) = year {
                dates[i] = Token::Date(PartialDate::new(year, Some(m)));
            }
        }
    }
    let dates: Vec<Token> = dates.into_iter().filter(|t| !matches!(t, Token::Month(_))).collect();
    let start = match dates.first()? {
        Token::Date(d) => *d,
        _ => return None,
    };
    let range = match dates.get(1) {
        Some(Token::Date(end)) => DateRange { start: Some(start), end: Some(*end), current: false },
        Some(Token::Present) => DateRange { start: Some(start), end: None, current: true },
        _ if since => DateRange { start: Some(start), end: None, current: true },
        _ => DateRange { start: Some(start), end: Some(start), current: false },
    };
    Some(range)
}

/// Whether the text contains something that reads as a date (used to spot dated lines).
pub fn contains_date(text: &str) -> bool {
    tokens(text).iter().any(|t| matches!(t, Token::Date(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: Option<u8>) -> Option<PartialDate> {
        Some(PartialDate::new(y, m))
    }

    #[test]
    fn french_and_english_forms() {
        let cases: &[(&str, Option<PartialDate>, Option<PartialDate>, bool)] = &[
            ("sept. 2019 – aujourd'hui", d(2019, Some(9)), None, true),
            ("09/2019 - 06/2021", d(2019, Some(9)), d(2021, Some(6)), false),
            ("2015-2018", d(2015, None), d(2018, None), false),
            ("depuis mars 2021", d(2021, Some(3)), None, true),
            ("De 2012 à 2014", d(2012, None), d(2014, None), false),
            ("Janvier 2020 à ce jour", d(2020, Some(1)), None, true),
            ("2018 – présent", d(2018, None), None, true),
            ("Mai – juin 2024", d(2024, Some(5)), d(2024, Some(6)), false),
            ("March 2017 to May 2019", d(2017, Some(3)), d(2019, Some(5)), false),
            ("Février 2016 - Décembre 2017", d(2016, Some(2)), d(2017, Some(12)), false),
            ("01/09/2010 au 31/08/2012", d(2010, Some(9)), d(2012, Some(8)), false),
            ("Since 2022", d(2022, None), None, true),
            ("2023", d(2023, None), d(2023, None), false),
            ("2016/2018", d(2016, None), d(2018, None), false),
            ("Depuis le 1er septembre 2020", d(2020, Some(9)), None, true),
            ("Nov 2021 – en cours", d(2021, Some(11)), None, true),
            ("de janvier 2016 à décembre 2019", d(2016, Some(1)), d(2019, Some(12)), false),
        ];
        for (text, start, end, current) in cases {
            let r = parse_range(text).unwrap_or_else(|| panic!("no range in {text:?}"));
            assert_eq!((r.start, r.end, r.current), (*start, *end, *current), "{text}");
        }
    }

    #[test]
    fn ordinary_words_are_not_dates() {
        assert_eq!(parse_range("Gestion de la paie et des carrières"), None);
        assert_eq!(parse_range("Mai"), None);
        assert!(!contains_date("Accueil du public, 35 heures"));
        assert!(contains_date("Stage (juin 2021)"));
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(numeric_date("09/2019"), d(2019, Some(9)));
        assert_eq!(numeric_date("2019.09"), d(2019, Some(9)));
        assert_eq!(numeric_date("01/09/2019"), d(2019, Some(9)));
        assert_eq!(numeric_date("2019"), d(2019, None));
        for not_a_date in ["009/2019", "123/09/2019", "13/2019", "1850", "19", "2019/13", "1/2/3/2019"] {
            assert_eq!(numeric_date(not_a_date), None, "{not_a_date}");
        }
        assert!(is_present_word("aujourd") && is_present_word("hui") && is_present_word("present"));
        assert!(!is_present_word("en") && !is_present_word("paie"));
    }

    #[test]
    fn month_index_orders_periods() {
        let a = PartialDate::new(2018, None);
        assert_eq!(a.month_index(true) - a.month_index(false), 11);
        assert_eq!(month_from_name("Févr"), Some(2));
    }
}
