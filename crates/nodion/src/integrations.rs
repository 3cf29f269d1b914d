//! Git integrations (connected GitHub / GitLab accounts), their repositories and branches
//! (read-only, scope `read`): how a client finds the `integration_id`, `repository_id` and
//! `branch_id` a git-based application needs.

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::ids::{BranchId, IntegrationId, RepositoryId};
use crate::wire::{BranchesKey, IntegrationsKey, RepositoriesKey, id, null_default, opt_id};
use nodal_core::Result;
use serde::{Deserialize, Serialize};

nodal_core::wire_enum!(
    /// An integration's status; the reference shows `authorized`.
    pub enum IntegrationStatus {
        /// Connected and usable.
        Authorized = "authorized",
    }
);

nodal_core::wire_enum!(
    /// The git service behind an integration.
    pub enum GitService {
        /// GitHub.
        Github = "github",
        /// GitLab.
        Gitlab = "gitlab",
    }
);

/// A git integration: `{id, status, access_type, service_type, service_url, username}`.
///
/// ```
/// use nodal_nodion::{GitService, Integration};
/// let i: Integration = serde_json::from_str(r#"{"id": "i-1", "status": "authorized",
///     "access_type": "is_private", "service_type": "gitlab", "service_url": null, "username": "me"}"#)?;
/// assert_eq!(i.service_type, Some(GitService::Gitlab));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Integration {
    /// The integration's id.
    #[serde(deserialize_with = "id")]
    pub id: IntegrationId,
    /// Status (`authorized`).
    #[serde(default)]
    pub status: Option<IntegrationStatus>,
    /// Access word (`is_private`).
    #[serde(default)]
    pub access_type: Option<String>,
    /// `github` or `gitlab`.
    #[serde(default)]
    pub service_type: Option<GitService>,
    /// URL of a self-hosted service (`null` for the public ones).
    #[serde(default)]
    pub service_url: Option<String>,
    /// The account's user name on the service.
    #[serde(default)]
    pub username: Option<String>,
}

/// A repository reachable through an integration.
///
/// ```
/// let r: nodal_nodion::Repository = serde_json::from_str(r#"{"id": "r-1",
///     "service_id": "123456789", "name": "my-frontend", "full_name": "myuser/my-frontend",
///     "default_branch": "main", "private": false, "branches_count": 3}"#)?;
/// assert_eq!(r.service_id.as_deref(), Some("123456789"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Repository {
    /// The repository's id at Nodion.
    #[serde(deserialize_with = "id")]
    pub id: RepositoryId,
    /// The repository's id at the git service (a string such as `"123456789"`).
    #[serde(default, deserialize_with = "opt_id")]
    pub service_id: Option<String>,
    /// Name (`my-frontend`).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Owner and name (`myuser/my-frontend`).
    #[serde(default)]
    pub full_name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Default branch name (`main`).
    #[serde(default)]
    pub default_branch: Option<String>,
    /// Private repository.
    #[serde(default)]
    pub private: Option<bool>,
    /// A fork.
    #[serde(default)]
    pub fork: Option<bool>,
    /// Archived.
    #[serde(default)]
    pub archived: Option<bool>,
    /// Disabled.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// Number of branches Nodion knows.
    #[serde(default)]
    pub branches_count: Option<u64>,
}

/// A branch of a repository: `{id, name, ...}` (the reference's example is not readable; the
/// shape comes from a public client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Branch {
    /// The branch's id.
    #[serde(deserialize_with = "id")]
    pub id: BranchId,
    /// Name (`main`).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
}

/// Git integrations, repositories and branches (scope `read`). Returned by
/// [`NodionClient::integrations`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// for integration in client.integrations().list().await? {
///     for repo in client.integrations().repositories(&integration.id).await? {
///         let branches = client.integrations().branches(&integration.id, &repo.id).await?;
///         println!("{}: {} branches", repo.name, branches.len());
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct IntegrationsApi<'c> {
    client: &'c NodionClient,
}

impl<'c> IntegrationsApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        IntegrationsApi { client }
    }

    /// The integrations of the key's user (for a project key: of the project's owner):
    /// `GET /integrations`.
    pub async fn list(&self) -> Result<Vec<Integration>> {
        let request = self.client.request(ep::LIST_INTEGRATIONS)?;
        self.client.fetch::<IntegrationsKey, _>(request).await
    }

    /// Repositories of an integration: `GET /integrations/:id/repositories`.
    pub async fn repositories(&self, integration: &IntegrationId) -> Result<Vec<Repository>> {
        let request = self
            .client
            .request(ep::LIST_REPOSITORIES)?
            .param(integration.as_str());
        self.client.fetch::<RepositoriesKey, _>(request).await
    }

    /// Branches of a repository:
    /// `GET /integrations/:id/repositories/:repository_id/branches`.
    pub async fn branches(
        &self,
        integration: &IntegrationId,
        repository: &RepositoryId,
    ) -> Result<Vec<Branch>> {
        let request = self
            .client
            .request(ep::LIST_BRANCHES)?
            .param(integration.as_str())
            .param(repository.as_str());
        self.client.fetch::<BranchesKey, _>(request).await
    }
}
