//! Every command on Nodana, once, with `--json`, compared with the twin's state. Each command is
//! a new process and Nodana allows one request per second, so every test keeps its count small.

use crate::common::{Env, TempDir, assert_no_violations, quick};
use std::os::unix::fs::PermissionsExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projects_round_trip() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodana-projects");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());

    let created = env
        .run(&["--json", "projects", "create", "--name", "lab"])
        .await
        .ok()
        .json();
    assert_eq!(created["name"], "lab");
    let id = created["id"].as_str().unwrap().to_owned();

    let renamed = env
        .run(&["projects", "rename", &id, "--name", "lab 2", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(renamed["id"], id.as_str());
    assert_eq!(renamed["name"], "lab 2");

    let got = env
        .run(&["projects", "get", &id, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(got["name"], "lab 2", "the twin holds the new name");

    let listed = env.run(&["projects", "list", "--json"]).await.ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());

    let deleted = env
        .run(&["projects", "delete", &id, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(deleted["ok"], true);
    assert_eq!(deleted["action"], "delete_project");
    assert_eq!(deleted["id"], id.as_str());

    let seen: Vec<String> = sim
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        seen,
        [
            "POST /projects".to_owned(),
            format!("POST /projects/{id}/update"),
            format!("GET /projects/{id}"),
            "GET /projects".to_owned(),
            format!("POST /projects/{id}/delete"),
        ]
    );
    assert_no_violations(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apps_services_and_deployments() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodana-apps");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());

    let created = env
        .run(&[
            "apps",
            "create",
            "--template",
            "phoenixd",
            "--param",
            "auto_liquidity=2m",
            "--show-credentials",
            "--json",
        ])
        .await
        .ok()
        .json();
    let app = created["app"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["app"]["source"], "phoenixd");
    assert_eq!(created["app"]["status"], "pending");
    let seed = created["credentials"]["seedPhrase"].as_str().unwrap();
    assert_eq!(seed.split_whitespace().count(), 12, "{seed}");
    assert_eq!(sim.counters().nodana_apps_created, 1);

    let listed = env.run(&["apps", "list", "--json"]).await.ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], app.as_str());
    assert_eq!(listed[0]["project"], created["app"]["project"]);

    let services = env
        .run(&["services", "list", &app, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(services.as_array().unwrap().len(), 1);
    assert_eq!(services[0]["service"], "phoenixd");
    assert_eq!(services[0]["version"], "0.1.0");
    let service = services[0]["id"].as_str().unwrap().to_owned();

    let updated = env
        .run(&["services", "update", &app, &service, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(updated["version"], "0.1.1");
    assert_eq!(updated["updated"], true);

    let deployed = env.run(&["deploy", &app, "--json"]).await.ok().json();
    assert_eq!(deployed["deployment"]["app"], app.as_str());
    assert_eq!(deployed["deployment"]["version"], "0.2.0");
    assert_eq!(deployed["app"], serde_json::Value::Null);

    let deployments = env
        .run(&["deployments", "list", &app, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(deployments.as_array().unwrap().len(), 1);
    assert_eq!(deployments[0]["version"], "0.2.0");
    assert_eq!(deployments[0]["description"], "phoenixd");

    assert_no_violations(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_life_cycle_with_wait() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodana-life");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());

    let created = env
        .run(&[
            "apps",
            "create",
            "--template",
            "cdk-mintd",
            "--param",
            "mint_name=Test mint",
            "--wait",
            "--timeout",
            "30s",
            "--json",
        ])
        .await
        .ok();
    let doc = created.json();
    assert_eq!(doc["app"]["status"], "running");
    assert_eq!(doc["app"]["raw_status"], "available");
    let app = doc["app"]["id"].as_str().unwrap().to_owned();

    let stopped = env.run(&["apps", "stop", &app, "--json"]).await.ok().json();
    assert_eq!(stopped["action"], "stop_app");
    let got = env.run(&["apps", "get", &app, "--json"]).await.ok().json();
    assert_eq!(got["status"], "stopped");
    assert_eq!(got["raw_status"], "cordoned");

    env.run(&["apps", "start", &app, "--json"]).await.ok();
    env.run(&["apps", "restart", &app, "--json"]).await.ok();
    let deleted = env
        .run(&["apps", "delete", &app, "--yes", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(deleted["action"], "delete_app");

    let gone = env
        .run(&["apps", "get", &app, "--json"])
        .await
        .code(4)
        .json();
    assert_eq!(gone["error"]["kind"], "not_found");
    assert_no_violations(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_time_credentials_are_shown_once_or_saved_privately() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodana-creds");
    let files = TempDir::new("nodana-creds-files");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());

    // A directory is refused before anything is created.
    let dir = files.path().display().to_string();
    env.run(&[
        "apps",
        "create",
        "--template",
        "phoenixd",
        "--save-credentials",
        &dir,
    ])
    .await
    .code(2);
    assert_eq!(sim.counters().nodana_apps_created, 0);

    let path = files.path().join("phoenixd.json");
    let file = path.display().to_string();
    let saved = env
        .run(&[
            "apps",
            "create",
            "--template",
            "phoenixd",
            "--save-credentials",
            &file,
        ])
        .await
        .ok();
    assert!(saved.stdout.contains(&file), "{saved}");
    assert!(saved.stdout.contains("mode 0600"), "{saved}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let creds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let seed = creds["credentials"]["seedPhrase"].as_str().unwrap();
    assert_eq!(seed.split_whitespace().count(), 12);
    assert!(!saved.stdout.contains(seed) && !saved.stderr.contains(seed));

    // Shown once, under a banner, when not saved.
    let shown = env
        .run(&["apps", "create", "--template", "phoenixd"])
        .await
        .ok();
    assert!(
        shown.stdout.contains("shown once; store them now"),
        "{shown}"
    );
    assert!(shown.stdout.contains("seedPhrase"), "{shown}");

    // In JSON: clear text only when asked for.
    let json = env
        .run(&[
            "apps",
            "create",
            "--template",
            "phoenixd",
            "--json",
            "--show-credentials",
        ])
        .await
        .ok()
        .json();
    let seed = json["credentials"]["seedPhrase"].as_str().unwrap();
    assert_eq!(seed.split_whitespace().count(), 12);
    assert_eq!(sim.counters().nodana_apps_created, 3);
    assert_no_violations(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unlisted_param_is_refused_unless_allowed() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodana-unlisted");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());
    let args = [
        "apps",
        "create",
        "--template",
        "phoenixd",
        "--param",
        "auto_liquidity=2m",
        "--param",
        "new_knob=on",
        "--json",
        "--show-credentials",
    ];

    // Without the flag: refused before sending, naming what the template takes.
    let refused = env.run(&args).await.code(2).json();
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("`new_knob`"), "{message}");
    assert!(message.contains("auto_liquidity, webhook"), "{message}");
    assert!(message.contains("--allow-unknown-param"), "{message}");
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());

    // With it: sent as given, and the provider judges it (the twin, like a provider that does
    // not know the parameter either, refuses it by name).
    let mut allowed = args.to_vec();
    allowed.push("--allow-unknown-param");
    let sent = env.run(&allowed).await.code(2).json();
    let message = sent["error"]["message"].as_str().unwrap();
    assert!(message.contains("new_knob"), "{message}");
    assert!(!message.contains("--allow-unknown-param"), "{message}");
    let seen: Vec<(String, String, u16)> = sim
        .requests()
        .iter()
        .map(|r| (r.method.clone(), r.path.clone(), r.status))
        .collect();
    assert_eq!(seen, [("POST".to_owned(), "/apps".to_owned(), 400)]);
    assert_eq!(sim.counters().nodana_apps_created, 0);

    // The listed parameters are still checked before anything is sent.
    let bad = env
        .run(&[
            "apps",
            "create",
            "--template",
            "phoenixd",
            "--param",
            "auto_liquidity=1h",
            "--param",
            "new_knob=on",
            "--allow-unknown-param",
            "--json",
            "--show-credentials",
        ])
        .await
        .code(2)
        .json();
    assert_eq!(bad["error"]["kind"], "invalid_input");
    assert_eq!(sim.requests().len(), 1);
    assert_no_violations(&sim);
}
