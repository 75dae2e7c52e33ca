//! Skills (with the lines that support them) and interests.

use crate::entries::split_outside_parens;
use crate::input::Line;
use crate::languages::starts_with_language;
use vivier_sdk::cv_parser::Skill;
use vivier_sdk::text::fold;

/// Skills kept at most.
pub const MAX_SKILLS: usize = 300;

/// Level words that qualify a skill rather than name one.
const LEVELS: &[&str] = &[
    "avance",
    "avancee",
    "expert",
    "experte",
    "expertise",
    "intermediaire",
    "debutant",
    "debutante",
    "confirme",
    "confirmee",
    "maitrise",
    "bon niveau",
    "tres bon niveau",
    "notions",
    "bonnes notions",
    "courant",
    "operationnel",
    "operationnelle",
    "advanced",
    "intermediate",
    "basic",
    "beginner",
    "proficient",
    "fluent",
    "excellent",
    "bon",
    "bonne",
    "tres bonne maitrise",
    "bonne maitrise",
    "parfaite maitrise",
];

/// Splits a list line into items: commas, semicolons, bullets, slashes between spaces, outside
/// parentheses.
pub fn split_items(text: &str) -> Vec<String> {
    let mut items = vec![text.to_string()];
    for sep in [';', '•', '·', '|', '▪'] {
        items = items.iter().flat_map(|i| split_outside_parens(i, sep)).collect();
    }
    items = items.iter().flat_map(|i| split_outside_parens(i, ',')).collect();
    items = items.iter().flat_map(|i| i.split(" / ").map(str::to_string).collect::<Vec<_>>()).collect();
    items
        .into_iter()
        .map(|i| i.trim().trim_end_matches(['.', ';', ',']).trim().to_string())
        .filter(|i| !i.is_empty() && i.chars().any(char::is_alphanumeric))
        .collect()
}

/// "Bureautique : Word, Excel" → ("Bureautique", "Word, Excel"), when the label is short.
pub fn label_value(text: &str) -> Option<(String, String)> {
    // "Programmation : Python" or, in a laid-out CV, "Programming    Python, Rust" (a column gap).
    let (label, value) = text.split_once(':').or_else(|| text.split_once("  "))?;
    let label = label.trim();
    let value = value.trim();
    if label.is_empty() || value.is_empty() || label.split_whitespace().count() > 5 || label.contains("http") {
        return None;
    }
    Some((label.to_string(), value.to_string()))
}

/// "HACCP, plan de maîtrise sanitaire, allergènes, élaboration des menus, …": four items or more,
/// nearly all of a few words, rather than a sentence with a comma or two.
fn is_comma_list(text: &str) -> bool {
    let items = split_outside_parens(text, ',');
    let short = items.iter().filter(|i| i.split_whitespace().count() <= 5).count();
    items.len() >= 4 && short * 10 >= items.len() * 8
}

fn is_level(text: &str) -> bool {
    let f = fold(text);
    LEVELS.contains(&f.as_str())
}

/// Reads a skills section. Returns the skills and the lines that are really languages.
pub fn parse(lines: &[Line]) -> (Vec<Skill>, Vec<Line>, bool) {
    let mut skills: Vec<Skill> = Vec::new();
    let mut language_lines = Vec::new();
    let mut truncated = false;
    for line in lines {
        let text = line.text.trim();
        // "Langues : Français, Anglais", "Languages    Korean, English" inside the skills list.
        let first = fold(text.split_whitespace().next().unwrap_or(""));
        if matches!(first.as_str(), "langues" | "languages" | "langue" | "language") {
            let rest = text.split_once(char::is_whitespace).map(|(_, r)| r).unwrap_or("");
            let rest = rest.trim().trim_start_matches([':', '-', '–']).trim();
            // Only spoken languages: RenderCV's "Languages: Rust, Go" are programming languages.
            let spoken =
                rest.split(',').next().is_some_and(|first| crate::languages::language_prefix(first.trim()).is_some());
            if spoken {
                language_lines.push(Line { text: rest.to_string(), ..line.clone() });
                continue;
            }
        }
        if starts_with_language(text) {
            language_lines.push(line.clone());
            continue;
        }
        let f = fold(text);
        if f.starts_with("permis") || f.starts_with("driving licen") {
            continue;
        }
        let items: Vec<String> = match label_value(text) {
            Some((label, value))
                if is_level(&value) || value.split_whitespace().count() == 1 && value.chars().count() <= 3 =>
            {
                vec![label]
            }
            Some((_, value)) => split_items(&value),
            // "Paie – Carrières – Absences": two dashes or more between items (one dash may put a
            // level after a skill: "Excel – expert").
            None if [" – ", " - ", " — "].iter().any(|d| text.matches(d).count() >= 2) => {
                let d = [" – ", " - ", " — "].into_iter().find(|d| text.matches(d).count() >= 2).unwrap_or(" – ");
                text.split(d).flat_map(split_items).collect()
            }
            // A long line is a sentence, unless list marks split it ("Paie · Carrières · ...") or
            // it is a run of short comma-separated items.
            None if text.split_whitespace().count() > 10
                && !text.contains(['•', '·', '|', '▪', ';'])
                && !is_comma_list(text) =>
            {
                vec![text.trim_end_matches('.').to_string()]
            }
            None => split_items(text),
        };
        for item in items {
            let item = strip_level(&item);
            if item.is_empty() || is_level(&item) || item.chars().count() > 120 {
                continue;
            }
            let key = fold(&item);
            if let Some(s) = skills.iter_mut().find(|s| fold(&s.label) == key) {
                if !s.evidence.iter().any(|e| e == text) && s.evidence.len() < 5 {
                    s.evidence.push(text.to_string());
                }
                continue;
            }
            if skills.len() >= MAX_SKILLS {
                truncated = true;
                break;
            }
            skills.push(Skill { label: item, concept_id: None, evidence: vec![text.to_string()] });
        }
    }
    (skills, language_lines, truncated)
}

/// "Excel (avancé)" → "Excel"; "Excel – expert" → "Excel".
fn strip_level(item: &str) -> String {
    let t = item.trim();
    if let Some(open) = t.rfind('(') {
        let inner = t[open + 1..].trim_end_matches(')');
        if is_level(inner) {
            return t[..open].trim().to_string();
        }
    }
    for sep in [" - ", " – ", " : "] {
        if let Some((head, tail)) = t.rsplit_once(sep) {
            if is_level(tail) {
                return head.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// Reads an interests section: one item per list element; a labelled line stays whole
/// ("Sport : course à pied, natation").
pub fn interests(lines: &[Line]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let text = line.text.trim();
        let items = if label_value(text).is_some() || text.split_whitespace().count() > 10 {
            vec![text.trim_end_matches('.').to_string()]
        } else {
            split_items(text)
        };
        for item in items {
            if !out.iter().any(|o| fold(o) == fold(&item)) && out.len() < 100 {
                out.push(item);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::prepare;

    #[test]
    fn skill_lists() {
        let p = prepare("- Bureautique : Word, Excel (TCD, macros), PowerPoint\n- Paie ; carrières • absences\nStatut de la fonction publique territoriale\nExcel : avancé\nAnglais : B2\nPermis B\n");
        let (skills, langs, _) = parse(&p.lines);
        let labels: Vec<&str> = skills.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Word",
                "Excel (TCD, macros)",
                "PowerPoint",
                "Paie",
                "carrières",
                "absences",
                "Statut de la fonction publique territoriale",
                "Excel"
            ]
        );
        assert_eq!(skills[0].evidence, ["Bureautique : Word, Excel (TCD, macros), PowerPoint"]);
        assert_eq!(langs.len(), 1);
    }

    #[test]
    fn a_long_line_split_by_list_marks() {
        let p = prepare("Gestion des marchés publics de travaux · Suivi de chantier · Logiciel Covadis · Métrés\nJe conduis des projets de voirie avec les élus et les services techniques de la commune.\n");
        let (skills, _, _) = parse(&p.lines);
        let labels: Vec<&str> = skills.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Gestion des marchés publics de travaux",
                "Suivi de chantier",
                "Logiciel Covadis",
                "Métrés",
                "Je conduis des projets de voirie avec les élus et les services techniques de la commune"
            ]
        );
        assert_eq!(
            crate::sections::classify_heading("SAVOIR-ÊTRE ET SAVOIR-FAIRE"),
            Some(crate::sections::Kind::Skills)
        );
        let p =
            prepare("Code de l'urbanisme – Logiciel Cart@DS – Instruction des permis de construire\nExcel – expert\n");
        let (skills, _, _) = parse(&p.lines);
        let labels: Vec<&str> = skills.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Code de l'urbanisme", "Logiciel Cart@DS", "Instruction des permis de construire", "Excel"]
        );
    }

    #[test]
    fn a_long_comma_list_is_items_and_a_long_sentence_stays_whole() {
        let p = prepare("- HACCP, plan de maîtrise sanitaire, allergènes, élaboration des menus, restauration collective, loi EGalim, approvisionnement local\n- Accueil du public et des familles, puis orientation vers les services compétents du Département\n");
        let (skills, _, _) = parse(&p.lines);
        let labels: Vec<&str> = skills.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "HACCP",
                "plan de maîtrise sanitaire",
                "allergènes",
                "élaboration des menus",
                "restauration collective",
                "loi EGalim",
                "approvisionnement local",
                "Accueil du public et des familles, puis orientation vers les services compétents du Département"
            ]
        );
    }

    #[test]
    fn interest_items() {
        let p = prepare("Randonnée, lecture\nBénévolat : Restos du cœur\n");
        assert_eq!(interests(&p.lines), ["Randonnée", "lecture", "Bénévolat : Restos du coeur"]);
    }
}
