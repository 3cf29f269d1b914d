//! Status codes and error bodies → errors; retries and idempotency.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{AppId, Error};
use nodal_nodion::{CreateApplication, DnsZoneId, NewEnvVariable};
use nodal_testkit::{assert_matches, assert_says};
use serde_json::json;
use std::time::{Duration, Instant, SystemTime};

#[tokio::test]
async fn unauthorized_says_the_token_may_be_missing_malformed_or_expired() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/applications");
            then.status(401)
                .json_body(json!({"status": 401, "error": "Unauthorized"}));
        })
        .await;

    let err = user_client(&server)
        .applications()
        .list()
        .await
        .unwrap_err();

    mock.assert_calls_async(1).await; // not retried
    assert_matches!(err, Error::Unauthenticated { .. });
    let text = format!("{err} {err:?}");
    assert!(text.contains("Unauthorized"), "{text}");
    assert!(!text.contains(USER_KEY), "{text}");
    // The advice comes from core's message, once.
    let shown = err.to_string();
    assert!(shown.contains("missing, malformed, expired"), "{shown}");
    assert_eq!(shown.matches("malformed").count(), 1, "{shown}");
}

#[tokio::test]
async fn forbidden_deploy_names_the_deploy_scope_and_the_allow_list() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.status(403)
                .json_body(json!({"status": 403, "error": "Forbidden"}));
        })
        .await;

    let err = user_view(&server)
        .deployments()
        .create(&AppId::from(APP), None)
        .await
        .unwrap_err();

    mock.assert_calls_async(1).await;
    match &err {
        Error::PermissionDenied { needed_scope, .. } => {
            assert_eq!(needed_scope.as_deref(), Some("deploy"));
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("needs scope deploy"), "{text}");
    assert_eq!(text.matches("scope deploy").count(), 1, "{text}");
    assert!(text.contains("allow-list"), "{text}");
    assert!(text.contains("Forbidden"), "{text}");
}

#[tokio::test]
async fn forbidden_env_calls_name_the_env_scopes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path(format!("/v1/applications/{APP}/env_variables"));
            then.status(403)
                .json_body(json!({"status": 403, "error": "Forbidden"}));
        })
        .await;
    let client = user_client(&server);
    let app = AppId::from(APP);

    let write = client
        .env()
        .create(&app, &NewEnvVariable::new("TOKEN", "canary-value".into()))
        .await
        .unwrap_err();
    assert_says!(write, "env:write");
    assert!(!format!("{write} {write:?}").contains("canary-value"));

    let read = client.env().list(&app).await.unwrap_err();
    match read {
        Error::PermissionDenied { needed_scope, .. } => {
            assert_eq!(needed_scope.as_deref(), Some("read + env:read"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn forbidden_for_a_project_key_does_not_blame_scopes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/applications/{APP}"));
            then.status(403)
                .json_body(json!({"status": 403, "error": "Forbidden"}));
        })
        .await;
    let err = project_client(&server)
        .applications()
        .get(&AppId::from(APP))
        .await
        .unwrap_err();
    assert_matches!(
        err,
        Error::PermissionDenied {
            needed_scope: None,
            ..
        }
    );
    assert!(
        err.to_string()
            .contains("project API keys are not scope-gated")
    );
}

#[tokio::test]
async fn not_found_keeps_the_providers_words_and_the_endpoint() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/applications/{APP}"));
            then.status(404)
                .json_body(json!({"status": 404, "error": "Not Found"}));
        })
        .await;

    let err = user_client(&server)
        .applications()
        .get(&AppId::from(APP))
        .await
        .unwrap_err();

    assert_matches!(err, Error::NotFound { .. });
    let text = err.to_string();
    assert!(text.contains("Not Found"), "{text}");
    // The request path names the endpoint, once.
    assert_eq!(
        text.matches("GET /applications/{application_id}").count(),
        1,
        "{text}"
    );
}

#[tokio::test]
async fn validation_errors_carry_every_provider_message_and_are_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.status(422).json_body(json!({"errors": [
                "Name has already been taken", "Instance type must exist"
            ]}));
        })
        .await;

    let err = user_client(&server)
        .applications()
        .create(&CreateApplication::new("web", REGION_EUC, "t-x", 1))
        .await
        .unwrap_err();

    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::InvalidInput { field: None, .. });
    let text = err.to_string();
    assert!(
        text.contains("Name has already been taken; Instance type must exist"),
        "{text}"
    );
}

#[tokio::test]
async fn bad_request_400_is_invalid_input_too() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/dns_zones");
            then.status(400)
                .json_body(json!({"errors": ["Request body is not valid JSON"]}));
        })
        .await;
    let err = user_client(&server)
        .dns()
        .create_zone("example.com")
        .await
        .unwrap_err();
    assert_matches!(err, Error::InvalidInput { .. });
    assert!(err.to_string().contains("Request body is not valid JSON"));
}

#[tokio::test]
async fn a_get_answered_429_waits_for_retry_after_and_is_retried() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/regions").is_true(first(1));
            then.status(429)
                .header("retry-after", "1")
                .json_body(json!({"status": 429, "error": "Too Many Requests"}));
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/regions");
            then.status(200).body(SEED_REGIONS);
        })
        .await;

    let start = Instant::now();
    let regions = user_client(&server).catalog().regions().await.unwrap();
    let waited = start.elapsed();

    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    assert_eq!(regions.len(), 2);
    assert!(waited >= Duration::from_millis(950), "waited {waited:?}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
}

#[tokio::test]
async fn retry_after_may_be_an_http_date() {
    let server = MockServer::start_async().await;
    let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/projects");
            then.status(429)
                .header("retry-after", later)
                .json_body(json!({"status": 429, "error": "Too Many Requests"}));
        })
        .await;

    let err = user_client(&server).projects().list().await.unwrap_err();

    // An hour is beyond the client's max_retry_after: returned, not waited out.
    limited.assert_calls_async(1).await;
    let wait = err.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
    assert!(matches!(err, Error::RateLimited { .. }));
    assert!(err.to_string().contains("Too Many Requests"));
}
#[tokio::test]
async fn create_application_answered_503_is_not_retried() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/applications");
            then.status(503).body("Service Unavailable");
        })
        .await;
    let err = user_client(&server)
        .applications()
        .create(&CreateApplication::new("web", REGION_EUC, TYPE_STARTER, 1))
        .await
        .unwrap_err();
    create.assert_calls_async(1).await;
    assert_matches!(err, Error::Server { status: 503, .. });
    assert_says!(err, "may have been performed");
}

#[tokio::test]
async fn server_errors_on_gets_are_retried_then_reported() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/applications");
            then.status(500).body("<html>Internal Server Error</html>");
        })
        .await;

    let err = user_client(&server)
        .applications()
        .list()
        .await
        .unwrap_err();

    failing.assert_calls_async(3).await;
    assert_matches!(err, Error::Server { status: 500, .. });
    assert_says!(err, "gave up after 3 attempts");
}

#[tokio::test]
async fn a_get_answered_500_then_200_succeeds() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/deployments"))
                .is_true(first(1));
            then.status(500);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/deployments"));
            then.status(200).json_body(json!({"deployments": []}));
        })
        .await;
    let deployments = user_client(&server)
        .deployments()
        .list(&AppId::from(APP))
        .await
        .unwrap();
    assert!(deployments.is_empty());
    failing.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn conflicts_and_undecodable_answers_are_reported() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/v1/dns_zones/z-1");
            then.status(409)
                .json_body(json!({"error": "Zone still has records"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/dns_zones");
            then.status(200)
                .json_body(json!({"zones": [{"id": "z-1", "secret": "do-not-echo"}]}));
        })
        .await;
    let client = user_client(&server);

    let err = client
        .dns()
        .delete_zone(&DnsZoneId::from("z-1"))
        .await
        .unwrap_err();
    assert_matches!(err, Error::Conflict { .. });
    assert!(err.to_string().contains("Zone still has records"));

    let err = client.dns().list_zones().await.unwrap_err();
    assert_matches!(err, Error::Decode { .. });
    let text = format!("{err} {err:?}");
    assert!(text.contains("dns_zones"), "{text}");
    assert!(!text.contains("do-not-echo"), "{text}");
}
