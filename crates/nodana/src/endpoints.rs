//! Every Nodana endpoint as one [`Endpoint`] row: method, path template (relative to the `/v1`
//! base URL) and whether replaying it is harmless. Every request the client sends is built from
//! one of these rows.
//!
//! This is the one place to correct when the provider changes a path. Idempotency follows
//! `docs/wire-contract.md`: GETs, start, stop, restart, delete and "update app to latest" are
//! idempotent; creating a project, renaming it, creating an app and updating one service are not.
//! Nodana keys have no scopes, so no row names a permission.
//!
//! The rows double as keys for stricter per-endpoint quotas; a client refuses at `build()` a
//! quota for an endpoint that is not listed in [`ALL`]:
//!
//! ```
//! use nodal_core::{Quota, RateLimit};
//! use nodal_nodana::{NodanaClient, endpoints};
//!
//! assert_eq!(endpoints::CREATE_APP.to_string(), "POST /apps");
//! let policy = NodanaClient::default_rate_limit()
//!     .with_endpoint(endpoints::CREATE_APP, Quota::per_minute(6));
//! assert_eq!(policy.endpoints().count(), 1);
//! let client = NodanaClient::builder().api_key("k").rate_limit(policy).build()?;
//! # let _ = client;
//! # Ok::<(), nodal_core::Error>(())
//! ```

use nodal_core::Endpoint;

/// `GET /projects`: every project of the account.
pub const LIST_PROJECTS: Endpoint = Endpoint::get("/projects");
/// `POST /projects`: creates a project (at most four per account).
pub const CREATE_PROJECT: Endpoint = Endpoint::post("/projects");
/// `GET /projects/{project_id}`.
pub const GET_PROJECT: Endpoint = Endpoint::get("/projects/{project_id}");
/// `POST /projects/{project_id}/update`: renames a project.
pub const RENAME_PROJECT: Endpoint = Endpoint::post("/projects/{project_id}/update");
/// `POST /projects/{project_id}/delete`: deletes an empty project.
pub const DELETE_PROJECT: Endpoint = Endpoint::post("/projects/{project_id}/delete").idempotent();
/// `GET /projects/{project_id}/apps`: the apps of one project.
pub const LIST_PROJECT_APPS: Endpoint = Endpoint::get("/projects/{project_id}/apps");
/// `POST /apps`: creates an app from a template; the answer holds one-time secrets.
pub const CREATE_APP: Endpoint = Endpoint::post("/apps");
/// `GET /apps/{app_id}`.
pub const GET_APP: Endpoint = Endpoint::get("/apps/{app_id}");
/// `POST /apps/{app_id}/update`: moves the app to its template's latest version.
/// Not in Nodana's first published reference; from its newer revision (`docs/providers/nodana.md`).
pub const UPDATE_APP: Endpoint = Endpoint::post("/apps/{app_id}/update").idempotent();
/// `POST /apps/{app_id}/start`: starts every service of the app.
pub const START_APP: Endpoint = Endpoint::post("/apps/{app_id}/start").idempotent();
/// `POST /apps/{app_id}/stop`: stops every service of the app.
pub const STOP_APP: Endpoint = Endpoint::post("/apps/{app_id}/stop").idempotent();
/// `POST /apps/{app_id}/restart`: restarts every service of the app.
/// Not in Nodana's first published reference; from its newer revision (`docs/providers/nodana.md`).
pub const RESTART_APP: Endpoint = Endpoint::post("/apps/{app_id}/restart").idempotent();
/// `POST /apps/{app_id}/delete`: deletes the app and its services.
pub const DELETE_APP: Endpoint = Endpoint::post("/apps/{app_id}/delete").idempotent();
/// `GET /apps/{app_id}/services`: the services of an app and their versions.
pub const LIST_SERVICES: Endpoint = Endpoint::get("/apps/{app_id}/services");
/// `POST /apps/{app_id}/services/{service_id}/update`: moves one service to a newer version
/// (may step one version per call, so it is not replayed).
pub const UPDATE_SERVICE: Endpoint = Endpoint::post("/apps/{app_id}/services/{service_id}/update");

/// Every endpoint, in the order of the provider's reference.
pub const ALL: [Endpoint; 15] = [
    CREATE_PROJECT,
    GET_PROJECT,
    RENAME_PROJECT,
    DELETE_PROJECT,
    LIST_PROJECTS,
    LIST_PROJECT_APPS,
    CREATE_APP,
    GET_APP,
    UPDATE_APP,
    START_APP,
    STOP_APP,
    RESTART_APP,
    DELETE_APP,
    LIST_SERVICES,
    UPDATE_SERVICE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use nodal_core::Method;
    use nodal_core::raw::check_endpoint_table;

    #[test]
    fn the_table_is_well_formed() {
        check_endpoint_table(&ALL).unwrap();
        // Nodana knows two methods, and its keys have no scopes.
        for endpoint in ALL {
            assert!(
                matches!(endpoint.method(), Method::Get | Method::Post),
                "{endpoint}"
            );
            assert_eq!(endpoint.permission(), None, "{endpoint}");
        }
    }

    #[test]
    fn requests_carry_the_tables_idempotency() {
        for endpoint in ALL {
            let request = endpoint.request();
            assert_eq!(
                request.is_idempotent(),
                endpoint.is_idempotent(),
                "{endpoint}"
            );
            assert_eq!(request.method(), endpoint.method());
            assert_eq!(request.template(), endpoint.path());
        }
        let creates = [CREATE_PROJECT, RENAME_PROJECT, CREATE_APP, UPDATE_SERVICE];
        for endpoint in ALL {
            assert_eq!(
                endpoint.is_idempotent(),
                !creates.contains(&endpoint),
                "{endpoint}"
            );
        }
    }
}
