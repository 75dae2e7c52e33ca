//! The whole pipeline: document → checks → lines → sections → identity + profile + warnings.

use crate::format::{self, Format};
use crate::input::{self, Line};
use crate::sections::{self, Kind, Section};
use crate::{certifications, education, experience, identity, languages, public_service, skills};
use vivier_sdk::cv_parser::{Identity, ParseError, ParsedCv, Profile, Warning};
use vivier_sdk::text::fold;

/// Parses a document as received by the plugin.
pub fn parse_document(filename: &str, media_type: &str, bytes: &[u8]) -> Result<ParsedCv, ParseError> {
    let (text, fallback, mut extra) = read(filename, media_type, bytes)?;
    let mut cv = parse_text(&text);
    for (i, w) in extra.drain(..).enumerate() {
        cv.warnings.insert(i, w);
    }
    if fallback {
        cv.warnings.insert(
            0,
            warning(
                "encoding-fallback",
                "Le fichier n'est pas en UTF-8 : il a été lu comme du Windows-1252. Vérifiez les accents.".into(),
            ),
        );
    }
    if cv.identity.full_name.is_none()
        && cv.identity.email.is_none()
        && cv.profile.experiences.is_empty()
        && cv.profile.education.is_empty()
        && cv.profile.skills.is_empty()
    {
        cv.warnings.push(warning("nothing-found", "Aucune information de CV n'a pu être lue dans ce document.".into()));
    }
    Ok(cv)
}

/// Text of a document (any format) as the section parsers read it, with the reader's warnings
/// and whether Windows-1252 was assumed.
pub fn read(filename: &str, media_type: &str, bytes: &[u8]) -> Result<(String, bool, Vec<Warning>), ParseError> {
    if bytes.len() > input::MAX_BYTES {
        return Err(ParseError::TooLarge(input::MAX_BYTES as u64));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::EmptyDocument);
    }
    Ok(match format::detect(filename, media_type, bytes)? {
        Format::Pdf => {
            let pdf = crate::pdf::extract(bytes)?;
            (pdf.text, false, pdf.warnings)
        }
        Format::Zip => {
            let doc = crate::office::extract(bytes)?;
            (doc.text, false, doc.warnings)
        }
        Format::Text => {
            let (text, fallback) = input::decode(bytes)?;
            (text, fallback, Vec::new())
        }
    })
}

/// Text of a document only (developer tools, benchmarks).
pub fn document_text(filename: &str, media_type: &str, bytes: &[u8]) -> Result<String, ParseError> {
    read(filename, media_type, bytes).map(|(t, _, _)| t)
}

fn warning(code: &str, message: String) -> Warning {
    Warning { code: code.to_string(), message }
}

fn lines_of(sections: &[Section], kind: Kind) -> Vec<Line> {
    sections.iter().filter(|s| s.kind == kind).flat_map(|s| s.lines.iter().cloned()).collect()
}

/// Parses the text of a CV. Never fails: what cannot be read is reported in warnings.
pub fn parse_text(text: &str) -> ParsedCv {
    let prepared = input::prepare(text);
    let sections = sections::split(&prepared.lines);
    let mut warnings = Vec::new();
    let mut truncated = prepared.truncated;

    let header = lines_of(&sections, Kind::Header);
    let contact = lines_of(&sections, Kind::Contact);
    let identity = identity::extract(&header, &contact, &prepared.lines, prepared.images);

    let exp_lines = lines_of(&sections, Kind::Experience);
    let (experiences, exp_unparsed, t1) = experience::parse(&exp_lines);
    let (education, edu_unparsed, t2) = education::parse(&lines_of(&sections, Kind::Education));
    let (mut skills, language_lines, t3) = skills::parse(&lines_of(&sections, Kind::Skills));
    truncated |= t1 || t2 || t3;

    let mut lang_lines = lines_of(&sections, Kind::Languages);
    lang_lines.extend(language_lines);
    let languages = languages::parse(&lang_lines);
    let certifications = certifications::parse(&lines_of(&sections, Kind::Certifications));

    let mut driving_licences = certifications::licence_section(&lines_of(&sections, Kind::Licences));
    for line in &prepared.lines {
        for l in certifications::licences(&line.text) {
            if !driving_licences.contains(&l) {
                driving_licences.push(l);
            }
        }
    }

    let summary_lines = lines_of(&sections, Kind::Summary);
    let ps_section = lines_of(&sections, Kind::PublicService);
    let mut priority = header.clone();
    priority.extend(summary_lines.iter().cloned());
    let others: Vec<Line> = sections
        .iter()
        .filter(|s| !matches!(s.kind, Kind::Header | Kind::Summary | Kind::PublicService | Kind::Contact))
        .flat_map(|s| s.lines.iter().cloned())
        .collect();
    let public_service = public_service::extract(&priority, &others, &ps_section);
    let interests = skills::interests(&lines_of(&sections, Kind::Interests));

    // Headline and summary, with identity kept out.
    let (headline, header_summary) = headline_and_summary(&header, &identity);
    let summary_text: Vec<String> =
        summary_lines.iter().map(|l| l.text.clone()).filter(|t| !mentions_identity(t, &identity)).collect();
    let summary = if summary_text.is_empty() { header_summary } else { Some(summary_text.join("\n")) };

    let mut experiences = experiences;
    for e in &mut experiences {
        e.description = scrub(&e.description, &identity);
    }
    skills.retain(|s| !mentions_identity(&s.label, &identity));

    if !sections.iter().any(|s| s.kind == Kind::Experience) {
        warnings.push(warning(
            "no-experience-section",
            "Aucune rubrique « Expérience » n'a été reconnue : le parcours professionnel n'a pas été lu.".into(),
        ));
    }
    for line in exp_unparsed.iter().chain(edu_unparsed.iter()).take(20) {
        warnings
            .push(warning("date-unparsed", format!("Dates non lues dans la ligne « {} » : à vérifier.", short(line))));
    }
    if truncated {
        warnings.push(warning(
            "truncated",
            "Document très long : une partie du texte ou des listes n'a pas été lue (limites du lecteur atteintes)."
                .into(),
        ));
    }

    ParsedCv {
        identity,
        profile: Profile {
            headline,
            summary,
            experiences,
            education,
            skills,
            languages,
            certifications,
            driving_licences,
            public_service,
            interests,
        },
        warnings,
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Lines of the header that hold personal data not part of the identity record either
/// (family situation, nationality): never copied to the profile.
const PERSONAL: &[&str] = &[
    "nationalite",
    "nationality",
    "marie",
    "mariee",
    "celibataire",
    "pacse",
    "pacsee",
    "enfant",
    "enfants",
    "situation familiale",
    "ne le",
    "nee le",
    "date de naissance",
    "age",
    "ans",
    "born",
    "permis",
    "vehicule",
];

/// Whether a text carries the candidate's e-mail, phone, name, address or birth date.
pub fn mentions_identity(text: &str, id: &Identity) -> bool {
    let f = fold(text);
    if let Some(e) = &id.email {
        if text.to_lowercase().contains(&e.to_lowercase()) {
            return true;
        }
    }
    if !identity::emails(text).is_empty() || !identity::phones(text).is_empty() {
        return true;
    }
    if let Some(name) = &id.full_name {
        let n = fold(name);
        let parts: Vec<&str> = n.split(' ').filter(|p| p.len() >= 3).collect();
        let words: Vec<&str> = f.split(' ').collect();
        // The surname or full name as a word.
        if !n.is_empty() && (f.contains(&n) || parts.last().is_some_and(|s| words.contains(s))) {
            return true;
        }
    }
    if let Some(p) = &id.postal_code {
        if text.contains(p.as_str()) {
            return true;
        }
    }
    if let Some(b) = &id.birth_date {
        if text.contains(b.as_str()) {
            return true;
        }
    }
    text.contains("linkedin.com") || text.contains("://")
}

fn scrub(text: &str, id: &Identity) -> String {
    text.lines().filter(|l| !mentions_identity(l, id)).collect::<Vec<_>>().join("\n")
}

fn headline_and_summary(header: &[Line], id: &Identity) -> (Option<String>, Option<String>) {
    let mut headline = None;
    let mut summary = Vec::new();
    for line in header {
        // Drop the contact fields of a line ("Chargé de projets · Lyon (69)").
        let fields = identity::header_fields(&line.text);
        // A first name set on a line of its own above the surname, or given in a form
        // ("Prénom : Léa"), is part of the name.
        let name_part = |f: &str| {
            let f = fold(f.rsplit_once(':').map_or(f, |(_, v)| v));
            !f.contains(' ') && id.full_name.as_deref().is_some_and(|n| fold(n).split(' ').any(|p| p == f))
        };
        let is_contact = |f: &str| {
            mentions_identity(f, id)
                || name_part(f)
                || identity::postcode_city(f).is_some()
                || identity::city_only(f, false).is_some()
                || id.city.as_deref().is_some_and(|c| fold(f) == fold(c))
        };
        let kept: Vec<&String> = fields.iter().filter(|f| !is_contact(f)).collect();
        if kept.is_empty() {
            continue;
        }
        let joined;
        let t = if kept.len() == fields.len() {
            line.text.trim()
        } else {
            joined = kept.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" · ");
            joined.as_str()
        };
        if mentions_identity(t, id) {
            continue;
        }
        let f = fold(t);
        let words: Vec<&str> = f.split(' ').collect();
        if PERSONAL.iter().any(|p| if p.contains(' ') { f.contains(p) } else { words.contains(p) }) {
            continue;
        }
        if matches!(f.as_str(), "curriculum vitae" | "cv" | "resume")
            || f.starts_with("tel")
            || f.starts_with("e mail")
            || f.starts_with("adresse")
        {
            continue;
        }
        if t.chars().any(|c| c.is_ascii_digit()) && t.split_whitespace().count() <= 3 {
            continue;
        }
        let labelled = t.split_once(':').and_then(|(label, value)| {
            let l = fold(label);
            ["poste recherche", "objectif", "poste vise", "titre", "target", "title", "fonction"]
                .contains(&l.as_str())
                .then(|| value.trim().to_string())
        });
        if let Some(v) = labelled {
            if headline.is_none() && !v.is_empty() {
                headline = Some(v);
            }
            continue;
        }
        if crate::entries::prose_like(t) || t.split_whitespace().count() > 14 {
            summary.push(t.to_string());
        } else if headline.is_none() && t.split_whitespace().count() >= 1 && t.chars().count() <= 100 {
            headline = Some(t.to_string());
        }
    }
    (headline, (!summary.is_empty()).then(|| summary.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_not_panics() {
        assert_eq!(parse_document("cv.txt", "text/plain", b""), Err(ParseError::EmptyDocument));
        assert_eq!(parse_document("cv.txt", "text/plain", b" \n \t "), Err(ParseError::EmptyDocument));
        assert!(matches!(parse_document("cv.pdf", "application/pdf", b"%PDF-1.4"), Err(ParseError::Corrupt(_))));
        assert!(matches!(
            parse_document("cv.txt", "text/plain", b"\x00\x01\x02\x03binary\x00"),
            Err(ParseError::Corrupt(_))
        ));
    }

    #[test]
    fn identity_stays_out_of_the_profile() {
        let cv = parse_text(
            "Jeanne MARTIN\nAssistante RH\njeanne.martin@example.fr - 06 00 00 00 01\n\nProfil\nJeanne Martin, assistante RH. Contact : jeanne.martin@example.fr\nGestion de la paie depuis dix ans.\n\nExpérience\nAssistante RH, Mairie de Vannes\n2019 - 2021\n- Paie\n- Joindre au 06 00 00 00 01\n",
        );
        assert_eq!(cv.identity.full_name.as_deref(), Some("Jeanne Martin"));
        assert_eq!(cv.profile.headline.as_deref(), Some("Assistante RH"));
        let summary = cv.profile.summary.unwrap_or_default();
        assert!(!summary.contains("example.fr") && !summary.contains("Martin"), "{summary}");
        assert_eq!(cv.profile.experiences[0].description, "Paie");
        // A first name on a line of its own is not the headline.
        let cv = parse_text("Nadia\nBENALI\nÉducatrice spécialisée\nnadia.benali@example.fr\n");
        assert_eq!(cv.identity.full_name.as_deref(), Some("Nadia Benali"));
        assert_eq!(cv.profile.headline.as_deref(), Some("Éducatrice spécialisée"));
        let cv = parse_text("Prénom : Léa\nNom : FOURNIER\nlea.fournier@example.fr\n\nExpérience\n2019 - 2021 Assistante, Mairie de Brest\n");
        assert_eq!(cv.identity.full_name.as_deref(), Some("Léa Fournier"));
        assert_eq!(cv.profile.headline, None);
    }

    /// A small deterministic generator (xorshift64*), so the test needs no extra crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // Pieces of CVs, separators and awkward characters, glued at random.
        let pieces: &[&str] = &[
            "Expérience",
            "## Formation",
            "COMPÉTENCES",
            "Langues :",
            "- ",
            "• ",
            "2019",
            "09/2019",
            " – ",
            "aujourd'hui",
            "depuis",
            "mars",
            "Mairie de Lyon",
            "Assistante RH",
            "06 00 00 00 01",
            "+33 (0)6",
            "@",
            "a@b.fr",
            "(",
            ")",
            "[x](",
            "![",
            "|",
            ":",
            ",",
            "\n",
            "\n\n",
            "é",
            "œ",
            "\u{202F}",
            "Permis",
            "concours",
            "grade de ",
            "né le",
            "75011",
            "B-1000",
            "L-",
            "Master",
            "bac+5",
            "#",
            "*",
            "_",
            "`",
            "\t",
            "🙂",
            "ǅ",
            "İ",
            "ß",
            "\u{0301}",
            "12",
            "Cedex",
            "Nom :",
            "DUPONT",
            "Marie",
            "de",
            "  ",
            "0033",
            "+",
            "/",
            "(0)",
            "Anglais",
            "C1",
            "cat",
            "A",
        ];
        for round in 0..3000 {
            let mut bytes: Vec<u8> = Vec::new();
            let n = rng.below(60);
            for _ in 0..n {
                if rng.below(4) == 0 {
                    // Raw bytes, sometimes invalid UTF-8.
                    for _ in 0..rng.below(8) {
                        bytes.push(rng.next() as u8);
                    }
                } else {
                    let p = pieces[rng.below(pieces.len())].replace("\\n", "\n").replace("\\t", "\t");
                    bytes.extend_from_slice(p.as_bytes());
                }
                if rng.below(5) == 0 {
                    bytes.push(b'\n');
                }
            }
            let media = if round % 2 == 0 { "text/plain" } else { "text/markdown" };
            let result = std::panic::catch_unwind(|| parse_document("cv.txt", media, &bytes));
            assert!(result.is_ok(), "panic on input {:?}", String::from_utf8_lossy(&bytes));
            // The text path too, on whatever the bytes decode to.
            let text = String::from_utf8_lossy(&bytes).into_owned();
            assert!(std::panic::catch_unwind(|| parse_text(&text)).is_ok(), "panic on text {text:?}");
        }
        // Long and pathological inputs stay bounded.
        let long = "Expérience\n".to_string() + &"2019 - 2020 Assistante, Mairie\n- x\n".repeat(3000);
        let cv = parse_text(&long);
        assert!(cv.warnings.iter().any(|w| w.code == "truncated"));
        let one_line = "a, ".repeat(200_000);
        let _ = parse_text(&one_line);
    }

    #[test]
    fn other_layouts() {
        // Dates first with "Depuis", en dash separators, a title line in capitals.
        let cv = parse_text(
            "MARIE DUPONT\nChargée de communication\n\nEXPÉRIENCE PROFESSIONNELLE\nDepuis 2021 : Chargée de communication – Ville de Tours\n2018 – 2021 : Chargée de communication – Example Agence, Paris\n\nFORMATION\nDiplôme d'État d'infirmier, IFSI de Tours, 2010\nMaster 1 Information-communication, Université de Tours, 2017\n",
        );
        assert_eq!(cv.identity.full_name.as_deref(), Some("Marie Dupont"));
        let x = &cv.profile.experiences;
        assert_eq!(x.len(), 2);
        assert!(x[0].current && x[0].start.map(|d| d.year) == Some(2021));
        assert_eq!(x[0].organisation.as_deref(), Some("Ville de Tours"));
        assert_eq!(x[1].organisation.as_deref(), Some("Example Agence"));
        assert_eq!(x[1].location.as_deref(), Some("Paris"));
        let e = &cv.profile.education;
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].institution.as_deref(), Some("IFSI de Tours"));
        assert_eq!(e[1].level.as_deref(), Some("bac+4"));

        // English, employer first, period in brackets, skills with labels.
        let cv = parse_text(
            "John Example\njohn@example.com\n\nExperience\nAcme Corp — Software Engineer (2019–2021)\n- Built APIs\nGlobex Inc — Junior Developer (Jun 2017 – Aug 2019)\n\nSkills\nLanguages: Rust, Go\nTools: Docker, Kubernetes\n",
        );
        let x = &cv.profile.experiences;
        assert_eq!(x.len(), 2, "{x:#?}");
        assert_eq!((x[0].title.as_str(), x[0].organisation.as_deref()), ("Software Engineer", Some("Acme Corp")));
        assert_eq!((x[1].title.as_str(), x[1].organisation.as_deref()), ("Junior Developer", Some("Globex Inc")));
        let skills: Vec<&str> = cv.profile.skills.iter().map(|s| s.label.as_str()).collect();
        assert!(["Rust", "Go", "Docker", "Kubernetes"].iter().all(|s| skills.contains(s)), "{skills:?}");
    }

    #[test]
    fn warnings() {
        let cv = parse_text("Jeanne Martin\nCompétences\nPaie\n");
        assert!(cv.warnings.iter().any(|w| w.code == "no-experience-section"));
        let cv = parse_text("Expérience\n09/19 – 06/21 : Assistante, Mairie\n- Paie\n");
        assert!(cv.warnings.iter().any(|w| w.code == "date-unparsed"), "{:?}", cv.warnings);
        let cv = parse_document("cv.txt", "text/plain", b"Exp\xe9rience\nAssistante, Mairie\n2019 - 2020\n").unwrap();
        assert_eq!(cv.warnings[0].code, "encoding-fallback");
    }
}
