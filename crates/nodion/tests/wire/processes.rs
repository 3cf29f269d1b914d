//! Processes: list and scale (inferred path).

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::AppId;
use nodal_nodion::ProcessId;
use serde_json::json;

#[tokio::test]
async fn list_processes_decodes_the_documented_shape() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/processes"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200)
                .json_body(json!({"processes": [process_json("p-1", 2)]}));
        })
        .await;

    let processes = user_view(&server)
        .processes()
        .list(&AppId::from(APP))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    let web = &processes[0];
    assert_eq!(web.name, "web");
    assert_eq!(web.instance_amount, Some(2));
    assert_eq!(web.entrypoint, None);
    assert_eq!(
        web.instance_type.as_ref().map(|t| t.slug.as_str()),
        Some("starter")
    );
    assert_eq!(web.ports[0].port, Some(8080));
    assert_eq!(web.ports[0].protocol.as_deref(), Some("http"));
}

#[tokio::test]
async fn scale_process_patches_the_instance_amount() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/applications/{APP}/processes/p-1"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header("content-type", "application/json")
                .json_body(json!({"instance_amount": 0}));
            then.status(200)
                .json_body(json!({"process": process_json("p-1", 0)}));
        })
        .await;

    let process = user_view(&server)
        .processes()
        .scale(&AppId::from(APP), &ProcessId::from("p-1"), 0)
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(process.instance_amount, Some(0));
}

#[tokio::test]
async fn scaling_is_idempotent_and_retried_after_a_503() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/applications/{APP}/processes/p-1"))
                .is_true(first(1));
            then.status(503);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/applications/{APP}/processes/p-1"))
                .json_body(json!({"instance_amount": 3}));
            then.status(200)
                .json_body(json!({"process": process_json("p-1", 3)}));
        })
        .await;

    user_client(&server)
        .processes()
        .scale(&AppId::from(APP), &ProcessId::from("p-1"), 3)
        .await
        .unwrap();
    failing.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}
