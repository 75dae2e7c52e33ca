//! PDF text extraction inside the plugin: lopdf reads the objects, [`interp`] places the
//! glyphs, [`layout`] restores the reading order, and this module reports what a recruiter must
//! know (hidden text, pages without text layer, pages not read).

pub mod fonts;
pub mod interp;
pub mod layout;

use interp::{Hidden, Interpreter, MAX_STREAM_BYTES};
use lopdf::{Document, LoadOptions};
use vivier_sdk::cv_parser::{ParseError, Warning};

/// Pages read at most; a CV has one to four.
pub const MAX_PAGES: usize = 30;

/// Text of a PDF in reading order, with warnings.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub warnings: Vec<Warning>,
    pub pages: usize,
    pub images: usize,
}

fn warning(code: &str, message: String) -> Warning {
    Warning { code: code.into(), message }
}

/// Loads the document, mapping lopdf's failures to the WIT's error cases.
fn load(bytes: &[u8]) -> Result<Document, ParseError> {
    // Most "protected" CVs only restrict printing or copying and open with the empty password.
    let options = LoadOptions {
        password: Some(String::new()),
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => ParseError::Encrypted,
        lopdf::Error::Decompress(_) => ParseError::Corrupt(format!("flux compressé invalide ou trop volumineux ({e})")),
        other => ParseError::Corrupt(format!("structure PDF illisible ({other})")),
    })?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(ParseError::Encrypted);
    }
    Ok(doc)
}

/// Extracts the text of a PDF.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ParseError> {
    let doc = load(bytes)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ParseError::Corrupt("aucune page lisible dans le PDF".into()));
    }
    let mut out = Extracted { pages: pages.len(), ..Extracted::default() };
    let mut interp = Interpreter::default();
    let mut hidden: Vec<(Hidden, String)> = Vec::new();
    let mut scanned_pages = Vec::new();
    let (mut mapped, mut unmapped) = (0usize, 0usize);
    let mut page_lines: Vec<(Vec<layout::OutLine>, f32, f32)> = Vec::new();
    for (&number, &id) in pages.iter().take(MAX_PAGES) {
        let page = interp.page(&doc, id);
        out.images += page.images;
        unmapped += page.unmapped;
        let visible: Vec<&interp::Glyph> = page.glyphs.iter().filter(|g| g.hidden.is_none()).collect();
        mapped += visible.len();
        // Hidden text, grouped by reason, with its words put back together like visible text.
        for reason in [Hidden::White, Hidden::Tiny, Hidden::Outside, Hidden::Invisible] {
            let glyphs: Vec<&interp::Glyph> = page.glyphs.iter().filter(|g| g.hidden == Some(reason)).collect();
            if glyphs.is_empty() || hidden.len() >= 50 {
                continue;
            }
            let words: Vec<String> = layout::segments(&glyphs).into_iter().take(20).map(|s| s.text).collect();
            hidden.push((reason, words.join(" ")));
        }
        let readable = visible.iter().filter(|g| g.text.chars().any(char::is_alphanumeric)).count();
        if readable < 10 && page.images > 0 {
            scanned_pages.push(number);
        }
        let lines = layout::order(layout::segments(&visible));
        page_lines.push((lines, page.y0, page.height));
        if interp.exhausted {
            break;
        }
    }
    drop_furniture(&mut page_lines);
    for (lines, _, _) in &page_lines {
        if !out.text.is_empty() {
            out.text.push('\n');
        }
        layout::to_text(lines, &mut out.text);
    }
    out.text = normalise(&out.text);

    let alnum = out.text.chars().filter(|c| c.is_alphanumeric()).count();
    if alnum < 20 {
        if unmapped > 0 {
            return Err(ParseError::Corrupt(
                "les polices du PDF ne permettent pas de retrouver le texte (pas de table Unicode)".into(),
            ));
        }
        return Err(ParseError::NoTextLayer);
    }
    if pages.len() > MAX_PAGES || interp.exhausted {
        out.warnings.push(warning(
            "pages-capped",
            format!(
                "Le PDF compte {} pages : seules les {} premières ont été lues (limite du lecteur).",
                pages.len(),
                MAX_PAGES.min(pages.len())
            ),
        ));
    }
    if !scanned_pages.is_empty() {
        let list: Vec<String> = scanned_pages.iter().map(u32::to_string).collect();
        out.warnings.push(warning(
            "no-text-layer",
            format!(
                "Page(s) {} sans texte (image ou scan) : OCR non pris en charge, leur contenu n'a pas été lu.",
                list.join(", ")
            ),
        ));
    }
    if unmapped * 10 > mapped + unmapped && unmapped > 20 {
        out.warnings.push(warning(
            "unreadable-glyphs",
            format!(
                "{unmapped} caractères du PDF n'ont pas pu être décodés (police sans table Unicode) : relisez le CV."
            ),
        ));
    }
    for reason in [Hidden::White, Hidden::Tiny, Hidden::Outside, Hidden::Invisible] {
        let parts: Vec<String> = hidden
            .iter()
            .filter(|(r, t)| *r == reason && !t.trim().is_empty())
            .map(|(_, t)| normalise(t).split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if parts.is_empty() {
            continue;
        }
        let mut excerpt = parts.join(" / ");
        if excerpt.chars().count() > 120 {
            excerpt = format!("{}…", excerpt.chars().take(120).collect::<String>());
        }
        let how = match reason {
            Hidden::White => "du texte blanc sur fond blanc",
            Hidden::Tiny => "du texte en police de moins de 2 points",
            Hidden::Outside => "du texte placé hors de la page",
            Hidden::Invisible => "du texte invisible",
        };
        out.warnings.push(warning(
            "hidden-text",
            format!(
                "Le PDF contient {how}, invisible à la lecture (procédé connu pour tromper le tri automatique) : « {excerpt} ». Ce texte n'a pas été pris en compte."
            ),
        ));
    }
    Ok(out)
}

/// Removes running headers and footers: lines in the top or bottom margin that repeat on
/// several pages (digits aside: "Jean Dupont – 1/2"), and bare page numbers ("2/3", "Page 2").
fn drop_furniture(pages: &mut [(Vec<layout::OutLine>, f32, f32)]) {
    let key = |t: &str| {
        t.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let in_margin = |l: &layout::OutLine, y0: f32, h: f32| l.y < y0 + 0.07 * h || l.y > y0 + 0.93 * h;
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (lines, y0, h) in pages.iter() {
        let mut keys: Vec<String> = lines.iter().filter(|l| in_margin(l, *y0, *h)).map(|l| key(&l.text)).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    // "2/4" on a four-page document is its page number wherever the template prints it (a
    // footer of several lines puts it above the bottom margin).
    let count = pages.len();
    let numbering = |t: &str| {
        let Some((n, m)) = t.split_once('/') else { return false };
        let (n, m) = (n.trim().parse::<usize>(), m.trim().parse::<usize>());
        matches!((n, m), (Ok(n), Ok(m)) if m == count && (1..=m).contains(&n))
    };
    for (lines, y0, h) in pages.iter_mut() {
        lines.retain(|l| {
            if numbering(l.text.trim()) {
                return false;
            }
            if !in_margin(l, *y0, *h) {
                return true;
            }
            let k = key(&l.text);
            // A phone number alone in the top margin ("06 02 35 68 91") has digits only too: a
            // page number has few.
            let page_number = l.text.chars().filter(char::is_ascii_digit).count() <= 4
                && k.split_whitespace().all(|w| matches!(w, "/" | "-" | "–" | "page" | "p." | "of" | "sur" | "|"));
            !(page_number || seen.get(&k).copied().unwrap_or(0) >= 2)
        });
    }
}

/// Unicode NFC, no control characters but line breaks and tabs, and small-capital words
/// repaired: some small-caps fonts map their "I" to "i" ("STAGiAiRE" → "STAGIAIRE").
fn normalise(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let clean: String = text.nfc().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    let mut out = String::with_capacity(clean.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let upper = word.chars().filter(|c| c.is_uppercase()).count();
        let lower_i = word.chars().filter(|&c| c == 'i').count();
        let other_lower = word.chars().filter(|&c| c.is_lowercase() && c != 'i').count();
        if lower_i > 0 && other_lower == 0 && upper >= 2 {
            out.push_str(&word.replace('i', "I"));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in clean.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_caps_i_repaired() {
        assert_eq!(normalise("STAGiAiRE EN CYBERSÉCURiTÉ, iPhone, Ii"), "STAGIAIRE EN CYBERSÉCURITÉ, iPhone, Ii");
    }

    #[test]
    fn page_numbers_dropped_anywhere() {
        let line = |y: f32, text: &str| layout::OutLine { y, size: 10.0, text: text.into(), block_start: false };
        let page = |n: &str| {
            (vec![line(100.0, "Texte du corps 1/2 d'une page"), line(500.0, n), line(520.0, "2/3")], 0.0, 800.0)
        };
        let mut pages = vec![page("1/2"), page("2/2")];
        drop_furniture(&mut pages);
        let texts: Vec<&str> = pages[0].0.iter().map(|l| l.text.as_str()).collect();
        // "2/3" is not a page number of a two-page document.
        assert_eq!(texts, ["Texte du corps 1/2 d'une page", "2/3"]);
    }

    #[test]
    fn a_phone_number_in_the_top_margin_is_not_a_page_number() {
        let line = |y: f32, text: &str| layout::OutLine { y, size: 10.0, text: text.into(), block_start: false };
        let mut pages = vec![(vec![line(790.0, "07 12 34 56 78"), line(780.0, "2"), line(400.0, "Corps")], 0.0, 800.0)];
        drop_furniture(&mut pages);
        let texts: Vec<&str> = pages[0].0.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["07 12 34 56 78", "Corps"]);
    }

    #[test]
    fn garbage_and_truncation_are_typed_errors() {
        assert!(matches!(extract(b"%PDF-1.4\n garbage"), Err(ParseError::Corrupt(_))));
        assert!(matches!(extract(b"%PDF-"), Err(ParseError::Corrupt(_))));
    }
}
