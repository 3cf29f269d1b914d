//! Status codes and error bodies → errors; retries and idempotency.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{AppId, Error};
use nodal_nodion::{CreateApplication, NewEnvVariable};
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

    let err = user_client(&server).applications().await.unwrap_err();

    mock.assert_calls_async(1).await; // not retried
    assert!(matches!(err, Error::Unauthenticated { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(text.contains("Unauthorized"), "{text}");
    assert!(text.contains("missing, malformed or expired"), "{text}");
    assert!(!text.contains(USER_KEY), "{text}");
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
        .create_deployment(&AppId::from(APP), None)
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
        .create_env_variable(&app, &NewEnvVariable::new("TOKEN", "canary-value".into()))
        .await
        .unwrap_err();
    assert!(write.to_string().contains("env:write"), "{write}");
    assert!(!format!("{write} {write:?}").contains("canary-value"));

    let read = client.env_variables(&app).await.unwrap_err();
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
        .application(&AppId::from(APP))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::PermissionDenied {
                needed_scope: None,
                ..
            }
        ),
        "{err:?}"
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
        .application(&AppId::from(APP))
        .await
        .unwrap_err();

    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("Not Found"), "{text}");
    assert!(
        text.contains("GET /applications/{application_id}"),
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
        .create_application(&CreateApplication::new("web", REGION_EUC, "t-x", 1))
        .await
        .unwrap_err();

    mock.assert_calls_async(1).await;
    assert!(
        matches!(err, Error::InvalidInput { field: None, .. }),
        "{err:?}"
    );
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
        .create_dns_zone("example.com")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
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
    let regions = user_client(&server).regions().await.unwrap();
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

    let err = user_client(&server).projects().await.unwrap_err();

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
        .create_application(&CreateApplication::new("web", REGION_EUC, TYPE_STARTER, 1))
        .await
        .unwrap_err();

    create.assert_calls_async(1).await;
    assert!(matches!(err, Error::Server { status: 503, .. }), "{err:?}");
    assert!(err.to_string().contains("may have been performed"), "{err}");
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

    let err = user_client(&server).applications().await.unwrap_err();

    failing.assert_calls_async(3).await;
    assert!(matches!(err, Error::Server { status: 500, .. }), "{err:?}");
    assert!(
        err.to_string().contains("gave up after 3 attempts"),
        "{err}"
    );
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
        .deployments(&AppId::from(APP))
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

    let err = client.delete_dns_zone("z-1").await.unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    assert!(err.to_string().contains("Zone still has records"));

    let err = client.dns_zones().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(text.contains("dns_zones"), "{text}");
    assert!(!text.contains("do-not-echo"), "{text}");
}
