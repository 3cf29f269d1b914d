//! Correct outcomes: a delete whose answer was lost and whose replay meets 404 is done; a
//! transport error never claims an HTTP status that did not arrive; a pager stops when the
//! server ignores its cursor.

use super::{NODANA_KEY, NODION_KEY, nodion, shown};
use futures_util::StreamExt as _;
use nodal::nodana::NodanaClient;
use nodal::nodion::{LogQuery, NodionClient};
use nodal::{AppId, AppSpec, Error, Provider};
use nodal_core::{Quota, RateLimit};
use nodal_sim::{Fault, FaultKind, Sim};
use nodal_tests::Adapter;
use nodal_tests::capture::capture_client_at_trace;
use nodal_tests::loopback::{Loopback, Reply};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

async fn twin() -> Sim {
    Sim::builder()
        .nodana_static_key(NODANA_KEY)
        .nodion_static_key(NODION_KEY)
        .nodana_min_interval(Duration::ZERO)
        .nodana_start_delay(Duration::from_millis(50))
        .nodion_deploy_delay(Duration::from_millis(50))
        .start()
        .await
        .expect("twin")
}

fn client(adapter: Adapter, sim: &Sim) -> Arc<dyn Provider> {
    match adapter {
        Adapter::Nodana => Arc::new(
            NodanaClient::builder()
                .api_key(NODANA_KEY)
                .base_url(sim.nodana_base_url())
                .rate_limit(RateLimit::new(Quota::per_second(100)))
                .retry(super::fast_retry())
                .build()
                .expect("nodana"),
        ),
        Adapter::Nodion => Arc::new(
            NodionClient::builder()
                .user_key(NODION_KEY)
                .base_url(sim.nodion_base_url())
                .retry(super::fast_retry())
                .build()
                .expect("nodion"),
        ),
    }
}

fn spec(adapter: Adapter) -> AppSpec {
    match adapter {
        Adapter::Nodana => AppSpec::from_template("lnbits"),
        Adapter::Nodion => AppSpec::from_image("nginxdemos/hello")
            .name("web")
            .region("euc")
            .instance_type("starter"),
    }
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_is_reported_done() {
    for adapter in Adapter::ALL {
        let (logs, _guard) = capture_client_at_trace();
        let sim = twin().await;
        let provider = client(adapter, &sim);
        let created = provider.create_app(&spec(adapter)).await.expect("created");
        let id = created.app.id.clone();
        let (method, path) = match adapter {
            Adapter::Nodana => ("POST", "/apps/*/delete"),
            Adapter::Nodion => ("DELETE", "/applications/*"),
        };
        // Performed, then the connection drops before the answer: the replay meets 404.
        sim.inject(
            Fault::new(adapter.sim(), FaultKind::DropAfterProcessing)
                .method(method)
                .path(path),
        );
        provider
            .delete_app(&id)
            .await
            .unwrap_or_else(|e| panic!("{adapter}: the delete was performed: {e:?}"));
        let gone = provider.get_app(&id).await.expect_err("deleted");
        assert!(
            matches!(gone, Error::NotFound { .. }),
            "{adapter}: {gone:?}"
        );
        assert!(
            logs.text().contains("an earlier attempt"),
            "{adapter}: the outcome is noted in the logs"
        );
        // A 404 on the first attempt is still an error: there was nothing to delete.
        let never = provider
            .delete_app(&AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d99"))
            .await
            .expect_err("nothing to delete");
        assert!(
            matches!(never, Error::NotFound { .. }),
            "{adapter}: {never:?}"
        );
    }
}

#[tokio::test]
async fn a_transport_error_claims_no_status_that_did_not_arrive() {
    // Reads each request, then hangs up without a byte of answer.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = [0u8; 8192];
            let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut buf).await;
            drop(stream);
        }
    });
    let base = format!("http://127.0.0.1:{port}/v1");
    let nodana = NodanaClient::builder()
        .api_key(NODANA_KEY)
        .base_url(base.as_str())
        .retry(super::fast_retry())
        .build()
        .expect("nodana");
    let nodion = nodion(&base);
    let app = AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    let providers: [&dyn Provider; 2] = [&nodana, &nodion];
    for provider in providers {
        let err = provider.get_app(&app).await.expect_err("no answer");
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        let text = shown(&err);
        assert!(!text.contains("HTTP 200"), "{text}");
        assert!(
            err.to_string().contains("before an answer arrived"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn a_log_stream_ends_when_the_server_ignores_before() {
    // Always the same full page, whatever `before` says.
    let server = Loopback::start(|_| {
        let lines: Vec<_> = (0..50)
            .map(|i| json!({"ts": format!("2025-05-24T07:{:02}:00Z", 59 - i), "msg": format!("line {i}")}))
            .collect();
        let mut lines = lines;
        lines.reverse();
        Reply::new(200, json!({"logs": lines}).to_string())
    })
    .await;
    let client = nodion(&server.url("/v1"));
    let app = AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    let stream = client
        .logs()
        .stream(&app, LogQuery::new().page_size(50))
        .expect("stream");
    let lines: Vec<_> = tokio::time::timeout(Duration::from_secs(20), stream.collect::<Vec<_>>())
        .await
        .expect("the stream ends");
    let lines: Vec<_> = lines.into_iter().collect::<Result<_, _>>().expect("lines");
    assert!(lines.len() <= 50, "no line twice: {}", lines.len());
    assert!(
        server.received().len() <= 3,
        "{} pages",
        server.received().len()
    );
}
