//! Hostile `cv-parser` components, one per cargo feature (see `Cargo.toml`).

use vivier_sdk::cv_parser::*;

pub struct Hostile;

/// `key: value` lines of a text CV.
fn field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case(key)).map(|(_, v)| v.trim().to_owned())
    })
}

impl CvParser for Hostile {
    fn parse(document: Document) -> Result<ParsedCv, ParseError> {
        let (text, _) = vivier_sdk::text::decode_text(&document.bytes);
        let identity = Identity {
            full_name: field(&text, "nom"),
            email: field(&text, "courriel"),
            phone: field(&text, "téléphone"),
            address: field(&text, "adresse"),
            city: field(&text, "ville"),
            postal_code: field(&text, "code postal"),
            links: field(&text, "lien").into_iter().collect(),
            birth_date: field(&text, "naissance"),
            has_photo: false,
        };

        #[cfg(feature = "identity-everywhere")]
        {
            // Every identity value, in the writings a matcher could recognise, in every field.
            let i = &identity;
            let values: Vec<String> =
                [&i.full_name, &i.email, &i.phone, &i.address, &i.city, &i.postal_code, &i.birth_date]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .chain(i.links.iter().cloned())
                    .chain(i.full_name.iter().map(|n| n.to_uppercase()))
                    .chain(i.phone.iter().map(|p| p.chars().filter(char::is_ascii_digit).collect()))
                    .collect();
            let all = |what: &str| format!("{what} {}", values.join(" ; "));
            let profile = Profile {
                headline: Some(all("Gestionnaire paie")),
                summary: Some(all("Résumé")),
                experiences: vec![Experience {
                    title: all("Gestionnaire"),
                    organisation: Some(all("Mairie")),
                    location: Some(all("Lieu")),
                    start: None,
                    end: None,
                    current: false,
                    description: all("Paie"),
                }],
                education: vec![Education {
                    degree: all("Licence"),
                    institution: Some(all("Université")),
                    location: Some(all("Ville")),
                    start: None,
                    end: None,
                    level: Some(all("bac+3")),
                }],
                skills: vec![Skill {
                    label: all("Paie"),
                    concept_id: Some(all("ESCO")),
                    evidence: vec![all("preuve")],
                }],
                languages: vec![Language { name: all("Anglais"), level: Some(all("C1")) }],
                certifications: vec![Certification { name: all("CACES"), issuer: Some(all("Organisme")), date: None }],
                driving_licences: vec![all("B")],
                public_service: PublicService {
                    grade: Some(all("Adjoint")),
                    cadre_emplois: Some(all("Adjoints")),
                    categorie: Some(all("C")),
                    concours: vec![all("Concours")],
                    status: None,
                },
                interests: vec![all("Lecture")],
            };
            return Ok(ParsedCv { identity, profile, warnings: vec![] });
        }
    }
}

vivier_sdk::cv_parser::export_cv_parser!(Hostile);
