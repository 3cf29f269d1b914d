//! Section 1, per-call overhead: N sequential GETs through raw reqwest (a) and through each
//! adapter (b), limiter and retry configured but never triggered, against the loopback server.
//!
//! Both sides are warmed up, then measured in rounds that alternate which side goes first, so
//! machine drift (frequency scaling, other processes) hits both alike. Each call is timed with
//! `Instant`. Reported: median, p99 and mean per side, the ratio of the overall medians b/a, and
//! the judged figure, the median over rounds of each round's median ratio b/a. Rounds are a few
//! milliseconds long, so the two halves of a round see the same machine state; on a busy machine
//! the per-call times form two clusters (cores awake or asleep), and the overall median can jump
//! between them while the per-round comparison stays like with like.

use crate::callers::{Caller, NodalNodana, NodalNodion, RawNodana, RawNodion};
use crate::error::BenchResult;
use crate::fixtures::{LOOPBACK_NODANA_KEY, LOOPBACK_NODION_KEY};
use crate::raw::RawClient;
use crate::server::LoopbackServer;
use crate::settings::Settings;
use crate::stats::{Summary, ratio};
use nodal::nodana::NodanaClient;
use nodal::nodion::NodionClient;
use nodal::{Quota, RateLimit, RetryConfig};
use serde::Serialize;
use std::time::{Duration, Instant};

/// The goal: nodal's median per call at most 3 % above raw reqwest's.
pub const GOAL_MAX_RATIO: f64 = 1.03;

/// A quota so high the limiter runs on every call but never waits.
pub const NEVER_WAITING_QUOTA: u32 = 1_000_000;

/// One adapter against raw reqwest.
#[derive(Debug, Clone, Serialize)]
pub struct OverheadRow {
    /// `Nodana` or `Nodion`.
    pub adapter: &'static str,
    /// The call, e.g. `projects().list()`.
    pub call: &'static str,
    /// Raw reqwest per call.
    pub raw: Summary,
    /// nodal per call.
    pub nodal: Summary,
    /// Median over rounds of (nodal median / raw median) within the round: the judged figure.
    pub median_ratio: f64,
    /// nodal median / raw median over all calls.
    pub overall_median_ratio: f64,
    /// nodal p99 / raw p99.
    pub p99_ratio: f64,
}

impl OverheadRow {
    /// Whether the median ratio meets [`GOAL_MAX_RATIO`].
    pub fn meets_goal(&self) -> bool {
        self.median_ratio <= GOAL_MAX_RATIO
    }
}

/// Runs the section for both adapters against `server`.
pub async fn run(server: &LoopbackServer, settings: &Settings) -> BenchResult<Vec<OverheadRow>> {
    let never_waiting = RateLimit::new(Quota::per_second(NEVER_WAITING_QUOTA));

    let nodana = NodanaClient::builder()
        .api_key(LOOPBACK_NODANA_KEY)
        .base_url(server.nodana_base_url())
        .rate_limit(never_waiting.clone())
        .retry(RetryConfig::default())
        .build()?;
    let raw_nodana = RawClient::nodana(&server.nodana_base_url(), LOOPBACK_NODANA_KEY)?;
    let nodana_row = compare(
        "Nodana",
        "projects().list()",
        settings,
        &RawNodana(raw_nodana),
        &NodalNodana(nodana),
    )
    .await
    .map_err(|e| e.context("overhead (Nodana)"))?;

    let nodion = NodionClient::builder()
        .user_key(LOOPBACK_NODION_KEY)
        .base_url(server.nodion_base_url())
        .rate_limit(never_waiting)
        .retry(RetryConfig::default())
        .build()?;
    let raw_nodion = RawClient::nodion(&server.nodion_base_url(), LOOPBACK_NODION_KEY)?;
    let nodion_row = compare(
        "Nodion",
        "regions()",
        settings,
        &RawNodion(raw_nodion),
        &NodalNodion(nodion),
    )
    .await
    .map_err(|e| e.context("overhead (Nodion)"))?;

    Ok(vec![nodana_row, nodion_row])
}

/// Warms both sides up, then times `settings.overhead_calls` sequential calls per side in
/// alternating rounds.
pub async fn compare<A: Caller, B: Caller>(
    adapter: &'static str,
    call: &'static str,
    settings: &Settings,
    raw: &A,
    nodal: &B,
) -> BenchResult<OverheadRow> {
    for _ in 0..settings.warmup_calls {
        raw.call_checked().await?;
        nodal.call_checked().await?;
    }
    let rounds = settings.overhead_rounds.max(1);
    let per_round = settings.overhead_calls.div_ceil(rounds);
    let mut raw_samples = Vec::with_capacity(per_round * rounds);
    let mut nodal_samples = Vec::with_capacity(per_round * rounds);
    let mut round_ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (raw_start, nodal_start) = (raw_samples.len(), nodal_samples.len());
        if round % 2 == 0 {
            time_calls(raw, per_round, &mut raw_samples).await?;
            time_calls(nodal, per_round, &mut nodal_samples).await?;
        } else {
            time_calls(nodal, per_round, &mut nodal_samples).await?;
            time_calls(raw, per_round, &mut raw_samples).await?;
        }
        let raw_round = Summary::of(&mut raw_samples[raw_start..].to_vec());
        let nodal_round = Summary::of(&mut nodal_samples[nodal_start..].to_vec());
        round_ratios.push(ratio(nodal_round.median_us, raw_round.median_us));
    }
    let raw = Summary::of(&mut raw_samples);
    let nodal = Summary::of(&mut nodal_samples);
    Ok(OverheadRow {
        adapter,
        call,
        median_ratio: crate::concurrency::median(&mut round_ratios),
        overall_median_ratio: ratio(nodal.median_us, raw.median_us),
        p99_ratio: ratio(nodal.p99_us, raw.p99_us),
        raw,
        nodal,
    })
}

/// Times `calls` sequential calls, one sample each.
async fn time_calls<C: Caller>(
    caller: &C,
    calls: usize,
    samples: &mut Vec<Duration>,
) -> BenchResult<()> {
    for _ in 0..calls {
        let start = Instant::now();
        caller.call_checked().await?;
        samples.push(start.elapsed());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Settings {
        Settings {
            overhead_calls: 40,
            overhead_rounds: 4,
            warmup_calls: 2,
            ..Settings::quick()
        }
    }

    #[tokio::test]
    async fn measures_both_adapters_with_every_call_counted() {
        let server = LoopbackServer::start().await.unwrap();
        let rows = run(&server, &tiny()).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].adapter, "Nodana");
        assert_eq!(rows[1].adapter, "Nodion");
        for row in &rows {
            assert_eq!(row.raw.count, 40);
            assert_eq!(row.nodal.count, 40);
            assert!(row.raw.median_us > 0.0 && row.nodal.median_us > 0.0);
            assert!(row.nodal.p99_us >= row.nodal.median_us);
            let expected = row.nodal.median_us / row.raw.median_us;
            assert!((row.overall_median_ratio - expected).abs() < 1e-12);
            assert!(row.median_ratio > 0.0);
        }
    }

    #[test]
    fn the_goal_is_three_percent() {
        let summary = |median_us| Summary {
            count: 1,
            median_us,
            p99_us: median_us,
            mean_us: median_us,
            min_us: median_us,
            max_us: median_us,
        };
        let row = |median_ratio| OverheadRow {
            adapter: "Nodana",
            call: "x",
            raw: summary(100.0),
            nodal: summary(100.0 * median_ratio),
            median_ratio,
            overall_median_ratio: median_ratio,
            p99_ratio: median_ratio,
        };
        assert!(row(1.03).meets_goal());
        assert!(!row(1.031).meets_goal());
    }

    #[tokio::test]
    async fn a_failing_side_stops_the_section_with_its_name() {
        // Nothing listens on the server's port once it is dropped.
        let server = LoopbackServer::start().await.unwrap();
        let url = server.nodana_base_url();
        drop(server);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let raw = RawNodana(RawClient::nodana(&url, "k").unwrap());
        let err = compare("Nodana", "x", &tiny(), &raw, &raw.clone())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("reqwest"), "{err}");
    }
}
