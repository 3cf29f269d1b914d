//! Instances (the reference's shape) and metrics (inferred shape).

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::AppId;
use nodal_nodion::InstanceStatus;
use serde_json::json;

#[tokio::test]
async fn instances_decode_the_reference_shape() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/instances"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200)
                .body(reference("application-instances--list"));
        })
        .await;
    let odd = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications/a-2/instances")
                .header("authorization", user_auth());
            then.status(200).json_body(json!({"instances": [
                {"id": 42, "status": "draining", "hypervisor_name": 16475,
                 "instance_type": {"id": "t", "cpu": "0.5", "mem": "1.0", "price_month": 4}}
            ]}));
        })
        .await;

    let instances = user_view(&server)
        .instances()
        .list(&AppId::from(APP))
        .await
        .unwrap();
    let other = user_view(&server)
        .instances()
        .list(&AppId::from("a-2"))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    odd.assert_calls_async(1).await;
    let i = &instances[0];
    assert_eq!(i.status, Some(InstanceStatus::Online));
    assert_eq!(i.name.as_deref(), Some("3e5ac35cc2"));
    assert_eq!(i.hypervisor_name.as_deref(), Some("16475"));
    assert_eq!(
        i.deployment.as_ref().and_then(|d| d.deploy_number),
        Some(38)
    );
    let t = i.instance_type.as_ref().unwrap();
    assert_eq!(t.mem, Some(0.5));
    assert_eq!(
        t.price_second.as_ref().unwrap().as_str(),
        "0.000001522070015"
    );
    // Numbers and number strings both decode; unknown words are kept.
    let o = &other[0];
    assert_eq!(o.id.as_str(), "42");
    assert_eq!(o.status, Some(InstanceStatus::Other("draining".into())));
    assert_eq!(o.hypervisor_name.as_deref(), Some("16475"));
    let t = o.instance_type.as_ref().unwrap();
    assert_eq!((t.cpu, t.mem), (Some(0.5), Some(1.0)));
    assert_eq!(t.price_month.as_ref().unwrap().as_str(), "4");
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
