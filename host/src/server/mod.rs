//! `vivier serve`: the SIRH HTTP API (axum on tokio) over the sandboxed runtime.
//!
//! Plugin calls are synchronous wasmtime calls: they run on tokio's blocking pool, at most
//! `max_concurrent_calls` at once, with a bounded queue before them (see [`admission`]). Every call and every change is written to the hash-chained
//! audit log in the same transaction as the data it produced; if that write fails, so does the
//! request.

pub mod admission;
pub mod config;
pub mod connections;
pub mod console;
pub mod continuous_probe;
pub mod error;
pub mod idempotency;
pub mod linger;
pub mod metrics;
pub mod openapi;
pub mod rate_limit;
pub mod replica;
pub mod request_id;
pub mod routes;
pub mod shadow;
pub mod slots;
pub mod webhooks;

use crate::audit::{Audit, Event};
use crate::auth::{self, Caller, Role};
use crate::bundle::parse_verifying_key;
use crate::registry::{PluginEntry, Registry, Source};
use crate::runtime::{CallReport, Invocation, LoadedPlugin, Runtime, RuntimeConfig};
use crate::store::slots::SlotRow;
use crate::store::{self, now_ms, Store};
use crate::world::World;
use anyhow::{Context, Result};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use config::ServerConfig;
use error::{ApiError, ApiResult};
use metrics::Metrics;
use serde_json::json;
use slots::{Active, FailurePolicy, SlotState, Slots};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct AppState {
    pub config: ServerConfig,
    pub data_dir: PathBuf,
    pub store: Store,
    pub audit: Audit,
    pub registry: Registry,
    pub runtime: Arc<Runtime>,
    pub slots: Slots,
    pub metrics: Metrics,
    /// The bounded queue of plugin calls.
    pub admission: admission::Admission,
    /// Serialises administrators' slot changes.
    pub admin_lock: tokio::sync::Mutex<()>,
    /// Shadow plugins and their bounded run queue.
    pub shadow: shadow::Shadow,
    /// Requests counted per API key.
    pub rate_limiter: rate_limit::RateLimiter,
}

pub type Shared = Arc<AppState>;

/// Audit payload of a plugin call: digests, resources and outcome, no content.
pub fn call_payload(trace_id: &str, report: &CallReport) -> serde_json::Value {
    json!({
        "trace_id": trace_id,
        "slot": report.plugin.world.name(),
        "plugin": { "id": report.plugin.id, "version": report.plugin.version, "digest": report.plugin.digest },
        "input_digest": report.input_digest,
        "output_digest": report.output_digest,
        "output_bytes": report.output_bytes,
        "started_at_ms": report.started_at_ms,
        "wall_us": report.wall_us,
        "cpu_us": report.cpu_us,
        "inference_us": report.inference_us,
        "models": report.models,
        "peak_memory_bytes": report.peak_memory_bytes,
        "outcome": report.outcome,
        "sanitised": report.sanitised.len(),
        "log_entries": report.log.len() as u64 + report.log_dropped,
    })
}

impl AppState {
    /// Runs a plugin call of `world` on the blocking pool with the slot's current plugin.
    pub async fn call<T, F>(&self, world: World, f: F) -> ApiResult<(Arc<Active>, Vec<Invocation<T>>)>
    where
        T: Send + 'static,
        F: Fn(&Runtime, &LoadedPlugin) -> Invocation<T> + Send + Sync + 'static,
    {
        let (active, policy) = self.slots.for_call(world)?;
        let _turn = self.admission.turn(world, active.plugin.limits.timeout).await?;
        let f = Arc::new(f);
        let mut attempts = Vec::new();
        loop {
            let (rt, plugin, f) = (self.runtime.clone(), active.plugin.clone(), f.clone());
            let inv = tokio::task::spawn_blocking(move || f(&rt, &plugin)).await.map_err(ApiError::internal)?;
            self.metrics.record_call(&inv.report);
            let failed = inv.result.is_err();
            attempts.push(inv);
            if !(failed && policy == FailurePolicy::RetryOnce && attempts.len() < 2) {
                break;
            }
        }
        Ok((active, attempts))
    }

    /// Records failed attempts in the audit log, so that a failure leaves a trace too.
    pub async fn audit_failures<T>(
        &self,
        caller: &Caller,
        attempts: &[Invocation<T>],
        trace_id: &str,
    ) -> ApiResult<()> {
        let failed: Vec<_> = attempts.iter().filter(|i| i.result.is_err()).collect();
        if failed.is_empty() {
            return Ok(());
        }
        let mut tx = self.audit.begin().await?;
        for inv in failed {
            tx.append(Event::new("plugin.call", &caller.key_id, call_payload(trace_id, &inv.report))).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Loads a plugin, with its administrator's grants, on the blocking pool.
    pub async fn load(&self, entry: PluginEntry) -> Result<Active, crate::registry::RegistryError> {
        let (rt, data_dir) = (self.runtime.clone(), self.data_dir.clone());
        tokio::task::spawn_blocking(move || {
            let plugin = entry.load_granted(&rt, &data_dir)?;
            Ok(Active { entry, plugin: Arc::new(plugin) })
        })
        .await
        .unwrap_or_else(|e| Err(crate::registry::RegistryError::NotFound(format!("loading failed: {e}"))))
    }
}

/// Opens the store, the registry and the runtime; sets up every slot (first start: the bundled
/// reference plugins become the enabled, active ones).
pub async fn build_state(data_dir: &Path, config: ServerConfig, extra_trusted: &[String]) -> Result<Shared> {
    build_state_with(data_dir, config, extra_trusted, None).await
}

/// [`build_state`] over the database named by `database` (a `postgres://` URL), else the SQLite
/// file of the data directory.
pub async fn build_state_with(
    data_dir: &Path,
    config: ServerConfig,
    extra_trusted: &[String],
    database: Option<&str>,
) -> Result<Shared> {
    let store = Store::connect(data_dir, database).await.with_context(|| match database {
        Some(url) => format!("cannot open the database {}", store::redact_url(url)),
        None => format!("cannot open the database in {}", data_dir.display()),
    })?;
    let audit = Audit::new(store.clone());
    let trusted = config
        .trusted_keys
        .iter()
        .chain(extra_trusted)
        .filter(|k| !k.trim().is_empty())
        .map(|k| parse_verifying_key(k).with_context(|| format!("trusted key `{k}`")))
        .collect::<Result<Vec<_>>>()?;
    let registry = Registry::new(data_dir, trusted);
    let rt_config = RuntimeConfig {
        cache_dir: Some(data_dir.join("cache")),
        // Calls, plus loads (each instantiates once to type-check) running beside them.
        max_concurrent_calls: (config.max_concurrent_calls + 8) as u32,
        ..Default::default()
    };
    let runtime = Arc::new(Runtime::new(rt_config)?.with_inference(crate::models::host_backend_in(data_dir)));
    let shadow = shadow::Shadow::start(store.clone(), runtime.clone());
    let state = Arc::new(AppState {
        admission: admission::Admission::new(
            config.max_concurrent_calls,
            config.max_queued_calls,
            std::time::Duration::from_millis(config.queue_timeout_ms),
        ),
        config,
        data_dir: data_dir.to_owned(),
        store,
        audit,
        registry,
        runtime,
        slots: Slots::default(),
        metrics: Metrics::default(),
        admin_lock: tokio::sync::Mutex::new(()),
        shadow,
        rate_limiter: rate_limit::RateLimiter::default(),
    });
    share_bundles(&state).await?;
    init_slots(&state).await?;
    routes::shadow::init(&state).await?;
    Ok(state)
}

/// Puts the bundles installed in this data directory into the database (those installed before
/// it held bundles, or with `vivier plugin install`), then writes locally the ones other
/// replicas installed: after this, every replica can load every installed plugin.
async fn share_bundles(state: &Shared) -> Result<()> {
    let registry = state.registry.clone();
    let local = tokio::task::spawn_blocking(move || registry.list()).await??;
    let known: Vec<String> =
        store::bundles::list(state.store.pool()).await?.into_iter().map(|r| r.plugin_ref).collect();
    let missing: Vec<_> = local
        .iter()
        .filter(|e| matches!(e.source, Source::Installed(_)))
        .filter(|e| !known.contains(&format!("{}@{}", e.id(), e.version())))
        .collect();
    if !missing.is_empty() {
        let mut tx = state.store.begin_write().await?;
        for entry in missing {
            store::bundles::save(&mut tx, &entry.bundle).await?;
        }
        tx.commit().await?;
    }
    store::bundles::materialise(state.store.pool(), &state.data_dir).await?;
    Ok(())
}

async fn init_slots(state: &Shared) -> Result<()> {
    let saved = store::slots::all(state.store.pool()).await?;
    let mut first_start = Vec::new();
    for world in World::ALL {
        let row = match saved.iter().find(|r| r.world == world.name()) {
            Some(row) => row.clone(),
            None => {
                // First start: the plugin the registry names (active.toml, else the bundled one).
                let entry = state.registry.active(world)?;
                let row = SlotRow {
                    world: world.name().into(),
                    active: format!("{}@{}", entry.id(), entry.version()),
                    previous: None,
                    pinned: false,
                    stopped: false,
                    failure_policy: FailurePolicy::FailClosed.as_str().into(),
                    updated_at: now_ms(),
                };
                first_start.push((row.clone(), entry.source == Source::Builtin));
                row
            }
        };
        let loaded = match state.registry.find(&row.active) {
            Ok(entry) => state.load(entry).await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let (active, load_error) = match loaded {
            Ok(a) => (Some(Arc::new(a)), None),
            Err(e) => {
                tracing::error!(slot = %world, plugin = %row.active, error = %e, "the slot's plugin cannot be loaded; its calls will fail");
                (None, Some(e))
            }
        };
        state.slots.set(world, SlotState { active, row, load_error });
    }
    if !first_start.is_empty() {
        let mut tx = state.audit.begin().await?;
        for (row, builtin) in &first_start {
            store::slots::save(tx.conn(), row).await?;
            store::slots::set_enabled(tx.conn(), &row.active, true, now_ms()).await?;
            tx.append(Event::new(
                "admin.plugin.enable",
                "system",
                json!({ "slot": row.world, "plugin": row.active, "builtin": builtin, "reason": "first start" }),
            ))
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Installs, in the background, the models that installed plugins declare (the bundled semantic
/// matcher needs `multilingual-e5-small`), so that an administrator can switch to such a plugin
/// without a manual step. The server answers meanwhile; a plugin needing a model still missing is
/// refused at activation with the `vivier models install` command to run. `VIVIER_MODEL_INSTALL=off`
/// disables this (air-gapped hosts, where the model store is filled by hand).
fn spawn_model_install(state: &Shared) {
    if std::env::var("VIVIER_MODEL_INSTALL").is_ok_and(|v| v == "off" || v == "0") {
        return;
    }
    let mut models: Vec<String> = match state.registry.list() {
        Ok(entries) => entries.iter().flat_map(|e| e.bundle.manifest.capabilities.models.clone()).collect(),
        Err(_) => return,
    };
    models.sort();
    models.dedup();
    if models.is_empty() {
        return;
    }
    std::thread::spawn(move || {
        let store = crate::models::ModelStore::from_env();
        for id in models {
            if let Err(e) = crate::models::install::ensure(&store, &id) {
                tracing::warn!(model = %id, error = %e, "model not installed; plugins that need it cannot be activated");
            }
        }
    });
}

/// Requires a valid key whose role is one of `roles`; puts the [`Caller`] in the request.
async fn require(state: Shared, roles: &'static [Role], mut req: Request, next: Next) -> Response {
    // Two credentials in one request are ambiguous: which one acts? Refused, never guessed.
    if req.headers().get_all(header::AUTHORIZATION).iter().count() > 1 {
        return unauthorized("send exactly one `Authorization: Bearer KEY` header");
    }
    let key = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|k| k.trim().to_owned());
    let Some(key) = key else {
        return unauthorized("send an API key as `Authorization: Bearer KEY`");
    };
    match auth::authenticate(state.store.pool(), &key).await {
        Ok(Some(caller)) if roles.contains(&caller.role) => {
            let now = (now_ms() / 1000) as u64;
            match state.rate_limiter.check(&caller.key_id, state.config.rate_limit_per_minute, now) {
                Err(quota) => {
                    let mut r = ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate_limited",
                        format!("this key sent {} requests this minute, its quota; retry later", quota.limit),
                    )
                    .with_retry_after(quota.reset_secs)
                    .into_response();
                    quota.write_headers(r.headers_mut());
                    r
                }
                Ok(quota) => {
                    req.extensions_mut().insert(caller);
                    let mut r = next.run(req).await;
                    if let Some(q) = quota {
                        q.write_headers(r.headers_mut());
                    }
                    r
                }
            }
        }
        Ok(Some(caller)) => ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "a {} key cannot use this route (it needs {})",
                caller.role,
                roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" or ")
            ),
        )
        .into_response(),
        Ok(None) => unauthorized("unknown or revoked API key"),
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn unauthorized(message: &str) -> Response {
    let mut r = ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message).into_response();
    r.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    r
}

fn guarded(state: &Shared, roles: &'static [Role], router: Router<Shared>) -> Router<Shared> {
    let s = state.clone();
    router.route_layer(middleware::from_fn(move |req: Request, next: Next| require(s.clone(), roles, req, next)))
}

/// Counts responses, and turns the few plain-text rejections axum produces itself (a path or
/// query that does not parse) into the API's JSON error shape.
async fn finish_response(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    state.metrics.record_response(status.as_u16());
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        // The console's pages carry their own French error pages.
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let text = axum::body::to_bytes(response.into_body(), 64 << 10).await.unwrap_or_default();
    let message = String::from_utf8_lossy(&text).trim().to_owned();
    let code = if status == StatusCode::BAD_REQUEST { "bad_request" } else { "error" };
    let message = if message.is_empty() { status.canonical_reason().unwrap_or("error").to_owned() } else { message };
    ApiError::new(status, code, message).into_response()
}

pub fn router(state: Shared) -> Router {
    use routes::*;
    let plugin_calls = plugin_routes().route_layer(middleware::from_fn_with_state(state.clone(), admission::admit));
    // A replayed answer takes no admission turn: idempotency runs before it, after the key check.
    let sirh_calls = sirh_routes()
        .merge(plugin_calls)
        .route_layer(middleware::from_fn_with_state(state.clone(), idempotency::idempotent));
    let sirh = guarded(&state, &[Role::Sirh], sirh_calls);
    let admin =
        guarded(&state, &[Role::Admin], admin::routes().merge(routes::shadow::routes()).merge(webhooks::routes()));
    let audit = guarded(&state, &[Role::Admin, Role::Auditor], audit_routes());
    let reports = guarded(&state, &[Role::Admin, Role::Auditor], reports::routes());
    Router::new()
        .merge(public::routes())
        .merge(console::routes())
        .merge(sirh)
        .merge(admin)
        .merge(audit)
        .merge(reports)
        .fallback(|| async { ApiError::not_found("no such route (see /openapi.json)") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not accept this method",
            )
        })
        .layer(axum::extract::DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), finish_response))
        .layer(middleware::from_fn(linger::linger))
        // Outermost: every answer, errors included, carries the request id.
        .layer(middleware::from_fn(request_id::correlate))
        .with_state(state)
}

/// Waits for Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Runs the server until a shutdown signal; in-flight requests finish, then the database closes.
pub async fn serve(data_dir: &Path, config: ServerConfig, extra_trusted: &[String]) -> Result<()> {
    serve_with(data_dir, config, extra_trusted, None).await
}

/// [`serve`] over the database named by `database` (see [`build_state_with`]); the replica sync
/// loop keeps this process in step with changes made through the others.
pub async fn serve_with(
    data_dir: &Path,
    config: ServerConfig,
    extra_trusted: &[String],
    database: Option<String>,
) -> Result<()> {
    let bind = config.bind;
    let state = build_state_with(data_dir, config, extra_trusted, database.as_deref()).await?;
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    let mut background = replica::spawn(state.clone(), database);
    background.push(routes::retention::spawn(state.clone()));
    background.extend(continuous_probe::spawn(state.clone()));
    background.push(webhooks::spawn(state.clone()));
    spawn_model_install(&state);
    // Scripts and tests read the bound address (port 0 picks a free one) from this line.
    println!("vivier listening on http://{addr}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let c = &state.config;
    let limits = connections::Limits {
        header_read: std::time::Duration::from_millis(c.header_read_timeout_ms),
        body: std::time::Duration::from_millis(c.body_timeout_ms),
        idle: std::time::Duration::from_millis(c.idle_timeout_ms),
        per_peer: c.max_connections_per_peer,
    };
    connections::serve(listener, router(state.clone()), limits, shutdown_signal()).await?;
    // Background jobs end before the store closes, rather than fail against a closed pool.
    for task in &background {
        task.abort();
    }
    for task in background {
        let _ = task.await;
    }
    state.store.close().await;
    Ok(())
}
