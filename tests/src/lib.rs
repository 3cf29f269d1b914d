//! Shared helpers for nodal's workspace-level tests. The tests themselves live in `tests/`.

#![deny(missing_docs)]
// Test helpers, built as a plain library (not `cfg(test)`), so clippy.toml's test allowances do
// not reach them; a helper that cannot set up its fixture should fail the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use nodal_core::Error;
use nodal_core::raw::{Protocol, RawResponse};
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
                maybe_performed: false,
            },
            _ => Error::InvalidInput {
                provider: "plain",
                field: None,
                message,
            },
        })
    }
}

/// The two adapters, for tables that run on both (`nodal::ProviderKind` is non-exhaustive, so a
/// match on it cannot be checked for completeness here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Adapter {
    /// `nodal::nodana`.
    Nodana,
    /// `nodal::nodion`.
    Nodion,
}

impl Adapter {
    /// Both, in the order of the docs.
    pub const ALL: [Adapter; 2] = [Adapter::Nodana, Adapter::Nodion];

    /// The provider's name, as `Provider::name` reports it.
    pub fn name(self) -> &'static str {
        match self {
            Adapter::Nodana => "nodana",
            Adapter::Nodion => "nodion",
        }
    }

    /// The twin's name for it.
    pub fn sim(self) -> nodal_sim::Provider {
        match self {
            Adapter::Nodana => nodal_sim::Provider::Nodana,
            Adapter::Nodion => nodal_sim::Provider::Nodion,
        }
    }
}

impl std::fmt::Display for Adapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub mod canary;
pub mod capture;
pub mod conformance;
pub mod fault_matrix;
pub mod fuzz;
pub mod loopback;
pub mod memory;
