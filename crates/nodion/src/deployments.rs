//! Deployments of an application: list (scope `read`) and create (scope `deploy`).

use crate::applications::DeploymentStrategy;
use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::wire::{DeploymentKey, DeploymentsKey, id, opt_id};
use nodal_core::{AppId, DeploymentId, Result};
use serde::{Deserialize, Serialize};

nodal_core::wire_enum!(
    /// A deployment's status: `created → waiting → available | failed | expired`.
    pub enum DeploymentStatus {
        /// Accepted, not started.
        Created = "created",
        /// Building or rolling out.
        Waiting = "waiting",
        /// Live.
        Available = "available",
        /// Failed.
        Failed = "failed",
        /// Superseded or timed out.
        Expired = "expired",
    }
);

/// A deployment. Unknown fields are ignored; nullable fields are `Option`.
///
/// ```
/// use nodal_nodion::{Deployment, DeploymentStatus};
/// let d: Deployment = serde_json::from_str(
///     r#"{"id": "d-1", "status": "waiting", "deploy_number": 2, "git_sha": null}"#,
/// )?;
/// assert_eq!(d.status, Some(DeploymentStatus::Waiting));
/// assert_eq!(d.deploy_number, Some(2));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Deployment {
    /// The deployment's id.
    #[serde(deserialize_with = "id")]
    pub id: DeploymentId,
    /// Status.
    #[serde(default)]
    pub status: Option<DeploymentStatus>,
    /// Sequence number within the application (1, 2, ...).
    #[serde(default)]
    pub deploy_number: Option<u64>,
    /// Commit deployed (git-based applications).
    #[serde(default)]
    pub git_sha: Option<String>,
    /// Commit message.
    #[serde(default)]
    pub commit_message: Option<String>,
    /// Committer's name.
    #[serde(default)]
    pub committer_name: Option<String>,
    /// Committer's e-mail address.
    #[serde(default)]
    pub committer_email: Option<String>,
    /// Committer's user name (`"Container Registry"` for image deployments).
    #[serde(default)]
    pub committer_username: Option<String>,
    /// Commit time (ISO 8601).
    #[serde(default)]
    pub commit_timestamp: Option<String>,
    /// How the application was built.
    #[serde(default)]
    pub strategy: Option<DeploymentStrategy>,
    /// Image deployed (prebuilt-image applications), e.g. `nginx:1.27`.
    #[serde(default)]
    pub image_reference: Option<String>,
    /// Creation time (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
    /// The application, when Nodion reports it.
    #[serde(default, deserialize_with = "opt_id")]
    pub application_id: Option<AppId>,
}

#[derive(Serialize)]
struct CreateDeploymentBody<'a> {
    image_tag: &'a str,
}

/// Deployments of an application: list (scope `read`) and create (scope `deploy`). Returned by
/// [`NodionClient::deployments`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
/// let deployment = client.deployments().create(&app, Some("1.4.3")).await?;
/// println!("deployment {} is {:?}", deployment.id, deployment.status);
/// for d in client.deployments().list(&app).await? {
///     println!("#{:?} {:?}", d.deploy_number, d.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DeploymentsApi<'c> {
    client: &'c NodionClient,
}

impl<'c> DeploymentsApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        DeploymentsApi { client }
    }

    /// Deployments of an application: `GET /applications/:id/deployments`.
    pub async fn list(&self, app: &AppId) -> Result<Vec<Deployment>> {
        let request = self
            .client
            .request(ep::LIST_DEPLOYMENTS)?
            .param(app.as_str());
        self.client.fetch::<DeploymentsKey, _>(request).await
    }

    /// Starts a deployment: `POST /applications/:id/deployments`, scope `deploy`. With
    /// `image_tag` (prebuilt-image applications) the body is `{"image_tag": ...}`; without,
    /// no body is sent. Not idempotent: never replayed after an ambiguous failure.
    pub async fn create(&self, app: &AppId, image_tag: Option<&str>) -> Result<Deployment> {
        let mut request = self
            .client
            .request(ep::CREATE_DEPLOYMENT)?
            .param(app.as_str());
        if let Some(image_tag) = image_tag {
            require_text("image_tag", image_tag)?;
            request = request.json(&CreateDeploymentBody { image_tag });
        }
        self.client.fetch::<DeploymentKey, _>(request).await
    }
}
