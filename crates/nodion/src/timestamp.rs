//! The little time arithmetic the log pager needs: RFC 3339 / ISO 8601 time stamps as
//! nanoseconds since the Unix epoch, and back, without a date-time dependency.
//!
//! Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM|±HHMM]`, `T` or a space between date and
//! time, a missing offset read as UTC (the forms `humantime::parse_rfc3339_weak` accepts, plus
//! offsets such as Nodion's `+02:00`). Written: UTC with `Z` and as many fraction digits (0, 3, 6
//! or 9) as the instant needs, e.g. `2026-05-05T08:14:22.115Z`, the form of Nodion's log `ts`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An instant as nanoseconds since 1970-01-01T00:00:00Z (negative before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Instant(i128);

const NANOS_PER_SEC: i128 = 1_000_000_000;

impl Instant {
    /// The client's clock now, to the millisecond (the precision of Nodion's time stamps).
    pub(crate) fn now() -> Instant {
        let millis = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(after) => after.as_millis() as i128,
            Err(before) => -(before.duration().as_millis() as i128),
        };
        Instant(millis * 1_000_000)
    }

    /// Parses an RFC 3339 time stamp; `None` when it is not one.
    pub(crate) fn parse(text: &str) -> Option<Instant> {
        let b = text.trim().as_bytes();
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            let digits = b.get(range)?;
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(digits).ok()?.parse().ok()
        };
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        if !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut at = 19;
        let mut nanos: i128 = 0;
        if b.get(at) == Some(&b'.') {
            let start = at + 1;
            let mut end = start;
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            if end == start {
                return None;
            }
            for (i, digit) in b[start..end].iter().enumerate() {
                if i < 9 {
                    nanos += i128::from(digit - b'0') * 10i128.pow(8 - i as u32);
                }
            }
            at = end;
        }
        let offset_seconds: i64 = match b.get(at) {
            None => 0,
            Some(b'Z' | b'z') if at + 1 == b.len() => 0,
            Some(sign @ (b'+' | b'-')) => {
                let (hours, minutes) = match b.len() - at {
                    6 if b[at + 3] == b':' => (num(at + 1..at + 3)?, num(at + 4..at + 6)?),
                    5 => (num(at + 1..at + 3)?, num(at + 3..at + 5)?),
                    _ => return None,
                };
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let total = hours * 3600 + minutes * 60;
                if *sign == b'+' { total } else { -total }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
        Some(Instant(i128::from(seconds) * NANOS_PER_SEC + nanos))
    }

    /// This instant moved back by `by`.
    pub(crate) fn minus(self, by: Duration) -> Instant {
        Instant(self.0 - by.as_nanos() as i128)
    }

    /// This instant moved forward by `by`.
    pub(crate) fn plus(self, by: Duration) -> Instant {
        Instant(self.0 + by.as_nanos() as i128)
    }

    /// RFC 3339 in UTC with `Z`, e.g. `2026-05-05T08:14:22.115Z`.
    pub(crate) fn format(self) -> String {
        let seconds = self.0.div_euclid(NANOS_PER_SEC);
        let nanos = self.0.rem_euclid(NANOS_PER_SEC) as u32;
        let days = seconds.div_euclid(86_400) as i64;
        let of_day = seconds.rem_euclid(86_400) as i64;
        let (year, month, day) = civil_from_days(days);
        let fraction = if nanos == 0 {
            String::new()
        } else if nanos.is_multiple_of(1_000_000) {
            format!(".{:03}", nanos / 1_000_000)
        } else if nanos.is_multiple_of(1_000) {
            format!(".{:06}", nanos / 1_000)
        } else {
            format!(".{nanos:09}")
        };
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{fraction}Z",
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60
        )
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Instant {
        Instant::parse(text).unwrap_or_else(|| panic!("{text} does not parse"))
    }

    #[test]
    fn round_trips_and_offsets() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2026-05-05T08:14:22.115Z",
            "2024-02-29T23:59:59.000001Z",
            "2000-03-01T00:00:00.123456789Z",
            "1969-12-31T23:59:59.5Z".replace(".5", ".500").as_str(),
        ] {
            assert_eq!(at(text).format(), text);
        }
        assert_eq!(at("1970-01-01T00:00:00Z").0, 0);
        assert_eq!(
            at("2023-06-02T19:01:23.914+02:00"),
            at("2023-06-02T17:01:23.914Z")
        );
        assert_eq!(at("2023-06-02T19:01:23-0130"), at("2023-06-02T20:31:23Z"));
        assert_eq!(at("2025-05-24 08:00:00"), at("2025-05-24T08:00:00Z"));
        assert_eq!(
            at("2025-05-24T08:00:00.1234567891Z").format(),
            "2025-05-24T08:00:00.123456789Z"
        );
    }

    #[test]
    fn arithmetic_crosses_days_and_years() {
        let hour = Duration::from_secs(3600);
        assert_eq!(
            at("2026-01-01T00:30:00Z").minus(hour).format(),
            "2025-12-31T23:30:00Z"
        );
        assert_eq!(
            at("2024-02-28T23:30:00.250Z").plus(hour).format(),
            "2024-02-29T00:30:00.250Z"
        );
        assert!(at("2026-05-05T08:14:22.115Z") < at("2026-05-05T08:14:22.116Z"));
        assert!(Instant::now() > at("2025-01-01T00:00:00Z"));
    }

    #[test]
    fn non_times_are_refused() {
        for text in [
            "",
            "yesterday",
            "2025-13-01T00:00:00Z",
            "2025-02-30T00:00:00Z",
            "2025-05-24T24:00:00Z",
            "2025-05-24T08:00:00.Z",
            "2025-05-24T08:00:00Q",
            "2025-05-24T08:00:00+2",
            "2025-05-24",
        ] {
            assert_eq!(Instant::parse(text), None, "{text}");
        }
    }
}
