//! The neutral traits every provider adapter implements.
//!
//! They are object safe, so automation can hold `Arc<dyn Provider>` and drive any provider with
//! the same code. An operation a provider cannot perform returns [`Error::Unsupported`]; check
//! [`Provider::capabilities`] first to branch without trying.

use crate::capabilities::Capabilities;
use crate::credentials::CreatedApp;
use crate::error::Result;
use crate::ids::{AppId, ProjectId};
use crate::model::{App, DeployOptions, Deployment, Project};
use crate::spec::AppSpec;
use crate::wait::WaitOptions;
use async_trait::async_trait;
use std::fmt::Debug;
use std::time::Duration;

#[cfg(doc)]
use crate::error::Error;

/// Projects: groups of apps.
#[async_trait]
pub trait Projects: Send + Sync + Debug {
    /// Every project the key can see.
    async fn list_projects(&self) -> Result<Vec<Project>>;

    /// One project. [`Error::NotFound`] when it does not exist or is not visible.
    async fn get_project(&self, id: &ProjectId) -> Result<Project>;

    /// Creates a project. Not idempotent: never replayed after an ambiguous failure.
    async fn create_project(&self, name: &str) -> Result<Project>;

    /// Renames a project.
    async fn rename_project(&self, id: &ProjectId, name: &str) -> Result<()>;

    /// Deletes a project. Providers may refuse a project that still holds apps
    /// ([`Error::Conflict`]).
    async fn delete_project(&self, id: &ProjectId) -> Result<()>;
}

/// Apps: create, inspect, start, stop and remove.
#[async_trait]
pub trait Apps: Send + Sync + Debug {
    /// Apps of one project, or of every project the client can see when `project` is `None`
    /// (a client bound to one project, such as a Nodion project key or project view, sees that one).
    async fn list_apps(&self, project: Option<&ProjectId>) -> Result<Vec<App>>;

    /// One app.
    async fn get_app(&self, id: &AppId) -> Result<App>;

    /// Creates an app. Not idempotent: never replayed after an ambiguous failure. One-time
    /// secrets returned by the provider are in [`CreatedApp::credentials`].
    async fn create_app(&self, spec: &AppSpec) -> Result<CreatedApp>;

    /// Deletes an app.
    async fn delete_app(&self, id: &AppId) -> Result<()>;

    /// Starts a stopped app.
    async fn start_app(&self, id: &AppId) -> Result<()>;

    /// Stops an app.
    async fn stop_app(&self, id: &AppId) -> Result<()>;

    /// Restarts an app.
    async fn restart_app(&self, id: &AppId) -> Result<()>;

    /// Polls until the app is available (running and, where the provider has deployments, its
    /// newest deployment is live), through the client's rate limiter. Fails with
    /// [`Error::Timeout`] after `timeout`, or early when the app or its deployment failed.
    async fn wait_until_available(&self, id: &AppId, timeout: Duration) -> Result<App> {
        self.wait_until_available_with(id, WaitOptions::new(timeout), None)
            .await
    }

    /// Like [`Apps::wait_until_available`], with the poll interval chosen by `options` and
    /// `progress` called with each state seen before the app is available and the time waited
    /// so far (for spinners and progress lines).
    ///
    /// ```
    /// use nodal_core::{App, AppId, Provider, Result, WaitOptions};
    /// use std::time::Duration;
    ///
    /// async fn wait_and_show(provider: &dyn Provider, app: &AppId) -> Result<App> {
    ///     let mut show = |app: &App, waited: Duration| {
    ///         eprintln!("{} is {} after {}s", app.id, app.status, waited.as_secs());
    ///     };
    ///     provider
    ///         .wait_until_available_with(app, WaitOptions::new(Duration::from_secs(300)), Some(&mut show))
    ///         .await
    /// }
    /// ```
    async fn wait_until_available_with(
        &self,
        id: &AppId,
        options: WaitOptions,
        // `for<'s>` spelled out: `async_trait` would otherwise name the elided lifetime of
        // `&App`, and an implementer could not pass a reference to a state it just polled.
        progress: Option<&mut (dyn for<'s> FnMut(&'s App, Duration) + Send)>,
    ) -> Result<App>;
}

/// Deployments: rolling out new versions.
#[async_trait]
pub trait Deployments: Send + Sync + Debug {
    /// Deployments (or, on Nodana, services and their versions) of an app.
    async fn list_deployments(&self, app: &AppId) -> Result<Vec<Deployment>>;

    /// Rolls out a new version of an app.
    async fn deploy(&self, app: &AppId, options: &DeployOptions) -> Result<Deployment>;
}

/// A whole provider: everything above, plus its name and what it can do.
///
/// ```
/// use nodal_core::{AppId, Provider, Result};
///
/// /// Stops an app on any provider that can, and says so otherwise.
/// async fn pause(provider: &dyn Provider, app: &AppId) -> Result<bool> {
///     if !provider.capabilities().stop_app {
///         return Ok(false);
///     }
///     provider.stop_app(app).await?;
///     Ok(true)
/// }
/// ```
pub trait Provider: Projects + Apps + Deployments {
    /// Short lowercase provider name (`nodion`, `nodana`).
    fn name(&self) -> &'static str;

    /// What this provider supports.
    fn capabilities(&self) -> Capabilities;
}
