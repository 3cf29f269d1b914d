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

/// A URL as it may appear in a message or a `Debug` print: scheme, host, port and path only.
/// User info, query and fragment are dropped (they may hold a key: `https://:KEY@host`,
/// `?api_key=KEY`, `#KEY`), also from text that does not parse as a URL, and control
/// characters are escaped. Adapters show configured base URLs through this.
///
/// ```
/// use nodal_core::raw::safe_url;
/// assert_eq!(safe_url("https://:KEY@api.example.com/v1?api_key=KEY#KEY"), "https://api.example.com/v1");
/// assert_eq!(safe_url("https://user:KEY@exa mple.com/v1"), "https://exa mple.com/v1");
/// ```
pub fn safe_url(raw: &str) -> String {
    let raw = raw.trim();
    let shown = match Url::parse(raw) {
        Ok(url) if url.host().is_some() => {
            let mut shown = format!("{}://", url.scheme());
            if let Some(host) = url.host_str() {
                shown.push_str(host);
            }
            if let Some(port) = url.port() {
                shown.push_str(&format!(":{port}"));
            }
            shown.push_str(url.path());
            shown
        }
        _ => {
            // Not a URL: cut the same parts by their punctuation.
            let cut = raw.find(['?', '#']).map_or(raw, |at| &raw[..at]);
            let (scheme, rest) = match cut.find("://") {
                Some(at) => (&cut[..at + 3], &cut[at + 3..]),
                None => ("", cut),
            };
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            let host = authority
                .rsplit_once('@')
                .map_or(authority, |(_, host)| host);
            format!("{scheme}{host}{path}")
        }
    };
    shown.chars().flat_map(char::escape_debug).collect()
}

/// Parses and checks a base URL; returns it without a trailing slash. Messages show the URL
/// only through [`safe_url`].
pub(crate) fn validate_base_url(provider: &'static str, raw: &str) -> Result<Url, Error> {
    let config = |message: String| Error::Config { provider, message };
    let shown = safe_url(raw);
    let mut url = Url::parse(raw.trim())
        .map_err(|e| config(format!("the base URL `{shown}` is not a valid URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(config(format!(
                "the base URL `{shown}` uses plain http to a remote host; use https (plain http is only allowed for 127.0.0.1, ::1 and localhost)"
            )));
        }
        other => {
            return Err(config(format!(
                "the base URL `{shown}` has scheme `{}`; only https (or http to loopback) is supported",
                other.escape_debug()
            )));
        }
    }
    if url.host().is_none() {
        return Err(config(format!("the base URL `{shown}` has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Never echo the user info: it holds credentials.
        return Err(config(format!(
            "the base URL `{shown}` contains a user name or password (not shown); pass the API key to the client builder instead"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config(format!(
            "the base URL `{shown}` has a query or fragment (not shown); give only scheme, host, port and path"
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
    fn no_error_shows_user_info_query_or_fragment() {
        for raw in [
            "http://:KEY-1234@10.0.0.1/v1",
            "https://user:KEY-1234@api.example.com/v1",
            "https://api.example.com/v1?api_key=KEY-1234",
            "https://api.example.com/v1#KEY-1234",
            "http://example.com/v1?api_key=KEY-1234",
            "ftp://user:KEY-1234@example.com/",
            "https://user:KEY-1234@exa mple.com/v1",
            "https://user:KEY-1234@[::1/v1",
            "not a url?KEY-1234",
            "https://:KEY-1234@",
        ] {
            let err = validate_base_url("t", raw).unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(matches!(err, Error::Config { .. }), "{raw}");
            assert!(!text.contains("KEY-1234"), "{raw}: {text}");
        }
        assert_eq!(
            safe_url("https://u:p@api.example.com:8443/v1?k=v#f"),
            "https://api.example.com:8443/v1"
        );
        assert_eq!(
            safe_url("https://u:p@exa mple.com/v1?x"),
            "https://exa mple.com/v1"
        );
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
