//! The name a key's budget is stored under: a hash, never the key.

use sha2::{Digest, Sha256};
use url::{Host, Url};

/// The first 16 bytes (32 hex digits) of `sha256("nodal-budget-v1", provider, base, credential)`,
/// with the base URL normalised so `localhost`, `127.0.0.1` and `[::1]`, an explicit default
/// port, host case and a trailing `/` all name one budget.
pub(crate) fn fingerprint(provider: &str, base: &Url, credential: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [
        b"nodal-budget-v1".as_slice(),
        provider.as_bytes(),
        normalised(base).as_bytes(),
        credential,
    ] {
        // Length-prefixed, so no two different inputs concatenate to the same bytes.
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn normalised(base: &Url) -> String {
    let host = match base.host() {
        Some(Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => "127.0.0.1".into(),
        Some(Host::Ipv4(ip)) if ip.is_loopback() => "127.0.0.1".into(),
        Some(Host::Ipv6(ip)) if ip.is_loopback() => "127.0.0.1".into(),
        Some(Host::Domain(name)) => name.trim_end_matches('.').to_ascii_lowercase(),
        Some(host) => host.to_string(),
        None => String::new(),
    };
    // `port_or_known_default` makes `:443` on https and no port the same.
    let port = base.port_or_known_default().unwrap_or(0);
    format!(
        "{}://{host}:{port}{}",
        base.scheme(),
        base.path().trim_end_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(url: &str) -> String {
        fingerprint("nodana", &Url::parse(url).unwrap(), b"key")
    }

    #[test]
    fn spellings_of_one_server_share_a_fingerprint() {
        let one = fp("http://127.0.0.1:8080/v1");
        for same in [
            "http://localhost:8080/v1",
            "http://LOCALHOST:8080/v1/",
            "http://[::1]:8080/v1",
        ] {
            assert_eq!(fp(same), one, "{same}");
        }
        assert_eq!(
            fp("https://API.nodana.io/v1"),
            fp("https://api.nodana.io:443/v1/")
        );
    }

    #[test]
    fn different_keys_urls_and_providers_do_not() {
        let base = Url::parse("https://api.nodana.io/v1").unwrap();
        let a = fingerprint("nodana", &base, b"key-a");
        assert_ne!(a, fingerprint("nodana", &base, b"key-b"));
        assert_ne!(a, fingerprint("nodion", &base, b"key-a"));
        assert_ne!(
            fp("http://127.0.0.1:8080/v1"),
            fp("http://127.0.0.1:8081/v1")
        );
        assert_eq!(a.len(), 32);
        assert!(!a.contains("key"));
    }
}
