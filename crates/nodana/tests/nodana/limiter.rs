//! The key is never flooded: the default 1 request per second holds across clones and tasks,
//! stricter per-endpoint quotas hold, and invalid input sends nothing at all.

use crate::common::*;
use httpmock::HttpMockRequest;
use httpmock::prelude::*;
use nodal_core::{AppSpec, Apps, Error};
use nodal_core::{Quota, RateLimit};
use nodal_nodana::{NodanaClient, Template, endpoints};
use nodal_testkit::{assert_matches, assert_says};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Each distinct request, with the time it first reached the server.
type Arrivals = Arc<Mutex<Vec<(String, Instant)>>>;

/// A matcher that records when each distinct request (path and body) first reached the server
/// (a matcher may be evaluated more than once per request, so later evaluations are ignored).
fn arrivals() -> (
    Arrivals,
    impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static,
) {
    let seen: Arrivals = Arc::default();
    let record = seen.clone();
    let matcher = move |req: &HttpMockRequest| {
        let path = format!("{} {}", req.uri().path(), req.body_string());
        let mut seen = record.lock().unwrap();
        if !seen.iter().any(|(p, _)| *p == path) {
            seen.push((path, Instant::now()));
        }
        true
    };
    (seen, matcher)
}

fn sorted_gaps(seen: &Mutex<Vec<(String, Instant)>>) -> Vec<Duration> {
    let mut times: Vec<Instant> = seen.lock().unwrap().iter().map(|(_, t)| *t).collect();
    times.sort();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test]
async fn four_calls_from_four_tasks_on_two_clones_reach_the_server_a_second_apart() {
    let server = MockServer::start_async().await;
    let (seen, matcher) = arrivals();
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path_prefix("/v1/apps/app-")
                .header("authorization", AUTH)
                .is_true(matcher);
            then.status(200)
                .json_body(data(seed_app("app-x", "available")));
        })
        .await;
    // The real default: 1 request per second, burst 1.
    let client = NodanaClient::builder()
        .api_key(KEY)
        .base_url(server.url("/v1"))
        .build()
        .unwrap();
    let clones = [client.clone(), client];
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..4 {
        let client = clones[i % 2].clone();
        tasks.push(tokio::spawn(async move {
            client.apps().get(&format!("app-{i}").into()).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    mock.assert_calls_async(4).await;
    let gaps = sorted_gaps(&seen);
    assert_eq!(gaps.len(), 3, "{gaps:?}");
    for gap in &gaps {
        assert!(*gap >= Duration::from_millis(950), "too close: {gaps:?}");
    }
    let total: Duration = gaps.iter().sum();
    assert!(total >= Duration::from_millis(2900), "{total:?}");
    assert!(
        start.elapsed() < Duration::from_secs(6),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_stricter_endpoint_quota_spaces_that_endpoint_only() {
    let server = MockServer::start_async().await;
    let (seen, matcher) = arrivals();
    let creates = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/projects")
                .header("authorization", AUTH)
                .is_true(matcher);
            then.status(200)
                .json_body(data(json!({"id": "prj-1", "name": "p"})));
        })
        .await;
    let lists = server
        .mock_async(|when, then| {
            get(when, "/v1/projects");
            then.status(200).json_body(data(json!([])));
        })
        .await;
    let client = NodanaClient::builder()
        .api_key(KEY)
        .base_url(server.url("/v1"))
        .rate_limit(
            RateLimit::new(Quota::per_second(100))
                .with_endpoint(endpoints::CREATE_PROJECT, Quota::per_second(5)),
        )
        .build()
        .unwrap();
    for name in ["a", "b", "c"] {
        client.projects().create(name).await.unwrap();
    }
    let other = Instant::now();
    client.projects().list().await.unwrap();
    let list_took = other.elapsed();
    creates.assert_calls_async(3).await;
    lists.assert_calls_async(1).await;
    // Creates at 5/s are 200 ms apart; the list right after is not held back by that quota.
    let gaps = sorted_gaps(&seen);
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    for gap in &gaps {
        assert!(*gap >= Duration::from_millis(190), "too close: {gaps:?}");
    }
    assert!(list_took < Duration::from_millis(150), "{list_took:?}");
}

#[tokio::test]
async fn a_bad_auto_liquidity_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(data(json!({})));
        })
        .await;
    let client = client(&server);
    let spec = AppSpec::from_template("phoenixd").param("auto_liquidity", "1h");
    let err = client.create_app(&spec).await.unwrap_err();
    match &err {
        Error::InvalidInput { field, .. } => assert_eq!(field.as_deref(), Some("auto_liquidity")),
        other => panic!("{other:?}"),
    }
    let params = [("auto_liquidity".to_owned(), "15m".into())]
        .into_iter()
        .collect();
    let typed = Template::from_name_and_params("alby-hub-phoenixd", &params).unwrap_err();
    assert_matches!(typed, Error::InvalidInput { .. });
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn other_invalid_input_sends_nothing_either() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(data(json!({})));
        })
        .await;
    let client = client(&server);
    let empty_name = client.projects().create("  ").await.unwrap_err();
    assert!(
        matches!(&empty_name, Error::InvalidInput { field: Some(f), .. } if f == "name"),
        "{empty_name:?}"
    );
    let bad_id = client.apps().start(&"..".into()).await.unwrap_err();
    assert_matches!(bad_id, Error::InvalidInput { .. });
    let image = client
        .create_app(&AppSpec::from_image("ghcr.io/acme/web"))
        .await
        .unwrap_err();
    assert!(
        matches!(&image, Error::InvalidInput { field: Some(f), .. } if f == "source"),
        "{image:?}"
    );
    let unknown_param = client
        .create_app(&AppSpec::from_template("cdk-mintd").param("mint_colour", "red"))
        .await
        .unwrap_err();
    assert_says!(unknown_param, "mint_colour");
    any.assert_calls_async(0).await;
}
