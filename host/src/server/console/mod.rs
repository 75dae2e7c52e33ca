//! The French admin console under `/admin`, and the public register page `/registre`.
//!
//! Server-rendered HTML, no script. Sign-in takes an admin or auditor API key and opens a
//! server-side session; every form carries the session's CSRF token; auditors see every page but
//! no action, and their POSTs are refused here, not only hidden. Each action calls the same
//! function as its `/v1/admin/...` route, so the console cannot do what the API would refuse.

pub mod activity;
pub mod charts;
pub mod journal;
pub mod layout;
pub mod modules;
pub mod registre;
pub mod session;

use crate::audit::Event;
use crate::auth::{self, Role};
use crate::server::error::ApiError;
use crate::server::routes::explanation::escape;
use crate::server::Shared;
use crate::store::{now_ms, sessions};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use layout::{error_page, html_response, page};
use serde::Deserialize;
use serde_json::json;
use session::Session;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/", get(home))
        .route("/admin/connexion", get(signin_page).post(signin))
        .route("/admin/deconnexion", post(signout))
        .route("/admin/modules", get(modules::show))
        .route("/admin/confirmer", get(modules::confirm))
        .route("/admin/actions", post(modules::action))
        .route(
            "/admin/modules/installer",
            post(modules::install)
                .layer(axum::extract::DefaultBodyLimit::max(crate::bundle::MAX_COMPONENT_BYTES as usize + (1 << 20))),
        )
        .route("/admin/journal", get(journal::show))
        .route("/admin/activite", get(activity::show))
        .route("/registre", get(registre::page))
}

/// The session of a page request, or a redirection to the sign-in page.
pub async fn page_session(state: &Shared, headers: &HeaderMap) -> Result<Session, Response> {
    match session::current(state, headers).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(Redirect::to("/admin/connexion").into_response()),
        Err(e) => Err(error_page(StatusCode::SERVICE_UNAVAILABLE, None, &ApiError::from(e).message)),
    }
}

/// The session of a form submission: signed in, with the right CSRF token, and an
/// administrator when the form changes something.
pub async fn post_session(
    state: &Shared,
    headers: &HeaderMap,
    csrf: Option<&str>,
    needs_admin: bool,
) -> Result<Session, Response> {
    let s = match session::current(state, headers).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Err(error_page(StatusCode::UNAUTHORIZED, None, "Session absente ou expirée : reconnectez-vous."))
        }
        Err(e) => return Err(error_page(StatusCode::SERVICE_UNAVAILABLE, None, &ApiError::from(e).message)),
    };
    if !s.csrf_ok(csrf) {
        return Err(error_page(
            StatusCode::FORBIDDEN,
            Some(&s),
            "Jeton de sécurité (CSRF) absent ou invalide : rechargez la page et recommencez.",
        ));
    }
    if needs_admin && !s.is_admin() {
        return Err(error_page(
            StatusCode::FORBIDDEN,
            Some(&s),
            "Votre clé est une clé d'auditeur : la console vous est ouverte en lecture seule.",
        ));
    }
    Ok(s)
}

/// An API error shown as a page, with the API's status and message.
pub fn api_error(e: ApiError, s: &Session) -> Response {
    error_page(e.status, Some(s), &e.message)
}

async fn home(State(state): State<Shared>, headers: HeaderMap) -> Response {
    match page_session(&state, &headers).await {
        Ok(_) => Redirect::to("/admin/modules").into_response(),
        Err(r) => r,
    }
}

fn signin_html(csrf: &str, error: Option<&str>) -> String {
    let error =
        error.map(|e| format!("<div class=\"erreur\" role=\"alert\"><p>{}</p></div>", escape(e))).unwrap_or_default();
    let body = format!(
        "{error}<p>Connectez-vous avec une clé d'API <strong>administrateur</strong> (gestion des modules) ou \
         <strong>auditeur</strong> (consultation seule). Une clé se crée sur le serveur avec \
         <code>vivier keys create --role admin</code>.</p>\
         <form method=\"post\" action=\"/admin/connexion\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <p><label for=\"cle\">Clé d'API</label><br>\
         <input id=\"cle\" name=\"cle\" type=\"password\" autocomplete=\"off\" size=\"50\" required></p>\
         <p><button type=\"submit\">Se connecter</button></p></form>\
         <p><a href=\"/registre\">Registre public des algorithmes</a> · <a href=\"/docs\">Documentation de l'API</a></p>"
    );
    page("Connexion", None, "/admin/connexion", &body)
}

async fn signin_page(State(state): State<Shared>) -> Response {
    let token = session::random_token();
    let mut r = html_response(StatusCode::OK, signin_html(&token, None));
    let c = session::set_cookie(session::LOGIN_COOKIE, &token, 3600, state.config.console_secure_cookie);
    r.headers_mut().append(header::SET_COOKIE, c.parse().expect("cookie is ASCII"));
    r
}

#[derive(Deserialize)]
pub struct SigninForm {
    csrf: Option<String>,
    cle: Option<String>,
}

async fn signin(State(state): State<Shared>, headers: HeaderMap, Form(f): Form<SigninForm>) -> Response {
    let expected = session::cookie(&headers, session::LOGIN_COOKIE);
    let csrf_ok =
        matches!((&expected, &f.csrf), (Some(e), Some(s)) if session::constant_eq(e.as_bytes(), s.as_bytes()));
    // A fresh double-submit token for the form shown again.
    let retry = |status: StatusCode, message: &str| {
        let token = session::random_token();
        let mut r = html_response(status, signin_html(&token, Some(message)));
        let c = session::set_cookie(session::LOGIN_COOKIE, &token, 3600, state.config.console_secure_cookie);
        r.headers_mut().append(header::SET_COOKIE, c.parse().expect("cookie is ASCII"));
        r
    };
    if !csrf_ok {
        return retry(StatusCode::FORBIDDEN, "Jeton de sécurité (CSRF) absent ou invalide : recommencez.");
    }
    let key = f.cle.unwrap_or_default();
    let caller = match auth::authenticate(state.store.pool(), key.trim()).await {
        Ok(Some(c)) => c,
        Ok(None) => return retry(StatusCode::UNAUTHORIZED, "Clé inconnue ou révoquée."),
        Err(e) => return error_page(StatusCode::SERVICE_UNAVAILABLE, None, &ApiError::from(e).message),
    };
    if !matches!(caller.role, Role::Admin | Role::Auditor) {
        return retry(StatusCode::FORBIDDEN, "Seules les clés administrateur et auditeur ouvrent la console.");
    }
    let token = session::random_token();
    let now = now_ms();
    let opened = async {
        sessions::insert(
            state.store.pool(),
            &auth::hash_key(&token),
            &caller.key_id,
            caller.role,
            now,
            now + session::TTL_MS,
        )
        .await?;
        state.audit.record(Event::new("console.signin", &caller.key_id, json!({ "role": caller.role }))).await
    };
    if let Err(e) = opened.await {
        return error_page(StatusCode::SERVICE_UNAVAILABLE, None, &ApiError::from(e).message);
    }
    let mut r = Redirect::to("/admin/modules").into_response();
    let secure = state.config.console_secure_cookie;
    let h = r.headers_mut();
    h.append(
        header::SET_COOKIE,
        session::set_cookie(session::COOKIE, &token, session::TTL_MS / 1000, secure).parse().expect("ASCII"),
    );
    h.append(header::SET_COOKIE, session::set_cookie(session::LOGIN_COOKIE, "x", 0, secure).parse().expect("ASCII"));
    r
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

async fn signout(State(state): State<Shared>, headers: HeaderMap, Form(f): Form<CsrfForm>) -> Response {
    let s = match post_session(&state, &headers, f.csrf.as_deref(), false).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let closed = async {
        sessions::delete(state.store.pool(), &s.token_hash).await?;
        state.audit.record(Event::new("console.signout", &s.key_id, json!({}))).await
    };
    if let Err(e) = closed.await {
        return api_error(ApiError::from(e), &s);
    }
    let mut r = Redirect::to("/admin/connexion").into_response();
    let c = session::set_cookie(session::COOKIE, "x", 0, state.config.console_secure_cookie);
    r.headers_mut().append(header::SET_COOKIE, c.parse().expect("ASCII"));
    r
}
