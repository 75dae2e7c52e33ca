//! `vivier rank`: parsed CVs ranked against a posting by the active skills-matcher (suggestions only).

use super::*;

pub(super) fn run(ctx: &Session, posting: &Path, files: &[PathBuf], spec: Option<&str>) -> Result<()> {
    let text = std::fs::read_to_string(posting).with_context(|| format!("cannot read {}", posting.display()))?;
    let posting: Posting =
        serde_json::from_str(&text).with_context(|| format!("{} is not a valid posting", posting.display()))?;
    let (_, parser) = ctx.plugin(None, World::CvParser)?;
    let (_, matcher) = ctx.plugin(spec, World::SkillsMatcher)?;
    // The matcher sees opaque ids and profiles only; the file names stay on this side.
    let mut candidates = Vec::new();
    let mut files_by_id = Vec::new();
    for (i, path) in files.iter().enumerate() {
        match parse_one(ctx, &parser, path)? {
            Ok((cv, _, _)) => {
                let id = format!("c{}", i + 1);
                files_by_id.push((id.clone(), path.display().to_string()));
                candidates.push(Candidate { id, profile: cv.profile });
            }
            Err(message) => bail!("{message}"),
        }
    }
    let inv = ctx.runtime.assess(&matcher, &posting, &candidates);
    let mut assessments = match inv.result {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => bail!("{e}"),
        Err(e) => bail!("{e}"),
    };
    assessments.sort_by(|a, b| b.score.total_cmp(&a.score));
    let rows: Vec<_> = assessments
        .iter()
        .map(|a| {
            let file = files_by_id.iter().find(|(id, _)| *id == a.candidate_id).map(|(_, f)| f.clone());
            json!({ "file": file, "assessment": a })
        })
        .collect();
    let out = json!({
        "notice": "Suggestions pour aider le recruteur ; aucune candidature n'est écartée ni retenue automatiquement.",
        "plugin": inv.report.plugin,
        "candidates": rows,
        "call": call_summary(&inv.report),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
