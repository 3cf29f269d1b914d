//! Nodana's Basic auth: empty user name, the API key as the password.

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The key in `Authorization: Basic base64(":" + key)`, or `None` for a missing header, another
/// scheme, bad base64, a non-empty user name or an empty key.
pub(crate) fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credentials) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(credentials.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, key) = text.split_once(':')?;
    (user.is_empty() && !key.is_empty()).then(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn decodes_the_documented_header() {
        assert_eq!(
            api_key(&with("Basic OnRlc3Qta2V5")).as_deref(),
            Some("test-key")
        );
    }

    #[test]
    fn refuses_a_user_name_other_schemes_and_garbage() {
        // "user:test-key"
        assert_eq!(api_key(&with("Basic dXNlcjp0ZXN0LWtleQ==")), None);
        assert_eq!(api_key(&with("Bearer test-key")), None);
        assert_eq!(api_key(&with("Basic :test-key")), None);
        assert_eq!(api_key(&with("Basic")), None);
        assert_eq!(api_key(&HeaderMap::new()), None);
    }
}
