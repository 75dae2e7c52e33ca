//! The job ad template and the checks of mandatory mentions. Plain Rust, testable natively.

use crate::excerpt::excerpt;
use vivier_lint::text::canonical;
use vivier_lint::title::{self, TitleIssue};
use vivier_lint::{rules, Criterion, Finding};
use vivier_sdk::posting_drafter::{DraftError, DraftRequest, DraftWarning, JobAd, Severity};
use vivier_sdk::text::{fold, squash_spaces};

/// Longest excerpt in a warning.
pub const MAX_EXCERPT_CHARS: usize = 160;
/// Shown where the ad lacks a mandatory piece of information.
pub const TO_COMPLETE: &str = "*[à compléter]*";
pub const DEFAULT_CONTRACT_BASIS: &str = "article L332-8 du code général de la fonction publique";
const DECREE: &str = "Décret n° 2018-1351 du 28 décembre 2018, art. 3";

/// Settings an administrator may set through the `config` import.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Sentence on disability (`disability-mention`).
    pub disability_mention: String,
    /// Sentence on equal access (`equality-mention`).
    pub equality_mention: String,
    /// Employer used when the request names none (`employer`).
    pub default_employer: Option<String>,
    /// Presentation of the employer (`employer-presentation`).
    pub employer_presentation: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            disability_mention: "Tous nos postes sont ouverts aux personnes en situation de handicap.".to_owned(),
            equality_mention:
                "Conformément au principe d'égal accès aux emplois publics, toutes les candidatures sont \
                               examinées selon les mêmes critères, sans aucune discrimination."
                    .to_owned(),
            default_employer: None,
            employer_presentation: None,
        }
    }
}

impl Options {
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Options {
        let mut o = Options::default();
        let value = |k: &str| get(k).map(|v| squash_spaces(&v)).filter(|v| !v.is_empty());
        if let Some(v) = value("disability-mention") {
            o.disability_mention = v;
        }
        if let Some(v) = value("equality-mention") {
            o.equality_mention = v;
        }
        o.default_employer = value("employer");
        o.employer_presentation = value("employer-presentation");
        o
    }
}

/// Which part of the request a text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Employer,
    Service,
    Location,
    Filiere,
    Categorie,
    CadreEmplois,
    Grade(usize),
    Mission(usize),
    Profile(usize),
    WorkingTime,
    Remuneration(usize),
    RemoteWork,
    Deadline,
    StartDate,
    Contact,
    ContractBasis,
    RecruitmentRoute,
    Notes,
}

/// One piece of request text and what the check found in it.
struct Checked {
    field: Field,
    text: String,
    findings: Vec<Finding>,
}

impl Checked {
    /// Holds an unambiguous discriminatory phrase: kept out of the ad.
    fn blocked(&self) -> bool {
        self.findings.iter().any(|f| !f.ambiguous)
    }
}

fn all_texts(r: &DraftRequest) -> Vec<(Field, String)> {
    let mut out = vec![(Field::Title, r.job_title.clone())];
    let opt = |out: &mut Vec<(Field, String)>, f: Field, v: &Option<String>| {
        if let Some(v) = v {
            out.push((f, v.clone()));
        }
    };
    opt(&mut out, Field::Employer, &r.employer);
    opt(&mut out, Field::Service, &r.service);
    opt(&mut out, Field::Location, &r.location);
    opt(&mut out, Field::Filiere, &r.filiere);
    opt(&mut out, Field::Categorie, &r.categorie);
    opt(&mut out, Field::CadreEmplois, &r.cadre_emplois);
    out.extend(r.grades.iter().enumerate().map(|(i, v)| (Field::Grade(i), v.clone())));
    out.extend(r.missions.iter().enumerate().map(|(i, v)| (Field::Mission(i), v.clone())));
    out.extend(r.profile.iter().enumerate().map(|(i, v)| (Field::Profile(i), v.clone())));
    opt(&mut out, Field::WorkingTime, &r.working_time);
    out.extend(r.remuneration.iter().enumerate().map(|(i, v)| (Field::Remuneration(i), v.clone())));
    opt(&mut out, Field::RemoteWork, &r.remote_work);
    opt(&mut out, Field::Deadline, &r.application_deadline);
    opt(&mut out, Field::StartDate, &r.start_date);
    opt(&mut out, Field::Contact, &r.contact);
    opt(&mut out, Field::ContractBasis, &r.contract_basis);
    opt(&mut out, Field::RecruitmentRoute, &r.recruitment_route);
    // The host's linter reads the whole notes; this plugin reads what a meeting note can hold.
    if let Some(n) = &r.recruiter_notes {
        out.push((Field::Notes, crate::notes::head(n, 4 * crate::notes::MAX_NOTES_CHARS).to_owned()));
    }
    out
}

/// A request value cleaned for the ad: spaces squashed, list markers dropped.
fn clean(value: &str) -> String {
    squash_spaces(value).trim_start_matches(['-', '*', '•', '–', '·', ' ']).trim().to_owned()
}

/// The ad title: the job title with one space between words, capitalised, without trailing
/// punctuation or an existing "H/F" mark, followed by "(F/H)" unless it is already inclusive.
pub fn ad_title(job_title: &str) -> String {
    let mut t = clean(job_title);
    for mark in ["(H/F)", "(F/H)", "(h/f)", "(f/h)", "H/F", "F/H", "h/f", "f/h", "(H-F)", "(F-H)"] {
        if let Some(stripped) = t.strip_suffix(mark) {
            t = stripped.trim_end().to_owned();
        }
    }
    let t = t.trim_end_matches(['.', ',', ';', ':', '-', '–', ' ']).to_owned();
    let mut chars = t.chars();
    let t = match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => t,
    };
    if t.contains('·') || t.contains("(e)") {
        t
    } else {
        format!("{t} (F/H)")
    }
}

fn warning(
    code: &str,
    category: &str,
    severity: Severity,
    message: String,
    article: &str,
    excerpt: String,
) -> DraftWarning {
    DraftWarning {
        code: code.to_owned(),
        category: category.to_owned(),
        severity,
        message,
        article: article.to_owned(),
        excerpt,
    }
}

/// This plugin's warning code for a criterion. The first thirteen are the codes it has always
/// emitted; every criterion has its own, so two criteria of one passage give two warnings.
pub fn warning_code(criterion: Criterion) -> &'static str {
    match criterion {
        Criterion::Age => "age-criterion",
        Criterion::Sex => "sex-criterion",
        Criterion::FamilySituation => "family-situation",
        Criterion::Pregnancy => "pregnancy",
        Criterion::Origin => "origin-criterion",
        Criterion::Nationality => "nationality-criterion",
        Criterion::Health => "health-criterion",
        Criterion::PhysicalAppearance => "appearance-criterion",
        Criterion::Religion => "religion-criterion",
        Criterion::UnionActivity => "union-membership",
        Criterion::PoliticalOpinion => "political-opinion",
        Criterion::PlaceOfResidence => "residence-criterion",
        Criterion::SexualOrientation => "sexual-orientation",
        Criterion::Disability => "disability-criterion",
        Criterion::GenderIdentity => "gender-identity-criterion",
        Criterion::Surname => "surname-criterion",
        Criterion::Language => "language-criterion",
        Criterion::GeneticCharacteristics => "genetic-criterion",
        Criterion::EconomicVulnerability => "economic-vulnerability-criterion",
        Criterion::BankDomicile => "bank-domicile-criterion",
        Criterion::LossOfAutonomy => "loss-of-autonomy-criterion",
        Criterion::Mores => "mores-criterion",
    }
}

fn discrimination_warning(checked: &Checked, f: &Finding, criterion: Criterion) -> DraftWarning {
    let (severity, suffix) = if f.ambiguous {
        (
            Severity::Info,
            " À vérifier : le terme peut être légitime (niveau d'expérience, contrainte objective du poste) ; reformulez-le s'il vise la personne.",
        )
    } else if checked.field == Field::Notes {
        (
            Severity::Warning,
            " Les notes du recruteur ne sont jamais reprises dans l'annonce, et ce critère ne peut pas non plus guider la sélection.",
        )
    } else if checked.field == Field::Title {
        (Severity::Error, " Reformulez l'intitulé du poste avant publication.")
    } else {
        (Severity::Error, " Le passage a été retiré du projet d'annonce.")
    };
    warning(
        warning_code(criterion),
        "discrimination",
        severity,
        format!("{}{suffix}", criterion.message()),
        &criterion.article(),
        excerpt(&checked.text, f.start, f.end, MAX_EXCERPT_CHARS),
    )
}

fn missing(code: &str, severity: Severity, what: &str) -> DraftWarning {
    warning(
        code,
        "mandatory-mention",
        severity,
        format!("Mention obligatoire absente : {what}. Complétez-la avant publication."),
        DECREE,
        String::new(),
    )
}

fn usual(code: &str, message: &str, article: &str) -> DraftWarning {
    warning(code, "style", Severity::Info, message.to_owned(), article, String::new())
}

fn present(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// Drafts the ad. Deterministic: the same request and options give the same ad.
pub fn draft(request: &DraftRequest, options: &Options) -> Result<JobAd, DraftError> {
    if request.job_title.trim().is_empty() {
        return Err(DraftError::InvalidRequest("l'intitulé du poste (job-title) est vide".to_owned()));
    }
    let texts = all_texts(request);
    // The whole request, for the exceptions that depend on it (a post reserved to nationals).
    let document = canonical(&texts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n"));
    let checked: Vec<Checked> = texts
        .into_iter()
        .map(|(field, text)| Checked { findings: rules::check(&text, &document), field, text })
        .collect();

    let mut warnings: Vec<DraftWarning> = Vec::new();
    for c in &checked {
        for f in &c.findings {
            for &criterion in &f.criteria {
                let w = discrimination_warning(c, f, criterion);
                if !warnings.iter().any(|x| x.code == w.code && x.excerpt == w.excerpt) {
                    warnings.push(w);
                }
            }
        }
    }
    let gendered = match title::check(&request.job_title) {
        Some(TitleIssue::FeminineOnly(word)) => Some(format!(
            "Intitulé au féminin seul (« {word} ») : même suivi de « F/H », un intitulé genré est à éviter. \
             Employez les deux formes ou l'écriture inclusive (par exemple « Assistant·e »)."
        )),
        Some(TitleIssue::MasculineOnly(word)) => Some(format!(
            "Intitulé qui désigne un seul sexe (« {word} ») : employez un intitulé neutre, suivi de « (F/H) »."
        )),
        // The ad's title gets "(F/H)" from `ad_title`.
        Some(TitleIssue::NoMark) | None => None,
    };
    if let Some(message) = gendered {
        warnings.push(warning(
            "gendered-title",
            "discrimination",
            Severity::Warning,
            message,
            "Code du travail, art. L1142-1 ; code général de la fonction publique, art. L131-1",
            clean(&request.job_title),
        ));
    }

    // The text of a field as it may appear in the ad: None when absent, empty or blocked.
    let value = |field: Field| -> Option<String> {
        checked
            .iter()
            .find(|c| c.field == field)
            .filter(|c| !c.blocked() || c.field == Field::Title)
            .map(|c| clean(&c.text))
            .filter(|s| !s.is_empty())
    };
    let list =
        |make: fn(usize) -> Field, len: usize| -> Vec<String> { (0..len).filter_map(|i| value(make(i))).collect() };

    let title = ad_title(&request.job_title);
    let employer = value(Field::Employer).or_else(|| options.default_employer.clone());
    let categorie = value(Field::Categorie);
    let cadre = value(Field::CadreEmplois);
    let filiere = value(Field::Filiere);
    let grades = list(Field::Grade, request.grades.len());
    let missions = list(Field::Mission, request.missions.len());
    let profile = list(Field::Profile, request.profile.len());
    let remuneration = list(Field::Remuneration, request.remuneration.len());
    let deadline = value(Field::Deadline);
    let contact = value(Field::Contact);
    let location = value(Field::Location);

    // Mandatory and usual mentions.
    if employer.is_none() {
        warnings.push(missing("missing-employer", Severity::Warning, "l'employeur (autorité qui recrute)"));
    }
    if location.is_none() {
        warnings.push(missing("missing-location", Severity::Warning, "le lieu de travail"));
    }
    if categorie.is_none() {
        warnings.push(missing("missing-categorie", Severity::Warning, "la catégorie statutaire (A, B ou C)"));
    }
    if cadre.is_none() {
        warnings.push(missing("missing-cadre-emplois", Severity::Warning, "le ou les cadres d'emplois"));
    }
    if grades.is_empty() {
        let mut w = missing("missing-grades", Severity::Info, "le ou les grades recherchés, le cas échéant");
        w.message = "Grade non précisé : indiquez le ou les grades recherchés lorsque le poste en vise. ".to_owned()
            + "Complétez avant publication si nécessaire.";
        warnings.push(w);
    }
    if missions.is_empty() {
        warnings.push(missing("missing-missions", Severity::Warning, "les missions du poste"));
    }
    if profile.is_empty() {
        warnings.push(missing("missing-profile", Severity::Warning, "le profil recherché (expérience ou compétences)"));
    }
    if deadline.is_none() {
        warnings.push(missing("missing-application-deadline", Severity::Warning, "la date limite de candidature"));
    }
    if contact.is_none() {
        warnings.push(missing(
            "missing-contact",
            Severity::Warning,
            "l'autorité ou l'adresse à laquelle envoyer les candidatures",
        ));
    }
    if remuneration.is_empty() {
        warnings.push(usual(
            "missing-remuneration",
            "Rémunération non précisée : la mention est facultative mais attendue des candidats (rémunération statutaire, régime indemnitaire RIFSEEP, avantages sociaux).",
            "Décret n° 2018-1351 du 28 décembre 2018, art. 3 (mention facultative)",
        ));
    }
    if value(Field::WorkingTime).is_none() {
        warnings.push(usual(
            "missing-working-time",
            "Temps de travail non précisé : indiquez temps complet ou non complet (durée hebdomadaire).",
            DECREE,
        ));
    }
    let open_to_contractuels = request.open_to_contractuels == Some(true);
    if request.open_to_contractuels.is_none()
        && !present(&request.contract_basis)
        && !present(&request.recruitment_route)
    {
        warnings.push(usual(
            "recruitment-route-unspecified",
            "Voie de recrutement non précisée : indiquez si le poste est ouvert aux contractuels et, le cas échéant, sur quel fondement.",
            "Décret n° 2019-1414 du 19 décembre 2019",
        ));
    }
    if open_to_contractuels && value(Field::ContractBasis).is_none() {
        warnings.push(usual(
            "contract-basis-default",
            "Fondement du recrutement contractuel non fourni : l'article L332-8 du code général de la fonction publique est indiqué par défaut ; vérifiez qu'il correspond à la délibération créant le poste.",
            "Code général de la fonction publique, art. L332-8 ; décret n° 2019-1414 du 19 décembre 2019",
        ));
    }
    if present(&request.contract_basis) && !open_to_contractuels {
        warnings.push(usual(
            "contract-basis-unused",
            "Un fondement de recrutement contractuel est indiqué mais le poste n'est pas déclaré ouvert aux contractuels (open_to_contractuels) : l'ouverture n'est pas mentionnée.",
            "Décret n° 2019-1414 du 19 décembre 2019",
        ));
    }

    // Meeting notes are short: past MAX_NOTES_CHARS they are not used for the ad (the
    // discrimination check above still read them whole).
    let notes_text = request.recruiter_notes.as_deref().map(|n| crate::notes::head(n, crate::notes::MAX_NOTES_CHARS));
    if request.recruiter_notes.as_deref().is_some_and(|n| n.chars().count() > crate::notes::MAX_NOTES_CHARS) {
        warnings.push(usual(
            "recruiter-notes-truncated",
            "Notes du recruteur très longues : seul leur début a été exploité pour l'annonce.",
            "",
        ));
    }
    let notes = notes_text.map(crate::notes::classify).unwrap_or_default();
    let mut published_notes: Vec<String> = Vec::new();
    for n in notes.iter().filter(|n| !n.internal) {
        if !published_notes.contains(&n.text) && published_notes.len() < crate::notes::MAX_PUBLISHED {
            published_notes.push(n.text.clone());
        }
    }
    let internal_notes = notes.iter().filter(|n| n.internal).count();
    if internal_notes > 0 {
        warnings.push(usual(
            "recruiter-notes-kept-internal",
            &format!(
                "{internal_notes} remarque(s) des notes du recruteur sont internes (contexte, budget, personnes, \
                 critères non publiables) et n'ont pas été reprises dans l'annonce."
            ),
            "",
        ));
    }
    if warnings.iter().any(|w| w.category == "discrimination" && w.severity == Severity::Error) {
        warnings.push(usual(
            "passage-removed",
            "Un ou plusieurs passages de la demande contenant un critère discriminatoire ont été retirés du projet \
             d'annonce : voyez les alertes correspondantes.",
            "Code pénal, art. 225-2 (5°)",
        ));
    }
    let metier = crate::notes::labelled(notes_text.unwrap_or(""), &["metier", "fiche metier"]).unwrap_or_else(|| {
        warnings.push(usual(
            "metier-from-title",
            "Métier de référence déduit de l'intitulé : vérifiez qu'il correspond à une fiche du répertoire des \
                 métiers territoriaux du CNFPT.",
            "Décret n° 2018-1351 du 28 décembre 2018, art. 3, 6°",
        ));
        title_stem(&title)
    });
    let reference = crate::notes::labelled(notes_text.unwrap_or(""), &["ref", "reference"])
        .unwrap_or_else(|| generated_reference(request));
    let creation = [&request.recruitment_route, &request.recruiter_notes]
        .iter()
        .any(|v| v.as_deref().is_some_and(|t| fold(t).contains("creation de poste") || fold(t).contains("poste cree")));
    // décret 2018-1351 art. 3, 2°: creation or vacancy of the post.
    let vacancy = if creation { "Création de poste (emploi permanent)" } else { "Vacance d'emploi permanent" };

    let mut subtitle = vec!["Fonction publique territoriale".to_owned()];
    if let Some(c) = &categorie {
        subtitle.push(format!("catégorie {c}"));
    }
    if let Some(f) = &filiere {
        subtitle.push(filiere_phrase(f));
    }
    let service = value(Field::Service);
    let presentation = options.employer_presentation.clone().unwrap_or_else(|| match (&employer, &service) {
        (Some(e), Some(s)) => format!(
            "{e} recrute au sein de : {s}. Rejoindre une collectivité territoriale, c'est mettre ses compétences au \
             service de l'intérêt général et des habitants du territoire."
        ),
        (Some(e), None) => format!(
            "{e} recrute. Rejoindre une collectivité territoriale, c'est mettre ses compétences au service de \
             l'intérêt général et des habitants du territoire."
        ),
        _ => "Rejoindre une collectivité territoriale, c'est mettre ses compétences au service de l'intérêt \
              général et des habitants du territoire."
            .to_owned(),
    });
    // Opening to contract staff only when the request says so (décret n° 2019-1414; CGFP L332-8).
    let contractuels = (request.open_to_contractuels == Some(true)).then(|| {
        value(Field::ContractBasis)
            .unwrap_or_else(|| DEFAULT_CONTRACT_BASIS.to_owned())
            .trim_end_matches('.')
            .to_owned()
    });
    let ctx = minijinja::context! {
        title => &title,
        cadre => &cadre,
        cadre_heading => cadre.as_deref().map(cadre_phrase),
        grades => &grades,
        subtitle => subtitle.join(" – "),
        reference => &reference,
        vacancy => vacancy,
        presentation => presentation,
        employer => &employer,
        service => &service,
        location => &location,
        missions => &missions,
        profile => &profile,
        notes => &published_notes,
        metier => &metier,
        categorie => &categorie,
        filiere => &filiere,
        working_time => value(Field::WorkingTime),
        remuneration => &remuneration,
        remote_work => value(Field::RemoteWork),
        start_date => value(Field::StartDate),
        route => value(Field::RecruitmentRoute),
        contractuels => contractuels,
        titulaires_only => request.open_to_contractuels == Some(false),
        deadline => &deadline,
        contact => &contact,
        disability => &options.disability_mention,
        equality => &options.equality_mention,
        todo => TO_COMPLETE,
    };
    let mut env = minijinja::Environment::new();
    // Markdown, not HTML: no escaping; the request's text is the recruiter's own.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_keep_trailing_newline(true);
    let md = env
        .render_str(TEMPLATE, ctx)
        .map_err(|e| DraftError::Internal(format!("le modèle d'annonce n'a pas pu être rempli : {e}")))?;
    Ok(JobAd { title, markdown: md, warnings })
}

/// The Markdown template of the ad (minijinja).
const TEMPLATE: &str = include_str!("../templates/annonce.md.j2");

/// The title without its gender mark, as the métier when the notes name none.
fn title_stem(title: &str) -> String {
    title.trim_end_matches("(F/H)").trim().to_owned()
}

/// A stable reference when the notes give none: "VIV-<year of the deadline>-<6 hex digits of a
/// hash of title, employer and deadline>", so the same request always gets the same reference.
pub fn generated_reference(r: &DraftRequest) -> String {
    let key = format!(
        "{}|{}|{}",
        fold(&r.job_title),
        fold(r.employer.as_deref().unwrap_or("")),
        fold(r.application_deadline.as_deref().unwrap_or(""))
    );
    // FNV-1a: tiny, deterministic across platforms.
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let year = r
        .application_deadline
        .as_deref()
        .and_then(|d| d.split(|c: char| !c.is_ascii_digit()).find(|t| t.len() == 4).map(str::to_owned));
    match year {
        Some(y) => format!("VIV-{y}-{:06X}", h & 0xFF_FFFF),
        None => format!("VIV-{:06X}", h & 0xFF_FFFF),
    }
}

/// "adjoints administratifs territoriaux" → "Cadre d'emplois des adjoints administratifs
/// territoriaux"; a value that already says "cadre d'emplois" is kept.
fn cadre_phrase(cadre: &str) -> String {
    let folded = fold(cadre);
    if folded.starts_with("cadre") {
        cadre.to_owned()
    } else if folded.starts_with("des ") || folded.starts_with("d ") {
        format!("Cadre d'emplois {cadre}")
    } else {
        format!("Cadre d'emplois des {cadre}")
    }
}

fn filiere_phrase(filiere: &str) -> String {
    if fold(filiere).starts_with("filiere") {
        filiere.to_lowercase()
    } else {
        format!("filière {filiere}")
    }
}
