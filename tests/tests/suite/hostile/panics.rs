//! No panic from any duration or header: the largest `Retry-After` with an unbounded
//! `max_retry_after`, and waits of `Duration::MAX`, on both adapters. (Property tests over
//! durations and headers are in nodal-core: `transport/properties.rs`.)

use super::{NODANA_KEY, NODION_KEY, fast_retry};
use nodal::nodana::NodanaClient;
use nodal::nodion::NodionClient;
use nodal::{AppId, AppSpec, Apps, Error, Provider};
use nodal_core::{Quota, RateLimit};
use nodal_sim::Sim;
use nodal_tests::loopback::{Loopback, Reply};
use serde_json::json;
use std::time::Duration;

const LARGEST: &str = "18446744073709551615";

#[tokio::test]
async fn the_largest_retry_after_with_no_cap_on_it_is_returned_not_a_panic() {
    let server = Loopback::start(|r| {
        let mut reply = if r
            .header("authorization")
            .is_some_and(|a| a.starts_with("Basic"))
        {
            Reply::new(
                200,
                json!({"error": "TooManyRequestsError", "message": "slow down", "statusCode": 429})
                    .to_string(),
            )
        } else {
            Reply::new(429, json!({"error": "slow down"}).to_string())
        };
        reply.headers.push(("retry-after".into(), LARGEST.into()));
        reply
    })
    .await;
    let retry = fast_retry().with_max_retry_after(Duration::MAX);
    let nodana = NodanaClient::builder()
        .api_key(NODANA_KEY)
        .base_url(server.url("/v1"))
        .retry(retry.clone())
        .build()
        .expect("nodana");
    let nodion = NodionClient::builder()
        .user_key(NODION_KEY)
        .base_url(server.url("/v1"))
        .retry(retry)
        .build()
        .expect("nodion");
    let app = AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    let providers: [&dyn Provider; 2] = [&nodana, &nodion];
    for provider in providers {
        let err = tokio::time::timeout(Duration::from_secs(20), provider.get_app(&app))
            .await
            .expect("returned at once")
            .expect_err("rate limited");
        assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(u64::MAX)));
        assert!(err.to_string().contains("retry after"), "{err}");
    }
}

#[tokio::test]
async fn waiting_for_ever_does_not_panic_on_either_adapter() {
    let sim = Sim::builder()
        .nodana_static_key(NODANA_KEY)
        .nodion_static_key(NODION_KEY)
        .nodana_min_interval(Duration::ZERO)
        .nodana_start_delay(Duration::from_millis(50))
        .nodion_deploy_delay(Duration::from_millis(50))
        .start()
        .await
        .expect("twin");
    let nodana = NodanaClient::builder()
        .api_key(NODANA_KEY)
        .base_url(sim.nodana_base_url())
        .rate_limit(RateLimit::new(Quota::per_second(100)))
        .build()
        .expect("nodana");
    let nodion = NodionClient::builder()
        .user_key(NODION_KEY)
        .base_url(sim.nodion_base_url())
        .build()
        .expect("nodion");
    let created = nodana
        .create_app(&AppSpec::from_template("lnbits"))
        .await
        .expect("created");
    let app = tokio::time::timeout(
        Duration::from_secs(30),
        nodana.wait_until_available(&created.app.id, Duration::MAX),
    )
    .await
    .expect("in time")
    .expect("available");
    assert_eq!(app.id, created.app.id);
    let typed = nodana
        .apps()
        .wait_until_available(&created.app.id, Duration::MAX)
        .await
        .expect("available");
    assert_eq!(typed.id, created.app.id);

    let spec = AppSpec::from_image("nginxdemos/hello")
        .name("web")
        .region("euc")
        .instance_type("starter");
    let created = nodion.create_app(&spec).await.expect("created");
    let app = tokio::time::timeout(
        Duration::from_secs(30),
        nodion.wait_until_available(&created.app.id, Duration::MAX),
    )
    .await
    .expect("in time")
    .expect("available");
    assert_eq!(app.id, created.app.id);
}

/// The longest timeouts and retry settings build and work: nothing adds them to a clock.
#[tokio::test]
async fn the_longest_timeouts_and_retry_settings_do_not_panic() {
    let server = Loopback::start(|_| {
        Reply::new(
            200,
            json!({"data": {"id": "a-1", "name": "n", "status": "available"}}).to_string(),
        )
    })
    .await;
    let client = NodanaClient::builder()
        .api_key(NODANA_KEY)
        .base_url(server.url("/v1"))
        .timeouts(
            nodal_core::Timeouts::default()
                .with_connect(Duration::MAX)
                .with_request(Duration::MAX),
        )
        .retry(
            nodal_core::RetryConfig::default()
                .with_max_attempts(u32::MAX)
                .with_budget(Duration::MAX)
                .with_max_retry_after(Duration::MAX),
        )
        .max_buffered_bytes(u64::MAX)
        .max_response_bytes(u64::MAX)
        .build()
        .expect("absurd but usable settings");
    let app = tokio::time::timeout(
        Duration::from_secs(20),
        client.apps().get(&AppId::from("a-1")),
    )
    .await
    .expect("in time");
    // Whatever the answer decodes to, the call returned instead of panicking.
    let _ = app.map(|app| app.id);
}
