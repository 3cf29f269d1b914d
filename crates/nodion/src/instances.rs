//! Instances and metrics of an application (read-only, scope `read`). Instances follow the
//! reference's example; the metrics shape is **inferred** (`docs/wire-contract.md`) and kept as
//! free JSON.

use crate::client::NodionClient;
use crate::deployments::Deployment;
use crate::endpoints as ep;
use crate::ids::InstanceId;
use crate::regions::InstanceType;
use crate::wire::{InstancesKey, MetricsKey, id, opt_id};
use nodal_core::{AppId, Result};
use serde::{Deserialize, Serialize};

nodal_core::wire_enum!(
    /// An instance's status word; the reference shows `online`.
    pub enum InstanceStatus {
        /// Running and serving.
        Online = "online",
    }
);

/// A running instance of an application, as in the reference's example: `{id, status, name,
/// hypervisor_name, created_at, deployment, instance_type, worker}`. There is no process id and
/// no region.
///
/// ```
/// use nodal_nodion::{Instance, InstanceStatus};
/// let i: Instance = serde_json::from_str(r#"{
///     "id": "i-1", "status": "online", "name": "3e5ac35cc2", "hypervisor_name": "16475",
///     "deployment": {"id": "d-1", "status": "available", "deploy_number": 38},
///     "instance_type": {"id": "t-1", "mem": 0.5, "price_month": "4.0"}, "worker": null
/// }"#)?;
/// assert_eq!(i.status, Some(InstanceStatus::Online));
/// assert_eq!(i.hypervisor_name.as_deref(), Some("16475"));
/// assert_eq!(i.deployment.and_then(|d| d.deploy_number), Some(38));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Instance {
    /// The instance's id.
    #[serde(deserialize_with = "id")]
    pub id: InstanceId,
    /// Status word (`online`).
    #[serde(default)]
    pub status: Option<InstanceStatus>,
    /// Short name (`3e5ac35cc2`).
    #[serde(default)]
    pub name: Option<String>,
    /// The host it runs on (a string such as `16475`; a number is accepted too).
    #[serde(default, deserialize_with = "opt_id")]
    pub hypervisor_name: Option<String>,
    /// Host name; not in the reference's example (read by a public client).
    #[serde(default)]
    pub hostname: Option<String>,
    /// Start time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// The deployment it runs (without `strategy`, `image_reference`, `updated_at`).
    #[serde(default)]
    pub deployment: Option<Deployment>,
    /// Its instance type (string prices, `mem` in GB).
    #[serde(default)]
    pub instance_type: Option<InstanceType>,
    /// The app worker it belongs to; `null` in the reference's example, shape unknown, kept
    /// as JSON.
    #[serde(default)]
    pub worker: Option<serde_json::Value>,
}

/// Metrics of an application: a free-form object (**inferred** shape `{"metrics": {...}}`),
/// kept as JSON.
///
/// ```
/// let m: nodal_nodion::Metrics = serde_json::from_str(r#"{"cpu_percent": 12.5, "instances": 2}"#)?;
/// assert_eq!(m.number("cpu_percent"), Some(12.5));
/// assert_eq!(m.number("missing"), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Metrics {
    /// Every metric by name (`null` reads as none).
    #[serde(deserialize_with = "crate::wire::null_default")]
    pub values: serde_json::Map<String, serde_json::Value>,
}

impl Metrics {
    /// One metric's JSON value.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.values.get(name)
    }

    /// One metric as a number, when it is one.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.values.get(name)?.as_f64()
    }
}

/// Instances and metrics of an application (read-only, scope `read`). Returned by
/// [`NodionClient::instances`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
/// let running = client.instances().list(&app).await?.len();
/// let cpu = client.instances().metrics(&app).await?.number("cpu_percent");
/// println!("{running} instances, cpu {cpu:?}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct InstancesApi<'c> {
    client: &'c NodionClient,
}

impl<'c> InstancesApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        InstancesApi { client }
    }

    /// Instances of an application: `GET /applications/:id/instances`.
    pub async fn list(&self, app: &AppId) -> Result<Vec<Instance>> {
        let request = self.client.request(ep::LIST_INSTANCES)?.param(app.as_str());
        self.client.fetch::<InstancesKey, _>(request).await
    }

    /// Metrics of an application: `GET /applications/:id/metrics`.
    pub async fn metrics(&self, app: &AppId) -> Result<Metrics> {
        let request = self.client.request(ep::GET_METRICS)?.param(app.as_str());
        self.client.fetch::<MetricsKey, _>(request).await
    }
}
