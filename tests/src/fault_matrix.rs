//! The fault matrix: every injected fault × a read, an idempotent action and a create, on both
//! providers, through the neutral `&dyn Provider`, against the twin.
//!
//! [`expected`] is the documented outcome of each cell (one table for both providers: the request
//! path is shared); [`Bench::run`] injects the fault, makes the call and reports what happened,
//! counting attempts in the twin's request log; [`check_cell`] compares the two. The table in
//! `docs/reliability.md` is [`markdown_table`], and a test keeps the two equal.

use crate::Adapter;
use nodal::nodana::NodanaClient;
use nodal::nodion::NodionClient;
use nodal_core::{AppId, AppSpec, AppStatus, Error, Provider};
use nodal_core::{DEFAULT_MAX_RESPONSE_BYTES, Quota, RateLimit, RetryConfig, Timeouts};
use nodal_sim::{Fault as SimFault, FaultKind, RequestRecord, Sim};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Per-attempt timeout of the clients in the slow-answer row; the slow answer is slower.
pub const REQUEST_TIMEOUT: Duration = Duration::from_millis(300);
/// Per-attempt timeout in the other rows: long enough that reading the oversized body up to the
/// cap (8 MiB, in a debug build on a busy machine) never turns into a timeout.
pub const RELAXED_TIMEOUT: Duration = Duration::from_secs(10);
/// How late the twin answers in the slow-answer row.
pub const SLOW_ANSWER: Duration = Duration::from_millis(800);
/// The `Retry-After` the twin announces in Nodion's 429 row.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);
/// Nodana's minimum gap for the matrix: strict and counted like the real 1 s, but 10× faster.
pub const NODANA_INTERVAL: Duration = Duration::from_millis(100);
/// The body size of the oversized row: past the default 8 MiB cap.
pub const OVERSIZED_BYTES: usize = DEFAULT_MAX_RESPONSE_BYTES as usize + 64 * 1024;
/// Attempts in all (the default [`RetryConfig`]).
pub const MAX_ATTEMPTS: u32 = 4;

/// One row of the matrix: how the twin misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 once.
    Status500,
    /// HTTP 502 once.
    Status502,
    /// HTTP 500 on every attempt.
    Status500Persistent,
    /// The connection is closed before any answer; nothing was performed.
    DropBeforeAnswer,
    /// The request is performed, then the connection is closed without an answer.
    DropAfterProcessing,
    /// The request is performed and answered after [`SLOW_ANSWER`], past the client's timeout.
    SlowAnswer,
    /// Throttled once: Nodion 429 + `Retry-After`, Nodana its `TooManyRequestsError` payload.
    RateLimited,
    /// HTTP 200 with a body that is not JSON.
    MalformedJson,
    /// HTTP 200 with a provider-shaped JSON answer cut in half.
    TruncatedJson,
    /// HTTP 200 with a chunked body larger than the client's response cap.
    Oversized,
}

impl Fault {
    /// Every row, in the order of the docs.
    pub const ALL: [Fault; 10] = [
        Fault::Status500,
        Fault::Status502,
        Fault::Status500Persistent,
        Fault::DropBeforeAnswer,
        Fault::DropAfterProcessing,
        Fault::SlowAnswer,
        Fault::RateLimited,
        Fault::MalformedJson,
        Fault::TruncatedJson,
        Fault::Oversized,
    ];

    /// The row's label in the docs.
    pub fn label(self, provider: Adapter) -> &'static str {
        match self {
            Fault::Status500 => "500 once",
            Fault::Status502 => "502 once",
            Fault::Status500Persistent => "500 on every attempt",
            Fault::DropBeforeAnswer => "connection dropped before answer",
            Fault::DropAfterProcessing => "connection dropped after processing",
            Fault::SlowAnswer => "answer slower than the timeout",
            Fault::RateLimited => match provider {
                Adapter::Nodion => "429 + Retry-After: 1",
                Adapter::Nodana => "rate-limit payload (statusCode 429)",
            },
            Fault::MalformedJson => "malformed JSON",
            Fault::TruncatedJson => "truncated JSON",
            Fault::Oversized => "oversized body (8 MiB + 64 KiB, chunked)",
        }
    }

    fn to_sim(self) -> (FaultKind, u32) {
        match self {
            Fault::Status500 => (FaultKind::Status(500), 1),
            Fault::Status502 => (FaultKind::Status(502), 1),
            Fault::Status500Persistent => (FaultKind::Status(500), 100),
            Fault::DropBeforeAnswer => (FaultKind::DropConnection, 1),
            Fault::DropAfterProcessing => (FaultKind::DropAfterProcessing, 1),
            Fault::SlowAnswer => (FaultKind::Delay(SLOW_ANSWER), 1),
            Fault::RateLimited => (
                FaultKind::RateLimited {
                    retry_after: RETRY_AFTER,
                },
                1,
            ),
            Fault::MalformedJson => (FaultKind::MalformedJson, 1),
            Fault::TruncatedJson => (FaultKind::TruncatedJson, 1),
            Fault::Oversized => (FaultKind::Oversized(OVERSIZED_BYTES), 1),
        }
    }
}

/// The call made under the fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `get_app`: a read.
    Get,
    /// `stop_app`: an idempotent action.
    Stop,
    /// `create_app`: not idempotent.
    Create,
}

impl Call {
    /// Every call, in the order of the docs.
    pub const ALL: [Call; 3] = [Call::Get, Call::Stop, Call::Create];

    /// The faulted request on the wire: method and path pattern (`*` = one segment), relative to
    /// the provider's `/v1`.
    pub fn target(self, provider: Adapter) -> (&'static str, &'static str) {
        match (provider, self) {
            (Adapter::Nodana, Call::Get) => ("GET", "/apps/*"),
            (Adapter::Nodana, Call::Stop) => ("POST", "/apps/*/stop"),
            (Adapter::Nodana, Call::Create) => ("POST", "/apps"),
            (Adapter::Nodion, Call::Get) => ("GET", "/applications/*"),
            // stop_app reads the processes, then scales each to 0: the PATCH is the action.
            (Adapter::Nodion, Call::Stop) => ("PATCH", "/applications/*/processes/*"),
            (Adapter::Nodion, Call::Create) => ("POST", "/applications"),
        }
    }

    /// The neutral call's name.
    pub fn name(self) -> &'static str {
        match self {
            Call::Get => "get_app",
            Call::Stop => "stop_app",
            Call::Create => "create_app",
        }
    }
}

/// The error kinds the matrix can end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// [`Error::Server`] with this status.
    Server(u16),
    /// [`Error::Transport`].
    Transport,
    /// [`Error::Timeout`].
    Timeout,
    /// [`Error::Decode`].
    Decode,
    /// [`Error::ResponseTooLarge`].
    ResponseTooLarge,
}

impl Kind {
    /// The kind of `error`, if it is one of the matrix's.
    pub fn of(error: &Error) -> Option<Kind> {
        Some(match error {
            Error::Server { status, .. } => Kind::Server(*status),
            Error::Transport { .. } => Kind::Transport,
            Error::Timeout { .. } => Kind::Timeout,
            Error::Decode { .. } => Kind::Decode,
            Error::ResponseTooLarge { .. } => Kind::ResponseTooLarge,
            _ => return None,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Server(status) => write!(f, "`Server` (HTTP {status})"),
            Kind::Transport => f.write_str("`Transport`"),
            Kind::Timeout => f.write_str("`Timeout`"),
            Kind::Decode => f.write_str("`Decode`"),
            Kind::ResponseTooLarge => f.write_str("`ResponseTooLarge`"),
        }
    }
}

/// How a cell ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The call returned `Ok` (after retrying where the attempts say so).
    Succeeded,
    /// The call failed with this kind of error.
    Failed(Kind),
}

/// The documented outcome of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// Success, or the error kind.
    pub outcome: Outcome,
    /// Attempts of the faulted request the twin received.
    pub attempts: usize,
    /// For a create: the apps the twin counts afterwards (never two).
    pub apps: Option<u64>,
}

/// The documented outcome of `call` under `fault` (the same on both providers).
pub fn expected(fault: Fault, call: Call) -> Expected {
    use Outcome::{Failed, Succeeded};
    let create = call == Call::Create;
    let (outcome, attempts, apps) = match fault {
        // Not performed, but a 5xx cannot say so: reads and actions retry, a create does not.
        Fault::Status500 | Fault::Status502 => {
            let status = if fault == Fault::Status500 { 500 } else { 502 };
            if create {
                (Failed(Kind::Server(status)), 1, 0)
            } else {
                (Succeeded, 2, 0)
            }
        }
        Fault::Status500Persistent if create => (Failed(Kind::Server(500)), 1, 0),
        Fault::Status500Persistent => (Failed(Kind::Server(500)), MAX_ATTEMPTS as usize, 0),
        // The request reached the server before the connection closed: a create may have been
        // performed, so it is reported, not replayed.
        Fault::DropBeforeAnswer if create => (Failed(Kind::Transport), 1, 0),
        Fault::DropAfterProcessing if create => (Failed(Kind::Transport), 1, 1),
        Fault::DropBeforeAnswer | Fault::DropAfterProcessing => (Succeeded, 2, 0),
        Fault::SlowAnswer if create => (Failed(Kind::Timeout), 1, 1),
        Fault::SlowAnswer => (Succeeded, 2, 0),
        // "Rate limited" means "not performed": every request is replayed, creates included.
        Fault::RateLimited => (Succeeded, 2, u64::from(create)),
        // A 200 that cannot be read is not retried (it would read the same again).
        Fault::MalformedJson | Fault::TruncatedJson => (Failed(Kind::Decode), 1, 0),
        Fault::Oversized => (Failed(Kind::ResponseTooLarge), 1, 0),
    };
    Expected {
        outcome,
        attempts,
        apps: create.then_some(apps),
    }
}

/// What one cell did.
#[derive(Debug)]
pub struct Observed {
    /// The call's result.
    pub result: Result<(), Error>,
    /// Attempts of the faulted request the twin received.
    pub attempts: usize,
    /// Apps the twin created during the call.
    pub apps_created: u64,
    /// Nodana rate-limit violations the twin counted (whole cell).
    pub violations: u64,
    /// Nodion quota rejections the twin counted (whole cell).
    pub quota_rejections: u64,
    /// For a successful stop: the app's status afterwards.
    pub status_after: Option<AppStatus>,
    /// How long the call took.
    pub elapsed: Duration,
    /// The twin's whole request log, shown when the cell fails.
    pub log: Vec<RequestRecord>,
}

/// A fresh twin with short lifecycles and a strict, fast Nodana limit.
pub async fn matrix_twin() -> Sim {
    Sim::builder()
        .nodana_min_interval(NODANA_INTERVAL)
        .nodana_start_delay(Duration::from_millis(50))
        .nodion_deploy_delay(Duration::from_millis(50))
        .start()
        .await
        .expect("start the twin")
}

/// Fast backoff and the default number of attempts.
pub fn matrix_retry() -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(40))
}

/// The provider under test, built on `sim` the way an automation would: one client, fast
/// backoff, the given per-attempt timeout; Nodana keeps a strict quota matching the twin's
/// interval.
pub fn matrix_provider(provider: Adapter, sim: &Sim, timeout: Duration) -> Arc<dyn Provider> {
    let timeouts = Timeouts::default().with_request(timeout);
    match provider {
        Adapter::Nodana => Arc::new(
            NodanaClient::builder()
                .api_key(sim.nodana_key())
                .base_url(sim.nodana_base_url())
                .rate_limit(RateLimit::new(Quota::new(1, NODANA_INTERVAL)))
                .retry(matrix_retry())
                .timeouts(timeouts)
                .build()
                .expect("nodana client"),
        ),
        Adapter::Nodion => Arc::new(
            NodionClient::builder()
                .user_key(sim.nodion_user_key())
                .base_url(sim.nodion_base_url())
                .retry(matrix_retry())
                .timeouts(timeouts)
                .build()
                .expect("nodion client"),
        ),
    }
}

/// An app spec the provider accepts.
pub fn app_spec(provider: Adapter) -> AppSpec {
    match provider {
        Adapter::Nodana => AppSpec::from_template("lnbits"),
        Adapter::Nodion => AppSpec::from_image("nginxdemos/hello")
            .image_tag("latest")
            .name("matrix")
            .region("euc")
            .instance_type("starter")
            .instances(1),
    }
}

/// A twin and the provider under test, ready for one cell.
pub struct Bench {
    provider: Adapter,
    sim: Sim,
    client: Arc<dyn Provider>,
}

impl Bench {
    /// Starts a twin and builds the client. Building a client is synchronous work (TLS roots);
    /// doing it before any cell sends keeps it from delaying another cell's request after that
    /// request took its rate-limit slot.
    pub async fn new(provider: Adapter, fault: Fault) -> Bench {
        let sim = matrix_twin().await;
        let timeout = if fault == Fault::SlowAnswer {
            REQUEST_TIMEOUT
        } else {
            RELAXED_TIMEOUT
        };
        let client = matrix_provider(provider, &sim, timeout);
        Bench {
            provider,
            sim,
            client,
        }
    }

    /// Runs one cell: creates the app a read or action needs, injects the fault on the call's
    /// request, makes the call, and reads the twin's log and counters.
    pub async fn run(self, fault: Fault, call: Call) -> Observed {
        let Bench {
            provider,
            sim,
            client,
        } = self;
        let app: Option<AppId> = match call {
            Call::Create => None,
            Call::Get | Call::Stop => Some(
                client
                    .create_app(&app_spec(provider))
                    .await
                    .expect("create the app the call needs")
                    .app
                    .id,
            ),
        };

        let (method, pattern) = call.target(provider);
        let (kind, times) = fault.to_sim();
        let seen_before = sim.requests().len();
        let apps_before = sim.counters().apps_created;
        sim.inject(
            SimFault::new(provider.sim(), kind)
                .method(method)
                .path(pattern)
                .times(times),
        );

        let started = Instant::now();
        let result = match (&app, call) {
            (Some(id), Call::Get) => client.get_app(id).await.map(|got| {
                assert_eq!(&got.id, id, "get_app answered another app");
            }),
            (Some(id), Call::Stop) => client.stop_app(id).await,
            _ => client.create_app(&app_spec(provider)).await.map(|_| ()),
        };
        let elapsed = started.elapsed();
        sim.clear_faults();

        let attempts = sim.requests()[seen_before..]
            .iter()
            .filter(|r| r.method == method && path_matches(pattern, &r.path))
            .count();
        let status_after = match (&app, call, &result) {
            (Some(id), Call::Stop, Ok(())) => {
                Some(client.get_app(id).await.expect("get_app").status)
            }
            _ => None,
        };
        let counters = sim.counters();
        Observed {
            result,
            attempts,
            apps_created: counters.apps_created - apps_before,
            violations: counters.nodana_rate_limit_violations,
            quota_rejections: counters.nodion_quota_rejections,
            status_after,
            elapsed,
            log: sim.requests(),
        }
    }
}

/// Compares a cell with its documented outcome; `Err` says every difference.
pub fn check_cell(
    provider: Adapter,
    fault: Fault,
    call: Call,
    seen: &Observed,
) -> Result<(), String> {
    let want = expected(fault, call);
    let cell = format!("{provider} / {} / {}", fault.label(provider), call.name());
    let mut problems = Vec::new();
    let got = match &seen.result {
        Ok(()) => Outcome::Succeeded,
        Err(error) => match Kind::of(error) {
            Some(kind) => Outcome::Failed(kind),
            None => {
                problems.push(format!("unexpected error {error:?}"));
                Outcome::Succeeded
            }
        },
    };
    if got != want.outcome {
        problems.push(format!(
            "outcome {got:?}, documented {:?} ({:?})",
            want.outcome, seen.result
        ));
    }
    if seen.attempts != want.attempts {
        problems.push(format!(
            "{} attempts, documented {}",
            seen.attempts, want.attempts
        ));
    }
    let apps = if call == Call::Create {
        want.apps.unwrap_or(0)
    } else {
        0
    };
    if seen.apps_created != apps {
        problems.push(format!(
            "the twin counted {} new apps, documented {apps}",
            seen.apps_created
        ));
    }
    if seen.violations != 0 || seen.quota_rejections != 0 {
        problems.push(format!(
            "{} rate-limit violations and {} quota rejections, want none",
            seen.violations, seen.quota_rejections
        ));
    }
    if let Err(error) = &seen.result {
        problems.extend(message_problems(fault, call, error));
    }
    if call == Call::Stop && seen.result.is_ok() && seen.status_after != Some(AppStatus::Stopped) {
        problems.push(format!(
            "stop_app succeeded but the app is {:?}",
            seen.status_after
        ));
    }
    if provider == Adapter::Nodion
        && fault == Fault::RateLimited
        && seen.elapsed < RETRY_AFTER - Duration::from_millis(50)
    {
        problems.push(format!(
            "retried after {:?}, before the Retry-After of {RETRY_AFTER:?}",
            seen.elapsed
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let log: Vec<String> = seen
            .log
            .iter()
            .map(|r| format!("  {:>9.1?} {} {} -> {}", r.at, r.method, r.path, r.status))
            .collect();
        Err(format!(
            "{cell}: {}\n the twin's log:\n{}",
            problems.join("; "),
            log.join("\n")
        ))
    }
}

/// A failure must say what the caller needs to know: that a create may have been performed,
/// and how many attempts were made.
fn message_problems(fault: Fault, call: Call, error: &Error) -> Vec<String> {
    let text = error.to_string();
    let mut problems = Vec::new();
    if call == Call::Create
        && error.is_retryable()
        && !(error.maybe_performed() && text.contains("may have been performed"))
    {
        problems.push(format!(
            "a failed create does not say it may have been performed: {text}"
        ));
    }
    if fault == Fault::Status500Persistent
        && call != Call::Create
        && !text.contains(&format!("gave up after {MAX_ATTEMPTS} attempts"))
    {
        problems.push(format!("the error does not count the attempts: {text}"));
    }
    problems
}

/// The three cells of one row, run at once (each on its own twin); `Err` lists every failing cell.
pub async fn check_row(provider: Adapter, fault: Fault) -> Result<(), String> {
    let (get, stop, create) = (
        Bench::new(provider, fault).await,
        Bench::new(provider, fault).await,
        Bench::new(provider, fault).await,
    );
    let (get, stop, create) = tokio::join!(
        get.run(fault, Call::Get),
        stop.run(fault, Call::Stop),
        create.run(fault, Call::Create),
    );
    let failures: Vec<String> = [(Call::Get, get), (Call::Stop, stop), (Call::Create, create)]
        .iter()
        .filter_map(|(call, seen)| check_cell(provider, fault, *call, seen).err())
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// `*` matches exactly one non-empty segment (as the twin's fault patterns do).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some("*"), Some(segment)) if !segment.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

/// The outcome column of the docs.
fn describe(fault: Fault, call: Call) -> String {
    let want = expected(fault, call);
    match want.outcome {
        Outcome::Succeeded if want.attempts > 1 => "retried, succeeded".to_owned(),
        Outcome::Succeeded => "succeeded".to_owned(),
        Outcome::Failed(kind) if want.attempts > 1 => {
            format!("{kind} after {} attempts", want.attempts)
        }
        Outcome::Failed(kind) if call == Call::Create && is_retryable_kind(kind) => {
            format!("{kind}, not retried (\"may have been performed\")")
        }
        Outcome::Failed(kind) => format!("{kind}, not retried"),
    }
}

fn is_retryable_kind(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Server(500..=599) | Kind::Transport | Kind::Timeout
    )
}

/// The matrix as the markdown table in `docs/reliability.md`: one line per cell.
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| provider | fault | call | outcome | attempts | apps after a create |\n|---|---|---|---|---|---|\n",
    );
    for provider in [Adapter::Nodana, Adapter::Nodion] {
        for fault in Fault::ALL {
            for call in Call::ALL {
                let (method, pattern) = call.target(provider);
                let want = expected(fault, call);
                let apps = want.apps.map_or("–".to_owned(), |n| n.to_string());
                out.push_str(&format!(
                    "| {provider} | {} | `{}` (`{method} {pattern}`) | {} | {} | {apps} |\n",
                    fault.label(provider),
                    call.name(),
                    describe(fault, call),
                    want.attempts,
                ));
            }
        }
    }
    out
}
