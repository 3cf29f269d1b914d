//! `nodal-mcp` as a child process, driven by rmcp's client over stdio, against the twin.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use nodal::testing::Sim;
use rmcp::model::{CallToolRequestParams, CallToolResult, Tool};
use rmcp::service::RunningService;
use rmcp::transport::{ConfigureCommandExt as _, TokioChildProcess};
use rmcp::{RoleClient, ServiceExt as _};
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A scratch state directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("nodal-mcp-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

type Client = RunningService<RoleClient, ()>;

/// Which keys the server gets.
#[derive(Clone, Copy)]
enum Keys {
    Both,
    Nodana,
    Nodion,
}

/// Starts `nodal-mcp` with `flags`, keys of the twin and its state in `state`.
async fn serve(sim: &Sim, keys: Keys, flags: &[&str], state: &Path) -> Client {
    let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_nodal-mcp")).configure(|cmd| {
        cmd.env_clear()
            .env("XDG_STATE_HOME", state)
            .env("HOME", state)
            .args(flags);
        if matches!(keys, Keys::Both | Keys::Nodana) {
            cmd.env("NODANA_API_KEY", sim.nodana_key())
                .env("NODANA_API_BASE_URL", sim.nodana_base_url());
        }
        if matches!(keys, Keys::Both | Keys::Nodion) {
            cmd.env("NODION_API_KEY", sim.nodion_user_key())
                .env("NODION_API_BASE_URL", sim.nodion_base_url());
        }
    });
    ().serve(TokioChildProcess::new(command).unwrap())
        .await
        .unwrap()
}

async fn call(client: &rmcp::Peer<RoleClient>, tool: &str, arguments: Value) -> CallToolResult {
    let Value::Object(arguments) = arguments else {
        panic!("arguments must be an object");
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(arguments))
        .await
        .unwrap()
}

/// The structured result of a call that must succeed.
async fn ok(client: &rmcp::Peer<RoleClient>, tool: &str, arguments: Value) -> Value {
    let result = call(client, tool, arguments).await;
    let value = result.structured_content.clone().unwrap();
    assert_ne!(result.is_error, Some(true), "{tool}: {value}");
    value
}

/// The `error` object of a call that must fail.
async fn failed(client: &rmcp::Peer<RoleClient>, tool: &str, arguments: Value) -> Value {
    let result = call(client, tool, arguments).await;
    let value = result.structured_content.clone().unwrap();
    assert_eq!(result.is_error, Some(true), "{tool}: {value}");
    value["error"].clone()
}

fn find<'t>(tools: &'t [Tool], name: &str) -> &'t Tool {
    tools
        .iter()
        .find(|tool| tool.name == name)
        .unwrap_or_else(|| panic!("no tool {name}"))
}

fn nodion_app(request_id: &str) -> Value {
    json!({
        "provider": "nodion",
        "request_id": request_id,
        "name": "web",
        "region": "euc",
        "instance_type": "starter",
        "instances": 1,
        "image": "nginxdemos/hello",
        "image_tag": "1.0",
    })
}

/// Quick Nodana starts; the Nodana limit stays the real one (1 request per second). `strict`:
/// zero tolerance, and 0–200 ms of uplink latency on every request.
async fn twin(strict: bool) -> Sim {
    let mut builder = Sim::builder()
        .nodana_start_delay(Duration::from_millis(100))
        .nodion_deploy_delay(Duration::from_millis(100));
    if strict {
        builder = builder
            .zero_tolerance()
            .uplink_latency(Duration::ZERO, Duration::from_millis(200));
    }
    builder.start().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tools_list_shows_every_tool_with_its_schema_and_annotations() {
    let sim = twin(false).await;
    let state = Scratch::new("list");
    let client = serve(
        &sim,
        Keys::Both,
        &["--allow-writes", "--allow-destructive"],
        &state.0,
    )
    .await;
    let tools = client.list_all_tools().await.unwrap();

    let mut listed: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    let mut documented: Vec<&str> = nodal_mcp::TOOLS.iter().map(|t| t.name).collect();
    listed.sort_unstable();
    documented.sort_unstable();
    assert_eq!(listed, documented);
    for tool in &tools {
        assert_eq!(
            tool.input_schema.get("type"),
            Some(&json!("object")),
            "{}",
            tool.name
        );
        let description = tool.description.as_deref().unwrap_or_default();
        assert!(
            description.contains("Nodion") || description.contains("Nodana"),
            "{}: {description}",
            tool.name
        );
        assert!(tool.annotations.is_some(), "{}", tool.name);
    }

    let create = find(&tools, "create_app");
    let schema = Value::Object((*create.input_schema).clone());
    assert!(
        schema["required"]
            .as_array()
            .unwrap()
            .contains(&json!("request_id")),
        "{schema}"
    );
    assert!(schema["properties"]["template"].is_object(), "{schema}");
    let create = create.annotations.as_ref().unwrap();
    assert_eq!(create.read_only_hint, Some(false));
    assert_eq!(create.destructive_hint, Some(false));
    assert_eq!(create.idempotent_hint, Some(false));

    let delete = find(&tools, "delete_app").annotations.as_ref().unwrap();
    assert_eq!(delete.destructive_hint, Some(true));
    assert_eq!(delete.idempotent_hint, Some(true));
    let get = find(&tools, "get_app").annotations.as_ref().unwrap();
    assert_eq!(get.read_only_hint, Some(true));
    let templates = find(&tools, "nodana_list_templates")
        .annotations
        .as_ref()
        .unwrap();
    assert_eq!(templates.open_world_hint, Some(false));

    client.cancel().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_server_exposes_no_write_tool_and_refuses_one() {
    let sim = twin(false).await;
    let state = Scratch::new("readonly");
    let client = serve(&sim, Keys::Nodion, &[], &state.0).await;
    let tools = client.list_all_tools().await.unwrap();
    assert!(!tools.is_empty());
    for tool in &tools {
        let annotations = tool.annotations.as_ref().unwrap();
        assert_eq!(
            annotations.read_only_hint,
            Some(true),
            "{} is listed",
            tool.name
        );
    }
    // A Nodion-only server lists no Nodana tool either.
    assert!(tools.iter().all(|t| !t.name.starts_with("nodana_")));

    let error = failed(&client, "create_app", nodion_app("r-1")).await;
    assert_eq!(error["kind"], "permission_denied", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("--allow-writes"),
        "{error}"
    );
    assert_eq!(sim.counters().nodion_apps_created, 0);

    client.cancel().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_repeated_with_its_request_id_creates_one_app() {
    let sim = twin(false).await;
    let state = Scratch::new("dedupe");
    let client = serve(&sim, Keys::Both, &["--allow-writes"], &state.0).await;

    let first = ok(&client, "create_app", nodion_app("agent-req-1")).await;
    assert_eq!(first["replayed"], false, "{first}");
    let again = ok(&client, "create_app", nodion_app("agent-req-1")).await;
    assert_eq!(again["replayed"], true, "{again}");
    assert_eq!(again["app"]["id"], first["app"]["id"]);
    assert_eq!(sim.counters().nodion_apps_created, 1);

    // The same id with other arguments is refused, not created and not replayed.
    let mut other = nodion_app("agent-req-1");
    other["name"] = json!("api");
    let error = failed(&client, "create_app", other).await;
    assert_eq!(error["kind"], "conflict", "{error}");
    assert_eq!(sim.counters().nodion_apps_created, 1);

    // Both providers are served, so a neutral tool without `provider` is refused.
    let error = failed(&client, "list_apps", json!({})).await;
    assert_eq!(error["kind"], "invalid_input", "{error}");
    let apps = ok(&client, "list_apps", json!({"provider": "nodion"})).await;
    assert_eq!(apps["apps"].as_array().unwrap().len(), 1, "{apps}");

    client.cancel().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_needs_the_token_of_a_dry_run() {
    let sim = twin(false).await;
    let state = Scratch::new("delete");
    let client = serve(
        &sim,
        Keys::Nodion,
        &["--allow-writes", "--allow-destructive"],
        &state.0,
    )
    .await;
    let created = ok(&client, "create_app", nodion_app("to-delete")).await;
    let app = created["app"]["id"].as_str().unwrap().to_owned();

    let error = failed(&client, "delete_app", json!({"app_id": app})).await;
    assert_eq!(error["kind"], "invalid_input", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("dry_run"),
        "{error}"
    );
    let made_up = failed(
        &client,
        "delete_app",
        json!({"app_id": app, "confirmation_token": "confirm-0"}),
    )
    .await;
    assert_eq!(made_up["kind"], "invalid_input", "{made_up}");
    ok(&client, "get_app", json!({"app_id": app})).await;

    let dry = ok(
        &client,
        "delete_app",
        json!({"app_id": app, "dry_run": true}),
    )
    .await;
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["app"]["id"], json!(app));
    let token = dry["confirmation_token"].as_str().unwrap().to_owned();
    // A token is bound to its tool: it does not stop the app.
    let wrong_tool = failed(
        &client,
        "stop_app",
        json!({"app_id": app, "confirmation_token": token}),
    )
    .await;
    assert_eq!(wrong_tool["kind"], "invalid_input", "{wrong_tool}");

    let deleted = ok(
        &client,
        "delete_app",
        json!({"app_id": app, "confirmation_token": token}),
    )
    .await;
    assert_eq!(deleted["done"], "delete_app");
    let reused = failed(
        &client,
        "delete_app",
        json!({"app_id": app, "confirmation_token": token}),
    )
    .await;
    assert_eq!(reused["kind"], "invalid_input", "{reused}");

    client.cancel().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phoenixd_create_returns_a_credentials_file_and_no_seed_phrase() {
    let sim = twin(false).await;
    let state = Scratch::new("phoenixd");
    let client = serve(&sim, Keys::Nodana, &["--allow-writes"], &state.0).await;
    let created = ok(
        &client,
        "create_app",
        json!({"request_id": "node-1", "template": "phoenixd", "params": {"auto_liquidity": "2m"}}),
    )
    .await;
    let path = PathBuf::from(created["credentials_file"].as_str().unwrap());
    assert!(
        path.starts_with(state.0.join("nodal/credentials")),
        "{}",
        path.display()
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let record: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(record["app_id"], created["app"]["id"]);
    let seed = record["credentials"]["seedPhrase"].as_str().unwrap();
    assert!(seed.split(' ').count() >= 12, "{record}");
    let shown = created.to_string();
    assert!(!shown.contains(seed), "{shown}");
    for word in seed.split(' ').filter(|w| w.len() > 4) {
        assert!(!shown.contains(word), "{word} in {shown}");
    }
    assert!(
        created["credential_names"]
            .as_array()
            .unwrap()
            .contains(&json!("seedPhrase")),
        "{created}"
    );
    assert!(created.get("credentials").is_none(), "{created}");
    assert_eq!(sim.counters().nodana_apps_created, 1);

    client.cancel().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_twenty_calls_on_nodana_keeps_the_limit() {
    // Zero tolerance: a request closer than 1 s to the previous one of the key is a violation.
    let sim = twin(true).await;
    let state = Scratch::new("burst");
    let client = serve(&sim, Keys::Nodana, &[], &state.0).await;
    let calls = (0..20).map(|i| {
        let client = &client;
        async move {
            let tool = if i % 2 == 0 {
                "list_projects"
            } else {
                "list_apps"
            };
            ok(client, tool, json!({})).await
        }
    });
    let results = futures_util::future::join_all(calls).await;
    assert_eq!(results.len(), 20);
    let counters = sim.counters();
    assert_eq!(counters.nodana_rate_limit_violations, 0, "{counters:?}");
    assert!(counters.requests >= 20, "{counters:?}");

    client.cancel().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_tools_prints_the_table_without_any_key() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_nodal-mcp"))
        .env_clear()
        .arg("--list-tools")
        .output()
        .unwrap();
    assert!(output.status.success());
    let table = String::from_utf8(output.stdout).unwrap();
    assert_eq!(table, nodal_mcp::tool_table());

    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_nodal-mcp"))
        .env_clear()
        .args(["--http", "0.0.0.0:8765"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("loopback"), "{stderr}");
}

/// A client that keeps the progress notifications it receives.
#[derive(Clone, Default)]
struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl rmcp::ClientHandler for Recorder {
    async fn on_progress(
        &self,
        params: rmcp::model::ProgressNotificationParam,
        _context: rmcp::service::NotificationContext<RoleClient>,
    ) {
        self.0
            .lock()
            .unwrap()
            .push(params.message.unwrap_or_default());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_and_waits_arrive_as_progress() {
    use nodal_sim::{Fault, FaultKind, Provider};
    use rmcp::model::{NumberOrString, ProgressToken, RequestMetaObject};

    let sim = Sim::builder()
        .nodion_deploy_delay(Duration::from_millis(2500))
        .start()
        .await
        .unwrap();
    let state = Scratch::new("progress");
    let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_nodal-mcp")).configure(|cmd| {
        cmd.env_clear()
            .env("XDG_STATE_HOME", &state.0)
            .env("NODION_API_KEY", sim.nodion_user_key())
            .env("NODION_API_BASE_URL", sim.nodion_base_url())
            .arg("--allow-writes");
    });
    let recorder = Recorder::default();
    let client = recorder
        .clone()
        .serve(TokioChildProcess::new(command).unwrap())
        .await
        .unwrap();
    let with_progress = |tool: &str, arguments: Value, token: i64| {
        let Value::Object(arguments) = arguments else {
            panic!("arguments must be an object");
        };
        let mut params = CallToolRequestParams::new(tool.to_owned()).with_arguments(arguments);
        params.meta = Some(RequestMetaObject::with_progress_token(ProgressToken(
            NumberOrString::Number(token),
        )));
        params
    };

    let created = client
        .call_tool(with_progress("create_app", nodion_app("slow"), 1))
        .await
        .unwrap();
    let app = created.structured_content.unwrap()["app"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    sim.inject(
        Fault::new(
            Provider::Nodion,
            FaultKind::RateLimited {
                retry_after: Duration::from_secs(1),
            },
        )
        .method("GET")
        .path("/applications/*"),
    );
    let waited = client
        .call_tool(with_progress("wait_app", json!({"app_id": app}), 2))
        .await
        .unwrap();
    assert_ne!(waited.is_error, Some(true), "{waited:?}");
    assert_eq!(
        waited.structured_content.unwrap()["app"]["status"],
        "running"
    );

    // Notifications may trail the result a little.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let seen = recorder.0.lock().unwrap().clone();
        let retried = seen
            .iter()
            .any(|m| m.contains("before retrying") && m.contains("rate limited"));
        let polled = seen
            .iter()
            .any(|m| m.contains(&app) && m.contains("pending"));
        if retried && polled {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "progress seen: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    client.cancel().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_answer_was_lost_is_not_sent_again() {
    use nodal_sim::{Fault, FaultKind, Provider};
    let sim = twin(false).await;
    let state = Scratch::new("lost");
    let client = serve(&sim, Keys::Nodion, &["--allow-writes"], &state.0).await;
    sim.inject(
        Fault::new(Provider::Nodion, FaultKind::DropAfterProcessing)
            .method("POST")
            .path("/applications"),
    );
    let error = failed(&client, "create_app", nodion_app("lost-1")).await;
    assert_eq!(error["maybe_performed"], true, "{error}");
    // The agent repeats the call: it learns the first may have happened, and nothing is sent.
    let again = failed(&client, "create_app", nodion_app("lost-1")).await;
    assert_eq!(again["kind"], "conflict", "{again}");
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .contains("may have been performed"),
        "{again}"
    );
    assert_eq!(sim.counters().nodion_apps_created, 1);

    client.cancel().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_tools_are_served_over_loopback_http() {
    use rmcp::transport::StreamableHttpClientTransport;
    use tokio::io::AsyncBufReadExt as _;

    let sim = twin(false).await;
    let state = Scratch::new("http");
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_nodal-mcp"))
        .env_clear()
        .env("XDG_STATE_HOME", &state.0)
        .env("NODION_API_KEY", sim.nodion_user_key())
        .env("NODION_API_BASE_URL", sim.nodion_base_url())
        .args(["--http", "127.0.0.1:0"])
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // The server says where it listens: `... at http://127.0.0.1:PORT/mcp; ...`.
    let mut lines = tokio::io::BufReader::new(server.stderr.take().unwrap()).lines();
    let url = loop {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .unwrap()
            .unwrap()
            .expect("the server ended before listening");
        if let Some(start) = line.find("http://") {
            let rest = &line[start..];
            break rest[..rest.find(';').unwrap_or(rest.len())].to_owned();
        }
    };
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/mcp"),
        "{url}"
    );

    let client = ().serve(StreamableHttpClientTransport::from_uri(url.clone())).await.unwrap();
    let tools = client.list_all_tools().await.unwrap();
    assert!(tools.iter().any(|t| t.name == "nodion_list_regions"));
    assert!(
        tools
            .iter()
            .all(|t| t.annotations.as_ref().unwrap().read_only_hint == Some(true))
    );
    let regions = ok(&client, "nodion_list_regions", json!({})).await;
    assert!(
        !regions["regions"].as_array().unwrap().is_empty(),
        "{regions}"
    );

    // A web page in the user's browser cannot drive it (it sends an Origin header); a client
    // that sends none can.
    let initialize = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"page","version":"1"}}}"#;
    let post = |origin: Option<&str>| {
        let mut request = nodal::reqwest::Client::new()
            .post(&url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .body(initialize);
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        request.send()
    };
    let from_a_page = post(Some("https://evil.example")).await.unwrap();
    assert_eq!(
        from_a_page.status().as_u16(),
        403,
        "{}",
        from_a_page.status()
    );
    let from_a_client = post(None).await.unwrap();
    assert!(
        from_a_client.status().is_success(),
        "{}",
        from_a_client.status()
    );

    client.cancel().await.unwrap();
    server.kill().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn env_values_are_masked_unless_revealed() {
    let sim = twin(false).await;
    let state = Scratch::new("env");
    let client = serve(&sim, Keys::Nodion, &["--allow-writes"], &state.0).await;
    let created = ok(&client, "create_app", nodion_app("env-app")).await;
    let app = created["app"]["id"].as_str().unwrap().to_owned();
    let secret = "postgres://user:hunter2-very-secret@db/app";
    let set = ok(
        &client,
        "nodion_set_env",
        json!({"app_id": app, "key": "DATABASE_URL", "value": secret}),
    )
    .await;
    assert!(!set.to_string().contains(secret), "{set}");
    let listed = ok(&client, "nodion_list_env", json!({"app_id": app})).await;
    assert_eq!(listed["values_masked"], true);
    assert_eq!(listed["variables"][0]["key"], "DATABASE_URL", "{listed}");
    assert!(!listed.to_string().contains("hunter2"), "{listed}");
    client.cancel().await.unwrap();

    let revealing = serve(&sim, Keys::Nodion, &["--reveal-env"], &state.0).await;
    let listed = ok(&revealing, "nodion_list_env", json!({"app_id": app})).await;
    assert_eq!(listed["values_masked"], false);
    assert_eq!(listed["variables"][0]["value"], secret, "{listed}");
    revealing.cancel().await.unwrap();
    sim.shutdown().await;
}

/// A client whose user answers every confirmation with `answer`.
#[derive(Clone)]
struct User {
    answer: bool,
    asked: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl rmcp::ClientHandler for User {
    fn get_info(&self) -> rmcp::model::ClientConfig {
        use rmcp::model::{ClientCapabilities, ClientConfig, Implementation, ProtocolVersion};
        // A protocol version that still has server-to-client requests.
        ClientConfig::new(
            ClientCapabilities::builder().enable_elicitation().build(),
            Implementation::new("test-user", "1"),
        )
        .with_protocol_version(ProtocolVersion::V_2025_06_18)
    }

    async fn create_elicitation(
        &self,
        request: rmcp::model::ElicitRequestParams,
        _context: rmcp::service::RequestContext<RoleClient>,
    ) -> Result<rmcp::model::ElicitResult, rmcp::ErrorData> {
        use rmcp::model::{ElicitRequestParams, ElicitResult, ElicitationAction};
        if let ElicitRequestParams::FormElicitationParams { message, .. } = request {
            self.asked.lock().unwrap().push(message);
        }
        Ok(ElicitResult::new(ElicitationAction::Accept)
            .with_content(json!({"confirm": self.answer})))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_can_ask_its_user_confirms_instead_of_a_token() {
    let sim = twin(false).await;
    let state = Scratch::new("elicit");
    for answer in [false, true] {
        let command =
            tokio::process::Command::new(env!("CARGO_BIN_EXE_nodal-mcp")).configure(|cmd| {
                cmd.env_clear()
                    .env("XDG_STATE_HOME", &state.0)
                    .env("NODION_API_KEY", sim.nodion_user_key())
                    .env("NODION_API_BASE_URL", sim.nodion_base_url())
                    .args(["--allow-writes", "--allow-destructive"]);
            });
        let user = User {
            answer,
            asked: Default::default(),
        };
        let client = user
            .clone()
            .serve(TokioChildProcess::new(command).unwrap())
            .await
            .unwrap();
        let created = ok(
            &client,
            "create_app",
            nodion_app(&format!("asked-{answer}")),
        )
        .await;
        let app = created["app"]["id"].as_str().unwrap().to_owned();
        let result = call(&client, "delete_app", json!({"app_id": app})).await;
        let asked = user.asked.lock().unwrap().clone();
        assert_eq!(asked.len(), 1, "{asked:?}");
        assert!(
            asked[0].contains(&app) && asked[0].contains("delete"),
            "{asked:?}"
        );
        let still_there = call(&client, "get_app", json!({"app_id": app})).await;
        if answer {
            assert_ne!(result.is_error, Some(true), "{result:?}");
            let status = &still_there.structured_content.unwrap();
            assert!(
                still_there.is_error == Some(true) || status["app"]["status"] == "deleted",
                "{status}"
            );
        } else {
            let error = &result.structured_content.unwrap()["error"];
            assert_eq!(error["kind"], "conflict", "{error}");
            assert!(
                error["message"]
                    .as_str()
                    .unwrap()
                    .contains("did not confirm"),
                "{error}"
            );
            assert_ne!(still_there.is_error, Some(true), "{still_there:?}");
        }
        client.cancel().await.unwrap();
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_a_stopped_app_ends_at_once() {
    let sim = twin(false).await;
    let state = Scratch::new("stopped");
    let client = serve(
        &sim,
        Keys::Nodion,
        &["--allow-writes", "--allow-destructive"],
        &state.0,
    )
    .await;
    let created = ok(&client, "create_app", nodion_app("to-stop")).await;
    let app = created["app"]["id"].as_str().unwrap().to_owned();
    let running = ok(
        &client,
        "wait_app",
        json!({"app_id": app, "timeout_seconds": 60}),
    )
    .await;
    assert_eq!(running["app"]["status"], "running", "{running}");

    let dry = ok(&client, "stop_app", json!({"app_id": app, "dry_run": true})).await;
    let token = dry["confirmation_token"].as_str().unwrap();
    ok(
        &client,
        "stop_app",
        json!({"app_id": app, "confirmation_token": token}),
    )
    .await;
    let started = std::time::Instant::now();
    let error = failed(
        &client,
        "wait_app",
        json!({"app_id": app, "timeout_seconds": 3600}),
    )
    .await;
    assert_eq!(error["kind"], "conflict", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("start_app"),
        "{error}"
    );
    // Two polls, not the hour asked for.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );

    client.cancel().await.unwrap();
    sim.shutdown().await;
}
