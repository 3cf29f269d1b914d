//! Projects the key can see (scope `read`). Nodion's API has no project create, rename or
//! delete; the neutral traits report those as unsupported.

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::wire::{ProjectsKey, null_default};
use nodal_core::{ProjectId, Result};
use serde::{Deserialize, Serialize};

/// A project. The shape is **inferred** (`docs/wire-contract.md`):
/// `{id, name, created_at, updated_at}`; other fields are ignored.
///
/// ```
/// let project: nodal_nodion::Project =
///     serde_json::from_str(r#"{"id": "p-1", "name": "shop", "created_at": null, "role": "owner"}"#)?;
/// assert_eq!(project.name, "shop");
/// assert_eq!(project.created_at, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Project {
    /// The project's UUID (what `X-Nodion-Project` takes).
    pub id: ProjectId,
    /// Display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Creation time (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// The projects the key can see. Returned by [`NodionClient::projects`].
#[derive(Debug, Clone, Copy)]
pub struct ProjectsApi<'c> {
    client: &'c NodionClient,
}

impl<'c> ProjectsApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        ProjectsApi { client }
    }

    /// Every project the key can see: `GET /projects`. For a key with a project allow-list,
    /// only the allow-listed projects.
    ///
    /// ```no_run
    /// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
    /// for project in client.projects().list().await? {
    ///     let apps = client.project(project.id.clone()).applications().list().await?;
    ///     println!("{}: {} apps", project.name, apps.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<Project>> {
        let request = self.client.request(ep::LIST_PROJECTS)?;
        self.client.fetch::<ProjectsKey, _>(request).await
    }
}
