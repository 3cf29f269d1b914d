//! Section 7, a command while another waits: `nodal apps wait` polls an app that takes a while
//! to start, and `nodal projects list`, started meanwhile in another process with the same key
//! and state directory, must finish within 2 s. Both share the key's rate budget through the
//! file store, but each request reserves only its own slot: no command waits for another
//! command's whole run.

use crate::error::{BenchError, BenchResult};
use crate::footprint::locate_cli;
use nodal::nodana::{NewApp, NodanaClient, PhoenixdParams, Template};
use nodal_sim::Sim;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The goal for `projects list` while another command waits.
pub const GOAL_MAX_S: f64 = 2.0;

/// The section's figures.
#[derive(Debug, Clone, Serialize)]
pub struct CliWaitResult {
    /// The CLI binary used (or looked for).
    pub binary: String,
    /// How long the app took to start at the twin, seconds.
    pub start_delay_s: f64,
    /// Wall time of `nodal projects list`, seconds (`None` when the CLI was not available).
    pub list_s: Option<f64>,
    /// Whether `apps wait` succeeded.
    pub wait_ok: Option<bool>,
    /// Violations the twin counted.
    pub violations: u64,
    /// Why it did not run, or what failed.
    pub note: Option<String>,
}

impl CliWaitResult {
    /// `projects list` finished within [`GOAL_MAX_S`] and nothing violated the limit.
    pub fn meets_goal(&self) -> bool {
        self.list_s.is_some_and(|s| s < GOAL_MAX_S)
            && self.wait_ok == Some(true)
            && self.violations == 0
    }
}

/// Runs the section: the release CLI (built when missing and `build`), else a debug one.
pub async fn run(start_delay: Duration, build: bool) -> BenchResult<CliWaitResult> {
    let release = locate_cli("release", build);
    let found = if release.bytes.is_some() {
        release
    } else {
        locate_cli("debug", false)
    };
    if found.bytes.is_none() {
        return Ok(CliWaitResult {
            binary: found.path,
            start_delay_s: start_delay.as_secs_f64(),
            list_s: None,
            wait_ok: None,
            violations: 0,
            note: Some(format!("the nodal CLI is {}", found.status)),
        });
    }
    let binary = PathBuf::from(&found.path);
    let sim = Sim::builder()
        .nodana_start_delay(start_delay)
        .start()
        .await
        .map_err(|e| BenchError::new(format!("the twin did not start: {e}")))?;
    let state = StateDir::new()?;
    // The app is created through the library, with the same budget directory as the CLI.
    let client = NodanaClient::builder()
        .api_key(sim.nodana_key())
        .base_url(sim.nodana_base_url())
        .rate_budget(nodal::RateBudget::file(
            state.0.join("nodal").join("budget"),
        ))
        .build()?;
    let created = client
        .apps()
        .create(&NewApp::new(Template::Phoenixd(PhoenixdParams::new())))
        .await?;
    let id = created.id.to_string();

    let command = |args: &[&str]| {
        let mut cmd = Command::new(&binary);
        cmd.args(args)
            .env("NODAL_PROVIDER", "nodana")
            .env("NODANA_API_KEY", sim.nodana_key())
            .env("NODANA_API_BASE_URL", sim.nodana_base_url())
            .env("XDG_STATE_HOME", &state.0)
            .env_remove("NODAL_RATE_LIMIT_URL")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    };
    let waiting = command(&["apps", "wait", &id, "--timeout", "120s"])
        .spawn()
        .map_err(|e| BenchError::new(format!("could not start {}: {e}", binary.display())))?;
    // Well into the wait, so the two commands overlap.
    tokio::time::sleep(Duration::from_millis(1500).min(start_delay / 2)).await;
    let mut list = command(&["projects", "list"]);
    let started = Instant::now();
    let listed = tokio::task::spawn_blocking(move || list.output()).await??;
    let list_s = started.elapsed().as_secs_f64();
    let waited = tokio::task::spawn_blocking(move || waiting.wait_with_output()).await??;
    let note = failure("projects list", &listed).or_else(|| failure("apps wait", &waited));
    let result = CliWaitResult {
        binary: found.path,
        start_delay_s: start_delay.as_secs_f64(),
        list_s: Some(list_s),
        wait_ok: Some(waited.status.success()),
        violations: sim.nodana_violations(),
        note,
    };
    sim.shutdown().await;
    Ok(result)
}

fn failure(what: &str, output: &Output) -> Option<String> {
    (!output.status.success()).then(|| {
        format!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .find(|line| !line.trim().is_empty())
                .unwrap_or_default()
                .trim()
        )
    })
}

/// A private `XDG_STATE_HOME`, removed on drop.
struct StateDir(PathBuf);

impl StateDir {
    fn new() -> BenchResult<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("nodal-bench-cli-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        restrict(&dir)?;
        Ok(StateDir(dir))
    }
}

#[cfg(unix)]
fn restrict(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn restrict(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

impl Drop for StateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_goal_needs_a_figure_and_no_violation() {
        let mut result = CliWaitResult {
            binary: "nodal".into(),
            start_delay_s: 10.0,
            list_s: Some(1.2),
            wait_ok: Some(true),
            violations: 0,
            note: None,
        };
        assert!(result.meets_goal());
        result.wait_ok = Some(false);
        assert!(!result.meets_goal());
        result.wait_ok = Some(true);
        result.violations = 1;
        assert!(!result.meets_goal());
        result.violations = 0;
        result.list_s = None;
        assert!(!result.meets_goal());
    }
}
