//! The Activité page: per plugin and month, calls, errors, latency and CPU time (from the audit
//! log, so figures survive restarts); the last 30 days as charts; and the recruiters' decisions
//! next to the AI suggestions, with how often a decision went against the ranking.

use super::charts::{chart, Kind};
use super::layout::{html_response, page};
use super::page_session;
use crate::server::routes::civil_from_days;
use crate::server::routes::explanation::escape;
use crate::server::Shared;
use crate::store::{activity, now_ms, StoreError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

const DAY_MS: i64 = 86_400_000;
const CHART_DAYS: i64 = 30;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct CallStats {
    pub calls: u64,
    pub errors: u64,
    pub wall_us: u64,
    pub wall_us_max: u64,
    pub cpu_us: u64,
}

impl CallStats {
    fn add(&mut self, p: &Value) {
        self.calls += 1;
        if p["outcome"].as_str() != Some("ok") {
            self.errors += 1;
        }
        let wall = p["wall_us"].as_u64().unwrap_or(0);
        self.wall_us += wall;
        self.wall_us_max = self.wall_us_max.max(wall);
        self.cpu_us += p["cpu_us"].as_u64().unwrap_or(0);
    }
    pub fn mean_ms(&self) -> f64 {
        if self.calls == 0 {
            0.0
        } else {
            self.wall_us as f64 / self.calls as f64 / 1000.0
        }
    }
}

pub fn month_of(ms: i64) -> String {
    let (y, m, _) = civil_from_days(ms.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}")
}

fn day_label(day: i64) -> String {
    let (_, m, d) = civil_from_days(day);
    format!("{d:02}/{m:02}")
}

/// Calls per (month, plugin `id@version`), newest month first.
pub fn monthly(calls: &[(i64, Value)]) -> Vec<((String, String), CallStats)> {
    let mut map: BTreeMap<(String, String), CallStats> = BTreeMap::new();
    for (at, p) in calls {
        let plugin =
            format!("{}@{}", p["plugin"]["id"].as_str().unwrap_or("?"), p["plugin"]["version"].as_str().unwrap_or("?"));
        map.entry((month_of(*at), plugin)).or_default().add(p);
    }
    let mut out: Vec<_> = map.into_iter().collect();
    out.sort_by(|a, b| b.0 .0.cmp(&a.0 .0).then(a.0 .1.cmp(&b.0 .1)));
    out
}

/// Calls per day over the `days` days ending today (oldest first), every day present.
pub fn daily(calls: &[(i64, Value)], now: i64, days: i64) -> Vec<(i64, CallStats)> {
    let today = now.div_euclid(DAY_MS);
    let mut out: Vec<(i64, CallStats)> = (today - days + 1..=today).map(|d| (d, CallStats::default())).collect();
    for (at, p) in calls {
        let i = at.div_euclid(DAY_MS) - (today - days + 1);
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            slot.1.add(p);
        }
    }
    out
}

/// Whether a decision went against the ranking the recruiter saw: a candidate in the lower half
/// taken forward, or one in the upper half rejected. `None` when the decision says nothing about
/// the ranking (withdrawn).
pub fn against_ranking(decision: &str, rank: i64, count: i64) -> Option<bool> {
    let upper_half = rank * 2 <= count + 1;
    match decision {
        "shortlisted" | "interview" | "hired" => Some(!upper_half),
        "rejected" => Some(upper_half),
        _ => None,
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct HumanStats {
    pub rankings: u64,
    pub decisions: u64,
    pub after_ranking: u64,
    pub against: u64,
}

async fn human_monthly(state: &Shared) -> Result<BTreeMap<String, HumanStats>, StoreError> {
    let pool = state.store.pool();
    let mut map: BTreeMap<String, HumanStats> = BTreeMap::new();
    for (at, kind) in activity::suggestions(pool).await? {
        if kind == "ranking" {
            map.entry(month_of(at)).or_default().rankings += 1;
        }
    }
    for d in activity::decisions(pool).await? {
        let m = map.entry(month_of(d.created_at)).or_default();
        m.decisions += 1;
        // The latest ranking the recruiter says they saw, among those that ranked this candidate.
        let mut seen = None;
        for t in d.trace_ids.iter().rev() {
            if let Some(r) = activity::rank_in(pool, t, &d.candidate_id).await? {
                seen = Some(r);
                break;
            }
        }
        if let Some((rank, count)) = seen {
            if let Some(against) = against_ranking(&d.decision, rank, count) {
                m.after_ranking += 1;
                m.against += u64::from(against);
            }
        }
    }
    Ok(map)
}

fn pct(n: u64, d: u64) -> String {
    if d == 0 {
        "—".into()
    } else {
        format!("{:.0} %", n as f64 * 100.0 / d as f64)
    }
}

pub async fn show(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let s = match page_session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match render(&state).await {
        Ok(body) => html_response(StatusCode::OK, page("Activité", Some(&s), "/admin/activite", &body)),
        Err(e) => super::api_error(e.into(), &s),
    }
}

async fn render(state: &Shared) -> Result<String, StoreError> {
    let calls: Vec<(i64, Value)> = activity::calls_since(state.store.pool(), 0)
        .await?
        .into_iter()
        .map(|(at, p)| (at, serde_json::from_str(&p).unwrap_or(Value::Null)))
        .collect();
    let now = now_ms();
    let days = daily(&calls, now, CHART_DAYS);
    let mut b = String::new();
    b.push_str("<h2>Les 30 derniers jours</h2>");
    let counts: Vec<(String, f64)> = days.iter().map(|(d, c)| (day_label(*d), c.calls as f64)).collect();
    let latency: Vec<(String, f64)> = days.iter().map(|(d, c)| (day_label(*d), c.mean_ms())).collect();
    let total: u64 = days.iter().map(|d| d.1.calls).sum();
    b.push_str(&chart(
        "appels",
        "Appels de modules par jour",
        &format!("{total} appels sur les 30 derniers jours, tous modules confondus."),
        "nombre d'appels",
        &counts,
        Kind::Bars,
    ));
    b.push_str(&chart(
        "latence",
        "Durée moyenne d'un appel par jour",
        "Durée moyenne en millisecondes des appels de chaque jour ; zéro les jours sans appel.",
        "millisecondes",
        &latency,
        Kind::Line,
    ));

    b.push_str(
        "<h2>Appels par module et par mois</h2><table><caption>Appels, erreurs, durée et temps processeur</caption>\
         <thead><tr><th scope=\"col\">Mois</th><th scope=\"col\">Module</th><th scope=\"col\">Appels</th>\
         <th scope=\"col\">Erreurs</th><th scope=\"col\">Durée moyenne</th><th scope=\"col\">Durée maximale</th>\
         <th scope=\"col\">Temps processeur</th></tr></thead><tbody>",
    );
    let rows = monthly(&calls);
    if rows.is_empty() {
        b.push_str("<tr><td colspan=\"7\">Aucun appel enregistré.</td></tr>");
    }
    for ((month, plugin), c) in &rows {
        let _ = write!(
            b,
            "<tr><td>{month}</td><td><code>{}</code></td><td>{}</td><td>{} ({})</td><td>{:.1} ms</td><td>{:.1} ms</td><td>{:.1} s</td></tr>",
            escape(plugin),
            c.calls,
            c.errors,
            pct(c.errors, c.calls),
            c.mean_ms(),
            c.wall_us_max as f64 / 1000.0,
            c.cpu_us as f64 / 1e6,
        );
    }
    b.push_str("</tbody></table>");

    let human = human_monthly(state).await?;
    b.push_str(
        "<h2>Décisions humaines et suggestions</h2>\
         <p>Une décision est dite <strong>contraire au classement</strong> quand le recruteur retient (présélection, \
         entretien, recrutement) une candidature classée dans la moitié basse, ou écarte une candidature de la moitié \
         haute du classement qu'il a consulté. Un taux proche de zéro peut signaler une confiance excessive dans \
         les suggestions (AI Act, art. 14).</p>\
         <table><caption>Par mois</caption><thead><tr><th scope=\"col\">Mois</th><th scope=\"col\">Classements proposés</th>\
         <th scope=\"col\">Décisions enregistrées</th><th scope=\"col\">Dont après un classement</th>\
         <th scope=\"col\">Dont contraires au classement</th></tr></thead><tbody>",
    );
    if human.is_empty() {
        b.push_str("<tr><td colspan=\"5\">Aucune suggestion ni décision enregistrée.</td></tr>");
    }
    for (month, h) in human.iter().rev() {
        let _ = write!(
            b,
            "<tr><td>{month}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td></tr>",
            h.rankings,
            h.decisions,
            h.after_ranking,
            h.against,
            pct(h.against, h.after_ranking)
        );
    }
    b.push_str("</tbody></table>");
    b.push_str(&deliveries(state).await?);
    Ok(b)
}

fn delivery_status_fr(status: &str) -> &'static str {
    match status {
        "delivered" => "remise",
        "failed" => "abandonnée",
        "sending" => "en cours d'envoi",
        _ => "en attente d'un nouvel essai",
    }
}

/// The webhook delivery log: what the SIRH was told, and whether it answered.
async fn deliveries(state: &Shared) -> Result<String, StoreError> {
    let log = crate::store::webhooks::log(state.store.pool(), 50).await?;
    let mut b = String::from(
        "<h2>Notifications au logiciel RH</h2>\
         <p>Chaque notification signée (lot terminé, candidature effacée ou purgée, module mis en service) et ses \
         tentatives ; un envoi refusé est repris plus tard, six fois au plus.</p>\
         <table><caption>Les 50 dernières</caption><thead><tr><th scope=\"col\">Créée le (UTC)</th>\
         <th scope=\"col\">Événement</th><th scope=\"col\">État</th><th scope=\"col\">Tentatives</th>\
         <th scope=\"col\">Dernière réponse</th></tr></thead><tbody>",
    );
    if log.is_empty() {
        b.push_str("<tr><td colspan=\"5\">Aucune notification : aucun point de réception n'est déclaré, ou rien n'est arrivé.</td></tr>");
    }
    for d in &log {
        let answer = match (d.last_status, &d.last_error) {
            (Some(code), _) => format!("HTTP {code}"),
            (None, Some(e)) => escape(e),
            (None, None) => "—".into(),
        };
        let _ = write!(
            b,
            "<tr><td>{} {}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{answer}</td></tr>",
            crate::report::date(d.created_at),
            crate::store::rfc3339(d.created_at).get(11..16).unwrap_or(""),
            escape(&d.event),
            delivery_status_fr(&d.status),
            d.attempts,
        );
    }
    b.push_str("</tbody></table>");
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn months_days_and_overrides() {
        let call = |ok: bool, wall: u64| json!({ "plugin": { "id": "m", "version": "1" }, "outcome": if ok { "ok" } else { "timeout" }, "wall_us": wall, "cpu_us": 10 });
        let jan = 1_767_225_600_000; // 2026-01-01
        let calls =
            vec![(jan, call(true, 1000)), (jan + DAY_MS, call(false, 3000)), (jan + 40 * DAY_MS, call(true, 500))];
        let m = monthly(&calls);
        assert_eq!(m[0].0, ("2026-02".to_owned(), "m@1".to_owned()));
        assert_eq!(m[1].1, CallStats { calls: 2, errors: 1, wall_us: 4000, wall_us_max: 3000, cpu_us: 20 });
        assert_eq!(m[1].1.mean_ms(), 2.0);
        let d = daily(&calls, jan + DAY_MS + 5, 3);
        assert_eq!(d.iter().map(|x| x.1.calls).collect::<Vec<_>>(), vec![0, 1, 1]);

        assert_eq!(against_ranking("hired", 1, 10), Some(false));
        assert_eq!(against_ranking("interview", 9, 10), Some(true));
        assert_eq!(against_ranking("rejected", 2, 10), Some(true));
        assert_eq!(against_ranking("rejected", 10, 10), Some(false));
        assert_eq!(against_ranking("withdrawn", 1, 10), None);
        assert_eq!(against_ranking("shortlisted", 2, 3), Some(false));
        assert_eq!(against_ranking("shortlisted", 3, 3), Some(true));
    }
}
