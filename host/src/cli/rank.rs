//! `vivier rank`: parsed CVs ranked against a POSTING.json by the active skills-matcher
//! (suggestions only: every candidate is listed, none is rejected or selected).

use super::*;
use crate::posting::JobPosting;
use crate::ranking;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RankFormat {
    Json,
    Csv,
}

/// Reads and validates POSTING.json.
pub(crate) fn read_posting(path: &Path) -> Result<JobPosting> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    JobPosting::from_json(&text).with_context(|| format!("{} is not a valid posting", path.display()))
}

/// Parses every CV with `parser` into matcher candidates (ids `c1`, `c2`…, in order). A CV that
/// cannot be parsed stops the command: ranking without it would silently drop a candidate.
pub(crate) fn candidates(ctx: &Session, parser: &LoadedPlugin, files: &[PathBuf]) -> Result<Vec<Candidate>> {
    let today = timeline::current_month();
    let mut out = Vec::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        match parse_one(ctx, parser, path)? {
            Ok((cv, _, _)) => {
                out.push(ranking::candidate(format!("c{}", i + 1), Some(&cv.identity), cv.profile, today))
            }
            Err(message) => bail!("{message}"),
        }
    }
    Ok(out)
}

pub(super) fn run(
    ctx: &Session,
    posting: &Path,
    files: &[PathBuf],
    spec: Option<&str>,
    format: RankFormat,
) -> Result<()> {
    let job = read_posting(posting)?;
    let matching = job.to_matching();
    let (_, parser) = ctx.plugin(None, World::CvParser)?;
    let (entry, matcher) = ctx.plugin(spec, World::SkillsMatcher)?;
    // The matcher sees opaque ids and profiles only; the paths stay on this side.
    let candidates = candidates(ctx, &parser, files)?;
    let labels: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let (suggestions, _report) = ranking::rank(&ctx.runtime, &matcher, &matching, &candidates, &labels)
        .with_context(|| format!("ranking with {}", entry.id()))?;
    match format {
        RankFormat::Json => {
            let out = json!({ "posting": job.id, "suggestions": suggestions });
            println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&out)?));
        }
        RankFormat::Csv => {
            print!("{}", crate::text::terminal_safe_with(&ranking::to_csv(&matching, &suggestions), true))
        }
    }
    eprintln!(
        "Suggestions pour aider le recruteur ({}) : aucune candidature n'est écartée ni retenue automatiquement.",
        entry.id()
    );
    Ok(())
}
