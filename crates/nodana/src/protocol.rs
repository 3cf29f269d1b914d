//! How Nodana answers, and what each answer means: the one place where Nodana's wire errors
//! become [`Error`] meanings.
//!
//! Nodana answers HTTP 200 with `{"data": ...}` on success and
//! `{"message", "error", "statusCode"}` on failure; an internal failure is HTTP 500. The error
//! table (also in `docs/providers/nodana.md`):
//!
//! | answer | error |
//! |---|---|
//! | HTTP 5xx, any body | [`Error::Server`] (retried for idempotent requests) |
//! | `statusCode` 400 (`BadRequestError`) | [`Error::InvalidInput`] |
//! | `statusCode` 401 (`UnauthorizedError`) | [`Error::Unauthenticated`] |
//! | `statusCode` 403 (`ForbiddenError`) | [`Error::PermissionDenied`] |
//! | `statusCode` 404 (`NotFoundError`) | [`Error::NotFound`] |
//! | `statusCode` 409 (`ConflictError`) | [`Error::Conflict`] |
//! | `statusCode` 429 (`TooManyRequestsError`) | [`Error::RateLimited`] (not performed: retried) |
//! | other 4xx / 5xx `statusCode` | [`Error::InvalidInput`] / [`Error::Server`] |
//! | no usable `statusCode` | by `error` name, else [`Error::Server`] |
//! | both or neither of `data` and `error`, or not JSON | [`Error::Decode`] |
//! | HTTP 4xx (a proxy; Nodana never sends one) | as the payload codes, by HTTP status |
//! | a 400/403/409 about the project count, on `POST /projects` or `POST /apps` | [`Error::LimitExceeded`] |
//! | a 400/409 about an `empty` project, on `POST /projects/{project_id}/delete` | [`Error::Conflict`] saying to delete the apps first |
//!
//! Every message keeps the provider's `message` and `error` name, e.g.
//! `Request is forbidden (ForbiddenError)`, with the client's key scrubbed out and cut to at most
//! 500 characters. The endpoint (`METHOD /template`), the advice for a refused key and whether a
//! create may have been performed are added by the core request path and `Error`'s `Display`,
//! not here.

use crate::endpoints;
use nodal_core::raw::{Protocol, RawResponse};
use nodal_core::{Endpoint, Error};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The provider name used in errors and traces.
pub(crate) const PROVIDER: &str = "nodana";

/// Nodana's wire protocol: the `{data}` / `{error, message, statusCode}` envelope and the error
/// mapping. Public so the decoder can be tested and fuzzed without a server.
///
/// ```
/// use nodal_core::Error;
/// use nodal_core::raw::{Protocol, RawResponse};
/// use nodal_nodana::raw::NodanaProtocol;
///
/// let ok = RawResponse::new("nodana", 200, br#"{"data": {"id": "app-1"}}"#);
/// let value: serde_json::Value = NodanaProtocol.decode(&ok)?;
/// assert_eq!(value["id"], "app-1");
///
/// let forbidden = RawResponse::new(
///     "nodana",
///     200,
///     br#"{"message": "Request is forbidden", "error": "ForbiddenError", "statusCode": 403}"#,
/// );
/// let err = NodanaProtocol.decode::<serde_json::Value>(&forbidden).unwrap_err();
/// assert!(matches!(err, Error::PermissionDenied { .. }));
/// assert!(err.to_string().contains("Request is forbidden (ForbiddenError)"));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodanaProtocol;

/// Both halves of the envelope, decoded in one pass. The error fields are loose JSON values so
/// that an odd error payload is still reported as an error, not as a decode failure.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Envelope<T> {
    data: Option<T>,
    error: Option<Value>,
    message: Option<Value>,
    #[serde(rename = "statusCode")]
    status_code: Option<Value>,
}

/// The failure half of the envelope, as text.
struct Payload {
    name: Option<String>,
    message: Option<String>,
    code: Option<u16>,
}

impl Payload {
    fn from_values(error: Option<Value>, message: Option<Value>, code: Option<Value>) -> Self {
        Payload {
            name: error.map(text),
            message: message.map(text),
            code: code.as_ref().and_then(status_code),
        }
    }

    /// `message (Name)`, or whichever of the two is present.
    fn describe(&self) -> String {
        match (&self.message, &self.name) {
            (Some(message), Some(name)) => format!("{message} ({name})"),
            (Some(message), None) => message.clone(),
            (None, Some(name)) => name.clone(),
            (None, None) => "an error without a message".to_owned(),
        }
    }

    /// The status code, from `statusCode` or else from the conventional error names.
    fn effective_code(&self) -> Option<u16> {
        self.code
            .filter(|code| (400..=599).contains(code))
            .or_else(|| self.name.as_deref().and_then(code_of_name))
    }
}

/// Fields of Nodana's answers that hold secrets (the phoenixd family's create answer); names
/// with `password`, `seed`, `secret`, `token` or `macaroon` in them are secret in any case.
const ANSWER_SECRETS: [&str; 3] = ["seedPhrase", "httpPassword", "httpPasswordLimited"];

impl Protocol for NodanaProtocol {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    /// The one-time secrets of the create-app answer: scrubbed from any error about an answer
    /// that carries them (an excerpt, a message, a key repeating one).
    fn secret_fields(&self) -> &'static [&'static str] {
        &ANSWER_SECRETS
    }

    fn decode<T: DeserializeOwned>(&self, response: &RawResponse<'_>) -> Result<T, Error> {
        let status = response.status();
        if status.is_server_error() {
            return Err(server_error(response));
        }
        let parsed = serde_json::from_slice::<Envelope<T>>(response.body());
        if !status.is_success() {
            // Nodana itself always answers 200; another status comes from something in between.
            return Err(match parsed {
                Ok(Envelope {
                    error: Some(error),
                    message,
                    status_code,
                    ..
                }) => {
                    let mut payload = Payload::from_values(Some(error), message, status_code);
                    payload.code = payload.code.or(Some(status.as_u16()));
                    map_payload(response, &payload)
                }
                _ => map_payload(
                    response,
                    &Payload {
                        name: None,
                        message: Some(format!(
                            "HTTP {} with body {}",
                            status.as_u16(),
                            response.excerpt()
                        )),
                        code: Some(status.as_u16()),
                    },
                ),
            });
        }
        let envelope = match parsed {
            Ok(envelope) => envelope,
            Err(problem) => return Err(not_an_envelope(response, problem)),
        };
        match (envelope.data, envelope.error) {
            (Some(data), None) => Ok(data),
            (None, Some(error)) => Err(map_payload(
                response,
                &Payload::from_values(Some(error), envelope.message, envelope.status_code),
            )),
            (Some(_), Some(_)) => Err(response.decode_error(
                "the answer has both `data` and `error`; Nodana sends exactly one of them",
            )),
            (None, None) => bare_create_app(response).ok_or_else(|| {
                response.decode_error(
                    "the answer has neither `data` nor `error`; Nodana sends exactly one of them",
                )
            }),
        }
    }
}

/// The reference shows the create-app answer without the `data` wrapper. That answer carries
/// one-time secrets, so losing it to a decode error would be worse than accepting the bare form:
/// for `POST /apps` only, a bare object that decodes as the expected answer is accepted.
fn bare_create_app<T: DeserializeOwned>(response: &RawResponse<'_>) -> Option<T> {
    if !response.endpoint().same_call(&endpoints::CREATE_APP) {
        return None;
    }
    serde_json::from_slice(response.body()).ok()
}

fn not_an_envelope(response: &RawResponse<'_>, problem: serde_json::Error) -> Error {
    let what = if problem.is_data() {
        // Valid JSON whose `data` does not have the expected shape.
        format!("the `data` does not have the expected shape ({problem})")
    } else {
        format!("the answer is not a JSON object ({problem})")
    };
    response.decode_error(what)
}

fn server_error(response: &RawResponse<'_>) -> Error {
    let status = response.status().as_u16();
    let detail = match serde_json::from_slice::<Envelope<Value>>(response.body()) {
        Ok(Envelope {
            error: Some(error),
            message,
            status_code,
            ..
        }) => said(
            response,
            &Payload::from_values(Some(error), message, status_code),
        ),
        _ => format!("body {}", response.excerpt()),
    };
    Error::Server {
        provider: PROVIDER,
        status,
        message: format!("Nodana reported an internal error: {detail}"),
        maybe_performed: false,
    }
}

/// The provider's words for an error payload, scrubbed and cut by core's one rule.
fn said(response: &RawResponse<'_>, payload: &Payload) -> String {
    response.quote(&payload.describe())
}

/// The single mapping from an error payload to an [`Error`] meaning.
fn map_payload(response: &RawResponse<'_>, payload: &Payload) -> Error {
    let message = said(response, payload);
    let error = match payload.effective_code() {
        Some(400) => Error::InvalidInput {
            provider: PROVIDER,
            field: None,
            message,
        },
        Some(401) => Error::Unauthenticated {
            provider: PROVIDER,
            message,
        },
        Some(403) => Error::PermissionDenied {
            provider: PROVIDER,
            needed_scope: None,
            message: format!(
                "{message}; the API key may not reach this project or app (Nodana keys may be scoped to a project)"
            ),
        },
        Some(404) => Error::NotFound {
            provider: PROVIDER,
            message,
        },
        Some(409) => Error::Conflict {
            provider: PROVIDER,
            message,
        },
        Some(429) => Error::RateLimited {
            provider: PROVIDER,
            retry_after: response.retry_after(),
            message,
        },
        Some(code @ 400..=499) => Error::InvalidInput {
            provider: PROVIDER,
            field: None,
            message: format!("{message} (status code {code})"),
        },
        Some(code @ 500..=599) => Error::Server {
            provider: PROVIDER,
            status: code,
            message,
            maybe_performed: false,
        },
        _ => Error::Server {
            provider: PROVIDER,
            status: response.status().as_u16(),
            message: format!("{message} (an error payload without a known status code)"),
            maybe_performed: false,
        },
    };
    refine(response.endpoint(), error)
}

fn code_of_name(name: &str) -> Option<u16> {
    Some(match name {
        "BadRequestError" => 400,
        "UnauthorizedError" => 401,
        "ForbiddenError" => 403,
        "NotFoundError" => 404,
        "ConflictError" => 409,
        "TooManyRequestsError" => 429,
        "InternalServerError" => 500,
        _ => return None,
    })
}

fn status_code(value: &Value) -> Option<u16> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Refines an error by the call it answered, keeping Nodana's words: the four-project cap (met
/// by `POST /projects`, and by `POST /apps` without a project, where Nodana creates one) becomes
/// [`Error::LimitExceeded`], and refusing to delete a project that still holds apps becomes an
/// [`Error::Conflict`] that says what to do. Every other error is returned as it is. Judged here,
/// on the provider's bare words, before the request path adds the endpoint to the message.
fn refine(endpoint: Endpoint, error: Error) -> Error {
    let creates_a_project = endpoint.same_call(&endpoints::CREATE_PROJECT)
        || endpoint.same_call(&endpoints::CREATE_APP);
    if creates_a_project {
        return match error {
            Error::Conflict { message, .. }
            | Error::InvalidInput { message, .. }
            | Error::PermissionDenied { message, .. }
                if is_about_project_limit(&message) =>
            {
                Error::LimitExceeded {
                    provider: PROVIDER,
                    message,
                }
                .with_note(PROJECT_LIMIT_ADVICE)
            }
            other => other,
        };
    }
    if endpoint.same_call(&endpoints::DELETE_PROJECT) {
        return match error {
            Error::Conflict { message, .. } | Error::InvalidInput { message, .. }
                if message.to_ascii_lowercase().contains("empty") =>
            {
                let says_what_to_do = message.to_ascii_lowercase().contains(EMPTY_PROJECT_ADVICE);
                let conflict = Error::Conflict {
                    provider: PROVIDER,
                    message,
                };
                // Said once: Nodana's own words may already be the advice.
                if says_what_to_do {
                    conflict
                } else {
                    conflict.with_note(EMPTY_PROJECT_ADVICE)
                }
            }
            other => other,
        };
    }
    error
}

const PROJECT_LIMIT_ADVICE: &str =
    "Nodana allows at most 4 projects per account: delete one or ask Nodana to raise the limit";
const EMPTY_PROJECT_ADVICE: &str =
    "only empty projects can be deleted: delete the project's apps first";

/// Whether a refusal talks about the number of projects (and not, say, a name's maximum length
/// or a body-size limit): it must mention projects and a limit.
fn is_about_project_limit(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    let mentions_limit = ["limit", "maximum", "four", "4 projects"]
        .iter()
        .any(|word| lower.contains(word));
    let mentions_projects = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == "project" || word == "projects");
    mentions_limit && mentions_projects && !lower.contains("length")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(status: u16, body: &str) -> Result<Value, Error> {
        NodanaProtocol.decode(&RawResponse::new(PROVIDER, status, body.as_bytes()))
    }

    fn payload(code: impl serde::Serialize, name: &str, message: &str) -> String {
        serde_json::json!({"message": message, "error": name, "statusCode": code}).to_string()
    }

    #[test]
    fn every_code_has_its_meaning_and_keeps_the_providers_words() {
        type IsExpected = fn(&Error) -> bool;
        let cases: [(u16, &str, IsExpected); 8] = [
            (400, "BadRequestError", |e| {
                matches!(e, Error::InvalidInput { field: None, .. })
            }),
            (401, "UnauthorizedError", |e| {
                matches!(e, Error::Unauthenticated { .. })
            }),
            (403, "ForbiddenError", |e| {
                matches!(
                    e,
                    Error::PermissionDenied {
                        needed_scope: None,
                        ..
                    }
                )
            }),
            (404, "NotFoundError", |e| {
                matches!(e, Error::NotFound { .. })
            }),
            (409, "ConflictError", |e| {
                matches!(e, Error::Conflict { .. })
            }),
            (429, "TooManyRequestsError", |e| {
                matches!(
                    e,
                    Error::RateLimited {
                        retry_after: None,
                        ..
                    }
                )
            }),
            (413, "PayloadTooLargeError", |e| {
                matches!(e, Error::InvalidInput { .. })
            }),
            (503, "ServiceUnavailableError", |e| {
                matches!(e, Error::Server { status: 503, .. })
            }),
        ];
        for (code, name, is_expected) in cases {
            let err = decode(200, &payload(code, name, "Said by Nodana")).unwrap_err();
            assert!(is_expected(&err), "{code}: {err:?}");
            let text = err.to_string();
            assert!(text.contains(&format!("Said by Nodana ({name})")), "{text}");
        }
    }

    #[test]
    fn forbidden_hints_at_project_scoped_keys() {
        let err = decode(200, &payload(403, "ForbiddenError", "Request is forbidden")).unwrap_err();
        assert!(
            err.to_string().contains("may not reach this project"),
            "{err}"
        );
    }

    #[test]
    fn unknown_codes_fall_back_to_the_name_then_to_server() {
        let by_name = decode(200, &payload("n/a", "NotFoundError", "gone")).unwrap_err();
        assert!(matches!(by_name, Error::NotFound { .. }), "{by_name:?}");
        let string_code = decode(200, &payload("409", "Whatever", "busy")).unwrap_err();
        assert!(
            matches!(string_code, Error::Conflict { .. }),
            "{string_code:?}"
        );
        let unknown = decode(200, &payload(7, "OddError", "odd")).unwrap_err();
        assert!(
            matches!(unknown, Error::Server { status: 200, .. }),
            "{unknown:?}"
        );
        assert!(!unknown.is_retryable());
        let bare = decode(200, r#"{"error": {"nested": true}}"#).unwrap_err();
        assert!(matches!(bare, Error::Server { .. }), "{bare:?}");
    }

    #[test]
    fn server_errors_win_whatever_the_body() {
        for body in ["", "<html>oops</html>", r#"{"data": []}"#] {
            let err = decode(500, body).unwrap_err();
            assert!(matches!(err, Error::Server { status: 500, .. }), "{err:?}");
            assert!(err.is_retryable());
        }
        let err = decode(502, &payload(500, "InternalServerError", "db down")).unwrap_err();
        assert!(
            err.to_string().contains("db down (InternalServerError)"),
            "{err}"
        );
    }

    #[test]
    fn envelopes_with_both_or_neither_half_are_decode_errors() {
        let both = decode(200, r#"{"data": 1, "error": "X", "statusCode": 400}"#).unwrap_err();
        assert!(both.to_string().contains("both"), "{both}");
        let neither = decode(200, r#"{"id": "app-1"}"#).unwrap_err();
        assert!(matches!(neither, Error::Decode { .. }));
        assert!(neither.to_string().contains("neither"), "{neither}");
        let null = decode(200, r#"{"data": null}"#).unwrap_err();
        assert!(matches!(null, Error::Decode { .. }));
        for bad in ["", "not json", "[1, 2]", r#"{"data": [1"#] {
            assert!(
                matches!(decode(200, bad), Err(Error::Decode { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_shape_mismatch_is_a_decode_error_without_values() {
        let raw = RawResponse::new(PROVIDER, 200, br#"{"data": {"id": "abandon ability"}}"#);
        let err = NodanaProtocol.decode::<Vec<u8>>(&raw).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }));
        assert!(!format!("{err} {err:?}").contains("abandon"));
    }

    #[test]
    fn proxy_statuses_map_by_http_status() {
        let err = decode(404, "<html>Not Found</html>").unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
        let err = decode(429, "").unwrap_err();
        assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
        let err = decode(403, &payload(403, "ForbiddenError", "nope")).unwrap_err();
        assert!(err.to_string().contains("nope (ForbiddenError)"), "{err}");
    }

    fn decode_for(endpoint: Endpoint, body: &str) -> Result<Value, Error> {
        NodanaProtocol
            .decode(&RawResponse::new(PROVIDER, 200, body.as_bytes()).for_endpoint(endpoint))
    }

    #[test]
    fn messages_hold_the_providers_words_once_and_no_endpoint() {
        let err = decode_for(
            endpoints::GET_APP,
            &payload(401, "UnauthorizedError", "Unauthorized"),
        )
        .unwrap_err();
        let text = err.to_string();
        // The request path adds the endpoint; Display adds the advice for a refused key.
        assert!(!text.contains("/apps"), "{text}");
        assert_eq!(text.matches("check the key").count(), 1, "{text}");
        let err = NodanaProtocol
            .decode::<Value>(
                &RawResponse::new(PROVIDER, 500, b"").for_endpoint(endpoints::CREATE_APP),
            )
            .unwrap_err();
        assert!(!err.to_string().contains("POST /apps"), "{err}");
        assert!(!err.maybe_performed(), "the request path decides that");
    }

    #[test]
    fn long_provider_messages_are_cut_to_500_characters() {
        let long = "é".repeat(700);
        let err = decode(200, &payload(400, "BadRequestError", &long)).unwrap_err();
        let Error::InvalidInput { message, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(
            message.chars().count(),
            nodal_core::raw::MAX_PROVIDER_WORDS + 1,
            "{message}"
        );
        assert!(message.ends_with('…'), "{message}");
        let short = decode(200, &payload(400, "BadRequestError", "short")).unwrap_err();
        assert!(
            short.to_string().ends_with("short (BadRequestError)"),
            "{short}"
        );
    }

    #[test]
    fn the_project_cap_is_limit_exceeded_on_the_calls_that_create_a_project() {
        let cap = payload(
            409,
            "ConflictError",
            "Project limit reached: an account can have at most 4 projects",
        );
        for endpoint in [endpoints::CREATE_PROJECT, endpoints::CREATE_APP] {
            let err = decode_for(
                endpoint,
                &payload(409, "ConflictError", "Project limit reached"),
            )
            .unwrap_err();
            assert!(
                matches!(err, Error::LimitExceeded { .. }),
                "{endpoint}: {err:?}"
            );
        }
        let err = decode_for(endpoints::CREATE_PROJECT, &cap).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("at most 4 projects per account"), "{text}");
        assert!(text.contains("Project limit reached"), "{text}");
        // Other calls keep the provider's meaning.
        let elsewhere = decode_for(endpoints::RENAME_PROJECT, &cap).unwrap_err();
        assert!(matches!(elsewhere, Error::Conflict { .. }), "{elsewhere:?}");

        for unrelated in [
            "name must be at most 255 characters",
            "Project name exceeds the maximum length",
            "Request body too large: the limit is 65536 bytes",
        ] {
            let err = decode_for(
                endpoints::CREATE_PROJECT,
                &payload(400, "BadRequestError", unrelated),
            )
            .unwrap_err();
            assert!(
                matches!(err, Error::InvalidInput { .. }),
                "{unrelated}: {err:?}"
            );
        }
    }

    #[test]
    fn deleting_a_non_empty_project_explains_the_rule_once() {
        let err = decode_for(
            endpoints::DELETE_PROJECT,
            &payload(
                409,
                "ConflictError",
                "Only empty projects can be deleted: delete the project's apps first",
            ),
        )
        .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }));
        let lower = err.to_string().to_ascii_lowercase();
        assert_eq!(lower.matches(EMPTY_PROJECT_ADVICE).count(), 1, "{err}");

        let terse = decode_for(
            endpoints::DELETE_PROJECT,
            &payload(400, "BadRequestError", "Project is not empty"),
        )
        .unwrap_err();
        assert!(matches!(terse, Error::Conflict { .. }), "{terse:?}");
        assert!(terse.to_string().contains(EMPTY_PROJECT_ADVICE), "{terse}");
        assert!(
            terse.to_string().contains("Project is not empty"),
            "{terse}"
        );

        let missing = decode_for(
            endpoints::DELETE_PROJECT,
            &payload(404, "NotFoundError", "Project not found"),
        )
        .unwrap_err();
        assert!(matches!(missing, Error::NotFound { .. }));
    }
}
