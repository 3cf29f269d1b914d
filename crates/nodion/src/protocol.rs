//! The one place where Nodion's answers become values or [`Error`]s.
//!
//! | status | body seen | error |
//! |---|---|---|
//! | 2xx | JSON; empty (204) reads as `null` | the value |
//! | 401 | `{"status":401,"error":"Unauthorized"}` | [`Error::Unauthenticated`] |
//! | 403 | `{"status":403,"error":"Forbidden"}` | [`Error::PermissionDenied`] with the call's scopes (`needed_scope`) and the allow-list |
//! | 404 | `{"status":404,"error":"Not Found"}` | [`Error::NotFound`] |
//! | 400, 413, 422 | `{"errors":["Name can't be blank", ...]}` | [`Error::InvalidInput`] with every message |
//! | 409 | any | [`Error::Conflict`] |
//! | 429 | `{"status":429,...}` + `Retry-After` | [`Error::RateLimited`] |
//! | 5xx, others | any | [`Error::Server`] |
//!
//! Unknown bodies are tolerated: the message falls back to a redacted excerpt of the body.
//!
//! Messages hold the provider's words and Nodion-specific hints only. What core already says is
//! not repeated: the endpoint (prefixed by the request path), the 401 advice, the needed scope
//! (printed from `needed_scope`) and whether a create may have been performed.

use crate::client::KeyKind;
use nodal_core::Error;
use nodal_core::raw::{Protocol, RawResponse};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Provider name used in errors and traces.
pub(crate) const PROVIDER: &str = "nodion";

/// Nodion's [`Protocol`]: knows the key kind, because a 403 means different things for user keys
/// (a scope or the allow-list) and project keys (which have no scopes). Public so the decoder can
/// be tested and fuzzed without a server.
///
/// Answers of the typed API are wrapped in a key named after the resource
/// (`{"application": {...}}`); the protocol decodes the whole body, and the client then takes the
/// value under that key.
///
/// ```
/// use nodal_core::Error;
/// use nodal_core::raw::{Protocol, RawResponse};
/// use nodal_nodion::KeyKind;
/// use nodal_nodion::raw::NodionProtocol;
///
/// let protocol = NodionProtocol::new(KeyKind::User);
/// let ok = RawResponse::new("nodion", 200, br#"{"application": {"id": "a-1"}}"#);
/// let value: serde_json::Value = protocol.decode(&ok)?;
/// assert_eq!(value["application"]["id"], "a-1");
///
/// let missing = RawResponse::new("nodion", 404, br#"{"status": 404, "error": "Not Found"}"#);
/// let err = protocol.decode::<serde_json::Value>(&missing).unwrap_err();
/// assert!(matches!(err, Error::NotFound { .. }));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NodionProtocol {
    pub(crate) key_kind: KeyKind,
}

impl NodionProtocol {
    /// The protocol of a client holding a key of this kind.
    pub fn new(key_kind: KeyKind) -> Self {
        NodionProtocol { key_kind }
    }
}

/// The error bodies Nodion sends, read leniently.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<serde_json::Value>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
}

impl Protocol for NodionProtocol {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    /// Environment values (`env_val`): scrubbed from any error about an answer that carries
    /// them (an excerpt, a message, a key repeating one).
    fn secret_fields(&self) -> &'static [&'static str] {
        &["env_val"]
    }

    fn decode<T: DeserializeOwned>(&self, response: &RawResponse<'_>) -> Result<T, Error> {
        let status = response.status();
        if status.is_success() {
            // 204 No Content (and any blank body) reads as JSON `null`, so unit-like results
            // (`()`, `Option<T>`, `IgnoredAny`) decode from it.
            let body = response.body();
            let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
                b"null"
            } else {
                body
            };
            return serde_json::from_slice(body).map_err(|e| response.decode_error(e.to_string()));
        }
        Err(self.error_for(response))
    }
}

impl NodionProtocol {
    fn error_for(&self, response: &RawResponse<'_>) -> Error {
        let provider = PROVIDER;
        let status = response.status().as_u16();
        let words = provider_words(response);
        match status {
            401 => Error::Unauthenticated {
                provider,
                message: words.unwrap_or_else(|| "Unauthorized".into()),
            },
            403 => self.forbidden(response, words),
            404 => Error::NotFound {
                provider,
                message: format!(
                    "{}; single resources are looked up in the selected project (X-Nodion-Project, or the key's default project)",
                    words.unwrap_or_else(|| "Not Found".into())
                ),
            },
            400 | 413 | 422 => Error::InvalidInput {
                provider,
                field: None,
                message: words.unwrap_or_else(|| format!("HTTP {status}: {}", response.excerpt())),
            },
            409 => Error::Conflict {
                provider,
                message: words.unwrap_or_else(|| "Conflict".into()),
            },
            429 => Error::RateLimited {
                provider,
                retry_after: response.retry_after(),
                message: words.unwrap_or_else(|| "Too Many Requests".into()),
            },
            _ => Error::Server {
                provider,
                status,
                message: words.unwrap_or_else(|| response.excerpt()),
                maybe_performed: false,
            },
        }
    }

    fn forbidden(&self, response: &RawResponse<'_>, words: Option<String>) -> Error {
        let words = words.unwrap_or_else(|| "Forbidden".into());
        match self.key_kind {
            KeyKind::User => Error::PermissionDenied {
                provider: PROVIDER,
                needed_scope: response.permission().map(str::to_owned),
                message: format!(
                    "{words}: the key lacks a scope this call needs, or the project is outside the key's project allow-list (or the user's role in the project does not allow this)"
                ),
            },
            KeyKind::Project => Error::PermissionDenied {
                provider: PROVIDER,
                needed_scope: None,
                message: format!(
                    "{words}: project API keys are not scope-gated, so the resource is probably outside the key's project"
                ),
            },
        }
    }
}

/// The provider's own words from an error body: `errors` (all of them, joined), else `error`,
/// else `message`. `None` when the body has none of them (or is not JSON).
fn provider_words(response: &RawResponse<'_>) -> Option<String> {
    let body: ErrorBody = serde_json::from_slice(response.body()).ok()?;
    let words = body
        .errors
        .as_ref()
        .and_then(joined)
        .or_else(|| body.error.as_ref().and_then(joined))
        .or_else(|| body.message.as_ref().and_then(joined))?;
    Some(response.quote(&words))
}

/// Text out of a string, a list of strings, or an object of field → messages
/// (`{"name": ["can't be blank"]}` becomes `name can't be blank`).
fn joined(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let parts: Vec<String> = match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items.iter().filter_map(joined).collect(),
        Value::Object(fields) => fields
            .iter()
            .filter_map(|(field, messages)| {
                joined(messages).map(|text| match messages {
                    Value::Object(_) => text,
                    _ => format!("{field} {text}"),
                })
            })
            .collect(),
        Value::Number(n) => vec![n.to_string()],
        Value::Bool(_) | Value::Null => Vec::new(),
    };
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints as ep;
    use nodal_core::raw::{HeaderMap, HeaderName, HeaderValue};
    use serde_json::Value;
    use std::time::Duration;

    const USER: NodionProtocol = NodionProtocol {
        key_kind: KeyKind::User,
    };

    fn error(status: u16, body: &str) -> Error {
        USER.decode::<Value>(&RawResponse::new(PROVIDER, status, body.as_bytes()))
            .unwrap_err()
    }

    #[test]
    fn blank_success_bodies_decode_as_null() {
        let raw = RawResponse::new(PROVIDER, 204, b"");
        USER.decode::<()>(&raw).unwrap();
        assert_eq!(USER.decode::<Option<u32>>(&raw).unwrap(), None);
        let raw = RawResponse::new(PROVIDER, 200, b" \n");
        USER.decode::<serde::de::IgnoredAny>(&raw).unwrap();
    }

    #[test]
    fn validation_messages_are_all_kept() {
        let err = error(
            422,
            r#"{"errors": ["Name can't be blank", "Region must exist"]}"#,
        );
        let text = err.to_string();
        assert!(matches!(err, Error::InvalidInput { field: None, .. }));
        assert!(
            text.contains("Name can't be blank; Region must exist"),
            "{text}"
        );
        let err = error(400, r#"{"errors": {"name": ["can't be blank"]}}"#);
        assert!(err.to_string().contains("name can't be blank"), "{err}");
    }

    #[test]
    fn forbidden_names_the_scope_and_the_allow_list() {
        let raw = RawResponse::new(PROVIDER, 403, br#"{"status":403,"error":"Forbidden"}"#)
            .for_endpoint(ep::CREATE_DEPLOYMENT);
        let err = USER.decode::<Value>(&raw).unwrap_err();
        let text = err.to_string();
        match &err {
            Error::PermissionDenied { needed_scope, .. } => {
                assert_eq!(needed_scope.as_deref(), Some("deploy"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            text.contains("deploy") && text.contains("allow-list"),
            "{text}"
        );
        // The scope is said once (by core, from `needed_scope`), the endpoint not at all (the
        // request path prefixes it).
        assert_eq!(text.matches("deploy").count(), 1, "{text}");
        assert!(!text.contains("/deployments"), "{text}");

        let project = NodionProtocol {
            key_kind: KeyKind::Project,
        };
        let err = project.decode::<Value>(&raw).unwrap_err();
        assert!(matches!(
            err,
            Error::PermissionDenied {
                needed_scope: None,
                ..
            }
        ));
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static("retry-after"),
            HeaderValue::from_static("3"),
        );
        let raw = RawResponse::new(
            PROVIDER,
            429,
            br#"{"status":429,"error":"Too Many Requests"}"#,
        )
        .with_headers(&headers);
        let err = USER.decode::<Value>(&raw).unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
        assert!(err.to_string().contains("Too Many Requests"));
    }

    #[test]
    fn unknown_bodies_fall_back_to_a_redacted_excerpt() {
        let err = error(502, "<html>bad gateway secret-ish</html>");
        assert!(matches!(err, Error::Server { status: 502, .. }));
        let err = error(500, r#"{"detail": "hunter2"}"#);
        let text = err.to_string();
        assert!(
            text.contains("detail") && !text.contains("hunter2"),
            "{text}"
        );
        assert!(matches!(error(409, "{}"), Error::Conflict { .. }));
        assert!(matches!(error(401, ""), Error::Unauthenticated { .. }));
        // Core's text explains a 401 once; the protocol adds only the provider's words.
        let text = error(401, r#"{"status":401,"error":"Unauthorized"}"#).to_string();
        assert_eq!(text.matches("malformed").count(), 1, "{text}");
        assert!(text.contains("Unauthorized"), "{text}");
        assert!(matches!(error(404, "null"), Error::NotFound { .. }));
        assert!(matches!(
            error(418, "[]"),
            Error::Server { status: 418, .. }
        ));
    }

    #[test]
    fn long_messages_are_cut() {
        let long = "é".repeat(2000);
        let err = error(422, &format!(r#"{{"errors": ["{long}"]}}"#));
        assert!(err.to_string().chars().count() < 800);
    }
}
