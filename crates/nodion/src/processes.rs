//! Processes of an application: list (scope `read`) and scale (scope `write`; 0 stops one).

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::ids::ProcessId;
use crate::regions::InstanceType;
use crate::wire::{ProcessKey, ProcessesKey, id, null_default, opt_id};
use nodal_core::{AppId, Result};
use serde::{Deserialize, Deserializer, Serialize};

nodal_core::wire_enum!(
    /// A process's (or an app worker's) status word; the reference shows `available`.
    pub enum ProcessStatus {
        /// Provisioned and usable.
        Available = "available",
    }
);

nodal_core::wire_enum!(
    /// A process's (or an app worker's) state word; the reference shows `default`.
    pub enum ProcessState {
        /// No operation in progress.
        Default = "default",
    }
);

/// A process of an application (`Web`, `Worker`, ...), as in the reference's example.
///
/// ```
/// use nodal_nodion::{Process, ProcessStatus};
/// let p: Process = serde_json::from_str(r#"{
///     "id": "p-1", "status": "available", "state": "default", "name": "Web", "slug": "web",
///     "instance_amount": 2, "entrypoint": null, "instance_type_id": "t-1",
///     "instance_type": {"id": "t-1", "name": "GP-G2-4GB1C", "slug": "gp-g2-4gb1c",
///         "price_month": "16.0", "price_second": "0.000006088280061"},
///     "ports": [{"id": "port-1", "port": 3000, "protocol": "http"}]
/// }"#)?;
/// assert_eq!(p.status, Some(ProcessStatus::Available));
/// assert_eq!(p.instance_amount, Some(2));
/// assert_eq!(p.ports[0].port, Some(3000));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Process {
    /// The process's id.
    #[serde(deserialize_with = "id")]
    pub id: ProcessId,
    /// Status word (`available`).
    #[serde(default)]
    pub status: Option<ProcessStatus>,
    /// State word (`default`).
    #[serde(default)]
    pub state: Option<ProcessState>,
    /// Display name (`Web`).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Short name (`web`).
    #[serde(default)]
    pub slug: Option<String>,
    /// Image the process runs.
    #[serde(default)]
    pub image_name: Option<String>,
    /// Running instances of this process (0 = stopped).
    #[serde(default)]
    pub instance_amount: Option<u32>,
    /// Command the process starts with.
    #[serde(default)]
    pub entrypoint: Option<String>,
    /// The instance type's id.
    #[serde(default, deserialize_with = "opt_id")]
    pub instance_type_id: Option<String>,
    /// The instance type (Nodion sends an object; a bare id is accepted too).
    #[serde(default, deserialize_with = "instance_type")]
    pub instance_type: Option<InstanceType>,
    /// Exposed ports (may be empty).
    #[serde(default, deserialize_with = "null_default")]
    pub ports: Vec<Port>,
}

/// A port a process listens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Port {
    /// The port's id.
    #[serde(default, deserialize_with = "crate::wire::opt_id")]
    pub id: Option<String>,
    /// Port number (`3000`).
    #[serde(default)]
    pub port: Option<u16>,
    /// Protocol, e.g. `http`.
    #[serde(default)]
    pub protocol: Option<String>,
}

fn instance_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<InstanceType>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Full(InstanceType),
        Id(String),
    }
    Ok(match Option::<Either>::deserialize(d)? {
        None => None,
        Some(Either::Full(t)) => Some(t),
        Some(Either::Id(id)) => Some(InstanceType {
            id,
            name: String::new(),
            slug: String::new(),
            category: None,
            cpu: None,
            mem: None,
            price_month: None,
            price_second: None,
        }),
    })
}

#[derive(Serialize)]
struct ScaleBody {
    instance_amount: u32,
}

/// Processes of an application: list (scope `read`) and scale (scope `write`; 0 stops one).
/// Returned by [`NodionClient::processes`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
/// for p in client.processes().list(&app).await? {
///     println!("{}: {:?} instances", p.name, p.instance_amount);
///     client.processes().scale(&app, &p.id, 0).await?; // stop
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ProcessesApi<'c> {
    client: &'c NodionClient,
}

impl<'c> ProcessesApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        ProcessesApi { client }
    }

    /// Processes of an application: `GET /applications/:id/processes`.
    pub async fn list(&self, app: &AppId) -> Result<Vec<Process>> {
        let request = self.client.request(ep::LIST_PROCESSES)?.param(app.as_str());
        self.client.fetch::<ProcessesKey, _>(request).await
    }

    /// Scales a process: `PATCH /applications/:id/processes/:process_id` (**inferred path**)
    /// with `{"instance_amount": n}`; 0 stops the process. Idempotent.
    pub async fn scale(
        &self,
        app: &AppId,
        process: &ProcessId,
        instance_amount: u32,
    ) -> Result<Process> {
        let request = self
            .client
            .request(ep::SCALE_PROCESS)?
            .param(app.as_str())
            .param(process.as_str())
            .json(&ScaleBody { instance_amount });
        self.client.fetch::<ProcessKey, _>(request).await
    }
}
