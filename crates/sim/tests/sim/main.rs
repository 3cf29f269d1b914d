//! The twin's integration tests, one binary (one link, one run) with a module per subject. They
//! talk to the twin with plain reqwest, never through the adapters, so the twin is checked on its
//! own.

// Clippy's `allow-*-in-tests` covers only `#[test]` functions; the helpers of a test binary
// (`common`, fixtures in the modules) may unwrap and panic as well.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod binary;
mod faults;
mod nodana;
mod nodana_rate_limit;
mod nodion_auth;
mod nodion_reference;
mod nodion_resources;
mod nodion_scopes;
mod observe;
