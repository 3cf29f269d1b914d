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
    pub(crate) verified: bool,
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
        };
        state.default_project = state.create_project("Default project", now_ms);
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

impl App {
    pub(crate) fn has_available_deployment(&self, now_ms: u64, delay_ms: u64) -> bool {
        self.deployments
            .iter()
            .any(|d| d.phase(now_ms, delay_ms) == DeployPhase::Available)
    }

    /// The status of the wire contract: `created` while the first deployment is `created`,
    /// `deploying` while the newest one is `created`/`waiting`, `online` once it is available,
    /// `offline` when every process is scaled to 0.
    pub(crate) fn status(&self, now_ms: u64, delay_ms: u64) -> &'static str {
        if self.processes.iter().all(|p| p.instance_amount == 0) {
            return "offline";
        }
        match self.deployments.last().map(|d| d.phase(now_ms, delay_ms)) {
            None => "created",
            Some(DeployPhase::Created) if self.deployments.len() == 1 => "created",
            Some(DeployPhase::Created | DeployPhase::Waiting) => "deploying",
            Some(DeployPhase::Available) => "online",
        }
    }

    pub(crate) fn to_json(&self, now_ms: u64, delay_ms: u64) -> Value {
        let status = self.status(now_ms, delay_ms);
        let [integration_id, repository_id, branch_id] =
            self.git
                .clone()
                .unwrap_or([Value::Null, Value::Null, Value::Null]);
        json!({
            "id": self.id,
            "name": self.name,
            "status": status,
            "state": match status {
                "online" => "running",
                "offline" => "stopped",
                _ => "pending",
            },
            "instance_amount": self.instance_amount,
            "instance_type_id": self.instance_type.id,
            "region": self.region.to_json(),
            "workers": [],
            "deployment_strategy": self.strategy.as_str(),
            "container_registry_id": self.container_registry_id,
            "image_name": self.image_name,
            "image_tag": self.image_tag,
            "integration_id": integration_id,
            "repository_id": repository_id,
            "branch_id": branch_id,
            "project_id": self.project_id,
            "created_at": format_rfc3339(self.created_ms),
            "updated_at": format_rfc3339(self.updated_ms),
        })
    }

    /// Every deployment; an available one superseded by a newer available one is `expired`.
    pub(crate) fn deployments_json(&self, now_ms: u64, delay_ms: u64) -> Vec<Value> {
        let newest_available = self
            .deployments
            .iter()
            .rposition(|d| d.phase(now_ms, delay_ms) == DeployPhase::Available);
        self.deployments
            .iter()
            .enumerate()
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

    fn deployment_json(&self, d: &Deployment, status: &str, updated_ms: u64) -> Value {
        let git = d.git_sha.is_some();
        json!({
            "id": d.id,
            "status": status,
            "deploy_number": d.number,
            "git_sha": d.git_sha,
            "commit_message": git.then(|| format!("Deploy #{} from nodal-sim", d.number)),
            "committer_name": git.then_some("Nodal Sim"),
            "committer_email": git.then_some("sim@nodal.invalid"),
            "commit_timestamp": git.then(|| format_rfc3339(d.created_ms)),
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

    pub(crate) fn process_json(&self, p: &Process, now_ms: u64, delay_ms: u64) -> Value {
        let (status, state) = if p.instance_amount == 0 {
            ("offline", "stopped")
        } else if self.has_available_deployment(now_ms, delay_ms) {
            ("online", "running")
        } else {
            ("deploying", "starting")
        };
        json!({
            "id": p.id,
            "status": status,
            "state": state,
            "name": p.name,
            "slug": p.name,
            "image_name": self.image_name,
            "instance_amount": p.instance_amount,
            "entrypoint": null,
            "instance_type": self.instance_type.to_json(),
            "ports": [{ "id": p.port_id, "port": 8080, "protocol": "http" }],
        })
    }

    pub(crate) fn instances_json(&self, now_ms: u64, delay_ms: u64) -> Vec<Value> {
        let status = if self.has_available_deployment(now_ms, delay_ms) {
            "running"
        } else {
            "starting"
        };
        self.processes
            .iter()
            .flat_map(|p| {
                Self::instance_ids(&p.id, p.instance_amount)
                    .into_iter()
                    .map(move |id| {
                        json!({
                            "id": id,
                            "status": status,
                            "process_id": p.id,
                            "region": self.region.slug,
                            "created_at": format_rfc3339(p.scaled_ms),
                        })
                    })
            })
            .collect()
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
            "status": if self.verified { "verified" } else { "pending" },
            "domain_type": self.domain_type,
            "domain_name": self.name,
            "verification_code": self.verification_code,
            "created_at": format_rfc3339(self.created_ms),
            "updated_at": format_rfc3339(self.updated_ms),
        })
    }
}

impl Zone {
    pub(crate) fn to_json(&self) -> Value {
        json!({ "id": self.id, "name": self.name, "created_at": format_rfc3339(self.created_ms) })
    }
}

impl Record {
    pub(crate) fn to_json(&self, zone_id: &str) -> Value {
        json!({
            "id": self.id,
            "record_type": self.record_type,
            "name": self.name,
            "content": self.content,
            "ttl": self.ttl,
            "prio": self.prio,
            "port": self.port,
            "weight": self.weight,
            "zone_id": zone_id,
            "created_at": format_rfc3339(self.created_ms),
        })
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
