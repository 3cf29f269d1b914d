//! The harness's one error type: a message saying which step failed.

use std::fmt;

/// A step of the harness failed (a call errored, a server could not start, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchError {
    message: String,
}

/// `Result` with [`BenchError`].
pub type BenchResult<T> = Result<T, BenchError>;

impl BenchError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        BenchError {
            message: message.into(),
        }
    }

    /// Prefixes the message with what was being done.
    pub fn context(self, what: &str) -> Self {
        BenchError::new(format!("{what}: {}", self.message))
    }
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BenchError {}

impl From<nodal::Error> for BenchError {
    fn from(error: nodal::Error) -> Self {
        BenchError::new(format!("nodal: {error}"))
    }
}

impl From<reqwest::Error> for BenchError {
    fn from(error: reqwest::Error) -> Self {
        BenchError::new(format!("reqwest: {error}"))
    }
}

impl From<std::io::Error> for BenchError {
    fn from(error: std::io::Error) -> Self {
        BenchError::new(format!("I/O: {error}"))
    }
}

impl From<tokio::task::JoinError> for BenchError {
    fn from(error: tokio::task::JoinError) -> Self {
        BenchError::new(format!("a benchmark task failed: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_prefixes_the_message() {
        let err = BenchError::new("connection refused").context("overhead (Nodana)");
        assert_eq!(err.to_string(), "overhead (Nodana): connection refused");
    }
}
