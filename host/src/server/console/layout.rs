//! The console's page shell: one hand-written style sheet, a skip link, a navigation landmark
//! and French text. Colours were picked for WCAG 2.1 AA contrast on white (≥ 4.5:1).

use super::session::Session;
use crate::server::routes::explanation::escape;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

pub const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1e1e1e;background:#fff;line-height:1.5}
a{color:#000091}
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #0a76f6;outline-offset:2px}
.evitement{position:absolute;left:-999em}
.evitement:focus{left:1em;top:1em;background:#fff;padding:.5em;z-index:10}
header{background:#000091;color:#fff;padding:.75em 1.5em;display:flex;flex-wrap:wrap;gap:1em;align-items:center;justify-content:space-between}
header a{color:#fff}
header p{margin:0}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1.25em}
nav a[aria-current="page"]{font-weight:bold;text-decoration-thickness:3px}
main{max-width:72em;margin:0 auto;padding:1em 1.5em 3em}
table{border-collapse:collapse;width:100%;margin:1em 0}
caption{text-align:left;font-weight:bold;padding:.25em 0}
th,td{border:1px solid #929292;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#eeeef8}
code{font-size:.9em;word-break:break-all}
.bouton,button{display:inline-block;background:#000091;color:#fff;border:0;padding:.45em .9em;font:inherit;cursor:pointer;text-decoration:none;border-radius:2px}
.bouton.danger,button.danger{background:#b60000}
.bouton.secondaire{background:#fff;color:#000091;border:1px solid #000091}
.actions{display:flex;flex-wrap:wrap;gap:.5em;margin:.5em 0}
.statut-ok{color:#18753c;font-weight:bold}
.statut-ko{color:#b60000;font-weight:bold}
.note{background:#eeeef8;border-left:4px solid #000091;padding:.5em 1em}
.erreur{background:#ffe9e9;border-left:4px solid #b60000;padding:.5em 1em}
.succes{background:#e6feda;border-left:4px solid #18753c;padding:.5em 1em}
form.filtres{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-end}
form.filtres div{display:flex;flex-direction:column}
label{font-weight:600}
input,select{font:inherit;padding:.3em;border:1px solid #3a3a3a}
section.module{border:1px solid #929292;padding:0 1em 1em;margin:1em 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1em}
dt{font-weight:600}
dd{margin:0}
svg text{font-size:11px;fill:#1e1e1e}
"#;

/// Pages carry no script and are never framed: the CSP says so to the browser.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn html_response(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        html,
    )
        .into_response()
}

/// A whole page. `current` is the path of the navigation entry to mark as the current page.
pub fn page(title: &str, session: Option<&Session>, current: &str, body: &str) -> String {
    let nav_item = |href: &str, label: &str| {
        let aria = if href == current { " aria-current=\"page\"" } else { "" };
        format!("<li><a href=\"{href}\"{aria}>{label}</a></li>")
    };
    let (nav, who) = match session {
        Some(s) => (
            format!(
                "<nav aria-label=\"Navigation principale\"><ul>{}{}{}{}</ul></nav>",
                nav_item("/admin/modules", "Modules"),
                nav_item("/admin/journal", "Journal"),
                nav_item("/admin/activite", "Activité"),
                nav_item("/registre", "Registre des algorithmes"),
            ),
            format!(
                "<p>Connecté : {role} (<code>{key}</code>)</p>\
                 <form method=\"post\" action=\"/admin/deconnexion\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                 <button type=\"submit\" class=\"bouton secondaire\">Se déconnecter</button></form>",
                role = s.role_fr(),
                key = escape(&s.key_id),
                csrf = s.csrf,
            ),
        ),
        None => (
            format!("<nav aria-label=\"Navigation principale\"><ul>{}{}</ul></nav>", nav_item("/admin/connexion", "Connexion"), nav_item("/registre", "Registre des algorithmes")),
            String::new(),
        ),
    };
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — Vivier</title><style>{CSS}</style></head><body>\
         <a class=\"evitement\" href=\"#contenu\">Aller au contenu</a>\
         <header><p><strong>Vivier</strong> — console d'administration</p>{nav}{who}</header>\
         <main id=\"contenu\" tabindex=\"-1\"><h1>{title}</h1>{body}</main></body></html>",
        title = escape(title),
    )
}

/// An error page: the API's message, in the page, with the API's status.
pub fn error_page(status: StatusCode, session: Option<&Session>, message: &str) -> Response {
    let body = format!(
        "<div class=\"erreur\" role=\"alert\"><p>{}</p></div><p><a href=\"/admin/modules\">Retour aux modules</a></p>",
        escape(message)
    );
    html_response(status, page("Action refusée", session, "", &body))
}
