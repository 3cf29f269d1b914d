//! Fault injection: make the next N matching requests of one provider misbehave.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use crate::provider::Provider;
use crate::util::lock;
use crate::{nodana, nodion};

/// How a faulted request misbehaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer this HTTP status (e.g. 500, 502) with a small HTML body, as a proxy would.
    /// The request is not performed.
    Status(u16),
    /// Close the TCP connection without answering. The request is not performed.
    DropConnection,
    /// Perform the request, then close the connection without answering: the client cannot know
    /// whether it happened (use it to check that a create is not retried into a duplicate).
    DropAfterProcessing,
    /// Perform the request normally but answer only after this delay.
    Delay(Duration),
    /// Answer 200 with a body that is not JSON. The request is not performed.
    MalformedJson,
    /// Answer 200 with a provider-shaped JSON answer cut in half (a complete HTTP response whose
    /// body is truncated JSON). The request is not performed.
    TruncatedJson,
    /// Answer 200 with a streamed (chunked) body of this many bytes. The request is not performed.
    Oversized(usize),
    /// Nodion: 429 with `Retry-After` (whole seconds, rounded up) and its error body.
    /// Nodana: HTTP 200 with the `TooManyRequestsError`/429 payload. The request is not
    /// performed and it is not counted as a rate-limit violation.
    RateLimited {
        /// The wait announced to the client.
        retry_after: Duration,
    },
}

impl FaultKind {
    /// Whether the request is carried out before the fault shows.
    pub(crate) fn performs_request(&self) -> bool {
        matches!(self, Self::DropAfterProcessing | Self::Delay(_))
    }
}

/// A fault for one provider: the next [`times`](Fault::times) requests matching the method and
/// path pattern misbehave as [`FaultKind`] says.
///
/// Faults are checked after the method and path match and before authentication, so a faulted
/// request needs no valid key; it is still recorded in the request log.
///
/// ```
/// use nodal_sim::{Fault, FaultKind, Provider};
/// let fault = Fault::new(Provider::Nodana, FaultKind::Status(502))
///     .method("POST")
///     .path("/apps/*/start")
///     .times(2);
/// # let _ = fault;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    provider: Provider,
    kind: FaultKind,
    method: Option<String>,
    path: Option<String>,
    times: u32,
}

impl Fault {
    /// A fault for any request of `provider`, once.
    pub fn new(provider: Provider, kind: FaultKind) -> Self {
        Self {
            provider,
            kind,
            method: None,
            path: None,
            times: 1,
        }
    }

    /// Only requests with this method (case-insensitive). Default: any method.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Only requests whose path, relative to the provider's `/v1` and without the query, matches
    /// this pattern; `*` matches exactly one segment (`/apps/*/start`). Default: any path.
    pub fn path(mut self, pattern: impl Into<String>) -> Self {
        self.path = Some(pattern.into());
        self
    }

    /// How many matching requests misbehave before the fault is removed. Default: 1.
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    fn matches(&self, provider: Provider, method: &str, path: &str) -> bool {
        self.provider == provider
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path
                .as_deref()
                .is_none_or(|pattern| path_matches(pattern, path))
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some("*"), Some(seg)) if !seg.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

/// The faults of one sim, in the order they were injected.
#[derive(Debug, Default)]
pub(crate) struct FaultBook {
    faults: Mutex<Vec<Fault>>,
}

impl FaultBook {
    pub(crate) fn inject(&self, fault: Fault) {
        if fault.times > 0 {
            lock(&self.faults).push(fault);
        }
    }

    pub(crate) fn clear(&self) {
        lock(&self.faults).clear();
    }

    /// The kind of the first fault matching this request, counting it down.
    pub(crate) fn take(&self, provider: Provider, method: &str, path: &str) -> Option<FaultKind> {
        let mut faults = lock(&self.faults);
        let at = faults
            .iter()
            .position(|f| f.matches(provider, method, path))?;
        let fault = faults.get_mut(at)?;
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            faults.remove(at);
        }
        Some(kind)
    }
}

/// The status recorded in the request log for a fault that answers without performing.
pub(crate) fn logged_status(kind: &FaultKind) -> u16 {
    match kind {
        FaultKind::Status(code) => valid_status(*code).as_u16(),
        FaultKind::DropConnection | FaultKind::DropAfterProcessing => 0,
        FaultKind::RateLimited { .. } => 429,
        FaultKind::Delay(_)
        | FaultKind::MalformedJson
        | FaultKind::TruncatedJson
        | FaultKind::Oversized(_) => 200,
    }
}

fn valid_status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The answer of a fault that does not perform the request (everything except the drops and
/// `Delay`, which the pipeline handles).
pub(crate) fn answer(kind: &FaultKind, provider: Provider) -> Response {
    match kind {
        FaultKind::Status(code) => {
            let status = valid_status(*code);
            let reason = status.canonical_reason().unwrap_or("Error");
            let html = format!(
                "<html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1></body></html>\n",
                code = status.as_u16()
            );
            (status, [(header::CONTENT_TYPE, "text/html")], html).into_response()
        }
        FaultKind::MalformedJson => json_bytes(Bytes::from_static(
            b"{\"data\": {\"id\": \"oops\", <!-- this is not JSON --> }",
        )),
        FaultKind::TruncatedJson => {
            let full = match provider {
                Provider::Nodana => nodana::reply::sample_answer(),
                Provider::Nodion => nodion::reply::sample_answer(),
            };
            json_bytes(Bytes::from(full[..full.len() / 2].to_owned()))
        }
        FaultKind::Oversized(size) => oversized(*size),
        FaultKind::RateLimited { retry_after } => match provider {
            Provider::Nodana => nodana::reply::too_many_requests(),
            Provider::Nodion => nodion::reply::too_many_requests(retry_after_secs(*retry_after)),
        },
        // Handled by the pipeline; answering 500 keeps this total without a panic.
        FaultKind::DropConnection | FaultKind::DropAfterProcessing | FaultKind::Delay(_) => {
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Whole seconds, rounded up (`Duration::ZERO` stays 0 so tests can ask for an immediate retry).
fn retry_after_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

fn json_bytes(body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A JSON-looking body of exactly `size` bytes, streamed in 64 KiB chunks without a
/// Content-Length, so that a client must enforce its own cap while reading.
fn oversized(size: usize) -> Response {
    const CHUNK: usize = 64 * 1024;
    let filler = Bytes::from(vec![b'x'; CHUNK]);
    let head = Bytes::from_static(b"{\"data\":\"");
    let mut remaining = size;
    let mut first = Some(head);
    let stream = futures_util::stream::iter(std::iter::from_fn(move || {
        if remaining == 0 {
            return None;
        }
        let chunk = match first.take() {
            Some(head) if head.len() <= remaining => head,
            _ => filler.slice(..remaining.min(CHUNK)),
        };
        remaining -= chunk.len();
        Some(Ok::<_, std::convert::Infallible>(chunk))
    }));
    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_one_segment_per_star() {
        assert!(path_matches("/apps/*/start", "/apps/app-1/start"));
        assert!(!path_matches("/apps/*/start", "/apps/app-1/stop"));
        assert!(!path_matches("/apps/*", "/apps/app-1/start"));
        assert!(!path_matches("/apps/*", "/apps/"));
        assert!(path_matches("/projects", "/projects"));
    }

    #[test]
    fn faults_count_down_and_disappear() {
        let book = FaultBook::default();
        book.inject(
            Fault::new(Provider::Nodana, FaultKind::Status(500))
                .method("post")
                .path("/apps")
                .times(2),
        );
        assert_eq!(book.take(Provider::Nodion, "POST", "/apps"), None);
        assert_eq!(book.take(Provider::Nodana, "GET", "/apps"), None);
        assert!(book.take(Provider::Nodana, "POST", "/apps").is_some());
        assert!(book.take(Provider::Nodana, "POST", "/apps").is_some());
        assert_eq!(book.take(Provider::Nodana, "POST", "/apps"), None);
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(3)), 3);
        assert_eq!(retry_after_secs(Duration::ZERO), 0);
    }
}
