//! Splits an experience or education section into entries (header lines, period, description)
//! and header lines into fields ("Assistante RH — Mairie de Lyon, Lyon").

use crate::datespan::{looks_dated, placeholder_period, split_date, Dated};
use crate::experience::{org_score, title_score};
use crate::input::Line;
use vivier_sdk::dates::DateRange;
use vivier_sdk::text::fold;

/// Entries kept per section at most.
pub const MAX_ENTRIES: usize = 200;

#[derive(Debug, Clone, Default)]
pub struct RawEntry {
    /// Header texts, dates removed, in order.
    pub header: Vec<String>,
    pub range: Option<DateRange>,
    pub description: Vec<String>,
    /// Header lines that look dated but whose period could not be read.
    pub unparsed: Vec<String>,
    in_description: bool,
    /// Opened by a period on a line of its own: its header lines follow the dates.
    date_first: bool,
}

impl RawEntry {
    fn is_empty(&self) -> bool {
        self.header.is_empty() && self.range.is_none() && self.description.is_empty()
    }

    /// Fields of the header other than places: "Nexus AI – San Francisco, CA" is one field, and
    /// the job title on the next line still belongs to the header.
    fn segment_count(&self) -> usize {
        self.header.iter().map(|h| named_fields(&segments(h))).sum()
    }
}

/// Number of fields other than places and brackets: "Kolkata, India" counts for none, and so
/// does "(6 mois)" or "(alternance)", which only qualifies the field before it.
fn named_fields(f: &[String]) -> usize {
    // A town is a place too when a region follows it ("Kolkata", "India").
    let place = |i: usize| looks_like_location(&f[i]) || (i > 0 && f.get(i + 1).is_some_and(|n| is_region(n)));
    let bracket = |i: usize| i > 0 && f[i].starts_with('(') && f[i].ends_with(')');
    (0..f.len()).filter(|&i| !place(i) && !bracket(i)).count()
}

/// A line that reads as running text rather than a header.
pub fn prose_like(text: &str) -> bool {
    let t = text.trim();
    let words = t.split_whitespace().count();
    t.ends_with('.') && words >= 4
        || t.ends_with('!')
        || words >= 14
        || t.chars().next().is_some_and(char::is_lowercase) && words >= 3
}

/// Groups the lines of a section into entries. `primary` tells whether a header line carries
/// the main field of an entry (a degree for education), so that two undated entries written on
/// consecutive lines are still told apart.
pub fn segment(lines: &[Line], primary: &dyn Fn(&str) -> bool) -> (Vec<RawEntry>, bool) {
    let mut out: Vec<RawEntry> = Vec::new();
    let mut cur: Option<RawEntry> = None;
    let mut truncated = false;
    let flush = |cur: &mut Option<RawEntry>, out: &mut Vec<RawEntry>, truncated: &mut bool| {
        if let Some(e) = cur.take() {
            if !e.is_empty() {
                if out.len() < MAX_ENTRIES {
                    out.push(e);
                } else {
                    *truncated = true;
                }
            }
        }
    };
    for (i, line) in lines.iter().enumerate() {
        let text = line.text.trim();
        if !line.bullet && column_labels(text) {
            // The header row of a table ("Période | Poste | Employeur") names the columns.
            continue;
        }
        let dated = period(text);
        // A dated line right under this one (a blank line between them parts two entries: this
        // line then ends the entry above, "2021 - 2023 | Assistante" / "SDIS du Finistère").
        let next_is_date_line = lines.get(i + 1).is_some_and(|n| {
            !n.bullet
                && !(n.blank_before && !line.blank_before)
                && period(&n.text).is_some_and(|d| segments(&d.residual).len() <= 1)
        });
        if line.bullet {
            // A date inside a sentence ("paper accepted at NeurIPS 2022 (spotlight)") does
            // not open an entry; a bullet that starts or ends with its period may.
            let starts_entry = dated.as_ref().is_some_and(|d| {
                !d.residual.is_empty()
                    && (text.find(&d.date_text).is_some_and(|p| p <= 4)
                        || (!d.residual.contains(" | ") && segments(&d.residual).len() >= 2))
            }) && cur.as_ref().is_none_or(|c| c.range.is_some() || c.header.is_empty());
            if !starts_entry {
                let e = cur.get_or_insert_with(RawEntry::default);
                e.description.push(text.to_string());
                e.in_description = true;
                continue;
            }
        }
        if line.md_heading.is_some() {
            flush(&mut cur, &mut out, &mut truncated);
        }
        if let Some(d) = dated {
            // A dated line that already names a job, an employer and a place is a whole header:
            // the undated line before it is a sub-heading ("Vocational", "Missions courtes")
            // unless it names an employer itself ("CCAS de Brest").
            let fields = segments(&d.residual);
            let whole = fields.len() >= 3 && named_fields(&fields) >= 2;
            let sub_heading = |c: &RawEntry| {
                c.header.len() == 1
                    && c.description.is_empty()
                    && c.header[0].split_whitespace().count() <= 3
                    && org_score(&c.header[0]) == 0
            };
            let attach = cur.as_ref().is_some_and(|c| {
                c.range.is_none()
                    && !(whole && sub_heading(c))
                    && !c.in_description
                    && c.header.len() <= 3
                    && line.md_heading.is_none()
                    && !(primary(&d.residual) && c.header.iter().any(|h| primary(h)))
            });
            if !attach {
                flush(&mut cur, &mut out, &mut truncated);
            }
            let e = cur.get_or_insert_with(RawEntry::default);
            e.date_first = !attach && d.residual.is_empty();
            e.range = Some(d.range);
            if !d.residual.is_empty() {
                e.header.push(d.residual);
            }
            continue;
        }
        let unparsed = looks_dated(text);
        let new_entry = match cur.as_ref() {
            None => true,
            Some(_) if line.md_heading.is_some() => true,
            // "Réalisations :" before a list introduces the list: still the description.
            // "Nom et adresse de l'employeur    X" after "Principales activités    ...": a form
            // line naming what the entry still lacks belongs to it.
            Some(c) if c.in_description && form_fills(c, text) => false,
            Some(c) if c.in_description => {
                let intro = text.ends_with(':') && lines.get(i + 1).is_some_and(|n| n.bullet);
                !intro && (!prose_like(text) || line.blank_before || next_is_date_line)
            }
            Some(c) if c.range.is_none() => {
                (line.blank_before && !c.header.is_empty())
                    || (primary(text) && c.header.iter().any(|h| primary(h)))
                    || c.header.len() >= 3
            }
            // "2017-2020" on a line of its own, then "Monitrice-éducatrice – Association": a
            // period alone opens its entry and the line after it is that entry's header, even
            // when the next entry's period follows at once.
            Some(c) if c.header.is_empty() && c.description.is_empty() => false,
            Some(c) => {
                // "Ouvrier paysagiste" / "Jardins de l'Ellé | Mellac | 2012 – 2017" then
                // "Saisonnier" / "Camping Les Embruns | Clohars | 2011": when the entry so far has
                // a line above its dated line and the next dated line names no job, the line
                // between them is the next entry's title.
                let heads_next = c.header.len() >= 2
                    && lines.get(i + 1).is_some_and(|n| {
                        !n.bullet
                            && period(&n.text).is_some_and(|d| {
                                !d.residual.is_empty() && segments(&d.residual).iter().all(|f| title_score(f) <= 0)
                            })
                    });
                // "2015 - 2022" / "Caporal-chef" / "SDIS 56 – Vannes" / "2012 - 2015": in an entry
                // opened by its dates, the employer line above the next dates is still this one's.
                let dates_first_room = c.date_first && c.header.len() < 2 && !line.blank_before;
                if prose_like(text) && !next_is_date_line {
                    false
                } else if dates_first_room {
                    false
                } else {
                    line.blank_before
                        || next_is_date_line
                        || heads_next
                        || (primary(text) && c.header.iter().any(|h| primary(h)))
                }
            }
        };
        if new_entry {
            flush(&mut cur, &mut out, &mut truncated);
        }
        let e = cur.get_or_insert_with(RawEntry::default);
        // The lines of a form ("Poste : ...", "Employeur : ...") are all header lines.
        let form = form_label(text).is_some_and(|(role, v)| role != Role::Period || v.is_empty());
        let header_phase = (!e.in_description || form_fills(e, text))
            && (e.range.is_none() || (e.segment_count() < 2 && !prose_like(text)) || form)
            && e.header.len() < if form { 6 } else { 4 };
        if header_phase && !prose_like(text) {
            e.header.push(text.to_string());
            if unparsed {
                e.unparsed.push(text.to_string());
            }
        } else {
            e.description.push(text.to_string());
            e.in_description = true;
        }
    }
    flush(&mut cur, &mut out, &mut truncated);
    (out, truncated)
}

/// Whether a form line ("Employeur : X") names a title or employer the entry has no form line
/// for yet.
fn form_fills(e: &RawEntry, text: &str) -> bool {
    match form_label(text) {
        Some((role @ (Role::Title | Role::Employer), _)) => {
            !e.header.iter().any(|h| form_label(h).is_some_and(|(r, _)| r == role))
        }
        _ => false,
    }
}

/// The header row of a table of entries: two fields or more, each one a bare form label
/// ("Période | Poste | Employeur", "Dates    Fonction    Établissement").
fn column_labels(text: &str) -> bool {
    let fields = segments(text);
    // "Poste et missions", "Missions principales": a label with what the column adds.
    let label = |f: &str| {
        let folded = fold(f);
        let mut words = folded.split(' ');
        let first = words.next().unwrap_or("");
        let extra = |w: &str| {
            matches!(
                w,
                "et" | "missions" | "mission" | "principales" | "activites" | "taches" | "realisations" | "description"
            )
        };
        !f.contains(':')
            && (form_label(&format!("{f}: x")).is_some()
                || (form_label(&format!("{first}: x")).is_some() && words.all(extra))
                || folded.split(' ').all(extra))
    };
    fields.len() >= 2 && fields.iter().all(|f| label(f))
}

/// The period of a line: real dates, or the placeholders a CV template left ("year–year").
fn period(text: &str) -> Option<Dated> {
    split_date(text).or_else(|| placeholder_period(text))
}

/// What a form label says a field is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Role {
    Title,
    Employer,
    Place,
    Period,
}

/// "Poste : Assistante RH" → (title, "Assistante RH"); a period label left alone once its dates
/// were read ("Période") → period.
pub fn form_label(field: &str) -> Option<(Role, String)> {
    let (label, value) = field.split_once(':').unwrap_or((field, ""));
    let role = match label_role(label) {
        Some(role) => role,
        // A label column set apart by a gap, as Europass lays it out
        // ("Fonction ou poste occupé    Technicien", "Nom et adresse de l'employeur    X").
        None if !field.contains(':') => {
            let (label, value) = crate::identity::split_label_column(field)?;
            // Only a label of several words: "Employeur    Ville" is a template's two columns.
            if fold(label).split(' ').count() < 3 {
                return None;
            }
            let role = label_role(label)?;
            return (!value.is_empty()).then(|| (role, value.to_string()));
        }
        None => return None,
    };
    let value = value.trim();
    match role {
        Role::Period => Some((role, value.to_string())),
        _ if value.is_empty() => None,
        _ => Some((role, value.to_string())),
    }
}

fn label_role(label: &str) -> Option<Role> {
    Some(match fold(label).as_str() {
        "poste"
        | "poste occupe"
        | "fonction"
        | "fonctions"
        | "intitule"
        | "intitule du poste"
        | "emploi occupe"
        | "fonction ou poste occupe"
        | "job title"
        | "position"
        | "role" => Role::Title,
        "employeur"
        | "entreprise"
        | "societe"
        | "structure"
        | "organisme"
        | "etablissement"
        | "collectivite"
        | "nom et adresse de l employeur"
        | "nom de l employeur"
        | "administration"
        | "employer"
        | "company"
        | "organisation"
        | "organization" => Role::Employer,
        "lieu" | "localisation" | "location" => Role::Place,
        "periode" | "dates" | "date" | "duree" | "period" => Role::Period,
        _ => return None,
    })
}

/// Splits a header text into fields on the usual separators: " — ", " | ", " - ", " @ ",
/// " chez ", " at ", column gaps, then commas when no other separator was used.
pub fn segments(text: &str) -> Vec<String> {
    let mut parts = vec![text.to_string()];
    for sep in [
        "  ",
        " | ",
        "|",
        " — ",
        " – ",
        " - ",
        " • ",
        " · ",
        " @ ",
        " chez ",
        " at ",
        " auprès de ",
        " au sein de ",
        " au sein du ",
        " au sein des ",
        " auprès du ",
        " auprès des ",
        " within ",
    ] {
        parts = parts.iter().flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    parts = parts.iter().flat_map(|p| split_at_employer(p)).collect();
    // Commas separate fields too, unless what follows continues the text in lower case
    // ("Assistante RH, paie et carrières").
    parts = parts
        .into_iter()
        .flat_map(|p| {
            // "Palo Alto, CA & Ithaca, NY": several places are one field.
            if p.contains(" & ") && looks_like_location(&p) {
                return vec![p];
            }
            let mut merged: Vec<String> = Vec::new();
            for piece in split_outside_parens(&p, ',') {
                // "Omnious Co., Ltd.", "Acme, Inc.": a legal form continues the name.
                let legal = matches!(
                    fold(piece.trim()).as_str(),
                    "ltd" | "inc" | "llc" | "co" | "corp" | "gmbh" | "sa" | "sas" | "sarl" | "plc" | "ag" | "bv" | "nv"
                );
                let continues = piece.chars().next().is_some_and(char::is_lowercase) || legal;
                match merged.last_mut() {
                    Some(last) if continues => {
                        last.push_str(", ");
                        last.push_str(&piece);
                    }
                    _ => merged.push(piece),
                }
            }
            merged
        })
        .collect();
    let mut out = Vec::new();
    for p in parts {
        let p = p.trim().trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '-' | '–' | '—')).trim();
        if p.is_empty() {
            continue;
        }
        // A trailing parenthesis becomes its own field: "Mairie de Lyon (69)", "Assistante (CDD)".
        if p.ends_with(')') {
            if let Some(open) = p.rfind(" (") {
                let head = p[..open].trim();
                let inner = p[open + 2..p.len() - 1].trim();
                if !head.is_empty() && !inner.is_empty() && !inner.contains('(') {
                    out.push(head.to_string());
                    out.push(format!("({inner})"));
                    continue;
                }
            }
        }
        out.push(p.to_string());
    }
    out
}

/// "Secrétaire médicale au Centre hospitalier de Vienne", "Agent d'accueil à la Caisse
/// d'allocations familiales": "au", "à la", "à l'", "aux" before a capitalised word that names an
/// employer separate the job from it ("Aide à domicile", "Chargée de mission au service
/// culture" stay whole).
fn split_at_employer(text: &str) -> Vec<String> {
    for sep in [" au ", " à la ", " à l'", " à l’", " aux "] {
        let Some(pos) = text.find(sep) else { continue };
        let (head, rest) = (text[..pos].trim(), text[pos + sep.len()..].trim());
        let first = rest.split_whitespace().next().unwrap_or("");
        let word = fold(first);
        let word = word.split(' ').next().unwrap_or("");
        let employer = crate::experience::ORG_STEMS.iter().any(|s| word == *s || (s.len() >= 6 && word.starts_with(s)));
        // "COMMERCIAL au Crédit Côtier": a title set in capitals ends where the employer's name,
        // in ordinary case, begins.
        let letters = |t: &str| t.chars().filter(|c| c.is_alphabetic()).collect::<Vec<_>>();
        let caps_title = letters(head).len() >= 3
            && letters(head).iter().all(|c| c.is_uppercase())
            && letters(rest).iter().any(|c| c.is_lowercase());
        if !head.is_empty() && first.starts_with(char::is_uppercase) && (employer || caps_title) {
            return vec![head.to_string(), rest.to_string()];
        }
    }
    vec![text.to_string()]
}

/// Splits on `sep` outside parentheses.
pub fn split_outside_parens(text: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if c == sep && depth <= 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Words of a folded text starting with any of the stems.
pub fn cue_count(text: &str, stems: &[&str]) -> usize {
    fold(text).split(' ').filter(|w| stems.iter().any(|s| w.starts_with(s))).count()
}

/// Whether a field is a place: "(69)", "Lyon", "Paris 15e", "Remote", "75011 Paris".
/// A two-letter region or country code ("CA", "UK") or a country name.
pub fn is_region(field: &str) -> bool {
    let t = field.trim();
    (t.len() == 2 && t.chars().all(|c| c.is_ascii_uppercase()))
        || matches!(
            fold(t).as_str(),
            "s korea"
                | "republic of korea"
                | "u s a"
                | "us"
                | "u k"
                | "quebec"
                | "ontario"
                | "california"
                | "france"
                | "belgique"
                | "belgium"
                | "suisse"
                | "switzerland"
                | "canada"
                | "usa"
                | "uk"
                | "luxembourg"
                | "germany"
                | "allemagne"
                | "spain"
                | "espagne"
                | "italy"
                | "italie"
                | "china"
                | "chine"
                | "japan"
                | "japon"
                | "korea"
                | "south korea"
                | "coree"
                | "india"
                | "inde"
                | "turkiye"
                | "turkey"
                | "turquie"
                | "united states"
                | "united kingdom"
                | "etats unis"
                | "royaume uni"
                | "netherlands"
                | "pays bas"
        )
}

/// Towns and regions a CV names without a postcode (folded).
const PLACES: &[&str] = &[
    "paris",
    "lyon",
    "marseille",
    "toulouse",
    "nice",
    "nantes",
    "strasbourg",
    "montpellier",
    "bordeaux",
    "lille",
    "rennes",
    "reims",
    "brest",
    "grenoble",
    "dijon",
    "angers",
    "nimes",
    "tours",
    "limoges",
    "amiens",
    "metz",
    "besancon",
    "orleans",
    "rouen",
    "caen",
    "nancy",
    "poitiers",
    "pau",
    "la rochelle",
    "clermont ferrand",
    "saint etienne",
    "le mans",
    "toulon",
    "avignon",
    "perpignan",
    "quimper",
    "vannes",
    "lorient",
    "bayonne",
    "annecy",
    "chambery",
    "valence",
    "ajaccio",
    "bastia",
    "cayenne",
    "fort de france",
    "pointe a pitre",
    "saint denis",
    "bruxelles",
    "brussels",
    "geneve",
    "geneva",
    "lausanne",
    "luxembourg",
    "montreal",
    "quebec",
    "london",
    "londres",
    "new york",
    "berlin",
    "madrid",
    "barcelona",
    "barcelone",
    "france",
    "belgique",
    "belgium",
    "suisse",
    "switzerland",
    "canada",
    "uk",
    "usa",
    "ile de france",
];

/// Whether a field is only the name of a well-known town ("Lyon", "Clermont-Ferrand"), not a
/// region or a country.
pub fn known_town(field: &str) -> bool {
    let folded = fold(field.trim());
    !is_region(field.trim()) && PLACES.contains(&folded.as_str())
}

pub fn looks_like_location(field: &str) -> bool {
    let inner = field.trim().trim_start_matches('(').trim_end_matches(')').trim();
    let folded = fold(inner);
    if folded.is_empty() {
        return false;
    }
    // Places joined by "&": each must be one.
    if inner.contains(" & ") {
        return inner.split(" & ").all(|p| !p.contains(" & ") && looks_like_location(p));
    }
    if inner.chars().all(|c| c.is_ascii_digit()) && (2..=3).contains(&inner.len()) {
        return true;
    }
    if is_region(inner) && inner.len() >= 2 {
        return true;
    }
    // "Seoul, S.Korea", "Zurich, Switzerland", "Stanford, CA": a town then a region.
    if let Some((town, region)) = inner.rsplit_once(',') {
        let town = town.trim();
        if is_region(region.trim())
            && town.split_whitespace().count() <= 3
            && town.chars().next().is_some_and(char::is_uppercase)
            && !town.chars().any(|c| c.is_ascii_digit())
        {
            return true;
        }
    }
    if matches!(folded.as_str(), "remote" | "teletravail" | "a distance" | "hybride" | "hybrid") {
        return true;
    }
    let words: Vec<&str> = inner.split_whitespace().collect();
    if words.len() > 4 || words.is_empty() {
        return false;
    }

    let no_digits = folded
        .split(' ')
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()) && w.len() > 2)
        .collect::<Vec<_>>()
        .join(" ");
    let postcode = inner.split_whitespace().any(|w| w.len() == 5 && w.chars().all(|c| c.is_ascii_digit()));
    let with_country = folded
        .rsplit_once(' ')
        .is_some_and(|(_, last)| matches!(last, "france" | "belgique" | "suisse" | "uk" | "usa" | "canada"));
    postcode
        || PLACES.iter().any(|p| {
            // "Paris 15e", "Rennes Cedex", "Lyon centre" are places; "Quimper Cornouaille
            // Développement" or "Brest Métropole" name an employer after its town.
            folded == *p
                || no_digits == *p
                || folded.strip_prefix(&format!("{p} ")).is_some_and(|rest| {
                    rest.split(' ').all(|w| {
                        w.chars().any(|c| c.is_ascii_digit())
                            || matches!(w, "cedex" | "centre" | "nord" | "sud" | "est" | "ouest" | "la" | "defense")
                    })
                })
        })
        || (with_country && words.len() <= 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::prepare;

    #[test]
    fn segments_split_fields() {
        assert_eq!(segments("Assistante RH — Mairie de Lyon, Lyon"), ["Assistante RH", "Mairie de Lyon", "Lyon"]);
        assert_eq!(
            segments("Chargé de mission, Région Bretagne, Rennes"),
            ["Chargé de mission", "Région Bretagne", "Rennes"]
        );
        assert_eq!(segments("Mairie de Lyon (69)"), ["Mairie de Lyon", "(69)"]);
        assert_eq!(segments("Data analyst at Example Corp"), ["Data analyst", "Example Corp"]);
        assert_eq!(
            segments("Rennes, France & Montréal, Canada | Stage"),
            ["Rennes, France & Montréal, Canada", "Stage"]
        );
        assert_eq!(segments("Recherche & Développement, Acme"), ["Recherche & Développement", "Acme"]);
        assert_eq!(
            segments("Infirmier au Centre hospitalier de Morlaix"),
            ["Infirmier", "Centre hospitalier de Morlaix"]
        );
        assert_eq!(segments("Professeure à l'Université de Brest"), ["Professeure", "Université de Brest"]);
        assert_eq!(segments("Aide à domicile"), ["Aide à domicile"]);
        assert_eq!(segments("Chargée de mission au service culture"), ["Chargée de mission au service culture"]);
        assert_eq!(segments("Agent au Pays basque"), ["Agent au Pays basque"]);
        assert_eq!(segments("VENDEUR au Comptoir des Mers"), ["VENDEUR", "Comptoir des Mers"]);
        assert_eq!(segments("AGENT AU PAYS BASQUE"), ["AGENT AU PAYS BASQUE"]);
    }

    #[test]
    fn entries_in_several_layouts() {
        let text = "Assistante RH — Mairie\n2019 - 2021\n- Paie\n- Carrières\nGestionnaire — CCAS\n2017 - 2019\nAccueil du public.\n\n2015 - 2016 : Vendeuse, Boutique\n";
        let (entries, _) = segment(&prepare(text).lines, &|_| false);
        assert_eq!(entries.len(), 3, "{entries:#?}");
        assert_eq!(entries[0].description, ["Paie", "Carrières"]);
        assert_eq!(entries[1].header, ["Gestionnaire – CCAS"]);
        assert_eq!(entries[1].description, ["Accueil du public."]);
        assert_eq!(entries[2].header, ["Vendeuse, Boutique"]);
    }

    #[test]
    fn a_period_alone_heads_the_entry_below_it() {
        // Dates first, and the next period right after the header.
        let text = "2015-2019\nAnimateur – Maison de quartier (Caen)\n\n2014\nVendeur – Librairie du Port\n";
        let (entries, _) = segment(&prepare(text).lines, &|_| false);
        assert_eq!(entries.len(), 2, "{entries:#?}");
        assert_eq!(entries[0].header, ["Animateur – Maison de quartier (Caen)"]);
        assert_eq!(entries[0].range.unwrap().start.unwrap().year, 2015);
        assert_eq!(entries[1].header, ["Vendeur – Librairie du Port"]);
    }

    #[test]
    fn a_town_opening_an_employer_name_is_not_a_place() {
        assert!(looks_like_location("Rennes Cedex"));
        assert!(looks_like_location("Lyon 3e"));
        assert!(looks_like_location("Brest"));
        assert!(!looks_like_location("Brest Cornouaille Habitat"));
        let cv = crate::parse::parse_text(
            "Léo Marrec\n\nExpériences\n\n**Chargé de mission** | Brest Cornouaille Habitat | 2019-2022\n",
        );
        assert_eq!(cv.profile.experiences[0].organisation.as_deref(), Some("Brest Cornouaille Habitat"));
    }

    #[test]
    fn a_line_before_a_blank_ends_its_entry() {
        let text = "2021 - 2023 | Assistante de prévention\nService départemental d'incendie\n\n2018 - 2021 | Chargée de sécurité\nNavale Services\n";
        let (entries, _) = segment(&prepare(text).lines, &|_| false);
        assert_eq!(entries.len(), 2, "{entries:#?}");
        assert_eq!(entries[0].header, ["Assistante de prévention", "Service départemental d'incendie"]);
    }

    #[test]
    fn a_table_header_row_is_not_an_entry() {
        let text = "Période | Fonction | Établissement\n2016 – 2020 | Magasinier | Entrepôt Nord\n";
        let (entries, _) = segment(&prepare(text).lines, &|_| false);
        assert_eq!(entries.len(), 1, "{entries:#?}");
        assert_eq!(entries[0].header, ["Magasinier | Entrepôt Nord"]);
        assert!(column_labels("Dates    Poste    Employeur"));
        assert!(column_labels("Dates    Employeur    Poste et missions"));
        assert!(!column_labels("2019    Mairie    Agent et missions"));
        assert!(!column_labels("Poste : Magasinier | Entrepôt Nord"));
    }

    #[test]
    fn a_title_line_between_two_dated_employer_lines_opens_the_next_entry() {
        let text =
            "Magasinier\nEntrepôt Nord | Lille | 2016 – 2020\nSaisonnier\nFerme des Prés | Arras | Juin – août 2015\n";
        let (entries, _) = segment(&prepare(text).lines, &|_| false);
        assert_eq!(entries.len(), 2, "{entries:#?}");
        assert_eq!(entries[1].header[0], "Saisonnier");
    }
}
