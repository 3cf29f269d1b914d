//! Wire tests of the Nodion adapter against httpmock servers: method, full path, headers, exact
//! JSON bodies, decoding of documented shapes, error mapping, retries and the neutral traits.

// Fixture helpers outside `#[test]` functions build clients and may unwrap too; clippy's
// allow-in-tests settings do not cover them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod applications;
mod catalog;
mod config;
mod deployments;
mod dns;
mod domains;
mod email_zones;
mod env;
mod errors;
mod instances;
mod integrations;
mod logs;
mod processes;
mod provider;
mod reference;
mod registries;
mod runners;
mod scaling;
mod scopes;
mod ssh_keys;
