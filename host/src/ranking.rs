//! Ranking candidates for a posting: what `vivier rank` prints and `vivier eval rank` measures.
//!
//! The host pseudonymises (the matcher sees opaque ids, profiles and the host-computed months of
//! experience, never identity or file names), calls the matcher once for all candidates, then
//! checks what it got back before anyone reads it: one assessment per candidate (none dropped),
//! and contributions that add up to the score, so the disclosed weights explain the score.
//! Ranking is a reading order for a human; nothing here rejects or selects anyone.

use crate::model::{Assessment, Candidate, Posting, Profile, RequirementAssessment};
use crate::runtime::{CallReport, LoadedPlugin, Runtime};
use crate::timeline;
use serde::Serialize;

/// Largest accepted gap between a score and the sum of its contributions.
pub const SUM_TOLERANCE: f64 = 1e-6;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RankingError {
    #[error("the matcher returned {got} assessments for {expected} candidates")]
    CountMismatch { expected: usize, got: usize },
    #[error("the matcher left out candidate {0}")]
    Dropped(String),
    #[error("for candidate {candidate}, contributions add up to {sum} but the score is {score}")]
    ContributionsDoNotAddUp { candidate: String, sum: f64, score: f64 },
    #[error("the matcher failed: {0}")]
    Matcher(String),
}

/// One line of the ranking, as `vivier rank` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The CV's path (or label) as the caller gave it; never sent to the matcher.
    pub candidate: String,
    /// 1 = read first. Ties keep the order the CVs were given in.
    pub rank: usize,
    pub score: f32,
    pub requirements: Vec<RequirementAssessment>,
    pub summary: String,
    pub questions: Vec<String>,
}

/// The matcher's view of a parsed profile: an opaque id, the pseudonymised profile
/// ([`crate::pseudonymise`]) and the months of dated experience.
pub fn candidate(
    id: String,
    identity: Option<&crate::model::Identity>,
    profile: Profile,
    today: crate::model::PartialDate,
) -> Candidate {
    let experience_months = timeline::total_months(&profile, today);
    Candidate { id, profile: crate::pseudonymise::profile(&profile, identity), experience_months }
}

/// A candidate exactly as given, without pseudonymisation: only for the bias probe, which
/// measures a matcher's own sensitivity to what the pseudonymiser would remove.
pub fn raw_candidate(
    id: String,
    _identity: Option<&crate::model::Identity>,
    profile: Profile,
    today: crate::model::PartialDate,
) -> Candidate {
    let experience_months = timeline::total_months(&profile, today);
    Candidate { id, profile, experience_months }
}

/// Checks the matcher's output against the candidates it was given.
pub fn check(candidates: &[Candidate], assessments: &[Assessment]) -> Result<(), RankingError> {
    if assessments.len() != candidates.len() {
        return Err(RankingError::CountMismatch { expected: candidates.len(), got: assessments.len() });
    }
    for c in candidates {
        if !assessments.iter().any(|a| a.candidate_id == c.id) {
            return Err(RankingError::Dropped(c.id.clone()));
        }
    }
    for a in assessments {
        let sum: f64 = a.requirements.iter().map(|r| f64::from(r.contribution)).sum();
        // f32 contributions are summed in f64 here; the plugin's own f32 sum may differ by a few
        // ulps, so the tolerance also allows for f32 rounding of a score near 1.
        let tolerance = SUM_TOLERANCE.max(f64::from(f32::EPSILON) * (a.requirements.len() as f64 + 1.0));
        if (sum - f64::from(a.score)).abs() > tolerance {
            return Err(RankingError::ContributionsDoNotAddUp {
                candidate: a.candidate_id.clone(),
                sum,
                score: f64::from(a.score),
            });
        }
    }
    Ok(())
}

/// Orders assessments by score (ties: input order) and labels them with the caller's names.
/// `labels[i]` names `candidates[i]`.
pub fn order(candidates: &[Candidate], labels: &[String], assessments: Vec<Assessment>) -> Vec<Suggestion> {
    let position = |id: &str| candidates.iter().position(|c| c.id == id).unwrap_or(usize::MAX);
    let mut rows: Vec<(usize, Assessment)> = assessments.into_iter().map(|a| (position(&a.candidate_id), a)).collect();
    rows.sort_by(|(pa, a), (pb, b)| b.score.total_cmp(&a.score).then(pa.cmp(pb)));
    rows.into_iter()
        .enumerate()
        .map(|(i, (pos, a))| Suggestion {
            candidate: labels.get(pos).cloned().unwrap_or_else(|| a.candidate_id.clone()),
            rank: i + 1,
            score: a.score,
            requirements: a.requirements,
            summary: a.summary,
            questions: a.interview_questions,
        })
        .collect()
}

/// Calls the matcher, checks its output and orders it.
pub fn rank(
    runtime: &Runtime,
    matcher: &LoadedPlugin,
    posting: &Posting,
    candidates: &[Candidate],
    labels: &[String],
) -> Result<(Vec<Suggestion>, CallReport), RankingError> {
    let inv = runtime.assess(matcher, posting, candidates);
    let assessments = match inv.result {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => return Err(RankingError::Matcher(e.to_string())),
        Err(e) => return Err(RankingError::Matcher(e.to_string())),
    };
    check(candidates, &assessments)?;
    Ok((order(candidates, labels, assessments), inv.report))
}

/// Quotes a CSV field when it needs it (RFC 4180): a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// French word for a status, as recruiters paste it in their report.
fn status_fr(s: crate::model::RequirementStatus) -> &'static str {
    use crate::model::RequirementStatus::*;
    match s {
        Met => "satisfaite",
        Partial => "partielle",
        Missing => "absente",
    }
}

/// The comparison table: one line per candidate (in rank order), one column per requirement
/// with its status and contribution, e.g. `satisfaite (0.182)`.
pub fn to_csv(posting: &Posting, suggestions: &[Suggestion]) -> String {
    let mut header = vec!["rang".to_owned(), "candidat".to_owned(), "score".to_owned()];
    header.extend(posting.requirements.iter().map(|r| format!("{} ({})", r.label, r.id)));
    let mut out = header.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for s in suggestions {
        let mut row = vec![s.rank.to_string(), s.candidate.clone(), format!("{:.3}", s.score)];
        for r in &posting.requirements {
            let cell = match s.requirements.iter().find(|a| a.requirement_id == r.id) {
                Some(a) => format!("{} ({:.3})", status_fr(a.status), a.contribution),
                None => "non évaluée".to_owned(),
            };
            row.push(cell);
        }
        out.push_str(&row.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RequirementKind, RequirementStatus};

    fn cand(id: &str) -> Candidate {
        Candidate { id: id.into(), profile: Profile::default(), experience_months: None }
    }

    fn row(id: &str, contribution: f32) -> RequirementAssessment {
        RequirementAssessment {
            requirement_id: id.into(),
            requirement: format!("Exigence {id}, \"citée\""),
            status: RequirementStatus::Partial,
            evidence: vec![],
            weight: 1.0,
            contribution,
        }
    }

    fn assessment(id: &str, contributions: &[f32], score: f32) -> Assessment {
        Assessment {
            candidate_id: id.into(),
            score,
            requirements: contributions.iter().enumerate().map(|(i, c)| row(&format!("r{}", i + 1), *c)).collect(),
            summary: String::new(),
            interview_questions: vec![],
        }
    }

    #[test]
    fn contributions_must_add_up() {
        let cands = [cand("c1")];
        assert!(check(&cands, &[assessment("c1", &[0.25, 0.25], 0.5)]).is_ok());
        assert!(matches!(
            check(&cands, &[assessment("c1", &[0.25, 0.2], 0.5)]),
            Err(RankingError::ContributionsDoNotAddUp { .. })
        ));
    }

    #[test]
    fn no_candidate_dropped() {
        let cands = [cand("c1"), cand("c2")];
        assert!(matches!(
            check(&cands, &[assessment("c1", &[], 0.0)]),
            Err(RankingError::CountMismatch { expected: 2, got: 1 })
        ));
        assert_eq!(
            check(&cands, &[assessment("c1", &[], 0.0), assessment("c1", &[], 0.0)]),
            Err(RankingError::Dropped("c2".into()))
        );
    }

    #[test]
    fn order_by_score_ties_keep_input_order_and_csv_quotes() {
        let cands = [cand("c1"), cand("c2"), cand("c3")];
        let labels: Vec<String> = ["a.txt", "b.txt", "c,d.txt"].map(String::from).to_vec();
        let out = order(
            &cands,
            &labels,
            vec![assessment("c1", &[0.2], 0.2), assessment("c2", &[0.7], 0.7), assessment("c3", &[0.2], 0.2)],
        );
        let names: Vec<(&str, usize)> = out.iter().map(|s| (s.candidate.as_str(), s.rank)).collect();
        assert_eq!(names, [("b.txt", 1), ("a.txt", 2), ("c,d.txt", 3)]);
        let posting = Posting {
            id: "p".into(),
            title: "t".into(),
            description: String::new(),
            requirements: vec![crate::model::Requirement {
                id: "r1".into(),
                label: "Paie, carrière".into(),
                kind: RequirementKind::Skill,
                weight: 1.0,
                mandatory: true,
                concept_id: None,
            }],
        };
        let csv = to_csv(&posting, &out);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "rang,candidat,score,\"Paie, carrière (r1)\"");
        assert_eq!(lines[1], "1,b.txt,0.700,partielle (0.700)");
        assert_eq!(lines[3], "3,\"c,d.txt\",0.200,partielle (0.200)");
    }
}
