//! How big each section runs: quick mode (CI, seconds) or full mode (the documented figures).

use serde::Serialize;

/// One section of the harness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Per-call overhead vs raw reqwest.
    Overhead,
    /// Limiter precision against the strict twin.
    Limiter,
    /// Concurrent throughput vs raw reqwest.
    Concurrency,
    /// Crate counts and binary size.
    Footprint,
    /// The limiter against a zero-tolerance twin with a jittery uplink.
    Jitter,
    /// Several processes sharing one budget through the file store and Redis.
    Fleet,
    /// `nodal projects list` while another command waits.
    CliWait,
}

impl Section {
    /// Every section, in the order they run.
    pub const ALL: [Section; 7] = [
        Section::Overhead,
        Section::Limiter,
        Section::Concurrency,
        Section::Footprint,
        Section::Jitter,
        Section::Fleet,
        Section::CliWait,
    ];
}

/// The sizes of every section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Quick mode: small sizes, figures not judged.
    pub quick: bool,
    /// Sequential calls per side and adapter in the overhead section.
    pub overhead_calls: usize,
    /// Rounds the overhead calls are split into (the side going first alternates).
    pub overhead_rounds: usize,
    /// Untimed calls per side before measuring.
    pub warmup_calls: usize,
    /// Concurrent Nodana calls in the limiter section.
    pub limiter_calls: usize,
    /// Clones of the one Nodana client the limiter calls are spread over.
    pub limiter_clones: usize,
    /// Concurrent workers per side in the concurrency section.
    pub concurrency_workers: usize,
    /// Sequential calls per worker and side in the concurrency section.
    pub concurrency_calls_per_worker: usize,
    /// Rounds the concurrency calls are split into (the side going first alternates).
    pub concurrency_rounds: usize,
    /// Build the CLI in release mode when its binary is missing (full mode only).
    pub build_cli: bool,
    /// Concurrent calls from one client in the jitter section.
    pub jitter_calls: usize,
    /// Worker processes per store in the fleet section.
    pub fleet_processes: usize,
    /// Calls per worker process in the fleet section.
    pub fleet_calls_per_process: usize,
    /// Sequential calls per store when measuring the stores' per-request cost.
    pub store_cost_calls: usize,
    /// How long the app takes to start in the CLI-wait section, milliseconds.
    pub cli_wait_start_delay_ms: u64,
}

impl Settings {
    /// Full mode: the figures in `docs/performance.md`.
    pub fn full() -> Self {
        Settings {
            quick: false,
            overhead_calls: 20_000,
            overhead_rounds: 200,
            warmup_calls: 500,
            limiter_calls: 30,
            limiter_clones: 4,
            concurrency_workers: 64,
            concurrency_calls_per_worker: 500,
            concurrency_rounds: 20,
            build_cli: true,
            jitter_calls: 30,
            fleet_processes: 3,
            fleet_calls_per_process: 10,
            store_cost_calls: 300,
            cli_wait_start_delay_ms: 10_000,
        }
    }

    /// Quick mode: every section runs, in a few seconds even in a debug build.
    pub fn quick() -> Self {
        Settings {
            quick: true,
            overhead_calls: 1_000,
            overhead_rounds: 10,
            warmup_calls: 50,
            limiter_calls: 5,
            limiter_clones: 4,
            concurrency_workers: 64,
            concurrency_calls_per_worker: 20,
            concurrency_rounds: 2,
            build_cli: false,
            jitter_calls: 4,
            fleet_processes: 2,
            fleet_calls_per_process: 2,
            store_cost_calls: 30,
            cli_wait_start_delay_ms: 4_000,
        }
    }

    /// The mode's name, as printed.
    pub fn mode(&self) -> &'static str {
        if self.quick { "quick" } else { "full" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_mode_meets_the_documented_sizes() {
        let full = Settings::full();
        assert!(full.overhead_calls >= 10_000);
        assert_eq!(full.limiter_calls, 30);
        assert_eq!(full.concurrency_workers, 64);
        assert!(full.build_cli);
        assert_eq!(full.jitter_calls, 30);
        assert_eq!(
            (full.fleet_processes, full.fleet_calls_per_process),
            (3, 10)
        );
        assert_eq!(full.mode(), "full");
    }

    #[test]
    fn quick_mode_is_small() {
        let quick = Settings::quick();
        assert!(quick.overhead_calls <= 2_000);
        assert!(quick.limiter_calls <= 5);
        assert!(!quick.build_cli);
        assert_eq!(quick.mode(), "quick");
    }
}
