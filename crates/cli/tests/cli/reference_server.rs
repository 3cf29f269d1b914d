//! Acceptance: the `nodal` binary against a server that answers only in the shapes of Nodion's
//! published API reference. Every body comes from a reference example kept in
//! `crates/nodion/tests/fixtures/reference` (its `# ` header lines stripped), changed only in the
//! values a stateful server must change (counts, statuses, times). Each check runs the binary
//! as a user would, one process per command, with `NODION_API_BASE_URL` pointing at the server.

use crate::common::{Env, TempDir};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../nodion/tests/fixtures/reference"
);
const KEY: &str = "nk_user_reference_acceptance_0123456789";
/// The application of `applications--get`.
const APP: &str = "0ce705eb-fb11-485a-b380-82cdb8b97036";
/// The processes of `application-processes--list`: Web with 2 instances, Worker with 1.
const WEB: &str = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
const WORKER: &str = "d4e5f6a7-b8c9-0123-defa-234567890123";
const HOUR: Duration = Duration::from_secs(3600);

/// A reference example's JSON, without its `# ` header lines.
fn reference(name: &str) -> Value {
    let path = format!("{FIXTURES}/{name}.json.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with("# ")).collect();
    serde_json::from_str(&body.join("\n")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json_response(status: u16, body: &Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}

/// `nodal` on Nodion with a user key, against `server`, keeping its state in `state`.
fn nodion(server: &MockServer, state: &TempDir) -> Env {
    Env::new(state)
        .var("NODAL_PROVIDER", "nodion")
        .var("NODION_API_BASE_URL", &server.url("/v1"))
        .secret("NODION_API_KEY", KEY)
}

/// `METHOD path` of each request, in order, as the stateful mocks saw them.
type Calls = Arc<Mutex<Vec<String>>>;

fn note(calls: &Calls, req: &HttpMockRequest) {
    calls
        .lock()
        .unwrap()
        .push(format!("{} {}", req.method(), req.uri().path()));
}

/// The processes of the reference's example with the current counts.
fn processes_now(counts: &HashMap<String, u32>) -> Value {
    let mut body = reference("application-processes--list");
    for process in body["processes"].as_array_mut().unwrap() {
        if let Some(count) = counts.get(process["id"].as_str().unwrap()) {
            process["instance_amount"] = json!(count);
        }
    }
    body
}

/// `GET .../processes` answers the reference's example with the current counts; `PATCH
/// .../processes/:id` sets one (answering `{"process": ...}`) and is recorded.
async fn serve_processes(server: &MockServer) -> Arc<Mutex<Vec<(String, u32)>>> {
    let counts: HashMap<String, u32> = [(WEB.to_owned(), 2), (WORKER.to_owned(), 1)].into();
    let counts = Arc::new(Mutex::new(counts));
    let patches = Arc::new(Mutex::new(Vec::new()));
    let listing = Arc::clone(&counts);
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/processes"))
                .header("authorization", format!("Bearer {KEY}"));
            then.respond_with(move |_| {
                json_response(200, &processes_now(&listing.lock().unwrap()))
            });
        })
        .await;
    let (setting, recorded) = (Arc::clone(&counts), Arc::clone(&patches));
    server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path_prefix(format!("/v1/applications/{APP}/processes/"));
            then.respond_with(move |req: &HttpMockRequest| {
                let id = req.uri().path().rsplit('/').next().unwrap_or("").to_owned();
                let Some(count) = serde_json::from_slice::<Value>(req.body_ref())
                    .ok()
                    .and_then(|body| body["instance_amount"].as_u64())
                    .and_then(|n| u32::try_from(n).ok())
                else {
                    return json_response(400, &json!({"errors": ["Instance amount is invalid"]}));
                };
                let mut counts = setting.lock().unwrap();
                if !counts.contains_key(&id) {
                    return json_response(404, &json!({"errors": ["Not found"]}));
                }
                counts.insert(id.clone(), count);
                recorded.lock().unwrap().push((id.clone(), count));
                let now = processes_now(&counts);
                let process = now["processes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["id"] == id.as_str())
                    .cloned();
                json_response(200, &json!({ "process": process }))
            });
        })
        .await;
    patches
}

fn sorted(mut patches: Vec<(String, u32)>) -> Vec<(String, u32)> {
    patches.sort();
    patches
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_then_start_in_two_invocations_restores_each_process() {
    let server = MockServer::start_async().await;
    let patches = serve_processes(&server).await;
    let state = TempDir::new("reference-stop-start");
    let env = nodion(&server, &state);
    let take = || std::mem::take(&mut *patches.lock().unwrap());

    let stopped = env.run(&["apps", "stop", APP, "--json"]).await.ok().json();
    assert_eq!(stopped["action"], "stop_app");
    assert_eq!(
        sorted(take()),
        sorted(vec![(WEB.to_owned(), 0), (WORKER.to_owned(), 0)]),
        "stop scales every process to 0"
    );
    let counts = state.path().join("nodal").join("nodion-process-counts");
    assert_eq!(
        files_in(&counts),
        1,
        "the stop left its counts in the state directory"
    );

    // A new process: only the state directory connects it to the stop.
    let started = env.run(&["apps", "start", APP, "--json"]).await.ok().json();
    assert_eq!(started["action"], "start_app");
    assert_eq!(
        sorted(take()),
        sorted(vec![(WEB.to_owned(), 2), (WORKER.to_owned(), 1)]),
        "start gives each process its own earlier count"
    );
    assert_eq!(files_in(&counts), 0, "the counts are gone once used");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_records_list_and_add_succeed_once_each() {
    let server = MockServer::start_async().await;
    let zone = reference("dns-zones--list")["dns_zones"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let records = reference("dns-zones--records-list");
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/dns_zones/{zone}/records"))
                .query_param_missing("name")
                .query_param_missing("record_type");
            then.status(200)
                .header("content-type", "application/json")
                .body(records.to_string());
        })
        .await;
    let mut www = records.clone();
    www["records"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["name"] == "www" && r["record_type"] == "a");
    let filtered = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/dns_zones/{zone}/records"))
                .query_param("name", "www")
                .query_param("record_type", "a");
            then.status(200)
                .header("content-type", "application/json")
                .body(www.to_string());
        })
        .await;
    let add = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/dns_zones/{zone}/records"))
                .json_body(json!({
                    "record_type": "a", "name": "www", "content": "1.2.3.4", "ttl": 60
                }));
            then.status(200)
                .header("content-type", "application/json")
                .body(reference("dns-zones--record-create").to_string());
        })
        .await;
    let state = TempDir::new("reference-dns");
    let env = nodion(&server, &state);

    let listed = env
        .run(&["dns", "records", "list", &zone, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 5, "{listed}");
    assert_eq!(listed[3]["record_type"], "ns");
    assert_eq!(listed[3]["content"], "ns1.nodion.com");
    list.assert_calls_async(1).await;

    let found = env
        .run(&[
            "dns", "records", "list", &zone, "--name", "www", "--type", "A", "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    filtered.assert_calls_async(1).await;

    let added = env
        .run(&[
            "dns",
            "records",
            "add",
            &zone,
            "--type",
            "a",
            "--name",
            "www",
            "--content",
            "1.2.3.4",
            "--ttl",
            "60",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(added["id"], "748d688a-3004-4b84-b8b8-8cb2e07c5c71");
    assert_eq!(added["ttl"], 60);
    add.assert_calls_async(1).await;
}

/// What the create server has done so far.
#[derive(Debug, Default)]
struct Life {
    created: bool,
    triggered: bool,
    /// `GET .../deployments` answered since the trigger.
    polls_since_trigger: u32,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_wait_triggers_the_first_deployment_and_waits_for_it() {
    let server = MockServer::start_async().await;
    let calls: Calls = Arc::default();
    let life = Arc::new(Mutex::new(Life::default()));
    let app = reference("applications--get");
    let region = app["application"]["region"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let instance_type = app["application"]["instance_type_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let (seen, state) = (Arc::clone(&calls), Arc::clone(&life));
    let answer = app.clone();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.respond_with(move |req: &HttpMockRequest| {
                note(&seen, req);
                let body: Value = serde_json::from_slice(req.body_ref()).unwrap_or(Value::Null);
                if body["image_name"] != "nginxdemos/hello" || body["instance_amount"] != 1 {
                    return json_response(
                        400,
                        &json!({"errors": [format!("unexpected body {body}")]}),
                    );
                }
                state.lock().unwrap().created = true;
                let mut created = answer.clone();
                created["application"]["name"] = body["name"].clone();
                json_response(200, &created)
            });
        })
        .await;
    let (seen, state) = (Arc::clone(&calls), Arc::clone(&life));
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.respond_with(move |req: &HttpMockRequest| {
                note(&seen, req);
                let mut life = state.lock().unwrap();
                if !life.created {
                    return json_response(404, &json!({"errors": ["Not found"]}));
                }
                life.triggered = true;
                json_response(200, &reference("application-deployments--trigger"))
            });
        })
        .await;
    let (seen, state) = (Arc::clone(&calls), Arc::clone(&life));
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.respond_with(move |req: &HttpMockRequest| {
                note(&seen, req);
                let mut life = state.lock().unwrap();
                if !life.triggered {
                    return json_response(200, &json!({"deployments": []}));
                }
                life.polls_since_trigger += 1;
                // The triggered deployment in the list's shape: `created` at first, then
                // `available`.
                let listed = reference("application-deployments--list");
                let mut deployment = listed["deployments"][1].clone();
                let triggered = reference("application-deployments--trigger");
                deployment["id"] = triggered["deployment"]["id"].clone();
                deployment["deploy_number"] = triggered["deployment"]["deploy_number"].clone();
                deployment["status"] = json!(if life.polls_since_trigger == 1 {
                    "created"
                } else {
                    "available"
                });
                json_response(200, &json!({ "deployments": [deployment] }))
            });
        })
        .await;
    let seen = Arc::clone(&calls);
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/applications/{APP}"));
            then.respond_with(move |req: &HttpMockRequest| {
                note(&seen, req);
                json_response(200, &app)
            });
        })
        .await;

    let state = TempDir::new("reference-create");
    let env = nodion(&server, &state);
    let doc = env
        .run(&[
            "apps",
            "create",
            "--name",
            "My App",
            "--region",
            &region,
            "--instance-type",
            &instance_type,
            "--instances",
            "1",
            "--image",
            "nginxdemos/hello",
            "--wait",
            "--timeout",
            "60s",
            "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(doc["app"]["id"], APP);
    assert_eq!(doc["app"]["status"], "running", "{doc}");

    let calls = calls.lock().unwrap().clone();
    let create = calls.iter().position(|c| c == "POST /v1/applications");
    let trigger = format!("POST /v1/applications/{APP}/deployments");
    let deploy = calls.iter().position(|c| *c == trigger);
    assert!(
        matches!((create, deploy), (Some(c), Some(d)) if c < d),
        "create, then trigger: {calls:?}"
    );
    assert_eq!(
        calls.iter().filter(|c| **c == trigger).count(),
        1,
        "{calls:?}"
    );
    assert!(
        life.lock().unwrap().polls_since_trigger >= 2,
        "the wait saw the deployment `created`, then waited for `available`: {calls:?}"
    );
}

fn parse_time(raw: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(raw.trim_end_matches('Z')).ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_since_three_hours_reach_past_the_one_hour_window() {
    let server = MockServer::start_async().await;
    let now = SystemTime::now();
    let minutes = |m: u64| now - Duration::from_secs(m * 60);
    // Lines from 3h20m ago to 5 minutes ago, with a quiet hour (2h to 1h ago), so a pager that
    // takes an empty hour for the end stops too early.
    let mut lines: Vec<(SystemTime, String)> = [
        200u64, 190, 175, 170, 160, 150, 140, 130, 50, 40, 30, 20, 10, 5,
    ]
    .into_iter()
    .map(|m| (minutes(m), format!("[web.1] line from {m} minutes ago")))
    .collect();
    lines.sort();
    let template = reference("application-logs--list")["logs"][0].clone();
    let requests = Arc::new(Mutex::new(0u32));
    let counted = Arc::clone(&requests);
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"));
            then.respond_with(move |req: &HttpMockRequest| {
                *counted.lock().unwrap() += 1;
                let params = req.query_params_map();
                let bound = |name: &str| -> Result<Option<SystemTime>, String> {
                    match params.get(name) {
                        None => Ok(None),
                        Some(raw) => parse_time(raw)
                            .map(Some)
                            .ok_or_else(|| format!("{name} `{raw}` is not an ISO 8601 time")),
                    }
                };
                let (before, after) = match (bound("before"), bound("after")) {
                    (Ok(before), Ok(after)) => (before, after),
                    (Err(e), _) | (_, Err(e)) => {
                        return json_response(400, &json!({"errors": [e]}));
                    }
                };
                let limit: usize = params
                    .get("limit")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(200);
                // The one-hour window rule: without `after`, only the hour before `before`
                // (or before now); both bounds exclusive.
                let upper = before.unwrap_or_else(SystemTime::now);
                let lower = after.unwrap_or(upper - HOUR);
                let window: Vec<&(SystemTime, String)> = lines
                    .iter()
                    .filter(|(at, _)| *at > lower && *at < upper)
                    .collect();
                let newest = &window[window.len().saturating_sub(limit)..];
                let logs: Vec<Value> = newest
                    .iter()
                    .map(|(at, msg)| {
                        let mut line = template.clone();
                        line["ts"] = json!(humantime::format_rfc3339_millis(*at).to_string());
                        line["msg"] = json!(msg);
                        line["instance_id"] = json!("3e5ac35cc2");
                        line
                    })
                    .collect();
                json_response(200, &json!({ "logs": logs }))
            });
        })
        .await;
    let state = TempDir::new("reference-logs");
    let env = nodion(&server, &state);

    let shown = env
        .run(&["logs", APP, "--since", "3h", "--json"])
        .await
        .ok()
        .json();
    let messages: Vec<&str> = shown
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["msg"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = [175, 170, 160, 150, 140, 130, 50, 40, 30, 20, 10, 5]
        .iter()
        .map(|m| format!("[web.1] line from {m} minutes ago"))
        .collect();
    assert_eq!(
        messages, expected,
        "every line of the last three hours, oldest first, none older"
    );
    let requests = *requests.lock().unwrap();
    assert!(requests <= 12, "{requests} requests for three hours");
}
