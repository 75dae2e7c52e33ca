//! The active plugin of each slot, swappable without a restart.
//!
//! A call takes a clone of the slot's `Arc<Active>` and keeps it until it ends, so a swap only
//! changes what the *next* call gets: calls already running finish on the plugin they started
//! with. A stopped slot (incident switch) or a slot whose plugin failed to load refuses calls
//! with an error; there is never a silent fallback to another vendor's plugin.

use super::error::ApiError;
use crate::registry::PluginEntry;
use crate::runtime::LoadedPlugin;
use crate::store::slots::SlotRow;
use crate::world::World;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

pub struct Active {
    pub entry: PluginEntry,
    pub plugin: Arc<LoadedPlugin>,
}

impl Active {
    pub fn spec(&self) -> String {
        format!("{}@{}", self.entry.id(), self.entry.version())
    }
}

#[derive(Clone)]
pub struct SlotState {
    pub active: Option<Arc<Active>>,
    pub row: SlotRow,
    /// Why the configured plugin could not be loaded at start, if it could not.
    pub load_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailurePolicy {
    /// An error goes back to the caller.
    FailClosed,
    /// A failed call is retried once on the same plugin, then fails closed.
    RetryOnce,
}

impl FailurePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            FailurePolicy::FailClosed => "fail-closed",
            FailurePolicy::RetryOnce => "retry-once",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "fail-closed" => Some(Self::FailClosed),
            "retry-once" => Some(Self::RetryOnce),
            _ => None,
        }
    }
}

#[derive(Default)]
pub struct Slots {
    inner: RwLock<BTreeMap<World, SlotState>>,
}

impl Slots {
    /// Replaces a slot's state. A stopped slot engages its plugin's stop switch, which ends the
    /// plugin's calls in flight too (on this replica; the others do when they see the change).
    pub fn set(&self, world: World, state: SlotState) {
        if let Some(active) = &state.active {
            if state.row.stopped {
                active.plugin.stop.engage();
            } else {
                active.plugin.stop.release();
            }
        }
        self.inner.write().unwrap_or_else(|e| e.into_inner()).insert(world, state);
    }

    pub fn state(&self, world: World) -> Option<SlotState> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).get(&world).cloned()
    }

    pub fn all(&self) -> Vec<(World, SlotState)> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).iter().map(|(w, s)| (*w, s.clone())).collect()
    }

    /// The plugin a new call of this slot uses, with the slot's failure policy.
    pub fn for_call(&self, world: World) -> Result<(Arc<Active>, FailurePolicy), ApiError> {
        let state = self
            .state(world)
            .ok_or_else(|| ApiError::unavailable("slot_unavailable", format!("the {world} slot is not configured")))?;
        if state.row.stopped {
            return Err(ApiError::unavailable(
                "slot_stopped",
                format!("the {world} slot was stopped by an administrator; no plugin will run until it is restarted"),
            ));
        }
        let active = state.active.ok_or_else(|| {
            ApiError::unavailable(
                "slot_unavailable",
                format!(
                    "the {world} slot has no loadable plugin: {}",
                    state.load_error.unwrap_or_else(|| "none configured".into())
                ),
            )
        })?;
        Ok((active, FailurePolicy::parse(&state.row.failure_policy).unwrap_or(FailurePolicy::FailClosed)))
    }
}
