//! The neutral traits: capabilities, create_app, start/stop/restart, deploy, waiting.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{
    App, AppId, AppSpec, AppStatus, Apps, DeployOptions, DeploymentStatus, Deployments, Error,
    Provider, WaitOptions,
};
use nodal_testkit::{assert_matches, assert_says};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

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
}

#[tokio::test]
async fn a_failing_env_variable_is_named_without_its_value() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.status(201)
                .json_body(json!({"application": app_json(APP, "created")}));
        })
        .await;
    let env = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/env_variables"));
            then.status(403)
                .json_body(json!({"status": 403, "error": "Forbidden"}));
        })
        .await;

    let spec = AppSpec::from_image("nginx")
        .name("web")
        .region(REGION_EUC)
        .instance_type(TYPE_STARTER)
        .env("DATABASE_URL", "postgres://u:hunter2-canary@h/db");
    let err = user_client(&server).create_app(&spec).await.unwrap_err();

    env.assert_calls_async(1).await;
    let text = format!("{err} {err:?}");
    assert!(text.contains("DATABASE_URL"), "{text}");
    assert!(text.contains("env:write"), "{text}");
    assert!(text.contains("was created"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
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
async fn stop_and_start_scale_every_process() {
    let server = MockServer::start_async().await;
    let app_url = format!("/v1/applications/{APP}");
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path(app_url.clone());
            then.status(200)
                .json_body(json!({"application": app_json(APP, "offline")}));
        })
        .await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{app_url}/processes"));
            then.status(200).json_body(json!({"processes": [
                process_json("p-1", 2), process_json("p-2", 2)
            ]}));
        })
        .await;
    let mut stops = Vec::new();
    let mut starts = Vec::new();
    for p in ["p-1", "p-2"] {
        stops.push(
            server
                .mock_async(|when, then| {
                    when.method(PATCH)
                        .path(format!("{app_url}/processes/{p}"))
                        .header("x-nodion-project", PROJECT)
                        .json_body(json!({"instance_amount": 0}));
                    then.status(200)
                        .json_body(json!({"process": process_json(p, 0)}));
                })
                .await,
        );
        starts.push(
            server
                .mock_async(|when, then| {
                    when.method(PATCH)
                        .path(format!("{app_url}/processes/{p}"))
                        .json_body(json!({"instance_amount": 2}));
                    then.status(200)
                        .json_body(json!({"process": process_json(p, 2)}));
                })
                .await,
        );
    }
    let client = user_view(&server);

    client.stop_app(&AppId::from(APP)).await.unwrap();
    client.start_app(&AppId::from(APP)).await.unwrap();

    for mock in stops.iter().chain(&starts) {
        mock.assert_calls_async(1).await;
    }
    get.assert_calls_async(1).await; // only start needs the app's instance_amount
    list.assert_calls_async(2).await;
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
