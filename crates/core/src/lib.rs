#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod budget;
mod capabilities;
mod credentials;
mod error;
mod ids;
mod macros;
mod model;
mod provider;
mod spec;
mod transport;
mod validate;
mod wait;

pub mod raw {
    //! The implementer API: what an adapter (or a fuzzer of one) needs to speak to a provider
    //! through the shared request path. Applications use the adapters' clients and the neutral
    //! traits instead; nothing here is needed to call a provider.
    //!
    //! An adapter supplies a [`Protocol`] (its one decoder and wire-error mapping) and an
    //! [`Auth`] scheme, lists every endpoint as one [`Endpoint`](crate::Endpoint) row, and
    //! sends [`Request`]s built from the rows through one [`HttpClient`]. The macros
    //! [`typed_id!`](crate::typed_id), [`wire_enum!`](crate::wire_enum) and
    //! [`client_options_setters!`](crate::client_options_setters) give both adapters one shape.

    pub use crate::transport::{
        Auth, HttpClient, HttpClientBuilder, MAX_PROVIDER_WORDS, Protocol, RawResponse, Removal,
        Request, check_endpoint_table, is_loopback, safe_url,
    };
    pub use crate::validate::{ConfigVars, is_uuid, non_empty};
    /// HTTP vocabulary types used in [`RawResponse`] and [`Request`] signatures.
    pub use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
}

#[doc(hidden)]
pub mod __private {
    //! Paths the exported macros expand to; not an API.
    pub use serde;
}

pub use budget::{ENV_RATE_LIMIT_URL, RateBudget};
pub use capabilities::Capabilities;
pub use credentials::{CreatedApp, Credentials, ExposedCredentials};
pub use error::{BoxError, Error, Result};
pub use ids::{AppId, DeploymentId, ProjectId};
pub use model::{App, AppStatus, DeployOptions, Deployment, DeploymentStatus, Project};
pub use provider::{Apps, Deployments, Projects, Provider};
pub use spec::{AppSource, AppSpec, EnvVar};
pub use transport::{
    ClientOptions, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_RESPONSE_BYTES, Endpoint, Method, Quota,
    RateLimit, RetryConfig, Timeouts,
};
pub use wait::{WaitOptions, WaitUntil, wait_until};

/// The HTTP client library nodal sends through, re-exported so a caller who brings their own
/// client ([`ClientOptions::http_client`]) builds it with the same version.
pub use reqwest;

/// The `async_trait` attribute the provider traits are declared with, for implementing them.
pub use async_trait::async_trait;
/// Secret types used throughout (tokens, environment values, credentials).
pub use secrecy::{ExposeSecret, SecretString};
