//! Every endpoint of the Nodion API as one row: method, path template relative to the base URL
//! (`https://api.nodion.com/v1`), whether it may be replayed, and the scopes a user key needs
//! for it (`read + env:read`; see [`crate::ScopeSet`]). The scopes follow the per-request table
//! of `docs/wire-contract.md`; every `POST` but domain verification and connection creates
//! something and is not idempotent.
//!
//! Give one endpoint its own client-side quota with its row:
//!
//! ```
//! use nodal_core::{Quota, RateLimit};
//! use nodal_nodion::{NodionClient, endpoints};
//!
//! let limits = RateLimit::new(Quota::per_second(10))
//!     .with_endpoint(endpoints::CREATE_DEPLOYMENT, Quota::per_minute(6));
//! let client = NodionClient::builder().user_key("nk_user_example").rate_limit(limits).build()?;
//! # let _ = client;
//! # Ok::<(), nodal_core::Error>(())
//! ```
//!
//! Rows marked **INFERRED** have no confirmed source (see `docs/wire-contract.md`). If Nodion
//! turns out to differ, correct the row here, the shape in the module named next to it, and the
//! twin (`nodal-sim`).

use nodal_core::Endpoint;

/// `GET /regions`: `{"regions":[{id, name, slug}]}`.
pub const LIST_REGIONS: Endpoint = Endpoint::get("/regions").requires("read");
/// `GET /instance_types`: `{"instance_types":[...]}`.
pub const LIST_INSTANCE_TYPES: Endpoint = Endpoint::get("/instance_types").requires("read");
/// `GET /projects`: **INFERRED shape** `{"projects":[{id, name, created_at, updated_at}]}`
/// (see [`crate::Project`]).
pub const LIST_PROJECTS: Endpoint = Endpoint::get("/projects").requires("read");

/// `GET /applications`.
pub const LIST_APPLICATIONS: Endpoint = Endpoint::get("/applications").requires("read");
/// `POST /applications`.
pub const CREATE_APPLICATION: Endpoint = Endpoint::post("/applications").requires("write");
/// `GET /applications/:id`.
pub const GET_APPLICATION: Endpoint =
    Endpoint::get("/applications/{application_id}").requires("read");
/// `PATCH /applications/:id`.
pub const UPDATE_APPLICATION: Endpoint =
    Endpoint::patch("/applications/{application_id}").requires("write");
/// `DELETE /applications/:id`.
pub const DELETE_APPLICATION: Endpoint =
    Endpoint::delete("/applications/{application_id}").requires("write");

/// `GET /applications/:id/deployments`.
pub const LIST_DEPLOYMENTS: Endpoint =
    Endpoint::get("/applications/{application_id}/deployments").requires("read");
/// `POST /applications/:id/deployments`: the one call that needs scope `deploy`.
pub const CREATE_DEPLOYMENT: Endpoint =
    Endpoint::post("/applications/{application_id}/deployments").requires("deploy");

/// `GET /applications/:id/env_variables`, values included.
pub const LIST_ENV_VARIABLES: Endpoint =
    Endpoint::get("/applications/{application_id}/env_variables").requires("read + env:read");
/// `POST /applications/:id/env_variables`.
pub const CREATE_ENV_VARIABLE: Endpoint =
    Endpoint::post("/applications/{application_id}/env_variables").requires("env:write");
/// `GET /applications/:id/env_variables/:env_variable_id`.
pub const GET_ENV_VARIABLE: Endpoint =
    Endpoint::get("/applications/{application_id}/env_variables/{env_variable_id}")
        .requires("read + env:read");
/// `PATCH /applications/:id/env_variables/:env_variable_id`.
pub const UPDATE_ENV_VARIABLE: Endpoint =
    Endpoint::patch("/applications/{application_id}/env_variables/{env_variable_id}")
        .requires("env:write");
/// `DELETE /applications/:id/env_variables/:env_variable_id`.
pub const DELETE_ENV_VARIABLE: Endpoint =
    Endpoint::delete("/applications/{application_id}/env_variables/{env_variable_id}")
        .requires("env:write");

/// `GET /applications/:id/processes`.
pub const LIST_PROCESSES: Endpoint =
    Endpoint::get("/applications/{application_id}/processes").requires("read");
/// `PATCH /applications/:id/processes/:process_id` with `{"instance_amount"}`: **INFERRED
/// path** (scaling a process; 0 stops it).
pub const SCALE_PROCESS: Endpoint =
    Endpoint::patch("/applications/{application_id}/processes/{process_id}").requires("write");

/// `GET /applications/:id/domains`.
pub const LIST_DOMAINS: Endpoint =
    Endpoint::get("/applications/{application_id}/domains").requires("read");
/// `POST /applications/:id/domains`.
pub const CREATE_DOMAIN: Endpoint =
    Endpoint::post("/applications/{application_id}/domains").requires("write");
/// `DELETE /applications/:id/domains/:domain_id`.
pub const DELETE_DOMAIN: Endpoint =
    Endpoint::delete("/applications/{application_id}/domains/{domain_id}").requires("write");
/// `POST /applications/:id/domains/:domain_id/verify`: asks Nodion to check again, so
/// replaying it is harmless.
pub const VERIFY_DOMAIN: Endpoint =
    Endpoint::post("/applications/{application_id}/domains/{domain_id}/verify")
        .idempotent()
        .requires("write");

/// `POST /applications/:id/domains/:domain_id/connect`: connects a verified domain; like
/// verify, replaying it is harmless. Answer **INFERRED** (undocumented): any JSON or empty.
/// Scope `write` **INFERRED** (the scope table names domains, not their actions).
pub const CONNECT_DOMAIN: Endpoint =
    Endpoint::post("/applications/{application_id}/domains/{domain_id}/connect")
        .idempotent()
        .requires("write");

/// `GET /applications/:id/scaling_events`: `{"scaling_events":[...]}`.
pub const LIST_SCALING_EVENTS: Endpoint =
    Endpoint::get("/applications/{application_id}/scaling_events").requires("read");
/// `POST /applications/:id/scaling_events` with `{instance_amount, instance_type_id,
/// worker_id?}`: answer **INFERRED** `{"scaling_event": {...}}`; scope `write` **INFERRED**
/// (not named by the scope table).
pub const CREATE_SCALING_EVENT: Endpoint =
    Endpoint::post("/applications/{application_id}/scaling_events").requires("write");

/// `GET /applications/:id/logs?limit=&before=&after=&instance_id=`:
/// `{"logs":[{ts, msg, instance_id}]}`.
pub const LIST_LOGS: Endpoint =
    Endpoint::get("/applications/{application_id}/logs").requires("read + logs:read");
/// `GET /applications/:id/instances`: `{"instances":[{id, status, name, hypervisor_name,
/// created_at, deployment, instance_type, worker}]}` (see [`crate::Instance`]).
pub const LIST_INSTANCES: Endpoint =
    Endpoint::get("/applications/{application_id}/instances").requires("read");
/// `GET /applications/:id/metrics`: **INFERRED shape** `{"metrics": {...}}`, a free-form
/// object (see [`crate::Metrics`]).
pub const GET_METRICS: Endpoint =
    Endpoint::get("/applications/{application_id}/metrics").requires("read");

/// `GET /dns_zones[?name=]`: `{"dns_zones":[{id, name, created_at, updated_at, records}]}`
/// (see [`crate::DnsZone`]).
pub const LIST_DNS_ZONES: Endpoint = Endpoint::get("/dns_zones").requires("read");
/// `POST /dns_zones` with `{"name"}`: `{"dns_zone": {...}}` holding the default records.
/// Scope `write` **INFERRED** (the scope table names DNS records, not zones).
pub const CREATE_DNS_ZONE: Endpoint = Endpoint::post("/dns_zones").requires("write");
/// `DELETE /dns_zones/:zone_id`: `{"deleted": true}`. Scope `write` **INFERRED**.
pub const DELETE_DNS_ZONE: Endpoint = Endpoint::delete("/dns_zones/{zone_id}").requires("write");
/// `GET /dns_zones/:zone_id/records[?name=&record_type=&content=]`: `{"records":[...]}`.
pub const LIST_DNS_RECORDS: Endpoint =
    Endpoint::get("/dns_zones/{zone_id}/records").requires("read");
/// `POST /dns_zones/:zone_id/records`: `{"record": {...}}`.
pub const CREATE_DNS_RECORD: Endpoint =
    Endpoint::post("/dns_zones/{zone_id}/records").requires("write");
/// `DELETE /dns_zones/:zone_id/records/:record_id`: `{"deleted": true}`.
pub const DELETE_DNS_RECORD: Endpoint =
    Endpoint::delete("/dns_zones/{zone_id}/records/{record_id}").requires("write");

/// `GET /ssh_keys`: **INFERRED** path and shape `{"ssh_keys":[{id, name, fingerprint,
/// created_at}]}` (see [`crate::SshKey`]).
pub const LIST_SSH_KEYS: Endpoint = Endpoint::get("/ssh_keys").requires("read");
/// `POST /ssh_keys` with `{"name", "public_key"}`: **INFERRED** path and body.
pub const CREATE_SSH_KEY: Endpoint = Endpoint::post("/ssh_keys").requires("write");
/// `DELETE /ssh_keys/:ssh_key_id`: **INFERRED path**.
pub const DELETE_SSH_KEY: Endpoint = Endpoint::delete("/ssh_keys/{ssh_key_id}").requires("write");

/// `GET /integrations`: `{"integrations":[...]}`.
pub const LIST_INTEGRATIONS: Endpoint = Endpoint::get("/integrations").requires("read");
/// `GET /integrations/:integration_id/repositories`: `{"repositories":[...]}`.
pub const LIST_REPOSITORIES: Endpoint =
    Endpoint::get("/integrations/{integration_id}/repositories").requires("read");
/// `GET /integrations/:integration_id/repositories/:repository_id/branches`:
/// `{"branches":[{id, name, ...}]}` (from a public client; the reference's example is cut).
pub const LIST_BRANCHES: Endpoint =
    Endpoint::get("/integrations/{integration_id}/repositories/{repository_id}/branches")
        .requires("read");

/// `GET /email_zones`: `{"email_zones":[...]}`.
pub const LIST_EMAIL_ZONES: Endpoint = Endpoint::get("/email_zones").requires("read");
/// `GET /email_zones/:email_zone_id`: `{"email_zone": {...}}`.
pub const GET_EMAIL_ZONE: Endpoint = Endpoint::get("/email_zones/{email_zone_id}").requires("read");
/// `GET /email_zones/:email_zone_id/messages`: `{"messages":[...]}`.
pub const LIST_EMAIL_MESSAGES: Endpoint =
    Endpoint::get("/email_zones/{email_zone_id}/messages").requires("read");

/// `GET /container_registries`: `{"container_registries":[...]}`.
pub const LIST_CONTAINER_REGISTRIES: Endpoint =
    Endpoint::get("/container_registries").requires("read");
/// `GET /container_registries/:container_registry_id`: `{"container_registry": {...}}`.
pub const GET_CONTAINER_REGISTRY: Endpoint =
    Endpoint::get("/container_registries/{container_registry_id}").requires("read");

/// `GET /runners`: `{"runners":[...]}`.
pub const LIST_RUNNERS: Endpoint = Endpoint::get("/runners").requires("read");
/// `GET /runners/:runner_id`: `{"runner": {...}}`.
pub const GET_RUNNER: Endpoint = Endpoint::get("/runners/{runner_id}").requires("read");
/// `GET /runners/:runner_id/runs`: `{"runs":[...]}`.
pub const LIST_RUNS: Endpoint = Endpoint::get("/runners/{runner_id}/runs").requires("read");
/// `GET /runners/:runner_id/runs/:run_id`: `{"run": {...}}`.
pub const GET_RUN: Endpoint = Endpoint::get("/runners/{runner_id}/runs/{run_id}").requires("read");
/// `POST /runners/:runner_id/runs` with optional `{"env_variables":[{env_key, env_val}]}`:
/// answer **INFERRED** `{"run": {...}}`; scope `write` **INFERRED** (not named by the scope
/// table).
pub const CREATE_RUN: Endpoint = Endpoint::post("/runners/{runner_id}/runs").requires("write");

/// Every row. The client refuses a quota for an endpoint that is not listed here.
pub const ALL: [Endpoint; 49] = [
    LIST_REGIONS,
    LIST_INSTANCE_TYPES,
    LIST_PROJECTS,
    LIST_APPLICATIONS,
    CREATE_APPLICATION,
    GET_APPLICATION,
    UPDATE_APPLICATION,
    DELETE_APPLICATION,
    LIST_DEPLOYMENTS,
    CREATE_DEPLOYMENT,
    LIST_ENV_VARIABLES,
    CREATE_ENV_VARIABLE,
    GET_ENV_VARIABLE,
    UPDATE_ENV_VARIABLE,
    DELETE_ENV_VARIABLE,
    LIST_PROCESSES,
    SCALE_PROCESS,
    LIST_DOMAINS,
    CREATE_DOMAIN,
    DELETE_DOMAIN,
    VERIFY_DOMAIN,
    CONNECT_DOMAIN,
    LIST_SCALING_EVENTS,
    CREATE_SCALING_EVENT,
    LIST_LOGS,
    LIST_INSTANCES,
    GET_METRICS,
    LIST_DNS_ZONES,
    CREATE_DNS_ZONE,
    DELETE_DNS_ZONE,
    LIST_DNS_RECORDS,
    CREATE_DNS_RECORD,
    DELETE_DNS_RECORD,
    LIST_SSH_KEYS,
    CREATE_SSH_KEY,
    DELETE_SSH_KEY,
    LIST_INTEGRATIONS,
    LIST_REPOSITORIES,
    LIST_BRANCHES,
    LIST_EMAIL_ZONES,
    GET_EMAIL_ZONE,
    LIST_EMAIL_MESSAGES,
    LIST_CONTAINER_REGISTRIES,
    GET_CONTAINER_REGISTRY,
    LIST_RUNNERS,
    GET_RUNNER,
    LIST_RUNS,
    GET_RUN,
    CREATE_RUN,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes::{ScopeSet, required_for};
    use nodal_core::Method;
    use nodal_core::raw::check_endpoint_table;

    #[test]
    fn check_endpoint_table_passes() {
        check_endpoint_table(&ALL).unwrap();
    }

    #[test]
    fn every_permission_parses_into_a_scope_set_that_prints_the_same() {
        for row in ALL {
            let permission = row
                .permission()
                .unwrap_or_else(|| panic!("{row} has no scopes"));
            let parsed: ScopeSet = permission.parse().unwrap_or_else(|e| panic!("{row}: {e}"));
            assert!(!parsed.is_empty(), "{row}");
            assert_eq!(parsed.to_string(), permission, "{row}");
            assert_eq!(required_for(&row), parsed, "{row}");
        }
    }

    /// The per-request table of `docs/wire-contract.md`, applied to every row:
    ///
    /// | request | scopes |
    /// |---|---|
    /// | `GET` on env variables | `read` + `env:read` |
    /// | `GET .../logs` | `read` + `logs:read` |
    /// | `POST .../deployments` | `deploy` |
    /// | `POST`/`PATCH`/`DELETE` on env variables | `env:write` |
    /// | any other `GET` | `read` |
    /// | any other `POST`/`PATCH`/`DELETE` | `write` |
    #[test]
    fn the_table_of_the_wire_contract() {
        for row in ALL {
            let env = row.path().contains("/env_variables");
            let expected = match row.method() {
                Method::Get if env => "read + env:read",
                Method::Get if row.path().ends_with("/logs") => "read + logs:read",
                Method::Get => "read",
                Method::Post if row.path().ends_with("/deployments") => "deploy",
                _ if env => "env:write",
                _ => "write",
            };
            assert_eq!(row.permission(), Some(expected), "{row}");
        }
        let needs = |row: Endpoint| required_for(&row).to_string();
        assert_eq!(needs(LIST_APPLICATIONS), "read");
        assert_eq!(needs(LIST_PROJECTS), "read");
        assert_eq!(needs(LIST_ENV_VARIABLES), "read + env:read");
        assert_eq!(needs(GET_ENV_VARIABLE), "read + env:read");
        assert_eq!(needs(LIST_LOGS), "read + logs:read");
        assert_eq!(needs(CREATE_DEPLOYMENT), "deploy");
        assert_eq!(needs(LIST_DEPLOYMENTS), "read");
        assert_eq!(needs(CREATE_ENV_VARIABLE), "env:write");
        assert_eq!(needs(UPDATE_ENV_VARIABLE), "env:write");
        assert_eq!(needs(DELETE_ENV_VARIABLE), "env:write");
        assert_eq!(needs(SCALE_PROCESS), "write");
        assert_eq!(needs(CREATE_APPLICATION), "write");
        assert_eq!(needs(VERIFY_DOMAIN), "write");
        assert_eq!(needs(DELETE_SSH_KEY), "write");
        assert_eq!(needs(CREATE_DNS_RECORD), "write");
        assert_eq!(needs(CREATE_SCALING_EVENT), "write");
        assert_eq!(needs(CONNECT_DOMAIN), "write");
        assert_eq!(needs(CREATE_RUN), "write");
        assert_eq!(needs(LIST_RUNS), "read");
        assert_eq!(needs(LIST_BRANCHES), "read");
    }

    /// `docs/wire-contract.md`: GET, PATCH, DELETE and domain verify / connect are
    /// idempotent; every other POST creates something and is not.
    #[test]
    fn only_creates_are_not_idempotent() {
        for row in ALL {
            let creates =
                row.method() == Method::Post && row != VERIFY_DOMAIN && row != CONNECT_DOMAIN;
            assert_eq!(row.is_idempotent(), !creates, "{row}");
        }
    }
}
