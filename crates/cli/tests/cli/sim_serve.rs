//! `nodal sim serve`: the standalone twin prints export lines that point nodal at it, and stops
//! cleanly on Ctrl-C.

use crate::common::{Env, TempDir};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Kills the twin if the test fails before stopping it, so no server outlives the test.
struct Serving(Option<Child>);

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_serve_prints_exports_that_work() {
    let state = TempDir::new("sim-serve");
    let mut serving = Serving(None);
    let child = serving.0.insert(
        Command::new(env!("CARGO_BIN_EXE_nodal"))
            .args(["sim", "serve", "--port", "0"])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let done = line.contains("Serving until Ctrl-C");
            lines.push(line);
            if done {
                break;
            }
        }
        lines
    })
    .await
    .unwrap();

    let mut env = Env::new(&state);
    let mut exported = 0;
    for line in &lines {
        if let Some((name, value)) = line
            .strip_prefix("export ")
            .and_then(|rest| rest.split_once('='))
        {
            env = env.var(name, value.trim_matches('\''));
            exported += 1;
        }
    }
    assert_eq!(exported, 4, "{lines:#?}");
    let regions = env
        .clone()
        .var("NODAL_PROVIDER", "nodion")
        .run(&["regions", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(regions.as_array().unwrap().len(), 2);
    env.var("NODAL_PROVIDER", "nodana")
        .run(&["projects", "list", "--json"])
        .await
        .ok();

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let mut child = serving.0.take().unwrap();
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_serve_takes_the_twins_options_and_writes_an_env_file() {
    let state = TempDir::new("sim-serve-options");
    let env_file = state.path().join("twin.env");
    let mut serving = Serving(None);
    let child = serving.0.insert(
        Command::new(env!("CARGO_BIN_EXE_nodal"))
            .args([
                "sim",
                "serve",
                "--nodana-key",
                "fixed-nodana-key",
                "--nodion-key",
                "fixed-nodion-key",
                "--nodana-start-delay",
                "200ms",
                "--nodion-deploy-delay",
                "200ms",
                "--nodana-min-interval",
                "1s",
                "--nodana-tolerance",
                "50ms",
                "--nodion-quota",
                "100/1s",
                "--env-file",
                &env_file.display().to_string(),
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.stdout.take().unwrap();
    tokio::task::spawn_blocking(move || {
        for line in BufReader::new(stdout).lines() {
            if line.unwrap().contains("Serving until Ctrl-C") {
                break;
            }
        }
    })
    .await
    .unwrap();

    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&env_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&env_file).unwrap();
    assert!(
        text.contains("export NODANA_API_KEY=fixed-nodana-key"),
        "{text}"
    );
    assert!(
        text.contains("export NODION_API_KEY=fixed-nodion-key"),
        "{text}"
    );
    let mut env = Env::new(&state);
    for line in text.lines() {
        if let Some((name, value)) = line
            .strip_prefix("export ")
            .and_then(|rest| rest.split_once('='))
        {
            env = env.var(name, value.trim_matches('\''));
        }
    }
    // The short start delay holds: a create with --wait is done within seconds.
    let started = std::time::Instant::now();
    let created = env
        .var("NODAL_PROVIDER", "nodana")
        .run(&[
            "--json",
            "apps",
            "create",
            "--template",
            "lnbits",
            "--wait",
            "--timeout",
            "30s",
        ])
        .await
        .ok()
        .json();
    assert_eq!(created["app"]["status"], "running");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));

    // SIGTERM stops it cleanly too.
    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let mut child = serving.0.take().unwrap();
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

/// How the twin answered one raw request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Accepted,
    /// Nodana's rate-limit refusal, `TooManyRequestsError` in the body (whatever the status).
    RateLimited,
}

/// One raw `GET` with Nodana's Basic auth for `fixed-nodana-key`.
/// Raw on purpose: nodal's own limiter would never send the close pair this test needs.
fn raw_nodana_get(addr: &str, path: &str) -> Answer {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    // base64(":fixed-nodana-key")
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Basic OmZpeGVkLW5vZGFuYS1rZXk=\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    if answer.contains("TooManyRequestsError") {
        Answer::RateLimited
    } else {
        assert!(
            answer.contains("\"data\""),
            "neither data nor a refusal: {answer}"
        );
        Answer::Accepted
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_serve_zero_tolerance_and_uplink_latency_reach_the_twin() {
    let mut serving = Serving(None);
    let child = serving.0.insert(
        Command::new(env!("CARGO_BIN_EXE_nodal"))
            .args([
                "sim",
                "serve",
                "--nodana-key",
                "fixed-nodana-key",
                // With the default 50 ms tolerance a 50 ms gap could never be violated, so any
                // refusal below comes from --zero-tolerance.
                "--nodana-min-interval",
                "50ms",
                "--zero-tolerance",
                // A fixed delay, so the lower bound on a request's time is exact.
                "--uplink-latency-ms",
                "150",
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.stdout.take().unwrap();
    let base_url = tokio::task::spawn_blocking(move || {
        let mut base_url = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(url) = line.strip_prefix("export NODANA_API_BASE_URL=") {
                base_url = Some(url.trim_matches('\'').to_owned());
            }
            if line.contains("Serving until Ctrl-C") {
                break;
            }
        }
        base_url.unwrap()
    })
    .await
    .unwrap();
    let rest = base_url.strip_prefix("http://").unwrap();
    let (addr, prefix) = rest.split_once('/').unwrap();
    let (addr, path) = (addr.to_owned(), format!("/{prefix}/projects"));

    let (single, answers) = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let first = raw_nodana_get(&addr, &path);
        let single = (first, started.elapsed());
        // Ten requests at once all sleep the same uplink delay, so they arrive together.
        let gate = std::sync::Arc::new(std::sync::Barrier::new(10));
        let burst: Vec<_> = (0..10)
            .map(|_| {
                let (gate, addr, path) = (gate.clone(), addr.clone(), path.clone());
                std::thread::spawn(move || {
                    gate.wait();
                    raw_nodana_get(&addr, &path)
                })
            })
            .collect();
        let answers: Vec<Answer> = burst.into_iter().map(|t| t.join().unwrap()).collect();
        (single, answers)
    })
    .await
    .unwrap();

    assert_eq!(single.0, Answer::Accepted);
    assert!(
        single.1 >= std::time::Duration::from_millis(150),
        "the uplink delay was not applied: {:?}",
        single.1
    );
    assert!(
        answers.contains(&Answer::RateLimited),
        "ten simultaneous arrivals at zero tolerance were all accepted: {answers:?}"
    );

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let mut child = serving.0.take().unwrap();
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(status.code(), Some(0));
}
