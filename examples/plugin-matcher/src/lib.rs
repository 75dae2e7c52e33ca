//! Minimal `skills-matcher` plugin, to copy when writing your own.
//!
//! Score = share of requirement labels found verbatim (accents and case folded) in the
//! candidate's skill labels. One assessment per candidate, in input order: a matcher suggests,
//! it never drops anyone. Build: `cargo build --target wasm32-wasip2 --release`.

use vivier_sdk::skills_matcher::*;
use vivier_sdk::text::fold;

pub struct ExampleMatcher;

impl SkillsMatcher for ExampleMatcher {
    fn assess(posting: Posting, candidates: Vec<Candidate>) -> Result<Vec<Assessment>, MatchError> {
        if posting.requirements.is_empty() {
            return Err(MatchError::InvalidPosting("aucune exigence".into()));
        }
        let share = 1.0 / posting.requirements.len() as f32;
        Ok(candidates
            .into_iter()
            .map(|candidate| {
                let skills: Vec<String> = candidate.profile.skills.iter().map(|s| fold(&s.label)).collect();
                let requirements: Vec<RequirementAssessment> = posting
                    .requirements
                    .iter()
                    .map(|r| {
                        let wanted = fold(&r.label);
                        let found: Vec<String> = skills.iter().filter(|s| s.contains(&wanted)).cloned().collect();
                        let met = !wanted.is_empty() && !found.is_empty();
                        RequirementAssessment {
                            requirement_id: r.id.clone(),
                            requirement: r.label.clone(),
                            status: if met { RequirementStatus::Met } else { RequirementStatus::Missing },
                            evidence: found,
                            weight: 1.0,
                            contribution: if met { share } else { 0.0 },
                        }
                    })
                    .collect();
                let score: f32 = requirements.iter().map(|r| r.contribution).sum();
                let met = requirements.iter().filter(|r| r.status == RequirementStatus::Met).count();
                Assessment {
                    candidate_id: candidate.id,
                    score: score.clamp(0.0, 1.0),
                    summary: format!("{met} exigence(s) sur {} trouvée(s) dans les compétences.", requirements.len()),
                    interview_questions: vec![],
                    requirements,
                }
            })
            .collect())
    }
}

vivier_sdk::skills_matcher::export_skills_matcher!(ExampleMatcher);

#[cfg(test)]
mod tests;
