//! One error type for every provider, named by what went wrong rather than by wire detail.

use std::fmt;
use std::time::Duration;

/// A boxed underlying cause (for example the HTTP library's error), kept for `Error::source()`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in terms a caller can act on.
///
/// Each adapter maps its provider's wire errors into these meanings in one place. Messages carry
/// the provider's own words where there are some, and never a secret: tokens, environment values
/// and credentials are scrubbed before an error is built.
///
/// ```
/// use nodal_core::Error;
/// use std::time::Duration;
///
/// let err = Error::RateLimited {
///     provider: "nodana",
///     retry_after: Some(Duration::from_secs(2)),
///     message: "Too many requests".into(),
/// };
/// assert!(err.is_retryable());
/// assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
/// assert!(err.to_string().contains("retry after 2s"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The provider did not accept the credentials.
    #[error(
        "{provider}: not authenticated: {message}. The API key may be missing, malformed, expired or revoked; check the key the client was built with"
    )]
    Unauthenticated {
        /// Provider name, e.g. `nodion`.
        provider: &'static str,
        /// The provider's words.
        message: String,
    },

    /// The credentials are valid but may not do this.
    #[error("{provider}: permission denied: {message}{}", ScopeHint(needed_scope.as_deref()))]
    PermissionDenied {
        /// Provider name.
        provider: &'static str,
        /// The scope(s) the call needs, when the client knows them (e.g. `deploy`).
        needed_scope: Option<String>,
        /// The provider's words plus what to check.
        message: String,
    },

    /// The addressed resource does not exist (or is not visible to this key).
    #[error("{provider}: not found: {message}")]
    NotFound {
        /// Provider name.
        provider: &'static str,
        /// What was not found, in the provider's words.
        message: String,
    },

    /// The request conflicts with the resource's current state (e.g. deleting a non-empty project).
    #[error("{provider}: conflict: {message}")]
    Conflict {
        /// Provider name.
        provider: &'static str,
        /// The provider's words and what to do.
        message: String,
    },

    /// An account limit was reached (e.g. Nodana's four projects per account).
    #[error("{provider}: limit exceeded: {message}")]
    LimitExceeded {
        /// Provider name.
        provider: &'static str,
        /// Which limit, and what to do.
        message: String,
    },

    /// The request was refused because an input is invalid. Nothing was changed.
    #[error("{provider}: invalid input{}: {message}", FieldHint(field.as_deref()))]
    InvalidInput {
        /// Provider name.
        provider: &'static str,
        /// The offending field or parameter, when known.
        field: Option<String>,
        /// What is wrong with it.
        message: String,
    },

    /// The provider is throttling this key. The request was not performed.
    #[error("{provider}: rate limited{}: {message}", RetryHint(*retry_after))]
    RateLimited {
        /// Provider name.
        provider: &'static str,
        /// How long the provider asked us to wait, when it said.
        retry_after: Option<Duration>,
        /// The provider's words.
        message: String,
    },

    /// The provider cannot do this operation at all.
    #[error(
        "{operation} is not supported by {provider}; check the provider's capabilities() before calling it"
    )]
    Unsupported {
        /// Provider name.
        provider: &'static str,
        /// The neutral operation, e.g. `create_project`.
        operation: &'static str,
    },

    /// The provider failed (5xx) or answered with a status the client does not understand.
    #[error("{provider}: server error (HTTP {status}): {message}{}", PerformedHint(*maybe_performed))]
    Server {
        /// Provider name.
        provider: &'static str,
        /// HTTP status of the answer.
        status: u16,
        /// The provider's words, or a description of the answer.
        message: String,
        /// Whether a request that must not be replayed may have been performed anyway; see
        /// [`Error::maybe_performed`].
        maybe_performed: bool,
    },

    /// The request could not be sent or its answer could not be read.
    #[error("{provider}: transport error: {message}{}", PerformedHint(*maybe_performed))]
    Transport {
        /// Provider name.
        provider: &'static str,
        /// What failed.
        message: String,
        /// The underlying cause.
        #[source]
        source: Option<BoxError>,
        /// Whether a request that must not be replayed may have been performed anyway.
        maybe_performed: bool,
    },

    /// A request, or a wait for a state, did not finish in time.
    #[error("{provider}: timed out after {after:?}: {what}{}", PerformedHint(*maybe_performed))]
    Timeout {
        /// Provider name.
        provider: &'static str,
        /// What was being waited for, e.g. `waiting for the answer` (the request path puts the
        /// endpoint in front: `GET /apps/{app_id}: waiting for the answer`).
        what: String,
        /// How long we waited.
        after: Duration,
        /// Whether a request that must not be replayed may have been performed anyway.
        maybe_performed: bool,
    },

    /// The answer could not be understood.
    #[error("{provider}: could not decode the answer: {message}; the body starts with: {excerpt}{}", PerformedHint(*maybe_performed))]
    Decode {
        /// Provider name.
        provider: &'static str,
        /// What did not match.
        message: String,
        /// A short excerpt of the body with string values and known secrets removed.
        excerpt: String,
        /// Whether a request that must not be replayed may have been performed anyway (the
        /// provider answered, so it most likely did).
        maybe_performed: bool,
    },

    /// The answer was larger than the client's response-size cap (the smaller of
    /// `max_response_bytes` and `max_buffered_bytes`) and was not read.
    #[error(
        "{provider}: the answer exceeds the {limit}-byte response cap and was not read; raise the cap with max_response_bytes() (and max_buffered_bytes(), which bounds all answers held at once) if this answer is expected to be that large"
    )]
    ResponseTooLarge {
        /// Provider name.
        provider: &'static str,
        /// The cap in bytes.
        limit: u64,
    },

    /// The client was configured with something it cannot use (e.g. a plain-http base URL).
    #[error("{provider}: invalid client configuration: {message}")]
    Config {
        /// Provider name.
        provider: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl Error {
    /// The meaning's one machine-readable name (`not_found`, `rate_limited`, ...), as the CLI's
    /// `--json` output and `nodal mcp`'s tool errors carry it.
    ///
    /// ```
    /// let err = nodal_core::Error::unsupported("nodion", "create_project");
    /// assert_eq!(err.kind(), "unsupported");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
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
        }
    }

    /// Builds [`Error::Unsupported`].
    ///
    /// ```
    /// let err = nodal_core::Error::unsupported("nodion", "create_project");
    /// assert!(err.to_string().contains("create_project is not supported by nodion"));
    /// ```
    pub fn unsupported(provider: &'static str, operation: &'static str) -> Self {
        Error::Unsupported {
            provider,
            operation,
        }
    }

    /// Builds [`Error::InvalidInput`] naming the offending field.
    ///
    /// ```
    /// let err = nodal_core::Error::invalid_input("nodana", "auto_liquidity", "must be 2m, 5m or 10m");
    /// assert!(err.to_string().contains("auto_liquidity"));
    /// ```
    pub fn invalid_input(
        provider: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::InvalidInput {
            provider,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// Whether trying the same request again later may succeed: throttling, server failures,
    /// transport failures and timeouts. The request path additionally checks idempotency before
    /// replaying anything.
    ///
    /// ```
    /// use nodal_core::Error;
    /// assert!(Error::Server { provider: "nodion", status: 503, message: String::new(), maybe_performed: false }.is_retryable());
    /// assert!(!Error::NotFound { provider: "nodion", message: String::new() }.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Server { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// How long the provider asked to wait before the next request, if it said.
    ///
    /// ```
    /// use nodal_core::Error;
    /// assert_eq!(Error::unsupported("nodion", "x").retry_after(), None);
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The provider the error came from.
    ///
    /// ```
    /// assert_eq!(nodal_core::Error::unsupported("nodana", "x").provider(), "nodana");
    /// ```
    pub fn provider(&self) -> &'static str {
        match self {
            Error::Unauthenticated { provider, .. }
            | Error::PermissionDenied { provider, .. }
            | Error::NotFound { provider, .. }
            | Error::Conflict { provider, .. }
            | Error::LimitExceeded { provider, .. }
            | Error::InvalidInput { provider, .. }
            | Error::RateLimited { provider, .. }
            | Error::Unsupported { provider, .. }
            | Error::Server { provider, .. }
            | Error::Transport { provider, .. }
            | Error::Timeout { provider, .. }
            | Error::Decode { provider, .. }
            | Error::ResponseTooLarge { provider, .. }
            | Error::Config { provider, .. } => provider,
        }
    }

    /// Whether the request that failed must not be replayed and may nevertheless have been
    /// performed: it was sent, and no answer said it was refused. A caller must check the
    /// request's effect (e.g. list the apps) before trying the same create again.
    ///
    /// ```
    /// use nodal_core::Error;
    /// let lost = Error::Transport {
    ///     provider: "nodana",
    ///     message: "the connection closed before the answer arrived".into(),
    ///     source: None,
    ///     maybe_performed: true,
    /// };
    /// assert!(lost.maybe_performed());
    /// assert!(lost.to_string().contains("may have been performed"));
    /// assert!(!Error::unsupported("nodana", "x").maybe_performed());
    /// ```
    pub fn maybe_performed(&self) -> bool {
        match self {
            Error::Server {
                maybe_performed, ..
            }
            | Error::Transport {
                maybe_performed, ..
            }
            | Error::Timeout {
                maybe_performed, ..
            }
            | Error::Decode {
                maybe_performed, ..
            } => *maybe_performed,
            _ => false,
        }
    }

    /// Marks the error as the failure of a request that may have been performed (see
    /// [`Error::maybe_performed`]). Variants that always mean "not performed" are returned
    /// unchanged.
    pub fn into_maybe_performed(mut self) -> Self {
        match &mut self {
            Error::Server {
                maybe_performed, ..
            }
            | Error::Transport {
                maybe_performed, ..
            }
            | Error::Timeout {
                maybe_performed, ..
            }
            | Error::Decode {
                maybe_performed, ..
            } => *maybe_performed = true,
            _ => {}
        }
        self
    }

    /// Puts `context` (e.g. `creating app web`) in front of the error's free-text message,
    /// keeping its meaning, fields and source. Variants without a message are returned as they
    /// are. Context is added once, by the layer that knows it.
    ///
    /// ```
    /// use nodal_core::Error;
    /// let err = Error::NotFound { provider: "nodion", message: "Application not found".into() }
    ///     .with_context("GET /applications/{application_id}");
    /// assert!(matches!(err, Error::NotFound { .. }));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "nodion: not found: GET /applications/{application_id}: Application not found"
    /// );
    /// ```
    pub fn with_context(mut self, context: impl fmt::Display) -> Self {
        let Some(text) = self.free_text() else {
            return self;
        };
        *text = if text.is_empty() {
            context.to_string()
        } else {
            format!("{context}: {text}")
        };
        self
    }

    /// The free-text part of the error that context and notes go into, if it has one.
    fn free_text(&mut self) -> Option<&mut String> {
        match self {
            Error::Unauthenticated { message, .. }
            | Error::PermissionDenied { message, .. }
            | Error::NotFound { message, .. }
            | Error::Conflict { message, .. }
            | Error::LimitExceeded { message, .. }
            | Error::InvalidInput { message, .. }
            | Error::RateLimited { message, .. }
            | Error::Server { message, .. }
            | Error::Transport { message, .. }
            | Error::Decode { message, .. }
            | Error::Config { message, .. } => Some(message),
            Error::Timeout { what, .. } => Some(what),
            Error::Unsupported { .. } | Error::ResponseTooLarge { .. } => None,
        }
    }

    /// Appends a sentence to the error's free-text message (e.g. how many attempts were made).
    /// Variants without one are returned unchanged.
    pub fn with_note(mut self, note: impl fmt::Display) -> Self {
        let Some(text) = self.free_text() else {
            return self;
        };
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(&note.to_string());
        self
    }
}

/// The one sentence that tells a caller a failed request may have taken effect.
struct PerformedHint(bool);

impl fmt::Display for PerformedHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            f.write_str("; the request may have been performed and was not replayed because it is not idempotent, so check its effect before trying again")
        } else {
            Ok(())
        }
    }
}

struct ScopeHint<'a>(Option<&'a str>);

impl fmt::Display for ScopeHint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(scope) => write!(f, " (this call needs scope {scope})"),
            None => Ok(()),
        }
    }
}

struct FieldHint<'a>(Option<&'a str>);

impl fmt::Display for FieldHint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(field) => write!(f, " in `{field}`"),
            None => Ok(()),
        }
    }
}

struct RetryHint(Option<Duration>);

impl fmt::Display for RetryHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, " (retry after {}s)", wait.as_secs_f64().ceil() as u64),
            None => Ok(()),
        }
    }
}
