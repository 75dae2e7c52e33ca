//! POSTING.json, the job posting recruiters write for `vivier rank` and `vivier eval rank`, and
//! its conversion into the `matching.posting` a skills-matcher receives.
//!
//! The file speaks the recruiter's language (filière, catégorie, cadre d'emplois, missions,
//! required and optional skills, minimum experience); the matcher sees one requirement row per
//! required skill, per optional skill and for the minimum experience, so that every matcher
//! explains itself on the same rows.

use crate::model::{Posting, Requirement, RequirementKind};
use serde::Serialize;
use serde_json::{Map, Value};

/// Weight of a required skill row ("exigé").
pub const REQUIRED_WEIGHT: f32 = 2.0;
/// Weight of an optional skill row ("apprécié").
pub const OPTIONAL_WEIGHT: f32 = 1.0;
/// Weight of the minimum-experience row.
pub const EXPERIENCE_WEIGHT: f32 = 1.5;
/// Id of the minimum-experience row.
pub const EXPERIENCE_ID: &str = "experience";
/// Longest accepted minimum experience, in years: anything above is a typo.
const MAX_YEARS: f64 = 45.0;

/// Why a POSTING.json was refused. Each message names the field, so a recruiter can fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PostingError {
    #[error("the posting is not valid JSON: {0}")]
    NotJson(String),
    #[error("the posting must be a JSON object")]
    NotAnObject,
    #[error("the posting has no `{0}` field, which is required")]
    Missing(&'static str),
    #[error("field `{field}` of the posting {problem}")]
    Invalid { field: &'static str, problem: String },
    #[error("the posting has an unknown field `{0}`; its fields are {FIELDS_TEXT}")]
    Unknown(String),
    #[error("one posting format: `requirements` is not a field of the posting; its requirement rows are derived from `required_skills`, `optional_skills` and `min_experience_years`")]
    RequirementRows,
}

/// Every field of POSTING.json; any other is refused, so that a typo is never silently ignored.
pub const FIELDS: [&str; 10] = [
    "id",
    "title",
    "filiere",
    "categorie",
    "cadre_emplois",
    "service",
    "missions",
    "required_skills",
    "optional_skills",
    "min_experience_years",
];
const FIELDS_TEXT: &str = "id, title, filiere, categorie, cadre_emplois, service, missions, required_skills, \
optional_skills, min_experience_years";

/// A job posting as written in POSTING.json. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JobPosting {
    pub id: String,
    pub title: String,
    pub filiere: String,
    pub categorie: String,
    pub cadre_emplois: String,
    pub service: String,
    pub missions: Vec<String>,
    /// One requirement row each (`r1`, `r2`…, weight 2, mandatory).
    #[schemars(length(min = 1))]
    pub required_skills: Vec<String>,
    /// One requirement row each (`o1`, `o2`…, weight 1); may be empty.
    pub optional_skills: Vec<String>,
    /// Above 0, one requirement row `experience` (weight 1.5).
    #[schemars(range(min = 0, max = 45))]
    pub min_experience_years: f64,
}

fn text(obj: &Map<String, Value>, field: &'static str) -> Result<String, PostingError> {
    match obj.get(field) {
        None | Some(Value::Null) => Err(PostingError::Missing(field)),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(PostingError::Invalid { field, problem: "is empty".into() })
        }
        Some(Value::String(s)) => Ok(s.trim().to_owned()),
        Some(other) => Err(PostingError::Invalid { field, problem: format!("must be a string, not {}", kind(other)) }),
    }
}

fn list(obj: &Map<String, Value>, field: &'static str, non_empty: bool) -> Result<Vec<String>, PostingError> {
    let items = match obj.get(field) {
        None | Some(Value::Null) => return Err(PostingError::Missing(field)),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(PostingError::Invalid {
                field,
                problem: format!("must be a list of strings, not {}", kind(other)),
            })
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
            Value::String(_) => {
                return Err(PostingError::Invalid {
                    field,
                    problem: format!("has an empty entry (position {})", i + 1),
                })
            }
            other => {
                return Err(PostingError::Invalid {
                    field,
                    problem: format!("entry {} must be a string, not {}", i + 1, kind(other)),
                })
            }
        }
    }
    if non_empty && out.is_empty() {
        return Err(PostingError::Invalid { field, problem: "is empty: list at least one skill".into() });
    }
    Ok(out)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl JobPosting {
    /// Reads and validates POSTING.json. Every field of the issue's format is required
    /// (`optional_skills` may be an empty list, `min_experience_years` may be 0).
    pub fn from_json(text_in: &str) -> Result<Self, PostingError> {
        let value: Value = serde_json::from_str(text_in).map_err(|e| PostingError::NotJson(e.to_string()))?;
        let Value::Object(obj) = value else {
            return Err(PostingError::NotAnObject);
        };
        if let Some(unknown) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(if unknown == "requirements" {
                PostingError::RequirementRows
            } else {
                PostingError::Unknown(unknown.chars().take(64).collect())
            });
        }
        let years = match obj.get("min_experience_years") {
            None | Some(Value::Null) => return Err(PostingError::Missing("min_experience_years")),
            Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
            Some(other) => {
                return Err(PostingError::Invalid {
                    field: "min_experience_years",
                    problem: format!("must be a number of years, not {}", kind(other)),
                })
            }
        };
        if !(0.0..=MAX_YEARS).contains(&years) {
            return Err(PostingError::Invalid {
                field: "min_experience_years",
                problem: format!("must be between 0 and {MAX_YEARS} years, not {years}"),
            });
        }
        Ok(JobPosting {
            id: text(&obj, "id")?,
            title: text(&obj, "title")?,
            filiere: text(&obj, "filiere")?,
            categorie: text(&obj, "categorie")?,
            cadre_emplois: text(&obj, "cadre_emplois")?,
            service: text(&obj, "service")?,
            missions: list(&obj, "missions", false)?,
            required_skills: list(&obj, "required_skills", true)?,
            optional_skills: list(&obj, "optional_skills", false)?,
            min_experience_years: years,
        })
    }

    /// Minimum experience in whole months (rounded up: "1,5 an" is 18 months).
    pub fn min_experience_months(&self) -> u32 {
        (self.min_experience_years * 12.0).ceil() as u32
    }

    /// The posting a skills-matcher receives: one requirement per required skill (`r1`…), per
    /// optional skill (`o1`…), and one for the minimum experience when it is above zero.
    pub fn to_matching(&self) -> Posting {
        let mut requirements = Vec::new();
        for (i, skill) in self.required_skills.iter().enumerate() {
            requirements.push(Requirement {
                id: format!("r{}", i + 1),
                label: skill.clone(),
                kind: RequirementKind::Skill,
                weight: REQUIRED_WEIGHT,
                mandatory: true,
                concept_id: None,
            });
        }
        for (i, skill) in self.optional_skills.iter().enumerate() {
            requirements.push(Requirement {
                id: format!("o{}", i + 1),
                label: skill.clone(),
                kind: RequirementKind::Skill,
                weight: OPTIONAL_WEIGHT,
                mandatory: false,
                concept_id: None,
            });
        }
        let months = self.min_experience_months();
        if months > 0 {
            requirements.push(Requirement {
                id: EXPERIENCE_ID.into(),
                label: experience_label(self.min_experience_years),
                kind: RequirementKind::Experience,
                weight: EXPERIENCE_WEIGHT,
                mandatory: true,
                concept_id: None,
            });
        }
        let mut description = format!(
            "{} — filière {}, catégorie {}, cadre d'emplois : {}. Service : {}.",
            self.title, self.filiere, self.categorie, self.cadre_emplois, self.service
        );
        if !self.missions.is_empty() {
            description.push_str("\nMissions :");
            for m in &self.missions {
                description.push_str("\n- ");
                description.push_str(m);
            }
        }
        Posting { id: self.id.clone(), title: self.title.clone(), description, requirements }
    }
}

/// "Expérience professionnelle d'au moins 3 ans" (French: recruiters read it).
fn experience_label(years: f64) -> String {
    if years.fract() == 0.0 {
        let y = years as u32;
        format!("Expérience professionnelle d'au moins {y} an{}", if y > 1 { "s" } else { "" })
    } else {
        let months = (years * 12.0).ceil() as u32;
        format!("Expérience professionnelle d'au moins {months} mois")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "id": "p1", "title": "Gestionnaire paie", "filiere": "administrative", "categorie": "C",
        "cadre_emplois": "adjoints administratifs territoriaux", "service": "DRH",
        "missions": ["Préparer la paie"], "required_skills": ["Paie", "Statut de la FPT"],
        "optional_skills": ["Excel"], "min_experience_years": 2
    }"#;

    #[test]
    fn converts_to_one_row_per_skill_and_experience() {
        let p = JobPosting::from_json(GOOD).unwrap();
        let m = p.to_matching();
        let ids: Vec<&str> = m.requirements.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["r1", "r2", "o1", "experience"]);
        assert!(m.requirements[0].mandatory && !m.requirements[2].mandatory);
        assert_eq!(m.requirements[3].kind, RequirementKind::Experience);
        assert_eq!(m.requirements[3].label, "Expérience professionnelle d'au moins 2 ans");
        assert!(m.description.contains("Préparer la paie"));
        assert_eq!(p.min_experience_months(), 24);
    }

    #[test]
    fn zero_years_adds_no_experience_row_and_half_years_round_up() {
        let mut v: Value = serde_json::from_str(GOOD).unwrap();
        v["min_experience_years"] = 0.into();
        let p = JobPosting::from_json(&v.to_string()).unwrap();
        assert!(p.to_matching().requirements.iter().all(|r| r.kind == RequirementKind::Skill));
        v["min_experience_years"] = 1.5.into();
        let p = JobPosting::from_json(&v.to_string()).unwrap();
        assert_eq!(p.min_experience_months(), 18);
        assert_eq!(p.to_matching().requirements.last().unwrap().label, "Expérience professionnelle d'au moins 18 mois");
    }

    #[test]
    fn clear_errors() {
        let base: Value = serde_json::from_str(GOOD).unwrap();
        let with = |f: &dyn Fn(&mut Map<String, Value>)| {
            let mut v = base.clone();
            f(v.as_object_mut().unwrap());
            JobPosting::from_json(&v.to_string()).unwrap_err()
        };
        assert_eq!(with(&|o| drop(o.remove("title"))), PostingError::Missing("title"));
        assert_eq!(with(&|o| drop(o.insert("salary".into(), "35 k€".into()))), PostingError::Unknown("salary".into()));
        assert_eq!(
            with(&|o| drop(o.insert("requirements".into(), Value::Array(vec![])))),
            PostingError::RequirementRows
        );
        assert_eq!(with(&|o| drop(o.remove("required_skills"))), PostingError::Missing("required_skills"));
        assert!(matches!(
            with(&|o| drop(o.insert("required_skills".into(), Value::Array(vec![])))),
            PostingError::Invalid { field: "required_skills", .. }
        ));
        assert!(matches!(
            with(&|o| drop(o.insert("min_experience_years".into(), "trois".into()))),
            PostingError::Invalid { field: "min_experience_years", .. }
        ));
        assert!(matches!(
            with(&|o| drop(o.insert("min_experience_years".into(), (-1).into()))),
            PostingError::Invalid { field: "min_experience_years", .. }
        ));
        assert!(matches!(
            with(&|o| drop(o.insert("missions".into(), "une seule".into()))),
            PostingError::Invalid { field: "missions", .. }
        ));
        assert!(matches!(JobPosting::from_json("[1]"), Err(PostingError::NotAnObject)));
        assert!(matches!(JobPosting::from_json("{"), Err(PostingError::NotJson(_))));
        let msg = PostingError::Missing("title").to_string();
        assert!(msg.contains("`title`"), "{msg}");
    }
}
