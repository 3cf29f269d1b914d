//! The tunable settings of a client: timeouts and the options bundle adapters hand over whole.

use super::limit::RateLimit;
use super::retry::RetryConfig;
use super::{DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_RESPONSE_BYTES};
use crate::budget::RateBudget;
use std::time::Duration;

/// Per-attempt time limits.
///
/// ```
/// use nodal_core::Timeouts;
/// use std::time::Duration;
/// let t = Timeouts::default().with_request(Duration::from_secs(10));
/// assert_eq!(t.connect, Duration::from_secs(5));
/// assert_eq!(t.request, Duration::from_secs(10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Time to establish a connection. Default 5 s.
    pub connect: Duration,
    /// Time for one attempt, from sending to the last byte of the answer. Default 30 s.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(30),
        }
    }
}

impl Timeouts {
    /// Sets the connect timeout.
    pub fn with_connect(mut self, connect: Duration) -> Self {
        self.connect = connect;
        self
    }

    /// Sets the per-attempt request timeout.
    pub fn with_request(mut self, request: Duration) -> Self {
        self.request = request;
        self
    }
}

/// The tunable settings of a client, apart from where it connects and how it authenticates.
/// Adapter builders keep one of these and hand it over whole with
/// [`HttpClientBuilder::options`](super::HttpClientBuilder::options), so every setting has one default and one meaning.
///
/// ```
/// use nodal_core::{ClientOptions, Quota, RateLimit};
/// let mut options = ClientOptions::default();
/// options.rate_limit = RateLimit::new(Quota::per_second(1));
/// assert_eq!(options.max_response_bytes, 8 * 1024 * 1024);
/// assert_eq!(options.max_buffered_bytes, 64 * 1024 * 1024);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientOptions {
    /// Client-side rate limit, shared by every clone of the built client. Default: none.
    pub rate_limit: RateLimit,
    /// Where the key's rate budget lives: shared by every client of the same key in the
    /// process by default; a file or Redis store shares it across processes and machines.
    pub rate_budget: RateBudget,
    /// Retry policy.
    pub retry: RetryConfig,
    /// Connect and per-attempt timeouts.
    pub timeouts: Timeouts,
    /// Largest answer body read into memory (default 8 MiB).
    pub max_response_bytes: u64,
    /// Most answer bytes held in memory at once by the client and all its clones, however many
    /// requests run concurrently (default [`DEFAULT_MAX_BUFFERED_BYTES`], 64 MiB). Each body is
    /// read under a reservation from this bound (its `Content-Length`, or, without one, 64 KiB
    /// and then the per-answer cap), so concurrency cannot multiply `max_response_bytes`; an
    /// answer waits for room rather than grow memory. One answer larger than the whole bound
    /// is refused as [`crate::Error::ResponseTooLarge`]. Zero is refused by `build()`.
    pub max_buffered_bytes: u64,
    /// The `User-Agent` header (default `nodal/<version>`).
    pub user_agent: String,
    /// A `reqwest::Client` the caller configured (proxies, root certificates, local address,
    /// connection pool); `None` (the default) lets nodal build its own. See
    /// [`ClientOptions::http_client`] for what nodal then still guarantees.
    pub http_client: Option<reqwest::Client>,
}

impl ClientOptions {
    /// Sends every request through `client` instead of a client nodal builds.
    ///
    /// nodal still applies, per request: authentication, `Accept`, `User-Agent`, the
    /// per-attempt timeout, the rate limit, retries and the no-replay rule, the size cap, and
    /// the refusal of a redirect answer; secrets are still scrubbed from every error.
    ///
    /// The caller's client decides instead: the connect timeout (nodal's
    /// `Timeouts::connect` is not applied), proxies (nodal's own client bypasses proxies for
    /// loopback hosts; yours does what you configured), TLS roots, and whether redirects are
    /// followed. Keep reqwest's default redirect policy or `Policy::none()`: reqwest drops the
    /// `Authorization` header when a redirect leaves the host, but a client that follows
    /// redirects lets the API move a request elsewhere before nodal sees the answer.
    ///
    /// ```
    /// use nodal_core::ClientOptions;
    /// let mine = nodal_core::reqwest::Client::builder()
    ///     .pool_max_idle_per_host(2)
    ///     .build()
    ///     .unwrap();
    /// let options = ClientOptions::default().http_client(mine);
    /// assert!(options.http_client.is_some());
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            rate_limit: RateLimit::unlimited(),
            rate_budget: RateBudget::in_memory(),
            retry: RetryConfig::default(),
            timeouts: Timeouts::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_buffered_bytes: DEFAULT_MAX_BUFFERED_BYTES,
            user_agent: concat!("nodal/", env!("CARGO_PKG_VERSION")).to_owned(),
            http_client: None,
        }
    }
}
