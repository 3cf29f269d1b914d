//! One declarative row per API endpoint: everything the request path needs to know about a call
//! before it is made.
//!
//! Each adapter keeps every endpoint of its provider as one `const` [`Endpoint`] and lists them
//! all in one slice. Requests are built from a row ([`Endpoint::request`]), so the method, the
//! path template, whether the call may be replayed and the permission it needs are written once;
//! scope tables, idempotency tables and per-endpoint quotas are derived from the rows.

use super::request::Request;
use std::fmt;

/// The HTTP methods the providers use.
///
/// ```
/// use nodal_core::Method;
/// assert_eq!(Method::Patch.as_str(), "PATCH");
/// assert!(Method::Get.is_idempotent_by_default());
/// assert!(!Method::Post.is_idempotent_by_default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`: reads.
    Get,
    /// `POST`: creates, or an action named in the path.
    Post,
    /// `PUT`: replaces.
    Put,
    /// `PATCH`: updates.
    Patch,
    /// `DELETE`: removes.
    Delete,
}

impl Method {
    /// The method as it goes on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// HTTP's own rule: every method but `POST` is idempotent. A row may say otherwise.
    pub const fn is_idempotent_by_default(self) -> bool {
        !matches!(self, Method::Post)
    }

    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One endpoint of a provider: method, path template, whether replaying it is harmless, and the
/// permission (for Nodion, the key scopes) it needs.
///
/// Rows are written by adapters with the `const` constructors; callers read them, for example to
/// give one endpoint a stricter quota with [`crate::RateLimit::with_endpoint`]. A client refuses
/// at `build()` a quota for an endpoint its adapter does not list, so a typo cannot be silently
/// ignored.
///
/// ```
/// use nodal_core::{Endpoint, Method};
///
/// const START_APP: Endpoint = Endpoint::post("/apps/{app_id}/start").idempotent();
/// const SET_ENV: Endpoint = Endpoint::post("/applications/{application_id}/env_variables")
///     .requires("env:write");
///
/// assert_eq!(START_APP.to_string(), "POST /apps/{app_id}/start");
/// assert!(START_APP.is_idempotent());
/// assert!(!SET_ENV.is_idempotent());
/// assert_eq!(SET_ENV.permission(), Some("env:write"));
/// assert_eq!(START_APP.method(), Method::Post);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    method: Method,
    path: &'static str,
    idempotent: bool,
    permission: Option<&'static str>,
}

impl Endpoint {
    /// A row for `method path`, idempotent by HTTP's rule (every method but `POST`).
    pub const fn new(method: Method, path: &'static str) -> Self {
        Endpoint {
            method,
            path,
            idempotent: method.is_idempotent_by_default(),
            permission: None,
        }
    }

    /// A `GET` row.
    pub const fn get(path: &'static str) -> Self {
        Self::new(Method::Get, path)
    }

    /// A `POST` row, not idempotent unless marked with [`Endpoint::idempotent`].
    pub const fn post(path: &'static str) -> Self {
        Self::new(Method::Post, path)
    }

    /// A `PUT` row.
    pub const fn put(path: &'static str) -> Self {
        Self::new(Method::Put, path)
    }

    /// A `PATCH` row.
    pub const fn patch(path: &'static str) -> Self {
        Self::new(Method::Patch, path)
    }

    /// A `DELETE` row.
    pub const fn delete(path: &'static str) -> Self {
        Self::new(Method::Delete, path)
    }

    /// Marks the row as harmless to replay (e.g. a `POST .../stop`).
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Marks the row as unsafe to replay after an ambiguous failure (e.g. a `PATCH` that steps
    /// a counter).
    pub const fn not_idempotent(mut self) -> Self {
        self.idempotent = false;
        self
    }

    /// Names the permission the call needs, in the provider's words (e.g. `read + env:read`),
    /// so a refusal can say which.
    pub const fn requires(mut self, permission: &'static str) -> Self {
        self.permission = Some(permission);
        self
    }

    /// The method.
    pub const fn method(&self) -> Method {
        self.method
    }

    /// The path template relative to the base URL, with `{placeholders}`.
    pub const fn path(&self) -> &'static str {
        self.path
    }

    /// Whether replaying the call after an ambiguous failure is harmless.
    pub const fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The permission the call needs, when the provider has permissions.
    pub const fn permission(&self) -> Option<&'static str> {
        self.permission
    }

    /// Whether `other` is the same call (method and template), whatever else the rows say.
    pub fn same_call(&self, other: &Endpoint) -> bool {
        self.method == other.method && self.path == other.path
    }

    /// A request for this row: its method, template, idempotency and permission. Fill the
    /// placeholders with [`Request::param`].
    pub fn request(&self) -> Request {
        Request::for_endpoint(*self)
    }
}

/// `METHOD /path/template`, the way both adapters show an endpoint in messages and traces.
impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Checks an adapter's list of rows: no two rows share a method and template, and every
/// template is a path (`/` first, balanced placeholders). Adapters call it from a unit test.
///
/// ```
/// use nodal_core::Endpoint;
/// use nodal_core::raw::check_endpoint_table;
/// let rows = [Endpoint::get("/apps"), Endpoint::post("/apps")];
/// assert!(check_endpoint_table(&rows).is_ok());
/// let twice = [Endpoint::get("/apps"), Endpoint::get("/apps")];
/// assert!(check_endpoint_table(&twice).unwrap_err().contains("GET /apps"));
/// ```
pub fn check_endpoint_table(rows: &[Endpoint]) -> Result<(), String> {
    for (i, row) in rows.iter().enumerate() {
        if !row.path.starts_with('/') {
            return Err(format!("{row}: the template must start with `/`"));
        }
        if row.path.matches('{').count() != row.path.matches('}').count() {
            return Err(format!("{row}: unbalanced placeholder braces"));
        }
        if rows[..i]
            .iter()
            .any(|other| other.method == row.method && other.path == row.path)
        {
            return Err(format!("{row} is listed twice"));
        }
    }
    Ok(())
}
