//! Nodion's wire model in nodal's neutral terms: status words normalised, and the neutral
//! [`App`], [`Deployment`](NeutralDeployment) and [`Project`](NeutralProject) built from the
//! typed values. Context an answer lacks (the project an app was listed in, the app a
//! deployment belongs to) is set on the neutral value afterwards by the caller. Also the check
//! of a neutral [`AppSpec`] against what Nodion's create needs.

use crate::applications::{Application, ApplicationStatus};
use crate::deployments::{Deployment, DeploymentStatus};
use crate::projects::Project;
use crate::protocol::PROVIDER;
use nodal_core::{App, AppId, AppSource, AppSpec, AppStatus, Error, Result};
use nodal_core::{
    Deployment as NeutralDeployment, DeploymentStatus as NeutralDeploymentStatus,
    Project as NeutralProject,
};

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

/// The neutral app: the status word (or, without one, the state word) normalised and kept
/// verbatim; the image and tag as the source. `project` is Nodion's `project_id`, when it sends
/// one.
///
/// ```
/// use nodal_core::{App, AppStatus};
/// use nodal_nodion::Application;
/// let app: Application = serde_json::from_str(
///     r#"{"id": "a-1", "name": "web", "status": "online", "image_name": "nginx", "image_tag": "1.27"}"#,
/// )?;
/// let neutral = App::from(app);
/// assert_eq!(neutral.status, AppStatus::Running);
/// assert_eq!(neutral.raw_status, "online");
/// assert_eq!(neutral.source.as_deref(), Some("nginx:1.27"));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl From<Application> for App {
    fn from(app: Application) -> App {
        let raw = app
            .status
            .as_ref()
            .map(|s| s.as_str().to_owned())
            .or(app.state)
            .unwrap_or_default();
        let status = if raw.is_empty() {
            AppStatus::Other(String::new())
        } else {
            ApplicationStatus::from_wire(&raw).normalized()
        };
        let mut neutral = App::new(app.id, status, raw);
        neutral.name = Some(app.name).filter(|n| !n.is_empty());
        neutral.project = app.project_id;
        neutral.source = app.image_name.map(|image| match &app.image_tag {
            Some(tag) => format!("{image}:{tag}"),
            None => image,
        });
        neutral.created_at = app.created_at;
        neutral.updated_at = app.updated_at;
        neutral
    }
}

/// The neutral deployment: the deploy number as the version, the commit message (or the image)
/// as the description. Nodion's deployment answers may lack the application id; the caller sets
/// `app` when it knows better.
///
/// ```
/// use nodal_core::{AppId, Deployment, DeploymentStatus};
/// let d: nodal_nodion::Deployment = serde_json::from_str(
///     r#"{"id": "d-2", "status": "waiting", "deploy_number": 2, "image_reference": "nginx:1.27"}"#,
/// )?;
/// let mut neutral = Deployment::from(d);
/// neutral.app = AppId::from("a-1");
/// assert_eq!(neutral.status, DeploymentStatus::InProgress);
/// assert_eq!(neutral.version.as_deref(), Some("2"));
/// assert_eq!(neutral.description.as_deref(), Some("nginx:1.27"));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl From<Deployment> for NeutralDeployment {
    fn from(deployment: Deployment) -> NeutralDeployment {
        let (status, raw) = match &deployment.status {
            Some(s) => (s.normalized(), s.as_str().to_owned()),
            None => (NeutralDeploymentStatus::Other(String::new()), String::new()),
        };
        let app = deployment
            .application_id
            .unwrap_or_else(|| AppId::new(String::new()));
        let mut neutral = NeutralDeployment::new(deployment.id, app, status, raw);
        neutral.version = deployment.deploy_number.map(|n| n.to_string());
        neutral.description = deployment.commit_message.or(deployment.image_reference);
        neutral.created_at = deployment.created_at;
        neutral
    }
}

/// The neutral project.
///
/// ```
/// let p: nodal_nodion::Project = serde_json::from_str(r#"{"id": "p-1", "name": "shop"}"#)?;
/// assert_eq!(nodal_core::Project::from(p).name, "shop");
/// # Ok::<(), serde_json::Error>(())
/// ```
impl From<Project> for NeutralProject {
    fn from(project: Project) -> NeutralProject {
        let mut neutral = NeutralProject::new(project.id, project.name);
        neutral.created_at = project.created_at;
        neutral.updated_at = project.updated_at;
        neutral
    }
}

/// What a neutral spec asks Nodion to create, once checked locally.
pub(crate) struct CheckedSpec<'a> {
    pub(crate) name: &'a str,
    pub(crate) region: &'a str,
    pub(crate) instance_type: &'a str,
    pub(crate) instances: u32,
}

/// Checks what can be checked before anything is sent: Nodion has no templates, and needs a
/// name, a region, an instance type and at least one instance.
pub(crate) fn check_spec(spec: &AppSpec) -> Result<CheckedSpec<'_>> {
    if let AppSource::Template { .. } = spec.source {
        return Err(Error::invalid_input(
            PROVIDER,
            "source",
            "Nodion has no app templates; use AppSpec::from_image or AppSpec::from_git",
        ));
    }
    fn given(value: Option<&String>) -> Option<&str> {
        value.map(String::as_str).filter(|v| !v.trim().is_empty())
    }
    let name = given(spec.name.as_ref());
    let region = given(spec.region.as_ref());
    let instance_type = given(spec.instance_type.as_ref());
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
    fn an_app_without_a_status_word_falls_back_to_its_state() {
        let app: Application =
            serde_json::from_value(serde_json::json!({"id": "a", "state": "stopped"})).unwrap();
        let neutral = App::from(app);
        assert_eq!(neutral.status, AppStatus::Stopped);
        assert_eq!(neutral.raw_status, "stopped");
        assert_eq!(neutral.name, None);
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
}
