//! Routes without a key: health, the public algorithm register, the console's sign-in page,
//! the OpenAPI document and its human-readable page.

use super::explanation::escape;
use crate::server::openapi;
use crate::server::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/register", get(register_html))
        .route("/register.json", get(register_json))
        .route("/admin", get(admin_page))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .route("/docs", get(|| async { Html(openapi::html()) }))
}

async fn healthz(State(state): State<Shared>) -> impl IntoResponse {
    let db = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(state.store.pool()).await.is_ok();
    let slots: serde_json::Map<String, Value> = state
        .slots
        .all()
        .into_iter()
        .map(|(w, s)| {
            let status = if s.row.stopped {
                "stopped"
            } else if s.active.is_some() {
                "ready"
            } else {
                "unavailable"
            };
            (w.name().to_owned(), status.into())
        })
        .collect();
    let status = if db { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        Json(
            json!({ "status": if db { "ok" } else { "database_unavailable" }, "version": env!("CARGO_PKG_VERSION"), "slots": slots }),
        ),
    )
}

fn purpose_fr(slot: &str) -> &'static str {
    match slot {
        "cv-parser" => "Lecture des CV : extraction du parcours (expériences, formations, compétences).",
        "skills-matcher" => "Comparaison des parcours aux critères d'une offre : score indicatif et éléments trouvés, présentés au recruteur.",
        "posting-drafter" => "Aide à la rédaction des offres d'emploi : premier jet relu et signé par un agent.",
        _ => "",
    }
}

/// Public register of the algorithms in use (CRPA L312-1-3), from the live slots.
fn register(state: &Shared) -> Value {
    let entries: Vec<Value> = state
        .slots
        .all()
        .into_iter()
        .map(|(w, s)| {
            let plugin = s.active.as_ref().map(|a| {
                let m = &a.entry.bundle.manifest;
                json!({
                    "id": m.plugin.id, "nom": m.plugin.name, "version": m.plugin.version, "editeur": m.plugin.vendor,
                    "empreinte_sha256": a.entry.bundle.digest, "signature": a.entry.signature,
                    "fournisseur": m.transparency.provider, "contact": m.transparency.contact,
                    "finalite_prevue": m.transparency.intended_purpose, "limites": m.transparency.limitations,
                    "controle_humain": m.transparency.human_oversight, "performances": m.transparency.accuracy,
                })
            });
            json!({ "usage": w.name(), "objet": purpose_fr(w.name()), "en_service": s.active.is_some() && !s.row.stopped, "module": plugin })
        })
        .collect();
    json!({
        "titre": "Registre public des algorithmes d'aide au recrutement",
        "principe": "Ces traitements produisent des suggestions pour les agents chargés du recrutement. Aucune candidature n'est écartée ni retenue automatiquement : un agent décide toujours. Toute personne peut demander comment un algorithme a contribué à une décision la concernant (articles L311-3-1 et R311-3-1-2 du code des relations entre le public et l'administration).",
        "algorithmes": entries,
    })
}

async fn register_json(State(state): State<Shared>) -> Json<Value> {
    Json(register(&state))
}

async fn register_html(State(state): State<Shared>) -> Html<String> {
    let r = register(&state);
    let s = |v: &Value| escape(v.as_str().unwrap_or(""));
    let mut items = String::new();
    for a in r["algorithmes"].as_array().into_iter().flatten() {
        let m = &a["module"];
        let limits: String =
            m["limites"].as_array().into_iter().flatten().map(|l| format!("<li>{}</li>", s(l))).collect();
        let perf: String = m["performances"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| format!("<li>{} : {} ({})</li>", s(&p["metric"]), s(&p["value"]), s(&p["dataset"])))
            .collect();
        items.push_str(&format!(
            "<section><h2>{usage}</h2><p>{objet}</p><p>État : {etat}</p><dl><dt>Module</dt><dd>{nom} (<code>{id}</code>) version {version}, {editeur}</dd>\
             <dt>Empreinte SHA-256</dt><dd><code>{digest}</code></dd><dt>Finalité prévue</dt><dd>{finalite}</dd>\
             <dt>Contrôle humain</dt><dd>{controle}</dd><dt>Contact du fournisseur</dt><dd>{contact}</dd></dl>\
             <h3>Limites connues</h3><ul>{limits}</ul><h3>Performances mesurées</h3><ul>{perf}</ul></section>",
            usage = s(&a["usage"]),
            objet = s(&a["objet"]),
            etat = if a["en_service"] == true { "en service" } else { "suspendu" },
            nom = s(&m["nom"]),
            id = s(&m["id"]),
            version = s(&m["version"]),
            editeur = s(&m["editeur"]),
            digest = s(&m["empreinte_sha256"]),
            finalite = s(&m["finalite_prevue"]),
            controle = s(&m["controle_humain"]),
            contact = s(&m["contact"]),
        ));
    }
    Html(format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}</style></head>\
         <body><h1>{t}</h1><p>{p}</p>{items}<p><a href=\"/register.json\">Version JSON</a></p></body></html>",
        t = s(&r["titre"]),
        p = s(&r["principe"]),
    ))
}

async fn admin_page() -> Html<&'static str> {
    Html(
        r#"<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Vivier — console d'administration</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.5}pre{background:#f4f4f4;padding:1em;overflow:auto}</style></head>
<body><h1>Vivier — console d'administration</h1>
<form id="signin"><label for="key">Clé d'API administrateur</label><br>
<input id="key" type="password" autocomplete="off" size="50" required>
<button type="submit">Se connecter</button></form>
<pre id="out" hidden></pre>
<p><a href="/register">Registre public des algorithmes</a> · <a href="/docs">Documentation de l'API</a></p>
<script>
document.getElementById('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = document.getElementById('key').value;
  const r = await fetch('/v1/admin/slots', { headers: { Authorization: 'Bearer ' + key } });
  const out = document.getElementById('out');
  out.hidden = false;
  out.textContent = r.ok ? JSON.stringify(await r.json(), null, 2) : 'Connexion refusée (' + r.status + ')';
});
</script></body></html>"#,
    )
}
