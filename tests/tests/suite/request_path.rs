//! The shared request path (nodal-core's `HttpClient`) against httpmock servers: retries,
//! idempotency, Retry-After, the shared limiter, URL policy, size cap and redaction.

use httpmock::prelude::*;
use nodal_core::raw::{Auth, HttpClient};
use nodal_core::{Endpoint, Error, Quota, RateLimit, RetryConfig, Timeouts};
use nodal_testkit::{fast_retry, first};
use nodal_tests::PlainJson;
use nodal_tests::capture::capture_at_trace;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const TOKEN: &str = "tok-canary-9f8e7d";

fn client(server: &MockServer) -> HttpClient<PlainJson> {
    HttpClient::builder(PlainJson)
        .base_url(server.url("/v1"))
        .auth(Auth::bearer("plain", TOKEN.into()).unwrap())
        .retry(fast_retry())
        .build()
        .unwrap()
}

#[tokio::test]
async fn get_answered_500_then_200_is_retried() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/things/t1").is_true(first(1));
            then.status(500).body("boom");
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/things/t1")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(200).json_body(json!({"id": "t1"}));
        })
        .await;

    let value: Value = client(&server)
        .send(Endpoint::get("/things/{thing_id}").request().param("t1"))
        .await
        .unwrap();

    assert_eq!(value["id"], "t1");
    failing.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn non_idempotent_post_answered_503_is_not_retried() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/things")
                .header("content-type", "application/json")
                .json_body(json!({"name": "a"}));
            then.status(503).body("unavailable");
        })
        .await;

    let err = client(&server)
        .send::<Value>(
            Endpoint::post("/things")
                .request()
                .json(&json!({"name": "a"})),
        )
        .await
        .unwrap_err();

    create.assert_calls_async(1).await;
    assert!(matches!(err, Error::Server { status: 503, .. }), "{err:?}");
    assert!(err.maybe_performed(), "{err:?}");
    assert!(err.to_string().contains("may have been performed"), "{err}");
}

#[tokio::test]
async fn post_marked_idempotent_is_retried_on_503() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/things/t1/stop")
                .is_true(first(2));
            then.status(503);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/things/t1/stop");
            then.status(200).json_body(json!({"id": "t1"}));
        })
        .await;

    let _: Value = client(&server)
        .send(
            Endpoint::post("/things/{id}/stop")
                .idempotent()
                .request()
                .param("t1"),
        )
        .await
        .unwrap();
    failing.assert_calls_async(2).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn retries_stop_after_max_attempts_and_say_so() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/flaky");
            then.status(502);
        })
        .await;
    let err = client(&server)
        .send::<Value>(Endpoint::get("/flaky").request())
        .await
        .unwrap_err();
    failing.assert_calls_async(3).await;
    assert!(err.is_retryable());
    assert!(
        err.to_string().contains("gave up after 3 attempts"),
        "{err}"
    );
}

#[tokio::test]
async fn rate_limited_with_retry_after_waits_then_succeeds() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/regions").is_true(first(1));
            then.status(429)
                .header("retry-after", "1")
                .body("slow down");
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/regions");
            then.status(200).json_body(json!([]));
        })
        .await;

    let start = Instant::now();
    let _: Value = client(&server)
        .send(Endpoint::get("/regions").request())
        .await
        .unwrap();
    let waited = start.elapsed();

    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn a_create_refused_with_429_is_retried_because_it_was_not_performed() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/things").is_true(first(1));
            then.status(429).header("retry-after", "0");
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/things");
            then.status(201).json_body(json!({"id": "new"}));
        })
        .await;
    let value: Value = client(&server)
        .send(Endpoint::post("/things").request().json(&json!({})))
        .await
        .unwrap();
    assert_eq!(value["id"], "new");
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn retry_after_beyond_the_clients_maximum_is_returned_not_waited() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/regions");
            then.status(429).header("retry-after", "3600");
        })
        .await;
    let start = Instant::now();
    let err = client(&server)
        .send::<Value>(Endpoint::get("/regions").request())
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2));
    limited.assert_calls_async(1).await;
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
}

#[tokio::test]
async fn retry_after_pauses_every_clone_of_the_client() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/limited");
            then.status(429).header("retry-after", "1");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/other");
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = HttpClient::builder(PlainJson)
        .base_url(server.url("/v1"))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let clone = client.clone();
    let err = client
        .send::<Value>(Endpoint::get("/limited").request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }));
    let start = Instant::now();
    let _: Value = clone.send(Endpoint::get("/other").request()).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn limiter_holds_concurrent_calls_from_many_clones_at_the_quota() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/ping");
            then.status(200).json_body(json!({"ok": true}));
        })
        .await;
    let client = HttpClient::builder(PlainJson)
        .base_url(server.url("/v1"))
        .rate_limit(RateLimit::new(Quota::per_second(20)))
        .build()
        .unwrap();

    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let clone = client.clone();
        tasks.push(tokio::spawn(async move {
            let _: Value = clone.send(Endpoint::get("/ping").request()).await.unwrap();
            let _ = i;
            Instant::now()
        }));
    }
    let mut done = Vec::new();
    for task in tasks {
        done.push(task.await.unwrap());
    }
    let elapsed = start.elapsed();
    mock.assert_calls_async(12).await;
    // 12 calls at 20/s: the first is free, the other 11 are 50 ms apart.
    assert!(
        elapsed >= Duration::from_millis(540),
        "too fast: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "too slow: {elapsed:?}");
}

#[tokio::test]
async fn plain_http_is_refused_except_for_loopback() {
    let remote = HttpClient::builder(PlainJson)
        .base_url("http://example.com/v1")
        .build()
        .unwrap_err();
    assert!(matches!(remote, Error::Config { .. }));
    assert!(remote.to_string().contains("https"), "{remote}");

    let server = MockServer::start_async().await;
    let url = format!("http://127.0.0.1:{}/v1", server.port());
    assert!(HttpClient::builder(PlainJson).base_url(url).build().is_ok());
    assert!(
        HttpClient::builder(PlainJson)
            .base_url("https://example.com/v1")
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn oversized_bodies_give_the_size_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/big");
            then.status(200).body("x".repeat(4096));
        })
        .await;
    let client = HttpClient::builder(PlainJson)
        .base_url(server.url("/v1"))
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = client
        .send::<Value>(Endpoint::get("/big").request())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn slow_answers_time_out_per_attempt_and_idempotent_calls_retry() {
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/slow");
            then.status(200)
                .json_body(json!({}))
                .delay(Duration::from_millis(800));
        })
        .await;
    let client = HttpClient::builder(PlainJson)
        .base_url(server.url("/v1"))
        .timeouts(Timeouts::default().with_request(Duration::from_millis(150)))
        .retry(fast_retry().with_max_attempts(2))
        .build()
        .unwrap();
    let err = client
        .send::<Value>(Endpoint::get("/slow").request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    slow.assert_calls_async(2).await;
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_creates_because_nothing_was_sent() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = HttpClient::builder(PlainJson)
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .retry(fast_retry())
        .build()
        .unwrap();
    let err = client
        .send::<Value>(Endpoint::post("/things").request().json(&json!({})))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.maybe_performed(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("nothing was sent"), "{text}");
    assert!(text.contains("gave up after 3 attempts"), "{text}");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = MockServer::start_async().await;
    let stolen = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/moved");
            then.status(302).header(
                "location",
                format!("http://localhost:{}/grab", elsewhere.port()),
            );
        })
        .await;
    let err = client(&server)
        .send::<Value>(Endpoint::get("/moved").request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server { status: 302, .. }), "{err:?}");
    stolen.assert_calls_async(0).await;
}

#[tokio::test]
async fn content_type_is_sent_only_with_a_body() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/things")
                .header_missing("content-type")
                .header("accept", "application/json");
            then.status(200).json_body(json!([]));
        })
        .await;
    let _: Value = client(&server)
        .send(Endpoint::get("/things").request())
        .await
        .unwrap();
    get.assert_calls_async(1).await;
}

#[tokio::test]
async fn decode_errors_never_echo_the_token() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/echo");
            then.status(200).body(format!(
                "<html>Authorization: Bearer {TOKEN} is not welcome</html>"
            ));
        })
        .await;
    let err = client(&server)
        .send::<Value>(Endpoint::get("/echo").request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[tokio::test]
async fn debug_output_never_contains_the_token() {
    let server = MockServer::start_async().await;
    let builder = HttpClient::builder(PlainJson)
        .base_url(server.url("/v1"))
        .auth(Auth::bearer("plain", TOKEN.into()).unwrap());
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(TOKEN));
    let auth = Auth::basic_password("plain", TOKEN.into()).unwrap();
    assert!(!format!("{auth:?}").contains(TOKEN));
}

#[tokio::test]
async fn an_invalid_path_parameter_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let err = client(&server)
        .send::<Value>(
            Endpoint::post("/apps/{app_id}/delete")
                .request()
                .param(".."),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_time_budget_stops_retries_early() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/flaky");
            then.status(500);
        })
        .await;
    let client = HttpClient::builder(PlainJson)
        .base_url(server.url("/v1"))
        .retry(
            RetryConfig::default()
                .with_max_attempts(10)
                .with_backoff(Duration::from_millis(400), Duration::from_secs(1))
                .with_budget(Duration::from_millis(100)),
        )
        .build()
        .unwrap();
    let err = client
        .send::<Value>(Endpoint::get("/flaky").request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server { status: 500, .. }));
    failing.assert_calls_async(1).await;
}

#[tokio::test]
async fn traces_show_method_template_status_and_attempts_but_no_secret() {
    let (captured, _guard) = capture_at_trace();

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/things/secret-id")
                .is_true(first(1));
            then.status(500).body(format!("echo {TOKEN}"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/things/secret-id");
            then.status(200).json_body(json!({"ok": true}));
        })
        .await;
    let _: Value = client(&server)
        .send(
            Endpoint::get("/things/{thing_id}")
                .request()
                .param("secret-id"),
        )
        .await
        .unwrap();

    let logs = captured.text();
    assert!(logs.contains("nodal.request"), "{logs}");
    assert!(logs.contains("/things/{thing_id}"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("http.response.status_code=500"), "{logs}");
    assert!(logs.contains("http.request.resend_count=1"), "{logs}");
    assert!(
        logs.contains("url.template=\"/things/{thing_id}\""),
        "{logs}"
    );
    assert!(!logs.contains(TOKEN), "{logs}");
}

#[tokio::test]
async fn an_unreadable_answer_to_a_create_says_it_may_have_been_performed() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/things");
            then.status(201).body("{\"id\": ");
        })
        .await;
    let err = client(&server)
        .send::<Value>(Endpoint::post("/things").request().json(&json!({})))
        .await
        .unwrap_err();
    create.assert_calls_async(1).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.maybe_performed(), "{err:?}");
    assert!(err.to_string().contains("may have been performed"), "{err}");

    // The same answer to a read carries no such warning.
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/things");
            then.status(200).body("{\"id\": ");
        })
        .await;
    let err = client(&server)
        .send::<Value>(Endpoint::get("/things").request())
        .await
        .unwrap_err();
    assert!(!err.maybe_performed(), "{err:?}");
    assert!(
        !err.to_string().contains("may have been performed"),
        "{err}"
    );
}
