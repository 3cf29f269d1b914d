//! The neutral model: what a project, an app and a deployment look like on any provider.

use crate::ids::{AppId, DeploymentId, ProjectId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A group of apps.
///
/// ```
/// use nodal_core::{Project, ProjectId};
/// let project = Project::new(ProjectId::from("prj-1"), "shop");
/// assert_eq!(project.name, "shop");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Project {
    /// The provider's id.
    pub id: ProjectId,
    /// Display name.
    pub name: String,
    /// Creation time (RFC 3339), when the provider reports it.
    pub created_at: Option<String>,
    /// Last change (RFC 3339), when the provider reports it.
    pub updated_at: Option<String>,
}

impl Project {
    /// A project with the given id and name and no timestamps.
    pub fn new(id: ProjectId, name: impl Into<String>) -> Self {
        Project {
            id,
            name: name.into(),
            created_at: None,
            updated_at: None,
        }
    }
}

/// An app's state, normalised across providers. The provider's own word is kept next to it in
/// [`App::raw_status`].
///
/// ```
/// use nodal_core::AppStatus;
/// assert!(AppStatus::Running.is_running());
/// assert_eq!(AppStatus::Other("cordoning".into()).as_str(), "cordoning");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AppStatus {
    /// Being created, started or deployed; not serving yet.
    Pending,
    /// Up and serving.
    Running,
    /// Stopped on purpose (scaled to zero, cordoned).
    Stopped,
    /// Failed to start or deploy.
    Failed,
    /// Deleted.
    Deleted,
    /// A status this version of nodal does not know; the provider's word.
    Other(String),
}

impl AppStatus {
    /// A short lowercase name (`pending`, `running`, ...; the raw word for `Other`).
    pub fn as_str(&self) -> &str {
        match self {
            AppStatus::Pending => "pending",
            AppStatus::Running => "running",
            AppStatus::Stopped => "stopped",
            AppStatus::Failed => "failed",
            AppStatus::Deleted => "deleted",
            AppStatus::Other(raw) => raw,
        }
    }

    /// Whether the app is up and serving.
    pub fn is_running(&self) -> bool {
        matches!(self, AppStatus::Running)
    }
}

impl fmt::Display for AppStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A running (or stopped) app.
///
/// ```
/// use nodal_core::{App, AppId, AppStatus};
/// let mut app = App::new(AppId::from("app-1"), AppStatus::Running, "available");
/// app.url = Some("https://app-1.example".into());
/// assert_eq!(app.raw_status, "available");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct App {
    /// The provider's id.
    pub id: AppId,
    /// Display name, when the provider has one (Nodana apps are named by their template).
    pub name: Option<String>,
    /// The project the app belongs to, when known.
    pub project: Option<ProjectId>,
    /// Normalised status.
    pub status: AppStatus,
    /// The provider's status word, verbatim.
    pub raw_status: String,
    /// Public URL, when the provider reports one.
    pub url: Option<String>,
    /// What the app runs: a template name, or an image reference.
    pub source: Option<String>,
    /// Creation time (RFC 3339), when reported.
    pub created_at: Option<String>,
    /// Last change (RFC 3339), when reported.
    pub updated_at: Option<String>,
    /// The status word of the app's newest deployment, verbatim, where the provider has
    /// deployments and reported one (Nodion); shown while waiting for the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_status: Option<String>,
}

impl App {
    /// An app with the given id and status; every optional field empty.
    pub fn new(id: AppId, status: AppStatus, raw_status: impl Into<String>) -> Self {
        App {
            id,
            name: None,
            project: None,
            status,
            raw_status: raw_status.into(),
            url: None,
            source: None,
            created_at: None,
            updated_at: None,
            deployment_status: None,
        }
    }
}

/// A deployment's state, normalised across providers.
///
/// ```
/// use nodal_core::DeploymentStatus;
/// assert!(DeploymentStatus::Available.is_finished());
/// assert!(!DeploymentStatus::InProgress.is_finished());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeploymentStatus {
    /// Accepted, not started (Nodion `created`).
    Pending,
    /// Building or rolling out (Nodion `waiting`).
    InProgress,
    /// Live (Nodion `available`, a running Nodana service).
    Available,
    /// Failed.
    Failed,
    /// Superseded or timed out (Nodion `expired`).
    Expired,
    /// A status this version of nodal does not know; the provider's word.
    Other(String),
}

impl DeploymentStatus {
    /// A short lowercase name (the raw word for `Other`).
    pub fn as_str(&self) -> &str {
        match self {
            DeploymentStatus::Pending => "pending",
            DeploymentStatus::InProgress => "in_progress",
            DeploymentStatus::Available => "available",
            DeploymentStatus::Failed => "failed",
            DeploymentStatus::Expired => "expired",
            DeploymentStatus::Other(raw) => raw,
        }
    }

    /// Whether the deployment reached a final state (available, failed or expired).
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            DeploymentStatus::Available | DeploymentStatus::Failed | DeploymentStatus::Expired
        )
    }
}

impl fmt::Display for DeploymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A version of an app being rolled out or live.
///
/// ```
/// use nodal_core::{AppId, Deployment, DeploymentId, DeploymentStatus};
/// let mut d = Deployment::new(DeploymentId::from("d-1"), AppId::from("a-1"), DeploymentStatus::Pending, "created");
/// d.version = Some("3".into());
/// assert_eq!(d.app.as_str(), "a-1");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Deployment {
    /// The provider's id (Nodana: the service id).
    pub id: DeploymentId,
    /// The app deployed.
    pub app: AppId,
    /// Normalised status.
    pub status: DeploymentStatus,
    /// The provider's status word, verbatim.
    pub raw_status: String,
    /// Version, deploy number or image tag, when reported.
    pub version: Option<String>,
    /// What was deployed (a Nodana service name, an image reference, a commit message).
    pub description: Option<String>,
    /// Creation time (RFC 3339), when reported.
    pub created_at: Option<String>,
}

impl Deployment {
    /// A deployment with the given ids and status; every optional field empty.
    pub fn new(
        id: DeploymentId,
        app: AppId,
        status: DeploymentStatus,
        raw_status: impl Into<String>,
    ) -> Self {
        Deployment {
            id,
            app,
            status,
            raw_status: raw_status.into(),
            version: None,
            description: None,
            created_at: None,
        }
    }
}

/// Options for a new deployment.
///
/// ```
/// use nodal_core::DeployOptions;
/// let opts = DeployOptions::new().image_tag("v2");
/// assert_eq!(opts.image_tag.as_deref(), Some("v2"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeployOptions {
    /// The image tag to roll out (prebuilt-image apps; providers without tags refuse it).
    pub image_tag: Option<String>,
}

impl DeployOptions {
    /// Deploy the newest version with no further options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Roll out this image tag.
    pub fn image_tag(mut self, tag: impl Into<String>) -> Self {
        self.image_tag = Some(tag.into());
        self
    }
}
