//! From a document to clean lines: media-type check, size limit, decoding, Markdown clean-up.

use vivier_sdk::cv_parser::ParseError;
use vivier_sdk::text::{clean_typography, decode_text};

/// Largest document accepted, in bytes (10 MiB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Lines read at most; the rest is dropped with a "truncated" warning.
pub const MAX_LINES: usize = 20_000;
/// Characters kept per line.
pub const MAX_LINE_CHARS: usize = 2_000;

const READABLE: &str = "cette version du lecteur de CV lit le texte brut (.txt, text/plain) et le Markdown \
(.md, text/markdown) ; PDF, DOCX et ODT seront lus par une version ultérieure";

/// Checks that the declared media type (or, for a generic type, the file name) is one this
/// version reads.
pub fn check_media_type(filename: &str, media_type: &str) -> Result<(), ParseError> {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let name = filename.trim().to_lowercase();
    let text_name = [".txt", ".md", ".markdown", ".text", ".mdown"].iter().any(|e| name.ends_with(e));
    match essence.as_str() {
        "text/plain" | "text/markdown" | "text/x-markdown" | "text/md" => Ok(()),
        "" | "application/octet-stream" | "binary/octet-stream" if text_name => Ok(()),
        _ => Err(ParseError::UnsupportedMediaType(format!(
            "type « {} » ({}) non lu : {READABLE}",
            if essence.is_empty() { "inconnu" } else { &essence },
            if filename.trim().is_empty() { "sans nom" } else { filename.trim() },
        ))),
    }
}

/// Decodes the bytes into text. Returns the text and whether Windows-1252 was assumed.
pub fn decode(bytes: &[u8]) -> Result<(String, bool), ParseError> {
    if bytes.len() > MAX_BYTES {
        return Err(ParseError::TooLarge(MAX_BYTES as u64));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::EmptyDocument);
    }
    let magic: &[(&[u8], &str)] = &[
        (b"%PDF-", "PDF"),
        (b"PK\x03\x04", "archive ZIP (DOCX ou ODT)"),
        (b"\xD0\xCF\x11\xE0", "document Office ancien (.doc)"),
        (b"{\\rtf", "RTF"),
    ];
    for (prefix, what) in magic {
        if bytes.starts_with(prefix) {
            return Err(ParseError::UnsupportedMediaType(format!(
                "le contenu est un {what} et non du texte : {READABLE}"
            )));
        }
    }
    let (text, fallback) = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, false), false)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, true), false)
    } else {
        let control = bytes
            .iter()
            .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
            .count();
        if bytes.contains(&0) || control * 100 > bytes.len() {
            return Err(ParseError::Corrupt(format!(
                "contenu binaire : {control} octets de contrôle sur {} ; ce n'est pas un fichier texte",
                bytes.len()
            )));
        }
        decode_text(bytes)
    };
    if !text.chars().any(char::is_alphabetic) {
        return Err(ParseError::EmptyDocument);
    }
    Ok((text, fallback))
}

fn utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
}

/// One line of the CV after clean-up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    /// Text without bullet, Markdown markers or surrounding spaces.
    pub text: String,
    /// The line started with a bullet ("-", "•", "*", "1.").
    pub bullet: bool,
    /// An empty line precedes this one.
    pub blank_before: bool,
    /// Markdown ATX heading level ("## x" → 2).
    pub md_heading: Option<u8>,
    /// Underlined by the next line ("====" or "----"): a setext heading.
    pub underlined: bool,
    /// The bullet was an icon-font glyph, which templates also put before headings.
    pub icon: bool,
}

/// Result of line preparation.
#[derive(Debug, Default)]
pub struct Prepared {
    pub lines: Vec<Line>,
    /// Markdown images seen (a photo, usually).
    pub images: usize,
    pub truncated: bool,
}

/// Splits the text into clean lines, keeping what matters for structure.
pub fn prepare(text: &str) -> Prepared {
    let mut out = Prepared::default();
    let mut blank = false;
    let mut in_code = false;
    for (n, raw) in text.split(['\n', '\r', '\u{0C}', '\u{2028}', '\u{2029}']).enumerate() {
        if n >= MAX_LINES * 2 || out.lines.len() >= MAX_LINES {
            out.truncated = true;
            break;
        }
        let mut raw = clean_typography(raw);
        if raw.chars().count() > MAX_LINE_CHARS {
            raw = raw.chars().take(MAX_LINE_CHARS).collect();
            out.truncated = true;
        }
        let raw = raw.replace('\t', "   ");
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with("<!--") {
            blank = true;
            continue;
        }
        if is_rule(trimmed) {
            if let Some(prev) = out.lines.last_mut() {
                if !blank && prev.md_heading.is_none() && !prev.bullet && trimmed.chars().all(|c| c == '=' || c == '-')
                {
                    prev.underlined = true;
                }
            }
            blank = true;
            continue;
        }
        let (line, images) = clean_line(trimmed);
        out.images += images;
        let Some(mut line) = line else {
            continue;
        };
        line.blank_before = blank;
        blank = false;
        out.lines.push(line);
    }
    out
}

fn is_rule(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    compact.chars().count() >= 3
        && ["-", "=", "*", "_", "–", "~", "#", "•"].iter().any(|r| compact.chars().all(|c| c.to_string() == *r))
}

fn clean_line(s: &str) -> (Option<Line>, usize) {
    let mut line = Line::default();
    let mut s = s.trim_start_matches('>').trim().to_string();
    // ATX heading.
    let hashes = s.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && s.chars().nth(hashes).is_some_and(char::is_whitespace) {
        line.md_heading = Some(hashes as u8);
        s = s.chars().skip(hashes).collect::<String>().trim().trim_end_matches('#').trim().to_string();
    }
    // Table rows.
    if s.starts_with('|') {
        let cells: Vec<&str> = s.trim_matches('|').split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
        if cells.iter().all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))) {
            return (None, 0);
        }
        s = cells.join(" | ");
    }
    // Bullets.
    if line.md_heading.is_none() {
        if let Some(rest) = strip_bullet(&s) {
            line.bullet = true;
            line.icon = s.starts_with(|c: char| ('\u{E000}'..='\u{F8FF}').contains(&c));
            s = rest;
        }
    }
    let (s, images) = strip_markdown(&s);
    let s = s.trim().trim_start_matches(['•', '-', '*']).trim();
    if s.is_empty() || !s.chars().any(char::is_alphanumeric) {
        return (None, images);
    }
    line.text = squash_keep_gaps(s);
    (Some(line), images)
}

/// Collapses white space, keeping a run of two or more spaces as a double space: text laid out
/// in columns ("Assistante RH      2019 – 2021") keeps a visible gap that separates fields.
pub fn squash_keep_gaps(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = 0usize;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            run += 1;
        } else {
            if run > 0 {
                out.push_str(if run >= 2 { "  " } else { " " });
            }
            run = 0;
            out.push(c);
        }
    }
    out
}

/// Removes a bullet marker at the start of the line; `None` when there is none.
pub fn strip_bullet(s: &str) -> Option<String> {
    let mut chars = s.chars();
    let first = chars.next()?;
    let rest: String = chars.collect();
    const MARKS: &[char] = &[
        '-', '*', '+', '•', '–', '·', '▪', '◦', '○', '➢', '➤', '►', '→', '✓', '✔', '◆', '◇', '■', '□', '❖', '▸', '▹',
        '»', '›', '✗', '➔', '⇒', '◾', '▶',
    ];
    if MARKS.contains(&first) && rest.starts_with(char::is_whitespace) {
        // "- 2019" is a bullet, "–2019" is not; "--" rules are handled before.
        return Some(rest.trim().to_string());
    }
    // Icon-font glyphs (Unicode private use area, often followed by a visible-space glyph) and a
    // brace that opens nothing are how PDF templates' bullets come out of fonts without a
    // proper Unicode map: "\u{f111}␣ Achievement", "{ Achievement".
    let icon = ('\u{E000}'..='\u{F8FF}').contains(&first);
    let lone_brace = first == '{' && rest.starts_with(char::is_whitespace) && !rest.contains('}');
    if icon || lone_brace {
        let text = rest.trim_start_matches(|c: char| c == '␣' || c.is_whitespace());
        if text.chars().any(char::is_alphanumeric) {
            return Some(text.trim().to_string());
        }
    }
    if first == 'o' && rest.starts_with(' ') && rest.trim_start().starts_with(char::is_uppercase) {
        return Some(rest.trim().to_string());
    }
    // "1. Text" or "2) Text" (not "2019 – 2021" nor "01/2019").
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if (1..=2).contains(&digits.len()) {
        let after: String = s.chars().skip(digits.len()).collect();
        if (after.starts_with(". ") || after.starts_with(") "))
            && !after[2..].trim_start().starts_with(|c: char| c.is_ascii_digit())
        {
            return Some(after[2..].trim().to_string());
        }
    }
    None
}

/// Drops Markdown emphasis, inline code and images; keeps link texts (and the address when the
/// text is empty). Returns the text and the number of images removed.
fn strip_markdown(s: &str) -> (String, usize) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut images = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let link = if c == '[' || (c == '!' && chars.get(i + 1) == Some(&'[')) { md_link(&chars, i) } else { None };
        if let Some((text, url, next)) = link {
            if c == '!' {
                images += 1;
            } else if text.trim().is_empty() || text.contains("http") || text.contains('@') {
                out.push_str(&url);
            } else if url.starts_with("mailto:") || url.starts_with("tel:") {
                out.push_str(&text);
            } else {
                out.push_str(&text);
                out.push_str(" <");
                out.push_str(&url);
                out.push('>');
            }
            i = next;
            continue;
        }
        match c {
            '`' => {}
            '*' | '_' => {
                // Emphasis markers: at a word boundary on one side.
                let prev = if i == 0 { None } else { chars.get(i - 1) };
                let next = chars.get(i + 1);
                let inner = prev.is_some_and(|p| p.is_alphanumeric()) && next.is_some_and(|n| n.is_alphanumeric());
                if inner {
                    out.push(c);
                }
            }
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {}
            _ => out.push(c),
        }
        i += 1;
    }
    (out, images)
}

/// Reads "[text](url)" starting at `start` ("!" included for images).
fn md_link(chars: &[char], start: usize) -> Option<(String, String, usize)> {
    let open = if chars[start] == '!' { start + 1 } else { start };
    let close = (open + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    let text: String = chars[open + 1..close].iter().collect();
    let url: String = chars[close + 2..end].iter().collect();
    Some((text, url.trim().to_string(), end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert!(check_media_type("cv.txt", "text/plain; charset=utf-8").is_ok());
        assert!(check_media_type("cv.md", "text/markdown").is_ok());
        assert!(check_media_type("CV.MD", "application/octet-stream").is_ok());
        assert!(check_media_type("cv.txt", "").is_ok());
        for (name, mt) in [
            ("cv.pdf", "application/pdf"),
            ("cv.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("cv.odt", "application/vnd.oasis.opendocument.text"),
            ("cv.pdf", "application/octet-stream"),
        ] {
            match check_media_type(name, mt) {
                Err(ParseError::UnsupportedMediaType(m)) => {
                    assert!(m.contains("Markdown") && m.contains("PDF"), "{m}")
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn decoding_errors() {
        assert_eq!(decode(b""), Err(ParseError::EmptyDocument));
        assert_eq!(decode(b"  \n\t \r\n"), Err(ParseError::EmptyDocument));
        assert_eq!(decode(b"--- 12 ---"), Err(ParseError::EmptyDocument));
        assert!(matches!(decode(b"%PDF-1.7 ..."), Err(ParseError::UnsupportedMediaType(_))));
        assert!(matches!(decode(b"abc\0\0\0def"), Err(ParseError::Corrupt(_))));
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(decode(&big), Err(ParseError::TooLarge(MAX_BYTES as u64)));
        let (t, fb) = decode(b"Exp\xe9rience").unwrap();
        assert!(fb);
        assert_eq!(t, "Expérience");
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Été".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode(&utf16).unwrap().0, "Été");
    }

    #[test]
    fn chevrons_and_arrows_are_bullets() {
        assert_eq!(strip_bullet("› Power BI").as_deref(), Some("Power BI"));
        assert_eq!(strip_bullet("▶ Accueil").as_deref(), Some("Accueil"));
        assert_eq!(strip_bullet("›Power BI"), None);
    }

    #[test]
    fn bullets_drawn_by_icon_fonts() {
        assert_eq!(strip_bullet("\u{f111}␣ Rédaction des actes").as_deref(), Some("Rédaction des actes"));
        assert_eq!(strip_bullet("{ Accueil du public;").as_deref(), Some("Accueil du public;"));
        // A brace that is closed is text, not a bullet.
        assert_eq!(strip_bullet("{ a, b } sont des ensembles"), None);
    }

    #[test]
    fn markdown_lines() {
        let p = prepare("# Marie **Durand**\n\n## Expériences\n- *09/2019 - 06/2021* : [Mairie](https://example.fr)\nTitre\n=====\n![photo](p.jpg)\n| a | b |\n|---|---|\n");
        let texts: Vec<&str> = p.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Marie Durand", "Expériences", "09/2019 - 06/2021 : Mairie <https://example.fr>", "Titre", "a | b"]
        );
        assert_eq!(p.lines[0].md_heading, Some(1));
        assert!(p.lines[2].bullet);
        assert!(p.lines[3].underlined);
        assert_eq!(p.images, 1);
    }
}
