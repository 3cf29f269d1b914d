//! Deployments: list, create with and without an image tag.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::AppId;
use nodal_nodion::{DeploymentStatus, DeploymentStrategy};
use serde_json::json;

#[tokio::test]
async fn list_deployments_decodes_the_documented_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/deployments"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200).json_body(json!({"deployments": [
                deployment_json("d-1", 1, "available"),
                {
                    "id": "d-2", "status": "waiting", "deploy_number": 2,
                    "git_sha": "9f8e7d", "commit_message": "Fix checkout",
                    "committer_name": "Ada", "committer_email": "ada@example.com",
                    "commit_timestamp": "2025-05-24T08:00:00Z", "strategy": "dockerfile",
                    "image_reference": null, "created_at": null, "updated_at": null
                }
            ]}));
        })
        .await;

    let deployments = user_view(&server)
        .deployments()
        .list(&AppId::from(APP))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(deployments[0].status, Some(DeploymentStatus::Available));
    assert_eq!(
        deployments[0].image_reference.as_deref(),
        Some("ghcr.io/acme/web:1")
    );
    let second = &deployments[1];
    assert_eq!(second.status, Some(DeploymentStatus::Waiting));
    assert_eq!(second.deploy_number, Some(2));
    assert_eq!(second.commit_message.as_deref(), Some("Fix checkout"));
    assert_eq!(second.committer_email.as_deref(), Some("ada@example.com"));
    assert_eq!(second.strategy, Some(DeploymentStrategy::Dockerfile));
    assert_eq!(second.image_reference, None);
}

#[tokio::test]
async fn create_deployment_with_an_image_tag_sends_it() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header("content-type", "application/json")
                .json_body(json!({"image_tag": "1.5.0"}));
            then.status(201)
                .json_body(json!({"deployment": deployment_json("d-3", 3, "created")}));
        })
        .await;

    let deployment = user_view(&server)
        .deployments()
        .create(&AppId::from(APP), Some("1.5.0"))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(deployment.status, Some(DeploymentStatus::Created));
    assert_eq!(deployment.id.as_str(), "d-3");
}

#[tokio::test]
async fn create_deployment_without_a_tag_sends_no_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"))
                .header("authorization", project_auth())
                .header_missing("content-type")
                .header_missing("x-nodion-project")
                .body("");
            then.status(201)
                .json_body(json!({"deployment": deployment_json("d-4", 4, "created")}));
        })
        .await;

    let deployment = project_client(&server)
        .deployments()
        .create(&AppId::from(APP), None)
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(deployment.deploy_number, Some(4));
}
