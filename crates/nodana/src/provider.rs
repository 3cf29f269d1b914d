//! The neutral traits on top of the typed API, and the status normalisation.
//!
//! | neutral | Nodana |
//! |---|---|
//! | `list_projects` / `get_project` | `GET /projects` / `GET /projects/{project_id}` |
//! | `create_project` / `rename_project` / `delete_project` | `POST /projects`, `/projects/{project_id}/update`, `/delete` |
//! | `list_apps(Some(p))` | `GET /projects/{project_id}/apps` |
//! | `list_apps(None)` | `GET /projects`, then `GET /projects/{project_id}/apps` per project (1 + N requests) |
//! | `get_app` / `create_app` / `delete_app` | `GET /apps/{app_id}` / `POST /apps` / `POST /apps/{app_id}/delete` |
//! | `start_app` / `stop_app` / `restart_app` | `POST /apps/{app_id}/start`, `/stop`, `/restart` |
//! | `wait_until_available` | polls `GET /apps/{app_id}` until `available` |
//! | `deploy` | `POST /apps/{app_id}/update` (latest version; no image tag) |
//! | `list_deployments` | `GET /apps/{app_id}/services`: one deployment per service |

use crate::apps::{App, NewApp};
use crate::client::NodanaClient;
use crate::protocol::PROVIDER;
use crate::services::Service;
use crate::templates::Template;
use async_trait::async_trait;
use nodal_core::{
    AppId, AppSource, AppSpec, AppStatus, Apps, Capabilities, CreatedApp, DeployOptions,
    Deployment, DeploymentId, DeploymentStatus, Deployments, Error, Project, ProjectId, Projects,
    Provider, Result,
};
use std::time::Duration;

/// Nodana's status words in the neutral model.
///
/// ```
/// use nodal_core::AppStatus;
/// use nodal_nodana::normalise_app_status;
/// assert_eq!(normalise_app_status("available"), AppStatus::Running);
/// assert_eq!(normalise_app_status("cordoned"), AppStatus::Stopped);
/// assert_eq!(normalise_app_status("migrating"), AppStatus::Other("migrating".into()));
/// ```
pub fn normalise_app_status(raw: &str) -> AppStatus {
    match raw.to_ascii_lowercase().as_str() {
        "available" | "running" => AppStatus::Running,
        "pending" | "starting" => AppStatus::Pending,
        "cordoned" | "stopped" => AppStatus::Stopped,
        "deleted" => AppStatus::Deleted,
        "failed" | "error" => AppStatus::Failed,
        _ => AppStatus::Other(raw.to_owned()),
    }
}

/// A service's status word as a deployment status: a running service is a live deployment.
fn normalise_service_status(raw: &str) -> DeploymentStatus {
    match raw.to_ascii_lowercase().as_str() {
        "running" | "available" => DeploymentStatus::Available,
        "pending" | "starting" | "deploying" | "updating" => DeploymentStatus::InProgress,
        "failed" | "error" => DeploymentStatus::Failed,
        _ => DeploymentStatus::Other(raw.to_owned()),
    }
}

impl From<App> for nodal_core::App {
    fn from(app: App) -> Self {
        let raw = app.status.as_str().to_owned();
        let mut neutral = nodal_core::App::new(app.id, normalise_app_status(&raw), raw);
        neutral.project = app.project_id;
        neutral.url = app.url;
        neutral.source = Some(app.template);
        neutral.created_at = app.created_at;
        neutral.updated_at = app.updated_at;
        neutral
    }
}

fn deployment_of(app: &AppId, service: Service) -> Deployment {
    let mut deployment = Deployment::new(
        DeploymentId::new(service.id.as_str()),
        app.clone(),
        normalise_service_status(&service.status),
        service.status,
    );
    deployment.version = service.version;
    deployment.description = Some(service.service);
    deployment.created_at = service.created_at;
    deployment
}

/// Refuses the parts of a neutral spec Nodana has no place for, naming the field, and turns
/// the rest into a [`NewApp`].
fn new_app_from_spec(spec: &AppSpec) -> Result<NewApp> {
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
        AppSource::Template { name, params } => Template::from_name_and_params(name, params)?,
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

#[async_trait]
impl Projects for NodanaClient {
    async fn list_projects(&self) -> Result<Vec<Project>> {
        let projects = self.projects().list().await?;
        Ok(projects.into_iter().map(Project::from).collect())
    }

    async fn get_project(&self, id: &ProjectId) -> Result<Project> {
        Ok(self.projects().get(id).await?.into())
    }

    async fn create_project(&self, name: &str) -> Result<Project> {
        let created = self.projects().create(name).await?;
        Ok(Project::new(created.id, created.name))
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
            apps.extend(self.projects().apps(id).await?.into_iter().map(Into::into));
        }
        Ok(apps)
    }

    async fn get_app(&self, id: &AppId) -> Result<nodal_core::App> {
        Ok(self.apps().get(id).await?.into())
    }

    async fn create_app(&self, spec: &AppSpec) -> Result<CreatedApp> {
        let app = new_app_from_spec(spec)?;
        let created = self.apps().create(&app).await?;
        Ok(created.into_neutral(Some(app.template().name())))
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

    async fn wait_until_available(&self, id: &AppId, timeout: Duration) -> Result<nodal_core::App> {
        Ok(self.apps().wait_until_available(id, timeout).await?.into())
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
            .map(|service| deployment_of(app, service))
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
        let update = self.apps().update(app).await?;
        let mut deployment = Deployment::new(
            DeploymentId::new(update.id.as_str()),
            app.clone(),
            DeploymentStatus::InProgress,
            "pending",
        );
        deployment.version = update.version;
        deployment.description = update.image;
        Ok(deployment)
    }
}

impl Provider for NodanaClient {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        let mut caps = Capabilities::none();
        caps.list_projects = true;
        caps.get_project = true;
        caps.create_project = true;
        caps.rename_project = true;
        caps.delete_project = true;
        caps.list_apps = true;
        caps.get_app = true;
        caps.create_app = true;
        caps.delete_app = true;
        caps.start_app = true;
        caps.stop_app = true;
        caps.restart_app = true;
        caps.wait_until_available = true;
        caps.deploy = true;
        caps.list_deployments = true;
        caps.app_from_template = true;
        caps.app_credentials = true;
        // Not possible on Nodana: pinning a version, images, git, environment variables.
        caps.deploy_image_tag = false;
        caps.app_from_image = false;
        caps.app_from_git = false;
        caps.app_env = false;
        caps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_normalise_as_documented() {
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
            ("weird", AppStatus::Other("weird".into())),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalise_app_status(raw), expected, "{raw}");
        }
        assert_eq!(
            normalise_service_status("running"),
            DeploymentStatus::Available
        );
        assert_eq!(
            normalise_service_status("pending"),
            DeploymentStatus::InProgress
        );
        assert_eq!(
            normalise_service_status("stopped"),
            DeploymentStatus::Other("stopped".into())
        );
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
