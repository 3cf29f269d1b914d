//! The secret canary's witness: distinctive secret values, and everything a test saw (`{:?}`,
//! `{:#?}` and `{}` of returned values and errors, serialized output, captured logs), checked at
//! the end for any trace of a secret.

use nodal_core::Error;
use std::fmt::{Debug, Display};
use std::sync::Mutex;

/// Collects secrets and observed text; [`Witness::assert_clean`] fails naming each leak.
#[derive(Default)]
pub struct Witness {
    secrets: Mutex<Vec<(String, String)>>,
    seen: Mutex<Vec<(String, String)>>,
}

impl Witness {
    /// An empty witness.
    pub fn new() -> Self {
        Self::default()
    }

    /// A value that must never show, with a label for the failure message.
    pub fn secret(&self, label: impl Into<String>, value: impl Into<String>) {
        let value = value.into();
        assert!(
            value.len() >= 8,
            "a canary shorter than 8 bytes could match by chance"
        );
        lock(&self.secrets).push((label.into(), value));
    }

    /// Records `{:?}` and `{:#?}` of `value`.
    pub fn debug<T: Debug + ?Sized>(&self, label: &str, value: &T) {
        self.text(label, format!("{value:?}\n{value:#?}"));
    }

    /// Records `{}` of `value`.
    pub fn display<T: Display + ?Sized>(&self, label: &str, value: &T) {
        self.text(label, value.to_string());
    }

    /// Records an error: `{}`, `{:?}`, `{:#?}` and every `source()` in the chain.
    pub fn error(&self, label: &str, error: &Error) {
        let mut text = format!("{error}\n{error:?}\n{error:#?}");
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            text.push_str(&format!("\n{cause}\n{cause:?}"));
            source = cause.source();
        }
        self.text(label, text);
    }

    /// Records a call's result (`Debug` of the value, or the error) and hands it back.
    pub fn result<T: Debug>(&self, label: &str, result: Result<T, Error>) -> Result<T, Error> {
        match &result {
            Ok(value) => self.debug(label, value),
            Err(error) => self.error(label, error),
        }
        result
    }

    /// Records a call that must succeed, and returns its value.
    pub fn ok<T: Debug>(&self, label: &str, result: Result<T, Error>) -> T {
        match self.result(label, result) {
            Ok(value) => value,
            Err(error) => panic!("{label}: expected success, got {error:?}"),
        }
    }

    /// Records a call that must fail, and returns its error.
    pub fn err<T: Debug>(&self, label: &str, result: Result<T, Error>) -> Error {
        match self.result(label, result) {
            Ok(value) => panic!("{label}: expected an error, got {value:?}"),
            Err(error) => error,
        }
    }

    /// Records any text (serialized output, CLI output, logs).
    pub fn text(&self, label: &str, text: impl Into<String>) {
        lock(&self.seen).push((label.to_owned(), text.into()));
    }

    /// How many outputs were recorded.
    pub fn outputs(&self) -> usize {
        lock(&self.seen).len()
    }

    /// How many secrets are watched.
    pub fn secrets(&self) -> usize {
        lock(&self.secrets).len()
    }

    /// Fails if any secret appears in any recorded output or in `logs`.
    pub fn assert_clean(&self, logs: &str) {
        let secrets = lock(&self.secrets);
        let seen = lock(&self.seen);
        let mut leaks = Vec::new();
        for (name, secret) in secrets.iter() {
            for (label, text) in seen.iter() {
                if text.contains(secret.as_str()) {
                    leaks.push(format!("{name} in {label}: {}", around(text, secret)));
                }
            }
            if logs.contains(secret.as_str()) {
                leaks.push(format!("{name} in the logs: {}", around(logs, secret)));
            }
        }
        assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
    }
}

/// Up to 100 bytes either side of the first match, with the secret itself masked, so the
/// failure message does not print the canary either.
fn around(text: &str, secret: &str) -> String {
    let Some(at) = text.find(secret) else {
        return String::new();
    };
    let start = floor_char_boundary(text, at.saturating_sub(100));
    let end = floor_char_boundary(text, (at + secret.len() + 100).min(text.len()));
    text[start..end].replace(secret, "<CANARY>")
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
