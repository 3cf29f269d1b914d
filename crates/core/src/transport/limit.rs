//! Client-side rate limiting, shared by every clone of a client.
//!
//! A request first waits for its endpoint's stricter quota (if any), then for the key's global
//! quota, then for any pause a provider asked for with `Retry-After`. Waiters queue in FIFO order
//! (a fair async mutex), so a burst of tasks neither starves anyone nor wakes every waiter at
//! each free slot.

use super::endpoint::Endpoint;
use governor::clock::{Clock, DefaultClock};
use governor::{Quota as GovernorQuota, RateLimiter, state::InMemoryState, state::NotKeyed};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// How many requests may be sent in a period.
///
/// ```
/// use nodal_core::Quota;
/// use std::time::Duration;
/// let nodana = Quota::per_second(1);
/// assert_eq!(nodana.interval(), Duration::from_secs(1));
/// let bursty = Quota::new(20, Duration::from_secs(1)).with_burst(5);
/// assert_eq!(bursty.interval(), Duration::from_millis(50));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    requests: NonZeroU32,
    period: Duration,
    burst: NonZeroU32,
}

impl Quota {
    /// `requests` per `period`, sent evenly (burst 1). Zero requests or a zero period are
    /// raised to one request per millisecond-long period rather than panicking.
    pub fn new(requests: u32, period: Duration) -> Self {
        Quota {
            requests: NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN),
            period: period.max(Duration::from_millis(1)),
            burst: NonZeroU32::MIN,
        }
    }

    /// `requests` per second, evenly spaced.
    pub fn per_second(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(1))
    }

    /// `requests` per minute, evenly spaced.
    pub fn per_minute(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// Allows up to `burst` requests back to back after a quiet spell.
    pub fn with_burst(mut self, burst: u32) -> Self {
        self.burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        self
    }

    /// Time between two evenly spaced requests.
    pub fn interval(&self) -> Duration {
        self.period / self.requests.get()
    }

    /// The burst size.
    pub fn burst(&self) -> u32 {
        self.burst.get()
    }

    fn to_governor(self) -> GovernorQuota {
        // governor counts in u64 nanoseconds (it panics past 584 years) and multiplies the
        // interval by the burst; keeping the product under a year rules out both, and a year
        // per burst is "never again" for any client.
        let longest = LONGEST_WAIT / self.burst.get();
        GovernorQuota::with_period(self.interval().min(longest))
            .unwrap_or_else(|| GovernorQuota::per_second(NonZeroU32::MIN))
            .allow_burst(self.burst)
    }
}

/// A client's rate-limit policy: an optional quota for every request of the key, plus stricter
/// quotas for single endpoints.
///
/// Endpoints are the adapters' [`Endpoint`] rows (e.g. `nodal_nodana::endpoints::CREATE_APP`);
/// a client refuses at `build()` a quota for a row its adapter does not list.
///
/// ```
/// use nodal_core::{Endpoint, Quota, RateLimit};
/// const CREATE_APP: Endpoint = Endpoint::post("/apps");
/// let policy = RateLimit::new(Quota::per_second(1))
///     .with_endpoint(CREATE_APP, Quota::per_minute(6));
/// assert_eq!(policy.quota(), Some(Quota::per_second(1)));
/// assert!(RateLimit::unlimited().quota().is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimit {
    quota: Option<Quota>,
    endpoints: Vec<(Endpoint, Quota)>,
}

impl RateLimit {
    /// Every request of the key within `quota`.
    pub fn new(quota: Quota) -> Self {
        RateLimit {
            quota: Some(quota),
            endpoints: Vec::new(),
        }
    }

    /// No client-side limit (the provider's `Retry-After` is still honoured).
    pub fn unlimited() -> Self {
        Self::default()
    }

    /// Adds a stricter quota for one endpoint; it applies on top of the global one. A second
    /// quota for the same endpoint replaces the first.
    pub fn with_endpoint(mut self, endpoint: Endpoint, quota: Quota) -> Self {
        self.endpoints.retain(|(row, _)| !row.same_call(&endpoint));
        self.endpoints.push((endpoint, quota));
        self
    }

    /// The global quota, if any.
    pub fn quota(&self) -> Option<Quota> {
        self.quota
    }

    /// The per-endpoint quotas.
    pub fn endpoints(&self) -> impl Iterator<Item = (Endpoint, Quota)> + '_ {
        self.endpoints.iter().copied()
    }

    /// The first per-endpoint quota whose endpoint is not among `known` (an adapter's rows).
    pub(crate) fn unknown_endpoint(&self, known: &[Endpoint]) -> Option<Endpoint> {
        self.endpoints
            .iter()
            .map(|(row, _)| *row)
            .find(|row| !known.iter().any(|k| k.same_call(row)))
    }
}

type DirectLimiter = RateLimiter<NotKeyed, InMemoryState, DefaultClock>;

/// The shared state behind a [`RateLimit`]; one per client, shared by its clones through `Arc`.
pub(crate) struct Limiter {
    global: Option<Gate>,
    endpoints: Vec<(Endpoint, EndpointGate)>,
    /// A pause the provider asked for (`Retry-After`), honoured by every request of the key.
    paused_until: PauseDeadline,
    clock: DefaultClock,
}

struct Gate {
    limiter: DirectLimiter,
    queue: Mutex<()>,
}

/// A stricter per-endpoint quota, recorded at the moment the request is released (after the
/// global gate), so both quotas hold at send time even when the global gate made us wait.
struct EndpointGate {
    interval: Duration,
    next_allowed: Mutex<Option<Instant>>,
}

impl Limiter {
    pub(crate) fn new(policy: &RateLimit) -> Self {
        let clock = DefaultClock::default();
        let global = policy.quota.map(|quota| Gate {
            limiter: RateLimiter::direct_with_clock(quota.to_governor(), clock.clone()),
            queue: Mutex::new(()),
        });
        let endpoints = policy
            .endpoints
            .iter()
            .map(|(row, quota)| {
                (
                    *row,
                    EndpointGate {
                        interval: quota.interval(),
                        next_allowed: Mutex::new(None),
                    },
                )
            })
            .collect();
        Limiter {
            global,
            endpoints,
            paused_until: PauseDeadline::new(),
            clock,
        }
    }

    /// Waits until a request to `endpoint` may be sent, and claims its slot.
    pub(crate) async fn acquire(&self, endpoint: &Endpoint) {
        let endpoint = self
            .endpoints
            .iter()
            .find(|(row, _)| row.same_call(endpoint))
            .map(|(_, gate)| gate);
        match endpoint {
            None => self.acquire_global().await,
            Some(gate) => {
                let mut next = gate.next_allowed.lock().await;
                if let Some(at) = *next {
                    tokio::time::sleep_until(at).await;
                }
                self.acquire_global().await;
                *next = Some(later(gate.interval));
            }
        }
    }

    async fn acquire_global(&self) {
        let Some(gate) = &self.global else {
            self.wait_out_pause().await;
            return;
        };
        // Uncontended, `try_lock` is the same turn without building a wait future; a queued
        // waiter is always handed the lock directly, so this never jumps the FIFO queue.
        let _turn = match gate.queue.try_lock() {
            Ok(turn) => turn,
            Err(_) => gate.queue.lock().await,
        };
        loop {
            self.wait_out_pause().await;
            match gate.limiter.check() {
                Ok(()) => return,
                Err(not_until) => {
                    tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await;
                }
            }
        }
    }

    async fn wait_out_pause(&self) {
        loop {
            match self.paused_until.get() {
                Some(at) if at > Instant::now() => tokio::time::sleep_until(at).await,
                _ => return,
            }
        }
    }

    /// Holds every request of this key back for `wait` (a provider's `Retry-After`).
    pub(crate) fn pause_for(&self, wait: Duration) {
        self.paused_until.extend_to(later(wait));
    }
}

/// The longest wait the limiter keeps: a `Retry-After` of `u64::MAX` seconds (or a quota of one
/// request per `Duration::MAX`) must not overflow an `Instant`, and a year is "until the
/// process is restarted" for any client.
const LONGEST_WAIT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Now plus `wait`, capped at [`LONGEST_WAIT`].
fn later(wait: Duration) -> Instant {
    Instant::now() + wait.min(LONGEST_WAIT)
}

/// The latest pause deadline, lock-free: every request reads it, so it must not be a lock the
/// callers of a busy client contend on. Stored as nanoseconds after a fixed origin, 0 = none.
struct PauseDeadline {
    origin: Instant,
    nanos: AtomicU64,
}

impl PauseDeadline {
    fn new() -> Self {
        PauseDeadline {
            origin: Instant::now(),
            nanos: AtomicU64::new(0),
        }
    }

    /// The deadline, if a pause was ever requested.
    fn get(&self) -> Option<Instant> {
        match self.nanos.load(Ordering::Acquire) {
            0 => None,
            nanos => Some(self.origin + Duration::from_nanos(nanos)),
        }
    }

    /// Moves the deadline to `until` unless it is already later.
    fn extend_to(&self, until: Instant) {
        let nanos = until.saturating_duration_since(self.origin).as_nanos();
        let nanos = u64::try_from(nanos).unwrap_or(u64::MAX).max(1);
        self.nanos.fetch_max(nanos, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn global_quota_spaces_requests() {
        let limiter = Arc::new(Limiter::new(&RateLimit::new(Quota::per_second(20))));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let limiter = limiter.clone();
            tasks.push(tokio::spawn(async move {
                limiter.acquire(&Endpoint::get("/x")).await;
                Instant::now()
            }));
        }
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times.sort();
        for pair in times.windows(2) {
            assert!(
                pair[1] - pair[0] >= Duration::from_millis(45),
                "{:?}",
                pair[1] - pair[0]
            );
        }
        assert!(start.elapsed() >= Duration::from_millis(240));
    }

    #[tokio::test]
    async fn endpoint_quota_is_stricter_and_global_still_applies() {
        let policy = RateLimit::new(Quota::per_second(50))
            .with_endpoint(Endpoint::post("/apps"), Quota::per_second(10));
        let limiter = Limiter::new(&policy);
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire(&Endpoint::post("/apps")).await;
        }
        // Three POSTs at 10/s need at least 200 ms; other endpoints are not held back by it.
        assert!(start.elapsed() >= Duration::from_millis(195));
        let other = Instant::now();
        limiter.acquire(&Endpoint::get("/apps")).await;
        assert!(other.elapsed() < Duration::from_millis(100));
    }

    #[tokio::test]
    async fn a_later_request_never_overtakes_a_queued_one() {
        let limiter = Arc::new(Limiter::new(&RateLimit::new(Quota::per_second(20))));
        limiter.acquire(&Endpoint::get("/x")).await; // takes the free slot
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let queued = {
            let (limiter, order) = (limiter.clone(), order.clone());
            tokio::spawn(async move {
                limiter.acquire(&Endpoint::get("/x")).await;
                order.lock().unwrap().push("queued");
            })
        };
        // The first waiter now holds the queue, sleeping until its slot.
        tokio::time::sleep(Duration::from_millis(10)).await;
        limiter.acquire(&Endpoint::get("/x")).await;
        order.lock().unwrap().push("later");
        queued.await.unwrap();
        assert_eq!(*order.lock().unwrap(), ["queued", "later"]);
    }

    #[tokio::test]
    async fn pause_holds_every_request() {
        let limiter = Limiter::new(&RateLimit::unlimited());
        limiter.pause_for(Duration::from_millis(150));
        let start = Instant::now();
        limiter.acquire(&Endpoint::get("/x")).await;
        assert!(start.elapsed() >= Duration::from_millis(140));
    }

    #[tokio::test]
    async fn a_shorter_pause_never_cuts_a_longer_one() {
        let limiter = Limiter::new(&RateLimit::unlimited());
        limiter.pause_for(Duration::from_millis(150));
        limiter.pause_for(Duration::from_millis(10));
        let start = Instant::now();
        limiter.acquire(&Endpoint::get("/x")).await;
        assert!(start.elapsed() >= Duration::from_millis(140));
        // Once over, requests go straight through again.
        let after = Instant::now();
        limiter.acquire(&Endpoint::get("/x")).await;
        assert!(after.elapsed() < Duration::from_millis(50));
    }

    #[test]
    fn degenerate_quotas_do_not_panic() {
        let q = Quota::new(0, Duration::ZERO).with_burst(0);
        assert_eq!(q.burst(), 1);
        assert!(q.interval() >= Duration::from_millis(1));
        let _ = Limiter::new(&RateLimit::new(q).with_endpoint(Endpoint::get("/x"), q));
    }

    #[tokio::test]
    async fn huge_waits_saturate_instead_of_panicking() {
        let endless = Quota::new(1, Duration::MAX);
        let limiter =
            Limiter::new(&RateLimit::unlimited().with_endpoint(Endpoint::get("/x"), endless));
        // The first request is free; it records the next slot a very long way off.
        limiter.acquire(&Endpoint::get("/x")).await;
        limiter.pause_for(Duration::MAX);
        limiter.pause_for(Duration::from_secs(u64::MAX));
        let until = limiter.paused_until.get().unwrap();
        assert!(until > Instant::now() + Duration::from_secs(300 * 24 * 60 * 60));
        for quota in [endless, endless.with_burst(u32::MAX)] {
            let global = Limiter::new(&RateLimit::new(quota));
            global.acquire(&Endpoint::get("/y")).await;
        }
    }
}
