//! `vivier lint AD.md`: the host's job-ad linter on a Markdown ad, optionally with its request.

use super::*;

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// The ad, in Markdown; its first `# ` heading is the title.
    pub ad: PathBuf,
    /// The draft request (JSON) the ad was written from: checks leaked recruiter notes too.
    #[arg(long)]
    pub request: Option<PathBuf>,
    /// Exit with status 2 when a violation (severity warning or error) is found.
    #[arg(long)]
    pub strict: bool,
}

pub(super) fn run(args: &LintArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.ad).with_context(|| format!("cannot read {}", args.ad.display()))?;
    let request: Option<DraftRequest> = match &args.request {
        Some(p) => {
            let t = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
            Some(serde_json::from_str(&t).with_context(|| format!("{} is not a valid draft request", p.display()))?)
        }
        None => None,
    };
    let (title, markdown) = crate::lint::split_title(&text);
    let mut flags = crate::lint::lint_ad(&title, markdown, request.as_ref());
    if let Some(r) = &request {
        flags.extend(crate::lint::lint_request(r));
    }
    let warnings: Vec<_> = flags.iter().map(|f| &f.warning).collect();
    let violations = flags.iter().filter(|f| f.is_violation()).count();
    println!(
        "{}",
        crate::text::json_terminal_safe(&serde_json::to_string_pretty(
            &json!({ "title": title, "warnings": warnings })
        )?)
    );
    eprintln!("{violations} point(s) à corriger, {} à vérifier", flags.len() - violations);
    if args.strict && violations > 0 {
        std::process::exit(2);
    }
    Ok(())
}
