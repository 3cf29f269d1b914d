//! Builder, environment configuration, redaction of the key.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{Endpoint, Error, Quota, RateLimit};
use nodal_nodion::{KeyKind, NodionClient, NodionClientBuilder, endpoints};
use nodal_testkit::{assert_matches, assert_says};
use serde_json::json;

fn vars(pairs: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }
}

#[tokio::test]
async fn from_vars_reads_key_base_url_and_project() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications")
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200).json_body(json!({"applications": []}));
        })
        .await;

    let client = NodionClientBuilder::from_vars(vars(vec![
        ("NODION_API_KEY", USER_KEY.into()),
        ("NODION_API_BASE_URL", server.url("/v1")),
        ("NODION_PROJECT", PROJECT.into()),
    ]))
    .unwrap()
    .build()
    .unwrap();

    assert_eq!(client.key_kind(), KeyKind::User);
    assert_eq!(client.selected_project().map(|p| p.as_str()), Some(PROJECT));
    client.applications().list().await.unwrap();
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn from_vars_with_a_project_key_never_sends_the_project() {
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

    let client = NodionClientBuilder::from_vars(vars(vec![
        ("NODION_API_KEY", PROJECT_KEY.into()),
        ("NODION_API_BASE_URL", server.url("/v1")),
        ("NODION_PROJECT", PROJECT.into()),
        ("NODION_KEY_KIND", "Project".into()),
    ]))
    .unwrap()
    .build()
    .unwrap();

    assert_eq!(client.key_kind(), KeyKind::Project);
    client.applications().list().await.unwrap();
    mock.assert_calls_async(1).await;
}

#[test]
fn bad_environments_are_config_errors_naming_the_variable() {
    let err = NodionClientBuilder::from_vars(vars(vec![])).err().unwrap();
    assert!(matches!(err, Error::Config { .. }));
    assert!(err.to_string().contains("NODION_API_KEY"));
    let err = NodionClientBuilder::from_vars(vars(vec![
        ("NODION_API_KEY", USER_KEY.into()),
        ("NODION_KEY_KIND", "admin".into()),
    ]))
    .err()
    .unwrap();
    assert_says!(err, "NODION_KEY_KIND");
    let err = NodionClientBuilder::from_vars(vars(vec![
        ("NODION_API_KEY", USER_KEY.into()),
        ("NODION_API_BASE_URL", "http://api.example.com/v1".into()),
    ]))
    .unwrap()
    .build()
    .unwrap_err();
    assert_says!(err, "https");
}
#[test]
fn defaults_and_missing_keys() {
    let client = NodionClient::builder().user_key(USER_KEY).build().unwrap();
    assert_eq!(client.base_url(), "https://api.nodion.com/v1");
    assert_eq!(client.declared_scopes(), None);
    assert!(client.allow_list().is_empty());
    let err = NodionClient::builder().build().unwrap_err();
    assert_says!(err, "user_key");
    let err = NodionClient::builder()
        .user_key(format!("{USER_KEY}\n"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    assert!(!err.to_string().contains(USER_KEY));
}
#[test]
fn debug_output_never_shows_the_key() {
    let builder = NodionClient::builder().user_key(USER_KEY).project(PROJECT);
    let shown_builder = format!("{builder:?}");
    let client = builder.build().unwrap();
    let view = client.project(OTHER_PROJECT);
    let project_key = NodionClient::builder()
        .project_key(PROJECT_KEY)
        .build()
        .unwrap();
    for shown in [
        shown_builder,
        format!("{client:?}"),
        format!("{view:?}"),
        format!("{client:#?}"),
        format!("{project_key:?}"),
    ] {
        assert!(!shown.contains(USER_KEY), "{shown}");
        assert!(!shown.contains(PROJECT_KEY), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
}
#[test]
fn quotas_take_endpoint_rows_and_an_endpoint_nodion_lacks_is_refused() {
    let limits = RateLimit::new(Quota::per_second(5))
        .with_endpoint(endpoints::CREATE_DEPLOYMENT, Quota::per_minute(6));
    NodionClient::builder()
        .user_key(USER_KEY)
        .rate_limit(limits)
        .build()
        .unwrap();
    let typo =
        RateLimit::unlimited().with_endpoint(Endpoint::post("/aplications"), Quota::per_second(1));
    let err = NodionClient::builder()
        .user_key(USER_KEY)
        .rate_limit(typo)
        .build()
        .unwrap_err();
    assert_matches!(err, Error::Config { .. });
    assert_says!(err, "POST /aplications");
}
