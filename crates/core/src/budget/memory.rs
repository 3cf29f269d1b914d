//! The process-wide memory store: every client in the process shares it, so clients built for
//! the same key (two `from_env()` calls, say) spend one budget.

use super::gcra::{self, LaneState};
use super::{BudgetStore, Claim, Lane, Lease};
use crate::error::BoxError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// The one memory store of the process.
pub(crate) fn shared() -> Arc<dyn BudgetStore> {
    static SHARED: OnceLock<Arc<MemoryStore>> = OnceLock::new();
    SHARED
        .get_or_init(|| Arc::new(MemoryStore::default()))
        .clone()
}

#[derive(Default)]
struct MemoryStore {
    lanes: Mutex<HashMap<String, LaneState>>,
}

impl MemoryStore {
    fn with_states<R>(&self, lanes: &[Lane], f: impl FnOnce(u64, &mut [LaneState]) -> R) -> R {
        // A panic elsewhere while holding the lock leaves plain numbers, still consistent.
        let mut map = self.lanes.lock().unwrap_or_else(PoisonError::into_inner);
        let mut states: Vec<LaneState> = lanes
            .iter()
            .map(|lane| map.get(&lane.key).copied().unwrap_or_default())
            .collect();
        let result = f(now(), &mut states);
        for (lane, state) in lanes.iter().zip(states) {
            map.insert(lane.key.clone(), state);
        }
        result
    }
}

/// Nanoseconds since the first use, on the monotonic clock.
fn now() -> u64 {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    // Starting at one interval-free second keeps "0 = never" distinct from the first instant.
    gcra::nanos(ORIGIN.get_or_init(Instant::now).elapsed()).saturating_add(1_000_000_000)
}

#[async_trait::async_trait]
impl BudgetStore for MemoryStore {
    async fn try_reserve(&self, lanes: &[Lane], lease: Lease) -> Result<Claim, BoxError> {
        Ok(self.with_states(lanes, |now, states| {
            gcra::reserve(now, lanes, states, lease)
        }))
    }

    async fn settle(&self, lanes: &[Lane], lease: Lease) -> Result<(), BoxError> {
        self.settle_now(lanes, lease);
        Ok(())
    }

    fn settle_now(&self, lanes: &[Lane], lease: Lease) -> bool {
        self.with_states(lanes, |now, states| gcra::settle(now, lanes, states, lease));
        true
    }

    async fn pause(&self, lanes: &[Lane], wait: Duration) -> Result<(), BoxError> {
        self.with_states(lanes, |now, states| gcra::pause(now, lanes, states, wait));
        Ok(())
    }

    fn describe(&self) -> String {
        "memory".into()
    }
}
