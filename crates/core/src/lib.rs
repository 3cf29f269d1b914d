#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod capabilities;
mod credentials;
mod error;
pub mod http;
mod ids;
mod model;
mod provider;
mod spec;
mod wait;

pub use capabilities::Capabilities;
pub use credentials::{CreatedApp, Credentials, ExposedCredentials};
pub use error::{BoxError, Error, Result};
pub use ids::{AppId, DeploymentId, ProjectId};
pub use model::{App, AppStatus, DeployOptions, Deployment, DeploymentStatus, Project};
pub use provider::{Apps, Deployments, Projects, Provider};
pub use spec::{AppSource, AppSpec, EnvVar};
pub use wait::{WaitOptions, WaitUntil, wait_until};

/// The `async_trait` attribute the provider traits are declared with, for implementing them.
pub use async_trait::async_trait;
/// Secret types used throughout (tokens, environment values, credentials).
pub use secrecy::{ExposeSecret, SecretString};
