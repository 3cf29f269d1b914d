//! Running the `nodal` binary against a twin started in the test, with only environment
//! variables (never a token on the command line), and checking no token ever shows.

use assert_cmd::Command;
use nodal_sim::{Sim, SimBuilder};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Every variable the tool reads; the tests set them explicitly, so the caller's environment
/// cannot leak in.
const TOOL_VARS: [&str; 9] = [
    "NODAL_PROVIDER",
    "NODAL_RATE_LIMIT_URL",
    "NODANA_API_KEY",
    "NODANA_API_BASE_URL",
    "NODION_API_KEY",
    "NODION_API_BASE_URL",
    "NODION_KEY_KIND",
    "NODION_PROJECT",
    "XDG_STATE_HOME",
];

/// A directory removed when dropped.
#[derive(Debug)]
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "nodal-cli-{name}-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Short delays, and the real strict Nodana limit of 1 request per second.
pub(crate) fn quick() -> SimBuilder {
    Sim::builder()
        .nodana_start_delay(Duration::from_millis(300))
        .nodion_deploy_delay(Duration::from_millis(300))
}

/// The environment of one invocation.
#[derive(Debug, Clone)]
pub(crate) struct Env {
    vars: Vec<(String, String)>,
    secrets: Vec<String>,
}

impl Env {
    /// Nothing but a state directory.
    pub(crate) fn new(state: &TempDir) -> Self {
        Env {
            vars: vec![("XDG_STATE_HOME".into(), state.path().display().to_string())],
            secrets: Vec::new(),
        }
    }

    /// Nodana on the twin with `key`.
    pub(crate) fn nodana(state: &TempDir, sim: &Sim, key: &str) -> Self {
        Env::new(state)
            .var("NODAL_PROVIDER", "nodana")
            .var("NODANA_API_BASE_URL", &sim.nodana_base_url())
            .secret("NODANA_API_KEY", key)
    }

    /// Nodion on the twin with `key` (a user key).
    pub(crate) fn nodion(state: &TempDir, sim: &Sim, key: &str) -> Self {
        Env::new(state)
            .var("NODAL_PROVIDER", "nodion")
            .var("NODION_API_BASE_URL", &sim.nodion_base_url())
            .secret("NODION_API_KEY", key)
    }

    pub(crate) fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.retain(|(n, _)| n != name);
        self.vars.push((name.into(), value.into()));
        self
    }

    pub(crate) fn without(mut self, name: &str) -> Self {
        self.vars.retain(|(n, _)| n != name);
        self
    }

    /// A variable whose value must never appear in any output.
    pub(crate) fn secret(mut self, name: &str, value: &str) -> Self {
        self.secrets.push(value.into());
        self.var(name, value)
    }

    fn command(&self, args: &[&str], stdin: Option<&str>) -> Command {
        let mut cmd = Command::cargo_bin("nodal").unwrap();
        for name in TOOL_VARS {
            cmd.env_remove(name);
        }
        cmd.env("NO_COLOR", "1");
        for (name, value) in &self.vars {
            cmd.env(name, value);
        }
        cmd.args(args);
        cmd.write_stdin(stdin.unwrap_or("").to_owned());
        cmd.timeout(Duration::from_secs(90));
        cmd
    }

    /// Starts `nodal ARGS` in the background with stdout and stderr piped (for signal tests).
    pub(crate) fn spawn(&self, args: &[&str]) -> Running {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_nodal"));
        for name in TOOL_VARS {
            cmd.env_remove(name);
        }
        cmd.env("NO_COLOR", "1");
        for (name, value) in &self.vars {
            cmd.env(name, value);
        }
        let child = cmd
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        Running {
            child: Some(child),
            line: args.join(" "),
            secrets: self.secrets.clone(),
        }
    }

    /// Runs `nodal ARGS` without blocking the runtime the twin serves on.
    pub(crate) async fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None).await
    }

    pub(crate) async fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = self.command(args, stdin);
        let line = args.join(" ");
        let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let out = Output {
            line,
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        for secret in &self.secrets {
            assert!(
                !out.stdout.contains(secret.as_str()) && !out.stderr.contains(secret.as_str()),
                "a token appeared in the output of `nodal {}`:\n{out}",
                out.line
            );
        }
        out
    }
}

/// What one invocation did.
#[derive(Debug)]
pub(crate) struct Output {
    pub(crate) line: String,
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Output {
    /// Asserts exit code 0.
    pub(crate) fn ok(self) -> Self {
        assert_eq!(self.code, 0, "`nodal {}` failed:\n{self}", self.line);
        self
    }

    /// Asserts the exit code.
    pub(crate) fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "`nodal {}` exited {} instead of {code}:\n{self}",
            self.line, self.code
        );
        self
    }

    /// stdout as one JSON document.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`nodal {}` did not print one JSON document ({e}):\n{self}",
                self.line
            )
        })
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Asserts the twin saw no Nodana rate-limit violation.
pub(crate) fn assert_no_violations(sim: &Sim) {
    let counters = sim.counters();
    assert_eq!(
        counters.nodana_rate_limit_violations, 0,
        "violations per key: {:?}",
        counters.violations_per_key
    );
}

/// A `nodal` process started with [`Env::spawn`]; killed if the test ends before it does.
#[derive(Debug)]
pub(crate) struct Running {
    child: Option<std::process::Child>,
    line: String,
    secrets: Vec<String>,
}

impl Running {
    /// Sends `signal` (`TERM`, `INT`) to the process.
    pub(crate) fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().unwrap().id().to_string();
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Takes the process's stdout, to read while it runs.
    pub(crate) fn take_stdout(&mut self) -> std::process::ChildStdout {
        self.child.as_mut().unwrap().stdout.take().unwrap()
    }

    /// Waits for the process to end (at most 60 s) and collects what it printed.
    pub(crate) async fn finish(mut self) -> Output {
        let child = self.child.take().unwrap();
        let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap());
        let output = tokio::time::timeout(Duration::from_secs(60), output)
            .await
            .expect("nodal did not end within 60 s")
            .unwrap();
        let out = Output {
            line: std::mem::take(&mut self.line),
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        for secret in &self.secrets {
            assert!(
                !out.stdout.contains(secret.as_str()) && !out.stderr.contains(secret.as_str()),
                "a token appeared in the output of `nodal {}`:\n{out}",
                out.line
            );
        }
        out
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Polls `check` every 50 ms until it holds, for at most `within`.
pub(crate) async fn eventually(within: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + within;
    while !check() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
