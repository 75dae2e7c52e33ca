//! Work experience: jobs, internships, apprenticeships and part-time positions, in document order.

use crate::entries::{form_label, is_region, known_town, looks_like_location, segment, segments, RawEntry, Role};
use crate::input::Line;
use vivier_sdk::cv_parser::{Experience, PartialDate};
use vivier_sdk::text::fold;

/// Stems of words that name a job.
pub const TITLE_STEMS: &[&str] = &[
    "assistant",
    "charge",
    "responsable",
    "gestionnaire",
    "developpeu",
    "developer",
    "ingenieur",
    "engineer",
    "manager",
    "directeu",
    "directri",
    "director",
    "redacteu",
    "redactri",
    "attache",
    "agent",
    "adjoint",
    "technicien",
    "technician",
    "juriste",
    "comptable",
    "accountant",
    "secretaire",
    "secretary",
    "stagiaire",
    "intern",
    "consultant",
    "chef",
    "analyst",
    "conseill",
    "coordinat",
    "animat",
    "educat",
    "infirmi",
    "nurse",
    "professeur",
    "enseignant",
    "teacher",
    "officer",
    "lead",
    "head",
    "specialist",
    "administrateu",
    "administrat",
    "apprenti",
    "alternant",
    "employe",
    "vendeu",
    "caissi",
    "operat",
    "instruct",
    "architect",
    "designer",
    "scientist",
    "researcher",
    "chercheu",
    "doctorant",
    "postdoc",
    "auditeu",
    "controleu",
    "acheteu",
    "commercial",
    "president",
    "fondat",
    "founder",
    "cto",
    "ceo",
    "cfo",
    "drh",
    "rrh",
    "gardien",
    "policier",
    "sapeur",
    "aide",
    "auxiliaire",
    "accompagn",
    "medecin",
    "avocat",
    "formateu",
    "formatri",
    "trainer",
    "tuteu",
    "surveillant",
    "documentaliste",
    "bibliothec",
    "archiviste",
    "chauffeu",
    "magasinier",
    "cuisinier",
    "serveu",
    "jardinier",
    "electricien",
    "plombier",
    "mecanicien",
    "receptionist",
    "hote",
    "stage",
    "internship",
    "apprentice",
    "clerk",
    "coach",
    "mediat",
    "juge",
    "greffi",
    "inspect",
    "economiste",
    "statisticien",
    "webmaster",
    "product",
    "owner",
    "devops",
    "support",
    "help",
    "hr",
    "recruteu",
    "recruiter",
    "talent",
    "paie",
    "payroll",
    "benevole",
    "volunteer",
    "trainee",
    "junior",
    "senior",
    "principal",
    "dev",
    "full",
    "data",
    "software",
    "web",
    "sales",
    "marketing",
    "project",
    "projet",
    "mission",
    "vacataire",
    "contractuel",
    "titulaire",
    "ouvrier",
    "employee",
    "superviseu",
    "encadrant",
    "maitre",
    "logisticien",
    "associate",
    "partner",
    "expert",
    "scrum",
];

/// Stems of words that name an employer.
pub const ORG_STEMS: &[&str] = &[
    "mairie",
    "ville",
    "commune",
    "communaute",
    "agglomeration",
    "agglo",
    "metropole",
    "conseil",
    "departement",
    "region",
    "prefecture",
    "ministere",
    "ccas",
    "cias",
    "sdis",
    "centre",
    "hopital",
    "chu",
    "clinique",
    "ehpad",
    "universite",
    "university",
    "ecole",
    "school",
    "lycee",
    "college",
    "institut",
    "academie",
    "rectorat",
    "tribunal",
    "cour",
    "caisse",
    "cpam",
    "caf",
    "urssaf",
    "agence",
    "agency",
    "office",
    "societe",
    "company",
    "entreprise",
    "groupe",
    "group",
    "cabinet",
    "banque",
    "bank",
    "assurance",
    "association",
    "fondation",
    "foundation",
    "federation",
    "syndicat",
    "laboratoire",
    "lab",
    "cnrs",
    "inserm",
    "inria",
    "sncf",
    "ratp",
    "edf",
    "inc",
    "ltd",
    "llc",
    "sas",
    "sarl",
    "gmbh",
    "corp",
    "plc",
    "consulting",
    "solutions",
    "systems",
    "studio",
    "hotel",
    "restaurant",
    "magasin",
    "supermarche",
    "boutique",
    "etablissement",
    "insee",
    "cnfpt",
    "intercommunal",
    "territoire",
    "collectivite",
    "services",
    "technologies",
    "industries",
    "france",
    "poste",
    "mutuelle",
    "hospitalier",
    "direction",
    "dreal",
    "ddt",
    "ars",
    "onf",
    "startup",
    "labs",
    "town",
    "city",
    "council",
    "county",
    "ministry",
    "government",
    "hospital",
    "museum",
    "musee",
    "srl",
    "sprl",
    "asbl",
    "avocats",
    "medical",
    "clinic",
    "council",
    "retail",
    "analytics",
    "interim",
    "bibliotheque",
    "mediatheque",
    "theatre",
    "eurl",
    "sa",
    "sasu",
    "scop",
    "cooperative",
    // The word itself, as templates and forms write it ("Job title, Employer"): not "employé".
    "employer",
    "employeur",
];

/// Words that mark the kind of contract rather than a title or an employer.
const CONTRACT: &[&str] = &[
    "cdd",
    "cdi",
    "stage",
    "alternance",
    "apprentissage",
    "interim",
    "temps partiel",
    "temps plein",
    "internship",
    "part time",
    "full time",
    "freelance",
    "independant",
    "vacation",
    "vacataire",
    "contrat aide",
    "service civique",
    "job etudiant",
    "job d ete",
    "emploi saisonnier",
    "saisonnier",
    "benevolat",
    "mi temps",
    "contrat de professionnalisation",
    "contractuel",
    "mission d interim",
    "mission interim",
    "contrat d interim",
    "remplacement",
    "cdd de remplacement",
];

/// Dated lines that are not jobs: job search, leave, availability.
const GAPS: &[&str] = &[
    "recherche d emploi",
    "recherche active d emploi",
    "periode de recherche",
    "en recherche",
    "disponibilite",
    "mise en disponibilite",
    "conge parental",
    "conge maternite",
    "conge paternite",
    "conge sabbatique",
    "conge de formation",
    "annee sabbatique",
    "sabbatique",
    "inactivite",
    "job search",
    "job seeking",
    "career break",
    "sabbatical",
    "parental leave",
    "maternity leave",
    "chomage",
    "pause professionnelle",
    "pause de carriere",
];

/// "6 mois", "3 months", "deux semaines": how long, not what or where.
fn is_duration(folded: &str) -> bool {
    let w: Vec<&str> = folded.split(' ').collect();
    let number = |x: &str| {
        x.chars().all(|c| c.is_ascii_digit())
            || matches!(
                x,
                "un" | "une" | "deux" | "trois" | "quatre" | "six" | "one" | "two" | "three" | "four" | "five" | "cinq"
            )
    };
    matches!(w.as_slice(), [n, unit] | ["de" | "pendant" | "for", n, unit]
        if number(n) && matches!(*unit, "mois" | "month" | "months" | "semaine" | "semaines" | "week" | "weeks" | "an" | "ans" | "year" | "years" | "jours" | "days"))
}

fn is_contract(field: &str) -> bool {
    let f = fold(field);
    if is_duration(&f) {
        return true;
    }
    CONTRACT.iter().any(|c| {
        f == *c
            || (f.starts_with(&format!("{c} "))
                && f.split(' ').count() <= 5
                && matches!(*c, "cdd" | "cdi" | "contrat aide" | "stage" | "alternance" | "interim"))
    })
}

/// Whether an entry describes a gap in employment rather than a job.
pub fn is_gap(entry: &RawEntry) -> bool {
    let head = fold(&entry.header.join(" "));
    // A dated training period among the jobs ("2015 – 2016  Formation : CAP …, GRETA") is
    // not a job; "Formateur", "Responsable formation" are.
    if head.starts_with("formation ")
        && entry.header.iter().any(|h| fold(h.split(':').next().unwrap_or("")) == "formation")
    {
        return true;
    }
    let head = format!(" {head} ");
    // "Stagiaire en recherche et développement" is a job: a field that starts with a job
    // word is never a gap.
    GAPS.iter().any(|g| head.contains(&format!(" {g} ")))
        && !entry.header.iter().flat_map(|h| segments(h)).any(|f| title_score(&f) >= 4)
}

/// Length of the longest stem a word starts with (0 when none).
fn stem_len(w: &str, stems: &[&str]) -> usize {
    stems.iter().filter(|s| w.starts_with(**s)).map(|s| s.len()).max().unwrap_or(0)
}

/// Whether a folded word names a job. A word that starts with both a job stem and a longer
/// employer stem names the employer: "médiathèque" is not "médiateur", while "conseiller"
/// is not "conseil".
fn job_word(w: &str) -> bool {
    let job = stem_len(w, TITLE_STEMS);
    let org = ORG_STEMS
        .iter()
        .filter(|s| w == **s || (s.len() >= 6 && w.starts_with(**s)))
        .map(|s| s.len())
        .max()
        .unwrap_or(0);
    job > 0 && job >= org
}

pub(crate) fn title_score(field: &str) -> i32 {
    let f = fold(field);
    let first = f.split(' ').next().unwrap_or("");
    let mut s = f.split(' ').filter(|w| job_word(w)).count() as i32;
    // A field that starts with a job word is a title even when it names a place of work too
    // ("Infirmière en EHPAD").
    if job_word(first) {
        s += 4;
    }
    s
}

pub(crate) fn org_score(field: &str) -> i32 {
    org_score_in(field, field)
}

/// Like [`org_score`], for a field written on `line`: a word in capitals says nothing when the
/// whole line is set in capitals ("INFRASTRUCTURE, CLOUD ENGINEER INTERN").
fn org_score_in(field: &str, line: &str) -> i32 {
    let folded = fold(field);
    // The word for a kind of town alone ("City", "Ville") names a place, not an employer: "City of
    // Lyon" does, and so does "Ville de Tours".
    if matches!(folded.as_str(), "city" | "town" | "ville" | "commune" | "county") {
        return 0;
    }
    // Short stems must match a whole word ("ville" is not "Villeneuve").
    let hits =
        folded.split(' ').filter(|w| ORG_STEMS.iter().any(|s| *w == *s || (s.len() >= 6 && w.starts_with(s)))).count();
    let mut s = hits as i32 * 2;
    // Names in capitals ("ACME CONSEIL", "SNCF") other than job acronyms; a field set wholly
    // in capitals of several words is a typographic style, not a cue.
    let letters: Vec<char> = field.chars().filter(|c| c.is_alphabetic()).collect();
    if field.split_whitespace().count() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return s;
    }
    let line_letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    if line.split_whitespace().count() > field.split_whitespace().count()
        && line_letters.iter().all(|c| c.is_uppercase())
    {
        return s;
    }
    let caps = field
        .split_whitespace()
        .filter(|w| {
            let letters: String = w.chars().filter(|c| c.is_alphabetic()).collect();
            letters.chars().count() >= 3
                && letters.chars().all(char::is_uppercase)
                && !matches!(letters.as_str(), "DRH" | "RRH" | "CTO" | "CEO" | "CFO" | "CDD" | "CDI" | "RH")
        })
        .count();
    s += caps as i32;
    s
}

/// Reads the experience section(s).
pub fn parse(lines: &[Line]) -> (Vec<Experience>, Vec<String>, bool) {
    let (entries, truncated) = segment(lines, &|_| false);
    let mut out = Vec::new();
    let mut unparsed = Vec::new();
    for e in entries {
        unparsed.extend(e.unparsed.iter().cloned());
        if is_gap(&e) {
            continue;
        }
        if let Some(x) = build(e) {
            out.push(x);
        }
    }
    (out, unparsed, truncated)
}

fn build(mut e: RawEntry) -> Option<Experience> {
    if e.header.is_empty() {
        // A period followed by bullets only: the first bullet names the job.
        if e.range.is_none() || e.description.is_empty() {
            return None;
        }
        let first = e.description.remove(0);
        e.header.push(first);
    }
    if e.range.is_none() && e.description.is_empty() {
        // An undated line without description is not an experience we can stand behind.
        return None;
    }
    // A label column ("Fonction ou poste occupé    Technicien") reads as "label: value".
    for h in e.header.iter_mut() {
        if !h.contains(':') && form_label(h).is_some() {
            if let Some((label, value)) = crate::identity::split_label_column(h) {
                *h = format!("{label}: {value}");
            }
        }
    }
    let mut fields: Vec<String> = e.header.iter().flat_map(|h| segments(h)).collect();
    // Fields of a form ("Poste : Assistante", "Employeur : Mairie de Brest") say what they are.
    let mut labelled: Vec<(Role, String)> = Vec::new();
    fields.retain_mut(|f| match form_label(f) {
        Some((Role::Period, _)) => false,
        Some((role, value)) => {
            labelled.push((role, value.clone()));
            *f = value;
            true
        }
        None => true,
    });
    let labelled_as = |role: Role| labelled.iter().find(|(r, _)| *r == role).map(|(_, v)| v.clone());
    // A contract word written as a field of its own ("Service civique, Association X") is
    // what the candidate calls the job when no other field names one; in brackets
    // ("Assistante (alternance)") it only qualifies the title.
    let bare_contract_is_title = !fields.iter().any(|f| !is_contract(f) && title_score(f) > 0);
    let mut contract = Vec::new();
    let mut bare_title = None;
    fields.retain(|f| {
        let bracketed = f.starts_with('(') && f.ends_with(')');
        let inner = f.trim_start_matches('(').trim_end_matches(')');
        if !is_contract(inner) {
            return true;
        }
        if !bracketed && bare_contract_is_title && bare_title.is_none() {
            bare_title = Some(f.clone());
            return true;
        }
        contract.push(inner.to_string());
        false
    });
    let mut location = None;
    if let Some(place) = labelled_as(Role::Place) {
        fields.retain(|f| *f != place);
        location = Some(place);
    }
    if fields.len() >= 2 && location.is_none() {
        // A place is never the first field; prefer the last one.
        let pos = (1..fields.len())
            .rev()
            // A country code in capitals ("USA") is a place even though capitals hint at a name,
            // and so are places joined by "&" ("Seoul, S.Korea & LA, U.S.A"), each one checked.
            .find(|&i| {
                let f = &fields[i];
                looks_like_location(f) && (org_score(f) == 0 || is_region(f) || known_town(f) || f.contains(" & "))
            })
            .or_else(|| {
                // "Title, Employer, Town", or "Employer    Town" above the title: a short
                // capitalised field without cues that ends a header line of several fields is
                // the town. The last such line first.
                if fields.len() < 3 {
                    return None;
                }
                e.header.iter().rev().find_map(|h| {
                    let own = segments(h);
                    let end = own.last().filter(|_| own.len() >= 2)?;
                    let i = fields.iter().rposition(|f| f == end).filter(|&i| i > 0)?;
                    let f = &fields[i];
                    (f.split_whitespace().count() <= 3
                        && f.chars().next().is_some_and(char::is_uppercase)
                        && !f.chars().any(|c| c.is_ascii_digit())
                        && org_score_in(f, h) == 0
                        && title_score(f) == 0)
                        .then_some(i)
                })
            });
        if let Some(pos) = pos {
            let mut place = fields.remove(pos);
            // "San Francisco, CA", "Montréal, Canada": a region code or a country after a short
            // capitalised field without cues is one place, split by the comma rule.
            if pos >= 2 && is_region(&place) {
                let town = &fields[pos - 1];
                if town.split_whitespace().count() <= 3
                    && town.chars().next().is_some_and(char::is_uppercase)
                    && !town.chars().any(|c| c.is_ascii_digit())
                    && org_score(town) == 0
                    && title_score(town) == 0
                {
                    place = format!("{}, {place}", fields.remove(pos - 1));
                }
            }
            location = Some(place.trim_start_matches('(').trim_end_matches(')').trim().to_string());
        }
    }
    // A parenthesis that is neither a contract (removed above) nor a place belongs to the field
    // before it, as written: "Danggeun Pay Inc. (KarrotPay)", "Engineer (Compulsory Military Service)".
    let mut i = 1;
    while i < fields.len() {
        let f = fields[i].trim();
        // Several words only: a single word in brackets is as often a town ("(Roubaix)"), unless
        // the entry already gave its place ("Danggeun Pay Inc. (KarrotPay)    Seoul, S.Korea").
        if f.starts_with('(')
            && f.ends_with(')')
            && (f.split_whitespace().count() >= 2 || location.is_some())
            && !looks_like_location(f)
            && !f.chars().any(|c| c.is_ascii_digit())
        {
            let merged = format!("{} {}", fields[i - 1], f);
            fields[i - 1] = merged;
            fields.remove(i);
        } else {
            i += 1;
        }
    }
    fields.retain(|f| !(f.starts_with('(') && f.ends_with(')')) || fields_len_guard(f));
    if fields.is_empty() {
        fields.extend(contract.iter().cloned());
        contract.clear();
    }
    if fields.is_empty() {
        return None;
    }
    // "EHPAD Les Tilleuls, Mérignac" then "Infirmière en EHPAD": when no header field names a
    // job and the first description line is a short line that starts with a job word, it is
    // the title.
    if fields.iter().all(|f| title_score(f) <= 0) {
        if let Some(first) = e.description.first().cloned() {
            let head = fold(&first);
            let first_word = head.split(' ').next().unwrap_or("");
            if first.split_whitespace().count() <= 8
                && !crate::entries::prose_like(&first)
                && TITLE_STEMS.iter().any(|t| first_word.starts_with(t))
            {
                e.description.remove(0);
                // Its bracketed contract ("Assistante juridique (CDD)") qualifies it, as in a header.
                let bracket = first.rfind(" (").filter(|_| first.ends_with(')'));
                match bracket.map(|open| (first[..open].trim(), &first[open + 2..first.len() - 1])) {
                    Some((title, inner)) if is_contract(inner) && !title.is_empty() => {
                        contract.push(inner.to_string());
                        fields.push(title.to_string());
                    }
                    _ => fields.push(first),
                }
            }
        }
    }
    let position = |role: Role| labelled_as(role).and_then(|v| fields.iter().position(|f| *f == v));
    // A bare contract word stands for the title when nothing else names a job ("SAISONNIER –
    // CAMPING DES DUNES"), whatever the capitals say.
    let contract_title = bare_title
        .filter(|_| fields.iter().all(|f| title_score(f) <= 0))
        .and_then(|b| fields.iter().position(|f| *f == b));
    let title_idx = position(Role::Title).or(contract_title).unwrap_or_else(|| {
        (0..fields.len()).max_by_key(|&i| (title_score(&fields[i]) - org_score(&fields[i]), -(i as i32))).unwrap_or(0)
    });
    let org_idx = position(Role::Employer).filter(|&i| i != title_idx).or_else(|| {
        (0..fields.len()).filter(|&i| i != title_idx).max_by_key(|&i| {
            let adjacent = if i == title_idx + 1 {
                1
            } else if i + 1 == title_idx {
                0
            } else {
                -1
            };
            // On a tie, a field of another header line than the title's: two-line headers give the
            // employer a line of its own ("Savoir-Faire Linux    Montréal" / "TITLE, PART    dates").
            let title_line = e.header.iter().position(|h| h.contains(fields[title_idx].as_str()));
            let own_line = e.header.iter().position(|h| h.contains(fields[i].as_str()));
            let elsewhere = i32::from(title_line.is_some() && own_line.is_some() && title_line != own_line);
            let line = own_line.map_or(fields[i].as_str(), |l| e.header[l].as_str());
            (org_score_in(&fields[i], line) - title_score(&fields[i]), elsewhere, adjacent)
        })
    });
    let organisation = org_idx.map(|i| employer_with_units(&fields, i, title_idx, &e.header));
    let title = title_with_parts(&fields, title_idx, org_idx, &e.header);
    let range = e.range.unwrap_or_default();
    let mut description = e.description.join("\n");
    if !contract.is_empty() && !description.contains(&contract.join(", ")) {
        let prefix = format!("({})", contract.join(", "));
        description = if description.is_empty() { prefix } else { format!("{prefix}\n{description}") };
    }
    Some(Experience {
        title: strip_parens(&title),
        organisation: organisation.map(|o| strip_parens(&o)),
        location,
        start: range.start.map(to_wit),
        end: range.end.map(to_wit),
        current: range.current,
        description,
    })
}

/// The employer with the units written before it on its own line: "R.O.K Cyber Command, MND",
/// "Undergraduate Research, Machine Learning Lab". When the title sits on another line, the
/// commas of the employer's line separate parts of one name, not fields; a line that also
/// holds the title ("Chargé de mission, Service culture, Mairie") keeps its fields apart.
fn employer_with_units(fields: &[String], org: usize, title: usize, header: &[String]) -> String {
    let mut name = fields[org].clone();
    let Some(line) = header.iter().find(|h| h.contains(fields[org].as_str())) else { return name };
    if line.contains(fields[title].as_str()) {
        return name;
    }
    let mut i = org;
    while i > 0 && i - 1 != title {
        let joined = format!("{}, {name}", fields[i - 1]);
        if !line.contains(joined.as_str()) {
            break;
        }
        name = joined;
        i -= 1;
    }
    // And the units written after it when they read as names, not towns: "SPACE CENTER, MND",
    // where capitals hide which is the name, but not "Médiathèque de Villeurbanne, Villeurbanne".
    let mut j = org + 1;
    while j < fields.len() && j != title && org_score(&fields[j]) > 0 && !looks_like_location(&fields[j]) {
        let joined = format!("{name}, {}", fields[j]);
        if !line.contains(joined.as_str()) {
            break;
        }
        name = joined;
        j += 1;
    }
    name
}

/// The title with the comma-separated parts of its own line, when the employer sits on another
/// line: "STAGIAIRE EN INFRASTRUCTURE, INFONUAGIQUE ET ARCHITECTURE" (capitals hide the lower
/// case that tells a continuation) is one title, not a title and an employer.
fn title_with_parts(fields: &[String], title: usize, org: Option<usize>, header: &[String]) -> String {
    let mut name = fields[title].clone();
    let Some(line) = header.iter().find(|h| h.contains(fields[title].as_str())) else { return name };
    if org.is_some_and(|o| line.contains(fields[o].as_str())) {
        return name;
    }
    let mut i = title;
    while i > 0 && Some(i - 1) != org {
        let Some(joined) =
            TITLE_JOINS.iter().map(|sep| format!("{}{sep}{name}", fields[i - 1])).find(|j| line.contains(j.as_str()))
        else {
            break;
        };
        name = joined;
        i -= 1;
    }
    let mut j = title + 1;
    while j < fields.len() && Some(j) != org {
        let Some(joined) =
            TITLE_JOINS.iter().map(|sep| format!("{name}{sep}{}", fields[j])).find(|j| line.contains(j.as_str()))
        else {
            break;
        };
        name = joined;
        j += 1;
    }
    name
}

/// What joins the parts of one title on its line when the employer is named on another line:
/// "Stagiaire au sein du Programme jeunes talents" is one title under "Région Bretagne".
const TITLE_JOINS: &[&str] = &[
    ", ",
    " at ",
    " chez ",
    " au sein de ",
    " au sein du ",
    " au sein des ",
    " auprès de ",
    " auprès du ",
    " within ",
];

fn fields_len_guard(f: &str) -> bool {
    // Keep parenthesised fields with several words ("(Centre communal d'action sociale)").
    f.split_whitespace().count() >= 2
}

fn strip_parens(s: &str) -> String {
    let t = s.trim();
    if t.starts_with('(') && t.ends_with(')') {
        t.trim_start_matches('(').trim_end_matches(')').trim().to_string()
    } else {
        t.to_string()
    }
}

pub fn to_wit(d: vivier_sdk::dates::PartialDate) -> PartialDate {
    PartialDate { year: d.year, month: d.month }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::prepare;

    fn exps(text: &str) -> Vec<Experience> {
        parse(&prepare(text).lines).0
    }

    #[test]
    fn title_and_organisation_in_any_order() {
        let x = exps("Mairie de Lyon — Assistante RH\n2019 - 2021\n- Paie\n\nSept. 2017 – juin 2019  CCAS de Brest\nAgent d'accueil\nAccueil du public.\n");
        assert_eq!(x.len(), 2, "{x:#?}");
        assert_eq!(x[0].title, "Assistante RH");
        assert_eq!(x[0].organisation.as_deref(), Some("Mairie de Lyon"));
        assert_eq!(x[1].title, "Agent d'accueil");
        assert_eq!(x[1].organisation.as_deref(), Some("CCAS de Brest"));
        assert_eq!(x[1].start, Some(PartialDate { year: 2017, month: Some(9) }));
        assert_eq!(x[1].description, "Accueil du public.");
    }

    #[test]
    fn gaps_are_not_jobs() {
        let x = exps("2021 – 2022 : Recherche d'emploi\n2022 – 2023 : Congé parental\n2019 - 2021 : Assistante, Mairie de Vannes\n");
        assert_eq!(x.len(), 1);
        assert_eq!(x[0].title, "Assistante");
    }

    #[test]
    fn employer_words_and_bare_contracts() {
        let x = exps("Médiathèque de Villeurbanne, Villeurbanne    2015 – 2019\nBibliothécaire\n- Ateliers\n\n2018 : Service civique, Association Solidarité Provence (Marseille)\n\n2019 – 2020 : Stagiaire en recherche et développement, Canadien National\n");
        assert_eq!(x.len(), 3, "{x:#?}");
        assert_eq!(
            (x[0].title.as_str(), x[0].organisation.as_deref()),
            ("Bibliothécaire", Some("Médiathèque de Villeurbanne"))
        );
        assert_eq!(
            (x[1].title.as_str(), x[1].organisation.as_deref()),
            ("Service civique", Some("Association Solidarité Provence"))
        );
        assert_eq!(x[2].title, "Stagiaire en recherche et développement");
    }

    #[test]
    fn two_line_headers_keep_their_commas() {
        let x = exps("R.O.K Cyber Command, MND    Seoul, S.Korea\nSoftware Engineer (Compulsory Military Service)    Aug. 2014 - Apr. 2016\n• Built things.\n\nCosmonaute    Cap Canaveral, USA\nKENNEDY SPACE CENTER.    Jun. 2017 - May. 2018\n• Flew.\n\nSavoir-Faire Linux    Montréal, Canada\nSTAGIAIRE EN INFRASTRUCTURE, INFONUAGIQUE ET SYSTÈMES    Janv. 2018 - Mai 2018\n• Linux.\n");
        assert_eq!(x.len(), 3, "{x:#?}");
        assert_eq!(x[0].organisation.as_deref(), Some("R.O.K Cyber Command, MND"));
        assert_eq!(x[0].location.as_deref(), Some("Seoul, S.Korea"));
        assert_eq!(x[1].organisation.as_deref(), Some("KENNEDY SPACE CENTER."));
        assert_eq!(x[1].location.as_deref(), Some("Cap Canaveral, USA"));
        assert_eq!(x[2].title, "STAGIAIRE EN INFRASTRUCTURE, INFONUAGIQUE ET SYSTÈMES");
        assert_eq!(x[2].organisation.as_deref(), Some("Savoir-Faire Linux"));
    }

    #[test]
    fn template_entries_with_placeholder_periods() {
        // A sub-heading, placeholder periods, a list introduced by a colon, icon-font bullets.
        let x = exps("Missions courtes\n\nyear–year Job title, Employer, City.\nShort description of the job.\nMain results:\n\u{f111}␣ First result;\n{ Second result.\n\nyear–year Chargé de mission, Syndicat des eaux, Vannes.\nDescription.\n");
        assert_eq!(x.len(), 2, "{x:#?}");
        assert_eq!((x[0].title.as_str(), x[0].organisation.as_deref()), ("Job title", Some("Employer")));
        assert_eq!((x[0].start, x[0].end, x[0].current), (None, None, false));
        assert!(x[0].description.ends_with("Second result."), "{:?}", x[0].description);
        assert_eq!(x[1].title, "Chargé de mission");
        assert_eq!(x[1].organisation.as_deref(), Some("Syndicat des eaux"));
        // An employer above a whole dated line still heads it.
        let x = exps("CCAS de Brest\n2019 - 2021 Assistante sociale, Pôle seniors, Brest\n- Visites.\n");
        assert_eq!(x.len(), 1, "{x:#?}");
        assert_eq!(x[0].organisation.as_deref(), Some("CCAS de Brest"));
    }

    #[test]
    fn durations_qualify_the_job() {
        let x = exps("Stagiaire juriste au sein du service juridique (6 mois, 2012)\n\n2011 : Assistante (3 months), Exemple Conseil\n");
        assert_eq!(x.len(), 2, "{x:#?}");
        assert_eq!(x[0].title, "Stagiaire juriste");
        assert_eq!(x[0].organisation.as_deref(), Some("service juridique"));
        assert_eq!(x[0].description, "(6 mois)");
        assert_eq!((x[1].title.as_str(), x[1].organisation.as_deref()), ("Assistante", Some("Exemple Conseil")));
    }

    #[test]
    fn a_bracket_does_not_complete_a_header() {
        let x = exps("Stagiaire (6 mois)    2017\nConseil départemental du Finistère\n• Budget\n");
        assert_eq!(x.len(), 1, "{x:#?}");
        assert_eq!(x[0].title, "Stagiaire");
        assert_eq!(x[0].organisation.as_deref(), Some("Conseil départemental du Finistère"));
    }

    #[test]
    fn title_under_the_employer_line_drops_its_contract() {
        let x =
            exps("Cabinet Exemple & Associés, Sète    2014 – 2015\nAssistante juridique (CDD)\n– Suivi des dossiers\n");
        assert_eq!(x.len(), 1, "{x:#?}");
        assert_eq!(x[0].title, "Assistante juridique");
        assert_eq!(x[0].organisation.as_deref(), Some("Cabinet Exemple & Associés"));
        assert!(x[0].description.starts_with("(CDD)"), "{:?}", x[0].description);
    }

    #[test]
    fn header_line_in_capitals() {
        let x =
            exps("Juillet 2013 – Août 2013\nSAISONNIER – CAMPING DES PINS, PLOUGONVELIN\nAccueil des vacanciers.\n");
        assert_eq!(x.len(), 1, "{x:#?}");
        assert_eq!(x[0].title, "SAISONNIER");
        assert_eq!(x[0].organisation.as_deref(), Some("CAMPING DES PINS"));
        assert_eq!(x[0].location.as_deref(), Some("PLOUGONVELIN"));
    }

    #[test]
    fn form_labels_name_the_fields() {
        let x = exps("Période : 2019 - 2021\nEmployeur : Centre de gestion du Finistère\nPoste : Gestionnaire carrière\nLieu : Quimper\n- Dossiers.\n\nMars 2016 - Juin 2018\nFonction : Agent de la Poste\nStructure : Exemple Services\n- Tri.\n");
        assert_eq!(x.len(), 2, "{x:#?}");
        assert_eq!(x[0].title, "Gestionnaire carrière");
        assert_eq!(x[0].organisation.as_deref(), Some("Centre de gestion du Finistère"));
        assert_eq!(x[0].location.as_deref(), Some("Quimper"));
        assert_eq!(x[1].title, "Agent de la Poste");
        assert_eq!(x[1].organisation.as_deref(), Some("Exemple Services"));
    }

    #[test]
    fn town_on_the_employer_line() {
        // The last field of the employer's line is the town when it has no cue, even a bare
        // "Ville" as a form leaves it.
        let x = exps("Employeur    Ville\nChargé de projet    AAAA - AAAA\nDescription du poste.\n\nBrindille    Quimperlé\nDéveloppeur    2016 - 2018\n• Code.\n");
        assert_eq!(x.len(), 2, "{x:#?}");
        assert_eq!((x[0].title.as_str(), x[0].organisation.as_deref()), ("Chargé de projet", Some("Employeur")));
        assert_eq!(x[0].location.as_deref(), Some("Ville"));
        assert_eq!((x[1].title.as_str(), x[1].organisation.as_deref()), ("Développeur", Some("Brindille")));
        assert_eq!(x[1].location.as_deref(), Some("Quimperlé"));
    }

    #[test]
    fn employer_line_keeps_its_name_whole() {
        // A one-word bracket after a name is part of it when the entry already gave its place;
        // units after the employer on its own line; a title phrase with "at" under the employer.
        let x = exps("Ondine Paiements SAS (Ondipay)    Lyon, France\nResponsable paie    Mars 2019 - Juin 2021\n• Paie.\n\nCAISSE DES ÉCOLES, VILLE DE TOURS    Tours, France\nAgent administratif    2016 - 2019\n• Accueil.\n\nBrindille    Nantes, France\nStagiaire développeur at Programme Jeunes Pousses    Jan. 2015 - Juin 2015\n• Code.\n");
        assert_eq!(x.len(), 3, "{x:#?}");
        assert_eq!(x[0].organisation.as_deref(), Some("Ondine Paiements SAS (Ondipay)"));
        assert_eq!(x[0].location.as_deref(), Some("Lyon, France"));
        assert_eq!(x[1].organisation.as_deref(), Some("CAISSE DES ÉCOLES, VILLE DE TOURS"));
        assert_eq!(x[2].title, "Stagiaire développeur at Programme Jeunes Pousses");
        assert_eq!(x[2].organisation.as_deref(), Some("Brindille"));
        // A known town in capitals is the place, not a unit of the employer.
        let x = exps("Gestionnaire paie    2016 - 2019\nEXEMPLE SERVICES, RENNES\n• Paie.\n");
        assert_eq!(x[0].organisation.as_deref(), Some("EXEMPLE SERVICES"));
        assert_eq!(x[0].location.as_deref(), Some("RENNES"));
        // On one line, "at" still separates the title from the employer.
        let x = exps("ACME    Nantes, France & Montréal, QC\nDéveloppeur    2016 - 2018\n• Code.\n");
        assert_eq!(x[0].organisation.as_deref(), Some("ACME"));
        assert_eq!(x[0].location.as_deref(), Some("Nantes, France & Montréal, QC"));
        let x = exps("2019 - 2021 : Data analyst at Exemple Conseil\n");
        assert_eq!((x[0].title.as_str(), x[0].organisation.as_deref()), ("Data analyst", Some("Exemple Conseil")));
    }

    #[test]
    fn dates_first_without_blank_lines() {
        let x = exps("Depuis 2022\nSergent\nSDIS 29 – Brest\n2015 - 2022 (7 ans)\nCaporal-chef\nSDIS 56 – Vannes\n2012 - 2015\nAgent de sécurité\nExemple Sécurité – Lorient\n");
        assert_eq!(x.len(), 3, "{x:#?}");
        assert_eq!((x[0].title.as_str(), x[0].organisation.as_deref()), ("Sergent", Some("SDIS 29")));
        assert_eq!((x[1].title.as_str(), x[1].organisation.as_deref()), ("Caporal-chef", Some("SDIS 56")));
        assert_eq!(
            (x[2].title.as_str(), x[2].organisation.as_deref()),
            ("Agent de sécurité", Some("Exemple Sécurité"))
        );
    }

    #[test]
    fn europass_label_column() {
        let x = exps("Dates    Mars 2018 - à ce jour\nFonction ou poste occupé    Gestionnaire paie\nPrincipales activités et responsabilités    Paie de 300 agents; déclarations sociales\nNom et adresse de l'employeur    Exemple Services, Rennes\n\nDates    2015 - 2018\nFonction ou poste occupé    Assistant RH\nNom et adresse de l'employeur    Mairie d'Exempleville\n");
        assert_eq!(x.len(), 2, "{x:#?}");
        assert_eq!(
            (x[0].title.as_str(), x[0].organisation.as_deref()),
            ("Gestionnaire paie", Some("Exemple Services"))
        );
        assert_eq!(
            (x[1].title.as_str(), x[1].organisation.as_deref()),
            ("Assistant RH", Some("Mairie d'Exempleville"))
        );
    }

    #[test]
    fn training_periods_and_interim_notes() {
        // A dated "Formation :" line among the jobs is not a job; a contract note in brackets
        // ("(mission d'intérim)") is not part of the title.
        let x = exps("2014 – 2015\tFormation : BTS Assistant de gestion, CNED\n2015 – 2017\tMagasinier – Entrepôts Exemple (intérim)\n\nDu 01/03/2018 au 30/06/2019\nCLINIQUE EXEMPLE - RENNES\nAgent de service (mission d'intérim)\n");
        assert_eq!(x.len(), 2, "{x:#?}");
        assert_eq!((x[0].title.as_str(), x[0].organisation.as_deref()), ("Magasinier", Some("Entrepôts Exemple")));
        assert_eq!(x[1].title, "Agent de service");
    }

    #[test]
    fn internships_and_locations() {
        let x = exps("Stagiaire RH (stage), Région Bretagne, Rennes — juin – août 2020\n");
        assert_eq!(x.len(), 1);
        assert_eq!(x[0].title, "Stagiaire RH");
        assert_eq!(x[0].organisation.as_deref(), Some("Région Bretagne"));
        assert_eq!(x[0].location.as_deref(), Some("Rennes"));
        assert_eq!(x[0].start, Some(PartialDate { year: 2020, month: Some(6) }));
    }
}
