//! Text normalisation shared by plugins, so that every vendor folds text the same way.

use unicode_normalization::UnicodeNormalization;

/// Replaces typographic variants found in PDFs and word processors by their plain forms:
/// ligatures, curly quotes, non-breaking and soft hyphens, exotic spaces and dashes.
pub fn clean_typography(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{0152}' => out.push_str("OE"),
            '\u{0153}' => out.push_str("oe"),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
            '\u{2010}' | '\u{2011}' | '\u{2012}' => out.push('-'),
            '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => out.push('–'),
            '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2009}' | '\u{2002}' | '\u{2003}' => out.push(' '),
            '\u{2022}' | '\u{25CF}' | '\u{25AA}' | '\u{25A0}' | '\u{2023}' | '\u{2043}' | '\u{F0B7}' => out.push('•'),
            _ => out.push(c),
        }
    }
    out
}

/// Folds text for comparison: typography cleaned, accents removed, lower case, runs of
/// non-alphanumeric characters collapsed to one space. "Rémunération  & Paie" → "remuneration paie".
pub fn fold(input: &str) -> String {
    let cleaned = clean_typography(input);
    let mut out = String::with_capacity(cleaned.len());
    let mut pending_space = false;
    for c in cleaned.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Folded words of a text, in order.
pub fn words(input: &str) -> Vec<String> {
    fold(input).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Collapses runs of white space to one space and trims.
pub fn squash_spaces(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for word in input.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Decodes bytes as UTF-8, falling back to Windows-1252 (the usual encoding of French text
/// files written on Windows). Returns the text and whether the fallback was used.
pub fn decode_text(bytes: &[u8]) -> (String, bool) {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), false),
        Err(_) => (bytes.iter().map(|&b| windows_1252(b)).collect(), true),
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_accents_case_and_punctuation() {
        assert_eq!(fold("Rémunération  & PAIE"), "remuneration paie");
        assert_eq!(fold("  Œuvre d’art—ﬁnale "), "oeuvre d art finale");
        assert_eq!(words("Gestion des carrières, paie."), ["gestion", "des", "carrieres", "paie"]);
    }

    #[test]
    fn decode_falls_back_to_windows_1252() {
        let (text, fallback) = decode_text(b"Exp\xe9rience \x96 2019");
        assert!(fallback);
        assert_eq!(text, "Expérience – 2019");
        let (text, fallback) = decode_text("\u{FEFF}Déjà".as_bytes());
        assert!(!fallback);
        assert_eq!(text, "Déjà");
    }

    #[test]
    fn typography_is_cleaned() {
        assert_eq!(clean_typography("l\u{2019}aﬀaire\u{00A0}co\u{00AD}de"), "l'affaire code");
    }
}
