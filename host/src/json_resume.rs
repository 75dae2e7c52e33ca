//! JSON Resume (https://jsonresume.org/schema) rendering of a parsed CV, with Vivier's extra
//! facts (public service, licences, warnings, timeline) under `meta.vivier`.

use crate::model::{ParsedCv, PartialDate};
use crate::timeline::Timeline;
use serde_json::{json, Map, Value};

fn date(d: &Option<PartialDate>) -> Value {
    match d {
        Some(PartialDate { year, month: Some(m) }) => json!(format!("{year:04}-{m:02}")),
        Some(PartialDate { year, month: None }) => json!(format!("{year:04}")),
        None => Value::Null,
    }
}

/// Drops null fields so the document stays valid against the schema (which has no nulls).
fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, compact(v))).collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

pub fn render(cv: &ParsedCv, timeline: &Timeline) -> Value {
    let id = &cv.identity;
    let p = &cv.profile;
    let profiles: Vec<Value> = id.links.iter().map(|l| json!({ "url": l })).collect();
    compact(json!({
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": {
            "name": id.full_name,
            "label": p.headline,
            "email": id.email,
            "phone": id.phone,
            "summary": p.summary,
            "location": { "address": id.address, "postalCode": id.postal_code, "city": id.city },
            "profiles": profiles,
        },
        "work": p.experiences.iter().map(|e| json!({
            "name": e.organisation,
            "position": e.title,
            "location": e.location,
            "startDate": date(&e.start),
            "endDate": if e.current { Value::Null } else { date(&e.end) },
            "summary": if e.description.is_empty() { Value::Null } else { json!(e.description) },
        })).collect::<Vec<_>>(),
        "education": p.education.iter().map(|e| json!({
            "institution": e.institution,
            "studyType": e.degree,
            "startDate": date(&e.start),
            "endDate": date(&e.end),
        })).collect::<Vec<_>>(),
        "skills": p.skills.iter().map(|s| json!({ "name": s.label })).collect::<Vec<_>>(),
        "languages": p.languages.iter().map(|l| json!({ "language": l.name, "fluency": l.level })).collect::<Vec<_>>(),
        "certificates": p.certifications.iter().map(|c| json!({ "name": c.name, "issuer": c.issuer, "date": date(&c.date) })).collect::<Vec<_>>(),
        "interests": p.interests.iter().map(|i| json!({ "name": i })).collect::<Vec<_>>(),
        "meta": {
            "vivier": {
                "current": p.experiences.iter().map(|e| e.current).collect::<Vec<_>>(),
                "skills": p.skills,
                "driving_licences": p.driving_licences,
                "public_service": p.public_service,
                "warnings": cv.warnings,
                "gaps": timeline.gaps,
                "irregularities": timeline.irregularities,
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Experience, Identity, Profile};

    #[test]
    fn maps_work_and_dates() {
        let cv = ParsedCv {
            identity: Identity { full_name: Some("Camille Martin".into()), ..Default::default() },
            profile: Profile {
                experiences: vec![Experience {
                    title: "Gestionnaire paie".into(),
                    organisation: Some("Département".into()),
                    start: Some(PartialDate { year: 2019, month: Some(9) }),
                    current: true,
                    ..Default::default()
                }],
                ..Default::default()
            },
            warnings: vec![],
        };
        let v = render(&cv, &Timeline::default());
        assert_eq!(v["basics"]["name"], "Camille Martin");
        assert_eq!(v["work"][0]["position"], "Gestionnaire paie");
        assert_eq!(v["work"][0]["startDate"], "2019-09");
        assert!(v["work"][0].get("endDate").is_none());
        assert!(v["basics"].get("email").is_none());
    }
}
