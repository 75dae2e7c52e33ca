//! `vivier draft`: a job-ad draft from a request, by the active posting-drafter, checked by the
//! host's linter.

use super::*;

pub(super) fn run(ctx: &Session, path: &Path, spec: Option<&str>) -> Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let request: DraftRequest =
        serde_json::from_str(&text).with_context(|| format!("{} is not a valid draft request", path.display()))?;
    let (_, plugin) = ctx.plugin(spec, World::PostingDrafter)?;
    let (result, _report) = crate::drafting::draft(&ctx.runtime, &plugin, &request);
    let (out, _) = match result {
        Ok(out) => out,
        Err(crate::drafting::DraftFailure::Plugin(e)) => return Err(e.into()),
        Err(e) => bail!("{e}"),
    };
    println!("{}", crate::text::json_terminal_safe(&serde_json::to_string_pretty(&out)?));
    Ok(())
}
