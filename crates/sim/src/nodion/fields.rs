//! Request bodies and their validation, with Rails-style messages (`Name can't be blank`)
//! collected into one 400 answer, as Nodion answers.

use std::collections::HashMap;

use axum::extract::Query;
use axum::http::Uri;
use serde_json::{Map, Value};

use super::reply::Failure;
use crate::gateway::BodyRead;

/// The body as a JSON object (empty = `{}`); anything else is 400.
pub(crate) fn object(body: &BodyRead) -> Result<Map<String, Value>, Failure> {
    let bytes = match body {
        BodyRead::Complete(bytes) => bytes,
        BodyRead::TooLarge => return Err(Failure::PayloadTooLarge),
        BodyRead::Broken => {
            return Err(Failure::BadRequest(vec![
                "Request body could not be read".to_owned(),
            ]));
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::BadRequest(vec![
            "Request body must be a JSON object".to_owned(),
        ])),
        Err(_) => Err(Failure::BadRequest(vec![
            "Request body is not valid JSON".to_owned(),
        ])),
    }
}

/// The query string's parameters (400 if it cannot be read).
pub(crate) fn query(uri: &Uri) -> Result<HashMap<String, String>, Failure> {
    Query::<HashMap<String, String>>::try_from_uri(uri)
        .map(|Query(query)| query)
        .map_err(|_| Failure::invalid("Query string is invalid"))
}

/// Validation messages gathered over a whole body.
#[derive(Debug, Default)]
pub(crate) struct Checks {
    errors: Vec<String>,
}

impl Checks {
    pub(crate) fn fail(&mut self, message: impl Into<String>) {
        self.errors.push(message.into());
    }

    /// `Ok(())` or 400 with every message.
    pub(crate) fn finish(self) -> Result<(), Failure> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Failure::BadRequest(self.errors))
        }
    }

    /// A string that must be present and not blank.
    pub(crate) fn required(
        &mut self,
        body: &Map<String, Value>,
        field: &str,
        label: &str,
    ) -> Option<String> {
        match body.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::String(_) | Value::Null) | None => {
                self.fail(format!("{label} can't be blank"));
                None
            }
            Some(_) => {
                self.fail(format!("{label} must be a string"));
                None
            }
        }
    }

    /// A string that may be absent or null (`None`); when given it must not be blank.
    pub(crate) fn optional(
        &mut self,
        body: &Map<String, Value>,
        field: &str,
        label: &str,
    ) -> Option<String> {
        match body.get(field) {
            None | Some(Value::Null) => None,
            Some(_) => self.required(body, field, label),
        }
    }

    /// An integer that may be absent or null (`None`), checked against `min..=max`.
    pub(crate) fn integer(
        &mut self,
        body: &Map<String, Value>,
        field: &str,
        label: &str,
        (min, max): (i64, i64),
    ) -> Option<i64> {
        let value = body.get(field)?;
        if value.is_null() {
            return None;
        }
        let Some(n) = value.as_i64() else {
            self.fail(format!("{label} is not a number"));
            return None;
        };
        if n < min {
            self.fail(format!("{label} must be greater than or equal to {min}"));
            None
        } else if n > max {
            self.fail(format!("{label} must be less than or equal to {max}"));
            None
        } else {
            Some(n)
        }
    }

    /// A boolean that may be absent or null (`None`).
    pub(crate) fn boolean(
        &mut self,
        body: &Map<String, Value>,
        field: &str,
        label: &str,
    ) -> Option<bool> {
        match body.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.fail(format!("{label} must be true or false"));
                None
            }
        }
    }
}

/// A lowercase DNS name with at least two labels (`example.com`, `app.example.com`).
pub(crate) fn is_hostname(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames() {
        assert!(is_hostname("example.com"));
        assert!(is_hostname("shop.example-1.io"));
        for bad in [
            "example",
            "Example.com",
            "-a.com",
            "a..com",
            "a.c0m",
            "a b.com",
            "",
        ] {
            assert!(!is_hostname(bad), "{bad}");
        }
    }
}
