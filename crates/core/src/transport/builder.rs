//! Configuring an [`HttpClient`]: every setting is checked once, in `build()`.

use super::attempt::error_chain;
use super::auth::Auth;
use super::base_url::{is_loopback, safe_url, validate_base_url};
use super::buffer::ByteBudget;
use super::endpoint::Endpoint;
use super::executor::{HttpClient, Inner};
use super::limit::{Limiter, RateLimit};
use super::options::{ClientOptions, Timeouts};
use super::redact::Redactor;
use super::response::Protocol;
use super::retry::RetryConfig;
use super::url_cache::UrlCache;
use crate::budget::fingerprint as budget_fingerprint;
use crate::error::Error;
use http::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use std::fmt;
use std::sync::Arc;

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

    /// Where the key's rate budget lives (default: the process-wide memory store); see
    /// [`RateBudget`](crate::RateBudget).
    pub fn rate_budget(mut self, budget: crate::RateBudget) -> Self {
        self.options.rate_budget = budget;
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

    /// Most answer bytes held in memory at once by the client and all its clones (default
    /// 64 MiB); see [`ClientOptions::max_buffered_bytes`].
    pub fn max_buffered_bytes(mut self, bytes: u64) -> Self {
        self.options.max_buffered_bytes = bytes;
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
        // The key is scrubbed too, in case it was pasted into the URL.
        let base = validate_base_url(provider, raw)
            .map_err(|e| Redactor::new(self.auth.secrets()).scrub_error(e))?;
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
        if options.max_buffered_bytes == 0 {
            return Err(Error::Config {
                provider,
                message: "max_buffered_bytes must be larger than zero (it bounds the answer bytes the client holds at once)".into(),
            });
        }
        if options.timeouts.connect.is_zero() || options.timeouts.request.is_zero() {
            return Err(Error::Config {
                provider,
                message: "timeouts must be longer than zero".into(),
            });
        }

        let user_agent = HeaderValue::from_str(&options.user_agent).map_err(|_| Error::Config {
            provider,
            message: "the user agent must be printable ASCII without line breaks".into(),
        })?;
        // Authentication and the fixed headers: defaults of nodal's own client, or added to each
        // request when the caller brought a client (whose defaults nodal cannot change).
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, user_agent);
        if let Some(value) = self.auth.header() {
            headers.insert(AUTHORIZATION, value.clone());
        }
        let (http, per_request_headers) = match options.http_client {
            Some(client) => (client, Some(headers)),
            None => {
                let mut http = reqwest::Client::builder()
                    .default_headers(headers)
                    .connect_timeout(options.timeouts.connect)
                    // An API answer never needs a redirect; following one could carry the key
                    // elsewhere.
                    .redirect(reqwest::redirect::Policy::none());
                // Standard proxy variables apply, except to a loopback twin or test server.
                if is_loopback(&base) {
                    http = http.no_proxy();
                }
                let http = http.build().map_err(|e| Error::Config {
                    provider,
                    message: format!("the HTTP client could not be built: {}", error_chain(&e)),
                })?;
                (http, None)
            }
        };

        Ok(HttpClient {
            inner: Arc::new(Inner {
                limiter: Limiter::new(
                    provider,
                    &options.rate_limit,
                    &options.rate_budget,
                    &budget_fingerprint(
                        provider,
                        &base,
                        self.auth.header().map_or(&[][..], |value| value.as_bytes()),
                    ),
                    options
                        .timeouts
                        .connect
                        .saturating_add(options.timeouts.request),
                ),
                redactor: Redactor::new(self.auth.secrets()),
                auth_scheme: self.auth.scheme(),
                protocol: self.protocol,
                http,
                per_request_headers,
                base,
                url_cache: UrlCache::default(),
                rate_limit: options.rate_limit,
                retry: options.retry,
                timeouts: options.timeouts,
                max_response_bytes: options.max_response_bytes,
                buffers: ByteBudget::new(options.max_buffered_bytes),
            }),
        })
    }
}

impl<P> fmt::Debug for HttpClientBuilder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClientBuilder")
            // Without user info, query or fragment: a URL given by mistake may hold the key.
            .field("base_url", &self.base_url.as_deref().map(safe_url))
            .field("auth", &self.auth)
            .field("options", &self.options)
            .finish()
    }
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
}
