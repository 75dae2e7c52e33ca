//! Section headings ("Expérience professionnelle", "FORMATION", "## Skills", "Langues :") and the
//! split of a CV into sections.

use crate::input::Line;
use vivier_sdk::text::fold;

/// What a section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Lines before the first heading: name, contact, headline.
    Header,
    Summary,
    Contact,
    Experience,
    Education,
    Skills,
    Languages,
    Certifications,
    Licences,
    Interests,
    PublicService,
    /// A heading we recognise as a section but do not read (projects, publications, references).
    Other,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub kind: Kind,
    /// The heading as written (None for the header and for continuations).
    pub heading: Option<String>,
    pub lines: Vec<Line>,
}

/// Whole-heading phrases, folded.
const PHRASES: &[(&str, Kind)] = &[
    ("work history", Kind::Experience),
    ("academic positions", Kind::Experience),
    ("professional appointments", Kind::Experience),
    ("employment history", Kind::Experience),
    ("historique professionnel", Kind::Experience),
    ("savoir faire", Kind::Skills),
    ("savoir etre", Kind::Skills),
    ("savoir etre et savoir faire", Kind::Skills),
    ("savoir faire et savoir etre", Kind::Skills),
    ("soft skills", Kind::Skills),
    ("hard skills", Kind::Skills),
    ("centres d interet", Kind::Interests),
    ("centres d interets", Kind::Interests),
    ("centre d interet", Kind::Interests),
    ("centres interets", Kind::Interests),
    ("activites extra professionnelles", Kind::Interests),
    ("activites extra scolaires", Kind::Interests),
    ("vie associative", Kind::Interests),
    ("a propos", Kind::Summary),
    ("a propos de moi", Kind::Summary),
    ("about me", Kind::Summary),
    ("en bref", Kind::Summary),
    ("informations personnelles", Kind::Contact),
    ("etat civil", Kind::Contact),
    ("personal information", Kind::Contact),
    ("personal details", Kind::Contact),
    ("situation administrative", Kind::PublicService),
    ("situation statutaire", Kind::PublicService),
    ("statut", Kind::PublicService),
    ("concours", Kind::PublicService),
    ("concours et examens", Kind::PublicService),
    ("concours obtenus", Kind::PublicService),
    ("permis", Kind::Licences),
    ("permis de conduire", Kind::Licences),
    ("driving licence", Kind::Licences),
    ("driving license", Kind::Licences),
    ("driver s license", Kind::Licences),
    ("informations complementaires", Kind::Other),
    ("honors awards", Kind::Other),
    ("honours awards", Kind::Other),
    ("prix et distinctions", Kind::Other),
    ("extracurricular activities", Kind::Other),
    ("extracurricular activity", Kind::Other),
    ("activites extrascolaires", Kind::Other),
    ("program committees", Kind::Other),
    ("side projects", Kind::Other),
    ("additional information", Kind::Other),
];

/// Words that make a heading, with the section they open.
const KEYWORDS: &[(&str, Kind)] = &[
    ("experience", Kind::Experience),
    ("experiences", Kind::Experience),
    ("parcours", Kind::Experience),
    ("emplois", Kind::Experience),
    ("atouts", Kind::Skills),
    ("postes", Kind::Experience),
    ("stages", Kind::Experience),
    ("carriere", Kind::Experience),
    ("career", Kind::Experience),
    ("employment", Kind::Experience),
    ("positions", Kind::Experience),
    ("appointments", Kind::Experience),
    // Spanish, as CV templates write them.
    ("experiencia", Kind::Experience),
    ("educacion", Kind::Education),
    ("idiomas", Kind::Languages),
    ("formation", Kind::Education),
    ("formations", Kind::Education),
    ("diplomes", Kind::Education),
    ("diplome", Kind::Education),
    ("etudes", Kind::Education),
    ("education", Kind::Education),
    ("scolarite", Kind::Education),
    ("cursus", Kind::Education),
    ("qualifications", Kind::Education),
    ("competences", Kind::Skills),
    ("competence", Kind::Skills),
    ("skills", Kind::Skills),
    ("aptitudes", Kind::Skills),
    ("expertise", Kind::Skills),
    ("expertises", Kind::Skills),
    ("informatique", Kind::Skills),
    ("outils", Kind::Skills),
    ("tools", Kind::Skills),
    ("technologies", Kind::Skills),
    ("langues", Kind::Languages),
    ("langue", Kind::Languages),
    ("languages", Kind::Languages),
    ("language", Kind::Languages),
    ("certifications", Kind::Certifications),
    ("certification", Kind::Certifications),
    ("certificats", Kind::Certifications),
    ("certificates", Kind::Certifications),
    ("honors", Kind::Other),
    ("honours", Kind::Other),
    ("extracurricular", Kind::Other),
    ("presentations", Kind::Other),
    ("committees", Kind::Other),
    ("habilitations", Kind::Certifications),
    ("licenses", Kind::Certifications),
    ("interets", Kind::Interests),
    ("loisirs", Kind::Interests),
    ("hobbies", Kind::Interests),
    ("interests", Kind::Interests),
    ("passions", Kind::Interests),
    ("profil", Kind::Summary),
    ("profile", Kind::Summary),
    ("summary", Kind::Summary),
    ("objectif", Kind::Summary),
    ("objective", Kind::Summary),
    ("presentation", Kind::Summary),
    ("contact", Kind::Contact),
    ("contacts", Kind::Contact),
    ("coordonnees", Kind::Contact),
    ("projets", Kind::Other),
    ("projects", Kind::Other),
    ("realisations", Kind::Other),
    ("publications", Kind::Other),
    ("references", Kind::Other),
    ("divers", Kind::Other),
    ("benevolat", Kind::Other),
    ("volunteering", Kind::Other),
    ("engagements", Kind::Other),
    ("awards", Kind::Other),
    ("distinctions", Kind::Other),
    ("prix", Kind::Other),
];

/// Words that may accompany a keyword in a heading.
const QUALIFIERS: &[&str] = &[
    "professionnelle",
    "professionnelles",
    "professionnel",
    "professionnels",
    "professional",
    "pro",
    "et",
    "and",
    "de",
    "des",
    "d",
    "du",
    "la",
    "le",
    "les",
    "l",
    "mes",
    "mon",
    "ma",
    "nos",
    "my",
    "cles",
    "key",
    "techniques",
    "technical",
    "principales",
    "principaux",
    "main",
    "significatives",
    "relevant",
    "recentes",
    "complementaires",
    "academique",
    "academiques",
    "academic",
    "etrangeres",
    "foreign",
    "personnelles",
    "personnels",
    "personal",
    "history",
    "work",
    "extra",
    "centres",
    "centre",
    "autres",
    "other",
    "additional",
    "diplomes",
    "diplome",
    "acquises",
    "transversales",
    "comportementales",
    "informatiques",
    "linguistiques",
    "occupes",
    "core",
    "and",
    "certifications",
    "formations",
    "formation",
    "continue",
    "initiale",
    "interet",
    "universitaire",
    "universitaires",
    "emploi",
    "parcours",
    "en",
    "bref",
    "detaillee",
    "detaille",
    "section",
    "volunteer",
    "associatives",
    "associatif",
    "langues",
    "competences",
    "interets",
    "loisirs",
    "qualites",
    "specifiques",
    "metier",
    "metiers",
    "outils",
    "logiciels",
    "permis",
    "sportives",
    "culturelles",
    "activites",
];

/// The section a heading opens, if the text reads as a heading.
pub fn classify_heading(text: &str) -> Option<Kind> {
    let text = text.trim().trim_end_matches([':', '.', ' ']).trim();
    if text.is_empty() || text.chars().any(|c| c.is_ascii_digit()) || text.chars().count() > 60 {
        return None;
    }
    let folded = fold(text);
    if folded.is_empty() {
        return None;
    }
    if let Some(&(_, kind)) = PHRASES.iter().find(|(p, _)| *p == folded) {
        return Some(kind);
    }
    let words: Vec<&str> = folded.split(' ').collect();
    if words.len() > 6 {
        return None;
    }
    // Multi-word phrases followed by qualifiers ("Centres d'intérêt et loisirs").
    for (phrase, kind) in PHRASES {
        if let Some(rest) = folded.strip_prefix(phrase) {
            if rest.starts_with(' ') && rest.split(' ').filter(|w| !w.is_empty()).all(is_vocab) {
                return Some(*kind);
            }
        }
    }
    let mut kind = None;
    for w in &words {
        match KEYWORDS.iter().find(|(k, _)| k == w) {
            Some(&(_, k)) => {
                if kind.is_none() {
                    kind = Some(k);
                }
            }
            None if QUALIFIERS.contains(w) => {}
            None => return None,
        }
    }
    // A qualifier alone ("Formations" is a keyword; "Emploi" or "Parcours" alone too).
    if kind.is_none() && words.len() == 1 {
        kind = match words[0] {
            "parcours" | "emploi" => Some(Kind::Experience),
            "formations" | "formation" | "diplomes" | "diplome" => Some(Kind::Education),
            "langues" => Some(Kind::Languages),
            "competences" | "outils" | "logiciels" => Some(Kind::Skills),
            "permis" => Some(Kind::Licences),
            "loisirs" | "interets" | "activites" => Some(Kind::Interests),
            "certifications" => Some(Kind::Certifications),
            _ => None,
        };
    }
    if kind.is_none() {
        // Keyword found via the qualifier lists ("Formation continue", "Langues étrangères").
        kind = words.iter().find_map(|w| match *w {
            "formation" | "formations" | "diplomes" | "diplome" => Some(Kind::Education),
            "langues" => Some(Kind::Languages),
            "competences" | "outils" | "logiciels" => Some(Kind::Skills),
            "permis" => Some(Kind::Licences),
            "loisirs" | "interets" => Some(Kind::Interests),
            "certifications" => Some(Kind::Certifications),
            "parcours" | "emploi" => Some(Kind::Experience),
            _ => None,
        });
    }
    kind
}

fn is_vocab(w: &str) -> bool {
    QUALIFIERS.contains(&w) || KEYWORDS.iter().any(|(k, _)| *k == w)
}

/// Kinds whose content may follow the heading on the same line ("Langues : anglais C1").
fn inline_allowed(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Skills | Kind::Languages | Kind::Licences | Kind::Interests | Kind::Certifications | Kind::PublicService
    )
}

/// "Heading : content" → (kind, content).
pub fn inline_heading(text: &str) -> Option<(Kind, String)> {
    let (label, rest) = text.split_once(':')?;
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    let kind = classify_heading(label)?;
    // "Languages: Rust, Go" in a skills list names programming languages.
    if kind == Kind::Languages && !crate::languages::names_language(rest) {
        return None;
    }
    inline_allowed(kind).then(|| (kind, rest.to_string()))
}

/// Splits the lines into sections. Lines before the first heading form the header.
pub fn split(lines: &[Line]) -> Vec<Section> {
    let mut sections = vec![Section { kind: Kind::Header, heading: None, lines: Vec::new() }];
    // Markdown level of the heading that opened the current section.
    let mut level: Option<u8> = None;
    let mut started = false;
    for line in lines {
        let current = sections.last().map(|s| s.kind).unwrap_or(Kind::Header);
        let known = classify_heading(&line.text);
        if let Some(n) = line.md_heading {
            match known {
                Some(kind) => {
                    open(&mut sections, kind, &line.text);
                    level = Some(n);
                    started = true;
                    continue;
                }
                None if !started => {}
                None if level.is_some_and(|l| n > l) => {}
                None if vivier_sdk::dates::contains_date(&line.text)
                    && matches!(current, Kind::Experience | Kind::Education) => {}
                None => {
                    open(&mut sections, Kind::Other, &line.text);
                    level = Some(n);
                    continue;
                }
            }
        } else if !line.bullet || line.icon {
            if let Some(kind) = known {
                open(&mut sections, kind, &line.text);
                level = None;
                started = true;
                continue;
            }
            if let Some((kind, rest)) = inline_heading(&line.text) {
                open(&mut sections, kind, &line.text);
                if let Some(s) = sections.last_mut() {
                    s.heading = line.text.split_once(':').map(|(h, _)| h.trim().to_string());
                    s.lines.push(Line { text: rest, ..line.clone() });
                }
                // What follows belongs to the section we were in.
                sections.push(Section { kind: current, heading: None, lines: Vec::new() });
                started = true;
                continue;
            }
            if line.underlined && started {
                open(&mut sections, Kind::Other, &line.text);
                level = None;
                continue;
            }
        }
        if let Some(s) = sections.last_mut() {
            s.lines.push(line.clone());
        }
    }
    sections.retain(|s| s.kind == Kind::Header || s.heading.is_some() || !s.lines.is_empty());
    sections
}

fn open(sections: &mut Vec<Section>, kind: Kind, heading: &str) {
    sections.push(Section {
        kind,
        heading: Some(heading.trim().trim_end_matches(':').trim().to_string()),
        lines: Vec::new(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::prepare;

    #[test]
    fn heading_wordings() {
        let cases: &[(&str, Kind)] = &[
            ("Expérience professionnelle", Kind::Experience),
            ("Expériences", Kind::Experience),
            ("EXPÉRIENCES", Kind::Experience),
            ("EXPERIENCES PROFESSIONNELLES", Kind::Experience),
            ("Parcours", Kind::Experience),
            ("Parcours professionnel", Kind::Experience),
            ("Mon parcours", Kind::Experience),
            ("Mon parcours professionnel", Kind::Experience),
            ("Ma formation", Kind::Education),
            ("Mes atouts", Kind::Skills),
            ("Atouts", Kind::Skills),
            ("Work history", Kind::Experience),
            ("Experience", Kind::Experience),
            ("Experiencia", Kind::Experience),
            ("Educación", Kind::Education),
            ("Professional Experience", Kind::Experience),
            ("Compétences", Kind::Skills),
            ("Compétences clés", Kind::Skills),
            ("Savoir-faire", Kind::Skills),
            ("Skills", Kind::Skills),
            ("Compétences techniques :", Kind::Skills),
            ("Formation", Kind::Education),
            ("Formations", Kind::Education),
            ("Diplômes", Kind::Education),
            ("Formation et diplômes", Kind::Education),
            ("Education", Kind::Education),
            ("Langues", Kind::Languages),
            ("Langues étrangères", Kind::Languages),
            ("Languages", Kind::Languages),
            ("Centres d'intérêt", Kind::Interests),
            ("CENTRES D'INTÉRÊTS", Kind::Interests),
            ("Loisirs", Kind::Interests),
            ("Interests", Kind::Interests),
            ("Certifications", Kind::Certifications),
            ("Permis", Kind::Licences),
            ("Permis de conduire", Kind::Licences),
            ("Profil", Kind::Summary),
            ("Situation administrative", Kind::PublicService),
            ("Projets", Kind::Other),
        ];
        for (text, kind) in cases {
            assert_eq!(classify_heading(text), Some(*kind), "{text}");
        }
        for text in [
            "Chargée de mission RH",
            "Formation des agents au logiciel de paie",
            "Mairie de Lyon",
            "2019 - 2021 Expérience",
            "Experience in project management and budgeting for public bodies",
        ] {
            assert_eq!(classify_heading(text), None, "{text}");
        }
    }

    #[test]
    fn headings_behind_an_icon() {
        let p = prepare("Lina Moreau\n\u{f0b1} EXPÉRIENCE PROFESSIONNELLE\n2019 - 2021 Assistante, Mairie\n\u{f19d} FORMATION\n2018 Licence AES\n- Formation\n");
        let kinds: Vec<Kind> = split(&p.lines).iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [Kind::Header, Kind::Experience, Kind::Education]);
    }

    #[test]
    fn split_markdown_and_inline() {
        let text = "# Jeanne Martin\nChargée de mission\n\n## Expériences\n### Assistante — Mairie\n2019 - 2021\n\nCOMPÉTENCES\n- Paie\nLangues : anglais (B2)\nExcel\n";
        let sections = split(&prepare(text).lines);
        let kinds: Vec<Kind> = sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [Kind::Header, Kind::Experience, Kind::Skills, Kind::Languages, Kind::Skills]);
        assert_eq!(sections[1].lines.len(), 2);
        assert_eq!(sections[3].lines[0].text, "anglais (B2)");
        assert_eq!(sections[4].lines[0].text, "Excel");
    }
}
