//! The Nodana twin, served under `/nodana/v1`.
//!
//! Order of checks for every request: Basic auth (→ `UnauthorizedError`), the per-key rate limit
//! (→ `TooManyRequestsError`, not performed), the body cap, the route (→ `NotFoundError`), then
//! the operation. Every answer is HTTP 200; the log records the payload's `statusCode`.

mod auth;
pub(crate) mod reply;
mod routes;
mod state;
mod templates;

use axum::http::HeaderMap;

use self::reply::{ApiError, ErrorKind};
pub(crate) use self::state::State;
use crate::gateway::{ApiRequest, BodyRead, Outcome, Shared};
use crate::time::millis;
use crate::util::lock;

/// The template table's facts, for [`crate::contract`].
pub(crate) fn template_facts() -> Vec<crate::contract::NodanaTemplate> {
    templates::facts()
}

/// The key id behind a request's credentials, without enforcing anything (for the request log
/// of faulted requests).
pub(crate) fn identify(shared: &Shared, headers: &HeaderMap) -> Option<String> {
    let key = auth::api_key(headers)?;
    lock(&shared.nodana)
        .accounts
        .get(&key)
        .map(|a| a.key_id.clone())
}

pub(crate) fn handle(shared: &Shared, request: &ApiRequest<'_>) -> Outcome {
    let config = &shared.config;
    let mut state = lock(&shared.nodana);
    let Some(account) = auth::api_key(request.headers).and_then(|key| state.accounts.get_mut(&key))
    else {
        return failure(None, ApiError::unauthorized());
    };
    let key_id = account.key_id.clone();

    // Strict 1 req/s per key: a request closer than the interval (less a small tolerance for
    // loopback jitter) after the previous *accepted* one is refused, not performed, and does not
    // move the window.
    let threshold = config
        .nodana_min_interval
        .saturating_sub(config.nodana_tolerance);
    if let Some(last) = account.last_accepted
        && request.arrived.saturating_sub(last) < threshold
    {
        shared.observer.rate_limit_violation(&key_id);
        tracing::debug!(key_id, "nodana rate limit violation");
        return failure(Some(key_id), ApiError::too_many_requests());
    }
    account.last_accepted = Some(
        account
            .last_accepted
            .map_or(request.arrived, |last| last.max(request.arrived)),
    );
    let user_id = account.user_id.clone();

    let body = match &request.body {
        BodyRead::Complete(body) => body,
        BodyRead::TooLarge => {
            return failure(
                Some(key_id),
                ApiError::new(
                    ErrorKind::PayloadTooLarge,
                    format!(
                        "Request body too large: the limit is {} bytes",
                        config.max_request_body
                    ),
                ),
            );
        }
        BodyRead::Broken => {
            return failure(
                Some(key_id),
                ApiError::bad_request("Request body could not be read"),
            );
        }
    };
    let Some(route) = routes::parse(request.method, request.path) else {
        return failure(
            Some(key_id),
            ApiError::not_found(format!("Cannot {} /v1{}", request.method, request.path)),
        );
    };
    let ctx = routes::Ctx {
        user_id: &user_id,
        now_ms: shared.clock.now_ms(),
        start_delay_ms: millis(config.nodana_start_delay),
        observer: &shared.observer,
    };
    match routes::perform(&mut state, &ctx, route, body) {
        Ok(data) => Outcome {
            status: 200,
            key_id: Some(key_id),
            response: reply::data(data),
        },
        Err(error) => failure(Some(key_id), error),
    }
}

fn failure(key_id: Option<String>, error: ApiError) -> Outcome {
    Outcome {
        status: error.kind.status_code(),
        key_id,
        response: error.into_response(),
    }
}
