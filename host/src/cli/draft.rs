//! `vivier draft`: a job-ad draft from a request, by the active posting-drafter.

use super::*;

pub(super) fn run(ctx: &Session, path: &Path, spec: Option<&str>) -> Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let request: DraftRequest =
        serde_json::from_str(&text).with_context(|| format!("{} is not a valid draft request", path.display()))?;
    let (_, plugin) = ctx.plugin(spec, World::PostingDrafter)?;
    let inv = ctx.runtime.draft(&plugin, &request);
    let ad = match inv.result {
        Ok(Ok(ad)) => ad,
        Ok(Err(e)) => bail!("{e}"),
        Err(e) => bail!("{e}"),
    };
    let out = json!({
        "title": ad.title,
        "markdown": ad.markdown,
        "warnings": ad.warnings,
        "generated_by": { "id": inv.report.plugin.id, "version": inv.report.plugin.version, "digest": inv.report.plugin.digest },
        "human_review_required": true,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
