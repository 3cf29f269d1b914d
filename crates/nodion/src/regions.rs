//! The catalogue: regions and instance types (read-only, scope `read`).

use crate::client::NodionClient;
use crate::decimal::{Decimal, opt_f64};
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
    /// Display name, e.g. `EU Central` (`Frankfurt, DE` in older examples).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Short name, e.g. `euc` (`fra` in older examples).
    #[serde(default, deserialize_with = "null_default")]
    pub slug: String,
    /// Status word, e.g. `available`; only regions embedded in runners carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// A size of instance an app's processes run on.
///
/// Nodion serialises it two ways, and both decode: embedded in processes and instances the
/// prices are strings and `mem` is in GB (`"cpu": 1.0, "mem": 4.0, "price_month": "16.0"`);
/// embedded in runners everything is a number and `mem` is `1024` (no `category`). Numbers
/// given as strings are accepted for `cpu` and `mem` too; prices keep their exact text
/// ([`Decimal`]).
///
/// ```
/// let t: nodal_nodion::InstanceType = serde_json::from_str(r#"{
///     "id": "b2c3", "name": "GP-G2-4GB1C", "slug": "gp-g2-4gb1c", "category": "gp",
///     "cpu": 1.0, "mem": 4.0, "price_month": "16.0", "price_second": "0.000006088280061"
/// }"#)?;
/// assert_eq!(t.mem, Some(4.0));
/// assert_eq!(t.price_second.as_ref().map(|p| p.as_str()), Some("0.000006088280061"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstanceType {
    /// The instance type's id.
    pub id: String,
    /// Display name, e.g. `GP-G2-4GB1C`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Short name, e.g. `gp-g2-4gb1c`.
    #[serde(default, deserialize_with = "null_default")]
    pub slug: String,
    /// Category, e.g. `gp` or `sb`.
    #[serde(default)]
    pub category: Option<String>,
    /// Virtual CPUs (`1.0`, `0.5`, `0.125`).
    #[serde(default, deserialize_with = "opt_f64")]
    pub cpu: Option<f64>,
    /// Memory as Nodion gives it: **GB** in processes, instances and (assumed) the catalogue
    /// (`4.0`, `0.5`); runner embeds send `1024` (apparently MB). Kept as sent, not converted.
    #[serde(default, deserialize_with = "opt_f64")]
    pub mem: Option<f64>,
    /// Price per month, exact (`"16.0"`, or the number `5.0` in runner embeds).
    #[serde(default)]
    pub price_month: Option<Decimal>,
    /// Price per second, exact (`"0.000006088280061"`).
    #[serde(default)]
    pub price_second: Option<Decimal>,
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
///     .filter_map(|t| Some((t.price_month.as_ref()?.to_f64()?, t)))
///     .min_by(|(a, _), (b, _)| a.total_cmp(b));
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
