//! Runners (one-off container jobs defined in the dashboard) and their runs: read with scope
//! `read`; triggering a run needs `write` (**INFERRED**: the scope table does not name runs).

use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::ids::{RunId, RunnerId};
use crate::protocol::PROVIDER;
use crate::regions::{InstanceType, Region};
use crate::wire::{RunKey, RunnerKey, RunnersKey, RunsKey, id, null_default};
use nodal_core::{Error, Result};
use secrecy::{ExposeSecret, SecretString};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

nodal_core::wire_enum!(
    /// A runner's status; the reference shows `available`.
    pub enum RunnerStatus {
        /// Ready to run.
        Available = "available",
    }
);

nodal_core::wire_enum!(
    /// A run's status; the reference shows `succeeded` and `failed` (a queued or running run
    /// reads as `Other` with Nodion's word).
    pub enum RunStatus {
        /// Exited with code 0.
        Succeeded = "succeeded",
        /// Exited with another code, or timed out.
        Failed = "failed",
    }
);

/// A runner: `{id, status, name, image_name, image_tag, run_command, argv, entrypoint,
/// timeout_seconds, warmed_at, created_at, updated_at, region, instance_type,
/// container_registry}`. Its `instance_type` is the numeric form (`mem` `1024`, number prices).
///
/// ```
/// let r: nodal_nodion::Runner = serde_json::from_str(r#"{"id": "r-1", "status": "available",
///     "name": "Database Backup", "run_command": "python backup.py", "argv": [],
///     "timeout_seconds": 3600, "instance_type": {"id": "t-1", "cpu": 1, "mem": 1024,
///     "price_month": 5.0, "price_second": 0.0000019}, "container_registry": null}"#)?;
/// let t = r.instance_type.unwrap();
/// assert_eq!(t.mem, Some(1024.0));
/// assert_eq!(t.price_second.unwrap().as_str(), "0.0000019");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Runner {
    /// The runner's id.
    #[serde(deserialize_with = "id")]
    pub id: RunnerId,
    /// Status (`available`).
    #[serde(default)]
    pub status: Option<RunnerStatus>,
    /// Display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Image.
    #[serde(default)]
    pub image_name: Option<String>,
    /// Image tag.
    #[serde(default)]
    pub image_tag: Option<String>,
    /// Shell command (run through `sh -c`; exclusive with `argv`).
    #[serde(default)]
    pub run_command: Option<String>,
    /// Exec-form command (no shell); empty when `run_command` is used or the field is absent.
    #[serde(default, deserialize_with = "null_default")]
    pub argv: Vec<String>,
    /// Entrypoint override.
    #[serde(default)]
    pub entrypoint: Option<String>,
    /// Time limit of a run, seconds (default 3600).
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
    /// When the image was last pre-pulled (ISO 8601).
    #[serde(default)]
    pub warmed_at: Option<String>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (ISO 8601).
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Where it runs (this embed carries a `status`).
    #[serde(default)]
    pub region: Option<Region>,
    /// Its instance type (numeric form).
    #[serde(default)]
    pub instance_type: Option<InstanceType>,
    /// The registry of a private image; `null` in the reference's examples, shape not shown,
    /// kept as JSON.
    #[serde(default)]
    pub container_registry: Option<serde_json::Value>,
}

/// A run of a runner: `{id, status, exit_code, command, argv, entrypoint, started_at,
/// completed_at, created_at, updated_at}`.
///
/// ```
/// use nodal_nodion::{Run, RunStatus};
/// let run: Run = serde_json::from_str(r#"{"id": "run-1", "status": "failed", "exit_code": 1,
///     "command": null, "argv": ["python", "migrate.py"], "entrypoint": null}"#)?;
/// assert_eq!(run.status, Some(RunStatus::Failed));
/// assert_eq!(run.argv, ["python", "migrate.py"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Run {
    /// The run's id.
    #[serde(deserialize_with = "id")]
    pub id: RunId,
    /// Status (`succeeded`, `failed`, ...).
    #[serde(default)]
    pub status: Option<RunStatus>,
    /// Exit code, once finished.
    #[serde(default)]
    pub exit_code: Option<i64>,
    /// Shell command run.
    #[serde(default)]
    pub command: Option<String>,
    /// Exec-form command run.
    #[serde(default, deserialize_with = "null_default")]
    pub argv: Vec<String>,
    /// Entrypoint used.
    #[serde(default)]
    pub entrypoint: Option<String>,
    /// Start time (ISO 8601).
    #[serde(default)]
    pub started_at: Option<String>,
    /// End time (ISO 8601).
    #[serde(default)]
    pub completed_at: Option<String>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change (ISO 8601).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// The body of `POST /runners/:id/runs`: environment variables that override the runner's
/// defaults for this run only. Values are secrets: redacted in `Debug`, exposed only while the
/// request body is written.
///
/// ```
/// use nodal_nodion::NewRun;
/// let run = NewRun::new().env("TARGET", "staging".into()).env("TOKEN", "s3cr3t".into());
/// assert_eq!(run.env_variables.len(), 2);
/// assert!(!format!("{run:?}").contains("s3cr3t"));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct NewRun {
    /// `(env_key, env_val)` pairs; none sends no body at all.
    pub env_variables: Vec<(String, SecretString)>,
}

impl NewRun {
    /// A run with the runner's own environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides one variable for this run. Keys must match `[a-zA-Z_][a-zA-Z0-9_]*`.
    pub fn env(mut self, key: impl Into<String>, value: SecretString) -> Self {
        self.env_variables.push((key.into(), value));
        self
    }

    fn validate(&self) -> Result<()> {
        for (key, _) in &self.env_variables {
            require_text("env_key", key)?;
            let mut chars = key.chars();
            let first_ok = chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
            if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(Error::invalid_input(
                    PROVIDER,
                    "env_key",
                    format!("`{key}` is not a valid variable name ([a-zA-Z_][a-zA-Z0-9_]*)"),
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Debug for NewRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<(&str, &str)> = self
            .env_variables
            .iter()
            .map(|(key, _)| (key.as_str(), "[redacted]"))
            .collect();
        f.debug_struct("NewRun")
            .field("env_variables", &keys)
            .finish()
    }
}

/// The wire body of a trigger; the only place a value is exposed.
struct RunBody<'a>(&'a NewRun);

struct RunEnvList<'a>(&'a [(String, SecretString)]);

struct RunEnv<'a>(&'a str, &'a SecretString);

impl Serialize for RunBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("RunBody", 1)?;
        s.serialize_field("env_variables", &RunEnvList(&self.0.env_variables))?;
        s.end()
    }
}

impl Serialize for RunEnvList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for (key, value) in self.0 {
            seq.serialize_element(&RunEnv(key, value))?;
        }
        seq.end()
    }
}

impl Serialize for RunEnv<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("RunEnv", 2)?;
        s.serialize_field("env_key", self.0)?;
        s.serialize_field("env_val", self.1.expose_secret())?;
        s.end()
    }
}

/// Runners and their runs. Returned by [`NodionClient::runners`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// use nodal_nodion::NewRun;
/// let runner = client.runners().list().await?.remove(0);
/// let run = client
///     .runners()
///     .trigger(&runner.id, &NewRun::new().env("TARGET", "staging".into()))
///     .await?;
/// let run = client.runners().run(&runner.id, &run.id).await?;
/// println!("{:?} exit {:?}", run.status, run.exit_code);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RunnersApi<'c> {
    client: &'c NodionClient,
}

impl<'c> RunnersApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        RunnersApi { client }
    }

    /// Runners: `GET /runners`.
    pub async fn list(&self) -> Result<Vec<Runner>> {
        let request = self.client.request(ep::LIST_RUNNERS)?;
        self.client.fetch::<RunnersKey, _>(request).await
    }

    /// One runner: `GET /runners/:id`.
    pub async fn get(&self, runner: &RunnerId) -> Result<Runner> {
        let request = self.client.request(ep::GET_RUNNER)?.param(runner.as_str());
        self.client.fetch::<RunnerKey, _>(request).await
    }

    /// Runs of a runner: `GET /runners/:id/runs`.
    pub async fn runs(&self, runner: &RunnerId) -> Result<Vec<Run>> {
        let request = self.client.request(ep::LIST_RUNS)?.param(runner.as_str());
        self.client.fetch::<RunsKey, _>(request).await
    }

    /// One run: `GET /runners/:id/runs/:run_id`; poll it after a trigger.
    pub async fn run(&self, runner: &RunnerId, run: &RunId) -> Result<Run> {
        let request = self
            .client
            .request(ep::GET_RUN)?
            .param(runner.as_str())
            .param(run.as_str());
        self.client.fetch::<RunKey, _>(request).await
    }

    /// Queues a run: `POST /runners/:id/runs`, with `{"env_variables": [{env_key, env_val}]}`
    /// when `run` overrides variables and no body otherwise. Not idempotent. Keys are checked
    /// before sending. The answer's wrapper `{"run": ...}` is **INFERRED**; if it is wrong the
    /// call fails with a decode error that says so (the run has then most likely been queued).
    pub async fn trigger(&self, runner: &RunnerId, run: &NewRun) -> Result<Run> {
        run.validate()?;
        let mut request = self.client.request(ep::CREATE_RUN)?.param(runner.as_str());
        if !run.env_variables.is_empty() {
            request = request
                .json(&RunBody(run))
                // The override values are scrubbed from every error and retry event.
                .secrets(run.env_variables.iter().map(|(_, value)| value));
        }
        self.client.fetch_inferred::<RunKey, _>(request).await
    }
}
