//! Order statistics of per-call times.

use serde::Serialize;
use std::time::Duration;

/// Median, p99, mean and extremes of a set of samples, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Number of samples.
    pub count: usize,
    /// Median (the mean of the two middle samples for an even count).
    pub median_us: f64,
    /// 99th percentile (nearest rank).
    pub p99_us: f64,
    /// Arithmetic mean.
    pub mean_us: f64,
    /// Fastest sample.
    pub min_us: f64,
    /// Slowest sample.
    pub max_us: f64,
}

impl Summary {
    /// Summarises `samples` (sorted in place). An empty set gives all zeros.
    pub fn of(samples: &mut [Duration]) -> Summary {
        samples.sort_unstable();
        if samples.is_empty() {
            return Summary {
                count: 0,
                median_us: 0.0,
                p99_us: 0.0,
                mean_us: 0.0,
                min_us: 0.0,
                max_us: 0.0,
            };
        }
        let total: Duration = samples.iter().sum();
        Summary {
            count: samples.len(),
            median_us: micros(median(samples)),
            p99_us: micros(percentile(samples, 0.99)),
            mean_us: micros(total) / samples.len() as f64,
            min_us: micros(samples[0]),
            max_us: micros(samples[samples.len() - 1]),
        }
    }
}

/// The median of sorted samples (the mean of the two middle ones for an even count).
pub fn median(sorted: &[Duration]) -> Duration {
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The `q` quantile of sorted samples by nearest rank (`q` in 0..=1).
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A duration in microseconds, with fractions.
pub fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// `numerator / denominator`, or 0 when the denominator is 0.
pub fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|v| Duration::from_micros(*v)).collect()
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&us(&[1, 2, 9])), Duration::from_micros(2));
        assert_eq!(median(&us(&[1, 2, 4, 9])), Duration::from_micros(3));
        assert_eq!(median(&[]), Duration::ZERO);
    }

    #[test]
    fn p99_is_nearest_rank() {
        let samples: Vec<Duration> = (1..=200).map(Duration::from_micros).collect();
        assert_eq!(percentile(&samples, 0.99), Duration::from_micros(198));
        assert_eq!(percentile(&us(&[5]), 0.99), Duration::from_micros(5));
        assert_eq!(percentile(&samples, 0.0), Duration::from_micros(1));
    }

    #[test]
    fn summary_sorts_and_summarises() {
        let mut samples = us(&[30, 10, 20, 40]);
        let summary = Summary::of(&mut samples);
        assert_eq!(summary.count, 4);
        assert!((summary.median_us - 25.0).abs() < 1e-9);
        assert!((summary.mean_us - 25.0).abs() < 1e-9);
        assert!((summary.min_us - 10.0).abs() < 1e-9);
        assert!((summary.max_us - 40.0).abs() < 1e-9);
        assert!((summary.p99_us - 40.0).abs() < 1e-9);
        assert_eq!(Summary::of(&mut []).count, 0);
    }

    #[test]
    fn ratio_guards_against_zero() {
        assert_eq!(ratio(3.0, 2.0), 1.5);
        assert_eq!(ratio(3.0, 0.0), 0.0);
    }
}
