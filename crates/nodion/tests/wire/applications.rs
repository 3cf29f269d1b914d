//! Applications: list, get, create, update, delete; project header rules.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{AppId, Error};
use nodal_nodion::{ApplicationStatus, CreateApplication, DeploymentStrategy, UpdateApplication};
use nodal_testkit::assert_matches;
use serde_json::json;

#[tokio::test]
async fn a_user_key_project_view_sends_the_project_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications")
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header_missing("content-type");
            then.status(200)
                .json_body(json!({"applications": [app_json(APP, "online")]}));
        })
        .await;

    let apps = user_view(&server).applications().list().await.unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].status, Some(ApplicationStatus::Online));
}

#[tokio::test]
async fn a_project_key_never_sends_the_project_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications")
                .header("authorization", project_auth())
                .header_missing("x-nodion-project");
            then.status(200).json_body(json!({"applications": []}));
        })
        .await;

    // Even a project view of a project key sends no header: the key is bound to its project.
    let view = project_client(&server).project(PROJECT);
    assert!(view.applications().list().await.unwrap().is_empty());
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn get_application_decodes_the_documented_shape() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200)
                .json_body(json!({"application": app_json(APP, "deploying")}));
        })
        .await;

    let app = user_view(&server)
        .applications()
        .get(&AppId::from(APP))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(app.id.as_str(), APP);
    assert_eq!(app.status, Some(ApplicationStatus::Deploying));
    assert_eq!(app.state.as_deref(), Some("running"));
    assert_eq!(app.instance_amount, Some(2));
    assert_eq!(app.region.as_ref().map(|r| r.slug.as_str()), Some("euc"));
    assert_eq!(
        app.deployment_strategy,
        Some(DeploymentStrategy::PrebuiltImage)
    );
    assert_eq!(app.container_registry_id, None);
    assert_eq!(app.image_tag.as_deref(), Some("1.4.2"));
    assert!(app.workers.is_empty());
}

#[tokio::test]
async fn unknown_status_words_and_null_collections_decode() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/applications/{APP}"));
            then.status(200).json_body(json!({"application": {
                "id": APP, "name": null, "status": "hibernating", "workers": null, "region": null
            }}));
        })
        .await;

    let app = user_client(&server)
        .applications()
        .get(&AppId::from(APP))
        .await
        .unwrap();

    assert_eq!(
        app.status,
        Some(ApplicationStatus::Other("hibernating".into()))
    );
    assert_eq!(app.name, "");
    assert!(app.workers.is_empty() && app.region.is_none());
}

#[tokio::test]
async fn create_application_sends_the_exact_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/applications")
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header("content-type", "application/json")
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

    let spec = CreateApplication::new("web-shop", REGION_EUC, TYPE_STARTER, 2)
        .image("ghcr.io/acme/web", Some("1.4.2"));
    let app = user_view(&server)
        .applications()
        .create(&spec)
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(app.status, Some(ApplicationStatus::Created));
}

#[tokio::test]
async fn create_git_application_sends_the_git_ids() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications").json_body(json!({
                "name": "api",
                "region_id": REGION_EUC,
                "instance_type_id": TYPE_STARTER,
                "instance_amount": 1,
                "integration_id": "int-1",
                "repository_id": "repo-1",
                "branch_id": "main-1"
            }));
            then.status(201)
                .json_body(json!({"application": app_json(APP, "created")}));
        })
        .await;

    let spec =
        CreateApplication::new("api", REGION_EUC, TYPE_STARTER, 1).git("int-1", "repo-1", "main-1");
    user_client(&server)
        .applications()
        .create(&spec)
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn invalid_create_and_update_bodies_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).json_body(json!({}));
        })
        .await;
    let client = user_client(&server);

    let cases = [
        (
            CreateApplication::new("", REGION_EUC, TYPE_STARTER, 1),
            "name",
        ),
        (
            CreateApplication::new("web", " ", TYPE_STARTER, 1),
            "region_id",
        ),
        (
            CreateApplication::new("web", REGION_EUC, TYPE_STARTER, 0),
            "instance_amount",
        ),
    ];
    for (spec, field) in cases {
        match client.applications().create(&spec).await.unwrap_err() {
            Error::InvalidInput { field: got, .. } => assert_eq!(got.as_deref(), Some(field)),
            other => panic!("unexpected {other:?}"),
        }
    }
    let err = client
        .applications()
        .update(&AppId::from(APP), &UpdateApplication::new())
        .await
        .unwrap_err();
    assert_matches!(err, Error::InvalidInput { .. });
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn update_application_patches_only_the_fields_set() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/applications/{APP}"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .json_body(json!({"name": "web-2", "image_tag": "1.5.0"}));
            then.status(200)
                .json_body(json!({"application": app_json(APP, "online")}));
        })
        .await;

    let update = UpdateApplication::new().name("web-2").image_tag("1.5.0");
    let app = user_view(&server)
        .applications()
        .update(&AppId::from(APP), &update)
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(app.id.as_str(), APP);
}

#[tokio::test]
async fn delete_application_accepts_204() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/v1/applications/{APP}"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header_missing("content-type");
            then.status(204);
        })
        .await;

    user_view(&server)
        .applications()
        .delete(&AppId::from(APP))
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn path_ids_are_encoded_and_never_change_the_path() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/applications/a%2Fb%3Fc");
            then.status(200)
                .json_body(json!({"application": app_json("a/b?c", "online")}));
        })
        .await;
    let app = user_client(&server)
        .applications()
        .get(&AppId::from("a/b?c"))
        .await
        .unwrap();
    assert_eq!(app.id.as_str(), "a/b?c");
    mock.assert_calls_async(1).await;
}
