//! The Modules page: the three slots and their active plugin, every installed plugin with its
//! manifest, capabilities and transparency sheet, and the actions (each behind a confirmation
//! page, each through the same function as its `/v1/admin/...` route).

use super::layout::{error_page, html_response, page};
use super::session::Session;
use super::{api_error, page_session, post_session};
use crate::register::signature_fr;
use crate::registry::{PluginEntry, Source};
use crate::server::error::ApiError;
use crate::server::routes::admin;
use crate::server::routes::explanation::escape;
use crate::server::Shared;
use crate::store;
use crate::world::World;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::fmt::Write;

/// The console's actions: (form value, what it does, in French, and the API route doing the same).
pub const ACTIONS: [(&str, &str, &str); 6] = [
    ("activer", "Réactiver le module", "POST /v1/admin/plugins/{plugin}/enable"),
    ("desactiver", "Désactiver le module", "POST /v1/admin/plugins/{plugin}/disable"),
    ("rendre-actif", "Rendre le module actif", "PUT /v1/admin/slots/{slot}/active"),
    ("revenir", "Revenir au module précédent", "POST /v1/admin/slots/{slot}/rollback"),
    ("arreter", "Arrêter l'usage (coupure d'urgence)", "POST /v1/admin/slots/{slot}/stop"),
    ("relancer", "Remettre l'usage en service", "POST /v1/admin/slots/{slot}/start"),
];

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "installer" => "Le module a été installé et activé. Il n'est utilisé qu'une fois rendu actif dans son usage.",
        "activer" => "Le module a été réactivé.",
        "desactiver" => "Le module a été désactivé.",
        "rendre-actif" => "Le module est désormais actif : les appels suivants l'utilisent.",
        "revenir" => "L'usage est revenu au module précédent.",
        "arreter" => "L'usage est arrêté : tout appel est refusé jusqu'à sa remise en service.",
        "relancer" => "L'usage est de nouveau en service.",
        _ => return None,
    })
}

pub fn slot_fr(world: World) -> &'static str {
    match world {
        World::CvParser => "Lecture des CV",
        World::SkillsMatcher => "Comparaison aux critères de l'offre",
        World::PostingDrafter => "Rédaction des offres",
    }
}

fn spec(e: &PluginEntry) -> String {
    format!("{}@{}", e.id(), e.version())
}

fn confirm_link(action: &str, slot: &str, plugin: &str, label: &str, danger: bool) -> String {
    let class = if danger { "bouton danger" } else { "bouton" };
    format!(
        "<a class=\"{class}\" href=\"/admin/confirmer?action={action}&amp;slot={}&amp;plugin={}\">{label}</a>",
        escape(slot),
        escape(plugin)
    )
}

#[derive(Deserialize)]
pub struct PageQuery {
    fait: Option<String>,
}

pub async fn show(State(state): State<Shared>, headers: HeaderMap, Query(q): Query<PageQuery>) -> Response {
    let s = match page_session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match render(&state, &s, q.fait.as_deref()).await {
        Ok(html) => html_response(StatusCode::OK, html),
        Err(e) => api_error(e, &s),
    }
}

async fn render(state: &Shared, s: &Session, done: Option<&str>) -> Result<String, ApiError> {
    let registry = state.registry.clone();
    let mut plugins = tokio::task::spawn_blocking(move || registry.list())
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    plugins.retain(|e| !matches!(e.source, Source::File(_)));
    let disabled = store::slots::disabled(state.store.pool()).await?;
    let slots = state.slots.all();
    let mut b = String::new();
    if let Some(m) = done.and_then(done_message) {
        let _ = write!(b, "<div class=\"succes\" role=\"status\"><p>{m}</p></div>");
    }
    b.push_str(&continuous_probe_alert(state, &slots).await?);
    if !s.is_admin() {
        b.push_str(
            "<p class=\"note\">Vous êtes connecté avec une clé d'auditeur : consultation seule, aucune action.</p>",
        );
    }
    b.push_str(
        "<h2>Usages</h2><table><caption>Les trois usages et leur module actif</caption><thead><tr>\
         <th scope=\"col\">Usage</th><th scope=\"col\">Module actif</th><th scope=\"col\">État</th>\
         <th scope=\"col\">Module précédent</th>",
    );
    if s.is_admin() {
        b.push_str("<th scope=\"col\">Actions</th>");
    }
    b.push_str("</tr></thead><tbody>");
    for (world, st) in &slots {
        let state_fr = if st.row.stopped {
            "<span class=\"statut-ko\">arrêté</span>".to_owned()
        } else if st.active.is_some() {
            "<span class=\"statut-ok\">en service</span>".to_owned()
        } else {
            format!(
                "<span class=\"statut-ko\">indisponible</span> : {}",
                escape(st.load_error.as_deref().unwrap_or("aucun module chargé"))
            )
        };
        let _ = write!(
            b,
            "<tr><th scope=\"row\">{} (<code>{}</code>)</th><td><code>{}</code></td><td>{state_fr}</td><td>{}</td>",
            slot_fr(*world),
            world.name(),
            escape(&st.row.active),
            st.row.previous.as_deref().map(|p| format!("<code>{}</code>", escape(p))).unwrap_or_else(|| "aucun".into()),
        );
        if s.is_admin() {
            let mut actions = String::new();
            if st.row.stopped {
                actions.push_str(&confirm_link("relancer", world.name(), "", "Remettre en service", false));
            } else {
                actions.push_str(&confirm_link("arreter", world.name(), "", "Arrêter", true));
            }
            if st.row.previous.is_some() {
                actions.push_str(&confirm_link("revenir", world.name(), "", "Revenir au précédent", false));
            }
            let _ = write!(b, "<td><div class=\"actions\">{actions}</div></td>");
        }
        b.push_str("</tr>");
    }
    b.push_str("</tbody></table>");

    if s.is_admin() {
        let _ = write!(
            b,
            "<h2>Installer un module</h2>\
             <form method=\"post\" action=\"/admin/modules/installer\" enctype=\"multipart/form-data\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <p><label for=\"paquet\">Paquet du module (fichier .zip fourni par l'éditeur)</label><br>\
             <input id=\"paquet\" name=\"paquet\" type=\"file\" accept=\".zip,application/zip\" required></p>\
             <p><input id=\"confirmation\" name=\"confirmation\" type=\"checkbox\" value=\"oui\" required> \
             <label for=\"confirmation\">Je confirme l'installation de ce module (il sera vérifié, puis activé sans être rendu actif)</label></p>\
             <p><button type=\"submit\">Installer</button></p></form>",
            csrf = s.csrf
        );
    }

    let _ = write!(b, "<h2>Modules installés ({})</h2>", plugins.len());
    for e in &plugins {
        let r = spec(e);
        let m = &e.bundle.manifest;
        let active_in = slots.iter().any(|(_, st)| st.row.active == r);
        let enabled = !disabled.contains(&r);
        let status = match (active_in, enabled) {
            (true, _) => "actif dans son usage",
            (false, true) => "activé, non utilisé",
            (false, false) => "désactivé",
        };
        let list = |items: &[String], none: &str| {
            if items.is_empty() {
                none.to_owned()
            } else {
                items.iter().map(|i| format!("<code>{}</code>", escape(i))).collect::<Vec<_>>().join(", ")
            }
        };
        let limits: String = m.transparency.limitations.iter().map(|l| format!("<li>{}</li>", escape(l))).collect();
        let figures: String = m
            .transparency
            .accuracy
            .iter()
            .map(|a| {
                format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&a.metric),
                    escape(&a.value),
                    escape(&a.dataset)
                )
            })
            .collect();
        let figures = if figures.is_empty() {
            "<p>Aucune mesure déclarée.</p>".to_owned()
        } else {
            format!(
                "<table><caption>Performances déclarées</caption><thead><tr><th scope=\"col\">Mesure</th>\
                 <th scope=\"col\">Valeur</th><th scope=\"col\">Jeu de données</th></tr></thead><tbody>{figures}</tbody></table>"
            )
        };
        let _ = write!(
            b,
            "<section class=\"module\" aria-labelledby=\"m-{anchor}\"><h3 id=\"m-{anchor}\">{name} <code>{r}</code></h3>\
             <dl><dt>Usage</dt><dd>{slot} (<code>{world}</code>)</dd><dt>État</dt><dd>{status}</dd>\
             <dt>Éditeur</dt><dd>{vendor}</dd><dt>Description</dt><dd>{desc}</dd>\
             <dt>Contrat WIT</dt><dd><code>{wit}</code></dd>\
             <dt>Empreinte SHA-256</dt><dd><code>{digest}</code></dd><dt>Signature</dt><dd>{sig}</dd></dl>\
             <h4>Capacités accordées</h4><dl><dt>Mémoire maximale</dt><dd>{mem} Mio</dd>\
             <dt>Durée maximale d'un appel</dt><dd>{time} ms</dd><dt>Hôtes sortants</dt><dd>{hosts}</dd>\
             <dt>Modèles</dt><dd>{models}</dd></dl>\
             <h4>Fiche de transparence</h4><dl><dt>Fournisseur</dt><dd>{provider}</dd><dt>Contact</dt><dd>{contact}</dd>\
             <dt>Finalité prévue</dt><dd>{purpose}</dd><dt>Contrôle humain</dt><dd>{oversight}</dd></dl>\
             <p><strong>Limites connues</strong></p><ul>{limits}</ul>{figures}",
            anchor = escape(&r.replace(['@', '.'], "-")),
            name = escape(&m.plugin.name),
            r = escape(&r),
            slot = slot_fr(e.world()),
            world = e.world().name(),
            vendor = escape(&m.plugin.vendor),
            desc = escape(&m.plugin.description),
            wit = escape(&m.plugin.wit_version),
            digest = escape(&e.bundle.digest),
            sig = escape(&signature_fr(&e.signature)),
            mem = m.capabilities.memory_mib,
            time = m.capabilities.timeout_ms,
            hosts = list(&m.capabilities.outbound_hosts, "aucun (pas d'accès réseau)"),
            models = list(&m.capabilities.models, "aucun"),
            provider = escape(&m.transparency.provider),
            contact = escape(&m.transparency.contact),
            purpose = escape(&m.transparency.intended_purpose),
            oversight = escape(&m.transparency.human_oversight),
        );
        if s.is_admin() && !active_in {
            let mut actions = String::new();
            if enabled {
                actions.push_str(&confirm_link("rendre-actif", e.world().name(), &r, "Rendre actif", false));
                actions.push_str(&confirm_link("desactiver", e.world().name(), &r, "Désactiver", true));
            } else {
                actions.push_str(&confirm_link("activer", e.world().name(), &r, "Réactiver", false));
            }
            let _ = write!(b, "<div class=\"actions\">{actions}</div>");
        }
        b.push_str("</section>");
    }
    Ok(page("Modules", Some(s), "/admin/modules", &b))
}

#[derive(Deserialize)]
pub struct ActionQuery {
    action: Option<String>,
    slot: Option<String>,
    plugin: Option<String>,
}

/// The confirmation step: what will happen, then a form that does it.
pub async fn confirm(State(state): State<Shared>, headers: HeaderMap, Query(q): Query<ActionQuery>) -> Response {
    let s = match page_session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !s.is_admin() {
        return error_page(
            StatusCode::FORBIDDEN,
            Some(&s),
            "Votre clé est une clé d'auditeur : aucune action n'est possible.",
        );
    }
    let action = q.action.unwrap_or_default();
    let Some((_, label, route)) = ACTIONS.iter().find(|a| a.0 == action) else {
        return error_page(StatusCode::UNPROCESSABLE_ENTITY, Some(&s), "Action inconnue.");
    };
    let slot = q.slot.unwrap_or_default();
    let world = match admin::slot_world(&slot) {
        Ok(w) => w,
        Err(e) => return api_error(e, &s),
    };
    let plugin = q.plugin.unwrap_or_default();
    let what = match action.as_str() {
        "rendre-actif" => format!(
            "Le module <code>{}</code> deviendra le module actif de l'usage « {} ». Il est chargé et vérifié d'abord ; \
             les appels suivants l'utiliseront, les appels en cours se terminent sur l'ancien module.",
            escape(&plugin),
            slot_fr(world)
        ),
        "desactiver" => format!(
            "Le module <code>{}</code> ne pourra plus être rendu actif tant qu'il n'est pas réactivé.",
            escape(&plugin)
        ),
        "activer" => format!("Le module <code>{}</code> pourra de nouveau être rendu actif.", escape(&plugin)),
        "revenir" => format!("L'usage « {} » reviendra au module qui l'assurait avant.", slot_fr(world)),
        "arreter" => format!(
            "L'usage « {} » sera arrêté : tout appel du SIRH sera refusé (erreur 503), sans repli sur un autre module, \
             jusqu'à sa remise en service.",
            slot_fr(world)
        ),
        _ => format!("L'usage « {} » sera remis en service avec son module actif.", slot_fr(world)),
    };
    let api = route.replace("{slot}", world.name()).replace("{plugin}", &escape(&plugin));
    let body = format!(
        "<p>{what}</p><p>Cette action est inscrite au journal d'audit sous votre clé (<code>{key}</code>). \
         Équivalent dans l'API : <code>{api}</code>.</p>\
         <form method=\"post\" action=\"/admin/actions\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <input type=\"hidden\" name=\"action\" value=\"{action}\">\
         <input type=\"hidden\" name=\"slot\" value=\"{slot}\">\
         <input type=\"hidden\" name=\"plugin\" value=\"{plugin}\">\
         {justification}\
         <div class=\"actions\"><button type=\"submit\"{danger}>Confirmer : {label}</button>\
         <a class=\"bouton secondaire\" href=\"/admin/modules\">Annuler</a></div></form>",
        key = escape(&s.key_id),
        csrf = s.csrf,
        action = escape(&action),
        slot = world.name(),
        plugin = escape(&plugin),
        danger = if matches!(action.as_str(), "arreter" | "desactiver") { " class=\"danger\"" } else { "" },
        justification = if matches!(action.as_str(), "rendre-actif" | "revenir") && world == World::SkillsMatcher {
            JUSTIFICATION_FIELD
        } else {
            ""
        },
    );
    html_response(StatusCode::OK, page(&format!("Confirmer : {label}"), Some(&s), "", &body))
}

/// A matcher whose bias probe failed is made active only with a written justification, as in the
/// API (`override_justification`); left empty, the gate answers and the page shows why.
const JUSTIFICATION_FIELD: &str =
    "<p><label for=\"justification\">Justification écrite (seulement si le test de biais \
    du module a échoué ; inscrite au journal d'audit)</label><br><textarea id=\"justification\" name=\"justification\" \
    rows=\"3\" cols=\"60\"></textarea></p>";

#[derive(Deserialize)]
pub struct ActionForm {
    csrf: Option<String>,
    justification: Option<String>,
    action: Option<String>,
    slot: Option<String>,
    plugin: Option<String>,
}

pub async fn action(State(state): State<Shared>, headers: HeaderMap, Form(f): Form<ActionForm>) -> Response {
    let s = match post_session(&state, &headers, f.csrf.as_deref(), true).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = s.caller();
    let (action, slot, plugin) =
        (f.action.unwrap_or_default(), f.slot.unwrap_or_default(), f.plugin.unwrap_or_default());
    let done = match action.as_str() {
        "activer" => admin::set_flag(state.clone(), caller, plugin, true).await.map(drop),
        "desactiver" => admin::set_flag(state.clone(), caller, plugin, false).await.map(drop),
        "rendre-actif" => match admin::slot_world(&slot) {
            Ok(world) => {
                let justification = f.justification.as_deref().map(str::trim).filter(|j| !j.is_empty());
                admin::activate(&state, &caller, world, &plugin, "admin.slot.activate", justification).await.map(drop)
            }
            Err(e) => Err(e),
        },
        "revenir" => {
            let justification = f.justification.as_deref().map(str::trim).filter(|j| !j.is_empty());
            admin::rollback_slot(&state, &caller, &slot, justification).await.map(drop)
        }
        "arreter" => admin::set_stopped(&state, &caller, &slot, true).await.map(drop),
        "relancer" => admin::set_stopped(&state, &caller, &slot, false).await.map(drop),
        _ => Err(ApiError::invalid("action", "action inconnue")),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/admin/modules?fait={action}")).into_response(),
        Err(e) => api_error(e, &s),
    }
}

/// Upload: the bundle goes through the API's install function (checks, signature, compilation).
pub async fn install(State(state): State<Shared>, headers: HeaderMap, mut form: Multipart) -> Response {
    let (mut csrf, mut confirmed, mut bundle) = (None, false, None);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                let bytes = match field.bytes().await {
                    Ok(b) => b,
                    Err(e) => return error_page(e.status(), None, &format!("Le formulaire n'a pas pu être lu : {e}")),
                };
                match name.as_str() {
                    "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
                    "confirmation" => confirmed = &bytes[..] == b"oui",
                    "paquet" => bundle = Some(bytes),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) => return error_page(e.status(), None, &format!("Le formulaire n'a pas pu être lu : {e}")),
        }
    }
    let s = match post_session(&state, &headers, csrf.as_deref(), true).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !confirmed {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&s),
            "Cochez la case de confirmation pour installer le module.",
        );
    }
    match admin::install_bundle(&state, &s.caller(), bundle.as_deref().unwrap_or_default()).await {
        Ok(_) => Redirect::to("/admin/modules?fait=installer").into_response(),
        Err(e) => api_error(e, &s),
    }
}

/// The alert of the continuous bias probe: shown while the latest background run on the active
/// matcher failed a signal (see `server::continuous_probe`).
async fn continuous_probe_alert(
    state: &Shared,
    slots: &[(World, crate::server::slots::SlotState)],
) -> Result<String, ApiError> {
    let Some(active) = slots.iter().find(|(w, _)| *w == World::SkillsMatcher).and_then(|(_, s)| s.active.clone())
    else {
        return Ok(String::new());
    };
    let digest = &active.entry.bundle.digest;
    let Some((at, payload)) = store::activity::latest_continuous_probe(state.store.pool(), digest).await? else {
        return Ok(String::new());
    };
    let p: serde_json::Value = serde_json::from_str(&payload).unwrap_or_default();
    if p["passed"] != false {
        return Ok(String::new());
    }
    let signals: Vec<String> = p["failed_signals"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str()).map(|s| format!("<code>{}</code>", escape(s))).collect())
        .unwrap_or_default();
    Ok(format!(
        "<div class=\"erreur\" role=\"alert\"><p><strong>Alerte de la sonde de biais continue</strong> : \
         le module actif <code>{}</code> a montré un écart systématique ({}) lors d'un contrôle \
         en arrière-plan le {}. Ses classements restent des suggestions ; examinez le journal \
         (<code>probe.alert</code>) et envisagez de revenir au module précédent ou de l'arrêter.</p></div>",
        escape(p["plugin"].as_str().unwrap_or("?")),
        signals.join(", "),
        {
            let (y, m, d) = crate::server::routes::civil_from_days(at.div_euclid(86_400_000));
            format!("{d:02}/{m:02}/{y}")
        },
    ))
}
