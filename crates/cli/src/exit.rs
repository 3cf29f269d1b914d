//! Everything that can end a command, and the exit code each one maps to: the one place the
//! exit-code table of `--help` and the README is implemented.

use nodal::{Error, ExposeSecret, SecretString};
use serde::Serialize;
use std::fmt;

/// Success.
pub(crate) const OK: u8 = 0;
/// Anything not listed below.
pub(crate) const OTHER: u8 = 1;
/// Usage errors, invalid input, and operations the provider does not support.
pub(crate) const USAGE: u8 = 2;
/// Not authenticated, or permission denied.
pub(crate) const AUTH: u8 = 3;
/// The resource does not exist.
pub(crate) const NOT_FOUND: u8 = 4;
/// Rate limited, or timed out.
pub(crate) const RATE_OR_TIMEOUT: u8 = 5;
/// Stopped with Ctrl-C (the shell convention 128 + SIGINT).
pub(crate) const INTERRUPTED: u8 = 130;
/// Stopped with SIGTERM (128 + 15), as CI systems cancel a job.
pub(crate) const TERMINATED: u8 = 143;

/// The signal that stopped a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// SIGINT, Ctrl-C.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

/// The shortest secret scrubbed from messages.
const MIN_SCRUBBED: usize = 3;

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum CliError {
    /// The provider (or the client library) refused or failed.
    Api(Error),
    /// The command line or the environment does not say what to do.
    Usage(String),
    /// A command (or one of its options) the chosen provider has no equivalent for.
    Unsupported {
        /// The command as typed, e.g. `regions` or `projects create`.
        what: String,
        /// The provider chosen.
        provider: &'static str,
    },
    /// A local failure (a file, the terminal), or a check that did not pass.
    Failed(String),
    /// Ctrl-C (SIGINT) or SIGTERM.
    Interrupted(Signal),
    /// An error whose message must not show a secret the command sent (an env value a
    /// provider may quote back): shown with every occurrence replaced by `[redacted]`.
    Scrubbed {
        /// The error.
        inner: Box<CliError>,
        /// The secret.
        secret: SecretString,
    },
    /// An error with a sentence about what it leaves behind (e.g. a create that was in flight).
    Noted {
        /// The error.
        inner: Box<CliError>,
        /// What to know about it.
        note: String,
    },
    /// An error already included in the command's own output (a `--json` document that also
    /// carries one-time credentials): only its exit code remains to be given.
    Reported(Box<CliError>),
}

impl CliError {
    /// A usage error with its sentence.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    /// `error`, with `secret` scrubbed from its message.
    pub(crate) fn scrubbed(error: CliError, secret: &SecretString) -> Self {
        CliError::Scrubbed {
            inner: Box::new(error),
            secret: secret.clone(),
        }
    }

    /// `what` is not supported by `provider`.
    pub(crate) fn unsupported(what: impl Into<String>, provider: &'static str) -> Self {
        CliError::Unsupported {
            what: what.into(),
            provider,
        }
    }

    /// The exit code (see the table in `--help`).
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CliError::Api(error) => api_exit_code(error),
            CliError::Usage(_) | CliError::Unsupported { .. } => USAGE,
            CliError::Failed(_) => OTHER,
            CliError::Interrupted(Signal::Interrupt) => INTERRUPTED,
            CliError::Interrupted(Signal::Terminate) => TERMINATED,
            CliError::Reported(inner)
            | CliError::Scrubbed { inner, .. }
            | CliError::Noted { inner, .. } => inner.exit_code(),
        }
    }

    /// A stable snake_case name for scripts (`--json` errors).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            CliError::Api(error) => error.kind(),
            CliError::Usage(_) => "usage",
            CliError::Unsupported { .. } => "unsupported",
            CliError::Failed(_) => "failed",
            CliError::Interrupted(_) => "interrupted",
            CliError::Reported(inner)
            | CliError::Scrubbed { inner, .. }
            | CliError::Noted { inner, .. } => inner.kind(),
        }
    }

    /// The provider involved, when there is one.
    pub(crate) fn provider(&self) -> Option<&'static str> {
        match self {
            CliError::Api(error) => Some(error.provider()),
            CliError::Unsupported { provider, .. } => Some(provider),
            CliError::Reported(inner)
            | CliError::Scrubbed { inner, .. }
            | CliError::Noted { inner, .. } => inner.provider(),
            _ => None,
        }
    }

    /// What to do about it, for people, when there is something specific to say.
    fn hint(&self) -> Option<String> {
        let CliError::Api(error) = self else {
            return None;
        };
        let key_var = match error.provider() {
            "nodana" => "NODANA_API_KEY",
            _ => "NODION_API_KEY",
        };
        match error {
            Error::Unauthenticated { .. } => Some(format!("nodal reads the key from {key_var}")),
            Error::PermissionDenied { .. } if error.provider() == "nodion" => Some(
                "a Nodion user key needs the scope named above; a project key works only in its own project"
                    .to_owned(),
            ),
            // Nodana's one account limit is its four projects.
            Error::LimitExceeded { .. } if error.provider() == "nodana" => Some(
                "Nodana allows four projects per account and `apps create` without --project makes a new one each time: pass --project ID to use an existing project (`nodal projects list`), or delete one"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

fn api_exit_code(error: &Error) -> u8 {
    match error {
        Error::Unauthenticated { .. } | Error::PermissionDenied { .. } => AUTH,
        Error::NotFound { .. } => NOT_FOUND,
        Error::RateLimited { .. } | Error::Timeout { .. } => RATE_OR_TIMEOUT,
        Error::Unsupported { .. } | Error::InvalidInput { .. } | Error::Config { .. } => USAGE,
        _ => OTHER,
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The library's messages already hold one sentence plus the provider's own words,
            // with secrets scrubbed.
            CliError::Api(error) => write!(f, "{error}")?,
            CliError::Usage(message) | CliError::Failed(message) => f.write_str(message)?,
            CliError::Unsupported { what, provider } => {
                write!(f, "`{what}` is not supported by {provider}")?
            }
            CliError::Interrupted(Signal::Interrupt) => {
                f.write_str("interrupted (SIGINT, Ctrl-C)")?
            }
            CliError::Interrupted(Signal::Terminate) => f.write_str("terminated (SIGTERM)")?,
            CliError::Reported(inner) => return write!(f, "{inner}"),
            CliError::Noted { inner, note } => return write!(f, "{inner}; {note}"),
            CliError::Scrubbed { inner, secret } => {
                let text = inner.to_string();
                let secret = secret.expose_secret();
                // Shorter values would mangle the sentence; they are not secrets worth that.
                if secret.chars().count() >= MIN_SCRUBBED {
                    return f.write_str(&text.replace(secret, "[redacted]"));
                }
                return f.write_str(&text);
            }
        }
        if let Some(hint) = self.hint() {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        CliError::Api(error)
    }
}

/// The `--json` form of an error: `{"error": {"kind", "message", "provider", "exit_code"}}`.
#[derive(Serialize)]
pub(crate) struct JsonError {
    error: JsonErrorBody,
}

#[derive(Serialize)]
struct JsonErrorBody {
    kind: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'static str>,
    exit_code: u8,
}

impl JsonError {
    /// `doc` (what the command already did, e.g. `{"app": ...}`) with the error added under
    /// `"error"`: the one document a `--json` run prints when it fails part-way.
    pub(crate) fn merged_into(error: &CliError, mut doc: serde_json::Value) -> serde_json::Value {
        let body =
            serde_json::to_value(JsonError::from(error).error).unwrap_or(serde_json::Value::Null);
        match &mut doc {
            serde_json::Value::Object(fields) => {
                fields.insert("error".to_owned(), body);
                doc
            }
            _ => serde_json::json!({ "result": doc, "error": body }),
        }
    }
}

impl From<&CliError> for JsonError {
    fn from(error: &CliError) -> Self {
        JsonError {
            error: JsonErrorBody {
                kind: error.kind(),
                message: error.to_string(),
                provider: error.provider(),
                exit_code: error.exit_code(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn code(error: Error) -> u8 {
        CliError::from(error).exit_code()
    }

    #[test]
    fn api_errors_map_to_the_documented_codes() {
        let p = "nodana";
        assert_eq!(
            code(Error::Unauthenticated {
                provider: p,
                message: "x".into()
            }),
            3
        );
        assert_eq!(
            code(Error::PermissionDenied {
                provider: p,
                needed_scope: None,
                message: "x".into()
            }),
            3
        );
        assert_eq!(
            code(Error::NotFound {
                provider: p,
                message: "x".into()
            }),
            4
        );
        assert_eq!(
            code(Error::RateLimited {
                provider: p,
                retry_after: None,
                message: "x".into()
            }),
            5
        );
        assert_eq!(
            code(Error::Timeout {
                provider: p,
                what: "x".into(),
                after: Duration::from_secs(1),
                maybe_performed: false,
            }),
            5
        );
        assert_eq!(code(Error::unsupported(p, "create_project")), 2);
        assert_eq!(code(Error::invalid_input(p, "f", "bad")), 2);
        assert_eq!(
            code(Error::Config {
                provider: p,
                message: "x".into()
            }),
            2
        );
        assert_eq!(
            code(Error::Conflict {
                provider: p,
                message: "x".into()
            }),
            1
        );
        assert_eq!(
            code(Error::Server {
                provider: p,
                status: 502,
                message: "x".into(),
                maybe_performed: false,
            }),
            1
        );
    }

    #[test]
    fn cli_errors_map_to_the_documented_codes() {
        assert_eq!(CliError::usage("x").exit_code(), 2);
        assert_eq!(CliError::unsupported("regions", "nodana").exit_code(), 2);
        assert_eq!(CliError::Failed("x".into()).exit_code(), 1);
        assert_eq!(CliError::Interrupted(Signal::Interrupt).exit_code(), 130);
        assert_eq!(CliError::Interrupted(Signal::Terminate).exit_code(), 143);
        assert_eq!(
            CliError::Interrupted(Signal::Terminate).kind(),
            "interrupted"
        );
    }

    #[test]
    fn a_scrubbed_error_never_shows_the_secret() {
        let secret = SecretString::from("postgres://u:hunter2@db/x");
        let error = CliError::scrubbed(
            CliError::from(Error::invalid_input(
                "nodion",
                "value",
                "`postgres://u:hunter2@db/x` is not allowed",
            )),
            &secret,
        );
        let json = serde_json::to_string(&JsonError::from(&error)).unwrap();
        for shown in [error.to_string(), json] {
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("[redacted]"), "{shown}");
        }
        assert_eq!(error.exit_code(), 2);
        assert_eq!(error.kind(), "invalid_input");
    }

    #[test]
    fn unsupported_reads_as_one_sentence() {
        let error = CliError::unsupported("regions", "nodana");
        assert_eq!(error.to_string(), "`regions` is not supported by nodana");
        let json = serde_json::to_value(JsonError::from(&error)).unwrap();
        assert_eq!(json["error"]["kind"], "unsupported");
        assert_eq!(json["error"]["provider"], "nodana");
        assert_eq!(json["error"]["exit_code"], 2);
    }

    #[test]
    fn unauthenticated_names_the_variable_to_check() {
        let error = CliError::from(Error::Unauthenticated {
            provider: "nodana",
            message: "Unauthorized".into(),
        });
        assert!(error.to_string().contains("NODANA_API_KEY"), "{error}");
    }
}
