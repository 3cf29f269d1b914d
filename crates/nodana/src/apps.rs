//! Apps: instances of a template, made of one or more services.

use crate::client::NodanaClient;
use crate::created::CreatedApp;
use crate::endpoints;
use crate::protocol::PROVIDER;
use crate::templates::Template;
use crate::wait;
use nodal_core::{AppId, Endpoint, Error, ProjectId, Result, WaitOptions};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

nodal_core::wire_enum!(
    /// An app's status as Nodana reports it. Unknown words are kept in [`AppStatus::Other`];
    /// decoding never fails on a status.
    ///
    /// ```
    /// use nodal_nodana::AppStatus;
    /// let status: AppStatus = serde_json::from_str(r#""available""#)?;
    /// assert_eq!(status, AppStatus::Available);
    /// let odd: AppStatus = serde_json::from_str(r#""migrating""#)?;
    /// assert_eq!(odd, AppStatus::Other("migrating".into()));
    /// assert_eq!(odd.as_str(), "migrating");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum AppStatus {
        /// `available`: up and serving.
        Available = "available",
        /// `running`: up (seen in list answers).
        Running = "running",
        /// `pending`: starting.
        Pending = "pending",
        /// `cordoned`: stopped.
        Cordoned = "cordoned",
        /// `deleted`.
        Deleted = "deleted",
    }
);

impl AppStatus {
    /// The status in the neutral model. Words outside Nodana's reference that other providers
    /// use (`starting`, `stopped`, `failed`, `error`) and other capitalisations are understood
    /// too; anything else stays [`nodal_core::AppStatus::Other`] with the word verbatim.
    ///
    /// ```
    /// use nodal_core::AppStatus as Neutral;
    /// use nodal_nodana::AppStatus;
    /// assert_eq!(AppStatus::Available.normalized(), Neutral::Running);
    /// assert_eq!(AppStatus::Cordoned.normalized(), Neutral::Stopped);
    /// assert_eq!(AppStatus::from_wire("Failed").normalized(), Neutral::Failed);
    /// assert_eq!(AppStatus::from_wire("migrating").normalized(), Neutral::Other("migrating".into()));
    /// ```
    pub fn normalized(&self) -> nodal_core::AppStatus {
        use nodal_core::AppStatus as Neutral;
        let word = self.as_str();
        match AppStatus::from_wire(&word.to_ascii_lowercase()) {
            AppStatus::Available | AppStatus::Running => Neutral::Running,
            AppStatus::Pending => Neutral::Pending,
            AppStatus::Cordoned => Neutral::Stopped,
            AppStatus::Deleted => Neutral::Deleted,
            AppStatus::Other(lower) => match lower.as_str() {
                "starting" => Neutral::Pending,
                "stopped" => Neutral::Stopped,
                "failed" | "error" => Neutral::Failed,
                _ => Neutral::Other(word.to_owned()),
            },
        }
    }

    /// Whether the app is up (`available` or `running`).
    pub fn is_available(&self) -> bool {
        self.normalized().is_running()
    }
}

/// An app as Nodana reports it.
///
/// `template` and `status` are optional, as Nodana's own CLI treats them: an answer where
/// either is missing or `null` decodes, with `None`. [`App::status_word`] shows a missing status
/// as `unknown`, and the neutral model keeps it as `AppStatus::Other("unknown")` with an empty
/// `raw_status`.
///
/// ```
/// use nodal_nodana::App;
/// let app: App = serde_json::from_str(r#"{"id": "app-1", "template": null}"#)?;
/// assert_eq!(app.template, None);
/// assert_eq!(app.status, None);
/// assert_eq!(app.status_word(), "unknown");
/// assert!(!app.is_available());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct App {
    /// The app's id.
    pub id: AppId,
    /// The owning user's id.
    pub user_id: Option<String>,
    /// The project the app belongs to.
    pub project_id: Option<ProjectId>,
    /// The template it is an instance of; `None` when the answer leaves it out or sends `null`.
    #[serde(default)]
    pub template: Option<String>,
    /// Price per second.
    pub rate: Option<f64>,
    /// Public URL.
    pub url: Option<String>,
    /// Status; `None` when the answer leaves it out or sends `null`.
    #[serde(default)]
    pub status: Option<AppStatus>,
    /// Creation time (RFC 3339).
    pub created_at: Option<String>,
    /// Last change (RFC 3339).
    pub updated_at: Option<String>,
}

impl App {
    /// What [`App::status_word`] shows when the answer carries no status.
    pub const MISSING_STATUS: &'static str = "unknown";

    /// The status word as Nodana sent it, or [`App::MISSING_STATUS`] when it sent none.
    pub fn status_word(&self) -> &str {
        self.status
            .as_ref()
            .map_or(Self::MISSING_STATUS, AppStatus::as_str)
    }

    /// The status in the neutral model; a missing status is
    /// `Other(`[`App::MISSING_STATUS`]`)`, never a guess at running or stopped.
    pub fn normalized_status(&self) -> nodal_core::AppStatus {
        self.status.as_ref().map_or_else(
            || nodal_core::AppStatus::Other(Self::MISSING_STATUS.to_owned()),
            AppStatus::normalized,
        )
    }

    /// Whether the app is up; an app without a status is not.
    pub fn is_available(&self) -> bool {
        self.status.as_ref().is_some_and(AppStatus::is_available)
    }
}

/// The answer to start, stop, restart and delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AppAction {
    /// The app's id.
    pub id: AppId,
}

/// The answer to updating an app to its template's latest version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AppUpdate {
    /// The app's id.
    pub id: AppId,
    /// The image now running.
    pub image: Option<String>,
    /// The version now running.
    pub version: Option<String>,
}

/// What to create: a template with its parameters, in a project or (by default) in a new one.
///
/// ```
/// use nodal_nodana::{MintParams, NewApp, Template};
/// let app = NewApp::new(Template::CdkMintd(MintParams::new().mint_name("Mint")))
///     .in_project("prj-5fd3");
/// assert_eq!(app.template().name(), "cdk-mintd");
/// ```
#[derive(Clone)]
pub struct NewApp {
    template: Template,
    project_id: Option<ProjectId>,
}

impl NewApp {
    /// An app of `template` in a new project (Nodana creates one; at most four per account).
    pub fn new(template: Template) -> Self {
        NewApp {
            template,
            project_id: None,
        }
    }

    /// Creates the app in an existing project.
    pub fn in_project(mut self, project: impl Into<ProjectId>) -> Self {
        self.project_id = Some(project.into());
        self
    }

    /// The template.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The project, if one was chosen.
    pub fn project_id(&self) -> Option<&ProjectId> {
        self.project_id.as_ref()
    }
}

/// Written by hand: template parameters may be secret (the template's Debug redacts them).
impl fmt::Debug for NewApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewApp")
            .field("template", &self.template)
            .field("project_id", &self.project_id)
            .finish()
    }
}

/// The create-app body: snake_case, `project_id` and `params` left out when absent. It holds
/// exposed secrets for the moment it is serialized, so it has no Debug.
#[derive(Serialize)]
struct CreateAppBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    project_id: Option<&'a str>,
    template: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    params: BTreeMap<&'a str, &'a str>,
}

/// The app endpoints, from [`NodanaClient::apps`].
///
/// ```no_run
/// use nodal_nodana::{AutoLiquidity, NewApp, NodanaClient, PhoenixdParams, Template};
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> nodal_core::Result<()> {
/// let client = NodanaClient::from_env()?;
/// let template = Template::Phoenixd(
///     PhoenixdParams::new().auto_liquidity(AutoLiquidity::TwoMillionSats),
/// );
/// let created = client.apps().create(&NewApp::new(template)).await?;
/// // Shown only this once: store it somewhere safe.
/// let _seed = created.seed_phrase();
/// let app = client
///     .apps()
///     .wait_until_available(&created.id, Duration::from_secs(120))
///     .await?;
/// println!("{} is {} at {:?}", app.id, app.status_word(), app.url);
/// client.apps().stop(&app.id).await?;
/// client.apps().start(&app.id).await?;
/// client.apps().update(&app.id).await?; // latest template version
/// client.apps().delete(&app.id).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct AppsApi<'c> {
    client: &'c NodanaClient,
}

impl<'c> AppsApi<'c> {
    pub(crate) fn new(client: &'c NodanaClient) -> Self {
        AppsApi { client }
    }

    /// `POST /apps`. Not replayed after an ambiguous failure (a rate-limit answer, which means
    /// "not performed", is). Without a project Nodana creates one, so the four-project cap
    /// applies: [`Error::LimitExceeded`].
    pub async fn create(&self, app: &NewApp) -> Result<CreatedApp> {
        app.template.validate()?;
        if let Some(project) = &app.project_id
            && project.as_str().trim().is_empty()
        {
            return Err(Error::invalid_input(
                PROVIDER,
                "project_id",
                "the project id is empty",
            ));
        }
        let body = CreateAppBody {
            project_id: app.project_id.as_ref().map(ProjectId::as_str),
            template: app.template.name(),
            params: app.template.exposed_params(),
        };
        // The secret parameters (a macaroon, a custom template's values) are scrubbed from
        // everything the answer or a failure says.
        let request = endpoints::CREATE_APP
            .request()
            .json(&body)
            .secrets(app.template.secret_params());
        drop(body);
        self.client.send(request).await
    }

    /// `GET /apps/{app_id}`.
    pub async fn get(&self, id: &AppId) -> Result<App> {
        self.client
            .send(endpoints::GET_APP.request().param(id.as_str()))
            .await
    }

    /// `POST /apps/{app_id}/update`: moves every service to the template's latest version.
    pub async fn update(&self, id: &AppId) -> Result<AppUpdate> {
        self.action(endpoints::UPDATE_APP, id).await
    }

    /// `POST /apps/{app_id}/start`.
    pub async fn start(&self, id: &AppId) -> Result<AppAction> {
        self.action(endpoints::START_APP, id).await
    }

    /// `POST /apps/{app_id}/stop`.
    pub async fn stop(&self, id: &AppId) -> Result<AppAction> {
        self.action(endpoints::STOP_APP, id).await
    }

    /// `POST /apps/{app_id}/restart`.
    pub async fn restart(&self, id: &AppId) -> Result<AppAction> {
        self.action(endpoints::RESTART_APP, id).await
    }

    /// `POST /apps/{app_id}/delete`: deletes the app and its services. When the answer to an
    /// attempt was lost and the replay finds the app gone, the earlier attempt deleted it:
    /// that is success (the answer then carries just the id).
    pub async fn delete(&self, id: &AppId) -> Result<AppAction> {
        let request = endpoints::DELETE_APP.request().param(id.as_str());
        Ok(self
            .client
            .send_removal(request)
            .await?
            .unwrap_or_else(|| AppAction { id: id.clone() }))
    }

    /// Polls `GET /apps/{app_id}` until the app is `available` (or `running`), for at most
    /// `timeout`, checking every 2 s (never faster than the client's rate limit). A deleted or
    /// failed app ends the wait early with an error; past the deadline it is
    /// [`Error::Timeout`] naming the last status seen. The neutral
    /// [`nodal_core::Apps::wait_until_available_with`] runs the same wait.
    pub async fn wait_until_available(&self, id: &AppId, timeout: Duration) -> Result<App> {
        wait::until_available(self.client, id, WaitOptions::new(timeout), |_, _| {}).await
    }

    /// [`AppsApi::wait_until_available`] with chosen timeout and interval, calling `progress`
    /// with each state seen before the app is available and the time waited (for spinners).
    pub async fn wait_until_available_with(
        &self,
        id: &AppId,
        options: WaitOptions,
        progress: impl FnMut(&App, Duration) + Send,
    ) -> Result<App> {
        wait::until_available(self.client, id, options, progress).await
    }

    async fn action<T: serde::de::DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        id: &AppId,
    ) -> Result<T> {
        self.client
            .send(endpoint.request().param(id.as_str()))
            .await
    }
}
