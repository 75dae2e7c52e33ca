//! The passages of a profile that get embedded ("chunks"), each with the strength of what it
//! proves: a described experience proves more than a bare skills list, and a long list of skills
//! proves less per item (keyword stuffing), the same rule as the lexical matcher's.

use vivier_matcher_lexical::analysis::truncate;
use vivier_matcher_lexical::profile::{listed_skills, skill_credibility};
use vivier_sdk::skills_matcher::Profile;

/// Longest chunk text, in characters (E5 reads 512 tokens at most; shorter is sharper).
pub const MAX_CHUNK_CHARS: usize = 600;
/// Most chunks per profile, so a very long CV cannot flood the host with texts.
pub const MAX_CHUNKS: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// French label shown before evidence ("Expérience", "Compétences").
    pub label: &'static str,
    pub text: String,
    pub strength: f32,
}

fn push(out: &mut Vec<Chunk>, label: &'static str, text: &str, strength: f32) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 3 || out.len() >= MAX_CHUNKS {
        return;
    }
    let text = truncate(&text, MAX_CHUNK_CHARS);
    if !out.iter().any(|c| c.text == text) {
        out.push(Chunk { label, text, strength });
    }
}

/// The profile's chunks in a fixed order: experiences (whole, then line by line when they have
/// several lines, each line with its job title), summary, diplomas, certifications, skills,
/// interests.
pub fn chunks(profile: &Profile) -> Vec<Chunk> {
    let mut out = Vec::new();
    for e in &profile.experiences {
        let whole = if e.description.trim().is_empty() {
            e.title.clone()
        } else {
            format!("{} : {}", e.title.trim(), e.description.trim())
        };
        push(&mut out, "Expérience", &whole, 1.0);
    }
    for e in &profile.experiences {
        let lines: Vec<&str> = e
            .description
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '*', '•', '–', '·']).trim())
            .filter(|l| l.len() >= 12)
            .collect();
        if lines.len() >= 2 {
            for line in lines {
                push(&mut out, "Expérience", &format!("{} : {line}", e.title.trim()), 1.0);
            }
        }
    }
    let head: Vec<&str> = profile.headline.iter().chain(profile.summary.iter()).map(String::as_str).collect();
    push(&mut out, "Résumé", &head.join(". "), 0.8);
    for e in &profile.education {
        push(&mut out, "Formation", &e.degree, 0.85);
    }
    let certs: Vec<&str> = profile.certifications.iter().map(|c| c.name.as_str()).collect();
    push(&mut out, "Certification", &certs.join(" ; "), 0.85);
    let skills: Vec<String> = profile
        .skills
        .iter()
        .map(|s| {
            let mut parts = vec![s.label.as_str()];
            parts.extend(s.evidence.iter().map(String::as_str));
            parts.join(" : ")
        })
        .collect();
    push(&mut out, "Compétences", &skills.join(" ; "), 0.75 * skill_credibility(listed_skills(profile)));
    push(&mut out, "Centres d'intérêt", &profile.interests.join(" ; "), 0.3);
    out
}

/// The text the model reads for a chunk: the host's gender-neutral double forms of job words
/// ("assistant/assistante social/sociale") reduced to their first form. Every candidate's
/// titles are neutralised alike, so nothing is lost for comparing them, while the model, which
/// rarely met such doubled words in training, reads the plain form much better. Slashes between
/// unrelated words ("AP/CP", "et/ou", dates) are kept.
pub fn for_model(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match double_form(word) {
            Some((first, punctuation)) => {
                out.push_str(first);
                out.push_str(punctuation);
            }
            None => out.push_str(word),
        }
    }
    out
}

/// "assistante/assistant," → ("assistante", ","): two forms of one word (same first three
/// letters), and what punctuation follows the pair.
fn double_form(word: &str) -> Option<(&str, &str)> {
    let (first, rest) = word.split_once('/')?;
    let second = rest.trim_end_matches(|c: char| !c.is_alphanumeric());
    let punctuation = &rest[second.len()..];
    let is_word = |w: &str| w.chars().count() >= 3 && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'');
    let stem = |w: &str| w.chars().take(3).flat_map(char::to_lowercase).collect::<String>();
    (is_word(first) && is_word(second) && stem(first) == stem(second)).then_some((first, punctuation))
}
