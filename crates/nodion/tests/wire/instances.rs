//! Instances and metrics (inferred shapes).

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::AppId;
use nodal_nodion::{ProcessId, RegionRef};
use serde_json::json;

#[tokio::test]
async fn instances_decode_the_inferred_shape() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/instances"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200).json_body(json!({"instances": [
                {"id": "i-1", "status": "running", "process_id": "p-1", "region": "euc",
                 "created_at": "2025-05-24T08:07:10.509Z"},
                {"id": 42, "status": null, "region": {"id": REGION_EUC, "name": "EU Central", "slug": "euc"}}
            ]}));
        })
        .await;

    let instances = user_view(&server)
        .instances()
        .list(&AppId::from(APP))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(instances[0].process_id, Some(ProcessId::from("p-1")));
    assert_eq!(instances[0].region, Some(RegionRef::Name("euc".into())));
    assert_eq!(instances[1].id.as_str(), "42");
    assert!(matches!(instances[1].region, Some(RegionRef::Region(_))));
}

#[tokio::test]
async fn metrics_are_a_free_form_object() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/metrics"))
                .header("authorization", user_auth());
            then.status(200).json_body(json!({"metrics": {
                "cpu_percent": 12.5, "memory_mb": 256, "collected_at": "2025-05-24T08:07:00Z"
            }}));
        })
        .await;

    let metrics = user_client(&server)
        .instances()
        .metrics(&AppId::from(APP))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(metrics.number("cpu_percent"), Some(12.5));
    assert_eq!(metrics.number("memory_mb"), Some(256.0));
    assert_eq!(
        metrics.get("collected_at").and_then(|v| v.as_str()),
        Some("2025-05-24T08:07:00Z")
    );
}
