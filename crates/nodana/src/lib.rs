#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod apps;
mod client;
mod created;
pub mod endpoints;
mod projects;
mod protocol;
mod provider;
pub mod raw;
mod services;
mod templates;
mod wait;

pub use apps::{App, AppAction, AppStatus, AppUpdate, AppsApi, NewApp};
pub use client::{DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL, NodanaClient, NodanaClientBuilder};
pub use created::CreatedApp;
/// Where the key's rate budget lives (memory, file or Redis); see [`nodal_core::RateBudget`].
pub use nodal_core::RateBudget;
pub use projects::{CreatedProject, DeletedProject, Project, ProjectsApi, RenamedProject};
pub use services::{Service, ServiceId, ServiceUpdate, ServicesApi};
pub use templates::{
    AutoLiquidity, CustomTemplate, LiquidityParams, MintParams, NutshellParams, ParamKind,
    PhoenixdParams, Template, TemplateParam, TemplateRow, VssParams,
};
