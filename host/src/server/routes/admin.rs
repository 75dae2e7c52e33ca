//! `/v1/admin/*`: plugins (upload, list, inspect, enable/disable), slots (active plugin with hot
//! swap, pin, rollback, failure policy, stop switch), API keys and the retention job. Every
//! change is audited with the administrator key's id.
//!
//! The admin console (`server::console`) offers a subset of these actions; it calls the same
//! `pub(crate)` functions below, so a page cannot bypass the API's checks.

use crate::audit::Event;
use crate::auth::{self, Caller, Role};
use crate::bundle::MAX_COMPONENT_BYTES;
use crate::probe::gate;
use crate::registry::{PluginEntry, RegistryError, Source};
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::slots::{FailurePolicy, SlotState};
use crate::server::Shared;
use crate::store::{self, keys, new_id, now_ms};
use crate::world::World;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/v1/admin/plugins",
            get(list_plugins).post(upload).layer(DefaultBodyLimit::max(MAX_COMPONENT_BYTES as usize + (1 << 20))),
        )
        .route("/v1/admin/plugins/{spec}", get(inspect))
        .route("/v1/admin/plugins/{spec}/enable", post(enable))
        .route("/v1/admin/plugins/{spec}/disable", post(disable))
        .route("/v1/admin/slots", get(list_slots))
        .route("/v1/admin/slots/{slot}/active", put(set_active))
        .route("/v1/admin/slots/{slot}/rollback", post(rollback))
        .route("/v1/admin/slots/{slot}/pin", post(pin))
        .route("/v1/admin/slots/{slot}/unpin", post(unpin))
        .route("/v1/admin/slots/{slot}/stop", post(stop))
        .route("/v1/admin/slots/{slot}/start", post(start))
        .route("/v1/admin/slots/{slot}/policy", put(set_policy))
        .route("/v1/admin/keys", get(list_keys).post(create_key))
        .route("/v1/admin/keys/{id}", axum::routing::delete(revoke_key))
        .route("/v1/admin/retention/run", post(run_retention))
}

fn registry_error(e: RegistryError, field: &str) -> ApiError {
    match e {
        RegistryError::NotFound(m) => ApiError::not_found(format!("no plugin {m}")).with_field(field),
        RegistryError::VersionConflict { .. } => ApiError::conflict(e.to_string()),
        RegistryError::Bundle(b) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_bundle", b.to_string()),
        RegistryError::Load { .. } | RegistryError::WrongWorld { .. } | RegistryError::Grants(_) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "plugin_refused", e.to_string())
        }
        RegistryError::Io { .. } => ApiError::internal(e),
    }
}

/// `id` or `id@version`: nothing that could be read as a path.
fn check_spec(spec: &str) -> ApiResult<()> {
    let ok = !spec.is_empty()
        && spec.len() <= 130
        && spec.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '@' | '+' | '_'))
        && !spec.contains("..");
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid("plugin", format!("`{spec}` is not a plugin id or id@version")))
    }
}

pub(crate) fn slot_world(slot: &str) -> ApiResult<World> {
    slot.parse()
        .map_err(|_| ApiError::not_found(format!("no slot `{slot}` (cv-parser, skills-matcher, posting-drafter)")))
}

fn spec_of(e: &PluginEntry) -> String {
    format!("{}@{}", e.id(), e.version())
}

async fn find(state: &Shared, spec: &str) -> ApiResult<PluginEntry> {
    check_spec(spec)?;
    let registry = state.registry.clone();
    let s = spec.to_owned();
    let entry = tokio::task::spawn_blocking(move || registry.find(&s))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| registry_error(e, "plugin"))?;
    if matches!(entry.source, Source::File(_)) {
        return Err(ApiError::not_found(format!("no installed plugin `{spec}`")).with_field("plugin"));
    }
    Ok(entry)
}

fn describe(state: &Shared, e: &PluginEntry, disabled: &[String]) -> Value {
    let spec = spec_of(e);
    let active_in: Vec<&str> =
        state.slots.all().into_iter().filter(|(_, s)| s.row.active == spec).map(|(w, _)| w.name()).collect();
    json!({
        "id": e.id(), "version": e.version(), "ref": spec, "slot": e.world().name(),
        "name": e.bundle.manifest.plugin.name, "vendor": e.bundle.manifest.plugin.vendor,
        "description": e.bundle.manifest.plugin.description,
        "digest": e.bundle.digest, "signature": e.signature, "source": e.source,
        "enabled": !disabled.contains(&spec), "active": !active_in.is_empty(),
        "capabilities": e.bundle.manifest.capabilities, "transparency": e.bundle.manifest.transparency,
    })
}

async fn list_plugins(State(state): State<Shared>) -> ApiResult<Json<Value>> {
    let registry = state.registry.clone();
    let list = tokio::task::spawn_blocking(move || registry.list())
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| registry_error(e, "plugin"))?;
    let disabled = store::slots::disabled(state.store.pool()).await?;
    Ok(Json(json!({ "plugins": list.iter().map(|e| describe(&state, e, &disabled)).collect::<Vec<_>>() })))
}

async fn inspect(State(state): State<Shared>, Path(spec): Path<String>) -> ApiResult<Json<Value>> {
    let entry = find(&state, &spec).await?;
    let disabled = store::slots::disabled(state.store.pool()).await?;
    let mut v = describe(&state, &entry, &disabled);
    v["manifest"] = serde_json::to_value(&entry.bundle.manifest).map_err(ApiError::internal)?;
    Ok(Json(v))
}

async fn upload(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((StatusCode::CREATED, Json(install_bundle(&state, &caller, &body).await?)))
}

/// Installs an uploaded bundle (checked, verified, compiled) and enables it; not activated.
pub(crate) async fn install_bundle(state: &Shared, caller: &Caller, body: &[u8]) -> ApiResult<Value> {
    if body.is_empty() {
        return Err(ApiError::invalid("$", "send the bundle (.zip) as the request body"));
    }
    let dir = state.data_dir.join("incoming");
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let path = dir.join(format!("{}.zip", new_id("upload")));
    std::fs::write(&path, body).map_err(ApiError::internal)?;
    let (registry, runtime, p) = (state.registry.clone(), state.runtime.clone(), path.clone());
    let installed =
        tokio::task::spawn_blocking(move || registry.install(&p, &runtime)).await.map_err(ApiError::internal)?;
    let _ = std::fs::remove_file(&path);
    let entry = installed.map_err(|e| registry_error(e, "$"))?;
    let spec = spec_of(&entry);
    // Each new version of a matcher is probed at install. A failed probe does not refuse the
    // install: it blocks activation until an administrator justifies it.
    let probe = if entry.world() == World::SkillsMatcher { Some(run_probe(&state, &entry).await?) } else { None };
    let mut tx = state.audit.begin().await?;
    // The bundle goes into the database too, so that every replica can load it.
    store::bundles::save(tx.conn(), &entry.bundle).await?;
    crate::server::replica::notify(tx.conn(), state.store.backend()).await?;
    store::slots::set_enabled(tx.conn(), &spec, true, now_ms()).await?;
    if let Some(row) = &probe {
        store::oversight::save_probe(tx.conn(), row).await?;
    }
    tx.append(Event::new(
        "admin.plugin.install",
        &caller.key_id,
        json!({ "plugin": spec, "slot": entry.world().name(), "digest": entry.bundle.digest, "signature": entry.signature,
                "bias_probe": probe.as_ref().map(gate::summary_of) }),
    ))
    .await?;
    tx.commit().await?;
    let disabled = store::slots::disabled(state.store.pool()).await?;
    let mut out = describe(state, &entry, &disabled);
    out["bias_probe"] = probe.as_ref().map(gate::summary_of).unwrap_or(Value::Null);
    Ok(out)
}

/// Runs the bias probe of a matcher on the blocking pool; the row is not stored yet.
async fn run_probe(state: &Shared, entry: &PluginEntry) -> ApiResult<store::oversight::ProbeRow> {
    // With the administrator's grants: the probe measures the configuration that will run.
    let (rt, e, data_dir) = (state.runtime.clone(), entry.clone(), state.data_dir.clone());
    let report = tokio::task::spawn_blocking(move || {
        let loaded = e.load_granted(&rt, &data_dir)?;
        Ok::<_, RegistryError>(crate::probe::run(&rt, &loaded, crate::probe::Options::default()))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| registry_error(e, "plugin"))?;
    Ok(gate::row_of(&report, now_ms(), &gate::settings_digest(&state.data_dir, entry.id())))
}

/// The stored probe of a matcher's digest with the current settings, run and stored now if it
/// never ran with them (the bundled matchers are never installed, so their first activation
/// probes them; a new grant or setting needs a new probe).
pub(crate) async fn probe_for(state: &Shared, entry: &PluginEntry) -> ApiResult<store::oversight::ProbeRow> {
    let stored = store::oversight::probe(state.store.pool(), &entry.bundle.digest).await?;
    if let Some(row) = gate::current(stored, &gate::settings_digest(&state.data_dir, entry.id())) {
        return Ok(row);
    }
    let row = run_probe(state, entry).await?;
    let mut tx = state.audit.begin().await?;
    store::oversight::save_probe(tx.conn(), &row).await?;
    tx.append(Event::new(
        "admin.probe.run",
        "system",
        json!({ "plugin": spec_of(entry), "digest": row.plugin_digest, "passed": row.passed }),
    ))
    .await?;
    tx.commit().await?;
    Ok(row)
}

pub(crate) async fn set_flag(state: Shared, caller: Caller, spec: String, enabled: bool) -> ApiResult<Json<Value>> {
    let entry = find(&state, &spec).await?;
    let spec = spec_of(&entry);
    let _guard = state.admin_lock.lock().await;
    if !enabled && state.slots.all().iter().any(|(_, s)| s.row.active == spec) {
        return Err(ApiError::conflict(format!("{spec} is active in its slot: activate another plugin first")));
    }
    let mut tx = state.audit.begin().await?;
    store::slots::set_enabled(tx.conn(), &spec, enabled, now_ms()).await?;
    let kind = if enabled { "admin.plugin.enable" } else { "admin.plugin.disable" };
    tx.append(Event::new(kind, &caller.key_id, json!({ "plugin": spec, "digest": entry.bundle.digest }))).await?;
    tx.commit().await?;
    Ok(Json(json!({ "plugin": spec, "enabled": enabled })))
}

async fn enable(
    State(s): State<Shared>,
    Extension(c): Extension<Caller>,
    Path(spec): Path<String>,
) -> ApiResult<Json<Value>> {
    set_flag(s, c, spec, true).await
}

async fn disable(
    State(s): State<Shared>,
    Extension(c): Extension<Caller>,
    Path(spec): Path<String>,
) -> ApiResult<Json<Value>> {
    set_flag(s, c, spec, false).await
}

fn slot_json(world: World, s: &SlotState) -> Value {
    json!({
        "slot": world.name(),
        "active": s.row.active,
        "previous": s.row.previous,
        "digest": s.active.as_ref().map(|a| a.entry.bundle.digest.clone()),
        "loaded": s.active.is_some(),
        "load_error": s.load_error,
        "pinned": s.row.pinned,
        "stopped": s.row.stopped,
        "failure_policy": s.row.failure_policy,
        "updated_at": super::rfc3339(s.row.updated_at),
    })
}

async fn list_slots(State(state): State<Shared>) -> Json<Value> {
    Json(json!({ "slots": state.slots.all().iter().map(|(w, s)| slot_json(*w, s)).collect::<Vec<_>>() }))
}

/// Hot swap: the new plugin is loaded and checked first; then the next call uses it, while
/// calls already running finish on the one they hold.
pub(crate) async fn activate(
    state: &Shared,
    caller: &Caller,
    world: World,
    spec: &str,
    kind: &'static str,
    justification: Option<&str>,
) -> ApiResult<Json<Value>> {
    let entry = find(state, spec).await?;
    if entry.world() != world {
        return Err(ApiError::invalid(
            "plugin",
            format!("{} implements {}, not {world}", spec_of(&entry), entry.world()),
        ));
    }
    let spec = spec_of(&entry);
    let _guard = state.admin_lock.lock().await;
    let current = state.slots.state(world).ok_or_else(|| ApiError::not_found(format!("no slot {world}")))?;
    if current.row.pinned && current.row.active != spec {
        return Err(ApiError::conflict(format!(
            "the {world} slot is pinned to {}: unpin it first",
            current.row.active
        )));
    }
    if store::slots::disabled(state.store.pool()).await?.contains(&spec) {
        return Err(ApiError::conflict(format!("{spec} is disabled: enable it first")));
    }
    // The bias gate, for a matcher being made active, by an activation or a rollback alike: the
    // previous matcher may have been let through by a probe since failed, or by settings since
    // changed, and a verdict holds for a digest and its settings only.
    let mut override_audit = None;
    if world == World::SkillsMatcher && row_differs(&current.row.active, &spec) {
        let probe = probe_for(state, &entry).await?;
        match gate::check(&spec, Some(&probe), justification) {
            Ok(gate::Decision::Passed) => {}
            Ok(gate::Decision::Overridden { audit }) => override_audit = Some(audit),
            Err(e @ gate::GateError::JustificationTooShort) => {
                return Err(ApiError::invalid("override_justification", e.to_string()))
            }
            Err(e) => {
                return Err(ApiError::new(StatusCode::CONFLICT, "bias_probe_failed", e.to_string())
                    .with_details(json!({ "bias_probe": gate::summary_of(&probe) })))
            }
        }
    }
    let digest = entry.bundle.digest.clone();
    let active = state.load(entry).await.map_err(|e| registry_error(e, "plugin"))?;
    let mut row = current.row.clone();
    if row.active != spec {
        row.previous = Some(std::mem::replace(&mut row.active, spec.clone()));
    }
    row.updated_at = now_ms();
    let mut tx = state.audit.begin().await?;
    store::slots::save(tx.conn(), &row).await?;
    crate::server::replica::notify(tx.conn(), state.store.backend()).await?;
    if let Some(mut audit) = override_audit {
        audit["slot"] = world.name().into();
        audit["digest"] = digest.clone().into();
        tx.append(Event::new("admin.probe.override", &caller.key_id, audit)).await?;
    }
    tx.append(Event::new(
        kind,
        &caller.key_id,
        json!({ "slot": world.name(), "from": current.row.active, "to": spec, "digest": digest }),
    ))
    .await?;
    tx.commit().await?;
    let state_now = SlotState { active: Some(Arc::new(active)), row, load_error: None };
    let out = slot_json(world, &state_now);
    state.slots.set(world, state_now);
    if current.row.active != spec {
        let data = json!({ "slot": world.name(), "previous": current.row.active, "active": spec, "digest": digest });
        crate::server::webhooks::notify(state, "slot.changed", None, data).await;
    }
    // Keep active.toml in step, so the command line uses the same plugin as the server.
    let (registry, runtime) = (state.registry.clone(), state.runtime.clone());
    tokio::task::spawn_blocking(move || {
        if let Err(e) = registry.activate(&spec, &runtime) {
            tracing::warn!(error = %e, "could not update active.toml");
        }
    });
    Ok(Json(out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActiveRequest {
    plugin: String,
    /// Needed to activate a matcher whose bias probe failed; audited.
    #[serde(default)]
    override_justification: Option<String>,
}

/// Re-activating the plugin already active is not a new activation.
fn row_differs(active: &str, spec: &str) -> bool {
    active != spec
}

async fn set_active(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(slot): Path<String>,
    ApiJson(req): ApiJson<ActiveRequest>,
) -> ApiResult<Json<Value>> {
    let world = slot_world(&slot)?;
    activate(&state, &caller, world, &req.plugin, "admin.slot.activate", req.override_justification.as_deref()).await
}

/// An optional body of a rollback: the same gate as an activation.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RollbackRequest {
    #[serde(default)]
    override_justification: Option<String>,
}

async fn rollback(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(slot): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let req: RollbackRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RollbackRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid("$", e.to_string()))?
    };
    rollback_slot(&state, &caller, &slot, req.override_justification.as_deref()).await
}

/// Back to the slot's previous plugin, with the same checks as an activation (the bias gate
/// included: a matcher whose probe failed needs a written justification).
pub(crate) async fn rollback_slot(
    state: &Shared,
    caller: &Caller,
    slot: &str,
    justification: Option<&str>,
) -> ApiResult<Json<Value>> {
    let world = slot_world(slot)?;
    let previous = state
        .slots
        .state(world)
        .and_then(|s| s.row.previous)
        .ok_or_else(|| ApiError::conflict(format!("the {world} slot has no previous plugin to roll back to")))?;
    activate(state, caller, world, &previous, "admin.slot.rollback", justification).await
}

/// Changes a slot's switches and records the change.
async fn update_slot(
    state: &Shared,
    caller: &Caller,
    slot: &str,
    kind: &'static str,
    change: impl FnOnce(&mut crate::store::slots::SlotRow),
) -> ApiResult<Json<Value>> {
    let world = slot_world(slot)?;
    let _guard = state.admin_lock.lock().await;
    let mut s = state.slots.state(world).ok_or_else(|| ApiError::not_found(format!("no slot {world}")))?;
    change(&mut s.row);
    s.row.updated_at = now_ms();
    let mut tx = state.audit.begin().await?;
    store::slots::save(tx.conn(), &s.row).await?;
    crate::server::replica::notify(tx.conn(), state.store.backend()).await?;
    tx.append(Event::new(
        kind,
        &caller.key_id,
        json!({ "slot": world.name(), "active": s.row.active, "pinned": s.row.pinned, "stopped": s.row.stopped, "failure_policy": s.row.failure_policy }),
    ))
    .await?;
    tx.commit().await?;
    let out = slot_json(world, &s);
    state.slots.set(world, s);
    Ok(Json(out))
}

async fn pin(
    State(s): State<Shared>,
    Extension(c): Extension<Caller>,
    Path(slot): Path<String>,
) -> ApiResult<Json<Value>> {
    update_slot(&s, &c, &slot, "admin.slot.pin", |r| r.pinned = true).await
}
async fn unpin(
    State(s): State<Shared>,
    Extension(c): Extension<Caller>,
    Path(slot): Path<String>,
) -> ApiResult<Json<Value>> {
    update_slot(&s, &c, &slot, "admin.slot.unpin", |r| r.pinned = false).await
}
async fn stop(
    State(s): State<Shared>,
    Extension(c): Extension<Caller>,
    Path(slot): Path<String>,
) -> ApiResult<Json<Value>> {
    set_stopped(&s, &c, &slot, true).await
}
async fn start(
    State(s): State<Shared>,
    Extension(c): Extension<Caller>,
    Path(slot): Path<String>,
) -> ApiResult<Json<Value>> {
    set_stopped(&s, &c, &slot, false).await
}

/// The incident switch: a stopped slot refuses every call (503) until it is started again.
pub(crate) async fn set_stopped(state: &Shared, caller: &Caller, slot: &str, stopped: bool) -> ApiResult<Json<Value>> {
    let kind = if stopped { "admin.slot.stop" } else { "admin.slot.start" };
    update_slot(state, caller, slot, kind, |r| r.stopped = stopped).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyRequest {
    failure_policy: FailurePolicy,
}

async fn set_policy(
    State(s): State<Shared>,
    Extension(c): Extension<Caller>,
    Path(slot): Path<String>,
    ApiJson(req): ApiJson<PolicyRequest>,
) -> ApiResult<Json<Value>> {
    update_slot(&s, &c, &slot, "admin.slot.policy", |r| r.failure_policy = req.failure_policy.as_str().into()).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRequest {
    role: Role,
    #[serde(default)]
    label: Option<String>,
}

async fn create_key(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    ApiJson(req): ApiJson<KeyRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (id, key) = auth::create_key(state.store.pool(), req.role, req.label.as_deref()).await?;
    state
        .audit
        .record(Event::new("admin.key.create", &caller.key_id, json!({ "key_id": id, "role": req.role })))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "role": req.role, "key": key, "note": "shown once: store it now" })),
    ))
}

async fn list_keys(State(state): State<Shared>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "keys": keys::list(state.store.pool()).await? })))
}

async fn revoke_key(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if !keys::revoke(state.store.pool(), &id).await? {
        return Err(ApiError::not_found(format!("no active key `{id}`")).with_field("id"));
    }
    state.audit.record(Event::new("admin.key.revoke", &caller.key_id, json!({ "key_id": id }))).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn run_retention(State(state): State<Shared>, Extension(caller): Extension<Caller>) -> ApiResult<Json<Value>> {
    let report = super::retention::run_once(&state, &caller.key_id).await?;
    Ok(Json(report))
}
