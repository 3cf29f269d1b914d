//! The nodal benchmark harness: what the SDK adds on top of the wire, measured side by side with
//! a hand-rolled `reqwest` client in one run.
//!
//! Seven sections, each a module:
//!
//! | section | module | what it measures |
//! |---|---|---|
//! | per-call overhead | [`overhead`] | sequential GETs, raw reqwest vs each adapter, interleaved in rounds |
//! | limiter precision | [`limiter`] | N concurrent Nodana calls against the strict twin: elapsed vs (N−1) s, violations |
//! | concurrency | [`concurrency`] | 64 concurrent Nodion GETs vs raw reqwest: throughput ratio |
//! | footprint | [`footprint`] | crates in `cargo tree` per feature set, CLI binary size |
//! | limiter under jitter | [`jitter`] | N concurrent calls, zero-tolerance twin, uplink U(0, 200 ms): violations, throughput ratio |
//! | fleet | [`fleet`] | K processes on one key through the file store and Redis: violations, throughput; store cost vs memory |
//! | a command while another waits | [`cli_wait`] | `nodal projects list` during `nodal apps wait`: seconds |
//!
//! The binary (`cargo run --release -p nodal-bench`) prints one table per section and a line per
//! goal; `--json FILE` writes the same figures. See `docs/performance.md`.

#![deny(missing_docs)]

pub mod callers;
pub mod cli_wait;
pub mod concurrency;
pub mod error;
pub mod fixtures;
pub mod fleet;
pub mod footprint;
pub mod jitter;
pub mod limiter;
pub mod machine;
pub mod overhead;
pub mod raw;
pub mod report;
pub mod runner;
pub mod server;
pub mod settings;
pub mod stats;
pub mod table;

pub use error::{BenchError, BenchResult};
pub use settings::{Section, Settings};
