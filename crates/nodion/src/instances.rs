//! Instances and metrics of an application (read-only, scope `read`). Both shapes are
//! **inferred** (`docs/wire-contract.md`), so they are decoded leniently.

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::ids::{InstanceId, ProcessId};
use crate::regions::Region;
use crate::wire::{InstancesKey, MetricsKey, id, opt_id};
use nodal_core::{AppId, Result};
use serde::{Deserialize, Serialize};

/// A running (or stopping) instance of a process. **Inferred** shape
/// `{id, status, process_id, region, created_at}`.
///
/// ```
/// use nodal_nodion::{Instance, RegionRef};
/// let i: Instance = serde_json::from_str(
///     r#"{"id": "i-1", "status": "running", "process_id": "p-1", "region": "euc"}"#,
/// )?;
/// assert_eq!(i.region, Some(RegionRef::Name("euc".into())));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Instance {
    /// The instance's id.
    #[serde(deserialize_with = "id")]
    pub id: InstanceId,
    /// Status word.
    #[serde(default)]
    pub status: Option<String>,
    /// The process it belongs to.
    #[serde(default, deserialize_with = "opt_id")]
    pub process_id: Option<ProcessId>,
    /// Where it runs.
    #[serde(default)]
    pub region: Option<RegionRef>,
    /// Start time (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
}

/// A region given either in full or by a single word (a slug or an id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum RegionRef {
    /// The full region.
    Region(Region),
    /// A slug or id.
    Name(String),
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
