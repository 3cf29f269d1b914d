//! Helpers shared by nodal's own test suites: one copy of each, used by every crate's tests.
//! Not published; users who want to test their automation offline use `nodal-sim` or the
//! facade's testing entry point instead.

use httpmock::HttpMockRequest;
use nodal_core::RetryConfig;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A retry policy for tests that are not about timing: three attempts, 10–40 ms backoff.
///
/// ```
/// assert_eq!(nodal_testkit::fast_retry().max_attempts, 3);
/// ```
pub fn fast_retry() -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(40))
}

/// An httpmock matcher that holds for the first `n` requests it sees, so one mock can fail
/// first and another answer afterwards.
pub fn first(n: usize) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    let seen = Arc::new(AtomicUsize::new(0));
    move |_| seen.fetch_add(1, Ordering::SeqCst) < n
}
