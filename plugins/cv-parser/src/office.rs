//! DOCX and ODT: the ZIP container is read with caps (members, decompressed bytes: a zip bomb
//! gets a typed error), and the WordprocessingML or OpenDocument XML is flattened to lines.
//! Page headers and footers come first, since contact details often sit only there. A table row
//! becomes one line whose cells are separated by four spaces (a column gap for the section
//! parsers); list items become bullets.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::{Cursor, Read};
use vivier_sdk::cv_parser::{ParseError, Warning};

/// Decompressed bytes read from the archive at most, all members together.
pub const MAX_UNZIPPED: u64 = 16 * 1024 * 1024;
/// Members of the archive considered at most.
const MAX_MEMBERS: usize = 5_000;
/// Headers or footers read at most.
const MAX_HEADER_PARTS: usize = 12;
/// Element nesting followed at most.
const MAX_DEPTH: usize = 256;

/// Text of a DOCX or ODT document, with warnings.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Docx,
    Odt,
}

struct Archive {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    budget: u64,
}

impl Archive {
    fn names(&self) -> Vec<String> {
        self.zip.file_names().take(MAX_MEMBERS).map(str::to_string).collect()
    }

    /// Reads one member, charging its decompressed size to the archive's budget.
    fn read(&mut self, name: &str) -> Result<Option<String>, ParseError> {
        let mut file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(m)) => {
                return Err(ParseError::UnsupportedMediaType(format!("archive non lue : {m}")))
            }
            Err(e) => return Err(ParseError::Corrupt(format!("archive endommagée ({name} : {e})"))),
        };
        let limit = self.budget;
        // Read by chunks into a buffer sized by what is actually inflated (the declared size can
        // lie), and stop one byte past the budget: a bomb never gets to fill the sandbox memory.
        let mut data = Vec::with_capacity((file.size().min(limit) as usize).min(1 << 20));
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut chunk).map_err(|e| {
                if e.kind() == std::io::ErrorKind::Unsupported {
                    ParseError::UnsupportedMediaType(format!("méthode de compression non lue dans {name}"))
                } else {
                    ParseError::Corrupt(format!("archive endommagée ({name} : {e})"))
                }
            })?;
            if n == 0 {
                break;
            }
            if (data.len() + n) as u64 > limit {
                return Err(ParseError::TooLarge(MAX_UNZIPPED));
            }
            data.extend_from_slice(&chunk[..n]);
        }
        self.budget -= data.len() as u64;
        Ok(Some(String::from_utf8_lossy(&data).into_owned()))
    }
}

/// Extracts the text of a DOCX or ODT file.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ParseError> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec()))
        .map_err(|e| ParseError::Corrupt(format!("archive ZIP illisible ({e})")))?;
    if zip.len() > MAX_MEMBERS {
        return Err(ParseError::Corrupt(format!("archive de {} fichiers : ce n'est pas un document", zip.len())));
    }
    let mut archive = Archive { zip, budget: MAX_UNZIPPED };
    let names = archive.names();
    let kind = if names.iter().any(|n| n == "word/document.xml") {
        Kind::Docx
    } else if names.iter().any(|n| n == "content.xml") {
        Kind::Odt
    } else {
        return Err(ParseError::UnsupportedMediaType(
            "archive ZIP qui n'est ni un DOCX ni un ODT (formats lus : PDF, DOCX, ODT, texte, Markdown)".into(),
        ));
    };
    let mut flat = Flattener::new(kind);
    match kind {
        Kind::Docx => {
            let mut parts: Vec<&String> = names
                .iter()
                .filter(|n| {
                    n.starts_with("word/")
                        && n.ends_with(".xml")
                        && (n[5..].starts_with("header") || n[5..].starts_with("footer"))
                })
                .collect();
            parts.sort_by_key(|n| (n.contains("footer"), n.len(), n.to_string()));
            for part in parts.into_iter().take(MAX_HEADER_PARTS) {
                if let Some(xml) = archive.read(part)? {
                    flat.run(&xml)?;
                    flat.out.push('\n');
                }
            }
            let body = archive.read("word/document.xml")?.unwrap_or_default();
            flat.run(&body)?;
        }
        Kind::Odt => {
            // Headers and footers live in the master pages of styles.xml.
            if let Some(styles) = archive.read("styles.xml")? {
                flat.only_under = Some(&["header", "footer", "header-first", "footer-first"]);
                flat.run(&styles)?;
                flat.only_under = None;
                flat.out.push('\n');
            }
            let body = archive.read("content.xml")?.unwrap_or_default();
            flat.run(&body)?;
        }
    }
    let mut warnings = Vec::new();
    if !flat.hidden.trim().is_empty() {
        let excerpt: String = flat.hidden.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(120).collect();
        warnings.push(Warning {
            code: "hidden-text".into(),
            message: format!(
                "Le document contient du texte masqué, blanc ou minuscule, invisible à la lecture (procédé connu pour tromper le tri automatique) : « {excerpt} ». Ce texte n'a pas été pris en compte."
            ),
        });
    }
    let text: String = {
        use unicode_normalization::UnicodeNormalization;
        flat.out.nfc().collect()
    };
    if !text.chars().any(char::is_alphabetic) {
        return Err(ParseError::EmptyDocument);
    }
    Ok(Extracted { text, warnings })
}

/// A table being read: rows of cells of paragraphs.
#[derive(Default)]
struct Table {
    row: Vec<Vec<String>>,
}

struct Flattener {
    kind: Kind,
    out: String,
    hidden: String,
    /// Text of the current paragraph.
    para: String,
    bullet: bool,
    /// The current paragraph is a heading (its numbering is not a bullet).
    heading: bool,
    tables: Vec<Table>,
    /// Names of the open elements (local names).
    stack: Vec<String>,
    /// The current DOCX run is hidden (w:vanish, white, under 2 pt).
    run_hidden: bool,
    /// Only text under one of these elements is kept (ODT styles.xml).
    only_under: Option<&'static [&'static str]>,
    /// ODT styles whose text cannot be seen (white, under 2 pt, display none), by name.
    odt_hidden_styles: std::collections::HashSet<String>,
    /// The ODT style being defined, and whether it inherits from a hidden one.
    odt_style: Option<String>,
    /// Depths of the open ODT elements (spans, paragraphs) set in a hidden style.
    odt_hidden_at: Vec<usize>,
}

impl Flattener {
    fn new(kind: Kind) -> Self {
        Flattener {
            kind,
            out: String::new(),
            hidden: String::new(),
            para: String::new(),
            bullet: false,
            heading: false,
            tables: Vec::new(),
            stack: Vec::new(),
            run_hidden: false,
            only_under: None,
            odt_hidden_styles: Default::default(),
            odt_style: None,
            odt_hidden_at: Vec::new(),
        }
    }

    fn inside(&self, name: &str) -> bool {
        self.stack.iter().any(|n| n == name)
    }

    fn skipping(&self) -> bool {
        // mc:Fallback repeats the text of mc:Choice (text boxes); tracked deletions and comments
        // are not the candidate's text.
        self.stack.iter().any(|n| {
            matches!(n.as_str(), "Fallback" | "del" | "tracked-changes" | "annotation" | "instrText" | "delText")
        }) || self.only_under.is_some_and(|allowed| !self.stack.iter().any(|n| allowed.contains(&n.as_str())))
    }

    fn keeps_text(&self) -> bool {
        if self.skipping() {
            return false;
        }
        match self.kind {
            Kind::Docx => self.stack.last().is_some_and(|n| n == "t"),
            Kind::Odt => self.inside("p") || self.inside("h"),
        }
    }

    fn push_text(&mut self, s: &str) {
        let hidden = match self.kind {
            Kind::Docx => self.run_hidden,
            Kind::Odt => !self.odt_hidden_at.is_empty(),
        };
        if hidden {
            if self.hidden.len() < 2_000 {
                self.hidden.push_str(s);
                self.hidden.push(' ');
            }
        } else {
            self.para.push_str(s);
        }
    }

    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.para);
        let text = text.trim();
        let line = if self.bullet && !text.is_empty() { format!("- {text}") } else { text.to_string() };
        let heading = self.heading;
        self.bullet = false;
        self.heading = false;
        if let Some(t) = self.tables.last_mut() {
            if let Some(cell) = t.row.last_mut() {
                if !line.is_empty() {
                    cell.push(line);
                }
                return;
            }
        }
        // A heading opens a block, as a blank line does in a text CV: an entry whose title is a
        // heading ("### Électricien") starts there even when the previous entry had no bullets.
        if heading && !line.is_empty() && !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.out.push_str(&line);
        self.out.push('\n');
    }

    fn end_row(&mut self) {
        let Some(t) = self.tables.last_mut() else { return };
        let cells: Vec<Vec<String>> = std::mem::take(&mut t.row).into_iter().filter(|c| !c.is_empty()).collect();
        let mut lines: Vec<String> = Vec::new();
        // A row whose cells hold whole page columns (a Word template laid out as a table: the
        // sidebar with contact and skills in one cell, the experiences in the other) is read
        // cell after cell; a row of an entries table has its first lines side by side.
        let longest = cells.iter().map(Vec::len).max().unwrap_or(0);
        let total: usize = cells.iter().map(Vec::len).sum();
        if cells.len() >= 2 && longest >= 8 && total >= 12 {
            for c in &cells {
                lines.extend(c.iter().cloned());
                lines.push(String::new());
            }
        } else {
            let first: Vec<&str> = cells.iter().filter_map(|c| c.first().map(String::as_str)).collect();
            if !first.is_empty() {
                lines.push(first.join("    "));
            }
            for c in &cells {
                lines.extend(c.iter().skip(1).cloned());
            }
        }
        // A nested table's row goes into the enclosing cell.
        if self.tables.len() > 1 {
            let n = self.tables.len();
            if let Some(cell) = self.tables[n - 2].row.last_mut() {
                cell.extend(lines);
                return;
            }
        }
        for l in lines {
            self.out.push_str(&l);
            self.out.push('\n');
        }
        self.out.push('\n');
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.local_name().as_ref().to_string();
        match (self.kind, name.as_str()) {
            (_, "tbl") | (Kind::Odt, "table") => {
                if !empty {
                    self.tables.push(Table::default())
                }
            }
            (_, "tc") | (Kind::Odt, "table-cell") => {
                if let Some(t) = self.tables.last_mut() {
                    t.row.push(Vec::new());
                }
            }
            (Kind::Docx, "tab") if !self.inside("tabs") && !self.skipping() => self.para.push_str("    "),
            (Kind::Odt, "tab") if !self.skipping() => self.para.push_str("    "),
            (Kind::Docx, "br" | "cr") | (Kind::Odt, "line-break") if !self.skipping() => {
                self.end_paragraph();
            }
            (Kind::Odt, "s") if !self.skipping() => {
                let n = attr(e, "c").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).min(8);
                self.para.push_str(&" ".repeat(n));
            }
            (Kind::Docx, "numPr") => self.bullet = !self.heading,
            // Headings are numbered by outline level without a visible bullet.
            (Kind::Docx, "pStyle") => {
                let style = attr(e, "val").unwrap_or_default().to_lowercase();
                if style.starts_with("heading") || style.starts_with("titre") || style == "title" {
                    self.heading = true;
                    self.bullet = false;
                } else if ["listbullet", "listnumber", "listepuces", "listenum"].iter().any(|p| style.starts_with(p)) {
                    // Word's list styles ("List Bullet", "Liste à puces") number their
                    // paragraphs from styles.xml, without a numPr of their own.
                    self.bullet = true;
                }
            }
            (Kind::Docx, "outlineLvl") => {
                self.heading = true;
                self.bullet = false;
            }
            (Kind::Odt, "list-item") => self.bullet = true,
            (Kind::Odt, "style") => {
                // A style inherits what hides its parent ("T2" based on a white "T1").
                self.odt_style = attr(e, "name");
                if let (Some(name), Some(parent)) = (&self.odt_style, attr(e, "parent-style-name")) {
                    if self.odt_hidden_styles.contains(&parent) {
                        self.odt_hidden_styles.insert(name.clone());
                    }
                }
            }
            (Kind::Odt, "text-properties") => {
                let invisible = attr(e, "color").is_some_and(|c| near_white(c.trim_start_matches('#')))
                    || attr(e, "font-size").is_some_and(|v| {
                        v.strip_suffix("pt").and_then(|n| n.trim().parse::<f32>().ok()).is_some_and(|pt| pt < 2.0)
                    })
                    || attr(e, "display").is_some_and(|v| v == "none");
                if let Some(name) = self.odt_style.clone().filter(|_| invisible) {
                    self.odt_hidden_styles.insert(name);
                }
            }
            // White text on a coloured table cell is a design, not a trick (as for DOCX).
            (Kind::Odt, "span" | "p" | "h") if !empty => {
                self.heading |= name == "h";
                if !self.inside("table-cell")
                    && attr(e, "style-name").is_some_and(|n| self.odt_hidden_styles.contains(&n))
                {
                    self.odt_hidden_at.push(self.stack.len());
                }
            }
            (Kind::Docx, "r") => self.run_hidden = false,
            (Kind::Docx, "vanish") if self.inside("rPr") && !self.inside("pPr") => {
                self.run_hidden = attr(e, "val").is_none_or(|v| v != "0" && v != "false")
            }
            (Kind::Docx, "color") if self.inside("rPr") && !self.inside("pPr") => {
                if attr(e, "val").is_some_and(|v| near_white(&v)) && !self.inside("tc") {
                    self.run_hidden = true;
                }
            }
            (Kind::Docx, "sz") if self.inside("rPr") && !self.inside("pPr") => {
                // Half-points: 3 is 1.5 pt.
                if attr(e, "val").and_then(|v| v.parse::<u32>().ok()).is_some_and(|v| v < 4) {
                    self.run_hidden = true;
                }
            }
            _ => {}
        }
        if !empty && self.stack.len() < MAX_DEPTH {
            self.stack.push(name);
        } else if !empty {
            self.stack.push(String::new());
        }
        if empty {
            self.end(&e.local_name().as_ref().to_string(), true);
        }
    }

    fn end(&mut self, name: &str, was_empty: bool) {
        if !was_empty {
            self.stack.pop();
            if self.odt_hidden_at.last() == Some(&self.stack.len()) {
                self.odt_hidden_at.pop();
            }
        }
        if self.kind == Kind::Odt && name == "style" {
            self.odt_style = None;
        }
        match (self.kind, name) {
            (Kind::Docx, "p") | (Kind::Odt, "p" | "h") => self.end_paragraph(),
            (_, "tr") | (Kind::Odt, "table-row") => self.end_row(),
            (_, "tbl") | (Kind::Odt, "table") => {
                if !was_empty {
                    self.tables.pop();
                }
            }
            (Kind::Docx, "r") => self.run_hidden = false,
            _ => {}
        }
    }

    fn run(&mut self, xml: &str) -> Result<(), ParseError> {
        let mut reader = Reader::from_str(xml);
        self.stack.clear();
        loop {
            let event = reader.read_event().map_err(|e| {
                ParseError::Corrupt(format!("XML du document illisible à l'octet {} ({e})", reader.buffer_position()))
            })?;
            match event {
                Event::Start(e) => self.start(&e, false),
                Event::Empty(e) => self.start(&e, true),
                Event::End(e) => {
                    let name = e.local_name().as_ref().to_string();
                    self.end(&name, false);
                }
                Event::Text(t) => {
                    if self.keeps_text() {
                        let s = t.to_string();
                        // ODT collapses white space like HTML; DOCX keeps it in w:t.
                        let s = if self.kind == Kind::Odt { s.replace(['\n', '\r', '\t'], " ") } else { s };
                        self.push_text(&s);
                    }
                }
                Event::CData(t) => {
                    if self.keeps_text() {
                        self.push_text(&t.to_string());
                    }
                }
                Event::GeneralRef(r) => {
                    if self.keeps_text() {
                        let c = match &*r {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => r.resolve_char_ref().ok().flatten(),
                        };
                        if let Some(c) = c {
                            self.push_text(c.encode_utf8(&mut [0; 4]));
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !self.para.trim().is_empty() {
            self.end_paragraph();
        }
        Ok(())
    }
}

/// A colour (hex "RRGGBB") too light to read on a white page.
fn near_white(hex: &str) -> bool {
    hex.len() == 6 && (0..3).all(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).is_ok_and(|v| v >= 0xF0))
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            for (name, data) in files {
                w.start_file(*name, opts).unwrap();
                w.write_all(data).unwrap();
            }
            w.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn docx_header_table_and_hidden_run() {
        let header = br#"<w:hdr xmlns:w="w"><w:p><w:r><w:t>Marie DURAND</w:t></w:r></w:p><w:p><w:r><w:t>06 12 34 56 78</w:t></w:r></w:p></w:hdr>"#;
        let doc = br#"<w:document xmlns:w="w"><w:body>
            <w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:t>EXP&#201;RIENCE</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>2019 - 2021</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>Assistante RH</w:t></w:r></w:p><w:p><w:r><w:t>Mairie de Lyon</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>python expert</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let bytes = zip_of(&[("word/document.xml", doc), ("word/header1.xml", header)]);
        let out = extract(&bytes).unwrap();
        let lines: Vec<&str> = out.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            ["Marie DURAND", "06 12 34 56 78", "EXPÉRIENCE", "2019 - 2021    Assistante RH", "Mairie de Lyon"]
        );
        assert_eq!(out.warnings.len(), 1);
        assert!(out.warnings[0].message.contains("python expert"));
    }

    #[test]
    fn docx_layout_table_is_read_cell_after_cell() {
        let cell = |lines: &[&str]| {
            let ps: String = lines.iter().map(|l| format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>")).collect();
            format!("<w:tc>{ps}</w:tc>")
        };
        let left = cell(&[
            "Contact",
            "1 rue A",
            "29000 Quimper",
            "06 00 00 00 00",
            "a@example.fr",
            "Atouts",
            "Accueil",
            "Langues",
            "Anglais",
        ]);
        let right = cell(&["Jeanne LAY", "Mon parcours", "Agente — Mairie (2019 – 2023)", "Formation", "CAP (2014)"]);
        let doc = format!(
            r#"<w:document xmlns:w="w"><w:body><w:tbl><w:tr>{left}{right}</w:tr></w:tbl></w:body></w:document>"#
        );
        let out = extract(&zip_of(&[("word/document.xml", doc.as_bytes())])).unwrap();
        let lines: Vec<&str> = out.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "Contact");
        assert_eq!(lines[9], "Jeanne LAY");
        assert_eq!(lines.len(), 14);
    }

    #[test]
    fn docx_list_styles_are_bullets() {
        // python-docx and Word's "List Bullet" style: the numbering lives in styles.xml.
        let doc = br#"<w:document xmlns:w="w"><w:body>
            <w:p><w:r><w:t>Magasinier    2015 - 2019</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>Gestion des stocks</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Listepuces"/></w:pPr><w:r><w:t>Inventaires</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Formation</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let out = extract(&zip_of(&[("word/document.xml", doc)])).unwrap();
        let lines: Vec<&str> = out.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["Magasinier    2015 - 2019", "- Gestion des stocks", "- Inventaires", "Formation"]);
    }

    #[test]
    fn odt_spaces_lists_and_header() {
        let styles = br#"<office:document-styles xmlns:text="t" xmlns:style="s"><style:master-page><style:header><text:p>Paul Martin</text:p></style:header></style:master-page><text:p>not this</text:p></office:document-styles>"#;
        let content = br#"<office:document-content xmlns:text="t"><office:body><text:h>Comp&#233;tences</text:h><text:list><text:list-item><text:p>Paie<text:s text:c="2"/>M57</text:p></text:list-item></text:list></office:body></office:document-content>"#;
        let bytes = zip_of(&[("content.xml", content), ("styles.xml", styles)]);
        let out = extract(&bytes).unwrap();
        let lines: Vec<&str> = out.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["Paul Martin", "Compétences", "- Paie  M57"]);
    }

    #[test]
    fn odt_white_and_tiny_text_is_hidden() {
        let content = br##"<office:document-content xmlns:text="t" xmlns:style="s" xmlns:fo="f"><office:automatic-styles>
            <style:style style:name="T1" style:family="text"><style:text-properties fo:color="#FFFFFF" fo:font-size="6pt"/></style:style>
            <style:style style:name="T2" style:family="text"><style:text-properties fo:font-size="1pt"/></style:style>
            <style:style style:name="T3" style:family="text" style:parent-style-name="T2"/>
            <style:style style:name="P1" style:family="paragraph"><style:text-properties fo:color="#333333"/></style:style>
            </office:automatic-styles><office:body>
            <text:p text:style-name="P1">Paul Martin <text:span text:style-name="T1">Python expert</text:span></text:p>
            <text:p><text:span text:style-name="T3">management</text:span>Paie</text:p>
            <table:table xmlns:table="tb"><table:table-row><table:table-cell><text:p><text:span text:style-name="T1">2019</text:span></text:p></table:table-cell></table:table-row></table:table>
            </office:body></office:document-content>"##;
        let out = extract(&zip_of(&[("content.xml", content)])).unwrap();
        let lines: Vec<&str> = out.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["Paul Martin", "Paie", "2019"]);
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(out.warnings[0].message.contains("Python expert management"), "{}", out.warnings[0].message);
    }

    #[test]
    fn zip_bomb_is_too_large() {
        let big = vec![b'a'; (MAX_UNZIPPED + 10) as usize];
        let bytes = zip_of(&[("word/document.xml", &big)]);
        assert!(bytes.len() < 1_000_000);
        assert_eq!(extract(&bytes).unwrap_err(), ParseError::TooLarge(MAX_UNZIPPED));
    }

    #[test]
    fn zip64_bomb_is_too_large() {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true);
            w.start_file("word/document.xml", opts).unwrap();
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..40 {
                w.write_all(&chunk).unwrap();
            }
            w.finish().unwrap();
        }
        assert!(matches!(extract(&buf.into_inner()), Err(ParseError::TooLarge(MAX_UNZIPPED))));
    }

    #[test]
    fn other_zip_and_garbage() {
        assert!(matches!(extract(&zip_of(&[("a.txt", b"x")])), Err(ParseError::UnsupportedMediaType(_))));
        assert!(matches!(extract(b"PK\x03\x04garbage"), Err(ParseError::Corrupt(_))));
    }
}
