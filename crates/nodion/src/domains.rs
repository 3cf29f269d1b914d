//! Custom domains of an application: list (scope `read`), add, verify, delete (scope `write`).

use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::ids::DomainId;
use crate::wire::{DomainKey, DomainsKey, id, null_default};
use nodal_core::{AppId, Result};
use serde::{Deserialize, Serialize};

nodal_core::wire_enum!(
    /// Whether a domain is an apex domain or a subdomain.
    pub enum DomainType {
        /// A subdomain (`shop.example.com`).
        Sub = "sub",
        /// A main (apex) domain (`example.com`).
        Main = "main",
    }
);

nodal_core::wire_enum!(
    /// A domain's status. The reference shows only `available`, even right after a create;
    /// `pending` and `verified` are kept for older twins and are not seen in the reference.
    pub enum DomainStatus {
        /// The only word in the reference's examples.
        Available = "available",
        /// Waiting for the DNS verification record (not seen in the reference).
        Pending = "pending",
        /// Verified (not seen in the reference).
        Verified = "verified",
    }
);

/// A custom domain.
///
/// ```
/// use nodal_nodion::{Domain, DomainStatus, DomainType};
/// let d: Domain = serde_json::from_str(r#"{
///     "id": "dom-1", "status": "available", "domain_type": "main", "domain_name": "mydomain.com",
///     "verification_code": "nodion=df0295911dbee880eb7e", "created_at": null, "updated_at": null
/// }"#)?;
/// assert_eq!(d.status, Some(DomainStatus::Available));
/// assert_eq!(d.domain_type, Some(DomainType::Main));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Domain {
    /// The domain's id.
    #[serde(deserialize_with = "id")]
    pub id: DomainId,
    /// Verification status.
    #[serde(default)]
    pub status: Option<DomainStatus>,
    /// `sub` or `main`.
    #[serde(default)]
    pub domain_type: Option<DomainType>,
    /// The host name.
    #[serde(default, deserialize_with = "null_default")]
    pub domain_name: String,
    /// The value of the TXT record that proves ownership (`nodion=<hex>`).
    #[serde(default)]
    pub verification_code: Option<String>,
    /// Creation time (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// The body of `POST .../domains`.
///
/// ```
/// use nodal_nodion::{DomainType, NewDomain};
/// let d = NewDomain::new("shop.example.com").domain_type(DomainType::Sub);
/// assert_eq!(serde_json::to_string(&d)?, r#"{"domain_name":"shop.example.com","domain_type":"sub"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewDomain {
    /// The host name.
    pub domain_name: String,
    /// `sub` or `main`; `None` lets Nodion decide.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_type: Option<DomainType>,
}

impl NewDomain {
    /// A domain of the type Nodion infers.
    pub fn new(domain_name: impl Into<String>) -> Self {
        NewDomain {
            domain_name: domain_name.into(),
            domain_type: None,
        }
    }

    /// Sets the domain type.
    pub fn domain_type(mut self, domain_type: DomainType) -> Self {
        self.domain_type = Some(domain_type);
        self
    }
}

/// Custom domains of an application: list (scope `read`), create, verify, connect, delete (scope
/// `write`). Returned by [`NodionClient::domains`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// use nodal_nodion::NewDomain;
/// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
/// let domain = client.domains().create(&app, &NewDomain::new("shop.example.com")).await?;
/// println!("add a TXT record: {:?}", domain.verification_code);
/// client.domains().verify(&app, &domain.id).await?;
/// assert!(!client.domains().list(&app).await?.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DomainsApi<'c> {
    client: &'c NodionClient,
}

impl<'c> DomainsApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        DomainsApi { client }
    }

    /// Domains of an application: `GET /applications/:id/domains`.
    pub async fn list(&self, app: &AppId) -> Result<Vec<Domain>> {
        let request = self.client.request(ep::LIST_DOMAINS)?.param(app.as_str());
        self.client.fetch::<DomainsKey, _>(request).await
    }

    /// Adds a domain: `POST /applications/:id/domains`. Not idempotent.
    pub async fn create(&self, app: &AppId, domain: &NewDomain) -> Result<Domain> {
        require_text("domain_name", &domain.domain_name)?;
        let request = self
            .client
            .request(ep::CREATE_DOMAIN)?
            .param(app.as_str())
            .json(domain);
        self.client.fetch::<DomainKey, _>(request).await
    }

    /// Asks Nodion to check the domain's verification record:
    /// `POST /applications/:id/domains/:domain_id/verify` (idempotent).
    pub async fn verify(&self, app: &AppId, domain: &DomainId) -> Result<Domain> {
        let request = self
            .client
            .request(ep::VERIFY_DOMAIN)?
            .param(app.as_str())
            .param(domain.as_str());
        self.client.fetch::<DomainKey, _>(request).await
    }

    /// Connects a verified domain once its CNAME/ALIAS points at the app:
    /// `POST /applications/:id/domains/:domain_id/connect` (idempotent, like verify; takes
    /// effect with the next deployment). The answer is not documented: any JSON or an empty
    /// body is accepted, and the domain is returned when the answer carries a `domain` object.
    pub async fn connect(&self, app: &AppId, domain: &DomainId) -> Result<Option<Domain>> {
        let request = self
            .client
            .request(ep::CONNECT_DOMAIN)?
            .param(app.as_str())
            .param(domain.as_str());
        let answer = self.client.fetch_any(request).await?;
        Ok(answer
            .get("domain")
            .and_then(|domain| Domain::deserialize(domain).ok()))
    }

    /// Removes a domain: `DELETE /applications/:id/domains/:domain_id`.
    pub async fn delete(&self, app: &AppId, domain: &DomainId) -> Result<()> {
        let request = self
            .client
            .request(ep::DELETE_DOMAIN)?
            .param(app.as_str())
            .param(domain.as_str());
        self.client.execute_removal(request).await
    }
}
