//! Services: the parts of an app (a template runs one or more), each with its own version.

use crate::client::NodanaClient;
use crate::endpoints;
use nodal_core::{AppId, DeploymentStatus, Result};
use serde::{Deserialize, Serialize};

nodal_core::typed_id!(
    /// Identifies a service of an app.
    ///
    /// ```
    /// use nodal_nodana::ServiceId;
    /// let id = ServiceId::from("svc-1234");
    /// assert_eq!(id.as_str(), "svc-1234");
    /// ```
    pub ServiceId
);

/// A service as Nodana reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Service {
    /// The service's id.
    pub id: ServiceId,
    /// The app it belongs to.
    pub app_id: Option<AppId>,
    /// The service's name (a component of the template, e.g. `phoenixd`).
    pub service: String,
    /// Its slug.
    pub slug: Option<String>,
    /// The region it runs in (e.g. `ewr`).
    pub region: Option<String>,
    /// Its status, verbatim (e.g. `running`); see [`Service::deployment_status`].
    pub status: String,
    /// The version it runs (e.g. `0.1.0`).
    pub version: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: Option<String>,
    /// Last change (RFC 3339).
    pub updated_at: Option<String>,
}

impl Service {
    /// The service's status as a neutral deployment status: a running service is a live
    /// deployment.
    ///
    /// ```
    /// use nodal_core::DeploymentStatus;
    /// use nodal_nodana::Service;
    /// let service: Service = serde_json::from_value(serde_json::json!({
    ///     "id": "svc-1", "service": "phoenixd", "status": "running"
    /// }))?;
    /// assert_eq!(service.deployment_status(), DeploymentStatus::Available);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn deployment_status(&self) -> DeploymentStatus {
        match self.status.to_ascii_lowercase().as_str() {
            "running" | "available" => DeploymentStatus::Available,
            "pending" | "starting" | "deploying" | "updating" => DeploymentStatus::InProgress,
            "failed" | "error" => DeploymentStatus::Failed,
            _ => DeploymentStatus::Other(self.status.clone()),
        }
    }
}

/// The answer to updating a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceUpdate {
    /// The app's id.
    pub id: AppId,
    /// The service's id.
    pub service_id: ServiceId,
    /// The version the service moved to.
    pub version: Option<String>,
    /// Whether Nodana changed it.
    pub updated: bool,
}

/// The service endpoints, from [`NodanaClient::services`].
///
/// ```no_run
/// use nodal_core::AppId;
/// use nodal_nodana::NodanaClient;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> nodal_core::Result<()> {
/// let client = NodanaClient::from_env()?;
/// let app = AppId::from("app-1234");
/// for service in client.services().list(&app).await? {
///     println!("{} {} {:?}", service.service, service.status, service.version);
///     let moved = client.services().update(&app, &service.id).await?;
///     println!("now at {:?}", moved.version);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ServicesApi<'c> {
    client: &'c NodanaClient,
}

impl<'c> ServicesApi<'c> {
    pub(crate) fn new(client: &'c NodanaClient) -> Self {
        ServicesApi { client }
    }

    /// `GET /apps/{app_id}/services`.
    pub async fn list(&self, app: &AppId) -> Result<Vec<Service>> {
        self.client
            .send(endpoints::LIST_SERVICES.request().param(app.as_str()))
            .await
    }

    /// `POST /apps/{app_id}/services/{service_id}/update`: moves the service to a newer
    /// version. Not replayed after an ambiguous failure, since each call may step a version.
    pub async fn update(&self, app: &AppId, service: &ServiceId) -> Result<ServiceUpdate> {
        self.client
            .send(
                endpoints::UPDATE_SERVICE
                    .request()
                    .param(app.as_str())
                    .param(service.as_str()),
            )
            .await
    }
}
