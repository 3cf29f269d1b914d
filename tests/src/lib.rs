//! Shared helpers for nodal's workspace-level tests. The tests themselves live in `tests/`.

#![deny(missing_docs)]

use nodal_core::Error;
use nodal_core::http::{Protocol, RawResponse};
use serde::de::DeserializeOwned;

/// A minimal protocol for exercising the shared request path without a provider adapter:
/// 2xx bodies are JSON, 429 is rate limiting (with `Retry-After`), 5xx is a server error and
/// anything else is invalid input.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainJson;

impl Protocol for PlainJson {
    fn provider(&self) -> &'static str {
        "plain"
    }

    fn decode<T: DeserializeOwned>(&self, response: &RawResponse<'_>) -> Result<T, Error> {
        let status = response.status();
        if status.is_success() {
            return response.json();
        }
        let message = response.scrub(&String::from_utf8_lossy(response.body()));
        Err(match status.as_u16() {
            429 => Error::RateLimited {
                provider: "plain",
                retry_after: response.retry_after(),
                message,
            },
            500..=599 => Error::Server {
                provider: "plain",
                status: status.as_u16(),
                message,
            },
            _ => Error::InvalidInput {
                provider: "plain",
                field: None,
                message,
            },
        })
    }
}

pub mod conformance;
