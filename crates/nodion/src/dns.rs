//! DNS zones and their records: list and look up (scope `read`), create and delete (scope
//! `write`). Shapes follow the public client `nrdcg/nodion`, whose fixtures copy the reference:
//! zones are wrapped as `dns_zone(s)`, records as `record` / `records`, deletes answer
//! `{"deleted": true}`.

use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::ids::{DnsRecordId, DnsZoneId};
use crate::protocol::PROVIDER;
use crate::wire::{DnsRecordKey, DnsRecordsKey, DnsZoneKey, DnsZonesKey, id, null_default, opt_id};
use nodal_core::{Error, Result};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// The TTLs Nodion accepts, in seconds.
pub const DNS_TTL_RANGE: RangeInclusive<u32> = 60..=86_400;

nodal_core::wire_enum!(
    /// A DNS record type.
    pub enum RecordType {
        /// IPv4 address.
        A = "a",
        /// IPv6 address.
        Aaaa = "aaaa",
        /// Name server.
        Ns = "ns",
        /// Alias (apex CNAME).
        Alias = "alias",
        /// Canonical name.
        Cname = "cname",
        /// Mail exchanger (needs `prio`).
        Mx = "mx",
        /// Text.
        Txt = "txt",
        /// Pointer.
        Ptr = "ptr",
        /// Service (needs `prio`, `port`, `weight`).
        Srv = "srv",
    }
);

/// A DNS zone: `{id, name, created_at, updated_at, records}`. A new zone already holds
/// Nodion's default records.
///
/// ```
/// let zone: nodal_nodion::DnsZone = serde_json::from_str(r#"{"id": "z-1", "name": "example.com",
///     "records": [{"id": "r-1", "record_type": "ns", "name": "@", "content": "ns1.nodion.com",
///     "ttl": 3600, "prio": null, "port": null, "weight": null, "zone_id": "z-1"}]}"#)?;
/// assert_eq!(zone.name, "example.com");
/// assert_eq!(zone.records[0].content, "ns1.nodion.com");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DnsZone {
    /// The zone's id.
    #[serde(deserialize_with = "id")]
    pub id: DnsZoneId,
    /// The domain, e.g. `example.com`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (ISO 8601).
    #[serde(default)]
    pub updated_at: Option<String>,
    /// The zone's records (empty when the answer carries none).
    #[serde(default, deserialize_with = "null_default")]
    pub records: Vec<DnsRecord>,
}

/// A DNS record. `record_type` is a lowercase word (`a`, `txt`, ...); `prio`, `port` and
/// `weight` are `null` unless the type uses them; `zone_id` appears only inside zone answers.
///
/// ```
/// use nodal_nodion::{DnsRecord, RecordType};
/// let r: DnsRecord = serde_json::from_str(r#"{
///     "id": "r-1", "record_type": "mx", "name": "@", "content": "mail.example.com",
///     "ttl": 3600, "prio": 10, "port": null, "weight": null, "zone_id": "z-1"
/// }"#)?;
/// assert_eq!(r.record_type, Some(RecordType::Mx));
/// assert_eq!(r.prio, Some(10));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DnsRecord {
    /// The record's id.
    #[serde(deserialize_with = "id")]
    pub id: DnsRecordId,
    /// Type.
    #[serde(default)]
    pub record_type: Option<RecordType>,
    /// Name within the zone (`@`, `www`, ...).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Value.
    #[serde(default, deserialize_with = "null_default")]
    pub content: String,
    /// Time to live, seconds.
    #[serde(default)]
    pub ttl: Option<u32>,
    /// Priority (MX, SRV).
    #[serde(default)]
    pub prio: Option<u32>,
    /// Port (SRV).
    #[serde(default)]
    pub port: Option<u32>,
    /// Weight (SRV).
    #[serde(default)]
    pub weight: Option<u32>,
    /// The zone (only inside zone answers).
    #[serde(default, deserialize_with = "opt_id")]
    pub zone_id: Option<DnsZoneId>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (ISO 8601).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// Filters of `GET /dns_zones/:id/records`: only the ones set are sent.
///
/// ```
/// use nodal_nodion::{RecordFilter, RecordType};
/// let filter = RecordFilter::default().name("_acme-challenge").record_type(RecordType::Txt);
/// assert_eq!(filter.name.as_deref(), Some("_acme-challenge"));
/// assert_eq!(filter.content, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordFilter {
    /// `?name=`: the record name relative to the zone (`@`, `www`).
    pub name: Option<String>,
    /// `?record_type=`: a lowercase type word.
    pub record_type: Option<RecordType>,
    /// `?content=`: the record's value.
    pub content: Option<String>,
}

impl RecordFilter {
    /// Only records with this name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Only records of this type.
    pub fn record_type(mut self, record_type: RecordType) -> Self {
        self.record_type = Some(record_type);
        self
    }

    /// Only records with this content.
    pub fn content(mut self, content: impl Into<String>) -> Self {
        self.content = Some(content.into());
        self
    }
}

/// The answer of a DNS delete: `{"deleted": true}`; an empty body is accepted too.
#[derive(Deserialize)]
struct Deleted {
    #[serde(default)]
    deleted: Option<bool>,
}

/// Fails when Nodion answers a delete with `{"deleted": false}`.
fn check_deleted(answer: &serde_json::Value, what: &str) -> Result<()> {
    match Deleted::deserialize(answer).ok().and_then(|d| d.deleted) {
        Some(false) => Err(Error::Server {
            provider: PROVIDER,
            status: 200,
            message: format!("Nodion answered `deleted: false`: the {what} was not deleted"),
            maybe_performed: false,
        }),
        _ => Ok(()),
    }
}

/// The body of `POST /dns_zones/:id/records`.
///
/// ```
/// use nodal_nodion::{NewDnsRecord, RecordType};
/// let mx = NewDnsRecord::new(RecordType::Mx, "@", "mail.example.com").ttl(3600).prio(10);
/// assert_eq!(
///     serde_json::to_string(&mx)?,
///     r#"{"record_type":"mx","name":"@","content":"mail.example.com","ttl":3600,"prio":10}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewDnsRecord {
    /// Type.
    pub record_type: RecordType,
    /// Name within the zone.
    pub name: String,
    /// Value.
    pub content: String,
    /// Time to live, 60..=86400 seconds (`None`: Nodion's default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    /// Priority (MX, SRV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prio: Option<u32>,
    /// Port (SRV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// Weight (SRV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

impl NewDnsRecord {
    /// A record with Nodion's default TTL.
    pub fn new(
        record_type: RecordType,
        name: impl Into<String>,
        content: impl Into<String>,
    ) -> Self {
        NewDnsRecord {
            record_type,
            name: name.into(),
            content: content.into(),
            ttl: None,
            prio: None,
            port: None,
            weight: None,
        }
    }

    /// Sets the TTL (60..=86400 seconds).
    pub fn ttl(mut self, ttl: u32) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// Sets the priority.
    pub fn prio(mut self, prio: u32) -> Self {
        self.prio = Some(prio);
        self
    }

    /// Sets the port.
    pub fn port(mut self, port: u32) -> Self {
        self.port = Some(port);
        self
    }

    /// Sets the weight.
    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = Some(weight);
        self
    }

    fn validate(&self) -> Result<()> {
        require_text("name", &self.name)?;
        require_text("content", &self.content)?;
        match self.ttl {
            Some(ttl) if !DNS_TTL_RANGE.contains(&ttl) => Err(Error::invalid_input(
                PROVIDER,
                "ttl",
                format!(
                    "ttl is {ttl}, but Nodion accepts {}..={} seconds",
                    DNS_TTL_RANGE.start(),
                    DNS_TTL_RANGE.end()
                ),
            )),
            _ => Ok(()),
        }
    }
}

#[derive(Serialize)]
struct NewZoneBody<'a> {
    name: &'a str,
}

/// DNS zones and their records: list (scope `read`), create and delete (scope `write`).
/// Returned by [`NodionClient::dns`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// use nodal_nodion::{NewDnsRecord, RecordType};
/// let zone = client.dns().create_zone("example.com").await?;
/// client
///     .dns()
///     .create_record(&zone.id, &NewDnsRecord::new(RecordType::A, "@", "203.0.113.7").ttl(300))
///     .await?;
/// for record in client.dns().list_records(&zone.id).await? {
///     println!("{} {:?} {}", record.name, record.record_type, record.content);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DnsApi<'c> {
    client: &'c NodionClient,
}

impl<'c> DnsApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        DnsApi { client }
    }

    /// DNS zones: `GET /dns_zones`.
    pub async fn list_zones(&self) -> Result<Vec<DnsZone>> {
        let request = self.client.request(ep::LIST_DNS_ZONES)?;
        self.client.fetch::<DnsZonesKey, _>(request).await
    }

    /// The zones called `name`: `GET /dns_zones?name=<name>` (the exact zone name, e.g.
    /// `example.com`, not an FQDN with a trailing dot). Empty when there is none.
    pub async fn zones_named(&self, name: &str) -> Result<Vec<DnsZone>> {
        require_text("name", name)?;
        let request = self.client.request(ep::LIST_DNS_ZONES)?.query("name", name);
        self.client.fetch::<DnsZonesKey, _>(request).await
    }

    /// Creates a zone: `POST /dns_zones` with `{"name"}`. Not idempotent.
    pub async fn create_zone(&self, name: &str) -> Result<DnsZone> {
        require_text("name", name)?;
        let request = self
            .client
            .request(ep::CREATE_DNS_ZONE)?
            .json(&NewZoneBody { name });
        self.client.fetch::<DnsZoneKey, _>(request).await
    }

    /// Deletes a zone: `DELETE /dns_zones/:id`, answered `{"deleted": true}` (an empty body
    /// is accepted; `{"deleted": false}` fails).
    pub async fn delete_zone(&self, zone: &DnsZoneId) -> Result<()> {
        let request = self
            .client
            .request(ep::DELETE_DNS_ZONE)?
            .param(zone.as_str());
        match self.client.fetch_any_removal(request).await? {
            Some(answer) => check_deleted(&answer, "zone"),
            // Deleted by an earlier attempt whose answer was lost.
            None => Ok(()),
        }
    }

    /// Records of a zone: `GET /dns_zones/:id/records`, wrapped as `{"records": [...]}`.
    pub async fn list_records(&self, zone: &DnsZoneId) -> Result<Vec<DnsRecord>> {
        let request = self
            .client
            .request(ep::LIST_DNS_RECORDS)?
            .param(zone.as_str());
        self.client.fetch::<DnsRecordsKey, _>(request).await
    }

    /// Records of a zone that match `filter`: `GET /dns_zones/:id/records?name=&record_type=&content=`
    /// (only the filters set are sent).
    pub async fn find_records(
        &self,
        zone: &DnsZoneId,
        filter: &RecordFilter,
    ) -> Result<Vec<DnsRecord>> {
        let mut request = self
            .client
            .request(ep::LIST_DNS_RECORDS)?
            .param(zone.as_str());
        if let Some(name) = &filter.name {
            request = request.query("name", name);
        }
        if let Some(record_type) = &filter.record_type {
            request = request.query("record_type", record_type.as_str());
        }
        if let Some(content) = &filter.content {
            request = request.query("content", content);
        }
        self.client.fetch::<DnsRecordsKey, _>(request).await
    }

    /// Creates a record: `POST /dns_zones/:id/records`, answered `{"record": {...}}`. Not
    /// idempotent (a replay meets "Duplicate record in RRset"). A TTL outside
    /// 60..=86400 is refused before sending.
    pub async fn create_record(
        &self,
        zone: &DnsZoneId,
        record: &NewDnsRecord,
    ) -> Result<DnsRecord> {
        record.validate()?;
        let request = self
            .client
            .request(ep::CREATE_DNS_RECORD)?
            .param(zone.as_str())
            .json(record);
        self.client.fetch::<DnsRecordKey, _>(request).await
    }

    /// Deletes a record: `DELETE /dns_zones/:id/records/:record_id`, answered
    /// `{"deleted": true}` (an empty body is accepted; `{"deleted": false}` fails).
    pub async fn delete_record(&self, zone: &DnsZoneId, record: &DnsRecordId) -> Result<()> {
        let request = self
            .client
            .request(ep::DELETE_DNS_RECORD)?
            .param(zone.as_str())
            .param(record.as_str());
        match self.client.fetch_any_removal(request).await? {
            Some(answer) => check_deleted(&answer, "record"),
            // Deleted by an earlier attempt whose answer was lost.
            None => Ok(()),
        }
    }
}
