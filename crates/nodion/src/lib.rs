#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod applications;
mod client;
mod decimal;
mod deployments;
mod dns;
mod domains;
mod email;
pub mod endpoints;
mod env;
mod ids;
mod instances;
mod integrations;
mod logs;
mod neutral;
mod process_counts;
mod processes;
mod projects;
mod protocol;
mod provider;
pub mod raw;
mod regions;
mod registries;
mod resolve;
mod runners;
mod scaling;
mod scopes;
mod ssh_keys;
mod timestamp;

// The decoders live under `raw` (implementer API); the crate uses them everywhere.
use raw::wire;

pub use applications::{
    Application, ApplicationStatus, ApplicationsApi, CreateApplication, DeploymentStrategy,
    UpdateApplication, Worker,
};
pub use client::{
    DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL, ENV_KEY_KIND, ENV_PROJECT, KeyKind, NodionClient,
    NodionClientBuilder,
};
pub use decimal::Decimal;
pub use deployments::{Deployment, DeploymentStatus, DeploymentsApi};
pub use dns::{DNS_TTL_RANGE, DnsApi, DnsRecord, DnsZone, NewDnsRecord, RecordFilter, RecordType};
pub use domains::{Domain, DomainStatus, DomainType, DomainsApi, NewDomain};
pub use email::{EmailMessage, EmailMessageStatus, EmailZone, EmailZoneStatus, EmailZonesApi};
pub use env::{EnvApi, EnvVariable, EnvVariableUpdate, NewEnvVariable};
pub use ids::{
    BranchId, ContainerRegistryId, DnsRecordId, DnsZoneId, DomainId, EmailMessageId, EmailZoneId,
    EnvVariableId, InstanceId, IntegrationId, ProcessId, RepositoryId, RunId, RunnerId,
    ScalingEventId, SshKeyId,
};
pub use instances::{Instance, InstanceStatus, InstancesApi, Metrics};
pub use integrations::{
    Branch, GitService, Integration, IntegrationStatus, IntegrationsApi, Repository,
};
pub use logs::{
    DEFAULT_LOG_PAGE_SIZE, LOGS_MAX_LIMIT, LOGS_RETENTION, LOGS_WINDOW, LogLine, LogQuery, LogsApi,
};
/// Where the key's rate budget lives (memory, file or Redis); see [`nodal_core::RateBudget`].
pub use nodal_core::RateBudget;
pub use process_counts::{
    FileProcessCounts, MemoryProcessCounts, ProcessCountStore, StoppedCounts,
};
pub use processes::{Port, Process, ProcessState, ProcessStatus, ProcessesApi};
pub use projects::{Project, ProjectsApi};
pub use regions::{CatalogApi, InstanceType, Region};
pub use registries::{ContainerRegistriesApi, ContainerRegistry, RegistryStatus, RegistryType};
pub use runners::{NewRun, Run, RunStatus, Runner, RunnerStatus, RunnersApi};
pub use scaling::{
    NewScalingEvent, SCALING_INSTANCE_RANGE, ScalingEvent, ScalingEventStatus, ScalingEventsApi,
    ScalingTrigger,
};
pub use scopes::{Scope, ScopeSet};
pub use ssh_keys::{SshKey, SshKeysApi};
