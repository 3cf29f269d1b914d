//! Keeping secrets out of error messages, retry events and excerpts.
//!
//! Two layers, because neither alone is enough against a server that echoes what it was sent:
//! - **Known secrets are scrubbed** wherever they appear, in every form a server may echo them:
//!   as sent, JSON-escaped, percent-encoded (upper- and lower-case hex, `+` or `%20` for a
//!   space), and base64 (standard and URL-safe, padded or not, alone and as the `:secret` of
//!   Basic credentials). The client's key is known from the start; each request adds what it
//!   carries ([`super::Request::secret`]); each answer adds the values of fields the protocol
//!   names secret ([`super::Protocol::secret_fields`]) and of fields whose name says so.
//! - **Excerpts keep only a body's shape**: punctuation, numbers, `true`/`false`/`null` and
//!   JSON keys that look like identifiers. String values, long or odd keys and every word
//!   outside a string (an HTML or plain-text body) become `…`, so a secret the client never
//!   knew (a seed phrase in an HTML page) cannot appear either.

use crate::error::Error;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretString};
use std::borrow::Cow;

/// Longest excerpt put into an error, in characters.
const EXCERPT_CHARS: usize = 160;
/// What replaces a scrubbed secret.
pub(crate) const REDACTED: &str = "[redacted]";
/// A request or answer secret shorter than this is not searched for: it would match ordinary
/// words and numbers of every message, and is no secret worth the name. The client's key is
/// always searched for.
pub(crate) const MIN_SECRET_CHARS: usize = 4;
/// Longest JSON key an excerpt shows (and only when it looks like an identifier).
const MAX_KEY_CHARS: usize = 40;
/// Parts of a field name that mark its value as secret in any answer, whatever the protocol
/// declared (compared without case, `_` and `-`).
const SECRET_NAME_PARTS: [&str; 9] = [
    "password",
    "secret",
    "seed",
    "macaroon",
    "token",
    "mnemonic",
    "privatekey",
    "apikey",
    "credential",
];

/// Removes known secrets (in all their encodings) from text, and builds safe excerpts.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Every form of every secret, longest first, so that a secret containing another is
    /// scrubbed whole.
    needles: Vec<SecretString>,
}

impl Redactor {
    /// A redactor that knows no secrets (string values and words are still hidden from
    /// excerpts).
    pub(crate) const EMPTY: Redactor = Redactor {
        needles: Vec::new(),
    };

    /// A redactor for the client's own secrets (its key and the header value built from it):
    /// every one is searched for, however short.
    pub(crate) fn new(secrets: &[SecretString]) -> Self {
        let mut redactor = Redactor::EMPTY;
        redactor.add(secrets.iter().map(ExposeSecret::expose_secret), 1);
        redactor
    }

    /// This redactor plus `extra` secrets (those a request carries or an answer brought);
    /// borrowed unchanged when there are none worth searching for.
    pub(crate) fn with<'s, 'a>(
        &'s self,
        extra: impl IntoIterator<Item = &'a str>,
    ) -> Cow<'s, Redactor> {
        let extra: Vec<&str> = extra
            .into_iter()
            .filter(|s| s.chars().count() >= MIN_SECRET_CHARS)
            .collect();
        if extra.is_empty() {
            return Cow::Borrowed(self);
        }
        let mut combined = self.clone();
        combined.add(extra, MIN_SECRET_CHARS);
        Cow::Owned(combined)
    }

    fn add<'a>(&mut self, secrets: impl IntoIterator<Item = &'a str>, min_chars: usize) {
        for secret in secrets {
            if secret.chars().count() < min_chars.max(1) {
                continue;
            }
            for form in encodings(secret) {
                if !self.needles.iter().any(|n| n.expose_secret() == form) {
                    self.needles.push(SecretString::from(form));
                }
            }
        }
        self.needles
            .sort_by_key(|n| std::cmp::Reverse(n.expose_secret().len()));
    }

    /// `text` with every known secret replaced by `[redacted]`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for needle in &self.needles {
            let needle = needle.expose_secret();
            if out.contains(needle) {
                out = out.replace(needle, REDACTED);
            }
        }
        out
    }

    /// The same error with every known secret scrubbed from each of its texts. The request
    /// path passes every error through this before logging or returning it, so a protocol that
    /// quoted a body without [`super::RawResponse::quote`] still cannot leak a known secret.
    pub(crate) fn scrub_error(&self, mut error: Error) -> Error {
        if self.needles.is_empty() {
            return error;
        }
        let scrub = |text: &mut String| {
            let clean = self.scrub(text);
            if clean != *text {
                *text = clean;
            }
        };
        match &mut error {
            Error::Unauthenticated { message, .. }
            | Error::NotFound { message, .. }
            | Error::Conflict { message, .. }
            | Error::LimitExceeded { message, .. }
            | Error::RateLimited { message, .. }
            | Error::Server { message, .. }
            | Error::Transport { message, .. }
            | Error::Config { message, .. } => scrub(message),
            Error::PermissionDenied {
                message,
                needed_scope,
                ..
            } => {
                scrub(message);
                if let Some(scope) = needed_scope {
                    scrub(scope);
                }
            }
            Error::InvalidInput { message, field, .. } => {
                scrub(message);
                if let Some(field) = field {
                    scrub(field);
                }
            }
            Error::Timeout { what, .. } => scrub(what),
            Error::Decode {
                message, excerpt, ..
            } => {
                scrub(message);
                scrub(excerpt);
            }
            Error::Unsupported { .. } | Error::ResponseTooLarge { .. } => {}
        }
        error
    }

    /// A short, safe excerpt of a response body for a decode error.
    pub(crate) fn excerpt(&self, body: &[u8]) -> String {
        if body.is_empty() {
            return "(empty body)".to_owned();
        }
        let text = String::from_utf8_lossy(body);
        shape_of(&self.scrub(&text))
    }

    /// A decoder's complaint (serde's `invalid type: string "…", expected u32`) made safe:
    /// secrets scrubbed, quoted strings dropped, and a back-quoted name kept only when it looks
    /// like an identifier (serde quotes unknown keys and variants that way).
    pub(crate) fn problem(&self, text: &str) -> String {
        let text = self.scrub(text);
        let mut out = String::with_capacity(text.len().min(EXCERPT_CHARS * 2));
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' | '`' => {
                    let mut content = String::new();
                    let mut closed = false;
                    for inner in chars.by_ref() {
                        if inner == c {
                            closed = true;
                            break;
                        }
                        content.push(inner);
                    }
                    let keep = c == '`' && closed && is_identifier(&content);
                    out.push(c);
                    out.push_str(if keep { &content } else { "…" });
                    if closed {
                        out.push(c);
                    }
                }
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
            if out.chars().count() > EXCERPT_CHARS * 2 {
                out.push('…');
                break;
            }
        }
        out
    }
}

/// Every form in which `secret` may come back from a server.
fn encodings(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_owned()];
    if let Ok(json) = serde_json::to_string(secret)
        && let Some(inner) = json.get(1..json.len().saturating_sub(1))
    {
        forms.push(inner.to_owned());
    }
    for keep in [is_unreserved as fn(u8) -> bool, is_form_safe, |b: u8| {
        b.is_ascii_alphanumeric()
    }] {
        for upper in [true, false] {
            forms.push(percent_encode(secret, keep, upper, false));
            forms.push(percent_encode(secret, keep, upper, true));
        }
    }
    let basic = format!(":{secret}");
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        forms.push(engine.encode(secret));
        forms.push(engine.encode(&basic));
    }
    forms.sort();
    forms.dedup();
    forms.retain(|f| !f.is_empty());
    forms
}

/// What `application/x-www-form-urlencoded` leaves as it is.
fn is_form_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_')
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn percent_encode(text: &str, keep: fn(u8) -> bool, upper: bool, plus_for_space: bool) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else if b == b' ' && plus_for_space {
            out.push('+');
        } else if upper {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

/// Whether a JSON key or back-quoted name is safe to show: short, made of identifier
/// characters only (a seed phrase has spaces, an echoed token is long), and not looking like
/// a generated value (16 characters or more mixing letters and digits, as tokens and
/// passwords do; field names like `instance_type_id` or `ipv4` do not).
fn is_identifier(text: &str) -> bool {
    let chars = text.chars().count();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(char::is_ascii_alphabetic).count();
    let generated = chars >= 16 && digits >= 2 && letters >= 2;
    chars > 0
        && chars <= MAX_KEY_CHARS
        && !generated
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '@'))
}

/// Whether a field of that name holds a secret: one of `declared` (the protocol's names), or a
/// name that says so (`password`, `seedPhrase`, `api_key`, ...). Case, `_` and `-` are ignored.
pub(crate) fn is_secret_field(name: &str, declared: &[&str]) -> bool {
    let normal = normalise(name);
    declared.iter().any(|d| normalise(d) == normal)
        || SECRET_NAME_PARTS.iter().any(|part| normal.contains(part))
}

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The values of secret fields (see [`is_secret_field`]) in an answer body, so that they can
/// be scrubbed from whatever else the answer says (a JSON key, a message). A body that is not
/// valid JSON is scanned for `"name": "value` pairs, a truncated last value included.
pub(crate) fn answer_secrets(body: &[u8], declared: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => collect_secret_values(&value, declared, false, &mut found),
        Err(_) => scan_secret_values(&String::from_utf8_lossy(body), declared, &mut found),
    }
    found
}

fn collect_secret_values(
    value: &serde_json::Value,
    declared: &[&str],
    inside_secret: bool,
    found: &mut Vec<String>,
) {
    use serde_json::Value;
    match value {
        Value::String(text) if inside_secret => found.push(text.clone()),
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_secret_values(item, declared, inside_secret, found)),
        Value::Object(fields) => {
            for (name, field) in fields {
                let secret = inside_secret || is_secret_field(name, declared);
                collect_secret_values(field, declared, secret, found);
            }
        }
        _ => {}
    }
}

/// The tolerant scan for a body serde cannot read: each string directly after a secret key.
fn scan_secret_values(text: &str, declared: &[&str], found: &mut Vec<String>) {
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let (content, tail) = read_string(after);
        rest = tail;
        let Some(value_part) = tail.trim_start().strip_prefix(':') else {
            continue;
        };
        if !is_secret_field(&content, declared) {
            continue;
        }
        let Some(value_part) = value_part.trim_start().strip_prefix('"') else {
            continue;
        };
        let (value, tail) = read_string(value_part);
        found.push(value);
        rest = tail;
    }
}

/// The raw content of a string whose opening quote was consumed, and what follows its closing
/// quote (nothing when it is unterminated).
fn read_string(text: &str) -> (String, &str) {
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return (text[..at].to_owned(), &text[at + 1..]),
            _ => {}
        }
    }
    (text.to_owned(), "")
}

/// Keeps punctuation, numbers, JSON literals and identifier-like object keys; replaces each
/// string value (even an unterminated one, as in a truncated body), each other key, and each
/// word outside a string with `…`. Stops after [`EXCERPT_CHARS`].
fn shape_of(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut written = 0usize;
    while let Some(c) = chars.next() {
        if written >= EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        if c.is_alphanumeric() || c == '_' {
            let mut word = String::from(c);
            while let Some(&next) = chars.peek() {
                if next.is_alphanumeric() || next == '_' {
                    word.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            let shown = if is_safe_word(&word) { &word } else { "…" };
            out.push_str(shown);
            written += shown.chars().count();
            continue;
        }
        if c != '"' {
            if !c.is_control() || c == ' ' {
                out.push(c);
                written += 1;
            } else if !out.ends_with(' ') {
                out.push(' ');
                written += 1;
            }
            continue;
        }
        let mut content = String::new();
        let mut closed = false;
        while let Some(inner) = chars.next() {
            match inner {
                '\\' => {
                    chars.next();
                    content.push('_');
                }
                '"' => {
                    closed = true;
                    break;
                }
                other => content.push(other),
            }
        }
        let is_key = closed && next_significant(&mut chars.clone()) == Some(':');
        if is_key && is_identifier(&content) {
            out.push('"');
            out.push_str(&content);
            out.push('"');
            written += content.chars().count() + 2;
        } else if closed {
            out.push_str("\"…\"");
            written += 3;
        } else {
            out.push_str("\"…");
            written += 2;
        }
    }
    out
}

/// A word outside a string that an excerpt may show: a JSON literal, or a number (digits, an
/// exponent) of a sane length.
fn is_safe_word(word: &str) -> bool {
    if matches!(word, "true" | "false" | "null") {
        return true;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let number = match word.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => digits(mantissa) && digits(exponent),
        None => digits(word),
    };
    number && word.len() <= 20
}

fn next_significant(chars: &mut impl Iterator<Item = char>) -> Option<char> {
    chars.find(|c| !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(secrets: &[&str]) -> Redactor {
        let secrets: Vec<SecretString> = secrets.iter().map(|s| (*s).into()).collect();
        Redactor::new(&secrets)
    }

    #[test]
    fn keys_survive_values_do_not() {
        let excerpt =
            redactor(&[]).excerpt(br#"{"data": {"seedPhrase": "abandon ability", "n": 4}}"#);
        assert_eq!(excerpt, r#"{"data": {"seedPhrase": "…", "n": 4}}"#);
    }

    #[test]
    fn known_secrets_are_scrubbed_even_outside_strings() {
        let excerpt = redactor(&["OnRlc3Qta2V5", "test-key"])
            .excerpt(b"echo: Authorization: Basic OnRlc3Qta2V5 for test-key");
        assert!(!excerpt.contains("OnRlc3Qta2V5"));
        assert!(!excerpt.contains("test-key"));
    }

    #[test]
    fn words_outside_strings_and_odd_keys_are_hidden() {
        let excerpt = redactor(&[])
            .excerpt(b"<html><p>abandon ability able</p> {\"zebra kangaroo\": 1, \"ok\": 2e5}");
        assert!(!excerpt.contains("abandon"), "{excerpt}");
        assert!(!excerpt.contains("zebra"), "{excerpt}");
        assert!(excerpt.contains("\"ok\": 2e5"), "{excerpt}");
        assert!(excerpt.starts_with("<…><…>… … …</…>"), "{excerpt}");
        let excerpt = redactor(&[]).excerpt(br#"{"tok-9f3a-77c1-b2": 1, "instance_type_id": 2}"#);
        assert_eq!(excerpt, r#"{"…": 1, "instance_type_id": 2}"#);
    }

    #[test]
    fn every_encoding_of_a_secret_is_scrubbed() {
        let secret = "s3cr3t value/ü+";
        let r = redactor(&[secret]);
        let mut echoed = vec![
            secret.to_owned(),
            serde_json::to_string(secret)
                .unwrap()
                .trim_matches('"')
                .to_owned(),
            url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
            percent_encode(secret, is_unreserved, false, false),
        ];
        for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            echoed.push(engine.encode(secret));
            echoed.push(engine.encode(format!(":{secret}")));
        }
        for form in echoed {
            let text = format!("got <{form}>");
            assert_eq!(r.scrub(&text), "got <[redacted]>", "{form}");
        }
    }

    #[test]
    fn short_request_secrets_are_not_searched_for_but_the_key_is() {
        let client = redactor(&["k1"]);
        assert_eq!(client.scrub("k1"), REDACTED);
        let with = client.with(["abc", "abcd"]);
        assert_eq!(with.scrub("abc abcd"), format!("abc {REDACTED}"));
        assert!(matches!(client.with(["x"]), Cow::Borrowed(_)));
    }

    #[test]
    fn answer_secrets_are_found_in_json_and_in_broken_json() {
        let body =
            br#"{"data": {"seedPhrase": "abandon ability", "httpPassword": "pw-1", "x": ["a"]}}"#;
        let sorted = |mut found: Vec<String>| {
            found.sort();
            found
        };
        assert_eq!(
            sorted(answer_secrets(body, &[])),
            ["abandon ability", "pw-1"]
        );
        let body = br#"{"data": {"env_val": "v-123", "seed_phrase": "abandon abil"#;
        assert_eq!(
            answer_secrets(body, &["env_val"]),
            ["v-123", "abandon abil"]
        );
        let nested = br#"{"credentials": {"user": "u-name", "list": ["p-1"]}}"#;
        assert_eq!(sorted(answer_secrets(nested, &[])), ["p-1", "u-name"]);
    }

    #[test]
    fn decoder_complaints_keep_names_not_values() {
        let r = redactor(&[]);
        assert_eq!(
            r.problem("invalid type: string \"abandon ability\", expected u32 at line 1"),
            "invalid type: string \"…\", expected u32 at line 1"
        );
        assert_eq!(r.problem("missing field `id`"), "missing field `id`");
        assert_eq!(
            r.problem("unknown field `abandon ability able`, expected `id`"),
            "unknown field `…`, expected `id`"
        );
    }

    #[test]
    fn errors_are_scrubbed_in_every_text() {
        let r = redactor(&["hunter22"]);
        let err = r.scrub_error(Error::InvalidInput {
            provider: "t",
            field: Some("hunter22".into()),
            message: "bad hunter22".into(),
        });
        assert!(!format!("{err} {err:?}").contains("hunter22"));
    }

    #[test]
    fn truncated_strings_are_hidden() {
        let excerpt = redactor(&[]).excerpt(br#"{"data": {"seedPhrase": "abandon abil"#);
        assert!(!excerpt.contains("abandon"));
        assert!(excerpt.ends_with("\"…"));
    }

    #[test]
    fn long_bodies_are_cut_and_invalid_utf8_is_tolerated() {
        let body = b"x ".repeat(5_000);
        let excerpt = redactor(&[]).excerpt(&body);
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
        let excerpt = redactor(&[]).excerpt(&[0xff, 0xfe, b'{']);
        assert!(excerpt.contains('{'));
        assert_eq!(redactor(&[]).excerpt(b""), "(empty body)");
    }
}
