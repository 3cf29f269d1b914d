//! Every command on Nodion, once, with `--json`, compared with the twin's state.

use crate::common::{Env, TempDir, quick};
use nodal_sim::Sim;

async fn create_app(env: &Env, wait: bool) -> String {
    let mut args = vec![
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
        "--image-tag",
        "1.0",
        "--json",
    ];
    if wait {
        args.extend(["--wait", "--timeout", "30s"]);
    }
    let doc = env.run(&args).await.ok().json();
    assert_eq!(doc["app"]["name"], "web");
    assert_eq!(doc["credentials"], serde_json::json!({}));
    if wait {
        assert_eq!(doc["app"]["status"], "running", "{doc}");
    }
    doc["app"]["id"].as_str().unwrap().to_owned()
}

fn nodion(sim: &Sim, state: &TempDir) -> Env {
    Env::nodion(state, sim, &sim.nodion_user_key())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogue_and_projects() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodion-catalogue");
    let env = nodion(&sim, &state);

    let regions = env.run(&["regions", "--json"]).await.ok().json();
    let slugs: Vec<&str> = regions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["euc", "use"]);

    let types = env.run(&["instance-types", "--json"]).await.ok().json();
    assert_eq!(types.as_array().unwrap().len(), 4);
    assert_eq!(types[0]["slug"], "starter");

    let projects = env.run(&["projects", "list", "--json"]).await.ok().json();
    assert_eq!(projects.as_array().unwrap().len(), 1);
    let default = sim.nodion_default_project();
    assert_eq!(projects[0]["id"], default.as_str());

    let project = env
        .run(&["projects", "get", &default, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(project["id"], default.as_str());
    assert_eq!(project["name"], projects[0]["name"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_life_cycle_and_deployments() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodion-life");
    let env = nodion(&sim, &state);

    let app = create_app(&env, true).await;
    assert_eq!(sim.counters().nodion_apps_created, 1);

    let listed = env.run(&["apps", "list", "--json"]).await.ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], app.as_str());
    let got = env.run(&["apps", "get", &app, "--json"]).await.ok().json();
    assert_eq!(got["source"], "nginxdemos/hello:1.0");
    assert_eq!(got["project"], sim.nodion_default_project().as_str());

    let deployed = env
        .run(&["deploy", &app, "--image-tag", "1.1", "--wait", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(deployed["deployment"]["version"], "2");
    assert_eq!(deployed["app"]["status"], "running");
    assert_eq!(sim.counters().deployments_created, 1);

    let deployments = env
        .run(&["deployments", "list", &app, "--json"])
        .await
        .ok()
        .json();
    let statuses: Vec<&str> = deployments
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["raw_status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["expired", "available"]);

    let stopped = env.run(&["apps", "stop", &app, "--json"]).await.ok().json();
    assert_eq!(stopped["action"], "stop_app");
    let got = env.run(&["apps", "get", &app, "--json"]).await.ok().json();
    assert_eq!(got["raw_status"], "offline");
    env.run(&["apps", "start", &app, "--json"]).await.ok();
    env.run(&["apps", "restart", &app, "--json"]).await.ok();
    assert_eq!(sim.counters().deployments_created, 2, "restart deploys");

    env.run(&["apps", "delete", &app, "--yes", "--json"])
        .await
        .ok();
    env.run(&["apps", "get", &app, "--json"]).await.code(4);
    let listed = env.run(&["apps", "list", "--json"]).await.ok().json();
    assert_eq!(listed, serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn environment_values_are_masked_unless_asked() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodion-env");
    let env = nodion(&sim, &state);
    let app = create_app(&env, false).await;

    let set = env
        .run(&[
            "env",
            "set",
            &app,
            "DATABASE_URL=postgres://u:pw@db/app",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(set["key"], "DATABASE_URL");
    assert_eq!(set["value"], "[redacted]");
    let piped = env
        .run_with_stdin(
            &[
                "env",
                "set",
                &app,
                "API_TOKEN",
                "--value-stdin",
                "--buildtime",
                "--json",
            ],
            Some("tok-from-stdin\n"),
        )
        .await
        .ok()
        .json();
    assert_eq!(piped["build_time"], true);

    let table = env.run(&["env", "list", &app]).await.ok();
    assert!(table.stdout.contains("••••"), "{table}");
    for value in ["postgres://u:pw@db/app", "tok-from-stdin"] {
        assert!(!table.stdout.contains(value), "{table}");
    }
    let masked = env.run(&["env", "list", &app, "--json"]).await.ok().json();
    assert!(
        masked
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["value"] == "[redacted]"),
        "{masked}"
    );
    let shown = env
        .run(&["env", "list", &app, "--show-values", "--json"])
        .await
        .ok()
        .json();
    let value_of = |key: &str| {
        shown
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["key"] == key)
            .map(|v| v["value"].clone())
    };
    assert_eq!(value_of("DATABASE_URL").unwrap(), "postgres://u:pw@db/app");
    assert_eq!(value_of("API_TOKEN").unwrap(), "tok-from-stdin");

    // Setting an existing key changes it instead of adding a second one.
    env.run(&[
        "env",
        "set",
        &app,
        "DATABASE_URL=postgres://other",
        "--json",
    ])
    .await
    .ok();
    let unset = env
        .run(&["env", "unset", &app, "API_TOKEN", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(unset["ok"], true);
    let after = env
        .run(&["env", "list", &app, "--show-values", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(after.as_array().unwrap().len(), 1);
    assert_eq!(after[0]["value"], "postgres://other");
    env.run(&["env", "unset", &app, "API_TOKEN"]).await.code(4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_and_domains() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodion-logs");
    let env = nodion(&sim, &state);
    let app = create_app(&env, true).await;

    let lines = env
        .run(&["logs", &app, "--limit", "5", "--json"])
        .await
        .ok()
        .json();
    let stamps: Vec<&str> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ts"].as_str().unwrap())
        .collect();
    assert_eq!(stamps.len(), 5);
    assert!(
        stamps.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {stamps:?}"
    );
    let newest = lines[4]["msg"].as_str().unwrap();
    assert!(newest.contains("Deployment #1"), "{lines}");

    // After the app's creation there are only its deployment's lines; the history before it
    // spans an hour, so ten minutes hold only part of it.
    let created_at = env.run(&["apps", "get", &app, "--json"]).await.ok().json()["created_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let since_created = env
        .run(&["logs", &app, "--since", &created_at, "--json"])
        .await
        .ok()
        .json();
    let since_created = since_created.as_array().unwrap();
    assert!(!since_created.is_empty());
    assert!(
        since_created
            .iter()
            .all(|l| l["msg"].as_str().unwrap().contains("Deployment")),
        "{since_created:?}"
    );
    let ten_minutes = env
        .run(&["logs", &app, "--since", "10m", "--limit", "1000", "--json"])
        .await
        .ok()
        .json();
    let ten_minutes = ten_minutes.as_array().unwrap().len();
    let hour = env
        .run(&["logs", &app, "--limit", "1000", "--json"])
        .await
        .ok()
        .json();
    let hour = hour.as_array().unwrap().len();
    assert!(
        ten_minutes > since_created.len() && ten_minutes < hour,
        "{ten_minutes} of {hour}"
    );

    let added = env
        .run(&[
            "domains",
            "add",
            &app,
            "www.example.com",
            "--type",
            "sub",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(added["status"], "pending");
    let domain = added["id"].as_str().unwrap().to_owned();
    let listed = env
        .run(&["domains", "list", &app, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(listed[0]["domain_name"], "www.example.com");
    let verified = env
        .run(&["domains", "verify", &app, &domain, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(verified["status"], "verified");
    env.run(&["domains", "delete", &app, &domain, "--json"])
        .await
        .ok();
    let listed = env
        .run(&["domains", "list", &app, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(listed, serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_project_flag_selects_the_nodion_project() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodion-project");
    let staging = sim.create_nodion_project("staging");
    let env = nodion(&sim, &state);

    let doc = env
        .run(&[
            "--project",
            &staging,
            "apps",
            "create",
            "--name",
            "api",
            "--region",
            "euc",
            "--instance-type",
            "starter",
            "--instances",
            "1",
            "--image",
            "nginxdemos/hello",
            "--json",
        ])
        .await
        .ok()
        .json();
    let app = doc["app"]["id"].as_str().unwrap().to_owned();
    assert_eq!(sim.counters().apps_created_per_project[&staging], 1);

    // Single apps are looked up in the selected project: NODION_PROJECT does the same.
    env.run(&["apps", "get", &app]).await.code(4);
    let got = env
        .clone()
        .var("NODION_PROJECT", &staging)
        .run(&["apps", "get", &app, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(got["project"], staging.as_str());
    let listed = env
        .run(&["--project", &staging, "apps", "list", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
