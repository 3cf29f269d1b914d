//! Property tests: no duration, header or text a caller or a server can supply makes the
//! request path panic, and a known secret never survives scrubbing.

use super::redact::Redactor;
use super::replay::{FailureFacts, Reached, Step, next_step};
use super::response::RawResponse;
use super::retry::RetryConfig;
use crate::error::Error;
use http::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use proptest::prelude::*;
use secrecy::SecretString;
use std::time::Duration;

fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        (0u64..1_000_000, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
    ]
}

fn any_multiplier() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(0.0),
        any::<f64>(),
        0.5f64..10.0,
    ]
}

fn any_config() -> impl Strategy<Value = RetryConfig> {
    (
        any::<u32>(),
        any_duration(),
        any_duration(),
        any_duration(),
        any_multiplier(),
        any_duration(),
    )
        .prop_map(
            |(max_attempts, budget, initial, max, multiplier, max_retry_after)| RetryConfig {
                max_attempts,
                budget,
                initial_backoff: initial,
                max_backoff: max,
                multiplier,
                max_retry_after,
            },
        )
}

fn any_reached() -> impl Strategy<Value = Reached> {
    prop_oneof![
        Just(Reached::No),
        Just(Reached::Rejected),
        Just(Reached::Maybe)
    ]
}

/// Retry-After values a server may send: numbers of any size, dates, garbage.
fn any_retry_after() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        "[0-9]{1,40}",
        " *[0-9]{1,25} *",
        "-[0-9]{1,5}",
        "[ -~]{0,40}",
        (0i64..4_000_000_000).prop_map(|secs| {
            let at = std::time::UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs());
            httpdate::fmt_http_date(at)
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_retry_after_header_reads_without_panicking(value in any_retry_after()) {
        if let Ok(header) = HeaderValue::from_str(&value) {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, header);
            let raw = RawResponse::new("t", 429, b"").with_headers(&headers);
            let wait = raw.retry_after();
            let error = Error::RateLimited { provider: "t", retry_after: wait, message: String::new() };
            prop_assert!(!error.to_string().is_empty());
            if !value.trim().is_empty() && value.trim().bytes().all(|b| b.is_ascii_digit()) {
                prop_assert!(wait.is_some());
            }
        }
    }

    #[test]
    fn any_backoff_configuration_saturates(
        config in any_config(),
        retry in any::<u32>(),
        jitter in any::<f64>(),
    ) {
        let wait = config.backoff_with_jitter(retry, jitter);
        prop_assert!(wait <= config.max_backoff.max(Duration::ZERO));
    }

    #[test]
    fn the_replay_decision_never_panics_and_keeps_its_bounds(
        config in any_config(),
        reached in any_reached(),
        retryable in any::<bool>(),
        undecodable in any::<bool>(),
        retry_after in proptest::option::of(any_duration()),
        idempotent in any::<bool>(),
        attempt in any::<u32>(),
        elapsed in any_duration(),
        jitter in any::<f64>(),
    ) {
        let facts = FailureFacts { reached, retryable, retry_after, undecodable };
        match next_step(&config, &facts, idempotent, attempt, elapsed, jitter) {
            Step::Retry { after } => {
                prop_assert!(retryable);
                prop_assert!(elapsed.saturating_add(after) <= config.budget);
                prop_assert!(attempt < config.max_attempts.max(1));
                if let Some(asked) = retry_after {
                    prop_assert_eq!(after, asked);
                    prop_assert!(asked <= config.max_retry_after);
                }
                prop_assert!(idempotent || reached != Reached::Maybe);
            }
            Step::GiveUp { .. } => {}
        }
    }

    #[test]
    fn timeouts_of_any_length_display(after in any_duration()) {
        let error = Error::Timeout { provider: "t", what: "x".into(), after, maybe_performed: true };
        prop_assert!(error.to_string().contains("timed out"));
    }

    #[test]
    fn a_known_secret_never_survives_in_any_encoding(
        secret in "[ -~]{4,24}",
        before in "[ -~]{0,30}",
        after in "[ -~]{0,30}",
        form in 0usize..4,
    ) {
        use base64::Engine as _;
        let redactor = Redactor::new(&[SecretString::from(secret.clone())]);
        let encoded = match form {
            0 => secret,
            1 => url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
            2 => base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!(":{secret}")),
            _ => serde_json::to_string(&secret).unwrap_or_default(),
        };
        let text = format!("{before}{encoded}{after}");
        let scrubbed = redactor.scrub(&text);
        prop_assert!(!scrubbed.contains(&encoded), "{scrubbed}");
        // Excerpts and decoder complaints never panic, whatever the bytes.
        let _ = redactor.excerpt(text.as_bytes());
        let _ = redactor.problem(&text);
    }

    #[test]
    fn excerpts_of_text_without_strings_show_no_words(
        body in proptest::collection::vec(any::<u8>(), 1..512),
    ) {
        // No quotes, so no keys: every word is outside a string and must be hidden (only JSON
        // literals and numbers, whose exponent is an `e`, may keep letters).
        let body: Vec<u8> = body.into_iter().filter(|b| *b != b'"').collect();
        prop_assume!(!body.is_empty());
        let excerpt = Redactor::EMPTY.excerpt(&body);
        prop_assert!(excerpt.chars().count() <= 200);
        let rest = excerpt.replace("true", "").replace("false", "").replace("null", "");
        prop_assert!(
            rest.chars().all(|c| !c.is_alphabetic() || c == 'e' || c == 'E'),
            "{excerpt}"
        );
    }
}
