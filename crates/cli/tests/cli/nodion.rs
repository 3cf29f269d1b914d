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
    // The first deployment is triggered by `apps create`, as Nodion's life cycle asks.
    assert_eq!(sim.counters().deployments_created, 2);

    let deployments = env
        .run(&["deployments", "list", &app, "--json"])
        .await
        .ok()
        .json();
    // In Nodion's order (newest first, as the reference lists them); by version here.
    let mut statuses: Vec<(&str, &str)> = deployments
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["version"].as_str().unwrap(),
                d["raw_status"].as_str().unwrap(),
            )
        })
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [("1", "expired"), ("2", "available")]);

    let stopped = env.run(&["apps", "stop", &app, "--json"]).await.ok().json();
    assert_eq!(stopped["action"], "stop_app");
    let got = env.run(&["apps", "get", &app, "--json"]).await.ok().json();
    assert_eq!(got["raw_status"], "offline");
    env.run(&["apps", "start", &app, "--json"]).await.ok();
    env.run(&["apps", "restart", &app, "--json"]).await.ok();
    assert_eq!(sim.counters().deployments_created, 3, "restart deploys");

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
    // As the reference shows it: `available` right after the create.
    assert_eq!(added["status"], "available");
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
    assert_eq!(verified["id"], domain.as_str());
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

/// `METHOD path` of every request the twin saw, in order.
fn seen(sim: &Sim) -> Vec<String> {
    sim.requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_instances_scaling_and_connecting_a_domain() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodion-processes");
    let env = nodion(&sim, &state);
    let app = create_app(&env, true).await;

    let processes = env.run(&["processes", &app, "--json"]).await.ok().json();
    let processes = processes.as_array().unwrap().clone();
    assert_eq!(processes.len(), 1, "{processes:?}");
    assert_eq!(processes[0]["slug"], "web");
    assert_eq!(processes[0]["instance_amount"], 1);
    let process = processes[0]["id"].as_str().unwrap().to_owned();
    let table = env.run(&["processes", &app]).await.ok();
    assert!(table.stdout.contains("INSTANCES"), "{table}");
    assert!(table.stdout.contains("web"), "{table}");

    let instances = env.run(&["instances", &app, "--json"]).await.ok().json();
    assert_eq!(instances.as_array().unwrap().len(), 1, "{instances}");
    assert!(instances[0]["id"].is_string(), "{instances}");
    let table = env.run(&["instances", &app]).await.ok();
    assert!(table.stdout.contains("STATUS"), "{table}");

    // One process by slug.
    let scaled = env
        .run(&[
            "apps",
            "scale",
            &app,
            "--process",
            "web",
            "--instances",
            "3",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(scaled[0]["id"], process.as_str());
    assert_eq!(scaled[0]["instance_amount"], 3);
    let patch = format!("PATCH /applications/{app}/processes/{process}");
    assert_eq!(seen(&sim).iter().filter(|r| **r == patch).count(), 1);
    let again = env.run(&["processes", &app, "--json"]).await.ok().json();
    assert_eq!(again[0]["instance_amount"], 3, "the twin holds the count");

    // Refused before anything is sent: out of range, or no such process.
    let before = sim.requests().len();
    env.run(&["apps", "scale", &app, "--instances", "17"])
        .await
        .code(2);
    assert_eq!(sim.requests().len(), before, "17 is refused locally");
    let missing = env
        .run(&[
            "apps",
            "scale",
            &app,
            "--process",
            "cron",
            "--instances",
            "1",
            "--json",
        ])
        .await
        .code(4)
        .json();
    let message = missing["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("`cron`") && message.contains("web"),
        "{message}"
    );
    assert!(!seen(&sim)[before..].iter().any(|r| r.starts_with("PATCH")));

    // Every process, to 0.
    let stopped = env
        .run(&["apps", "scale", &app, "--instances", "0", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(stopped.as_array().unwrap().len(), 1);
    assert_eq!(stopped[0]["instance_amount"], 0);
    assert_eq!(seen(&sim).iter().filter(|r| **r == patch).count(), 2);

    let events = env
        .run(&["scaling-events", &app, "--json"])
        .await
        .ok()
        .json();
    assert!(events.is_array(), "{events}");
    let table = env.run(&["scaling-events", &app]).await.ok();
    assert!(
        table.stdout.contains("no scaling events") || table.stdout.contains("INSTANCES"),
        "{table}"
    );
    assert!(seen(&sim).contains(&format!("GET /applications/{app}/scaling_events")));

    let added = env
        .run(&["domains", "add", &app, "www.example.com", "--json"])
        .await
        .ok()
        .json();
    let domain = added["id"].as_str().unwrap().to_owned();
    let connected = env
        .run(&["domains", "connect", &app, &domain, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(connected["ok"], true);
    assert_eq!(connected["action"], "connect_domain");
    assert_eq!(connected["id"], domain.as_str());
    assert!(connected.get("domain").is_some(), "{connected}");
    assert!(seen(&sim).contains(&format!(
        "POST /applications/{app}/domains/{domain}/connect"
    )));

    // Nodion-only commands refuse Nodana.
    let other = env
        .run(&["--provider", "nodana", "processes", &app])
        .await
        .code(2);
    assert!(other.stderr.contains("not supported by nodana"), "{other}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_zones_and_records() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("nodion-dns");
    let env = nodion(&sim, &state);

    let zone = env
        .run(&["dns", "zones", "create", "example.com", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(zone["name"], "example.com");
    let defaults = zone["records"].as_array().unwrap().len();
    let id = zone["id"].as_str().unwrap().to_owned();
    let listed = env
        .run(&["dns", "zones", "list", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    let table = env.run(&["dns", "zones", "list"]).await.ok();
    assert!(table.stdout.contains("example.com"), "{table}");

    let added = env
        .run(&[
            "dns",
            "records",
            "add",
            &id,
            "--type",
            "TXT",
            "--name",
            "@",
            "--content",
            "v=spf1 -all",
            "--ttl",
            "300",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(added["record_type"], "txt");
    assert_eq!(added["content"], "v=spf1 -all");
    assert_eq!(added["ttl"], 300);
    let record = added["id"].as_str().unwrap().to_owned();

    let all = env
        .run(&["dns", "records", "list", &id, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(all.as_array().unwrap().len(), defaults + 1, "{all}");
    let txt = env
        .run(&[
            "dns", "records", "list", &id, "--type", "txt", "--name", "@", "--json",
        ])
        .await
        .ok()
        .json();
    let txt = txt.as_array().unwrap();
    assert!(txt.iter().any(|r| r["id"] == record.as_str()), "{txt:?}");
    assert!(
        txt.iter()
            .all(|r| r["record_type"] == "txt" && r["name"] == "@"),
        "{txt:?}"
    );
    let table = env.run(&["dns", "records", "list", &id]).await.ok();
    assert!(table.stdout.contains("v=spf1 -all"), "{table}");

    // A TTL out of range is refused before sending.
    let before = sim.requests().len();
    env.run(&[
        "dns",
        "records",
        "add",
        &id,
        "--type",
        "a",
        "--name",
        "www",
        "--content",
        "203.0.113.7",
        "--ttl",
        "10",
    ])
    .await
    .code(2);
    assert_eq!(sim.requests().len(), before);

    let deleted = env
        .run(&["dns", "records", "delete", &id, &record, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(deleted["action"], "delete_dns_record");
    let all = env
        .run(&["dns", "records", "list", &id, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(all.as_array().unwrap().len(), defaults);

    // Deleting a zone needs --yes off a terminal.
    let refused = env.run(&["dns", "zones", "delete", &id]).await.code(2);
    assert!(refused.stderr.contains("--yes"), "{refused}");
    let deleted = env
        .run(&["dns", "zones", "delete", &id, "--yes", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(deleted["action"], "delete_dns_zone");
    assert_eq!(deleted["id"], id.as_str());
    let listed = env
        .run(&["dns", "zones", "list", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(listed, serde_json::json!([]));
    let gone = env
        .run(&["dns", "records", "list", &id, "--json"])
        .await
        .code(4)
        .json();
    assert_eq!(gone["error"]["kind"], "not_found");
}
