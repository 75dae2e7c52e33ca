//! Degrees and training, with the French level (bac, bac+2 … bac+8) when it can be inferred.

use crate::entries::{cue_count, looks_like_location, segment, segments, RawEntry};
use crate::experience::to_wit;
use crate::input::Line;
use vivier_sdk::cv_parser::Education;
use vivier_sdk::text::{fold, words};

const DEGREE_STEMS: &[&str] = &[
    "master",
    "masters",
    "licence",
    "bac",
    "baccalaureat",
    "bts",
    "dut",
    "but",
    "diplome",
    "doctorat",
    "phd",
    "mba",
    "bachelor",
    "bsc",
    "msc",
    "ba",
    "ma",
    "ingenieur",
    "deug",
    "dea",
    "dess",
    "cap",
    "bep",
    "certificat",
    "titre",
    "du",
    "daeu",
    "prepa",
    "classe",
    "degree",
    "m1",
    "m2",
    "l1",
    "l2",
    "l3",
    "maitrise",
    "deust",
    "these",
    "thesis",
    "hdr",
    "capes",
    "agregation",
    "crpe",
    "dcg",
    "dscg",
    "bpjeps",
    "deas",
    "dees",
    "deass",
    "deeje",
    "cafdes",
    "caferuis",
    "mastere",
    "meng",
    "beng",
    "mphil",
    "dphil",
    "bs",
    "ms",
    "diploma",
    "postgraduate",
    "undergraduate",
    "cpge",
    "bachelier",
    "brevet",
    "executive",
    "ifsi",
    "bp",
];

const INSTITUTION_STEMS: &[&str] = &[
    "universite",
    "university",
    "ecole",
    "school",
    "institut",
    "institute",
    "iut",
    "lycee",
    "iep",
    "sciences po",
    "college",
    "academy",
    "academie",
    "insa",
    "cnam",
    "cnfpt",
    "inet",
    "insp",
    "ena",
    "faculte",
    "faculty",
    "campus",
    "ira",
    "polytechnique",
    "centrale",
    "ensae",
    "ens",
    "hec",
    "essec",
    "escp",
    "edhec",
    "kedge",
    "neoma",
    "skema",
    "grenoble",
    "audencia",
    "ifsi",
    "afpa",
    "greta",
    "cned",
    "enm",
    "ehesp",
    "telecom",
    "mines",
    "upmc",
    "sorbonne",
    "pantheon",
    "polytech",
    "conservatoire",
    "cfa",
    "ifa",
    "iae",
    "esc",
    "ensa",
    "enssib",
    "ena",
];

/// Whether a header line names a degree.
pub fn is_degree(text: &str) -> bool {
    degree_score(text) > 0
}

fn degree_score(text: &str) -> i32 {
    let w = words(text);
    let strong = w.iter().filter(|x| DEGREE_STEMS.contains(&x.as_str())).count() as i32;
    let f = fold(text);
    let bonus = if f.contains("bac ") || f.starts_with("bac") || f.contains("diplome d") { 1 } else { 0 };
    strong * 2 + bonus
}

fn institution_score(text: &str) -> i32 {
    let f = format!(" {} ", fold(text));
    let mut s = INSTITUTION_STEMS.iter().filter(|i| f.contains(&format!(" {i} "))).count() as i32 * 2;
    s += cue_count(text, &["universit", "ecole", "institut", "lycee", "school", "college"]) as i32;
    s
}

/// The French level of a degree: "bac", "bac+2", "bac+3", "bac+4", "bac+5", "bac+8".
pub fn level(degree: &str) -> Option<String> {
    let f = fold(degree);
    let w: Vec<&str> = f.split(' ').collect();
    let has = |x: &str| w.contains(&x);
    let starts = |x: &str| w.iter().any(|y| y.starts_with(x));
    // An explicit level wins: "Bac+5", "bac + 3".
    let compact: String = degree.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    for n in ["8", "5", "4", "3", "2"] {
        if compact.contains(&format!("bac+{n}")) {
            return Some(format!("bac+{n}"));
        }
    }
    let lvl = if starts("doctora") || has("phd") || has("these") || has("thesis") || has("dphil") || has("hdr") {
        "bac+8"
    } else if has("m2")
        || has("dea")
        || has("dess")
        || has("mba")
        || has("msc")
        || has("ms")
        || has("meng")
        || has("mastere")
        || has("ingenieur")
        || has("ingenieurs")
        || has("engineering") && has("degree")
        || (starts("master") && !has("1") && !has("m1"))
        || has("iep")
        || has("cafdes")
        || has("ma") && w.first() == Some(&"ma")
    {
        "bac+5"
    } else if has("m1") || has("maitrise") || (starts("master") && has("1")) {
        "bac+4"
    } else if has("licence")
        || has("bachelor")
        || has("bsc")
        || has("ba") && w.first() == Some(&"ba")
        || has("l3")
        || has("beng")
        || has("bs") && w.first() == Some(&"bs")
        || (has("but") && w.first() == Some(&"but"))
        || has("deass")
        || has("dees")
        || has("deeje")
        || starts("bachelier")
    {
        "bac+3"
    } else if has("bts") || has("dut") || has("deug") || has("deust") || has("l2") {
        "bac+2"
    } else if has("bac") || has("baccalaureat") || has("daeu") {
        "bac"
    } else {
        return None;
    };
    Some(lvl.to_string())
}

pub fn parse(lines: &[Line]) -> (Vec<Education>, Vec<String>, bool) {
    let (entries, truncated) = segment(lines, &is_degree);
    let mut out = Vec::new();
    let mut unparsed = Vec::new();
    for e in entries {
        unparsed.extend(e.unparsed.iter().cloned());
        if let Some(x) = build(e) {
            out.push(x);
        }
    }
    (out, unparsed, truncated)
}

fn build(e: RawEntry) -> Option<Education> {
    let mut fields: Vec<String> = e.header.iter().flat_map(|h| segments(h)).collect();
    if fields.is_empty() {
        let first = e.description.first()?;
        fields = segments(first);
    }
    let mut location = None;
    if fields.len() >= 2 {
        if let Some(pos) =
            (1..fields.len()).rev().find(|&i| looks_like_location(&fields[i]) && institution_score(&fields[i]) == 0)
        {
            let place = fields.remove(pos);
            location = Some(place.trim_start_matches('(').trim_end_matches(')').trim().to_string());
        }
    }
    // Mentions ("mention bien", "(en cours)") are not fields.
    fields.retain(|f| {
        let g = fold(f);
        !(g.starts_with("mention") || g == "en cours" || g == "obtenu" || g == "obtenue")
    });
    if fields.is_empty() {
        return None;
    }
    let degree_idx = (0..fields.len())
        .max_by_key(|&i| (degree_score(&fields[i]) - institution_score(&fields[i]), -(i as i32)))
        .unwrap_or(0);
    if degree_score(&fields[degree_idx]) == 0 && e.range.is_none() {
        // Neither a degree nor a date: not an education entry.
        return None;
    }
    let institution_idx = (0..fields.len()).filter(|&i| i != degree_idx).max_by_key(|&i| {
        let adjacent = if i == degree_idx + 1 { 1 } else { 0 };
        (institution_score(&fields[i]) - degree_score(&fields[i]), adjacent)
    });
    let degree = fields[degree_idx].clone();
    let range = e.range.unwrap_or_default();
    let level = level(&degree).or_else(|| level(&e.header.join(" ")));
    Some(Education {
        degree: strip_parens(&degree),
        institution: institution_idx.map(|i| strip_parens(&fields[i])),
        location,
        start: range.start.map(to_wit),
        end: if range.current { None } else { range.end.map(to_wit) },
        level,
    })
}

fn strip_parens(s: &str) -> String {
    let t = s.trim();
    if t.starts_with('(') && t.ends_with(')') {
        t.trim_start_matches('(').trim_end_matches(')').trim().to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::prepare;

    #[test]
    fn levels() {
        let cases = [
            ("Baccalauréat ES", Some("bac")),
            ("BTS Assistant de gestion PME-PMI", Some("bac+2")),
            ("DUT Gestion des entreprises", Some("bac+2")),
            ("Licence Administration publique", Some("bac+3")),
            ("BUT Carrières juridiques", Some("bac+3")),
            ("Bachelor of Science in Computer Science", Some("bac+3")),
            ("Master 2 Droit public", Some("bac+5")),
            ("Master Management public", Some("bac+5")),
            ("Master 1 Droit", Some("bac+4")),
            ("Diplôme d'ingénieur", Some("bac+5")),
            ("Doctorat en sociologie", Some("bac+8")),
            ("PhD in Physics", Some("bac+8")),
            ("MSc Data Science", Some("bac+5")),
            ("Formation CNFPT management", None),
        ];
        for (degree, lvl) in cases {
            assert_eq!(level(degree).as_deref(), lvl, "{degree}");
        }
    }

    #[test]
    fn entries_with_and_without_dates() {
        let text = "2014 - 2016 : Master Droit public — Université Lyon 3\nLicence AES, Université de Rennes 2 (2013)\nBaccalauréat ES, Lycée Victor Hugo, Brest\n";
        let (e, _, _) = parse(&prepare(text).lines);
        assert_eq!(e.len(), 3, "{e:#?}");
        assert_eq!(e[0].degree, "Master Droit public");
        assert_eq!(e[0].institution.as_deref(), Some("Université Lyon 3"));
        assert_eq!(e[1].degree, "Licence AES");
        assert_eq!(e[1].end.map(|d| d.year), Some(2013));
        assert_eq!(e[2].institution.as_deref(), Some("Lycée Victor Hugo"));
        assert_eq!(e[2].location.as_deref(), Some("Brest"));
        assert_eq!(e[2].level.as_deref(), Some("bac"));
    }
}
