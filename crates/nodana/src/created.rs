//! The answer to creating an app: its ids and URL, plus the one-time secrets some templates
//! return (a phoenixd seed phrase, generated passwords).

use nodal_core::{App as NeutralApp, AppId, AppStatus, Credentials, ProjectId};
use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::{Map, Value};
use std::fmt;

/// A newly created app. Every field of the answer other than `projectId`, `id` and `url` is kept
/// as a secret in [`CreatedApp::secrets`]: redacted in `Debug` and `Serialize`, readable only
/// through [`Credentials::expose`] or [`Credentials::exposed`]. Save them at once: Nodana shows
/// them only this one time.
///
/// ```
/// use nodal_nodana::CreatedApp;
///
/// let created: CreatedApp = serde_json::from_str(r#"{
///     "projectId": "prj-1", "id": "app-1", "url": "https://app-1.nodana.app:8080",
///     "seedPhrase": "abandon ability able", "httpPassword": "hunter2"
/// }"#)?;
/// assert_eq!(created.id.as_str(), "app-1");
/// assert!(!format!("{created:?}").contains("abandon"));
/// assert!(!serde_json::to_string(&created)?.contains("hunter2"));
/// assert_eq!(created.secrets.expose("seedPhrase"), Some("abandon ability able"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct CreatedApp {
    /// The project the app was created in (a new one when none was given).
    pub project_id: ProjectId,
    /// The new app's id.
    pub id: AppId,
    /// The app's URL.
    pub url: Option<String>,
    /// Every other field of the answer, by its wire name. Values that are not strings are kept
    /// as their JSON text.
    pub secrets: Credentials,
}

impl CreatedApp {
    /// The phoenixd seed phrase (`seedPhrase`), if the template returned one; still wrapped.
    pub fn seed_phrase(&self) -> Option<&nodal_core::SecretString> {
        self.secrets.get("seedPhrase")
    }
}

/// The neutral form: a pending app (Nodana starts it within seconds) with these credentials.
/// The answer does not say the template; the neutral `create_app` records it as the app's
/// source afterwards.
impl From<CreatedApp> for nodal_core::CreatedApp {
    fn from(created: CreatedApp) -> Self {
        // The answer carries no status; right after creation the app is `pending`
        // (docs/wire-contract.md) until Nodana reports it `available`.
        let mut app = NeutralApp::new(created.id, AppStatus::Pending, "pending");
        app.project = Some(created.project_id);
        app.url = created.url;
        nodal_core::CreatedApp::new(app, created.secrets)
    }
}

impl<'de> Deserialize<'de> for CreatedApp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = Map::<String, Value>::deserialize(deserializer)?;
        let mut required = |name: &'static str| match fields.remove(name) {
            Some(Value::String(value)) => Ok(value),
            Some(_) => Err(D::Error::custom(format!("`{name}` is not a string"))),
            None => Err(D::Error::missing_field(name)),
        };
        let project_id = ProjectId::new(required("projectId")?);
        let id = AppId::new(required("id")?);
        let url = match fields.remove("url") {
            Some(Value::String(url)) => Some(url),
            Some(Value::Null) | None => None,
            Some(_) => return Err(D::Error::custom("`url` is not a string")),
        };
        let mut secrets = Credentials::new();
        for (name, value) in fields {
            match value {
                Value::Null => {}
                Value::String(text) => secrets.insert(name, text),
                other => secrets.insert(name, other.to_string()),
            }
        }
        Ok(CreatedApp {
            project_id,
            id,
            url,
            secrets,
        })
    }
}

/// Serializes with camelCase keys like the answer; the secrets are redacted.
impl Serialize for CreatedApp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("CreatedApp", 4)?;
        out.serialize_field("projectId", &self.project_id)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("url", &self.url)?;
        out.serialize_field("secrets", &self.secrets)?;
        out.end()
    }
}

/// Written by hand: the secrets must never reach a log line.
impl fmt::Debug for CreatedApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedApp")
            .field("project_id", &self.project_id)
            .field("id", &self.id)
            .field("url", &self.url)
            .field("secrets", &self.secrets)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_fields_become_secrets_and_stay_hidden() {
        let created: CreatedApp = serde_json::from_value(serde_json::json!({
            "projectId": "prj-1",
            "id": "app-1",
            "url": null,
            "seedPhrase": "abandon ability able",
            "port": 9740,
            "nothing": null,
        }))
        .unwrap();
        assert_eq!(created.url, None);
        assert_eq!(
            created.secrets.names().collect::<Vec<_>>(),
            ["port", "seedPhrase"]
        );
        assert_eq!(created.secrets.expose("port"), Some("9740"));
        assert_eq!(
            created
                .seed_phrase()
                .map(nodal_core::ExposeSecret::expose_secret),
            Some("abandon ability able")
        );
        let neutral = nodal_core::CreatedApp::from(created.clone());
        assert_eq!(neutral.app.source, None);
        assert_eq!(neutral.app.status, AppStatus::Pending);
        assert_eq!(
            neutral.app.project.as_ref().map(ProjectId::as_str),
            Some("prj-1")
        );
        let shown = format!(
            "{created:?} {neutral:?} {}",
            serde_json::to_string(&created).unwrap()
        );
        assert!(!shown.contains("abandon"), "{shown}");
    }

    #[test]
    fn missing_ids_are_errors() {
        for body in [
            r#"{"id": "a"}"#,
            r#"{"projectId": "p"}"#,
            r#"{"projectId": 1, "id": "a"}"#,
        ] {
            assert!(serde_json::from_str::<CreatedApp>(body).is_err(), "{body}");
        }
    }
}
