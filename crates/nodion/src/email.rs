//! E-mail zones and their messages (read-only, scope `read`).

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::ids::{EmailMessageId, EmailZoneId};
use crate::wire::{EmailZoneKey, EmailZonesKey, MessagesKey, id, null_default};
use nodal_core::Result;
use serde::{Deserialize, Serialize};

nodal_core::wire_enum!(
    /// An e-mail zone's status; the reference shows `available`.
    pub enum EmailZoneStatus {
        /// Usable.
        Available = "available",
    }
);

nodal_core::wire_enum!(
    /// An e-mail message's status; the reference shows `created`.
    pub enum EmailMessageStatus {
        /// Accepted.
        Created = "created",
    }
);

/// An e-mail zone: `{id, status, name, message_count, delivered_count, bounced_count,
/// created_at, updated_at}`.
///
/// ```
/// let z: nodal_nodion::EmailZone = serde_json::from_str(r#"{"id": "e-1", "status": "available",
///     "name": "Sample Zone", "message_count": 648, "delivered_count": 50, "bounced_count": 1}"#)?;
/// assert_eq!(z.message_count, Some(648));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailZone {
    /// The zone's id.
    #[serde(deserialize_with = "id")]
    pub id: EmailZoneId,
    /// Status (`available`).
    #[serde(default)]
    pub status: Option<EmailZoneStatus>,
    /// Display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Messages sent through the zone.
    #[serde(default)]
    pub message_count: Option<u64>,
    /// Messages delivered.
    #[serde(default)]
    pub delivered_count: Option<u64>,
    /// Messages bounced.
    #[serde(default)]
    pub bounced_count: Option<u64>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (ISO 8601).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// A message of an e-mail zone: `{id, status, to_address, created_at, updated_at}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailMessage {
    /// The message's id.
    #[serde(deserialize_with = "id")]
    pub id: EmailMessageId,
    /// Status (`created`).
    #[serde(default)]
    pub status: Option<EmailMessageStatus>,
    /// Recipient.
    #[serde(default)]
    pub to_address: Option<String>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (ISO 8601).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// E-mail zones (scope `read`). Returned by [`NodionClient::email_zones`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// for zone in client.email_zones().list().await? {
///     let messages = client.email_zones().messages(&zone.id).await?;
///     println!("{}: {} messages listed", zone.name, messages.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct EmailZonesApi<'c> {
    client: &'c NodionClient,
}

impl<'c> EmailZonesApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        EmailZonesApi { client }
    }

    /// E-mail zones: `GET /email_zones`.
    pub async fn list(&self) -> Result<Vec<EmailZone>> {
        let request = self.client.request(ep::LIST_EMAIL_ZONES)?;
        self.client.fetch::<EmailZonesKey, _>(request).await
    }

    /// One e-mail zone: `GET /email_zones/:id`.
    pub async fn get(&self, zone: &EmailZoneId) -> Result<EmailZone> {
        let request = self
            .client
            .request(ep::GET_EMAIL_ZONE)?
            .param(zone.as_str());
        self.client.fetch::<EmailZoneKey, _>(request).await
    }

    /// Messages of an e-mail zone: `GET /email_zones/:id/messages` (wrapped as `messages`;
    /// paging is not documented, one request is made).
    pub async fn messages(&self, zone: &EmailZoneId) -> Result<Vec<EmailMessage>> {
        let request = self
            .client
            .request(ep::LIST_EMAIL_MESSAGES)?
            .param(zone.as_str());
        self.client.fetch::<MessagesKey, _>(request).await
    }
}
