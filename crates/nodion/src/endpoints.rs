//! Every path template of the Nodion API, relative to the base URL (`https://api.nodion.com/v1`).
//!
//! Entries marked **INFERRED** have no confirmed source (`shared/api/nodion.md`,
//! `docs/wire-contract.md`). If Nodion turns out to differ, correct the path here, the shape in
//! the module named next to it, and the twin (`nodal-sim`). The scopes each request needs are
//! derived from these templates in [`crate::scopes`].

/// `GET`: `{"regions":[{id, name, slug}]}`.
pub(crate) const REGIONS: &str = "/regions";
/// `GET`: `{"instance_types":[...]}`.
pub(crate) const INSTANCE_TYPES: &str = "/instance_types";
/// `GET`: **INFERRED shape** `{"projects":[{id, name, created_at, updated_at}]}`
/// (see `projects::Project`).
pub(crate) const PROJECTS: &str = "/projects";

/// `GET` (list), `POST` (create).
pub(crate) const APPLICATIONS: &str = "/applications";
/// `GET`, `PATCH`, `DELETE`.
pub(crate) const APPLICATION: &str = "/applications/{application_id}";
/// `GET` (list), `POST` (create; scope `deploy`).
pub(crate) const DEPLOYMENTS: &str = "/applications/{application_id}/deployments";
/// `GET` (list), `POST` (create).
pub(crate) const ENV_VARIABLES: &str = "/applications/{application_id}/env_variables";
/// `GET`, `PATCH`, `DELETE`.
pub(crate) const ENV_VARIABLE: &str =
    "/applications/{application_id}/env_variables/{env_variable_id}";
/// `GET` (list).
pub(crate) const PROCESSES: &str = "/applications/{application_id}/processes";
/// `PATCH` `{"instance_amount"}`: **INFERRED path** (scaling a process; 0 stops it).
pub(crate) const PROCESS: &str = "/applications/{application_id}/processes/{process_id}";
/// `GET` (list), `POST` (add).
pub(crate) const DOMAINS: &str = "/applications/{application_id}/domains";
/// `DELETE`.
pub(crate) const DOMAIN: &str = "/applications/{application_id}/domains/{domain_id}";
/// `POST` (idempotent).
pub(crate) const DOMAIN_VERIFY: &str = "/applications/{application_id}/domains/{domain_id}/verify";
/// `GET ?limit=&before=&after=&instance_id=`: `{"logs":[{ts, msg, instance_id}]}`.
pub(crate) const LOGS: &str = "/applications/{application_id}/logs";
/// `GET`: **INFERRED shape** `{"instances":[{id, status, process_id, region, created_at}]}`
/// (see `instances::Instance`).
pub(crate) const INSTANCES: &str = "/applications/{application_id}/instances";
/// `GET`: **INFERRED shape** `{"metrics": {...}}`, a free-form object (see `instances::Metrics`).
pub(crate) const METRICS: &str = "/applications/{application_id}/metrics";

/// `GET` (list), `POST` (create): **INFERRED shape** `{"dns_zones":[{id, name, created_at}]}`,
/// create body `{"name"}` (see `dns::DnsZone`).
pub(crate) const DNS_ZONES: &str = "/dns_zones";
/// `DELETE`.
pub(crate) const DNS_ZONE: &str = "/dns_zones/{zone_id}";
/// `GET` (list), `POST` (create).
pub(crate) const DNS_RECORDS: &str = "/dns_zones/{zone_id}/records";
/// `DELETE`.
pub(crate) const DNS_RECORD: &str = "/dns_zones/{zone_id}/records/{record_id}";

/// `GET` (list), `POST` (create): **INFERRED** path and shape
/// `{"ssh_keys":[{id, name, fingerprint, created_at}]}`, create body `{"name", "public_key"}`
/// (see `ssh_keys::SshKey`).
pub(crate) const SSH_KEYS: &str = "/ssh_keys";
/// `DELETE`: **INFERRED path**.
pub(crate) const SSH_KEY: &str = "/ssh_keys/{ssh_key_id}";

/// Every template, for tests and docs that must cover them all.
#[cfg(test)]
pub(crate) const ALL: [&str; 22] = [
    REGIONS,
    INSTANCE_TYPES,
    PROJECTS,
    APPLICATIONS,
    APPLICATION,
    DEPLOYMENTS,
    ENV_VARIABLES,
    ENV_VARIABLE,
    PROCESSES,
    PROCESS,
    DOMAINS,
    DOMAIN,
    DOMAIN_VERIFY,
    LOGS,
    INSTANCES,
    METRICS,
    DNS_ZONES,
    DNS_ZONE,
    DNS_RECORDS,
    DNS_RECORD,
    SSH_KEYS,
    SSH_KEY,
];

/// The most log lines one `GET .../logs` returns (the provider's documented maximum).
pub(crate) const LOGS_MAX_LIMIT: u32 = 2500;
