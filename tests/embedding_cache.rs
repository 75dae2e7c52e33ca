//! The embedding cache across processes: a second `vivier rank` on the same data directory
//! re-ranking the same profiles computes no embedding at all, and a damaged cache file is
//! ignored (recomputed, never trusted). Real binary, real model (installed on first run, as the
//! other model tests do), real files under `<data-dir>/embeddings`.

mod common;

use common::stderr;
use std::path::{Path, PathBuf};
use vivier::models::{install, ModelStore, DEFAULT_MODEL};

fn data(rel: &str) -> String {
    format!("{}/../tests/data/ranking/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `vivier rank` with the semantic matcher and returns the number of texts the model
/// embedded and the number served from disk, as the cache logs them.
fn rank(dir: &Path, posting: &str, cvs: &[String]) -> (u64, u64) {
    let mut args = vec!["--data-dir", dir.to_str().unwrap(), "rank", "--posting", posting];
    args.extend(["--plugin", "vivier-matcher-semantic"]);
    args.extend(cvs.iter().map(String::as_str));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_vivier"))
        .args(&args)
        .env("VIVIER_LOG", "vivier::embedding_cache=debug")
        .env_remove("VIVIER_TRUSTED_KEYS")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The log may be coloured: drop the ANSI escapes before reading the fields.
    let mut err = String::new();
    let mut escape = false;
    for c in stderr(&o).chars() {
        match (escape, c) {
            (false, '\u{1b}') => escape = true,
            (true, 'm') => escape = false,
            (false, c) => err.push(c),
            _ => {}
        }
    }
    let field = |line: &str, name: &str| -> u64 {
        let at = line.find(&format!("{name}=")).unwrap_or_else(|| panic!("no {name} in {line}"));
        line[at + name.len() + 1..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
    };
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("embedding cache")).collect();
    assert!(!lines.is_empty(), "the cache logged nothing: {err}");
    (lines.iter().map(|l| field(l, "computed")).sum(), lines.iter().map(|l| field(l, "disk_hits")).sum())
}

fn vec_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "vec") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_second_process_computes_no_embedding_and_a_damaged_file_is_recomputed() {
    install::ensure(&ModelStore::from_env(), DEFAULT_MODEL).expect("installing the default model");
    let dir = tempfile::tempdir().unwrap();
    let cvs: Vec<String> =
        ["cv01-gestionnaire-remuneration.txt", "cv02-assistante-rh-privee.txt", "cv10-gis-analyst-en.md"]
            .iter()
            .map(|f| data(&format!("cvs/{f}")))
            .collect();
    let posting = data("postings/p-paie.json");

    let (computed, from_disk) = rank(dir.path(), &posting, &cvs);
    assert!(computed > 0, "the first run embeds the requirements and the passages");
    assert_eq!(from_disk, 0);
    let files = vec_files(&dir.path().join("embeddings"));
    assert_eq!(files.len() as u64, computed, "one file per embedded text");

    // Another process, same profiles, same posting: everything comes from disk.
    let (computed2, from_disk2) = rank(dir.path(), &posting, &cvs);
    assert_eq!(computed2, 0, "the second process embedded texts again");
    assert_eq!(from_disk2, computed);

    // Another posting over the same profiles: only its requirements are new.
    let (computed3, _) = rank(dir.path(), &data("postings-reworded/p-paie.json"), &cvs);
    assert!(computed3 > 0 && computed3 <= 6, "{computed3} texts computed for 5 new requirements");

    // One damaged file (a flipped bit in a vector) is ignored and recomputed, the rest reused.
    let victim = &files[files.len() / 2];
    let mut bytes = std::fs::read(victim).unwrap();
    bytes[40] ^= 0x10;
    std::fs::write(victim, &bytes).unwrap();
    let (computed4, from_disk4) = rank(dir.path(), &posting, &cvs);
    assert_eq!(computed4, 1, "only the damaged vector is computed again");
    assert_eq!(from_disk4, computed - 1);
    assert_ne!(std::fs::read(victim).unwrap(), bytes, "the damaged file was replaced");
}
