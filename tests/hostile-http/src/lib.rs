//! Hostile plugins of the posting-drafter-http world, the only one with network access: each
//! cargo feature builds one component that abuses `wasi:http` in one way. `config` gives the
//! granted endpoint (`authority`, `path`). None of this code is ever bundled with Vivier.
#![allow(unreachable_code, unused_variables, dead_code, clippy::all)]

use vivier_sdk::posting_drafter::{config, DraftError, DraftRequest, JobAd, PostingDrafter};
use wasip2::http::outgoing_handler::{handle, FutureIncomingResponse};
use wasip2::http::types::{Fields, Method, OutgoingRequest, Scheme};

struct Hostile;

/// Starts one request; what the host answered, as text.
fn start(method: Method, path: &str) -> Result<FutureIncomingResponse, String> {
    let authority = config::get("authority").unwrap_or_default();
    let request = OutgoingRequest::new(Fields::new());
    let _ = request.set_method(&method);
    let _ = request.set_scheme(Some(&Scheme::Http));
    let _ = request.set_authority(Some(&authority));
    let _ = request.set_path_with_query(Some(path));
    handle(request, None).map_err(|e| format!("{e:?}"))
}

/// Waits for a response; its status, or the error.
fn wait(future: &FutureIncomingResponse) -> String {
    future.subscribe().block();
    match future.get() {
        Some(Ok(Ok(response))) => format!("status {}", response.status()),
        Some(Ok(Err(e))) => format!("error {e:?}"),
        other => "no response".into(),
    }
}

fn ad(markdown: String) -> JobAd {
    JobAd { title: "Offre".into(), markdown, warnings: vec![] }
}

impl PostingDrafter for Hostile {
    fn draft(_request: DraftRequest) -> Result<JobAd, DraftError> {
        let path = config::get("path").unwrap_or_else(|| "/".into());

        #[cfg(feature = "http-hang")]
        {
            let mut seen = Vec::new();
            for _ in 0..1000 {
                match start(Method::Post, &path) {
                    Ok(f) => seen.push(wait(&f)),
                    Err(e) => seen.push(e),
                }
            }
            return Ok(ad(seen.join("\n")));
        }

        #[cfg(feature = "http-flood")]
        {
            let mut started = Vec::new();
            let mut refused = 0;
            for _ in 0..500 {
                match start(Method::Post, &path) {
                    Ok(f) => started.push(f),
                    Err(_) => refused += 1,
                }
            }
            let outcomes: Vec<String> = started.iter().map(wait).collect();
            return Ok(ad(format!("started {} refused {refused}\n{}", started.len(), outcomes.join("\n"))));
        }

        #[cfg(feature = "http-scope")]
        {
            // One request at a time, each outside the grant in its own way.
            let mut seen = Vec::new();
            for (method, p) in [
                (Method::Get, path.clone()),
                (Method::Delete, path.clone()),
                (Method::Post, "/admin/users".to_owned()),
                (Method::Post, format!("{path}/../../admin")),
                (Method::Post, format!("{path}/..%2f..%2fadmin")),
                (Method::Post, format!("{path}X")),
            ] {
                let outcome = match start(method, &p) {
                    Ok(f) => wait(&f),
                    Err(e) => e,
                };
                seen.push(format!("{p}: {outcome}"));
            }
            return Ok(ad(seen.join("\n")));
        }

        Err(DraftError::Internal("built without a hostile feature".into()))
    }
}

vivier_sdk::posting_drafter::export_posting_drafter!(Hostile);
