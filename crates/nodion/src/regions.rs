//! The catalogue: regions and instance types (read-only, scope `read`).

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::wire::{InstanceTypesKey, RegionsKey, null_default};
use nodal_core::Result;
use serde::{Deserialize, Serialize};

/// A region apps run in.
///
/// ```
/// let region: nodal_nodion::Region = serde_json::from_str(
///     r#"{"id": "5903725b-f554-4294-ab17-c992a765a001", "name": "EU Central", "slug": "euc"}"#,
/// )?;
/// assert_eq!(region.slug, "euc");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Region {
    /// The region's id (a UUID).
    pub id: String,
    /// Display name, e.g. `EU Central`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Short name, e.g. `euc`.
    #[serde(default, deserialize_with = "null_default")]
    pub slug: String,
}

/// A size of instance an app's processes run on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstanceType {
    /// The instance type's id.
    pub id: String,
    /// Display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Short name, e.g. `starter`.
    #[serde(default, deserialize_with = "null_default")]
    pub slug: String,
    /// Category, e.g. `shared` or `dedicated`.
    #[serde(default)]
    pub category: Option<String>,
    /// Virtual CPUs.
    #[serde(default)]
    pub cpu: Option<f64>,
    /// Memory (MiB).
    #[serde(default)]
    pub mem: Option<f64>,
    /// Price per month.
    #[serde(default)]
    pub price_month: Option<f64>,
    /// Price per second.
    #[serde(default)]
    pub price_second: Option<f64>,
}

/// The catalogue: regions and instance types. Returned by [`NodionClient::catalog`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// for region in client.catalog().regions().await? {
///     println!("{} ({})", region.name, region.slug);
/// }
/// let cheapest = client
///     .catalog()
///     .instance_types()
///     .await?
///     .into_iter()
///     .min_by(|a, b| a.price_month.partial_cmp(&b.price_month).unwrap_or(std::cmp::Ordering::Equal));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CatalogApi<'c> {
    client: &'c NodionClient,
}

impl<'c> CatalogApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        CatalogApi { client }
    }

    /// Every region: `GET /regions`.
    pub async fn regions(&self) -> Result<Vec<Region>> {
        let request = self.client.request(ep::LIST_REGIONS)?;
        self.client.fetch::<RegionsKey, _>(request).await
    }

    /// Every instance type: `GET /instance_types`.
    pub async fn instance_types(&self) -> Result<Vec<InstanceType>> {
        let request = self.client.request(ep::LIST_INSTANCE_TYPES)?;
        self.client.fetch::<InstanceTypesKey, _>(request).await
    }
}
