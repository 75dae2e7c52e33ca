//! `vivier parse`: CV files through the active cv-parser.

use super::*;

/// Media type from the file name; the parser still checks the content.
pub fn media_type_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("odt") => "application/vnd.oasis.opendocument.text",
        Some("txt") => "text/plain",
        Some("md" | "markdown") => "text/markdown",
        _ => "application/octet-stream",
    }
}

/// Largest file the CLI reads; the plugin may accept less.
pub(crate) const MAX_INPUT_BYTES: u64 = 50 << 20;

pub(crate) fn read_document(path: &Path) -> Result<Document> {
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.len() > MAX_INPUT_BYTES {
        bail!("{} is {} MB, over the {} MB limit", path.display(), meta.len() >> 20, MAX_INPUT_BYTES >> 20);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Document {
        filename: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        media_type: media_type_for(path).into(),
        bytes,
    })
}

pub(crate) fn call_summary(r: &CallReport) -> serde_json::Value {
    json!({
        "wall_us": r.wall_us, "cpu_us": r.cpu_us, "peak_memory_bytes": r.peak_memory_bytes,
        "input_digest": r.input_digest, "output_digest": r.output_digest, "outcome": r.outcome,
        "sanitised": r.sanitised, "log": r.log, "log_dropped": r.log_dropped,
    })
}

/// Parses one file; `Ok(Err)` is a per-file failure reported in the output.
pub(crate) fn parse_one(
    ctx: &Session,
    plugin: &LoadedPlugin,
    path: &Path,
) -> Result<Result<(ParsedCv, Timeline, CallReport), String>> {
    let doc = match read_document(path) {
        Ok(d) => d,
        Err(e) => return Ok(Err(format!("{e:#}"))),
    };
    let inv = ctx.runtime.parse(plugin, &doc);
    Ok(match inv.result {
        Ok(Ok(cv)) => {
            let t = timeline::analyse(&cv.profile, timeline::current_month());
            Ok((cv, t, inv.report))
        }
        Ok(Err(e)) => Err(format!("{}: {e}", path.display())),
        Err(e) => Err(format!("{}: {e}", path.display())),
    })
}

pub(super) fn run(ctx: &Session, files: &[PathBuf], spec: Option<&str>, format: Format) -> Result<()> {
    let (entry, plugin) = ctx.plugin(spec, World::CvParser)?;
    let mut failures = 0;
    for path in files {
        let out = match parse_one(ctx, &plugin, path)? {
            Ok((cv, t, report)) => match format {
                Format::JsonResume => json_resume::render(&cv, &t),
                Format::Json => json!({
                    "file": path.display().to_string(),
                    "plugin": report.plugin,
                    "identity": cv.identity,
                    "profile": cv.profile,
                    "warnings": cv.warnings,
                    "gaps": t.gaps,
                    "irregularities": t.irregularities,
                    "call": call_summary(&report),
                }),
            },
            Err(message) => {
                failures += 1;
                eprintln!("error: {}", crate::text::terminal_safe_with(&message.to_string(), true));
                json!({ "file": path.display().to_string(), "plugin": entry.id(), "error": message })
            }
        };
        if files.len() == 1 {
            println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&out)?));
        } else {
            println!("{}", crate::text::json_terminal_safe(&serde_json::to_string(&out)?));
        }
    }
    if failures > 0 {
        bail!("{failures} of {} file(s) could not be parsed", files.len());
    }
    Ok(())
}
