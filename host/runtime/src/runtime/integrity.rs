//! What a matcher returns is checked against what the host sent, so that no plugin can make the
//! host tell a recruiter or a candidate something the posting or the CV does not say.
//!
//! - **Candidates**: every candidate exactly once, no other id (else the call fails).
//! - **Criteria belong to the posting**: every requirement of the posting exactly once, no other
//!   id (else the call fails); the label and the weight are the posting's — a different one is
//!   replaced by the posting's and the correction recorded in the call's `sanitised` list;
//!   requirements come back in the posting's order.
//! - **Evidence is quoted, not invented**: each evidence line must read as an excerpt of the
//!   profile the host sent for that candidate ([`evidence_is_quoted`]); any other line is
//!   dropped and recorded.
//! - **Numbers are in range**: scores and contributions in [0, 1], weights finite.

use crate::model::*;
use std::collections::{HashMap, HashSet};
// Two renderings of the same words compare equal whatever their spacing and punctuation.
use crate::text::fold_alnum as fold;

/// Checks and corrects a matcher's assessments; `Err` fails the call, `Ok` lists corrections.
pub(crate) fn check_assessments(
    assessments: &mut [Assessment],
    posting: &Posting,
    candidates: &[Candidate],
) -> Result<Vec<String>, String> {
    let expected: HashSet<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
    let mut seen = HashSet::new();
    for a in assessments.iter() {
        if !expected.contains(a.candidate_id.as_str()) {
            return Err(format!("assessment for unknown candidate id `{}`", short(&a.candidate_id)));
        }
        if !seen.insert(a.candidate_id.as_str()) {
            return Err(format!("two assessments for candidate `{}`", a.candidate_id));
        }
    }
    if let Some(missing) = candidates.iter().find(|c| !seen.contains(c.id.as_str())) {
        return Err(format!("no assessment for candidate `{}`", missing.id));
    }
    let profiles: HashMap<&str, &Profile> = candidates.iter().map(|c| (c.id.as_str(), &c.profile)).collect();
    let mut notes = Vec::new();
    for a in assessments.iter_mut() {
        notes.extend(clamp_unit(&mut a.score, || format!("score of candidate `{}`", a.candidate_id)));
        check_criteria(a, posting, &mut notes)?;
        let quotable = Quotable::of(profiles[a.candidate_id.as_str()]);
        for r in &mut a.requirements {
            let what = || format!("contribution of `{}` for candidate `{}`", r.requirement_id, a.candidate_id);
            notes.extend(clamp_unit(&mut r.contribution, what));
            let before = r.evidence.len();
            r.evidence.retain(|e| evidence_is_quoted(e, &quotable));
            if r.evidence.len() < before {
                notes.push(format!(
                    "{} evidence line(s) of `{}` for candidate `{}` dropped: not an excerpt of the profile",
                    before - r.evidence.len(),
                    r.requirement_id,
                    a.candidate_id
                ));
            }
        }
    }
    Ok(notes)
}

fn short(text: &str) -> &str {
    crate::runtime::sandbox::truncate_utf8(text, 80)
}

/// The posting's requirements, each once, in its order, with its label and weight.
fn check_criteria(a: &mut Assessment, posting: &Posting, notes: &mut Vec<String>) -> Result<(), String> {
    let mut by_id: HashMap<String, RequirementAssessment> = HashMap::new();
    for r in std::mem::take(&mut a.requirements) {
        if !posting.requirements.iter().any(|p| p.id == r.requirement_id) {
            return Err(format!(
                "assessment of candidate `{}` names requirement `{}`, which the posting does not have",
                a.candidate_id,
                short(&r.requirement_id)
            ));
        }
        let id = r.requirement_id.clone();
        if by_id.insert(id.clone(), r).is_some() {
            return Err(format!("assessment of candidate `{}` gives requirement `{id}` twice", a.candidate_id));
        }
    }
    for p in &posting.requirements {
        let Some(mut r) = by_id.remove(&p.id) else {
            return Err(format!("assessment of candidate `{}` omits requirement `{}`", a.candidate_id, p.id));
        };
        if r.requirement != p.label {
            notes.push(format!(
                "label of `{}` for candidate `{}` was {:?}, replaced by the posting's",
                p.id,
                a.candidate_id,
                short(&r.requirement)
            ));
            r.requirement = p.label.clone();
        }
        if r.weight.to_bits() != p.weight.to_bits() {
            notes.push(format!(
                "weight of `{}` for candidate `{}` was {}, replaced by the posting's ({})",
                p.id, a.candidate_id, r.weight, p.weight
            ));
            r.weight = p.weight;
        }
        a.requirements.push(r);
    }
    Ok(())
}

/// Brings a value into [0, 1] (NaN becomes 0), describing the correction if one was needed.
fn clamp_unit(value: &mut f32, what: impl FnOnce() -> String) -> Option<String> {
    let fixed = if value.is_nan() { 0.0 } else { value.clamp(0.0, 1.0) };
    if fixed.to_bits() == value.to_bits() {
        return None;
    }
    let note = format!("{} was {value}, set to {fixed}", what());
    *value = fixed;
    Some(note)
}

/// Section names a matcher may put before an excerpt ("Expérience : …"): the profile's parts
/// in French. Compared folded (case and accents ignored).
pub const SECTION_LABELS: &[&str] = &[
    "Expérience",
    "Expériences",
    "Compétence",
    "Compétences",
    "Formation",
    "Formations",
    "Diplôme",
    "Certification",
    "Certifications",
    "Langue",
    "Langues",
    "Permis",
    "Grade",
    "Cadre d'emplois",
    "Catégorie",
    "Concours",
    "Statut",
    "Titre du CV",
    "Résumé",
    "Centre d'intérêt",
    "Centres d'intérêt",
];

/// A candidate's profile as comparable text: every string the host sent, folded, with the
/// French renderings of its typed values, each piece apart (an excerpt cannot straddle two).
pub struct Quotable {
    folded: String,
}

impl Quotable {
    pub fn of(profile: &Profile) -> Self {
        let mut pieces = Vec::new();
        if let Ok(value) = serde_json::to_value(profile) {
            strings(&value, &mut pieces);
        }
        // What a matcher writes for typed values: "catégorie B", "permis B", "agent contractuel".
        let ps = &profile.public_service;
        if let Some(c) = &ps.categorie {
            pieces.push(format!("catégorie {c}"));
        }
        for l in &profile.driving_licences {
            pieces.push(format!("permis {l}"));
        }
        pieces.extend(["fonctionnaire titulaire", "fonctionnaire stagiaire", "agent contractuel"].map(str::to_owned));
        let mut folded = String::from("\u{1}");
        for p in pieces {
            folded.push_str(&fold(&p));
            folded.push('\u{1}');
        }
        Self { folded }
    }

    fn contains(&self, part: &str) -> bool {
        self.folded.contains(part)
    }
}

fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(fields) => fields.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Whether an evidence line reads as an excerpt of the profile. The line is cut into parts at
/// ellipses, " : ", " ; ", ". ", "|", brackets and parentheses; each part must be a section label
/// ([`SECTION_LABELS`]), one of the computed annotations a matcher may add ("24 mois",
/// "durée non précisée", "similarité 0,83"), or a piece of the
/// profile (compared case-, accent-, spacing- and punctuation-insensitively). An empty line,
/// or one with nothing quoted, is not evidence.
pub fn evidence_is_quoted(line: &str, profile: &Quotable) -> bool {
    let mut quoted = false;
    for part in parts(line) {
        let folded = fold(part);
        if folded.is_empty() {
            continue;
        }
        if SECTION_LABELS.iter().any(|l| fold(l) == folded) || is_annotation(part) {
            continue;
        }
        if !profile.contains(&folded) {
            return false;
        }
        quoted = true;
    }
    quoted
}

fn parts(line: &str) -> impl Iterator<Item = &str> {
    line.split(['…', '(', ')', '[', ']', '|'])
        .flat_map(|p| p.split("..."))
        .flat_map(|p| p.split(" : "))
        .flat_map(|p| p.split(" ; "))
        .flat_map(|p| p.split(". "))
}

/// "24 mois", "durée non précisée", "similarité 0,83".
fn is_annotation(part: &str) -> bool {
    let words: Vec<String> = part.split_whitespace().map(|w| w.to_lowercase()).collect();
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    let score =
        |w: &str| w.split_once([',', '.']).is_some_and(|(a, b)| number(a) && number(b) && a.len() <= 1 && b.len() <= 3);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    matches!(w.as_slice(), [n, "mois"] if number(n))
        || matches!(w.as_slice(), ["durée", "non", "précisée"])
        || matches!(w.as_slice(), ["similarité", s] if score(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requirement(id: &str, label: &str, weight: f32) -> Requirement {
        Requirement {
            id: id.into(),
            label: label.into(),
            kind: RequirementKind::Skill,
            weight,
            mandatory: true,
            concept_id: None,
        }
    }

    fn posting() -> Posting {
        Posting {
            id: "p".into(),
            title: "Gestionnaire paie".into(),
            description: String::new(),
            requirements: vec![requirement("r1", "Maîtrise de la paie", 2.0), requirement("r2", "Permis B", 1.0)],
        }
    }

    fn row(id: &str, label: &str, weight: f32, evidence: &[&str]) -> RequirementAssessment {
        RequirementAssessment {
            requirement_id: id.into(),
            requirement: label.into(),
            status: RequirementStatus::Met,
            evidence: evidence.iter().map(|e| e.to_string()).collect(),
            weight,
            contribution: 0.5,
        }
    }

    fn assessment(id: &str, score: f32, requirements: Vec<RequirementAssessment>) -> Assessment {
        Assessment { candidate_id: id.into(), score, requirements, summary: String::new(), interview_questions: vec![] }
    }

    fn honest(id: &str, score: f32) -> Assessment {
        assessment(id, score, vec![row("r1", "Maîtrise de la paie", 2.0, &[]), row("r2", "Permis B", 1.0, &[])])
    }

    fn candidate(id: &str) -> Candidate {
        let mut profile = Profile::default();
        profile.experiences.push(Experience {
            title: "Gestionnaire de paie".into(),
            organisation: Some("Mairie de Val-Fictif".into()),
            location: None,
            start: None,
            end: None,
            current: false,
            description: "Préparation et contrôle de la paie de 300 agents, déclarations sociales (DSN).".into(),
        });
        profile.driving_licences.push("B".into());
        profile.public_service.categorie = Some("B".into());
        Candidate { id: id.into(), profile, experience_months: None }
    }

    #[test]
    fn out_of_range_scores_are_sanitised() {
        let mut a = vec![honest("a", f32::NAN), honest("b", -3.0), honest("c", 0.5)];
        let notes = check_assessments(&mut a, &posting(), &[candidate("a"), candidate("b"), candidate("c")]).unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!((a[0].score, a[1].score, a[2].score), (0.0, 0.0, 0.5));
    }

    #[test]
    fn wrong_candidate_ids_are_refused() {
        let cands = [candidate("a"), candidate("b")];
        let p = posting();
        assert!(check_assessments(&mut [honest("a", 0.1)], &p, &cands).unwrap_err().contains("no assessment"));
        assert!(check_assessments(&mut [honest("a", 0.1), honest("z", 0.1)], &p, &cands)
            .unwrap_err()
            .contains("unknown"));
        assert!(check_assessments(&mut [honest("a", 0.1), honest("a", 0.1)], &p, &cands).unwrap_err().contains("two"));
    }

    #[test]
    fn criteria_are_the_postings() {
        let (p, c) = (posting(), [candidate("a")]);
        // A criterion the posting never had fails the call.
        let invented = row("r9", "Âge inférieur à 35 ans", 5.0, &[]);
        let mut a = [assessment("a", 0.5, vec![row("r1", "Maîtrise de la paie", 2.0, &[]), invented])];
        assert!(check_assessments(&mut a, &p, &c).unwrap_err().contains("does not have"), "an invented criterion");
        // So does omitting one, or giving one twice.
        let mut a = [assessment("a", 0.5, vec![row("r1", "Maîtrise de la paie", 2.0, &[])])];
        assert!(check_assessments(&mut a, &p, &c).unwrap_err().contains("omits requirement `r2`"));
        let r1 = row("r1", "Maîtrise de la paie", 2.0, &[]);
        let mut a = [assessment("a", 0.5, vec![r1.clone(), r1, row("r2", "Permis B", 1.0, &[])])];
        assert!(check_assessments(&mut a, &p, &c).unwrap_err().contains("twice"));
        // A relabelled or reweighted criterion gets the posting's label and weight back, in order.
        let relabelled = row("r1", "Âge inférieur à 35 ans", 9.0, &[]);
        let mut a = [assessment("a", 0.5, vec![row("r2", "Permis B", 1.0, &[]), relabelled])];
        let notes = check_assessments(&mut a, &p, &c).unwrap();
        assert_eq!(notes.len(), 2, "{notes:?}");
        let r = &a[0].requirements;
        assert_eq!(
            (r[0].requirement_id.as_str(), r[0].requirement.as_str(), r[0].weight),
            ("r1", "Maîtrise de la paie", 2.0)
        );
        assert_eq!(r[1].requirement_id, "r2");
    }

    #[test]
    fn evidence_must_quote_the_profile() {
        let quotable = Quotable::of(&candidate("a").profile);
        for line in [
            "Expérience : Gestionnaire de paie : Préparation et contrôle de la paie de 300 agents",
            "Expérience : …contrôle de la PAIE de 300 agents, déclarations… (similarité 0,83)",
            "Expérience : Gestionnaire de paie (24 mois)",
            "Expérience : Gestionnaire de paie (durée non précisée)",
            "Permis : permis B",
            "Catégorie : catégorie B",
            "declarations sociales dsn",
        ] {
            assert!(evidence_is_quoted(line, &quotable), "{line}");
        }
        for line in [
            "Âge : 52 ans, trop proche de la retraite",
            "Expérience : Gestionnaire de paie, candidat d'origine étrangère",
            "Durée cumulée : 30 mois pour 24 demandés",
            "",
            "Expérience :",
            "(similarité 0,99)",
        ] {
            assert!(!evidence_is_quoted(line, &quotable), "{line}");
        }
        // Two pieces of the profile, each quoted.
        assert!(evidence_is_quoted("Mairie de Val-Fictif ; Gestionnaire de paie", &quotable));
        // Dropped lines are recorded.
        let p = posting();
        let mut a = [assessment(
            "a",
            0.5,
            vec![
                row("r1", "Maîtrise de la paie", 2.0, &["Gestionnaire de paie", "Ne parle pas bien français"]),
                row("r2", "Permis B", 1.0, &["Permis : permis B"]),
            ],
        )];
        let notes = check_assessments(&mut a, &p, &[candidate("a")]).unwrap();
        assert_eq!(a[0].requirements[0].evidence, vec!["Gestionnaire de paie"]);
        assert!(notes.iter().any(|n| n.contains("1 evidence line(s) of `r1`")), "{notes:?}");
    }
}
