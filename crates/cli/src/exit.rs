//! Everything that can end a command, and the exit code each one maps to: the one place the
//! exit-code table of `--help` and the README is implemented.

use nodal::Error;
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
    /// Ctrl-C.
    Interrupted,
    /// An error already included in the command's own output (a `--json` document that also
    /// carries one-time credentials): only its exit code remains to be given.
    Reported(Box<CliError>),
}

impl CliError {
    /// A usage error with its sentence.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
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
            CliError::Interrupted => INTERRUPTED,
            CliError::Reported(inner) => inner.exit_code(),
        }
    }

    /// A stable snake_case name for scripts (`--json` errors).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            CliError::Api(error) => api_kind(error),
            CliError::Usage(_) => "usage",
            CliError::Unsupported { .. } => "unsupported",
            CliError::Failed(_) => "failed",
            CliError::Interrupted => "interrupted",
            CliError::Reported(inner) => inner.kind(),
        }
    }

    /// The provider involved, when there is one.
    pub(crate) fn provider(&self) -> Option<&'static str> {
        match self {
            CliError::Api(error) => Some(error.provider()),
            CliError::Unsupported { provider, .. } => Some(provider),
            CliError::Reported(inner) => inner.provider(),
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

fn api_kind(error: &Error) -> &'static str {
    match error {
        Error::Unauthenticated { .. } => "unauthenticated",
        Error::PermissionDenied { .. } => "permission_denied",
        Error::NotFound { .. } => "not_found",
        Error::Conflict { .. } => "conflict",
        Error::LimitExceeded { .. } => "limit_exceeded",
        Error::InvalidInput { .. } => "invalid_input",
        Error::RateLimited { .. } => "rate_limited",
        Error::Unsupported { .. } => "unsupported",
        Error::Server { .. } => "server",
        Error::Transport { .. } => "transport",
        Error::Timeout { .. } => "timeout",
        Error::Decode { .. } => "decode",
        Error::ResponseTooLarge { .. } => "response_too_large",
        Error::Config { .. } => "config",
        _ => "other",
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
            CliError::Interrupted => f.write_str("interrupted")?,
            CliError::Reported(inner) => return write!(f, "{inner}"),
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
        assert_eq!(CliError::Interrupted.exit_code(), 130);
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
