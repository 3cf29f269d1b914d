//! Shared helpers for the wire tests: a fast client against an httpmock server, strict request
//! expectations, and the example payloads of Nodana's reference.

use httpmock::When;
use httpmock::prelude::*;
use nodal_core::{Quota, RateLimit};
use nodal_nodana::NodanaClient;
use nodal_testkit::fast_retry;
use serde_json::{Value, json};

/// The test key and its exact Basic header (`base64(":" + key)`).
pub(crate) const KEY: &str = "test-key";
pub(crate) const AUTH: &str = "Basic OnRlc3Qta2V5";

/// A client with a fast limiter and fast retries, so tests that are not about timing stay quick.
pub(crate) fn client(server: &MockServer) -> NodanaClient {
    NodanaClient::builder()
        .api_key(KEY)
        .base_url(server.url("/v1"))
        .rate_limit(RateLimit::new(Quota::per_second(100)))
        .retry(fast_retry())
        .build()
        .unwrap()
}

/// Expects a GET of `path` with the key and no content type (httpmock refuses a body matcher
/// on GET, and a GET body would need a content type).
pub(crate) fn get(when: When, path: &str) -> When {
    when.method(GET)
        .path(path)
        .header("authorization", AUTH)
        .header_missing("content-type")
}

/// Expects a POST of `path` with the key and no body (an action endpoint).
pub(crate) fn post_action(when: When, path: &str) -> When {
    when.method(POST)
        .path(path)
        .header("authorization", AUTH)
        .header_missing("content-type")
        .body("")
}

/// Expects a POST of `path` with the key and exactly `body` as JSON.
pub(crate) fn post_json(when: When, path: &str, body: Value) -> When {
    when.method(POST)
        .path(path)
        .header("authorization", AUTH)
        .header("content-type", "application/json")
        .json_body(body)
}

/// `{"data": value}`.
pub(crate) fn data(value: Value) -> Value {
    json!({ "data": value })
}

/// Nodana's failure payload.
pub(crate) fn failure(code: u16, name: &str, message: &str) -> Value {
    json!({ "message": message, "error": name, "statusCode": code })
}

/// The reference's project example.
pub(crate) fn seed_project() -> Value {
    json!({
        "id": "prj-5fd3",
        "userId": "<user-id>",
        "name": "New Project",
        "deleted": false,
        "createdAt": "2025-05-01T07:46:12.368Z",
        "updatedAt": "2025-05-01T07:46:12.368Z"
    })
}

/// The reference's app example (with a status of our choosing).
pub(crate) fn seed_app(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "userId": "<user-id>",
        "projectId": "prj-5fd3",
        "template": "template-name",
        "rate": 0.000233,
        "url": "https://template-id-ad4f.nodana.app:8000",
        "status": status,
        "createdAt": "2025-05-24T08:07:10.509Z",
        "updatedAt": "2025-05-24T08:07:10.509Z"
    })
}

/// The reference's service example.
pub(crate) fn seed_service() -> Value {
    json!({
        "id": "svc-1234",
        "appId": "app-1234",
        "service": "service-name",
        "slug": "slug-sdh3",
        "region": "ewr",
        "status": "running",
        "version": "0.1.0",
        "createdAt": "2025-07-01T07:46:12.368Z",
        "updatedAt": "2025-07-01T07:46:12.368Z"
    })
}
