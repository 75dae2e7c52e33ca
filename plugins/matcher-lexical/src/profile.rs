//! The searchable texts of a profile ("sources"), and date arithmetic on its experiences.

use crate::analysis::{significant, Token};
use vivier_sdk::skills_matcher::{EmploymentStatus, Experience, PartialDate, Profile};

/// Where a text of the profile comes from. Indices point into the profile's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Skill,
    Experience(usize),
    Education(usize),
    Certification,
    Language(usize),
    Licence,
    PublicService,
    Headline,
    Summary,
    /// Hobbies: a weak source, never enough on its own to meet a requirement.
    Interest,
}

/// One searchable text of a profile.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: SourceKind,
    /// French label shown before evidence excerpts ("Compétence", "Expérience").
    pub label: &'static str,
    pub text: String,
    /// Significant tokens of `text`.
    pub tokens: Vec<Token>,
    /// How much a term found here proves (0-1]: what someone did (experience) proves more than
    /// what they list (skills), and a long unsupported list proves less per item.
    pub strength: f32,
    /// Interned stem ids of the significant words, for the posting at hand (see
    /// [`Tagger`]); with `spans`, the fast path the engine searches.
    pub ids: Vec<u32>,
    /// Byte spans of the words of `ids`.
    pub spans: Vec<(usize, usize)>,
}

/// Turns a text into interned stem ids and spans (the engine's vocabulary), instead of tokens.
pub trait Tagger {
    fn tag(&mut self, text: &str) -> (Vec<u32>, Vec<(usize, usize)>);
}

impl Source {
    fn new(kind: SourceKind, label: &'static str, text: String) -> Option<Self> {
        let text = text.trim().to_owned();
        let tokens = significant(&text);
        (!tokens.is_empty()).then_some(Source {
            kind,
            label,
            text,
            tokens,
            strength: 1.0,
            ids: Vec::new(),
            spans: Vec::new(),
        })
    }

    /// Skills, experiences, diplomas and the like; interests are weak.
    pub fn strong(&self) -> bool {
        self.kind != SourceKind::Interest
    }
}

fn join_non_empty<'a>(parts: impl IntoIterator<Item = &'a str> + Clone, sep: &str) -> String {
    let mut out = String::with_capacity(parts.clone().into_iter().map(|p| p.len() + sep.len()).sum());
    for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

/// The profile's texts in a fixed order: skills first (the usual best evidence), then
/// experiences, education, certifications, languages, licences, public-service facts,
/// headline, summary, and interests last.
pub fn sources(profile: &Profile) -> Vec<Source> {
    sources_with(profile, &mut |kind, label, text| Source::new(kind, label, text))
}

/// [`sources`] tagged with ids and spans only (no tokens): the engine's fast path.
pub fn tagged_sources(profile: &Profile, tagger: &mut dyn Tagger) -> Vec<Source> {
    sources_with(profile, &mut |kind, label, text| {
        let text = if text.trim().len() == text.len() { text } else { text.trim().to_owned() };
        let (ids, spans) = tagger.tag(&text);
        (!ids.is_empty()).then_some(Source { kind, label, text, tokens: Vec::new(), strength: 1.0, ids, spans })
    })
}

type MakeSource<'a> = dyn FnMut(SourceKind, &'static str, String) -> Option<Source> + 'a;

fn sources_with(profile: &Profile, make: &mut MakeSource<'_>) -> Vec<Source> {
    let p = profile;
    let count = p.skills.len() + p.experiences.len() + p.education.len() + p.certifications.len();
    let mut out: Vec<Source> =
        Vec::with_capacity(count + p.languages.len() + p.driving_licences.len() + p.interests.len() + 8);
    let mut push = |kind, label, text: String| {
        if let Some(s) = make(kind, label, text) {
            out.push(s);
        }
    };
    for skill in &profile.skills {
        let parts = std::iter::once(skill.label.as_str()).chain(skill.evidence.iter().map(String::as_str));
        push(SourceKind::Skill, "Compétence", join_non_empty(parts, " ; "));
    }
    for (i, e) in profile.experiences.iter().enumerate() {
        push(
            SourceKind::Experience(i),
            "Expérience",
            join_non_empty([e.title.as_str(), e.description.as_str()], " : "),
        );
    }
    for (i, e) in profile.education.iter().enumerate() {
        let level = e.level.as_deref().map(|l| format!("({l})")).unwrap_or_default();
        push(SourceKind::Education(i), "Formation", join_non_empty([e.degree.as_str(), level.as_str()], " "));
    }
    for c in &profile.certifications {
        push(SourceKind::Certification, "Certification", c.name.clone());
    }
    for (i, l) in profile.languages.iter().enumerate() {
        let level = l.level.as_deref().map(|l| format!("({l})")).unwrap_or_default();
        push(SourceKind::Language(i), "Langue", join_non_empty([l.name.as_str(), level.as_str()], " "));
    }
    for licence in &profile.driving_licences {
        let text = licence.trim();
        let text =
            if vivier_sdk::text::fold(text).starts_with("permis") { text.to_owned() } else { format!("Permis {text}") };
        push(SourceKind::Licence, "Permis", text);
    }
    let ps = &profile.public_service;
    if let Some(g) = &ps.grade {
        push(SourceKind::PublicService, "Grade", g.clone());
    }
    if let Some(c) = &ps.cadre_emplois {
        push(SourceKind::PublicService, "Cadre d'emplois", c.clone());
    }
    if let Some(c) = &ps.categorie {
        push(SourceKind::PublicService, "Catégorie", format!("catégorie {c}"));
    }
    for c in &ps.concours {
        push(SourceKind::PublicService, "Concours", c.clone());
    }
    if let Some(status) = ps.status {
        let text = match status {
            EmploymentStatus::Titulaire => "fonctionnaire titulaire",
            EmploymentStatus::Stagiaire => "fonctionnaire stagiaire",
            EmploymentStatus::Contractuel => "agent contractuel",
            EmploymentStatus::Other => "",
        };
        push(SourceKind::PublicService, "Statut", text.to_owned());
    }
    if let Some(h) = &profile.headline {
        push(SourceKind::Headline, "Titre du CV", h.clone());
    }
    if let Some(s) = &profile.summary {
        push(SourceKind::Summary, "Résumé", s.clone());
    }
    for i in &profile.interests {
        push(SourceKind::Interest, "Centre d'intérêt", i.clone());
    }
    let skill_credibility = skill_credibility(listed_skills(profile));
    for s in &mut out {
        s.strength = match s.kind {
            // A keyword list under a summary heading proves what a skills list proves.
            SourceKind::Headline | SourceKind::Summary if keyword_list_items(&s.text).is_some() => {
                strength(SourceKind::Skill, skill_credibility)
            }
            kind => strength(kind, skill_credibility),
        };
    }
    out
}

/// Skills a CV usually lists; beyond this, each listed item proves less (keyword stuffing).
pub const USUAL_SKILLS: usize = 12;
/// What a term in a bare skills list proves, at most.
pub const SKILL_STRENGTH: f32 = 0.8;

/// Items a profile lists as skills. Parsers differ in how they split a skills section (one
/// skill per item, or one per line of "a ; b ; c"), so items are counted inside labels too.
pub fn listed_skills(profile: &Profile) -> usize {
    let skills: usize = profile
        .skills
        .iter()
        .map(|s| s.label.split([';', ',', '•', '|', '\n']).filter(|part| !part.trim().is_empty()).count().max(1))
        .sum();
    let keywords: usize =
        profile.headline.iter().chain(profile.summary.iter()).filter_map(|t| keyword_list_items(t)).sum();
    skills + keywords
}

/// Items of a text written as a list of keywords rather than sentences ("Mots-clés : accueil,
/// paie, marchés publics, ..."): at least six items, nearly all of a few words. A summary like
/// that is a skills list under another heading, so its items count with the skills (keyword
/// stuffing moved out of the skills section pays no more) and it proves no more than they do.
pub fn keyword_list_items(text: &str) -> Option<usize> {
    let items: Vec<&str> =
        text.split([';', ',', '•', '|', '\n', '·']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let short = items.iter().filter(|p| p.split_whitespace().count() <= 5).count();
    (items.len() >= 6 && short * 10 >= items.len() * 8).then_some(items.len())
}

/// 1 for a list of usual length, then inversely proportional to its length.
pub fn skill_credibility(listed: usize) -> f32 {
    if listed <= USUAL_SKILLS {
        1.0
    } else {
        USUAL_SKILLS as f32 / listed as f32
    }
}

/// Strength of a source kind (see [`Source::strength`]).
pub fn strength(kind: SourceKind, skill_credibility: f32) -> f32 {
    match kind {
        SourceKind::Experience(_) => 1.0,
        SourceKind::Education(_)
        | SourceKind::Certification
        | SourceKind::Language(_)
        | SourceKind::Licence
        | SourceKind::PublicService => 0.8,
        SourceKind::Headline | SourceKind::Summary => 0.7,
        SourceKind::Skill => SKILL_STRENGTH * skill_credibility,
        SourceKind::Interest => 0.35,
    }
}

/// Months since year 0 of a partial date; an unknown month counts as January for a start and
/// December for an end (a period "2015 – 2018" covers the whole of 2018).
pub fn month_index(date: &PartialDate, as_end: bool) -> i32 {
    let month = date.month.filter(|m| (1..=12).contains(m)).unwrap_or(if as_end { 12 } else { 1 });
    i32::from(date.year) * 12 + i32::from(month) - 1
}

/// The months (inclusive interval of month indices) an experience covers. `reference` is the
/// current month, used for positions still held. `None` when the experience has no usable start.
pub fn interval(exp: &Experience, reference: Option<i32>) -> Option<(i32, i32)> {
    let start = exp.start.as_ref()?;
    let s = month_index(start, false);
    let e = match (&exp.end, exp.current) {
        (Some(end), _) => month_index(end, true),
        (None, true) => reference.unwrap_or(s).max(s),
        (None, false) => month_index(start, true),
    };
    (e >= s).then_some((s, e))
}

/// Total months covered by intervals, counting overlaps once.
pub fn union_months(mut intervals: Vec<(i32, i32)>) -> u32 {
    intervals.sort_unstable();
    let mut total = 0i64;
    let mut current: Option<(i32, i32)> = None;
    for (s, e) in intervals {
        current = match current {
            Some((cs, ce)) if s <= ce + 1 => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += i64::from(ce - cs + 1);
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((cs, ce)) = current {
        total += i64::from(ce - cs + 1);
    }
    total.clamp(0, i64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: u16, month: Option<u8>) -> Option<PartialDate> {
        Some(PartialDate { year, month })
    }

    fn exp(start: Option<PartialDate>, end: Option<PartialDate>, current: bool) -> Experience {
        Experience {
            title: "Gestionnaire".into(),
            organisation: None,
            location: None,
            start,
            end,
            current,
            description: String::new(),
        }
    }

    #[test]
    fn intervals_from_partial_dates() {
        assert_eq!(
            union_months(vec![interval(&exp(date(2019, Some(9)), date(2021, Some(8)), false), None).unwrap()]),
            24
        );
        // Whole years.
        assert_eq!(union_months(vec![interval(&exp(date(2015, None), date(2017, None), false), None).unwrap()]), 36);
        // Current position up to the reference month.
        let reference = month_index(&PartialDate { year: 2024, month: Some(6) }, false);
        let current = interval(&exp(date(2024, Some(1)), None, true), Some(reference)).unwrap();
        assert_eq!(union_months(vec![current]), 6);
        // No start: unusable. End before start: unusable.
        assert_eq!(interval(&exp(None, date(2020, None), false), None), None);
        assert_eq!(interval(&exp(date(2020, Some(5)), date(2019, Some(1)), false), None), None);
    }

    #[test]
    fn overlapping_periods_count_once() {
        assert_eq!(union_months(vec![(0, 11), (6, 17), (30, 30)]), 19);
        assert_eq!(union_months(vec![(0, 5), (6, 11)]), 12);
        assert_eq!(union_months(vec![]), 0);
    }
}
