//! Nodana's data: accounts (one per key), projects, apps and their services.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use serde_json::{Value, json};

use super::templates::Template;
use crate::time::format_rfc3339;
use crate::util::{Rng, Table};

/// Every template starts here ...
pub(crate) const INITIAL_VERSION: Version = Version(0, 1, 0);
/// ... and "update app to latest version" moves every service to at least this.
pub(crate) const LATEST_VERSION: Version = Version(0, 2, 0);
/// Where every service runs (the reference's example region).
const REGION: &str = "ewr";

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) rng: Rng,
    /// By API key: each key is its own account, as on Nodana.
    pub(crate) accounts: HashMap<String, Account>,
    issued_keys: u64,
    pub(crate) projects: Table<Project>,
    pub(crate) apps: Table<App>,
}

#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) key_id: String,
    pub(crate) user_id: String,
    /// Arrival time of the key's previous accepted request (rate limit).
    pub(crate) last_accepted: Option<Duration>,
}

#[derive(Debug)]
pub(crate) struct Project {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) name: String,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
}

#[derive(Debug)]
pub(crate) struct App {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) project_id: String,
    pub(crate) template: &'static Template,
    pub(crate) url: String,
    pub(crate) lifecycle: Lifecycle,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
    pub(crate) services: Vec<Service>,
}

/// What the app was last told to do; `Pending` turns into `available` by itself once the start
/// delay has passed (computed when read, so no background task is needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lifecycle {
    Pending { since_ms: u64 },
    Cordoned,
}

/// The status a client sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Pending,
    Available,
    Cordoned,
}

#[derive(Debug)]
pub(crate) struct Service {
    pub(crate) id: String,
    pub(crate) service: &'static str,
    pub(crate) slug: String,
    pub(crate) version: Version,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version(pub(crate) u32, pub(crate) u32, pub(crate) u32);

impl Version {
    pub(crate) fn next_patch(self) -> Self {
        Self(self.0, self.1, self.2.saturating_add(1))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

impl State {
    pub(crate) fn new() -> Self {
        Self {
            rng: Rng::from_entropy(),
            accounts: HashMap::new(),
            issued_keys: 0,
            projects: Table::default(),
            apps: Table::default(),
        }
    }

    /// A new account with its key (`fixed` or a random one); returns the key.
    pub(crate) fn issue_key(&mut self, fixed: Option<&str>) -> String {
        let key = match fixed {
            Some(key) => key.to_owned(),
            None => format!("nodana_sim_{}", self.rng.hex(32)),
        };
        self.issued_keys += 1;
        let account = Account {
            key_id: format!("nodana-key-{}", self.issued_keys),
            user_id: format!("usr-{}", self.rng.hex(12)),
            last_accepted: None,
        };
        self.accounts.insert(key.clone(), account);
        key
    }

    pub(crate) fn project_of(&self, user_id: &str, id: &str) -> Option<&Project> {
        self.projects.get(id).filter(|p| p.user_id == user_id)
    }

    pub(crate) fn app_of(&self, user_id: &str, id: &str) -> Option<&App> {
        self.apps.get(id).filter(|a| a.user_id == user_id)
    }

    pub(crate) fn app_of_mut(&mut self, user_id: &str, id: &str) -> Option<&mut App> {
        self.apps.get_mut(id).filter(|a| a.user_id == user_id)
    }

    pub(crate) fn project_count(&self, user_id: &str) -> usize {
        self.projects
            .values()
            .filter(|p| p.user_id == user_id)
            .count()
    }
}

impl Project {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "userId": self.user_id,
            "name": self.name,
            "deleted": false,
            "createdAt": format_rfc3339(self.created_ms),
            "updatedAt": format_rfc3339(self.updated_ms),
        })
    }
}

impl App {
    /// The phase at `now_ms` and the time of the last change the client can see.
    pub(crate) fn phase(&self, now_ms: u64, start_delay_ms: u64) -> (Phase, u64) {
        match self.lifecycle {
            Lifecycle::Pending { since_ms } => {
                let ready_at = since_ms.saturating_add(start_delay_ms);
                if now_ms >= ready_at {
                    (Phase::Available, ready_at.max(self.updated_ms))
                } else {
                    (Phase::Pending, self.updated_ms)
                }
            }
            Lifecycle::Cordoned => (Phase::Cordoned, self.updated_ms),
        }
    }

    pub(crate) fn set_lifecycle(&mut self, lifecycle: Lifecycle, now_ms: u64) {
        self.lifecycle = lifecycle;
        self.updated_ms = now_ms;
    }

    pub(crate) fn to_json(&self, now_ms: u64, start_delay_ms: u64) -> Value {
        let (phase, updated_ms) = self.phase(now_ms, start_delay_ms);
        json!({
            "id": self.id,
            "userId": self.user_id,
            "projectId": self.project_id,
            "template": self.template.name,
            "rate": self.template.rate,
            "url": self.url,
            "status": match phase {
                Phase::Pending => "pending",
                Phase::Available => "available",
                Phase::Cordoned => "cordoned",
            },
            "createdAt": format_rfc3339(self.created_ms),
            "updatedAt": format_rfc3339(updated_ms),
        })
    }

    pub(crate) fn services_json(&self, now_ms: u64, start_delay_ms: u64) -> Value {
        let (phase, app_updated_ms) = self.phase(now_ms, start_delay_ms);
        let status = match phase {
            Phase::Pending => "pending",
            Phase::Available => "running",
            Phase::Cordoned => "stopped",
        };
        Value::Array(
            self.services
                .iter()
                .map(|s| {
                    json!({
                        "id": s.id,
                        "appId": self.id,
                        "service": s.service,
                        "slug": s.slug,
                        "region": REGION,
                        "status": status,
                        "version": s.version.to_string(),
                        "createdAt": format_rfc3339(s.created_ms),
                        "updatedAt": format_rfc3339(s.updated_ms.max(app_updated_ms)),
                    })
                })
                .collect(),
        )
    }
}
