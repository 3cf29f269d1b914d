#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod apps;
mod client;
mod created;
pub mod endpoints;
mod projects;
mod protocol;
mod provider;
mod services;
mod templates;
mod wait;

pub use apps::{App, AppAction, AppStatus, AppUpdate, AppsApi, NewApp};
pub use client::{API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, NodanaClient, NodanaClientBuilder};
pub use created::CreatedApp;
pub use projects::{CreatedProject, DeletedProject, Project, ProjectsApi, RenamedProject};
pub use protocol::NodanaProtocol;
pub use provider::normalise_app_status;
pub use services::{Service, ServiceId, ServiceUpdate, ServicesApi};
pub use templates::{
    AutoLiquidity, CustomTemplate, LiquidityParams, MintParams, NutshellParams, PhoenixdParams,
    Template, VssParams,
};
