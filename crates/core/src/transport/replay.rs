//! The replay decision: after a failed attempt, wait and send the request again, or give up and
//! say what the caller must know. Pure — no clock, no randomness, no I/O — so every rule is
//! checked by one table test instead of end to end through a mock server.
//!
//! The rules, in the order they apply:
//! 1. an error that cannot pass by trying again is returned; when a request that must not be
//!    replayed got an undecodable answer, the provider most likely performed it, so it is marked
//!    as maybe performed (or a caller may create the same thing again);
//! 2. a request that must not be replayed is never sent twice unless the failed attempt
//!    certainly had no effect (it never connected, or the provider refused it); otherwise it is
//!    marked as maybe performed;
//! 3. attempts are capped by `max_attempts` (at least one);
//! 4. the wait is the provider's `Retry-After`, or the jittered backoff; a `Retry-After` longer
//!    than `max_retry_after` is returned to the caller instead of waited out;
//! 5. no retry starts if it would end past the time budget.

use super::retry::RetryConfig;
use crate::error::Error;
use std::fmt;
use std::time::Duration;

/// How far a failed attempt got: whether it may have had an effect on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Reached {
    /// The connection was never made: nothing was sent.
    No,
    /// The server answered that it did not perform the request (rate limited).
    Rejected,
    /// Unknown: the request may have been performed.
    Maybe,
}

/// What the decision needs to know about one failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FailureFacts {
    /// How far the attempt got.
    pub(crate) reached: Reached,
    /// Whether trying again later may succeed ([`Error::is_retryable`]).
    pub(crate) retryable: bool,
    /// The wait the provider asked for, if any ([`Error::retry_after`]).
    pub(crate) retry_after: Option<Duration>,
    /// The provider answered, but the answer could not be decoded ([`Error::Decode`]).
    pub(crate) undecodable: bool,
}

impl FailureFacts {
    /// The facts of `error`, from an attempt that got as far as `reached`.
    pub(crate) fn of(error: &Error, reached: Reached) -> Self {
        FailureFacts {
            reached,
            retryable: error.is_retryable(),
            retry_after: error.retry_after(),
            undecodable: matches!(error, Error::Decode { .. }),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Wait `after`, then send the request again.
    Retry { after: Duration },
    /// Return the error, marked as maybe performed if so, with `note` appended.
    GiveUp {
        maybe_performed: bool,
        note: Option<Note>,
    },
}

/// A sentence appended to the error the caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Note {
    /// Retries were made, and this many attempts failed.
    GaveUpAfter(u32),
    /// The provider asked for a longer wait than the client waits out by itself.
    RetryAfterTooLong(Duration),
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::GaveUpAfter(attempts) => write!(f, "gave up after {attempts} attempts"),
            Note::RetryAfterTooLong(asked) => write!(
                f,
                "the provider asked to wait {}s, longer than the client's max_retry_after",
                asked.as_secs()
            ),
        }
    }
}

/// The decision after attempt number `attempt` (1 for the first) of a request failed, `elapsed`
/// after the first attempt started. `jitter` in `[0, 1]` is the random part of the backoff
/// (see [`RetryConfig::backoff_with_jitter`]); the caller draws it, so this stays pure.
pub(crate) fn next_step(
    config: &RetryConfig,
    failure: &FailureFacts,
    idempotent: bool,
    attempt: u32,
    elapsed: Duration,
    jitter: f64,
) -> Step {
    let give_up = |maybe_performed: bool, note: Option<Note>| Step::GiveUp {
        maybe_performed,
        note,
    };
    let out_of_attempts = || give_up(false, (attempt > 1).then_some(Note::GaveUpAfter(attempt)));

    if !failure.retryable {
        return give_up(!idempotent && failure.undecodable, None);
    }
    if !idempotent && failure.reached == Reached::Maybe {
        return give_up(true, None);
    }
    if attempt >= config.max_attempts.max(1) {
        return out_of_attempts();
    }
    let wait = match failure.retry_after {
        Some(asked) if asked > config.max_retry_after => {
            return give_up(false, Some(Note::RetryAfterTooLong(asked)));
        }
        Some(asked) => asked,
        None => config.backoff_with_jitter(attempt, jitter),
    };
    if elapsed.saturating_add(wait) > config.budget {
        return out_of_attempts();
    }
    Step::Retry { after: wait }
}

/// The error the caller gets when the decision is to give up.
pub(crate) fn give_up(error: Error, maybe_performed: bool, note: Option<Note>) -> Error {
    let error = if maybe_performed {
        error.into_maybe_performed()
    } else {
        error
    };
    match note {
        Some(note) => error.with_note(note),
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Error kinds as the request path sees them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    enum Kind {
        /// 429 with `Retry-After: 2`.
        LimitedAfter,
        /// 429 without `Retry-After`.
        Limited,
        /// 503.
        Server5xx,
        /// 404: not retryable.
        Client4xx,
        /// The connection failed.
        Transport,
        /// The attempt timed out.
        Timeout,
        /// The answer could not be decoded: not retryable.
        Decode,
    }

    const KINDS: [Kind; 7] = [
        Kind::LimitedAfter,
        Kind::Limited,
        Kind::Server5xx,
        Kind::Client4xx,
        Kind::Transport,
        Kind::Timeout,
        Kind::Decode,
    ];

    fn error(kind: Kind) -> Error {
        let provider = "t";
        match kind {
            Kind::LimitedAfter | Kind::Limited => Error::RateLimited {
                provider,
                retry_after: (kind == Kind::LimitedAfter).then_some(RETRY_AFTER),
                message: "slow down".into(),
            },
            Kind::Server5xx => Error::Server {
                provider,
                status: 503,
                message: "unavailable".into(),
                maybe_performed: false,
            },
            Kind::Client4xx => Error::NotFound {
                provider,
                message: "no such app".into(),
            },
            Kind::Transport => Error::Transport {
                provider,
                message: "connection reset".into(),
                source: None,
                maybe_performed: false,
            },
            Kind::Timeout => Error::Timeout {
                provider,
                what: "waiting for the answer".into(),
                after: Duration::from_secs(30),
                maybe_performed: false,
            },
            Kind::Decode => Error::Decode {
                provider,
                message: "expected a map".into(),
                excerpt: "[...]".into(),
                maybe_performed: false,
            },
        }
    }

    /// Three attempts, 10 s budget, backoff 1 s (×2, ≤ 8 s), `Retry-After` waited out up to 5 s.
    fn config() -> RetryConfig {
        RetryConfig::default()
            .with_max_attempts(LAST)
            .with_budget(Duration::from_secs(10))
            .with_backoff(Duration::from_secs(1), Duration::from_secs(8))
            .with_max_retry_after(Duration::from_secs(5))
    }

    const FIRST: u32 = 1;
    const LAST: u32 = 3;
    const RETRY_AFTER: Duration = Duration::from_secs(2);
    /// Jitter 0.5 makes the first backoff ¾ of 1 s.
    const JITTER: f64 = 0.5;
    const BACKOFF: Duration = Duration::from_millis(750);

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    enum Budget {
        /// Nothing spent yet.
        Left,
        /// 9.5 s of 10 s spent: neither wait fits.
        Spent,
    }

    impl Budget {
        fn elapsed(self) -> Duration {
            match self {
                Budget::Left => Duration::ZERO,
                Budget::Spent => Duration::from_millis(9_500),
            }
        }
    }

    use Budget::{Left, Spent};
    use Kind::*;
    use Reached::{Maybe, No, Rejected};

    const IDEM: bool = true;
    const ONCE: bool = false;

    /// Retry after `after`.
    const fn wait(after: Duration) -> Step {
        Step::Retry { after }
    }
    /// Give up and return the error as it is.
    const RETURN: Step = Step::GiveUp {
        maybe_performed: false,
        note: None,
    };
    /// Give up, marking the error as maybe performed.
    const PERFORMED: Step = Step::GiveUp {
        maybe_performed: true,
        note: None,
    };
    /// Give up after the last attempt, saying how many were made.
    const EXHAUSTED: Step = Step::GiveUp {
        maybe_performed: false,
        note: Some(Note::GaveUpAfter(LAST)),
    };
    const BACKOFF_WAIT: Step = wait(BACKOFF);
    const ASKED_WAIT: Step = wait(RETRY_AFTER);

    type Row = (Reached, bool, Kind, u32, Budget, Step);

    /// Every reached state × idempotency × error kind × first/last attempt × budget left/spent.
    #[rustfmt::skip]
    const TABLE: &[Row] = &[
        // Never connected: replaying is safe even for a create.
        (No, IDEM, LimitedAfter, FIRST, Left,  ASKED_WAIT),
        (No, IDEM, LimitedAfter, FIRST, Spent, RETURN),
        (No, IDEM, LimitedAfter, LAST,  Left,  EXHAUSTED),
        (No, IDEM, LimitedAfter, LAST,  Spent, EXHAUSTED),
        (No, IDEM, Limited,      FIRST, Left,  BACKOFF_WAIT),
        (No, IDEM, Limited,      FIRST, Spent, RETURN),
        (No, IDEM, Limited,      LAST,  Left,  EXHAUSTED),
        (No, IDEM, Limited,      LAST,  Spent, EXHAUSTED),
        (No, IDEM, Server5xx,    FIRST, Left,  BACKOFF_WAIT),
        (No, IDEM, Server5xx,    FIRST, Spent, RETURN),
        (No, IDEM, Server5xx,    LAST,  Left,  EXHAUSTED),
        (No, IDEM, Server5xx,    LAST,  Spent, EXHAUSTED),
        (No, IDEM, Client4xx,    FIRST, Left,  RETURN),
        (No, IDEM, Client4xx,    FIRST, Spent, RETURN),
        (No, IDEM, Client4xx,    LAST,  Left,  RETURN),
        (No, IDEM, Client4xx,    LAST,  Spent, RETURN),
        (No, IDEM, Transport,    FIRST, Left,  BACKOFF_WAIT),
        (No, IDEM, Transport,    FIRST, Spent, RETURN),
        (No, IDEM, Transport,    LAST,  Left,  EXHAUSTED),
        (No, IDEM, Transport,    LAST,  Spent, EXHAUSTED),
        (No, IDEM, Timeout,      FIRST, Left,  BACKOFF_WAIT),
        (No, IDEM, Timeout,      FIRST, Spent, RETURN),
        (No, IDEM, Timeout,      LAST,  Left,  EXHAUSTED),
        (No, IDEM, Timeout,      LAST,  Spent, EXHAUSTED),
        (No, IDEM, Decode,       FIRST, Left,  RETURN),
        (No, IDEM, Decode,       FIRST, Spent, RETURN),
        (No, IDEM, Decode,       LAST,  Left,  RETURN),
        (No, IDEM, Decode,       LAST,  Spent, RETURN),
        (No, ONCE, LimitedAfter, FIRST, Left,  ASKED_WAIT),
        (No, ONCE, LimitedAfter, FIRST, Spent, RETURN),
        (No, ONCE, LimitedAfter, LAST,  Left,  EXHAUSTED),
        (No, ONCE, LimitedAfter, LAST,  Spent, EXHAUSTED),
        (No, ONCE, Limited,      FIRST, Left,  BACKOFF_WAIT),
        (No, ONCE, Limited,      FIRST, Spent, RETURN),
        (No, ONCE, Limited,      LAST,  Left,  EXHAUSTED),
        (No, ONCE, Limited,      LAST,  Spent, EXHAUSTED),
        (No, ONCE, Server5xx,    FIRST, Left,  BACKOFF_WAIT),
        (No, ONCE, Server5xx,    FIRST, Spent, RETURN),
        (No, ONCE, Server5xx,    LAST,  Left,  EXHAUSTED),
        (No, ONCE, Server5xx,    LAST,  Spent, EXHAUSTED),
        (No, ONCE, Client4xx,    FIRST, Left,  RETURN),
        (No, ONCE, Client4xx,    FIRST, Spent, RETURN),
        (No, ONCE, Client4xx,    LAST,  Left,  RETURN),
        (No, ONCE, Client4xx,    LAST,  Spent, RETURN),
        (No, ONCE, Transport,    FIRST, Left,  BACKOFF_WAIT),
        (No, ONCE, Transport,    FIRST, Spent, RETURN),
        (No, ONCE, Transport,    LAST,  Left,  EXHAUSTED),
        (No, ONCE, Transport,    LAST,  Spent, EXHAUSTED),
        (No, ONCE, Timeout,      FIRST, Left,  BACKOFF_WAIT),
        (No, ONCE, Timeout,      FIRST, Spent, RETURN),
        (No, ONCE, Timeout,      LAST,  Left,  EXHAUSTED),
        (No, ONCE, Timeout,      LAST,  Spent, EXHAUSTED),
        // An undecodable answer means the provider answered: a create most likely happened.
        (No, ONCE, Decode,       FIRST, Left,  PERFORMED),
        (No, ONCE, Decode,       FIRST, Spent, PERFORMED),
        (No, ONCE, Decode,       LAST,  Left,  PERFORMED),
        (No, ONCE, Decode,       LAST,  Spent, PERFORMED),
        // Refused by the provider: replaying is safe even for a create.
        (Rejected, IDEM, LimitedAfter, FIRST, Left,  ASKED_WAIT),
        (Rejected, IDEM, LimitedAfter, FIRST, Spent, RETURN),
        (Rejected, IDEM, LimitedAfter, LAST,  Left,  EXHAUSTED),
        (Rejected, IDEM, LimitedAfter, LAST,  Spent, EXHAUSTED),
        (Rejected, IDEM, Limited,      FIRST, Left,  BACKOFF_WAIT),
        (Rejected, IDEM, Limited,      FIRST, Spent, RETURN),
        (Rejected, IDEM, Limited,      LAST,  Left,  EXHAUSTED),
        (Rejected, IDEM, Limited,      LAST,  Spent, EXHAUSTED),
        (Rejected, IDEM, Server5xx,    FIRST, Left,  BACKOFF_WAIT),
        (Rejected, IDEM, Server5xx,    FIRST, Spent, RETURN),
        (Rejected, IDEM, Server5xx,    LAST,  Left,  EXHAUSTED),
        (Rejected, IDEM, Server5xx,    LAST,  Spent, EXHAUSTED),
        (Rejected, IDEM, Client4xx,    FIRST, Left,  RETURN),
        (Rejected, IDEM, Client4xx,    FIRST, Spent, RETURN),
        (Rejected, IDEM, Client4xx,    LAST,  Left,  RETURN),
        (Rejected, IDEM, Client4xx,    LAST,  Spent, RETURN),
        (Rejected, IDEM, Transport,    FIRST, Left,  BACKOFF_WAIT),
        (Rejected, IDEM, Transport,    FIRST, Spent, RETURN),
        (Rejected, IDEM, Transport,    LAST,  Left,  EXHAUSTED),
        (Rejected, IDEM, Transport,    LAST,  Spent, EXHAUSTED),
        (Rejected, IDEM, Timeout,      FIRST, Left,  BACKOFF_WAIT),
        (Rejected, IDEM, Timeout,      FIRST, Spent, RETURN),
        (Rejected, IDEM, Timeout,      LAST,  Left,  EXHAUSTED),
        (Rejected, IDEM, Timeout,      LAST,  Spent, EXHAUSTED),
        (Rejected, IDEM, Decode,       FIRST, Left,  RETURN),
        (Rejected, IDEM, Decode,       FIRST, Spent, RETURN),
        (Rejected, IDEM, Decode,       LAST,  Left,  RETURN),
        (Rejected, IDEM, Decode,       LAST,  Spent, RETURN),
        (Rejected, ONCE, LimitedAfter, FIRST, Left,  ASKED_WAIT),
        (Rejected, ONCE, LimitedAfter, FIRST, Spent, RETURN),
        (Rejected, ONCE, LimitedAfter, LAST,  Left,  EXHAUSTED),
        (Rejected, ONCE, LimitedAfter, LAST,  Spent, EXHAUSTED),
        (Rejected, ONCE, Limited,      FIRST, Left,  BACKOFF_WAIT),
        (Rejected, ONCE, Limited,      FIRST, Spent, RETURN),
        (Rejected, ONCE, Limited,      LAST,  Left,  EXHAUSTED),
        (Rejected, ONCE, Limited,      LAST,  Spent, EXHAUSTED),
        (Rejected, ONCE, Server5xx,    FIRST, Left,  BACKOFF_WAIT),
        (Rejected, ONCE, Server5xx,    FIRST, Spent, RETURN),
        (Rejected, ONCE, Server5xx,    LAST,  Left,  EXHAUSTED),
        (Rejected, ONCE, Server5xx,    LAST,  Spent, EXHAUSTED),
        (Rejected, ONCE, Client4xx,    FIRST, Left,  RETURN),
        (Rejected, ONCE, Client4xx,    FIRST, Spent, RETURN),
        (Rejected, ONCE, Client4xx,    LAST,  Left,  RETURN),
        (Rejected, ONCE, Client4xx,    LAST,  Spent, RETURN),
        (Rejected, ONCE, Transport,    FIRST, Left,  BACKOFF_WAIT),
        (Rejected, ONCE, Transport,    FIRST, Spent, RETURN),
        (Rejected, ONCE, Transport,    LAST,  Left,  EXHAUSTED),
        (Rejected, ONCE, Transport,    LAST,  Spent, EXHAUSTED),
        (Rejected, ONCE, Timeout,      FIRST, Left,  BACKOFF_WAIT),
        (Rejected, ONCE, Timeout,      FIRST, Spent, RETURN),
        (Rejected, ONCE, Timeout,      LAST,  Left,  EXHAUSTED),
        (Rejected, ONCE, Timeout,      LAST,  Spent, EXHAUSTED),
        (Rejected, ONCE, Decode,       FIRST, Left,  PERFORMED),
        (Rejected, ONCE, Decode,       FIRST, Spent, PERFORMED),
        (Rejected, ONCE, Decode,       LAST,  Left,  PERFORMED),
        (Rejected, ONCE, Decode,       LAST,  Spent, PERFORMED),
        // May have been performed: only an idempotent request is replayed.
        (Maybe, IDEM, LimitedAfter, FIRST, Left,  ASKED_WAIT),
        (Maybe, IDEM, LimitedAfter, FIRST, Spent, RETURN),
        (Maybe, IDEM, LimitedAfter, LAST,  Left,  EXHAUSTED),
        (Maybe, IDEM, LimitedAfter, LAST,  Spent, EXHAUSTED),
        (Maybe, IDEM, Limited,      FIRST, Left,  BACKOFF_WAIT),
        (Maybe, IDEM, Limited,      FIRST, Spent, RETURN),
        (Maybe, IDEM, Limited,      LAST,  Left,  EXHAUSTED),
        (Maybe, IDEM, Limited,      LAST,  Spent, EXHAUSTED),
        (Maybe, IDEM, Server5xx,    FIRST, Left,  BACKOFF_WAIT),
        (Maybe, IDEM, Server5xx,    FIRST, Spent, RETURN),
        (Maybe, IDEM, Server5xx,    LAST,  Left,  EXHAUSTED),
        (Maybe, IDEM, Server5xx,    LAST,  Spent, EXHAUSTED),
        (Maybe, IDEM, Client4xx,    FIRST, Left,  RETURN),
        (Maybe, IDEM, Client4xx,    FIRST, Spent, RETURN),
        (Maybe, IDEM, Client4xx,    LAST,  Left,  RETURN),
        (Maybe, IDEM, Client4xx,    LAST,  Spent, RETURN),
        (Maybe, IDEM, Transport,    FIRST, Left,  BACKOFF_WAIT),
        (Maybe, IDEM, Transport,    FIRST, Spent, RETURN),
        (Maybe, IDEM, Transport,    LAST,  Left,  EXHAUSTED),
        (Maybe, IDEM, Transport,    LAST,  Spent, EXHAUSTED),
        (Maybe, IDEM, Timeout,      FIRST, Left,  BACKOFF_WAIT),
        (Maybe, IDEM, Timeout,      FIRST, Spent, RETURN),
        (Maybe, IDEM, Timeout,      LAST,  Left,  EXHAUSTED),
        (Maybe, IDEM, Timeout,      LAST,  Spent, EXHAUSTED),
        (Maybe, IDEM, Decode,       FIRST, Left,  RETURN),
        (Maybe, IDEM, Decode,       FIRST, Spent, RETURN),
        (Maybe, IDEM, Decode,       LAST,  Left,  RETURN),
        (Maybe, IDEM, Decode,       LAST,  Spent, RETURN),
        (Maybe, ONCE, LimitedAfter, FIRST, Left,  PERFORMED),
        (Maybe, ONCE, LimitedAfter, FIRST, Spent, PERFORMED),
        (Maybe, ONCE, LimitedAfter, LAST,  Left,  PERFORMED),
        (Maybe, ONCE, LimitedAfter, LAST,  Spent, PERFORMED),
        (Maybe, ONCE, Limited,      FIRST, Left,  PERFORMED),
        (Maybe, ONCE, Limited,      FIRST, Spent, PERFORMED),
        (Maybe, ONCE, Limited,      LAST,  Left,  PERFORMED),
        (Maybe, ONCE, Limited,      LAST,  Spent, PERFORMED),
        (Maybe, ONCE, Server5xx,    FIRST, Left,  PERFORMED),
        (Maybe, ONCE, Server5xx,    FIRST, Spent, PERFORMED),
        (Maybe, ONCE, Server5xx,    LAST,  Left,  PERFORMED),
        (Maybe, ONCE, Server5xx,    LAST,  Spent, PERFORMED),
        // A refusal (4xx) says the request was not performed: no warning.
        (Maybe, ONCE, Client4xx,    FIRST, Left,  RETURN),
        (Maybe, ONCE, Client4xx,    FIRST, Spent, RETURN),
        (Maybe, ONCE, Client4xx,    LAST,  Left,  RETURN),
        (Maybe, ONCE, Client4xx,    LAST,  Spent, RETURN),
        (Maybe, ONCE, Transport,    FIRST, Left,  PERFORMED),
        (Maybe, ONCE, Transport,    FIRST, Spent, PERFORMED),
        (Maybe, ONCE, Transport,    LAST,  Left,  PERFORMED),
        (Maybe, ONCE, Transport,    LAST,  Spent, PERFORMED),
        (Maybe, ONCE, Timeout,      FIRST, Left,  PERFORMED),
        (Maybe, ONCE, Timeout,      FIRST, Spent, PERFORMED),
        (Maybe, ONCE, Timeout,      LAST,  Left,  PERFORMED),
        (Maybe, ONCE, Timeout,      LAST,  Spent, PERFORMED),
        (Maybe, ONCE, Decode,       FIRST, Left,  PERFORMED),
        (Maybe, ONCE, Decode,       FIRST, Spent, PERFORMED),
        (Maybe, ONCE, Decode,       LAST,  Left,  PERFORMED),
        (Maybe, ONCE, Decode,       LAST,  Spent, PERFORMED),
    ];

    #[test]
    fn the_table_decides_every_case() {
        let config = config();
        for &(reached, idempotent, kind, attempt, budget, expected) in TABLE {
            let facts = FailureFacts::of(&error(kind), reached);
            let step = next_step(
                &config,
                &facts,
                idempotent,
                attempt,
                budget.elapsed(),
                JITTER,
            );
            assert_eq!(
                step, expected,
                "reached {reached:?}, idempotent {idempotent}, {kind:?}, attempt {attempt}, budget {budget:?}"
            );
        }
    }

    #[test]
    fn the_table_has_every_combination_once() {
        let rows: HashSet<_> = TABLE
            .iter()
            .map(|&(reached, idempotent, kind, attempt, budget, _)| {
                (reached, idempotent, kind, attempt, budget)
            })
            .collect();
        assert_eq!(rows.len(), TABLE.len(), "a combination is listed twice");
        for reached in [No, Rejected, Maybe] {
            for idempotent in [IDEM, ONCE] {
                for kind in KINDS {
                    for attempt in [FIRST, LAST] {
                        for budget in [Left, Spent] {
                            assert!(
                                rows.contains(&(reached, idempotent, kind, attempt, budget)),
                                "missing {reached:?} {idempotent} {kind:?} {attempt} {budget:?}"
                            );
                        }
                    }
                }
            }
        }
        assert_eq!(TABLE.len(), 3 * 2 * KINDS.len() * 2 * 2);
    }

    #[test]
    fn a_retry_after_longer_than_the_maximum_is_returned_with_the_figure() {
        let facts = FailureFacts {
            reached: Rejected,
            retryable: true,
            retry_after: Some(Duration::from_secs(3600)),
            undecodable: false,
        };
        for idempotent in [IDEM, ONCE] {
            let step = next_step(&config(), &facts, idempotent, FIRST, Duration::ZERO, JITTER);
            assert_eq!(
                step,
                Step::GiveUp {
                    maybe_performed: false,
                    note: Some(Note::RetryAfterTooLong(Duration::from_secs(3600))),
                }
            );
        }
        // Exactly the maximum is still waited out.
        let at_max = FailureFacts {
            retry_after: Some(Duration::from_secs(5)),
            ..facts
        };
        let step = next_step(&config(), &at_max, IDEM, FIRST, Duration::ZERO, JITTER);
        assert_eq!(step, wait(Duration::from_secs(5)));
    }

    #[test]
    fn a_middle_attempt_backs_off_further_and_says_how_many_were_made() {
        let facts = FailureFacts::of(&error(Server5xx), Maybe);
        let config = config().with_max_attempts(5);
        // Second retry: 2 s, jittered to ¾.
        let step = next_step(&config, &facts, IDEM, 2, Duration::ZERO, JITTER);
        assert_eq!(step, wait(Duration::from_millis(1500)));
        // Out of budget after two attempts: the note counts them.
        let step = next_step(&config, &facts, IDEM, 2, Duration::from_secs(9), JITTER);
        assert_eq!(
            step,
            Step::GiveUp {
                maybe_performed: false,
                note: Some(Note::GaveUpAfter(2)),
            }
        );
    }

    #[test]
    fn a_wait_that_ends_exactly_at_the_budget_is_still_made() {
        let facts = FailureFacts::of(&error(LimitedAfter), Rejected);
        let step = next_step(
            &config(),
            &facts,
            IDEM,
            FIRST,
            Duration::from_secs(8),
            JITTER,
        );
        assert_eq!(step, wait(RETRY_AFTER));
    }

    #[test]
    fn zero_max_attempts_means_one_attempt() {
        let config = RetryConfig {
            max_attempts: 0,
            ..config()
        };
        let facts = FailureFacts::of(&error(Server5xx), Maybe);
        assert_eq!(
            next_step(&config, &facts, IDEM, FIRST, Duration::ZERO, JITTER),
            RETURN
        );
    }

    #[test]
    fn huge_values_saturate_instead_of_panicking() {
        let limited = FailureFacts::of(
            &Error::RateLimited {
                provider: "t",
                retry_after: Some(Duration::from_secs(u64::MAX)),
                message: String::new(),
            },
            Rejected,
        );
        let patient = RetryConfig::default().with_max_retry_after(Duration::MAX);
        // The wait is allowed but does not fit the default budget.
        assert_eq!(
            next_step(&patient, &limited, IDEM, FIRST, Duration::MAX, JITTER),
            RETURN
        );
        let endless = patient.with_budget(Duration::MAX);
        assert_eq!(
            next_step(&endless, &limited, IDEM, FIRST, Duration::ZERO, JITTER),
            wait(Duration::from_secs(u64::MAX))
        );
        let backoff = RetryConfig::default()
            .with_max_attempts(u32::MAX)
            .with_backoff(Duration::MAX, Duration::MAX)
            .with_budget(Duration::MAX);
        let failed = FailureFacts::of(&error(Server5xx), Maybe);
        assert_eq!(
            next_step(&backoff, &failed, IDEM, u32::MAX - 1, Duration::MAX, 1.0),
            wait(Duration::MAX)
        );
        assert_eq!(
            next_step(&backoff, &failed, IDEM, u32::MAX, Duration::MAX, 1.0),
            Step::GiveUp {
                maybe_performed: false,
                note: Some(Note::GaveUpAfter(u32::MAX)),
            }
        );
    }

    #[test]
    fn giving_up_marks_and_notes_the_error() {
        let err = give_up(error(Transport), true, None);
        assert!(err.maybe_performed());
        assert!(err.to_string().contains("may have been performed"), "{err}");

        let err = give_up(error(Server5xx), false, Some(Note::GaveUpAfter(3)));
        assert!(!err.maybe_performed());
        assert_eq!(
            err.to_string(),
            "t: server error (HTTP 503): unavailable; gave up after 3 attempts"
        );

        let err = give_up(
            error(LimitedAfter),
            false,
            Some(Note::RetryAfterTooLong(Duration::from_millis(3_600_900))),
        );
        assert!(
            err.to_string().contains(
                "the provider asked to wait 3600s, longer than the client's max_retry_after"
            ),
            "{err}"
        );
        // Rate limiting always means "not performed": the mark does not apply.
        assert!(!give_up(error(Limited), true, None).maybe_performed());
    }
}
