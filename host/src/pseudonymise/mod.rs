//! What a matcher receives: a profile with nothing that identifies the candidate or stands for
//! a protected criterion (Code pénal art. 225-1, Code général de la fonction publique L131-1,
//! GDPR art. 9).
//!
//! The WIT `profile` already has no field for a name, an e-mail or a birth date (those stay in
//! `cv.identity`, with the photo flag). What a CV writes in free text can still say them, and
//! job titles carry the candidate's grammatical gender. Before any matcher call the host:
//!
//! - scrubs every free-text field ([`text::scrub`]): contact details, civil titles, birth date
//!   and place, ages, nationality and residence status, family situation, pregnancy and
//!   maternity/parental/sick leave, RQTH and other statements of disability or illness, street
//!   addresses;
//! - neutralises grammatical gender ([`gender::neutralise`]) in titles, headlines and all text;
//! - reduces locations to the département: an experience's or a diploma's place becomes
//!   "département NN" when it holds a French postal code, and disappears otherwise (a town or a
//!   foreign place is a proxy for origin; no posting of a département needs more than that);
//! - drops the dates of diplomas (graduation years reveal age; the level and the diploma stay).
//!
//! Then every string of the profile — languages, licences, certifications and issuers,
//! public-service facts, education levels, skill labels and concept ids included, whatever the
//! parser put where — goes through the same scrub and loses the candidate's own identity values
//! ([`identity::IdentityValues`]: each name part, e-mail, phone in any spacing, address, town,
//! links, birth date), so a parser that copies the identity into profile fields still gets none
//! of it to a matcher.
//!
//! What stays, knowingly: the dates of experiences (the host computes the months of experience
//! from them, and a career gap remains visible as a gap), employers' and schools' names, and
//! languages. The bias probe (`vivier probe bias`) measures what these residues still move.

pub mod gender;
pub mod identity;
pub mod text;

use crate::model::{Identity, Profile};
use identity::IdentityValues;

fn clean(s: &str, title: bool) -> String {
    gender::neutralise(&text::scrub(s), title)
}

fn clean_opt(s: &Option<String>, title: bool) -> Option<String> {
    s.as_deref().map(|s| clean(s, title)).filter(|s| !s.is_empty())
}

/// A place reduced to its département, when it names a French postal code.
fn departement(location: &Option<String>) -> Option<String> {
    let l = location.as_deref()?;
    let code = l.split(|c: char| !c.is_ascii_digit()).find(|t| t.len() == 5).and_then(text::departement_of_postal)?;
    Some(format!("département {code}"))
}

/// The profile as a matcher may see it, without the candidate's own identity values when the
/// identity is known (a stored CV), and without identifying patterns in any case.
pub fn profile(p: &Profile, identity: Option<&Identity>) -> Profile {
    let values = identity.map(IdentityValues::of).unwrap_or_default();
    let out = fields(p);
    // Every string, whatever field a parser put it in; an enum's name is not text.
    let Ok(mut value) = serde_json::to_value(&out) else { return out };
    scrub_strings(&mut value, &values);
    serde_json::from_value(value).unwrap_or(out)
}

fn scrub_strings(value: &mut serde_json::Value, values: &IdentityValues) {
    match value {
        serde_json::Value::String(s) => *s = text::scrub(&values.remove_from(s)),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| scrub_strings(v, values)),
        serde_json::Value::Object(fields) => {
            for (key, v) in fields.iter_mut() {
                if key != "status" {
                    scrub_strings(v, values);
                }
            }
        }
        _ => {}
    }
}

/// The field-by-field treatment: gender neutralised in titles, places reduced to the
/// département, diploma dates dropped.
fn fields(p: &Profile) -> Profile {
    let mut out = p.clone();
    out.headline = clean_opt(&p.headline, true);
    out.summary = clean_opt(&p.summary, false);
    for e in &mut out.experiences {
        e.title = clean(&e.title, true);
        e.organisation = clean_opt(&e.organisation, false);
        e.location = departement(&e.location);
        e.description = clean(&e.description, false);
    }
    for e in &mut out.education {
        e.degree = clean(&e.degree, false);
        e.institution = clean_opt(&e.institution, false);
        e.location = departement(&e.location);
        e.start = None;
        e.end = None;
    }
    for s in &mut out.skills {
        s.label = clean(&s.label, false);
        s.evidence = s.evidence.iter().map(|e| clean(e, false)).filter(|e| !e.is_empty()).collect();
    }
    for c in &mut out.certifications {
        c.name = clean(&c.name, false);
    }
    let ps = &mut out.public_service;
    ps.grade = clean_opt(&ps.grade, true);
    ps.cadre_emplois = clean_opt(&ps.cadre_emplois, true);
    out.interests = p.interests.iter().map(|i| clean(i, false)).filter(|i| !i.is_empty()).collect();
    out
}
