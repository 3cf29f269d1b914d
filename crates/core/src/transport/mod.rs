//! The one request path both adapters use: build → rate-limit → send (with a per-attempt
//! timeout) → read a capped body → classify through the provider's [`Protocol`] → retry when safe.
//!
//! Adapters configure an [`HttpClient`] with their [`Protocol`] (how to turn an answer into a
//! value or an [`crate::Error`]) and [`Auth`] scheme, then build each call from an [`Endpoint`]
//! row. Keeping this in one place is how the three promises are kept once for every provider:
//! never exceed the rate limit ([`RateLimit`]), never send a create twice (the row's
//! idempotency), never leak a secret ([`Auth`], redacted excerpts).

mod attempt;
mod auth;
mod base_url;
mod buffer;
mod builder;
mod endpoint;
mod executor;
mod limit;
mod options;
#[cfg(test)]
mod properties;
mod redact;
mod replay;
mod request;
mod response;
mod retry;
mod url_cache;

pub use auth::Auth;
pub use base_url::{is_loopback, safe_url};
pub use builder::HttpClientBuilder;
pub use endpoint::{Endpoint, Method, check_endpoint_table};
pub use executor::{HttpClient, Removal};
pub use limit::{Quota, RateLimit};
pub use options::{ClientOptions, Timeouts};
pub use request::Request;
pub use response::{MAX_PROVIDER_WORDS, Protocol, RawResponse};
pub use retry::RetryConfig;

/// Default cap on the size of one response body: 8 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

/// Default bound on the answer bytes one client (with all its clones) holds in memory at once:
/// 64 MiB, eight answers at the default per-answer cap. See
/// [`ClientOptions::max_buffered_bytes`].
pub const DEFAULT_MAX_BUFFERED_BYTES: u64 = 64 * 1024 * 1024;
