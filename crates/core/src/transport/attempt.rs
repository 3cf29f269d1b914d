//! One attempt: send the request once, refuse a redirect, read a capped body, and classify a
//! failure by how far it got. Messages here never name the endpoint: the executor puts it in
//! front of every error once.

use super::buffer::{FIRST_RESERVATION, Reservation};
use super::executor::Inner;
use super::redact::Redactor;
use super::replay::Reached;
use super::request::Request;
use super::response::{Protocol, RawResponse};
use crate::error::Error;
use bytes::{Bytes, BytesMut};
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;
use url::Url;

/// A failed attempt: the error, and whether the request may have had an effect.
pub(super) struct Failure {
    pub(super) error: Error,
    pub(super) reached: Reached,
}

impl<P: Protocol> Inner<P> {
    /// Sends `request` to `url` once and decodes the answer through the protocol.
    pub(super) async fn attempt<T: DeserializeOwned>(
        &self,
        request: &Request,
        url: &Url,
        body: Option<Bytes>,
        redactor: &Redactor,
        span: &tracing::Span,
    ) -> Result<T, Failure> {
        let provider = self.protocol.provider();
        let mut builder = self
            .http
            .request(request.method().to_http(), url.clone())
            .timeout(self.timeouts.request);
        if let Some(headers) = &self.per_request_headers {
            builder = builder.headers(headers.clone());
        }
        if !request.headers.is_empty() {
            builder = builder.headers(request.headers.clone());
        }
        if let Some(body) = body {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }

        let mut response = builder
            .send()
            .await
            .map_err(|e| self.transport_failure(e, None))?;
        let status = response.status();
        span.record("http.response.status_code", status.as_u16());

        if status.is_redirection() {
            // The target is not echoed: a hostile server can put anything there (the key as a
            // host name, a query), and nodal never goes there anyway.
            return Err(Failure {
                error: Error::Server {
                    provider,
                    status: status.as_u16(),
                    message: "the server answered with a redirect, which nodal never follows (so the key never leaves the configured host); check the base URL".into(),
                    maybe_performed: false,
                },
                reached: Reached::Maybe,
            });
        }

        let headers = std::mem::take(response.headers_mut());
        let (body, _reservation) = self.read_body(response, status).await?;
        let raw = RawResponse::received(
            provider,
            status,
            &headers,
            &body,
            request.endpoint,
            redactor,
            self.protocol.secret_fields(),
        );
        // The reservation is held until decoding is done: the body lives until then.
        self.protocol.decode(&raw).map_err(|error| Failure {
            reached: if matches!(error, Error::RateLimited { .. }) {
                Reached::Rejected
            } else {
                Reached::Maybe
            },
            error: raw.scrub_error(error),
        })
    }

    /// The largest answer this client reads: the per-answer cap, or the client-wide buffer
    /// bound if that is smaller (one answer can never hold more than the whole bound).
    pub(super) fn answer_cap(&self) -> u64 {
        self.max_response_bytes.min(self.buffers.limit())
    }

    /// Reads the body of an answer with `status` under a reservation of the client-wide
    /// buffer bound, refusing anything larger than the cap before or while reading it.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        status: StatusCode,
    ) -> Result<(Bytes, Option<Reservation<'_>>), Failure> {
        let cap = self.answer_cap();
        let too_large = || Failure {
            error: Error::ResponseTooLarge {
                provider: self.protocol.provider(),
                limit: cap,
            },
            reached: Reached::Maybe,
        };
        // With a `Content-Length` the whole body is reserved (and allocated) at once; without
        // one, a first slice, then the whole cap once the body outgrows it. Reading chunk by
        // chunk into one buffer of that capacity keeps the memory used equal to what is
        // reserved (collecting the frames and then joining them would need twice the body).
        let announced = response.content_length();
        let first = match announced {
            Some(length) if length > cap => return Err(too_large()),
            Some(length) => length,
            None => FIRST_RESERVATION.min(cap),
        };
        let mut reservation = self.buffers.reserve(first).await;
        let mut body = BytesMut::with_capacity(usize::try_from(first).unwrap_or(0));
        let mut grown = announced.is_some();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_failure(e, Some(status)))?
        {
            let read = u64::try_from(body.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
            if read > cap {
                return Err(too_large());
            }
            if read > first && !grown {
                // Give back the first reservation before waiting, so that no answer waits
                // while holding part of the budget: answers cannot deadlock each other.
                drop(reservation.take());
                reservation = self.buffers.reserve(cap).await;
                body.reserve(usize::try_from(cap).unwrap_or(0).saturating_sub(body.len()));
                grown = true;
            }
            body.extend_from_slice(&chunk);
        }
        Ok((body.freeze(), reservation))
    }

    /// Classifies a failure of the HTTP library. `answered` is the status of an answer whose
    /// body was being read, `None` when no answer arrived.
    fn transport_failure(&self, error: reqwest::Error, answered: Option<StatusCode>) -> Failure {
        // The URL may carry query values; keep it out of messages and sources.
        let error = error.without_url();
        let provider = self.protocol.provider();
        if error.is_connect() {
            let host = self.base.host_str().unwrap_or("the API host");
            return Failure {
                error: Error::Transport {
                    provider,
                    message: format!(
                        "could not connect to {host} (nothing was sent): {}",
                        error_chain(&error)
                    ),
                    source: Some(Box::new(error)),
                    maybe_performed: false,
                },
                reached: Reached::No,
            };
        }
        if error.is_timeout() {
            return Failure {
                error: Error::Timeout {
                    provider,
                    what: "waiting for the answer".into(),
                    after: self.timeouts.request,
                    maybe_performed: false,
                },
                reached: Reached::Maybe,
            };
        }
        // Name a status only when an answer really began to arrive.
        let message = match error.status().or(answered) {
            Some(status) => format!(
                "the connection failed while the HTTP {} answer was being read: {}",
                status.as_u16(),
                error_chain(&error)
            ),
            None => format!(
                "the connection failed before an answer arrived: {}",
                error_chain(&error)
            ),
        };
        Failure {
            error: Error::Transport {
                provider,
                message,
                source: Some(Box::new(error)),
                maybe_performed: false,
            },
            reached: Reached::Maybe,
        }
    }
}

/// The error and its causes as one line, without the request URL.
pub(super) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(err) = current {
        let text = err.to_string();
        let text = match text.find(" for url (") {
            Some(at) => text[..at].to_owned(),
            None => text,
        };
        if !parts.contains(&text) {
            parts.push(text);
        }
        current = err.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Sending(Reset);
    #[derive(Debug)]
    struct Reset;

    impl std::fmt::Display for Sending {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("error sending request for url (https://h/x?k=v)")
        }
    }
    impl std::error::Error for Sending {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }
    impl std::fmt::Display for Reset {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("connection reset")
        }
    }
    impl std::error::Error for Reset {}

    #[test]
    fn error_chain_joins_causes_without_the_url() {
        assert_eq!(
            error_chain(&Sending(Reset)),
            "error sending request: connection reset"
        );
    }
}
