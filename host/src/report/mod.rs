//! The deployer's documents, in French, generated from what is installed and measured: the
//! candidate notice, a technical file and a "boussole" sheet per plugin, pre-filled DPIA and
//! FRIA, the sobriety report and the fairness monitoring report. The CLI (`vivier report`) and
//! the API (`GET /v1/reports/{kind}`) build them with the same functions.

pub mod boussole;
pub mod fairness;
pub mod impact;
pub mod notice;
pub mod sobriety;
pub mod stats;
pub mod technical;

use crate::registry::{PluginEntry, Registry, RegistryError};
use crate::server::routes::{civil_from_days, rfc3339};
use crate::store::{now_ms, Store, StoreError};
use crate::world::World;
use serde_json::{json, Value};

/// Report kinds, as named on the command line and in `/v1/reports/{kind}`.
pub const KINDS: [&str; 7] = ["notice", "technical-file", "dpia", "fria", "boussole", "sobriety", "fairness"];

/// Mark of the parts a human must write or check.
pub const TO_COMPLETE: &str = "**À compléter par le DPO**";
pub const TO_CHECK: &str = "*(à vérifier par le DPO)*";

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("unknown report `{0}` (one of: notice, technical-file, dpia, fria, boussole, sobriety, fairness)")]
    UnknownKind(String),
    #[error("invalid {field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("the `{0}` report needs a plugin (--plugin ID or ?plugin=ID)")]
    PluginRequired(&'static str),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A half-open time window `[from, to)` in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: i64,
    pub to: i64,
}

const DAY_MS: i64 = 86_400_000;

impl Window {
    /// `from` and `to` are dates (YYYY-MM-DD), both included; by default the last 365 days.
    pub fn parse(from: Option<&str>, to: Option<&str>, now: i64) -> Result<Self, ReportError> {
        let to_ms = match to {
            Some(t) => parse_date("to", t)? + DAY_MS,
            None => now + 1,
        };
        let from_ms = match from {
            Some(f) => parse_date("from", f)?,
            None => to_ms - 365 * DAY_MS,
        };
        if from_ms >= to_ms {
            return Err(ReportError::Invalid { field: "from", message: "`from` must be on or before `to`".into() });
        }
        Ok(Self { from: from_ms, to: to_ms })
    }

    pub fn label(&self) -> String {
        format!("du {} au {}", date(self.from), date(self.to - 1))
    }

    pub fn to_json(&self) -> Value {
        json!({ "from": rfc3339(self.from), "to": rfc3339(self.to), "label": self.label() })
    }
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Midnight UTC of a YYYY-MM-DD date.
pub fn parse_date(field: &'static str, text: &str) -> Result<i64, ReportError> {
    let bad = || ReportError::Invalid { field, message: format!("`{text}` is not a date YYYY-MM-DD") };
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else { return Err(bad()) };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d): (i64, u32, u32) =
        (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    if !(1..=12).contains(&m) || d == 0 {
        return Err(bad());
    }
    let days = days_from_civil(y, m, d);
    // Rejects 2026-02-30 and the like: the date must come back unchanged.
    if civil_from_days(days) != (y, m, d) {
        return Err(bad());
    }
    Ok(days * DAY_MS)
}

/// YYYY-MM-DD of a time in milliseconds.
pub fn date(ms: i64) -> String {
    rfc3339(ms)[..10].to_owned()
}

/// YYYY-MM of a time in milliseconds.
pub fn month(ms: i64) -> String {
    rfc3339(ms)[..7].to_owned()
}

/// Keeps table cells and inline text intact in Markdown.
pub fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn number(v: &Value) -> String {
    match v.as_f64() {
        Some(f) if f.abs() >= 100.0 => format!("{f:.0}"),
        Some(f) => format!("{f:.2}").replace('.', ","),
        None => "∞".into(),
    }
}

/// `0,25 [0,06 ; 0,72]` from `{estimate, ci95: [lo, hi]}`.
pub fn ratio_text(r: &Value) -> String {
    format!("{} [{} ; {}]", number(&r["estimate"]), number(&r["ci95"][0]), number(&r["ci95"][1]))
}

/// What the documents are built from.
pub struct Context<'a> {
    pub store: &'a Store,
    pub registry: &'a Registry,
    pub candidate_retention_days: u32,
    pub audit_retention_days: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Params {
    pub from: Option<String>,
    pub to: Option<String>,
    pub plugin: Option<String>,
    pub watts_per_core: Option<f64>,
    pub top_k: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub kind: &'static str,
    pub markdown: String,
    pub data: Value,
}

impl Report {
    pub fn to_json(&self) -> Value {
        json!({ "kind": self.kind, "generated_at": rfc3339(now_ms()), "markdown": self.markdown, "data": self.data })
    }
}

/// The plugins active in each slot: the server's slot table when it has run, else the
/// registry's choice (what the server would activate on first start).
pub async fn active_plugins(ctx: &Context<'_>) -> Result<Vec<(World, PluginEntry)>, ReportError> {
    let saved = crate::store::slots::all(ctx.store.pool()).await?;
    let mut out = Vec::new();
    for world in World::ALL {
        let entry = match saved.iter().find(|r| r.world == world.name()) {
            Some(row) => ctx.registry.find(&row.active)?,
            None => ctx.registry.active(world)?,
        };
        out.push((world, entry));
    }
    Ok(out)
}

/// A plugin a model powers (host inference or a remote model), as opposed to rules only.
pub fn uses_ai_model(entry: &PluginEntry) -> bool {
    let caps = &entry.bundle.manifest.capabilities;
    !caps.models.is_empty() || !caps.outbound_hosts.is_empty()
}

pub async fn build(kind: &str, ctx: &Context<'_>, params: &Params) -> Result<Report, ReportError> {
    let now = now_ms();
    let plugin = || params.plugin.as_deref().ok_or(ReportError::PluginRequired(kind_name(kind)));
    let (kind, data) = match kind {
        "notice" => ("notice", notice::data(ctx).await?),
        "technical-file" => ("technical-file", technical::data(ctx, plugin()?).await?),
        "dpia" => ("dpia", impact::dpia_data(ctx).await?),
        "fria" => ("fria", impact::fria_data(ctx).await?),
        "boussole" => ("boussole", boussole::data(ctx, plugin()?).await?),
        "sobriety" => {
            let window = Window::parse(params.from.as_deref(), params.to.as_deref(), now)?;
            let watts = params.watts_per_core.unwrap_or(sobriety::DEFAULT_WATTS_PER_CORE);
            if !(watts.is_finite() && watts > 0.0 && watts <= 1000.0) {
                return Err(ReportError::Invalid {
                    field: "watts_per_core",
                    message: "must be a number of watts in (0, 1000]".into(),
                });
            }
            ("sobriety", sobriety::data(ctx, &window, watts).await?)
        }
        "fairness" => {
            let window = Window::parse(params.from.as_deref(), params.to.as_deref(), now)?;
            let k = params.top_k.unwrap_or(fairness::DEFAULT_TOP_K);
            if !(1..=1000).contains(&k) {
                return Err(ReportError::Invalid { field: "top_k", message: "must be between 1 and 1000".into() });
            }
            ("fairness", fairness::compute(ctx.store, &window, k).await?)
        }
        other => return Err(ReportError::UnknownKind(other.to_owned())),
    };
    let markdown = match kind {
        "notice" => notice::markdown(&data),
        "technical-file" => technical::markdown(&data),
        "dpia" => impact::dpia_markdown(&data),
        "fria" => impact::fria_markdown(&data),
        "boussole" => boussole::markdown(&data),
        "sobriety" => sobriety::markdown(&data),
        _ => fairness::markdown(&data),
    };
    Ok(Report { kind, markdown, data })
}

fn kind_name(kind: &str) -> &'static str {
    KINDS.iter().find(|k| **k == kind).copied().unwrap_or("report")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_round_trip() {
        assert_eq!(parse_date("from", "1970-01-02").unwrap(), DAY_MS);
        assert_eq!(date(parse_date("from", "2026-12-04").unwrap()), "2026-12-04");
        for bad in ["2026-02-30", "2026-13-01", "26-01-01", "2026/01/01", "", "2026-1-1"] {
            assert!(matches!(parse_date("from", bad), Err(ReportError::Invalid { field: "from", .. })), "{bad}");
        }
        let w = Window::parse(Some("2026-01-01"), Some("2026-01-31"), 0).unwrap();
        assert_eq!(w.to - w.from, 31 * DAY_MS);
        assert_eq!(w.label(), "du 2026-01-01 au 2026-01-31");
        assert!(Window::parse(Some("2026-02-01"), Some("2026-01-31"), 0).is_err());
    }
}
