//! nodal's workspace-level tests, as one binary (one link instead of one per area): the
//! conformance suite, the fault matrix, the secret canary, decoder fuzzing, load, the shared
//! request path, transport safety, hostile servers, and the drift checks of the adapters against the twin.
//!
//! Run one area with a filter on its module, e.g.
//! `cargo nextest run -p nodal-tests -E 'test(/^fault_matrix::/)'`.
//!
//! The secret canary installs a process-wide tracing subscriber. Under nextest every test is a
//! process of its own, so it sees only its own test; under `cargo test` it also collects the logs
//! of the tests running alongside it, which only makes its check stricter.

// Clippy's `allow-*-in-tests` (clippy.toml) covers `#[test]` functions only, not the helpers of
// a test binary; a helper that cannot set up its fixture should fail the test loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod budget;
mod conformance;
mod drift;
mod fault_matrix;
mod fuzz_decoders;
mod hostile;
mod load;
mod request_path;
mod secret_canary;
mod transport_safety;
