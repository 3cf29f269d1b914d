//! The client: key kind, builder, environment configuration, project views, and the one helper
//! every API call goes through (scopes, allow-list, project header, idempotency).

use crate::endpoints as ep;
use crate::protocol::{NodionProtocol, PROVIDER};
use crate::regions::{InstanceType, Region};
use crate::scopes::{self, ScopeSet};
use crate::wire::{WrapKey, Wrapped};
use nodal_core::http::{
    Auth, ClientOptions, HttpClient, RateLimit, Request, RetryConfig, Timeouts,
};
use nodal_core::{AppId, Error, ProjectId, Result};
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The public Nodion API.
pub const DEFAULT_BASE_URL: &str = "https://api.nodion.com/v1";
/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "NODION_API_KEY";
/// Environment variable overriding the base URL.
pub const ENV_BASE_URL: &str = "NODION_API_BASE_URL";
/// Environment variable selecting a project (user keys).
pub const ENV_PROJECT: &str = "NODION_PROJECT";
/// Environment variable naming the key kind: `user` (default) or `project`.
pub const ENV_KEY_KIND: &str = "NODION_KEY_KIND";

/// The header that selects a project for a user key.
const PROJECT_HEADER: HeaderName = HeaderName::from_static("x-nodion-project");

/// Which kind of Nodion API key the client holds.
///
/// ```
/// use nodal_nodion::KeyKind;
/// assert_eq!("project".parse::<KeyKind>()?, KeyKind::Project);
/// assert_eq!(KeyKind::default(), KeyKind::User);
/// assert!("admin".parse::<KeyKind>().is_err());
/// # Ok::<(), nodal_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KeyKind {
    /// A user API key: reaches every project of the user (or of its allow-list), chosen per
    /// request with `X-Nodion-Project`; gated by scopes; may expire.
    #[default]
    User,
    /// A project API key: bound to one project with full access there; no scopes; the
    /// `X-Nodion-Project` header is never sent with it.
    Project,
}

impl KeyKind {
    /// `user` or `project`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::User => "user",
            KeyKind::Project => "project",
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KeyKind {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "user" => Ok(KeyKind::User),
            "project" => Ok(KeyKind::Project),
            other => Err(Error::Config {
                provider: PROVIDER,
                message: format!("`{other}` is not a Nodion key kind; use `user` or `project`"),
            }),
        }
    }
}

/// Configures a [`NodionClient`].
///
/// ```
/// use nodal_nodion::{NodionClient, Scope};
/// use nodal_core::http::{Quota, RateLimit, RetryConfig};
///
/// let client = NodionClient::builder()
///     .user_key("nk_user_example")
///     .scopes([Scope::Read, Scope::Deploy, Scope::LogsRead])
///     .allow_list(["5903725b-f554-4294-ab17-c992a765a001"])
///     .project("5903725b-f554-4294-ab17-c992a765a001")
///     .rate_limit(RateLimit::new(Quota::per_second(5)))
///     .retry(RetryConfig::default().with_max_attempts(3))
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.nodion.com/v1");
/// assert!(!format!("{client:?}").contains("nk_user_example"));
/// # Ok::<(), nodal_core::Error>(())
/// ```
pub struct NodionClientBuilder {
    key: Option<(KeyKind, SecretString)>,
    scopes: Option<ScopeSet>,
    allow_list: Vec<ProjectId>,
    project: Option<ProjectId>,
    base_url: String,
    options: ClientOptions,
}

impl Default for NodionClientBuilder {
    fn default() -> Self {
        NodionClientBuilder {
            key: None,
            scopes: None,
            allow_list: Vec::new(),
            project: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            options: ClientOptions::default(),
        }
    }
}

impl NodionClientBuilder {
    /// A builder with the defaults: public base URL, no client-side quota, default retries and
    /// timeouts, no key yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder configured from environment variables: [`ENV_API_KEY`] (required),
    /// [`ENV_BASE_URL`], [`ENV_PROJECT`] and [`ENV_KEY_KIND`] (`user` or `project`).
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`NodionClientBuilder::from_env`], reading variables through `lookup` (for tests, or
    /// configuration kept elsewhere).
    ///
    /// ```
    /// use nodal_nodion::{KeyKind, NodionClientBuilder};
    /// let vars = [("NODION_API_KEY", "nk_project_example"), ("NODION_KEY_KIND", "project")];
    /// let client = NodionClientBuilder::from_vars(|name| {
    ///     vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    /// })?
    /// .build()?;
    /// assert_eq!(client.key_kind(), KeyKind::Project);
    ///
    /// let missing = NodionClientBuilder::from_vars(|_| None).err().unwrap();
    /// assert!(missing.to_string().contains("NODION_API_KEY"));
    /// # Ok::<(), nodal_core::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let key = var(ENV_API_KEY).ok_or_else(|| Error::Config {
            provider: PROVIDER,
            message: format!(
                "{ENV_API_KEY} is not set; set it to a Nodion user or project API key"
            ),
        })?;
        let kind = match var(ENV_KEY_KIND) {
            None => KeyKind::User,
            Some(raw) => raw.parse::<KeyKind>().map_err(|_| Error::Config {
                provider: PROVIDER,
                message: format!(
                    "{ENV_KEY_KIND} is `{}`; use `user` (the default) or `project`",
                    raw.trim()
                ),
            })?,
        };
        let mut builder = Self::new().key(kind, SecretString::from(key));
        if let Some(url) = var(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        if let Some(project) = var(ENV_PROJECT) {
            builder = builder.project(project.trim());
        }
        Ok(builder)
    }

    /// Authenticates with a user API key.
    pub fn user_key(self, key: impl Into<SecretString>) -> Self {
        self.key(KeyKind::User, key.into())
    }

    /// Authenticates with a project API key.
    pub fn project_key(self, key: impl Into<SecretString>) -> Self {
        self.key(KeyKind::Project, key.into())
    }

    /// Authenticates with a key of the given kind.
    pub fn key(mut self, kind: KeyKind, key: SecretString) -> Self {
        self.key = Some((kind, key));
        self
    }

    /// Declares the scopes the user key was created with. Calls outside them then fail locally
    /// with [`Error::PermissionDenied`] before anything is sent. Without a declaration the
    /// client sends every call and lets Nodion decide.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = crate::Scope>) -> Self {
        self.scopes = Some(scopes.into_iter().collect());
        self
    }

    /// Declares the user key's project allow-list. Calls for a project outside it fail locally.
    /// An empty list means every project (Nodion's meaning).
    pub fn allow_list<I, P>(mut self, projects: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<ProjectId>,
    {
        self.allow_list = projects.into_iter().map(Into::into).collect();
        self
    }

    /// Selects a project for a user key (sent as `X-Nodion-Project`); without one, Nodion uses
    /// the user's default project. Ignored for project keys.
    pub fn project(mut self, project: impl Into<ProjectId>) -> Self {
        self.project = Some(project.into());
        self
    }

    /// Overrides the base URL (default [`DEFAULT_BASE_URL`]). Plain `http` is accepted only
    /// for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Retry policy (default: 4 attempts, exponential backoff, `Retry-After` honoured).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.options.retry = retry;
        self
    }

    /// Client-side quota shared by every clone and project view of the client. Nodion does not
    /// publish its limits, so there is none by default; its 429 + `Retry-After` is always
    /// honoured.
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.options.rate_limit = rate_limit;
        self
    }

    /// Connect and per-attempt timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.options.timeouts = timeouts;
        self
    }

    /// Largest answer read into memory (default 8 MiB).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.options.max_response_bytes = bytes;
        self
    }

    /// Overrides the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.options.user_agent = user_agent.into();
        self
    }

    /// Validates the configuration and builds the client. Fails with [`Error::Config`] when no
    /// key was given, the key is unusable, the base URL is not https (or loopback http), or
    /// scopes / an allow-list were declared for a project key.
    pub fn build(self) -> Result<NodionClient> {
        let (key_kind, key) = self.key.ok_or_else(|| Error::Config {
            provider: PROVIDER,
            message: format!(
                "no API key: call user_key(..) or project_key(..) on the builder, or set {ENV_API_KEY}"
            ),
        })?;
        if key_kind == KeyKind::Project && (self.scopes.is_some() || !self.allow_list.is_empty()) {
            return Err(Error::Config {
                provider: PROVIDER,
                message: "scopes and a project allow-list belong to user keys; project keys have full access to their one project".into(),
            });
        }
        let http = HttpClient::builder(NodionProtocol { key_kind })
            .base_url(self.base_url)
            .auth(Auth::bearer(PROVIDER, key)?)
            .options(self.options);
        let http = http.build()?;
        if key_kind == KeyKind::Project && self.project.is_some() {
            tracing::debug!(
                "a project key ignores the selected project; X-Nodion-Project is not sent"
            );
        }
        Ok(NodionClient {
            http,
            key_kind,
            declared: self.scopes,
            allow_list: self.allow_list.into(),
            project: self.project,
            shared: Arc::new(Shared::default()),
        })
    }
}

impl fmt::Debug for NodionClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodionClientBuilder")
            .field("key_kind", &self.key.as_ref().map(|(kind, _)| *kind))
            .field("key", &self.key.as_ref().map(|_| "[redacted]"))
            .field("scopes", &self.scopes)
            .field("allow_list", &self.allow_list)
            .field("project", &self.project)
            .field("base_url", &self.base_url)
            .field("options", &self.options)
            .finish()
    }
}

/// What every clone and project view of one client shares: the catalogue cache and what the
/// client learned about which project an app lives in.
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) regions: Mutex<Option<Arc<[Region]>>>,
    pub(crate) instance_types: Mutex<Option<Arc<[InstanceType]>>>,
    pub(crate) app_projects: Mutex<HashMap<AppId, ProjectId>>,
}

/// Locks a std mutex, recovering from poisoning (the data are caches, valid whatever happened).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A Nodion API client, or a view of it on one project.
///
/// Cloning is cheap; clones and project views share the rate limiter, the retry policy and the
/// caches. Every call knows the scopes it needs (see [`crate::ScopeSet`]) and says so when Nodion
/// answers 403.
///
/// The typed API is grouped by area: regions and instance types, projects, applications,
/// deployments, env variables, processes, domains, logs, instances and metrics, DNS, SSH keys.
/// The neutral traits of `nodal-core` ([`nodal_core::Provider`]) are implemented on top of it.
///
/// ```
/// use nodal_nodion::{KeyKind, NodionClient};
///
/// let client = NodionClient::builder().user_key("nk_user_example").build()?;
/// let shop = client.project("5903725b-f554-4294-ab17-c992a765a001");
/// assert_eq!(shop.selected_project().map(|p| p.as_str()), Some("5903725b-f554-4294-ab17-c992a765a001"));
/// assert_eq!(client.selected_project(), None);
/// assert_eq!(shop.key_kind(), KeyKind::User);
/// # Ok::<(), nodal_core::Error>(())
/// ```
#[derive(Clone)]
pub struct NodionClient {
    http: HttpClient<NodionProtocol>,
    key_kind: KeyKind,
    declared: Option<ScopeSet>,
    allow_list: Arc<[ProjectId]>,
    project: Option<ProjectId>,
    pub(crate) shared: Arc<Shared>,
}

impl NodionClient {
    /// Starts configuring a client.
    pub fn builder() -> NodionClientBuilder {
        NodionClientBuilder::new()
    }

    /// A client configured from [`ENV_API_KEY`], [`ENV_BASE_URL`], [`ENV_PROJECT`] and
    /// [`ENV_KEY_KIND`], with default retries and no client-side quota.
    ///
    /// ```
    /// use nodal_nodion::NodionClient;
    /// match NodionClient::from_env() {
    ///     Ok(client) => println!("talking to {}", client.base_url()),
    ///     Err(err) => assert!(err.to_string().contains("NODION_API_KEY")),
    /// }
    /// ```
    pub fn from_env() -> Result<Self> {
        NodionClientBuilder::from_env()?.build()
    }

    /// A view of this client on `project`: every call sends `X-Nodion-Project: <project>`.
    ///
    /// With a project key the view sends no header (a project key is bound to its project and
    /// Nodion ignores the header); the call is logged at debug level.
    pub fn project(&self, project: impl Into<ProjectId>) -> NodionClient {
        let project = project.into();
        if self.key_kind == KeyKind::Project {
            tracing::debug!(
                project = %project,
                "project view of a project key: X-Nodion-Project is not sent"
            );
        }
        NodionClient {
            project: Some(project),
            ..self.clone()
        }
    }

    /// A view without a selected project: Nodion uses the user's default project.
    pub fn default_project(&self) -> NodionClient {
        NodionClient {
            project: None,
            ..self.clone()
        }
    }

    /// The project this view selects, if any.
    pub fn selected_project(&self) -> Option<&ProjectId> {
        self.project.as_ref()
    }

    /// The kind of key the client holds.
    pub fn key_kind(&self) -> KeyKind {
        self.key_kind
    }

    /// The scopes declared for the user key, if any were.
    pub fn declared_scopes(&self) -> Option<ScopeSet> {
        self.declared
    }

    /// The declared project allow-list (empty: every project).
    pub fn allow_list(&self) -> &[ProjectId] {
        &self.allow_list
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.http.base_url().as_str()
    }

    /// The project header this view sends, if any (never for project keys).
    pub(crate) fn header_project(&self) -> Option<&ProjectId> {
        match self.key_kind {
            KeyKind::User => self.project.as_ref(),
            KeyKind::Project => None,
        }
    }

    /// A request for `method template` in this view's project.
    pub(crate) fn request(&self, method: Method, template: &'static str) -> Result<Request> {
        self.request_in(method, template, self.project.as_ref())
    }

    /// A request for `method template` in `project` (`None`: the key's default project).
    ///
    /// Declares the scopes the call needs (for the 403 message), checks them and the allow-list
    /// locally when they were declared (nothing is sent otherwise), adds `X-Nodion-Project` for
    /// user keys, and marks idempotency as `docs/wire-contract.md` says: GET, PATCH, DELETE and
    /// domain verify are idempotent, every other POST creates something and is not.
    pub(crate) fn request_in(
        &self,
        method: Method,
        template: &'static str,
        project: Option<&ProjectId>,
    ) -> Result<Request> {
        let needed = scopes::required_for(&method, template);
        let idempotent = method != Method::POST || template == ep::DOMAIN_VERIFY;
        let mut request = Request::new(method, template)
            .idempotent(idempotent)
            .requires(scopes::label(needed));
        if self.key_kind == KeyKind::Project {
            return Ok(request);
        }
        self.check_declared_scopes(&request, needed)?;
        if let Some(project) = project {
            self.check_allow_list(project)?;
            let value = HeaderValue::from_str(project.as_str())
                .ok()
                .filter(|_| !project.as_str().trim().is_empty())
                .ok_or_else(|| {
                    Error::invalid_input(
                        PROVIDER,
                        "project",
                        "the project id is empty or contains characters that cannot be sent in a header",
                    )
                })?;
            request = request.header(PROJECT_HEADER, value);
        }
        Ok(request)
    }

    fn check_declared_scopes(&self, request: &Request, needed: ScopeSet) -> Result<()> {
        let Some(declared) = self.declared else {
            return Ok(());
        };
        let missing = needed.missing_from(declared);
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::PermissionDenied {
            provider: PROVIDER,
            needed_scope: Some(scopes::label(needed).to_owned()),
            message: format!(
                "{} {} needs scope {needed}, but the user key was declared with {declared} (missing {missing}); nothing was sent. Use a key with these scopes, or correct the scopes declared on the client builder",
                request.method(),
                request.template()
            ),
        })
    }

    fn check_allow_list(&self, project: &ProjectId) -> Result<()> {
        if self.allow_list.is_empty() || self.allow_list.contains(project) {
            return Ok(());
        }
        let list: Vec<&str> = self.allow_list.iter().map(ProjectId::as_str).collect();
        Err(Error::PermissionDenied {
            provider: PROVIDER,
            needed_scope: None,
            message: format!(
                "project {project} is outside the key's declared project allow-list ({}); nothing was sent",
                list.join(", ")
            ),
        })
    }

    /// Sends `request` and decodes the value under the wrapping key `K`.
    pub(crate) async fn fetch<K: WrapKey, T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T> {
        let wrapped: Wrapped<K, T> = self.http.send(request).await?;
        Ok(wrapped.value)
    }

    /// Sends `request` and ignores whatever (possibly empty) body comes back.
    pub(crate) async fn execute(&self, request: Request) -> Result<()> {
        let _: serde::de::IgnoredAny = self.http.send(request).await?;
        Ok(())
    }
}

impl fmt::Debug for NodionClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodionClient")
            .field("key_kind", &self.key_kind)
            .field("declared_scopes", &self.declared)
            .field("allow_list", &self.allow_list)
            .field("project", &self.project)
            .field("http", &self.http)
            .finish()
    }
}

/// Checks that a required text input is not blank.
pub(crate) fn require_text(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(
            PROVIDER,
            field,
            format!("{} must not be empty", field.replace('_', " ")),
        ));
    }
    Ok(())
}
