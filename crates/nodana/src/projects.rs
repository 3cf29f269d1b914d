//! Projects: groups of apps, and Nodana's billing unit (at most four per account).

use crate::apps::App;
use crate::client::NodanaClient;
use crate::endpoints;
use crate::protocol::PROVIDER;
use nodal_core::{Error, ProjectId, Result};
use serde::{Deserialize, Serialize};

/// A project as Nodana reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Project {
    /// The project's id.
    pub id: ProjectId,
    /// The owning user's id.
    pub user_id: Option<String>,
    /// Display name.
    pub name: String,
    /// Whether the project is deleted.
    pub deleted: Option<bool>,
    /// Creation time (RFC 3339).
    pub created_at: Option<String>,
    /// Last change (RFC 3339).
    pub updated_at: Option<String>,
}

/// The answer to creating a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreatedProject {
    /// The new project's id.
    pub id: ProjectId,
    /// Its name.
    pub name: String,
}

/// The answer to renaming a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RenamedProject {
    /// The project's id.
    pub id: ProjectId,
    /// Whether Nodana changed it.
    pub updated: bool,
}

/// The answer to deleting a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeletedProject {
    /// The project's id.
    pub id: ProjectId,
    /// Whether Nodana deleted it.
    pub deleted: bool,
}

/// The body of create and rename.
#[derive(Serialize)]
struct NameBody<'a> {
    name: &'a str,
}

/// The project endpoints, from [`NodanaClient::projects`].
///
/// ```no_run
/// use nodal_nodana::NodanaClient;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> nodal_core::Result<()> {
/// let client = NodanaClient::from_env()?;
/// let created = client.projects().create("Lightning lab").await?;
/// client.projects().rename(&created.id, "Lightning lab (test)").await?;
/// for project in client.projects().list().await? {
///     let apps = client.projects().apps(&project.id).await?;
///     println!("{}: {} apps", project.name, apps.len());
/// }
/// client.projects().delete(&created.id).await?; // only empty projects
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ProjectsApi<'c> {
    client: &'c NodanaClient,
}

impl<'c> ProjectsApi<'c> {
    pub(crate) fn new(client: &'c NodanaClient) -> Self {
        ProjectsApi { client }
    }

    /// `POST /projects`. Not replayed after an ambiguous failure. A fifth project is refused
    /// with [`Error::LimitExceeded`].
    pub async fn create(&self, name: &str) -> Result<CreatedProject> {
        check_name(name)?;
        self.client
            .send(endpoints::CREATE_PROJECT.request().json(&NameBody { name }))
            .await
    }

    /// `GET /projects/{project_id}`.
    pub async fn get(&self, id: &ProjectId) -> Result<Project> {
        self.client
            .send(endpoints::GET_PROJECT.request().param(id.as_str()))
            .await
    }

    /// `POST /projects/{project_id}/update` with the new name. Not replayed after an ambiguous
    /// failure.
    pub async fn rename(&self, id: &ProjectId, name: &str) -> Result<RenamedProject> {
        check_name(name)?;
        self.client
            .send(
                endpoints::RENAME_PROJECT
                    .request()
                    .param(id.as_str())
                    .json(&NameBody { name }),
            )
            .await
    }

    /// `POST /projects/{project_id}/delete`. Only an empty project can be deleted; otherwise
    /// [`Error::Conflict`] says to delete its apps first. When the answer to an attempt was
    /// lost and the replay finds the project gone, the earlier attempt deleted it: that is
    /// success (`deleted: true`).
    pub async fn delete(&self, id: &ProjectId) -> Result<DeletedProject> {
        let request = endpoints::DELETE_PROJECT.request().param(id.as_str());
        Ok(self
            .client
            .send_removal(request)
            .await?
            .unwrap_or_else(|| DeletedProject {
                id: id.clone(),
                deleted: true,
            }))
    }

    /// `GET /projects`.
    pub async fn list(&self) -> Result<Vec<Project>> {
        self.client.send(endpoints::LIST_PROJECTS.request()).await
    }

    /// `GET /projects/{project_id}/apps`.
    pub async fn apps(&self, id: &ProjectId) -> Result<Vec<App>> {
        self.client
            .send(endpoints::LIST_PROJECT_APPS.request().param(id.as_str()))
            .await
    }
}

fn check_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid_input(
            PROVIDER,
            "name",
            "the project name is empty",
        ));
    }
    Ok(())
}
