//! The handle tests hold: start, addresses, keys, admin functions, faults, observation.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use crate::faults::Fault;
use crate::gateway::{self, Config, Shared};
use crate::nodion::NodionKeySpec;
use crate::observe::{Counters, RequestRecord};
use crate::provider::Provider;
use crate::server::{self, ServerHandle};
use crate::util::{lock, shell_quote};

/// A running twin of both APIs on `127.0.0.1`. Dropping it (or [`shutdown`](Sim::shutdown))
/// stops the server and closes every connection.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let sim = nodal_sim::Sim::start().await?;
/// assert!(sim.nodana_base_url().ends_with("/nodana/v1"));
/// assert!(sim.nodion_base_url().ends_with("/nodion/v1"));
/// sim.shutdown().await;
/// # Ok(())
/// # }
/// ```
pub struct Sim {
    shared: Arc<Shared>,
    server: Option<ServerHandle>,
    addr: SocketAddr,
    nodana_key: String,
    nodion_user_key: String,
    nodion_project_key: String,
    nodion_default_project: String,
}

/// Options for [`Sim`]; see [`Sim::builder`].
#[derive(Debug, Clone)]
pub struct SimBuilder {
    port: u16,
    config: Config,
    nodana_static_key: Option<String>,
    nodion_static_key: Option<String>,
}

impl Default for SimBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            config: Config {
                nodana_start_delay: Duration::from_secs(10),
                nodana_min_interval: Duration::from_secs(1),
                nodana_tolerance: Duration::from_millis(50),
                nodion_deploy_delay: Duration::from_secs(10),
                nodion_quota: None,
                max_request_body: 1024 * 1024,
                uplink: None,
            },
            nodana_static_key: None,
            nodion_static_key: None,
        }
    }
}

impl SimBuilder {
    /// The port to listen on (`0`, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How long a Nodana app stays `pending` after create, start, restart or update before it
    /// is `available` (default 10 s, like the real provider).
    pub fn nodana_start_delay(mut self, delay: Duration) -> Self {
        self.config.nodana_start_delay = delay;
        self
    }

    /// How long a Nodion deployment takes from `created` through `waiting` (after half of it) to
    /// `available` (default 10 s).
    pub fn nodion_deploy_delay(mut self, delay: Duration) -> Self {
        self.config.nodion_deploy_delay = delay;
        self
    }

    /// The minimum gap between two accepted requests of one Nodana key (default 1 s, the
    /// provider's 1 req/s). Tests that are not about the limit may shorten it; zero disables it.
    pub fn nodana_min_interval(mut self, interval: Duration) -> Self {
        self.config.nodana_min_interval = interval;
        self
    }

    /// How much closer than the minimum interval a request may come before it counts as a
    /// violation, to absorb loopback jitter (default 50 ms).
    pub fn nodana_tolerance(mut self, tolerance: Duration) -> Self {
        self.config.nodana_tolerance = tolerance;
        self
    }

    /// No tolerance at all: a Nodana request arriving even a microsecond closer than the
    /// minimum interval after the previous accepted one is a violation (answered 429 and
    /// counted in [`Counters::nodana_rate_limit_violations`]). Same as
    /// `nodana_tolerance(Duration::ZERO)`; use it to check a limiter's promise exactly.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use std::time::Duration;
    /// let sim = nodal_sim::Sim::builder()
    ///     .zero_tolerance()
    ///     .uplink_latency(Duration::ZERO, Duration::from_millis(200))
    ///     .start()
    ///     .await?;
    /// assert_eq!(sim.nodana_violations(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn zero_tolerance(self) -> Self {
        self.nodana_tolerance(Duration::ZERO)
    }

    /// Delays every request (both providers) on its way in by a random time uniform in
    /// `[min, max]` before the twin counts its arrival and handles it, like a jittery uplink:
    /// two requests sent in one order may arrive in the other. `max` below `min` is raised
    /// to `min`. Default: none.
    pub fn uplink_latency(mut self, min: Duration, max: Duration) -> Self {
        self.config.uplink = Some((min, max.max(min)));
        self
    }

    /// A per-key Nodion quota: at most `requests` per sliding window of `per`; beyond it, 429
    /// with `Retry-After` in whole seconds (rounded up, at least 1). Default: no quota.
    pub fn nodion_quota(mut self, requests: u32, per: Duration) -> Self {
        self.config.nodion_quota = Some((requests, per));
        self
    }

    /// The largest request body accepted (default 1 MiB); larger ones are refused
    /// (Nodana: `PayloadTooLargeError`/413 payload, Nodion: 413).
    pub fn max_request_body(mut self, bytes: usize) -> Self {
        self.config.max_request_body = bytes;
        self
    }

    /// Use this value as the ready-made Nodana key (e.g. `test-key`, whose Basic header is
    /// `Basic OnRlc3Qta2V5`) instead of a random one.
    pub fn nodana_static_key(mut self, key: &str) -> Self {
        self.nodana_static_key = Some(key.to_owned());
        self
    }

    /// Use this value as the ready-made Nodion user key (all scopes) instead of a random one.
    pub fn nodion_static_key(mut self, key: &str) -> Self {
        self.nodion_static_key = Some(key.to_owned());
        self
    }

    /// Binds `127.0.0.1:<port>` and starts serving on the current tokio runtime.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use std::time::Duration;
    /// let sim = nodal_sim::Sim::builder()
    ///     .nodana_start_delay(Duration::from_millis(300))
    ///     .nodana_min_interval(Duration::from_millis(200))
    ///     .nodana_static_key("test-key")
    ///     .start()
    ///     .await?;
    /// assert_eq!(sim.nodana_key(), "test-key");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> io::Result<Sim> {
        let shared = Arc::new(Shared::new(self.config));
        let nodana_key = lock(&shared.nodana).issue_key(self.nodana_static_key.as_deref());
        let (nodion_user_key, nodion_project_key, nodion_default_project) = {
            let mut nodion = lock(&shared.nodion);
            let user = nodion.issue_user_key(
                NodionKeySpec::all_scopes(),
                shared.clock.now_ms(),
                self.nodion_static_key.as_deref(),
            );
            let default_project = nodion.default_project.clone();
            let project = nodion.issue_project_key(&default_project);
            (user, project, default_project)
        };
        let server = server::spawn(
            SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)),
            gateway::router(Arc::clone(&shared)),
        )?;
        Ok(Sim {
            addr: server.addr(),
            server: Some(server),
            shared,
            nodana_key,
            nodion_user_key,
            nodion_project_key,
            nodion_default_project,
        })
    }
}

impl Sim {
    /// Starts a sim with the default options (see [`SimBuilder`]).
    pub async fn start() -> io::Result<Sim> {
        Self::builder().start().await
    }

    /// Options: delays, rate limits, quota, port, fixed keys.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use std::time::Duration;
    /// let sim = nodal_sim::Sim::builder()
    ///     .nodion_deploy_delay(Duration::from_millis(300))
    ///     .nodion_quota(100, Duration::from_secs(60))
    ///     .start()
    ///     .await?;
    /// println!("{}", sim.nodion_base_url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/nodana/v1`.
    pub fn nodana_base_url(&self) -> String {
        format!("http://{}{}", self.addr, Provider::Nodana.base_path())
    }

    /// `http://127.0.0.1:PORT/nodion/v1`.
    pub fn nodion_base_url(&self) -> String {
        format!("http://{}{}", self.addr, Provider::Nodion.base_path())
    }

    /// The ready-made Nodana key (its own account, no projects yet).
    pub fn nodana_key(&self) -> String {
        self.nodana_key.clone()
    }

    /// A fresh Nodana key: a new, empty account with its own rate-limit bucket.
    pub fn issue_nodana_key(&self) -> String {
        lock(&self.shared.nodana).issue_key(None)
    }

    /// The ready-made Nodion user key: all six scopes, no allow-list, no expiry.
    pub fn nodion_user_key(&self) -> String {
        self.nodion_user_key.clone()
    }

    /// The ready-made Nodion project key, bound to the default project.
    pub fn nodion_project_key(&self) -> String {
        self.nodion_project_key.clone()
    }

    /// The id (UUID) of the sim user's default Nodion project.
    pub fn nodion_default_project(&self) -> String {
        self.nodion_default_project.clone()
    }

    /// Adds a Nodion project to the sim user (the API itself cannot create projects) and
    /// returns its id.
    pub fn create_nodion_project(&self, name: &str) -> String {
        let now_ms = self.shared.clock.now_ms();
        lock(&self.shared.nodion).create_project(name, now_ms)
    }

    /// Issues a Nodion user key of the sim user.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use nodal_sim::{NodionKeySpec, Sim};
    /// let sim = Sim::start().await?;
    /// let staging = sim.create_nodion_project("staging");
    /// let key = sim.issue_nodion_user_key(
    ///     NodionKeySpec::new().scopes(["read", "deploy"]).allow_list([staging]),
    /// );
    /// # let _ = key;
    /// # Ok(())
    /// # }
    /// ```
    pub fn issue_nodion_user_key(&self, spec: NodionKeySpec) -> String {
        let now_ms = self.shared.clock.now_ms();
        lock(&self.shared.nodion).issue_user_key(spec, now_ms, None)
    }

    /// Issues a Nodion project key bound to `project_id` (requests answer 403 if the project
    /// does not exist).
    pub fn issue_nodion_project_key(&self, project_id: &str) -> String {
        lock(&self.shared.nodion).issue_project_key(project_id)
    }

    /// Revokes a Nodion key: its next request answers 401.
    pub fn revoke_nodion_key(&self, key: &str) {
        if let Some(record) = lock(&self.shared.nodion).keys.get_mut(key) {
            record.revoked = true;
        }
    }

    /// Injects a fault for one provider; faults apply in the order injected.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use nodal_sim::{Fault, FaultKind, Provider, Sim};
    /// let sim = Sim::start().await?;
    /// // The next two app creates on Nodana answer 502 without creating anything.
    /// sim.inject(Fault::new(Provider::Nodana, FaultKind::Status(502)).method("POST").path("/apps").times(2));
    /// // The next deployment on Nodion is performed, but its answer never arrives.
    /// sim.inject(
    ///     Fault::new(Provider::Nodion, FaultKind::DropAfterProcessing)
    ///         .method("POST")
    ///         .path("/applications/*/deployments"),
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject(&self, fault: Fault) {
        self.shared.faults.inject(fault);
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// The request log in the order requests were answered (at most the newest 100 000).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.observer.requests()
    }

    /// A snapshot of the counters.
    pub fn counters(&self) -> Counters {
        self.shared.observer.counters()
    }

    /// Nodana requests refused so far because they arrived closer than the minimum interval
    /// after the key's previous accepted request (shorthand for the counter of that name).
    pub fn nodana_violations(&self) -> u64 {
        self.counters().nodana_rate_limit_violations
    }

    /// Shell lines that point the official CLIs and our adapters at this sim:
    /// `NODANA_API_BASE_URL`, `NODANA_API_KEY`, `NODION_API_BASE_URL`, `NODION_API_KEY`.
    pub fn env_exports(&self) -> String {
        [
            ("NODANA_API_BASE_URL", self.nodana_base_url()),
            ("NODANA_API_KEY", self.nodana_key()),
            ("NODION_API_BASE_URL", self.nodion_base_url()),
            ("NODION_API_KEY", self.nodion_user_key()),
        ]
        .iter()
        .map(|(name, value)| format!("export {name}={}\n", shell_quote(value)))
        .collect()
    }

    /// Stops accepting, closes every connection and waits until the server task has ended.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }
}

impl fmt::Debug for Sim {
    /// Shows the address only: the keys are not for logs, even throwaway ones.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sim")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}
