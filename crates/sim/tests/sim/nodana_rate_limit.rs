//! Nodana's strict 1 request per second per key.

use std::time::Duration;

use crate::common::{Nodana, nodana_error};
use nodal_sim::Sim;
use reqwest::Method;
use serde_json::json;
use tokio::time::sleep;

#[tokio::test]
async fn the_default_limit_is_one_request_per_second_per_key() {
    let sim = Sim::start().await.unwrap();
    let api = Nodana::new(&sim);
    assert!(api.get("/projects").await.get("data").is_some());
    let refused = api.get("/projects").await;
    assert_eq!(
        nodana_error(&refused, "TooManyRequestsError", 429),
        "Too many requests"
    );
    assert_eq!(
        refused,
        json!({"message": "Too many requests", "error": "TooManyRequestsError", "statusCode": 429})
    );
    sleep(Duration::from_millis(1050)).await;
    assert!(api.get("/projects").await.get("data").is_some());

    let counters = sim.counters();
    assert_eq!(counters.nodana_rate_limit_violations, 1);
    assert_eq!(counters.violations_per_key.get("nodana-key-1"), Some(&1));
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 429, 200]);
}

#[tokio::test]
async fn refused_requests_are_not_performed_and_do_not_move_the_window() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::from_millis(1000))
        .nodana_tolerance(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let api = Nodana::new(&sim);
    api.ok(Method::POST, "/projects", Some(json!({"name": "a"})))
        .await; // t = 0
    sleep(Duration::from_millis(400)).await;
    let refused = api.post("/projects", Some(json!({"name": "b"}))).await; // t ≈ 0.4 s
    nodana_error(&refused, "TooManyRequestsError", 429);
    sleep(Duration::from_millis(700)).await;
    // t ≈ 1.1 s: 1.1 s after the accepted request, only 0.7 s after the refused one.
    let projects = api.ok(Method::GET, "/projects", None).await;
    let names: Vec<&str> = projects
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a"], "the refused create was not performed");
    assert_eq!(sim.counters().nodana_rate_limit_violations, 1);
}

#[tokio::test]
async fn each_key_has_its_own_bucket() {
    let sim = Sim::start().await.unwrap();
    let first = Nodana::new(&sim);
    let second = Nodana::with_key(&sim, &sim.issue_nodana_key());
    assert!(first.get("/projects").await.get("data").is_some());
    assert!(second.get("/projects").await.get("data").is_some());
    let counters = sim.counters();
    assert_eq!(counters.nodana_rate_limit_violations, 0);
    let refused = second.get("/projects").await;
    nodana_error(&refused, "TooManyRequestsError", 429);
    assert_eq!(
        sim.counters().violations_per_key.get("nodana-key-2"),
        Some(&1)
    );
    assert_eq!(sim.counters().violations_per_key.get("nodana-key-1"), None);
}

#[tokio::test]
async fn a_paced_client_causes_zero_violations() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::from_millis(200))
        .start()
        .await
        .unwrap();
    let api = Nodana::new(&sim);
    for _ in 0..4 {
        assert!(api.get("/projects").await.get("data").is_some());
        sleep(Duration::from_millis(230)).await;
    }
    assert_eq!(sim.counters().nodana_rate_limit_violations, 0);
}

#[tokio::test]
async fn concurrent_bursts_are_refused_except_one() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::from_secs(5))
        .start()
        .await
        .unwrap();
    let api = std::sync::Arc::new(Nodana::new(&sim));
    let calls = (0..20).map(|_| {
        let api = std::sync::Arc::clone(&api);
        tokio::spawn(async move { api.get("/projects").await })
    });
    let mut accepted = 0;
    for call in calls {
        if call.await.unwrap().get("data").is_some() {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 1);
    assert_eq!(sim.counters().nodana_rate_limit_violations, 19);
}

#[tokio::test]
async fn zero_tolerance_refuses_any_early_arrival() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::from_millis(300))
        .zero_tolerance()
        .start()
        .await
        .unwrap();
    let api = Nodana::new(&sim);
    assert!(api.get("/projects").await.get("data").is_some());
    // 250 ms later: any arrival under the 300 ms interval is a violation.
    sleep(Duration::from_millis(250)).await;
    nodana_error(&api.get("/projects").await, "TooManyRequestsError", 429);
    assert_eq!(sim.nodana_violations(), 1);
}

#[tokio::test]
async fn uplink_latency_delays_the_counted_arrival() {
    let sim = Sim::builder()
        .uplink_latency(Duration::from_millis(150), Duration::from_millis(150))
        .start()
        .await
        .unwrap();
    let api = Nodana::new(&sim);
    let sent = std::time::Instant::now();
    assert!(api.get("/projects").await.get("data").is_some());
    // The answer cannot come before the injected uplink delay has passed.
    assert!(sent.elapsed() >= Duration::from_millis(150));
    let arrived = sim.requests()[0].at;
    assert!(arrived >= Duration::from_millis(150), "{arrived:?}");
}
