//! `PUT /v1/candidates/{id}/monitoring`: the gender and age band a SIRH may send for fairness
//! monitoring only. Never required, stored apart from the profile, never given to a plugin,
//! erased with the candidate. `DELETE` withdraws them. The audit records that they were set,
//! never their values.

use super::candidates::live;
use crate::audit::Event;
use crate::auth::Caller;
use crate::report::fairness::{AGE_BANDS, GENDERS};
use crate::server::error::{ApiError, ApiJson, ApiResult};
use crate::server::Shared;
use crate::store::monitoring::{self, Monitoring};
use crate::store::now_ms;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringRequest {
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    age_band: Option<String>,
}

fn check(field: &str, value: Option<String>, allowed: &[&str]) -> ApiResult<Option<String>> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => {
            Err(ApiError::invalid(field, format!("`{v}` is not one of {}", allowed.join(", "))))
        }
        other => Ok(other),
    }
}

pub async fn set(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<MonitoringRequest>,
) -> ApiResult<Json<Value>> {
    live(&state, &id).await?;
    let gender = check("gender", req.gender, &GENDERS)?;
    let age_band = check("age_band", req.age_band, &AGE_BANDS)?;
    if gender.is_none() && age_band.is_none() {
        return Err(ApiError::invalid("gender", "give gender or age_band (or DELETE to withdraw both)"));
    }
    let m = Monitoring { gender, age_band, updated_at: now_ms() };
    let mut tx = state.audit.begin().await?;
    monitoring::set(tx.conn(), &id, &m).await?;
    tx.append(Event::new(
        "candidate.monitoring.set",
        &caller.key_id,
        json!({ "candidate_id": id, "gender_given": m.gender.is_some(), "age_band_given": m.age_band.is_some() }),
    ))
    .await?;
    tx.commit().await?;
    Ok(Json(
        json!({ "candidate_id": id, "monitoring": m, "used_for": "fairness monitoring only; never sent to plugins" }),
    ))
}

pub async fn clear(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    live(&state, &id).await?;
    let mut tx = state.audit.begin().await?;
    let removed = monitoring::clear(tx.conn(), &id).await?;
    tx.append(Event::new(
        "candidate.monitoring.cleared",
        &caller.key_id,
        json!({ "candidate_id": id, "removed": removed }),
    ))
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
