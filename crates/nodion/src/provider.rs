//! The neutral traits of `nodal-core` on top of the typed API, with Nodion's honest
//! capabilities.
//!
//! | neutral operation | Nodion |
//! |---|---|
//! | `list_projects` / `get_project` | `GET /projects` (get = list + find) |
//! | `create_project`, `rename_project`, `delete_project` | unsupported |
//! | `list_apps(Some(p))` / `list_apps(None)` | `GET /applications` in project `p` / in every visible project |
//! | `create_app` | `POST /applications`, `POST .../env_variables` per variable, then `POST .../deployments` |
//! | `stop_app` | `GET .../processes`, then `PATCH .../processes/:id` to 0 for each running one (counts saved first) |
//! | `start_app` | `GET .../processes`, then `PATCH .../processes/:id` back to each stopped one's saved count |
//! | `restart_app`, `deploy` | `POST .../deployments` (scope `deploy`) |
//! | `wait_until_available_with` | polls `GET /applications/:id` and `GET .../deployments` |

use crate::applications::CreateApplication;
use crate::client::{KeyKind, NodionClient};
use crate::env::NewEnvVariable;
use crate::neutral::check_spec;
use crate::process_counts::StoppedCounts;
use crate::processes::Process;
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

    /// Creates the application, sets its environment variables one by one, then triggers its
    /// first deployment (`POST .../deployments`): Nodion does not deploy on create, and
    /// `wait_until_available` waits for that deployment.
    ///
    /// Not atomic, and the create is never sent twice. If a step after the create fails, the
    /// error says what exists, e.g. "the application `<id>` was created and 2 of 3 env
    /// variables were set; the deployment was not triggered: ..." (a variable is named, never
    /// its value), and is marked [`Error::maybe_performed`] where its kind can carry the mark:
    /// the app exists, so do not create it again; finish it (set the rest, deploy) or delete it.
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

        let total = spec.env.len();
        for (done, var) in spec.env.iter().enumerate() {
            let new =
                NewEnvVariable::new(var.key.clone(), var.value.clone()).build_time(var.build_time);
            if let Err(err) = view.env().create(&app_id, &new).await {
                let step = if err.maybe_performed() {
                    format!("setting `{}` may or may not have taken effect", var.key)
                } else {
                    format!("setting `{}` failed", var.key)
                };
                return Err(partly_created(
                    err,
                    &app_id,
                    format!(
                        "the application {app_id} was created and {done} of {total} env variables were set; {step}; the deployment was not triggered"
                    ),
                ));
            }
        }

        if let Err(err) = view.deployments().create(&app_id, None).await {
            let variables = match total {
                0 => "it has no env variables to set".to_owned(),
                1 => "its env variable was set".to_owned(),
                n => format!("its {n} env variables were set"),
            };
            let step = if err.maybe_performed() {
                format!(
                    "the first deployment may or may not have been triggered (see GET /applications/{app_id}/deployments)"
                )
            } else {
                "the first deployment was not triggered".to_owned()
            };
            return Err(partly_created(
                err,
                &app_id,
                format!("the application {app_id} was created and {variables}; {step}"),
            ));
        }
        Ok(CreatedApp::new(neutral, Credentials::new()))
    }

    async fn delete_app(&self, id: &AppId) -> Result<()> {
        self.view_for_app(id).applications().delete(id).await?;
        self.forget(id);
        Ok(())
    }

    /// Gives every stopped process (instance count 0) back the count it had before
    /// [`stop_app`](Apps::stop_app): `GET .../processes`, then one `PATCH
    /// .../processes/:id {"instance_amount": n}` per stopped process. A process that is already
    /// running is left alone.
    ///
    /// The earlier counts come from the client's process-count store (in memory, or the files
    /// of [`NodionClientBuilder::process_counts_dir`](crate::NodionClientBuilder::process_counts_dir)
    /// so they survive between two processes). **When a process's earlier count is unknown**
    /// (it was stopped elsewhere: in the dashboard, by another client, or before counts were
    /// kept), it is started with the app's `instance_amount` when that is above 0, else with 1
    /// instance, and a warning is logged. The saved counts are forgotten once every process is
    /// started.
    async fn start_app(&self, id: &AppId) -> Result<()> {
        start_processes(self, id).await
    }

    /// Scales every running process to 0: `GET .../processes`, then one `PATCH
    /// .../processes/:id {"instance_amount": 0}` per process whose count is above 0 (or not
    /// reported). The counts are saved in the client's process-count store **before** the first
    /// `PATCH`, so [`start_app`](Apps::start_app) can restore each one.
    async fn stop_app(&self, id: &AppId) -> Result<()> {
        stop_processes(self, id).await
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

    /// Everything but project create/rename/delete, template apps, one-time credentials, and
    /// starting a stopped app by deploying it.
    ///
    /// ```
    /// use nodal_core::Provider;
    /// let client = nodal_nodion::NodionClient::builder().user_key("k").build()?;
    /// let caps = client.capabilities();
    /// assert!(caps.deploy_image_tag && caps.app_env && caps.start_app);
    /// assert!(!caps.create_project && !caps.app_from_template && !caps.app_credentials);
    /// assert!(!caps.deploy_starts_stopped_app);
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
        // A deployment does not scale a stopped app's processes back up.
        caps.deploy_starts_stopped_app = false;
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

/// Marks the failure of a step after the create: the text says what exists, and the error
/// says the neutral create may have been performed, so it is not simply tried again.
fn partly_created(err: Error, app: &AppId, what_exists: String) -> Error {
    err.with_context(what_exists)
        .with_note(format_args!(
            "create_app was partly performed: application {app} exists, so do not create it again; finish it (env variables, POST /applications/{app}/deployments) or delete it"
        ))
        .into_maybe_performed()
}

/// `stop_app`: saves the counts of the running processes, then scales each to 0.
async fn stop_processes(client: &NodionClient, app: &AppId) -> Result<()> {
    let view = client.view_for_app(app);
    let processes = view.processes().list(app).await?;
    let running: Vec<&Process> = processes
        .iter()
        .filter(|p| p.instance_amount != Some(0))
        .collect();
    if running.is_empty() {
        tracing::debug!(app = %app, processes = processes.len(), "no process is running; nothing to stop");
        return Ok(());
    }
    let store = &client.shared.process_counts.0;
    let base_url = client.base_url();
    // Merge with what an earlier, unfinished stop saved, so a second attempt keeps its counts.
    let mut saved = store
        .load(base_url, app)
        .map_err(|err| err.with_context(format_args!("stopping app {app}: nothing was stopped")))?
        .unwrap_or_default();
    let mut counted = false;
    for process in &running {
        match process.instance_amount {
            Some(count) => {
                saved.insert(process.id.clone(), count);
                counted = true;
            }
            None => {
                tracing::debug!(app = %app, process = %process.id, "the process reports no instance count; it is stopped, and start_app will not know its count")
            }
        }
    }
    if counted {
        store.save(base_url, app, &saved).map_err(|err| {
            err.with_context(format_args!("stopping app {app}: nothing was stopped"))
        })?;
    }
    for (done, process) in running.iter().enumerate() {
        if let Err(err) = view.processes().scale(app, &process.id, 0).await {
            return Err(err.with_context(format_args!(
                "stopping app {app}: {done} of {} running processes were scaled to 0 before process {} failed (their earlier counts are saved for start_app)",
                running.len(),
                process_name(process)
            )));
        }
    }
    Ok(())
}

/// `start_app`: scales each stopped process back to its saved count (or the fallback).
async fn start_processes(client: &NodionClient, app: &AppId) -> Result<()> {
    let view = client.view_for_app(app);
    let processes = view.processes().list(app).await?;
    let store = &client.shared.process_counts.0;
    let base_url = client.base_url();
    let saved: StoppedCounts = store
        .load(base_url, app)
        .map_err(|err| err.with_context(format_args!("starting app {app}: nothing was started")))?
        .unwrap_or_default();
    let stopped: Vec<&Process> = processes
        .iter()
        .filter(|p| match p.instance_amount {
            Some(0) => true,
            Some(_) => false,
            // No count reported: start it only if this client stopped it.
            None => saved.contains_key(&p.id),
        })
        .collect();
    if stopped.is_empty() {
        tracing::debug!(app = %app, processes = processes.len(), "every process is running; nothing to start");
    }
    let mut fallback: Option<u32> = None;
    for (done, process) in stopped.iter().enumerate() {
        let count = match saved.get(&process.id) {
            Some(&count) if count > 0 => count,
            _ => {
                let count = match fallback {
                    Some(count) => count,
                    None => {
                        let amount = view.applications().get(app).await.map_err(|err| {
                            err.with_context(format_args!(
                                "starting app {app}: {done} of {} stopped processes were started; reading the app's instance_amount (the count for process {}, whose earlier count is unknown) failed",
                                stopped.len(),
                                process_name(process)
                            ))
                        })?.instance_amount;
                        let count = amount.filter(|n| *n > 0).unwrap_or(1);
                        fallback = Some(count);
                        count
                    }
                };
                tracing::warn!(
                    app = %app,
                    process = %process_name(process),
                    instances = count,
                    "the count this process had before it was stopped is unknown (stopped elsewhere, or before counts were kept); starting it with the app's instance_amount, or 1"
                );
                count
            }
        };
        if let Err(err) = view.processes().scale(app, &process.id, count).await {
            return Err(err.with_context(format_args!(
                "starting app {app}: {done} of {} stopped processes were started before process {} failed (the saved counts are kept for the next start_app)",
                stopped.len(),
                process_name(process)
            )));
        }
    }
    if let Err(err) = store.clear(base_url, app) {
        tracing::warn!(app = %app, error = %err, "the app was started, but its saved process counts could not be removed");
    }
    Ok(())
}

/// A process as named in messages: its slug or name, and its id.
fn process_name(process: &Process) -> String {
    match process.slug.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => format!("{slug} ({})", process.id),
        None if !process.name.is_empty() => format!("{} ({})", process.name, process.id),
        None => process.id.to_string(),
    }
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
