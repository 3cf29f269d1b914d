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
