//! `/v1/admin/slots/{slot}/shadow`: attach (POST) or detach (DELETE) a plugin in shadow, and
//! `/v1/admin/slots/{slot}/shadow/report`, its comparison with the active plugin. Only the
//! skills-matcher slot has a shadow: its outputs are orders that can be compared.

use crate::audit::Event;
use crate::auth::Caller;
use crate::registry::Source;
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::Shared;
use crate::store::now_ms;
use crate::store::oversight::{self, ShadowSlot};
use crate::world::World;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/admin/slots/{slot}/shadow", post(attach).delete(detach))
        .route("/v1/admin/slots/{slot}/shadow/report", get(report))
}

fn shadow_world(slot: &str) -> ApiResult<World> {
    let world: World = slot
        .parse()
        .map_err(|_| ApiError::not_found(format!("no slot `{slot}` (cv-parser, skills-matcher, posting-drafter)")))?;
    if world != World::SkillsMatcher {
        return Err(ApiError::invalid(
            "slot",
            format!("shadow evaluation is available for the skills-matcher slot, not {world}"),
        ));
    }
    Ok(world)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachRequest {
    plugin: String,
}

async fn attach(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(slot): Path<String>,
    ApiJson(req): ApiJson<AttachRequest>,
) -> ApiResult<Json<Value>> {
    let world = shadow_world(&slot)?;
    let spec = req.plugin.clone();
    if spec.is_empty() || spec.len() > 130 || spec.contains("..") || spec.contains('/') {
        return Err(ApiError::invalid("plugin", format!("`{spec}` is not a plugin id or id@version")));
    }
    let registry = state.registry.clone();
    let entry = tokio::task::spawn_blocking(move || registry.find(&spec))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::not_found(e.to_string()).with_field("plugin"))?;
    if matches!(entry.source, Source::File(_)) {
        return Err(ApiError::not_found(format!("no installed plugin `{}`", req.plugin)).with_field("plugin"));
    }
    if entry.world() != world {
        return Err(ApiError::invalid("plugin", format!("{} implements {}, not {world}", entry.id(), entry.world())));
    }
    let spec = format!("{}@{}", entry.id(), entry.version());
    let _guard = state.admin_lock.lock().await;
    if state.slots.state(world).is_some_and(|s| s.row.active == spec) {
        return Err(ApiError::conflict(format!("{spec} is the active plugin of {world}: shadow another one")));
    }
    let digest = entry.bundle.digest.clone();
    let active = state
        .load(entry)
        .await
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "plugin_refused", e.to_string()))?;
    let row = ShadowSlot {
        world: world.name().into(),
        plugin_ref: spec.clone(),
        plugin_digest: digest.clone(),
        attached_by: caller.key_id.clone(),
        attached_at: now_ms(),
    };
    let mut tx = state.audit.begin().await?;
    oversight::attach_shadow(tx.conn(), &row).await?;
    tx.append(Event::new(
        "admin.slot.shadow.attach",
        &caller.key_id,
        json!({ "slot": world.name(), "plugin": spec, "digest": digest }),
    ))
    .await?;
    tx.commit().await?;
    state.shadow.attach(world, Arc::new(active));
    Ok(Json(json!({ "slot": world.name(), "shadow": spec, "digest": digest, "results_returned": false })))
}

async fn detach(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(slot): Path<String>,
) -> ApiResult<StatusCode> {
    let world = shadow_world(&slot)?;
    let _guard = state.admin_lock.lock().await;
    let mut tx = state.audit.begin().await?;
    if !oversight::detach_shadow(tx.conn(), world.name()).await? {
        return Err(ApiError::not_found(format!("the {world} slot has no shadow plugin")));
    }
    tx.append(Event::new("admin.slot.shadow.detach", &caller.key_id, json!({ "slot": world.name() }))).await?;
    tx.commit().await?;
    state.shadow.detach(world);
    Ok(StatusCode::NO_CONTENT)
}

async fn report(State(state): State<Shared>, Path(slot): Path<String>) -> ApiResult<Json<Value>> {
    let world = shadow_world(&slot)?;
    let registry = state.registry.clone();
    let digests: std::collections::HashMap<String, String> = tokio::task::spawn_blocking(move || {
        registry
            .list()
            .map(|l| l.into_iter().map(|e| (format!("{}@{}", e.id(), e.version()), e.bundle.digest.clone())).collect())
            .unwrap_or_default()
    })
    .await
    .map_err(ApiError::internal)?;
    let dropped = state.shadow.dropped.load(std::sync::atomic::Ordering::Relaxed);
    let out =
        crate::shadow::report(state.store.pool(), world.name(), |r| digests.get(r).cloned(), Some(dropped)).await?;
    Ok(Json(out))
}

/// Loads the shadow plugins saved in the database (server start).
pub async fn init(state: &Shared) -> anyhow::Result<()> {
    for row in oversight::shadow_slots(state.store.pool()).await? {
        let Ok(world) = row.world.parse::<World>() else { continue };
        let loaded = match state.registry.find(&row.plugin_ref) {
            Ok(entry) => state.load(entry).await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match loaded {
            Ok(a) => state.shadow.attach(world, Arc::new(a)),
            Err(e) => tracing::warn!(slot = %world, plugin = %row.plugin_ref, error = %e, "shadow plugin not loaded"),
        }
    }
    Ok(())
}
