//! Applications: list, get, create, update, delete (scope `read` to look, `write` to change).

use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::ids::{BranchId, IntegrationId, RepositoryId};
use crate::processes::{ProcessState, ProcessStatus};
use crate::protocol::PROVIDER;
use crate::regions::Region;
use crate::wire::{ApplicationKey, ApplicationsKey, id, null_default, opt_id};
use nodal_core::{AppId, Error, ProjectId, Result};
use serde::{Deserialize, Serialize};

nodal_core::wire_enum!(
    /// An application's status as Nodion reports it.
    pub enum ApplicationStatus {
        /// Just created; the first deployment has not started.
        Created = "created",
        /// A deployment is rolling out.
        Deploying = "deploying",
        /// Serving.
        Online = "online",
        /// Every process is scaled to zero.
        Offline = "offline",
        /// The newest deployment failed.
        Failed = "failed",
    }
);

nodal_core::wire_enum!(
    /// How an application is built.
    pub enum DeploymentStrategy {
        /// Built from a git repository with a Dockerfile.
        Dockerfile = "dockerfile",
        /// Runs a prebuilt container image.
        PrebuiltImage = "prebuilt_image",
    }
);

/// An application worker as the applications page embeds it (`workers`): `{id, status,
/// state, name, instance_amount, instance_type_id}`. Whether a worker id is a process id is
/// not documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Worker {
    /// The worker's id.
    #[serde(default, deserialize_with = "opt_id")]
    pub id: Option<String>,
    /// Status word (`available`).
    #[serde(default)]
    pub status: Option<ProcessStatus>,
    /// State word (`default`).
    #[serde(default)]
    pub state: Option<ProcessState>,
    /// Display name (`My App Worker #1`).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Instances of this worker.
    #[serde(default)]
    pub instance_amount: Option<u32>,
    /// The worker's instance type id.
    #[serde(default, deserialize_with = "opt_id")]
    pub instance_type_id: Option<String>,
}

/// An application. Most fields are nullable on the wire and therefore `Option`; unknown fields
/// are ignored. The reference's example: `status` `online`, `state` `default`, the image fields
/// `null` for a Dockerfile app, a `workers` list.
///
/// ```
/// use nodal_nodion::{Application, ApplicationStatus};
/// let app: Application = serde_json::from_str(r#"{
///     "id": "0b0c7a52", "name": "web-shop", "status": "online", "state": "default",
///     "instance_amount": 1, "region": {"id": "r1", "name": "Frankfurt, DE", "slug": "fra"},
///     "workers": [{"id": "w-1", "status": "available", "state": "default",
///         "name": "My App Worker #1", "instance_amount": 2, "instance_type_id": "t-2"}],
///     "deployment_strategy": "prebuilt_image", "image_name": "nginx",
///     "image_tag": null, "brand_new_field": 42
/// }"#)?;
/// assert_eq!(app.status, Some(ApplicationStatus::Online));
/// assert_eq!(app.state.as_deref(), Some("default"));
/// assert_eq!(app.region.map(|r| r.slug).as_deref(), Some("fra"));
/// assert_eq!(app.workers[0].instance_amount, Some(2));
/// assert_eq!(app.image_tag, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Application {
    /// The application's id.
    #[serde(deserialize_with = "id")]
    pub id: AppId,
    /// Display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Status (`online`, `offline`, `deploying`, ...).
    #[serde(default)]
    pub status: Option<ApplicationStatus>,
    /// Nodion's finer-grained state word (`default` in the reference).
    #[serde(default)]
    pub state: Option<String>,
    /// Instances per process.
    #[serde(default)]
    pub instance_amount: Option<u32>,
    /// The instance type's id.
    #[serde(default, deserialize_with = "opt_id")]
    pub instance_type_id: Option<String>,
    /// The region.
    #[serde(default)]
    pub region: Option<Region>,
    /// Workers, as the applications page embeds them.
    #[serde(default, deserialize_with = "null_default")]
    pub workers: Vec<Worker>,
    /// How the application is built.
    #[serde(default)]
    pub deployment_strategy: Option<DeploymentStrategy>,
    /// Registry of a prebuilt image.
    #[serde(default, deserialize_with = "opt_id")]
    pub container_registry_id: Option<String>,
    /// Image of a prebuilt-image application.
    #[serde(default)]
    pub image_name: Option<String>,
    /// Image tag of a prebuilt-image application.
    #[serde(default)]
    pub image_tag: Option<String>,
    /// Git integration of a git-based application.
    #[serde(default, deserialize_with = "opt_id")]
    pub integration_id: Option<String>,
    /// Repository of a git-based application.
    #[serde(default, deserialize_with = "opt_id")]
    pub repository_id: Option<String>,
    /// Branch of a git-based application.
    #[serde(default, deserialize_with = "opt_id")]
    pub branch_id: Option<String>,
    /// The project, when Nodion reports it.
    #[serde(default, deserialize_with = "opt_id")]
    pub project_id: Option<ProjectId>,
    /// Creation time (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// The body of `POST /applications`. `None` fields are left out.
///
/// ```
/// use nodal_nodion::CreateApplication;
/// let web = CreateApplication::new("web", "5903725b-f554-4294-ab17-c992a765a001", "8c1f2a3e", 2)
///     .image("ghcr.io/acme/web", Some("1.4.2"));
/// let body = serde_json::to_value(&web)?;
/// assert_eq!(body["deployment_strategy"], "prebuilt_image");
/// assert!(body.get("branch_id").is_none());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CreateApplication {
    /// Display name (required).
    pub name: String,
    /// Region id (required; see [`crate::CatalogApi::regions`]).
    pub region_id: String,
    /// Instance type id (required; see [`crate::CatalogApi::instance_types`]).
    pub instance_type_id: String,
    /// Instances per process (required, at least 1).
    pub instance_amount: u32,
    /// `dockerfile` or `prebuilt_image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment_strategy: Option<DeploymentStrategy>,
    /// Image of a prebuilt-image application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// Tag of a prebuilt-image application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
    /// Registry holding a private image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_registry_id: Option<String>,
    /// Git integration (git-based applications).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    /// Repository (git-based applications).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository_id: Option<String>,
    /// Branch (git-based applications).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_id: Option<String>,
}

impl CreateApplication {
    /// An application with the four required fields.
    pub fn new(
        name: impl Into<String>,
        region_id: impl Into<String>,
        instance_type_id: impl Into<String>,
        instance_amount: u32,
    ) -> Self {
        CreateApplication {
            name: name.into(),
            region_id: region_id.into(),
            instance_type_id: instance_type_id.into(),
            instance_amount,
            deployment_strategy: None,
            image_name: None,
            image_tag: None,
            container_registry_id: None,
            integration_id: None,
            repository_id: None,
            branch_id: None,
        }
    }

    /// Runs a prebuilt image (sets the strategy to `prebuilt_image`).
    pub fn image(mut self, image_name: impl Into<String>, image_tag: Option<&str>) -> Self {
        self.deployment_strategy = Some(DeploymentStrategy::PrebuiltImage);
        self.image_name = Some(image_name.into());
        self.image_tag = image_tag.map(str::to_owned);
        self
    }

    /// Builds from a git repository connected through an integration.
    pub fn git(
        mut self,
        integration_id: impl Into<String>,
        repository_id: impl Into<String>,
        branch_id: impl Into<String>,
    ) -> Self {
        self.integration_id = Some(integration_id.into());
        self.repository_id = Some(repository_id.into());
        self.branch_id = Some(branch_id.into());
        self
    }

    /// Sets the deployment strategy explicitly.
    pub fn deployment_strategy(mut self, strategy: DeploymentStrategy) -> Self {
        self.deployment_strategy = Some(strategy);
        self
    }

    /// Pulls the image from this registry.
    pub fn container_registry_id(mut self, id: impl Into<String>) -> Self {
        self.container_registry_id = Some(id.into());
        self
    }

    fn validate(&self) -> Result<()> {
        require_text("name", &self.name)?;
        require_text("region_id", &self.region_id)?;
        require_text("instance_type_id", &self.instance_type_id)?;
        if self.instance_amount == 0 {
            return Err(Error::invalid_input(
                PROVIDER,
                "instance_amount",
                "an application needs at least 1 instance",
            ));
        }
        let git = [
            ("integration_id", &self.integration_id),
            ("repository_id", &self.repository_id),
            ("branch_id", &self.branch_id),
        ];
        if git.iter().any(|(_, v)| v.is_some()) {
            for (field, value) in git {
                require_text(field, value.as_deref().unwrap_or_default())?;
            }
        }
        if self.deployment_strategy == Some(DeploymentStrategy::PrebuiltImage) {
            require_text("image_name", self.image_name.as_deref().unwrap_or_default())?;
        }
        Ok(())
    }
}

/// The body of `PATCH /applications/:id`: only the fields set are sent.
///
/// ```
/// use nodal_nodion::UpdateApplication;
/// let update = UpdateApplication::new().name("web-2").instance_amount(3);
/// assert_eq!(serde_json::to_string(&update)?, r#"{"name":"web-2","instance_amount":3}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UpdateApplication {
    /// New display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New instance type id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type_id: Option<String>,
    /// New number of instances per process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_amount: Option<u32>,
    /// New image (prebuilt-image applications).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// New image tag (prebuilt-image applications; deploy to roll it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
    /// New container registry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_registry_id: Option<String>,
    /// New git integration (git-based applications; see [`crate::IntegrationsApi`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    /// New repository of that integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository_id: Option<String>,
    /// New branch of that repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_id: Option<String>,
}

impl UpdateApplication {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renames the application.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Changes the instance type.
    pub fn instance_type_id(mut self, id: impl Into<String>) -> Self {
        self.instance_type_id = Some(id.into());
        self
    }

    /// Changes the number of instances.
    pub fn instance_amount(mut self, amount: u32) -> Self {
        self.instance_amount = Some(amount);
        self
    }

    /// Changes the image.
    pub fn image_name(mut self, image: impl Into<String>) -> Self {
        self.image_name = Some(image.into());
        self
    }

    /// Changes the image tag.
    pub fn image_tag(mut self, tag: impl Into<String>) -> Self {
        self.image_tag = Some(tag.into());
        self
    }

    /// Changes the container registry.
    pub fn container_registry_id(mut self, id: impl Into<String>) -> Self {
        self.container_registry_id = Some(id.into());
        self
    }

    /// Changes the git integration (`integration_id`).
    pub fn integration_id(mut self, id: impl AsRef<str>) -> Self {
        self.integration_id = Some(id.as_ref().to_owned());
        self
    }

    /// Changes the repository (`repository_id`).
    pub fn repository_id(mut self, id: impl AsRef<str>) -> Self {
        self.repository_id = Some(id.as_ref().to_owned());
        self
    }

    /// Changes the branch (`branch_id`).
    pub fn branch_id(mut self, id: impl AsRef<str>) -> Self {
        self.branch_id = Some(id.as_ref().to_owned());
        self
    }

    /// Connects the application to another repository and branch: sets all three git fields.
    ///
    /// ```
    /// use nodal_nodion::{BranchId, IntegrationId, RepositoryId, UpdateApplication};
    /// let update = UpdateApplication::new().git(
    ///     &IntegrationId::from("i-1"),
    ///     &RepositoryId::from("r-1"),
    ///     &BranchId::from("b-1"),
    /// );
    /// assert_eq!(
    ///     serde_json::to_string(&update)?,
    ///     r#"{"integration_id":"i-1","repository_id":"r-1","branch_id":"b-1"}"#
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn git(
        self,
        integration: &IntegrationId,
        repository: &RepositoryId,
        branch: &BranchId,
    ) -> Self {
        self.integration_id(integration)
            .repository_id(repository)
            .branch_id(branch)
    }

    fn validate(&self) -> Result<()> {
        if *self == Self::default() {
            return Err(Error::invalid_input(
                PROVIDER,
                "update",
                "nothing to update: set at least one field",
            ));
        }
        if let Some(name) = &self.name {
            require_text("name", name)?;
        }
        for (field, value) in [
            ("integration_id", &self.integration_id),
            ("repository_id", &self.repository_id),
            ("branch_id", &self.branch_id),
        ] {
            if let Some(value) = value {
                require_text(field, value)?;
            }
        }
        if self.instance_amount == Some(0) {
            return Err(Error::invalid_input(
                PROVIDER,
                "instance_amount",
                "an application needs at least 1 instance; scale its processes to 0 to stop it",
            ));
        }
        Ok(())
    }
}

/// Applications of the selected project (scope `read` to look, `write` to change). Returned by
/// [`NodionClient::applications`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// use nodal_nodion::{CreateApplication, UpdateApplication};
/// let shop = client.project("5903725b-f554-4294-ab17-c992a765a001");
/// for app in shop.applications().list().await? {
///     println!("{} {:?}", app.name, app.status);
/// }
/// let spec = CreateApplication::new("web", "5903725b-f554-4294-ab17-c992a765a001", "8c1f2a3e", 1)
///     .image("nginx", Some("1.27"));
/// let app = shop.applications().create(&spec).await?;
/// shop.applications().update(&app.id, &UpdateApplication::new().instance_amount(2)).await?;
/// shop.applications().delete(&app.id).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ApplicationsApi<'c> {
    client: &'c NodionClient,
}

impl<'c> ApplicationsApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        ApplicationsApi { client }
    }

    /// Applications of the selected project: `GET /applications`.
    pub async fn list(&self) -> Result<Vec<Application>> {
        let request = self.client.request(ep::LIST_APPLICATIONS)?;
        self.client.fetch::<ApplicationsKey, _>(request).await
    }

    /// One application: `GET /applications/:id`.
    pub async fn get(&self, app: &AppId) -> Result<Application> {
        let request = self
            .client
            .request(ep::GET_APPLICATION)?
            .param(app.as_str());
        self.client.fetch::<ApplicationKey, _>(request).await
    }

    /// Creates an application: `POST /applications` (not idempotent: never replayed after an
    /// ambiguous failure). Creating does not deploy: start the first deployment with
    /// [`crate::DeploymentsApi::create`] once the env variables are set.
    pub async fn create(&self, spec: &CreateApplication) -> Result<Application> {
        spec.validate()?;
        let request = self.client.request(ep::CREATE_APPLICATION)?.json(spec);
        self.client.fetch::<ApplicationKey, _>(request).await
    }

    /// Changes an application: `PATCH /applications/:id`.
    pub async fn update(&self, app: &AppId, update: &UpdateApplication) -> Result<Application> {
        update.validate()?;
        let request = self
            .client
            .request(ep::UPDATE_APPLICATION)?
            .param(app.as_str())
            .json(update);
        self.client.fetch::<ApplicationKey, _>(request).await
    }

    /// Deletes an application: `DELETE /applications/:id`.
    pub async fn delete(&self, app: &AppId) -> Result<()> {
        let request = self
            .client
            .request(ep::DELETE_APPLICATION)?
            .param(app.as_str());
        self.client.execute_removal(request).await
    }
}
