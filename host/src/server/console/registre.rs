//! `/registre`: the public register of algorithms as a page, no sign-in (CRPA L312-1-3).

use super::layout::{html_response, CSS};
use crate::register::{self, Register};
use crate::server::routes::explanation::escape;
use crate::server::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use std::fmt::Write;

pub fn html(r: &Register) -> String {
    let mut b = String::new();
    let _ = write!(b, "<p>{}</p>", escape(&r.principle));
    for p in &r.processings {
        let _ = write!(
            b,
            "<section class=\"module\" aria-labelledby=\"r-{slot}\"><h2 id=\"r-{slot}\">{name}</h2><p>{purpose}</p>\
             <dl><dt>État</dt><dd>{status}</dd>",
            slot = escape(&p.slot),
            name = escape(&p.name),
            purpose = escape(&p.purpose),
            status = escape(&p.status),
        );
        if let Some(m) = &p.module {
            let _ = write!(
                b,
                "<dt>Module</dt><dd>{} (<code>{}</code>), version {}</dd><dt>Éditeur</dt><dd>{}</dd>\
                 <dt>Fournisseur</dt><dd>{} — {}</dd><dt>Empreinte SHA-256</dt><dd><code>{}</code></dd>\
                 <dt>Signature</dt><dd>{}</dd>",
                escape(&m.name),
                escape(&m.id),
                escape(&m.version),
                escape(&m.vendor),
                escape(&m.provider),
                escape(&m.contact),
                escape(&m.digest),
                escape(&m.signature),
            );
        }
        b.push_str("</dl><h3>Principaux paramètres</h3><ul>");
        for param in &p.main_parameters {
            let _ = write!(b, "<li>{}</li>", escape(param));
        }
        b.push_str("</ul>");
        if let Some(m) = &p.module {
            let _ = write!(
                b,
                "<h3>Finalité prévue et contrôle humain</h3><p>{}</p><p>{}</p>",
                escape(&m.intended_purpose),
                escape(&m.human_oversight)
            );
            if !m.limitations.is_empty() {
                b.push_str("<h3>Limites connues</h3><ul>");
                for l in &m.limitations {
                    let _ = write!(b, "<li>{}</li>", escape(l));
                }
                b.push_str("</ul>");
            }
            if !m.accuracy.is_empty() {
                b.push_str("<h3>Performances mesurées</h3><ul>");
                for a in &m.accuracy {
                    let _ = write!(b, "<li>{} : {} ({})</li>", escape(&a.metric), escape(&a.value), escape(&a.dataset));
                }
                b.push_str("</ul>");
            }
        }
        b.push_str("</section>");
    }
    let _ = write!(
        b,
        "<h2>Mention explicite pour les courriers de décision</h2><blockquote><p>{}</p></blockquote>\
         <p>Versions réutilisables : <a href=\"/v1/reports/register\">JSON</a> · \
         <a href=\"/v1/reports/register?format=markdown\">Markdown</a>.</p>",
        escape(&r.mention_explicite)
    );
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><style>{CSS}</style></head>\
         <body><a class=\"evitement\" href=\"#contenu\">Aller au contenu</a>\
         <header><p><strong>Vivier</strong> — informations publiques</p></header>\
         <main id=\"contenu\" tabindex=\"-1\"><h1>{t}</h1>{b}</main></body></html>",
        t = escape(&r.title)
    )
}

/// The register of the running server; reading the installed bundles is file work, done off
/// the async threads.
pub async fn current(state: &Shared) -> Register {
    let st = state.clone();
    tokio::task::spawn_blocking(move || register::from_server(&st)).await.unwrap_or_else(|_| register::build(&[], &[]))
}

pub async fn page(State(state): State<Shared>) -> Response {
    html_response(StatusCode::OK, html(&current(&state).await))
}
