//! Environment variables of an application. Values are secrets: they are held in
//! [`SecretString`]s, redacted in `Debug` and `Serialize`, and exposed only while the request
//! body is written. Reading needs scopes `read` + `env:read`; changing needs `env:write`.

use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::ids::EnvVariableId;
use crate::protocol::PROVIDER;
use crate::wire::{EnvVariableKey, EnvVariablesKey};
use nodal_core::{AppId, Error, Result};
use secrecy::{ExposeSecret, SecretString};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const REDACTED: &str = "[redacted]";

/// An environment variable (wire fields `env_key`, `env_val`, `buildtime`).
///
/// ```
/// use nodal_nodion::EnvVariable;
/// use secrecy::ExposeSecret;
/// let var: EnvVariable = serde_json::from_str(
///     r#"{"id": "e-1", "env_key": "DATABASE_URL", "env_val": "postgres://u:p@h/db", "buildtime": false}"#,
/// )?;
/// assert_eq!(var.id.as_str(), "e-1");
/// assert_eq!(var.key, "DATABASE_URL");
/// assert_eq!(var.value.expose_secret(), "postgres://u:p@h/db");
/// assert!(!format!("{var:?}").contains("postgres"));
/// assert!(!serde_json::to_string(&var)?.contains("postgres"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct EnvVariable {
    /// The variable's id.
    pub id: EnvVariableId,
    /// Name (`env_key`).
    pub key: String,
    /// Value (`env_val`), a secret. `null` on the wire reads as an empty value.
    pub value: SecretString,
    /// Whether the value is available at build time (`buildtime`).
    pub build_time: bool,
    /// Creation time (RFC 3339).
    pub created_at: Option<String>,
    /// Last change (RFC 3339).
    pub updated_at: Option<String>,
}

impl<'de> Deserialize<'de> for EnvVariable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(deserialize_with = "crate::wire::id")]
            id: EnvVariableId,
            #[serde(default)]
            env_key: Option<String>,
            #[serde(default)]
            env_val: Option<SecretString>,
            #[serde(default)]
            buildtime: Option<bool>,
            #[serde(default)]
            created_at: Option<String>,
            #[serde(default)]
            updated_at: Option<String>,
        }
        let wire = Wire::deserialize(deserializer)?;
        Ok(EnvVariable {
            id: wire.id,
            key: wire.env_key.unwrap_or_default(),
            value: wire
                .env_val
                .unwrap_or_else(|| SecretString::from(String::new())),
            build_time: wire.buildtime.unwrap_or(false),
            created_at: wire.created_at,
            updated_at: wire.updated_at,
        })
    }
}

impl fmt::Debug for EnvVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvVariable")
            .field("id", &self.id)
            .field("key", &self.key)
            .field("value", &REDACTED)
            .field("build_time", &self.build_time)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

/// Serializes with the value redacted (for logs and reports); read the value with
/// `var.value.expose_secret()` where it must be shown.
impl Serialize for EnvVariable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("EnvVariable", 6)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("key", &self.key)?;
        s.serialize_field("value", REDACTED)?;
        s.serialize_field("build_time", &self.build_time)?;
        s.serialize_field("created_at", &self.created_at)?;
        s.serialize_field("updated_at", &self.updated_at)?;
        s.end()
    }
}

/// A variable to create: `{env_key, env_val, buildtime?}`.
///
/// ```
/// use nodal_nodion::NewEnvVariable;
/// let var = NewEnvVariable::new("API_TOKEN", "s3cr3t".into()).build_time(true);
/// assert!(!format!("{var:?}").contains("s3cr3t"));
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct NewEnvVariable {
    /// Name.
    pub key: String,
    /// Value (a secret).
    pub value: SecretString,
    /// Whether the value is needed at build time; `None` leaves Nodion's default.
    pub build_time: Option<bool>,
}

impl NewEnvVariable {
    /// A variable with the provider's default build-time setting.
    pub fn new(key: impl Into<String>, value: SecretString) -> Self {
        NewEnvVariable {
            key: key.into(),
            value,
            build_time: None,
        }
    }

    /// Sets whether the value is needed at build time.
    pub fn build_time(mut self, build_time: bool) -> Self {
        self.build_time = Some(build_time);
        self
    }
}

impl fmt::Debug for NewEnvVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewEnvVariable")
            .field("key", &self.key)
            .field("value", &REDACTED)
            .field("build_time", &self.build_time)
            .finish()
    }
}

/// A change to a variable: only the fields set are sent.
///
/// ```
/// use nodal_nodion::EnvVariableUpdate;
/// let change = EnvVariableUpdate::new().value("rotated".into());
/// assert!(!format!("{change:?}").contains("rotated"));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct EnvVariableUpdate {
    /// New name.
    pub key: Option<String>,
    /// New value (a secret).
    pub value: Option<SecretString>,
    /// New build-time setting.
    pub build_time: Option<bool>,
}

impl EnvVariableUpdate {
    /// A change that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renames the variable.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Replaces the value.
    pub fn value(mut self, value: SecretString) -> Self {
        self.value = Some(value);
        self
    }

    /// Changes the build-time setting.
    pub fn build_time(mut self, build_time: bool) -> Self {
        self.build_time = Some(build_time);
        self
    }
}

impl fmt::Debug for EnvVariableUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvVariableUpdate")
            .field("key", &self.key)
            .field("value", &self.value.as_ref().map(|_| REDACTED))
            .field("build_time", &self.build_time)
            .finish()
    }
}

/// The wire body of a create or update. The only place a value is exposed: while it is being
/// written into the request body.
struct EnvBody<'a> {
    key: Option<&'a str>,
    value: Option<&'a SecretString>,
    build_time: Option<bool>,
}

impl Serialize for EnvBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = [
            self.key.is_some(),
            self.value.is_some(),
            self.build_time.is_some(),
        ];
        let len = fields.iter().filter(|set| **set).count();
        let mut s = serializer.serialize_struct("EnvBody", len)?;
        if let Some(key) = self.key {
            s.serialize_field("env_key", key)?;
        }
        if let Some(value) = self.value {
            s.serialize_field("env_val", value.expose_secret())?;
        }
        if let Some(build_time) = self.build_time {
            s.serialize_field("buildtime", &build_time)?;
        }
        s.end()
    }
}

/// Environment variables of an application: reading needs scopes `read` + `env:read`,
/// changing needs `env:write`. Returned by [`NodionClient::env`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// use nodal_nodion::{EnvVariableUpdate, NewEnvVariable};
/// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
/// let token = std::env::var("API_TOKEN").unwrap_or_default();
/// let var = client.env().create(&app, &NewEnvVariable::new("API_TOKEN", token.into())).await?;
/// client.env().update(&app, &var.id, &EnvVariableUpdate::new().build_time(true)).await?;
/// for var in client.env().list(&app).await? {
///     println!("{} (build time: {})", var.key, var.build_time); // the value stays secret
/// }
/// client.env().delete(&app, &var.id).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct EnvApi<'c> {
    client: &'c NodionClient,
}

impl<'c> EnvApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        EnvApi { client }
    }

    /// Variables of an application, values included: `GET /applications/:id/env_variables`.
    pub async fn list(&self, app: &AppId) -> Result<Vec<EnvVariable>> {
        let request = self
            .client
            .request(ep::LIST_ENV_VARIABLES)?
            .param(app.as_str());
        self.client.fetch::<EnvVariablesKey, _>(request).await
    }

    /// One variable: `GET /applications/:id/env_variables/:env_id`.
    pub async fn get(&self, app: &AppId, variable: &EnvVariableId) -> Result<EnvVariable> {
        let request = self
            .client
            .request(ep::GET_ENV_VARIABLE)?
            .param(app.as_str())
            .param(variable.as_str());
        self.client.fetch::<EnvVariableKey, _>(request).await
    }

    /// Creates a variable: `POST /applications/:id/env_variables`. Not idempotent.
    pub async fn create(&self, app: &AppId, variable: &NewEnvVariable) -> Result<EnvVariable> {
        require_text("key", &variable.key)?;
        let body = EnvBody {
            key: Some(&variable.key),
            value: Some(&variable.value),
            build_time: variable.build_time,
        };
        let request = self
            .client
            .request(ep::CREATE_ENV_VARIABLE)?
            .param(app.as_str())
            .json(&body)
            // An echoed value is scrubbed from every error and retry event.
            .secret(&variable.value);
        self.client.fetch::<EnvVariableKey, _>(request).await
    }

    /// Changes a variable: `PATCH /applications/:id/env_variables/:env_id`.
    pub async fn update(
        &self,
        app: &AppId,
        variable: &EnvVariableId,
        update: &EnvVariableUpdate,
    ) -> Result<EnvVariable> {
        if update.key.is_none() && update.value.is_none() && update.build_time.is_none() {
            return Err(Error::invalid_input(
                PROVIDER,
                "update",
                "nothing to update: set the key, the value or the build-time flag",
            ));
        }
        if let Some(key) = &update.key {
            require_text("key", key)?;
        }
        let body = EnvBody {
            key: update.key.as_deref(),
            value: update.value.as_ref(),
            build_time: update.build_time,
        };
        let request = self
            .client
            .request(ep::UPDATE_ENV_VARIABLE)?
            .param(app.as_str())
            .param(variable.as_str())
            .json(&body)
            .secrets(update.value.as_ref());
        self.client.fetch::<EnvVariableKey, _>(request).await
    }

    /// Deletes a variable: `DELETE /applications/:id/env_variables/:env_id`.
    pub async fn delete(&self, app: &AppId, variable: &EnvVariableId) -> Result<()> {
        let request = self
            .client
            .request(ep::DELETE_ENV_VARIABLE)?
            .param(app.as_str())
            .param(variable.as_str());
        self.client.execute_removal(request).await
    }
}
