//! Container registries (read-only here, scope `read`); an application's
//! `container_registry_id` points at one.

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::ids::ContainerRegistryId;
use crate::wire::{ContainerRegistriesKey, ContainerRegistryKey, id, null_default, opt_id};
use nodal_core::Result;
use serde::{Deserialize, Serialize};

nodal_core::wire_enum!(
    /// A container registry's status; the reference shows `available`.
    pub enum RegistryStatus {
        /// Usable.
        Available = "available",
    }
);

nodal_core::wire_enum!(
    /// The kind of registry. The guide also names GHCR and custom registries, whose words are
    /// not readable (they decode as `Other`).
    pub enum RegistryType {
        /// Nodion's managed registry (`registry.<region>.nodion.net`).
        Nodion = "nodion",
        /// Docker Hub.
        DockerHub = "docker_hub",
    }
);

/// A container registry: `{id, status, registry_type, name, hostname, has_credentials,
/// region_id, created_at, updated_at}`.
///
/// ```
/// use nodal_nodion::{ContainerRegistry, RegistryType};
/// let r: ContainerRegistry = serde_json::from_str(r#"{"id": "c-1", "status": "available",
///     "registry_type": "docker_hub", "name": "My Docker Hub", "hostname": "docker.io",
///     "has_credentials": true, "region_id": null}"#)?;
/// assert_eq!(r.registry_type, Some(RegistryType::DockerHub));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContainerRegistry {
    /// The registry's id.
    #[serde(deserialize_with = "id")]
    pub id: ContainerRegistryId,
    /// Status (`available`).
    #[serde(default)]
    pub status: Option<RegistryStatus>,
    /// `nodion`, `docker_hub`, ...
    #[serde(default)]
    pub registry_type: Option<RegistryType>,
    /// Display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Host name (`registry.fra.nodion.net`, `docker.io`).
    #[serde(default)]
    pub hostname: Option<String>,
    /// Whether credentials are stored.
    #[serde(default)]
    pub has_credentials: Option<bool>,
    /// The region of a managed registry (`null` for external ones).
    #[serde(default, deserialize_with = "opt_id")]
    pub region_id: Option<String>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (ISO 8601).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// Container registries (scope `read`). Returned by [`NodionClient::container_registries`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// for registry in client.container_registries().list().await? {
///     println!("{} {:?}", registry.name, registry.hostname);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ContainerRegistriesApi<'c> {
    client: &'c NodionClient,
}

impl<'c> ContainerRegistriesApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        ContainerRegistriesApi { client }
    }

    /// Container registries: `GET /container_registries`.
    pub async fn list(&self) -> Result<Vec<ContainerRegistry>> {
        let request = self.client.request(ep::LIST_CONTAINER_REGISTRIES)?;
        self.client
            .fetch::<ContainerRegistriesKey, _>(request)
            .await
    }

    /// One container registry: `GET /container_registries/:id`.
    pub async fn get(&self, registry: &ContainerRegistryId) -> Result<ContainerRegistry> {
        let request = self
            .client
            .request(ep::GET_CONTAINER_REGISTRY)?
            .param(registry.as_str());
        self.client.fetch::<ContainerRegistryKey, _>(request).await
    }
}
