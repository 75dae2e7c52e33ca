//! The activation gate: a skills-matcher becomes active only with a passing bias probe for its
//! exact digest, or with an administrator's written justification, which is audited with the
//! probe's summary. The same rule serves `vivier plugin activate` and the admin API.

use super::BiasReport;
use crate::store::oversight::ProbeRow;
use serde_json::{json, Value};

/// Shortest accepted justification, in characters (without surrounding spaces): a sentence,
/// not "ok".
pub const MIN_JUSTIFICATION_CHARS: usize = 20;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GateError {
    #[error("the bias probe of {plugin} failed ({summary}); activating it needs a written justification (--override-justification / override_justification)")]
    ProbeFailed { plugin: String, summary: String },
    #[error("the bias probe of {plugin} never ran; run `vivier probe bias --plugin {plugin}` or give a written justification")]
    NeverProbed { plugin: String },
    #[error("the justification must be a sentence of at least {MIN_JUSTIFICATION_CHARS} characters")]
    JustificationTooShort,
}

/// What the gate let through.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Passed,
    /// Activated despite a failed or missing probe; `audit` is the payload to record.
    Overridden {
        audit: Value,
    },
}

/// What, besides the component, changes a matcher's behaviour: the administrator's grants for
/// it (configuration, models, network). A verdict holds for its digest and these settings
/// only. Empty when there are no grants, so that verdicts stored before settings counted stay
/// valid for plugins that have none; a grants file that cannot be read matches no verdict.
pub fn settings_digest(data_dir: &std::path::Path, plugin_id: &str) -> String {
    use crate::grants::AdminGrants;
    match AdminGrants::load(data_dir, plugin_id) {
        Ok(g) if g == AdminGrants::default() => String::new(),
        Ok(g) => {
            let settings = format!("{:?}", (&g.outbound, &g.api_key_env, &g.models, &g.config));
            crate::bundle::sha256_hex(settings.as_bytes())
        }
        Err(e) => format!("unreadable: {e}"),
    }
}

/// The stored verdict when it was reached with the current settings.
pub fn current(row: Option<ProbeRow>, settings_digest: &str) -> Option<ProbeRow> {
    row.filter(|r| r.settings_digest == settings_digest)
}

pub fn row_of(report: &BiasReport, now: i64, settings_digest: &str) -> ProbeRow {
    ProbeRow {
        plugin_digest: report.plugin.digest.clone(),
        plugin_id: report.plugin.id.clone(),
        plugin_version: report.plugin.version.clone(),
        settings_digest: settings_digest.to_owned(),
        report_json: serde_json::to_string(report).expect("a report serialises"),
        passed: report.passed,
        created_at: now,
    }
}

/// Short form of a stored probe for audit payloads and API answers.
pub fn summary_of(row: &ProbeRow) -> Value {
    let report: Option<BiasReport> = serde_json::from_str(&row.report_json).ok();
    json!({
        "passed": row.passed,
        "digest": row.plugin_digest,
        "summary": report.as_ref().map(|r| r.summary.clone()),
        "tolerance": report.as_ref().map(|r| r.tolerance),
        "failed_signals": report.as_ref().map(|r| r.signals.iter().filter(|s| !s.passed).map(|s| s.signal.name()).collect::<Vec<_>>()),
        "created_at": crate::store::rfc3339(row.created_at),
    })
}

/// Applies the rule. `plugin` is `id@version`.
pub fn check(plugin: &str, probe: Option<&ProbeRow>, justification: Option<&str>) -> Result<Decision, GateError> {
    if probe.is_some_and(|p| p.passed) {
        return Ok(Decision::Passed);
    }
    let Some(text) = justification.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(match probe {
            Some(p) => GateError::ProbeFailed {
                plugin: plugin.to_owned(),
                summary: summary_of(p)["summary"].as_str().unwrap_or("report unreadable").to_owned(),
            },
            None => GateError::NeverProbed { plugin: plugin.to_owned() },
        });
    };
    if text.chars().count() < MIN_JUSTIFICATION_CHARS {
        return Err(GateError::JustificationTooShort);
    }
    Ok(Decision::Overridden {
        audit: json!({
            "plugin": plugin,
            "justification": text,
            "probe": probe.map(summary_of),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(passed: bool) -> ProbeRow {
        ProbeRow {
            plugin_digest: "d".into(),
            plugin_id: "m".into(),
            plugin_version: "1".into(),
            settings_digest: String::new(),
            report_json: "{}".into(),
            passed,
            created_at: 0,
        }
    }

    #[test]
    fn failed_or_missing_probe_needs_a_real_justification() {
        assert_eq!(check("m@1", Some(&row(true)), None), Ok(Decision::Passed));
        assert!(matches!(check("m@1", Some(&row(false)), None), Err(GateError::ProbeFailed { .. })));
        assert!(matches!(check("m@1", None, Some("  ")), Err(GateError::NeverProbed { .. })));
        assert_eq!(check("m@1", Some(&row(false)), Some("ok")), Err(GateError::JustificationTooShort));
        let why = "Essai encadré de trois mois, relecture humaine de chaque classement";
        match check("m@1", Some(&row(false)), Some(why)) {
            Ok(Decision::Overridden { audit }) => assert_eq!(audit["justification"], why),
            other => panic!("{other:?}"),
        }
    }
}
