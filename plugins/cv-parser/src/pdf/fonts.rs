//! PDF fonts reduced to what text extraction needs: how many bytes a character code takes, the
//! Unicode text of each code and its advance width (in 1/1000 of the font size).

use lopdf::{Dictionary, Document, Encoding, Object};
use std::collections::HashMap;

/// Largest decompressed size of a ToUnicode CMap stream.
const MAX_CMAP_BYTES: usize = 2 * 1024 * 1024;
/// Codes mapped at most by one `bfrange` (guards against `<0000> <FFFFFFFF>` ranges).
const MAX_RANGE: u32 = 0x1_0000;

/// One decoded character code.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// Byte value(s) of the code, big-endian.
    pub code: u32,
    /// Number of bytes of the code (1 or 2).
    pub len: u8,
    /// Unicode text, empty when the font gives no way to know it.
    pub text: String,
    /// Advance width in glyph space units (1/1000 of the font size).
    pub width: f32,
}

/// What the interpreter needs to know about a font.
#[derive(Debug, Default)]
pub struct Font {
    two_byte: bool,
    to_unicode: HashMap<u32, String>,
    /// Fallback for simple fonts without ToUnicode: code → text through the font's encoding.
    simple: Vec<Option<String>>,
    widths: HashMap<u32, f32>,
    default_width: f32,
}

impl Font {
    /// Reads a font dictionary. Never fails: an unreadable font decodes to nothing.
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        let mut font = Font { default_width: 500.0, ..Font::default() };
        if subtype == b"Type0" {
            font.two_byte = true;
            font.default_width = 1000.0;
            if let Some(desc) = descendant(doc, dict) {
                if let Some(dw) = deref(doc, desc.get(b"DW").ok()).and_then(|o| o.as_float().ok()) {
                    font.default_width = dw;
                }
                if let Some(Object::Array(w)) = deref(doc, desc.get(b"W").ok()) {
                    font.read_cid_widths(doc, w);
                }
            }
        } else {
            let first = deref(doc, dict.get(b"FirstChar").ok()).and_then(|o| o.as_i64().ok()).unwrap_or(0);
            if let Some(Object::Array(ws)) = deref(doc, dict.get(b"Widths").ok()) {
                for (i, w) in ws.iter().enumerate().take(256) {
                    if let Some(w) = deref(doc, Some(w)).and_then(|o| o.as_float().ok()) {
                        font.widths.insert((first + i as i64).clamp(0, 255) as u32, w);
                    }
                }
            } else if let Some(w) = standard_width(dict) {
                font.default_width = w;
            }
            if let Ok(enc) = dict.get_font_encoding(doc) {
                font.simple = (0u16..256).map(|c| simple_text(&enc, c as u8)).collect();
            }
            if font.widths.is_empty() {
                font.fill_helvetica_widths(dict);
            }
        }
        if let Some(Object::Stream(s)) = deref(doc, dict.get(b"ToUnicode").ok()) {
            if let Ok(data) = s.get_plain_content_with_limit(MAX_CMAP_BYTES) {
                font.to_unicode = parse_to_unicode(&data);
            }
        }
        font
    }

    fn read_cid_widths(&mut self, doc: &Document, w: &[Object]) {
        let mut i = 0;
        while i < w.len() && self.widths.len() < 100_000 {
            let Some(first) = deref(doc, w.get(i)).and_then(|o| o.as_i64().ok()) else { break };
            match deref(doc, w.get(i + 1)) {
                Some(Object::Array(list)) => {
                    for (k, v) in list.iter().enumerate() {
                        if let Some(v) = deref(doc, Some(v)).and_then(|o| o.as_float().ok()) {
                            self.widths.insert((first.max(0) as u32).saturating_add(k as u32), v);
                        }
                    }
                    i += 2;
                }
                Some(o) => {
                    let last = o.as_i64().unwrap_or(first);
                    let v = deref(doc, w.get(i + 2)).and_then(|o| o.as_float().ok()).unwrap_or(self.default_width);
                    let (first, last) = (first.max(0) as u32, last.max(0) as u32);
                    for c in first..=last.min(first.saturating_add(MAX_RANGE)) {
                        self.widths.insert(c, v);
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }

    /// Splits a shown string into codes.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Code> {
        let step = if self.two_byte { 2 } else { 1 };
        bytes
            .chunks(step)
            .map(|c| {
                let code = c.iter().fold(0u32, |acc, &b| acc << 8 | b as u32);
                let text = match self.to_unicode.get(&code) {
                    Some(t) => t.clone(),
                    None if !self.two_byte => self.simple.get(code as usize).cloned().flatten().unwrap_or_default(),
                    None => String::new(),
                };
                let width = self.widths.get(&code).copied().unwrap_or(self.default_width);
                Code { code, len: c.len() as u8, text, width }
            })
            .collect()
    }
}

impl Font {
    /// Helvetica (Arial) without /Widths: each code's width from the face's AFM metrics, so
    /// that a capital set larger than the letters after it ("R" + "ONAN" in small capitals)
    /// is not read as a word of its own, as the 500 average would place it.
    fn fill_helvetica_widths(&mut self, dict: &Dictionary) {
        let Ok(name) = dict.get(b"BaseFont").and_then(Object::as_name) else { return };
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        let name = name.rsplit('+').next().unwrap_or("").to_string();
        if !(name.starts_with("helvetica") || name.starts_with("arial")) {
            return;
        }
        let bold = name.contains("bold") || name.contains("black");
        for (code, text) in self.simple.iter().enumerate() {
            let mut chars = text.as_deref().unwrap_or("").chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if let Some(w) = helvetica_width(c, bold) {
                    self.widths.insert(code as u32, w);
                }
            }
        }
    }
}

/// Advance width of a character in Helvetica or Helvetica-Bold (AFM units); accented letters
/// take their base letter's width.
pub(crate) fn helvetica_width(c: char, bold: bool) -> Option<f32> {
    const REGULAR: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
        556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
        556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
        556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
        500, 500, 500, 334, 260, 334, 584,
    ];
    const BOLD: [u16; 95] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
        556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
        611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556,
        611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
        556, 556, 500, 389, 280, 389, 584,
    ];
    let base = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ÿ' => 'y',
        'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => 'A',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'Î' | 'Ï' | 'Í' | 'Ì' => 'I',
        'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => 'O',
        'Ù' | 'Û' | 'Ü' | 'Ú' => 'U',
        'Ç' => 'C',
        'Ñ' => 'N',
        '\u{2019}' | '\u{2018}' => return Some(if bold { 278.0 } else { 222.0 }),
        '\u{2013}' => return Some(556.0),
        '\u{2014}' => return Some(1000.0),
        '\u{2022}' => return Some(350.0),
        '\u{00A0}' => ' ',
        c => c,
    };
    let i = (base as u32).checked_sub(32).filter(|&i| i < 95)? as usize;
    Some(if bold { BOLD[i] } else { REGULAR[i] } as f32)
}

fn simple_text(enc: &Encoding, byte: u8) -> Option<String> {
    let s = enc.bytes_to_string(&[byte]).ok()?;
    (!s.is_empty() && !s.contains('\u{FFFD}')).then_some(s)
}

/// Width of the standard 14 fonts when a PDF omits /Widths: a monospace face is 600, others
/// average about 500 (enough to place words; exact metrics would need the AFM tables).
fn standard_width(dict: &Dictionary) -> Option<f32> {
    let name = dict.get(b"BaseFont").and_then(Object::as_name).ok()?;
    Some(if name.starts_with(b"Courier") { 600.0 } else { 500.0 })
}

fn descendant<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    match deref(doc, dict.get(b"DescendantFonts").ok())? {
        Object::Array(a) => deref(doc, a.first())?.as_dict().ok(),
        _ => None,
    }
}

/// Follows references (a bounded number of times: reference chains can loop).
pub fn deref<'a>(doc: &'a Document, mut obj: Option<&'a Object>) -> Option<&'a Object> {
    for _ in 0..8 {
        match obj? {
            Object::Reference(id) => obj = doc.get_object(*id).ok(),
            o => return Some(o),
        }
    }
    None
}

/// Parses the `bfchar` and `bfrange` sections of a ToUnicode CMap.
pub fn parse_to_unicode(data: &[u8]) -> HashMap<u32, String> {
    let tokens = cmap_tokens(data);
    let mut map = HashMap::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Tok::Word(w) if w == "beginbfchar" => {
                i += 1;
                while i + 1 < tokens.len() && !matches!(&tokens[i], Tok::Word(w) if w == "endbfchar") {
                    if let (Tok::Hex(src), Tok::Hex(dst)) = (&tokens[i], &tokens[i + 1]) {
                        map.insert(be(src), utf16(dst));
                    }
                    i += 2;
                }
            }
            Tok::Word(w) if w == "beginbfrange" => {
                i += 1;
                while i + 2 < tokens.len() && !matches!(&tokens[i], Tok::Word(w) if w == "endbfrange") {
                    if let (Tok::Hex(lo), Tok::Hex(hi)) = (&tokens[i], &tokens[i + 1]) {
                        let (lo, hi) = (be(lo), be(hi));
                        let hi = hi.min(lo.saturating_add(MAX_RANGE));
                        match &tokens[i + 2] {
                            Tok::Hex(dst) => {
                                // Consecutive codes map to consecutive values of the last unit.
                                let mut units = to_units(dst);
                                for c in lo..=hi {
                                    map.insert(c, String::from_utf16_lossy(&units));
                                    if let Some(last) = units.last_mut() {
                                        *last = last.wrapping_add(1);
                                    }
                                }
                            }
                            Tok::Array(items) => {
                                for (k, dst) in items.iter().enumerate() {
                                    map.insert(lo.saturating_add(k as u32), utf16(dst));
                                }
                            }
                            _ => {}
                        }
                    }
                    i += 3;
                }
            }
            _ => {}
        }
        i += 1;
        if map.len() > 200_000 {
            break;
        }
    }
    map
}

enum Tok {
    Hex(Vec<u8>),
    Array(Vec<Vec<u8>>),
    Word(String),
}

fn cmap_tokens(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut array: Option<Vec<Vec<u8>>> = None;
    while i < data.len() {
        let b = data[i];
        if b == b'%' {
            while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                i += 1;
            }
        } else if b == b'<' && data.get(i + 1) != Some(&b'<') {
            let start = i + 1;
            let end = data[start..].iter().position(|&c| c == b'>').map_or(data.len(), |p| start + p);
            let hex = hex_bytes(&data[start..end]);
            match array.as_mut() {
                Some(a) => a.push(hex),
                None => out.push(Tok::Hex(hex)),
            }
            i = end + 1;
            continue;
        } else if b == b'[' {
            array = Some(Vec::new());
        } else if b == b']' {
            if let Some(a) = array.take() {
                out.push(Tok::Array(a));
            }
        } else if b.is_ascii_alphabetic() {
            let start = i;
            while i < data.len() && data[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if array.is_none() {
                out.push(Tok::Word(String::from_utf8_lossy(&data[start..i]).into_owned()));
            }
            continue;
        }
        i += 1;
    }
    out
}

fn hex_bytes(h: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = h.iter().filter_map(|&c| (c as char).to_digit(16).map(|d| d as u8)).collect();
    digits.chunks(2).map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0)).collect()
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |acc, &b| acc << 8 | b as u32)
}

fn to_units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(|c| if c.len() == 2 { u16::from_be_bytes([c[0], c[1]]) } else { c[0] as u16 }).collect()
}

fn utf16(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&to_units(bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn helvetica_metrics() {
        // A capital is wider than the 500 average: "R" at 20 pt is 14.4 pt, not 10.
        assert_eq!(super::helvetica_width('R', true), Some(722.0));
        assert_eq!(super::helvetica_width('i', false), Some(222.0));
        assert_eq!(super::helvetica_width('É', false), super::helvetica_width('E', false));
        assert_eq!(super::helvetica_width('中', false), None);
    }

    use super::*;

    #[test]
    fn to_unicode_chars_and_ranges() {
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfchar <0003> <0020> <0010> <00660069> endbfchar\n\
            2 beginbfrange <0020> <0022> <0041> <0030> <0031> [<00E9> <00E8>] endbfrange";
        let m = parse_to_unicode(cmap);
        assert_eq!(m[&3], " ");
        assert_eq!(m[&0x10], "fi");
        assert_eq!(m[&0x21], "B");
        assert_eq!(m[&0x22], "C");
        assert_eq!(m[&0x31], "è");
    }

    #[test]
    fn huge_range_is_capped() {
        let m = parse_to_unicode(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert!(m.len() <= MAX_RANGE as usize + 1);
    }
}
