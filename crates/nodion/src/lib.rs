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
pub mod endpoints;
mod env;
mod ids;
mod instances;
mod logs;
mod neutral;
mod processes;
mod projects;
mod protocol;
mod provider;
pub mod raw;
mod regions;
mod resolve;
mod scopes;
mod ssh_keys;

// The decoders live under `raw` (implementer API); the crate uses them everywhere.
use raw::wire;

pub use applications::{
    Application, ApplicationStatus, ApplicationsApi, CreateApplication, DeploymentStrategy,
    UpdateApplication,
};
pub use client::{
    DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL, ENV_KEY_KIND, ENV_PROJECT, KeyKind, NodionClient,
    NodionClientBuilder,
};
pub use deployments::{Deployment, DeploymentStatus, DeploymentsApi};
pub use dns::{DNS_TTL_RANGE, DnsApi, DnsRecord, DnsZone, NewDnsRecord, RecordType};
pub use domains::{Domain, DomainStatus, DomainType, DomainsApi, NewDomain};
pub use env::{EnvApi, EnvVariable, EnvVariableUpdate, NewEnvVariable};
pub use ids::{DnsRecordId, DnsZoneId, DomainId, EnvVariableId, InstanceId, ProcessId, SshKeyId};
pub use instances::{Instance, InstancesApi, Metrics, RegionRef};
pub use logs::{DEFAULT_LOG_PAGE_SIZE, LOGS_MAX_LIMIT, LogLine, LogQuery, LogsApi};
pub use processes::{Port, Process, ProcessesApi};
pub use projects::{Project, ProjectsApi};
pub use regions::{CatalogApi, InstanceType, Region};
pub use scopes::{Scope, ScopeSet};
pub use ssh_keys::{SshKey, SshKeysApi};
