//! Keeping secrets out of error messages: known secrets are scrubbed, and body excerpts show the
//! shape of an answer (keys, numbers, punctuation) but never its string values.

use secrecy::{ExposeSecret, SecretString};

/// Longest excerpt put into an error, in characters.
const EXCERPT_CHARS: usize = 160;
/// What replaces a scrubbed secret.
const REDACTED: &str = "[redacted]";

/// Removes the client's own secrets (its key and the encoded header) from text.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    secrets: Vec<SecretString>,
}

impl Redactor {
    /// A redactor that knows no secrets (string values are still hidden from excerpts).
    pub(crate) const EMPTY: Redactor = Redactor {
        secrets: Vec::new(),
    };

    pub(crate) fn new(secrets: &[SecretString]) -> Self {
        Redactor {
            secrets: secrets
                .iter()
                .filter(|s| !s.expose_secret().is_empty())
                .cloned()
                .collect(),
        }
    }

    /// `text` with every known secret replaced by `[redacted]`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            let secret = secret.expose_secret();
            if out.contains(secret) {
                out = out.replace(secret, REDACTED);
            }
        }
        out
    }

    /// A short, safe excerpt of a response body for a decode error.
    pub(crate) fn excerpt(&self, body: &[u8]) -> String {
        if body.is_empty() {
            return "(empty body)".to_owned();
        }
        let text = String::from_utf8_lossy(body);
        shape_of(&self.scrub(&text))
    }
}

/// Keeps object keys and everything outside strings; replaces each string value (even an
/// unterminated one, as in a truncated body) with `"…"`. Stops after [`EXCERPT_CHARS`].
fn shape_of(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut written = 0usize;
    while let Some(c) = chars.next() {
        if written >= EXCERPT_CHARS {
            out.push('…');
            return out;
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
        if is_key && content.chars().count() <= 40 && !content.contains(REDACTED) {
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
        assert!(excerpt.contains("[redacted]"));
    }

    #[test]
    fn truncated_strings_are_hidden() {
        let excerpt = redactor(&[]).excerpt(br#"{"data": {"seedPhrase": "abandon abil"#);
        assert!(!excerpt.contains("abandon"));
        assert!(excerpt.ends_with("\"…"));
    }

    #[test]
    fn long_bodies_are_cut_and_invalid_utf8_is_tolerated() {
        let body = vec![b'x'; 10_000];
        let excerpt = redactor(&[]).excerpt(&body);
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
        let excerpt = redactor(&[]).excerpt(&[0xff, 0xfe, b'{']);
        assert!(excerpt.contains('{'));
        assert_eq!(redactor(&[]).excerpt(b""), "(empty body)");
    }
}
