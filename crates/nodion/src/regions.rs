//! The catalogue: regions and instance types (read-only, scope `read`).

use crate::client::{NodionClient, lock};
use crate::endpoints as ep;
use crate::wire::{InstanceTypesKey, RegionsKey, null_default};
use nodal_core::Result;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

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

impl NodionClient {
    /// Every region: `GET /regions`.
    ///
    /// ```no_run
    /// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
    /// for region in client.regions().await? {
    ///     println!("{} ({})", region.name, region.slug);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn regions(&self) -> Result<Vec<Region>> {
        let regions: Vec<Region> = self
            .fetch::<RegionsKey, _>(self.request(Method::GET, ep::REGIONS)?)
            .await?;
        Ok(regions)
    }

    /// Every instance type: `GET /instance_types`.
    ///
    /// ```no_run
    /// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
    /// let cheapest = client
    ///     .instance_types()
    ///     .await?
    ///     .into_iter()
    ///     .min_by(|a, b| a.price_month.partial_cmp(&b.price_month).unwrap_or(std::cmp::Ordering::Equal));
    /// # Ok(()) }
    /// ```
    pub async fn instance_types(&self) -> Result<Vec<InstanceType>> {
        let types: Vec<InstanceType> = self
            .fetch::<InstanceTypesKey, _>(self.request(Method::GET, ep::INSTANCE_TYPES)?)
            .await?;
        Ok(types)
    }

    /// The regions for resolving slugs: fetched once per client (and its clones), then shared.
    /// Only this path fills the cache, so the public `regions()` stays a plain request.
    pub(crate) async fn cached_regions(&self) -> Result<Arc<[Region]>> {
        if let Some(regions) = lock(&self.shared.regions).clone() {
            return Ok(regions);
        }
        let regions: Arc<[Region]> = self.regions().await?.into();
        *lock(&self.shared.regions) = Some(Arc::clone(&regions));
        Ok(regions)
    }

    /// The instance types for resolving slugs, cached like [`Self::cached_regions`].
    pub(crate) async fn cached_instance_types(&self) -> Result<Arc<[InstanceType]>> {
        if let Some(types) = lock(&self.shared.instance_types).clone() {
            return Ok(types);
        }
        let types: Arc<[InstanceType]> = self.instance_types().await?.into();
        *lock(&self.shared.instance_types) = Some(Arc::clone(&types));
        Ok(types)
    }
}
