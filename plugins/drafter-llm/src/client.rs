//! A blocking JSON POST over `wasi:http/outgoing-handler` (wasi 0.2).

use wasip2::http::outgoing_handler;
use wasip2::http::types::{ErrorCode, Fields, IncomingBody, Method, OutgoingBody, OutgoingRequest, Scheme};
use wasip2::io::streams::StreamError;

/// Largest answer this plugin reads (the host caps it too).
pub const MAX_BODY: usize = 4 << 20;

pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

fn split(url: &str) -> Result<(Scheme, String, String), String> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("adresse invalide : {url}"))?;
    let scheme = match scheme {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => return Err(format!("schéma non pris en charge : {other}")),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Ok((scheme, authority.to_owned(), path.to_owned()))
}

/// What a recruiter's SIRH shows when the model's endpoint failed, in French.
fn call_failure(e: &ErrorCode) -> String {
    let what = match e {
        ErrorCode::ConnectionReadTimeout | ErrorCode::ConnectionTimeout | ErrorCode::ConnectionWriteTimeout => {
            "le service de génération n'a pas répondu dans le délai imparti".to_owned()
        }
        ErrorCode::ConnectionRefused | ErrorCode::DestinationUnavailable => {
            "le service de génération est injoignable (connexion refusée)".to_owned()
        }
        ErrorCode::ConnectionTerminated | ErrorCode::HttpProtocolError => {
            "le service de génération a coupé la connexion sans répondre".to_owned()
        }
        ErrorCode::HttpRequestDenied => "l'hôte a refusé l'appel (adresse non autorisée)".to_owned(),
        other => format!("{other:?}"),
    };
    format!("appel au service échoué : {what}")
}

pub fn post_json(url: &str, body: &[u8]) -> Result<Response, String> {
    let (scheme, authority, path) = split(url)?;
    let headers = Fields::from_list(&[
        ("content-type".to_owned(), b"application/json".to_vec()),
        ("accept".to_owned(), b"application/json".to_vec()),
    ])
    .map_err(|e| format!("en-têtes refusés : {e:?}"))?;
    let request = OutgoingRequest::new(headers);
    request.set_method(&Method::Post).map_err(|()| "méthode refusée".to_owned())?;
    request.set_scheme(Some(&scheme)).map_err(|()| "schéma refusé".to_owned())?;
    request.set_authority(Some(&authority)).map_err(|()| format!("hôte refusé : {authority}"))?;
    request.set_path_with_query(Some(&path)).map_err(|()| format!("chemin refusé : {path}"))?;
    let outgoing = request.body().map_err(|()| "corps de requête indisponible".to_owned())?;
    let future = outgoing_handler::handle(request, None).map_err(|e| format!("requête refusée par l'hôte : {e:?}"))?;
    {
        let stream = outgoing.write().map_err(|()| "flux d'envoi indisponible".to_owned())?;
        for chunk in body.chunks(4096) {
            stream.blocking_write_and_flush(chunk).map_err(|e| format!("envoi interrompu : {e:?}"))?;
        }
    }
    OutgoingBody::finish(outgoing, None).map_err(|e| format!("envoi interrompu : {e:?}"))?;
    future.subscribe().block();
    let response = future
        .get()
        .ok_or_else(|| "réponse absente".to_owned())?
        .map_err(|()| "réponse déjà lue".to_owned())?
        .map_err(|e| call_failure(&e))?;
    let status = response.status();
    let incoming = response.consume().map_err(|()| "corps de réponse indisponible".to_owned())?;
    let stream = incoming.stream().map_err(|()| "flux de réponse indisponible".to_owned())?;
    let mut out = Vec::new();
    loop {
        match stream.blocking_read(64 * 1024) {
            Ok(chunk) => {
                out.extend_from_slice(&chunk);
                if out.len() > MAX_BODY {
                    return Err(format!("réponse trop volumineuse (plus de {MAX_BODY} octets)"));
                }
            }
            Err(StreamError::Closed) => break,
            Err(StreamError::LastOperationFailed(e)) => {
                return Err(format!("réception interrompue : {}", e.to_debug_string()));
            }
        }
    }
    drop(stream);
    let _ = IncomingBody::finish(incoming);
    Ok(Response { status, body: out })
}
