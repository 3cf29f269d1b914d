//! Base URL validation: https everywhere, plain http only to this machine.

use crate::error::Error;
use url::Host;
use url::Url;

/// Whether the URL points at this machine (`127.0.0.0/8`, `::1` or `localhost`), the only place
/// plain `http` is allowed.
///
/// ```
/// use nodal_core::raw::is_loopback;
/// use url::Url;
/// assert!(is_loopback(&Url::parse("http://127.0.0.1:8080/v1").unwrap()));
/// assert!(is_loopback(&Url::parse("http://[::1]:8080/v1").unwrap()));
/// assert!(!is_loopback(&Url::parse("http://example.com/v1").unwrap()));
/// ```
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Parses and checks a base URL; returns it without a trailing slash.
pub(crate) fn validate_base_url(provider: &'static str, raw: &str) -> Result<Url, Error> {
    let config = |message: String| Error::Config { provider, message };
    let mut url = Url::parse(raw.trim())
        .map_err(|e| config(format!("the base URL `{raw}` is not a valid URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(config(format!(
                "the base URL `{url}` uses plain http to a remote host; use https (plain http is only allowed for 127.0.0.1, ::1 and localhost)"
            )));
        }
        other => {
            return Err(config(format!(
                "the base URL `{url}` has scheme `{other}`; only https (or http to loopback) is supported"
            )));
        }
    }
    if url.host().is_none() {
        return Err(config(format!("the base URL `{raw}` has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Never echo the URL here: it holds credentials.
        return Err(config(
            "the base URL contains a user name or password; pass the API key to the client builder instead"
                .into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config(format!(
            "the base URL `{url}` has a query or fragment; give only scheme, host, port and path"
        )));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slash_is_removed() {
        let url = validate_base_url("t", "https://api.example.com/v1/").unwrap();
        assert_eq!(url.as_str(), "https://api.example.com/v1");
    }

    #[test]
    fn credentials_in_url_are_refused_without_echoing_them() {
        let err = validate_base_url("t", "https://user:hunter2@api.example.com/v1").unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn other_schemes_and_garbage_are_refused() {
        assert!(validate_base_url("t", "ftp://127.0.0.1/v1").is_err());
        assert!(validate_base_url("t", "not a url").is_err());
        assert!(validate_base_url("t", "https://api.example.com/v1?x=1").is_err());
        assert!(validate_base_url("t", "http://localhost:9/v1").is_ok());
        assert!(validate_base_url("t", "http://[::1]:9/v1").is_ok());
        assert!(validate_base_url("t", "http://127.0.0.2:9/v1").is_ok());
        assert!(validate_base_url("t", "http://10.0.0.1/v1").is_err());
    }
}
