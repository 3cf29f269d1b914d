//! Hostile servers (docs/reliability.md, "Hostile servers"): loopback servers that echo what
//! they were sent into every place an answer can carry text, send redirects to the key, answer
//! 64 times at the size cap at once, quote megabytes, send absurd `Retry-After` values, lose
//! the answer to a delete, and ignore a pager's cursor. Each case of issue 15's adversarial
//! pass that concerns the library has a test here that failed before the fix.
//!
//! The canary (`canary.rs`) plants a distinct secret in every secret-carrying field of every
//! operation and runs them against each echoing server, checking `Display`, `Debug` and the
//! client's logs at TRACE.

mod canary;
mod echo;
mod memory;
mod outcomes;
mod panics;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use nodal::nodana::NodanaClient;
use nodal::nodion::NodionClient;
use nodal_core::{Quota, RateLimit, RetryConfig};
use nodal_tests::loopback::Received;
use std::time::Duration;

/// Nodana's key in these tests: `/`, `+` and `=` change under percent-encoding.
pub(crate) const NODANA_KEY: &str = "nodana-hostile/key+4b1d=9";
/// Nodion's key in these tests.
pub(crate) const NODION_KEY: &str = "nodion-hostile/key+7c2e=5";

/// Fast retries (4 attempts), so that retried answers are seen quickly.
pub(crate) fn fast_retry() -> RetryConfig {
    RetryConfig::default().with_backoff(Duration::from_millis(2), Duration::from_millis(8))
}

pub(crate) fn nodana(base_url: &str) -> NodanaClient {
    NodanaClient::builder()
        .api_key(NODANA_KEY)
        .base_url(base_url)
        .rate_limit(RateLimit::new(Quota::per_second(1000)))
        .retry(fast_retry())
        .build()
        .expect("nodana client")
}

pub(crate) fn nodion(base_url: &str) -> NodionClient {
    NodionClient::builder()
        .user_key(NODION_KEY)
        .base_url(base_url)
        .retry(fast_retry())
        .build()
        .expect("nodion client")
}

/// Percent-encoding of every byte but the unreserved ones, as a server might echo a value.
pub(crate) fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every form in which the echoing servers send a secret back.
pub(crate) fn forms(secret: &str) -> Vec<(String, String)> {
    vec![
        ("as sent".into(), secret.to_owned()),
        ("percent-encoded".into(), percent(secret)),
        ("base64".into(), STANDARD.encode(secret)),
        ("base64 unpadded".into(), STANDARD_NO_PAD.encode(secret)),
        (
            "Basic credentials unpadded".into(),
            STANDARD_NO_PAD.encode(format!(":{secret}")),
        ),
    ]
}

/// What an echoing server says back about a request: its Authorization header, the secret in
/// it decoded, its path and body, every string value of a JSON body, and each of those
/// percent-encoded and base64-encoded (padded and not).
pub(crate) fn echo(request: &Received) -> String {
    let auth = request
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    let mut secrets = Vec::new();
    if let Some(token) = auth.strip_prefix("Bearer ") {
        secrets.push(token.to_owned());
    }
    if let Some(basic) = auth.strip_prefix("Basic ")
        && let Ok(decoded) = STANDARD.decode(basic)
    {
        let decoded = String::from_utf8_lossy(&decoded).into_owned();
        secrets.push(decoded.trim_start_matches(':').to_owned());
    }
    if let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) {
        collect_strings(&body, &mut secrets);
    }
    let mut out = format!(
        "auth={auth} path={} body={}",
        request.path,
        String::from_utf8_lossy(&request.body)
    );
    for secret in &secrets {
        for (_, form) in forms(secret) {
            out.push_str(" | ");
            out.push_str(&form);
        }
    }
    out
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(fields) => fields.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// `text` without anything a header value cannot hold.
pub(crate) fn header_safe(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .collect()
}

/// Everything an error shows: `Display`, `Debug`, pretty `Debug` and its sources.
pub(crate) fn shown(error: &nodal::Error) -> String {
    let mut text = format!("{error}\n{error:?}\n{error:#?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

/// Fails naming the form when any form of `secret` appears in `text`.
#[track_caller]
pub(crate) fn assert_hidden(label: &str, secret: &str, text: &str) {
    for (form, value) in forms(secret) {
        assert!(
            !text.contains(&value),
            "{label}: the secret ({form}) appears in: {}",
            text.replace(&value, "<SECRET>")
        );
    }
}
