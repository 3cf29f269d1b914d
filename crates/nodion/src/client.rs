//! The client: key kind, builder, environment configuration, project views, the typed API's
//! handles, and the one helper every API call goes through (scopes, allow-list, project header).

use crate::applications::ApplicationsApi;
use crate::deployments::DeploymentsApi;
use crate::dns::DnsApi;
use crate::domains::DomainsApi;
use crate::email::EmailZonesApi;
use crate::endpoints;
use crate::env::EnvApi;
use crate::instances::InstancesApi;
use crate::integrations::IntegrationsApi;
use crate::logs::LogsApi;
use crate::processes::ProcessesApi;
use crate::projects::ProjectsApi;
use crate::protocol::{NodionProtocol, PROVIDER};
use crate::regions::{CatalogApi, InstanceType, Region};
use crate::registries::ContainerRegistriesApi;
use crate::resolve::Catalogue;
use crate::runners::RunnersApi;
use crate::scaling::ScalingEventsApi;
use crate::scopes::{self, ScopeSet};
use crate::ssh_keys::SshKeysApi;
use crate::wire::{WrapKey, Wrapped};
use nodal_core::raw::{Auth, ConfigVars, HeaderName, HeaderValue, HttpClient, Removal, Request};
use nodal_core::{AppId, ClientOptions, Endpoint, Error, ProjectId, Result};
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
/// Nodion does not publish its rate limits, so there is no client-side quota by default; its
/// 429 + `Retry-After` is always honoured. A quota set with `rate_limit` is shared by every
/// clone and project view of the client; per-endpoint quotas take a row of
/// [`crate::endpoints`].
///
/// ```
/// use nodal_nodion::{NodionClient, Scope};
/// use nodal_core::{Quota, RateLimit, RetryConfig};
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
    /// Where `stop_app` keeps the counts `start_app` restores (`None`: in memory).
    pub(crate) process_counts: Option<crate::process_counts::CountStore>,
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
            process_counts: None,
        }
    }
}

impl NodionClientBuilder {
    nodal_core::builder_constructors!();

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
        let vars = ConfigVars::new(PROVIDER, lookup);
        let key = vars.required(ENV_API_KEY, "a Nodion user or project API key")?;
        let kind = match vars.optional(ENV_KEY_KIND) {
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
        if let Some(url) = vars.optional(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        if let Some(project) = vars.optional(ENV_PROJECT) {
            builder = builder.project(project.trim());
        }
        // `NODAL_RATE_LIMIT_URL` names a store shared across processes or machines.
        builder = builder.rate_budget(nodal_core::RateBudget::from_lookup(|name| {
            vars.optional(name)
        })?);
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

    nodal_core::client_options_setters!(options);

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
            .endpoints(&endpoints::ALL)
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
            shared: Arc::new(Shared {
                process_counts: self.process_counts.unwrap_or_default(),
                ..Shared::default()
            }),
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
            // Without user info, query or fragment, which may hold the key by mistake.
            .field("base_url", &nodal_core::raw::safe_url(&self.base_url))
            .field("options", &self.options)
            .field("process_counts", &self.process_counts)
            .finish()
    }
}

/// What every clone and project view of one client shares: the catalogue cache and what the
/// client learned about which project an app lives in.
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) regions: Catalogue<Region>,
    pub(crate) instance_types: Catalogue<InstanceType>,
    pub(crate) app_projects: Mutex<HashMap<AppId, ProjectId>>,
    /// The counts `stop_app` saved for `start_app`.
    pub(crate) process_counts: crate::process_counts::CountStore,
}

/// Locks a std mutex, recovering from poisoning (the data are caches, valid whatever happened).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A Nodion API client, or a view of it on one project.
///
/// Cloning is cheap; clones and project views share the rate limiter, the retry policy and the
/// caches. Every call knows the scopes it needs (its row in [`crate::endpoints`]) and says so
/// when Nodion answers 403.
///
/// The typed API is grouped by area, one handle each:
///
/// | handle | calls |
/// |---|---|
/// | [`catalog()`](Self::catalog) | regions, instance types |
/// | [`projects()`](Self::projects) | list |
/// | [`applications()`](Self::applications) | list, get, create, update, delete |
/// | [`deployments()`](Self::deployments) | list, create |
/// | [`env()`](Self::env) | list, get, create, update, delete |
/// | [`processes()`](Self::processes) | list, scale |
/// | [`scaling_events()`](Self::scaling_events) | list, create |
/// | [`domains()`](Self::domains) | list, create, verify, connect, delete |
/// | [`logs()`](Self::logs) | page, stream |
/// | [`instances()`](Self::instances) | list, metrics |
/// | [`dns()`](Self::dns) | zones and records: list, look up by name / filter, create, delete |
/// | [`ssh_keys()`](Self::ssh_keys) | list, create, delete |
/// | [`integrations()`](Self::integrations) | git integrations, repositories, branches |
/// | [`email_zones()`](Self::email_zones) | list, get, messages |
/// | [`container_registries()`](Self::container_registries) | list, get |
/// | [`runners()`](Self::runners) | list, get, runs, run, trigger |
///
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

    /// Regions and instance types.
    pub fn catalog(&self) -> CatalogApi<'_> {
        CatalogApi::new(self)
    }

    /// The projects the key can see.
    pub fn projects(&self) -> ProjectsApi<'_> {
        ProjectsApi::new(self)
    }

    /// Applications of the selected project.
    pub fn applications(&self) -> ApplicationsApi<'_> {
        ApplicationsApi::new(self)
    }

    /// Deployments of an application.
    pub fn deployments(&self) -> DeploymentsApi<'_> {
        DeploymentsApi::new(self)
    }

    /// Environment variables of an application.
    pub fn env(&self) -> EnvApi<'_> {
        EnvApi::new(self)
    }

    /// Processes of an application.
    pub fn processes(&self) -> ProcessesApi<'_> {
        ProcessesApi::new(self)
    }

    /// Custom domains of an application.
    pub fn domains(&self) -> DomainsApi<'_> {
        DomainsApi::new(self)
    }

    /// Logs of an application.
    pub fn logs(&self) -> LogsApi<'_> {
        LogsApi::new(self)
    }

    /// Instances and metrics of an application.
    pub fn instances(&self) -> InstancesApi<'_> {
        InstancesApi::new(self)
    }

    /// DNS zones and records.
    pub fn dns(&self) -> DnsApi<'_> {
        DnsApi::new(self)
    }

    /// SSH keys of the account.
    pub fn ssh_keys(&self) -> SshKeysApi<'_> {
        SshKeysApi::new(self)
    }

    /// Scaling events of an application.
    pub fn scaling_events(&self) -> ScalingEventsApi<'_> {
        ScalingEventsApi::new(self)
    }

    /// Git integrations, their repositories and branches.
    pub fn integrations(&self) -> IntegrationsApi<'_> {
        IntegrationsApi::new(self)
    }

    /// E-mail zones and their messages.
    pub fn email_zones(&self) -> EmailZonesApi<'_> {
        EmailZonesApi::new(self)
    }

    /// Container registries.
    pub fn container_registries(&self) -> ContainerRegistriesApi<'_> {
        ContainerRegistriesApi::new(self)
    }

    /// Runners and their runs.
    pub fn runners(&self) -> RunnersApi<'_> {
        RunnersApi::new(self)
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

    /// A request for `endpoint` in this view's project.
    pub(crate) fn request(&self, endpoint: Endpoint) -> Result<Request> {
        self.request_in(endpoint, self.project.as_ref())
    }

    /// A request for `endpoint` in `project` (`None`: the key's default project).
    ///
    /// Checks the scopes the row needs and the allow-list locally when they were declared
    /// (nothing is sent otherwise) and adds `X-Nodion-Project` for user keys. Idempotency and
    /// the scopes named in a 403 come from the row.
    pub(crate) fn request_in(
        &self,
        endpoint: Endpoint,
        project: Option<&ProjectId>,
    ) -> Result<Request> {
        let mut request = endpoint.request();
        if self.key_kind == KeyKind::Project {
            return Ok(request);
        }
        self.check_declared_scopes(endpoint)?;
        if let Some(project) = project {
            self.check_allow_list(endpoint, project)?;
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

    /// Refuses locally a call outside the declared scopes. These refusals never reach the
    /// request path, so the endpoint is named here.
    fn check_declared_scopes(&self, endpoint: Endpoint) -> Result<()> {
        let Some(declared) = self.declared else {
            return Ok(());
        };
        let needed = scopes::required_for(&endpoint);
        let missing = needed.missing_from(declared);
        if missing.is_empty() {
            return Ok(());
        }
        let refused = Error::PermissionDenied {
            provider: PROVIDER,
            needed_scope: endpoint.permission().map(str::to_owned),
            message: format!(
                "the user key was declared with {declared} (missing {missing}); nothing was sent. Use a key with these scopes, or correct the scopes declared on the client builder"
            ),
        };
        Err(refused.with_context(endpoint))
    }

    fn check_allow_list(&self, endpoint: Endpoint, project: &ProjectId) -> Result<()> {
        if self.allow_list.is_empty() || self.allow_list.contains(project) {
            return Ok(());
        }
        let list: Vec<&str> = self.allow_list.iter().map(ProjectId::as_str).collect();
        let refused = Error::PermissionDenied {
            provider: PROVIDER,
            needed_scope: None,
            message: format!(
                "project {project} is outside the key's declared project allow-list ({}); nothing was sent",
                list.join(", ")
            ),
        };
        Err(refused.with_context(endpoint))
    }

    /// The view to use for an app: the project it was seen in (learned from listing and
    /// creating apps through the neutral traits), else this view.
    pub(crate) fn view_for_app(&self, app: &AppId) -> NodionClient {
        if self.key_kind == KeyKind::Project {
            return self.clone();
        }
        let known = lock(&self.shared.app_projects).get(app).cloned();
        match known {
            Some(project) if self.project.as_ref() != Some(&project) => self.project(project),
            _ => self.clone(),
        }
    }

    /// Remembers which project `app` lives in, for [`Self::view_for_app`].
    pub(crate) fn remember(&self, app: &AppId, project: Option<&ProjectId>) {
        if let Some(project) = project {
            lock(&self.shared.app_projects).insert(app.clone(), project.clone());
        }
    }

    /// Forgets a deleted app's project.
    pub(crate) fn forget(&self, app: &AppId) {
        lock(&self.shared.app_projects).remove(app);
    }

    /// Sends `request` and decodes the value under the wrapping key `K`.
    pub(crate) async fn fetch<K: WrapKey, T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T> {
        let wrapped: Wrapped<K, T> = self.http.send(request).await?;
        Ok(wrapped.value)
    }

    /// Like [`Self::fetch`] for an answer whose wrapper key is **INFERRED** (no published
    /// example): a missing key fails as a decode error that says the guess may be wrong.
    pub(crate) async fn fetch_inferred<K: WrapKey, T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<T> {
        self.fetch::<K, T>(request).await.map_err(|err| match err {
            Error::Decode {
                provider,
                message,
                excerpt,
                maybe_performed,
            } if message.contains(&format!("missing field `{}`", K::KEY)) => Error::Decode {
                provider,
                message: format!(
                    "{message}; the `{}` wrapper of this answer is INFERRED (the reference shows no example) and may be wrong, see docs/wire-contract.md",
                    K::KEY
                ),
                excerpt,
                maybe_performed,
            },
            other => other,
        })
    }

    /// Sends `request` and returns the body as JSON (an empty body reads as `null`).
    pub(crate) async fn fetch_any(&self, request: Request) -> Result<serde_json::Value> {
        self.http.send(request).await
    }

    /// Sends a delete and ignores the body. A replay that finds the thing gone after an
    /// earlier attempt whose answer was lost is success: that attempt deleted it.
    pub(crate) async fn execute_removal(&self, request: Request) -> Result<()> {
        let _: Removal<serde::de::IgnoredAny> = self.http.send_removal(request).await?;
        Ok(())
    }

    /// Sends a delete and returns the body as JSON; `None` when a replay found the thing gone
    /// after an earlier attempt whose answer was lost (that attempt deleted it).
    pub(crate) async fn fetch_any_removal(
        &self,
        request: Request,
    ) -> Result<Option<serde_json::Value>> {
        Ok(match self.http.send_removal(request).await? {
            Removal::Answered(value) => Some(value),
            _ => None,
        })
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
    nodal_core::raw::non_empty(PROVIDER, field, value).map(|_| ())
}
