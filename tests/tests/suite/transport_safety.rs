//! Transport safety (docs/reliability.md), for both adapters: plain `http://` is refused for any
//! host but this machine; redirects are never followed, so the key never reaches another host;
//! response bodies are capped, whether announced by `Content-Length` or streamed chunked.

use httpmock::prelude::*;
use nodal::nodana::NodanaClient;
use nodal::nodion::NodionClient;
use nodal::{AppId, AppSpec, Error, Provider};
use nodal_core::{Quota, RateLimit, RetryConfig};
use nodal_sim::{Fault, FaultKind, Sim};
use nodal_tests::Adapter;
use nodal_tests::loopback::{Body, Loopback, Reply};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "transport-key-4b1d";

fn nodana_builder(base_url: &str) -> nodal::nodana::NodanaClientBuilder {
    NodanaClient::builder()
        .api_key(KEY)
        .base_url(base_url)
        .rate_limit(RateLimit::new(Quota::per_second(100)))
        .retry(
            RetryConfig::default()
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
}

fn nodion_builder(base_url: &str) -> nodal::nodion::NodionClientBuilder {
    NodionClient::builder()
        .user_key(KEY)
        .base_url(base_url)
        .retry(
            RetryConfig::default()
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
}

/// A client of `adapter` on `base_url`, with a response cap when given.
fn client(adapter: Adapter, base_url: &str, cap: Option<u64>) -> Result<Arc<dyn Provider>, Error> {
    Ok(match adapter {
        Adapter::Nodana => {
            let mut builder = nodana_builder(base_url);
            if let Some(cap) = cap {
                builder = builder.max_response_bytes(cap);
            }
            Arc::new(builder.build()?)
        }
        Adapter::Nodion => {
            let mut builder = nodion_builder(base_url);
            if let Some(cap) = cap {
                builder = builder.max_response_bytes(cap);
            }
            Arc::new(builder.build()?)
        }
    })
}

fn spec(adapter: Adapter) -> AppSpec {
    match adapter {
        Adapter::Nodana => AppSpec::from_template("lnbits"),
        Adapter::Nodion => AppSpec::from_image("nginxdemos/hello")
            .name("web")
            // UUIDs, so the create is one request (no slug lookups).
            .region("5903725b-f554-4294-ab17-c992a765a001")
            .instance_type("5903725b-f554-4294-ab17-c992a765a002"),
    }
}

#[test]
fn plain_http_is_refused_for_every_host_but_this_machine() {
    for adapter in Adapter::ALL {
        for remote in [
            "http://example.com/v1",
            "http://api.nodana.io/v1",
            "http://api.nodion.com/v1",
            "http://10.0.0.1/v1",
            "http://192.168.1.10:8080/v1",
            "http://[2001:db8::1]/v1",
            "http://127.0.0.1.example.com/v1",
            "http://localhost.example.com/v1",
        ] {
            let err = client(adapter, remote, None)
                .err()
                .unwrap_or_else(|| panic!("{adapter}: {remote} was accepted"));
            assert!(
                matches!(err, Error::Config { .. }),
                "{adapter} {remote}: {err:?}"
            );
            assert!(err.to_string().contains("https"), "{err}");
        }
        for other in ["ftp://127.0.0.1/v1", "file:///etc/passwd", "not a url"] {
            assert!(
                matches!(client(adapter, other, None), Err(Error::Config { .. })),
                "{adapter}: {other} was accepted"
            );
        }
        let with_password = client(adapter, "https://user:hunter2@api.example.com/v1", None)
            .expect_err("credentials in the URL are refused");
        assert!(
            !with_password.to_string().contains("hunter2"),
            "{with_password}"
        );
        for local in [
            "http://127.0.0.1:9/v1",
            "http://127.0.0.2:9/v1",
            "http://localhost:9/v1",
            "http://[::1]:9/v1",
            "https://api.example.com/v1",
        ] {
            assert!(
                client(adapter, local, None).is_ok(),
                "{adapter}: {local} was refused"
            );
        }
    }
}

/// The configured host answers every request with a redirect to another host (and to another
/// path of itself); the client reports it and follows none, so neither the other host nor the
/// other path ever sees a request — or the key.
async fn redirects_are_not_followed(adapter: Adapter) {
    for status in [301u16, 302, 303, 307, 308] {
        let elsewhere = MockServer::start_async().await;
        let stolen = elsewhere
            .mock_async(|when, then| {
                when.any_request();
                then.status(200).json_body(json!({}));
            })
            .await;
        let server = MockServer::start_async().await;
        let other_path = server
            .mock_async(|when, then| {
                when.path_prefix("/elsewhere");
                then.status(200).json_body(json!({}));
            })
            .await;
        let target = format!("http://localhost:{}/grab", elsewhere.port());
        let moved = server
            .mock_async(|when, then| {
                when.path_prefix("/v1/");
                then.status(status).header("location", target.as_str());
            })
            .await;
        let relative = server
            .mock_async(|when, then| {
                when.path_prefix("/v2/");
                then.status(status).header("location", "/elsewhere");
            })
            .await;

        let provider = client(adapter, &server.url("/v1"), None).expect("client");
        let app = AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
        let results = [
            provider.get_app(&app).await.map(|_| ()),
            provider.stop_app(&app).await,
            provider.create_app(&spec(adapter)).await.map(|_| ()),
        ];
        for result in results {
            match result {
                Err(Error::Server {
                    status: got,
                    ref message,
                    ..
                }) => {
                    assert_eq!(got, status);
                    assert!(message.contains("redirect"), "{message}");
                    // The target is not echoed: a hostile server could put the key there.
                    assert!(
                        !message.contains("localhost"),
                        "does not echo the target: {message}"
                    );
                }
                other => panic!("{adapter} {status}: {other:?}"),
            }
        }
        // One request per call: a redirect is not retried either.
        moved.assert_calls_async(3).await;
        let provider = client(adapter, &server.url("/v2"), None).expect("client");
        let err = provider
            .get_app(&app)
            .await
            .expect_err("a redirect is an error");
        assert!(matches!(err, Error::Server { .. }), "{err:?}");
        relative.assert_calls_async(1).await;
        stolen.assert_calls_async(0).await;
        other_path.assert_calls_async(0).await;
    }
}

#[tokio::test]
async fn nodana_follows_no_redirect() {
    redirects_are_not_followed(Adapter::Nodana).await;
}

#[tokio::test]
async fn nodion_follows_no_redirect() {
    redirects_are_not_followed(Adapter::Nodion).await;
}

/// The key reaches the configured host (so the redirect test above is not vacuous).
#[tokio::test]
async fn the_key_goes_to_the_configured_host() {
    let server = MockServer::start_async().await;
    let nodana = server
        .mock_async(|when, then| {
            when.path("/v1/apps/a-1").header_exists("authorization");
            then.status(200).json_body(
                json!({"data": {"id": "a-1", "template": "lnbits", "status": "available"}}),
            );
        })
        .await;
    let nodion = server
        .mock_async(|when, then| {
            when.path("/v1/applications/a-1")
                .header("authorization", format!("Bearer {KEY}"));
            then.status(200)
                .json_body(json!({"application": {"id": "a-1", "status": "online"}}));
        })
        .await;
    let app = AppId::from("a-1");
    for adapter in Adapter::ALL {
        let provider = client(adapter, &server.url("/v1"), None).expect("client");
        provider.get_app(&app).await.expect("get_app");
    }
    nodana.assert_calls_async(1).await;
    nodion.assert_calls_async(1).await;
}

/// The twin streams a chunked body past a small cap: refused while reading, for both adapters,
/// on a read, an action and a create (which is then not retried).
#[tokio::test]
async fn the_twins_oversized_answers_are_refused() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::ZERO)
        .start()
        .await
        .expect("start the twin");
    const CAP: u64 = 64 * 1024;
    for adapter in Adapter::ALL {
        let (base_url, key) = match adapter {
            Adapter::Nodana => (sim.nodana_base_url(), sim.nodana_key()),
            Adapter::Nodion => (sim.nodion_base_url(), sim.nodion_user_key()),
        };
        let provider: Arc<dyn Provider> = match adapter {
            Adapter::Nodana => Arc::new(
                NodanaClient::builder()
                    .api_key(key)
                    .base_url(base_url)
                    .rate_limit(RateLimit::unlimited())
                    .max_response_bytes(CAP)
                    .build()
                    .expect("client"),
            ),
            Adapter::Nodion => Arc::new(
                NodionClient::builder()
                    .user_key(key)
                    .base_url(base_url)
                    .max_response_bytes(CAP)
                    .build()
                    .expect("client"),
            ),
        };
        let created = provider
            .create_app(&spec_for_twin(adapter))
            .await
            .expect("create");
        let before = sim.counters().apps_created;
        sim.inject(Fault::new(adapter.sim(), FaultKind::Oversized(16 * CAP as usize)).times(3));
        let results = [
            provider.get_app(&created.app.id).await.map(|_| ()),
            provider.list_projects().await.map(|_| ()),
            provider
                .create_app(&spec_for_twin(adapter))
                .await
                .map(|_| ()),
        ];
        for result in results {
            assert!(
                matches!(result, Err(Error::ResponseTooLarge { limit: CAP, .. })),
                "{adapter}: {result:?}"
            );
        }
        assert_eq!(
            sim.counters().apps_created,
            before,
            "the faulted create was not performed"
        );
        // Under the cap, the same client works.
        provider
            .get_app(&created.app.id)
            .await
            .expect("get_app under the cap");
    }
}

fn spec_for_twin(adapter: Adapter) -> AppSpec {
    match adapter {
        Adapter::Nodana => AppSpec::from_template("lnbits"),
        Adapter::Nodion => AppSpec::from_image("nginxdemos/hello")
            .name("web")
            .region("euc")
            .instance_type("starter"),
    }
}

/// A valid answer to `get_app` of exactly `size` bytes (padded with spaces).
fn app_answer(adapter: Adapter, size: usize) -> Vec<u8> {
    let value = match adapter {
        Adapter::Nodana => {
            json!({"data": {"id": "a-1", "template": "lnbits", "status": "available"}})
        }
        Adapter::Nodion => json!({"application": {"id": "a-1", "status": "online"}}),
    };
    let mut body = serde_json::to_vec(&value).expect("serialize");
    assert!(body.len() <= size);
    body.resize(size, b' ');
    body
}

/// Chunked bodies: exactly at the cap is read, one byte over is refused; a `Content-Length`
/// over the cap is refused before reading (the server sends only a few bytes of it and then
/// hangs up, so reading would have been a transport error instead).
#[tokio::test]
async fn bodies_over_the_cap_are_refused_however_they_are_sent() {
    const CAP: u64 = 1024;
    for adapter in Adapter::ALL {
        let at_cap = app_answer(adapter, CAP as usize);
        let over_cap = app_answer(adapter, CAP as usize + 1);
        let server = Loopback::start(move |request| {
            let size = |body: &[u8]| body.chunks(100).map(<[u8]>::to_vec).collect();
            match request.path.rsplit('/').next().unwrap_or_default() {
                "at-cap" => Reply::new(200, Vec::new()).with_body(Body::Chunked(size(&at_cap))),
                "over-cap" => Reply::new(200, Vec::new()).with_body(Body::Chunked(size(&over_cap))),
                _ => Reply::new(200, Vec::new()).with_body(Body::Declared {
                    declared: 1 << 30,
                    sent: b"{\"data\": ".to_vec(),
                }),
            }
        })
        .await;
        let provider = client(adapter, &server.url("/v1"), Some(CAP)).expect("client");
        let app = provider
            .get_app(&AppId::from("at-cap"))
            .await
            .expect("a body exactly at the cap is read");
        assert_eq!(app.id.as_str(), "a-1");
        let over = provider.get_app(&AppId::from("over-cap")).await;
        assert!(
            matches!(over, Err(Error::ResponseTooLarge { limit: CAP, .. })),
            "{adapter}: {over:?}"
        );
        let announced = provider.get_app(&AppId::from("announced")).await;
        assert!(
            matches!(announced, Err(Error::ResponseTooLarge { limit: CAP, .. })),
            "{adapter}: {announced:?}"
        );
        // None of them is retried: a larger answer would be as large the next time.
        assert_eq!(server.received().len(), 3, "{adapter}");
        // The default cap (8 MiB) applies without configuration.
        let default = client(adapter, &server.url("/v1"), None).expect("client");
        let announced = default.get_app(&AppId::from("announced")).await;
        assert!(
            matches!(
                announced,
                Err(Error::ResponseTooLarge {
                    limit: nodal_core::DEFAULT_MAX_RESPONSE_BYTES,
                    ..
                })
            ),
            "{adapter}: {announced:?}"
        );
    }
}
