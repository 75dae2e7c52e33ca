//! Short excerpts of request text for warnings.

use vivier_sdk::text::squash_spaces;

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
    fn excerpt_is_bounded() {
        let text = format!("{}moins de 30 ans{}", "Contexte du poste. ".repeat(20), " Suite.".repeat(30));
        let s = text.find("moins").unwrap();
        let e = excerpt(&text, s, s + 15, 160);
        assert!(e.chars().count() <= 160);
        assert!(e.contains("moins de 30 ans"));
    }
}
