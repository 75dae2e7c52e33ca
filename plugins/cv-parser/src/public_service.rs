//! French public-service facts: status (titulaire, stagiaire, contractuel), grade, cadre
//! d'emplois, catégorie and competitive examinations passed. Only what the CV states.

use crate::input::Line;
use vivier_sdk::cv_parser::{EmploymentStatus, PublicService};
use vivier_sdk::text::fold;

/// Grades of the main cadres d'emplois, with their cadre and category (folded heads).
const GRADES: &[(&str, &str, &str)] = &[
    ("attache hors classe", "attachés territoriaux", "A"),
    ("attache principal", "attachés territoriaux", "A"),
    ("attache territorial", "attachés territoriaux", "A"),
    ("attache d administration", "attachés d'administration de l'État", "A"),
    ("redacteur principal", "rédacteurs territoriaux", "B"),
    ("redactrice principale", "rédacteurs territoriaux", "B"),
    ("redacteur territorial", "rédacteurs territoriaux", "B"),
    ("redactrice territoriale", "rédacteurs territoriaux", "B"),
    ("adjoint administratif principal", "adjoints administratifs territoriaux", "C"),
    ("adjointe administrative principale", "adjoints administratifs territoriaux", "C"),
    ("adjoint administratif territorial", "adjoints administratifs territoriaux", "C"),
    ("adjointe administrative territoriale", "adjoints administratifs territoriaux", "C"),
    ("adjoint administratif", "adjoints administratifs territoriaux", "C"),
    ("adjointe administrative", "adjoints administratifs territoriaux", "C"),
    ("technicien principal", "techniciens territoriaux", "B"),
    ("technicien territorial", "techniciens territoriaux", "B"),
    ("ingenieur principal", "ingénieurs territoriaux", "A"),
    ("ingenieur territorial", "ingénieurs territoriaux", "A"),
    ("adjoint technique principal", "adjoints techniques territoriaux", "C"),
    ("adjoint technique territorial", "adjoints techniques territoriaux", "C"),
    ("agent de maitrise principal", "agents de maîtrise territoriaux", "C"),
    ("agent de maitrise", "agents de maîtrise territoriaux", "C"),
    ("animateur principal", "animateurs territoriaux", "B"),
    ("animateur territorial", "animateurs territoriaux", "B"),
    ("adjoint d animation", "adjoints territoriaux d'animation", "C"),
    ("secretaire administratif", "secrétaires administratifs", "B"),
    ("secretaire administrative", "secrétaires administratifs", "B"),
    ("administrateur territorial", "administrateurs territoriaux", "A"),
];

/// Whole-word (folded) search; returns the index of the word where `needle` starts.
fn find_words(hay: &[&str], needle: &str) -> Option<usize> {
    let n: Vec<&str> = needle.split(' ').collect();
    hay.windows(n.len()).position(|w| w == n.as_slice())
}

pub fn extract(priority: &[Line], rest: &[Line], section: &[Line]) -> PublicService {
    let mut ps =
        PublicService { grade: None, cadre_emplois: None, categorie: None, concours: Vec::new(), status: None };
    let lines: Vec<&Line> = section.iter().chain(priority.iter()).chain(rest.iter()).collect();
    let mut public_context = false;
    for line in &lines {
        let text = line.text.as_str();
        let f = fold(text);
        let w: Vec<&str> = f.split(' ').collect();
        // Status.
        if ps.status.is_none() {
            let titulaire = find_words(&w, "fonctionnaire titulaire").is_some()
                || find_words(&w, "agent titulaire").is_some()
                || find_words(&w, "titulaire de la fonction publique").is_some()
                || find_words(&w, "titulaire du grade").is_some()
                || find_words(&w, "titularise").is_some()
                || find_words(&w, "titularisee").is_some()
                || (f.starts_with("statut") && w.contains(&"titulaire"));
            let stagiaire = find_words(&w, "fonctionnaire stagiaire").is_some()
                || find_words(&w, "agent stagiaire").is_some()
                || (f.starts_with("statut") && w.contains(&"stagiaire"));
            let contractuel = [
                "agent contractuel",
                "agente contractuelle",
                "contractuel de droit public",
                "contractuelle de droit public",
                "cdd de droit public",
                "cdi de droit public",
                "agent non titulaire",
                "agente non titulaire",
            ]
            .iter()
            .any(|p| find_words(&w, p).is_some())
                || (f.starts_with("statut") && (w.contains(&"contractuel") || w.contains(&"contractuelle")));
            ps.status = if stagiaire {
                Some(EmploymentStatus::Stagiaire)
            } else if titulaire {
                Some(EmploymentStatus::Titulaire)
            } else if contractuel {
                Some(EmploymentStatus::Contractuel)
            } else {
                None
            };
        }
        if f.contains("fonction publique")
            || f.contains("territorial")
            || w.contains(&"fonctionnaire")
            || w.contains(&"grade")
        {
            public_context = true;
        }
        // Catégorie.
        if ps.categorie.is_none() {
            for (i, x) in w.iter().enumerate() {
                if matches!(*x, "categorie" | "cat") {
                    if let Some(c) = w.get(i + 1).filter(|c| matches!(**c, "a" | "b" | "c")) {
                        ps.categorie = Some(c.to_uppercase());
                        break;
                    }
                }
            }
        }
        // Cadre d'emplois, labelled or written out.
        if ps.cadre_emplois.is_none() {
            if let Some(v) = labelled(text, &["cadre d emplois", "cadre d emploi", "cadre demplois"]) {
                ps.cadre_emplois = Some(v);
            } else if let Some(pos) = text.to_lowercase().find("cadre d'emplois des ") {
                let v = text.get(pos + "cadre d'emplois des ".len()..).unwrap_or("");
                let v = v.split([',', '(', ';', '.']).next().unwrap_or("").trim();
                if !v.is_empty() {
                    ps.cadre_emplois = Some(v.to_string());
                }
            }
        }
        // Grade, labelled or a known grade with its class.
        if ps.grade.is_none() {
            if let Some(v) = labelled(text, &["grade", "grade actuel"]) {
                ps.grade = Some(v);
            } else if let Some(pos) = text.to_lowercase().find("grade de ") {
                let v = text.get(pos + "grade de ".len()..).unwrap_or("");
                let v = v.split([',', '(', ';', '.', '|']).next().unwrap_or("").trim();
                if !v.is_empty() {
                    ps.grade = Some(v.to_string());
                }
            }
        }
        // Concours passed.
        if f.contains("concours") {
            let passed = [
                "laureat",
                "laureate",
                "recu",
                "recue",
                "admis",
                "admise",
                "reussi",
                "obtenu",
                "passed",
                "inscrit sur liste",
                "liste d aptitude",
            ]
            .iter()
            .any(|p| f.contains(p));
            let not_yet = ["preparation", "prepare", "en cours", "inscrit au", "inscrite au", "candidat", "preparing"]
                .iter()
                .any(|p| f.contains(p));
            let in_section = section.iter().any(|l| std::ptr::eq(l, *line));
            if (passed || in_section) && !not_yet {
                if let Some(pos) = text.to_lowercase().find("concours") {
                    let v = text.get(pos..).unwrap_or("").trim().trim_end_matches(['.', ';', ',']).trim();
                    if !v.is_empty() && !ps.concours.iter().any(|c| c == v) && ps.concours.len() < 20 {
                        ps.concours.push(v.to_string());
                    }
                }
            }
        }
    }
    // A known grade written in a public-service context.
    if ps.grade.is_none() && (public_context || ps.status.is_some()) {
        'outer: for line in &lines {
            if line.text.to_lowercase().contains("concours") {
                continue;
            }
            let f = fold(&line.text);
            for (head, _, _) in GRADES {
                if let Some(pos) = f.find(head) {
                    if pos > 0 && !f[..pos].ends_with(' ') {
                        continue;
                    }
                    // The grade as written: from the head to the end of the clause.
                    let words_before = f[..pos].split(' ').filter(|x| !x.is_empty()).count();
                    let original: Vec<&str> = line.text.split_whitespace().collect();
                    let grade: Vec<&str> = original
                        .iter()
                        .skip(words_before)
                        .take_while(|x| !x.contains(['—', '–', '|', '(']))
                        .take(8)
                        .copied()
                        .collect();
                    let mut g = grade.join(" ");
                    if let Some(cut) = g.find([',', ';', '.']) {
                        g.truncate(cut);
                    }
                    // Stop before "à la mairie", "depuis", dates.
                    let stop = [" depuis", " à ", " au ", " chez ", " - "];
                    for s in stop {
                        if let Some(cut) = g.find(s) {
                            g.truncate(cut);
                        }
                    }
                    let g = g.trim().to_string();
                    if !g.is_empty() && g.split_whitespace().count() >= 2 {
                        ps.grade = Some(g);
                        break 'outer;
                    }
                }
            }
        }
    }
    // Cadre and category follow from the grade when the CV does not state them.
    let known = ps
        .grade
        .iter()
        .chain(ps.cadre_emplois.iter())
        .find_map(|g| {
            let f = fold(g);
            GRADES.iter().find(|(head, cadre, _)| f.starts_with(head) || fold(cadre) == f).copied()
        })
        .or_else(|| {
            ps.grade.as_ref().and_then(|g| {
                let f = fold(g);
                let first = f.split(' ').next().unwrap_or("");
                GRADES
                    .iter()
                    .find(|(head, _, _)| head.split(' ').next() == Some(first) && head.ends_with("territorial"))
                    .copied()
                    .filter(|_| f.contains("principal") || f.contains("classe"))
            })
        });
    if let Some((_, cadre, cat)) = known {
        if ps.cadre_emplois.is_none() && ps.grade.is_some() {
            ps.cadre_emplois = Some(cadre.to_string());
        }
        if ps.categorie.is_none() {
            ps.categorie = Some(cat.to_string());
        }
    }
    ps
}

fn labelled(text: &str, labels: &[&str]) -> Option<String> {
    let (label, value) = text.split_once(':')?;
    let f = fold(label);
    let v = value.trim().trim_end_matches('.').trim();
    (labels.contains(&f.as_str()) && !v.is_empty()).then(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::prepare;

    #[test]
    fn territorial_facts() {
        let p = prepare("Rédactrice principale de 2e classe, fonctionnaire titulaire\nLauréate du concours de rédacteur territorial (2016)\nPréparation au concours d'attaché territorial\n");
        let ps = extract(&p.lines, &[], &[]);
        assert_eq!(ps.status, Some(EmploymentStatus::Titulaire));
        assert_eq!(ps.grade.as_deref(), Some("Rédactrice principale de 2e classe"));
        assert_eq!(ps.cadre_emplois.as_deref(), Some("rédacteurs territoriaux"));
        assert_eq!(ps.categorie.as_deref(), Some("B"));
        assert_eq!(ps.concours, ["concours de rédacteur territorial (2016)"]);
    }

    #[test]
    fn contract_agent() {
        let p = prepare("Agent contractuel de catégorie A depuis 2020\n");
        let ps = extract(&p.lines, &[], &[]);
        assert_eq!(ps.status, Some(EmploymentStatus::Contractuel));
        assert_eq!(ps.categorie.as_deref(), Some("A"));
        assert!(ps.grade.is_none());
        let none = extract(&prepare("Développeuse web chez Example SAS\n").lines, &[], &[]);
        assert_eq!(
            none,
            PublicService { grade: None, cadre_emplois: None, categorie: None, concours: vec![], status: None }
        );
    }
}
