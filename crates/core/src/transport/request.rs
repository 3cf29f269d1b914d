//! One API call, described by the adapter and executed by [`super::HttpClient`].

use super::endpoint::{Endpoint, Method};
use crate::error::Error;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::fmt;
use url::Url;

/// A request: an [`Endpoint`] row, the values of its path parameters, query, optional JSON
/// body and extra headers.
///
/// The path template names its parameters (`"/apps/{app_id}/start"`); the template, never the
/// filled-in path, is what appears in traces and what per-endpoint quotas match. Parameters are
/// percent-encoded as single path segments, so an id can never change the path (`a/b`, `?`, `#`
/// are escaped), and an empty id, `.` or `..` is refused with [`Error::InvalidInput`] naming the
/// parameter. Whether the request may be replayed, and the permission it needs, come from the
/// row.
///
/// ```
/// use nodal_core::Endpoint;
/// const STOP: Endpoint = Endpoint::post("/apps/{app_id}/stop").idempotent();
/// const CREATE: Endpoint = Endpoint::post("/apps");
/// let stop = STOP.request().param("app-1");
/// assert!(stop.is_idempotent());
/// assert_eq!(stop.template(), "/apps/{app_id}/stop");
/// let create = CREATE.request().json(&serde_json::json!({"template": "vss"}));
/// assert!(!create.is_idempotent());
/// ```
pub struct Request {
    pub(crate) endpoint: Endpoint,
    pub(crate) params: Vec<String>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Result<Bytes, String>>,
    pub(crate) headers: HeaderMap,
    /// Secrets the request carries (in its body or query), scrubbed from everything its
    /// answers and failures produce.
    pub(crate) secrets: Vec<SecretString>,
}

impl Request {
    /// A request for `endpoint` (see also [`Endpoint::request`]).
    pub fn for_endpoint(endpoint: Endpoint) -> Self {
        Request {
            endpoint,
            params: Vec::new(),
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            secrets: Vec::new(),
        }
    }

    /// Fills the next `{placeholder}` of the template.
    pub fn param(mut self, value: impl Into<String>) -> Self {
        self.params.push(value.into());
        self
    }

    /// Appends a query parameter (percent-encoded).
    pub fn query(mut self, key: &'static str, value: impl ToString) -> Self {
        self.query.push((key, value.to_string()));
        self
    }

    /// Sets a JSON body (and with it `Content-Type: application/json`). A value that cannot be
    /// serialized is reported as [`Error::InvalidInput`] when the request is sent.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(
            serde_json::to_vec(body)
                .map(Bytes::from)
                .map_err(|e| e.to_string()),
        );
        self
    }

    /// Adds a header (e.g. `X-Nodion-Project`). Secrets do not belong here: authentication is
    /// applied by the client from its [`super::Auth`].
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Registers a secret the request carries (an environment value, a macaroon, a password in
    /// the body): the request path then scrubs it, in every encoding a server may echo it in
    /// (JSON-escaped, percent-encoded, base64), from every error, excerpt and retry event of
    /// this request, alongside the client's key. Values shorter than 4 characters are not
    /// searched for (they would match ordinary words).
    ///
    /// ```
    /// use nodal_core::{Endpoint, SecretString};
    /// let value = SecretString::from("correct-horse-battery");
    /// let request = Endpoint::post("/env")
    ///     .request()
    ///     .json(&serde_json::json!({"value": "correct-horse-battery"}))
    ///     .secret(&value);
    /// assert_eq!(request.secret_count(), 1);
    /// assert!(!format!("{request:?}").contains("correct-horse"));
    /// ```
    pub fn secret(mut self, secret: &SecretString) -> Self {
        if !secret.expose_secret().is_empty() {
            self.secrets.push(secret.clone());
        }
        self
    }

    /// Registers several secrets at once (see [`Request::secret`]).
    pub fn secrets<'s>(mut self, secrets: impl IntoIterator<Item = &'s SecretString>) -> Self {
        for secret in secrets {
            self = self.secret(secret);
        }
        self
    }

    /// How many secrets were registered with [`Request::secret`].
    pub fn secret_count(&self) -> usize {
        self.secrets.len()
    }

    /// The endpoint row the request was built from.
    pub fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.endpoint.method()
    }

    /// The path template.
    pub fn template(&self) -> &'static str {
        self.endpoint.path()
    }

    /// Whether replaying the request is harmless (from the row).
    pub fn is_idempotent(&self) -> bool {
        self.endpoint.is_idempotent()
    }

    /// The permission the call needs (from the row).
    pub fn permission(&self) -> Option<&'static str> {
        self.endpoint.permission()
    }

    /// The body as it will be sent, if any.
    pub fn body_bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Some(Ok(bytes)) => Some(bytes),
            _ => None,
        }
    }

    /// Whether the URL depends on the base alone: no placeholders, parameters or query.
    pub(crate) fn has_fixed_url(&self) -> bool {
        self.params.is_empty() && self.query.is_empty() && !self.template().contains('{')
    }

    /// Joins the template, filled with its parameters, to `base`.
    pub(crate) fn url(&self, base: &Url, provider: &'static str) -> Result<Url, Error> {
        let mut url = base.clone();
        let mut params = self.params.iter();
        {
            let mut segments = url.path_segments_mut().map_err(|()| Error::Config {
                provider,
                message: format!("the base URL `{base}` cannot have a path"),
            })?;
            segments.pop_if_empty();
            for segment in self.template().split('/').filter(|s| !s.is_empty()) {
                match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    None => {
                        segments.push(segment);
                    }
                    Some(name) => {
                        let value = params.next().ok_or_else(|| Error::Config {
                            provider,
                            // The executor names the endpoint in front of the message.
                            message: format!(
                                "the path template is missing a value for `{name}` (a bug in the adapter)"
                            ),
                        })?;
                        check_segment(provider, name, value)?;
                        segments.push(value);
                    }
                }
            }
        }
        if params.next().is_some() {
            return Err(Error::Config {
                provider,
                message:
                    "the path template got more values than placeholders (a bug in the adapter)"
                        .into(),
            });
        }
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in &self.query {
                pairs.append_pair(key, value);
            }
        }
        Ok(url)
    }
}

fn check_segment(provider: &'static str, name: &str, value: &str) -> Result<(), Error> {
    let problem = if value.is_empty() {
        Some("is empty")
    } else if value == "." || value == ".." {
        Some("cannot be `.` or `..`")
    } else if value.chars().any(char::is_control) {
        Some("contains control characters")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::InvalidInput {
            provider,
            field: Some(name.to_owned()),
            message: format!("the {} {problem}", name.replace('_', " ")),
        }),
        None => Ok(()),
    }
}

impl fmt::Debug for Request {
    // By hand: the body may hold secrets (environment values), so only its size is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("endpoint", &format_args!("{}", self.endpoint))
            .field("params", &self.params)
            .field(
                "query_keys",
                &self.query.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            )
            .field("body_bytes", &self.body_bytes().map(<[u8]>::len))
            .field("idempotent", &self.is_idempotent())
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://api.example.com/v1").unwrap()
    }

    #[test]
    fn params_fill_placeholders_and_are_encoded() {
        let url = Endpoint::get("/apps/{app_id}/services/{service_id}")
            .request()
            .param("a/b?c#d")
            .param("svc 1")
            .url(&base(), "t")
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/v1/apps/a%2Fb%3Fc%23d/services/svc%201"
        );
    }

    #[test]
    fn query_is_encoded() {
        let url = Endpoint::get("/applications/{id}/logs")
            .request()
            .param("x")
            .query("before", "2025-05-01T07:46:12+02:00")
            .query("limit", 10)
            .url(&base(), "t")
            .unwrap();
        assert_eq!(
            url.query(),
            Some("before=2025-05-01T07%3A46%3A12%2B02%3A00&limit=10")
        );
    }

    #[test]
    fn bad_ids_are_invalid_input_naming_the_parameter() {
        for bad in ["", ".", "..", "a\nb"] {
            let err = Endpoint::get("/apps/{app_id}")
                .request()
                .param(bad)
                .url(&base(), "t")
                .unwrap_err();
            match err {
                Error::InvalidInput { field, .. } => assert_eq!(field.as_deref(), Some("app_id")),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn parameter_count_mismatch_is_reported() {
        assert!(
            Endpoint::get("/apps/{app_id}")
                .request()
                .url(&base(), "t")
                .is_err()
        );
        assert!(
            Endpoint::get("/apps")
                .request()
                .param("x")
                .url(&base(), "t")
                .is_err()
        );
    }

    #[test]
    fn debug_hides_the_body() {
        let req = Endpoint::post("/env")
            .request()
            .json(&serde_json::json!({"env_val": "hunter2"}));
        assert!(!format!("{req:?}").contains("hunter2"));
    }
}
