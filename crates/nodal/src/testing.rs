//! Test your automation offline: the twin of both providers (`nodal-sim`), started in-process,
//! with clients already pointed at it.
//!
//! [`Twin::start`] starts a twin with short delays (apps become available in about 100 ms, the
//! Nodana limit is shortened and still enforced), issues one key per provider, and builds
//! clients whose rate limits match it, so a test of cross-provider code runs in well under a
//! second per app and still fails if the code could get a real key banned. The whole twin is
//! there for assertions: [`Twin::sim`] issues more keys, injects faults and reads the request
//! log and counters.
//!
//! ```
//! use nodal::testing::Twin;
//! use nodal::{AppSpec, Provider};
//! use std::time::Duration;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let twin = Twin::start().await?;
//! let nodana = twin.nodana()?;
//! let project = nodana.create_project("test").await?;
//! let spec = AppSpec::from_template("lnbits").project(project.id.clone());
//! let created = nodana.create_app(&spec).await?;
//! let app = nodana.wait_until_available(&created.app.id, Duration::from_secs(5)).await?;
//! assert_eq!(app.status, nodal::AppStatus::Running);
//! assert_eq!(twin.sim().counters().nodana_rate_limit_violations, 0);
//! twin.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub use nodal_sim::{Counters, Fault, FaultKind, NodionKeySpec, RequestRecord, Sim, SimBuilder};

use crate::{Provider, Result};
use std::io;
use std::sync::Arc;
use std::time::Duration;

/// The Nodana request spacing [`Twin::start`] gives the twin: short for fast tests.
pub const FAST_NODANA_INTERVAL: Duration = Duration::from_millis(20);

/// The random delay [`Twin::start`] adds to every request on its way into the twin (uniform
/// from zero to this), like a real network's uplink. The twin forgives nothing: a Nodana
/// request arriving less than [`FAST_NODANA_INTERVAL`] after the previous one of its key is a
/// violation. The clients' budget keeps arrivals spaced whatever the delays, so a test that
/// counts violations fails only when code really could get a key banned.
pub const FAST_UPLINK_JITTER: Duration = Duration::from_millis(10);

/// A running twin and the clients that talk to it. Dropping it stops the twin; prefer
/// [`Twin::shutdown`] to wait for that.
#[derive(Debug)]
pub struct Twin {
    sim: Sim,
    // Read only by the Nodana client.
    #[cfg_attr(not(feature = "nodana"), allow(dead_code))]
    nodana_interval: Duration,
}

impl Twin {
    /// Starts a twin on a free loopback port with test delays: Nodana apps start and Nodion
    /// deployments finish in 100 ms, Nodana accepts a request every [`FAST_NODANA_INTERVAL`]
    /// per key with zero tolerance, and every request is delayed on its way in by up to
    /// [`FAST_UPLINK_JITTER`].
    pub async fn start() -> io::Result<Twin> {
        let builder = Sim::builder()
            .nodana_start_delay(Duration::from_millis(100))
            .nodion_deploy_delay(Duration::from_millis(100))
            .nodana_min_interval(FAST_NODANA_INTERVAL)
            .zero_tolerance()
            .uplink_latency(Duration::ZERO, FAST_UPLINK_JITTER);
        Self::start_with(builder, FAST_NODANA_INTERVAL).await
    }

    /// Starts a twin from your own `builder`; `nodana_interval` must be the Nodana interval the
    /// builder sets (the twin's default is 1 s), so the clients keep to it.
    pub async fn start_with(builder: SimBuilder, nodana_interval: Duration) -> io::Result<Twin> {
        Ok(Twin {
            sim: builder.start().await?,
            nodana_interval,
        })
    }

    /// The twin itself: more keys, faults, the request log and counters.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Short retries, so a test of a fault does not wait seconds.
    #[cfg(any(feature = "nodana", feature = "nodion"))]
    fn retry() -> crate::RetryConfig {
        crate::RetryConfig::default()
            .with_max_attempts(3)
            .with_backoff(Duration::from_millis(10), Duration::from_millis(50))
    }

    /// A Nodana client for the twin's key, spaced to the twin's limit (no margin: the budget's
    /// one-in-flight rule keeps arrivals apart by itself).
    #[cfg(feature = "nodana")]
    pub fn nodana_client(&self) -> Result<crate::nodana::NodanaClient> {
        crate::nodana::NodanaClient::builder()
            .api_key(self.sim.nodana_key())
            .base_url(self.sim.nodana_base_url())
            .rate_limit(crate::RateLimit::new(crate::Quota::new(
                1,
                self.nodana_interval,
            )))
            .retry(Self::retry())
            .build()
    }

    /// A Nodion client with the twin's user key (every scope, the default project).
    #[cfg(feature = "nodion")]
    pub fn nodion_client(&self) -> Result<crate::nodion::NodionClient> {
        crate::nodion::NodionClient::builder()
            .user_key(self.sim.nodion_user_key())
            .base_url(self.sim.nodion_base_url())
            .retry(Self::retry())
            .build()
    }

    /// [`Twin::nodana_client`] as a neutral provider.
    #[cfg(feature = "nodana")]
    pub fn nodana(&self) -> Result<Arc<dyn Provider>> {
        Ok(Arc::new(self.nodana_client()?))
    }

    /// [`Twin::nodion_client`] as a neutral provider.
    #[cfg(feature = "nodion")]
    pub fn nodion(&self) -> Result<Arc<dyn Provider>> {
        Ok(Arc::new(self.nodion_client()?))
    }

    /// Every provider this build of nodal has, as neutral providers on the twin, for code that
    /// must work on all of them.
    // Which pushes exist depends on the enabled providers, so `vec![..]` cannot be used.
    #[allow(clippy::vec_init_then_push)]
    pub fn providers(&self) -> Result<Vec<Arc<dyn Provider>>> {
        #[allow(unused_mut)]
        let mut providers: Vec<Arc<dyn Provider>> = Vec::new();
        #[cfg(feature = "nodana")]
        providers.push(self.nodana()?);
        #[cfg(feature = "nodion")]
        providers.push(self.nodion()?);
        Ok(providers)
    }

    /// Stops the twin and waits until it has.
    pub async fn shutdown(self) {
        self.sim.shutdown().await;
    }
}
