//! Lexical assessment of candidates against a posting. Plain Rust, no host calls: unit-testable
//! natively. The host-facing glue lives in `lib.rs`.

use crate::analysis::{excerpt, find_sequence, is_number, significant, tokenize, truncate, Token};
use crate::profile::{self, interval, union_months, Source, SourceKind};
use crate::report;
use crate::synonyms;
use crate::taxonomy;
use vivier_sdk::skills_matcher::{
    Assessment, Candidate, MatchError, Posting, Profile, Requirement, RequirementAssessment, RequirementKind,
    RequirementStatus,
};

/// Longest evidence excerpt, label included.
pub const MAX_EVIDENCE_CHARS: usize = 160;
/// Most requirements derived from a posting description when the posting lists none.
const MAX_DESCRIPTION_REQUIREMENTS: usize = 20;

/// Settings an administrator may set through the `config` import.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Weighted coverage of a requirement's terms (0-1] that makes it "partial" (`partial-threshold`).
    pub partial_threshold: f32,
    /// Current month as a month index (year × 12 + month − 1), for positions still held
    /// (`reference-date`, "YYYY-MM"). `None`: positions still held count up to their start.
    pub reference_month: Option<i32>,
    /// Most evidence excerpts per requirement (`max-evidence`).
    pub max_evidence: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { partial_threshold: 0.3, reference_month: None, max_evidence: 3 }
    }
}

impl Settings {
    /// Reads settings through `get` (the `config` import in the component). Invalid values are
    /// ignored and reported in the returned list, so the caller can log them.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> (Settings, Vec<String>) {
        let mut s = Settings::default();
        let mut problems = Vec::new();
        if let Some(v) = get("partial-threshold") {
            match v.trim().parse::<f32>() {
                Ok(t) if t > 0.0 && t <= 1.0 => s.partial_threshold = t,
                _ => problems.push(format!("partial-threshold ignoré : {v:?} n'est pas un nombre dans ]0, 1]")),
            }
        }
        if let Some(v) = get("reference-date") {
            match parse_reference(&v) {
                Some(m) => s.reference_month = Some(m),
                None => problems.push(format!("reference-date ignoré : {v:?} n'est pas au format AAAA-MM")),
            }
        }
        if let Some(v) = get("max-evidence") {
            match v.trim().parse::<usize>() {
                Ok(n) if (1..=10).contains(&n) => s.max_evidence = n,
                _ => problems.push(format!("max-evidence ignoré : {v:?} n'est pas un entier entre 1 et 10")),
            }
        }
        (s, problems)
    }
}

/// "2025-03", "2025/03" or "2025-03-14" as a month index.
pub fn parse_reference(value: &str) -> Option<i32> {
    let mut parts = value.trim().split(['-', '/']);
    let year: i32 = parts.next()?.parse().ok()?;
    let month: i32 = parts.next()?.parse().ok()?;
    ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(year * 12 + month - 1)
}

/// One thing a requirement asks for: alternative phrasings (stem sequences), any one of which
/// covers it ("paie" or "rémunération").
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    pub alternatives: Vec<Vec<String>>,
    /// Importance of the concept within its requirement: specific words weigh 1, words common
    /// across ESCO skills and ROME job titles ("gestion", "agent") less ([`taxonomy::term_weight`]).
    pub weight: f32,
    /// `alternatives` as interned stem ids ([`Vocabulary`]), set once per call by [`assess`]:
    /// profiles are searched by comparing integers, not strings.
    pub ids: Vec<Vec<u32>>,
}

/// Groups significant tokens into concepts, merging synonym phrases ("protection maternelle et
/// infantile" is one concept, also covered by "PMI").
pub fn concepts(tokens: &[Token]) -> Vec<Concept> {
    let stems: Vec<String> = tokens.iter().map(|t| t.stem.clone()).collect();
    let mut out: Vec<Concept> = Vec::new();
    let mut i = 0;
    while i < stems.len() {
        let (len, alternatives) = match synonyms::longest_match(&stems[i..]) {
            Some((len, group)) => (len, group),
            None => (1, vec![vec![stems[i].clone()]]),
        };
        // A phrase weighs as much as its most specific word.
        let weight = stems[i..i + len].iter().map(|s| taxonomy::term_weight(s)).fold(0.0f32, f32::max);
        let concept = Concept { alternatives, weight, ids: Vec::new() };
        if !out.contains(&concept) {
            out.push(concept);
        }
        i += len;
    }
    out
}

/// How a requirement is checked, decided once per posting.
#[derive(Debug, Clone)]
enum Plan {
    /// No significant term: every candidate gets the same neutral "partial".
    Neutral,
    Generic(Vec<Concept>),
    /// Driving licence categories (all of them, or any of them for "C ou CE").
    Licence {
        categories: Vec<String>,
        any: bool,
        concepts: Vec<Concept>,
    },
    Language {
        concepts: Vec<Concept>,
        level: Option<u8>,
    },
    Education {
        concepts: Vec<Concept>,
        level: i8,
    },
    /// "Expérience professionnelle d'au moins 3 ans": the host's total months of experience.
    TotalMonths {
        months: u32,
    },
    /// "3 ans d'expérience en …": months of matching experiences.
    Duration {
        concepts: Vec<Concept>,
        months: u32,
    },
}

#[derive(Debug, Clone)]
struct Prepared {
    requirement: Requirement,
    weight: f32,
    plan: Plan,
}

/// What one requirement check found for one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: RequirementStatus,
    pub evidence: Vec<String>,
    /// One strong source holds every concept (the requirement phrase appears).
    pub whole_phrase: bool,
    /// Share of the requirement's weight the candidate earns, in [0, 1]: 0 when missing.
    pub credit: f32,
}

impl Outcome {
    fn new(status: RequirementStatus, evidence: Vec<String>) -> Self {
        let credit = match status {
            RequirementStatus::Met => 1.0,
            RequirementStatus::Partial => 0.5,
            RequirementStatus::Missing => 0.0,
        };
        Outcome { status, evidence, whole_phrase: false, credit }
    }
}

const LICENCE_CATEGORIES: &[&str] =
    &["am", "a1", "a2", "a", "b", "b1", "be", "c1", "c1e", "c", "ce", "d1", "d1e", "d", "de"];

const LANGUAGE_FRAME: &[&str] = &["langue", "langues", "lu", "ecrit", "parle", "oral", "niveau", "cecrl", "cadre"];

/// Level words and CEFR codes, on a 1 (A1) to 6 (C2) scale.
fn language_level_word(folded: &str) -> Option<u8> {
    Some(match folded {
        "a1" | "notions" | "notion" | "debutant" | "debutante" => 1,
        "a2" | "elementaire" | "scolaire" => 2,
        "b1" | "intermediaire" => 3,
        "b2" | "courant" | "courante" | "professionnel" | "professionnelle" | "operationnel" | "operationnelle" => 4,
        "c1" | "avance" | "avancee" | "confirme" | "confirmee" | "fluent" => 5,
        "c2" | "bilingue" | "natif" | "native" | "maternelle" => 6,
        _ => return None,
    })
}

fn language_level(tokens: &[Token]) -> Option<u8> {
    tokens.iter().filter_map(|t| language_level_word(&t.folded)).max()
}

/// Degree words and their "bac+N" level.
fn degree_level(folded: &str) -> Option<i8> {
    Some(match folded {
        "cap" | "bep" => -1,
        "bts" | "dut" | "deug" | "deust" => 2,
        "licence" | "bachelor" => 3,
        "master" | "mastere" | "ingenieur" | "dea" | "dess" => 5,
        "doctorat" | "phd" => 8,
        _ => return None,
    })
}

/// "bac+3", "niveau bac", "master": the highest level a text names.
fn education_level(tokens: &[Token], degree_words: bool) -> Option<i8> {
    let mut best: Option<i8> = None;
    for (i, t) in tokens.iter().enumerate() {
        let level = if t.folded == "bac" {
            match tokens.get(i + 1).and_then(|n| n.folded.parse::<i8>().ok()) {
                Some(n) if (0..=8).contains(&n) => Some(n),
                _ => Some(0),
            }
        } else if degree_words {
            degree_level(&t.folded)
        } else {
            None
        };
        if let Some(l) = level {
            best = Some(best.map_or(l, |b| b.max(l)));
        }
    }
    best
}

fn number_word(folded: &str) -> Option<u32> {
    if is_number(folded) {
        return folded.parse().ok().filter(|n| *n <= 60);
    }
    Some(match folded {
        "un" | "une" | "one" => 1,
        "deux" | "two" => 2,
        "trois" | "three" => 3,
        "quatre" | "four" => 4,
        "cinq" | "five" => 5,
        "six" => 6,
        "sept" | "seven" => 7,
        "huit" | "eight" => 8,
        "neuf" | "nine" => 9,
        "dix" | "ten" => 10,
        _ => return None,
    })
}

/// The duration a requirement asks for, in months ("3 ans", "18 mois", "deux années").
fn required_months(tokens: &[Token]) -> Option<u32> {
    let mut best = None;
    for (i, t) in tokens.iter().enumerate() {
        let Some(n) = number_word(&t.folded) else {
            continue;
        };
        // "trois (3) ans": the unit may come one word later.
        for next in tokens.iter().skip(i + 1).take(2) {
            let months = match next.folded.as_str() {
                "an" | "ans" | "annee" | "annees" | "year" | "years" => Some(n * 12),
                "mois" | "month" | "months" => Some(n),
                _ => None,
            };
            if let Some(m) = months {
                best = Some(best.map_or(m, |b: u32| b.max(m)));
                break;
            }
        }
    }
    best.filter(|m| *m > 0)
}

/// Licence categories a requirement names, if it is about a driving licence.
fn licence_plan(tokens: &[Token], kind: RequirementKind) -> Option<(Vec<String>, bool)> {
    let mut categories: Vec<String> = Vec::new();
    let mut any = false;
    let mut about_licence = kind == RequirementKind::Licence;
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].folded == "permis" {
            let mut j = i + 1;
            if tokens.get(j).is_some_and(|t| t.folded == "de")
                && tokens.get(j + 1).is_some_and(|t| t.folded == "conduire")
            {
                about_licence = true;
                j += 2;
            }
            while let Some(t) = tokens.get(j) {
                let f = t.folded.as_str();
                if LICENCE_CATEGORIES.contains(&f) {
                    about_licence = true;
                    if !categories.iter().any(|c| c == f) {
                        categories.push(f.to_owned());
                    }
                } else if f == "ou" {
                    any = true;
                } else if !matches!(f, "et" | "categorie" | "categories") {
                    break;
                }
                j += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if kind == RequirementKind::Licence && categories.is_empty() {
        let lone = tokens.len() == 1;
        for t in tokens {
            let f = t.folded.as_str();
            if LICENCE_CATEGORIES.contains(&f)
                && (lone || !matches!(f, "a" | "de"))
                && !categories.iter().any(|c| c == f)
            {
                categories.push(f.to_owned());
            }
        }
    }
    about_licence.then_some((categories, any))
}

/// Licence categories a candidate holds, with those implied by higher ones (C implies B).
fn held_licences(profile: &Profile) -> Vec<String> {
    let mut held: Vec<String> = Vec::new();
    let mut add = |c: &str| {
        if !held.iter().any(|h| h == c) {
            held.push(c.to_owned());
        }
    };
    for licence in &profile.driving_licences {
        for t in tokenize(licence) {
            let f = t.folded.as_str();
            if !LICENCE_CATEGORIES.contains(&f) {
                continue;
            }
            add(f);
            let implied: &[&str] = match f {
                "be" => &["b"],
                "c1" | "d1" => &["b"],
                "c1e" => &["b", "c1", "be"],
                "c" => &["b", "c1"],
                "ce" => &["b", "c", "c1", "be", "c1e"],
                "d" => &["b", "d1"],
                "d1e" => &["b", "d1", "be"],
                "de" => &["b", "d", "d1", "be", "d1e"],
                "a" => &["a2", "a1", "am"],
                "a2" => &["a1", "am"],
                "a1" => &["am"],
                _ => &[],
            };
            for i in implied {
                add(i);
            }
        }
    }
    held
}

fn prepare(requirement: &Requirement) -> Prepared {
    let weight = if requirement.weight.is_finite() && requirement.weight > 0.0 { requirement.weight } else { 1.0 };
    let all = tokenize(&requirement.label);
    let sig: Vec<Token> = all.iter().filter(|t| !t.stop && !is_number(&t.folded)).cloned().collect();
    let kind = requirement.kind;
    let plan = if let Some((categories, any)) = licence_plan(&all, kind) {
        Plan::Licence { categories, any, concepts: concepts(&sig) }
    } else if kind == RequirementKind::Language {
        let frame: Vec<Token> = sig
            .iter()
            .filter(|t| language_level_word(&t.folded).is_none() && !LANGUAGE_FRAME.contains(&t.folded.as_str()))
            .cloned()
            .collect();
        Plan::Language { concepts: concepts(&frame), level: language_level(&all) }
    } else if let (RequirementKind::Education, Some(level)) = (kind, education_level(&all, true)) {
        let domain: Vec<Token> = sig
            .iter()
            .filter(|t| {
                t.folded != "bac"
                    && degree_level(&t.folded).is_none()
                    && !matches!(t.folded.as_str(), "niveau" | "diplome" | "equivalent" | "equivalente" | "formation")
            })
            .cloned()
            .collect();
        Plan::Education { concepts: concepts(&domain), level }
    } else if let Some(months) = required_months(&all).filter(|_| {
        kind == RequirementKind::Experience
            || all.iter().any(|t| matches!(t.folded.as_str(), "experience" | "experiences" | "anciennete"))
    }) {
        // Words that only say "professional" name no domain: the requirement is about the total.
        let domain: Vec<Token> =
            sig.iter().filter(|t| !t.folded.starts_with("profession") && t.folded != "work").cloned().collect();
        if domain.is_empty() {
            Plan::TotalMonths { months }
        } else {
            Plan::Duration { concepts: concepts(&domain), months }
        }
    } else {
        let c = concepts(&sig);
        if c.is_empty() {
            Plan::Neutral
        } else {
            Plan::Generic(c)
        }
    };
    Prepared { requirement: requirement.clone(), weight, plan }
}

/// How this engine reads a requirement, for matchers that build on it (the semantic matcher):
/// whether it is open text (skills, activities: compared by terms) and whether it asks for a
/// duration (total or in a domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub open_text: bool,
    pub duration: bool,
}

pub fn reading(requirement: &Requirement) -> Reading {
    match prepare(requirement).plan {
        Plan::Generic(_) => Reading { open_text: true, duration: false },
        Plan::Duration { .. } => Reading { open_text: true, duration: true },
        Plan::TotalMonths { .. } => Reading { open_text: false, duration: true },
        _ => Reading { open_text: false, duration: false },
    }
}

/// The requirements an assessment covers: the posting's, or those read from its description.
pub fn effective_requirements(posting: &Posting) -> Result<Vec<Requirement>, MatchError> {
    if !posting.requirements.is_empty() {
        return Ok(posting.requirements.clone());
    }
    if posting.description.trim().is_empty() {
        return Err(MatchError::InvalidPosting("l'offre n'a ni exigences ni description : rien à comparer".to_owned()));
    }
    let derived = requirements_from_description(&posting.description);
    if derived.is_empty() {
        return Err(MatchError::InvalidPosting(
            "l'offre n'a pas d'exigences et sa description ne contient aucun terme exploitable".to_owned(),
        ));
    }
    Ok(derived)
}

/// Requirements read from a posting's description when it lists none: one per line, bullet or
/// sentence that has significant words.
pub fn requirements_from_description(description: &str) -> Vec<Requirement> {
    let mut out = Vec::new();
    let normalised = description.replace(". ", ".\n").replace(['•', ';'], "\n");
    for line in normalised.lines() {
        let chunk = line.trim().trim_start_matches(['-', '*', '–', '·']).trim().trim_end_matches('.').trim();
        if chunk.is_empty() || significant(chunk).is_empty() {
            continue;
        }
        let kind = if tokenize(chunk).iter().any(|t| t.folded.starts_with("experience")) {
            RequirementKind::Experience
        } else {
            RequirementKind::Other
        };
        out.push(Requirement {
            id: format!("d{}", out.len() + 1),
            label: truncate(chunk, MAX_EVIDENCE_CHARS),
            kind,
            weight: 1.0,
            mandatory: false,
            concept_id: None,
        });
        if out.len() == MAX_DESCRIPTION_REQUIREMENTS {
            break;
        }
    }
    out
}

/// Position of the first contiguous occurrence of `needle` in `hay`.
fn find_ids(hay: &[u32], needle: &[u32]) -> Option<usize> {
    let (first, rest) = needle.split_first()?;
    if *first == UNKNOWN || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i] == *first && hay[i + 1..i + needle.len()] == *rest)
}

/// Id of stems no requirement uses.
const UNKNOWN: u32 = u32::MAX;

/// The stems the posting's concepts use, numbered: each profile word is looked up once.
#[derive(Debug, Default)]
pub struct Vocabulary(rustc_hash::FxHashMap<String, u32>);

impl Vocabulary {
    fn intern(&mut self, stem: &str) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(stem.to_owned()).or_insert(next)
    }

    fn id(&self, stem: &str) -> u32 {
        self.0.get(stem).copied().unwrap_or(UNKNOWN)
    }

    /// Numbers every concept of the plans, and returns the vocabulary.
    fn build(prepared: &mut [Prepared]) -> Vocabulary {
        let mut v = Vocabulary::default();
        for p in prepared.iter_mut() {
            let concepts = match &mut p.plan {
                Plan::Generic(c) => c,
                Plan::Licence { concepts, .. }
                | Plan::Language { concepts, .. }
                | Plan::Education { concepts, .. }
                | Plan::Duration { concepts, .. } => concepts,
                Plan::Neutral | Plan::TotalMonths { .. } => continue,
            };
            for c in concepts.iter_mut() {
                c.ids = c.alternatives.iter().map(|alt| alt.iter().map(|s| v.intern(s)).collect()).collect();
            }
        }
        v
    }
}

/// Tags profile texts with the vocabulary's ids, remembering each word as written: across a
/// thousand profiles most words repeat, so each is folded and stemmed once per call.
pub struct Lexicon<'a> {
    vocabulary: &'a Vocabulary,
    /// Raw word → ids of its significant folded words (usually one, none for a stop word).
    memo: rustc_hash::FxHashMap<String, Vec<u32>>,
}

impl<'a> Lexicon<'a> {
    pub fn new(vocabulary: &'a Vocabulary) -> Self {
        Lexicon { vocabulary, memo: rustc_hash::FxHashMap::default() }
    }

    fn ids_of(&self, raw: &str) -> Vec<u32> {
        let mut out = Vec::new();
        crate::analysis::for_each_word(raw, |folded, _, _| {
            if !crate::analysis::is_stop(folded) && !is_number(folded) {
                out.push(self.vocabulary.id(&crate::analysis::stem(folded)));
            }
        });
        out
    }
}

impl profile::Tagger for Lexicon<'_> {
    fn tag(&mut self, text: &str) -> (Vec<u32>, Vec<(usize, usize)>) {
        // About one word in seven bytes of French: reserving once saves the regrowths.
        let mut ids = Vec::with_capacity(text.len() / 7 + 1);
        let mut spans = Vec::with_capacity(text.len() / 7 + 1);
        crate::analysis::for_each_raw_word(text, |raw, start, end| {
            let word_ids = match self.memo.get(raw) {
                Some(known) => known,
                None => {
                    let computed = self.ids_of(raw);
                    self.memo.entry(raw.to_owned()).or_insert(computed)
                }
            };
            for id in word_ids {
                ids.push(*id);
                spans.push((start, end));
            }
        });
        (ids, spans)
    }
}

/// Whether a source can hold any concept of the posting: a tagged source none of whose words is
/// in the posting's vocabulary (most items of a long skills list) is skipped without a search.
fn may_match(source: &Source) -> bool {
    !source.tokens.is_empty() || source.ids.iter().any(|&id| id != UNKNOWN)
}

/// Where a concept appears in a source: the byte span of the first matching alternative.
fn find_concept(concept: &Concept, source: &Source) -> Option<(usize, usize)> {
    if concept.ids.len() == concept.alternatives.len() && !source.spans.is_empty() {
        return concept.ids.iter().find_map(|alt| {
            find_ids(&source.ids, alt).map(|i| (source.spans[i].0, source.spans[i + alt.len() - 1].1))
        });
    }
    concept.alternatives.iter().find_map(|alt| {
        find_sequence(&source.tokens, alt).map(|i| (source.tokens[i].start, source.tokens[i + alt.len() - 1].end))
    })
}

fn evidence_line(source: &Source, start: usize, end: usize) -> String {
    let budget = MAX_EVIDENCE_CHARS - source.label.chars().count() - 3;
    format!("{} : {}", source.label, excerpt(&source.text, start, end, budget))
}

/// Weighted coverage at or above which a requirement is met (when every concept is found in a
/// strong source).
pub const MET_COVERAGE: f32 = 0.75;

/// Checks concepts against the sources `filter` keeps. Each concept counts with its weight and
/// with the strength of the best source that holds it (an experience description is worth more
/// than a bare skills list, see [`Source::strength`]). Met when the weighted coverage reaches
/// [`MET_COVERAGE`] with every concept in a strong source; partial when it reaches the
/// `partial-threshold`; missing otherwise. The credit is the coverage (0 when missing).
fn evaluate(
    concepts: &[Concept],
    sources: &[Source],
    filter: impl Fn(&Source) -> bool,
    settings: &Settings,
) -> Outcome {
    let n = concepts.len();
    if n == 0 {
        return Outcome::new(RequirementStatus::Partial, Vec::new());
    }
    // Per concept: (strength, source index, span) of its best source.
    type Hit = (f32, usize, (usize, usize));
    let mut best: Vec<Option<Hit>> = vec![None; n];
    let mut strong_found = vec![false; n];
    let mut whole: Option<(f32, usize, usize, usize)> = None;
    let mut hits: Vec<Option<(usize, usize)>> = Vec::with_capacity(n);
    for (si, source) in sources.iter().enumerate().filter(|(_, s)| filter(s) && may_match(s)) {
        hits.clear();
        hits.extend(concepts.iter().map(|c| find_concept(c, source)));
        for (ci, hit) in hits.iter().enumerate() {
            if let Some(span) = hit {
                strong_found[ci] |= source.strong();
                if best[ci].is_none_or(|(st, _, _)| source.strength > st) {
                    best[ci] = Some((source.strength, si, *span));
                }
            }
        }
        if source.strong() && n > 1 && hits.iter().all(Option::is_some) && whole.is_none_or(|w| source.strength > w.0) {
            let start = hits.iter().flatten().map(|s| s.0).min().unwrap_or(0);
            let end = hits.iter().flatten().map(|s| s.1).max().unwrap_or(0);
            whole = Some((source.strength, si, start, end));
        }
    }
    let total: f32 = concepts.iter().map(|c| c.weight).sum::<f32>().max(f32::MIN_POSITIVE);
    let earned: f32 = concepts.iter().zip(&best).map(|(c, b)| c.weight * b.map_or(0.0, |(st, _, _)| st)).sum();
    let coverage = (earned / total).clamp(0.0, 1.0);
    let status = if coverage >= MET_COVERAGE && strong_found.iter().all(|f| *f) {
        RequirementStatus::Met
    } else if coverage >= settings.partial_threshold {
        RequirementStatus::Partial
    } else {
        RequirementStatus::Missing
    };
    let mut evidence = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    if status != RequirementStatus::Missing {
        if let Some((_, si, start, end)) = whole {
            used.push(si);
            evidence.push(evidence_line(&sources[si], start, end));
        }
        let mut hits: Vec<&Hit> = best.iter().flatten().collect();
        // Strongest sources first; ties keep the profile's order.
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, si, (start, end)) in hits {
            if !used.contains(si) && used.len() < settings.max_evidence {
                used.push(*si);
                evidence.push(evidence_line(&sources[*si], *start, *end));
            }
        }
    }
    let credit = if status == RequirementStatus::Missing { 0.0 } else { coverage };
    Outcome { status, evidence, whole_phrase: whole.is_some() || (n == 1 && best[0].is_some()), credit }
}

fn cap_at_partial(outcome: Outcome) -> Outcome {
    match outcome.status {
        RequirementStatus::Met => Outcome { status: RequirementStatus::Partial, credit: 0.5, ..outcome },
        _ => Outcome { credit: outcome.credit.min(0.5), ..outcome },
    }
}

fn experience_months_line(title: &str, months: u32) -> String {
    format!("Expérience : {} ({months} mois)", truncate(title, MAX_EVIDENCE_CHARS - 30))
}

fn evaluate_duration(
    concepts: &[Concept],
    required: u32,
    profile: &Profile,
    sources: &[Source],
    settings: &Settings,
) -> Outcome {
    let n = concepts.len();
    let mut full: Vec<(usize, (i32, i32))> = Vec::new();
    let mut near: Vec<(usize, (i32, i32))> = Vec::new();
    let mut undated: Vec<usize> = Vec::new();
    for (i, exp) in profile.experiences.iter().enumerate() {
        let covered = match sources.iter().find(|s| s.kind == SourceKind::Experience(i)) {
            Some(source) => concepts.iter().filter(|c| find_concept(c, source).is_some()).count(),
            None => 0,
        };
        let is_full = covered == n;
        if !is_full && (covered == 0 || (covered as f32 / n as f32) < settings.partial_threshold) {
            continue;
        }
        match interval(exp, settings.reference_month) {
            Some(iv) if is_full => full.push((i, iv)),
            Some(iv) => near.push((i, iv)),
            None => undated.push(i),
        }
    }
    let full_months = union_months(full.iter().map(|(_, iv)| *iv).collect());
    let all_months = union_months(full.iter().chain(near.iter()).map(|(_, iv)| *iv).collect());
    let status = if full_months >= required {
        RequirementStatus::Met
    } else if all_months > 0 || !undated.is_empty() {
        RequirementStatus::Partial
    } else {
        // No dated experience: a mention elsewhere (skills, diplomas) is at most partial.
        return cap_at_partial(evaluate(concepts, sources, |s| !matches!(s.kind, SourceKind::Experience(_)), settings));
    };
    let mut evidence = Vec::new();
    for (i, iv) in full.iter().chain(near.iter()) {
        if evidence.len() >= settings.max_evidence {
            break;
        }
        let months = union_months(vec![*iv]);
        evidence.push(experience_months_line(&profile.experiences[*i].title, months));
    }
    for i in &undated {
        if evidence.len() >= settings.max_evidence {
            break;
        }
        evidence.push(format!(
            "Expérience : {} (durée non précisée)",
            truncate(&profile.experiences[*i].title, MAX_EVIDENCE_CHARS - 40)
        ));
    }
    // No computed total among the evidence: the host keeps only excerpts of the profile (with
    // a duration per experience), so a recruiter reads what the CV says.
    Outcome::new(status, evidence)
}

fn evaluate_language(
    concepts: &[Concept],
    level: Option<u8>,
    profile: &Profile,
    sources: &[Source],
    settings: &Settings,
) -> Outcome {
    if concepts.is_empty() {
        return Outcome::new(RequirementStatus::Partial, Vec::new());
    }
    let mut best: Option<(Option<u8>, usize)> = None;
    for (si, source) in sources.iter().enumerate() {
        let SourceKind::Language(li) = source.kind else {
            continue;
        };
        if concepts.iter().all(|c| find_concept(c, source).is_some()) {
            let held = profile.languages[li].level.as_deref().map(tokenize).and_then(|t| language_level(&t));
            if best.is_none_or(|(b, _)| held > b) {
                best = Some((held, si));
            }
        }
    }
    match best {
        Some((held, si)) => {
            let met = match (level, held) {
                (None, _) => true,
                (Some(required), Some(h)) => h >= required,
                (Some(_), None) => false,
            };
            let status = if met { RequirementStatus::Met } else { RequirementStatus::Partial };
            let source = &sources[si];
            Outcome::new(status, vec![evidence_line(source, 0, source.text.len())])
        }
        None => cap_at_partial(evaluate(concepts, sources, |_| true, settings)),
    }
}

fn evaluate_education(
    concepts: &[Concept],
    required: i8,
    profile: &Profile,
    sources: &[Source],
    settings: &Settings,
) -> Outcome {
    let mut held: Option<(i8, usize)> = None;
    for (i, e) in profile.education.iter().enumerate() {
        let from_level = e.level.as_deref().map(tokenize).and_then(|t| education_level(&t, true));
        let from_degree = education_level(&tokenize(&e.degree), true);
        if let Some(l) = from_level.max(from_degree) {
            if held.is_none_or(|(h, _)| l > h) {
                held = Some((l, i));
            }
        }
    }
    let level_ok = held.is_some_and(|(h, _)| h >= required);
    let in_education = if concepts.is_empty() {
        Outcome::new(RequirementStatus::Met, Vec::new())
    } else {
        evaluate(concepts, sources, |s| matches!(s.kind, SourceKind::Education(_)), settings)
    };
    let elsewhere = if concepts.is_empty() {
        Outcome::new(RequirementStatus::Missing, Vec::new())
    } else {
        evaluate(concepts, sources, |_| true, settings)
    };
    let status = if level_ok && in_education.status == RequirementStatus::Met {
        RequirementStatus::Met
    } else if level_ok
        || in_education.status != RequirementStatus::Missing && !concepts.is_empty()
        || elsewhere.status != RequirementStatus::Missing
    {
        RequirementStatus::Partial
    } else {
        RequirementStatus::Missing
    };
    let mut evidence = Vec::new();
    if let Some((_, i)) = held {
        if let Some(source) = sources.iter().find(|s| s.kind == SourceKind::Education(i)) {
            evidence.push(evidence_line(source, 0, source.text.len()));
        }
    }
    let extra = if in_education.status != RequirementStatus::Missing { in_education } else { elsewhere };
    for line in extra.evidence {
        if !evidence.contains(&line) && evidence.len() < settings.max_evidence {
            evidence.push(line);
        }
    }
    if status == RequirementStatus::Missing {
        evidence.clear();
    }
    Outcome::new(status, evidence)
}

fn evaluate_licence(
    categories: &[String],
    any: bool,
    concepts: &[Concept],
    profile: &Profile,
    sources: &[Source],
    settings: &Settings,
) -> Outcome {
    let held = held_licences(profile);
    let ok = if categories.is_empty() {
        !profile.driving_licences.iter().all(|l| l.trim().is_empty())
    } else if any {
        categories.iter().any(|c| held.contains(c))
    } else {
        categories.iter().all(|c| held.contains(c))
    };
    if ok {
        let evidence = sources
            .iter()
            .filter(|s| s.kind == SourceKind::Licence)
            .take(settings.max_evidence)
            .map(|s| evidence_line(s, 0, s.text.len()))
            .collect();
        return Outcome::new(RequirementStatus::Met, evidence);
    }
    // The licence may be written elsewhere (skills, certifications): only the whole phrase
    // counts, since "permis" alone says nothing about the category.
    let found = evaluate(concepts, sources, |s| s.kind != SourceKind::Licence, settings);
    if found.whole_phrase {
        found
    } else {
        Outcome::new(RequirementStatus::Missing, Vec::new())
    }
}

fn assess_requirement(
    prepared: &Prepared,
    profile: &Profile,
    candidate_months: Option<u32>,
    sources: &[Source],
    settings: &Settings,
) -> Outcome {
    // A taxonomy concept shared with a skill is the strongest evidence there is.
    if let Some(concept) = prepared.requirement.concept_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let same = |s: &vivier_sdk::skills_matcher::Skill| {
            s.concept_id.as_deref().is_some_and(|c| c.trim().eq_ignore_ascii_case(concept))
        };
        if let Some(skill) = profile.skills.iter().find(|s| same(s)) {
            let line = format!("Compétence : {}", truncate(&skill.label, MAX_EVIDENCE_CHARS - 14));
            return Outcome::new(RequirementStatus::Met, vec![line]);
        }
    }
    match &prepared.plan {
        Plan::Neutral => Outcome::new(RequirementStatus::Partial, Vec::new()),
        Plan::Generic(concepts) => evaluate(concepts, sources, |_| true, settings),
        Plan::Licence { categories, any, concepts } => {
            evaluate_licence(categories, *any, concepts, profile, sources, settings)
        }
        Plan::Language { concepts, level } => evaluate_language(concepts, *level, profile, sources, settings),
        Plan::Education { concepts, level } => evaluate_education(concepts, *level, profile, sources, settings),
        Plan::Duration { concepts, months } => evaluate_duration(concepts, *months, profile, sources, settings),
        Plan::TotalMonths { months } => evaluate_total(*months, candidate_months, profile, settings),
    }
}

/// Minimum total experience, checked against the months the host computed for the whole
/// profile (or, from an older host, the plugin's own count of dated experiences). Met at the
/// minimum; partial from half of it, with credit in proportion; missing below.
fn evaluate_total(required: u32, host_months: Option<u32>, profile: &Profile, settings: &Settings) -> Outcome {
    let months = host_months.unwrap_or_else(|| {
        union_months(profile.experiences.iter().filter_map(|e| interval(e, settings.reference_month)).collect())
    });
    let required = required.max(1);
    let ratio = months as f32 / required as f32;
    let status = if ratio >= 1.0 {
        RequirementStatus::Met
    } else if ratio >= 0.5 {
        RequirementStatus::Partial
    } else {
        RequirementStatus::Missing
    };
    // Evidence quotes the CV (the host keeps nothing else): the dated experiences behind the
    // total, each with its length; the total itself is the host's figure, shown by the host.
    let evidence = profile
        .experiences
        .iter()
        .filter_map(|e| {
            interval(e, settings.reference_month).map(|iv| experience_months_line(&e.title, union_months(vec![iv])))
        })
        .take(settings.max_evidence)
        .collect();
    let credit = match status {
        RequirementStatus::Met => 1.0,
        RequirementStatus::Partial => ratio.min(1.0),
        RequirementStatus::Missing => 0.0,
    };
    Outcome { status, evidence, whole_phrase: false, credit }
}

/// Assesses every candidate against the posting: exactly one assessment per candidate, in input
/// order. A suggestion for a human: no field selects or rejects anyone.
pub fn assess(posting: &Posting, candidates: &[Candidate], settings: &Settings) -> Result<Vec<Assessment>, MatchError> {
    let requirements = effective_requirements(posting)?;
    let mut prepared: Vec<Prepared> = requirements.iter().map(prepare).collect();
    let vocabulary = Vocabulary::build(&mut prepared);
    let mut lexicon = Lexicon::new(&vocabulary);
    let total_weight: f32 = prepared.iter().map(|p| p.weight).sum();

    Ok(candidates
        .iter()
        .map(|candidate| {
            let sources = profile::tagged_sources(&candidate.profile, &mut lexicon);
            let mut results = Vec::with_capacity(prepared.len());
            let mut score = 0.0f32;
            for p in &prepared {
                let outcome =
                    assess_requirement(p, &candidate.profile, candidate.experience_months, &sources, settings);
                let contribution = (p.weight / total_weight * outcome.credit.clamp(0.0, 1.0)).clamp(0.0, 1.0);
                score += contribution;
                results.push(RequirementAssessment {
                    requirement_id: p.requirement.id.clone(),
                    requirement: p.requirement.label.clone(),
                    status: outcome.status,
                    evidence: outcome.evidence,
                    weight: p.weight,
                    contribution,
                });
            }
            let kinds: Vec<(RequirementKind, bool)> = prepared
                .iter()
                .map(|p| (p.requirement.kind, matches!(p.plan, Plan::Duration { .. } | Plan::TotalMonths { .. })))
                .collect();
            Assessment {
                candidate_id: candidate.id.clone(),
                score: score.clamp(0.0, 1.0),
                summary: report::summary(&results),
                interview_questions: report::questions(&results, &kinds),
                requirements: results,
            }
        })
        .collect())
}

/// The month index (year × 12 + month − 1) of a Unix time, in UTC.
pub fn month_from_unix_seconds(secs: u64) -> i32 {
    // Howard Hinnant's civil-from-days algorithm.
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year * 12 + month - 1) as i32
}
