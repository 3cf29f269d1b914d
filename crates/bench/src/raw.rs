//! The baseline: what a careful hand-rolled client does with `reqwest` directly.
//!
//! One shared `reqwest::Client` with the settings nodal uses (connect timeout 5 s, per-request
//! timeout 30 s, no redirects, no proxy lookup for loopback, `Accept: application/json`, the
//! `Authorization` header marked sensitive), then `GET`, `error_for_status` and `.json::<T>()`
//! into the same typed structs the adapters decode into.

use crate::error::{BenchError, BenchResult};
use base64::Engine as _;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Client, Url};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Connect timeout, as nodal's default.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Per-request timeout, as nodal's default.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A raw client for one endpoint (its URL parsed once, as a careful client would).
#[derive(Debug, Clone)]
pub struct RawClient {
    http: Client,
    url: Url,
}

impl RawClient {
    /// A client sending `GET url` with this `Authorization` value.
    pub fn new(url: &str, authorization: &str) -> BenchResult<RawClient> {
        let url = Url::parse(url).map_err(|e| BenchError::new(format!("bad URL {url}: {e}")))?;
        let mut auth = HeaderValue::from_str(authorization)
            .map_err(|_| BenchError::new("the authorization value is not a valid header"))?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(AUTHORIZATION, auth);
        let mut builder = Client::builder()
            .default_headers(headers)
            .user_agent(concat!("nodal-bench/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none());
        if url.host_str().is_some_and(is_loopback_host) {
            builder = builder.no_proxy();
        }
        Ok(RawClient {
            http: builder.build()?,
            url,
        })
    }

    /// Nodana's scheme: Basic with an empty user name and the key as password.
    pub fn nodana(base_url: &str, key: &str) -> BenchResult<RawClient> {
        Self::new(&format!("{base_url}/projects"), &basic_authorization(key))
    }

    /// Nodion's scheme: Bearer.
    pub fn nodion(base_url: &str, key: &str) -> BenchResult<RawClient> {
        Self::new(&format!("{base_url}/regions"), &format!("Bearer {key}"))
    }

    /// One call: `GET`, fail on a 4xx/5xx status, decode the JSON body into `T`.
    pub async fn get<T: DeserializeOwned>(&self) -> Result<T, reqwest::Error> {
        self.http
            .get(self.url.clone())
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await?
            .error_for_status()?
            .json::<T>()
            .await
    }
}

/// `Basic base64(":" + key)`.
pub fn basic_authorization(key: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!(":{key}"));
    format!("Basic {encoded}")
}

fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_uses_an_empty_user_name() {
        assert_eq!(basic_authorization("test-key"), "Basic OnRlc3Qta2V5");
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        assert!(is_loopback_host("127.0.0.1"));
        assert!(is_loopback_host("[::1]"));
        assert!(is_loopback_host("localhost"));
        assert!(!is_loopback_host("api.nodana.io"));
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert!(RawClient::new("not a url", "Bearer x").is_err());
        assert!(RawClient::new("http://127.0.0.1:1/x", "Bearer \n").is_err());
    }
}
