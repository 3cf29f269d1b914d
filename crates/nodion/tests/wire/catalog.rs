//! Regions, instance types and projects.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::Projects;
use nodal_testkit::assert_matches;
use serde_json::json;

#[tokio::test]
async fn regions_decode_the_seed_example_verbatim() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/regions")
                .header("authorization", user_auth())
                .header("accept", "application/json")
                .header_missing("content-type")
                .header_missing("x-nodion-project");
            then.status(200)
                .header("content-type", "application/json")
                .body(SEED_REGIONS);
        })
        .await;

    let regions = user_client(&server).catalog().regions().await.unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(regions.len(), 2);
    assert_eq!(regions[0].id, "5903725b-f554-4294-ab17-c992a765a001");
    assert_eq!(regions[0].name, "EU Central");
    assert_eq!(regions[0].slug, "euc");
    assert_eq!(regions[1].id, "5e4ce16b-7409-4bb4-849a-9aec0ec0c7af");
    assert_eq!(regions[1].name, "US East");
    assert_eq!(regions[1].slug, "use");
}

#[tokio::test]
async fn instance_types_decode_every_documented_field() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/instance_types")
                .header("authorization", user_auth());
            then.status(200).json_body(instance_types_json());
        })
        .await;

    let types = user_client(&server)
        .catalog()
        .instance_types()
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    let starter = &types[0];
    assert_eq!(starter.slug, "starter");
    assert_eq!(starter.category.as_deref(), Some("shared"));
    assert_eq!(starter.cpu, Some(0.5));
    assert_eq!(starter.mem, Some(512.0));
    assert_eq!(
        starter.price_month.as_ref().map(|p| p.as_str()),
        Some("5.0")
    );
    assert_eq!(
        starter.price_second.as_ref().map(|p| p.as_str()),
        Some("0.0000019")
    );
}

#[tokio::test]
async fn projects_list_through_the_typed_and_the_neutral_api() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/projects")
                .header("authorization", user_auth())
                .header_missing("x-nodion-project");
            then.status(200).json_body(json!({"projects": [
                {"id": PROJECT, "name": "shop", "created_at": "2025-01-01T00:00:00Z", "updated_at": null},
                {"id": OTHER_PROJECT, "name": "blog", "role": "owner"}
            ]}));
        })
        .await;
    let client = user_client(&server);

    let typed = client.projects().list().await.unwrap();
    assert_eq!(typed[0].name, "shop");
    assert_eq!(typed[1].created_at, None);

    let neutral = client.list_projects().await.unwrap();
    assert_eq!(neutral[1].id.as_str(), OTHER_PROJECT);
    assert_eq!(
        neutral[0].created_at.as_deref(),
        Some("2025-01-01T00:00:00Z")
    );

    let one = client.get_project(&PROJECT.into()).await.unwrap();
    assert_eq!(one.name, "shop");
    let missing = client.get_project(&"nope".into()).await.unwrap_err();
    assert_matches!(missing, nodal_core::Error::NotFound { .. });
    mock.assert_calls_async(4).await;
}
