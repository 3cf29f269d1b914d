//! When and how long to wait before trying a failed request again.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Retry policy for one client.
///
/// Only failures that may pass (throttling, 5xx, transport errors, timeouts) are retried, and a
/// request that is not idempotent is replayed only when it certainly never reached the server
/// (the connection could not be made) or the provider said it was not performed (a rate-limit
/// answer). Waits use exponential backoff with jitter, or the provider's `Retry-After` when given.
///
/// ```
/// use nodal_core::RetryConfig;
/// use std::time::Duration;
/// let retry = RetryConfig::default()
///     .with_max_attempts(5)
///     .with_budget(Duration::from_secs(30));
/// assert_eq!(retry.max_attempts, 5);
/// assert_eq!(RetryConfig::disabled().max_attempts, 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 = never retry). Default 4.
    pub max_attempts: u32,
    /// Total time from the first attempt after which no new attempt starts. Default 60 s.
    pub budget: Duration,
    /// Backoff before the first retry. Default 250 ms.
    pub initial_backoff: Duration,
    /// Upper bound of one backoff. Default 8 s.
    pub max_backoff: Duration,
    /// Growth factor between backoffs. Default 2.
    pub multiplier: f64,
    /// Longest `Retry-After` the client waits out by itself; a longer one is returned to the
    /// caller as [`crate::Error::RateLimited`] with the provider's figure. Default 60 s.
    pub max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 4,
            budget: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            multiplier: 2.0,
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryConfig {
    /// Never retry.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets [`RetryConfig::max_attempts`] (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets [`RetryConfig::budget`].
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Sets the first and the largest backoff.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets [`RetryConfig::max_retry_after`].
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The wait before retry number `retry` (1 for the first retry): exponential growth capped
    /// at `max_backoff`, with "equal jitter" (half fixed, half random) so clients that failed
    /// together do not retry together, while no wait collapses to zero. `jitter` in `[0, 1]`
    /// is the random part, drawn by the caller ([`unit_random`]) so this stays pure and the
    /// replay decision can be tested with exact waits. Saturates instead of panicking for any
    /// configuration.
    pub(crate) fn backoff_with_jitter(&self, retry: u32, jitter: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(30) as i32;
        let multiplier = if self.multiplier.is_finite() && self.multiplier >= 1.0 {
            self.multiplier
        } else {
            1.0
        };
        let grown = self.initial_backoff.as_secs_f64() * multiplier.powi(exponent);
        // 0 × ∞ (a zero initial backoff with a huge multiplier) is NaN, which `min` would turn
        // into the maximum; a zero start stays zero.
        let grown = if grown.is_nan() { 0.0 } else { grown };
        let capped = grown.min(self.max_backoff.as_secs_f64()).max(0.0);
        let jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        let half = capped / 2.0;
        // `Duration::MAX` as f64 rounds up past the largest Duration: saturate.
        // f64 rounding may land a hair above the cap: the cap wins.
        Duration::try_from_secs_f64(half + half * jitter)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff)
    }
}

/// A number in `[0, 1)` from the standard library's randomly keyed hasher; good enough for
/// jitter and free of a `rand` dependency.
pub(crate) fn unit_random() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let bits = RandomState::new().hash_one(n);
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let retry =
            RetryConfig::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1));
        for _ in 0..50 {
            let first = retry.backoff_with_jitter(1, unit_random());
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = retry.backoff_with_jitter(3, unit_random());
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let late = retry.backoff_with_jitter(40, unit_random());
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_secs(1));
        }
        let samples: std::collections::HashSet<_> = (0..20)
            .map(|_| retry.backoff_with_jitter(2, unit_random()))
            .collect();
        assert!(samples.len() > 1, "jitter should vary the waits");
    }

    #[test]
    fn nonsense_multipliers_do_not_panic() {
        let mut retry = RetryConfig {
            multiplier: f64::NAN,
            ..RetryConfig::default()
        };
        assert!(retry.backoff_with_jitter(5, unit_random()) <= retry.initial_backoff);
        retry.multiplier = -3.0;
        assert!(retry.backoff_with_jitter(5, unit_random()) <= retry.initial_backoff);
    }

    #[test]
    fn jitter_picks_between_half_and_all_of_the_backoff() {
        let retry =
            RetryConfig::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1));
        assert_eq!(retry.backoff_with_jitter(1, 0.0), Duration::from_millis(50));
        assert_eq!(
            retry.backoff_with_jitter(1, 1.0),
            Duration::from_millis(100)
        );
        assert_eq!(
            retry.backoff_with_jitter(2, 0.5),
            Duration::from_millis(150)
        );
        // Out-of-range jitter is clamped, not trusted.
        assert_eq!(
            retry.backoff_with_jitter(1, 7.0),
            Duration::from_millis(100)
        );
        assert_eq!(
            retry.backoff_with_jitter(1, -1.0),
            Duration::from_millis(50)
        );
        assert_eq!(
            retry.backoff_with_jitter(1, f64::NAN),
            Duration::from_millis(50)
        );
    }

    #[test]
    fn huge_backoffs_saturate() {
        let retry = RetryConfig::default().with_backoff(Duration::MAX, Duration::MAX);
        assert_eq!(retry.backoff_with_jitter(u32::MAX, 1.0), Duration::MAX);
        assert!(
            retry.backoff_with_jitter(1, unit_random())
                >= Duration::MAX / 2 - Duration::from_secs(1)
        );
        let huge_growth = RetryConfig {
            multiplier: f64::MAX,
            ..RetryConfig::default().with_backoff(Duration::ZERO, Duration::MAX)
        };
        assert_eq!(huge_growth.backoff_with_jitter(31, 1.0), Duration::ZERO);
        let from_zero = RetryConfig {
            multiplier: f64::MAX,
            ..RetryConfig::default().with_backoff(Duration::from_secs(1), Duration::MAX)
        };
        assert_eq!(from_zero.backoff_with_jitter(40, 1.0), Duration::MAX);
    }
}
