//! Finds the period written inside a line and what remains around it:
//! "Assistante RH — Mairie de Lyon (sept. 2019 – aujourd'hui)" → the range and
//! "Assistante RH — Mairie de Lyon".

use vivier_sdk::dates::{is_present_word, joins_date_parts, month_from_name, numeric_date, parse_range, DateRange};
use vivier_sdk::text::fold;

#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    pub range: DateRange,
    /// The date expression as written.
    pub date_text: String,
    /// The line without the date expression ("" when the line held only dates).
    pub residual: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Year,
    Month,
    Present,
    Link,
    Other,
}

struct Word {
    start: usize,
    end: usize,
    tok: Tok,
}

const LINKS: &[&str] = &[
    "depuis", "since", "des", "a", "au", "aux", "to", "till", "until", "jusqu", "de", "du", "from", "en", "le", "er",
    "in", "et", "and",
    // An end still to come is the end the candidate gives: "Mar. 2016 – Exp. Jun. 2017",
    // "sept. 2023 – prévu juin 2025".
    "exp", "expected", "prevu", "prevue", "prevus",
];

const SEASONS: &[&str] = &["ete", "printemps", "automne", "hiver", "summer", "spring", "autumn", "fall", "winter"];

fn words(line: &str) -> Vec<Word> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let plain: Vec<char> = chars.iter().map(|c| c.1).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let keep = |j: usize| {
            let c = chars[j].1;
            c.is_alphanumeric() || ((c == '/' || c == '.') && joins_date_parts(&plain, j))
        };
        if !keep(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && keep(i) {
            i += 1;
        }
        let s = chars[start].0;
        let e = chars.get(i).map_or(line.len(), |c| c.0);
        let w = &line[s..e];
        let f = fold(w);
        let tok = if numeric_date(w).is_some() {
            Tok::Year
        } else if month_from_name(w).is_some() || (SEASONS.contains(&f.as_str()) && !line[..s].ends_with(['\'', '’']))
        {
            // A season is read as part of the date ("Été 2017" is a period of 2017, not a title),
            // but not in "Job d'été 2016".
            Tok::Month
        } else if is_present_word(&f) || f == "auj" {
            Tok::Present
        } else if LINKS.contains(&f.as_str()) || f == "1er" {
            Tok::Link
        } else {
            Tok::Other
        };
        out.push(Word { start: s, end: e, tok });
    }
    out
}

/// Characters allowed between two words of one date expression.
fn gap_ok(gap: &str) -> bool {
    gap.chars().all(|c| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/' | '.' | ',' | '\'' | '>' | '~'))
        && !gap.contains("  ")
}

/// Finds the date expression of a line. `None` when the line holds no readable period.
/// "2 ans", "6 mois", "1 an et 3 mois", "18 months": a length of time and nothing else.
fn is_duration_text(text: &str) -> bool {
    let f = fold(text);
    let ws: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
    let unit = |w: &str| {
        matches!(
            w,
            "an" | "ans" | "mois" | "semaine" | "semaines" | "jour" | "jours" | "year" | "years" | "month" | "months"
        )
    };
    ws.iter().any(|w| unit(w))
        && ws.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
        && ws.iter().all(|w| {
            unit(w) || w.chars().all(|c| c.is_ascii_digit()) || matches!(*w, "et" | "and" | "environ" | "soit" | "1er")
        })
}

pub fn split_date(line: &str) -> Option<Dated> {
    let ws = words(line);
    // Runs of date words; keep the one with the most years (the first on a tie).
    let mut best: Option<(usize, usize, usize)> = None; // (first, last, years)
    let mut i = 0;
    while i < ws.len() {
        if ws[i].tok == Tok::Other {
            i += 1;
            continue;
        }
        let first = i;
        let mut last = i;
        while last + 1 < ws.len() && ws[last + 1].tok != Tok::Other && gap_ok(&line[ws[last].end..ws[last + 1].start]) {
            last += 1;
        }
        i = last + 1;
        // Trim: the run must start with a link word directly followed by a date, or a date.
        let mut a = first;
        while a <= last && ws[a].tok != Tok::Year && ws[a].tok != Tok::Month {
            a += 1;
        }
        if a > last {
            continue;
        }
        // Keep one leading "depuis / de / from / since" before the first date, or the whole
        // run of links back to a "since" word: "Depuis le 1er septembre 2020" is open-ended.
        if a > first && ws[a - 1].tok == Tok::Link {
            a -= 1;
            let mut k = a;
            while k > first && ws[k - 1].tok == Tok::Link {
                k -= 1;
                if matches!(fold(&line[ws[k].start..ws[k].end]).as_str(), "depuis" | "since" | "des") {
                    a = k;
                }
            }
        }
        let mut b = last;
        while b > a && ws[b].tok == Tok::Link {
            b -= 1;
        }
        let years = (a..=b).filter(|&k| ws[k].tok == Tok::Year).count();
        if years == 0 {
            continue;
        }
        if best.is_none_or(|(_, _, y)| years > y) {
            best = Some((a, b, years));
        }
    }
    let (a, b, _) = best?;
    let mut date_end = ws[b].end;
    let mut range = parse_range(&line[ws[a].start..date_end])?;
    // "2019 (juillet – août)", "Été 2019 (juillet – août)": the months of a one-year period in
    // brackets after its year.
    let one_year = range.start.is_some_and(|s| range.end.is_none_or(|e| e.year == s.year)) && !range.current;
    if let (true, Some(inner)) = (one_year, line[date_end..].trim_start().strip_prefix('(')) {
        if let Some(close) = inner.find(')') {
            let months = &inner[..close];
            let toks: Vec<Tok> = words(months).iter().map(|w| w.tok).collect();
            let year = range.start.map(|s| s.year).unwrap_or_default();
            if toks.contains(&Tok::Month) && toks.iter().all(|t| matches!(t, Tok::Month | Tok::Link)) {
                if let Some(r) =
                    parse_range(&format!("{months} {year}")).filter(|r| r.start.is_some_and(|s| s.month.is_some()))
                {
                    range = r;
                    date_end = line.len() - inner.len() + close + 1;
                }
            }
        }
    }
    // "2019 - 2021 (2 ans)", "2011 (6 mois)": how long the period lasted, in brackets after it,
    // belongs to the dates.
    if let Some(inner) = line[date_end..].trim_start().strip_prefix('(') {
        if let Some(close) = inner.find(')').filter(|&c| is_duration_text(&inner[..c])) {
            date_end = line.len() - inner.len() + close + 1;
        }
    }
    let date_text = &line[ws[a].start..date_end];
    // "Février 2016 –" with nothing after the dash: a period left open, still running.
    let tail = line[date_end..].trim();
    if !tail.is_empty()
        && tail.chars().all(|c| matches!(c, '-' | '–' | '—' | '‑' | '‐'))
        && range.end == range.start
        && !range.current
    {
        range.end = None;
        range.current = true;
    }
    let mut before =
        line[..ws[a].start].trim_end_matches(|c: char| c.is_whitespace() || "-–—:|,;(/[•·".contains(c)).to_string();
    let after = line[date_end..].trim_start_matches(|c: char| c.is_whitespace() || "-–—‑‐:|,;)/.]•·".contains(c));
    // "Stagiaire (6 mois, 2012)": the bracket the date closed still holds words; close it there.
    if before.matches('(').count() > before.matches(')').count() && line[date_end..].trim_start().starts_with(')') {
        before.push(')');
    }
    let residual = match (before.trim().is_empty(), after.trim().is_empty()) {
        (true, true) => String::new(),
        (false, true) => before.trim().to_string(),
        (true, false) => after.trim().to_string(),
        (false, false) => format!("{} | {}", before.trim(), after.trim()),
    };
    // Drop empty brackets left behind: "Stage ()" → "Stage".
    let residual = residual.replace("()", "").replace("[]", "").trim().to_string();
    Some(Dated { range, date_text: date_text.to_string(), residual })
}

/// Words that CV templates leave where a year goes ("year–year", "YYYY – YYYY", "AAAA", "20XX").
const YEAR_PLACEHOLDERS: &[&str] = &["year", "yyyy", "aaaa", "annee", "ano", "jahr", "20xx", "19xx", "xxxx"];

/// Whether a word stands for a date in a template: a year placeholder, alone or after a month
/// one ("MM/YYYY", "mois/année").
fn placeholder_word(word: &str) -> bool {
    let f = fold(word);
    let parts: Vec<&str> = f.split(['/', ' ']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y] => YEAR_PLACEHOLDERS.contains(y),
        [m, y] => matches!(*m, "mm" | "month" | "mois") && YEAR_PLACEHOLDERS.contains(y),
        _ => false,
    }
}

/// A period written with template placeholders at the start or the end of a line
/// ("year–year Job title, Employer", "Poste, Employeur    AAAA - AAAA"). Such a line opens an
/// entry as a real period does; the range it gives is empty, since no date is known.
pub fn placeholder_period(line: &str) -> Option<Dated> {
    // Words with their byte spans; '/' joins "MM/YYYY".
    let mut ws: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        let word_char = c.is_alphanumeric() || c == '/';
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                ws.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let is_dash_gap = |gap: &str| {
        gap.chars().any(|c| matches!(c, '-' | '–' | '—'))
            && gap.chars().all(|c| c.is_whitespace() || matches!(c, '-' | '–' | '—'))
    };
    let text = |k: usize| &line[ws[k].0..ws[k].1];
    let end_word = |k: usize| placeholder_word(text(k)) || is_present_word(&fold(text(k)));
    // "P – P" or "P to P" from word `a`: the index of the last word of the period.
    let period_at = |a: usize| -> Option<usize> {
        if !placeholder_word(text(a)) {
            return None;
        }
        if a + 1 < ws.len() && is_dash_gap(&line[ws[a].1..ws[a + 1].0]) && end_word(a + 1) {
            return Some(a + 1);
        }
        let link = a + 1 < ws.len() && matches!(fold(text(a + 1)).as_str(), "to" | "a" | "au" | "until");
        (link && a + 2 < ws.len() && end_word(a + 2)).then_some(a + 2)
    };
    if ws.len() < 2 {
        return None;
    }
    let (a, b) = if let Some(b) = period_at(0) {
        (0, b)
    } else {
        // At the end: try the last two and the last three words.
        (ws.len().saturating_sub(3)..ws.len() - 1)
            .find_map(|a| period_at(a).filter(|&b| b == ws.len() - 1).map(|b| (a, b)))?
    };
    let before = line[..ws[a].0].trim_end_matches(|c: char| c.is_whitespace() || "-–—:|,;(/[•·".contains(c));
    let after = line[ws[b].1..].trim_start_matches(|c: char| c.is_whitespace() || "-–—:|,;)/.]•·".contains(c));
    // A placeholder period is only trusted where periods are written: at an edge of the line.
    if !before.trim().is_empty() && !after.trim().is_empty() {
        return None;
    }
    let residual = if before.trim().is_empty() { after.trim() } else { before.trim() };
    Some(Dated {
        range: DateRange::default(),
        date_text: line[ws[a].0..ws[b].1].to_string(),
        residual: residual.to_string(),
    })
}

/// Whether a line looks dated ("09/19", "2019", "été 2020") even if no period could be read.
pub fn looks_dated(line: &str) -> bool {
    let mut digits = String::new();
    let mut groups = Vec::new();
    for c in line.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                groups.push((std::mem::take(&mut digits), c));
            }
        }
    }
    let years = groups.iter().any(|(g, _)| g.len() == 4 && (g.starts_with("19") || g.starts_with("20")));
    // "09/19", "9.21": a month and a two-digit year.
    let short = line.split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '(' | ')' | ',')).any(|w| {
        let parts: Vec<&str> = w.split(['/', '.']).collect();
        parts.len() == 2
            && parts[0].len() <= 2
            && parts[1].len() == 2
            && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    });
    years || short
}

#[cfg(test)]
mod tests {
    #[test]
    fn duration_after_the_period() {
        // "(2 ans)" after the dates is part of them, not a field of the header.
        let d = super::split_date("2019 - 2021 (2 ans)    Jardinier").unwrap();
        assert_eq!(d.residual, "Jardinier");
        assert_eq!(d.date_text, "2019 - 2021 (2 ans)");
        let d = super::split_date("Agent technique, 2015 - 2016 (1 an et 3 mois), Exemple Services").unwrap();
        assert_eq!(d.residual, "Agent technique | Exemple Services");
        // Not a duration: kept.
        let d = super::split_date("2019 - 2021 (CDD)    Jardinier").unwrap();
        assert!(d.residual.contains("(CDD)"));
    }

    use super::*;
    use vivier_sdk::dates::PartialDate;

    fn d(y: u16, m: Option<u8>) -> Option<PartialDate> {
        Some(PartialDate::new(y, m))
    }

    type Case<'a> = (&'a str, Option<PartialDate>, Option<PartialDate>, bool, &'a str);

    #[test]
    fn date_forms_inside_lines() {
        let cases: &[Case] = &[
            (
                "Assistante RH — Mairie de Lyon (sept. 2019 – aujourd'hui)",
                d(2019, Some(9)),
                None,
                true,
                "Assistante RH — Mairie de Lyon",
            ),
            (
                "09/2019 - 06/2021 : Chargé de mission, Région",
                d(2019, Some(9)),
                d(2021, Some(6)),
                false,
                "Chargé de mission, Région",
            ),
            ("2015-2018 Gestionnaire paie", d(2015, None), d(2018, None), false, "Gestionnaire paie"),
            (
                "Rédacteur depuis mars 2021 - Mairie de Brest",
                d(2021, Some(3)),
                None,
                true,
                "Rédacteur | Mairie de Brest",
            ),
            ("De 2012 à 2014, Agent d'accueil", d(2012, None), d(2014, None), false, "Agent d'accueil"),
            ("Janvier 2020 à ce jour", d(2020, Some(1)), None, true, ""),
            ("Mai – juin 2024 | Stage", d(2024, Some(5)), d(2024, Some(6)), false, "Stage"),
            (
                "Software Engineer, Acme  March 2017 to May 2019",
                d(2017, Some(3)),
                d(2019, Some(5)),
                false,
                "Software Engineer, Acme",
            ),
            ("Jan 2020 – Present", d(2020, Some(1)), None, true, ""),
            ("01/09/2010 au 31/08/2012", d(2010, Some(9)), d(2012, Some(8)), false, ""),
            ("Stage (juin 2021)", d(2021, Some(6)), d(2021, Some(6)), false, "Stage"),
            ("Été 2019 (juillet – août) : Animateur", d(2019, Some(7)), d(2019, Some(8)), false, "Animateur"),
            ("Vendeur, 2018 (mars-mai)", d(2018, Some(3)), d(2018, Some(5)), false, "Vendeur"),
            ("2016 (6 mois) Agent", d(2016, None), d(2016, None), false, "Agent"),
            ("Since 2022 Data analyst", d(2022, None), None, true, "Data analyst"),
            ("2018 – présent", d(2018, None), None, true, ""),
            ("Février 2016 - Décembre 2017", d(2016, Some(2)), d(2017, Some(12)), false, ""),
            (
                "Technicien support | Lycée | 2016/2018",
                d(2016, None),
                d(2018, None),
                false,
                "Technicien support | Lycée",
            ),
            ("Depuis le 1er septembre 2020", d(2020, Some(9)), None, true, ""),
            ("ADMINISTRATEUR SYSTÈME    Février 2016 ‑", d(2016, Some(2)), None, true, "ADMINISTRATEUR SYSTÈME"),
            ("Ville de Tours, Tours — Avril 2019 – maintenant", d(2019, Some(4)), None, true, "Ville de Tours, Tours"),
            ("Researcher  Mar. 2016 – Exp. Jun. 2017", d(2016, Some(3)), d(2017, Some(6)), false, "Researcher"),
            ("Master MEEF, sept. 2023 – prévu juin 2025", d(2023, Some(9)), d(2025, Some(6)), false, "Master MEEF"),
            ("Été 2017    Employé polyvalent", d(2017, None), d(2017, None), false, "Employé polyvalent"),
            ("Job d'été 2016, Camping Les Pins", d(2016, None), d(2016, None), false, "Job d'été | Camping Les Pins"),
            ("Stagiaire juriste (6 mois, 2012)", d(2012, None), d(2012, None), false, "Stagiaire juriste (6 mois)"),
        ];
        for (line, start, end, current, residual) in cases {
            let got = split_date(line).unwrap_or_else(|| panic!("no date in {line:?}"));
            assert_eq!((got.range.start, got.range.end, got.range.current), (*start, *end, *current), "{line}");
            assert_eq!(got.residual, *residual, "{line}");
        }
    }

    #[test]
    fn template_placeholders_mark_a_period_without_dates() {
        for (line, residual) in [
            ("year–year Chef de projet, Société Exemple, Lille.", "Chef de projet, Société Exemple, Lille."),
            ("Chargée d'accueil, Mairie    AAAA - AAAA", "Chargée d'accueil, Mairie"),
            ("Poste    year--year", "Poste"),
            ("MM/YYYY – present  Analyste", "Analyste"),
            ("20XX to 20XX: Stagiaire", "Stagiaire"),
        ] {
            let got = placeholder_period(line).unwrap_or_else(|| panic!("no placeholder in {line:?}"));
            assert_eq!(got.range, DateRange::default(), "{line}");
            assert_eq!(got.residual, residual, "{line}");
        }
        // A lone word, or one in the middle of a sentence, is not a period.
        for line in ["Year 2 student", "Best paper of the year", "Analyste year–year pour Exemple", "Année de césure"]
        {
            assert_eq!(placeholder_period(line), None, "{line}");
        }
    }

    #[test]
    fn undated_lines() {
        for line in ["Chargée de mission de la direction", "Mai", "Gestion de 300 agents", "09/19 – 06/21 : Assistante"]
        {
            assert_eq!(split_date(line), None, "{line}");
        }
        assert!(looks_dated("09/19 – 06/21 : Assistante"));
        assert!(!looks_dated("Gestion de 300 agents"));
    }
}
