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

/// Asserts that a value matches a pattern, printing the value's `Debug` when it does not.
///
/// ```
/// let answer: Result<u32, String> = Ok(3);
/// nodal_testkit::assert_matches!(answer, Ok(n) if *n > 2);
/// ```
#[macro_export]
macro_rules! assert_matches {
    ($value:expr, $($pattern:pat_param)|+ $(if $guard:expr)? $(,)?) => {
        match &$value {
            $($pattern)|+ $(if $guard)? => {}
            other => panic!("{other:?} does not match {}", stringify!($($pattern)|+ $(if $guard)?)),
        }
    };
}

/// Asserts that a value's `Display` contains `needle`, printing the whole text when it does not.
///
/// ```
/// nodal_testkit::assert_says!("nodana: not found: App not found", "App not found");
/// ```
#[macro_export]
macro_rules! assert_says {
    ($value:expr, $needle:expr $(,)?) => {{
        let text = $value.to_string();
        assert!(
            text.contains($needle),
            "{text:?} does not say {:?}",
            $needle
        );
    }};
}
