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
}

impl Section {
    /// Every section, in the order they run.
    pub const ALL: [Section; 4] = [
        Section::Overhead,
        Section::Limiter,
        Section::Concurrency,
        Section::Footprint,
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
