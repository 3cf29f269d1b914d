//! The MCP server: which tools it lists, and what each call does.

use crate::catalogue::{self, ProviderName, ToolInfo};
use crate::progress;
use crate::safety::{CONFIRMATION_TTL, Confirmations, Outcome, Refusal, Requests};
use crate::secrets;
use futures_util::TryStreamExt as _;
use nodal::nodana::{NodanaClient, ServiceId, Template};
use nodal::nodion::{EnvVariable, EnvVariableUpdate, LogQuery, NewEnvVariable, NodionClient};
use nodal::{
    AppId, AppSpec, AppStatus, DeployOptions, Error, ExposeSecret as _, ProjectId, Provider,
    ProviderKind, WaitOptions,
};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::ElicitationError;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, Peer, RoleServer, ServerHandler};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tracing::instrument::WithSubscriber as _;

/// The name errors of the server itself (not of a provider) carry.
pub(crate) const SERVER: &str = "nodal mcp";

/// What the server may do beyond reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Permissions {
    /// List and accept tools that create or change something.
    pub allow_writes: bool,
    /// Also list and accept tools that stop or delete (needs `allow_writes`).
    pub allow_destructive: bool,
    /// Return one-time credentials in tool results instead of writing them to a file.
    pub reveal_credentials: bool,
    /// Return environment variable values instead of masking them.
    pub reveal_env: bool,
}

/// The provider clients a server talks to (at least one).
#[derive(Debug, Clone, Default)]
pub struct Clients {
    /// The Nodana client, when the server serves Nodana.
    pub nodana: Option<NodanaClient>,
    /// The Nodion client, when the server serves Nodion.
    pub nodion: Option<NodionClient>,
}

impl Clients {
    /// The providers served.
    pub fn kinds(&self) -> Vec<ProviderKind> {
        let mut kinds = Vec::new();
        if self.nodion.is_some() {
            kinds.push(ProviderKind::Nodion);
        }
        if self.nodana.is_some() {
            kinds.push(ProviderKind::Nodana);
        }
        kinds
    }
}

/// One provider's client, chosen for a call.
#[derive(Debug, Clone, Copy)]
enum Picked<'a> {
    Nodana(&'a NodanaClient),
    Nodion(&'a NodionClient),
}

impl<'a> Picked<'a> {
    fn neutral(self) -> &'a dyn Provider {
        match self {
            Picked::Nodana(client) => client,
            Picked::Nodion(client) => client,
        }
    }

    fn name(self) -> &'static str {
        self.neutral().name()
    }
}

/// The `nodal mcp` server. Cheap to clone: every clone (one per HTTP session) shares the
/// clients, the confirmation tokens and the `request_id` results.
#[derive(Debug, Clone)]
pub struct NodalMcp {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    clients: Clients,
    permissions: Permissions,
    confirmations: Confirmations,
    requests: Requests,
    credentials_dir: Option<PathBuf>,
    dispatch: tracing::Dispatch,
}

/// A tool call's result, or the nodal error the agent sees as a tool error with its kind.
type ToolOutcome = Result<Value, Error>;

impl NodalMcp {
    /// A server over `clients` with `permissions`. Credentials files go to the state
    /// directory's `credentials/` (see [`crate::credentials_dir`]).
    pub fn new(clients: Clients, permissions: Permissions) -> Self {
        Self::with_credentials_dir(clients, permissions, secrets::credentials_dir())
    }

    /// Like [`NodalMcp::new`], with the credentials directory given. With `None`, and without
    /// `reveal_credentials`, every create is refused before anything is sent: its one-time
    /// credentials would have nowhere to go.
    pub fn with_credentials_dir(
        clients: Clients,
        permissions: Permissions,
        credentials_dir: Option<PathBuf>,
    ) -> Self {
        NodalMcp {
            inner: Arc::new(Inner {
                clients,
                permissions,
                confirmations: Confirmations::default(),
                requests: Requests::default(),
                credentials_dir,
                dispatch: progress::dispatch(),
            }),
        }
    }

    /// The tools this server lists: allowed by its permissions, on a provider it serves.
    pub fn tools(&self) -> Vec<&'static ToolInfo> {
        let kinds = self.inner.clients.kinds();
        let p = self.inner.permissions;
        catalogue::TOOLS
            .iter()
            .filter(|tool| tool.allowed(p.allow_writes, p.allow_destructive))
            .filter(|tool| tool.providers.iter().any(|kind| kinds.contains(kind)))
            .collect()
    }

    fn pick(&self, tool: &ToolInfo, asked: Option<ProviderName>) -> Result<Picked<'_>, Error> {
        let clients = &self.inner.clients;
        let kind = match asked {
            Some(name) => name.kind(),
            None => match (tool.providers, clients.kinds().as_slice()) {
                ([only], _) => *only,
                (_, [only]) => *only,
                _ => {
                    return Err(Error::invalid_input(
                        SERVER,
                        "provider",
                        format!(
                            "{} needs `provider` (`nodion` or `nodana`): this server serves both",
                            tool.name
                        ),
                    ));
                }
            },
        };
        if !tool.providers.contains(&kind) {
            return Err(Error::invalid_input(
                SERVER,
                "provider",
                format!("{} is not a {kind} tool", tool.name),
            ));
        }
        let picked = match kind {
            ProviderKind::Nodana => clients.nodana.as_ref().map(Picked::Nodana),
            ProviderKind::Nodion => clients.nodion.as_ref().map(Picked::Nodion),
            _ => None,
        };
        picked.ok_or_else(|| Error::Config {
            provider: SERVER,
            message: format!(
                "this server does not serve {kind}: start it with {} set",
                kind.api_key_var()
            ),
        })
    }

    fn nodion(&self, tool: &ToolInfo) -> Result<&NodionClient, Error> {
        match self.pick(tool, Some(ProviderName::Nodion))? {
            Picked::Nodion(client) => Ok(client),
            Picked::Nodana(_) => Err(Error::unsupported("nodana", "this tool")),
        }
    }

    fn nodana(&self, tool: &ToolInfo) -> Result<&NodanaClient, Error> {
        match self.pick(tool, Some(ProviderName::Nodana))? {
            Picked::Nodana(client) => Ok(client),
            Picked::Nodion(_) => Err(Error::unsupported("nodion", "this tool")),
        }
    }

    /// Runs one tool call; each arm first reads the arguments into the tool's input type.
    async fn call(
        &self,
        tool: &'static ToolInfo,
        arguments: Map<String, Value>,
        peer: &Peer<RoleServer>,
    ) -> ToolOutcome {
        let p = self.inner.permissions;
        if !tool.allowed(p.allow_writes, p.allow_destructive) {
            return Err(Error::PermissionDenied {
                provider: SERVER,
                needed_scope: None,
                message: format!(
                    "{} is not enabled: start the server with {}",
                    tool.name,
                    tool.access.needs()
                ),
            });
        }
        let raw = Value::Object(arguments);
        match tool.name {
            "list_projects" => {
                let a: catalogue::ProviderOnly = parse(&raw)?;
                let pr = self.pick(tool, a.provider)?;
                let projects = pr.neutral().list_projects().await?;
                Ok(json!({"provider": pr.name(), "projects": projects}))
            }
            "get_project" => {
                let a: catalogue::ProjectRef = parse(&raw)?;
                let pr = self.pick(tool, a.provider)?;
                let project = pr
                    .neutral()
                    .get_project(&ProjectId::from(a.project_id))
                    .await?;
                Ok(json!({"provider": pr.name(), "project": project}))
            }
            "list_apps" => {
                let a: catalogue::ListApps = parse(&raw)?;
                let pr = self.pick(tool, a.provider)?;
                let project = a.project_id.map(ProjectId::from);
                let apps = pr.neutral().list_apps(project.as_ref()).await?;
                Ok(json!({"provider": pr.name(), "apps": apps}))
            }
            "get_app" => {
                let a: catalogue::AppRef = parse(&raw)?;
                let pr = self.pick(tool, a.provider)?;
                let app = pr.neutral().get_app(&AppId::from(a.app_id)).await?;
                Ok(json!({"provider": pr.name(), "app": app}))
            }
            "list_deployments" => {
                let a: catalogue::AppRef = parse(&raw)?;
                let pr = self.pick(tool, a.provider)?;
                let app = AppId::from(a.app_id);
                let deployments = pr.neutral().list_deployments(&app).await?;
                Ok(json!({"provider": pr.name(), "app_id": app, "deployments": deployments}))
            }
            "wait_app" => {
                let a: catalogue::WaitApp = parse(&raw)?;
                let pr = self.pick(tool, a.provider)?;
                let seconds = a.timeout_seconds.unwrap_or(300);
                if !(1..=3600).contains(&seconds) {
                    return Err(Error::invalid_input(
                        SERVER,
                        "timeout_seconds",
                        "must be 1 to 3600",
                    ));
                }
                let app = AppId::from(a.app_id);
                let ready =
                    wait_available(pr.neutral(), &app, Duration::from_secs(seconds)).await?;
                Ok(json!({"provider": pr.name(), "app": ready}))
            }
            "create_app" => self.create_app(tool, &raw).await,
            "deploy_app" => {
                let a: catalogue::DeployApp = parse(&raw)?;
                let pr = self.pick(tool, a.provider)?;
                let app = AppId::from(a.app_id);
                let mut options = DeployOptions::new();
                if let Some(tag) = a.image_tag {
                    options = options.image_tag(tag);
                }
                let deploy = async {
                    let deployment = pr.neutral().deploy(&app, &options).await?;
                    Ok(json!({"provider": pr.name(), "deployment": deployment}))
                };
                match a.request_id {
                    Some(id) => self.once(tool, pr.name(), &id, &raw, deploy).await,
                    None => deploy.await,
                }
            }
            "start_app" | "restart_app" => {
                let a: catalogue::AppRef = parse(&raw)?;
                let pr = self.pick(tool, a.provider)?;
                let app = AppId::from(a.app_id);
                if tool.name == "start_app" {
                    pr.neutral().start_app(&app).await?;
                } else {
                    pr.neutral().restart_app(&app).await?;
                }
                Ok(json!({"provider": pr.name(), "app_id": app, "done": tool.name}))
            }
            "stop_app" | "delete_app" => self.destructive(tool, &raw, peer).await,
            "nodion_list_regions" => {
                let _: catalogue::NoInput = parse(&raw)?;
                let regions = self.nodion(tool)?.catalog().regions().await?;
                Ok(json!({"provider": "nodion", "regions": regions}))
            }
            "nodion_list_instance_types" => {
                let _: catalogue::NoInput = parse(&raw)?;
                let types = self.nodion(tool)?.catalog().instance_types().await?;
                Ok(json!({"provider": "nodion", "instance_types": types}))
            }
            "nodion_list_env" => {
                let a: catalogue::NodionApp = parse(&raw)?;
                let app = AppId::from(a.app_id);
                let vars = self.nodion(tool)?.env().list(&app).await?;
                let reveal = p.reveal_env;
                let rows: Vec<Value> = vars.iter().map(|var| env_row(var, reveal)).collect();
                Ok(
                    json!({"provider": "nodion", "app_id": app, "values_masked": !reveal, "variables": rows}),
                )
            }
            "nodion_set_env" => {
                let a: catalogue::SetEnv = parse(&raw)?;
                let value = a.value.clone();
                self.set_env(tool, a)
                    .await
                    .map_err(|error| scrub(error, &value))
            }
            "nodion_logs" => {
                let a: catalogue::Logs = parse(&raw)?;
                let limit = a.limit.unwrap_or(100);
                if !(1..=2500).contains(&limit) {
                    return Err(Error::invalid_input("nodion", "limit", "must be 1 to 2500"));
                }
                let mut query = LogQuery::new().limit(limit);
                if let Some(since) = a.since {
                    query = query.after(since);
                }
                let app = AppId::from(a.app_id);
                let mut lines: Vec<_> = self
                    .nodion(tool)?
                    .logs()
                    .stream(&app, query)?
                    .try_collect()
                    .await?;
                // The stream pages backwards; agents read logs forwards like people.
                lines.reverse();
                lines.sort_by(|x, y| x.ts.cmp(&y.ts));
                Ok(json!({"provider": "nodion", "app_id": app, "lines": lines}))
            }
            "nodion_list_domains" => {
                let a: catalogue::NodionApp = parse(&raw)?;
                let app = AppId::from(a.app_id);
                let domains = self.nodion(tool)?.domains().list(&app).await?;
                Ok(json!({"provider": "nodion", "app_id": app, "domains": domains}))
            }
            "nodana_list_templates" => {
                let _: catalogue::NoInput = parse(&raw)?;
                let templates: Vec<Value> = Template::catalogue()
                    .iter()
                    .map(|row| {
                        let params: Vec<Value> = row
                            .params
                            .iter()
                            .map(|param| json!({"name": param.name, "values": param.allowed(), "secret": param.secret}))
                            .collect();
                        json!({"name": row.slug, "description": row.description, "params": params})
                    })
                    .collect();
                Ok(json!({"provider": "nodana", "templates": templates}))
            }
            "nodana_list_services" => {
                let a: catalogue::NodanaApp = parse(&raw)?;
                let app = AppId::from(a.app_id);
                let services = self.nodana(tool)?.services().list(&app).await?;
                Ok(json!({"provider": "nodana", "app_id": app, "services": services}))
            }
            "nodana_update_service" => {
                let a: catalogue::UpdateService = parse(&raw)?;
                let update = self
                    .nodana(tool)?
                    .services()
                    .update(&AppId::from(a.app_id), &ServiceId::new(a.service_id))
                    .await?;
                Ok(json!({"provider": "nodana", "update": update}))
            }
            other => Err(Error::invalid_input(
                SERVER,
                "name",
                format!("no tool named `{other}`"),
            )),
        }
    }

    /// Runs `work` once per `(tool, provider, request_id)`: a repeat (also one arriving while
    /// the first still runs) returns the first result. A failure that certainly did not
    /// happen at the provider is not kept, so the same id may be tried again.
    async fn once(
        &self,
        tool: &ToolInfo,
        provider: &'static str,
        request_id: &str,
        raw: &Value,
        work: impl Future<Output = ToolOutcome>,
    ) -> ToolOutcome {
        let request_id = request_id.trim();
        if request_id.is_empty() || request_id.len() > 200 {
            return Err(Error::invalid_input(
                SERVER,
                "request_id",
                "must be 1 to 200 characters",
            ));
        }
        let arguments = canonical(raw);
        let slot = self
            .inner
            .requests
            .slot(tool.name, &format!("{provider}\n{request_id}"));
        let mut slot = slot.lock().await;
        if let Some(outcome) = slot.as_ref() {
            if outcome.arguments != arguments {
                return Err(Error::Conflict {
                    provider: SERVER,
                    message: format!(
                        "request_id `{request_id}` was already used for a {} call with other arguments; choose a new request_id for a new call",
                        tool.name
                    ),
                });
            }
            return match &outcome.result {
                Ok(value) => Ok(replayed(value.clone())),
                Err(error) => Err(Error::Conflict {
                    provider,
                    message: format!(
                        "the first {} call with request_id `{request_id}` failed and may have been performed: {}; check with the list and get tools before trying again with a new request_id",
                        tool.name,
                        error.as_str().unwrap_or_default()
                    ),
                }),
            };
        }
        let result = work.await;
        match &result {
            Ok(value) => {
                *slot = Some(Outcome {
                    arguments,
                    result: Ok(value.clone()),
                });
            }
            Err(error) if error.maybe_performed() => {
                *slot = Some(Outcome {
                    arguments,
                    result: Err(Value::String(error.to_string())),
                });
            }
            Err(_) => {}
        }
        result
    }

    async fn create_app(&self, tool: &ToolInfo, raw: &Value) -> ToolOutcome {
        let a: catalogue::CreateApp = parse(raw)?;
        let pr = self.pick(tool, a.provider)?;
        let provider = pr.name();
        let request_id = a.request_id.clone();
        let reveal = self.inner.permissions.reveal_credentials;
        let dir = self.inner.credentials_dir.clone();
        let work = async move {
            let spec = spec_of(provider, a)?;
            // Reserved before sending: if the secrets could not be kept, nothing is created.
            let reserved = if reveal {
                None
            } else {
                let dir = dir.ok_or_else(|| Error::Config {
                    provider: SERVER,
                    message: "no state directory for credentials files (set XDG_STATE_HOME or HOME, or start with --reveal-credentials); nothing was sent".into(),
                })?;
                Some(secrets::reserve(&dir, provider, &request_id)?)
            };
            let created = pr.neutral().create_app(&spec).await?;
            let names: Vec<&str> = created.credentials.names().collect();
            let mut result = json!({
                "provider": provider,
                "request_id": request_id,
                "app": created.app,
                "created_project": created.created_project,
                "credential_names": names,
                "replayed": false,
            });
            if reveal {
                result["credentials"] =
                    serde_json::to_value(created.credentials.exposed()).unwrap_or(Value::Null);
            } else if let Some(reserved) = reserved {
                match reserved.write(provider, &created) {
                    Ok(path) => {
                        result["credentials_file"] = json!(path.map(|p| p.display().to_string()));
                    }
                    // The app exists: say so, and why its secrets are not on disk.
                    Err(error) => result["credentials_error"] = json!(error.to_string()),
                }
            }
            Ok(result)
        };
        self.once(tool, provider, &a_request_id(raw), raw, work)
            .await
    }

    async fn destructive(
        &self,
        tool: &ToolInfo,
        raw: &Value,
        peer: &Peer<RoleServer>,
    ) -> ToolOutcome {
        let a: catalogue::Confirmed = parse(raw)?;
        let pr = self.pick(tool, a.provider)?;
        let app = AppId::from(a.app_id);
        let binding = format!("{}\n{}\n{}", tool.name, pr.name(), app);
        let verb = if tool.name == "delete_app" {
            "delete"
        } else {
            "stop"
        };
        if a.dry_run {
            let current = pr.neutral().get_app(&app).await?;
            let token = self.inner.confirmations.issue(binding);
            return Ok(json!({
                "provider": pr.name(),
                "dry_run": true,
                "would": format!("{verb} app {app} on {}", pr.name()),
                "app": current,
                "confirmation_token": token,
                "expires_in_seconds": CONFIRMATION_TTL.as_secs(),
            }));
        }
        let token = a.confirmation_token.as_deref();
        let asked = match token {
            // No token: a client that can ask its user is asked instead.
            None => ask_user(peer, &format!("{verb} app {app} on {}", pr.name())).await,
            Some(_) => Asked::UseToken,
        };
        match asked {
            Asked::Confirmed => {}
            Asked::Refused => {
                return Err(Error::Conflict {
                    provider: SERVER,
                    message: format!(
                        "the user did not confirm {} of app {app}. Nothing was sent",
                        tool.name
                    ),
                });
            }
            Asked::UseToken => self.redeem(tool, token, &binding, &app)?,
        }
        if tool.name == "delete_app" {
            pr.neutral().delete_app(&app).await?;
        } else {
            pr.neutral().stop_app(&app).await?;
        }
        Ok(json!({"provider": pr.name(), "app_id": app, "done": tool.name}))
    }

    /// Takes the confirmation token of a dry run of this call.
    fn redeem(
        &self,
        tool: &ToolInfo,
        token: Option<&str>,
        binding: &str,
        app: &AppId,
    ) -> Result<(), Error> {
        if let Err(refusal) = self.inner.confirmations.redeem(token, binding) {
            let why = match refusal {
                Refusal::Missing => "needs a confirmation_token",
                Refusal::Unknown => {
                    "got a confirmation_token this server did not issue or that was already used"
                }
                Refusal::OtherCall => "got a confirmation_token issued for another call",
                Refusal::Expired => "got an expired confirmation_token",
            };
            return Err(Error::invalid_input(
                SERVER,
                "confirmation_token",
                format!(
                    "{} of app {app} {why}: call {} with dry_run: true and the same provider and app_id first, then again with the token it returns. Nothing was sent",
                    tool.name, tool.name
                ),
            ));
        }
        Ok(())
    }

    async fn set_env(&self, tool: &ToolInfo, a: catalogue::SetEnv) -> ToolOutcome {
        let client = self.nodion(tool)?;
        let key = a.key.trim().to_owned();
        if key.is_empty() {
            return Err(Error::invalid_input(
                "nodion",
                "key",
                "the variable name is empty",
            ));
        }
        let app = AppId::from(a.app_id);
        let existing = client
            .env()
            .list(&app)
            .await?
            .into_iter()
            .find(|var| var.key == key);
        let value = nodal::SecretString::from(a.value);
        let var = match existing {
            Some(var) => {
                let mut update = EnvVariableUpdate::new().value(value);
                if a.build_time {
                    update = update.build_time(true);
                }
                client.env().update(&app, &var.id, &update).await?
            }
            None => {
                let new = NewEnvVariable::new(key, value).build_time(a.build_time);
                client.env().create(&app, &new).await?
            }
        };
        Ok(json!({"provider": "nodion", "app_id": app, "variable": env_row(&var, false)}))
    }
}

/// Waits until `app` is available, reporting each status seen as progress. Ends at once
/// (instead of at the deadline) when the app is seen stopped at two polls in a row: a stopped
/// app does not become available by waiting, and an agent should start it instead.
async fn wait_available(
    provider: &dyn Provider,
    app: &AppId,
    timeout: Duration,
) -> Result<nodal::App, Error> {
    let sink = progress::Sink::current();
    let give_up = tokio::sync::Notify::new();
    let mut stopped_polls = 0u32;
    let mut report = |state: &nodal::App, waited: Duration| {
        sink.report(format!(
            "app {} is {} (`{}`) after {} s",
            state.id,
            state.status,
            state.raw_status,
            waited.as_secs()
        ));
        // Two polls, not one: a start just sent may not show yet.
        stopped_polls = if state.status == AppStatus::Stopped {
            stopped_polls.saturating_add(1)
        } else {
            0
        };
        if stopped_polls >= 2 {
            give_up.notify_one();
        }
    };
    let wait =
        provider.wait_until_available_with(app, WaitOptions::new(timeout), Some(&mut report));
    tokio::select! {
        result = wait => result,
        () = give_up.notified() => Err(Error::Conflict {
            provider: provider.name(),
            message: format!(
                "app {app} is stopped and will not become available by waiting; start it with start_app first"
            ),
        }),
    }
}

/// How long the user has to answer a confirmation the client shows.
const ASK_TIMEOUT: Duration = Duration::from_secs(300);

/// What the user answered when the client asked (elicitation).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct Confirmation {
    /// `true` to go ahead.
    confirm: bool,
}

rmcp::elicit_safe!(Confirmation);

/// The outcome of asking the user through the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    /// The user said yes.
    Confirmed,
    /// The user said no, or dismissed the question.
    Refused,
    /// Not asked (a token was given, the client has no elicitation, or its protocol version
    /// has no server requests): the confirmation token decides.
    UseToken,
}

/// Asks the user, through the client, whether to `what` (e.g. `delete app a-1 on nodana`).
async fn ask_user(peer: &Peer<RoleServer>, what: &str) -> Asked {
    let supports = peer
        .peer_info()
        .is_some_and(|info| info.capabilities.elicitation.is_some());
    if !supports {
        return Asked::UseToken;
    }
    let question =
        format!("An agent asks nodal to {what}. This cannot be undone by nodal. Go ahead?");
    match peer
        .elicit_with_timeout::<Confirmation>(question, Some(ASK_TIMEOUT))
        .await
    {
        Ok(Some(Confirmation { confirm: true })) => Asked::Confirmed,
        Ok(_)
        | Err(
            ElicitationError::UserDeclined
            | ElicitationError::UserCancelled
            | ElicitationError::NoContent
            | ElicitationError::ParseError { .. },
        ) => Asked::Refused,
        Err(_) => Asked::UseToken,
    }
}

/// `request_id` from the raw arguments (already checked by `parse`).
fn a_request_id(raw: &Value) -> String {
    raw.get("request_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The arguments in one spelling, to compare two calls: keys sorted, `null` the same as left
/// out, and without `provider` (the slot is per provider already, so naming the only one
/// served or leaving it out is the same call).
fn canonical(raw: &Value) -> String {
    let mut fields = raw.as_object().cloned().unwrap_or_default();
    fields.retain(|name, value| name != "provider" && !value.is_null());
    // serde_json's map keeps keys sorted (no `preserve_order` here), so equal objects print
    // equal.
    Value::Object(fields).to_string()
}

fn replayed(mut value: Value) -> Value {
    if let Some(fields) = value.as_object_mut() {
        fields.insert("replayed".into(), Value::Bool(true));
    }
    value
}

fn parse<T: DeserializeOwned>(raw: &Value) -> Result<T, Error> {
    serde_json::from_value(raw.clone()).map_err(|e| Error::InvalidInput {
        provider: SERVER,
        field: None,
        message: format!("the arguments do not match the tool's input schema: {e}"),
    })
}

/// An environment variable as a tool shows it: the value masked unless `reveal`.
fn env_row(var: &EnvVariable, reveal: bool) -> Value {
    let mut row = serde_json::to_value(var).unwrap_or(Value::Null);
    if reveal {
        row["value"] = Value::String(var.value.expose_secret().to_owned());
    }
    row
}

/// Keeps a value the caller sent out of an error the provider may have quoted it in; the
/// error keeps its kind.
fn scrub(mut error: Error, value: &str) -> Error {
    // Short values would redact ordinary words; the adapters never echo them anyway.
    if value.len() < 3 || !error.to_string().contains(value) {
        return error;
    }
    let hide = |text: &mut String| *text = text.replace(value, "[redacted]");
    match &mut error {
        Error::Unauthenticated { message, .. }
        | Error::PermissionDenied { message, .. }
        | Error::NotFound { message, .. }
        | Error::Conflict { message, .. }
        | Error::LimitExceeded { message, .. }
        | Error::InvalidInput { message, .. }
        | Error::RateLimited { message, .. }
        | Error::Server { message, .. }
        | Error::Transport { message, .. }
        | Error::Config { message, .. } => hide(message),
        Error::Decode {
            message, excerpt, ..
        } => {
            hide(message);
            hide(excerpt);
        }
        Error::Timeout { what, .. } => hide(what),
        _ => {}
    }
    if error.to_string().contains(value) {
        // A variant this version does not know, or the value in a field not scrubbed above.
        return Error::InvalidInput {
            provider: error.provider(),
            field: Some("value".into()),
            message: error.to_string().replace(value, "[redacted]"),
        };
    }
    error
}

/// The neutral spec of a `create_app` call.
fn spec_of(provider: &'static str, a: catalogue::CreateApp) -> Result<AppSpec, Error> {
    if provider == "nodion" && a.project_id.is_some() {
        // The adapter would ignore it and create in the key's project: say so instead.
        return Err(Error::invalid_input(
            provider,
            "project_id",
            "Nodion creates the app in the server's project (NODION_PROJECT, else the key's default); leave project_id out. Nothing was sent",
        ));
    }
    let git = (a.git_integration, a.git_repository, a.git_branch);
    let mut spec = match (a.template, a.image, git) {
        (Some(template), None, (None, None, None)) => {
            let mut spec = AppSpec::from_template(template);
            for (key, value) in a.params {
                spec = spec.param(key, value);
            }
            spec
        }
        (None, Some(image), (None, None, None)) => {
            let mut spec = AppSpec::from_image(image);
            if let Some(tag) = a.image_tag {
                spec = spec.image_tag(tag);
            }
            spec
        }
        (None, None, (Some(integration), Some(repository), Some(branch))) => {
            AppSpec::from_git(integration, repository, branch)
        }
        _ => {
            return Err(Error::invalid_input(
                provider,
                "template",
                "give exactly one source: `template` (Nodana), `image` (Nodion), or all of `git_integration`, `git_repository` and `git_branch` (Nodion). Nothing was sent",
            ));
        }
    };
    if let Some(name) = a.name {
        spec = spec.name(name);
    }
    if let Some(project) = a.project_id {
        spec = spec.project(project);
    }
    if let Some(region) = a.region {
        spec = spec.region(region);
    }
    if let Some(kind) = a.instance_type {
        spec = spec.instance_type(kind);
    }
    if let Some(count) = a.instances {
        spec = spec.instances(count);
    }
    Ok(spec)
}

/// The tool error an agent sees: `{"error": {"kind", "message", "provider", ...}}`.
pub(crate) fn error_result(error: &Error) -> CallToolResult {
    let mut body = json!({
        "kind": error.kind(),
        "message": error.to_string(),
        "provider": error.provider(),
        "maybe_performed": error.maybe_performed(),
    });
    if let Some(wait) = error.retry_after() {
        body["retry_after_seconds"] = json!(wait.as_secs_f64().ceil());
    }
    CallToolResult::structured_error(json!({ "error": body }))
}

impl ServerHandler for NodalMcp {
    fn get_info(&self) -> ServerConfig {
        let served: Vec<&str> = self
            .inner
            .clients
            .kinds()
            .iter()
            .map(|k| k.name())
            .collect();
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("nodal", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!(
                "Manage apps on {} through nodal. Every call shares the API key's rate budget. Creates take a request_id you choose: repeat it to get the first result instead of a second app. stop_app and delete_app need a dry_run call first and its confirmation_token.",
                served.join(" and ")
            ))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.tools().into_iter().map(ToolInfo::to_tool).collect(),
        ))
    }

    fn get_tool(&self, name: &str) -> Option<rmcp::model::Tool> {
        self.tools()
            .into_iter()
            .find(|tool| tool.name == name)
            .map(ToolInfo::to_tool)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(tool) = self
            .tools()
            .into_iter()
            .find(|tool| tool.name == request.name)
        else {
            let p = self.inner.permissions;
            let error = match catalogue::find(&request.name) {
                Some(known) if !known.allowed(p.allow_writes, p.allow_destructive) => {
                    Error::PermissionDenied {
                        provider: SERVER,
                        needed_scope: None,
                        message: format!(
                            "{} is not enabled: start the server with {}",
                            known.name,
                            known.access.needs()
                        ),
                    }
                }
                Some(known) => Error::Config {
                    provider: SERVER,
                    message: format!(
                        "{} is for a provider this server does not serve: start it with that provider's API key set",
                        known.name
                    ),
                },
                None => Error::NotFound {
                    provider: SERVER,
                    message: format!("no tool named `{}` (see tools/list)", request.name),
                },
            };
            return Ok(error_result(&error).into());
        };
        let arguments = request.arguments.unwrap_or_default();
        let token = context.meta.get_progress_token();
        // Boxed: the tool futures are large, and the transport keeps several in flight.
        let call = Box::pin(self.call(tool, arguments, &context.peer));
        let outcome = Box::pin(progress::with_progress(context.peer.clone(), token, call))
            .with_subscriber(self.inner.dispatch.clone())
            .await;
        Ok(match outcome {
            Ok(value) => CallToolResult::structured(value),
            Err(error) => error_result(&error),
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_call_spelled_differently_is_the_same_call() {
        let a = json!({"provider": "nodion", "request_id": "r", "name": "web", "image_tag": null});
        let b = json!({"name": "web", "request_id": "r"});
        assert_eq!(canonical(&a), canonical(&b));
        let c = json!({"name": "api", "request_id": "r"});
        assert_ne!(canonical(&a), canonical(&c));
    }

    #[test]
    fn a_create_needs_exactly_one_source() {
        let parse_create = |value: Value| parse::<catalogue::CreateApp>(&value).unwrap();
        let none = spec_of("nodion", parse_create(json!({"request_id": "r"}))).unwrap_err();
        assert_eq!(none.kind(), "invalid_input");
        let both = parse_create(json!({"request_id": "r", "template": "lnbits", "image": "x"}));
        assert!(spec_of("nodana", both).is_err());
        let template =
            parse_create(json!({"request_id": "r", "template": "lnbits", "params": {"a": "b"}}));
        assert!(spec_of("nodana", template).is_ok());
    }

    #[test]
    fn unknown_arguments_are_refused() {
        let error = parse::<catalogue::AppRef>(&json!({"app_id": "a", "force": true})).unwrap_err();
        assert_eq!(error.kind(), "invalid_input");
        assert!(error.to_string().contains("force"), "{error}");
    }

    #[test]
    fn errors_carry_their_kind_and_whether_they_may_have_happened() {
        let error = Error::RateLimited {
            provider: "nodana",
            retry_after: Some(Duration::from_millis(1500)),
            message: "slow down".into(),
        };
        let result = error_result(&error);
        assert_eq!(result.is_error, Some(true));
        let body = &result.structured_content.unwrap()["error"];
        assert_eq!(body["kind"], "rate_limited");
        assert_eq!(body["provider"], "nodana");
        assert_eq!(body["maybe_performed"], false);
        assert_eq!(body["retry_after_seconds"], 2.0);
    }

    #[test]
    fn a_value_quoted_back_is_scrubbed() {
        let error = Error::InvalidInput {
            provider: "nodion",
            field: None,
            message: "value s3cr3t-value is too long".into(),
        };
        let scrubbed = scrub(error, "s3cr3t-value");
        assert!(!scrubbed.to_string().contains("s3cr3t-value"), "{scrubbed}");
        assert_eq!(scrubbed.kind(), "invalid_input");
        let missing = Error::NotFound {
            provider: "nodion",
            message: "no variable with value s3cr3t-value".into(),
        };
        let scrubbed = scrub(missing, "s3cr3t-value");
        assert_eq!(scrubbed.kind(), "not_found");
        assert!(scrubbed.to_string().contains("[redacted]"), "{scrubbed}");
    }
}
