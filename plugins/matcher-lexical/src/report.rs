//! French wording of an assessment: the one-sentence summary and the interview questions.

use vivier_sdk::skills_matcher::{RequirementAssessment, RequirementKind, RequirementStatus};

/// Most missing requirements named in a summary.
const MAX_NAMED: usize = 4;

fn plural(n: usize, one: &str, many: &str) -> String {
    if n >= 2 {
        many.to_owned()
    } else {
        one.to_owned()
    }
}

/// The label as it reads inside quotes: spaces squashed, trailing punctuation dropped.
fn quoted(label: &str) -> String {
    let squashed = vivier_sdk::text::squash_spaces(label);
    let trimmed = squashed.trim_end_matches(['.', ';', ':', ',', ' ']);
    let shown = crate::analysis::truncate(trimmed, 120);
    format!("« {shown} »")
}

/// "3 exigences sur 5 satisfaites, 1 partiellement ; manque : Permis B, Anglais courant."
pub fn summary(results: &[RequirementAssessment]) -> String {
    let total = results.len();
    let met = results.iter().filter(|r| r.status == RequirementStatus::Met).count();
    let partial = results.iter().filter(|r| r.status == RequirementStatus::Partial).count();
    let missing: Vec<&str> = results
        .iter()
        .filter(|r| r.status == RequirementStatus::Missing)
        .map(|r| r.requirement.trim().trim_end_matches(['.', ';', ':', ',']))
        .collect();
    let mut out = format!(
        "{met} {} sur {total} {}",
        plural(met, "exigence", "exigences"),
        plural(met, "satisfaite", "satisfaites")
    );
    if partial > 0 {
        out.push_str(&format!(", {partial} partiellement"));
    }
    if !missing.is_empty() {
        let named: Vec<String> = missing.iter().take(MAX_NAMED).map(|l| crate::analysis::truncate(l, 60)).collect();
        out.push_str(" ; manque : ");
        out.push_str(&named.join(", "));
        let rest = missing.len().saturating_sub(MAX_NAMED);
        if rest > 0 {
            out.push_str(&format!(" et {rest} {}", plural(rest, "autre", "autres")));
        }
    }
    out.push('.');
    out
}

/// One question per partial or missing requirement, to probe it in interview.
/// `kinds[i]` is the kind of `results[i]` and whether it asks for a duration.
pub fn questions(results: &[RequirementAssessment], kinds: &[(RequirementKind, bool)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (r, (kind, duration)) in results.iter().zip(kinds) {
        if r.status == RequirementStatus::Met {
            continue;
        }
        let label = quoted(&r.requirement);
        let partial = r.status == RequirementStatus::Partial;
        let question = match kind {
            RequirementKind::Language => {
                format!("Dans quelles situations professionnelles avez-vous pratiqué la langue demandée ({label}), et à quel niveau ?")
            }
            RequirementKind::Licence => {
                format!("Le poste demande {label} : pouvez-vous confirmer que vous remplissez cette condition ?")
            }
            RequirementKind::Certification => {
                format!("Détenez-vous {label} ou une formation équivalente ?")
            }
            RequirementKind::Education => {
                format!("Quelle formation ou quelle expérience équivalente vous prépare à l'exigence {label} ?")
            }
            _ if *duration => format!(
                "Pouvez-vous décrire votre expérience en lien avec {label} : missions exercées, durée et contexte ?"
            ),
            _ if partial => format!("Pouvez-vous préciser votre expérience en lien avec {label} ?"),
            _ => format!("Pouvez-vous décrire votre expérience en lien avec {label} ?"),
        };
        if !out.contains(&question) {
            out.push(question);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ra(label: &str, status: RequirementStatus) -> RequirementAssessment {
        RequirementAssessment {
            requirement_id: "r".into(),
            requirement: label.into(),
            status,
            evidence: vec![],
            weight: 1.0,
            contribution: 0.0,
        }
    }

    #[test]
    fn summary_is_one_grammatical_sentence() {
        use RequirementStatus::*;
        let results =
            [ra("Paie", Met), ra("Carrières", Met), ra("Excel", Met), ra("Anglais", Partial), ra("Permis B.", Missing)];
        assert_eq!(summary(&results), "3 exigences sur 5 satisfaites, 1 partiellement ; manque : Permis B.");
        assert_eq!(summary(&[ra("Paie", Missing)]), "0 exigence sur 1 satisfaite ; manque : Paie.");
        assert_eq!(summary(&[ra("Paie", Met)]), "1 exigence sur 1 satisfaite.");
    }

    #[test]
    fn questions_only_for_gaps() {
        use RequirementStatus::*;
        let results = [ra("Paie", Met), ra("Marchés publics", Missing), ra("Anglais B2", Partial)];
        let kinds =
            [(RequirementKind::Skill, false), (RequirementKind::Skill, false), (RequirementKind::Language, false)];
        let q = questions(&results, &kinds);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0], "Pouvez-vous décrire votre expérience en lien avec « Marchés publics » ?");
        assert!(q[1].contains("« Anglais B2 »"));
    }
}
