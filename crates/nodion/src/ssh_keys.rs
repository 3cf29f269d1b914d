//! SSH keys of the account: list (scope `read`), create and delete (scope `write`). Paths and
//! shapes are **inferred** (`docs/wire-contract.md`).

use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::wire::{SshKeyKey, SshKeysKey, id, null_default};
use nodal_core::Result;
use reqwest::Method;
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
    pub id: String,
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

impl NodionClient {
    /// SSH keys: `GET /ssh_keys`.
    ///
    /// ```no_run
    /// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
    /// let key = client.create_ssh_key("laptop", "ssh-ed25519 AAAAC3Nz... me@laptop").await?;
    /// assert!(client.ssh_keys().await?.iter().any(|k| k.id == key.id));
    /// client.delete_ssh_key(&key.id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ssh_keys(&self) -> Result<Vec<SshKey>> {
        self.fetch::<SshKeysKey, _>(self.request(Method::GET, ep::SSH_KEYS)?)
            .await
    }

    /// Adds a key: `POST /ssh_keys` with `{"name", "public_key"}`. Not idempotent.
    pub async fn create_ssh_key(&self, name: &str, public_key: &str) -> Result<SshKey> {
        require_text("name", name)?;
        require_text("public_key", public_key)?;
        let request = self
            .request(Method::POST, ep::SSH_KEYS)?
            .json(&NewSshKeyBody { name, public_key });
        self.fetch::<SshKeyKey, _>(request).await
    }

    /// Removes a key: `DELETE /ssh_keys/:id`.
    pub async fn delete_ssh_key(&self, key_id: &str) -> Result<()> {
        let request = self.request(Method::DELETE, ep::SSH_KEY)?.param(key_id);
        self.execute(request).await
    }
}
