//! Which reader a document goes to. The content decides (magic bytes); the declared media type
//! and the file name only break ties for plain text, since neither is trusted.

use vivier_sdk::cv_parser::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    /// A ZIP container: DOCX or ODT (told apart by its members).
    Zip,
    Text,
}

const KNOWN: &str = "formats lus : PDF, DOCX, ODT, texte brut (.txt) et Markdown (.md)";

/// Tells the format of a document.
pub fn detect(filename: &str, media_type: &str, bytes: &[u8]) -> Result<Format, ParseError> {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let name = filename.trim().to_lowercase();
    // A PDF header may follow a few bytes of junk (some mail gateways prepend a BOM or blank line).
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Format::Zip);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(ParseError::UnsupportedMediaType(format!(
            "document Word ancien (.doc) non lu ; enregistrez-le en .docx ou en PDF ({KNOWN})"
        )));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(ParseError::UnsupportedMediaType(format!("RTF non lu ; {KNOWN}")));
    }
    let declared_binary = matches!(
        essence.as_str(),
        "application/pdf"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/vnd.oasis.opendocument.text"
    ) || [".pdf", ".docx", ".odt"].iter().any(|e| name.ends_with(e));
    if declared_binary {
        return Err(ParseError::Corrupt(format!(
            "le fichier est déclaré {} mais son contenu n'en est pas un (en-tête absent)",
            if essence.is_empty() { name.as_str() } else { essence.as_str() }
        )));
    }
    let text_name = [".txt", ".md", ".markdown", ".text", ".mdown"].iter().any(|e| name.ends_with(e));
    match essence.as_str() {
        "text/plain" | "text/markdown" | "text/x-markdown" | "text/md" => Ok(Format::Text),
        "" | "application/octet-stream" | "binary/octet-stream" if text_name => Ok(Format::Text),
        _ => Err(ParseError::UnsupportedMediaType(format!(
            "type « {} » ({}) non lu : {KNOWN}",
            if essence.is_empty() { "inconnu" } else { &essence },
            if filename.trim().is_empty() { "sans nom" } else { filename.trim() },
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_wins_over_declared_type() {
        assert_eq!(detect("cv.txt", "text/plain", b"%PDF-1.7\n").unwrap(), Format::Pdf);
        assert_eq!(detect("cv.pdf", "application/pdf", b"PK\x03\x04....").unwrap(), Format::Zip);
        assert_eq!(detect("cv.md", "", b"# Jean").unwrap(), Format::Text);
        assert!(matches!(detect("cv.pdf", "application/pdf", b"hello"), Err(ParseError::Corrupt(_))));
        assert!(matches!(
            detect("cv.doc", "application/msword", b"\xD0\xCF\x11\xE0"),
            Err(ParseError::UnsupportedMediaType(_))
        ));
        assert!(matches!(detect("x.png", "image/png", b"\x89PNG"), Err(ParseError::UnsupportedMediaType(_))));
    }
}
