//! Secrets a provider hands out once (a phoenixd seed phrase, generated passwords), kept so that
//! they can only be read on purpose.

use crate::ids::ProjectId;
use crate::model::App;
use crate::spec::RedactedKeys;
use secrecy::{ExposeSecret, SecretString};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Named secrets returned by a provider, e.g. when an app is created.
///
/// `Debug` and `Serialize` show the names with every value as `[redacted]`. To read or save the
/// values, call [`Credentials::expose`] or [`Credentials::exposed`] explicitly.
///
/// ```
/// use nodal_core::Credentials;
/// let mut creds = Credentials::new();
/// creds.insert("seedPhrase", "abandon ability able");
/// assert!(!format!("{creds:?}").contains("abandon"));
/// assert_eq!(serde_json::to_string(&creds).unwrap(), r#"{"seedPhrase":"[redacted]"}"#);
/// assert_eq!(creds.expose("seedPhrase"), Some("abandon ability able"));
/// assert!(serde_json::to_string(&creds.exposed()).unwrap().contains("abandon"));
/// ```
#[derive(Clone, Default)]
pub struct Credentials {
    entries: BTreeMap<String, SecretString>,
}

impl Credentials {
    /// No credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a named secret.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.entries
            .insert(name.into(), SecretString::from(value.into()));
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The secret under `name`, still wrapped.
    pub fn get(&self, name: &str) -> Option<&SecretString> {
        self.entries.get(name)
    }

    /// The value under `name`, in clear text. Call it only where the value must be shown or stored.
    pub fn expose(&self, name: &str) -> Option<&str> {
        self.entries.get(name).map(|v| v.expose_secret())
    }

    /// A view that serializes the values in clear text, for writing them to a protected file.
    pub fn exposed(&self) -> ExposedCredentials<'_> {
        ExposedCredentials(self)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Credentials")
            .field(&RedactedKeys(self.entries.keys()))
            .finish()
    }
}

impl Serialize for Credentials {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for name in self.entries.keys() {
            map.serialize_entry(name, "[redacted]")?;
        }
        map.end()
    }
}

/// Credentials that serialize in clear text; see [`Credentials::exposed`]. Its `Debug` is still
/// redacted, so it cannot leak through a log line by accident.
pub struct ExposedCredentials<'a>(&'a Credentials);

impl fmt::Debug for ExposedCredentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl Serialize for ExposedCredentials<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.entries.len()))?;
        for (name, value) in &self.0.entries {
            map.serialize_entry(name, value.expose_secret())?;
        }
        map.end()
    }
}

/// The answer to creating an app: the app, plus any secrets the provider returned only this once,
/// and the project the provider created for it, if it did.
///
/// ```
/// use nodal_core::{App, AppId, AppStatus, CreatedApp, Credentials, ProjectId};
/// let created = CreatedApp::new(App::new(AppId::from("a"), AppStatus::Pending, "pending"), Credentials::new());
/// assert!(created.credentials.is_empty());
/// assert!(created.created_project.is_none());
/// // Nodana creates a project when none was given: cleanup code must remove it too.
/// let created = created.with_created_project(ProjectId::from("prj-1"));
/// assert_eq!(created.created_project.as_ref().map(ProjectId::as_str), Some("prj-1"));
/// ```
#[derive(Clone, serde::Serialize)]
#[non_exhaustive]
pub struct CreatedApp {
    /// The new app (usually still pending).
    pub app: App,
    /// Secrets returned with the creation (redacted unless exposed on purpose).
    pub credentials: Credentials,
    /// A project the provider created for this app because the spec named none (Nodana does
    /// so on every create without a project). Deleting the app leaves it behind: cleanup code
    /// deletes it too. `None` when the app went into an existing project.
    pub created_project: Option<ProjectId>,
}

impl CreatedApp {
    /// Bundles an app with its one-time credentials (in an existing project).
    pub fn new(app: App, credentials: Credentials) -> Self {
        CreatedApp {
            app,
            credentials,
            created_project: None,
        }
    }

    /// Records that the provider created `project` for this app.
    pub fn with_created_project(mut self, project: ProjectId) -> Self {
        self.created_project = Some(project);
        self
    }
}

// Written by hand (not derived) because the value holds secrets: the rule is that no type holding
// one derives Debug, even when its fields redact themselves.
impl fmt::Debug for CreatedApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedApp")
            .field("app", &self.app)
            .field("credentials", &self.credentials)
            .field("created_project", &self.created_project)
            .finish()
    }
}
