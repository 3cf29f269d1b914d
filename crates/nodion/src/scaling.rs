//! Scaling events of an application: list (scope `read`) and create (scope `write`,
//! **INFERRED**: the scope table does not name scaling). A scaling event changes the app's
//! instance amount (1..=16) and instance type at once; it cannot stop an app (stop a process
//! with [`crate::ProcessesApi::scale`] and 0 instead).

use crate::client::{NodionClient, require_text};
use crate::endpoints as ep;
use crate::ids::ScalingEventId;
use crate::protocol::PROVIDER;
use crate::wire::{ScalingEventKey, ScalingEventsKey, id, opt_id};
use nodal_core::{AppId, Error, Result};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// The instance amounts a scaling event accepts (reference: application-scaling).
pub const SCALING_INSTANCE_RANGE: RangeInclusive<u32> = 1..=16;

nodal_core::wire_enum!(
    /// A scaling event's status; the reference shows `finished`.
    pub enum ScalingEventStatus {
        /// Done.
        Finished = "finished",
    }
);

nodal_core::wire_enum!(
    /// What started a scaling event; the reference shows `manual`.
    pub enum ScalingTrigger {
        /// Requested through the dashboard or the API.
        Manual = "manual",
    }
);

/// A scaling event: `{id, status, trigger_type, instance_amount_old, instance_amount_new,
/// instance_type_id_old, instance_type_id_new, created_at, finished_at, worker}`.
///
/// ```
/// use nodal_nodion::{ScalingEvent, ScalingEventStatus};
/// let e: ScalingEvent = serde_json::from_str(r#"{
///     "id": "s-1", "status": "finished", "trigger_type": "manual",
///     "instance_amount_old": 2, "instance_amount_new": 1, "worker": null
/// }"#)?;
/// assert_eq!(e.status, Some(ScalingEventStatus::Finished));
/// assert_eq!((e.instance_amount_old, e.instance_amount_new), (Some(2), Some(1)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScalingEvent {
    /// The event's id.
    #[serde(deserialize_with = "id")]
    pub id: ScalingEventId,
    /// Status (`finished`).
    #[serde(default)]
    pub status: Option<ScalingEventStatus>,
    /// What started it (`manual`).
    #[serde(default)]
    pub trigger_type: Option<ScalingTrigger>,
    /// Instance amount before.
    #[serde(default)]
    pub instance_amount_old: Option<u32>,
    /// Instance amount after.
    #[serde(default)]
    pub instance_amount_new: Option<u32>,
    /// Instance type id before.
    #[serde(default, deserialize_with = "opt_id")]
    pub instance_type_id_old: Option<String>,
    /// Instance type id after.
    #[serde(default, deserialize_with = "opt_id")]
    pub instance_type_id_new: Option<String>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: Option<String>,
    /// End time (ISO 8601).
    #[serde(default)]
    pub finished_at: Option<String>,
    /// The worker scaled, if only one was; `null` in the reference's example, shape unknown,
    /// kept as JSON.
    #[serde(default)]
    pub worker: Option<serde_json::Value>,
}

/// The body of `POST /applications/:id/scaling_events`: `instance_amount` (1..=16) and
/// `instance_type_id` are required (send the current type to keep it); `worker_id` scales one
/// worker only.
///
/// ```
/// use nodal_nodion::NewScalingEvent;
/// let event = NewScalingEvent::new(3, "c047eab3").worker_id("w-1");
/// assert_eq!(
///     serde_json::to_string(&event)?,
///     r#"{"instance_amount":3,"instance_type_id":"c047eab3","worker_id":"w-1"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewScalingEvent {
    /// Instances wanted, 1..=16.
    pub instance_amount: u32,
    /// Instance type wanted (required).
    pub instance_type_id: String,
    /// Scale only this worker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_id: Option<String>,
}

impl NewScalingEvent {
    /// Scales the app to `instance_amount` instances of `instance_type_id`.
    pub fn new(instance_amount: u32, instance_type_id: impl Into<String>) -> Self {
        NewScalingEvent {
            instance_amount,
            instance_type_id: instance_type_id.into(),
            worker_id: None,
        }
    }

    /// Scales only this worker.
    pub fn worker_id(mut self, worker_id: impl Into<String>) -> Self {
        self.worker_id = Some(worker_id.into());
        self
    }

    fn validate(&self) -> Result<()> {
        if !SCALING_INSTANCE_RANGE.contains(&self.instance_amount) {
            return Err(Error::invalid_input(
                PROVIDER,
                "instance_amount",
                format!(
                    "instance_amount is {}, but a scaling event accepts {}..={}; to stop an app, scale its processes to 0",
                    self.instance_amount,
                    SCALING_INSTANCE_RANGE.start(),
                    SCALING_INSTANCE_RANGE.end()
                ),
            ));
        }
        require_text("instance_type_id", &self.instance_type_id)?;
        if let Some(worker) = &self.worker_id {
            require_text("worker_id", worker)?;
        }
        Ok(())
    }
}

/// Scaling events of an application. Returned by [`NodionClient::scaling_events`].
///
/// ```no_run
/// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
/// use nodal_nodion::NewScalingEvent;
/// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
/// let current = client.applications().get(&app).await?;
/// let event = NewScalingEvent::new(3, current.instance_type_id.unwrap_or_default());
/// client.scaling_events().create(&app, &event).await?;
/// for e in client.scaling_events().list(&app).await? {
///     println!("{:?} -> {:?}", e.instance_amount_old, e.instance_amount_new);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ScalingEventsApi<'c> {
    client: &'c NodionClient,
}

impl<'c> ScalingEventsApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        ScalingEventsApi { client }
    }

    /// Scaling events of an application: `GET /applications/:id/scaling_events`.
    pub async fn list(&self, app: &AppId) -> Result<Vec<ScalingEvent>> {
        let request = self
            .client
            .request(ep::LIST_SCALING_EVENTS)?
            .param(app.as_str());
        self.client.fetch::<ScalingEventsKey, _>(request).await
    }

    /// Scales the application: `POST /applications/:id/scaling_events`. An amount outside
    /// 1..=16 or a blank instance type is refused before sending. Not idempotent. The answer's
    /// wrapper `{"scaling_event": ...}` is **INFERRED**; if it is wrong the call fails with a
    /// decode error that says so (the scaling has then most likely started).
    pub async fn create(&self, app: &AppId, event: &NewScalingEvent) -> Result<ScalingEvent> {
        event.validate()?;
        let request = self
            .client
            .request(ep::CREATE_SCALING_EVENT)?
            .param(app.as_str())
            .json(event);
        self.client
            .fetch_inferred::<ScalingEventKey, _>(request)
            .await
    }
}
