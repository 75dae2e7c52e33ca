//! The naive keyword-overlap baseline of `vivier eval rank`: computed by the host, not a plugin,
//! and shown only as a reference column. Score = share of the posting's distinct skill words
//! (required and optional skills, title) found anywhere in the profile's text. No synonyms, no
//! stemming, no weighting: the floor any matcher must beat.

use crate::model::Profile;
use crate::posting::JobPosting;
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// Short grammatical words that would match everywhere.
const STOP: &[&str] = &[
    "de", "des", "du", "la", "le", "les", "et", "en", "un", "une", "au", "aux", "a", "d", "l", "pour", "par", "sur",
    "avec", "dans", "ou", "the", "and", "of", "to", "in", "for",
];

/// Lower-case words without accents.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| {
        w.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
    })
}

fn profile_text(p: &Profile) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(p.headline.as_deref());
    parts.extend(p.summary.as_deref());
    for e in &p.experiences {
        parts.push(&e.title);
        parts.push(&e.description);
        parts.extend(e.organisation.as_deref());
    }
    for e in &p.education {
        parts.push(&e.degree);
    }
    for s in &p.skills {
        parts.push(&s.label);
    }
    for c in &p.certifications {
        parts.push(&c.name);
    }
    for l in &p.languages {
        parts.push(&l.name);
    }
    parts.extend(p.interests.iter().map(String::as_str));
    parts.join(" ")
}

/// Share of the posting's keywords present in the profile, in [0, 1].
pub fn score(posting: &JobPosting, profile: &Profile) -> f64 {
    let keywords: HashSet<String> = posting
        .required_skills
        .iter()
        .chain(&posting.optional_skills)
        .chain(std::iter::once(&posting.title))
        .flat_map(|s| words(s).collect::<Vec<_>>())
        .filter(|w| w.chars().count() > 1 && !STOP.contains(&w.as_str()))
        .collect();
    if keywords.is_empty() {
        return 0.0;
    }
    let text = profile_text(profile);
    let present: HashSet<String> = words(&text).collect();
    keywords.iter().filter(|k| present.contains(*k)).count() as f64 / keywords.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Experience;

    #[test]
    fn share_of_posting_words_found() {
        let posting = JobPosting {
            id: "p".into(),
            title: "Gestionnaire paie".into(),
            filiere: String::new(),
            categorie: String::new(),
            cadre_emplois: String::new(),
            service: String::new(),
            missions: vec![],
            required_skills: vec!["Paie des agents".into()],
            optional_skills: vec!["Excel".into()],
            min_experience_years: 0.0,
        };
        // Keywords: gestionnaire, paie, agents, excel.
        let profile = Profile {
            experiences: vec![Experience {
                title: "Gestionnaire".into(),
                description: "Préparation de la PAIE".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!((score(&posting, &profile) - 0.5).abs() < 1e-9);
        assert_eq!(words("Rémunération, É").collect::<Vec<_>>(), ["remuneration", "e"]);
    }
}
