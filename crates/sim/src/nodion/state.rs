//! Nodion's data: the sim user's projects and keys, and per-project applications, DNS zones and
//! SSH keys. Lifecycles are computed from timestamps when read, so no background task runs.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::catalog::{InstanceType, Region};
use super::keys::{KeyRecord, NodionKeySpec};
use crate::time::format_rfc3339;
use crate::util::{Rng, Table, stable_hash, uuid_from};

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) rng: Rng,
    /// The sim user's default project (the fallback when `X-Nodion-Project` is absent).
    pub(crate) default_project: String,
    pub(crate) projects: Table<Project>,
    /// By token.
    pub(crate) keys: HashMap<String, KeyRecord>,
    issued_keys: u64,
    pub(crate) apps: Table<App>,
    pub(crate) zones: Table<Zone>,
    pub(crate) ssh_keys: Table<SshKey>,
    /// Seeded read-only surfaces (integrations, email zones, registries) and runners.
    pub(crate) extras: super::extras::Extras,
}

#[derive(Debug)]
pub(crate) struct Project {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) created_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    Dockerfile,
    PrebuiltImage,
}

impl Strategy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Dockerfile => "dockerfile",
            Self::PrebuiltImage => "prebuilt_image",
        }
    }
}

#[derive(Debug)]
pub(crate) struct App {
    pub(crate) id: String,
    pub(crate) project_id: String,
    pub(crate) name: String,
    pub(crate) region: &'static Region,
    pub(crate) instance_type: &'static InstanceType,
    pub(crate) instance_amount: u32,
    pub(crate) strategy: Strategy,
    pub(crate) image_name: Option<String>,
    pub(crate) image_tag: Option<String>,
    pub(crate) container_registry_id: Option<Value>,
    /// Git source of a `dockerfile` app: `integration_id`, `repository_id`, `branch_id`.
    pub(crate) git: Option<[Value; 3]>,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
    pub(crate) deployments: Vec<Deployment>,
    pub(crate) env: Vec<EnvVar>,
    pub(crate) processes: Vec<Process>,
    pub(crate) domains: Vec<Domain>,
    pub(crate) scaling_events: Vec<ScalingEvent>,
}

/// One `POST .../scaling_events`, finished at once (reference: application-scaling shows only
/// `finished` events; "scaling starts at once").
#[derive(Debug)]
pub(crate) struct ScalingEvent {
    pub(crate) id: String,
    pub(crate) amount_old: u32,
    pub(crate) amount_new: u32,
    pub(crate) type_old: &'static str,
    pub(crate) type_new: &'static str,
    /// The process scaled alone (`worker_id`), with its name; `None` = every process.
    pub(crate) worker: Option<(String, String)>,
    pub(crate) created_ms: u64,
}

#[derive(Debug)]
pub(crate) struct Deployment {
    pub(crate) id: String,
    pub(crate) number: u32,
    pub(crate) created_ms: u64,
    pub(crate) git_sha: Option<String>,
    pub(crate) image_reference: Option<String>,
}

/// `created → waiting → available` over the deploy delay (half of it in each of the first two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeployPhase {
    Created,
    Waiting,
    Available,
}

#[derive(Debug)]
pub(crate) struct EnvVar {
    pub(crate) id: String,
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) buildtime: bool,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
}

#[derive(Debug)]
pub(crate) struct Process {
    pub(crate) id: String,
    /// `Web` (reference: application-processes); the slug is its lowercase form.
    pub(crate) name: String,
    pub(crate) instance_amount: u32,
    pub(crate) port_id: String,
    pub(crate) scaled_ms: u64,
}

#[derive(Debug)]
pub(crate) struct Domain {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) domain_type: &'static str,
    pub(crate) verification_code: String,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
}

#[derive(Debug)]
pub(crate) struct Zone {
    pub(crate) id: String,
    pub(crate) project_id: String,
    pub(crate) name: String,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
    pub(crate) records: Vec<Record>,
}

#[derive(Debug)]
pub(crate) struct Record {
    pub(crate) id: String,
    pub(crate) record_type: String,
    pub(crate) name: String,
    pub(crate) content: String,
    pub(crate) ttl: i64,
    pub(crate) prio: Option<i64>,
    pub(crate) port: Option<i64>,
    pub(crate) weight: Option<i64>,
    pub(crate) created_ms: u64,
}

#[derive(Debug)]
pub(crate) struct SshKey {
    pub(crate) id: String,
    pub(crate) project_id: String,
    pub(crate) name: String,
    pub(crate) public_key: String,
    pub(crate) fingerprint: String,
    pub(crate) created_ms: u64,
}

impl State {
    pub(crate) fn new(now_ms: u64) -> Self {
        let mut state = Self {
            rng: Rng::from_entropy(),
            default_project: String::new(),
            projects: Table::default(),
            keys: HashMap::new(),
            issued_keys: 0,
            apps: Table::default(),
            zones: Table::default(),
            ssh_keys: Table::default(),
            extras: super::extras::Extras::default(),
        };
        state.default_project = state.create_project("Default project", now_ms);
        let (rng, project) = (&mut state.rng, state.default_project.clone());
        state.extras = super::extras::Extras::seed(rng, &project, now_ms);
        state
    }

    pub(crate) fn create_project(&mut self, name: &str, now_ms: u64) -> String {
        let id = self.rng.uuid();
        self.projects.insert(
            id.clone(),
            Project {
                id: id.clone(),
                name: name.to_owned(),
                created_ms: now_ms,
            },
        );
        id
    }

    fn next_key_id(&mut self) -> String {
        self.issued_keys += 1;
        format!("nodion-key-{}", self.issued_keys)
    }

    pub(crate) fn issue_user_key(
        &mut self,
        spec: NodionKeySpec,
        now_ms: u64,
        fixed: Option<&str>,
    ) -> String {
        let token = match fixed {
            Some(token) => token.to_owned(),
            None => format!("nodion_sim_{}", self.rng.hex(40)),
        };
        let id = self.next_key_id();
        self.keys
            .insert(token.clone(), KeyRecord::user(id, spec, now_ms));
        token
    }

    pub(crate) fn issue_project_key(&mut self, project_id: &str) -> String {
        let token = format!("nodion_sim_prj_{}", self.rng.hex(40));
        let id = self.next_key_id();
        self.keys
            .insert(token.clone(), KeyRecord::project(id, project_id.to_owned()));
        token
    }

    pub(crate) fn app_in(&self, project_id: &str, id: &str) -> Option<&App> {
        self.apps.get(id).filter(|a| a.project_id == project_id)
    }

    pub(crate) fn app_in_mut(&mut self, project_id: &str, id: &str) -> Option<&mut App> {
        self.apps.get_mut(id).filter(|a| a.project_id == project_id)
    }
}

impl Project {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "created_at": format_rfc3339(self.created_ms),
            "updated_at": format_rfc3339(self.created_ms),
        })
    }
}

impl Deployment {
    pub(crate) fn phase(&self, now_ms: u64, delay_ms: u64) -> DeployPhase {
        let age = now_ms.saturating_sub(self.created_ms);
        if age >= delay_ms {
            DeployPhase::Available
        } else if age >= delay_ms / 2 {
            DeployPhase::Waiting
        } else {
            DeployPhase::Created
        }
    }

    /// When the deployment entered its current phase.
    fn phase_since(&self, phase: DeployPhase, delay_ms: u64) -> u64 {
        match phase {
            DeployPhase::Created => self.created_ms,
            DeployPhase::Waiting => self.created_ms.saturating_add(delay_ms / 2),
            DeployPhase::Available => self.created_ms.saturating_add(delay_ms),
        }
    }
}

/// The app `status` while nothing serves it: before its first deployment is available, and
/// when every process is scaled to 0. The reference shows only `online` (INFERRED words,
/// docs/wire-contract.md).
pub(crate) const APP_STATUS_NOT_DEPLOYED: &str = "created";
pub(crate) const APP_STATUS_ALL_STOPPED: &str = "offline";

impl App {
    pub(crate) fn has_available_deployment(&self, now_ms: u64, delay_ms: u64) -> bool {
        self.deployments
            .iter()
            .any(|d| d.phase(now_ms, delay_ms) == DeployPhase::Available)
    }

    /// `online` once a deployment is available and some process runs (reference:
    /// applications); otherwise one of the two INFERRED words above (every process at 0 wins,
    /// deployed or not).
    pub(crate) fn status(&self, now_ms: u64, delay_ms: u64) -> &'static str {
        if self.processes.iter().all(|p| p.instance_amount == 0) {
            APP_STATUS_ALL_STOPPED
        } else if !self.has_available_deployment(now_ms, delay_ms) {
            APP_STATUS_NOT_DEPLOYED
        } else {
            "online"
        }
    }

    pub(crate) fn to_json(&self, now_ms: u64, delay_ms: u64) -> Value {
        let [integration_id, repository_id, branch_id] =
            self.git
                .clone()
                .unwrap_or([Value::Null, Value::Null, Value::Null]);
        json!({
            "id": self.id,
            "status": self.status(now_ms, delay_ms),
            "state": "default",
            "name": self.name,
            "instance_amount": self.instance_amount,
            "instance_type_id": self.instance_type.id,
            "deployment_strategy": self.strategy.as_str(),
            "container_registry_id": self.container_registry_id,
            "image_name": self.image_name,
            "image_tag": self.image_tag,
            "region": self.region.to_json(),
            // The twin's apps have one process, `Web`; the reference's `workers` are the others.
            "workers": [],
            "integration_id": integration_id,
            "repository_id": repository_id,
            "branch_id": branch_id,
            "project_id": self.project_id,
            "created_at": format_rfc3339(self.created_ms),
            "updated_at": format_rfc3339(self.updated_ms),
        })
    }

    /// Every deployment, newest first (reference: application-deployments lists #2 before #1);
    /// an available one superseded by a newer available one is `expired` (the gateway's
    /// lifecycle word).
    pub(crate) fn deployments_json(&self, now_ms: u64, delay_ms: u64) -> Vec<Value> {
        let newest_available = self
            .deployments
            .iter()
            .rposition(|d| d.phase(now_ms, delay_ms) == DeployPhase::Available);
        self.deployments
            .iter()
            .enumerate()
            .rev()
            .map(|(at, d)| {
                let phase = d.phase(now_ms, delay_ms);
                let status = match phase {
                    DeployPhase::Created => "created",
                    DeployPhase::Waiting => "waiting",
                    DeployPhase::Available if Some(at) == newest_available => "available",
                    DeployPhase::Available => "expired",
                };
                self.deployment_json(d, status, d.phase_since(phase, delay_ms))
            })
            .collect()
    }

    /// The reference's deployment fields; a prebuilt image reads like its example
    /// (`"Image: nginx:1.25"`, committer `Container Registry`).
    fn deployment_json(&self, d: &Deployment, status: &str, updated_ms: u64) -> Value {
        let (message, name, email, username) = match (&d.git_sha, &d.image_reference) {
            (Some(_), _) => (
                format!("Deploy #{} from nodal-sim", d.number),
                "Nodal Sim",
                "sim@nodal.invalid",
                "nodal-sim",
            ),
            (None, image) => (
                format!(
                    "Image: {}",
                    image
                        .as_deref()
                        .unwrap_or_default()
                        .trim_start_matches("docker.io/")
                ),
                "Container Registry",
                "deploy@nodion.com",
                "Container Registry",
            ),
        };
        json!({
            "id": d.id,
            "status": status,
            "deploy_number": d.number,
            "git_sha": d.git_sha,
            "commit_message": message,
            "committer_name": name,
            "committer_email": email,
            "committer_username": username,
            "commit_timestamp": format_rfc3339(d.created_ms),
            "strategy": self.strategy.as_str(),
            "image_reference": d.image_reference,
            "created_at": format_rfc3339(d.created_ms),
            "updated_at": format_rfc3339(updated_ms),
        })
    }

    /// Ids of a process's instances, derived from the process id so they stay stable.
    pub(crate) fn instance_ids(process_id: &str, amount: u32) -> Vec<String> {
        (0..amount)
            .map(|n| {
                let n = n.to_string();
                uuid_from(
                    stable_hash(&[process_id, &n]),
                    stable_hash(&[process_id, "instance", &n]),
                )
            })
            .collect()
    }

    /// A process as the reference shows it: `available`/`default` whatever its count (the
    /// reference has no other word; a process at 0 keeps them, INFERRED).
    pub(crate) fn process_json(&self, p: &Process) -> Value {
        json!({
            "id": p.id,
            "status": "available",
            "state": "default",
            "name": p.name,
            "slug": p.name.to_lowercase(),
            "image_name": self.image_name,
            "instance_amount": p.instance_amount,
            "entrypoint": null,
            "instance_type_id": self.instance_type.id,
            "instance_type": self.instance_type.to_json(),
            "ports": [{ "id": p.port_id, "port": 3000, "protocol": "http" }],
        })
    }

    /// The instances of every process, once a deployment is available (none before: creating an
    /// app does not deploy it). Each carries the live deployment as the reference embeds it
    /// (without `strategy`, `image_reference`, `updated_at`).
    pub(crate) fn instances_json(&self, now_ms: u64, delay_ms: u64) -> Vec<Value> {
        let live = self
            .deployments
            .iter()
            .rev()
            .find(|d| d.phase(now_ms, delay_ms) == DeployPhase::Available);
        let Some(live) = live else {
            return Vec::new();
        };
        let mut deployment = self.deployment_json(live, "available", now_ms);
        if let Value::Object(fields) = &mut deployment {
            for gone in ["strategy", "image_reference", "updated_at"] {
                fields.remove(gone);
            }
        }
        let started_ms = live.created_ms.saturating_add(delay_ms);
        self.processes
            .iter()
            .flat_map(|p| {
                let deployment = deployment.clone();
                Self::instance_ids(&p.id, p.instance_amount)
                    .into_iter()
                    .map(move |id| {
                        let h = stable_hash(&[&id]);
                        json!({
                            "id": id,
                            "status": "online",
                            "name": format!("{:010x}", h & 0xff_ffff_ffff),
                            "hypervisor_name": (10_000 + h % 90_000).to_string(),
                            "created_at": format_rfc3339(started_ms.max(p.scaled_ms)),
                            "deployment": deployment,
                            "instance_type": self.instance_type.to_json(),
                            "worker": null,
                        })
                    })
            })
            .collect()
    }
}

impl ScalingEvent {
    /// Reference: application-scaling. `worker` is null when every process was scaled; for a
    /// `worker_id` it is `{id, name}` (INFERRED: the example shows only null).
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "status": "finished",
            "trigger_type": "manual",
            "instance_amount_old": self.amount_old,
            "instance_amount_new": self.amount_new,
            "instance_type_id_old": self.type_old,
            "instance_type_id_new": self.type_new,
            "created_at": format_rfc3339(self.created_ms),
            "finished_at": format_rfc3339(self.created_ms),
            "worker": self.worker.as_ref().map(|(id, name)| json!({ "id": id, "name": name })),
        })
    }
}

impl EnvVar {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "env_key": self.key,
            "env_val": self.value,
            "buildtime": self.buildtime,
            "created_at": format_rfc3339(self.created_ms),
            "updated_at": format_rfc3339(self.updated_ms),
        })
    }
}

impl Domain {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            // `available` even right after create (reference: application-domains).
            "status": "available",
            "domain_type": self.domain_type,
            "domain_name": self.name,
            "verification_code": self.verification_code,
            "created_at": format_rfc3339(self.created_ms),
            "updated_at": format_rfc3339(self.updated_ms),
        })
    }
}

impl Zone {
    /// Zones carry their records, each with `zone_id` (public client nrdcg/nodion fixtures).
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "created_at": format_rfc3339(self.created_ms),
            "updated_at": format_rfc3339(self.updated_ms),
            "records": self.records.iter().map(|r| r.to_json(Some(&self.id))).collect::<Vec<_>>(),
        })
    }
}

impl Record {
    /// `zone_id` only inside zone answers (`Some`); the records list and the create answer have
    /// none (public client nrdcg/nodion fixtures).
    pub(crate) fn to_json(&self, zone_id: Option<&str>) -> Value {
        let mut json = json!({
            "id": self.id,
            "record_type": self.record_type,
            "name": self.name,
            "content": self.content,
            "ttl": self.ttl,
            "prio": self.prio,
            "port": self.port,
            "weight": self.weight,
            "created_at": format_rfc3339(self.created_ms),
            "updated_at": format_rfc3339(self.created_ms),
        });
        if let (Some(zone_id), Value::Object(fields)) = (zone_id, &mut json) {
            fields.insert("zone_id".to_owned(), Value::String(zone_id.to_owned()));
        }
        json
    }
}

impl SshKey {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
            "created_at": format_rfc3339(self.created_ms),
        })
    }
}
