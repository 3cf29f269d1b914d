//! The reservation arithmetic every built-in store shares, over plain nanosecond clocks, so
//! the memory and file stores decide exactly alike (the Redis script mirrors it).

use super::{Claim, Lane, Lease};
use std::time::Duration;

/// The stored state of one lane, in nanoseconds of the store's clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct LaneState {
    /// Theoretical arrival time: the next request may go at `tat - tolerance`.
    pub(crate) tat: u64,
    /// The lease of the request in flight, 0 when none.
    pub(crate) lease_id: u64,
    /// When that lease lapses if never settled.
    pub(crate) lease_until: u64,
}

/// A duration in nanoseconds, capped at a year: nothing nodal waits for is longer, and the
/// cap keeps every sum below `u64::MAX`.
pub(crate) fn nanos(duration: Duration) -> u64 {
    const YEAR: u64 = 365 * 24 * 60 * 60 * 1_000_000_000;
    u64::try_from(duration.as_nanos())
        .unwrap_or(u64::MAX)
        .min(YEAR)
}

/// Grants a slot on every lane at `now`, or says how long until one might be free.
pub(crate) fn reserve(now: u64, lanes: &[Lane], states: &mut [LaneState], lease: Lease) -> Claim {
    let mut wait = 0;
    let mut leased = false;
    for (lane, state) in lanes.iter().zip(states.iter_mut()) {
        let interval = nanos(lane.interval);
        if lane.one_in_flight() && state.lease_id != 0 {
            if state.lease_until > now {
                leased = true;
            } else {
                // The holder died: its request arrived by the lease's end at the latest.
                *state = LaneState {
                    tat: state.tat.max(state.lease_until.saturating_add(interval)),
                    ..LaneState::default()
                };
            }
        }
        let earliest = state.tat.saturating_sub(nanos(lane.tolerance()));
        wait = wait.max(earliest.saturating_sub(now));
    }
    if leased {
        // The settle comes after `now`, and the next slot an interval after the settle.
        let longest = lanes
            .iter()
            .map(|lane| nanos(lane.interval))
            .max()
            .unwrap_or(0);
        return Claim::Wait(Duration::from_nanos(wait.max(longest)));
    }
    if wait > 0 {
        return Claim::Wait(Duration::from_nanos(wait));
    }
    for (lane, state) in lanes.iter().zip(states.iter_mut()) {
        state.tat = state.tat.max(now).saturating_add(nanos(lane.interval));
        if lane.one_in_flight() {
            state.lease_id = lease.id;
            state.lease_until = now.saturating_add(nanos(lease.ttl));
        }
    }
    Claim::Granted
}

/// The request holding `lease` is over at `now`: the next send on a one-in-flight lane comes
/// an interval later.
pub(crate) fn settle(now: u64, lanes: &[Lane], states: &mut [LaneState], lease: Lease) {
    for (lane, state) in lanes.iter().zip(states.iter_mut()) {
        if !lane.one_in_flight() {
            continue;
        }
        if state.lease_id == lease.id {
            state.lease_id = 0;
            state.lease_until = 0;
        }
        state.tat = state.tat.max(now.saturating_add(nanos(lane.interval)));
    }
}

/// Nothing goes on any lane before `now + wait`.
pub(crate) fn pause(now: u64, lanes: &[Lane], states: &mut [LaneState], wait: Duration) {
    for (lane, state) in lanes.iter().zip(states.iter_mut()) {
        let until = now
            .saturating_add(nanos(wait))
            .saturating_add(nanos(lane.tolerance()));
        state.tat = state.tat.max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: u64 = 1_000_000;

    fn lane(interval_ms: u64, burst: u32) -> Lane {
        Lane {
            key: "k:global".into(),
            interval: Duration::from_millis(interval_ms),
            burst,
        }
    }

    fn lease(id: u64) -> Lease {
        Lease {
            id,
            ttl: Duration::from_millis(5_000),
        }
    }

    #[test]
    fn one_in_flight_lane_waits_for_the_answer_then_an_interval() {
        let lanes = [lane(1_000, 1)];
        let mut state = [LaneState::default()];
        assert_eq!(
            reserve(10 * MS, &lanes, &mut state, lease(1)),
            Claim::Granted
        );
        // In flight: nobody else goes, however long ago the send was.
        assert!(matches!(
            reserve(2_000 * MS, &lanes, &mut state, lease(2)),
            Claim::Wait(_)
        ));
        // The answer came at 2.5 s: the next send is due at 3.5 s, not at 1.01 s.
        settle(2_500 * MS, &lanes, &mut state, lease(1));
        assert_eq!(
            reserve(3_000 * MS, &lanes, &mut state, lease(2)),
            Claim::Wait(Duration::from_millis(500))
        );
        assert_eq!(
            reserve(3_500 * MS, &lanes, &mut state, lease(2)),
            Claim::Granted
        );
    }

    #[test]
    fn a_dead_holders_lease_lapses_and_counts_as_arrived_at_its_end() {
        let lanes = [lane(1_000, 1)];
        let mut state = [LaneState::default()];
        assert_eq!(reserve(0, &lanes, &mut state, lease(1)), Claim::Granted);
        // Lease ends at 5 s; the next slot is 6 s.
        assert_eq!(
            reserve(5_000 * MS, &lanes, &mut state, lease(2)),
            Claim::Wait(Duration::from_millis(1_000))
        );
        assert_eq!(
            reserve(6_000 * MS, &lanes, &mut state, lease(2)),
            Claim::Granted
        );
        // The late settle of the dead holder does not clear the new lease.
        settle(6_100 * MS, &lanes, &mut state, lease(1));
        assert_eq!(state[0].lease_id, 2);
    }

    #[test]
    fn burst_lanes_are_plain_gcra_over_sends() {
        let lanes = [lane(100, 3)];
        let mut state = [LaneState::default()];
        for _ in 0..3 {
            assert_eq!(reserve(0, &lanes, &mut state, lease(1)), Claim::Granted);
        }
        assert_eq!(
            reserve(0, &lanes, &mut state, lease(1)),
            Claim::Wait(Duration::from_millis(100))
        );
        assert_eq!(
            reserve(100 * MS, &lanes, &mut state, lease(1)),
            Claim::Granted
        );
    }

    #[test]
    fn every_lane_must_allow_and_all_advance_together() {
        let lanes = [lane(10, 1), lane(1_000, 1)];
        let mut state = [
            LaneState::default(),
            LaneState {
                tat: 500 * MS,
                ..LaneState::default()
            },
        ];
        assert_eq!(
            reserve(0, &lanes, &mut state, lease(1)),
            Claim::Wait(Duration::from_millis(500))
        );
        // The refused reservation took nothing.
        assert_eq!(state[0], LaneState::default());
        assert_eq!(
            reserve(500 * MS, &lanes, &mut state, lease(1)),
            Claim::Granted
        );
        assert_eq!((state[0].lease_id, state[1].lease_id), (1, 1));
    }

    #[test]
    fn pauses_hold_every_lane_and_only_lengthen() {
        let lanes = [lane(0, 1)];
        let mut state = [LaneState::default()];
        pause(0, &lanes, &mut state, Duration::from_millis(150));
        pause(0, &lanes, &mut state, Duration::from_millis(10));
        assert_eq!(
            reserve(0, &lanes, &mut state, lease(1)),
            Claim::Wait(Duration::from_millis(150))
        );
        assert_eq!(
            reserve(150 * MS, &lanes, &mut state, lease(1)),
            Claim::Granted
        );
        // A pause-only lane (no quota) never leases.
        assert_eq!(state[0].lease_id, 0);
    }

    #[test]
    fn absurd_durations_saturate() {
        let lanes = [Lane {
            key: "k".into(),
            interval: Duration::MAX,
            burst: u32::MAX,
        }];
        let mut state = [LaneState::default()];
        let endless = Lease {
            id: 1,
            ttl: Duration::MAX,
        };
        let _ = reserve(u64::MAX, &lanes, &mut state, endless);
        pause(u64::MAX, &lanes, &mut state, Duration::MAX);
        settle(u64::MAX, &lanes, &mut state, lease(1));
    }
}
