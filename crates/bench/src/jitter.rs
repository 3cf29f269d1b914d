//! Section 5, limiter under jitter: N concurrent Nodana calls from one client against a twin
//! with no tolerance at all and a random uplink latency, uniform in 0–200 ms, so arrival order
//! can differ from send order. The promise is zero violations; the price of spacing from the
//! previous answer is one round trip per interval, reported as a throughput ratio.

use crate::error::{BenchError, BenchResult};
use crate::limiter::SIM_INTERVAL;
use crate::settings::Settings;
use nodal::nodana::NodanaClient;
use nodal_sim::{Provider, RequestRecord, Sim};
use serde::Serialize;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// The goal for the throughput ratio under jitter (of the 1 request/s limit).
pub const GOAL_MIN_THROUGHPUT: f64 = 0.85;

/// The injected uplink latency range.
pub const UPLINK: (Duration, Duration) = (Duration::ZERO, Duration::from_millis(200));

/// The jitter section's figures.
#[derive(Debug, Clone, Serialize)]
pub struct JitterResult {
    /// Concurrent calls from one client.
    pub calls: usize,
    /// Uplink latency range, milliseconds.
    pub uplink_ms: (u64, u64),
    /// Wall time from the first call started to the last answered, seconds.
    pub elapsed_s: f64,
    /// Arrivals per second at the twin (first to last arrival) over the 1 request/s limit.
    pub throughput_ratio: f64,
    /// Smallest gap between two arrivals at the twin, milliseconds.
    pub min_gap_ms: Option<f64>,
    /// Calls that returned an error.
    pub failed_calls: usize,
    /// Violations the zero-tolerance twin counted.
    pub violations: u64,
}

impl JitterResult {
    /// No violation and no failed call (a promise: judged in every mode).
    pub fn meets_safety_goal(&self) -> bool {
        self.violations == 0 && self.failed_calls == 0
    }

    /// Throughput at least [`GOAL_MIN_THROUGHPUT`] of the limit.
    pub fn meets_throughput_goal(&self) -> bool {
        self.throughput_ratio >= GOAL_MIN_THROUGHPUT
    }
}

/// The twin every budget section uses: Nodana at 1 request/s, zero tolerance, jittery uplink.
pub async fn strict_twin() -> BenchResult<Sim> {
    Sim::builder()
        .zero_tolerance()
        .uplink_latency(UPLINK.0, UPLINK.1)
        .start()
        .await
        .map_err(|e| BenchError::new(format!("the twin did not start: {e}")))
}

/// Runs the section against a fresh twin.
pub async fn run(settings: &Settings) -> BenchResult<JitterResult> {
    let sim = strict_twin().await?;
    let calls = settings.jitter_calls.max(2);
    let client = NodanaClient::builder()
        .api_key(sim.nodana_key())
        .base_url(sim.nodana_base_url())
        .build()?;
    let start = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..calls {
        let client = client.clone();
        tasks.spawn(async move { client.projects().list().await });
    }
    let mut failed_calls = 0;
    while let Some(done) = tasks.join_next().await {
        if done?.is_err() {
            failed_calls += 1;
        }
    }
    let elapsed = start.elapsed();
    let arrivals = arrivals(&sim.requests());
    let result = JitterResult {
        calls,
        uplink_ms: (millis(UPLINK.0), millis(UPLINK.1)),
        elapsed_s: elapsed.as_secs_f64(),
        throughput_ratio: throughput_ratio(&arrivals),
        min_gap_ms: min_gap(&arrivals).map(|gap| gap.as_secs_f64() * 1e3),
        failed_calls,
        violations: sim.nodana_violations(),
    };
    sim.shutdown().await;
    Ok(result)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Nodana arrival times in the twin's log, sorted.
pub fn arrivals(records: &[RequestRecord]) -> Vec<Duration> {
    let mut times: Vec<Duration> = records
        .iter()
        .filter(|r| r.provider == Provider::Nodana)
        .map(|r| r.at)
        .collect();
    times.sort_unstable();
    times
}

/// The smallest gap between consecutive arrivals.
pub fn min_gap(arrivals: &[Duration]) -> Option<Duration> {
    arrivals.windows(2).map(|pair| pair[1] - pair[0]).min()
}

/// `(n − 1)` intervals over the time from the first to the last arrival: 1.0 is the limit
/// exactly; 0 with fewer than two arrivals.
pub fn throughput_ratio(arrivals: &[Duration]) -> f64 {
    match (arrivals.first(), arrivals.last()) {
        (Some(first), Some(last)) if last > first => {
            SIM_INTERVAL.as_secs_f64() * (arrivals.len() - 1) as f64
                / (*last - *first).as_secs_f64()
        }
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughput_is_intervals_over_the_arrival_span() {
        let at = |ms: u64| Duration::from_millis(ms);
        let arrivals = [at(0), at(1100), at(2200)];
        let ratio = throughput_ratio(&arrivals);
        assert!((ratio - 2.0 / 2.2).abs() < 1e-9, "{ratio}");
        assert_eq!(min_gap(&arrivals), Some(at(1100)));
        assert_eq!(throughput_ratio(&arrivals[..1]), 0.0);
        assert_eq!(min_gap(&[]), None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn three_jittered_calls_meet_the_zero_tolerance_twin_without_violation() {
        let settings = Settings {
            jitter_calls: 3,
            ..Settings::quick()
        };
        let result = run(&settings).await.unwrap();
        assert_eq!(result.calls, 3);
        assert_eq!(result.violations, 0);
        assert_eq!(result.failed_calls, 0);
        assert!(result.meets_safety_goal());
        // Arrivals were spaced at least the interval apart.
        assert!(
            result.min_gap_ms.unwrap() >= 1000.0,
            "{:?}",
            result.min_gap_ms
        );
    }
}
