//! Declared scopes and allow-lists: refused locally, nothing sent.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{AppId, Error};
use nodal_nodion::{NewEnvVariable, NodionClient, Scope};
use nodal_testkit::{assert_matches, assert_says};
use serde_json::json;

fn declared(server: &MockServer, scopes: &[Scope]) -> NodionClient {
    NodionClient::builder()
        .user_key(USER_KEY)
        .scopes(scopes.iter().copied())
        .allow_list([PROJECT])
        .base_url(server.url("/v1"))
        .retry(fast_retry())
        .rate_limit(fast_limit())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_client_declared_without_deploy_refuses_create_deployment_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201)
                .json_body(json!({"deployment": deployment_json("d-1", 1, "created")}));
        })
        .await;
    let client = declared(&server, &[Scope::Read, Scope::LogsRead]).project(PROJECT);

    let err = client
        .deployments()
        .create(&AppId::from(APP), Some("1.0"))
        .await
        .unwrap_err();

    any.assert_calls_async(0).await;
    match &err {
        Error::PermissionDenied { needed_scope, .. } => {
            assert_eq!(needed_scope.as_deref(), Some("deploy"));
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("declared with read + logs:read"), "{text}");
    assert_eq!(text.matches("scope deploy").count(), 1, "{text}");
    assert!(
        text.contains("POST /applications/{application_id}/deployments"),
        "{text}"
    );
    assert!(text.contains("nothing was sent"), "{text}");
}

#[tokio::test]
async fn declared_scopes_gate_env_reads_and_writes_but_let_allowed_calls_through() {
    let server = MockServer::start_async().await;
    let apps = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications")
                .header("x-nodion-project", PROJECT);
            then.status(200).json_body(json!({"applications": []}));
        })
        .await;
    let env = server
        .mock_async(|when, then| {
            when.path_includes("env_variables");
            then.status(200).json_body(json!({"env_variables": []}));
        })
        .await;
    let client = declared(&server, &[Scope::Read, Scope::Deploy]).project(PROJECT);
    let app = AppId::from(APP);

    assert!(client.applications().list().await.unwrap().is_empty());
    let read = client.env().list(&app).await.unwrap_err();
    assert_says!(read, "missing env:read");
    let write = client
        .env()
        .create(&app, &NewEnvVariable::new("K", "v".into()))
        .await
        .unwrap_err();
    assert_says!(write, "missing env:write");

    apps.assert_calls_async(1).await;
    env.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_project_outside_the_declared_allow_list_is_refused_locally() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"applications": []}));
        })
        .await;
    let client = declared(&server, &Scope::ALL);

    let err = client
        .project(OTHER_PROJECT)
        .applications()
        .list()
        .await
        .unwrap_err();
    assert_matches!(err, Error::PermissionDenied { .. });
    assert_says!(err, "allow-list");
    any.assert_calls_async(0).await;

    client.project(PROJECT).applications().list().await.unwrap();
    any.assert_calls_async(1).await;
}

#[tokio::test]
async fn scopes_and_allow_lists_belong_to_user_keys() {
    let err = NodionClient::builder()
        .project_key(PROJECT_KEY)
        .scopes([Scope::Read])
        .build()
        .unwrap_err();
    assert_matches!(err, Error::Config { .. });
    let err = NodionClient::builder()
        .project_key(PROJECT_KEY)
        .allow_list([PROJECT])
        .build()
        .unwrap_err();
    assert_says!(err, "user keys");
}
