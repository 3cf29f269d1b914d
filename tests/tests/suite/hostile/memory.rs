//! Memory: 64 answers at the per-answer cap, at once, stay within the client-wide bound; one
//! answer larger than the whole bound is refused; provider messages are cut the same way by
//! both adapters.

use super::{nodana, nodion, shown};
use nodal::nodion::NewEnvVariable;
use nodal::{AppId, Apps, Error};
use nodal_core::raw::HttpClient;
use nodal_core::{DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_RESPONSE_BYTES, Endpoint, RetryConfig};
use nodal_tests::PlainJson;
use nodal_tests::loopback::{Loopback, Reply};
use nodal_tests::memory::{mib, resident_bytes};
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const GET: Endpoint = Endpoint::get("/big");

/// What resident memory may grow by while 64 answers at the cap are read at once. The bytes
/// nodal buffers are held to the client-wide bound (64 MiB, checked exactly through
/// `buffered_bytes_peak`); the process also holds the 64 connections' read buffers, and the
/// allocator's per-thread arenas keep freed 8 MiB buffers for reuse, so resident memory grew
/// by 100 to 180 MiB in measured runs. Before the bound existed the same run grew the process
/// by about 520 MiB (64 × 8 MiB). Stated in docs/reliability.md.
const RSS_GROWTH_BOUND: u64 = 4 * DEFAULT_MAX_BUFFERED_BYTES;

/// A server that answers every request with a JSON string of `size` bytes, written from one
/// shared buffer (so the server itself holds no copy per answer), with a `Content-Length` or
/// chunked.
async fn big_answers(size: usize, chunked: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let piece = vec![b'a'; 64 * 1024];
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    // One request head (GETs carry no body), then the answer; keep-alive.
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    request.clear();
                    let head = if chunked {
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
                    } else {
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n"
                        )
                    };
                    if stream.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let mut left = size;
                    let mut first = true;
                    while left > 0 {
                        let n = left.min(piece.len());
                        let mut part = piece[..n].to_vec();
                        if first {
                            part[0] = b'"';
                            first = false;
                        }
                        if left == n {
                            part[n - 1] = b'"';
                        }
                        let framed = if chunked {
                            let mut framed = format!("{n:x}\r\n").into_bytes();
                            framed.extend_from_slice(&part);
                            framed.extend_from_slice(b"\r\n");
                            framed
                        } else {
                            part
                        };
                        if stream.write_all(&framed).await.is_err() {
                            return;
                        }
                        left -= n;
                    }
                    if chunked && stream.write_all(b"0\r\n\r\n").await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// Resets the peak resident memory the kernel reports (`VmHWM`), so that the peak of one run
/// can be read; `false` where that is not possible.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn peak_resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

async fn sixty_four_at_the_cap(chunked: bool) {
    let base = big_answers(DEFAULT_MAX_RESPONSE_BYTES as usize, chunked).await;
    let client = HttpClient::builder(PlainJson)
        .base_url(base)
        .retry(RetryConfig::disabled())
        .timeouts(nodal_core::Timeouts::default().with_request(Duration::from_secs(120)))
        .build()
        .expect("client");
    assert_eq!(client.max_buffered_bytes(), DEFAULT_MAX_BUFFERED_BYTES);
    let measured = reset_peak();
    let before = resident_bytes();
    let calls = (0..64).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .send::<serde::de::IgnoredAny>(GET.request())
                .await
                .map(|_| ())
        })
    });
    for call in futures_util::future::join_all(calls).await {
        call.expect("task")
            .expect("every answer at the cap is read");
    }
    let peak = client.buffered_bytes_peak();
    println!(
        "chunked={chunked}: peak buffered {} (bound {})",
        mib(peak),
        mib(client.max_buffered_bytes())
    );
    assert!(peak <= client.max_buffered_bytes(), "{}", mib(peak));
    assert!(
        peak >= DEFAULT_MAX_RESPONSE_BYTES,
        "the counter saw the answers"
    );
    assert_eq!(client.buffered_bytes(), 0, "every reservation was returned");
    // Resident memory is the whole process's: it is asserted only when this test has the
    // process to itself (nextest runs each test in a process of its own, as CI does); under
    // `cargo test` other tests run alongside and the figure is only printed.
    let alone = std::env::var("NEXTEST_EXECUTION_MODE").is_ok_and(|m| m == "process-per-test");
    if let (true, Some(before), Some(after)) = (measured, before, peak_resident()) {
        let growth = after.saturating_sub(before);
        println!(
            "chunked={chunked}: resident {} → peak {} (growth {}, bound {})",
            mib(before),
            mib(after),
            mib(growth),
            mib(RSS_GROWTH_BOUND)
        );
        assert!(
            !alone || growth < RSS_GROWTH_BOUND,
            "grew by {}",
            mib(growth)
        );
    }
}

/// One test for both ways of sending a body, one after the other: two runs at once in one
/// process would add up their resident memory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_answers_at_the_cap_stay_under_the_bound() {
    sixty_four_at_the_cap(false).await;
    sixty_four_at_the_cap(true).await;
}

#[tokio::test]
async fn one_answer_larger_than_the_whole_bound_is_refused() {
    for chunked in [false, true] {
        let base = big_answers(2 * 1024 * 1024, chunked).await;
        let client = HttpClient::builder(PlainJson)
            .base_url(base)
            .max_buffered_bytes(1024 * 1024)
            .build()
            .expect("client");
        let err = client
            .send::<serde::de::IgnoredAny>(GET.request())
            .await
            .expect_err("larger than the whole bound");
        assert!(
            matches!(err, Error::ResponseTooLarge { limit, .. } if limit == 1024 * 1024),
            "{err:?}"
        );
        assert_eq!(client.buffered_bytes(), 0);
    }
    let zero = HttpClient::builder(PlainJson)
        .base_url("http://127.0.0.1:9")
        .max_buffered_bytes(0)
        .build()
        .expect_err("a zero bound is refused");
    assert!(matches!(zero, Error::Config { .. }), "{zero:?}");
}

/// A 6 MiB provider message: both adapters keep at most `MAX_PROVIDER_WORDS` characters of it.
#[tokio::test]
async fn both_adapters_cut_a_huge_provider_message() {
    let huge = "x".repeat(6 * 1024 * 1024);
    let nodana_answer =
        json!({"error": "BadRequestError", "message": huge, "statusCode": 400}).to_string();
    let nodion_answer = json!({"errors": [huge]}).to_string();
    let server = Loopback::start(move |r| {
        if r.header("authorization")
            .is_some_and(|a| a.starts_with("Basic"))
        {
            Reply::new(200, nodana_answer.clone())
        } else {
            Reply::new(422, nodion_answer.clone())
        }
    })
    .await;
    let app = AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    let nodana = nodana(&server.url("/v1"));
    let nodion = nodion(&server.url("/v1"));
    let errors = [
        nodana.get_app(&app).await.expect_err("refused"),
        nodion
            .env()
            .create(&app, &NewEnvVariable::new("K", "value-1234".into()))
            .await
            .expect_err("refused"),
    ];
    for err in errors {
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
        let display = err.to_string();
        assert!(display.len() < 2_000, "{} bytes", display.len());
        assert!(shown(&err).len() < 10_000);
        assert!(display.contains('…'), "{display}");
    }
}
