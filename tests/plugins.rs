//! The reference plugins and the SDK examples through the real runtime: the whole path runs,
//! and each passes the conformance kit.

mod common;

use common::*;
use vivier::bundle::{Bundle, SignatureStatus};
use vivier::manifest::Manifest;
use vivier::model::*;
use vivier::registry::{Registry, Source};
use vivier::runtime::{LoadedPlugin, PluginGrants};
use vivier::world::World;
use vivier::{builtin, conformance, timeline};

fn load_builtin(rt: &vivier::Runtime, world: World) -> LoadedPlugin {
    let bundle = builtin::bundles().unwrap().into_iter().find(|b| b.manifest.world() == world).unwrap();
    rt.load(&bundle, SignatureStatus::Builtin, PluginGrants::default()).unwrap()
}

const CV: &str = include_str!("fixtures/conformance/cv-fr.txt");

#[test]
fn reference_plugins_cover_every_world() {
    let bundles = builtin::bundles().unwrap();
    let mut worlds: Vec<World> = bundles.iter().map(|b| b.manifest.world()).collect();
    worlds.sort();
    worlds.dedup();
    assert_eq!(worlds, World::ALL.to_vec());
    // Two matchers: the non-AI lexical baseline (the default) and the semantic one.
    let matchers: Vec<&str> = bundles
        .iter()
        .filter(|b| b.manifest.world() == World::SkillsMatcher)
        .map(|b| b.manifest.plugin.id.as_str())
        .collect();
    assert_eq!(matchers, ["vivier-matcher-lexical", "vivier-matcher-semantic"]);
    for b in &bundles {
        assert_eq!(b.digest, vivier::bundle::sha256_hex(&b.component));
    }
}

#[test]
fn parse_rank_draft_end_to_end() {
    let rt = runtime();
    let parser = load_builtin(&rt, World::CvParser);
    let doc = Document { filename: "cv-fr.txt".into(), media_type: "text/plain".into(), bytes: CV.as_bytes().to_vec() };
    let inv = rt.parse(&parser, &doc);
    let cv = inv.result.unwrap().unwrap();
    assert_eq!(cv.identity.email.as_deref(), Some("claire.exemple@example.fr"));
    assert_eq!(cv.identity.phone.as_deref(), Some("+33600000001"));
    assert!(cv.profile.experiences.len() >= 2, "{:?}", cv.profile.experiences);
    assert_eq!(cv.profile.experiences[0].start, Some(PartialDate { year: 2019, month: Some(9) }));
    assert!(cv.profile.experiences[0].current);
    // Accounting of the call.
    assert_eq!(inv.report.outcome, "ok");
    assert!(inv.report.peak_memory_bytes > 0);
    assert_eq!(inv.report.input_digest.len(), 64);
    assert_eq!(inv.report.output_digest.len(), 64);
    assert_eq!(inv.report.plugin.id, "vivier-cv-parser");

    // The profile carries no identity: the matcher gets an opaque id.
    let profile_json = serde_json::to_string(&cv.profile).unwrap();
    assert!(!profile_json.contains("claire.exemple@example.fr"));
    assert!(!profile_json.contains("06 00 00 00 01"));
    let t = timeline::analyse(&cv.profile, PartialDate { year: 2026, month: Some(11) });
    assert!(t.irregularities.is_empty(), "{:?}", t.irregularities);

    let matcher = load_builtin(&rt, World::SkillsMatcher);
    let posting: Posting = serde_json::from_str(include_str!("fixtures/conformance/posting.json")).unwrap();
    let empty = Candidate { id: "c2".into(), profile: Profile::default(), experience_months: None };
    let inv = rt.assess(
        &matcher,
        &posting,
        &[Candidate { id: "c1".into(), profile: cv.profile, experience_months: None }, empty],
    );
    let a = inv.result.unwrap().unwrap();
    assert_eq!(a.len(), 2, "no candidate is dropped");
    assert_eq!(a[0].candidate_id, "c1");
    assert!(a[0].score > a[1].score, "{} vs {}", a[0].score, a[1].score);
    assert_eq!(a[0].requirements.len(), posting.requirements.len());
    assert!(!a[1].interview_questions.is_empty());

    let drafter = load_builtin(&rt, World::PostingDrafter);
    let request: DraftRequest = serde_json::from_str(include_str!("fixtures/conformance/draft-request.json")).unwrap();
    let ad = rt.draft(&drafter, &request).result.unwrap().unwrap();
    assert!(ad.markdown.contains("Gestionnaire carrière et paie"));
    assert!(ad.markdown.to_lowercase().contains("handicap"));
}

/// The host keeps only evidence quoted from the profile (`runtime::integrity`): the reference
/// matchers' evidence on the ranking development set passes whole, criteria and all, so the
/// check costs a recruiter nothing when the matcher is honest.
#[test]
fn the_reference_matchers_quote_the_profile_and_keep_the_postings_criteria() {
    let rt = runtime()
        .with_inference(std::sync::Arc::new(vivier::models::StoreBackend::new(vivier::models::ModelStore::from_env())));
    let parser = load_builtin(&rt, World::CvParser);
    let mut matchers = vec![load_builtin(&rt, World::SkillsMatcher)];
    let semantic = builtin::bundles().unwrap().into_iter().find(|b| b.manifest.plugin.id == "vivier-matcher-semantic");
    let grants = PluginGrants { models: vec!["multilingual-e5-small".to_owned()].into(), ..Default::default() };
    match rt.load(&semantic.unwrap(), SignatureStatus::Builtin, grants) {
        Ok(p) => matchers.push(p),
        Err(e) => eprintln!("semantic matcher skipped: {e}"),
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ranking");
    let mut files: Vec<_> = std::fs::read_dir(dir.join("cvs")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let candidates: Vec<Candidate> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let doc = Document {
                filename: f.file_name().unwrap().to_string_lossy().into(),
                media_type: "text/plain".into(),
                bytes: std::fs::read(f).unwrap(),
            };
            let cv = rt.parse(&parser, &doc).result.unwrap().unwrap();
            vivier::ranking::candidate(format!("c{i}"), Some(&cv.identity), cv.profile, timeline::current_month())
        })
        .collect();
    let mut evidence = 0;
    for (matcher, posting) in
        matchers.iter().flat_map(|m| ["p-paie.json", "p-routes.json", "p-pmi.json"].map(|p| (m, p)))
    {
        let text = std::fs::read_to_string(dir.join("postings").join(posting)).unwrap();
        let posting = vivier::posting::JobPosting::from_json(&text).unwrap().to_matching();
        let inv = rt.assess(matcher, &posting, &candidates);
        assert!(inv.report.sanitised.is_empty(), "{} {}: {:#?}", matcher.id(), posting.id, inv.report.sanitised);
        for a in inv.result.unwrap().unwrap() {
            let ids: Vec<&str> = a.requirements.iter().map(|r| r.requirement_id.as_str()).collect();
            assert_eq!(ids, posting.requirements.iter().map(|r| r.id.as_str()).collect::<Vec<_>>());
            evidence += a.requirements.iter().map(|r| r.evidence.len()).sum::<usize>();
        }
    }
    assert!(evidence > 100, "the check ran on real evidence ({evidence} lines)");
}

#[test]
fn reference_plugins_and_examples_pass_conformance() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime();
    let registry = Registry::new(dir.path(), vec![]);
    let mut bundles: Vec<(String, Bundle)> =
        builtin::bundles().unwrap().into_iter().map(|b| (b.manifest.plugin.id.clone(), b)).collect();
    for example in ["example-cv-parser", "example-matcher", "example-drafter"] {
        let manifest =
            Manifest::parse(&std::fs::read_to_string(components_dir().join(format!("{example}.toml"))).unwrap())
                .unwrap();
        bundles.push((example.into(), Bundle::pack(manifest, component(example), None).unwrap()));
    }
    // Plugins that name a model (the semantic matcher) run with the host's model store; when
    // the model is not installed on this machine they are refused at load, which is checked
    // and reported instead.
    let with_models = runtime()
        .with_inference(std::sync::Arc::new(vivier::models::StoreBackend::new(vivier::models::ModelStore::from_env())));
    for (name, bundle) in bundles {
        let path = dir.path().join(format!("{name}.zip"));
        let needs_model = !bundle.manifest.capabilities.models.is_empty();
        bundle.write_zip(&path).unwrap();
        let report = conformance::run(&path, &registry, if needs_model { &with_models } else { &rt });
        if needs_model && !report.passed() && report.to_text().contains("not installed") {
            eprintln!("{name}: model not installed here, conformance skipped");
            continue;
        }
        assert!(report.passed(), "{}", report.to_text());
        assert!(report.checks.len() >= 7, "{}", report.to_text());
    }
}

#[test]
fn conformance_fails_a_hostile_plugin_and_names_the_fault() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime();
    let registry = Registry::new(dir.path(), vec![]);
    let path = dir.path().join("panic.zip");
    hostile_bundle("panic", 64, 2000, "").write_zip(&path).unwrap();
    let report = conformance::run(&path, &registry, &rt);
    assert!(!report.passed());
    assert!(report.to_text().contains("panicked on purpose"), "{}", report.to_text());

    let path = dir.path().join("socket.zip");
    hostile_bundle("open-socket", 64, 2000, "").write_zip(&path).unwrap();
    let report = conformance::run(&path, &registry, &rt);
    assert!(!report.passed());
    assert!(report.to_text().contains("wasi:sockets"), "{}", report.to_text());
}

#[test]
fn a_component_for_another_world_is_refused_with_the_mismatch() {
    let rt = runtime();
    // A matcher component presented as a cv-parser.
    let m = manifest("liar", "cv-parser", 64, 1000, "");
    let bundle = Bundle::pack(m, component("hostile-noop"), None).unwrap();
    let err = rt.load(&bundle, SignatureStatus::Unsigned, PluginGrants::default()).unwrap_err().to_string();
    assert!(err.contains("cv-parser") && err.contains("parse"), "{err}");
    // A core module is not a component.
    let m = manifest("core", "cv-parser", 64, 1000, "");
    let bundle = Bundle::pack(m, b"\0asm\x01\0\0\0".to_vec(), None).unwrap();
    let err = rt.load(&bundle, SignatureStatus::Unsigned, PluginGrants::default()).unwrap_err().to_string();
    assert!(err.contains("core WebAssembly module"), "{err}");
}

#[test]
fn compiled_components_are_cached_and_foreign_cache_files_are_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let config = || vivier::RuntimeConfig { cache_dir: Some(dir.path().join("cache")), ..Default::default() };
    let bundle = hostile_bundle("remember", 64, 1000, "");
    let rt = vivier::Runtime::new(config()).unwrap();
    let first = rt.load(&bundle, SignatureStatus::Unsigned, PluginGrants::default()).unwrap();
    assert_eq!(first.cache, vivier::runtime::CacheOutcome::Compiled);
    let rt = vivier::Runtime::new(config()).unwrap();
    let second = rt.load(&bundle, SignatureStatus::Unsigned, PluginGrants::default()).unwrap();
    assert_eq!(second.cache, vivier::runtime::CacheOutcome::Hit);

    // Tamper with every cached artifact: the next load recompiles instead of running it.
    for entry in std::fs::read_dir(dir.path().join("cache")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "cwasm") {
            let mut bytes = std::fs::read(&path).unwrap();
            let mid = bytes.len() / 2;
            bytes[mid] ^= 0xff;
            std::fs::write(&path, bytes).unwrap();
        }
    }
    let rt = vivier::Runtime::new(config()).unwrap();
    let third = rt.load(&bundle, SignatureStatus::Unsigned, PluginGrants::default()).unwrap();
    assert_eq!(third.cache, vivier::runtime::CacheOutcome::Replaced);
    assert!(rt
        .assess(
            &third,
            &Posting { id: "p".into(), title: "t".into(), description: String::new(), requirements: vec![] },
            &[]
        )
        .result
        .is_ok());
}

#[test]
fn registry_installs_activates_and_enforces_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime();
    let vendor = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let signed = Bundle::pack(
        manifest("acme-matcher", "skills-matcher", 64, 1000, ""),
        component("example-matcher"),
        Some(&vendor),
    )
    .unwrap();
    let unsigned =
        Bundle::pack(manifest("anon-matcher", "skills-matcher", 64, 1000, ""), component("example-matcher"), None)
            .unwrap();
    let (signed_path, unsigned_path) = (dir.path().join("signed.zip"), dir.path().join("unsigned.zip"));
    signed.write_zip(&signed_path).unwrap();
    unsigned.write_zip(&unsigned_path).unwrap();

    let data = dir.path().join("data");
    let strict = Registry::new(&data, vec![vendor.verifying_key()]);
    let err = strict.install(&unsigned_path, &rt).unwrap_err().to_string();
    assert!(err.contains("unsigned"), "{err}");
    let entry = strict.install(&signed_path, &rt).unwrap();
    assert!(matches!(entry.signature, SignatureStatus::Verified { .. }));
    assert!(matches!(entry.source, Source::Installed(_)));

    assert_eq!(strict.active(World::SkillsMatcher).unwrap().id(), "vivier-matcher-lexical");
    strict.activate("acme-matcher", &rt).unwrap();
    assert_eq!(strict.active(World::SkillsMatcher).unwrap().id(), "acme-matcher");
    // Another slot is unaffected.
    assert_eq!(strict.active(World::CvParser).unwrap().id(), "vivier-cv-parser");
}
