//! A provider's answer as the request path hands it to the adapter's [`Protocol`].

use super::endpoint::Endpoint;
use super::redact::{self, Redactor};
use crate::error::Error;
use http::StatusCode;
use http::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

/// How one provider turns an answer into a value or an [`Error`] — the only provider-specific
/// step of the request path. Each adapter implements it once; that implementation is the single
/// place where the provider's wire errors are mapped to meanings.
///
/// ```
/// use nodal_core::Error;
/// use nodal_core::raw::{Protocol, RawResponse};
/// use serde::de::DeserializeOwned;
///
/// /// Answers are plain JSON; any non-2xx status is a server error.
/// struct PlainJson;
///
/// impl Protocol for PlainJson {
///     fn provider(&self) -> &'static str { "plain" }
///     fn decode<T: DeserializeOwned>(&self, response: &RawResponse<'_>) -> Result<T, Error> {
///         if response.status().is_success() {
///             response.json()
///         } else {
///             Err(Error::Server {
///                 provider: self.provider(),
///                 status: response.status().as_u16(),
///                 message: response.excerpt(),
///                 maybe_performed: false,
///             })
///         }
///     }
/// }
///
/// let answer = RawResponse::new("plain", 200, b"[1, 2]");
/// let numbers: Vec<u32> = PlainJson.decode(&answer).unwrap();
/// assert_eq!(numbers, [1, 2]);
/// ```
pub trait Protocol: Send + Sync + 'static {
    /// Short provider name used in errors and traces.
    fn provider(&self) -> &'static str;

    /// Turns an answer into `T`, or into the error it means. A rate-limit answer must be
    /// [`Error::RateLimited`] (with `retry_after` when known) so the request path can wait and
    /// retry; every other failure keeps the provider's words.
    fn decode<T: DeserializeOwned>(&self, response: &RawResponse<'_>) -> Result<T, Error>;

    /// Names of answer fields that carry secrets the provider hands out (e.g. Nodana's
    /// `seedPhrase`). Their values, and those of any field whose name says it is secret
    /// (`password`, `token`, `seed`, `secret`, `macaroon`, ...), are scrubbed from every error
    /// built from that answer: a message, an excerpt, even a JSON key that repeats them.
    /// Default: none beyond those.
    fn secret_fields(&self) -> &'static [&'static str] {
        &[]
    }
}

/// The most characters of a provider's own words kept in an error message: enough for any real
/// explanation, and a hostile or broken server cannot make an error megabytes long.
pub const MAX_PROVIDER_WORDS: usize = 500;

static NO_SECRETS: Redactor = Redactor::EMPTY;

/// The status, headers and (size-capped) body of one answer, plus what the call was.
pub struct RawResponse<'a> {
    pub(crate) provider: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: Option<&'a HeaderMap>,
    pub(crate) body: &'a [u8],
    pub(crate) endpoint: Endpoint,
    pub(crate) redactor: &'a Redactor,
    pub(crate) secret_fields: &'static [&'static str],
    /// The redactor plus the secrets this answer brought; built on the first error path.
    pub(crate) with_answer_secrets: OnceLock<Redactor>,
}

impl<'a> RawResponse<'a> {
    /// An answer built by hand, for testing and fuzzing a [`Protocol`] without a server.
    /// A status outside 100..=999 becomes 500.
    pub fn new(provider: &'static str, status: u16, body: &'a [u8]) -> Self {
        RawResponse {
            provider,
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: None,
            body,
            endpoint: Endpoint::get("/"),
            redactor: &NO_SECRETS,
            secret_fields: &[],
            with_answer_secrets: OnceLock::new(),
        }
    }

    /// An answer as the request path builds it.
    pub(crate) fn received(
        provider: &'static str,
        status: StatusCode,
        headers: &'a HeaderMap,
        body: &'a [u8],
        endpoint: Endpoint,
        redactor: &'a Redactor,
        secret_fields: &'static [&'static str],
    ) -> Self {
        RawResponse {
            provider,
            status,
            headers: Some(headers),
            body,
            endpoint,
            redactor,
            secret_fields,
            with_answer_secrets: OnceLock::new(),
        }
    }

    /// Declares the answer fields holding secrets on a hand-built answer (as
    /// [`Protocol::secret_fields`] does for the request path).
    pub fn with_secret_fields(mut self, fields: &'static [&'static str]) -> Self {
        self.secret_fields = fields;
        self.with_answer_secrets = OnceLock::new();
        self
    }

    /// The redactor for anything said about this answer: the client's and the request's
    /// secrets, plus the values of the answer's own secret fields.
    pub(crate) fn redactor(&self) -> &Redactor {
        self.with_answer_secrets.get_or_init(|| {
            let found = redact::answer_secrets(self.body, self.secret_fields);
            match self.redactor.with(found.iter().map(String::as_str)) {
                Cow::Borrowed(same) => same.clone(),
                Cow::Owned(more) => more,
            }
        })
    }

    /// Adds headers to a hand-built answer.
    pub fn with_headers(mut self, headers: &'a HeaderMap) -> Self {
        self.headers = Some(headers);
        self
    }

    /// Sets the endpoint the answer is for, on a hand-built answer.
    pub fn for_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// A response header as text, if present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers?.get(name)?.to_str().ok()
    }

    /// The raw body (already capped in size).
    pub fn body(&self) -> &[u8] {
        self.body
    }

    /// The provider name.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// The endpoint row of the call (shown as `METHOD /path/template`).
    pub fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    /// The permission the endpoint's row names, if any.
    pub fn permission(&self) -> Option<&'static str> {
        self.endpoint.permission()
    }

    /// Decodes the whole body as JSON, or returns [`Error::Decode`] with a redacted excerpt.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    /// An [`Error::Decode`] for this answer. `problem` is cleaned of string values and secrets
    /// (decoder messages quote the offending value, which may be a seed phrase).
    pub fn decode_error(&self, problem: impl AsRef<str>) -> Error {
        Error::Decode {
            provider: self.provider,
            // No endpoint here: the request path puts it in front of every error once.
            message: format!(
                "answered HTTP {}: {}",
                self.status.as_u16(),
                self.redactor().problem(problem.as_ref())
            ),
            excerpt: self.excerpt(),
            maybe_performed: false,
        }
    }

    /// A short excerpt of the body showing its shape, with string values and secrets removed.
    pub fn excerpt(&self) -> String {
        self.redactor().excerpt(self.body)
    }

    /// The provider's own words (an error message) as they may go into an [`Error`]: scrubbed of
    /// the client's secrets first, so a cut never leaves part of a secret, then cut to
    /// [`MAX_PROVIDER_WORDS`] characters with `…`. Both adapters quote providers through this.
    ///
    /// ```
    /// use nodal_core::raw::{MAX_PROVIDER_WORDS, RawResponse};
    /// let answer = RawResponse::new("example", 400, b"");
    /// assert_eq!(answer.quote("Name can't be blank"), "Name can't be blank");
    /// let long = "x".repeat(10_000);
    /// assert_eq!(answer.quote(&long).chars().count(), MAX_PROVIDER_WORDS + 1);
    /// ```
    pub fn quote(&self, words: &str) -> String {
        let words = self.redactor().scrub(words);
        match words.char_indices().nth(MAX_PROVIDER_WORDS) {
            Some((cut, _)) => format!("{}…", &words[..cut]),
            None => words,
        }
    }

    /// `text` (e.g. a provider's error message) with the client's, the request's and the
    /// answer's secrets removed.
    pub fn scrub(&self, text: &str) -> String {
        self.redactor().scrub(text)
    }

    /// `error` with the client's, the request's and the answer's secrets removed from each of
    /// its texts (the request path applies this to whatever the protocol returns).
    pub fn scrub_error(&self, error: Error) -> Error {
        self.redactor().scrub_error(error)
    }

    /// The `Retry-After` header as a wait: delay-seconds or an HTTP date (a date in the past
    /// means no wait). `None` when absent or unreadable; a number of seconds too large for a
    /// `u64` is read as the longest wait rather than ignored.
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self.headers?.get(RETRY_AFTER)?.to_str().ok()?.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return Some(
                value
                    .parse::<u64>()
                    .map_or(Duration::MAX, Duration::from_secs),
            );
        }
        let at = httpdate::parse_http_date(value).ok()?;
        Some(
            at.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 7 "));
        let raw = RawResponse::new("t", 429, b"").with_headers(&headers);
        assert_eq!(raw.retry_after(), Some(Duration::from_secs(7)));

        let later = SystemTime::now() + Duration::from_secs(30);
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap(),
        );
        let raw = RawResponse::new("t", 429, b"").with_headers(&headers);
        let wait = raw.retry_after().unwrap();
        assert!(wait > Duration::from_secs(27) && wait <= Duration::from_secs(30));

        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        let raw = RawResponse::new("t", 429, b"").with_headers(&headers);
        assert_eq!(raw.retry_after(), Some(Duration::ZERO));

        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("18446744073709551615"),
        );
        let raw = RawResponse::new("t", 429, b"").with_headers(&headers);
        assert_eq!(raw.retry_after(), Some(Duration::from_secs(u64::MAX)));

        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("99999999999999999999999"),
        );
        let raw = RawResponse::new("t", 429, b"").with_headers(&headers);
        assert_eq!(raw.retry_after(), Some(Duration::MAX));

        headers.insert(RETRY_AFTER, HeaderValue::from_static("-5"));
        let raw = RawResponse::new("t", 429, b"").with_headers(&headers);
        assert_eq!(raw.retry_after(), None);

        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        let raw = RawResponse::new("t", 429, b"").with_headers(&headers);
        assert_eq!(raw.retry_after(), None);
    }

    #[test]
    fn decode_errors_do_not_quote_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Created {
            id: u32,
        }
        let raw = RawResponse::new("t", 200, br#"{"id": "abandon ability able"}"#);
        let err = raw.json::<Created>().unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(matches!(err, Error::Decode { .. }));
        assert!(!text.contains("abandon"), "{text}");
    }

    #[test]
    fn decode_errors_leave_the_endpoint_to_the_request_path() {
        let raw = RawResponse::new("t", 201, b"{").for_endpoint(Endpoint::post("/apps"));
        let err = raw.decode_error("expected a value");
        let text = err.to_string();
        assert!(text.contains("answered HTTP 201: "), "{text}");
        assert!(!text.contains("/apps"), "{text}");
    }

    #[test]
    fn out_of_range_status_becomes_500() {
        assert_eq!(RawResponse::new("t", 42, b"").status(), 500);
    }
}
