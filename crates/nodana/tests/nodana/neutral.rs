//! The neutral `Provider` traits on Nodana, and waiting for an app, against a mock server.

use crate::common::*;
use httpmock::HttpMockRequest;
use httpmock::prelude::*;
use nodal_core::{AppStatus, Apps, DeployOptions, DeploymentStatus, Error, Provider, WaitOptions};
use nodal_core::{Quota, RateLimit};
use nodal_nodana::NodanaClient;
use nodal_testkit::first;
use nodal_testkit::{assert_matches, assert_says};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn provider(server: &MockServer) -> Arc<dyn Provider> {
    Arc::new(client(server))
}

#[tokio::test]
async fn list_apps_without_a_project_lists_every_projects_apps() {
    let server = MockServer::start_async().await;
    let mut p2 = seed_project();
    p2["id"] = json!("prj-2");
    let projects = server
        .mock_async(|when, then| {
            get(when, "/v1/projects");
            then.status(200)
                .json_body(data(json!([seed_project(), p2])));
        })
        .await;
    let apps1 = server
        .mock_async(|when, then| {
            get(when, "/v1/projects/prj-5fd3/apps");
            then.status(200)
                .json_body(data(json!([seed_app("app-1", "running")])));
        })
        .await;
    let apps2 = server
        .mock_async(|when, then| {
            get(when, "/v1/projects/prj-2/apps");
            then.status(200)
                .json_body(data(json!([seed_app("app-2", "cordoned")])));
        })
        .await;
    let apps = provider(&server).list_apps(None).await.unwrap();
    projects.assert_calls_async(1).await;
    apps1.assert_calls_async(1).await;
    apps2.assert_calls_async(1).await;
    let summary: Vec<(&str, &AppStatus, &str)> = apps
        .iter()
        .map(|a| (a.id.as_str(), &a.status, a.raw_status.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("app-1", &AppStatus::Running, "running"),
            ("app-2", &AppStatus::Stopped, "cordoned")
        ]
    );
    assert_eq!(apps[0].source.as_deref(), Some("template-name"));
    assert_eq!(apps[0].name, None);
}

#[tokio::test]
async fn project_operations_through_the_neutral_traits() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            post_json(when, "/v1/projects", json!({"name": "lab"}));
            then.status(200)
                .json_body(data(json!({"id": "prj-9", "name": "lab"})));
        })
        .await;
    let rename = server
        .mock_async(|when, then| {
            post_json(when, "/v1/projects/prj-9/update", json!({"name": "lab 2"}));
            then.status(200)
                .json_body(data(json!({"id": "prj-9", "updated": true})));
        })
        .await;
    let get_one = server
        .mock_async(|when, then| {
            get(when, "/v1/projects/prj-9");
            then.status(200).json_body(data(
                json!({"id": "prj-9", "name": "lab 2", "createdAt": "2025-05-01T07:46:12.368Z"}),
            ));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            post_action(when, "/v1/projects/prj-9/delete");
            then.status(200)
                .json_body(data(json!({"id": "prj-9", "deleted": true})));
        })
        .await;
    let provider = provider(&server);
    let project = provider.create_project("lab").await.unwrap();
    assert_eq!(project.id.as_str(), "prj-9");
    provider.rename_project(&project.id, "lab 2").await.unwrap();
    let fetched = provider.get_project(&project.id).await.unwrap();
    assert_eq!(fetched.name, "lab 2");
    assert_eq!(
        fetched.created_at.as_deref(),
        Some("2025-05-01T07:46:12.368Z")
    );
    provider.delete_project(&project.id).await.unwrap();
    for mock in [create, rename, get_one, delete] {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn app_actions_through_the_neutral_traits() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for action in ["start", "stop", "restart", "delete"] {
        let path = format!("/v1/apps/app-1/{action}");
        mocks.push(
            server
                .mock_async(|when, then| {
                    post_action(when, &path);
                    then.status(200).json_body(data(json!({"id": "app-1"})));
                })
                .await,
        );
    }
    let provider = provider(&server);
    let id = "app-1".into();
    provider.start_app(&id).await.unwrap();
    provider.stop_app(&id).await.unwrap();
    provider.restart_app(&id).await.unwrap();
    provider.delete_app(&id).await.unwrap();
    for mock in mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn deploy_updates_the_app_and_refuses_an_image_tag() {
    let server = MockServer::start_async().await;
    let update = server
        .mock_async(|when, then| {
            post_action(when, "/v1/apps/app-1/update");
            then.status(200).json_body(data(json!({
                "id": "app-1", "image": "nodana/phoenixd:0.2.0", "version": "0.2.0"
            })));
        })
        .await;
    let provider = provider(&server);
    let err = provider
        .deploy(&"app-1".into(), &DeployOptions::new().image_tag("v9"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field: Some(f), .. } if f == "image_tag"),
        "{err:?}"
    );
    update.assert_calls_async(0).await;
    assert!(!provider.capabilities().deploy_image_tag);

    let deployment = provider
        .deploy(&"app-1".into(), &DeployOptions::new())
        .await
        .unwrap();
    update.assert_calls_async(1).await;
    assert_eq!(deployment.version.as_deref(), Some("0.2.0"));
    assert_eq!(deployment.app.as_str(), "app-1");
    assert_eq!(deployment.status, DeploymentStatus::InProgress);
}

#[tokio::test]
async fn deployments_are_the_apps_services() {
    let server = MockServer::start_async().await;
    let mut pending = seed_service();
    pending["id"] = json!("svc-2");
    pending["status"] = json!("pending");
    pending["service"] = json!("postgres");
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1234/services");
            then.status(200)
                .json_body(data(json!([seed_service(), pending])));
        })
        .await;
    let deployments = provider(&server)
        .list_deployments(&"app-1234".into())
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(deployments.len(), 2);
    assert_eq!(deployments[0].id.as_str(), "svc-1234");
    assert_eq!(deployments[0].status, DeploymentStatus::Available);
    assert_eq!(deployments[0].version.as_deref(), Some("0.1.0"));
    assert_eq!(deployments[0].description.as_deref(), Some("service-name"));
    assert_eq!(deployments[1].status, DeploymentStatus::InProgress);
    assert_eq!(deployments[1].raw_status, "pending");
}

#[tokio::test]
async fn an_app_without_a_status_is_waited_for_not_failed() {
    let server = MockServer::start_async().await;
    let mut no_status = seed_app("app-1", "pending");
    no_status["status"] = json!(null);
    let unknown = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1").is_true(first(1));
            then.status(200).json_body(data(no_status));
        })
        .await;
    let available = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1");
            then.status(200)
                .json_body(data(seed_app("app-1", "available")));
        })
        .await;
    let mut seen = Vec::new();
    let mut report = |app: &nodal_core::App, _waited: Duration| {
        seen.push((app.status.clone(), app.raw_status.clone()));
    };
    let app = client(&server)
        .wait_until_available_with(
            &"app-1".into(),
            WaitOptions::new(Duration::from_secs(5)).with_interval(Duration::from_millis(20)),
            Some(&mut report),
        )
        .await
        .unwrap();
    assert_eq!(app.status, AppStatus::Running);
    assert_eq!(seen, [(AppStatus::Other("unknown".into()), String::new())]);
    unknown.assert_calls_async(1).await;
    available.assert_calls_async(1).await;
}

#[tokio::test]
async fn wait_until_available_polls_until_available_and_reports_progress() {
    let server = MockServer::start_async().await;
    let pending = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1").is_true(first(2));
            then.status(200)
                .json_body(data(seed_app("app-1", "pending")));
        })
        .await;
    let available = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1");
            then.status(200)
                .json_body(data(seed_app("app-1", "available")));
        })
        .await;
    let client = client(&server);
    let mut seen = Vec::new();
    let app = client
        .apps()
        .wait_until_available_with(
            &"app-1".into(),
            WaitOptions::new(Duration::from_secs(5)).with_interval(Duration::from_millis(20)),
            |app, _elapsed| seen.push(app.status_word().to_owned()),
        )
        .await
        .unwrap();
    assert!(app.is_available());
    assert_eq!(seen, ["pending", "pending"]);
    pending.assert_calls_async(2).await;
    available.assert_calls_async(1).await;

    // The neutral form gives the normalised status.
    let neutral = client
        .wait_until_available(&"app-1".into(), Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(neutral.status, AppStatus::Running);
}

#[tokio::test]
async fn the_neutral_wait_reports_progress_through_dyn_provider() {
    let server = MockServer::start_async().await;
    let pending = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1").is_true(first(2));
            then.status(200)
                .json_body(data(seed_app("app-1", "pending")));
        })
        .await;
    let available = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1");
            then.status(200)
                .json_body(data(seed_app("app-1", "available")));
        })
        .await;
    let provider = provider(&server);
    let mut seen = Vec::new();
    let mut record = |app: &nodal_core::App, _waited: Duration| {
        seen.push((app.status.clone(), app.raw_status.clone()));
    };
    let app = provider
        .wait_until_available_with(
            &"app-1".into(),
            WaitOptions::new(Duration::from_secs(5)).with_interval(Duration::from_millis(20)),
            Some(&mut record),
        )
        .await
        .unwrap();
    assert_eq!(app.status, AppStatus::Running);
    assert_eq!(app.source.as_deref(), Some("template-name"));
    assert_eq!(
        seen,
        [
            (AppStatus::Pending, "pending".to_owned()),
            (AppStatus::Pending, "pending".to_owned())
        ]
    );
    pending.assert_calls_async(2).await;
    available.assert_calls_async(1).await;
}

#[tokio::test]
async fn wait_ends_early_for_a_deleted_app_and_times_out_naming_the_last_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-del");
            then.status(200)
                .json_body(data(seed_app("app-del", "deleted")));
        })
        .await;
    server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-slow");
            then.status(200)
                .json_body(data(seed_app("app-slow", "cordoned")));
        })
        .await;
    let client = client(&server);
    let start = Instant::now();
    let deleted = client
        .apps()
        .wait_until_available(&"app-del".into(), Duration::from_secs(30))
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_matches!(deleted, Error::Conflict { .. });
    assert_says!(deleted, "deleted");

    let timeout = client
        .apps()
        .wait_until_available_with(
            &"app-slow".into(),
            WaitOptions::new(Duration::from_millis(200)).with_interval(Duration::from_millis(20)),
            |_, _| {},
        )
        .await
        .unwrap_err();
    assert_matches!(timeout, Error::Timeout { .. });
    assert_says!(timeout, "status `cordoned`");
}

#[tokio::test]
async fn wait_never_polls_faster_than_the_rate_limit() {
    let server = MockServer::start_async().await;
    let times: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let record = times.clone();
    server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1").is_true(move |_: &HttpMockRequest| {
                record.lock().unwrap().push(Instant::now());
                true
            });
            then.status(200)
                .json_body(data(seed_app("app-1", "pending")));
        })
        .await;
    let client = NodanaClient::builder()
        .api_key(KEY)
        .base_url(server.url("/v1"))
        .rate_limit(RateLimit::new(Quota::per_second(10)))
        .build()
        .unwrap();
    let err = client
        .apps()
        .wait_until_available_with(
            &"app-1".into(),
            WaitOptions::new(Duration::from_millis(650)).with_interval(Duration::from_millis(1)),
            |_, _| {},
        )
        .await
        .unwrap_err();
    assert_matches!(err, Error::Timeout { .. });
    let times = times.lock().unwrap();
    // 650 ms at one poll per 100 ms: at most 7 polls, not hundreds.
    assert!(
        times.len() >= 2 && times.len() <= 8,
        "{} polls",
        times.len()
    );
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(90),
            "{:?}",
            pair[1] - pair[0]
        );
    }
}

#[tokio::test]
async fn capabilities_match_what_the_adapter_does() {
    let server = MockServer::start_async().await;
    let provider = provider(&server);
    let caps = provider.capabilities();
    assert_eq!(provider.name(), "nodana");
    assert!(caps.create_project && caps.delete_project && caps.app_from_template);
    assert!(caps.app_credentials && caps.deploy && caps.list_deployments);
    assert!(!caps.app_from_image && !caps.app_from_git && !caps.app_env);
    assert!(caps.deploy_starts_stopped_app);
}

#[tokio::test]
async fn create_app_says_when_nodana_created_a_project() {
    let server = MockServer::start_async().await;
    let answer = |project: &str| {
        data(json!({"projectId": project, "id": "app-9", "url": "https://n.nodana.app:8080"}))
    };
    let own = server
        .mock_async(|when, then| {
            post_json(
                when,
                "/v1/apps",
                json!({"project_id": "prj-5fd3", "template": "lnbits"}),
            );
            then.status(200).json_body(answer("prj-5fd3"));
        })
        .await;
    let client = client(&server);
    let in_project = nodal_core::AppSpec::from_template("lnbits").project("prj-5fd3");
    let created = client.create_app(&in_project).await.unwrap();
    own.assert_calls_async(1).await;
    assert_eq!(
        created.created_project, None,
        "an existing project was used"
    );
    own.delete_async().await;

    let fresh = server
        .mock_async(|when, then| {
            post_json(when, "/v1/apps", json!({"template": "lnbits"}));
            then.status(200).json_body(answer("prj-new"));
        })
        .await;
    let created = client
        .create_app(&nodal_core::AppSpec::from_template("lnbits"))
        .await
        .unwrap();
    fresh.assert_calls_async(1).await;
    assert_eq!(
        created.created_project.as_ref().map(|p| p.as_str()),
        Some("prj-new")
    );
    assert_eq!(created.app.project, created.created_project);
}

#[tokio::test]
async fn create_app_sends_an_unlisted_param_only_when_allowed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(
                when,
                "/v1/apps",
                json!({"project_id": "prj-5fd3", "template": "phoenixd",
                       "params": {"auto_liquidity": "5m", "new_knob": "on"}}),
            );
            then.status(200).json_body(data(json!({
                "projectId": "prj-5fd3", "id": "app-9", "url": "https://n.nodana.app:8080",
                "seedPhrase": "abandon ability able"
            })));
        })
        .await;
    let client = client(&server);
    let spec = nodal_core::AppSpec::from_template("phoenixd")
        .param("auto_liquidity", "5m")
        .param("new_knob", "on")
        .project("prj-5fd3");

    let refused = client.create_app(&spec).await.unwrap_err();
    assert_matches!(refused, Error::InvalidInput { field: Some(f), .. } if f == "new_knob");
    assert_says!(refused, "auto_liquidity, webhook");
    mock.assert_calls_async(0).await;

    let created = client
        .create_app_allowing_unknown_params(&spec)
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(created.app.id.as_str(), "app-9");
    assert_eq!(created.app.source.as_deref(), Some("phoenixd"));
    assert_eq!(created.app.status, AppStatus::Pending);
    assert_eq!(
        created.credentials.expose("seedPhrase"),
        Some("abandon ability able")
    );

    // The listed parameters are still checked.
    let bad = nodal_core::AppSpec::from_template("phoenixd")
        .param("auto_liquidity", "1h")
        .param("new_knob", "on");
    let err = client
        .create_app_allowing_unknown_params(&bad)
        .await
        .unwrap_err();
    assert_matches!(err, Error::InvalidInput { field: Some(f), .. } if f == "auto_liquidity");
    mock.assert_calls_async(1).await;
}
