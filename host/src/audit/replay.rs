//! `vivier audit replay TRACE_ID`: a recorded ranking run again, to show that what the audit
//! log says happened is what the recorded plugin does.
//!
//! The matcher's input is rebuilt from what is stored — the posting, each ranked candidate's
//! identity and profile (pseudonymised again, with the months of experience as of the call's
//! month) in the order the call sent them — and its digest compared with the recorded input
//! digest; then the recorded plugin version (same component digest, the administrator's
//! grants) runs on it with the clock the call had, and the output digest is compared with the
//! recorded one. Plugins get a clock and random bytes that are functions of the call
//! (`runtime::determinism`), so an honest plugin gives the same output.

use crate::model::{Candidate, Identity, PartialDate, Posting, Profile};
use crate::registry::Registry;
use crate::runtime::{json_digest, Runtime};
use crate::store::{activity, candidates, Pool};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// Why a ranking cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("no recorded plugin call has trace id `{0}`")]
    UnknownTrace(String),
    #[error("trace `{0}` is not a ranking (its call was made in the {1} slot)")]
    NotARanking(String, String),
    #[error("the ranking cannot be replayed: {0}")]
    Incomplete(String),
    #[error("the recorded plugin {0} is not installed any more")]
    PluginGone(String),
    #[error("the installed {plugin} is not the recorded component (digest {installed}, recorded {recorded})")]
    DigestChanged { plugin: String, installed: String, recorded: String },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Other(String),
}

/// What a replay found.
#[derive(Debug, Clone, Serialize)]
pub struct Replay {
    pub trace_id: String,
    pub plugin: String,
    pub digest: String,
    pub candidates: usize,
    pub recorded_input_digest: String,
    pub replayed_input_digest: String,
    pub input_matches: bool,
    pub recorded_output_digest: String,
    pub replayed_output_digest: String,
    pub output_matches: bool,
    /// Models as recorded, and their fingerprints now.
    pub models: Vec<Value>,
    pub outcome: String,
}

impl Replay {
    pub fn reproduced(&self) -> bool {
        self.input_matches && self.output_matches
    }
}

/// The stored input of a recorded ranking.
pub struct Recorded {
    trace_id: String,
    payload: Value,
    posting: Posting,
    candidates: Vec<Candidate>,
    started_at_ms: u64,
}

/// Reads what the replay needs from the store.
pub async fn load(pool: &Pool, trace_id: &str) -> Result<Recorded, ReplayError> {
    let (_, payload) =
        activity::call_of_trace(pool, trace_id).await?.ok_or_else(|| ReplayError::UnknownTrace(trace_id.to_owned()))?;
    let payload: Value = serde_json::from_str(&payload).map_err(|e| ReplayError::Other(e.to_string()))?;
    let slot = payload["slot"].as_str().unwrap_or_default();
    if slot != "skills-matcher" {
        return Err(ReplayError::NotARanking(trace_id.to_owned(), slot.to_owned()));
    }
    if payload["inline_profiles"].as_u64().unwrap_or(0) > 0 {
        return Err(ReplayError::Incomplete("profiles sent inline by the SIRH were never stored".into()));
    }
    let posting_id = payload["posting_id"]
        .as_str()
        .ok_or_else(|| ReplayError::Incomplete("the call did not end in a stored ranking".into()))?;
    let posting = candidates::posting(pool, posting_id)
        .await?
        .ok_or_else(|| ReplayError::Incomplete(format!("posting `{posting_id}` is no longer stored")))?;
    let posting: Posting = serde_json::from_str(&posting).map_err(|e| ReplayError::Other(e.to_string()))?;
    let started_at_ms = payload["started_at_ms"].as_u64().unwrap_or_default();
    let days = (started_at_ms / 86_400_000) as i64;
    let (year, month, _) = crate::server::routes::civil_from_days(days);
    let month_of_call = PartialDate { year: year as u16, month: Some(month as u8) };
    // Each stored assessment names the opaque id the candidate had in the call ("k3": third).
    let mut sent: Vec<(usize, Candidate)> = Vec::new();
    for (candidate_id, assessment) in candidates::assessments_of_trace(pool, trace_id).await? {
        let a: Value = serde_json::from_str(&assessment).map_err(|e| ReplayError::Other(e.to_string()))?;
        let opaque = a["candidate_id"].as_str().unwrap_or_default().to_owned();
        let position: usize = opaque
            .strip_prefix('k')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| ReplayError::Other(format!("unexpected candidate id `{opaque}`")))?;
        let (identity, profile, ..) = candidates::cv(pool, &candidate_id)
            .await?
            .ok_or_else(|| ReplayError::Incomplete(format!("candidate `{candidate_id}` has been erased")))?;
        let identity: Identity = serde_json::from_str(&identity).map_err(|e| ReplayError::Other(e.to_string()))?;
        let profile: Profile = serde_json::from_str(&profile).map_err(|e| ReplayError::Other(e.to_string()))?;
        sent.push((position, crate::ranking::candidate(opaque, Some(&identity), profile, month_of_call)));
    }
    sent.sort_by_key(|(position, _)| *position);
    let expected = payload["candidate_ids"].as_array().map_or(0, Vec::len);
    if sent.is_empty() || sent.len() != expected {
        return Err(ReplayError::Incomplete(format!("{} of {expected} ranked candidates are stored", sent.len())));
    }
    Ok(Recorded {
        trace_id: trace_id.to_owned(),
        payload,
        posting,
        candidates: sent.into_iter().map(|(_, c)| c).collect(),
        started_at_ms,
    })
}

/// Runs the recorded plugin on the rebuilt input and compares digests.
pub fn run(runtime: &Runtime, registry: &Registry, data_dir: &Path, r: &Recorded) -> Result<Replay, ReplayError> {
    let p = &r.payload["plugin"];
    let spec = format!("{}@{}", p["id"].as_str().unwrap_or_default(), p["version"].as_str().unwrap_or_default());
    let recorded_digest = p["digest"].as_str().unwrap_or_default().to_owned();
    let entry = registry.find(&spec).map_err(|_| ReplayError::PluginGone(spec.clone()))?;
    if entry.bundle.digest != recorded_digest {
        return Err(ReplayError::DigestChanged {
            plugin: spec,
            installed: entry.bundle.digest.clone(),
            recorded: recorded_digest,
        });
    }
    let plugin = entry.load_granted(runtime, data_dir).map_err(|e| ReplayError::Other(e.to_string()))?;
    let replayed_input_digest = json_digest(&(&r.posting, &r.candidates));
    let inv = runtime.assess_as_of(&plugin, &r.posting, &r.candidates, Some(r.started_at_ms));
    let recorded_input_digest = r.payload["input_digest"].as_str().unwrap_or_default().to_owned();
    let recorded_output_digest = r.payload["output_digest"].as_str().unwrap_or_default().to_owned();
    let models = r.payload["models"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            let now = inv.report.models.iter().find(|u| Some(u.id.as_str()) == m["id"].as_str());
            serde_json::json!({ "id": m["id"], "recorded_digest": m["digest"], "digest_now": now.map(|u| u.digest.clone()) })
        })
        .collect();
    Ok(Replay {
        trace_id: r.trace_id.clone(),
        plugin: spec,
        digest: recorded_digest,
        candidates: r.candidates.len(),
        input_matches: replayed_input_digest == recorded_input_digest,
        recorded_input_digest,
        replayed_input_digest,
        output_matches: inv.report.output_digest == recorded_output_digest,
        recorded_output_digest,
        replayed_output_digest: inv.report.output_digest.clone(),
        models,
        outcome: inv.report.outcome,
    })
}
