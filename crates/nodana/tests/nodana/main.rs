//! The Nodana adapter against a mock server: every endpoint on the wire, the error table, the
//! rate limiter, the neutral traits and secrecy. One test binary, one module per concern.

// Fixture helpers outside `#[test]` functions build clients and may unwrap too; clippy's
// allow-in-tests settings do not cover them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod errors;
mod limiter;
mod neutral;
mod secrets;
mod wire;
