//! Client-side rate limiting through the key's [`RateBudget`].
//!
//! Each attempt reserves a slot on the key's global lane and, when its endpoint has a stricter
//! quota, on that endpoint's lane too, atomically in the budget store (see `crate::budget`
//! for the spacing rule). A `Retry-After` pauses the key in the store. Within one client,
//! waiters queue in FIFO order (a fair async mutex), so a burst of tasks neither starves anyone
//! nor asks the store for every free slot at once.

use super::endpoint::Endpoint;
use crate::budget::{BudgetStore, Claim, Lane, Lease, RateBudget};
use crate::error::Error;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

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

/// The rate limiter of one client (shared by its clones): the lanes of its key and the store
/// they live in.
pub(crate) struct Limiter {
    provider: &'static str,
    store: Arc<dyn BudgetStore>,
    global: Arc<[Lane]>,
    endpoints: Vec<(Endpoint, Arc<[Lane]>)>,
    /// How long a lease holds if its request never settles: the attempt's longest life plus
    /// the longest interval.
    lease_ttl: Duration,
    queue: Mutex<()>,
}

impl Limiter {
    /// `fingerprint` names the key's budget (see `crate::budget::fingerprint`); `attempt_limit`
    /// is the longest an attempt can take (connect plus request timeout).
    pub(crate) fn new(
        provider: &'static str,
        policy: &RateLimit,
        budget: &RateBudget,
        fingerprint: &str,
        attempt_limit: Duration,
    ) -> Self {
        let lane = |name: &str, quota: Option<Quota>| Lane {
            key: format!("{fingerprint}:{name}"),
            // No global quota: the lane only carries pauses.
            interval: quota.map_or(Duration::ZERO, |q| q.interval()),
            burst: quota.map_or(1, |q| q.burst()),
        };
        let global = lane("global", policy.quota);
        let endpoints: Vec<(Endpoint, Arc<[Lane]>)> = policy
            .endpoints
            .iter()
            .map(|(row, quota)| {
                let lanes = vec![global.clone(), lane(&row.to_string(), Some(*quota))];
                (*row, Arc::from(lanes))
            })
            .collect();
        let longest = policy
            .endpoints
            .iter()
            .map(|(_, q)| q.interval())
            .chain(policy.quota.map(|q| q.interval()))
            .max()
            .unwrap_or(Duration::ZERO);
        Limiter {
            provider,
            store: budget.store().clone(),
            global: Arc::from(vec![global]),
            endpoints,
            lease_ttl: attempt_limit.saturating_add(longest).min(LONGEST_WAIT),
            queue: Mutex::new(()),
        }
    }

    fn lanes_for(&self, endpoint: &Endpoint) -> &Arc<[Lane]> {
        self.endpoints
            .iter()
            .find(|(row, _)| row.same_call(endpoint))
            .map_or(&self.global, |(_, lanes)| lanes)
    }

    /// Waits until a request to `endpoint` may be sent and takes its slot. The returned permit
    /// must be settled when the answer (or the failure) arrives; dropped unsettled, it settles
    /// then. Fails, without sending, when the budget store cannot be reached.
    pub(crate) async fn acquire(&self, endpoint: &Endpoint) -> Result<Permit, Error> {
        let lanes = self.lanes_for(endpoint).clone();
        // Uncontended, `try_lock` is the same turn without building a wait future; a queued
        // waiter is always handed the lock directly, so this never jumps the FIFO queue.
        let _turn = match self.queue.try_lock() {
            Ok(turn) => turn,
            Err(_) => self.queue.lock().await,
        };
        loop {
            let lease = Lease {
                id: lease_id(),
                ttl: self.lease_ttl,
            };
            match self.store.try_reserve(&lanes, lease).await {
                Ok(Claim::Granted) => {
                    return Ok(Permit {
                        store: self.store.clone(),
                        lanes,
                        lease,
                        settled: false,
                    });
                }
                Ok(Claim::Wait(wait)) => {
                    tokio::time::sleep(wait.clamp(Duration::from_millis(1), LONGEST_WAIT)).await;
                }
                Err(source) => return Err(self.unreachable(source)),
            }
        }
    }

    /// Holds every request of this key back for `wait` (a provider's `Retry-After`), in the
    /// store, so every client, process and machine sharing it waits.
    pub(crate) async fn pause_for(&self, wait: Duration) {
        if let Err(error) = self.store.pause(&self.global, wait.min(LONGEST_WAIT)).await {
            tracing::warn!(
                store = %self.store.describe(),
                error = %error,
                "could not record the provider's pause in the rate budget"
            );
        }
    }

    fn unreachable(&self, source: crate::error::BoxError) -> Error {
        Error::Transport {
            provider: self.provider,
            message: format!(
                "the rate budget store ({}) cannot be reached, and nodal never sends without it: {source}",
                self.store.describe()
            ),
            source: Some(source),
            maybe_performed: false,
        }
    }
}

/// A taken slot. Settle it when the request is over, so the next one may go.
pub(crate) struct Permit {
    store: Arc<dyn BudgetStore>,
    lanes: Arc<[Lane]>,
    lease: Lease,
    settled: bool,
}

impl Permit {
    /// The answer (or the failure) arrived now.
    pub(crate) async fn settle(mut self) {
        self.settled = true;
        if let Err(error) = self.store.settle(&self.lanes, self.lease).await {
            // Safe to go on: the lease lapses on its own, only later.
            tracing::warn!(store = %self.store.describe(), error = %error, "could not settle a rate-budget lease");
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.settled || self.store.settle_now(&self.lanes, self.lease) {
            return;
        }
        // An abandoned request (its future dropped) on an async-only store: settle in the
        // background when a runtime is there; otherwise the lease lapses by itself.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (store, lanes, lease) = (self.store.clone(), self.lanes.clone(), self.lease);
            runtime.spawn(async move {
                let _ = store.settle(&lanes, lease).await;
            });
        }
    }
}

/// A lease id unique across processes and machines with overwhelming probability.
fn lease_id() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    hasher.finish().max(1)
}

/// The longest wait the limiter keeps: a `Retry-After` of `u64::MAX` seconds (or a quota of one
/// request per `Duration::MAX`) must not overflow a clock, and a year is "until the process is
/// restarted" for any client.
const LONGEST_WAIT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use tokio::time::Instant;

    /// A limiter on its own key, so tests sharing the process-wide memory store never meet.
    fn limiter(policy: RateLimit) -> Limiter {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let key = format!("test{}", NEXT.fetch_add(1, Ordering::Relaxed));
        Limiter::new(
            "t",
            &policy,
            &RateBudget::in_memory(),
            &key,
            Duration::from_secs(5),
        )
    }

    async fn send(limiter: &Limiter, endpoint: &Endpoint) {
        limiter.acquire(endpoint).await.unwrap().settle().await;
    }

    #[tokio::test]
    async fn global_quota_spaces_requests() {
        let limiter = Arc::new(limiter(RateLimit::new(Quota::per_second(20))));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let limiter = limiter.clone();
            tasks.push(tokio::spawn(async move {
                let permit = limiter.acquire(&Endpoint::get("/x")).await.unwrap();
                let sent = Instant::now();
                permit.settle().await;
                sent
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
    async fn one_request_in_flight_and_the_next_an_interval_after_its_answer() {
        let limiter = Arc::new(limiter(RateLimit::new(Quota::per_second(20))));
        let first = limiter.acquire(&Endpoint::get("/x")).await.unwrap();
        let waiter = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                limiter
                    .acquire(&Endpoint::get("/x"))
                    .await
                    .unwrap()
                    .settle()
                    .await;
                Instant::now()
            })
        };
        // The first answer takes 200 ms: four intervals, during which nobody else is sent.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let answered = Instant::now();
        first.settle().await;
        let next = waiter.await.unwrap();
        assert!(
            next - answered >= Duration::from_millis(45),
            "{:?}",
            next - answered
        );
    }

    #[tokio::test]
    async fn an_abandoned_request_settles_when_dropped() {
        let limiter = limiter(RateLimit::new(Quota::per_second(20)));
        drop(limiter.acquire(&Endpoint::get("/x")).await.unwrap());
        let start = Instant::now();
        send(&limiter, &Endpoint::get("/x")).await;
        // One interval, not the five-second lease.
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn endpoint_quota_is_stricter_and_global_still_applies() {
        let policy = RateLimit::new(Quota::per_second(50))
            .with_endpoint(Endpoint::post("/apps"), Quota::per_second(10));
        let limiter = limiter(policy);
        let start = Instant::now();
        for _ in 0..3 {
            send(&limiter, &Endpoint::post("/apps")).await;
        }
        // Three POSTs at 10/s need at least 200 ms; other endpoints are not held back by it.
        assert!(start.elapsed() >= Duration::from_millis(195));
        let other = Instant::now();
        send(&limiter, &Endpoint::get("/apps")).await;
        assert!(other.elapsed() < Duration::from_millis(100));
    }

    #[tokio::test]
    async fn a_later_request_never_overtakes_a_queued_one() {
        let limiter = Arc::new(limiter(RateLimit::new(Quota::per_second(20))));
        send(&limiter, &Endpoint::get("/x")).await; // takes the free slot
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let queued = {
            let (limiter, order) = (limiter.clone(), order.clone());
            tokio::spawn(async move {
                send(&limiter, &Endpoint::get("/x")).await;
                order.lock().unwrap().push("queued");
            })
        };
        // The first waiter now holds the queue, sleeping until its slot.
        tokio::time::sleep(Duration::from_millis(10)).await;
        send(&limiter, &Endpoint::get("/x")).await;
        order.lock().unwrap().push("later");
        queued.await.unwrap();
        assert_eq!(*order.lock().unwrap(), ["queued", "later"]);
    }

    #[tokio::test]
    async fn pause_holds_every_request() {
        let limiter = limiter(RateLimit::unlimited());
        limiter.pause_for(Duration::from_millis(150)).await;
        let start = Instant::now();
        send(&limiter, &Endpoint::get("/x")).await;
        assert!(start.elapsed() >= Duration::from_millis(140));
    }

    #[tokio::test]
    async fn a_shorter_pause_never_cuts_a_longer_one() {
        let limiter = limiter(RateLimit::unlimited());
        limiter.pause_for(Duration::from_millis(150)).await;
        limiter.pause_for(Duration::from_millis(10)).await;
        let start = Instant::now();
        send(&limiter, &Endpoint::get("/x")).await;
        assert!(start.elapsed() >= Duration::from_millis(140));
        // Once over, requests go straight through again.
        let after = Instant::now();
        send(&limiter, &Endpoint::get("/x")).await;
        assert!(after.elapsed() < Duration::from_millis(50));
    }

    #[test]
    fn degenerate_quotas_do_not_panic() {
        let q = Quota::new(0, Duration::ZERO).with_burst(0);
        assert_eq!(q.burst(), 1);
        assert!(q.interval() >= Duration::from_millis(1));
        let _ = limiter(RateLimit::new(q).with_endpoint(Endpoint::get("/x"), q));
        let centuries = Quota::new(1, Duration::from_secs(600 * 365 * 24 * 60 * 60));
        let _ = limiter(RateLimit::new(centuries.with_burst(u32::MAX)));
    }

    #[tokio::test]
    async fn huge_waits_saturate_instead_of_panicking() {
        let endless = Quota::new(1, Duration::MAX);
        let limiter = limiter(RateLimit::unlimited().with_endpoint(Endpoint::get("/x"), endless));
        // The first request is free; it records the next slot a very long way off.
        send(&limiter, &Endpoint::get("/x")).await;
        limiter.pause_for(Duration::MAX).await;
        limiter.pause_for(Duration::from_secs(u64::MAX)).await;
        for quota in [endless, endless.with_burst(u32::MAX)] {
            let global = self::limiter(RateLimit::new(quota));
            send(&global, &Endpoint::get("/y")).await;
        }
    }

    #[tokio::test]
    async fn two_limiters_on_one_key_share_its_budget() {
        let policy = RateLimit::new(Quota::per_second(20));
        let budget = RateBudget::in_memory();
        let a = Limiter::new("t", &policy, &budget, "shared1", Duration::from_secs(5));
        let b = Limiter::new("t", &policy, &budget, "shared1", Duration::from_secs(5));
        let start = Instant::now();
        for _ in 0..3 {
            send(&a, &Endpoint::get("/x")).await;
            send(&b, &Endpoint::get("/x")).await;
        }
        assert!(
            start.elapsed() >= Duration::from_millis(245),
            "{:?}",
            start.elapsed()
        );
    }
}
