//! The one request path both providers share: split off the provider, apply a fault, read the
//! body under its cap, let the provider answer (under its own lock), log, then deliver the
//! answer (late, or not at all, if a fault says so).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::faults::{self, FaultBook, FaultKind};
use crate::observe::{Observer, RequestRecord};
use crate::provider::Provider;
use crate::server::ConnControl;
use crate::time::Clock;
use crate::util::{Rng, lock};
use crate::{nodana, nodion};

/// Knobs fixed when the sim starts.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) nodana_start_delay: Duration,
    pub(crate) nodana_min_interval: Duration,
    pub(crate) nodana_tolerance: Duration,
    pub(crate) nodion_deploy_delay: Duration,
    pub(crate) nodion_quota: Option<(u32, Duration)>,
    pub(crate) max_request_body: usize,
    /// Injected latency on the way in, uniform in `[min, max]`: waited out before the arrival is
    /// counted, so arrival order may differ from send order (as on a real network).
    pub(crate) uplink: Option<(Duration, Duration)>,
}

/// Everything the handlers share: one lock per provider, plus faults and observation.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    pub(crate) nodana: Mutex<nodana::State>,
    pub(crate) nodion: Mutex<nodion::State>,
    pub(crate) faults: FaultBook,
    pub(crate) observer: Observer,
    /// Draws the uplink latencies.
    jitter: Mutex<Rng>,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Self {
        let clock = Clock::new();
        Self {
            nodana: Mutex::new(nodana::State::new()),
            nodion: Mutex::new(nodion::State::new(clock.now_ms())),
            config,
            clock,
            faults: FaultBook::default(),
            observer: Observer::default(),
            jitter: Mutex::new(Rng::from_entropy()),
        }
    }

    /// This request's uplink latency: uniform in the configured range, zero without one.
    fn uplink_delay(&self) -> Duration {
        let Some((min, max)) = self.config.uplink else {
            return Duration::ZERO;
        };
        let span = max.saturating_sub(min);
        // 53 random bits as a fraction in [0, 1).
        let unit = (lock(&self.jitter).next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        min.saturating_add(span.mul_f64(unit))
    }
}

/// The request body as read under the cap.
#[derive(Debug)]
pub(crate) enum BodyRead {
    Complete(Bytes),
    TooLarge,
    /// The client stopped sending midway; answered like malformed input.
    Broken,
}

/// One request, as a provider sees it.
#[derive(Debug)]
pub(crate) struct ApiRequest<'a> {
    pub(crate) method: &'a Method,
    /// Relative to the provider's `/v1`, e.g. `/apps/app-1`.
    pub(crate) path: &'a str,
    pub(crate) uri: &'a Uri,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: BodyRead,
    /// Arrival time since the sim started (the rate limit measures gaps between arrivals).
    pub(crate) arrived: Duration,
}

/// A provider's answer plus what the request log needs to know about it.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) status: u16,
    pub(crate) key_id: Option<String>,
    pub(crate) response: Response,
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    // A single fallback: each provider dispatches its own paths, so that unknown paths and
    // methods get that provider's not-found shape rather than axum's.
    Router::new().fallback(entry).with_state(shared)
}

async fn entry(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let uplink = shared.uplink_delay();
    if !uplink.is_zero() {
        tokio::time::sleep(uplink).await;
    }
    let arrived = shared.clock.elapsed();
    let (parts, body) = request.into_parts();
    let Some((provider, path)) = Provider::split_path(parts.uri.path()) else {
        return outside_any_provider();
    };
    let control = parts.extensions.get::<ConnControl>().cloned();
    let fault = shared.faults.take(provider, parts.method.as_str(), path);
    let user_agent = parts
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let extra_headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("x-"))
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    let record = |key_id: Option<String>, status: u16| RequestRecord {
        at: arrived,
        provider,
        method: parts.method.to_string(),
        path: path.to_owned(),
        key_id,
        status,
        user_agent: user_agent.clone(),
        extra_headers: extra_headers.clone(),
    };

    if let Some(kind) = fault.as_ref().filter(|kind| !kind.performs_request()) {
        let key_id = match provider {
            Provider::Nodana => nodana::identify(&shared, &parts.headers),
            Provider::Nodion => nodion::identify(&shared, &parts.headers),
        };
        shared
            .observer
            .record(record(key_id, faults::logged_status(kind)));
        if *kind == FaultKind::DropConnection {
            return drop_connection(control.as_ref()).await;
        }
        return faults::answer(kind, provider);
    }

    let body = read_body(body, &parts.headers, shared.config.max_request_body).await;
    let request = ApiRequest {
        method: &parts.method,
        path,
        uri: &parts.uri,
        headers: &parts.headers,
        body,
        arrived,
    };
    let outcome = match provider {
        Provider::Nodana => nodana::handle(&shared, &request),
        Provider::Nodion => nodion::handle(&shared, &request),
    };
    let logged = match fault {
        Some(FaultKind::DropAfterProcessing) => 0,
        _ => outcome.status,
    };
    shared.observer.record(record(outcome.key_id, logged));
    match fault {
        Some(FaultKind::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(FaultKind::DropAfterProcessing) => return drop_connection(control.as_ref()).await,
        _ => {}
    }
    outcome.response
}

async fn drop_connection(control: Option<&ConnControl>) -> Response {
    match control {
        Some(control) => match control.drop_connection().await {},
        // Only reachable if the router is served by something other than our accept loop.
        None => StatusCode::BAD_GATEWAY.into_response(),
    }
}

async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> BodyRead {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return BodyRead::TooLarge;
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => BodyRead::Complete(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => BodyRead::TooLarge,
        Err(_) => BodyRead::Broken,
    }
}

fn outside_any_provider() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain")],
        "nodal-sim serves the Nodana API under /nodana/v1 and the Nodion API under /nodion/v1\n",
    )
        .into_response()
}
