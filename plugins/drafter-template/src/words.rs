//! Folded words with their spans in the original text, and short excerpts.

use vivier_sdk::text::{fold, squash_spaces};

/// A word of a text: folded form and byte span in the original.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub folded: String,
    pub start: usize,
    pub end: usize,
}

/// Splits a text into folded words ("Âgé·e de 30 ans" → "age", "e", "de", "30", "ans").
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut push = |s: usize, e: usize| {
        for folded in fold(&text[s..e]).split(' ').filter(|w| !w.is_empty()) {
            out.push(Word { folded: folded.to_owned(), start: s, end: e });
        }
    };
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c);
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

/// At most `max_chars` characters of `text` around the byte span `start..end`, cut at word
/// boundaries, "…" where cut.
pub fn excerpt(text: &str, start: usize, end: usize, max_chars: usize) -> String {
    let squashed = squash_spaces(text);
    if squashed.chars().count() <= max_chars {
        return squashed;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let first = chars.iter().position(|&(i, _)| i >= start).unwrap_or(0);
    let last = chars.iter().position(|&(i, _)| i >= end).unwrap_or(chars.len());
    let budget = max_chars.saturating_sub(2).max(8);
    let mut from = first.saturating_sub(50);
    while from > 0 && from < first && !chars[from - 1].1.is_whitespace() {
        from += 1;
    }
    if last > from + budget {
        from = first;
    }
    let mut to = (from + budget).min(chars.len());
    if to < chars.len() {
        let mut cut = to;
        while cut > from + budget / 2 && !chars[cut].1.is_whitespace() {
            cut -= 1;
        }
        if cut > from + budget / 2 {
            to = cut;
        }
    }
    let slice: String = chars[from..to].iter().map(|&(_, c)| c).collect();
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(&squash_spaces(&slice));
    if to < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_spans() {
        let text = "Âgé de moins de 30 ans";
        let w = words(text);
        assert_eq!(w[0].folded, "age");
        assert_eq!(&text[w[0].start..w[0].end], "Âgé");
        assert_eq!(w.len(), 6);
    }

    #[test]
    fn excerpt_is_bounded() {
        let text = format!("{}moins de 30 ans{}", "Contexte du poste. ".repeat(20), " Suite.".repeat(30));
        let s = text.find("moins").unwrap();
        let e = excerpt(&text, s, s + 15, 160);
        assert!(e.chars().count() <= 160);
        assert!(e.contains("moins de 30 ans"));
    }
}
