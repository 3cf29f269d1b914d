//! `logs`: `--since` with `--limit` gives the newest lines of the window; `--follow` prints new
//! lines as they come, within the rate limit, until Ctrl-C.

use crate::common::{Env, TempDir, eventually, quick};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

async fn nodion_app(env: &Env) -> String {
    let doc = env
        .run(&[
            "--json",
            "apps",
            "create",
            "--name",
            "web",
            "--region",
            "euc",
            "--instance-type",
            "starter",
            "--instances",
            "1",
            "--image",
            "nginxdemos/hello",
            "--wait",
        ])
        .await
        .ok()
        .json();
    doc["app"]["id"].as_str().unwrap().to_owned()
}

fn stamps_and_messages(doc: &Value) -> Vec<(String, String)> {
    doc.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["ts"].as_str().unwrap().to_owned(),
                l["msg"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn since_and_limit_give_the_newest_lines() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("logs-newest");
    let env = Env::nodion(&state, &sim, &sim.nodion_user_key());
    let app = nodion_app(&env).await;

    let window = env
        .run(&["--json", "logs", &app, "--since", "2h", "--limit", "2500"])
        .await
        .ok()
        .json();
    let window = stamps_and_messages(&window);
    assert!(window.len() > 2, "{window:?}");
    let two = env
        .run(&["--json", "logs", &app, "--since", "2h", "--limit", "2"])
        .await
        .ok()
        .json();
    let two = stamps_and_messages(&two);
    assert_eq!(
        two,
        window[window.len() - 2..],
        "the two newest, oldest first"
    );
    let table = env
        .run(&["logs", &app, "--since", "2h", "--limit", "2"])
        .await
        .ok();
    assert!(table.stdout.contains(&two[1].1), "{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_streams_new_lines_until_interrupted() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("logs-follow");
    let env = Env::nodion(&state, &sim, &sim.nodion_user_key());
    let app = nodion_app(&env).await;
    env.run(&["--json", "logs", &app, "--follow"]).await.code(2);

    let mut running = env.spawn(&["logs", &app, "--since", "1m", "--follow"]);
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let reader = {
        let lines = Arc::clone(&lines);
        let stdout = running.take_stdout();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        })
    };
    eventually(Duration::from_secs(30), "the first lines", || {
        !lines.lock().unwrap().is_empty()
    })
    .await;
    let shown_before = lines.lock().unwrap().len();
    let logs_requests = |sim: &nodal_sim::Sim| {
        sim.requests()
            .iter()
            .filter(|r| r.path.ends_with("/logs"))
            .count()
    };
    let polls_before = logs_requests(&sim);
    let started = Instant::now();

    // A new deployment writes new lines; --follow prints them.
    env.run(&["deploy", &app]).await.ok();
    eventually(
        Duration::from_secs(30),
        "the new deployment's lines",
        || {
            lines
                .lock()
                .unwrap()
                .iter()
                .skip(shown_before)
                .any(|l| l.contains("Deployment #2"))
        },
    )
    .await;
    let polls = logs_requests(&sim) - polls_before;
    let seconds = started.elapsed().as_secs_f64();
    // One poll every 2 s (a poll may take two requests): never a busy loop.
    assert!(
        (polls as f64) <= 2.0 * (seconds / 2.0 + 1.0),
        "{polls} log requests in {seconds:.1} s"
    );

    running.signal("INT");
    let out = running.finish().await.code(130);
    reader.join().unwrap();
    let lines = lines.lock().unwrap();
    let mut unique = lines.clone();
    unique.dedup();
    assert_eq!(unique.len(), lines.len(), "no line twice: {lines:#?}");
    assert!(out.stderr.contains("interrupted"), "{out}");
}
