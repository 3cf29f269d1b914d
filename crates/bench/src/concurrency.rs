//! Section 3, concurrency: W concurrent workers of sequential Nodion `regions()` calls (no quota)
//! against W workers of raw reqwest, on the loopback server. Rounds alternate which side goes
//! first; the figures are throughput (calls/s) over all rounds and the throughput ratio
//! nodal/raw, taken as the median of the per-round ratios so that a burst of load from another
//! process during one round does not decide the figure.

use crate::callers::{Caller, NodalNodion, RawNodion};
use crate::error::BenchResult;
use crate::fixtures::LOOPBACK_NODION_KEY;
use crate::raw::RawClient;
use crate::server::LoopbackServer;
use crate::settings::Settings;
use crate::stats::ratio;
use nodal::nodion::NodionClient;
use serde::Serialize;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// The goal: nodal's throughput at least 95 % of raw reqwest's.
pub const GOAL_MIN_RATIO: f64 = 0.95;

/// The concurrency section's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ConcurrencyResult {
    /// Concurrent workers per side.
    pub workers: usize,
    /// Calls per side.
    pub calls_per_side: usize,
    /// Raw reqwest, calls per second.
    pub raw_calls_per_s: f64,
    /// nodal, calls per second.
    pub nodal_calls_per_s: f64,
    /// Median over rounds of nodal / raw throughput (the judged figure).
    pub ratio: f64,
    /// nodal / raw throughput over all rounds together.
    pub total_ratio: f64,
}

impl ConcurrencyResult {
    /// Whether the ratio meets [`GOAL_MIN_RATIO`].
    pub fn meets_goal(&self) -> bool {
        self.ratio >= GOAL_MIN_RATIO
    }
}

/// Runs the section against `server`.
pub async fn run(server: &LoopbackServer, settings: &Settings) -> BenchResult<ConcurrencyResult> {
    let nodal = NodalNodion(
        NodionClient::builder()
            .user_key(LOOPBACK_NODION_KEY)
            .base_url(server.nodion_base_url())
            .build()?,
    );
    let raw = RawNodion(RawClient::nodion(
        &server.nodion_base_url(),
        LOOPBACK_NODION_KEY,
    )?);
    compare(settings, &raw, &nodal)
        .await
        .map_err(|e| e.context("concurrency (Nodion)"))
}

/// Warms both sides up with one call per worker, then runs the rounds.
pub async fn compare<A: Caller, B: Caller>(
    settings: &Settings,
    raw: &A,
    nodal: &B,
) -> BenchResult<ConcurrencyResult> {
    let workers = settings.concurrency_workers.max(1);
    let rounds = settings.concurrency_rounds.max(1);
    let per_worker_per_round = settings
        .concurrency_calls_per_worker
        .div_ceil(rounds)
        .max(1);
    // Opens the connections both pools will reuse.
    burst(raw, workers, 1).await?;
    burst(nodal, workers, 1).await?;

    let mut raw_time = Duration::ZERO;
    let mut nodal_time = Duration::ZERO;
    let mut round_ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (raw_round, nodal_round) = if round % 2 == 0 {
            let raw_round = burst(raw, workers, per_worker_per_round).await?;
            (
                raw_round,
                burst(nodal, workers, per_worker_per_round).await?,
            )
        } else {
            let nodal_round = burst(nodal, workers, per_worker_per_round).await?;
            (
                burst(raw, workers, per_worker_per_round).await?,
                nodal_round,
            )
        };
        // Same number of calls on both sides: throughput ratio = inverse time ratio.
        round_ratios.push(ratio(raw_round.as_secs_f64(), nodal_round.as_secs_f64()));
        raw_time += raw_round;
        nodal_time += nodal_round;
    }
    let calls = workers * per_worker_per_round * rounds;
    let raw_calls_per_s = ratio(calls as f64, raw_time.as_secs_f64());
    let nodal_calls_per_s = ratio(calls as f64, nodal_time.as_secs_f64());
    Ok(ConcurrencyResult {
        workers,
        calls_per_side: calls,
        raw_calls_per_s,
        nodal_calls_per_s,
        ratio: median(&mut round_ratios),
        total_ratio: ratio(nodal_calls_per_s, raw_calls_per_s),
    })
}

/// The median of `values` (the mean of the two middle ones for an even count; 0 when empty).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// `workers` tasks each making `calls` sequential calls; the wall time until all are done.
async fn burst<C: Caller>(caller: &C, workers: usize, calls: usize) -> BenchResult<Duration> {
    let start = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..workers {
        let caller = caller.clone();
        tasks.spawn(async move {
            for _ in 0..calls {
                caller.call_checked().await?;
            }
            BenchResult::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn both_sides_make_the_same_number_of_calls() {
        let server = LoopbackServer::start().await.unwrap();
        let settings = Settings {
            concurrency_workers: 8,
            concurrency_calls_per_worker: 6,
            concurrency_rounds: 2,
            ..Settings::quick()
        };
        let result = run(&server, &settings).await.unwrap();
        assert_eq!(result.workers, 8);
        assert_eq!(result.calls_per_side, 48);
        assert!(result.raw_calls_per_s > 0.0 && result.nodal_calls_per_s > 0.0);
        let expected = result.nodal_calls_per_s / result.raw_calls_per_s;
        assert!((result.total_ratio - expected).abs() < 1e-12);
        assert!(result.ratio > 0.0);
    }

    #[test]
    fn the_goal_is_ninety_five_percent() {
        let result = |ratio| ConcurrencyResult {
            workers: 64,
            calls_per_side: 1,
            raw_calls_per_s: 1.0,
            nodal_calls_per_s: ratio,
            ratio,
            total_ratio: ratio,
        };
        assert!(result(0.95).meets_goal());
        assert!(!result(0.949).meets_goal());
    }

    #[test]
    fn median_of_ratios() {
        assert_eq!(median(&mut [1.2, 0.9, 1.0]), 1.0);
        assert_eq!(median(&mut [1.0, 0.8, 0.9, 1.1]), 0.95);
        assert_eq!(median(&mut []), 0.0);
    }
}
