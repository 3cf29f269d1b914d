//! What tests can observe: a request log and counters.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use crate::provider::Provider;
use crate::util::lock;

/// The log keeps this many newest records; older ones are dropped (the `requests` counter still
/// counts them), so a long benchmark cannot exhaust memory.
const LOG_CAPACITY: usize = 100_000;

/// One request as the twin saw it. Never holds the key itself, only its stable id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// When the request arrived, measured from the start of the sim.
    pub at: Duration,
    /// Which provider was addressed.
    pub provider: Provider,
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Path relative to the provider's `/v1`, without the query, e.g. `/apps/app-1/start`.
    pub path: String,
    /// Stable, non-secret id of the key the request presented (`nodana-key-1`, `nodion-key-2`)
    /// when the sim issued that key (also when it is expired or revoked), otherwise `None`.
    pub key_id: Option<String>,
    /// HTTP status answered or, for Nodana, the payload's `statusCode` (its HTTP status is always
    /// 200); `0` when the connection was dropped instead of answering.
    pub status: u16,
    /// The `User-Agent` the client sent, if any.
    pub user_agent: Option<String>,
    /// The request's `x-*` headers (e.g. `x-nodion-project`, or one a caller's own HTTP client
    /// adds), in arrival order. Credentials never travel in these.
    pub extra_headers: Vec<(String, String)>,
}

/// A snapshot of the sim's counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Nodana requests refused because they came closer than the minimum interval after the key's
    /// previous accepted request. Injected `RateLimited` faults are not counted.
    pub nodana_rate_limit_violations: u64,
    /// The same violations per key id.
    pub violations_per_key: BTreeMap<String, u64>,
    /// Nodion requests refused by the optional per-key quota (429).
    pub nodion_quota_rejections: u64,
    /// Successful app creates per project id, both providers.
    pub apps_created_per_project: BTreeMap<String, u64>,
    /// Successful app creates, both providers.
    pub apps_created: u64,
    /// Successful Nodana app creates (`POST /apps`).
    pub nodana_apps_created: u64,
    /// Successful Nodion app creates (`POST /applications`).
    pub nodion_apps_created: u64,
    /// Successful `POST /applications/:id/deployments` on Nodion (creating an application
    /// deploys nothing by itself).
    pub deployments_created: u64,
    /// Every request seen by either provider, including faulted and refused ones.
    pub requests: u64,
}

/// The request log and counters, behind their own lock (taken after a provider lock, never
/// before one).
#[derive(Debug, Default)]
pub(crate) struct Observer {
    inner: Mutex<Observed>,
}

#[derive(Debug, Default)]
struct Observed {
    log: VecDeque<RequestRecord>,
    counters: Counters,
}

impl Observer {
    pub(crate) fn record(&self, record: RequestRecord) {
        let mut inner = lock(&self.inner);
        inner.counters.requests += 1;
        if inner.log.len() >= LOG_CAPACITY {
            inner.log.pop_front();
        }
        inner.log.push_back(record);
    }

    pub(crate) fn rate_limit_violation(&self, key_id: &str) {
        let mut inner = lock(&self.inner);
        inner.counters.nodana_rate_limit_violations += 1;
        *inner
            .counters
            .violations_per_key
            .entry(key_id.to_owned())
            .or_default() += 1;
    }

    pub(crate) fn quota_rejection(&self) {
        lock(&self.inner).counters.nodion_quota_rejections += 1;
    }

    pub(crate) fn app_created(&self, provider: Provider, project_id: &str) {
        let mut inner = lock(&self.inner);
        let c = &mut inner.counters;
        c.apps_created += 1;
        match provider {
            Provider::Nodana => c.nodana_apps_created += 1,
            Provider::Nodion => c.nodion_apps_created += 1,
        }
        *c.apps_created_per_project
            .entry(project_id.to_owned())
            .or_default() += 1;
    }

    pub(crate) fn deployment_created(&self) {
        lock(&self.inner).counters.deployments_created += 1;
    }

    pub(crate) fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.inner).log.iter().cloned().collect()
    }

    pub(crate) fn counters(&self) -> Counters {
        lock(&self.inner).counters.clone()
    }
}
