//! Section 6, fleet: K processes with one Nodana key share one rate budget, through the file
//! store and through Redis, against the zero-tolerance twin with a jittery uplink. Each
//! process is this binary started as a worker (`nodal-bench fleet-worker`), configured only
//! through the environment a user would set (`NODANA_API_*`, `NODAL_RATE_LIMIT_URL`); in the
//! Redis run each also gets its own `XDG_STATE_HOME`, so only Redis can coordinate them.
//! Then the per-request cost of each store against the in-memory one, in-process.

use crate::error::{BenchError, BenchResult};
use crate::jitter::{self, GOAL_MIN_THROUGHPUT};
use crate::settings::Settings;
use crate::stats::Summary;
use nodal::nodana::NodanaClient;
use nodal::{Quota, RateBudget, RateLimit};
use nodal_sim::Sim;
use serde::Serialize;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The first argument that turns the binary into a fleet worker.
pub const WORKER_ARG: &str = "fleet-worker";
/// How many calls a worker makes (all at once, from one client).
pub const ENV_WORKER_CALLS: &str = "NODAL_BENCH_FLEET_CALLS";
/// A Redis server to use; without it the section starts `redis-server` itself when it can.
pub const ENV_REDIS_URL: &str = "NODAL_TEST_REDIS_URL";

/// One fleet run through one store.
#[derive(Debug, Clone, Serialize)]
pub struct FleetRun {
    /// `file` or `redis`.
    pub store: &'static str,
    /// Worker processes started together.
    pub processes: usize,
    /// Calls per process.
    pub calls_per_process: usize,
    /// Wall time from the first process started to the last one finished, seconds.
    pub elapsed_s: f64,
    /// Aggregate arrivals per second at the twin over the 1 request/s limit.
    pub throughput_ratio: f64,
    /// Smallest gap between two arrivals at the twin, milliseconds.
    pub min_gap_ms: Option<f64>,
    /// Calls that failed, over all processes.
    pub failed_calls: usize,
    /// Violations the zero-tolerance twin counted.
    pub violations: u64,
    /// The first failure a worker reported, if any.
    pub first_error: Option<String>,
}

impl FleetRun {
    /// No violation and no failed call.
    pub fn meets_safety_goal(&self) -> bool {
        self.violations == 0 && self.failed_calls == 0
    }

    /// Aggregate throughput at least [`GOAL_MIN_THROUGHPUT`] of the limit.
    pub fn meets_throughput_goal(&self) -> bool {
        self.throughput_ratio >= GOAL_MIN_THROUGHPUT
    }
}

/// Per-request cost of a store: sequential calls, reserve and settle included.
#[derive(Debug, Clone, Serialize)]
pub struct StoreCost {
    /// `memory`, `file` or `redis`.
    pub store: &'static str,
    /// Sequential calls measured.
    pub calls: usize,
    /// Mean time per call, microseconds.
    pub mean_us: f64,
    /// Median time per call, microseconds.
    pub median_us: f64,
    /// Mean minus the memory store's mean, microseconds.
    pub overhead_us: f64,
}

/// The fleet section's figures.
#[derive(Debug, Clone, Serialize)]
pub struct FleetResult {
    /// The file-store run.
    pub file: Option<FleetRun>,
    /// The Redis run (`None` when no Redis server was available; see `skipped`).
    pub redis: Option<FleetRun>,
    /// Per-request cost of each store.
    pub costs: Vec<StoreCost>,
    /// Why a part did not run.
    pub skipped: Vec<String>,
}

/// Runs the section; `worker` is this binary (fleets are skipped without it).
pub async fn run(settings: &Settings, worker: Option<&Path>) -> BenchResult<FleetResult> {
    let scratch = Scratch::new()?;
    let redis = RedisServer::find_or_start();
    let mut result = FleetResult {
        file: None,
        redis: None,
        costs: Vec::new(),
        skipped: Vec::new(),
    };
    match worker {
        Some(worker) => {
            let url = format!("file://{}", scratch.path("file-budget").display());
            let run = fleet(settings, worker, "file", &url, &scratch)
                .await
                .map_err(|e| e.context("fleet through the file store"))?;
            result.file = Some(run);
        }
        None => result
            .skipped
            .push("fleets: the worker binary (nodal-bench) is not known here".into()),
    }
    match (&redis, worker) {
        (Ok(server), Some(worker)) => {
            let run = fleet(settings, worker, "redis", &server.url, &scratch)
                .await
                .map_err(|e| e.context("fleet through Redis"))?;
            result.redis = Some(run);
        }
        (Err(why), _) => result.skipped.push(format!("Redis: {why}")),
        _ => {}
    }

    let calls = settings.store_cost_calls.max(1);
    let memory = cost(calls, "memory", RateBudget::in_memory()).await?;
    let base = memory.mean_us;
    result.costs.push(memory);
    let file = RateBudget::file(scratch.path("cost-budget"));
    result
        .costs
        .push(cost(calls, "file", file).await?.against(base));
    if let Ok(server) = &redis {
        let budget = RateBudget::redis(&server.url)?;
        result
            .costs
            .push(cost(calls, "redis", budget).await?.against(base));
    }
    Ok(result)
}

impl StoreCost {
    fn against(mut self, memory_mean_us: f64) -> Self {
        self.overhead_us = self.mean_us - memory_mean_us;
        self
    }
}

/// K workers at once through `budget_url`, against a fresh strict twin.
async fn fleet(
    settings: &Settings,
    worker: &Path,
    store: &'static str,
    budget_url: &str,
    scratch: &Scratch,
) -> BenchResult<FleetRun> {
    let sim = jitter::strict_twin().await?;
    let processes = settings.fleet_processes.max(1);
    let calls = settings.fleet_calls_per_process.max(1);
    let start = Instant::now();
    let mut children = Vec::new();
    for i in 0..processes {
        let mut command = Command::new(worker);
        command
            .arg(WORKER_ARG)
            .env("NODANA_API_KEY", sim.nodana_key())
            .env("NODANA_API_BASE_URL", sim.nodana_base_url())
            .env("NODAL_RATE_LIMIT_URL", budget_url)
            .env(ENV_WORKER_CALLS, calls.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if store == "redis" {
            // Each process its own state directory: only Redis can coordinate them.
            let state = scratch.path(&format!("state-{i}"));
            command.env("XDG_STATE_HOME", &state).env("HOME", &state);
        }
        let child = command
            .spawn()
            .map_err(|e| BenchError::new(format!("could not start {}: {e}", worker.display())))?;
        children.push(child);
    }
    let mut failed_calls = 0;
    let mut first_error = None;
    for child in children {
        let output = tokio::task::spawn_blocking(move || child.wait_with_output()).await??;
        let report = String::from_utf8_lossy(&output.stdout).into_owned();
        let (ok, failed, error) = parse_worker_report(&report);
        let missing = calls.saturating_sub(ok + failed);
        failed_calls += failed + missing;
        if first_error.is_none() && (failed + missing > 0 || !output.status.success()) {
            let stderr = String::from_utf8_lossy(&output.stderr);
            first_error =
                Some(error.unwrap_or_else(|| format!("{}: {}", output.status, stderr.trim())));
        }
    }
    let elapsed = start.elapsed();
    let arrivals = jitter::arrivals(&sim.requests());
    let run = FleetRun {
        store,
        processes,
        calls_per_process: calls,
        elapsed_s: elapsed.as_secs_f64(),
        throughput_ratio: jitter::throughput_ratio(&arrivals),
        min_gap_ms: jitter::min_gap(&arrivals).map(|gap| gap.as_secs_f64() * 1e3),
        failed_calls,
        violations: sim.nodana_violations(),
        first_error,
    };
    sim.shutdown().await;
    Ok(run)
}

/// A worker's stdout: `ok N`, `failed N`, and `error MESSAGE` for its first failure.
pub fn parse_worker_report(report: &str) -> (usize, usize, Option<String>) {
    let mut ok = 0;
    let mut failed = 0;
    let mut error = None;
    for line in report.lines() {
        if let Some(n) = line.strip_prefix("ok ") {
            ok = n.trim().parse().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("failed ") {
            failed = n.trim().parse().unwrap_or(0);
        } else if let Some(message) = line.strip_prefix("error ") {
            error.get_or_insert_with(|| message.to_owned());
        }
    }
    (ok, failed, error)
}

/// The worker: `NodanaClient::from_env()` (which reads `NODAL_RATE_LIMIT_URL`), N calls at
/// once, a report on stdout. Returns the process exit code.
pub async fn worker() -> i32 {
    let calls: usize = std::env::var(ENV_WORKER_CALLS)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let client = match NodanaClient::from_env() {
        Ok(client) => client,
        Err(error) => {
            println!("ok 0\nfailed {calls}\nerror {error}");
            return 1;
        }
    };
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..calls {
        let client = client.clone();
        tasks.spawn(async move { client.projects().list().await.map(|_| ()) });
    }
    let (mut ok, mut failed) = (0, 0);
    let mut first = None;
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(Ok(())) => ok += 1,
            Ok(Err(error)) => {
                failed += 1;
                first.get_or_insert_with(|| error.to_string());
            }
            Err(error) => {
                failed += 1;
                first.get_or_insert_with(|| error.to_string());
            }
        }
    }
    println!("ok {ok}\nfailed {failed}");
    if let Some(error) = first {
        println!("error {error}");
    }
    i32::from(failed > 0)
}

/// Sequential calls through one store, on a twin without a limit (so the client's own spacing,
/// one millisecond after each answer, is the only wait and the same for every store).
async fn cost(calls: usize, store: &'static str, budget: RateBudget) -> BenchResult<StoreCost> {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::ZERO)
        .start()
        .await
        .map_err(|e| BenchError::new(format!("the twin did not start: {e}")))?;
    let client = NodanaClient::builder()
        .api_key(sim.nodana_key())
        .base_url(sim.nodana_base_url())
        .rate_limit(RateLimit::new(Quota::per_second(1000)))
        .rate_budget(budget)
        .build()?;
    for _ in 0..calls.min(20) {
        client.projects().list().await?;
    }
    let mut samples = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        client
            .projects()
            .list()
            .await
            .map_err(|e| BenchError::from(e).context(store))?;
        samples.push(started.elapsed());
    }
    sim.shutdown().await;
    let summary = Summary::of(&mut samples);
    Ok(StoreCost {
        store,
        calls,
        mean_us: summary.mean_us,
        median_us: summary.median_us,
        overhead_us: 0.0,
    })
}

/// A private scratch directory, removed on drop.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new() -> BenchResult<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let root =
            std::env::temp_dir().join(format!("nodal-bench-fleet-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&root)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(Scratch { root })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The Redis server of the run: `NODAL_TEST_REDIS_URL`, else a `redis-server` started here on
/// a free loopback port (stopped on drop).
struct RedisServer {
    url: String,
    child: Option<Child>,
}

impl RedisServer {
    fn find_or_start() -> Result<Self, String> {
        if let Some(url) = std::env::var(ENV_REDIS_URL).ok().filter(|u| !u.is_empty()) {
            return Ok(RedisServer { url, child: None });
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("{ENV_REDIS_URL} is unset and redis-server could not be started ({e})")
            })?;
        let server = RedisServer {
            url: format!("redis://127.0.0.1:{port}/0"),
            child: Some(child),
        };
        // Ready when it accepts connections.
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(format!("redis-server did not listen on 127.0.0.1:{port}"))
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_reports_parse() {
        assert_eq!(parse_worker_report("ok 3\nfailed 0\n"), (3, 0, None));
        assert_eq!(
            parse_worker_report("ok 1\nfailed 2\nerror boom\nerror later\n"),
            (1, 2, Some("boom".into()))
        );
        assert_eq!(parse_worker_report(""), (0, 0, None));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn store_costs_are_measured_without_a_worker_binary() {
        let settings = Settings {
            store_cost_calls: 5,
            ..Settings::quick()
        };
        let result = run(&settings, None).await.unwrap();
        assert!(result.file.is_none() && result.redis.is_none());
        assert!(result.skipped.iter().any(|s| s.contains("worker")));
        assert_eq!(result.costs[0].store, "memory");
        assert_eq!(result.costs[1].store, "file");
        assert!(result.costs.iter().all(|c| c.calls == 5 && c.mean_us > 0.0));
    }
}
