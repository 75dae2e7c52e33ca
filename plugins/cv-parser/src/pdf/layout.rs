//! Reading order: placed glyphs → segments (runs of text on one baseline) → lines, with a
//! recursive XY cut that reads a two-column page or a sidebar column by column, but keeps
//! rows together when the "columns" are only the cells of a table (a title on the left, its
//! dates on the right share their baselines).

use super::interp::Glyph;

/// A run of glyphs on one baseline without a wide gap.
#[derive(Debug, Clone)]
pub struct Segment {
    pub x0: f32,
    pub x1: f32,
    /// Baseline, y upwards.
    pub y: f32,
    pub size: f32,
    pub text: String,
    /// Position of the first glyph in the content stream.
    pub seq: u32,
}

impl Segment {
    fn top(&self) -> f32 {
        self.y + 0.8 * self.size
    }
    fn bottom(&self) -> f32 {
        self.y - 0.25 * self.size
    }
}

/// A line of output with its position, for paragraph breaks.
#[derive(Debug, Clone)]
pub struct OutLine {
    pub y: f32,
    pub size: f32,
    pub text: String,
    /// First line of a column or block found by a cut.
    pub block_start: bool,
}

/// Cuts content-ordered glyphs into segments.
pub fn segments(glyphs: &[&Glyph]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut cur: Option<Segment> = None;
    let mut pending_space = false;
    for (seq, g) in glyphs.iter().enumerate() {
        let is_space = g.text.chars().all(char::is_whitespace);
        if let Some(s) = cur.as_mut() {
            let same_line = (g.y - s.y).abs() < 0.4 * s.size.max(g.size);
            let gap = g.x - s.x1;
            let tol = s.size.max(g.size);
            if same_line && gap > -0.5 * tol && gap < 1.0 * tol {
                if is_space {
                    pending_space = true;
                    s.x1 = s.x1.max(g.x + g.w);
                    continue;
                }
                if (pending_space || gap > 0.15 * tol) && !s.text.ends_with(' ') {
                    s.text.push(' ');
                }
                pending_space = false;
                push_glyph_text(&mut s.text, &g.text);
                s.x1 = s.x1.max(g.x + g.w);
                s.size = s.size.max(g.size);
                continue;
            }
            if let Some(done) = cur.take() {
                push_segment(&mut out, done);
            }
        }
        pending_space = false;
        if is_space {
            continue;
        }
        cur = Some(Segment {
            x0: g.x,
            x1: g.x + g.w.max(0.0),
            y: g.y,
            size: g.size,
            text: {
                let mut t = String::new();
                push_glyph_text(&mut t, &g.text);
                t
            },
            seq: seq as u32,
        });
    }
    if let Some(done) = cur {
        push_segment(&mut out, done);
    }
    out
}

/// A soft hyphen that a PDF draws is a visible hyphen ("Sep. 2023 \u{AD} Mar. 2024" in
/// Awesome-CV), not an invisible break opportunity.
fn push_glyph_text(text: &mut String, glyph: &str) {
    for c in glyph.chars() {
        text.push(if c == '\u{AD}' { '-' } else { c });
    }
}

fn push_segment(out: &mut Vec<Segment>, mut s: Segment) {
    let trimmed = s.text.trim();
    if trimmed.is_empty() {
        return;
    }
    if trimmed.len() != s.text.len() {
        s.text = trimmed.to_string();
    }
    out.push(s);
}

/// Orders the segments of one page into lines.
pub fn order(segs: Vec<Segment>) -> Vec<OutLine> {
    let mut out = Vec::new();
    cut(segs, 0, f32::NEG_INFINITY, &mut out);
    out
}

/// Right edge of a set of segments.
fn right_edge(segs: &[Segment]) -> f32 {
    segs.iter().map(|s| s.x1).fold(f32::NEG_INFINITY, f32::max)
}

fn median_size(segs: &[Segment]) -> f32 {
    let mut sizes: Vec<f32> = segs.iter().map(|s| s.size).collect();
    sizes.sort_by(f32::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(10.0).max(1.0)
}

/// `edge` is the right edge of the column being cut: a band cut out of it keeps the width the
/// typesetter had, so that the widest line of a short band is not taken for a full one.
fn cut(segs: Vec<Segment>, depth: usize, edge: f32, out: &mut Vec<OutLine>) {
    if segs.len() < 2 || depth > 12 {
        return leaf(segs, edge, out);
    }
    if let Some((l, r)) = column_split(&segs) {
        let (el, er) = (right_edge(&l), right_edge(&r));
        cut(l, depth + 1, el, out);
        cut(r, depth + 1, er, out);
        return;
    }
    let edge = edge.max(right_edge(&segs));
    let bands = bands(segs);
    if bands.len() == 1 {
        return leaf(bands.into_iter().next().unwrap_or_default(), edge, out);
    }
    // Adjacent bands sharing a vertical gutter may be the two columns of one layout, cut in
    // bands where both columns happen to have a gap at the same height: rejoin them.
    let mut groups: Vec<(Vec<Vec<Segment>>, Vec<(f32, f32)>)> = Vec::new();
    for band in bands {
        let gaps = gutters(&band);
        if let Some((members, shared)) = groups.last_mut() {
            let inter = intersect(shared, &gaps);
            if !inter.is_empty() && !shared.is_empty() {
                members.push(band);
                *shared = inter;
                continue;
            }
        }
        groups.push((vec![band], gaps));
    }
    for (members, _) in groups {
        if members.len() > 1 {
            let all: Vec<Segment> = members.iter().flatten().cloned().collect();
            if let Some((l, r)) = column_split(&all) {
                let (el, er) = (right_edge(&l), right_edge(&r));
                cut(l, depth + 1, el, out);
                cut(r, depth + 1, er, out);
                continue;
            }
        }
        for band in members {
            cut(band, depth + 1, edge, out);
        }
    }
}

/// Vertical strips no segment crosses, wide enough to separate columns.
fn gutters(segs: &[Segment]) -> Vec<(f32, f32)> {
    let min_width = (0.8 * median_size(segs)).max(4.0);
    let mut spans: Vec<(f32, f32)> = segs.iter().map(|s| (s.x0, s.x1)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    let mut reach = f32::NEG_INFINITY;
    for (a, b) in spans {
        if reach.is_finite() && a - reach >= min_width {
            out.push((reach, a));
        }
        reach = reach.max(b);
    }
    out
}

fn intersect(a: &[(f32, f32)], b: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut out = Vec::new();
    for &(a0, a1) in a {
        for &(b0, b1) in b {
            let (lo, hi) = (a0.max(b0), a1.min(b1));
            if hi > lo {
                out.push((lo, hi));
            }
        }
    }
    out
}

/// Distinct baselines of a set of segments.
fn baselines(segs: &[&Segment]) -> Vec<(f32, f32)> {
    let mut ys: Vec<(f32, f32)> = segs.iter().map(|s| (s.y, s.size)).collect();
    ys.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<(f32, f32)> = Vec::new();
    for (y, size) in ys {
        match out.last() {
            Some(&(ly, ls)) if (ly - y).abs() < 0.4 * ls.min(size) => {}
            _ => out.push((y, size)),
        }
    }
    out
}

/// Splits at the widest gutter whose two sides read as independent columns. Two signals: most
/// lines of the shorter side do not share a baseline with the other side; or, when many do (two
/// columns set with the same leading), the content stream draws one side after the other
/// instead of alternating row by row as a table does.
fn column_split(segs: &[Segment]) -> Option<(Vec<Segment>, Vec<Segment>)> {
    let mut gaps = gutters(segs);
    gaps.sort_by(|a, b| (b.1 - b.0).total_cmp(&(a.1 - a.0)));
    for (a, b) in gaps {
        let mid = (a + b) / 2.0;
        let (left, right): (Vec<&Segment>, Vec<&Segment>) = segs.iter().partition(|s| s.x1 <= mid);
        let (bl, br) = (baselines(&left), baselines(&right));
        if bl.len() < 2 || br.len() < 2 {
            continue;
        }
        let (small, big) = if bl.len() <= br.len() { (&bl, &br) } else { (&br, &bl) };
        let aligned = small.iter().filter(|(y, s)| big.iter().any(|(y2, s2)| (y - y2).abs() < 0.3 * s.min(*s2))).count()
            as f32
            / small.len() as f32;
        let mut order: Vec<(u32, bool)> = segs.iter().map(|s| (s.seq, s.x1 <= mid)).collect();
        order.sort_by_key(|o| o.0);
        let switches = order.windows(2).filter(|w| w[0].1 != w[1].1).count();
        let sequential = switches <= 2.max(small.len() / 4);
        if aligned <= 0.4 || (aligned <= 0.85 && sequential && small.len() >= 3) {
            let l = left.into_iter().cloned().collect();
            let r = right.into_iter().cloned().collect();
            return Some((l, r));
        }
    }
    None
}

/// Cuts at horizontal strips of white space taller than half a line.
fn bands(mut segs: Vec<Segment>) -> Vec<Vec<Segment>> {
    let threshold = 0.5 * median_size(&segs);
    segs.sort_by(|a, b| b.top().total_cmp(&a.top()));
    let mut out: Vec<Vec<Segment>> = Vec::new();
    let mut floor = f32::INFINITY;
    for s in segs {
        if out.is_empty() || s.top() < floor - threshold {
            out.push(Vec::new());
            floor = s.bottom();
        }
        floor = floor.min(s.bottom());
        if let Some(b) = out.last_mut() {
            b.push(s);
        }
    }
    out
}

/// Lines of a block: segments grouped by baseline, left to right. Cells far apart are joined by
/// four spaces, which the section parsers read as a column separator. Two fixes for bulleted
/// lists: a date printed at the right of a bullet line (the date column of a two-column entry)
/// goes on its own line before the bullet, so that it stays with the entry's header; and a
/// bullet's wrapped continuation lines (indented, not bulleted) join it.
fn leaf(mut segs: Vec<Segment>, edge: f32, out: &mut Vec<OutLine>) {
    let right_edge = right_edge(&segs).max(edge);
    segs.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut lines: Vec<Vec<Segment>> = Vec::new();
    for s in segs {
        match lines.last_mut() {
            Some(l) if (l[0].y - s.y).abs() < 0.4 * l[0].size.min(s.size) => l.push(s),
            _ => lines.push(vec![s]),
        }
    }
    let mut first = true;
    // x of the bullet of the list item being continued, and its line index in `out`.
    let mut open_item: Option<(f32, usize)> = None;
    let mut prev_y = f32::NAN;
    // The last plain (not bulleted) line: its index in `out` and its cells, which a wrapped
    // continuation may extend.
    let mut open_plain: Option<(usize, Vec<Cell>)> = None;
    for mut l in lines {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let size = l.iter().map(|s| s.size).fold(0.0, f32::max);
        let mut cells: Vec<String> = Vec::new();
        let mut spans: Vec<Cell> = Vec::new();
        let mut x1 = f32::NEG_INFINITY;
        for s in &l {
            match cells.last_mut() {
                Some(c) if s.x0 - x1 < 1.0 * size => {
                    c.push(' ');
                    c.push_str(&s.text);
                    if let Some(span) = spans.last_mut() {
                        span.x1 = s.x1;
                        span.text = c.clone();
                    }
                }
                _ => {
                    cells.push(s.text.clone());
                    spans.push(Cell { x0: s.x0, x1: s.x1, first_word_w: first_word_width(s), text: s.text.clone() });
                }
            }
            x1 = s.x1;
        }
        let x0 = l[0].x0;
        let y = l[0].y;
        let bulleted = cells.first().is_some_and(|c| starts_with_bullet(c));
        let continues = open_item.filter(|&(bx, idx)| {
            !bulleted
                && x0 > bx + 0.3 * size
                && (prev_y - y) > 0.0
                && (prev_y - y) < 1.6 * size
                && (out[idx].size - size).abs() < 0.2 * size
        });
        let right: Vec<String> = if bulleted || continues.is_some() {
            cells.drain(1..).filter(|c| !is_duration(c)).collect()
        } else {
            Vec::new()
        };
        let gap = prev_y - y;
        prev_y = y;
        if !bulleted && continues.is_none() {
            if let Some((idx, prev_cells)) = open_plain.as_mut() {
                let close = gap > 0.0 && gap < 1.6 * size && (out[*idx].size - size).abs() < 0.2 * size;
                if close {
                    let same_size = (out[*idx].size - size).abs() < 0.05 * size;
                    if let Some(joined) = rejoin_wrapped(prev_cells, &spans, right_edge, size, same_size) {
                        *prev_cells = joined;
                        out[*idx].text = prev_cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("    ");
                        continue;
                    }
                }
            }
        }
        if let Some((_, idx)) = continues {
            let item: &mut OutLine = &mut out[idx];
            let next = cells.join("    ");
            join_wrapped(&mut item.text, &next);
            for r in right {
                out.push(OutLine { y, size, text: r, block_start: false });
            }
            continue;
        }
        if bulleted {
            for r in right {
                out.push(OutLine { y, size, text: r, block_start: first });
                first = false;
            }
            open_item = Some((x0, out.len()));
            open_plain = None;
        } else {
            open_item = None;
            open_plain = Some((out.len(), spans));
        }
        out.push(OutLine { y, size, text: cells.join("    "), block_start: first });
        first = false;
    }
}

/// A cell of a plain line: its extent, the width of its first word, and its text.
#[derive(Debug, Clone)]
struct Cell {
    x0: f32,
    x1: f32,
    first_word_w: f32,
    text: String,
}

/// Width of the first word of a segment, from its share of the characters.
fn first_word_width(s: &Segment) -> f32 {
    let total = s.text.chars().count().max(1) as f32;
    let word = s.text.split_whitespace().next().map_or(0, |w| w.chars().count()) as f32;
    (s.x1 - s.x0) * word / total
}

/// Words after which a line cannot end a field: it was wrapped ("Communauté de communes du
/// Pays de" / "Fougères").
const CONNECTORS: &[&str] = &[
    "de", "du", "des", "d'", "et", "à", "a", "au", "aux", "la", "le", "les", "l'", "en", "pour", "sur", "of", "and",
    "the", "for", "in", "&", "-", "–", "—", ",",
];

/// When every cell of `next` continues a cell of `prev` that the typesetter wrapped (text
/// wrapped inside a table cell or a long header line), `prev` with the continuations joined.
/// A cell was wrapped when the first word of its continuation would not have fitted in the
/// room left before the next cell (or the block's right edge); and the text agrees: the
/// continuation starts in lower case, or the line stopped on a connector ("de", "et"), or (last
/// cell only) it filled most of the block and the continuation is shorter. A continuation that
/// starts with a date or a bullet is a new line.
fn rejoin_wrapped(prev: &[Cell], next: &[Cell], right_edge: f32, size: f32, same_size: bool) -> Option<Vec<Cell>> {
    if next.is_empty() || next.len() > prev.len() {
        return None;
    }
    let mut joined = prev.to_vec();
    let mut used = vec![false; prev.len()];
    for n in next {
        let j = prev.iter().position(|p| (p.x0 - n.x0).abs() < 0.6 * size)?;
        if used[j] {
            return None;
        }
        used[j] = true;
        let p = &prev[j];
        let boundary = prev.get(j + 1).map_or(right_edge, |c| c.x0);
        let room = boundary - p.x1;
        if room > n.first_word_w + 1.2 * size {
            return None;
        }
        let first = n.text.split_whitespace().next().unwrap_or("");
        let starts_date = first.chars().next().is_some_and(|c| c.is_ascii_digit())
            || vivier_sdk::dates::month_from_name(first.trim_end_matches('.')).is_some();
        if starts_date || starts_with_bullet(&n.text) {
            return None;
        }
        let last = p.text.split_whitespace().last().unwrap_or("").to_lowercase();
        let lower = n.text.chars().next().is_some_and(char::is_lowercase);
        let connector = CONNECTORS.contains(&last.as_str()) || p.text.ends_with(['-', ',', '–']);
        // A full line followed by a shorter one: the end of a wrapped field, not a list of
        // lines of equal width.
        // Only for the last cell: the gap before a next cell (a right-aligned date) says little
        // about the width the typesetter had.
        // A wrapped line keeps its font size: a title over a smaller employer line is two lines.
        let full = same_size
            && j + 1 == prev.len()
            && (p.x1 - p.x0) >= 0.6 * (boundary - p.x0)
            && (n.x1 - n.x0) < 0.8 * (p.x1 - p.x0);
        // ... and only a line that reads as a header or a long text: in a column of short items
        // ("Analyse des accidents" / "Formation SST") each line is an item of its own.
        let long_field = [" — ", " – ", " - ", ", ", " | "].iter().any(|sep| p.text.contains(sep))
            || p.text.split_whitespace().count() >= 5;
        if !(lower || connector || (full && long_field)) {
            return None;
        }
        join_wrapped(&mut joined[j].text, &n.text);
        joined[j].x1 = n.x1.max(p.x1);
    }
    Some(joined)
}

/// A bullet glyph, including the private-use icons of icon fonts.
fn starts_with_bullet(text: &str) -> bool {
    text.chars().next().is_some_and(|c| {
        matches!(
            c,
            '•' | '◆'
                | '◇'
                | '◦'
                | '▪'
                | '▫'
                | '‣'
                | '●'
                | '○'
                | '■'
                | '□'
                | '►'
                | '▸'
                | '➢'
                | '➤'
                | '✓'
                | '✔'
                | '❖'
                | '–'
                | '-'
                | '*'
                | '·'
                | '›'
                | '»'
                | '▶'
        ) || ('\u{E000}'..='\u{F8FF}').contains(&c)
    })
}

/// "2 years 10 months", "4 mois", "1 an": a computed duration, not a date.
fn is_duration(text: &str) -> bool {
    let words: Vec<String> = text.split_whitespace().map(|w| w.to_lowercase()).collect();
    !words.is_empty()
        && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_ascii_digit())
                || matches!(
                    w.trim_end_matches([',', '.']),
                    "year"
                        | "years"
                        | "yr"
                        | "yrs"
                        | "month"
                        | "months"
                        | "mo"
                        | "mos"
                        | "an"
                        | "ans"
                        | "mois"
                        | "and"
                        | "et"
                        | "année"
                        | "années"
                )
        })
}

/// Appends a wrapped continuation to its line, undoing end-of-line hyphenation ("submis-" +
/// "sions").
fn join_wrapped(line: &mut String, next: &str) {
    let hyphenated = line.ends_with('-')
        && line.chars().rev().nth(1).is_some_and(char::is_lowercase)
        && next.chars().next().is_some_and(char::is_lowercase);
    if hyphenated {
        line.pop();
    } else if !line.ends_with(' ') {
        line.push(' ');
    }
    line.push_str(next);
}

/// Joins ordered lines into text, with a blank line where the vertical gap shows a new paragraph
/// or a new column starts.
pub fn to_text(lines: &[OutLine], text: &mut String) {
    let mut prev: Option<&OutLine> = None;
    for l in lines {
        if let Some(p) = prev {
            let gap = p.y - l.y;
            if gap < 0.0 || gap > 1.75 * p.size.max(l.size) || (l.block_start && gap > 1.4 * p.size.max(l.size)) {
                text.push('\n');
            }
        }
        text.push_str(&l.text);
        text.push('\n');
        prev = Some(l);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(x0: f32, x1: f32, y: f32, t: &str) -> Segment {
        Segment { x0, x1, y, size: 10.0, text: t.into(), seq: 0 }
    }

    fn texts(segs: Vec<Segment>) -> Vec<String> {
        order(segs).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn two_columns_are_read_one_after_the_other() {
        let mut segs = Vec::new();
        for i in 0..6 {
            segs.push(seg(50.0, 200.0, 700.0 - 14.0 * i as f32, &format!("L{i}")));
            segs.push(seg(260.0, 550.0, 697.0 - 17.0 * i as f32, &format!("R{i}")));
        }
        let t = texts(segs);
        assert_eq!(t[..6], ["L0", "L1", "L2", "L3", "L4", "L5"]);
        assert_eq!(t[6], "R0");
    }

    #[test]
    fn table_rows_stay_together() {
        let mut segs = Vec::new();
        for i in 0..4 {
            segs.push(seg(50.0, 200.0, 700.0 - 30.0 * i as f32, &format!("Title {i}")));
            segs.push(seg(450.0, 550.0, 700.0 - 30.0 * i as f32, &format!("201{i}")));
        }
        let t = texts(segs);
        assert_eq!(t[0], "Title 0    2010");
        assert_eq!(t[3], "Title 3    2013");
    }

    #[test]
    fn wrapped_cells_and_long_lines_rejoin() {
        // A table row whose two cells both wrap, then a stacked header wrapped after "de", then
        // its date line and a short line that must stay apart.
        let segs = vec![
            seg(50.0, 118.0, 700.0, "Janvier 2020 à ce"),
            seg(130.0, 540.0, 700.0, "Chargée de mission transition écologique — Département"),
            seg(50.0, 66.0, 688.0, "jour"),
            seg(130.0, 230.0, 688.0, "de l'Isère, Grenoble"),
            seg(50.0, 545.0, 660.0, "Assistante administrative — Communauté de communes du Pays de"),
            seg(50.0, 130.0, 648.0, "Fougères, Fougères"),
            seg(50.0, 110.0, 636.0, "2014-2016"),
            seg(50.0, 160.0, 624.0, "Excel, Word"),
            seg(50.0, 160.0, 612.0, "anglais courant"),
        ];
        let t = texts(segs);
        assert_eq!(
            t,
            [
                "Janvier 2020 à ce jour    Chargée de mission transition écologique — Département de l'Isère, Grenoble",
                "Assistante administrative — Communauté de communes du Pays de Fougères, Fougères",
                "2014-2016",
                "Excel, Word",
                "anglais courant",
            ]
        );
    }

    #[test]
    fn a_title_over_a_smaller_employer_line_stays_apart() {
        // The title is the widest line of its block and the employer line under it is shorter,
        // but set smaller: not a wrapped line.
        let sized = |x0: f32, x1: f32, y: f32, size: f32, t: &str| Segment { x0, x1, y, size, text: t.into(), seq: 0 };
        let segs = vec![
            sized(50.0, 100.0, 700.0, 9.0, "2018 – 2021"),
            sized(150.0, 320.0, 700.0, 10.0, "Technicien support (alternance)"),
            sized(150.0, 260.0, 686.0, 9.0, "Lycée Exemple, Rennes"),
        ];
        assert_eq!(texts(segs), ["2018 – 2021    Technicien support (alternance)", "Lycée Exemple, Rennes"]);
    }

    #[test]
    fn the_widest_line_of_a_short_band_is_not_full() {
        // Employer line then title, each entry a band of its own under a page-wide heading: the
        // employer line is the widest of its band but far from the column's right edge.
        let segs = vec![
            seg(50.0, 545.0, 760.0, "Assistante de gestion du service des finances et de la commande publique"),
            seg(50.0, 300.0, 700.0, "MAIRIE DE LANDIVISIAU — Landivisiau"),
            seg(50.0, 180.0, 688.0, "Stagiaire finances"),
            seg(50.0, 300.0, 640.0, "HÔPITAL DU LÉON — Lesneven"),
            seg(50.0, 180.0, 628.0, "Agent administratif"),
        ];
        assert_eq!(
            texts(segs)[1..],
            [
                "MAIRIE DE LANDIVISIAU — Landivisiau",
                "Stagiaire finances",
                "HÔPITAL DU LÉON — Lesneven",
                "Agent administratif"
            ]
        );
    }

    #[test]
    fn short_items_of_a_narrow_column_stay_apart() {
        let segs = vec![
            seg(400.0, 470.0, 700.0, "Document unique"),
            seg(400.0, 490.0, 688.0, "Analyse des accidents"),
            seg(400.0, 455.0, 676.0, "Formation SST"),
        ];
        assert_eq!(texts(segs), ["Document unique", "Analyse des accidents", "Formation SST"]);
    }

    #[test]
    fn bullet_dates_move_up_and_wrapped_lines_join() {
        let segs = vec![
            seg(50.0, 300.0, 700.0, "Acme, Engineer"),
            seg(450.0, 550.0, 700.0, "Paris"),
            seg(50.0, 400.0, 688.0, "• Built a thing for many users and submis-"),
            seg(450.0, 550.0, 688.0, "June 2023 – present"),
            seg(58.0, 100.0, 676.0, "sions"),
            seg(450.0, 550.0, 676.0, "2 years 10 months"),
            seg(50.0, 300.0, 664.0, "• Second"),
        ];
        let t = texts(segs);
        assert_eq!(
            t,
            [
                "Acme, Engineer    Paris",
                "June 2023 – present",
                "• Built a thing for many users and submissions",
                "• Second"
            ]
        );
    }
}
