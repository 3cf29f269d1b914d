//! The neutral traits of `nodal-core` on top of the typed API, with Nodion's honest
//! capabilities.
//!
//! | neutral operation | Nodion |
//! |---|---|
//! | `list_projects` / `get_project` | `GET /projects` (get = list + find) |
//! | `create_project`, `rename_project`, `delete_project` | unsupported |
//! | `list_apps(Some(p))` / `list_apps(None)` | `GET /applications` in project `p` / in every visible project |
//! | `create_app` | `POST /applications`, then `POST .../env_variables` per variable |
//! | `start_app` / `stop_app` | `PATCH .../processes/:id` to the app's `instance_amount` / to 0 |
//! | `restart_app`, `deploy` | `POST .../deployments` (scope `deploy`) |
//! | `wait_until_available_with` | polls `GET /applications/:id` and `GET .../deployments` |

use crate::applications::CreateApplication;
use crate::client::{KeyKind, NodionClient};
use crate::env::NewEnvVariable;
use crate::neutral::check_spec;
use crate::protocol::PROVIDER;
use nodal_core::{
    App, AppId, AppSource, AppSpec, AppStatus, Apps, Capabilities, CreatedApp, Credentials,
    DeployOptions, Deployments, Error, Projects, Provider, Result, WaitOptions, WaitUntil,
};
use nodal_core::{Deployment as NeutralDeployment, DeploymentStatus as NeutralDeploymentStatus};
use nodal_core::{Project as NeutralProject, ProjectId};
use std::time::Duration;

#[nodal_core::async_trait]
impl Projects for NodionClient {
    async fn list_projects(&self) -> Result<Vec<NeutralProject>> {
        let projects = self.projects().list().await?;
        Ok(projects.into_iter().map(NeutralProject::from).collect())
    }

    async fn get_project(&self, id: &ProjectId) -> Result<NeutralProject> {
        self.projects()
            .list()
            .await?
            .into_iter()
            .find(|p| &p.id == id)
            .map(NeutralProject::from)
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
    /// `Some(p)`: the apps of `p`. `None`: the apps of every project the client can see — for
    /// an unscoped user key that is one `GET /projects` plus one `GET /applications` per project;
    /// a project key or a project view sees just its project.
    async fn list_apps(&self, project: Option<&ProjectId>) -> Result<Vec<App>> {
        if project.is_none() && self.key_kind() == KeyKind::User && self.header_project().is_none()
        {
            let mut apps = Vec::new();
            for visible in self.projects().list().await? {
                apps.extend(list_apps_of(self, Some(&visible.id)).await?);
            }
            return Ok(apps);
        }
        list_apps_of(self, project).await
    }

    async fn get_app(&self, id: &AppId) -> Result<App> {
        let view = self.view_for_app(id);
        let mut app = App::from(view.applications().get(id).await?);
        if app.project.is_none() {
            app.project = view.header_project().cloned();
        }
        Ok(app)
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
        let region_id = view.resolve_region(checked.region).await?;
        let instance_type_id = view.resolve_instance_type(checked.instance_type).await?;
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
        let created = view.applications().create(&body).await?;
        let app_id = created.id.clone();
        let mut neutral = App::from(created);
        if neutral.project.is_none() {
            neutral.project = view.header_project().cloned();
        }
        self.remember(&app_id, neutral.project.as_ref());

        for (done, var) in spec.env.iter().enumerate() {
            let new =
                NewEnvVariable::new(var.key.clone(), var.value.clone()).build_time(var.build_time);
            if let Err(err) = view.env().create(&app_id, &new).await {
                return Err(err.with_context(format_args!(
                    "app {app_id} was created, but setting environment variable `{}` failed ({done} of {} variables were set; variables are not created atomically with the app)",
                    var.key,
                    spec.env.len()
                )));
            }
        }
        Ok(CreatedApp::new(neutral, Credentials::new()))
    }

    async fn delete_app(&self, id: &AppId) -> Result<()> {
        self.view_for_app(id).applications().delete(id).await?;
        self.forget(id);
        Ok(())
    }

    /// Scales every process back to the app's `instance_amount` (at least 1).
    async fn start_app(&self, id: &AppId) -> Result<()> {
        scale_all(self, id, None).await
    }

    /// Scales every process to 0.
    async fn stop_app(&self, id: &AppId) -> Result<()> {
        scale_all(self, id, Some(0)).await
    }

    /// Starts a new deployment (scope `deploy`).
    async fn restart_app(&self, id: &AppId) -> Result<()> {
        self.view_for_app(id).deployments().create(id, None).await?;
        Ok(())
    }

    /// Waits until the app is running and its newest deployment is available. `progress` sees
    /// each state before that, with [`App::deployment_status`] set to the newest deployment's
    /// status word. Fails early when the app or its newest deployment failed
    /// ([`Error::Conflict`]), and with [`Error::Timeout`] after `options.timeout`.
    async fn wait_until_available_with(
        &self,
        id: &AppId,
        options: WaitOptions,
        progress: Option<&mut (dyn for<'s> FnMut(&'s App, Duration) + Send)>,
    ) -> Result<App> {
        let view = &self.view_for_app(id);
        let mut wait = WaitUntil::new(PROVIDER, format!("app {id} to become available"))
            .options(options)
            .describe(Availability::describe);
        if let Some(progress) = progress {
            wait =
                wait.on_progress(move |state: &Availability, waited| progress(&state.app, waited));
        }
        let state = wait
            .run(
                move || async move { availability(view, id).await },
                Availability::is_available,
            )
            .await?;
        Ok(state.app)
    }
}

#[nodal_core::async_trait]
impl Deployments for NodionClient {
    async fn list_deployments(&self, app: &AppId) -> Result<Vec<NeutralDeployment>> {
        let deployments = self.view_for_app(app).deployments().list(app).await?;
        Ok(deployments
            .into_iter()
            .map(|d| of_app(NeutralDeployment::from(d), app))
            .collect())
    }

    async fn deploy(&self, app: &AppId, options: &DeployOptions) -> Result<NeutralDeployment> {
        let deployment = self
            .view_for_app(app)
            .deployments()
            .create(app, options.image_tag.as_deref())
            .await?;
        Ok(of_app(NeutralDeployment::from(deployment), app))
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
        // Nodion projects are managed in the dashboard, and apps are images or git
        // repositories that return no one-time secrets.
        let mut caps = Capabilities::all();
        caps.create_project = false;
        caps.rename_project = false;
        caps.delete_project = false;
        caps.app_from_template = false;
        caps.app_credentials = false;
        caps
    }
}

/// A neutral deployment of `app` (Nodion's answers may not say which app).
fn of_app(mut deployment: NeutralDeployment, app: &AppId) -> NeutralDeployment {
    deployment.app = app.clone();
    deployment
}

/// The apps of `project` (or of the view's project), remembering where each app lives.
async fn list_apps_of(client: &NodionClient, project: Option<&ProjectId>) -> Result<Vec<App>> {
    let view = match project {
        Some(p) if client.key_kind() == KeyKind::User => client.project(p.clone()),
        _ => client.clone(),
    };
    let used = view.header_project().cloned();
    let apps = view.applications().list().await?;
    Ok(apps
        .into_iter()
        // A project key always answers for its own project: keep only apps of the project
        // asked for, where Nodion says which project an app is in.
        .filter(|app| match (project, &app.project_id) {
            (Some(asked), Some(actual)) => asked == actual,
            _ => true,
        })
        .map(|app| {
            let mut neutral = App::from(app);
            if neutral.project.is_none() {
                neutral.project = used.clone();
            }
            client.remember(&neutral.id, neutral.project.as_ref());
            neutral
        })
        .collect())
}

/// Scales every process of the app to `amount`, or to the app's own `instance_amount`
/// (at least 1) when `amount` is `None`.
async fn scale_all(client: &NodionClient, app: &AppId, amount: Option<u32>) -> Result<()> {
    let view = client.view_for_app(app);
    let amount = match amount {
        Some(amount) => amount,
        None => view
            .applications()
            .get(app)
            .await?
            .instance_amount
            .unwrap_or(1)
            .max(1),
    };
    let processes = view.processes().list(app).await?;
    if processes.is_empty() {
        tracing::debug!(app = %app, "the app has no processes to scale");
    }
    for process in processes {
        view.processes().scale(app, &process.id, amount).await?;
    }
    Ok(())
}

/// What the wait sees at each poll: the app, and its newest deployment if it has any.
struct Availability {
    app: App,
    deployment: Option<NeutralDeployment>,
}

impl Availability {
    /// Running, and its newest deployment (if any) is live.
    fn is_available(&self) -> bool {
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

/// The app and its newest deployment, or an error when either has failed.
async fn availability(view: &NodionClient, app: &AppId) -> Result<Availability> {
    let application = view.applications().get(app).await?;
    let deployments = view.deployments().list(app).await?;
    let newest = deployments
        .into_iter()
        .max_by(|a, b| (a.deploy_number, &a.created_at).cmp(&(b.deploy_number, &b.created_at)))
        .map(|d| of_app(NeutralDeployment::from(d), app));
    let mut neutral = App::from(application);
    if neutral.project.is_none() {
        neutral.project = view.header_project().cloned();
    }
    neutral.deployment_status = newest.as_ref().map(|d| d.raw_status.clone());
    let state = Availability {
        app: neutral,
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
