//! The job-ad linter: the same checks for every drafter, run by the host on the request and on
//! every draft, and by `vivier lint AD.md`.
//!
//! It flags discriminatory criteria (with the category codes of [`Criterion`]), titles not in
//! both genders, missing mandatory mentions (décret n° 2018-1351, art. 3) and internal remarks
//! of the recruiter's notes that leaked into the ad. It is a safety net for the human who edits
//! and signs the ad, not a legal opinion: a flag is a prompt to reread.
//!
//! The checks themselves (criteria, rule tables, text normalisation, notes, titles, mentions)
//! are the `vivier-lint` crate, shared with the template drafter; this module turns their
//! findings into the host's draft warnings.

pub mod mentions;

pub use vivier_lint::{criteria, normalize, notes, rules, text, title, Criterion};

use crate::model::{DraftRequest, DraftWarning, Severity};
use text::{canonical, excerpt, fold};

/// Characters of recruiter notes compared with the ad for leaks.
pub const MAX_NOTES_CHARS: usize = 64 * 1024;

/// Longest ad the API lints, in bytes: a job ad is a few kilobytes; a body of megabytes is not
/// an ad, and would hold a worker for its whole reading.
pub const MAX_AD_BYTES: usize = 256 * 1024;

/// Longest excerpt in a warning, in characters.
pub const MAX_EXCERPT_CHARS: usize = 200;

/// A warning with the exact words it is about (empty for missing mentions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub warning: DraftWarning,
    pub matched: String,
}

impl Flag {
    /// A violation rather than a point to check (severity warning or error).
    pub fn is_violation(&self) -> bool {
        self.warning.severity != Severity::Info
    }
}

const TITLE_ARTICLE: &str = "Code du travail, art. L1142-1 ; code pénal, art. 225-1 et 225-2 (5°) ; \
                             code général de la fonction publique, art. L131-1";
const NOTES_ARTICLE: &str = "Code général de la fonction publique, art. L121-7 (discrétion professionnelle) ; \
                             RGPD, art. 5.1 c) (minimisation des données)";

/// Where a text comes from, for severities and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Ad,
    Request(&'static str),
    Notes,
}

/// One flag per criterion of each finding: a passage with an age limit and a sex requirement
/// gets two warnings. The excerpt and the matched words are the text's own, tricks included.
fn criterion_flags(text: &str, document: &str, origin: Origin, out: &mut Vec<Flag>) {
    for f in rules::check(text, document) {
        let matched = text[f.start..f.end].to_owned();
        for &criterion in &f.criteria {
            let (severity, suffix) = match (f.ambiguous, origin) {
                (true, _) => (
                    Severity::Info,
                    " À vérifier : le terme peut être légitime ; reformulez-le s'il vise la personne.".to_owned(),
                ),
                (false, Origin::Ad) => (Severity::Error, " Reformulez ce passage avant publication.".to_owned()),
                (false, Origin::Request(field)) => {
                    (Severity::Warning, format!(" (champ « {field} » de la demande : ne le reprenez pas dans l'annonce.)"))
                }
                (false, Origin::Notes) => (
                    Severity::Warning,
                    " (notes du recruteur : elles ne sont pas publiées, mais ce critère ne peut pas non plus guider la sélection.)"
                        .to_owned(),
                ),
            };
            out.push(Flag {
                warning: DraftWarning {
                    code: "discriminatory-criterion".into(),
                    category: criterion.code().into(),
                    severity,
                    message: format!("{}{suffix}", criterion.message()),
                    article: criterion.article(),
                    excerpt: excerpt(text, f.start, f.end, MAX_EXCERPT_CHARS),
                },
                matched: matched.clone(),
            });
        }
    }
}

fn title_flag(title: &str, in_request: bool) -> Option<Flag> {
    let issue = title::check(title)?;
    let (severity, message, matched) = match issue {
        title::TitleIssue::FeminineOnly(w) => (
            Severity::Warning,
            format!(
                "Intitulé au féminin seul (« {w} ») : même suivi de « F/H », il s'adresse à un seul sexe. \
                 Employez les deux formes (« Assistant ou assistante ») ou l'écriture inclusive (« Assistant·e »)."
            ),
            w,
        ),
        title::TitleIssue::MasculineOnly(w) => (
            Severity::Error,
            format!("Intitulé qui désigne un seul sexe (« {w} ») : employez un intitulé neutre suivi de « (F/H) »."),
            w,
        ),
        // A drafter adds "(F/H)" to the requested title: only the ad's title must carry it.
        title::TitleIssue::NoMark if in_request => return None,
        title::TitleIssue::NoMark => (
            Severity::Warning,
            "Intitulé sans forme inclusive : ajoutez « (F/H) » ou employez les deux formes.".to_owned(),
            title.trim().to_owned(),
        ),
    };
    Some(Flag {
        warning: DraftWarning {
            code: "gendered-title".into(),
            category: Criterion::Sex.code().into(),
            severity,
            message,
            article: TITLE_ARTICLE.into(),
            excerpt: text::squash(title),
        },
        matched,
    })
}

/// The request's texts with the name of their field, notes last.
fn request_fields(r: &DraftRequest) -> Vec<(&'static str, String)> {
    let mut out = vec![("job_title", r.job_title.clone())];
    let mut opt = |name: &'static str, v: &Option<String>| {
        if let Some(v) = v {
            out.push((name, v.clone()));
        }
    };
    opt("employer", &r.employer);
    opt("filiere", &r.filiere);
    opt("categorie", &r.categorie);
    opt("cadre_emplois", &r.cadre_emplois);
    opt("service", &r.service);
    opt("location", &r.location);
    opt("working_time", &r.working_time);
    opt("remote_work", &r.remote_work);
    opt("application_deadline", &r.application_deadline);
    opt("start_date", &r.start_date);
    opt("contact", &r.contact);
    opt("contract_basis", &r.contract_basis);
    opt("recruitment_route", &r.recruitment_route);
    for (name, list) in
        [("grades", &r.grades), ("missions", &r.missions), ("profile", &r.profile), ("remuneration", &r.remuneration)]
    {
        out.extend(list.iter().map(|v| (name, v.clone())));
    }
    if let Some(n) = &r.recruiter_notes {
        // Meeting notes are short; a pathological size is read up to a bound (the ad is always
        // read whole).
        let head = match n.char_indices().nth(MAX_NOTES_CHARS) {
            Some((i, _)) => &n[..i],
            None => n.as_str(),
        };
        out.push(("recruiter_notes", head.to_owned()));
    }
    out
}

/// The title (first level-1 heading) and the ad.
pub fn split_title(markdown: &str) -> (String, &str) {
    let title = markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.split(" – ").next().unwrap_or(t).trim().to_owned())
        .unwrap_or_default();
    (title, markdown)
}

/// Checks a draft request: discriminatory criteria in any field (notes included) and a title
/// that names one sex.
pub fn lint_request(request: &DraftRequest) -> Vec<Flag> {
    let fields = request_fields(request);
    let document = canonical(&fields.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n"));
    let mut out = Vec::new();
    for (name, text) in &fields {
        let origin = if *name == "recruiter_notes" { Origin::Notes } else { Origin::Request(name) };
        criterion_flags(text, &document, origin, &mut out);
    }
    out.extend(title_flag(&request.job_title, true));
    if request.recruiter_notes.as_deref().is_some_and(|n| n.chars().count() > MAX_NOTES_CHARS) {
        out.push(Flag {
            warning: DraftWarning {
                code: "notes-partly-checked".into(),
                category: "style".into(),
                severity: Severity::Info,
                message: format!(
                    "Notes du recruteur très longues : seuls les {MAX_NOTES_CHARS} premiers caractères ont été contrôlés."
                ),
                article: String::new(),
                excerpt: String::new(),
            },
            matched: String::new(),
        });
    }
    dedup(out)
}

/// Checks an ad: discriminatory criteria, the title, mandatory mentions, and, when the request
/// is known, internal remarks of its notes copied into the ad.
pub fn lint_ad(title: &str, markdown: &str, request: Option<&DraftRequest>) -> Vec<Flag> {
    let document = canonical(&format!("{title}\n{markdown}"));
    let mut out = Vec::new();
    criterion_flags(title, &document, Origin::Ad, &mut out);
    criterion_flags(markdown, &document, Origin::Ad, &mut out);
    out.extend(title_flag(title, false));
    for m in mentions::missing(title, markdown, request) {
        out.push(Flag {
            warning: DraftWarning {
                code: "missing-mention".into(),
                category: "missing-mention".into(),
                severity: Severity::Warning,
                message: format!(
                    "Mention obligatoire absente : {} (décret n° 2018-1351, art. 3, {}). Complétez-la avant publication.",
                    m.label, m.item
                ),
                article: format!("{}, {}", mentions::ARTICLE, m.item),
                excerpt: m.id.into(),
            },
            matched: String::new(),
        });
    }
    if let Some(n) = request.and_then(|r| r.recruiter_notes.as_deref()) {
        // Meeting notes are short; a pathological size must not stall the check.
        let n = match n.char_indices().nth(MAX_NOTES_CHARS) {
            Some((i, _)) => &n[..i],
            None => n,
        };
        for (ad_sentence, _note) in notes::leaks(n, markdown) {
            out.push(Flag {
                warning: DraftWarning {
                    code: "internal-note-leak".into(),
                    category: "internal-remark".into(),
                    severity: Severity::Error,
                    message: "Remarque interne issue des notes du recruteur reprise dans l'annonce : \
                              retirez-la avant publication."
                        .into(),
                    article: NOTES_ARTICLE.into(),
                    excerpt: text::squash(&ad_sentence),
                },
                matched: ad_sentence,
            });
        }
    }
    dedup(out)
}

/// The ad's flags, then the request's flags that are not about the same words.
pub fn lint_draft(request: &DraftRequest, title: &str, markdown: &str) -> Vec<Flag> {
    let mut out = lint_ad(title, markdown, Some(request));
    out.extend(lint_request(request));
    dedup(out)
}

/// Drops repeats: same code, category and words (folded).
fn dedup(flags: Vec<Flag>) -> Vec<Flag> {
    let mut seen = std::collections::HashSet::new();
    flags
        .into_iter()
        .filter(|f| {
            let key = if f.matched.is_empty() { f.warning.excerpt.clone() } else { fold(&f.matched) };
            seen.insert((f.warning.code.clone(), f.warning.category.clone(), key))
        })
        .collect()
}

#[cfg(test)]
mod tests;
