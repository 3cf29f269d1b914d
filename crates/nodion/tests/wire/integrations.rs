//! Git integrations, repositories and branches, and the git fields of an app update.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::AppId;
use nodal_nodion::{BranchId, GitService, IntegrationId, RepositoryId, UpdateApplication};
use serde_json::json;

const INTEGRATION: &str = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
const REPOSITORY: &str = "c3d4e5f6-a7b8-9012-cdef-123456789012";

#[tokio::test]
async fn integrations_repositories_and_branches() {
    let server = MockServer::start_async().await;
    let integrations = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/integrations")
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header_missing("content-type");
            then.status(200).body(reference("integrations--list"));
        })
        .await;
    let repositories = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/integrations/{INTEGRATION}/repositories"))
                .header("authorization", user_auth());
            then.status(200)
                .body(reference("integrations--repositories"));
        })
        .await;
    let branches = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!(
                    "/v1/integrations/{INTEGRATION}/repositories/{REPOSITORY}/branches"
                ))
                .header("authorization", user_auth());
            then.status(200).json_body(json!({"branches": [
                {"id": "br-1", "name": "main", "commit_sha": "abc"},
                {"id": "br-2", "name": "develop"}
            ]}));
        })
        .await;
    let client = user_view(&server);

    let found = client.integrations().list().await.unwrap();
    assert_eq!(found[0].id, IntegrationId::from(INTEGRATION));
    assert_eq!(found[0].service_type, Some(GitService::Github));
    let repos = client
        .integrations()
        .repositories(&found[0].id)
        .await
        .unwrap();
    assert_eq!(repos[0].id, RepositoryId::from(REPOSITORY));
    assert_eq!(repos[0].name, "my-frontend");
    let names: Vec<String> = client
        .integrations()
        .branches(&found[0].id, &repos[0].id)
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, ["main", "develop"]);

    integrations.assert_calls_async(1).await;
    repositories.assert_calls_async(1).await;
    branches.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_update_sends_only_the_git_fields_set() {
    let server = MockServer::start_async().await;
    let update = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/applications/{APP}"))
                .header("authorization", user_auth())
                .header("content-type", "application/json")
                .json_body(json!({
                    "integration_id": INTEGRATION,
                    "repository_id": REPOSITORY,
                    "branch_id": "br-2"
                }));
            then.status(200)
                .json_body(json!({"application": app_json(APP, "online")}));
        })
        .await;
    let partial = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/applications/{APP}"))
                .json_body(json!({"branch_id": "br-1"}));
            then.status(200)
                .json_body(json!({"application": app_json(APP, "online")}));
        })
        .await;
    let client = user_client(&server);
    let app = AppId::from(APP);

    let change = UpdateApplication::new().git(
        &IntegrationId::from(INTEGRATION),
        &RepositoryId::from(REPOSITORY),
        &BranchId::from("br-2"),
    );
    let updated = client.applications().update(&app, &change).await.unwrap();
    assert_eq!(updated.id, app);
    let change = UpdateApplication::new().branch_id(BranchId::from("br-1"));
    client.applications().update(&app, &change).await.unwrap();

    update.assert_calls_async(1).await;
    partial.assert_calls_async(1).await;
}
