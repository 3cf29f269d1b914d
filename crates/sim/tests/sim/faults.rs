//! Fault injection, per provider and per sim.

use std::time::Duration;

use crate::common::{Nodana, Nodion, basic, client, fast_sim, nodana_error, raw_nodana};
use nodal_sim::{Fault, FaultKind, Provider};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn status_faults_answer_5xx_without_performing() {
    let sim = fast_sim().await;
    sim.inject(
        Fault::new(Provider::Nodana, FaultKind::Status(502))
            .method("POST")
            .path("/apps"),
    );
    sim.inject(
        Fault::new(Provider::Nodana, FaultKind::Status(500))
            .method("POST")
            .path("/apps"),
    );
    let body = Some(json!({"template": "lnbits"}));
    let first = raw_nodana(&sim, Method::POST, "/apps", body.clone())
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::BAD_GATEWAY);
    assert!(first.text().await.unwrap().contains("502"));
    let second = raw_nodana(&sim, Method::POST, "/apps", body.clone())
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(sim.counters().apps_created, 0);
    let third = raw_nodana(&sim, Method::POST, "/apps", body).await.unwrap();
    assert_eq!(third.status(), StatusCode::OK);
    assert_eq!(sim.counters().apps_created, 1);
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [502, 500, 200]);
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer_and_nothing_happens() {
    let sim = fast_sim().await;
    sim.inject(Fault::new(Provider::Nodana, FaultKind::DropConnection).path("/projects"));
    let error = raw_nodana(&sim, Method::POST, "/projects", Some(json!({"name": "p"})))
        .await
        .unwrap_err();
    assert!(!error.is_timeout(), "{error}");
    let api = Nodana::new(&sim);
    assert_eq!(api.ok(Method::GET, "/projects", None).await, json!([]));
    assert_eq!(sim.requests()[0].status, 0);
}

#[tokio::test]
async fn drop_after_processing_performs_the_request() {
    let sim = fast_sim().await;
    sim.inject(
        Fault::new(Provider::Nodana, FaultKind::DropAfterProcessing)
            .method("POST")
            .path("/apps"),
    );
    let error = raw_nodana(
        &sim,
        Method::POST,
        "/apps",
        Some(json!({"template": "lnbits"})),
    )
    .await;
    assert!(error.is_err());
    let counters = sim.counters();
    assert_eq!(counters.nodana_apps_created, 1);
    assert_eq!(counters.apps_created_per_project.values().sum::<u64>(), 1);
    let projects = Nodana::new(&sim).ok(Method::GET, "/projects", None).await;
    assert_eq!(projects.as_array().unwrap().len(), 1, "the create happened");

    let nodion = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let id = nodion.create_app_id(&key, None, "web").await;
    sim.inject(
        Fault::new(Provider::Nodion, FaultKind::DropAfterProcessing)
            .method("POST")
            .path("/applications/*/deployments"),
    );
    let dropped = client()
        .post(format!(
            "{}/applications/{id}/deployments",
            sim.nodion_base_url()
        ))
        .bearer_auth(&key)
        .send()
        .await;
    assert!(dropped.is_err());
    assert_eq!(sim.counters().deployments_created, 1);
}

#[tokio::test]
async fn a_delayed_answer_outlasts_a_client_timeout_but_is_performed() {
    let sim = fast_sim().await;
    sim.inject(
        Fault::new(Provider::Nodana, FaultKind::Delay(Duration::from_secs(2))).method("POST"),
    );
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = impatient
        .post(format!("{}/projects", sim.nodana_base_url()))
        .header("Authorization", basic(&sim.nodana_key()))
        .json(&json!({"name": "slow"}))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    let projects = Nodana::new(&sim).ok(Method::GET, "/projects", None).await;
    assert_eq!(projects[0]["name"], "slow");

    sim.inject(Fault::new(
        Provider::Nodion,
        FaultKind::Delay(Duration::from_millis(300)),
    ));
    let started = std::time::Instant::now();
    let answer = Nodion::new(&sim)
        .get("/regions", &sim.nodion_user_key())
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn malformed_and_truncated_json_are_answered_with_200() {
    let sim = fast_sim().await;
    for provider in [Provider::Nodana, Provider::Nodion] {
        sim.inject(Fault::new(provider, FaultKind::MalformedJson));
        sim.inject(Fault::new(provider, FaultKind::TruncatedJson));
    }
    let nodion_url = format!("{}/applications", sim.nodion_base_url());
    for _ in 0..2 {
        let nodana = raw_nodana(&sim, Method::GET, "/projects", None)
            .await
            .unwrap();
        let nodion = client()
            .get(&nodion_url)
            .bearer_auth(sim.nodion_user_key())
            .send()
            .await
            .unwrap();
        for response in [nodana, nodion] {
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(response.headers()["content-type"], "application/json");
            let text = response.text().await.unwrap();
            assert!(text.starts_with('{'), "{text}");
            assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
        }
    }
    let third = raw_nodana(&sim, Method::GET, "/projects", None)
        .await
        .unwrap();
    assert!(third.json::<Value>().await.is_ok());
}

#[tokio::test]
async fn an_oversized_body_is_streamed_in_full() {
    let sim = fast_sim().await;
    let size = 3 * 1024 * 1024 + 7;
    sim.inject(Fault::new(Provider::Nodion, FaultKind::Oversized(size)).path("/regions"));
    let response = client()
        .get(format!("{}/regions", sim.nodion_base_url()))
        .bearer_auth(sim.nodion_user_key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers().get("content-length").is_none(),
        "streamed, no length announced"
    );
    assert_eq!(response.bytes().await.unwrap().len(), size);
}

#[tokio::test]
async fn rate_limited_faults_use_each_providers_shape_and_are_not_violations() {
    let sim = fast_sim().await;
    sim.inject(Fault::new(
        Provider::Nodion,
        FaultKind::RateLimited {
            retry_after: Duration::from_millis(1500),
        },
    ));
    let answer = Nodion::new(&sim)
        .get("/regions", &sim.nodion_user_key())
        .await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.headers["retry-after"], "2");
    assert_eq!(
        answer.body,
        json!({"status": 429, "error": "Too Many Requests"})
    );

    sim.inject(Fault::new(
        Provider::Nodana,
        FaultKind::RateLimited {
            retry_after: Duration::from_secs(1),
        },
    ));
    let payload = Nodana::new(&sim).get("/projects").await;
    nodana_error(&payload, "TooManyRequestsError", 429);
    let counters = sim.counters();
    assert_eq!(counters.nodana_rate_limit_violations, 0);
    assert_eq!(counters.nodion_quota_rejections, 0);
}

#[tokio::test]
async fn patterns_methods_and_counts_select_the_faulted_requests() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    let app = api
        .ok(Method::POST, "/apps", Some(json!({"template": "lnbits"})))
        .await;
    let id = app["id"].as_str().unwrap();
    sim.inject(
        Fault::new(Provider::Nodana, FaultKind::Status(503))
            .method("post")
            .path("/apps/*/start")
            .times(2),
    );
    let start = format!("/apps/{id}/start");
    assert!(
        api.get(&format!("/apps/{id}")).await.get("data").is_some(),
        "other paths pass"
    );
    assert!(
        api.post(&format!("/apps/{id}/stop"), None)
            .await
            .get("data")
            .is_some(),
        "other paths pass"
    );
    for _ in 0..2 {
        let response = raw_nodana(&sim, Method::POST, &start, None).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    assert!(
        api.post(&start, None).await.get("data").is_some(),
        "the fault is used up"
    );

    sim.inject(Fault::new(Provider::Nodana, FaultKind::Status(500)).times(10));
    sim.clear_faults();
    assert!(api.get("/projects").await.get("data").is_some());
}

#[tokio::test]
async fn faults_belong_to_one_provider_and_one_sim() {
    let first = fast_sim().await;
    let second = fast_sim().await;
    first.inject(Fault::new(Provider::Nodion, FaultKind::Status(500)).times(5));
    assert_eq!(
        Nodion::new(&second)
            .get("/regions", &second.nodion_user_key())
            .await
            .status,
        StatusCode::OK
    );
    assert!(
        Nodana::new(&first)
            .get("/projects")
            .await
            .get("data")
            .is_some()
    );
    let faulted = client()
        .get(format!("{}/regions", first.nodion_base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        faulted.status(),
        StatusCode::INTERNAL_SERVER_ERROR,
        "faults apply before auth"
    );
}
