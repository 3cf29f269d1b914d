//! The executor: one shared request loop for every adapter.

use super::DEFAULT_MAX_RESPONSE_BYTES;
use super::auth::Auth;
use super::endpoint::Endpoint;
use super::base_url::{is_loopback, validate_base_url};
use super::limit::{Limiter, RateLimit};
use super::redact::Redactor;
use super::request::Request;
use super::response::{Protocol, RawResponse};
use super::retry::RetryConfig;
use super::url_cache::UrlCache;
use crate::error::Error;
use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use http::StatusCode;
use url::Url;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument as _;

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
/// [`HttpClientBuilder::options`], so every setting has one default and one meaning.
///
/// ```
/// use nodal_core::{ClientOptions, Quota, RateLimit};
/// let mut options = ClientOptions::default();
/// options.rate_limit = RateLimit::new(Quota::per_second(1));
/// assert_eq!(options.max_response_bytes, 8 * 1024 * 1024);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ClientOptions {
    /// Client-side rate limit, shared by every clone of the built client. Default: none.
    pub rate_limit: RateLimit,
    /// Retry policy.
    pub retry: RetryConfig,
    /// Connect and per-attempt timeouts.
    pub timeouts: Timeouts,
    /// Largest answer body read into memory (default 8 MiB).
    pub max_response_bytes: u64,
    /// The `User-Agent` header (default `nodal/<version>`).
    pub user_agent: String,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            rate_limit: RateLimit::unlimited(),
            retry: RetryConfig::default(),
            timeouts: Timeouts::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: concat!("nodal/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// Configures an [`HttpClient`]. Adapters wrap it in their own builders.
pub struct HttpClientBuilder<P> {
    protocol: P,
    base_url: Option<String>,
    auth: Auth,
    options: ClientOptions,
    endpoints: Option<&'static [Endpoint]>,
}

impl<P: Protocol> HttpClientBuilder<P> {
    /// The API's base URL, e.g. `https://api.nodana.io/v1` (required). Plain `http` is accepted
    /// only for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The adapter's complete list of endpoint rows. With it, `build()` refuses a per-endpoint
    /// quota for an endpoint the adapter does not have, instead of silently never applying it.
    pub fn endpoints(mut self, endpoints: &'static [Endpoint]) -> Self {
        self.endpoints = Some(endpoints);
        self
    }

    /// How requests authenticate.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Client-side rate limit, shared by every clone of the built client.
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.options.rate_limit = rate_limit;
        self
    }

    /// Retry policy.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.options.retry = retry;
        self
    }

    /// Connect and per-attempt timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.options.timeouts = timeouts;
        self
    }

    /// Replaces every tunable setting at once (rate limit, retry, timeouts, size cap, user agent).
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// Largest answer body read into memory (default 8 MiB); a larger one is refused with
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.options.max_response_bytes = bytes;
        self
    }

    /// Overrides the `User-Agent` header (default `nodal/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.options.user_agent = user_agent.into();
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<HttpClient<P>, Error> {
        let provider = self.protocol.provider();
        let raw = self.base_url.as_deref().ok_or_else(|| Error::Config {
            provider,
            message: "no base URL was configured".into(),
        })?;
        let base = validate_base_url(provider, raw)?;
        if base.scheme() == "https" && !cfg!(any(feature = "rustls", feature = "native-tls")) {
            return Err(Error::Config {
                provider,
                message: "this build has no TLS backend, so it cannot reach an https URL; enable the `rustls` (or `native-tls`) feature of `nodal`".into(),
            });
        }
        let options = self.options;
        if let Some(unknown) = self
            .endpoints
            .and_then(|known| options.rate_limit.unknown_endpoint(known))
        {
            return Err(Error::Config {
                provider,
                message: format!(
                    "a quota was given for `{unknown}`, which is not a {provider} endpoint; use one of the adapter's endpoint rows"
                ),
            });
        }
        if options.timeouts.connect.is_zero() || options.timeouts.request.is_zero() {
            return Err(Error::Config {
                provider,
                message: "timeouts must be longer than zero".into(),
            });
        }

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(value) = self.auth.header() {
            headers.insert(AUTHORIZATION, value.clone());
        }
        let mut http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(options.user_agent)
            .connect_timeout(options.timeouts.connect)
            // An API answer never needs a redirect; following one could carry the key elsewhere.
            .redirect(reqwest::redirect::Policy::none());
        if is_loopback(&base) {
            http = http.no_proxy();
        }
        let http = http.build().map_err(|e| Error::Config {
            provider,
            message: format!("the HTTP client could not be built: {}", error_chain(&e)),
        })?;

        Ok(HttpClient {
            inner: Arc::new(Inner {
                limiter: Limiter::new(&options.rate_limit),
                redactor: Redactor::new(self.auth.secrets()),
                auth_scheme: self.auth.scheme(),
                protocol: self.protocol,
                http,
                base,
                url_cache: UrlCache::default(),
                rate_limit: options.rate_limit,
                retry: options.retry,
                timeouts: options.timeouts,
                max_response_bytes: options.max_response_bytes,
            }),
        })
    }
}

impl<P> fmt::Debug for HttpClientBuilder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("options", &self.options)
            .finish()
    }
}

/// Sends [`Request`]s for one provider and key: rate-limited, retried when safe, size-capped,
/// traced without secrets. Cloning is cheap and clones share the rate limiter, so any number of
/// tasks can use one client without exceeding its quota.
///
/// ```
/// # use nodal_core::{Error, Quota, RateLimit, raw::{Auth, HttpClient, Protocol, RawResponse}};
/// # use serde::de::DeserializeOwned;
/// # #[derive(Clone)] struct Json;
/// # impl Protocol for Json {
/// #     fn provider(&self) -> &'static str { "example" }
/// #     fn decode<T: DeserializeOwned>(&self, r: &RawResponse<'_>) -> Result<T, Error> { r.json() }
/// # }
/// let client = HttpClient::builder(Json)
///     .base_url("https://api.example.com/v1")
///     .auth(Auth::bearer("example", "token".into())?)
///     .rate_limit(RateLimit::new(Quota::per_second(1)))
///     .build()?;
/// let clone = client.clone(); // shares the limiter
/// assert_eq!(clone.base_url().as_str(), "https://api.example.com/v1");
/// assert!(!format!("{client:?}").contains("token"));
/// # Ok::<(), Error>(())
/// ```
pub struct HttpClient<P> {
    inner: Arc<Inner<P>>,
}

struct Inner<P> {
    protocol: P,
    http: reqwest::Client,
    base: Url,
    url_cache: UrlCache,
    limiter: Limiter,
    rate_limit: RateLimit,
    retry: RetryConfig,
    timeouts: Timeouts,
    max_response_bytes: u64,
    redactor: Redactor,
    auth_scheme: &'static str,
}

impl<P> Clone for HttpClient<P> {
    fn clone(&self) -> Self {
        HttpClient {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<P> fmt::Debug for HttpClient<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &self.inner.base.as_str())
            .field(
                "auth",
                &format_args!("{} [redacted]", self.inner.auth_scheme),
            )
            .field("rate_limit", &self.inner.rate_limit)
            .field("retry", &self.inner.retry)
            .field("timeouts", &self.inner.timeouts)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish()
    }
}

/// Whether a failed attempt may have had an effect on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reached {
    /// The connection was never made: nothing was sent.
    No,
    /// The server answered that it did not perform the request (rate limited).
    Rejected,
    /// Unknown: the request may have been performed.
    Maybe,
}

struct Failure {
    error: Error,
    reached: Reached,
}

impl<P: Protocol> HttpClient<P> {
    /// Starts configuring a client that speaks `protocol`.
    pub fn builder(protocol: P) -> HttpClientBuilder<P> {
        HttpClientBuilder {
            protocol,
            base_url: None,
            auth: Auth::none(),
            options: ClientOptions::default(),
            endpoints: None,
        }
    }

    /// The validated base URL (no trailing slash).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The provider this client talks to.
    pub fn provider(&self) -> &'static str {
        self.inner.protocol.provider()
    }

    /// The protocol (the adapter's decoder).
    pub fn protocol(&self) -> &P {
        &self.inner.protocol
    }

    /// The retry policy.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// The rate-limit policy.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.inner.rate_limit
    }

    /// The timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.inner.timeouts
    }

    /// Sends `request` and decodes the answer into `T` through the protocol.
    ///
    /// Every attempt waits for the rate limiter. A failed attempt is retried only if the error
    /// is retryable, attempts and time budget remain, and replaying is safe: the request is
    /// idempotent, or it certainly never reached the server, or the server said it did not
    /// perform it. Otherwise the error is returned, saying when a non-idempotent request may
    /// have been performed.
    pub async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let span = tracing::debug_span!(
            "nodal.request",
            provider = self.provider(),
            method = request.method().as_str(),
            path = request.template(),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.send_in_span(request, span.clone())
            .instrument(span)
            .await
    }

    async fn send_in_span<T: DeserializeOwned>(
        &self,
        request: Request,
        span: tracing::Span,
    ) -> Result<T, Error> {
        let inner = &*self.inner;
        let provider = self.provider();
        let url = inner.url_cache.url_for(&request, &inner.base, provider)?;
        let body = match &request.body {
            None => None,
            Some(Ok(bytes)) => Some(bytes.clone()),
            Some(Err(problem)) => {
                return Err(Error::InvalidInput {
                    provider,
                    field: None,
                    message: format!("the request body cannot be encoded as JSON: {problem}"),
                });
            }
        };

        let retry = &inner.retry;
        let mut first_attempt_at: Option<Instant> = None;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            inner
                .limiter
                .acquire(&request.endpoint)
                .await;
            let started = *first_attempt_at.get_or_insert_with(Instant::now);
            span.record("attempt", attempt);
            tracing::trace!(attempt, "sending");

            let failure = match self.attempt(&request, &url, body.clone(), &span).await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };

            if let Some(wait) = failure.error.retry_after() {
                // Every request of this key holds back, not only this one.
                inner.limiter.pause_for(wait.min(retry.max_retry_after));
            }
            let replay_is_safe = request.is_idempotent() || failure.reached != Reached::Maybe;
            if !failure.error.is_retryable() {
                if !request.is_idempotent() && matches!(failure.error, Error::Decode { .. }) {
                    // The provider answered, so it most likely accepted the request: say so,
                    // or a caller may create the same thing again.
                    return Err(failure.error.into_maybe_performed());
                }
                return Err(failure.error);
            }
            if !replay_is_safe {
                tracing::debug!(
                    attempt,
                    "not retrying a non-idempotent request that may have been performed"
                );
                return Err(failure.error.into_maybe_performed());
            }
            if attempt >= retry.max_attempts.max(1) {
                return Err(give_up(failure.error, attempt));
            }
            let wait = match failure.error.retry_after() {
                Some(asked) if asked > retry.max_retry_after => {
                    return Err(failure.error.with_note(format_args!(
                        "the provider asked to wait {}s, longer than the client's max_retry_after",
                        asked.as_secs()
                    )));
                }
                Some(asked) => asked,
                None => retry.backoff(attempt),
            };
            if started.elapsed() + wait > retry.budget {
                return Err(give_up(failure.error, attempt));
            }
            tracing::warn!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                error = %failure.error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        request: &Request,
        url: &Url,
        body: Option<Bytes>,
        span: &tracing::Span,
    ) -> Result<T, Failure> {
        let inner = &*self.inner;
        let provider = self.provider();
        let mut builder = inner
            .http
            .request(request.method().to_http(), url.clone())
            .timeout(inner.timeouts.request);
        if !request.headers.is_empty() {
            builder = builder.headers(request.headers.clone());
        }
        if let Some(body) = body {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }

        let mut response = builder
            .send()
            .await
            .map_err(|e| self.transport_failure(e, request))?;
        let status = response.status();
        span.record("status", status.as_u16());

        if status.is_redirection() {
            let target = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| url.join(v).ok())
                .and_then(|v| v.host_str().map(str::to_owned))
                .unwrap_or_else(|| "an unknown location".into());
            return Err(Failure {
                error: Error::Server {
                    provider,
                    status: status.as_u16(),
                    message: format!(
                        "the API answered with a redirect to {target}; redirects are not followed so the key never leaves the configured host; check the base URL"
                    ),
                    maybe_performed: false,
                },
                reached: Reached::Maybe,
            });
        }

        let headers = std::mem::take(response.headers_mut());
        let body = self.read_body(response, request).await?;
        let raw = RawResponse {
            provider,
            status,
            headers: Some(&headers),
            body: &body,
            endpoint: request.endpoint,
            redactor: &inner.redactor,
        };
        inner.protocol.decode(&raw).map_err(|error| Failure {
            reached: if matches!(error, Error::RateLimited { .. }) {
                Reached::Rejected
            } else {
                Reached::Maybe
            },
            error,
        })
    }

    /// Reads the body, refusing anything larger than the cap before or while reading it.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        request: &Request,
    ) -> Result<Bytes, Failure> {
        let cap = self.inner.max_response_bytes;
        let too_large = || Failure {
            error: Error::ResponseTooLarge {
                provider: self.provider(),
                limit: cap,
            },
            reached: Reached::Maybe,
        };
        match response.content_length() {
            Some(length) if length > cap => return Err(too_large()),
            Some(_) => {
                return response
                    .bytes()
                    .await
                    .map_err(|e| self.transport_failure(e, request));
            }
            None => {}
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_failure(e, request))?
        {
            if (body.len() + chunk.len()) as u64 > cap {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    fn transport_failure(&self, error: reqwest::Error, request: &Request) -> Failure {
        // The URL may carry query values; keep it out of messages and sources.
        let error = error.without_url();
        let provider = self.provider();
        let endpoint = request.endpoint;
        if error.is_connect() {
            let host = self.inner.base.host_str().unwrap_or("the API host");
            return Failure {
                error: Error::Transport {
                    provider,
                    message: format!(
                        "could not connect to {host} for {endpoint} (nothing was sent): {}",
                        error_chain(&error)
                    ),
                    source: Some(Box::new(error)),
                    maybe_performed: false,
                },
                reached: Reached::No,
            };
        }
        if error.is_timeout() {
            return Failure {
                error: Error::Timeout {
                    provider,
                    what: format!("waiting for the answer to {endpoint}"),
                    after: self.inner.timeouts.request,
                    maybe_performed: false,
                },
                reached: Reached::Maybe,
            };
        }
        let status = error.status().unwrap_or(StatusCode::OK);
        Failure {
            error: Error::Transport {
                provider,
                message: format!(
                    "the connection failed before a complete answer to {endpoint} arrived (HTTP {}): {}",
                    status.as_u16(),
                    error_chain(&error)
                ),
                source: Some(Box::new(error)),
                maybe_performed: false,
            },
            reached: Reached::Maybe,
        }
    }
}

fn give_up(error: Error, attempts: u32) -> Error {
    if attempts > 1 {
        error.with_note(format_args!("gave up after {attempts} attempts"))
    } else {
        error
    }
}

/// The error and its causes as one line, without the request URL.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(err) = current {
        let text = err.to_string();
        let text = match text.find(" for url (") {
            Some(at) => text[..at].to_owned(),
            None => text,
        };
        if !parts.contains(&text) {
            parts.push(text);
        }
        current = err.source();
    }
    parts.join(": ")
}
