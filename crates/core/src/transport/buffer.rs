//! The client-wide bound on answer bytes held in memory at once.
//!
//! The per-answer cap (`max_response_bytes`) bounds one answer; without a shared bound, N
//! concurrent answers could hold N times that. Every body is read under a reservation taken
//! from one semaphore per client (shared by its clones), counted in KiB units:
//! - with a `Content-Length`, the whole length is reserved before the first byte is read;
//! - without one, a first [`FIRST_RESERVATION`] is reserved; an answer that outgrows it gives
//!   that back and then waits for the whole per-answer cap. It never waits while holding part
//!   of the budget, so answers cannot deadlock each other; what it has read meanwhile (at most
//!   [`FIRST_RESERVATION`] plus one network chunk) is the only memory outside the bound.
//!
//! The reservation lives until the answer has been decoded, then returns to the pool. It is
//! not shrunk to the body's size: the buffer keeps the capacity it was given until then.

use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Bytes per semaphore permit: a `u32` count of KiB reaches 4 TiB.
const UNIT: u64 = 1024;
/// What an answer of unknown length reserves before its first byte.
pub(crate) const FIRST_RESERVATION: u64 = 64 * 1024;

/// The semaphore and the figures tests and callers can read.
pub(crate) struct ByteBudget {
    permits: Semaphore,
    /// The bound in bytes, rounded up to whole units.
    limit: u64,
    reserved: AtomicU64,
    peak: AtomicU64,
}

/// Bytes reserved for one answer; returned to the budget when dropped.
pub(crate) struct Reservation<'a> {
    budget: &'a ByteBudget,
    permit: SemaphorePermit<'a>,
}

impl ByteBudget {
    /// A budget of `bytes` (at least one unit, at most what the semaphore can count).
    pub(crate) fn new(bytes: u64) -> Self {
        let max_units = u64::try_from(Semaphore::MAX_PERMITS)
            .unwrap_or(u64::MAX)
            .min(u64::from(u32::MAX));
        let units = bytes.div_ceil(UNIT).clamp(1, max_units);
        ByteBudget {
            permits: Semaphore::new(usize::try_from(units).unwrap_or(usize::MAX >> 3)),
            limit: units.saturating_mul(UNIT),
            reserved: AtomicU64::new(0),
            peak: AtomicU64::new(0),
        }
    }

    /// The bound, in bytes.
    pub(crate) fn limit(&self) -> u64 {
        self.limit
    }

    /// Bytes reserved right now.
    pub(crate) fn reserved(&self) -> u64 {
        self.reserved.load(Ordering::Relaxed)
    }

    /// The most bytes ever reserved at once.
    pub(crate) fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    fn units(&self, bytes: u64) -> u32 {
        let units = bytes.div_ceil(UNIT).max(1).min(self.limit / UNIT);
        u32::try_from(units).unwrap_or(u32::MAX)
    }

    /// Waits until `bytes` (at most the whole budget) are free, and reserves them.
    pub(crate) async fn reserve(&self, bytes: u64) -> Option<Reservation<'_>> {
        // The semaphore is never closed, so an error cannot happen; `None` is handled as
        // "read without a reservation" rather than a panic.
        let permit = self.permits.acquire_many(self.units(bytes)).await.ok()?;
        Some(self.track(permit))
    }

    fn track<'a>(&'a self, permit: SemaphorePermit<'a>) -> Reservation<'a> {
        let bytes = permit_bytes(&permit);
        let now = self
            .reserved
            .fetch_add(bytes, Ordering::Relaxed)
            .saturating_add(bytes);
        self.peak.fetch_max(now, Ordering::Relaxed);
        Reservation {
            budget: self,
            permit,
        }
    }
}

fn permit_bytes(permit: &SemaphorePermit<'_>) -> u64 {
    u64::try_from(permit.num_permits())
        .unwrap_or(u64::MAX)
        .saturating_mul(UNIT)
}

impl Reservation<'_> {
    /// The bytes this reservation covers.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> u64 {
        permit_bytes(&self.permit)
    }
}

impl ByteBudget {
    fn untrack(&self, permit: &SemaphorePermit<'_>) {
        let bytes = permit_bytes(permit);
        // Never below zero, whatever the order of concurrent updates.
        let _ = self
            .reserved
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| {
                Some(r.saturating_sub(bytes))
            });
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.untrack(&self.permit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reservations_count_and_return() {
        let budget = ByteBudget::new(10 * UNIT);
        assert_eq!(budget.limit(), 10 * UNIT);
        let a = budget.reserve(4 * UNIT).await.unwrap();
        let b = budget.reserve(1).await.unwrap();
        assert_eq!(b.bytes(), UNIT);
        assert_eq!(budget.reserved(), 5 * UNIT);
        drop(a);
        assert_eq!(budget.reserved(), UNIT);
        drop(b);
        assert_eq!(budget.reserved(), 0);
        assert_eq!(budget.peak(), 5 * UNIT);
    }

    #[tokio::test]
    async fn a_request_larger_than_the_budget_takes_all_of_it_and_others_wait() {
        let budget = ByteBudget::new(4 * UNIT);
        let all = budget.reserve(u64::MAX).await.unwrap();
        assert_eq!(all.bytes(), 4 * UNIT);
        let waiting =
            tokio::time::timeout(std::time::Duration::from_millis(20), budget.reserve(UNIT)).await;
        assert!(
            waiting.is_err(),
            "nothing is free while the budget is taken"
        );
        drop(all);
        assert!(budget.reserve(UNIT).await.is_some());
    }

    #[test]
    fn absurd_budgets_are_clamped() {
        assert_eq!(ByteBudget::new(0).limit(), UNIT);
        assert!(ByteBudget::new(u64::MAX).limit() >= u64::from(u32::MAX));
    }
}
