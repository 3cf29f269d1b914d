//! Polling until a state is reached, with a deadline.
//!
//! The check is an ordinary client call, so every poll waits for the client's rate limiter like
//! any other request: polling faster than the quota only queues, it never oversteps it.

use crate::error::{Error, Result};
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How long to wait, and how often to look.
///
/// ```
/// use nodal_core::WaitOptions;
/// use std::time::Duration;
/// let opts = WaitOptions::new(Duration::from_secs(60)).with_interval(Duration::from_secs(1));
/// assert_eq!(opts.timeout, Duration::from_secs(60));
/// assert_eq!(WaitOptions::default().interval, Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// Give up after this long. Default 5 minutes.
    pub timeout: Duration,
    /// Pause between two checks. Default 2 s.
    pub interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(300),
            interval: Duration::from_secs(2),
        }
    }
}

impl WaitOptions {
    /// Wait up to `timeout`, checking every 2 s.
    pub fn new(timeout: Duration) -> Self {
        WaitOptions {
            timeout,
            ..Self::default()
        }
    }

    /// Sets the pause between checks.
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }
}

type Progress<'a, T> = Box<dyn FnMut(&T, Duration) + Send + 'a>;
type Describe<'a, T> = Box<dyn Fn(&T) -> String + Send + Sync + 'a>;

/// A wait for some state, with an optional progress callback (for spinners) and a description
/// of the last state seen (for the timeout message).
///
/// ```
/// use nodal_core::{WaitOptions, WaitUntil};
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> nodal_core::Result<()> {
/// let polls = AtomicU32::new(0);
/// let mut seen = Vec::new();
/// let value = WaitUntil::new("example", "the counter to reach 3")
///     .options(WaitOptions::new(Duration::from_secs(5)).with_interval(Duration::from_millis(10)))
///     .on_progress(|n: &u32, _elapsed| seen.push(*n))
///     .run(
///         || async { Ok(polls.fetch_add(1, Ordering::SeqCst) + 1) },
///         |n| *n >= 3,
///     )
///     .await?;
/// assert_eq!(value, 3);
/// assert_eq!(seen, [1, 2]);
/// # Ok(())
/// # }
/// ```
pub struct WaitUntil<'a, T> {
    provider: &'static str,
    what: String,
    options: WaitOptions,
    progress: Option<Progress<'a, T>>,
    describe: Option<Describe<'a, T>>,
}

impl<'a, T> WaitUntil<'a, T> {
    /// A wait described as `what` (e.g. `app app-1 to become available`) for error messages.
    pub fn new(provider: &'static str, what: impl Into<String>) -> Self {
        WaitUntil {
            provider,
            what: what.into(),
            options: WaitOptions::default(),
            progress: None,
            describe: None,
        }
    }

    /// Sets timeout and interval.
    pub fn options(mut self, options: WaitOptions) -> Self {
        self.options = options;
        self
    }

    /// Called with each state that is not yet the awaited one, and the time waited so far.
    pub fn on_progress(mut self, progress: impl FnMut(&T, Duration) + Send + 'a) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Describes a state for the timeout message (e.g. the app's raw status).
    pub fn describe(mut self, describe: impl Fn(&T) -> String + Send + Sync + 'a) -> Self {
        self.describe = Some(Box::new(describe));
        self
    }

    /// Calls `check` until `done` holds for its answer, then returns that answer. An error from
    /// `check` ends the wait with that error (make `check` return an error for a state that can
    /// never become the awaited one, like a failed deployment). Past the deadline the result is
    /// [`Error::Timeout`], naming the last state seen.
    pub async fn run<C, F, D>(mut self, mut check: C, mut done: D) -> Result<T>
    where
        C: FnMut() -> F,
        F: Future<Output = Result<T>>,
        D: FnMut(&T) -> bool,
    {
        let start = Instant::now();
        let deadline = deadline_after(start, self.options.timeout);
        let mut last_seen: Option<String> = None;
        loop {
            let state = match tokio::time::timeout_at(deadline, check()).await {
                Ok(result) => result?,
                Err(_elapsed) => return Err(self.timed_out(last_seen)),
            };
            if done(&state) {
                return Ok(state);
            }
            if let Some(describe) = &self.describe {
                last_seen = Some(describe(&state));
            }
            if let Some(progress) = self.progress.as_mut() {
                progress(&state, start.elapsed());
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(self.timed_out(last_seen));
            }
            let next = now
                .checked_add(self.options.interval)
                .map_or(deadline, |next| next.min(deadline));
            tokio::time::sleep_until(next).await;
        }
    }

    fn timed_out(&self, last_seen: Option<String>) -> Error {
        let mut what = format!("waiting for {}", self.what);
        if let Some(state) = last_seen {
            what.push_str(&format!(" (last seen: {state})"));
        }
        Error::Timeout {
            provider: self.provider,
            what,
            after: self.options.timeout,
            maybe_performed: false,
        }
    }
}

/// How far a deadline can reach: a wait "forever" (`Duration::MAX`) ends after this, which no
/// caller will see, instead of overflowing the clock.
const FOREVER: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

/// `start + timeout`, saturating at [`FOREVER`] instead of panicking on overflow.
fn deadline_after(start: Instant, timeout: Duration) -> Instant {
    start
        .checked_add(timeout.min(FOREVER))
        .or_else(|| start.checked_add(Duration::from_secs(24 * 60 * 60)))
        .unwrap_or(start)
}

/// Polls `check` every `options.interval` until `done` holds, for at most `options.timeout`.
/// Shorthand for [`WaitUntil`] without progress reporting.
///
/// ```
/// use nodal_core::{wait_until, Error, WaitOptions};
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let opts = WaitOptions::new(Duration::from_millis(50)).with_interval(Duration::from_millis(10));
/// let never = wait_until("example", "a miracle", opts, || async { Ok(false) }, |ok| *ok).await;
/// assert!(matches!(never, Err(Error::Timeout { .. })));
/// # }
/// ```
pub async fn wait_until<T, C, F, D>(
    provider: &'static str,
    what: &str,
    options: WaitOptions,
    check: C,
    done: D,
) -> Result<T>
where
    C: FnMut() -> F,
    F: Future<Output = Result<T>>,
    D: FnMut(&T) -> bool,
{
    WaitUntil::new(provider, what)
        .options(options)
        .run(check, done)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn quick(timeout_ms: u64) -> WaitOptions {
        WaitOptions::new(Duration::from_millis(timeout_ms)).with_interval(Duration::from_millis(5))
    }

    #[tokio::test]
    async fn an_error_from_the_check_ends_the_wait() {
        let calls = AtomicU32::new(0);
        let result: Result<u32> = WaitUntil::new("t", "x")
            .options(quick(1000))
            .run(
                || async {
                    if calls.fetch_add(1, Ordering::SeqCst) == 2 {
                        Err(Error::NotFound {
                            provider: "t",
                            message: "gone".into(),
                        })
                    } else {
                        Ok(0)
                    }
                },
                |_| false,
            )
            .await;
        assert!(matches!(result, Err(Error::NotFound { .. })));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn the_timeout_names_what_and_the_last_state() {
        let err = WaitUntil::new("t", "app a-1 to become available")
            .options(quick(40))
            .describe(|s: &&str| s.to_string())
            .run(|| async { Ok("pending") }, |_| false)
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Timeout { .. }));
        assert!(text.contains("app a-1 to become available"), "{text}");
        assert!(text.contains("last seen: pending"), "{text}");
    }

    #[tokio::test]
    async fn the_longest_timeout_and_interval_do_not_panic() {
        // Before: `start + Duration::MAX` overflowed the clock and panicked.
        let forever = WaitOptions::new(Duration::MAX).with_interval(Duration::MAX);
        let calls = AtomicU32::new(0);
        let value = WaitUntil::new("t", "x")
            .options(forever)
            .run(
                || async { Ok(calls.fetch_add(1, Ordering::SeqCst)) },
                |n| *n == 0,
            )
            .await
            .unwrap();
        assert_eq!(value, 0);
        let once = WaitUntil::new("t", "x")
            .options(WaitOptions::new(Duration::MAX).with_interval(Duration::from_millis(1)))
            .run(|| async { Ok(7u32) }, |_| true)
            .await
            .unwrap();
        assert_eq!(once, 7);
        let err = WaitUntil::new("t", "x")
            .options(WaitOptions::new(Duration::ZERO).with_interval(Duration::MAX))
            .run(|| async { Ok(0u32) }, |_| false)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }));
        assert!(!err.to_string().is_empty());
    }

    proptest::proptest! {
        #[test]
        fn a_deadline_of_any_length_is_a_time(secs in proptest::prelude::any::<u64>(), nanos in 0u32..1_000_000_000) {
            let start = Instant::now();
            let deadline = deadline_after(start, Duration::new(secs, nanos));
            proptest::prop_assert!(deadline >= start);
        }
    }

    #[tokio::test]
    async fn a_check_slower_than_the_deadline_is_cut_off() {
        let start = Instant::now();
        let err = WaitUntil::new("t", "x")
            .options(quick(50))
            .run(
                || async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    Ok(())
                },
                |_| true,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }));
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
