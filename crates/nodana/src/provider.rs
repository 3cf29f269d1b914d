//! The neutral traits on top of the typed API, and the conversions of the wire model into the
//! neutral one.
//!
//! | neutral | Nodana |
//! |---|---|
//! | `list_projects` / `get_project` | `GET /projects` / `GET /projects/{project_id}` |
//! | `create_project` / `rename_project` / `delete_project` | `POST /projects`, `/projects/{project_id}/update`, `/delete` |
//! | `list_apps(Some(p))` | `GET /projects/{project_id}/apps` |
//! | `list_apps(None)` | `GET /projects`, then `GET /projects/{project_id}/apps` per project (1 + N requests) |
//! | `get_app` / `create_app` / `delete_app` | `GET /apps/{app_id}` / `POST /apps` / `POST /apps/{app_id}/delete` |
//! | `start_app` / `stop_app` / `restart_app` | `POST /apps/{app_id}/start`, `/stop`, `/restart` |
//! | `wait_until_available_with` | polls `GET /apps/{app_id}` until `available` (the typed wait's code) |
//! | `deploy` | `POST /apps/{app_id}/update` (latest version; no image tag) |
//! | `list_deployments` | `GET /apps/{app_id}/services`: one deployment per service |

use crate::apps::{App, AppUpdate, NewApp};
use crate::client::NodanaClient;
use crate::projects::{CreatedProject, Project};
use crate::protocol::PROVIDER;
use crate::services::Service;
use crate::templates::Template;
use crate::wait;
use async_trait::async_trait;
use nodal_core::{
    AppId, AppSource, AppSpec, Apps, Capabilities, CreatedApp, DeployOptions, Deployment,
    DeploymentId, DeploymentStatus, Deployments, Error, ProjectId, Projects, Provider, Result,
    WaitOptions,
};
use std::time::Duration;

/// The neutral app: the status normalised by [`crate::AppStatus::normalized`] (the word kept in
/// `raw_status`), the template as its source, and no name (Nodana apps are named by their
/// template). A missing status becomes `Other("unknown")` with an empty `raw_status` (nothing
/// was sent); a missing template leaves `source` empty.
impl From<App> for nodal_core::App {
    fn from(app: App) -> Self {
        let raw = app
            .status
            .as_ref()
            .map(|status| status.as_str().to_owned())
            .unwrap_or_default();
        let status = app.normalized_status();
        let mut neutral = nodal_core::App::new(app.id, status, raw);
        neutral.project = app.project_id;
        neutral.url = app.url;
        neutral.source = app.template;
        neutral.created_at = app.created_at;
        neutral.updated_at = app.updated_at;
        neutral
    }
}

impl From<Project> for nodal_core::Project {
    fn from(project: Project) -> Self {
        let mut neutral = nodal_core::Project::new(project.id, project.name);
        neutral.created_at = project.created_at;
        neutral.updated_at = project.updated_at;
        neutral
    }
}

impl From<CreatedProject> for nodal_core::Project {
    fn from(created: CreatedProject) -> Self {
        nodal_core::Project::new(created.id, created.name)
    }
}

/// A service as a deployment: id = service id, version = service version, description =
/// service name, status from [`Service::deployment_status`]. The app is the service's `appId`
/// (empty when the answer lacks it; `list_deployments` sets the app it was asked about).
impl From<Service> for Deployment {
    fn from(service: Service) -> Self {
        let status = service.deployment_status();
        let app = service.app_id.unwrap_or_else(|| AppId::new(""));
        let mut deployment = Deployment::new(
            DeploymentId::new(service.id.into_string()),
            app,
            status,
            service.status,
        );
        deployment.version = service.version;
        deployment.description = Some(service.service);
        deployment.created_at = service.created_at;
        deployment
    }
}

/// The deployment an app update starts: Nodana has no deployment ids, so its id is the app's;
/// its version is the one the app moved to, its description the image, and its status in
/// progress (the app restarts).
impl From<AppUpdate> for Deployment {
    fn from(update: AppUpdate) -> Self {
        let app = update.id;
        let mut deployment = Deployment::new(
            DeploymentId::new(app.as_str()),
            app,
            DeploymentStatus::InProgress,
            "pending",
        );
        deployment.version = update.version;
        deployment.description = update.image;
        deployment
    }
}

/// What to do with a template parameter the known template's row does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnlistedParams {
    /// Refuse it before sending, naming the parameters the template takes.
    Refuse,
    /// Send it as given.
    Send,
}

/// Refuses the parts of a neutral spec Nodana has no place for, naming the field, and turns
/// the rest into a [`NewApp`].
fn new_app_from_spec(spec: &AppSpec) -> Result<NewApp> {
    new_app_with(spec, UnlistedParams::Refuse)
}

fn new_app_with(spec: &AppSpec, unlisted: UnlistedParams) -> Result<NewApp> {
    let refuse = |field: &str, why: &str| Err(Error::invalid_input(PROVIDER, field, why));
    if spec.name.is_some() {
        return refuse(
            "name",
            "Nodana apps have no name (they are named by their template); leave it unset",
        );
    }
    if spec.region.is_some() {
        return refuse("region", "Nodana does not let the caller choose a region");
    }
    if spec.instance_type.is_some() {
        return refuse("instance_type", "Nodana has no instance types");
    }
    if spec.instances.is_some() {
        return refuse("instances", "Nodana does not scale apps by instances");
    }
    if !spec.env.is_empty() {
        return refuse(
            "env",
            "Nodana apps take template parameters, not environment variables",
        );
    }
    let template = match &spec.source {
        AppSource::Template { name, params } => match unlisted {
            UnlistedParams::Refuse => Template::from_name_and_params(name, params)?,
            UnlistedParams::Send => Template::from_name_and_params_allowing_unknown(name, params)?,
        },
        _ => {
            return refuse(
                "source",
                "Nodana creates apps from templates only (AppSpec::from_template)",
            );
        }
    };
    let app = NewApp::new(template);
    Ok(match &spec.project {
        Some(project) => app.in_project(project.clone()),
        None => app,
    })
}

impl NodanaClient {
    /// The neutral [`Apps::create_app`](nodal_core::Apps::create_app), except that a template
    /// parameter the known template does not list is sent as given instead of refused (see
    /// [`Template::from_name_and_params_allowing_unknown`]): a parameter Nodana adds is usable
    /// before this crate lists it. Everything else is checked as in `create_app`.
    pub async fn create_app_allowing_unknown_params(&self, spec: &AppSpec) -> Result<CreatedApp> {
        let app = new_app_with(spec, UnlistedParams::Send)?;
        self.create_neutral(&app).await
    }

    async fn create_neutral(&self, app: &NewApp) -> Result<CreatedApp> {
        let mut created = CreatedApp::from(self.apps().create(app).await?);
        created.app.source = Some(app.template().name().to_owned());
        // Without a project Nodana makes a new one per app (counted against the account's
        // four): say so, so that cleanup can delete it with the app.
        if app.project_id().is_none()
            && let Some(project) = created.app.project.clone()
        {
            created = created.with_created_project(project);
        }
        Ok(created)
    }
}

#[async_trait]
impl Projects for NodanaClient {
    async fn list_projects(&self) -> Result<Vec<nodal_core::Project>> {
        let projects = self.projects().list().await?;
        Ok(projects.into_iter().map(Into::into).collect())
    }

    async fn get_project(&self, id: &ProjectId) -> Result<nodal_core::Project> {
        Ok(self.projects().get(id).await?.into())
    }

    async fn create_project(&self, name: &str) -> Result<nodal_core::Project> {
        Ok(self.projects().create(name).await?.into())
    }

    async fn rename_project(&self, id: &ProjectId, name: &str) -> Result<()> {
        self.projects().rename(id, name).await.map(drop)
    }

    async fn delete_project(&self, id: &ProjectId) -> Result<()> {
        self.projects().delete(id).await.map(drop)
    }
}

#[async_trait]
impl Apps for NodanaClient {
    /// With `None`, lists the projects and then each project's apps: 1 + N requests, each
    /// waiting for the rate limiter (about N + 1 seconds at the default 1 request per second).
    async fn list_apps(&self, project: Option<&ProjectId>) -> Result<Vec<nodal_core::App>> {
        let project_ids = match project {
            Some(id) => vec![id.clone()],
            None => self
                .projects()
                .list()
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect(),
        };
        let mut apps = Vec::new();
        for id in &project_ids {
            let listed = self.projects().apps(id).await;
            // Which of the N projects failed is known only here.
            let listed = match (project, listed) {
                (None, Err(error)) => {
                    return Err(
                        error.with_context(format_args!("listing the apps of project {id}"))
                    );
                }
                (_, listed) => listed?,
            };
            apps.extend(listed.into_iter().map(nodal_core::App::from));
        }
        Ok(apps)
    }

    async fn get_app(&self, id: &AppId) -> Result<nodal_core::App> {
        Ok(self.apps().get(id).await?.into())
    }

    async fn create_app(&self, spec: &AppSpec) -> Result<CreatedApp> {
        let app = new_app_from_spec(spec)?;
        self.create_neutral(&app).await
    }

    async fn delete_app(&self, id: &AppId) -> Result<()> {
        self.apps().delete(id).await.map(drop)
    }

    async fn start_app(&self, id: &AppId) -> Result<()> {
        self.apps().start(id).await.map(drop)
    }

    async fn stop_app(&self, id: &AppId) -> Result<()> {
        self.apps().stop(id).await.map(drop)
    }

    async fn restart_app(&self, id: &AppId) -> Result<()> {
        self.apps().restart(id).await.map(drop)
    }

    async fn wait_until_available_with(
        &self,
        id: &AppId,
        options: WaitOptions,
        mut progress: Option<&mut (dyn for<'s> FnMut(&'s nodal_core::App, Duration) + Send)>,
    ) -> Result<nodal_core::App> {
        let app = wait::until_available(self, id, options, |app: &App, waited| {
            if let Some(progress) = progress.as_mut() {
                progress(&nodal_core::App::from(app.clone()), waited);
            }
        })
        .await?;
        Ok(app.into())
    }
}

#[async_trait]
impl Deployments for NodanaClient {
    /// One deployment per service of the app: id = service id, version = service version,
    /// description = service name.
    async fn list_deployments(&self, app: &AppId) -> Result<Vec<Deployment>> {
        let services = self.services().list(app).await?;
        Ok(services
            .into_iter()
            .map(|service| {
                let mut deployment = Deployment::from(service);
                deployment.app = app.clone();
                deployment
            })
            .collect())
    }

    /// Updates the app to its template's latest version. Nodana cannot pin a version, so an
    /// image tag is refused. The deployment's id is the app's (Nodana has no deployment ids),
    /// its version the one the app moved to, and its status in progress (the app restarts).
    async fn deploy(&self, app: &AppId, options: &DeployOptions) -> Result<Deployment> {
        if options.image_tag.is_some() {
            return Err(Error::invalid_input(
                PROVIDER,
                "image_tag",
                "Nodana cannot pin a version: deploy always moves the app to its template's latest version; leave image_tag unset",
            ));
        }
        let mut deployment = Deployment::from(self.apps().update(app).await?);
        deployment.app = app.clone();
        Ok(deployment)
    }
}

impl Provider for NodanaClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        // Nodana cannot pin a version, run images or git repositories, or set environment
        // variables: an app is a template with its params.
        let mut caps = Capabilities::all();
        caps.deploy_image_tag = false;
        caps.app_from_image = false;
        caps.app_from_git = false;
        caps.app_env = false;
        // `deploy_starts_stopped_app` stays on: the update restarts the app.
        caps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_normalise_as_documented() {
        use crate::AppStatus as Wire;
        use nodal_core::AppStatus;
        let cases = [
            ("available", AppStatus::Running),
            ("running", AppStatus::Running),
            ("pending", AppStatus::Pending),
            ("starting", AppStatus::Pending),
            ("cordoned", AppStatus::Stopped),
            ("stopped", AppStatus::Stopped),
            ("deleted", AppStatus::Deleted),
            ("failed", AppStatus::Failed),
            ("error", AppStatus::Failed),
            ("Available", AppStatus::Running),
            ("weird", AppStatus::Other("weird".into())),
        ];
        for (raw, expected) in cases {
            assert_eq!(Wire::from_wire(raw).normalized(), expected, "{raw}");
        }
        let service = |status: &str| -> Service {
            serde_json::from_value(serde_json::json!({
                "id": "svc-1", "service": "phoenixd", "status": status
            }))
            .unwrap()
        };
        assert_eq!(
            service("running").deployment_status(),
            DeploymentStatus::Available
        );
        assert_eq!(
            service("pending").deployment_status(),
            DeploymentStatus::InProgress
        );
        assert_eq!(
            service("stopped").deployment_status(),
            DeploymentStatus::Other("stopped".into())
        );
    }

    #[test]
    fn wire_answers_convert_to_the_neutral_model() {
        let app: App = serde_json::from_value(serde_json::json!({
            "id": "app-1", "projectId": "prj-1", "template": "phoenixd",
            "status": "cordoned", "url": "https://a.nodana.app"
        }))
        .unwrap();
        let neutral = nodal_core::App::from(app);
        assert_eq!(neutral.status, nodal_core::AppStatus::Stopped);
        assert_eq!(neutral.raw_status, "cordoned");
        assert_eq!(neutral.source.as_deref(), Some("phoenixd"));
        assert_eq!(
            neutral.project.as_ref().map(ProjectId::as_str),
            Some("prj-1")
        );
        assert_eq!(neutral.name, None);

        let service: Service = serde_json::from_value(serde_json::json!({
            "id": "svc-1", "appId": "app-1", "service": "phoenixd",
            "status": "running", "version": "0.1.0"
        }))
        .unwrap();
        let deployment = Deployment::from(service);
        assert_eq!(deployment.id.as_str(), "svc-1");
        assert_eq!(deployment.app.as_str(), "app-1");
        assert_eq!(deployment.version.as_deref(), Some("0.1.0"));
        assert_eq!(deployment.description.as_deref(), Some("phoenixd"));
    }

    #[test]
    fn an_app_without_template_or_status_converts_without_guessing() {
        for body in [
            serde_json::json!({"id": "app-1"}),
            serde_json::json!({"id": "app-1", "template": null, "status": null}),
        ] {
            let app: App = serde_json::from_value(body.clone()).unwrap();
            assert_eq!((&app.template, &app.status), (&None, &None), "{body}");
            let neutral = nodal_core::App::from(app);
            assert_eq!(
                neutral.status,
                nodal_core::AppStatus::Other(App::MISSING_STATUS.into())
            );
            assert_eq!(neutral.raw_status, "");
            assert_eq!(neutral.source, None);
        }
    }

    #[test]
    fn specs_nodana_cannot_honour_are_refused_naming_the_field() {
        let cases: [(AppSpec, &str); 7] = [
            (AppSpec::from_template("vss").name("x"), "name"),
            (AppSpec::from_template("vss").region("ewr"), "region"),
            (
                AppSpec::from_template("vss").instance_type("s"),
                "instance_type",
            ),
            (AppSpec::from_template("vss").instances(2), "instances"),
            (AppSpec::from_template("vss").env("K", "V"), "env"),
            (AppSpec::from_image("ghcr.io/acme/web"), "source"),
            (AppSpec::from_git("i", "r", "b"), "source"),
        ];
        for (spec, field) in cases {
            match new_app_from_spec(&spec) {
                Err(Error::InvalidInput { field: Some(f), .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        let ok = new_app_from_spec(&AppSpec::from_template("phoenixd").project("prj-1")).unwrap();
        assert_eq!(ok.project_id().map(ProjectId::as_str), Some("prj-1"));
    }

    #[test]
    fn capabilities_are_honest() {
        let client = NodanaClient::builder().api_key("k").build().unwrap();
        let caps = client.capabilities();
        let off: Vec<&str> = caps.iter().filter(|(_, on)| !on).map(|(n, _)| n).collect();
        assert_eq!(
            off,
            [
                "deploy_image_tag",
                "app_from_image",
                "app_from_git",
                "app_env"
            ]
        );
        assert_eq!(client.name(), "nodana");
    }
}
