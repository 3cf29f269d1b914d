//! Every Nodana endpoint in one table: method, path template (relative to the `/v1` base URL)
//! and whether replaying it is harmless.
//!
//! This is the one place to correct when the provider changes a path. Idempotency follows
//! `docs/wire-contract.md`: GETs, start, stop, restart, delete and "update app to latest" are
//! idempotent; creating a project, renaming it, creating an app and updating one service are not.
//!
//! The names double as keys for stricter per-endpoint quotas:
//!
//! ```
//! use nodal_nodana::endpoints;
//! use nodal_core::http::{Quota, RateLimit};
//!
//! assert_eq!(endpoints::CREATE_APP.to_string(), "POST /apps");
//! let policy = RateLimit::new(Quota::per_second(1))
//!     .with_endpoint(endpoints::CREATE_APP.to_string(), Quota::per_minute(6));
//! assert_eq!(policy.endpoints().count(), 1);
//! ```

use nodal_core::http::Request;
use std::fmt;

/// The two methods Nodana knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Reads.
    Get,
    /// Everything else; the action is in the path.
    Post,
}

impl Method {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One endpoint: method, path template with `{placeholders}`, and idempotency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL, e.g. `/apps/{app_id}/start`.
    pub path: &'static str,
    /// Whether replaying the request after an ambiguous failure is harmless.
    pub idempotent: bool,
}

impl Endpoint {
    const fn get(path: &'static str) -> Self {
        Endpoint {
            method: Method::Get,
            path,
            idempotent: true,
        }
    }

    const fn post(path: &'static str, idempotent: bool) -> Self {
        Endpoint {
            method: Method::Post,
            path,
            idempotent,
        }
    }

    /// A request for this endpoint, marked idempotent or not as the table says.
    pub(crate) fn request(self) -> Request {
        let request = match self.method {
            Method::Get => Request::get(self.path),
            Method::Post => Request::post(self.path),
        };
        request.idempotent(self.idempotent)
    }
}

/// `METHOD /path/template`, the form per-endpoint quotas are keyed by.
impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method.as_str(), self.path)
    }
}

/// `GET /projects`: every project of the account.
pub const LIST_PROJECTS: Endpoint = Endpoint::get("/projects");
/// `POST /projects`: creates a project (at most four per account).
pub const CREATE_PROJECT: Endpoint = Endpoint::post("/projects", false);
/// `GET /projects/{project_id}`.
pub const GET_PROJECT: Endpoint = Endpoint::get("/projects/{project_id}");
/// `POST /projects/{project_id}/update`: renames a project.
pub const RENAME_PROJECT: Endpoint = Endpoint::post("/projects/{project_id}/update", false);
/// `POST /projects/{project_id}/delete`: deletes an empty project.
pub const DELETE_PROJECT: Endpoint = Endpoint::post("/projects/{project_id}/delete", true);
/// `GET /projects/{project_id}/apps`: the apps of one project.
pub const LIST_PROJECT_APPS: Endpoint = Endpoint::get("/projects/{project_id}/apps");
/// `POST /apps`: creates an app from a template; the answer holds one-time secrets.
pub const CREATE_APP: Endpoint = Endpoint::post("/apps", false);
/// `GET /apps/{app_id}`.
pub const GET_APP: Endpoint = Endpoint::get("/apps/{app_id}");
/// `POST /apps/{app_id}/update`: moves the app to its template's latest version.
/// Not in the seed reference; taken from the provider's newest reference.
pub const UPDATE_APP: Endpoint = Endpoint::post("/apps/{app_id}/update", true);
/// `POST /apps/{app_id}/start`: starts every service of the app.
pub const START_APP: Endpoint = Endpoint::post("/apps/{app_id}/start", true);
/// `POST /apps/{app_id}/stop`: stops every service of the app.
pub const STOP_APP: Endpoint = Endpoint::post("/apps/{app_id}/stop", true);
/// `POST /apps/{app_id}/restart`: restarts every service of the app.
/// Not in the seed reference; taken from the provider's newest reference.
pub const RESTART_APP: Endpoint = Endpoint::post("/apps/{app_id}/restart", true);
/// `POST /apps/{app_id}/delete`: deletes the app and its services.
pub const DELETE_APP: Endpoint = Endpoint::post("/apps/{app_id}/delete", true);
/// `GET /apps/{app_id}/services`: the services of an app and their versions.
pub const LIST_SERVICES: Endpoint = Endpoint::get("/apps/{app_id}/services");
/// `POST /apps/{app_id}/services/{service_id}/update`: moves one service to a newer version
/// (may step one version per call, so it is not replayed).
pub const UPDATE_SERVICE: Endpoint =
    Endpoint::post("/apps/{app_id}/services/{service_id}/update", false);

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

    #[test]
    fn requests_carry_the_tables_idempotency() {
        for endpoint in ALL {
            let request = endpoint.request();
            assert_eq!(request.is_idempotent(), endpoint.idempotent, "{endpoint}");
            assert_eq!(request.method().as_str(), endpoint.method.as_str());
            assert_eq!(request.template(), endpoint.path);
        }
        let creates = [CREATE_PROJECT, RENAME_PROJECT, CREATE_APP, UPDATE_SERVICE];
        for endpoint in ALL {
            assert_eq!(
                endpoint.idempotent,
                !creates.contains(&endpoint),
                "{endpoint}"
            );
        }
    }

    #[test]
    fn endpoints_are_unique() {
        let names: std::collections::HashSet<String> = ALL.iter().map(|e| e.to_string()).collect();
        assert_eq!(names.len(), ALL.len());
    }
}
