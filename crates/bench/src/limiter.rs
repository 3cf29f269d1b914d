//! Section 2, limiter precision: N concurrent Nodana calls from several clones of one client
//! against the strict twin (1 request/s per key, 50 ms tolerance). The ideal is (N−1) s with no
//! violation. A "no limiter" baseline fires the same N calls with raw reqwest on a fresh key.

use crate::error::{BenchError, BenchResult};
use crate::fixtures::DataEnvelope;
use crate::raw::RawClient;
use crate::settings::Settings;
use crate::stats::ratio;
use nodal::nodana::{NodanaClient, Project};
use nodal_sim::{Provider, RequestRecord, Sim};
use serde::Serialize;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// The twin's minimum gap between two requests of one Nodana key (its default).
pub const SIM_INTERVAL: Duration = Duration::from_secs(1);

/// The limiter section's figures.
#[derive(Debug, Clone, Serialize)]
pub struct LimiterResult {
    /// Concurrent calls.
    pub calls: usize,
    /// Clones of the one client the calls were spread over.
    pub clones: usize,
    /// Wall time from the first call started to the last answered, seconds.
    pub elapsed_s: f64,
    /// (N−1) × the twin's interval, seconds.
    pub ideal_s: f64,
    /// elapsed / ideal.
    pub ratio: f64,
    /// Smallest gap between two requests as the twin saw them, milliseconds.
    pub min_gap_ms: Option<f64>,
    /// Calls that returned an error.
    pub failed_calls: usize,
    /// Rate-limit violations the twin counted for nodal's key.
    pub violations: u64,
    /// The raw-reqwest baseline without a limiter.
    pub baseline: BaselineResult,
}

impl LimiterResult {
    /// The goal: no violation and no failed call.
    pub fn meets_goal(&self) -> bool {
        self.violations == 0 && self.failed_calls == 0
    }
}

/// The same calls through raw reqwest, all at once.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineResult {
    /// Concurrent calls.
    pub calls: usize,
    /// Wall time, seconds.
    pub elapsed_s: f64,
    /// Calls answered with data.
    pub succeeded: usize,
    /// Calls refused (Nodana's rate-limit payload does not decode as data).
    pub rejected: usize,
    /// Violations the twin counted for the baseline's key (expected N−1).
    pub violations: u64,
}

/// Runs the section against a fresh twin.
pub async fn run(settings: &Settings) -> BenchResult<LimiterResult> {
    let sim = Sim::builder()
        .start()
        .await
        .map_err(|e| BenchError::new(format!("the twin did not start: {e}")))?;
    let calls = settings.limiter_calls.max(1);
    let clones = settings.limiter_clones.max(1);

    let client = NodanaClient::builder()
        .api_key(sim.nodana_key())
        .base_url(sim.nodana_base_url())
        .build()?;
    let before = sim.counters().nodana_rate_limit_violations;
    let clients: Vec<NodanaClient> = (0..clones).map(|_| client.clone()).collect();
    let start = Instant::now();
    let mut tasks = JoinSet::new();
    for i in 0..calls {
        let client = clients[i % clones].clone();
        tasks.spawn(async move { client.projects().list().await });
    }
    let mut failed_calls = 0;
    while let Some(done) = tasks.join_next().await {
        if done?.is_err() {
            failed_calls += 1;
        }
    }
    let elapsed = start.elapsed();
    let violations = sim.counters().nodana_rate_limit_violations - before;
    let min_gap_ms = min_gap(&sim.requests()).map(|gap| gap.as_secs_f64() * 1e3);

    let baseline = baseline(&sim, calls).await?;
    let ideal = SIM_INTERVAL.as_secs_f64() * (calls - 1) as f64;
    Ok(LimiterResult {
        calls,
        clones,
        elapsed_s: elapsed.as_secs_f64(),
        ideal_s: ideal,
        ratio: ratio(elapsed.as_secs_f64(), ideal),
        min_gap_ms,
        failed_calls,
        violations,
        baseline,
    })
}

/// The same N calls through raw reqwest at once, on a fresh key of the same twin.
async fn baseline(sim: &Sim, calls: usize) -> BenchResult<BaselineResult> {
    let raw = RawClient::nodana(&sim.nodana_base_url(), &sim.issue_nodana_key())?;
    let before = sim.counters().nodana_rate_limit_violations;
    let start = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..calls {
        let raw = raw.clone();
        tasks.spawn(async move { raw.get::<DataEnvelope<Vec<Project>>>().await });
    }
    let mut succeeded = 0;
    let mut rejected = 0;
    while let Some(done) = tasks.join_next().await {
        match done? {
            Ok(_) => succeeded += 1,
            Err(_) => rejected += 1,
        }
    }
    Ok(BaselineResult {
        calls,
        elapsed_s: start.elapsed().as_secs_f64(),
        succeeded,
        rejected,
        violations: sim.counters().nodana_rate_limit_violations - before,
    })
}

/// The smallest gap between consecutive Nodana requests in the twin's log.
pub fn min_gap(records: &[RequestRecord]) -> Option<Duration> {
    let mut times: Vec<Duration> = records
        .iter()
        .filter(|r| r.provider == Provider::Nodana)
        .map(|r| r.at)
        .collect();
    times.sort_unstable();
    times.windows(2).map(|pair| pair[1] - pair[0]).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn three_calls_take_two_seconds_without_violations_and_the_baseline_violates() {
        let settings = Settings {
            limiter_calls: 3,
            limiter_clones: 2,
            ..Settings::quick()
        };
        let result = run(&settings).await.unwrap();
        assert_eq!(result.calls, 3);
        assert_eq!(result.violations, 0);
        assert_eq!(result.failed_calls, 0);
        assert!(result.meets_goal());
        assert_eq!(result.ideal_s, 2.0);
        assert!(result.elapsed_s >= 1.9, "{}", result.elapsed_s);
        assert!(
            result.min_gap_ms.unwrap() >= 950.0,
            "{:?}",
            result.min_gap_ms
        );
        // All three at once: the first is accepted, the other two refused and counted.
        assert_eq!(result.baseline.violations, 2);
        assert_eq!(result.baseline.succeeded, 1);
        assert_eq!(result.baseline.rejected, 2);
    }

    #[test]
    fn min_gap_looks_at_consecutive_nodana_requests() {
        let record = |ms: u64, provider: Provider| RequestRecord {
            at: Duration::from_millis(ms),
            provider,
            method: "GET".into(),
            path: "/projects".into(),
            key_id: None,
            status: 200,
            user_agent: None,
            extra_headers: Vec::new(),
        };
        let records = [
            record(2000, Provider::Nodana),
            record(0, Provider::Nodana),
            record(1000, Provider::Nodana),
            record(1500, Provider::Nodion),
        ];
        assert_eq!(min_gap(&records), Some(Duration::from_millis(1000)));
        assert_eq!(min_gap(&records[..1]), None);
    }
}
