//! The neutral traits: capabilities, create_app, start/stop/restart, deploy, waiting.

use crate::common::*;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use nodal_core::{
    App, AppId, AppSpec, AppStatus, Apps, DeployOptions, DeploymentStatus, Deployments, Error,
    Provider, WaitOptions,
};
use nodal_nodion::{FileProcessCounts, ProcessCountStore, ProcessId, StoppedCounts};
use nodal_testkit::{assert_matches, assert_says};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/reference");
/// The processes of the reference's example (`application-processes--list`): Web with 2
/// instances, Worker with 1.
const WEB: &str = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
const WORKER: &str = "d4e5f6a7-b8c9-0123-defa-234567890123";

/// A reference example's JSON body, without its `# ` header lines.
fn reference(name: &str) -> String {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}.json.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn reference_json(name: &str) -> Value {
    serde_json::from_str(&reference(name)).unwrap()
}

fn json_response(status: u16, body: &Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}

/// The reference's application (`applications--get`) under our app id, with `status` and
/// `instance_amount` set.
fn reference_app(status: &str, instance_amount: u32) -> Value {
    let mut body = reference_json("applications--get");
    body["application"]["id"] = json!(APP);
    body["application"]["status"] = json!(status);
    body["application"]["instance_amount"] = json!(instance_amount);
    body
}

/// Answers the processes calls in the reference's shapes, with state: `GET .../processes` is
/// the reference's example with the current counts, `PATCH .../processes/:id` sets one count
/// (answering `{"process": ...}`) and is recorded in order.
struct Processes {
    patches: Arc<Mutex<Vec<(String, u32)>>>,
}

impl Processes {
    async fn serve(server: &MockServer, counts: &[(&str, u32)]) -> Processes {
        let state: HashMap<String, u32> =
            counts.iter().map(|(id, n)| (id.to_string(), *n)).collect();
        let state = Arc::new(Mutex::new(state));
        let patches = Arc::new(Mutex::new(Vec::new()));
        let listing = Arc::clone(&state);
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(format!("/v1/applications/{APP}/processes"));
                then.respond_with(move |_| {
                    json_response(200, &processes_now(&listing.lock().unwrap()))
                });
            })
            .await;
        let (setting, recorded) = (Arc::clone(&state), Arc::clone(&patches));
        server
            .mock_async(|when, then| {
                when.method(PATCH)
                    .path_prefix(format!("/v1/applications/{APP}/processes/"));
                then.respond_with(move |req: &HttpMockRequest| {
                    let id = req.uri().path().rsplit('/').next().unwrap().to_owned();
                    let body: Value = serde_json::from_slice(req.body_ref()).unwrap();
                    let count = body["instance_amount"].as_u64().unwrap() as u32;
                    let mut state = setting.lock().unwrap();
                    state.insert(id.clone(), count);
                    recorded.lock().unwrap().push((id.clone(), count));
                    let now = processes_now(&state);
                    let one = now["processes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|p| p["id"] == id.as_str())
                        .cloned();
                    match one {
                        Some(process) => json_response(200, &json!({"process": process})),
                        None => json_response(404, &json!({"status": 404, "error": "Not Found"})),
                    }
                });
            })
            .await;
        Processes { patches }
    }

    /// The PATCHes since the last call, in order.
    fn patches(&self) -> Vec<(String, u32)> {
        std::mem::take(&mut *self.patches.lock().unwrap())
    }
}

fn processes_now(counts: &HashMap<String, u32>) -> Value {
    let mut body = reference_json("application-processes--list");
    for process in body["processes"].as_array_mut().unwrap() {
        if let Some(count) = counts.get(process["id"].as_str().unwrap()) {
            process["instance_amount"] = json!(count);
        }
    }
    body
}

fn patch(id: &str, count: u32) -> (String, u32) {
    (id.to_owned(), count)
}

/// A fresh, empty directory for process-count files.
fn counts_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("nodal-nodion-wire-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn client_with_dir(server: &MockServer, dir: &std::path::Path) -> nodal_nodion::NodionClient {
    nodal_nodion::NodionClient::builder()
        .user_key(USER_KEY)
        .base_url(server.url("/v1"))
        .retry(fast_retry())
        .rate_limit(fast_limit())
        .process_counts_dir(dir)
        .build()
        .unwrap()
}

#[tokio::test]
async fn capabilities_are_honest_and_project_writes_are_unsupported() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = user_client(&server);
    let provider: Arc<dyn Provider> = Arc::new(client.clone());

    assert_eq!(provider.name(), "nodion");
    let caps = provider.capabilities();
    for (op, on) in caps.iter() {
        let expected = !matches!(
            op,
            "create_project"
                | "rename_project"
                | "delete_project"
                | "app_from_template"
                | "app_credentials"
                | "deploy_starts_stopped_app"
        );
        assert_eq!(on, expected, "{op}");
    }
    let p = "p".into();
    for err in [
        provider.create_project("x").await.unwrap_err(),
        provider.rename_project(&p, "y").await.unwrap_err(),
        provider.delete_project(&p).await.unwrap_err(),
    ] {
        assert_matches!(err, Error::Unsupported { .. });
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_app_resolves_slugs_sets_env_and_returns_no_credentials() {
    let server = MockServer::start_async().await;
    let regions = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/regions");
            then.status(200).body(SEED_REGIONS);
        })
        .await;
    let types = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/instance_types");
            then.status(200).json_body(instance_types_json());
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/applications")
                .header("x-nodion-project", PROJECT)
                .json_body(json!({
                    "name": "web-shop",
                    "region_id": REGION_EUC,
                    "instance_type_id": TYPE_STARTER,
                    "instance_amount": 2,
                    "deployment_strategy": "prebuilt_image",
                    "image_name": "ghcr.io/acme/web",
                    "image_tag": "1.4.2"
                }));
            then.status(201)
                .json_body(json!({"application": app_json(APP, "created")}));
        })
        .await;
    let env_url = format!("/v1/applications/{APP}/env_variables");
    let env_a = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(env_url.clone())
                .header("x-nodion-project", PROJECT)
                .json_body(
                    json!({"env_key": "API_TOKEN", "env_val": "s3cr3t-canary", "buildtime": false}),
                );
            then.status(201)
                .json_body(json!({"env_variable": {"id": "e-1", "env_key": "API_TOKEN"}}));
        })
        .await;
    let env_b = server
        .mock_async(|when, then| {
            when.method(POST).path(env_url.clone()).json_body(
                json!({"env_key": "NODE_ENV", "env_val": "production", "buildtime": true}),
            );
            then.status(201)
                .json_body(json!({"env_variable": {"id": "e-2", "env_key": "NODE_ENV"}}));
        })
        .await;

    let deploy = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"))
                .header("x-nodion-project", PROJECT)
                .header_missing("content-type");
            then.status(200)
                .body(reference("application-deployments--trigger"));
        })
        .await;

    let spec = AppSpec::from_image("ghcr.io/acme/web")
        .image_tag("1.4.2")
        .name("web-shop")
        .project(PROJECT)
        .region("euc")
        .instance_type("starter")
        .instances(2)
        .env("API_TOKEN", "s3cr3t-canary")
        .env_var(nodal_core::EnvVar::new("NODE_ENV", "production").at_build_time());
    let client = user_client(&server);
    let created = client.create_app(&spec).await.unwrap();

    regions.assert_calls_async(1).await;
    types.assert_calls_async(1).await;
    create.assert_calls_async(1).await;
    env_a.assert_calls_async(1).await;
    env_b.assert_calls_async(1).await;
    deploy.assert_calls_async(1).await;
    assert!(created.credentials.is_empty());
    assert_eq!(created.app.id.as_str(), APP);
    assert_eq!(created.app.status, AppStatus::Pending);
    assert_eq!(created.app.raw_status, "created");
    assert_eq!(
        created.app.project.as_ref().map(|p| p.as_str()),
        Some(PROJECT)
    );
    assert_eq!(
        created.app.source.as_deref(),
        Some("ghcr.io/acme/web:1.4.2")
    );
    assert!(!format!("{created:?}").contains("s3cr3t"));

    // The catalogue is cached: a second create with slugs does not fetch it again.
    let again = AppSpec::from_image("ghcr.io/acme/web")
        .image_tag("1.4.2")
        .name("web-shop")
        .project(PROJECT)
        .region("euc")
        .instance_type("starter")
        .instances(2);
    client.create_app(&again).await.unwrap();
    regions.assert_calls_async(1).await;
    types.assert_calls_async(1).await;
    create.assert_calls_async(2).await;
    deploy.assert_calls_async(2).await;
}

#[tokio::test]
async fn create_app_refuses_what_nodion_cannot_do_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(SEED_REGIONS);
        })
        .await;
    let client = user_client(&server);

    let template = AppSpec::from_template("phoenixd").name("x").region("euc");
    match client.create_app(&template).await.unwrap_err() {
        Error::InvalidInput { field, .. } => assert_eq!(field.as_deref(), Some("source")),
        other => panic!("unexpected {other:?}"),
    }
    let bare = AppSpec::from_image("nginx");
    let err = client.create_app(&bare).await.unwrap_err();
    let text = err.to_string();
    for field in ["name", "region", "instance_type"] {
        assert!(text.contains(field), "{text}");
    }
    any.assert_calls_async(0).await;

    // An unknown slug is refused after the (one) catalogue lookup, naming the known ones.
    let unknown = AppSpec::from_image("nginx")
        .name("web")
        .region("mars")
        .instance_type(TYPE_STARTER);
    let err = client.create_app(&unknown).await.unwrap_err();
    assert_says!(err, "euc (EU Central)");
    any.assert_calls_async(1).await;
}

#[tokio::test]
async fn apps_listed_in_a_project_are_then_addressed_in_that_project() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications")
                .header("x-nodion-project", OTHER_PROJECT);
            then.status(200)
                .json_body(json!({"applications": [app_json(APP, "online")]}));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}"))
                .header("x-nodion-project", OTHER_PROJECT);
            then.status(200)
                .json_body(json!({"application": app_json(APP, "offline")}));
        })
        .await;
    let client = user_client(&server);

    let apps = client.list_apps(Some(&OTHER_PROJECT.into())).await.unwrap();
    assert_eq!(apps[0].status, AppStatus::Running);
    assert_eq!(
        apps[0].project.as_ref().map(|p| p.as_str()),
        Some(OTHER_PROJECT)
    );
    // A clone without a selected project still knows where the app lives.
    let app = client.clone().get_app(&AppId::from(APP)).await.unwrap();
    assert_eq!(app.status, AppStatus::Stopped);
    assert_eq!(app.name.as_deref(), Some("web-shop"));

    list.assert_calls_async(1).await;
    get.assert_calls_async(1).await;
}

#[tokio::test]
async fn restart_and_deploy_create_deployments() {
    let server = MockServer::start_async().await;
    let url = format!("/v1/applications/{APP}/deployments");
    let restart = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(url.clone())
                .header_missing("content-type");
            then.status(201)
                .json_body(json!({"deployment": deployment_json("d-2", 2, "created")}));
        })
        .await;
    let deploy = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(url.clone())
                .json_body(json!({"image_tag": "2.0.0"}));
            then.status(201)
                .json_body(json!({"deployment": deployment_json("d-3", 3, "created")}));
        })
        .await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET).path(url.clone());
            then.status(200).json_body(json!({"deployments": [
                deployment_json("d-1", 1, "expired"),
                deployment_json("d-2", 2, "waiting"),
                deployment_json("d-3", 3, "available"),
                deployment_json("d-4", 4, "molting")
            ]}));
        })
        .await;
    let client = user_client(&server);
    let app = AppId::from(APP);

    client.restart_app(&app).await.unwrap();
    let d = client
        .deploy(&app, &DeployOptions::new().image_tag("2.0.0"))
        .await
        .unwrap();
    assert_eq!(d.status, DeploymentStatus::Pending);
    assert_eq!(d.version.as_deref(), Some("3"));
    assert_eq!(d.description.as_deref(), Some("ghcr.io/acme/web:3"));
    assert_eq!(d.app.as_str(), APP);

    let all = client.list_deployments(&app).await.unwrap();
    let statuses: Vec<DeploymentStatus> = all.into_iter().map(|d| d.status).collect();
    assert_eq!(
        statuses,
        [
            DeploymentStatus::Expired,
            DeploymentStatus::InProgress,
            DeploymentStatus::Available,
            DeploymentStatus::Other("molting".into())
        ]
    );
    restart.assert_calls_async(1).await;
    deploy.assert_calls_async(1).await;
    list.assert_calls_async(1).await;
}

#[tokio::test]
async fn waiting_polls_until_online_with_an_available_deployment() {
    let server = MockServer::start_async().await;
    let app_url = format!("/v1/applications/{APP}");
    server
        .mock_async(|when, then| {
            when.method(GET).path(app_url.clone()).is_true(first(2));
            then.status(200)
                .json_body(json!({"application": app_json(APP, "deploying")}));
        })
        .await;
    let online = server
        .mock_async(|when, then| {
            when.method(GET).path(app_url.clone());
            then.status(200)
                .json_body(json!({"application": app_json(APP, "online")}));
        })
        .await;
    // Online already at the second poll, but its newest deployment is still rolling out.
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{app_url}/deployments"))
                .is_true(first(2));
            then.status(200).json_body(json!({"deployments": [
                deployment_json("d-1", 1, "waiting")
            ]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{app_url}/deployments"));
            then.status(200).json_body(json!({"deployments": [
                deployment_json("d-2", 2, "available"), deployment_json("d-1", 1, "expired")
            ]}));
        })
        .await;

    let mut seen: Vec<App> = Vec::new();
    let mut record = |state: &App, _waited: Duration| seen.push(state.clone());
    let options = WaitOptions::new(Duration::from_secs(5)).with_interval(Duration::from_millis(10));
    let app = user_client(&server)
        .wait_until_available_with(&AppId::from(APP), options, Some(&mut record))
        .await
        .unwrap();

    assert_eq!(app.status, AppStatus::Running);
    assert_eq!(app.deployment_status.as_deref(), Some("available"));
    // Progress saw every state before the available one, each with its deployment's word.
    assert_eq!(seen.len(), 2);
    for state in &seen {
        let available = state.status == AppStatus::Running
            && state.deployment_status.as_deref() == Some("available");
        assert!(!available, "{state:?}");
        assert_eq!(state.deployment_status.as_deref(), Some("waiting"));
    }
    online.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_failed_deployment_ends_the_wait_early() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/applications/{APP}"));
            then.status(200)
                .json_body(json!({"application": app_json(APP, "deploying")}));
        })
        .await;
    let deployments = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.status(200).json_body(json!({"deployments": [
                deployment_json("d-1", 1, "available"), deployment_json("d-2", 2, "failed")
            ]}));
        })
        .await;

    let err = user_client(&server)
        .wait_until_available(&AppId::from(APP), Duration::from_secs(30))
        .await
        .unwrap_err();

    deployments.assert_calls_async(1).await;
    assert_matches!(err, Error::Conflict { .. });
    assert_says!(err, "#2 failed");
}

#[tokio::test]
async fn waiting_times_out_naming_the_last_state() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/applications/{APP}"));
            then.status(200)
                .json_body(json!({"application": app_json(APP, "deploying")}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.status(200)
                .json_body(json!({"deployments": [deployment_json("d-1", 1, "waiting")]}));
        })
        .await;

    let options =
        WaitOptions::new(Duration::from_millis(150)).with_interval(Duration::from_millis(20));
    let err = user_client(&server)
        .wait_until_available_with(&AppId::from(APP), options, None)
        .await
        .unwrap_err();

    assert_matches!(err, Error::Timeout { .. });
    assert_says!(err, "app deploying, newest deployment waiting");
}

#[tokio::test]
async fn a_project_key_addresses_apps_without_the_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/v1/applications/{APP}"))
                .header("authorization", project_auth())
                .header_missing("x-nodion-project");
            then.status(204);
        })
        .await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications")
                .header_missing("x-nodion-project");
            then.status(200)
                .json_body(json!({"applications": [app_json(APP, "online")]}));
        })
        .await;
    let client = project_client(&server);
    // app_json reports no project_id, so the app is kept.
    assert_eq!(
        client.list_apps(Some(&PROJECT.into())).await.unwrap().len(),
        1
    );
    client.delete_app(&AppId::from(APP)).await.unwrap();
    list.assert_calls_async(1).await;
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn listing_another_project_with_a_project_key_keeps_only_that_projects_apps() {
    let server = MockServer::start_async().await;
    let mut mine = app_json(APP, "online");
    mine["project_id"] = json!(PROJECT);
    let mut theirs = app_json("other-app", "online");
    theirs["project_id"] = json!(OTHER_PROJECT);
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications")
                .header_missing("x-nodion-project");
            then.status(200)
                .json_body(json!({"applications": [mine, theirs]}));
        })
        .await;
    let client = project_client(&server);

    let apps = client.list_apps(Some(&PROJECT.into())).await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].project.as_ref().map(|p| p.as_str()), Some(PROJECT));
    assert_eq!(client.list_apps(None).await.unwrap().len(), 2);
    list.assert_calls_async(2).await;
}

#[tokio::test]
async fn create_app_sets_variables_then_triggers_the_first_deployment_in_that_order() {
    let server = MockServer::start_async().await;
    let order = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = |order: &Arc<Mutex<Vec<String>>>, body: Value| {
        let order = Arc::clone(order);
        move |req: &HttpMockRequest| {
            order
                .lock()
                .unwrap()
                .push(format!("{} {}", req.method(), req.uri().path()));
            json_response(200, &body)
        }
    };
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.respond_with(log(&order, reference_app("online", 1)));
        })
        .await;
    let env = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/env_variables"));
            then.respond_with(log(
                &order,
                reference_json("application-environment-variables--get"),
            ));
        })
        .await;
    let deploy = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.respond_with(log(
                &order,
                reference_json("application-deployments--trigger"),
            ));
        })
        .await;

    let spec = AppSpec::from_image("nginx")
        .image_tag("1.25")
        .name("web")
        .region(REGION_EUC)
        .instance_type(TYPE_STARTER)
        .env("A", "1")
        .env("B", "2");
    let created = user_client(&server).create_app(&spec).await.unwrap();

    assert_eq!(created.app.id.as_str(), APP);
    create.assert_calls_async(1).await;
    env.assert_calls_async(2).await;
    deploy.assert_calls_async(1).await;
    let env_path = format!("POST /v1/applications/{APP}/env_variables");
    assert_eq!(
        *order.lock().unwrap(),
        [
            "POST /v1/applications".to_owned(),
            env_path.clone(),
            env_path,
            format!("POST /v1/applications/{APP}/deployments"),
        ]
    );
}

#[tokio::test]
async fn create_then_wait_ends_once_the_first_deployment_is_available() {
    // A server with the reference's life cycle: no deployment until one is triggered; the app
    // is online once its deployment is available.
    let server = MockServer::start_async().await;
    let deployed = Arc::new(Mutex::new(false));
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.status(200).json_body(reference_app("created", 1));
        })
        .await;
    let trigger = {
        let deployed = Arc::clone(&deployed);
        server
            .mock_async(move |when, then| {
                when.method(POST)
                    .path(format!("/v1/applications/{APP}/deployments"));
                then.respond_with(move |_| {
                    *deployed.lock().unwrap() = true;
                    json_response(200, &reference_json("application-deployments--trigger"))
                });
            })
            .await
    };
    {
        let deployed = Arc::clone(&deployed);
        server
            .mock_async(move |when, then| {
                when.method(GET).path(format!("/v1/applications/{APP}"));
                then.respond_with(move |_| {
                    let status = if *deployed.lock().unwrap() {
                        "online"
                    } else {
                        "created"
                    };
                    json_response(200, &reference_app(status, 1))
                });
            })
            .await;
    }
    {
        let deployed = Arc::clone(&deployed);
        server
            .mock_async(move |when, then| {
                when.method(GET)
                    .path(format!("/v1/applications/{APP}/deployments"));
                then.respond_with(move |_| {
                    let mut list = reference_json("application-deployments--list");
                    if !*deployed.lock().unwrap() {
                        list["deployments"] = json!([]);
                    } else {
                        list["deployments"] = json!([deployment_json("d-1", 1, "available")]);
                    }
                    json_response(200, &list)
                });
            })
            .await;
    }

    let client = user_client(&server);
    let spec = AppSpec::from_image("nginx")
        .name("web")
        .region(REGION_EUC)
        .instance_type(TYPE_STARTER);
    let created = client.create_app(&spec).await.unwrap();
    let options = WaitOptions::new(Duration::from_secs(5)).with_interval(Duration::from_millis(10));
    let app = client
        .wait_until_available_with(&created.app.id, options, None)
        .await
        .unwrap();

    trigger.assert_calls_async(1).await;
    assert_eq!(app.status, AppStatus::Running);
    assert_eq!(app.deployment_status.as_deref(), Some("available"));
}

#[tokio::test]
async fn a_failing_env_variable_says_what_exists_without_its_value() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.status(200).json_body(reference_app("created", 1));
        })
        .await;
    let env_url = format!("/v1/applications/{APP}/env_variables");
    let set = server
        .mock_async(|when, then| {
            when.method(POST).path(env_url.clone()).is_true(first(2));
            then.status(200)
                .body(reference("application-environment-variables--get"));
        })
        .await;
    let refused = server
        .mock_async(|when, then| {
            when.method(POST).path(env_url.clone());
            then.status(403)
                .json_body(json!({"status": 403, "error": "Forbidden"}));
        })
        .await;
    let deploy = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.status(200)
                .body(reference("application-deployments--trigger"));
        })
        .await;

    let spec = AppSpec::from_image("nginx")
        .name("web")
        .region(REGION_EUC)
        .instance_type(TYPE_STARTER)
        .env("A", "1")
        .env("B", "2")
        .env("DATABASE_URL", "postgres://u:hunter2-canary@h/db");
    let err = user_client(&server).create_app(&spec).await.unwrap_err();

    create.assert_calls_async(1).await;
    set.assert_calls_async(2).await;
    refused.assert_calls_async(1).await;
    deploy.assert_calls_async(0).await;
    assert_matches!(err, Error::PermissionDenied { .. });
    let text = format!("{err} {err:?}");
    assert!(
        text.contains(&format!(
            "the application {APP} was created and 2 of 3 env variables were set; setting `DATABASE_URL` failed; the deployment was not triggered"
        )),
        "{text}"
    );
    assert!(text.contains("env:write"), "{text}");
    assert!(text.contains("do not create it again"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

#[tokio::test]
async fn a_failed_first_deployment_says_the_app_and_its_variables_exist() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.status(200).json_body(reference_app("created", 1));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/env_variables"));
            then.status(200)
                .body(reference("application-environment-variables--get"));
        })
        .await;
    let deploy = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.status(403)
                .json_body(json!({"status": 403, "error": "Forbidden"}));
        })
        .await;
    let spec = AppSpec::from_image("nginx")
        .name("web")
        .region(REGION_EUC)
        .instance_type(TYPE_STARTER)
        .env("A", "1");
    let err = user_client(&server).create_app(&spec).await.unwrap_err();

    create.assert_calls_async(1).await;
    deploy.assert_calls_async(1).await;
    match &err {
        Error::PermissionDenied { needed_scope, .. } => {
            assert_eq!(needed_scope.as_deref(), Some("deploy"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_says!(
        err,
        &format!(
            "the application {APP} was created and its env variable was set; the first deployment was not triggered"
        )
    );
}

#[tokio::test]
async fn an_ambiguous_first_deployment_is_not_replayed_and_is_marked_maybe_performed() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.status(200).json_body(reference_app("created", 1));
        })
        .await;
    let deploy = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.status(502).body("bad gateway");
        })
        .await;
    let spec = AppSpec::from_image("nginx")
        .name("web")
        .region(REGION_EUC)
        .instance_type(TYPE_STARTER);
    let err = user_client(&server).create_app(&spec).await.unwrap_err();

    create.assert_calls_async(1).await;
    deploy.assert_calls_async(1).await;
    assert_matches!(err, Error::Server { .. });
    assert!(err.maybe_performed(), "{err:?}");
    assert_says!(
        err,
        &format!(
            "the application {APP} was created and it has no env variables to set; the first deployment may or may not have been triggered"
        )
    );
}

#[tokio::test]
async fn stop_then_start_restores_each_process_count_in_the_reference_shapes() {
    let server = MockServer::start_async().await;
    let processes = Processes::serve(&server, &[]).await;
    let get_app = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/applications/{APP}"));
            then.status(200).json_body(reference_app("online", 1));
        })
        .await;
    let client = user_view(&server);
    let app = AppId::from(APP);

    client.stop_app(&app).await.unwrap();
    assert_eq!(processes.patches(), [patch(WEB, 0), patch(WORKER, 0)]);
    // Stopping a stopped app sends nothing and keeps the saved counts.
    client.stop_app(&app).await.unwrap();
    assert_eq!(processes.patches(), []);

    // A clone shares the in-memory counts.
    client.clone().start_app(&app).await.unwrap();
    assert_eq!(processes.patches(), [patch(WEB, 2), patch(WORKER, 1)]);
    // Starting a running app sends nothing.
    client.start_app(&app).await.unwrap();
    assert_eq!(processes.patches(), []);
    get_app.assert_calls_async(0).await;
}

#[tokio::test]
async fn stop_and_start_in_two_clients_share_the_counts_through_the_directory() {
    let server = MockServer::start_async().await;
    let processes = Processes::serve(&server, &[(WEB, 3), (WORKER, 1)]).await;
    let dir = counts_dir("two-clients");
    let app = AppId::from(APP);

    // Two invocations: each builds its own client on the same state directory.
    client_with_dir(&server, &dir).stop_app(&app).await.unwrap();
    assert_eq!(processes.patches(), [patch(WEB, 0), patch(WORKER, 0)]);
    let store = FileProcessCounts::new(&dir);
    let base_url = server.url("/v1");
    assert_eq!(
        store.load(&base_url, &app).unwrap(),
        Some(StoppedCounts::from([
            (ProcessId::from(WEB), 3),
            (ProcessId::from(WORKER), 1)
        ]))
    );

    client_with_dir(&server, &dir)
        .start_app(&app)
        .await
        .unwrap();
    assert_eq!(processes.patches(), [patch(WEB, 3), patch(WORKER, 1)]);
    assert_eq!(
        store.load(&base_url, &app).unwrap(),
        None,
        "forgotten after the start"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn stop_saves_the_counts_before_the_first_patch() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/processes"));
            then.status(200)
                .body(reference("application-processes--list"));
        })
        .await;
    let patches = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path_prefix(format!("/v1/applications/{APP}/processes/"));
            then.status(404)
                .json_body(json!({"status": 404, "error": "Not Found"}));
        })
        .await;
    let dir = counts_dir("before-patch");
    let err = client_with_dir(&server, &dir)
        .stop_app(&AppId::from(APP))
        .await
        .unwrap_err();

    patches.assert_calls_async(1).await;
    assert_matches!(err, Error::NotFound { .. });
    assert_says!(
        err,
        &format!(
            "stopping app {APP}: 0 of 2 running processes were scaled to 0 before process web ({WEB}) failed"
        )
    );
    assert_eq!(
        FileProcessCounts::new(&dir)
            .load(&server.url("/v1"), &AppId::from(APP))
            .unwrap(),
        Some(StoppedCounts::from([
            (ProcessId::from(WEB), 2),
            (ProcessId::from(WORKER), 1)
        ]))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn start_without_a_known_count_uses_the_apps_instance_amount_or_one() {
    let server = MockServer::start_async().await;
    // Web is running; Worker was stopped elsewhere (this client saved nothing).
    let processes = Processes::serve(&server, &[(WEB, 2), (WORKER, 0)]).await;
    let get_app = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}"))
                .is_true(first(1));
            then.status(200).json_body(reference_app("online", 3));
        })
        .await;
    let client = user_client(&server);
    let app = AppId::from(APP);

    client.start_app(&app).await.unwrap();
    // The running process is left alone; the stopped one gets the app's instance_amount.
    assert_eq!(processes.patches(), [patch(WORKER, 3)]);
    get_app.assert_calls_async(1).await;

    // An app whose instance_amount is 0 starts the process with 1 instance.
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/applications/{APP}"));
            then.status(200).json_body(reference_app("online", 0));
        })
        .await;
    client
        .processes()
        .scale(&app, &ProcessId::from(WORKER), 0)
        .await
        .unwrap();
    processes.patches();
    client.start_app(&app).await.unwrap();
    assert_eq!(processes.patches(), [patch(WORKER, 1)]);
}
