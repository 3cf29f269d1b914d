//! The executor: one shared request loop for every adapter. It waits for the rate limiter,
//! makes one attempt at a time ([`super::attempt`]) and asks the pure replay decision
//! ([`super::replay::next_step`]) what to do after a failure.

use super::buffer::ByteBudget;
use super::limit::{Limiter, RateLimit};
use super::options::Timeouts;
use super::redact::Redactor;
use super::replay::{FailureFacts, Reached, Step, give_up, next_step};
use super::request::Request;
use super::response::Protocol;
use super::retry::{RetryConfig, unit_random};
use super::url_cache::UrlCache;
use crate::error::Error;
use secrecy::ExposeSecret as _;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use tokio::time::Instant;
use tracing::Instrument as _;
use url::Url;

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
    pub(super) inner: Arc<Inner<P>>,
}

/// What every clone of a client shares; built once by [`super::HttpClientBuilder::build`].
pub(super) struct Inner<P> {
    pub(super) protocol: P,
    pub(super) http: reqwest::Client,
    /// `Accept`, `User-Agent` and authentication, when they must go on each request because
    /// the caller brought the client; `None` when they are the client's own defaults.
    pub(super) per_request_headers: Option<http::HeaderMap>,
    pub(super) base: Url,
    pub(super) url_cache: UrlCache,
    pub(super) limiter: Limiter,
    pub(super) rate_limit: RateLimit,
    pub(super) retry: RetryConfig,
    pub(super) timeouts: Timeouts,
    pub(super) max_response_bytes: u64,
    /// The client-wide bound on answer bytes held at once (`ClientOptions::max_buffered_bytes`).
    pub(super) buffers: ByteBudget,
    pub(super) redactor: Redactor,
    pub(super) auth_scheme: &'static str,
}

/// What [`HttpClient::send_removal`] achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Removal<T> {
    /// The provider answered the request with this value: it removed the resource now.
    Answered(T),
    /// An earlier attempt, whose answer was lost, removed the resource: the replay found
    /// nothing left to remove. Done, but there is no answer to show.
    AlreadyGone,
}

/// What the loop ended with.
enum Sent<T> {
    Value(T),
    /// A replayed removal met `NotFound` after an attempt that may have been performed.
    GoneAfterReplay(Error),
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
            .field("max_buffered_bytes", &self.inner.buffers.limit())
            .finish()
    }
}

impl<P: Protocol> HttpClient<P> {
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

    /// The client-wide bound on answer bytes held in memory at once, shared by every clone
    /// ([`crate::ClientOptions::max_buffered_bytes`], rounded up to whole KiB).
    pub fn max_buffered_bytes(&self) -> u64 {
        self.inner.buffers.limit()
    }

    /// Answer bytes reserved right now, across every clone and task.
    pub fn buffered_bytes(&self) -> u64 {
        self.inner.buffers.reserved()
    }

    /// The most answer bytes ever reserved at once since the client was built: never more
    /// than [`HttpClient::max_buffered_bytes`]. For tests and monitoring.
    ///
    /// ```
    /// # use nodal_core::{ClientOptions, Error, raw::{HttpClient, Protocol, RawResponse}};
    /// # use serde::de::DeserializeOwned;
    /// # struct Json;
    /// # impl Protocol for Json {
    /// #     fn provider(&self) -> &'static str { "example" }
    /// #     fn decode<T: DeserializeOwned>(&self, r: &RawResponse<'_>) -> Result<T, Error> { r.json() }
    /// # }
    /// let mut options = ClientOptions::default();
    /// options.max_buffered_bytes = 16 * 1024 * 1024;
    /// let client = HttpClient::builder(Json)
    ///     .base_url("http://127.0.0.1:9/v1")
    ///     .options(options)
    ///     .build()?;
    /// assert_eq!(client.max_buffered_bytes(), 16 * 1024 * 1024);
    /// assert_eq!(client.buffered_bytes_peak(), 0);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn buffered_bytes_peak(&self) -> u64 {
        self.inner.buffers.peak()
    }

    /// Sends `request` and decodes the answer into `T` through the protocol.
    ///
    /// Every attempt waits for the rate limiter. A failed attempt is retried only if the error
    /// is retryable, attempts and time budget remain, and replaying is safe: the request is
    /// idempotent, or it certainly never reached the server, or the server said it did not
    /// perform it. Otherwise the error is returned, saying when a non-idempotent request may
    /// have been performed ([`Error::maybe_performed`]). Every error names the endpoint once,
    /// in front of its message (`GET /apps/{app_id}: App not found`).
    pub async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        // Field names follow OpenTelemetry's HTTP client conventions, so a
        // `tracing-opentelemetry` layer exports them as the standard attributes.
        let span = tracing::debug_span!(
            "nodal.request",
            otel.name = %request.endpoint(),
            otel.kind = "client",
            nodal.provider = self.provider(),
            http.request.method = request.method().as_str(),
            url.template = request.template(),
            server.address = self.inner.base.host_str().unwrap_or_default(),
            server.port = self.inner.base.port_or_known_default().unwrap_or_default(),
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
        );
        match self.send_traced(request, span, false).await? {
            Sent::Value(value) => Ok(value),
            Sent::GoneAfterReplay(error) => Err(error),
        }
    }

    /// Sends a request that removes something (a delete), and reports a removal that an
    /// earlier attempt performed: when an attempt may have been performed but its answer was
    /// lost (a dropped connection, a timeout, a 5xx), the request is replayed (deletes are
    /// idempotent), and a replay that then meets [`Error::NotFound`] means the earlier attempt
    /// removed it. That is [`Removal::AlreadyGone`], not an error (and a note at `info`
    /// level). A `NotFound` on the first attempt stays an error: the thing never existed.
    ///
    /// ```no_run
    /// # use nodal_core::{Endpoint, Error, raw::{HttpClient, Protocol, RawResponse, Removal}};
    /// # use serde::de::DeserializeOwned;
    /// # struct Json;
    /// # impl Protocol for Json {
    /// #     fn provider(&self) -> &'static str { "example" }
    /// #     fn decode<T: DeserializeOwned>(&self, r: &RawResponse<'_>) -> Result<T, Error> { r.json() }
    /// # }
    /// # async fn run(client: HttpClient<Json>) -> Result<(), Error> {
    /// const DELETE_APP: Endpoint = Endpoint::delete("/apps/{app_id}");
    /// match client.send_removal::<serde_json::Value>(DELETE_APP.request().param("app-1")).await? {
    ///     Removal::Answered(answer) => println!("deleted: {answer}"),
    ///     Removal::AlreadyGone => println!("deleted by an attempt whose answer was lost"),
    ///     _ => {}
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send_removal<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Removal<T>, Error> {
        let span = tracing::debug_span!(
            "nodal.request",
            otel.name = %request.endpoint(),
            otel.kind = "client",
            nodal.provider = self.provider(),
            http.request.method = request.method().as_str(),
            url.template = request.template(),
            server.address = self.inner.base.host_str().unwrap_or_default(),
            server.port = self.inner.base.port_or_known_default().unwrap_or_default(),
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
        );
        match self.send_traced(request, span, true).await? {
            Sent::Value(value) => Ok(Removal::Answered(value)),
            Sent::GoneAfterReplay(_) => Ok(Removal::AlreadyGone),
        }
    }

    async fn send_traced<T: DeserializeOwned>(
        &self,
        request: Request,
        span: tracing::Span,
        removal: bool,
    ) -> Result<Sent<T>, Error> {
        let endpoint = request.endpoint();
        self.send_in_span(request, span.clone(), removal)
            .instrument(span)
            .await
            // The one place the endpoint enters a message: attempts and protocols leave it out.
            .map(|sent| match sent {
                Sent::GoneAfterReplay(error) => Sent::GoneAfterReplay(error.with_context(endpoint)),
                value => value,
            })
            .map_err(|error| error.with_context(endpoint))
    }

    async fn send_in_span<T: DeserializeOwned>(
        &self,
        request: Request,
        span: tracing::Span,
        removal: bool,
    ) -> Result<Sent<T>, Error> {
        let inner = &*self.inner;
        let provider = self.provider();
        // The client's secrets plus those this request carries, in every encoding.
        let redactor = inner
            .redactor
            .with(request.secrets.iter().map(|s| s.expose_secret()));
        let url = inner
            .url_cache
            .url_for(&request, &inner.base, provider)
            .map_err(|e| redactor.scrub_error(e))?;
        let body = match &request.body {
            None => None,
            Some(Ok(bytes)) => Some(bytes.clone()),
            Some(Err(problem)) => {
                return Err(redactor.scrub_error(Error::InvalidInput {
                    provider,
                    field: None,
                    message: format!("the request body cannot be encoded as JSON: {problem}"),
                }));
            }
        };

        let retry = &inner.retry;
        let mut first_attempt_at: Option<Instant> = None;
        let mut attempt: u32 = 0;
        // Whether an earlier attempt may have been performed (its answer was lost or failed).
        let mut maybe_performed_earlier = false;
        loop {
            attempt = attempt.saturating_add(1);
            // A budget store that cannot be reached fails the request before anything is sent.
            let permit = inner
                .limiter
                .acquire(&request.endpoint)
                .await
                .map_err(|error| redactor.scrub_error(error))?;
            let started = *first_attempt_at.get_or_insert_with(Instant::now);
            if attempt > 1 {
                span.record("http.request.resend_count", attempt - 1);
            }
            tracing::trace!(attempt, "sending");

            let outcome = inner
                .attempt(&request, &url, body.clone(), &redactor, &span)
                .await;
            // The answer (or the failure) is in: the key's next request may be scheduled.
            permit.settle().await;
            let mut failure = match outcome {
                Ok(value) => return Ok(Sent::Value(value)),
                Err(failure) => failure,
            };
            // Before it is logged or returned: nothing known to be secret leaves this loop.
            failure.error = redactor.scrub_error(failure.error);

            if removal && maybe_performed_earlier && matches!(failure.error, Error::NotFound { .. })
            {
                tracing::info!(
                    attempt,
                    "the replayed removal found nothing to remove: an earlier attempt, whose answer was lost, performed it"
                );
                return Ok(Sent::GoneAfterReplay(failure.error));
            }

            if let Some(wait) = failure.error.retry_after() {
                // Every request of this key holds back, not only this one.
                inner
                    .limiter
                    .pause_for(wait.min(retry.max_retry_after))
                    .await;
            }
            let facts = FailureFacts::of(&failure.error, failure.reached);
            let step = next_step(
                retry,
                &facts,
                request.is_idempotent(),
                attempt,
                started.elapsed(),
                unit_random(),
            );
            match step {
                Step::Retry { after } => {
                    if failure.reached == Reached::Maybe {
                        maybe_performed_earlier = true;
                    }
                    tracing::warn!(
                        attempt,
                        wait_ms = u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
                        error = %failure.error,
                        "retrying"
                    );
                    tokio::time::sleep(after).await;
                }
                Step::GiveUp {
                    maybe_performed,
                    note,
                } => {
                    if maybe_performed {
                        tracing::debug!(
                            attempt,
                            "not retrying a non-idempotent request that may have been performed"
                        );
                    }
                    return Err(give_up(failure.error, maybe_performed, note));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{Endpoint, RawResponse};
    use httpmock::prelude::*;
    use std::io::{Read as _, Write as _};
    use std::time::Duration;

    /// JSON answers; 429 is throttling, 404 not found, anything else a server error.
    struct Plain;

    impl Protocol for Plain {
        fn provider(&self) -> &'static str {
            "t"
        }

        fn decode<T: DeserializeOwned>(&self, response: &RawResponse<'_>) -> Result<T, Error> {
            let message = String::from_utf8_lossy(response.body()).into_owned();
            match response.status().as_u16() {
                200..=299 => response.json(),
                429 => Err(Error::RateLimited {
                    provider: "t",
                    retry_after: response.retry_after(),
                    message,
                }),
                404 => Err(Error::NotFound {
                    provider: "t",
                    message,
                }),
                status => Err(Error::Server {
                    provider: "t",
                    status,
                    message,
                    maybe_performed: false,
                }),
            }
        }
    }

    fn quick() -> RetryConfig {
        RetryConfig::default()
            .with_max_attempts(2)
            .with_backoff(Duration::from_millis(5), Duration::from_millis(10))
    }

    fn client(base: &str) -> HttpClient<Plain> {
        HttpClient::builder(Plain)
            .base_url(base)
            .retry(quick())
            .timeouts(Timeouts::default().with_request(Duration::from_millis(300)))
            .build()
            .unwrap()
    }

    const GET_APP: Endpoint = Endpoint::get("/apps/{app_id}");
    const CREATE_APP: Endpoint = Endpoint::post("/apps");

    #[tokio::test]
    async fn errors_name_the_endpoint_once() {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/apps/a1");
                then.status(404).body("App not found");
            })
            .await;
        let err = client(&server.url("/v1"))
            .send::<serde_json::Value>(GET_APP.request().param("a1"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "t: not found: GET /apps/{app_id}: App not found"
        );

        // Refused before sending: the endpoint is named too, once.
        let err = client(&server.url("/v1"))
            .send::<serde_json::Value>(GET_APP.request().param(".."))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
        assert_eq!(
            err.to_string().matches("GET /apps/{app_id}").count(),
            1,
            "{err}"
        );
    }

    #[tokio::test]
    async fn an_undecodable_answer_to_a_create_names_the_endpoint_once_and_may_be_performed() {
        let server = MockServer::start_async().await;
        let create = server
            .mock_async(|when, then| {
                when.method(POST).path("/v1/apps");
                then.status(201).body("{\"id\": ");
            })
            .await;
        let err = client(&server.url("/v1"))
            .send::<serde_json::Value>(CREATE_APP.request().json(&serde_json::json!({})))
            .await
            .unwrap_err();
        create.assert_calls_async(1).await;
        assert!(err.maybe_performed(), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("POST /apps: answered HTTP 201: "), "{text}");
        assert_eq!(text.matches("POST /apps").count(), 1, "{text}");
    }

    #[tokio::test]
    async fn a_timeout_names_the_endpoint_once() {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/apps/slow");
                then.status(200)
                    .json_body(serde_json::json!({}))
                    .delay(Duration::from_secs(2));
            })
            .await;
        let err = client(&server.url("/v1"))
            .send::<serde_json::Value>(GET_APP.request().param("slow"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "t: timed out after 300ms: GET /apps/{app_id}: waiting for the answer; gave up after 2 attempts"
        );
    }

    #[tokio::test]
    async fn a_refused_connection_names_no_status() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let err = client(&format!("http://127.0.0.1:{port}/v1"))
            .send::<serde_json::Value>(GET_APP.request().param("a1"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with("t: transport error: GET /apps/{app_id}: could not connect to 127.0.0.1 (nothing was sent)"),
            "{text}"
        );
        assert!(!text.contains("HTTP"), "{text}");
        assert!(text.ends_with("gave up after 2 attempts"), "{text}");
    }

    /// A server that answers every connection with `reply` and then closes it.
    fn one_shot_server(reply: &'static [u8], connections: usize) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(connections) {
                let mut stream = stream.unwrap();
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(reply);
            }
        });
        format!("http://127.0.0.1:{port}/v1")
    }

    /// A server that answers its n-th connection with `replies[n]` and then closes it.
    fn scripted_server(replies: Vec<&'static [u8]>) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for (stream, reply) in listener.incoming().zip(replies) {
                let mut stream = stream.unwrap();
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(reply);
            }
        });
        format!("http://127.0.0.1:{port}/v1")
    }

    const DELETE_APP: Endpoint = Endpoint::delete("/apps/{app_id}");
    const NOT_FOUND: &[u8] = b"HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\n\r\nnot found";

    #[tokio::test]
    async fn a_removal_replayed_after_a_lost_answer_that_meets_404_is_done() {
        // The first attempt is read and the connection closed without an answer (it may
        // have been performed); the replay finds nothing.
        let base = scripted_server(vec![b"", NOT_FOUND]);
        let done = client(&base)
            .send_removal::<serde_json::Value>(DELETE_APP.request().param("a1"))
            .await
            .unwrap();
        assert_eq!(done, Removal::AlreadyGone);

        // `send` keeps the error: only a removal knows that absence is its goal.
        let base = scripted_server(vec![b"", NOT_FOUND]);
        let err = client(&base)
            .send::<serde_json::Value>(DELETE_APP.request().param("a1"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn secrets_the_request_carries_are_scrubbed_from_its_errors() {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/v1/apps");
                then.status(422)
                    .body("value sekrit-value-1 (c2Vrcml0LXZhbHVlLTE) is invalid");
            })
            .await;
        let secret = secrecy::SecretString::from("sekrit-value-1");
        let err = client(&server.url("/v1"))
            .send::<serde_json::Value>(
                CREATE_APP
                    .request()
                    .json(&serde_json::json!({"v": "sekrit-value-1"}))
                    .secret(&secret),
            )
            .await
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("sekrit"), "{text}");
        assert!(!text.contains("c2Vrcml0LXZhbHVlLTE"), "{text}");
        assert!(
            text.contains("value [redacted] ([redacted]) is invalid"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn a_removal_that_meets_404_at_once_is_not_found() {
        let base = scripted_server(vec![NOT_FOUND]);
        let err = client(&base)
            .send_removal::<serde_json::Value>(DELETE_APP.request().param("a1"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "t: not found: DELETE /apps/{app_id}: not found"
        );
    }

    #[tokio::test]
    async fn a_connection_closed_before_any_answer_claims_no_status() {
        let base = one_shot_server(b"", 2);
        let err = client(&base)
            .send::<serde_json::Value>(GET_APP.request().param("a1"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("GET /apps/{app_id}: the connection failed before an answer arrived"),
            "{text}"
        );
        assert!(!text.contains("HTTP 200"), "{text}");
        assert_eq!(text.matches("GET /apps/{app_id}").count(), 1, "{text}");
    }

    #[tokio::test]
    async fn a_body_cut_short_names_the_status_that_arrived() {
        let base = one_shot_server(
            b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 100\r\n\r\nshort",
            2,
        );
        let err = client(&base)
            .send::<serde_json::Value>(GET_APP.request().param("a1"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains(
                "GET /apps/{app_id}: the connection failed while the HTTP 503 answer was being read"
            ),
            "{text}"
        );
    }

    #[tokio::test]
    async fn the_largest_retry_after_does_not_panic() {
        let server = MockServer::start_async().await;
        let limited = server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/apps/a1");
                then.status(429)
                    .header("retry-after", "18446744073709551615")
                    .body("slow down");
            })
            .await;
        let client = HttpClient::builder(Plain)
            .base_url(server.url("/v1"))
            .retry(RetryConfig::default().with_max_retry_after(Duration::MAX))
            .build()
            .unwrap();
        let err = client
            .send::<serde_json::Value>(GET_APP.request().param("a1"))
            .await
            .unwrap_err();
        limited.assert_calls_async(1).await;
        assert_eq!(err.retry_after(), Some(Duration::from_secs(u64::MAX)));
        assert!(
            err.to_string().contains("GET /apps/{app_id}: slow down"),
            "{err}"
        );
    }
}
