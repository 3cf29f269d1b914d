//! Where a key's rate budget lives, so every client, process and machine using one key spends
//! one budget.
//!
//! A budget is a set of *lanes* (the key's global quota, plus one lane per stricter endpoint
//! quota), each kept as GCRA state: the *theoretical arrival time* (`tat`) before which the
//! next request may not go, and, for strictly spaced lanes, the lease of the one request in
//! flight. A [`BudgetStore`] keeps that state; [`RateBudget`] chooses the store:
//!
//! | store | shared by | constructor |
//! |---|---|---|
//! | memory (default) | every client in this process with the same provider, base URL and key | [`RateBudget::in_memory`] |
//! | file | every process on this machine using the same directory | [`RateBudget::file`] |
//! | Redis / Valkey | every machine using the same server (feature `redis`) | `RateBudget::redis` |
//! | your own | whatever it coordinates | [`RateBudget::custom`] |
//!
//! Stores are keyed by a fingerprint: a SHA-256 of provider, normalised base URL and the
//! credentials, so neither the key nor anything that reveals it is ever written.
//!
//! ## The spacing rule, and why it survives network jitter
//! A provider counts *arrivals*; a client controls only *sends*. Sends spaced exactly one
//! interval apart arrive closer together whenever the first request's uplink was slower than
//! the second's. So a lane whose quota allows no burst (Nodana's one request per second) lets
//! only one request be in flight: the slot is granted only when no lease is outstanding, and
//! when the answer (or the failure) arrives the next slot is put one interval after that
//! moment. The previous request arrived before its answer was sent, and the next one is sent
//! an interval after that answer came back, so arrivals are an interval apart whatever the
//! network does. The price is one round trip per request: at 1 request per second and 100 ms
//! round trips, 0.91 of the limit.
//!
//! A lease carries an expiry (the attempt's timeout plus one interval): if the process holding
//! it dies, the next request waits until the expiry plus one interval, the latest moment the
//! dead request could have arrived. Lanes that allow a burst are plain GCRA over sends.
//!
//! A provider's `Retry-After` pauses the key in the store, so every sharer waits. A store that
//! cannot be reached fails the request with [`Error::Transport`]:
//! nodal never sends without its budget.

mod file;
mod fingerprint;
mod gcra;
mod memory;
#[cfg(feature = "redis")]
mod redis_store;

pub(crate) use fingerprint::fingerprint;

use crate::error::{BoxError, Error};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The variable naming a shared budget store: `redis://HOST:PORT/DB` (or `rediss://`,
/// needs the `redis` feature), or `file:///absolute/dir`.
pub const ENV_RATE_LIMIT_URL: &str = "NODAL_RATE_LIMIT_URL";

/// One lane of a reservation: a store key and the spacing it must keep.
///
/// Implementer API: used by [`BudgetStore`] implementations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// The store key: the key's fingerprint and the lane's name (`global`, or an endpoint).
    pub key: String,
    /// Time between two evenly spaced requests; zero for a lane that only carries pauses.
    pub interval: Duration,
    /// Requests allowed back to back after a quiet spell (at least 1).
    pub burst: u32,
}

impl Lane {
    /// Whether the lane lets only one request be in flight, spacing each send one interval
    /// after the previous answer (the arrival-safe rule; see the [module docs](self)).
    pub fn one_in_flight(&self) -> bool {
        self.burst <= 1 && !self.interval.is_zero()
    }

    /// How far ahead of the theoretical arrival time a burst lets a request go.
    pub fn tolerance(&self) -> Duration {
        self.interval.saturating_mul(self.burst.saturating_sub(1))
    }
}

/// The lease a granted reservation takes on its one-in-flight lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// Identifies the holder, so a late settle cannot clear a newer holder's lease.
    pub id: u64,
    /// How long the lease holds if it is never settled (its holder died).
    pub ttl: Duration,
}

/// What a store answers to a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The slot is taken on every lane; send now.
    Granted,
    /// Not yet; ask again after this long (a lower bound, not a promise).
    Wait(Duration),
}

/// Keeps the GCRA state of budget lanes. Every method is atomic over the lanes it is given.
///
/// Implement it to keep budgets somewhere nodal does not support; see [`RateBudget::custom`].
/// Errors are returned as they are: the request path turns them into a failed request, never
/// into an unlimited one.
#[async_trait::async_trait]
pub trait BudgetStore: Send + Sync {
    /// Takes a slot on every lane at once if all allow it now, else says how long to wait.
    /// A grant advances each lane by its interval and, on one-in-flight lanes, writes `lease`
    /// before returning (so the record exists before the request is sent).
    async fn try_reserve(&self, lanes: &[Lane], lease: Lease) -> Result<Claim, BoxError>;

    /// The request holding `lease` got its answer (or failed): clears the lease and puts the
    /// next slot of each one-in-flight lane one interval after now.
    async fn settle(&self, lanes: &[Lane], lease: Lease) -> Result<(), BoxError>;

    /// [`settle`](Self::settle) without awaiting, for a request abandoned mid-flight (its
    /// future dropped). Returns `false` when the store cannot do it synchronously; the lease
    /// then expires on its own, which is safe but slower.
    fn settle_now(&self, lanes: &[Lane], lease: Lease) -> bool {
        let _ = (lanes, lease);
        false
    }

    /// Holds every lane back for `wait` from now (a provider's `Retry-After`).
    async fn pause(&self, lanes: &[Lane], wait: Duration) -> Result<(), BoxError>;

    /// Where the budget lives, for messages (never a password).
    fn describe(&self) -> String;
}

/// Where a key's rate budget lives. Cheap to clone; the default is the process-wide memory
/// store, so two clients built for the same key already share one budget.
///
/// ```
/// use nodal_core::RateBudget;
/// let here = RateBudget::in_memory();
/// assert_eq!(here.describe(), "memory");
/// let machine = RateBudget::file("/var/lib/my-robot/nodal-budget");
/// assert!(machine.describe().starts_with("file "));
/// ```
#[derive(Clone)]
pub struct RateBudget {
    store: Arc<dyn BudgetStore>,
}

impl RateBudget {
    /// The process-wide memory store (the default).
    pub fn in_memory() -> Self {
        RateBudget {
            store: memory::shared(),
        }
    }

    /// A directory of small state files shared by every process on this machine that uses it.
    /// The directory is created with mode 0700 (a looser one is tightened, or refused when it
    /// cannot be); symbolic links are refused. Problems surface at the first request.
    pub fn file(dir: impl Into<PathBuf>) -> Self {
        RateBudget {
            store: Arc::new(file::FileStore::new(dir.into())),
        }
    }

    /// A Redis or Valkey server (`redis://HOST:PORT/DB`, `rediss://` for TLS) shared by every
    /// machine that uses it. Times come from the server's clock, so machines' clock skew does
    /// not matter. The connection is made at the first request; a server that cannot be
    /// reached fails that request.
    ///
    /// ```
    /// # #[cfg(feature = "redis")] {
    /// let fleet = nodal_core::RateBudget::redis("redis://127.0.0.1:6379/0").unwrap();
    /// assert_eq!(fleet.describe(), "redis 127.0.0.1:6379/0");
    /// assert!(nodal_core::RateBudget::redis("http://x").is_err());
    /// # }
    /// ```
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis(url: &str) -> Result<Self, Error> {
        Ok(RateBudget {
            store: Arc::new(redis_store::RedisStore::open(url)?),
        })
    }

    /// Your own store.
    pub fn custom(store: Arc<dyn BudgetStore>) -> Self {
        RateBudget { store }
    }

    /// The store named by `NODAL_RATE_LIMIT_URL`, or the memory store when it is unset.
    ///
    /// ```
    /// // Unset (or empty): the process-wide memory store.
    /// let budget = nodal_core::RateBudget::from_lookup(|_| None).unwrap();
    /// assert_eq!(budget.describe(), "memory");
    /// # let _ = nodal_core::RateBudget::from_env();
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with your own variable lookup.
    ///
    /// ```
    /// let budget = nodal_core::RateBudget::from_lookup(|_| Some("file:///tmp/nodal-budget".into())).unwrap();
    /// assert_eq!(budget.describe(), "file /tmp/nodal-budget");
    /// let typo = nodal_core::RateBudget::from_lookup(|_| Some("redis:/x".into()));
    /// assert!(typo.unwrap_err().to_string().contains("NODAL_RATE_LIMIT_URL"));
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        match lookup(ENV_RATE_LIMIT_URL).map(|value| value.trim().to_owned()) {
            Some(url) if !url.is_empty() => Self::from_url(&url),
            _ => Ok(Self::in_memory()),
        }
    }

    /// For commands that run as separate processes (the `nodal` CLI, `nodal mcp`): the store
    /// named by `NODAL_RATE_LIMIT_URL`, else a file store in `$XDG_STATE_HOME/nodal/budget`
    /// (or `$HOME/.local/state/nodal/budget`). Fails with [`Error::Config`] when neither is
    /// usable, rather than letting processes run without a shared budget.
    pub fn shared_local() -> Result<Self, Error> {
        Self::shared_local_from(|name| std::env::var(name).ok())
    }

    /// [`shared_local`](Self::shared_local) with your own variable lookup.
    ///
    /// ```
    /// let none = nodal_core::RateBudget::shared_local_from(|_| None);
    /// assert!(none.unwrap_err().to_string().contains("XDG_STATE_HOME"));
    /// ```
    pub fn shared_local_from(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        if let Some(url) = lookup(ENV_RATE_LIMIT_URL).filter(|url| !url.trim().is_empty()) {
            return Self::from_url(url.trim());
        }
        let absolute = |name: &str| {
            lookup(name)
                .map(PathBuf::from)
                .filter(|path| path.is_absolute())
        };
        let dir = match absolute("XDG_STATE_HOME") {
            Some(state) => state.join("nodal").join("budget"),
            None => absolute("HOME")
                .map(|home| home.join(".local").join("state").join("nodal").join("budget"))
                .ok_or_else(|| Error::Config {
                    provider: "nodal",
                    message: format!(
                        "no place for the shared rate budget: neither XDG_STATE_HOME nor HOME is an absolute path; set one, or set {ENV_RATE_LIMIT_URL} (redis://HOST:PORT/DB or file:///DIR)"
                    ),
                })?,
        };
        let store = file::FileStore::new(dir);
        store.prepare().map_err(|e| Error::Config {
            provider: "nodal",
            message: format!(
                "the shared rate budget cannot be kept in {}: {e}; fix the directory, or set {ENV_RATE_LIMIT_URL} (redis://HOST:PORT/DB or file:///DIR)",
                store.describe()
            ),
        })?;
        Ok(RateBudget {
            store: Arc::new(store),
        })
    }

    fn from_url(url: &str) -> Result<Self, Error> {
        if let Some(path) = url.strip_prefix("file://") {
            if !path.starts_with('/') {
                return Err(bad_url(
                    url,
                    "a file store needs an absolute path (file:///DIR)",
                ));
            }
            return Ok(Self::file(path));
        }
        if url.starts_with("redis://") || url.starts_with("rediss://") {
            #[cfg(feature = "redis")]
            return Self::redis(url);
            #[cfg(not(feature = "redis"))]
            return Err(bad_url(
                url,
                "this build has no Redis support; enable the `redis` feature of `nodal`",
            ));
        }
        Err(bad_url(
            url,
            "expected redis://HOST:PORT/DB, rediss://..., or file:///DIR",
        ))
    }

    /// Where the budget lives (`memory`, `file DIR`, `redis HOST:PORT/DB`); never a password.
    pub fn describe(&self) -> String {
        self.store.describe()
    }

    pub(crate) fn store(&self) -> &Arc<dyn BudgetStore> {
        &self.store
    }
}

fn bad_url(url: &str, why: &str) -> Error {
    Error::Config {
        provider: "nodal",
        message: format!(
            "{ENV_RATE_LIMIT_URL} `{}` is not usable: {why}",
            crate::transport::safe_url(url)
        ),
    }
}

impl Default for RateBudget {
    fn default() -> Self {
        Self::in_memory()
    }
}

impl fmt::Debug for RateBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RateBudget").field(&self.describe()).finish()
    }
}

impl PartialEq for RateBudget {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.store, &other.store) || self.describe() == other.describe()
    }
}
