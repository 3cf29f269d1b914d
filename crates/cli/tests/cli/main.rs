//! End-to-end tests of the `nodal` binary, each against its own twin started in the test.
//! Tokens reach the tool only through environment variables, and every run asserts that no
//! token appears in its stdout or stderr.

// Clippy's `allow-*-in-tests` (clippy.toml) covers `#[test]` functions only, not the helpers of
// a test binary; a helper that cannot set up its fixture should fail the test loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod budget;
mod common;
mod contract;
mod demo;
mod errors;
mod hostile;
mod logs;
mod mcp;
mod nodana;
mod nodion;
mod offline;
mod readme;
mod reference_server;
mod sim_serve;
