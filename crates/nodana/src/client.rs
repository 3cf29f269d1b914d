//! The client and its builder.

use crate::apps::AppsApi;
use crate::endpoints;
use crate::projects::ProjectsApi;
use crate::protocol::{NodanaProtocol, PROVIDER};
use crate::services::ServicesApi;
use nodal_core::raw::{Auth, ConfigVars, HttpClient, Removal, Request};
use nodal_core::{ClientOptions, Error, Quota, RateLimit, Result, RetryConfig, SecretString};
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::Duration;

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.nodana.io/v1";
/// Environment variable holding the API key (the same as Nodana's own CLI).
pub const ENV_API_KEY: &str = "NODANA_API_KEY";
/// Environment variable overriding the base URL (the same as Nodana's own CLI).
pub const ENV_BASE_URL: &str = "NODANA_API_BASE_URL";

/// A Nodana client for one API key.
///
/// Cloning is cheap, and every clone shares the rate limiter: any number of tasks using clones
/// of one client stay within the key's quota (by default Nodana's 1 request per second), so the
/// key is never banned for flooding. `Debug` never shows the key.
///
/// The whole API is reached through [`NodanaClient::projects`], [`NodanaClient::apps`] and
/// [`NodanaClient::services`]; the neutral [`nodal_core::Provider`] traits are implemented too.
///
/// ```
/// use nodal_nodana::NodanaClient;
///
/// let client = NodanaClient::builder().api_key("test-key").build()?;
/// let clone = client.clone(); // shares the limiter
/// assert_eq!(clone.base_url(), "https://api.nodana.io/v1");
/// assert!(!format!("{client:?}").contains("test-key"));
/// # Ok::<(), nodal_core::Error>(())
/// ```
#[derive(Clone)]
pub struct NodanaClient {
    http: HttpClient<NodanaProtocol>,
}

impl NodanaClient {
    /// Starts configuring a client.
    pub fn builder() -> NodanaClientBuilder {
        NodanaClientBuilder::default()
    }

    /// A client configured from the environment: the key from [`ENV_API_KEY`] (required) and
    /// the base URL from [`ENV_BASE_URL`] (optional; default `https://api.nodana.io/v1`), with
    /// the default options. See [`NodanaClientBuilder::from_env`] to change options first.
    ///
    /// ```
    /// use nodal_core::Error;
    /// use nodal_nodana::NodanaClient;
    ///
    /// match NodanaClient::from_env() {
    ///     Ok(client) => println!("talking to {}", client.base_url()),
    ///     Err(Error::Config { message, .. }) => eprintln!("not configured: {message}"),
    ///     Err(other) => return Err(other),
    /// }
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_env() -> Result<NodanaClient> {
        NodanaClientBuilder::from_env()?.build()
    }

    /// The typed project endpoints.
    pub fn projects(&self) -> ProjectsApi<'_> {
        ProjectsApi::new(self)
    }

    /// The typed app endpoints.
    pub fn apps(&self) -> AppsApi<'_> {
        AppsApi::new(self)
    }

    /// The typed service endpoints.
    pub fn services(&self) -> ServicesApi<'_> {
        ServicesApi::new(self)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.http.base_url().as_str()
    }

    /// The rate-limit policy shared by every clone.
    pub fn rate_limit(&self) -> &RateLimit {
        self.http.rate_limit()
    }

    /// The retry policy.
    pub fn retry_config(&self) -> &RetryConfig {
        self.http.retry_config()
    }

    /// The shortest time between two requests the client allows (its global quota), or
    /// Nodana's documented 1 s when the limit was switched off. Waits never poll faster.
    pub(crate) fn min_interval(&self) -> Duration {
        self.http
            .rate_limit()
            .quota()
            .map_or(Duration::from_secs(1), |quota| quota.interval())
    }

    /// Sends a request through the shared request path.
    pub(crate) async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.http.send(request).await
    }

    /// Sends a delete; `None` when a replay found the thing already gone after an earlier
    /// attempt whose answer was lost (that attempt performed it).
    pub(crate) async fn send_removal<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Option<T>> {
        Ok(match self.http.send_removal(request).await? {
            Removal::Answered(value) => Some(value),
            _ => None,
        })
    }
}

impl fmt::Debug for NodanaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // HttpClient's Debug shows the auth scheme only, never the key.
        f.debug_struct("NodanaClient")
            .field("http", &self.http)
            .finish()
    }
}

/// Configures a [`NodanaClient`].
///
/// | setting | default |
/// |---|---|
/// | `api_key` | required (or [`ENV_API_KEY`] with [`NodanaClientBuilder::from_env`]) |
/// | `base_url` | `https://api.nodana.io/v1` (or [`ENV_BASE_URL`]) |
/// | `rate_limit` | [`NodanaClient::default_rate_limit`]: 1 request per second, burst 1, shared by all clones |
/// | `retry` | [`RetryConfig::default`]: 4 attempts, 60 s budget; creates only replayed when not performed |
/// | `timeouts` / `timeout` | [`Timeouts::default`](nodal_core::Timeouts::default): 5 s connect, 30 s per attempt |
/// | `max_response_bytes` | 8 MiB |
/// | `user_agent` | `nodal/<version>` |
///
/// Stricter per-endpoint quotas are added with [`RateLimit::with_endpoint`] and the rows of
/// [`crate::endpoints`]. Raising the global quota above 1 request per second risks a ban of the
/// key: Nodana bans keys that repeatedly exceed it. [`NodanaClientBuilder::options`] replaces
/// every setting, the rate limit included, so start from
/// [`NodanaClient::default_rate_limit`] there too.
///
/// ```
/// use nodal_core::{Quota, RetryConfig};
/// use nodal_nodana::{endpoints, NodanaClient};
/// use std::time::Duration;
///
/// let client = NodanaClient::builder()
///     .api_key("test-key")
///     .base_url("https://staging.example.com/v1")
///     // Keep Nodana's 1 req/s, and create at most one app a minute.
///     .rate_limit(
///         NodanaClient::default_rate_limit()
///             .with_endpoint(endpoints::CREATE_APP, Quota::per_minute(1)),
///     )
///     .retry(RetryConfig::default().with_max_attempts(3))
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// assert_eq!(client.base_url(), "https://staging.example.com/v1");
/// # Ok::<(), nodal_core::Error>(())
/// ```
#[derive(Clone)]
pub struct NodanaClientBuilder {
    api_key: Option<SecretString>,
    base_url: String,
    options: ClientOptions,
}

impl Default for NodanaClientBuilder {
    fn default() -> Self {
        let mut options = ClientOptions::default();
        options.rate_limit = NodanaClient::default_rate_limit();
        NodanaClientBuilder {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            options,
        }
    }
}

impl NodanaClient {
    /// Nodana's documented limit: one request per second per key, no burst.
    ///
    /// ```
    /// use nodal_core::Quota;
    /// assert_eq!(nodal_nodana::NodanaClient::default_rate_limit().quota(), Some(Quota::per_second(1)));
    /// ```
    pub fn default_rate_limit() -> RateLimit {
        RateLimit::new(Quota::per_second(1))
    }
}

impl NodanaClientBuilder {
    nodal_core::builder_constructors!();

    /// Like [`NodanaClientBuilder::from_env`], reading variables through `lookup` (for tests, or
    /// configuration kept elsewhere). Empty values count as unset.
    ///
    /// ```
    /// use nodal_nodana::NodanaClientBuilder;
    /// let vars = [("NODANA_API_KEY", "test-key"), ("NODANA_API_BASE_URL", "http://127.0.0.1:9/v1")];
    /// let client = NodanaClientBuilder::from_vars(|name| {
    ///     vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    /// })?
    /// .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");
    ///
    /// let missing = NodanaClientBuilder::from_vars(|_| None).unwrap_err();
    /// assert!(missing.to_string().contains("NODANA_API_KEY"));
    /// # Ok::<(), nodal_core::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let vars = ConfigVars::new(PROVIDER, lookup);
        let key = vars.required(
            ENV_API_KEY,
            "a Nodana API key (created in the account section of the Nodana website)",
        )?;
        let mut builder = Self::new().api_key(key);
        if let Some(url) = vars.optional(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        // `NODAL_RATE_LIMIT_URL` names a store shared across processes or machines.
        builder = builder.rate_budget(nodal_core::RateBudget::from_lookup(|name| {
            vars.optional(name)
        })?);
        Ok(builder)
    }

    /// The API key (sent as the password of Basic auth with an empty user name).
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The API base URL including `/v1` (default `https://api.nodana.io/v1`). Plain `http` is
    /// accepted only for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    nodal_core::client_options_setters!(options);

    /// Checks the configuration and builds the client. A missing or malformed key or base URL,
    /// or a quota for an endpoint Nodana does not have, is [`Error::Config`].
    pub fn build(self) -> Result<NodanaClient> {
        let key = self.api_key.ok_or_else(|| Error::Config {
            provider: PROVIDER,
            message: format!(
                "no API key: pass one to api_key() or set {ENV_API_KEY} (create a key in the account section of the Nodana website)"
            ),
        })?;
        let http = HttpClient::builder(NodanaProtocol)
            .base_url(self.base_url)
            .endpoints(&endpoints::ALL)
            .auth(Auth::basic_password(PROVIDER, key)?)
            .options(self.options)
            .build()?;
        Ok(NodanaClient { http })
    }
}

impl fmt::Debug for NodanaClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodanaClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            // Without user info, query or fragment, which may hold the key by mistake.
            .field("base_url", &nodal_core::raw::safe_url(&self.base_url))
            .field("options", &self.options)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nodal_core::Endpoint;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn environment_sets_key_and_base_url() {
        let client = NodanaClientBuilder::from_vars(env(&[
            (ENV_API_KEY, "env-key"),
            (ENV_BASE_URL, "http://127.0.0.1:9/nodana/v1"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/nodana/v1");
        assert!(!format!("{client:?}").contains("env-key"));
        // An empty base URL counts as unset.
        let client =
            NodanaClientBuilder::from_vars(env(&[(ENV_API_KEY, "env-key"), (ENV_BASE_URL, " ")]))
                .unwrap()
                .build()
                .unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    }

    #[test]
    fn missing_key_is_a_config_error_naming_the_variable() {
        for vars in [&[(ENV_BASE_URL, "")][..], &[(ENV_API_KEY, "  ")][..]] {
            let err = NodanaClientBuilder::from_vars(env(vars)).unwrap_err();
            assert!(matches!(err, Error::Config { .. }));
            assert!(err.to_string().contains(ENV_API_KEY), "{err}");
        }
        let err = NodanaClient::builder().build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        assert!(err.to_string().contains(ENV_API_KEY), "{err}");
    }

    #[test]
    fn defaults_are_nodanas_documented_ones() {
        let client = NodanaClient::builder().api_key("k").build().unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert_eq!(client.rate_limit().quota(), Some(Quota::per_second(1)));
        assert_eq!(client.rate_limit().quota().map(|q| q.burst()), Some(1));
        assert_eq!(client.min_interval(), Duration::from_secs(1));
        let from_env = NodanaClientBuilder::from_vars(env(&[(ENV_API_KEY, "k")]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(from_env.rate_limit().quota(), Some(Quota::per_second(1)));
    }

    #[test]
    fn a_quota_for_an_endpoint_nodana_lacks_is_refused() {
        let typo = Endpoint::post("/aps");
        let err = NodanaClient::builder()
            .api_key("k")
            .rate_limit(
                NodanaClient::default_rate_limit().with_endpoint(typo, Quota::per_minute(1)),
            )
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains("POST /aps"), "{err}");
        let listed = NodanaClient::builder()
            .api_key("k")
            .rate_limit(
                NodanaClient::default_rate_limit()
                    .with_endpoint(endpoints::CREATE_APP, Quota::per_minute(1)),
            )
            .build();
        assert!(listed.is_ok(), "{listed:?}");
    }

    #[test]
    fn builder_debug_hides_the_key() {
        let builder = NodanaClient::builder().api_key("s3cret-key");
        assert!(!format!("{builder:?}").contains("s3cret-key"));
    }

    #[test]
    fn remote_plain_http_is_refused() {
        let err = NodanaClient::builder()
            .api_key("k")
            .base_url("http://api.nodana.io/v1")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
    }
}
