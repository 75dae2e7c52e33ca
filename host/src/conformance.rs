//! The conformance kit: what a vendor runs before delivery, and what an administrator runs
//! before activation. Each check names what it proved or what failed.

use crate::bundle::Bundle;
use crate::model::*;
use crate::registry::{PluginEntry, Registry, Source};
use crate::runtime::{Invocation, LoadedPlugin, Runtime};
use crate::world::World;
use serde::Serialize;
use std::path::Path;

const SAMPLE_CV: &str = include_str!("../../tests/fixtures/conformance/cv-fr.txt");
const SAMPLE_POSTING: &str = include_str!("../../tests/fixtures/conformance/posting.json");
const SAMPLE_DRAFT: &str = include_str!("../../tests/fixtures/conformance/draft-request.json");

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub passed: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub plugin: Option<String>,
    pub world: Option<World>,
    pub digest: Option<String>,
    pub checks: Vec<Check>,
}

impl Report {
    pub fn passed(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|c| c.passed)
    }

    fn push(&mut self, name: &str, passed: bool, detail: impl Into<String>) -> bool {
        self.checks.push(Check { name: name.into(), passed, detail: detail.into() });
        passed
    }

    /// A plain-text table for terminals. Plugin text (its id, the details of each check) is
    /// shown with controls escaped: it cannot forge a line or rewrite one.
    pub fn to_text(&self) -> String {
        use crate::text::terminal_safe as t;
        let mut out = format!(
            "Conformance of {} ({})\n",
            t(self.plugin.as_deref().unwrap_or("an unreadable bundle")),
            self.world.map_or("unknown world".into(), |w| w.to_string())
        );
        for c in &self.checks {
            out.push_str(&format!(
                "  [{}] {} — {}\n",
                if c.passed { "PASS" } else { "FAIL" },
                t(&c.name),
                t(&c.detail)
            ));
        }
        let failed = self.checks.iter().filter(|c| !c.passed).count();
        out.push_str(&format!("{} passed, {} failed\n", self.checks.len() - failed, failed));
        out
    }
}

/// Runs the whole kit on a bundle path.
pub fn run(path: &Path, registry: &Registry, runtime: &Runtime) -> Report {
    let mut report = Report { plugin: None, world: None, digest: None, checks: vec![] };
    let bundle = match Bundle::read(path) {
        Ok(b) => b,
        Err(e) => {
            report.push("manifest and digest", false, e.to_string());
            return report;
        }
    };
    report.plugin = Some(format!("{} {}", bundle.manifest.plugin.id, bundle.manifest.plugin.version));
    report.world = Some(bundle.manifest.world());
    report.digest = Some(bundle.digest.clone());
    report.push("manifest valid", true, "all fields present, transparency facts filled in");
    report.push("component digest", true, format!("sha256 {} matches the manifest", bundle.digest));
    let entry = match registry.verify(bundle, Source::File(path.to_owned())) {
        Ok(entry) => {
            report.push("signature", true, format!("{:?}", entry.signature));
            entry
        }
        Err(e) => {
            report.push("signature", false, e.to_string());
            return report;
        }
    };
    let plugin = match entry.load(runtime) {
        Ok(p) => {
            report.push(
                "imports and exports match the world",
                true,
                format!("{} world, only allowed imports", p.world),
            );
            p
        }
        Err(e) => {
            report.push("imports and exports match the world", false, e.to_string());
            return report;
        }
    };
    run_fixtures(&entry, &plugin, runtime, &mut report);
    report
}

fn contained<T>(inv: &Invocation<T>) -> Result<(), String> {
    match &inv.result {
        Ok(_) => Ok(()),
        Err(e) => Err(format!("{e}")),
    }
}

fn doc(filename: &str, media_type: &str, bytes: Vec<u8>) -> Document {
    Document { filename: filename.into(), media_type: media_type.into(), bytes }
}

fn run_fixtures(entry: &PluginEntry, plugin: &LoadedPlugin, runtime: &Runtime, report: &mut Report) {
    let mut peak = 0u64;
    match plugin.world {
        World::CvParser => {
            // Typed errors, not traps, on hostile documents.
            let fixtures = [
                ("empty document", doc("empty.txt", "text/plain", vec![]), true),
                (
                    "20 MB document",
                    doc("huge.txt", "text/plain", "Lorem ipsum dolor sit amet. ".repeat(750_000).into_bytes()),
                    false,
                ),
                (
                    "invalid UTF-8",
                    doc("bad.txt", "text/plain", vec![0xff, 0xfe, 0xc3, 0x28, b'a', 0xa0, 0xa1, b'\n']),
                    false,
                ),
                ("wrong media type", doc("photo.png", "image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()), true),
            ];
            for (name, d, must_err) in fixtures {
                let inv = runtime.parse(plugin, &d);
                peak = peak.max(inv.report.peak_memory_bytes);
                let verdict = match (&inv.result, must_err) {
                    (Err(e), _) => Err(format!("the host had to stop it: {e}")),
                    (Ok(Err(e)), _) => Ok(format!("typed error: {e}")),
                    (Ok(Ok(_)), true) => Err("returned a profile for a document it cannot have read".into()),
                    (Ok(Ok(_)), false) => Ok("parsed without trapping".into()),
                };
                let (passed, detail) = match verdict {
                    Ok(d) => (true, d),
                    Err(d) => (false, d),
                };
                report.push(&format!("fixture: {name}"), passed, detail);
            }
            let sample = doc("cv-fr.txt", "text/plain", SAMPLE_CV.as_bytes().to_vec());
            let a = runtime.parse(plugin, &sample);
            let b = runtime.parse(plugin, &sample);
            peak = peak.max(a.report.peak_memory_bytes);
            deterministic(report, &a, &b);
        }
        World::SkillsMatcher => {
            let posting: Posting = serde_json::from_str(SAMPLE_POSTING).expect("fixture is valid");
            let empty = runtime.assess(plugin, &posting, &[]);
            report.push(
                "fixture: no candidates",
                empty.result.is_ok(),
                contained(&empty).map_or_else(|e| e, |_| "answered without trapping".into()),
            );
            let many: Vec<Candidate> = (0..200)
                .map(|i| Candidate { id: format!("c{i}"), profile: Profile::default(), experience_months: None })
                .collect();
            let inv = runtime.assess(plugin, &posting, &many);
            peak = peak.max(inv.report.peak_memory_bytes);
            let (passed, detail) = match &inv.result {
                Ok(Ok(list)) if list.len() == many.len() => {
                    (true, "one assessment per candidate, in range".to_string())
                }
                Ok(Ok(list)) => (false, format!("{} assessments for {} candidates", list.len(), many.len())),
                Ok(Err(e)) => (true, format!("typed error: {e}")),
                Err(e) => (false, e.to_string()),
            };
            report.push("fixture: 200 empty profiles", passed, detail);
            let odd = Posting {
                requirements: vec![Requirement {
                    id: "r\u{0}".into(),
                    label: "\u{202e}ﬁ🦀 ".repeat(500),
                    kind: RequirementKind::Other,
                    weight: f32::NAN,
                    mandatory: false,
                    concept_id: None,
                }],
                ..posting.clone()
            };
            let inv = runtime.assess(plugin, &odd, &many[..2]);
            report.push(
                "fixture: odd unicode and NaN weight",
                inv.result.is_ok(),
                contained(&inv).map_or_else(
                    |e| e,
                    |_| format!("contained ({} value(s) sanitised by the host)", inv.report.sanitised.len()),
                ),
            );
            let profile = sample_profile();
            let cands = vec![Candidate { id: "a".into(), profile, experience_months: None }];
            let a = runtime.assess(plugin, &posting, &cands);
            let b = runtime.assess(plugin, &posting, &cands);
            deterministic(report, &a, &b);
        }
        World::PostingDrafter => {
            let empty = runtime.draft(plugin, &DraftRequest::default());
            let (passed, detail) = match &empty.result {
                Ok(Err(e)) => (true, format!("typed error: {e}")),
                Ok(Ok(_)) => (false, "drafted an ad without a job title".into()),
                Err(e) => (false, e.to_string()),
            };
            report.push("fixture: empty request", passed, detail);
            let mut big: DraftRequest = serde_json::from_str(SAMPLE_DRAFT).expect("fixture is valid");
            big.recruiter_notes = Some("Notes de réunion. ".repeat(60_000));
            let inv = runtime.draft(plugin, &big);
            peak = peak.max(inv.report.peak_memory_bytes);
            report.push(
                "fixture: 1 MB of notes",
                inv.result.is_ok(),
                contained(&inv).map_or_else(|e| e, |_| "contained".into()),
            );
            let request: DraftRequest = serde_json::from_str(SAMPLE_DRAFT).expect("fixture is valid");
            let a = runtime.draft(plugin, &request);
            let b = runtime.draft(plugin, &request);
            deterministic(report, &a, &b);
        }
    }
    let declared = u64::from(entry.bundle.manifest.capabilities.memory_mib) << 20;
    report.push(
        "within declared limits",
        peak <= declared,
        format!("peak memory {} KiB of {} KiB declared", peak >> 10, declared >> 10),
    );
}

/// A realistic profile for matcher fixtures, independent of any parser plugin.
fn sample_profile() -> Profile {
    Profile {
        headline: Some("Gestionnaire ressources humaines".into()),
        experiences: vec![Experience {
            title: "Gestionnaire carrière et paie".into(),
            organisation: Some("Commune de Villeneuve-Exemple".into()),
            start: Some(PartialDate { year: 2019, month: Some(9) }),
            current: true,
            description: "Paie de 350 agents, déclarations sociales (DSN)".into(),
            ..Default::default()
        }],
        skills: ["Paie", "Carrières", "Statut de la fonction publique territoriale"]
            .iter()
            .map(|s| Skill { label: (*s).into(), concept_id: None, evidence: vec![] })
            .collect(),
        languages: vec![Language { name: "Anglais".into(), level: Some("B2".into()) }],
        ..Default::default()
    }
}

fn deterministic<T>(report: &mut Report, a: &Invocation<T>, b: &Invocation<T>) {
    let detail = match (&a.result, &b.result) {
        (Err(e), _) | (_, Err(e)) => {
            report.push("same output for the same input", false, e.to_string());
            return;
        }
        _ if a.report.output_digest == b.report.output_digest => format!("output sha256 {}", a.report.output_digest),
        _ => format!("outputs differ: {} vs {}", a.report.output_digest, b.report.output_digest),
    };
    report.push("same output for the same input", a.report.output_digest == b.report.output_digest, detail);
}
