//! The French deployment guide names commands, API routes and console pages; each must exist.
//! Every `vivier …` command line is walked through the real binary's `--help` (each subcommand
//! must be listed by its parent, each flag by the subcommand), every `/v1/…` route is looked up
//! in the OpenAPI document with its method, and every console page answers on a real server.

mod server;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn guide() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/guide-mise-en-oeuvre.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Inline code spans and shell lines of fenced blocks (continuations joined).
fn code_snippets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            let line = line.trim();
            match line.strip_suffix('\\') {
                Some(head) => pending.push_str(head),
                None => {
                    pending.push_str(line);
                    out.push(std::mem::take(&mut pending));
                }
            }
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find('`') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('`') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end + 1..];
        }
    }
    out
}

fn commands(text: &str) -> BTreeSet<String> {
    code_snippets(text)
        .into_iter()
        // `vivier …` stands for "a command" in the prose: not a command line.
        .filter(|s| (s.starts_with("vivier ") || s == "vivier") && !s.contains('…'))
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn help(path: &[&str]) -> String {
    let out = Command::new(server::bin()).args(path).arg("--help").output().expect("the binary runs");
    assert!(
        out.status.success(),
        "`vivier {} --help` failed: {}",
        path.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Subcommand names listed under "Commands:" in a clap help text.
fn subcommands(help: &str) -> Option<BTreeSet<String>> {
    let section = help.split("Commands:").nth(1)?;
    let section = section.split("\n\n").next().unwrap_or("");
    Some(section.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_owned).collect())
}

/// Checks one command line against the binary; returns a description of what is wrong.
fn check_command(line: &str) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().skip(1).collect();
    let mut path: Vec<&str> = Vec::new();
    let mut text = help(&path);
    for word in &words {
        if word.starts_with('-') {
            break;
        }
        let Some(names) = subcommands(&text) else { break };
        if !names.contains(*word) {
            return Err(format!("`{line}`: `{word}` is not a subcommand of `vivier {}` ({names:?})", path.join(" ")));
        }
        path.push(word);
        text = help(&path);
    }
    for word in &words {
        if let Some(flag) = word.strip_prefix("--") {
            let flag = flag.split('=').next().unwrap_or(flag);
            if !text.contains(&format!("--{flag}")) {
                return Err(format!("`{line}`: `vivier {}` has no flag --{flag}", path.join(" ")));
            }
        }
    }
    Ok(())
}

#[test]
fn every_command_in_the_guide_exists() {
    let commands = commands(&guide());
    assert!(commands.len() >= 25, "the guide cites its commands: {commands:?}");
    let problems: Vec<String> = commands.iter().filter_map(|c| check_command(c).err()).collect();
    assert!(problems.is_empty(), "commands cited by the guide that the CLI lacks:\n{}", problems.join("\n"));
}

#[test]
fn the_command_check_catches_a_wrong_command() {
    assert!(check_command("vivier plugin activate ID").is_ok());
    assert!(check_command("vivier plugin teleport ID").is_err());
    assert!(check_command("vivier plugin activate ID --no-such-flag").is_err());
}

/// `(method, path)` for each `/v1/…` route the guide cites, query strings removed.
fn routes(text: &str) -> BTreeSet<(Option<String>, String)> {
    let mut out = BTreeSet::new();
    for snippet in code_snippets(text) {
        let words: Vec<&str> = snippet.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            if !word.starts_with("/v1/") || word.contains('…') {
                continue;
            }
            let method = i
                .checked_sub(1)
                .map(|j| words[j])
                .filter(|m| ["GET", "POST", "PUT", "DELETE"].contains(m))
                .map(str::to_lowercase);
            let path = word.split('?').next().unwrap_or(word).trim_end_matches(['.', ',', ')']);
            out.insert((method, path.to_owned()));
        }
    }
    out
}

/// Whether a cited path is served by an OpenAPI path template: `/v1/candidates/{id}` matches
/// `/v1/candidates/{candidate}`, and `/v1/reports/fairness` matches `/v1/reports/{kind}`.
fn served_by(template: &str, cited: &str) -> bool {
    let (t, c): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), cited.split('/').collect());
    t.len() == c.len() && t.iter().zip(&c).all(|(t, c)| t == c || t.starts_with('{'))
}

#[test]
fn every_api_route_in_the_guide_is_in_the_openapi_document() {
    let doc = vivier::server::openapi::document();
    let paths = doc["paths"].as_object().expect("OpenAPI paths");
    let cited = routes(&guide());
    assert!(cited.len() >= 10, "the guide cites its routes: {cited:?}");
    let mut problems = Vec::new();
    for (method, path) in &cited {
        // A literal path first (`/v1/reports/register` is its own route), then templates.
        let found = paths.get_key_value(path.as_str()).or_else(|| paths.iter().find(|(p, _)| served_by(p, path)));
        match (found, method) {
            (None, _) => problems.push(format!("{path} is not in the OpenAPI document")),
            (Some((_, ops)), Some(m)) if ops.get(m).is_none() => {
                problems.push(format!("{} {path}: the OpenAPI document has no such method", m.to_uppercase()))
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "routes cited by the guide:\n{}", problems.join("\n"));
}

/// Console and public pages the guide names (`/admin…`, `/registre`) answer on a real server.
#[test]
fn every_console_page_in_the_guide_answers() {
    let pages: BTreeSet<String> = code_snippets(&guide())
        .into_iter()
        .filter(|s| s.starts_with("/admin") || s.starts_with("/registre") || s.starts_with("/register"))
        .collect();
    assert!(pages.contains("/admin"), "the guide names the console: {pages:?}");
    let data = tempfile::tempdir().unwrap();
    let srv = server::Server::start(data.path());
    for page in &pages {
        let r = server::get(&srv.url(page), None);
        assert!(r.status != 404 && r.status < 500, "{page} answered {}", r.status);
    }
    srv.stop();
}

#[test]
fn the_readme_links_the_guide() {
    let readme = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    assert!(readme.contains("docs/guide-mise-en-oeuvre.md"));
}
