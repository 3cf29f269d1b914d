//! SSH keys of the account: list (scope `read`), create and delete (scope `write`). Paths and
//! shapes are **inferred** (`docs/wire-contract.md`).

use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::ids::SshKeyId;
use crate::wire::{SshKeyKey, SshKeysKey, id, null_default};
use nodal_core::Result;
use serde::{Deserialize, Serialize};

/// An SSH public key. **Inferred** shape `{id, name, fingerprint, created_at}` (a public key is
/// not a secret).
///
/// ```
/// let key: nodal_nodion::SshKey =
///     serde_json::from_str(r#"{"id": "k-1", "name": "laptop", "fingerprint": "SHA256:abc"}"#)?;
/// assert_eq!(key.public_key, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SshKey {
    /// The key's id.
    #[serde(deserialize_with = "id")]
    pub id: SshKeyId,
    /// Display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Fingerprint, e.g. `SHA256:...`.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// The public key, when Nodion returns it.
    #[serde(default)]
    pub public_key: Option<String>,
    /// Creation time (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Serialize)]
struct NewSshKeyBody<'a> {
    name: &'a str,
    public_key: &'a str,
}

/// SSH keys of the account: list (scope `read`), create and delete (scope `write`). Returned
/// by [`NodionClient::ssh_keys`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// let keys = client.ssh_keys();
/// let key = keys.create("laptop", "ssh-ed25519 AAAAC3Nz... me@laptop").await?;
/// assert!(keys.list().await?.iter().any(|k| k.id == key.id));
/// keys.delete(&key.id).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SshKeysApi<'c> {
    client: &'c NodionClient,
}

impl<'c> SshKeysApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        SshKeysApi { client }
    }

    /// SSH keys: `GET /ssh_keys`.
    pub async fn list(&self) -> Result<Vec<SshKey>> {
        let request = self.client.request(ep::LIST_SSH_KEYS)?;
        self.client.fetch::<SshKeysKey, _>(request).await
    }

    /// Adds a key: `POST /ssh_keys` with `{"name", "public_key"}`. Not idempotent.
    pub async fn create(&self, name: &str, public_key: &str) -> Result<SshKey> {
        require_text("name", name)?;
        require_text("public_key", public_key)?;
        let request = self
            .client
            .request(ep::CREATE_SSH_KEY)?
            .json(&NewSshKeyBody { name, public_key });
        self.client.fetch::<SshKeyKey, _>(request).await
    }

    /// Removes a key: `DELETE /ssh_keys/:id`.
    pub async fn delete(&self, key: &SshKeyId) -> Result<()> {
        let request = self.client.request(ep::DELETE_SSH_KEY)?.param(key.as_str());
        self.client.execute_removal(request).await
    }
}
