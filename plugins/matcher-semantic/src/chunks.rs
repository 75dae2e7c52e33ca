//! The passages of a profile that get embedded ("chunks"), each with the strength of what it
//! proves: a described experience proves more than a bare skills list, and a long list of skills
//! proves less per item (keyword stuffing), the same rule as the lexical matcher's.

use std::collections::HashMap;
use std::sync::OnceLock;
use vivier_matcher_lexical::analysis::truncate;
use vivier_matcher_lexical::profile::{keyword_list_items, listed_skills, skill_credibility};
use vivier_sdk::skills_matcher::Profile;

/// Longest chunk text, in characters (E5 reads 512 tokens at most; shorter is sharper).
pub const MAX_CHUNK_CHARS: usize = 600;
/// What a list of skills or keywords proves at most, before the long-list discount.
const LIST_STRENGTH: f32 = 0.75;
/// Most chunks per profile, so a very long CV cannot flood the host with texts.
pub const MAX_CHUNKS: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// French label shown before evidence ("Expérience", "Compétences").
    pub label: &'static str,
    pub text: String,
    pub strength: f32,
    /// The experience (index in the profile) the chunk comes from.
    pub experience: Option<usize>,
}

fn push(out: &mut Vec<Chunk>, label: &'static str, text: &str, strength: f32) {
    push_from(out, label, text, strength, None);
}

fn push_from(out: &mut Vec<Chunk>, label: &'static str, text: &str, strength: f32, experience: Option<usize>) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 3 || out.len() >= MAX_CHUNKS {
        return;
    }
    let text = truncate(&text, MAX_CHUNK_CHARS);
    if !out.iter().any(|c| c.text == text) {
        out.push(Chunk { label, text, strength, experience });
    }
}

/// The profile's chunks in a fixed order: experiences (whole, then line by line when they have
/// several lines, each line with its job title), summary, diplomas, certifications, skills,
/// interests.
pub fn chunks(profile: &Profile) -> Vec<Chunk> {
    let mut out = Vec::new();
    for (i, e) in profile.experiences.iter().enumerate() {
        let whole = if e.description.trim().is_empty() {
            e.title.clone()
        } else {
            format!("{} : {}", e.title.trim(), e.description.trim())
        };
        push_from(&mut out, "Expérience", &whole, 1.0, Some(i));
    }
    for (i, e) in profile.experiences.iter().enumerate() {
        let lines: Vec<&str> = e
            .description
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '*', '•', '–', '·']).trim())
            .filter(|l| l.len() >= 12)
            .collect();
        if lines.len() >= 2 {
            for line in lines {
                push_from(&mut out, "Expérience", &format!("{} : {line}", e.title.trim()), 1.0, Some(i));
            }
        }
    }
    let credibility = skill_credibility(listed_skills(profile));
    let head: Vec<&str> = profile.headline.iter().chain(profile.summary.iter()).map(String::as_str).collect();
    let head = head.join(". ");
    // A summary that is a keyword list proves what a skills list proves.
    let head_strength = if keyword_list_items(&head).is_some() { LIST_STRENGTH * credibility } else { 0.8 };
    push(&mut out, "Résumé", &head, head_strength);
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
    push(&mut out, "Compétences", &skills.join(" ; "), LIST_STRENGTH * credibility);
    push(&mut out, "Centres d'intérêt", &profile.interests.join(" ; "), 0.3);
    out
}

/// The text the model reads for a chunk: the host's gender-neutral double forms of job words
/// ("assistant/assistante social/sociale") reduced to their first form. Every candidate's
/// titles are neutralised alike, so nothing is lost for comparing them, while the model, which
/// rarely met such doubled words in training, reads the plain form much better. Slashes between
/// unrelated words ("AP/CP", "et/ou", dates) are kept.
///
/// Known abbreviations of the public sector ("APA", "ASE", "DSN": the lexical matcher's synonym
/// table) get their long form after them, so that a CV that writes only the acronym meets a
/// posting that spells it out in the model too; a small model knows few of them.
pub fn for_model(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // Trailing punctuation ("sociale,", "APA)") stays after what replaces the word.
        let core = word.trim_end_matches(|c: char| !c.is_alphanumeric());
        let tail = &word[core.len()..];
        out.push_str(double_form(core).unwrap_or(core));
        if let Some(long) = acronyms().get(core.trim_start_matches(|c: char| !c.is_alphanumeric())) {
            out.push_str(" (");
            out.push_str(long);
            out.push(')');
        }
        out.push_str(tail);
    }
    out
}

/// "assistante/assistant" → "assistante": two forms of one word (same first three letters).
fn double_form(word: &str) -> Option<&str> {
    let (first, second) = word.split_once('/')?;
    let is_word = |w: &str| w.chars().count() >= 3 && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'');
    let stem = |w: &str| w.chars().take(3).flat_map(char::to_lowercase).collect::<String>();
    (is_word(first) && is_word(second) && stem(first) == stem(second)).then_some(first)
}

/// Acronym → its first spelled-out form, from the lexical matcher's synonym groups.
fn acronyms() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for group in vivier_matcher_lexical::synonyms::GROUPS {
            let Some(long) = group.iter().find(|p| p.contains(' ') && p.starts_with(char::is_lowercase)) else {
                continue;
            };
            for short in group.iter().filter(|p| is_acronym(p)) {
                map.entry(*short).or_insert(*long);
            }
        }
        map
    })
}

/// "APA", "PSC1", "GRH": two to six capitals and digits, at least two capitals.
fn is_acronym(word: &str) -> bool {
    (2..=6).contains(&word.len())
        && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && word.chars().filter(char::is_ascii_uppercase).count() >= 2
}
