//! Plugin-supplied text on its way to a person. A plugin's strings (its manifest, its log, its
//! errors, its results) are written by a vendor who may be hostile: on a terminal, an escape
//! sequence can rewrite what was printed before it (a forged `[PASS]`); in Markdown or HTML,
//! markup can add links, headings or script. Each output format has its one function here, and
//! every place that prints plugin text goes through it.

use std::borrow::Cow;

/// Control characters (C0 but tab and newline, DEL, C1 and so ESC and CSI) and the invisible
/// characters that reorder or hide text (bidirectional overrides and isolates, zero-width
/// characters) shown as `\u{..}` escapes, so that what reaches a terminal is what was sent.
/// Newlines are kept only when `multiline`; otherwise shown as `\n` too.
pub fn terminal_safe_with(text: &str, multiline: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| (c == '\n' && !multiline) || (c != '\n' && c != '\t' && is_hidden_or_control(c));
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`terminal_safe_with`] on one line: newlines are escaped too.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    terminal_safe_with(text, false)
}

fn is_hidden_or_control(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width space, joiners, LRM/RLM
            | '\u{202A}'..='\u{202E}' // bidirectional embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidirectional isolates
            | '\u{FEFF}'              // zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotations
        )
}

/// JSON text (already serialised) for a terminal: the controls and hidden characters JSON leaves
/// raw (C1 controls, bidirectional and zero-width characters) written as `\uXXXX` escapes, which
/// keep the JSON valid and its values unchanged.
pub fn json_terminal_safe(json: &str) -> Cow<'_, str> {
    if !json.chars().any(|c| c != '\n' && c != '\t' && is_hidden_or_control(c)) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && c != '\t' && is_hidden_or_control(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text as one Markdown paragraph, list item or table cell that renders as exactly these
/// characters. Only what Markdown (CommonMark, GFM) can read as markup is escaped, so the
/// source stays readable French (apostrophes, colons and parentheses are left alone): emphasis,
/// code, link brackets, table pipes and strike-through marks are backslash-escaped, HTML angle
/// brackets and ampersands become entities, `://` and `www.` are broken so no autolink forms,
/// a leading block marker (heading, list, quote) is escaped, line breaks become spaces and
/// controls are shown escaped.
pub fn markdown_inline(text: &str) -> String {
    let text = terminal_safe_with(text, true);
    let text = text.replace(['\n', '\r'], " ");
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let first = chars.iter().position(|c| !c.is_whitespace());
    for (i, &c) in chars.iter().enumerate() {
        let at_start = Some(i) == first;
        let after_leading_digits = first.is_some_and(|f| i > f && chars[f..i].iter().all(char::is_ascii_digit));
        match c {
            '<' => out.push_str("&lt;"),
            '>' if !at_start => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            ':' if chars[i + 1..].starts_with(&['/', '/']) => out.push_str("\\:"),
            '.' if i >= 3 && chars[i - 3..i].iter().collect::<String>().eq_ignore_ascii_case("www") => {
                out.push_str("\\.")
            }
            '#' | '-' | '+' | '=' | '>' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if after_leading_digits => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text for an HTML element's content or a double-quoted attribute value (apostrophes, common
/// in French, stay as written).
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Lower case, accents removed, letters and digits only: what two writings of the same words
/// share whatever their case, accents, spacing and punctuation ("Dupont-", "D U P O N T").
pub fn fold_alnum(text: &str) -> String {
    text.chars().flat_map(fold_alnum_char).collect()
}

/// [`fold_alnum`] of one character: what it becomes (nothing, one or more characters).
pub fn fold_alnum_char(c: char) -> impl Iterator<Item = char> {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    c.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_cannot_reach_a_terminal() {
        let forged = "ok\x1b[2K\r\x1b[32m[PASS]\x1b[0m all checks\u{202e}txt.exe\u{9b}31m";
        let safe = terminal_safe(forged);
        assert!(!safe.chars().any(|c| c.is_control()), "{safe}");
        assert!(safe.contains("\\u{1b}[2K\\r\\u{1b}[32m[PASS]"), "{safe}");
        assert!(safe.contains("\\u{202e}") && safe.contains("\\u{9b}"), "{safe}");
        assert_eq!(terminal_safe("Lecteur de CV — été"), "Lecteur de CV — été");
        assert_eq!(terminal_safe_with("a\nb", true), "a\nb");
        assert_eq!(terminal_safe("a\nb"), "a\\nb");
        let json = serde_json::to_string(&serde_json::json!({ "vendor": "ACME\u{9b}31m\u{202e}" })).unwrap();
        let safe = json_terminal_safe(&json);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap()["vendor"], "ACME\u{9b}31m\u{202e}");
        assert!(!safe.chars().any(|c| c.is_control() || c == '\u{202e}'), "{safe}");
    }

    #[test]
    fn markdown_and_html_render_as_the_text() {
        let hostile = "[cliquez](http://evil.example) <script>x</script> *gras* www.evil.fr\n# Titre | col";
        let md = markdown_inline(hostile);
        assert_eq!(
            md,
            "\\[cliquez\\](http\\://evil.example) &lt;script&gt;x&lt;/script&gt; \\*gras\\* www\\.evil.fr # Titre \\| col"
        );
        assert_eq!(markdown_inline("# Titre"), "\\# Titre");
        assert_eq!(markdown_inline("- item"), "\\- item");
        assert_eq!(markdown_inline("12. item"), "12\\. item");
        assert_eq!(markdown_inline("> cité"), "\\> cité");
        // French prose stays as written.
        let prose = "Le modèle (multilingual-e5-small) : l'inverse, « 3.5 » ans.";
        assert_eq!(markdown_inline(prose), prose);
        assert_eq!(html_escape("<b a=\"x\">&'"), "&lt;b a=&quot;x&quot;&gt;&amp;'");
    }
}
