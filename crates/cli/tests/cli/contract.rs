//! The promises of issue 16 against the twin: one-time credentials are never lost, `--json`
//! prints one document on every exit path (usage errors and signals included), absurd
//! timeouts are refused before sending, and waits end early when waiting cannot help.

use crate::common::{Env, TempDir, assert_no_violations, eventually, quick};
use nodal_sim::Sim;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_credentials_twice_keeps_the_first_file() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("contract-save-twice");
    let files = TempDir::new("contract-save-twice-files");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());
    let path = files.path().join("phoenixd.json");
    let file = path.display().to_string();
    let create = [
        "apps",
        "create",
        "--template",
        "phoenixd",
        "--save-credentials",
        &file,
    ];

    let first = env.run(&create).await.ok();
    assert!(first.stdout.contains("a new file, mode 0600"), "{first}");
    assert!(
        first.stdout.contains("which nodana created for it"),
        "the CLI says Nodana made a project: {first}"
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    let record: serde_json::Value = serde_json::from_str(&saved).unwrap();
    let seed = record["credentials"]["seedPhrase"].as_str().unwrap();
    assert_eq!(seed.split_whitespace().count(), 12);
    assert!(!first.stdout.contains(seed) && !first.stderr.contains(seed));
    for field in ["app_id", "project", "url", "template", "created_at"] {
        assert!(record[field].is_string(), "{field} missing: {record}");
    }
    assert_eq!(record["template"], "phoenixd");
    assert_eq!(record["project_created"], true);
    let requests = sim.requests().len();

    // The second run refuses before any request: the first node's seed phrase stays.
    let second = env.run(&create).await.code(2);
    assert!(second.stderr.contains("already exists"), "{second}");
    assert!(second.stderr.contains("Nothing was sent"), "{second}");
    assert_eq!(sim.requests().len(), requests, "{:?}", sim.requests());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), saved);
    assert_eq!(sim.counters().nodana_apps_created, 1);

    // An existing world-readable file is refused too, and never chmod-ed.
    let open = files.path().join("open.json");
    std::fs::write(&open, "").unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = env
        .run(&[
            "apps",
            "create",
            "--template",
            "phoenixd",
            "--save-credentials",
            &open.display().to_string(),
            "--json",
        ])
        .await
        .code(2);
    assert_eq!(refused.json()["error"]["kind"], "usage");
    let mode = std::fs::metadata(&open).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    // A directory that does not exist: refused, nothing sent, nothing left behind.
    let missing = files.path().join("missing/creds.json");
    env.run(&[
        "apps",
        "create",
        "--template",
        "phoenixd",
        "--save-credentials",
        &missing.display().to_string(),
    ])
    .await
    .code(2);
    assert_eq!(sim.requests().len(), requests);
    assert_no_violations(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_create_of_a_secret_template_needs_a_credentials_flag() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("contract-json-creds");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());
    let out = env
        .run(&["--json", "apps", "create", "--template", "phoenixd"])
        .await
        .code(2);
    let doc = out.json();
    assert_eq!(doc["error"]["kind"], "usage");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(message.contains("--save-credentials"), "{message}");
    assert!(message.contains("--show-credentials"), "{message}");
    assert_eq!(sim.counters().nodana_apps_created, 0);
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());

    // A template without one-time secrets needs neither.
    let lnbits = env
        .run(&["--json", "apps", "create", "--template", "lnbits"])
        .await
        .ok()
        .json();
    assert_eq!(lnbits["credentials"], serde_json::json!({}));
    assert!(lnbits["created_project"].is_string(), "{lnbits}");
    assert_eq!(lnbits["created_project"], lnbits["app"]["project"]);
    assert_no_violations(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_in_json_mode_are_one_json_document() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("contract-usage");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());
    let create = ["--json", "apps", "create", "--template", "lnbits"];
    for extra in [
        &["--wait", "--timeout", "abc"][..],
        &["--wait", "--timeout", "0"],
        &["--wait", "--timeout", "300000000000y"],
        &["--timeout", "1m"],
    ] {
        let args: Vec<&str> = create.iter().chain(extra).copied().collect();
        let doc = env.run(&args).await.code(2).json();
        assert_eq!(doc["error"]["kind"], "usage", "{extra:?}: {doc}");
        assert_eq!(doc["error"]["exit_code"], 2);
    }
    let typo = env.run(&["--json", "apps", "lst"]).await.code(2);
    let doc = typo.json();
    assert_eq!(doc["error"]["kind"], "usage");
    assert!(
        doc["error"]["message"].as_str().unwrap().contains("lst"),
        "{doc}"
    );
    // Without --json, clap's own text on stderr.
    let plain = env.run(&["apps", "lst"]).await.code(2);
    assert!(
        plain.stdout.is_empty() && plain.stderr.contains("lst"),
        "{plain}"
    );
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_create_wait_reports_the_new_app() {
    // The twin's default start delay (10 s) keeps the wait going while the signal arrives.
    let sim = Sim::start().await.unwrap();
    let state = TempDir::new("contract-sigterm");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());
    let running = env.spawn(&[
        "--json",
        "apps",
        "create",
        "--template",
        "lnbits",
        "--wait",
        "--timeout",
        "60s",
    ]);
    eventually(
        Duration::from_secs(30),
        "the create to reach the twin",
        || sim.counters().nodana_apps_created == 1,
    )
    .await;
    // Let the create's answer reach the CLI before the signal.
    eventually(Duration::from_secs(30), "the first poll", || {
        sim.requests().iter().any(|r| r.path.starts_with("/apps/"))
    })
    .await;
    running.signal("TERM");
    let out = running.finish().await.code(143);
    let doc = out.json();
    assert_eq!(doc["error"]["kind"], "interrupted", "{out}");
    assert_eq!(doc["error"]["exit_code"], 143);
    let id = doc["app"]["id"].as_str().unwrap();
    let created = sim
        .requests()
        .iter()
        .any(|r| r.path == format!("/apps/{id}"));
    assert!(created, "the document names the app the twin made: {out}");
    assert!(doc["created_project"].is_string(), "{doc}");
    assert_no_violations(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_is_exit_130_and_says_what_exists() {
    let sim = Sim::start().await.unwrap();
    let state = TempDir::new("contract-sigint");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());
    let running = env.spawn(&["apps", "create", "--template", "lnbits", "--wait"]);
    eventually(Duration::from_secs(30), "the first poll", || {
        sim.requests().iter().any(|r| r.path.starts_with("/apps/"))
    })
    .await;
    running.signal("INT");
    let out = running.finish().await.code(130);
    assert!(out.stdout.contains("Created app "), "{out}");
    assert!(out.stderr.contains("error: interrupted"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waits_end_early_when_the_app_is_stopped() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("contract-stopped");
    let env = Env::nodion(&state, &sim, &sim.nodion_user_key());
    let created = env
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
    let app = created["app"]["id"].as_str().unwrap().to_owned();
    let stopped = env
        .run(&["--json", "apps", "stop", &app, "--wait", "--timeout", "30s"])
        .await
        .ok()
        .json();
    assert_eq!(stopped["action"], "stop_app");
    assert_eq!(stopped["app"]["status"], "stopped");

    // Nodion's deployment leaves a stopped app stopped: the wait says so at once, with the
    // deployment in the document, instead of waiting out the five minutes.
    let started = std::time::Instant::now();
    let deploy = env
        .run(&["--json", "deploy", &app, "--wait", "--timeout", "5m"])
        .await
        .code(1);
    assert!(started.elapsed() < Duration::from_secs(60), "{deploy}");
    let doc = deploy.json();
    assert!(doc["deployment"]["id"].is_string(), "{doc}");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(message.contains("is stopped"), "{message}");
    assert!(message.contains("nodal apps start"), "{message}");
    let wait = env.run(&["apps", "wait", &app]).await.code(1);
    assert!(wait.stderr.contains("nodal apps start"), "{wait}");

    let up = env
        .run(&[
            "--json",
            "apps",
            "start",
            &app,
            "--wait",
            "--timeout",
            "30s",
        ])
        .await
        .ok()
        .json();
    assert_eq!(up["app"]["status"], "running", "{up}");
    let ready = env.run(&["--json", "apps", "wait", &app]).await.ok().json();
    assert_eq!(ready["status"], "running");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodion_projects_are_checked_locally_and_foreign_ones_named() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("contract-project");
    let env = Env::nodion(&state, &sim, &sim.nodion_user_key());
    let typo = env
        .run(&["--json", "--project", "5903725b-not-a-uuid", "apps", "list"])
        .await
        .code(2)
        .json();
    assert!(
        typo["error"]["message"]
            .as_str()
            .unwrap()
            .contains("is not a Nodion project id"),
        "{typo}"
    );
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());

    let foreign = "00000000-0000-4000-8000-000000000000";
    let out = env.run(&["--project", foreign, "apps", "list"]).await;
    assert_ne!(out.code, 0, "{out}");
    let first = out.stderr.lines().next().unwrap_or_default().to_owned();
    assert!(
        first.contains(&format!(
            "project {foreign} is not a project this key can use"
        )),
        "{out}"
    );
    assert!(!first.contains("scope"), "no scope hint first: {out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_during_the_create_says_it_may_have_been_performed() {
    use nodal_sim::{Fault, FaultKind, Provider};
    let sim = quick().start().await.unwrap();
    // The twin performs the create, then answers only after 20 s: the signal comes first.
    sim.inject(
        Fault::new(Provider::Nodana, FaultKind::Delay(Duration::from_secs(20)))
            .method("POST")
            .path("/apps")
            .times(1),
    );
    let state = TempDir::new("contract-in-flight");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());
    let running = env.spawn(&["--json", "apps", "create", "--template", "lnbits"]);
    eventually(
        Duration::from_secs(30),
        "the create to reach the twin",
        || {
            sim.requests().iter().any(|r| r.method == "POST")
                || sim.counters().nodana_apps_created == 1
        },
    )
    .await;
    running.signal("TERM");
    let out = running.finish().await.code(143);
    let doc = out.json();
    assert_eq!(doc["error"]["kind"], "interrupted");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(message.contains("may have been performed"), "{message}");
    assert!(message.contains("nodal apps list"), "{message}");
}
