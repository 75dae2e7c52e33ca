//! Certifications and driving licences.

use crate::datespan::split_date;
use crate::experience::to_wit;
use crate::input::Line;
use crate::skills::split_items;
use vivier_sdk::cv_parser::Certification;
use vivier_sdk::text::fold;

const ISSUERS: &[&str] = &[
    "cnfpt",
    "afnor",
    "pmi",
    "axelos",
    "microsoft",
    "google",
    "aws",
    "amazon",
    "cisco",
    "scrum org",
    "ets",
    "cambridge",
    "pix",
    "cnil",
    "ministere",
    "anssi",
    "iso",
    "comptia",
    "oracle",
    "salesforce",
    "ibm",
    "afpa",
    "inrs",
    "croix rouge",
    "protection civile",
    "ucanss",
    "opquast",
];

pub fn parse(lines: &[Line]) -> Vec<Certification> {
    let mut out: Vec<Certification> = Vec::new();
    for line in lines {
        let (text, date) = match split_date(&line.text) {
            Some(d) => (d.residual, d.range.end.or(d.range.start)),
            None => (line.text.clone(), None),
        };
        let fields: Vec<String> = text
            .split([',', '|', '—', '–'])
            .flat_map(|p| p.split(" - ").map(str::to_string).collect::<Vec<_>>())
            .map(|p| {
                let p = p.trim().trim_matches(':').trim();
                if p.starts_with('(') && p.ends_with(')') {
                    p[1..p.len() - 1].trim().to_string()
                } else {
                    p.to_string()
                }
            })
            .filter(|p| !p.is_empty())
            .collect();
        let Some(name) = fields.first().cloned() else {
            continue;
        };
        let issuer = fields.iter().skip(1).find(|f| {
            let g = fold(f);
            ISSUERS.iter().any(|i| g == *i || g.starts_with(&format!("{i} ")) || g.contains(&format!(" {i}")))
                || g.starts_with("delivre par")
                || g.starts_with("issued by")
        });
        let issuer = issuer
            .or(fields.get(1).filter(|_| fields.len() == 2))
            .map(|i| i.trim_start_matches("délivré par ").trim_start_matches("issued by ").to_string());
        if out.len() < 100 {
            out.push(Certification { name, issuer, date: date.map(to_wit) });
        }
    }
    out
}

/// Driving licence categories named in a text: "Permis B", "permis A et B", "Permis VL",
/// "driving licence (B)". The text must mention a licence.
pub fn licences(text: &str) -> Vec<String> {
    let f = fold(text);
    let Some(pos) = ["permis", "driving licen", "driver s licen", "licence de conduire"].iter().find_map(|k| f.find(k))
    else {
        return Vec::new();
    };
    let tail = f.get(pos..).unwrap_or("");
    let mut out = Vec::new();
    for w in tail.split(' ').skip(1).take(10) {
        let cat = match w {
            "vl" => "B",
            "am" => "AM",
            "a1" => "A1",
            "a2" => "A2",
            "a" => "A",
            "b" => "B",
            "b1" => "B1",
            "be" => "BE",
            "c1" => "C1",
            "c1e" => "C1E",
            "c" => "C",
            "ce" => "CE",
            "d1" => "D1",
            "d1e" => "D1E",
            "d" => "D",
            "de" => "",
            "pl" => "C",
            _ => "",
        };
        if !cat.is_empty() && !out.iter().any(|o| o == cat) {
            out.push(cat.to_string());
        }
        // Stop at the first word that is not a category nor a link word.
        if cat.is_empty()
            && !matches!(
                w,
                "de" | "conduire"
                    | "et"
                    | "and"
                    | "categorie"
                    | "categories"
                    | "cat"
                    | "full"
                    | "uk"
                    | "licence"
                    | "license"
                    | "s"
                    | "permis"
                    | "ou"
                    | "en"
                    | "cours"
                    | "valide"
            )
        {
            break;
        }
    }
    out
}

/// Licences listed in a "Permis" section: the lines themselves are categories.
pub fn licence_section(lines: &[Line]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let from_text = licences(&format!("permis {}", line.text));
        for item in
            from_text.into_iter().chain(split_items(&line.text).iter().flat_map(|i| licences(&format!("permis {i}"))))
        {
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_categories() {
        assert_eq!(licences("Permis B"), ["B"]);
        assert_eq!(licences("Permis de conduire : B, C1"), ["B", "C1"]);
        assert_eq!(licences("permis A et B (véhicule personnel)"), ["A", "B"]);
        assert_eq!(licences("Permis VL"), ["B"]);
        assert_eq!(licences("Full UK driving licence (B)"), ["B"]);
        assert!(licences("Permis de construire instruits").is_empty());
        assert!(licences("Assistante de direction").is_empty());
    }

    #[test]
    fn certification_fields() {
        let lines = crate::input::prepare(
            "TOEIC 920 (2022)\nCertification Scrum Master PSM I, Scrum.org, 2021\nSST — INRS — 2020\n",
        )
        .lines;
        let c = parse(&lines);
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].name, "TOEIC 920");
        assert_eq!(c[0].date.map(|d| d.year), Some(2022));
        assert_eq!(c[1].issuer.as_deref(), Some("Scrum.org"));
        assert_eq!(c[2].issuer.as_deref(), Some("INRS"));
    }
}
