#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod applications;
mod client;
mod deployments;
mod dns;
mod domains;
mod endpoints;
mod env;
mod instances;
mod logs;
mod processes;
mod projects;
mod protocol;
mod provider;
mod regions;
mod scopes;
mod ssh_keys;
pub mod wire;

pub use applications::{
    Application, ApplicationStatus, CreateApplication, DeploymentStrategy, UpdateApplication,
};
pub use client::{
    DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL, ENV_KEY_KIND, ENV_PROJECT, KeyKind, NodionClient,
    NodionClientBuilder,
};
pub use deployments::{Deployment, DeploymentStatus};
pub use dns::{DNS_TTL_RANGE, DnsRecord, DnsZone, NewDnsRecord, RecordType};
pub use domains::{Domain, DomainStatus, DomainType, NewDomain};
pub use env::{EnvVariable, EnvVariableUpdate, NewEnvVariable};
pub use instances::{Instance, Metrics, RegionRef};
pub use logs::{DEFAULT_LOG_PAGE_SIZE, LogLine, LogQuery};
pub use processes::{Port, Process};
pub use projects::Project;
pub use protocol::NodionProtocol;
pub use provider::Availability;
pub use regions::{InstanceType, Region};
pub use scopes::{Scope, ScopeSet};
pub use ssh_keys::SshKey;

/// The most log lines Nodion returns for one request.
pub const LOGS_MAX_LIMIT: u32 = endpoints::LOGS_MAX_LIMIT;
