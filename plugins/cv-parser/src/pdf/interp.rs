//! A content-stream interpreter that only follows what places text: graphics and text state,
//! text-showing operators, fill colours, filled rectangles and images (to tell white text on a
//! dark banner from white text on a white page), and form XObjects.

use super::fonts::{deref, Font};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// Largest decompressed content stream.
pub const MAX_STREAM_BYTES: usize = 8 * 1024 * 1024;
/// Operators interpreted per document at most.
const MAX_OPS: usize = 2_000_000;
/// Glyphs kept per document at most.
pub const MAX_GLYPHS: usize = 300_000;
/// Nesting of form XObjects followed at most.
const MAX_FORM_DEPTH: usize = 6;

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// Why a glyph would not be seen by a human reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// White (or near-white) text on no dark background.
    White,
    /// Font size under 2 pt.
    Tiny,
    /// Drawn outside the page box.
    Outside,
    /// Render mode 3 (invisible) on a page without image (an OCR layer sits over an image).
    Invisible,
}

/// One placed character code, in page space (points, y upwards).
#[derive(Debug, Clone)]
pub struct Glyph {
    pub x: f32,
    pub y: f32,
    /// Advance in page space.
    pub w: f32,
    /// Font size in page space.
    pub size: f32,
    pub text: String,
    pub hidden: Option<Hidden>,
    /// Index of the text-showing operator: glyphs of one operator belong together.
    pub op: u32,
}

/// What one page gave.
#[derive(Debug, Default)]
pub struct PageText {
    pub glyphs: Vec<Glyph>,
    /// Codes the fonts could not map to Unicode.
    pub unmapped: usize,
    pub images: usize,
    /// Images covering most of the page (a scan).
    pub full_page_images: usize,
    pub width: f32,
    pub height: f32,
    /// Bottom of the page box.
    pub y0: f32,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    fill_light: bool,
    font: Option<Rc<Font>>,
    size: f32,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
    render: i64,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: IDENTITY,
            fill_light: false,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
            render: 0,
        }
    }
}

/// Shared across pages: fonts are loaded once per font object.
#[derive(Default)]
pub struct Interpreter {
    fonts: HashMap<ObjectId, Rc<Font>>,
    ops: usize,
    glyphs: usize,
    pub exhausted: bool,
}

struct Page<'a> {
    doc: &'a Document,
    out: PageText,
    /// Filled dark rectangles and images: white text over them is visible.
    backgrounds: Vec<[f32; 4]>,
    bbox: [f32; 4],
    pending_rects: Vec<[f32; 4]>,
    op_index: u32,
}

impl Interpreter {
    /// Interprets one page.
    pub fn page(&mut self, doc: &Document, page_id: ObjectId) -> PageText {
        let bbox = page_box(doc, page_id);
        let mut page = Page {
            doc,
            out: PageText { width: bbox[2] - bbox[0], height: bbox[3] - bbox[1], y0: bbox[1], ..PageText::default() },
            backgrounds: Vec::new(),
            bbox,
            pending_rects: Vec::new(),
            op_index: 0,
        };
        let resources = page_resources(doc, page_id);
        let content = doc.get_page_content_with_limit(page_id, MAX_STREAM_BYTES).unwrap_or_default();
        let mut gs = GState::default();
        self.run(&mut page, &content, &resources, &mut gs, 0);
        let mut out = page.out;
        // Invisible text is an OCR layer when the page holds an image: keep it readable.
        if out.images > 0 {
            for g in &mut out.glyphs {
                if g.hidden == Some(Hidden::Invisible) {
                    g.hidden = None;
                }
            }
        }
        // White text is visible when something dark was painted under it.
        for g in &mut out.glyphs {
            if g.hidden == Some(Hidden::White)
                && page
                    .backgrounds
                    .iter()
                    .any(|r| g.x >= r[0] - 1.0 && g.x <= r[2] + 1.0 && g.y >= r[1] - 1.0 && g.y <= r[3] + 1.0)
            {
                g.hidden = None;
            }
        }
        out
    }

    fn font(&mut self, doc: &Document, resources: &[&Dictionary], name: &[u8]) -> Option<Rc<Font>> {
        let obj = lookup(doc, resources, b"Font", name)?;
        let (id, dict) = match obj {
            Object::Reference(id) => (Some(*id), doc.get_dictionary(*id).ok()?),
            Object::Dictionary(d) => (None, d),
            _ => return None,
        };
        if let Some(id) = id {
            if let Some(f) = self.fonts.get(&id) {
                return Some(f.clone());
            }
            let f = Rc::new(Font::load(doc, dict));
            self.fonts.insert(id, f.clone());
            Some(f)
        } else {
            Some(Rc::new(Font::load(doc, dict)))
        }
    }

    fn run(&mut self, page: &mut Page, content: &[u8], resources: &[&Dictionary], gs: &mut GState, depth: usize) {
        let Ok(content) = Content::decode(content) else { return };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for op in &content.operations {
            self.ops += 1;
            if self.ops > MAX_OPS || self.glyphs > MAX_GLYPHS {
                self.exhausted = true;
                return;
            }
            let n = nums(&op.operands);
            match op.operator.as_str() {
                "q" => {
                    if stack.len() < 64 {
                        stack.push(gs.clone())
                    }
                }
                "Q" => {
                    if let Some(s) = stack.pop() {
                        *gs = s
                    }
                }
                "cm" if n.len() == 6 => gs.ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &gs.ctm),
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    if let (Some(Object::Name(name)), Some(size)) = (op.operands.first(), n.last()) {
                        gs.font = self.font(page.doc, resources, name);
                        gs.size = *size;
                    }
                }
                "Tc" if !n.is_empty() => gs.tc = n[0],
                "Tw" if !n.is_empty() => gs.tw = n[0],
                "Tz" if !n.is_empty() => gs.th = n[0] / 100.0,
                "TL" if !n.is_empty() => gs.tl = n[0],
                "Ts" if !n.is_empty() => gs.rise = n[0],
                "Tr" if !n.is_empty() => gs.render = n[0] as i64,
                "Td" if n.len() == 2 => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &tlm);
                    tm = tlm;
                }
                "TD" if n.len() == 2 => {
                    gs.tl = -n[1];
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &tlm);
                    tm = tlm;
                }
                "Tm" if n.len() == 6 => {
                    tlm = [n[0], n[1], n[2], n[3], n[4], n[5]];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    page.op_index += 1;
                    if op.operator != "Tj" && op.operator != "TJ" {
                        if op.operator == "\"" && n.len() >= 2 {
                            gs.tw = n[0];
                            gs.tc = n[1];
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    let items: Vec<&Object> = match op.operands.last() {
                        Some(Object::Array(a)) if op.operator == "TJ" => a.iter().collect(),
                        Some(o) => vec![o],
                        None => Vec::new(),
                    };
                    for item in items {
                        match item {
                            Object::String(bytes, _) => self.show(page, gs, &mut tm, bytes),
                            Object::Integer(_) | Object::Real(_) => {
                                let adj = item.as_float().unwrap_or(0.0);
                                let tx = -adj / 1000.0 * gs.size * gs.th;
                                tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                            }
                            _ => {}
                        }
                    }
                }
                "g" if n.len() == 1 => gs.fill_light = n[0] > 0.95,
                "rg" if n.len() == 3 => gs.fill_light = luminance(n[0], n[1], n[2]) > 0.95,
                "k" if n.len() == 4 => gs.fill_light = cmyk_light(&n),
                "sc" | "scn" => {
                    gs.fill_light = match n.len() {
                        1 => n[0] > 0.95,
                        3 => luminance(n[0], n[1], n[2]) > 0.95,
                        4 => cmyk_light(&n),
                        _ => false,
                    }
                }
                "cs" => gs.fill_light = false,
                "re" if n.len() == 4 => {
                    let (x0, y0) = apply(&gs.ctm, n[0], n[1]);
                    let (x1, y1) = apply(&gs.ctm, n[0] + n[2], n[1] + n[3]);
                    if page.pending_rects.len() < 10_000 {
                        page.pending_rects.push([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]);
                    }
                }
                "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    if !gs.fill_light && page.backgrounds.len() < 10_000 {
                        page.backgrounds.append(&mut page.pending_rects);
                    }
                    page.pending_rects.clear();
                }
                "n" | "S" | "s" => page.pending_rects.clear(),
                "Do" => {
                    if let Some(Object::Name(name)) = op.operands.first() {
                        self.xobject(page, resources, name, gs, depth);
                    }
                }
                "BI" | "EI" => page.out.images += 1,
                _ => {}
            }
        }
    }

    fn xobject(&mut self, page: &mut Page, resources: &[&Dictionary], name: &[u8], gs: &mut GState, depth: usize) {
        let doc = page.doc;
        let Some(Object::Stream(stream)) = deref(doc, lookup(doc, resources, b"XObject", name)) else { return };
        let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        if subtype == b"Image" {
            page.out.images += 1;
            let (x0, y0) = apply(&gs.ctm, 0.0, 0.0);
            let (x1, y1) = apply(&gs.ctm, 1.0, 1.0);
            let r = [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)];
            let area = (r[2] - r[0]) * (r[3] - r[1]);
            if area > 0.5 * page.out.width * page.out.height {
                page.out.full_page_images += 1;
            }
            if page.backgrounds.len() < 10_000 {
                page.backgrounds.push(r);
            }
        } else if subtype == b"Form" && depth < MAX_FORM_DEPTH {
            let Ok(data) = stream.decompressed_content_with_limit(MAX_STREAM_BYTES).or_else(|_| {
                if stream.dict.has(b"Filter") {
                    Err(())
                } else {
                    Ok(stream.content.clone())
                }
            }) else {
                return;
            };
            let mut inner = gs.clone();
            if let Ok(m) = stream.dict.get(b"Matrix").and_then(Object::as_array) {
                let m = nums(m);
                if m.len() == 6 {
                    inner.ctm = mul(&[m[0], m[1], m[2], m[3], m[4], m[5]], &inner.ctm);
                }
            }
            let own = deref(doc, stream.dict.get(b"Resources").ok()).and_then(|o| o.as_dict().ok());
            let res: Vec<&Dictionary> = match own {
                Some(d) => std::iter::once(d).chain(resources.iter().copied()).collect(),
                None => resources.to_vec(),
            };
            self.run(page, &data, &res, &mut inner, depth + 1);
        }
    }

    fn show(&mut self, page: &mut Page, gs: &GState, tm: &mut Matrix, bytes: &[u8]) {
        let Some(font) = gs.font.clone() else { return };
        for code in font.decode(bytes) {
            let trm = mul(&mul(&[gs.size * gs.th, 0.0, 0.0, gs.size, 0.0, gs.rise], tm), &gs.ctm);
            let space = if code.len == 1 && code.code == 32 { gs.tw } else { 0.0 };
            let tx = (code.width / 1000.0 * gs.size + gs.tc + space) * gs.th;
            let m = mul(tm, &gs.ctm);
            let scale_x = (m[0] * m[0] + m[1] * m[1]).sqrt();
            let rotated = trm[1].abs() > 0.2 * trm[0].abs().max(0.01) || trm[0] < 0.0;
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
            if rotated {
                continue;
            }
            if code.text.is_empty() {
                page.out.unmapped += 1;
                continue;
            }
            let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            let (x, y) = (trm[4], trm[5]);
            let b = &page.bbox;
            let hidden = if gs.render == 3 || gs.render == 7 {
                Some(Hidden::Invisible)
            } else if size < 2.0 {
                Some(Hidden::Tiny)
            } else if x + 1.0 < b[0] || x > b[2] + 1.0 || y + size < b[1] || y > b[3] + 1.0 {
                Some(Hidden::Outside)
            } else if gs.fill_light && !code.text.trim().is_empty() {
                Some(Hidden::White)
            } else {
                None
            };
            self.glyphs += 1;
            page.out.glyphs.push(Glyph { x, y, w: tx * scale_x, size, text: code.text, hidden, op: page.op_index });
        }
    }
}

fn luminance(r: f32, g: f32, b: f32) -> f32 {
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

fn cmyk_light(n: &[f32]) -> bool {
    n[0] < 0.05 && n[1] < 0.05 && n[2] < 0.05 && n[3] < 0.05
}

fn nums(ops: &[Object]) -> Vec<f32> {
    ops.iter().filter_map(|o| o.as_float().ok()).filter(|f| f.is_finite()).collect()
}

/// The page's resource dictionaries, nearest first (resources are inherited from the page tree).
fn page_resources(doc: &Document, page_id: ObjectId) -> Vec<&Dictionary> {
    let mut out = Vec::new();
    let mut node = doc.get_dictionary(page_id).ok();
    for _ in 0..32 {
        let Some(d) = node else { break };
        if let Some(Object::Dictionary(r)) = deref(doc, d.get(b"Resources").ok()) {
            out.push(r);
        }
        node = deref(doc, d.get(b"Parent").ok()).and_then(|o| o.as_dict().ok());
    }
    out
}

fn lookup<'a>(doc: &'a Document, resources: &[&'a Dictionary], category: &[u8], name: &[u8]) -> Option<&'a Object> {
    resources.iter().find_map(|r| {
        let cat = deref(doc, r.get(category).ok())?.as_dict().ok()?;
        cat.get(name).ok()
    })
}

/// CropBox, else MediaBox (inherited), else US Letter.
fn page_box(doc: &Document, page_id: ObjectId) -> [f32; 4] {
    let mut node = doc.get_dictionary(page_id).ok();
    for _ in 0..32 {
        let Some(d) = node else { break };
        for key in [&b"CropBox"[..], b"MediaBox"] {
            if let Some(Object::Array(a)) = deref(doc, d.get(key).ok()) {
                let v: Vec<f32> = a.iter().filter_map(|o| deref(doc, Some(o))?.as_float().ok()).collect();
                if v.len() == 4 && v[2] != v[0] && v[3] != v[1] {
                    return [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])];
                }
            }
        }
        node = deref(doc, d.get(b"Parent").ok()).and_then(|o| o.as_dict().ok());
    }
    [0.0, 0.0, 612.0, 792.0]
}
