//! The Journal page: the audit log, filtered by slot, plugin, outcome and date, with the
//! verification of the whole hash chain at the top.

use super::layout::{error_page, html_response, page};
use super::page_session;
use crate::audit::Row;
use crate::server::routes::explanation::escape;
use crate::server::routes::rfc3339;
use crate::server::Shared;
use crate::world::World;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;

/// Rows shown at most; the filters narrow it down, `/v1/audit/events` pages through everything.
const SHOWN: usize = 200;
/// Rows scanned at most for one page, newest first.
const SCANNED: i64 = 20_000;

#[derive(Deserialize, Default)]
pub struct Filters {
    pub usage: Option<String>,
    pub module: Option<String>,
    pub resultat: Option<String>,
    pub du: Option<String>,
    pub au: Option<String>,
}

/// Days since 1970-01-01 of a Gregorian date (inverse of `civil_from_days`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `AAAA-MM-JJ` (what `<input type="date">` sends) as milliseconds at 00:00 UTC.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // 31 February and the like do not come back as the same date.
    (crate::server::routes::civil_from_days(days) == (y, m, d)).then_some(days * 86_400_000)
}

/// The slot an event concerns, if any.
fn slot_of(p: &Value) -> Option<&str> {
    p["slot"].as_str()
}

/// The plugin an event concerns (`id` or `id@version`).
fn plugin_of(p: &Value) -> Option<String> {
    if let Some(id) = p["plugin"]["id"].as_str() {
        return Some(format!("{id}@{}", p["plugin"]["version"].as_str().unwrap_or("")));
    }
    p["plugin"].as_str().or_else(|| p["to"].as_str()).or_else(|| p["active"].as_str()).map(str::to_owned)
}

/// `ok`, the plugin's error code, or none for events that are not calls.
fn outcome_of(p: &Value) -> Option<&str> {
    p["outcome"].as_str()
}

pub fn matches(row: &Row, p: &Value, f: &Filters, from: Option<i64>, to: Option<i64>) -> bool {
    let nonempty = |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if from.is_some_and(|t| row.at_ms < t) || to.is_some_and(|t| row.at_ms >= t) {
        return false;
    }
    if let Some(u) = nonempty(&f.usage) {
        if slot_of(p) != Some(u.as_str()) {
            return false;
        }
    }
    if let Some(m) = nonempty(&f.module) {
        if !plugin_of(p).is_some_and(|x| x.contains(m.as_str())) {
            return false;
        }
    }
    match nonempty(&f.resultat).as_deref() {
        Some("ok") => outcome_of(p) == Some("ok"),
        Some("erreur") => outcome_of(p).is_some_and(|o| o != "ok"),
        Some("admin") => row.kind.starts_with("admin.") || row.kind.starts_with("console."),
        _ => true,
    }
}

fn kind_fr(kind: &str) -> &str {
    match kind {
        "plugin.call" => "appel d'un module",
        "admin.plugin.install" => "installation d'un module",
        "admin.plugin.enable" => "module activé",
        "admin.plugin.disable" => "module désactivé",
        "admin.slot.activate" => "module rendu actif",
        "admin.slot.rollback" => "retour au module précédent",
        "admin.slot.stop" => "usage arrêté",
        "admin.slot.start" => "usage remis en service",
        "admin.slot.pin" => "usage épinglé",
        "admin.slot.unpin" => "usage désépinglé",
        "admin.slot.policy" => "politique d'échec modifiée",
        "admin.key.create" => "clé d'API créée",
        "admin.key.revoke" => "clé d'API révoquée",
        "decision.recorded" => "décision d'un recruteur",
        "console.signin" => "connexion à la console",
        "console.signout" => "déconnexion de la console",
        "audit.checkpoint" => "point de contrôle de purge",
        _ => kind,
    }
}

fn select(name: &str, label: &str, current: Option<&str>, options: &[(&str, &str)]) -> String {
    let mut out = format!("<div><label for=\"{name}\">{label}</label><select id=\"{name}\" name=\"{name}\">");
    for (value, text) in options {
        let sel = if current == Some(*value) { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{value}\"{sel}>{text}</option>");
    }
    out.push_str("</select></div>");
    out
}

pub async fn show(State(state): State<Shared>, headers: HeaderMap, Query(f): Query<Filters>) -> Response {
    let s = match page_session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let date = |t: &Option<String>| match t.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => parse_date(t).map(Some).ok_or(t.to_owned()),
    };
    let (from, to) = match (date(&f.du), date(&f.au)) {
        (Ok(a), Ok(b)) => (a, b.map(|b| b + 86_400_000)),
        (Err(t), _) | (_, Err(t)) => {
            return error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&s),
                &format!("« {t} » n'est pas une date (format AAAA-MM-JJ)."),
            )
        }
    };
    let verification = match state.audit.verify().await {
        Ok(v) => v,
        Err(e) => return super::api_error(e.into(), &s),
    };
    let rows = match newest_rows(&state, SCANNED).await {
        Ok(r) => r,
        Err(e) => return super::api_error(e.into(), &s),
    };
    let mut b = String::new();
    if verification.valid {
        let _ = write!(
            b,
            "<div class=\"succes\" role=\"status\"><p><strong>Chaîne d'audit vérifiée</strong> : {} entrées intactes \
             (de la n° {} à la n° {}). Empreinte de tête : <code>{}</code>.</p></div>",
            verification.rows,
            verification.first_seq.unwrap_or(0),
            verification.last_seq.unwrap_or(0),
            escape(verification.head_hash.as_deref().unwrap_or("aucune"))
        );
    } else {
        let broken = verification.first_broken.as_ref();
        let _ = write!(
            b,
            "<div class=\"erreur\" role=\"alert\"><p><strong>Chaîne d'audit rompue</strong> à l'entrée n° {} : {}.</p></div>",
            broken.map_or(0, |x| x.seq),
            escape(broken.map_or("", |x| x.reason.as_str()))
        );
    }
    let slot_options: Vec<(&str, &str)> =
        std::iter::once(("", "tous")).chain(World::ALL.iter().map(|w| (w.name(), w.name()))).collect();
    let _ = write!(
        b,
        "<form class=\"filtres\" method=\"get\" action=\"/admin/journal\" aria-label=\"Filtrer le journal\">{}\
         <div><label for=\"module\">Module (identifiant)</label><input id=\"module\" name=\"module\" value=\"{}\" size=\"24\"></div>{}\
         <div><label for=\"du\">Du</label><input id=\"du\" name=\"du\" type=\"date\" value=\"{}\"></div>\
         <div><label for=\"au\">Au</label><input id=\"au\" name=\"au\" type=\"date\" value=\"{}\"></div>\
         <div><button type=\"submit\">Filtrer</button></div></form>",
        select("usage", "Usage", f.usage.as_deref(), &slot_options),
        escape(f.module.as_deref().unwrap_or("")),
        select(
            "resultat",
            "Résultat",
            f.resultat.as_deref(),
            &[("", "tous"), ("ok", "appels réussis"), ("erreur", "appels en échec"), ("admin", "actions d'administration")]
        ),
        escape(f.du.as_deref().unwrap_or("")),
        escape(f.au.as_deref().unwrap_or("")),
    );
    let shown: Vec<(&Row, Value)> = rows
        .iter()
        .map(|r| (r, serde_json::from_str::<Value>(&r.payload).unwrap_or(Value::Null)))
        .filter(|(r, p)| matches(r, p, &f, from, to))
        .take(SHOWN)
        .collect();
    let _ = write!(
        b,
        "<table><caption>{} entrées, les plus récentes d'abord (au plus {SHOWN})</caption><thead><tr>\
         <th scope=\"col\">N°</th><th scope=\"col\">Date (UTC)</th><th scope=\"col\">Événement</th>\
         <th scope=\"col\">Acteur</th><th scope=\"col\">Usage</th><th scope=\"col\">Module</th>\
         <th scope=\"col\">Résultat</th><th scope=\"col\">Durée</th></tr></thead><tbody>",
        shown.len()
    );
    for (r, p) in &shown {
        let duration = p["wall_us"].as_u64().map(|us| format!("{:.1} ms", us as f64 / 1000.0)).unwrap_or_default();
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{} <code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.seq,
            rfc3339(r.at_ms),
            escape(kind_fr(&r.kind)),
            escape(&r.kind),
            escape(&r.actor),
            escape(slot_of(p).unwrap_or("")),
            plugin_of(p).map(|x| format!("<code>{}</code>", escape(&x))).unwrap_or_default(),
            escape(outcome_of(p).unwrap_or("")),
            duration,
        );
    }
    b.push_str("</tbody></table>");
    html_response(StatusCode::OK, page("Journal d'audit", Some(&s), "/admin/journal", &b))
}

/// The newest `limit` rows, newest first.
async fn newest_rows(state: &Shared, limit: i64) -> Result<Vec<Row>, crate::store::StoreError> {
    let rows: Vec<crate::audit::RowTuple> =
        sqlx::query_as(&format!("SELECT {} FROM audit_log ORDER BY seq DESC LIMIT $1", crate::audit::ROW_COLUMNS))
            .bind(limit)
            .fetch_all(state.store.pool())
            .await?;
    Ok(rows.into_iter().map(Row::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-12-04").map(rfc3339).as_deref(), Some("2026-12-04T00:00:00Z"));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("04/12/2026"), None);
        assert_eq!(parse_date("2026-13-01"), None);
    }

    #[test]
    fn filters() {
        let row = Row {
            seq: 1,
            at_ms: 1000,
            kind: "plugin.call".into(),
            actor: "k".into(),
            payload: String::new(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        let p = serde_json::json!({ "slot": "skills-matcher", "plugin": { "id": "vivier-matcher-lexical", "version": "0.1.0" }, "outcome": "timeout" });
        let f = |usage: &str, module: &str, res: &str| Filters {
            usage: Some(usage.into()),
            module: Some(module.into()),
            resultat: Some(res.into()),
            du: None,
            au: None,
        };
        assert!(matches(&row, &p, &f("", "", ""), None, None));
        assert!(matches(&row, &p, &f("skills-matcher", "lexical", "erreur"), None, None));
        assert!(!matches(&row, &p, &f("cv-parser", "", ""), None, None));
        assert!(!matches(&row, &p, &f("", "semantic", ""), None, None));
        assert!(!matches(&row, &p, &f("", "", "ok"), None, None));
        assert!(!matches(&row, &p, &f("", "", "admin"), None, None));
        assert!(!matches(&row, &p, &f("", "", ""), Some(2000), None));
        assert!(!matches(&row, &p, &f("", "", ""), None, Some(1000)));
    }
}
