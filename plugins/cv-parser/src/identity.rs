//! Who the candidate is: name, e-mail, phone (E.164), postal address, links, birth date or age.
//! Nothing read here may reach the profile.

use crate::experience::TITLE_STEMS;
use crate::input::Line;
use crate::sections::classify_heading;
use vivier_sdk::cv_parser::Identity;
use vivier_sdk::text::fold;

/// E-mail addresses in a text, as written.
pub fn emails(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let local_ok = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    let domain_ok = |c: char| c.is_alphanumeric() || c == '.' || c == '-';
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '@' {
            continue;
        }
        let mut a = i;
        while a > 0 && local_ok(chars[a - 1]) {
            a -= 1;
        }
        let mut b = i + 1;
        while b < chars.len() && domain_ok(chars[b]) {
            b += 1;
        }
        let local: String = chars[a..i].iter().collect::<String>().trim_start_matches(['.', '\'']).to_string();
        let domain: String = chars[i + 1..b].iter().collect::<String>().trim_end_matches(['.', '-']).to_string();
        let tld_ok =
            domain.rsplit('.').next().is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic));
        if !local.is_empty() && domain.contains('.') && tld_ok && !domain.starts_with('.') {
            out.push(format!("{local}@{domain}"));
        }
    }
    out
}

/// Phone numbers in a text, normalised to E.164 when possible.
pub fn phones(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}');
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts = (c == '+' && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit() || *n == ' '))
            || c.is_ascii_digit()
            || (c == '(' && chars.get(i + 1) == Some(&'+'));
        // Not in the middle of a word or number ("ABC123", "10.1038/…").
        let glued = i > 0 && (chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '/' | '.' | '-' | '_' | '='));
        if !starts || glued {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && (allowed(chars[j]) || (chars[j] == '+' && j == i + 1)) {
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        let run = run.trim_end_matches(|c: char| !c.is_ascii_digit()).to_string();
        let next_glued = chars.get(i + run.chars().count()).is_some_and(|c| c.is_alphanumeric() || *c == '/');
        if !next_glued {
            if let Some(p) = normalise_phone(&run) {
                out.push(p);
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// "06 00 00 00 01" → "+33600000001"; "+32 470 00 00 01" → "+32470000001"; `None` when the
/// text is not a phone number.
pub fn normalise_phone(raw: &str) -> Option<String> {
    let raw = raw.trim().replace("(0)", "");
    let raw = raw.trim_start_matches('(').replacen("+)", "+", 1);
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    // Runs of a single group of digits are years, postcodes or ids, not phones.
    let groups = raw.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).count();
    let international = raw.starts_with('+') || raw.trim_start_matches('(').starts_with('+');
    if international || digits.starts_with("00") && digits.len() >= 11 {
        let mut d = if international { digits.clone() } else { digits[2..].to_string() };
        // Country codes never start with 0: "0000-0003-9876-5432" is an ORCID, not a phone.
        if d.starts_with('0') {
            return None;
        }
        // "+33 06 …": drop the French trunk zero.
        if d.starts_with("330") && d.len() == 12 {
            d.remove(2);
        }
        return (8..=15).contains(&d.len()).then(|| format!("+{d}"));
    }
    if digits.len() == 10
        && digits.starts_with('0')
        && !digits.starts_with("00")
        && (groups >= 4 || groups == 1 && raw.len() == 10)
    {
        return Some(format!("+33{}", &digits[1..]));
    }
    let groups_len: Vec<usize> =
        raw.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).map(str::len).collect();
    // North American layout, "(514) 377-3533" or "607.379.5733": area code 2-9, 3-3-4 digits.
    if groups_len == [3, 3, 4] && !digits.starts_with(['0', '1']) {
        return Some(format!("+1{digits}"));
    }
    // Other national numbers without country code ("612 34 56 78"): kept as written, since the
    // country cannot be told; never ids shaped like dates or ORCIDs (4-4-4-4).
    if (9..=11).contains(&digits.len())
        && groups >= 3
        && !groups_len.iter().all(|&g| g == 4)
        && !digits.starts_with("00")
    {
        return Some(raw.trim().to_string());
    }
    None
}

/// Capitalises a name naturally: "DUPONT Marie" → "Marie Dupont", "jean-pierre LE GALL" →
/// "Jean-Pierre Le Gall", "Marie DE LA TOUR" → "Marie de La Tour".
pub fn natural_name(raw: &str) -> String {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let is_caps = |w: &str| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
    };
    let caps: Vec<bool> = words.iter().map(|w| is_caps(w)).collect();
    let lead = caps.iter().take_while(|&&c| c).count();
    // "NOM Prénom": surname in capitals first, then given names in mixed case.
    let ordered: Vec<&str> = if lead > 0 && lead < words.len() && caps[lead..].iter().all(|c| !c) {
        words[lead..].iter().chain(words[..lead].iter()).copied().collect()
    } else {
        words.clone()
    };
    let given = if lead > 0 && lead < words.len() && caps[lead..].iter().all(|c| !c) { words.len() - lead } else { 1 };
    ordered
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let f = fold(w);
            if i >= given.max(1) && matches!(f.as_str(), "de" | "du" | "des" | "d") {
                w.to_lowercase()
            } else if is_caps(w) || w.chars().all(|c| !c.is_uppercase()) {
                title_case(w)
            } else {
                (*w).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut up = true;
    for c in w.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        up = matches!(c, '-' | '\'' | '.');
    }
    out
}

const NOT_NAME: &[&str] = &[
    "curriculum",
    "vitae",
    "cv",
    "resume",
    "contact",
    "profil",
    "profile",
    "adresse",
    "address",
    "telephone",
    "email",
    "mail",
    "tel",
    "nationalite",
    "permis",
    "ne",
    "nee",
    "rue",
    "avenue",
    "boulevard",
    "chemin",
    "impasse",
    "allee",
    "place",
    "route",
    "lyon",
    "paris",
    "france",
    "linkedin",
    "github",
];

/// A text that reads as a person's name (2 to 5 words, letters only, capitalised).
pub fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || text.chars().count() > 60 {
        return false;
    }
    if !text.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.')) {
        return false;
    }
    let particles = ["de", "du", "des", "d'", "van", "von", "da", "di", "le", "la", "ben", "el", "al"];
    let capitalised = words.iter().enumerate().all(|(i, w)| {
        w.chars().next().is_some_and(char::is_uppercase) || (i > 0 && particles.contains(&w.to_lowercase().as_str()))
    });
    if !capitalised || classify_heading(text).is_some() {
        return false;
    }
    let f = fold(text);
    let fw: Vec<&str> = f.split(' ').collect();
    if fw.iter().any(|w| NOT_NAME.contains(w)) {
        return false;
    }
    !fw.iter().any(|w| TITLE_STEMS.iter().any(|t| w.starts_with(t) && t.len() >= 4))
}

/// A name set large on two lines, first name then surname ("Nadia" / "BENALI"): two
/// consecutive header lines of one capitalised word each that read as a name together.
fn name_on_two_lines(header: &[Line]) -> Option<String> {
    let one_word = |l: &Line| {
        let t = l.text.trim();
        t.split_whitespace().count() == 1 && t.chars().next().is_some_and(char::is_uppercase)
    };
    header.iter().take(12).collect::<Vec<_>>().windows(2).find_map(|w| {
        let joined = format!("{} {}", w[0].text.trim(), w[1].text.trim());
        (one_word(w[0]) && one_word(w[1]) && looks_like_name(&joined)).then(|| natural_name(&joined))
    })
}

fn strip_civility(text: &str) -> &str {
    for p in [
        "Madame ",
        "Monsieur ",
        "Mme. ",
        "Mme ",
        "Mlle ",
        "M. ",
        "Mr. ",
        "Mr ",
        "Mrs. ",
        "Mrs ",
        "Ms. ",
        "Ms ",
        "Dr. ",
        "Dr ",
    ] {
        if let Some(rest) = text.strip_prefix(p) {
            return rest.trim();
        }
    }
    text
}

/// The labelled value of a line ("Nom : Dupont") when the label folds to one of `labels`.
fn labelled<'a>(text: &'a str, labels: &[&str]) -> Option<&'a str> {
    // "Nom : Le Floch", or a label column set apart by a gap ("Nom(s) / Prénom(s)    Le Floch").
    let (label, value) = text.split_once(':').or_else(|| split_label_column(text))?;
    let f = fold(label);
    labels.contains(&f.as_str()).then_some(value.trim()).filter(|v| !v.is_empty())
}

/// "Label    value": the text before the first column gap (two spaces or more, or a tab).
pub(crate) fn split_label_column(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let at = text.find("  ").into_iter().chain(text.find('\t')).min()?;
    Some((&text[..at], text[at..].trim()))
}

/// Splits a header line on separators used between contact items.
pub fn header_fields(text: &str) -> Vec<String> {
    let mut parts = vec![text.to_string()];
    for sep in ["  ", " | ", "|", " — ", " – ", " • ", "•", " · ", " - ", ";", " / "] {
        parts = parts.iter().flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    parts.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// Reads the identity from the header and contact lines (and, for e-mail, phone and profile
/// links, from the whole text when the header has none).
pub fn extract(header: &[Line], contact: &[Line], all: &[Line], images: usize) -> Identity {
    let mut id = Identity {
        full_name: None,
        email: None,
        phone: None,
        address: None,
        city: None,
        postal_code: None,
        links: Vec::new(),
        birth_date: None,
        has_photo: images > 0,
    };
    let near: Vec<&Line> = header.iter().chain(contact.iter()).collect();

    // Name: a form first ("Prénom : Léa" and "Nom : LE ROUX" on lines of their own: the "Nom"
    // line alone is the surname), then a labelled line, then the first name-like field of the
    // header.
    {
        let value = |labels: &[&str]| near.iter().find_map(|l| labelled(&l.text, labels));
        let first = value(&["prenom", "prenoms", "first name", "given name"]);
        let last = value(&["nom", "nom de famille", "nom d usage", "last name", "surname", "family name"]);
        if let (Some(first), Some(last)) = (first, last) {
            let joined = format!("{first} {last}");
            if looks_like_name(&joined) {
                id.full_name = Some(natural_name(&joined));
            }
        }
    }
    for line in near.iter().filter(|_| id.full_name.is_none()) {
        if let Some(v) = labelled(
            &line.text,
            &["nom", "name", "nom prenom", "nom et prenom", "prenom nom", "full name", "nom s prenom s"],
        ) {
            if looks_like_name(strip_civility(v)) || v.split_whitespace().count() >= 2 {
                id.full_name = Some(natural_name(strip_civility(v)));
                break;
            }
        }
    }
    if id.full_name.is_none() {
        'outer: for line in header.iter().take(12) {
            for field in header_fields(&line.text).iter().take(2) {
                let field = strip_civility(field.trim_end_matches([',', '.']));
                if looks_like_name(field) {
                    id.full_name = Some(natural_name(field));
                    break 'outer;
                }
            }
        }
    }

    if id.full_name.is_none() {
        id.full_name = name_on_two_lines(header);
    }
    if id.full_name.is_none() && header.iter().all(|l| !looks_like_name(strip_civility(&l.text))) {
        // A two-column page read sidebar first ("CONTACT", "COMPÉTENCES"... then the main
        // column): the name opens a block of its own further down, before the main column.
        id.full_name = all
            .iter()
            .take(80)
            .enumerate()
            .find(|(i, l)| {
                (*i == 0 || l.blank_before)
                    && !l.bullet
                    && l.md_heading.is_none()
                    && looks_like_name(strip_civility(&l.text))
            })
            .map(|(_, l)| natural_name(strip_civility(&l.text)));
    }

    let scan = |lines: &[&Line], f: &dyn Fn(&str) -> Vec<String>| lines.iter().flat_map(|l| f(&l.text)).next();
    let all_refs: Vec<&Line> = all.iter().collect();
    id.email = scan(&near, &emails).or_else(|| scan(&all_refs, &emails));
    id.phone = scan(&near, &|t: &str| phones(&strip_email_and_links(t))).or_else(|| {
        // Elsewhere, only on lines that say they hold a phone number, or next to the line with
        // the candidate's e-mail: contact details printed as a page footer stay together.
        let with_email = |l: &Line| id.email.as_deref().is_some_and(|e| l.text.contains(e));
        let cued: Vec<&Line> = all
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                let f = fold(&l.text);
                ["tel", "telephone", "phone", "mobile", "portable", "gsm"].iter().any(|c| f.split(' ').any(|w| w == *c))
                    || all.get(i + 1).is_some_and(with_email)
                    || (*i > 0 && all.get(i - 1).is_some_and(with_email))
            })
            .map(|(_, l)| l)
            .collect();
        scan(&cued, &|t: &str| phones(&strip_email_and_links(t)))
    });

    // Postal address and city.
    for line in &near {
        let value = labelled(
            &line.text,
            &["adresse", "address", "domicile", "ville", "city", "localisation", "location", "lieu de residence"],
        );
        let fields = match value {
            Some(v) => vec![v.to_string()],
            None => header_fields(&line.text),
        };
        for field in fields {
            if let Some((postcode, city)) = postcode_city(&field) {
                id.postal_code = Some(postcode);
                id.city = Some(city);
                let has_street = !field.trim().starts_with(postcode_of(&id));
                if has_street || value.is_some() {
                    id.address = Some(field.trim().to_string());
                }
                break;
            }
            if id.city.is_none() {
                if let Some(city) = city_only(&field, value.is_some()) {
                    id.city = Some(city);
                }
            }
        }
        if id.postal_code.is_some() {
            break;
        }
    }

    // A contact block read away from the top (a right-hand block beside the name, read after
    // the body): the postal address on a line next to the candidate's e-mail.
    if id.postal_code.is_none() && id.city.is_none() {
        if let Some(at) = id.email.as_deref().and_then(|e| all.iter().position(|l| l.text.contains(e))) {
            let around = all.iter().skip(at.saturating_sub(2)).take(5);
            'found: for line in around {
                for field in header_fields(&line.text) {
                    if let Some((postcode, city)) = postcode_city(&field) {
                        let has_street = !field.trim().starts_with(postcode.as_str());
                        id.postal_code = Some(postcode);
                        id.city = Some(city);
                        if has_street {
                            id.address = Some(field.trim().to_string());
                        }
                        break 'found;
                    }
                }
            }
        }
    }

    // Links: the header's, and profile links anywhere.
    for line in all {
        let in_near = near.iter().any(|n| std::ptr::eq(*n, line));
        for token in
            line.text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"' | '|'))
        {
            let t = token.trim_end_matches(['.', ',', ';', ':', ')', '>']);
            if t.contains('@') && !t.contains("://") {
                continue;
            }
            let f = t.to_lowercase();
            let profile = ["linkedin.com/", "github.com/", "gitlab.com/", "viadeo.com/", "behance.net/", "orcid.org/"]
                .iter()
                .any(|d| f.contains(d));
            let web = f.starts_with("http://") || f.starts_with("https://") || f.starts_with("www.");
            if (profile || (web && in_near)) && !id.links.iter().any(|l| l == t) && id.links.len() < 20 {
                id.links.push(t.to_string());
            }
        }
    }

    // Birth date or age, as written.
    for line in &near {
        for field in header_fields(&line.text) {
            let f = fold(&field);
            let w: Vec<&str> = f.split(' ').collect();
            let age = w.windows(2).any(|p| {
                p[0].chars().all(|c| c.is_ascii_digit()) && p[0].len() <= 2 && (p[1] == "ans" || p[1] == "years")
            });
            let cue =
                ["ne le", "nee le", "ne e le", "ne en", "nee en", "date de naissance", "born", "date of birth", "age "]
                    .iter()
                    .any(|c| format!("{f} ").starts_with(c) || f.contains(&format!(" {c}")));
            if (cue || age) && field.chars().any(|c| c.is_ascii_digit()) {
                id.birth_date = Some(field.trim().to_string());
                break;
            }
        }
        if id.birth_date.is_some() {
            break;
        }
    }
    id
}

fn postcode_of(id: &Identity) -> &str {
    id.postal_code.as_deref().unwrap_or("")
}

fn strip_email_and_links(text: &str) -> String {
    text.split_whitespace()
        .filter(|t| !t.contains('@') && !t.contains("://") && !t.starts_with("www."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "12 rue des Lilas, 69003 Lyon" → ("69003", "Lyon"); also "L-1234 Luxembourg",
/// "B-1000 Bruxelles", "CH-1201 Genève" and "1000 Bruxelles, Belgique".
pub fn postcode_city(field: &str) -> Option<(String, String)> {
    let tokens: Vec<&str> = field.split([' ', ',']).filter(|t| !t.is_empty()).collect();
    let foreign = {
        let f = fold(field);
        ["belgique", "belgium", "suisse", "switzerland", "luxembourg"].iter().any(|c| f.contains(c))
            // A street then a four-digit code: a Belgian, Swiss or Luxembourg address.
            || f.split(' ').any(|w| matches!(w, "rue" | "avenue" | "chaussee" | "boulevard" | "place" | "straat" | "strasse"))
    };
    for (i, t) in tokens.iter().enumerate() {
        let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        let code = if t.len() == 5 && digits_only(t) && !t.starts_with("00") {
            Some(t.to_string())
        } else if let Some((prefix, num)) = t.split_once('-') {
            (matches!(prefix, "L" | "B" | "CH" | "F") && (4..=5).contains(&num.len()) && digits_only(num))
                .then(|| t.to_string())
        } else if t.len() == 4 && digits_only(t) && foreign && !t.starts_with("19") && !t.starts_with("20") {
            Some(t.to_string())
        } else {
            None
        };
        let Some(code) = code else { continue };
        // The neighbours must not be digits (a phone number "06 12 34 56 78" has no 5-digit group,
        // but "75 011" style pieces of numbers are refused here too).
        let digit_neighbours = i > 0
            && digits_only(tokens[i - 1])
            && tokens[i - 1].len() <= 2
            && tokens.get(i + 1).is_some_and(|n| digits_only(n));
        if digit_neighbours {
            continue;
        }
        let mut city = Vec::new();
        let rest_start = field.find(t).map(|p| p + t.len()).unwrap_or(field.len());
        for w in field[rest_start..].split_whitespace() {
            let clean = w.trim_end_matches([',', ';', '.']);
            if clean.is_empty() || clean.chars().any(|c| c.is_ascii_digit()) || fold(clean) == "cedex" {
                break;
            }
            if !(clean.chars().next().is_some_and(char::is_uppercase)
                || matches!(clean, "sur" | "sous" | "en" | "le" | "la" | "les" | "de" | "d"))
            {
                break;
            }
            city.push(clean);
            if w.ends_with(',') || city.len() >= 5 {
                break;
            }
        }
        while city.last().is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase)) {
            city.pop();
        }
        if !city.is_empty() {
            return Some((code, city.join(" ")));
        }
        // "Marseille 13008": the town before a code that ends the field, when no street is
        // written before it (no number).
        let before = field[..field.find(t).unwrap_or(0)].trim().trim_end_matches(',').trim();
        if field[rest_start..].trim().is_empty() && !before.chars().any(|c| c.is_ascii_digit()) {
            let town = trailing_place_name(before);
            if !town.is_empty() && town == before && town.split_whitespace().count() <= 4 {
                return Some((code, town));
            }
        }
    }
    None
}

/// The place name that ends a text: its capitalised words and the small words between them
/// ("La Roche sur Yon"). A PDF may set a headline and the town on one line: "Chargée de mission
/// développement durable Grenoble" → "Grenoble".
fn trailing_place_name(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let small =
        |w: &str| matches!(w, "sur" | "sous" | "en" | "le" | "la" | "les" | "de" | "du" | "des" | "d'" | "lès" | "lez");
    let mut start = words.len();
    while start > 0 {
        let w = words[start - 1];
        if w.chars().next().is_some_and(char::is_uppercase) || small(w) {
            start -= 1;
        } else {
            break;
        }
    }
    while start < words.len() && small(words[start]) {
        start += 1;
    }
    words[start..].join(" ")
}

/// "Lyon (69)", "Rennes, France", "Ville : Brest" → the city.
pub fn city_only(field: &str, labelled: bool) -> Option<String> {
    let f = field.trim();
    if let Some(open) = f.find(" (") {
        let inner = f[open + 2..].trim_end_matches(')');
        if inner.len() == 2 && inner.chars().all(|c| c.is_ascii_digit() || c == 'A' || c == 'B') {
            let city = trailing_place_name(f[..open].trim());
            if !city.is_empty() && city.chars().all(|c| c.is_alphabetic() || " -'".contains(c)) {
                return Some(city);
            }
        }
    }
    if let Some((city, country)) = f.rsplit_once(", ") {
        let c = fold(country);
        if [
            "france",
            "belgique",
            "belgium",
            "suisse",
            "switzerland",
            "luxembourg",
            "canada",
            "uk",
            "united kingdom",
            "usa",
            "ireland",
            "germany",
            "allemagne",
            "espagne",
            "spain",
        ]
        .contains(&c.as_str())
            && city.split_whitespace().count() <= 3
            && city.chars().all(|ch| ch.is_alphabetic() || " -'".contains(ch))
        {
            return Some(city.trim().to_string());
        }
    }
    // "Boston, MA".
    if let Some((city, state)) = f.rsplit_once(", ") {
        if state.len() == 2
            && state.chars().all(|c| c.is_ascii_uppercase())
            && city.split_whitespace().count() <= 3
            && city.chars().all(|ch| ch.is_alphabetic() || " -'.".contains(ch))
            && city.chars().next().is_some_and(char::is_uppercase)
        {
            return Some(city.trim().to_string());
        }
    }
    if labelled && f.split_whitespace().count() <= 4 && f.chars().all(|c| c.is_alphabetic() || " -'".contains(c)) {
        return Some(f.to_string());
    }
    // A header field that is only a well-known town ("Lyon"), perhaps with its district
    // ("Paris 15e", "Lyon 3ème"), says where the candidate lives.
    let town = match f.rsplit_once(' ') {
        Some((town, district)) if is_district(district) => town.trim(),
        _ => f,
    };
    if crate::entries::known_town(town) {
        return Some(town.to_string());
    }
    None
}

/// "15e", "3ème", "1er", "8eme": an arrondissement.
fn is_district(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    (1..=2).contains(&digits) && matches!(fold(&word[digits..]).as_str(), "e" | "eme" | "er" | "ere")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::prepare;

    #[test]
    fn phone_normalisation() {
        let cases = [
            ("06 00 00 00 01", Some("+33600000001")),
            ("06.00.00.00.02", Some("+33600000002")),
            ("06-00-00-00-03", Some("+33600000003")),
            ("0600000004", Some("+33600000004")),
            ("+33 6 00 00 00 05", Some("+33600000005")),
            ("+33 (0)6 00 00 00 06", Some("+33600000006")),
            ("0033 6 00 00 00 07", Some("+33600000007")),
            ("+32 470 00 00 08", Some("+32470000008")),
            ("+352 691 000 009", Some("+352691000009")),
            ("+41 79 000 00 10", Some("+41790000010")),
            ("+1 (555) 010-0011", Some("+15550100011")),
            ("01 40 00 00 12", Some("+33140000012")),
            ("2019 - 2021", None),
            ("75011", None),
        ];
        for (raw, want) in cases {
            assert_eq!(phones(raw).first().map(String::as_str), want, "{raw}");
        }
        assert_eq!(phones("Tél. : 06 00 00 00 13 — marie@example.fr"), ["+33600000013"]);
        assert!(phones("doi 10.1038/s42256-024-0001, 01/09/2010").is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(natural_name("DUPONT Marie"), "Marie Dupont");
        assert_eq!(natural_name("Marie DUPONT"), "Marie Dupont");
        assert_eq!(natural_name("LE GALL Yann"), "Yann Le Gall");
        assert_eq!(natural_name("DUPONT-MARTIN Jean-Pierre"), "Jean-Pierre Dupont-Martin");
        assert_eq!(natural_name("MARIE DUPONT"), "Marie Dupont");
        assert_eq!(natural_name("Jean DE LA FONTAINE"), "Jean de La Fontaine");
        assert_eq!(natural_name("Élodie N'DIAYE"), "Élodie N'Diaye");
        assert!(looks_like_name("Élodie N'DIAYE"));
        assert!(!looks_like_name("Assistante Ressources Humaines"));
        assert!(!looks_like_name("Expérience Professionnelle"));
        assert!(!looks_like_name("Curriculum Vitae"));
    }

    #[test]
    fn emails_and_places() {
        assert_eq!(emails("Mail : <jeanne.martin+cv@example.fr>."), ["jeanne.martin+cv@example.fr"]);
        assert_eq!(postcode_city("12 rue des Lilas, 69003 Lyon"), Some(("69003".into(), "Lyon".into())));
        assert_eq!(postcode_city("35000 Rennes Cedex"), Some(("35000".into(), "Rennes".into())));
        assert_eq!(postcode_city("L-1234 Luxembourg"), Some(("L-1234".into(), "Luxembourg".into())));
        assert_eq!(postcode_city("4 place du Marché, 29200 Brest, France"), Some(("29200".into(), "Brest".into())));
        assert_eq!(postcode_city("13100 Aix-en-Provence"), Some(("13100".into(), "Aix-en-Provence".into())));
        assert_eq!(postcode_city("42 Saint-Étienne-du-Rouvray"), None);
        assert_eq!(city_only("Lyon (69)", false).as_deref(), Some("Lyon"));
        assert_eq!(city_only("La Roche sur Yon (85)", false).as_deref(), Some("La Roche sur Yon"));
        // A headline and the town set on one line by a PDF layout.
        assert_eq!(
            city_only("Chargée de mission développement durable Grenoble (38)", false).as_deref(),
            Some("Grenoble")
        );
    }

    #[test]
    fn header_identity() {
        let p = prepare("DURAND Camille\nChargée de mission\n12 rue des Lilas, 69003 Lyon | 06 00 00 00 01 | camille.durand@example.fr\nlinkedin.com/in/camille-durand-example\nNée le 3 mars 1990\n");
        let id = extract(&p.lines, &[], &p.lines, 0);
        assert_eq!(id.full_name.as_deref(), Some("Camille Durand"));
        assert_eq!(id.phone.as_deref(), Some("+33600000001"));
        assert_eq!(id.email.as_deref(), Some("camille.durand@example.fr"));
        assert_eq!(id.city.as_deref(), Some("Lyon"));
        assert_eq!(id.postal_code.as_deref(), Some("69003"));
        assert_eq!(id.address.as_deref(), Some("12 rue des Lilas, 69003 Lyon"));
        assert_eq!(id.links, ["linkedin.com/in/camille-durand-example"]);
        assert_eq!(id.birth_date.as_deref(), Some("Née le 3 mars 1990"));
    }

    #[test]
    fn address_beside_the_email_read_last() {
        // A contact block read after the body: the address next to the e-mail still counts.
        let text = "Camille Durand\nChargée de mission\n\nEXPÉRIENCE\n\nChargée de mission, Exemple Conseil, 2019 - 2021\n\n06 00 00 00 01\ncamille.durand@example.fr\n12 rue des Lilas, 69003 Lyon\n";
        let p = prepare(text);
        let id = extract(&p.lines[..2], &[], &p.lines, 0);
        assert_eq!(id.city.as_deref(), Some("Lyon"));
        assert_eq!(id.address.as_deref(), Some("12 rue des Lilas, 69003 Lyon"));
    }

    #[test]
    fn europass_label_column() {
        let p = prepare(
            "Curriculum vitæ\n\nNom(s) / Prénom(s)    Le Floch Morgane\nAdresse(s)    3 rue Exemple, 29600 Morlaix\n",
        );
        let id = extract(&p.lines, &[], &p.lines, 0);
        assert_eq!(id.full_name.as_deref(), Some("Le Floch Morgane"));
        assert_eq!(id.city.as_deref(), Some("Morlaix"));
    }

    #[test]
    fn name_in_a_form() {
        let p = prepare("Prénom : Léa\nNom : FOURNIER\nEmail : lea.fournier@example.fr\n");
        assert_eq!(extract(&p.lines, &[], &p.lines, 0).full_name.as_deref(), Some("Léa Fournier"));
        // A surname of two words is not the whole name when the form gives the first name too.
        let p = prepare("Nom : LE BRAS\nPrénom : Yves\n");
        assert_eq!(extract(&p.lines, &[], &p.lines, 0).full_name.as_deref(), Some("Yves Le Bras"));
        let p = prepare("Nom : Yves Le Bras\n");
        assert_eq!(extract(&p.lines, &[], &p.lines, 0).full_name.as_deref(), Some("Yves Le Bras"));
    }

    #[test]
    fn name_set_on_two_lines() {
        let p = prepare("Nadia\nBENALI\nÉducatrice spécialisée\nnadia.benali@example.fr\n");
        assert_eq!(extract(&p.lines, &[], &p.lines, 0).full_name.as_deref(), Some("Nadia Benali"));
        let p = prepare("Curriculum\nVitae\nnadia.benali@example.fr\n");
        assert_eq!(extract(&p.lines, &[], &p.lines, 0).full_name, None);
    }

    #[test]
    fn name_below_a_sidebar_read_first() {
        let text = "CONTACT\n06 11 22 33 44\nmarc.olier@example.fr\n\nCOMPÉTENCES\n• Soudure\n• Lecture de plans\n\nOLIER Marc\nChaudronnier\n\nEXPÉRIENCES\n2019 - 2023\nChaudronnier – Atelier du Port\n";
        let cv = crate::parse::parse_text(text);
        assert_eq!(cv.identity.full_name.as_deref(), Some("Marc Olier"));
    }

    #[test]
    fn town_before_its_postcode() {
        assert_eq!(postcode_city("Marseille 13008"), Some(("13008".into(), "Marseille".into())));
        assert_eq!(postcode_city("La Roche sur Yon 85000"), Some(("85000".into(), "La Roche sur Yon".into())));
        assert_eq!(postcode_city("Chargée de mission 85000"), None);
        assert_eq!(postcode_city("12 rue des Lilas 69003"), None);
    }

    #[test]
    fn town_alone_in_the_header() {
        let p = prepare("Paul Girard\nGestionnaire carrière\nLyon\n06 00 00 00 01\n");
        let id = extract(&p.lines, &[], &p.lines, 0);
        assert_eq!(id.city.as_deref(), Some("Lyon"));
        let p = prepare("Paul Girard\nParis 15e\n");
        assert_eq!(extract(&p.lines, &[], &p.lines, 0).city.as_deref(), Some("Paris"));
        let p = prepare("Paul Girard\nFrance\n");
        assert_eq!(extract(&p.lines, &[], &p.lines, 0).city, None);
    }

    #[test]
    fn contact_footer_next_to_the_email() {
        // Contact details printed as a page footer, far from the header: the number beside the
        // e-mail is the phone; a number elsewhere in the body is not.
        let p = prepare(
            "Camille Durand

Expérience
Gestion de 12 000 dossiers par an.
06 00 00 00 09
12 rue des Lilas
06 00 00 00 01
camille.durand@example.fr
",
        );
        let id = extract(&p.lines[..1], &[], &p.lines, 0);
        assert_eq!(id.phone.as_deref(), Some("+33600000001"));
    }
}
