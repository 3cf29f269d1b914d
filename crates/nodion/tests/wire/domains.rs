//! Domains: list, add, verify, delete.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::AppId;
use nodal_nodion::{DomainId, DomainStatus, DomainType, NewDomain};
use serde_json::json;

fn domain_json(status: &str) -> serde_json::Value {
    json!({
        "id": "dom-1", "status": status, "domain_type": "sub",
        "domain_name": "shop.example.com",
        "verification_code": "nodion-verification=4f2a",
        "created_at": "2025-05-24T08:07:10.509Z", "updated_at": "2025-05-24T08:07:10.509Z"
    })
}

#[tokio::test]
async fn list_domains_decodes_the_documented_shape() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/domains"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200)
                .json_body(json!({"domains": [domain_json("pending")]}));
        })
        .await;

    let domains = user_view(&server)
        .domains()
        .list(&AppId::from(APP))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(domains[0].domain_name, "shop.example.com");
    assert_eq!(domains[0].domain_type, Some(DomainType::Sub));
    assert_eq!(domains[0].status, Some(DomainStatus::Pending));
    assert_eq!(
        domains[0].verification_code.as_deref(),
        Some("nodion-verification=4f2a")
    );
}

#[tokio::test]
async fn add_domain_posts_name_and_type() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/domains"))
                .header("authorization", user_auth())
                .header("content-type", "application/json")
                .json_body(json!({"domain_name": "shop.example.com", "domain_type": "sub"}));
            then.status(201)
                .json_body(json!({"domain": domain_json("pending")}));
        })
        .await;

    let domain = user_client(&server)
        .domains()
        .create(
            &AppId::from(APP),
            &NewDomain::new("shop.example.com").domain_type(DomainType::Sub),
        )
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(domain.id.as_str(), "dom-1");
}

#[tokio::test]
async fn verify_domain_is_an_idempotent_post_without_body() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/domains/dom-1/verify"))
                .is_true(first(1));
            then.status(502);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/domains/dom-1/verify"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header_missing("content-type");
            then.status(200)
                .json_body(json!({"domain": domain_json("verified")}));
        })
        .await;

    let domain = user_view(&server)
        .domains()
        .verify(&AppId::from(APP), &DomainId::from("dom-1"))
        .await
        .unwrap();

    // Verify may be replayed: the 502 was retried.
    failing.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    assert_eq!(domain.status, Some(DomainStatus::Verified));
}

#[tokio::test]
async fn delete_domain_accepts_any_json_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/v1/applications/{APP}/domains/dom-1"))
                .header("authorization", user_auth());
            then.status(200).json_body(json!({"deleted": true}));
        })
        .await;

    user_client(&server)
        .domains()
        .delete(&AppId::from(APP), &DomainId::from("dom-1"))
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn connect_domain_is_idempotent_and_accepts_any_answer() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/domains/dom-1/connect"))
                .is_true(first(1));
            then.status(502);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/domains/dom-1/connect"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header_missing("content-type");
            then.status(200)
                .json_body(json!({"domain": domain_json("available")}));
        })
        .await;
    let empty = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/domains/dom-2/connect"))
                .header("authorization", user_auth());
            then.status(204);
        })
        .await;
    let other = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/domains/dom-3/connect"));
            then.status(200).json_body(json!({"connected": true}));
        })
        .await;
    let client = user_view(&server);
    let app = AppId::from(APP);

    let domain = client
        .domains()
        .connect(&app, &DomainId::from("dom-1"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(domain.status, Some(DomainStatus::Available));
    let none = client
        .domains()
        .connect(&app, &DomainId::from("dom-2"))
        .await
        .unwrap();
    assert_eq!(none, None);
    let none = client
        .domains()
        .connect(&app, &DomainId::from("dom-3"))
        .await
        .unwrap();
    assert_eq!(none, None);

    // Connect may be replayed: the 502 was retried.
    failing.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    empty.assert_calls_async(1).await;
    other.assert_calls_async(1).await;
}
