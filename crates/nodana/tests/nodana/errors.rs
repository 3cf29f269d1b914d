//! Each row of the error table against a mock server: the meaning, the provider's words, and
//! whether the request was retried.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{Error, Projects};
use nodal_nodana::{NewApp, PhoenixdParams, Template};
use nodal_testkit::first;
use nodal_testkit::{assert_matches, assert_says};
use serde_json::json;

#[tokio::test]
async fn forbidden_payload_is_permission_denied_with_the_providers_words() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/projects/prj-other");
            then.status(200)
                .json_body(failure(403, "ForbiddenError", "Request is forbidden"));
        })
        .await;
    let err = client(&server)
        .projects()
        .get(&"prj-other".into())
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(
        err,
        Error::PermissionDenied {
            needed_scope: None,
            ..
        }
    );
    assert_says!(err, "Request is forbidden (ForbiddenError)");
}

#[tokio::test]
async fn not_found_payload_is_not_found() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-gone");
            then.status(200)
                .json_body(failure(404, "NotFoundError", "App not found"));
        })
        .await;
    let err = client(&server)
        .apps()
        .get(&"app-gone".into())
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::NotFound { .. });
    assert_says!(err, "App not found (NotFoundError)");
}

#[tokio::test]
async fn unauthorized_payload_is_unauthenticated_and_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/projects");
            then.status(200)
                .json_body(failure(401, "UnauthorizedError", "Unauthorized"));
        })
        .await;
    let err = client(&server).projects().list().await.unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::Unauthenticated { .. });
    assert!(err.to_string().contains("Unauthorized (UnauthorizedError)"));
}

#[tokio::test]
async fn rate_limit_payload_on_a_get_is_retried_then_succeeds() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            get(when, "/v1/projects").is_true(first(1));
            then.status(200)
                .json_body(failure(429, "TooManyRequestsError", "Too many requests"));
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            get(when, "/v1/projects");
            then.status(200).json_body(data(json!([seed_project()])));
        })
        .await;
    let projects = client(&server).projects().list().await.unwrap();
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    assert_eq!(projects.len(), 1);
}

#[tokio::test]
async fn rate_limit_payload_on_create_app_is_retried_because_it_was_not_performed() {
    let server = MockServer::start_async().await;
    let body = json!({"template": "phoenixd"});
    let limited = server
        .mock_async(|when, then| {
            post_json(when, "/v1/apps", body.clone()).is_true(first(1));
            then.status(200)
                .json_body(failure(429, "TooManyRequestsError", "Too many requests"));
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            post_json(when, "/v1/apps", body.clone());
            then.status(200).json_body(data(json!({
                "projectId": "prj-1", "id": "app-1", "url": "https://a.nodana.app"
            })));
        })
        .await;
    let created = client(&server)
        .apps()
        .create(&NewApp::new(Template::Phoenixd(PhoenixdParams::new())))
        .await
        .unwrap();
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    assert_eq!(created.id.as_str(), "app-1");
}

#[tokio::test]
async fn persistent_rate_limiting_gives_up_with_rate_limited() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            get(when, "/v1/projects");
            then.status(200)
                .json_body(failure(429, "TooManyRequestsError", "Too many requests"));
        })
        .await;
    let err = client(&server).projects().list().await.unwrap_err();
    limited.assert_calls_async(3).await;
    assert_matches!(err, Error::RateLimited { .. });
    assert_says!(err, "gave up after 3 attempts");
}

#[tokio::test]
async fn http_500_on_a_get_is_retried_then_succeeds() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1").is_true(first(1));
            then.status(500).body("Internal Server Error");
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1");
            then.status(200)
                .json_body(data(seed_app("app-1", "available")));
        })
        .await;
    let app = client(&server).apps().get(&"app-1".into()).await.unwrap();
    failing.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    assert!(app.is_available());
}

#[tokio::test]
async fn http_500_on_create_app_is_not_retried() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            post_json(when, "/v1/apps", json!({"template": "phoenixd"}));
            then.status(500).body("");
        })
        .await;
    let err = client(&server)
        .apps()
        .create(&NewApp::new(Template::Phoenixd(PhoenixdParams::new())))
        .await
        .unwrap_err();
    create.assert_calls_async(1).await;
    assert_matches!(err, Error::Server { status: 500, .. });
    assert!(err.maybe_performed(), "{err:?}");
    assert_says!(err, "may have been performed");
}

#[tokio::test]
async fn an_answer_with_neither_data_nor_error_is_a_decode_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/projects");
            then.status(200).json_body(json!({"result": []}));
        })
        .await;
    let err = client(&server).projects().list().await.unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::Decode { .. });
    assert_says!(err, "neither `data` nor `error`");
}

#[tokio::test]
async fn bad_json_is_a_decode_error_with_a_redacted_excerpt() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1");
            then.status(200)
                .body(r#"{"data": {"id": "app-1", "seedPhrase": "abandon ab"#);
        })
        .await;
    let err = client(&server)
        .apps()
        .get(&"app-1".into())
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::Decode { .. });
    assert!(!format!("{err} {err:?}").contains("abandon"));
}

#[tokio::test]
async fn a_fifth_project_is_limit_exceeded_saying_so() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(when, "/v1/projects", json!({"name": "fifth"}));
            then.status(200).json_body(failure(
                409,
                "ConflictError",
                "Project limit reached: an account can have at most 4 projects",
            ));
        })
        .await;
    let err = client(&server).create_project("fifth").await.unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::LimitExceeded { .. });
    let text = err.to_string();
    assert!(text.contains("at most 4 projects per account"), "{text}");
    assert!(text.contains("Project limit reached"), "{text}");
}

#[tokio::test]
async fn creating_an_app_without_a_project_past_the_cap_is_limit_exceeded() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(when, "/v1/apps", json!({"template": "lnbits"}));
            then.status(200).json_body(failure(
                409,
                "ConflictError",
                "Project limit reached: an account can have at most 4 projects",
            ));
        })
        .await;
    let err = client(&server)
        .apps()
        .create(&NewApp::new(Template::Lnbits))
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::LimitExceeded { .. });
}

#[tokio::test]
async fn deleting_a_non_empty_project_is_a_conflict_that_says_what_to_do() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_action(when, "/v1/projects/prj-1/delete");
            then.status(200).json_body(failure(
                409,
                "ConflictError",
                "Only empty projects can be deleted: delete the project's apps first",
            ));
        })
        .await;
    let err = client(&server)
        .delete_project(&"prj-1".into())
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::Conflict { .. });
    // Nodana's words already say what to do, so the advice is not repeated.
    let text = err.to_string().to_ascii_lowercase();
    let advice = "only empty projects can be deleted: delete the project's apps first";
    assert_eq!(text.matches(advice).count(), 1, "{err}");
}

#[tokio::test]
async fn bad_request_payload_is_invalid_input_and_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(when, "/v1/apps", json!({"template": "mystery"}));
            then.status(200).json_body(failure(
                400,
                "BadRequestError",
                "Unknown template 'mystery'",
            ));
        })
        .await;
    let err = client(&server)
        .apps()
        .create(&NewApp::new(Template::custom(
            "mystery",
            Vec::<(String, String)>::new(),
        )))
        .await
        .unwrap_err();
    mock.assert_calls_async(1).await;
    assert_matches!(err, Error::InvalidInput { .. });
    assert!(
        err.to_string()
            .contains("Unknown template 'mystery' (BadRequestError)")
    );
}

#[tokio::test]
async fn errors_never_echo_the_key() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            get(when, "/v1/projects");
            then.status(200).json_body(failure(
                401,
                "UnauthorizedError",
                &format!("key {KEY} (header {AUTH}) is revoked"),
            ));
        })
        .await;
    let err = client(&server).projects().list().await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("OnRlc3Qta2V5"), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
}
