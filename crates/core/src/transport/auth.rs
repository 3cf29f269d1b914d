//! Authentication schemes, applied from a [`SecretString`] as a header marked sensitive.

use crate::error::Error;
use base64::Engine as _;
use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// How a client proves who it is.
///
/// The header value is built once, marked sensitive (so HTTP tooling never prints it), and kept
/// with the plain secret only for scrubbing it out of error excerpts.
///
/// ```
/// use nodal_core::raw::Auth;
/// let auth = Auth::basic_password("nodana", "test-key".into()).unwrap();
/// assert_eq!(auth.scheme(), "Basic");
/// assert!(!format!("{auth:?}").contains("test-key"));
/// ```
#[derive(Clone)]
pub struct Auth {
    scheme: &'static str,
    header: Option<HeaderValue>,
    /// Strings that must never appear in output: the key, and the encoded header value.
    secrets: Vec<SecretString>,
}

impl Auth {
    /// HTTP Basic with an **empty user name** and the key as password:
    /// `Basic base64(":" + key)` (Nodana's scheme).
    pub fn basic_password(provider: &'static str, key: SecretString) -> Result<Self, Error> {
        check_key(provider, &key)?;
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!(":{}", key.expose_secret()));
        let value = format!("Basic {encoded}");
        Ok(Auth {
            scheme: "Basic",
            header: Some(sensitive(provider, &value)?),
            secrets: vec![key, SecretString::from(encoded)],
        })
    }

    /// `Authorization: Bearer <token>` (Nodion's scheme).
    pub fn bearer(provider: &'static str, token: SecretString) -> Result<Self, Error> {
        check_key(provider, &token)?;
        let value = format!("Bearer {}", token.expose_secret());
        Ok(Auth {
            scheme: "Bearer",
            header: Some(sensitive(provider, &value)?),
            secrets: vec![token],
        })
    }

    /// No authentication (for public endpoints and tests).
    pub fn none() -> Self {
        Auth {
            scheme: "none",
            header: None,
            secrets: Vec::new(),
        }
    }

    /// The scheme's name: `Basic`, `Bearer` or `none`.
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    pub(crate) fn header(&self) -> Option<&HeaderValue> {
        self.header.as_ref()
    }

    pub(crate) fn secrets(&self) -> &[SecretString] {
        &self.secrets
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("scheme", &self.scheme)
            .field("key", &"[redacted]")
            .finish()
    }
}

fn check_key(provider: &'static str, key: &SecretString) -> Result<(), Error> {
    let key = key.expose_secret();
    if key.trim().is_empty() {
        return Err(Error::Config {
            provider,
            message: "the API key is empty; set it with the builder or the provider's API key environment variable".into(),
        });
    }
    if key.trim() != key {
        return Err(Error::Config {
            provider,
            message: "the API key starts or ends with whitespace; copy it again without spaces or a newline".into(),
        });
    }
    Ok(())
}

fn sensitive(provider: &'static str, value: &str) -> Result<HeaderValue, Error> {
    // The error deliberately says nothing about the value: it contains the key.
    let mut header = HeaderValue::from_str(value).map_err(|_| Error::Config {
        provider,
        message: "the API key contains characters that cannot be sent in an HTTP header (control characters or non-ASCII)".into(),
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_uses_empty_user_and_key_as_password() {
        let auth = Auth::basic_password("nodana", "test-key".into()).unwrap();
        let header = auth.header().unwrap();
        assert_eq!(header.to_str().unwrap(), "Basic OnRlc3Qta2V5");
        assert!(header.is_sensitive());
    }

    #[test]
    fn bearer_header_is_sensitive() {
        let auth = Auth::bearer("nodion", "tok-123".into()).unwrap();
        let header = auth.header().unwrap();
        assert_eq!(header.to_str().unwrap(), "Bearer tok-123");
        assert!(header.is_sensitive());
        assert!(!format!("{auth:?}").contains("tok-123"));
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_them() {
        for bad in ["", "  ", " tok", "tok\n", "tök\u{7f}"] {
            let err = Auth::bearer("nodion", bad.into()).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{bad:?}");
            if !bad.trim().is_empty() {
                assert!(!err.to_string().contains(bad.trim()));
            }
        }
    }
}
