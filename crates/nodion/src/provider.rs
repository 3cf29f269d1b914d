//! The neutral traits of `nodal-core` on top of the typed API, with Nodion's honest
//! capabilities and the normalisation of its status words.
//!
//! | neutral operation | Nodion |
//! |---|---|
//! | `list_projects` / `get_project` | `GET /projects` (get = list + find) |
//! | `create_project`, `rename_project`, `delete_project` | unsupported |
//! | `list_apps(Some(p))` / `list_apps(None)` | `GET /applications` in project `p` / in the view's project |
//! | `create_app` | `POST /applications`, then `POST .../env_variables` per variable |
//! | `start_app` / `stop_app` | `PATCH .../processes/:id` to the app's `instance_amount` / to 0 |
//! | `restart_app`, `deploy` | `POST .../deployments` (scope `deploy`) |
//! | `wait_until_available` | polls `GET /applications/:id` and `GET .../deployments` |

use crate::applications::{Application, ApplicationStatus, CreateApplication};
use crate::client::{KeyKind, NodionClient, lock};
use crate::deployments::{Deployment, DeploymentStatus};
use crate::env::NewEnvVariable;
use crate::protocol::PROVIDER;
use nodal_core::{
    App, AppId, AppSource, AppSpec, AppStatus, Apps, Capabilities, CreatedApp, Credentials,
    DeployOptions, Deployments, Error, Projects, Provider, Result, WaitOptions, WaitUntil,
};
use nodal_core::{Deployment as NeutralDeployment, DeploymentStatus as NeutralDeploymentStatus};
use nodal_core::{Project as NeutralProject, ProjectId};
use std::time::Duration;

impl ApplicationStatus {
    /// The neutral status: `online`/`running`/`available` → running;
    /// `created`/`deploying`/`pending`/`starting`/`waiting` → pending;
    /// `offline`/`stopped`/`paused` → stopped; `failed`/`crashed`/`error` → failed;
    /// `deleted` → deleted; anything else is kept as `Other`.
    ///
    /// ```
    /// use nodal_core::AppStatus;
    /// use nodal_nodion::ApplicationStatus;
    /// assert_eq!(ApplicationStatus::Online.normalized(), AppStatus::Running);
    /// assert_eq!(ApplicationStatus::from_wire("paused").normalized(), AppStatus::Stopped);
    /// assert_eq!(ApplicationStatus::from_wire("molting").normalized(), AppStatus::Other("molting".into()));
    /// ```
    pub fn normalized(&self) -> AppStatus {
        match self.as_str() {
            "online" | "running" | "available" => AppStatus::Running,
            "created" | "deploying" | "pending" | "starting" | "waiting" => AppStatus::Pending,
            "offline" | "stopped" | "paused" => AppStatus::Stopped,
            "failed" | "crashed" | "error" => AppStatus::Failed,
            "deleted" => AppStatus::Deleted,
            other => AppStatus::Other(other.to_owned()),
        }
    }
}

impl DeploymentStatus {
    /// The neutral status: `created` → pending, `waiting` → in progress, `available`,
    /// `failed`, `expired`; anything else is kept as `Other`.
    ///
    /// ```
    /// use nodal_core::DeploymentStatus as Neutral;
    /// use nodal_nodion::DeploymentStatus;
    /// assert_eq!(DeploymentStatus::Waiting.normalized(), Neutral::InProgress);
    /// ```
    pub fn normalized(&self) -> NeutralDeploymentStatus {
        match self {
            DeploymentStatus::Created => NeutralDeploymentStatus::Pending,
            DeploymentStatus::Waiting => NeutralDeploymentStatus::InProgress,
            DeploymentStatus::Available => NeutralDeploymentStatus::Available,
            DeploymentStatus::Failed => NeutralDeploymentStatus::Failed,
            DeploymentStatus::Expired => NeutralDeploymentStatus::Expired,
            DeploymentStatus::Other(word) => NeutralDeploymentStatus::Other(word.clone()),
        }
    }
}

/// What [`NodionClient::wait_until_available_with`] sees at each poll.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Availability {
    /// The app.
    pub app: App,
    /// Its newest deployment, if it has any.
    pub deployment: Option<NeutralDeployment>,
}

impl Availability {
    /// Running, and its newest deployment (if any) is live.
    pub fn is_available(&self) -> bool {
        self.app.status.is_running()
            && self
                .deployment
                .as_ref()
                .is_none_or(|d| d.status == NeutralDeploymentStatus::Available)
    }

    fn describe(&self) -> String {
        match &self.deployment {
            Some(d) => format!(
                "app {}, newest deployment {}",
                self.app.raw_status, d.raw_status
            ),
            None => format!("app {}, no deployment", self.app.raw_status),
        }
    }
}

/// The neutral app for a Nodion application; `project` is used when Nodion does not say.
fn to_app(app: &Application, project: Option<&ProjectId>) -> App {
    let raw = app
        .status
        .as_ref()
        .map(|s| s.as_str().to_owned())
        .or_else(|| app.state.clone())
        .unwrap_or_default();
    let status = if raw.is_empty() {
        AppStatus::Other(String::new())
    } else {
        ApplicationStatus::from_wire(&raw).normalized()
    };
    let mut neutral = App::new(app.id.clone(), status, raw);
    neutral.name = Some(app.name.clone()).filter(|n| !n.is_empty());
    neutral.project = app.project_id.clone().or_else(|| project.cloned());
    neutral.source = app.image_name.as_ref().map(|image| match &app.image_tag {
        Some(tag) => format!("{image}:{tag}"),
        None => image.clone(),
    });
    neutral.created_at = app.created_at.clone();
    neutral.updated_at = app.updated_at.clone();
    neutral
}

fn to_deployment(deployment: &Deployment, app: &AppId) -> NeutralDeployment {
    let (status, raw) = match &deployment.status {
        Some(s) => (s.normalized(), s.as_str().to_owned()),
        None => (NeutralDeploymentStatus::Other(String::new()), String::new()),
    };
    let mut neutral = NeutralDeployment::new(deployment.id.clone(), app.clone(), status, raw);
    neutral.version = deployment.deploy_number.map(|n| n.to_string());
    neutral.description = deployment
        .commit_message
        .clone()
        .or_else(|| deployment.image_reference.clone());
    neutral.created_at = deployment.created_at.clone();
    neutral
}

fn to_project(project: crate::projects::Project) -> NeutralProject {
    let mut neutral = NeutralProject::new(project.id, project.name);
    neutral.created_at = project.created_at;
    neutral.updated_at = project.updated_at;
    neutral
}

/// Whether `value` is written like a UUID (then it is taken as an id, without a lookup).
fn looks_like_uuid(value: &str) -> bool {
    value.len() == 36
        && value.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Puts `context` in front of an error's message; variants without one are returned as they are.
fn with_context(error: Error, context: &str) -> Error {
    let prefix = |message: String| format!("{context}: {message}");
    match error {
        Error::Unauthenticated { provider, message } => Error::Unauthenticated {
            provider,
            message: prefix(message),
        },
        Error::PermissionDenied {
            provider,
            needed_scope,
            message,
        } => Error::PermissionDenied {
            provider,
            needed_scope,
            message: prefix(message),
        },
        Error::NotFound { provider, message } => Error::NotFound {
            provider,
            message: prefix(message),
        },
        Error::Conflict { provider, message } => Error::Conflict {
            provider,
            message: prefix(message),
        },
        Error::InvalidInput {
            provider,
            field,
            message,
        } => Error::InvalidInput {
            provider,
            field,
            message: prefix(message),
        },
        Error::RateLimited {
            provider,
            retry_after,
            message,
        } => Error::RateLimited {
            provider,
            retry_after,
            message: prefix(message),
        },
        Error::Server {
            provider,
            status,
            message,
        } => Error::Server {
            provider,
            status,
            message: prefix(message),
        },
        Error::Transport {
            provider,
            message,
            source,
        } => Error::Transport {
            provider,
            message: prefix(message),
            source,
        },
        Error::Decode {
            provider,
            message,
            excerpt,
        } => Error::Decode {
            provider,
            message: prefix(message),
            excerpt,
        },
        other => other,
    }
}

impl NodionClient {
    /// The view to use for an app: the project it was seen in (learned from `list_apps` and
    /// `create_app`), else this view.
    fn view_for_app(&self, app: &AppId) -> NodionClient {
        if self.key_kind() == KeyKind::Project {
            return self.clone();
        }
        let known = lock(&self.shared.app_projects).get(app).cloned();
        match known {
            Some(project) if self.selected_project() != Some(&project) => self.project(project),
            _ => self.clone(),
        }
    }

    fn remember(&self, app: &AppId, project: Option<&ProjectId>) {
        if let Some(project) = project {
            lock(&self.shared.app_projects).insert(app.clone(), project.clone());
        }
    }

    /// A region id from an id or a slug (or name): UUID-like values are used as they are,
    /// anything else is looked up in `GET /regions` (cached).
    async fn resolve_region(&self, given: &str) -> Result<String> {
        if looks_like_uuid(given) {
            return Ok(given.to_owned());
        }
        let regions = self.cached_regions().await?;
        if let Some(region) = regions
            .iter()
            .find(|r| r.id == given || r.slug == given || r.name.eq_ignore_ascii_case(given))
        {
            return Ok(region.id.clone());
        }
        let known: Vec<String> = regions
            .iter()
            .map(|r| format!("{} ({})", r.slug, r.name))
            .collect();
        Err(Error::invalid_input(
            PROVIDER,
            "region",
            format!(
                "`{given}` is not a Nodion region id or slug; known regions: {}",
                known.join(", ")
            ),
        ))
    }

    /// An instance type id from an id or a slug (or name), like [`Self::resolve_region`].
    async fn resolve_instance_type(&self, given: &str) -> Result<String> {
        if looks_like_uuid(given) {
            return Ok(given.to_owned());
        }
        let types = self.cached_instance_types().await?;
        if let Some(found) = types
            .iter()
            .find(|t| t.id == given || t.slug == given || t.name.eq_ignore_ascii_case(given))
        {
            return Ok(found.id.clone());
        }
        let known: Vec<&str> = types.iter().map(|t| t.slug.as_str()).collect();
        Err(Error::invalid_input(
            PROVIDER,
            "instance_type",
            format!(
                "`{given}` is not a Nodion instance type id or slug; known instance types: {}",
                known.join(", ")
            ),
        ))
    }

    /// The app and its newest deployment, or an error when either has failed.
    async fn availability(&self, app: &AppId) -> Result<Availability> {
        let application = self.application(app).await?;
        let deployments = self.deployments(app).await?;
        let newest = deployments
            .iter()
            .max_by(|a, b| (a.deploy_number, &a.created_at).cmp(&(b.deploy_number, &b.created_at)))
            .map(|d| to_deployment(d, app));
        let state = Availability {
            app: to_app(&application, self.selected_project()),
            deployment: newest,
        };
        if let Some(d) = &state.deployment
            && d.status == NeutralDeploymentStatus::Failed
        {
            return Err(Error::Conflict {
                provider: PROVIDER,
                message: format!(
                    "app {app} cannot become available: its newest deployment{} failed; read its logs, fix the cause and deploy again",
                    d.version
                        .as_deref()
                        .map(|v| format!(" #{v}"))
                        .unwrap_or_default()
                ),
            });
        }
        if state.app.status == AppStatus::Failed {
            return Err(Error::Conflict {
                provider: PROVIDER,
                message: format!(
                    "app {app} cannot become available: its status is `{}`",
                    state.app.raw_status
                ),
            });
        }
        Ok(state)
    }

    /// Waits until the app is running and its newest deployment is available, reporting each
    /// state seen to `progress`. Fails early when the app or its newest deployment failed
    /// ([`Error::Conflict`]), and with [`Error::Timeout`] after `options.timeout`.
    ///
    /// ```no_run
    /// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
    /// use nodal_core::WaitOptions;
    /// use std::time::Duration;
    /// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    /// let options = WaitOptions::new(Duration::from_secs(300)).with_interval(Duration::from_secs(5));
    /// let ready = client
    ///     .wait_until_available_with(&app, options, |state, waited| {
    ///         println!("{waited:?}: {}", state.app.raw_status);
    ///     })
    ///     .await?;
    /// println!("{} is {}", ready.id, ready.status);
    /// # Ok(()) }
    /// ```
    pub async fn wait_until_available_with(
        &self,
        app: &AppId,
        options: WaitOptions,
        progress: impl FnMut(&Availability, Duration) + Send,
    ) -> Result<App> {
        let view = &self.view_for_app(app);
        let state = WaitUntil::new(PROVIDER, format!("app {app} to become available"))
            .options(options)
            .on_progress(progress)
            .describe(Availability::describe)
            .run(
                move || async move { view.availability(app).await },
                Availability::is_available,
            )
            .await?;
        Ok(state.app)
    }

    /// Scales every process of the app to `amount`, or to the app's own `instance_amount`
    /// (at least 1) when `amount` is `None`.
    async fn scale_all(&self, app: &AppId, amount: Option<u32>) -> Result<()> {
        let view = self.view_for_app(app);
        let amount = match amount {
            Some(amount) => amount,
            None => view
                .application(app)
                .await?
                .instance_amount
                .unwrap_or(1)
                .max(1),
        };
        let processes = view.processes(app).await?;
        if processes.is_empty() {
            tracing::debug!(app = %app, "the app has no processes to scale");
        }
        for process in processes {
            view.scale_process(app, &process.id, amount).await?;
        }
        Ok(())
    }
}

/// The Nodion request for a neutral spec, after checking what can be checked locally.
struct CheckedSpec<'a> {
    name: &'a str,
    region: &'a str,
    instance_type: &'a str,
    instances: u32,
}

fn check_spec(spec: &AppSpec) -> Result<CheckedSpec<'_>> {
    if let AppSource::Template { .. } = spec.source {
        return Err(Error::invalid_input(
            PROVIDER,
            "source",
            "Nodion has no app templates; use AppSpec::from_image or AppSpec::from_git",
        ));
    }
    let name = spec.name.as_deref().filter(|v| !v.trim().is_empty());
    let region = spec.region.as_deref().filter(|v| !v.trim().is_empty());
    let instance_type = spec
        .instance_type
        .as_deref()
        .filter(|v| !v.trim().is_empty());
    let missing: Vec<&str> = [
        ("name", name.is_none()),
        ("region", region.is_none()),
        ("instance_type", instance_type.is_none()),
    ]
    .into_iter()
    .filter_map(|(field, missing)| missing.then_some(field))
    .collect();
    let (Some(name), Some(region), Some(instance_type)) = (name, region, instance_type) else {
        return Err(Error::invalid_input(
            PROVIDER,
            missing.join(", "),
            format!(
                "Nodion needs a name, a region and an instance type to create an app; missing: {}",
                missing.join(", ")
            ),
        ));
    };
    let instances = spec.instances.unwrap_or(1);
    if instances == 0 {
        return Err(Error::invalid_input(
            PROVIDER,
            "instances",
            "an app needs at least 1 instance",
        ));
    }
    if let AppSource::Image { image, .. } = &spec.source
        && image.trim().is_empty()
    {
        return Err(Error::invalid_input(
            PROVIDER,
            "source",
            "the image is empty",
        ));
    }
    if spec.env.iter().any(|v| v.key.trim().is_empty()) {
        return Err(Error::invalid_input(
            PROVIDER,
            "env",
            "an environment variable has an empty name",
        ));
    }
    Ok(CheckedSpec {
        name,
        region,
        instance_type,
        instances,
    })
}

#[nodal_core::async_trait]
impl Projects for NodionClient {
    async fn list_projects(&self) -> Result<Vec<NeutralProject>> {
        Ok(self.projects().await?.into_iter().map(to_project).collect())
    }

    async fn get_project(&self, id: &ProjectId) -> Result<NeutralProject> {
        self.projects()
            .await?
            .into_iter()
            .find(|p| &p.id == id)
            .map(to_project)
            .ok_or_else(|| Error::NotFound {
                provider: PROVIDER,
                message: format!(
                    "project {id} is not among the projects this key can see (GET /projects)"
                ),
            })
    }

    async fn create_project(&self, _name: &str) -> Result<NeutralProject> {
        Err(Error::unsupported(PROVIDER, "create_project"))
    }

    async fn rename_project(&self, _id: &ProjectId, _name: &str) -> Result<()> {
        Err(Error::unsupported(PROVIDER, "rename_project"))
    }

    async fn delete_project(&self, _id: &ProjectId) -> Result<()> {
        Err(Error::unsupported(PROVIDER, "delete_project"))
    }
}

#[nodal_core::async_trait]
impl Apps for NodionClient {
    /// Apps of `project`, or of this view's project (the key's default project when the view
    /// selects none) when `project` is `None`.
    /// `Some(p)`: the apps of `p`. `None`: the apps of every project the client can see — for
    /// an unscoped user key that is one `GET /projects` plus one `GET /applications` per project;
    /// a project key or a project view sees just its project.
    async fn list_apps(&self, project: Option<&ProjectId>) -> Result<Vec<App>> {
        if project.is_none() && self.key_kind() == KeyKind::User && self.header_project().is_none()
        {
            let mut apps = Vec::new();
            for visible in self.projects().await? {
                apps.extend(self.list_apps_of(Some(&visible.id)).await?);
            }
            return Ok(apps);
        }
        self.list_apps_of(project).await
    }

    async fn get_app(&self, id: &AppId) -> Result<App> {
        let view = self.view_for_app(id);
        let app = view.application(id).await?;
        Ok(to_app(&app, view.header_project()))
    }

    /// Creates the application, then its environment variables one by one (not atomic: if one
    /// fails, the app exists with the variables before it; the error names the variable, never
    /// its value).
    async fn create_app(&self, spec: &AppSpec) -> Result<CreatedApp> {
        let checked = check_spec(spec)?;
        let view = match &spec.project {
            Some(p) if self.key_kind() == KeyKind::User => self.project(p.clone()),
            Some(p) => {
                tracing::debug!(project = %p, "a project key creates apps in its own project; AppSpec::project is not sent");
                self.clone()
            }
            None => self.clone(),
        };
        let region_id = view.resolve_region(checked.region.trim()).await?;
        let instance_type_id = view
            .resolve_instance_type(checked.instance_type.trim())
            .await?;
        let mut body =
            CreateApplication::new(checked.name, region_id, instance_type_id, checked.instances);
        match &spec.source {
            AppSource::Image { image, tag } => {
                body = body.image(image.clone(), tag.as_deref());
            }
            AppSource::Git {
                integration_id,
                repository_id,
                branch_id,
            } => {
                body = body.git(
                    integration_id.clone(),
                    repository_id.clone(),
                    branch_id.clone(),
                );
            }
            _ => {}
        }
        let created = view.create_application(&body).await?;
        let neutral = to_app(&created, view.header_project());
        self.remember(&created.id, neutral.project.as_ref());

        for (done, var) in spec.env.iter().enumerate() {
            let new =
                NewEnvVariable::new(var.key.clone(), var.value.clone()).build_time(var.build_time);
            if let Err(err) = view.create_env_variable(&created.id, &new).await {
                return Err(with_context(
                    err,
                    &format!(
                        "app {} was created, but setting environment variable `{}` failed ({done} of {} variables were set; variables are not created atomically with the app)",
                        created.id,
                        var.key,
                        spec.env.len()
                    ),
                ));
            }
        }
        Ok(CreatedApp::new(neutral, Credentials::new()))
    }

    async fn delete_app(&self, id: &AppId) -> Result<()> {
        self.view_for_app(id).delete_application(id).await?;
        lock(&self.shared.app_projects).remove(id);
        Ok(())
    }

    /// Scales every process back to the app's `instance_amount` (at least 1).
    async fn start_app(&self, id: &AppId) -> Result<()> {
        self.scale_all(id, None).await
    }

    /// Scales every process to 0.
    async fn stop_app(&self, id: &AppId) -> Result<()> {
        self.scale_all(id, Some(0)).await
    }

    /// Starts a new deployment (scope `deploy`).
    async fn restart_app(&self, id: &AppId) -> Result<()> {
        self.view_for_app(id).create_deployment(id, None).await?;
        Ok(())
    }

    async fn wait_until_available(&self, id: &AppId, timeout: Duration) -> Result<App> {
        self.wait_until_available_with(id, WaitOptions::new(timeout), |_, _| {})
            .await
    }
}

#[nodal_core::async_trait]
impl Deployments for NodionClient {
    async fn list_deployments(&self, app: &AppId) -> Result<Vec<NeutralDeployment>> {
        let deployments = self.view_for_app(app).deployments(app).await?;
        Ok(deployments.iter().map(|d| to_deployment(d, app)).collect())
    }

    async fn deploy(&self, app: &AppId, options: &DeployOptions) -> Result<NeutralDeployment> {
        let deployment = self
            .view_for_app(app)
            .create_deployment(app, options.image_tag.as_deref())
            .await?;
        Ok(to_deployment(&deployment, app))
    }
}

impl Provider for NodionClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    /// Everything but project create/rename/delete, template apps and one-time credentials.
    ///
    /// ```
    /// use nodal_core::Provider;
    /// let client = nodal_nodion::NodionClient::builder().user_key("k").build()?;
    /// let caps = client.capabilities();
    /// assert!(caps.deploy_image_tag && caps.app_env && caps.start_app);
    /// assert!(!caps.create_project && !caps.app_from_template && !caps.app_credentials);
    /// # Ok::<(), nodal_core::Error>(())
    /// ```
    fn capabilities(&self) -> Capabilities {
        let mut caps = Capabilities::none();
        caps.list_projects = true;
        caps.get_project = true;
        caps.list_apps = true;
        caps.get_app = true;
        caps.create_app = true;
        caps.delete_app = true;
        caps.start_app = true;
        caps.stop_app = true;
        caps.restart_app = true;
        caps.wait_until_available = true;
        caps.deploy = true;
        caps.deploy_image_tag = true;
        caps.list_deployments = true;
        caps.app_from_image = true;
        caps.app_from_git = true;
        caps.app_env = true;
        caps
    }
}

impl NodionClient {
    /// The apps of `project` (or of the view's project), remembering where each app lives.
    async fn list_apps_of(&self, project: Option<&ProjectId>) -> Result<Vec<App>> {
        let view = match project {
            Some(p) if self.key_kind() == KeyKind::User => self.project(p.clone()),
            _ => self.clone(),
        };
        let used = view.header_project().cloned();
        let apps = view.applications().await?;
        Ok(apps
            .iter()
            // A project key always answers for its own project: keep only apps of the project
            // asked for, where Nodion says which project an app is in.
            .filter(|app| match (project, &app.project_id) {
                (Some(asked), Some(actual)) => asked == actual,
                _ => true,
            })
            .map(|app| {
                let neutral = to_app(app, used.as_ref());
                self.remember(&app.id, neutral.project.as_ref());
                neutral
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_statuses_normalise() {
        let n = |w: &str| ApplicationStatus::from_wire(w).normalized();
        assert_eq!(n("running"), AppStatus::Running);
        assert_eq!(n("deploying"), AppStatus::Pending);
        assert_eq!(n("offline"), AppStatus::Stopped);
        assert_eq!(n("crashed"), AppStatus::Failed);
        assert_eq!(n("deleted"), AppStatus::Deleted);
        assert_eq!(n("weird"), AppStatus::Other("weird".into()));
    }

    #[test]
    fn uuids_are_recognised() {
        assert!(looks_like_uuid("5903725b-f554-4294-ab17-c992a765a001"));
        assert!(!looks_like_uuid("euc"));
        assert!(!looks_like_uuid("5903725b-f554-4294-ab17-c992a765a00z"));
    }

    #[test]
    fn specs_are_checked_before_sending() {
        let err = check_spec(&AppSpec::from_template("phoenixd").name("x"))
            .err()
            .unwrap();
        assert!(matches!(err, Error::InvalidInput { field: Some(ref f), .. } if f == "source"));
        let err = check_spec(&AppSpec::from_image("nginx").name("web"))
            .err()
            .unwrap();
        let text = err.to_string();
        assert!(
            text.contains("region") && text.contains("instance_type"),
            "{text}"
        );
        assert!(!text.contains("missing: name"), "{text}");
        let err = check_spec(
            &AppSpec::from_image("nginx")
                .name("web")
                .region("euc")
                .instance_type("starter")
                .instances(0),
        )
        .err()
        .unwrap();
        assert!(matches!(err, Error::InvalidInput { field: Some(ref f), .. } if f == "instances"));
    }

    #[test]
    fn context_keeps_the_meaning() {
        let err = with_context(
            Error::PermissionDenied {
                provider: PROVIDER,
                needed_scope: Some("env:write".into()),
                message: "Forbidden".into(),
            },
            "setting `API_TOKEN` failed",
        );
        match err {
            Error::PermissionDenied {
                needed_scope,
                message,
                ..
            } => {
                assert_eq!(needed_scope.as_deref(), Some("env:write"));
                assert!(message.starts_with("setting `API_TOKEN` failed: Forbidden"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
