//! Decoder fuzzing (docs/reliability.md): hostile answers into every response decoder of both
//! adapters. No panic, and every failure has the right kind (see `nodal_tests::fuzz::check`).
//!
//! `NODAL_FUZZ_CASES` sets the cases per provider (default 10,000), split across four tests:
//! arbitrary bytes (20 %), arbitrary JSON in each envelope shape (40 %), real answers cut and
//! bit-flipped (20 %) — each body goes through every decoder of the provider — and the typed
//! calls end to end over a loopback server (20 %), which also covers the adapters' own
//! wrapping and the request path. The long mode:
//!
//! ```sh
//! NODAL_FUZZ_CASES=1000000 cargo test --release -p nodal-tests --test suite fuzz_decoders -- --nocapture
//! ```

use nodal::nodana::{NewApp, NodanaClient, ServiceId, Template};
use nodal::nodion::{
    CreateApplication, DnsZoneId, DomainId, EnvVariableId, LogQuery, NewDnsRecord, NewDomain,
    NodionClient, ProcessId, RecordType, SshKeyId,
};
use nodal::{AppId, Error, ProjectId, Provider};
use nodal_core::{RateLimit, RetryConfig};
use nodal_tests::Adapter;
use nodal_tests::fuzz::{
    Shape, Tally, check, check_all, envelope, mutated, runner, sample, share, status,
};
use nodal_tests::loopback::{Loopback, Reply};
use proptest::prelude::*;
use std::cell::RefCell;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Prints the figures of one run (the docs quote them).
/// Below this many cases a run is too small to expect every kind of outcome.
const MEANINGFUL: u32 = 1000;

fn report(test: &str, adapter: Adapter, cases: u32, tally: Tally, started: Instant) {
    eprintln!(
        "fuzz {adapter} {test}: {cases} cases, {} decodes ({} ok, {} Decode, {} mapped errors) in {:.2?}",
        tally.ok + tally.decode + tally.mapped,
        tally.ok,
        tally.decode,
        tally.mapped,
        started.elapsed()
    );
}

fn arbitrary_bytes(adapter: Adapter) {
    let cases = share(20);
    let started = Instant::now();
    let tally = RefCell::new(Tally::default());
    let strategy = (status(), prop::collection::vec(any::<u8>(), 0..512));
    runner(cases)
        .run(&strategy, |(status, body)| {
            check_all(
                adapter,
                status,
                &body,
                Shape::Bytes,
                &mut tally.borrow_mut(),
            )
            .map_err(TestCaseError::fail)
        })
        .unwrap();
    let tally = tally.into_inner();
    if cases >= MEANINGFUL {
        assert!(tally.decode > 0 && tally.mapped > 0, "{tally:?}");
    }
    report("arbitrary bytes", adapter, cases, tally, started);
}

fn arbitrary_json_in_envelopes(adapter: Adapter) {
    let cases = share(40);
    let started = Instant::now();
    let tally = RefCell::new(Tally::default());
    let strategy = (status(), envelope(adapter), any::<bool>());
    runner(cases)
        .run(&strategy, |(status, value, pretty)| {
            let body = if pretty {
                serde_json::to_vec_pretty(&value)
            } else {
                serde_json::to_vec(&value)
            }
            .expect("serialize");
            check_all(
                adapter,
                status,
                &body,
                Shape::GeneratedJson,
                &mut tally.borrow_mut(),
            )
            .map_err(TestCaseError::fail)
        })
        .unwrap();
    let tally = tally.into_inner();
    // The shaped JSON must reach successful decodes, not only "missing field".
    if cases >= MEANINGFUL {
        assert!(
            tally.ok > 0 && tally.decode > 0 && tally.mapped > 0,
            "{tally:?}"
        );
    }
    report("JSON envelopes", adapter, cases, tally, started);
}

fn damaged_answers(adapter: Adapter) {
    let cases = share(20);
    let started = Instant::now();
    let tally = RefCell::new(Tally::default());
    runner(cases)
        .run(&(status(), mutated(adapter)), |(status, body)| {
            check_all(
                adapter,
                status,
                &body,
                Shape::Bytes,
                &mut tally.borrow_mut(),
            )
            .map_err(TestCaseError::fail)
        })
        .unwrap();
    let tally = tally.into_inner();
    if cases >= MEANINGFUL {
        assert!(tally.ok > 0 && tally.decode > 0, "{tally:?}");
    }
    report("damaged answers", adapter, cases, tally, started);
}

#[test]
fn nodana_arbitrary_bytes() {
    arbitrary_bytes(Adapter::Nodana);
}

#[test]
fn nodion_arbitrary_bytes() {
    arbitrary_bytes(Adapter::Nodion);
}

#[test]
fn nodana_arbitrary_json_in_envelopes() {
    arbitrary_json_in_envelopes(Adapter::Nodana);
}

#[test]
fn nodion_arbitrary_json_in_envelopes() {
    arbitrary_json_in_envelopes(Adapter::Nodion);
}

#[test]
fn nodana_damaged_answers() {
    damaged_answers(Adapter::Nodana);
}

#[test]
fn nodion_damaged_answers() {
    damaged_answers(Adapter::Nodion);
}

/// Statuses that can carry a body over HTTP/1.1 (1xx, 204 and 304 cannot), redirects included.
fn wire_status() -> BoxedStrategy<u16> {
    status()
        .prop_filter("a status that carries a body", |s| {
            (200..=599).contains(s) && *s != 204 && *s != 304
        })
        .boxed()
}

/// A typed call, chosen by index, against whatever the server answers; the `Debug` of a value
/// is formatted so a panicking `Debug` would show.
async fn call_nodana(client: &NodanaClient, which: u8) -> Result<(), Error> {
    let app = AppId::from("app-1");
    let project = ProjectId::from("prj-1");
    let provider: &dyn Provider = client;
    let shown = match which % 16 {
        0 => format!("{:?}", client.projects().list().await?),
        1 => format!("{:?}", client.projects().get(&project).await?),
        2 => format!("{:?}", client.projects().create("p").await?),
        3 => format!("{:?}", client.projects().rename(&project, "q").await?),
        4 => format!("{:?}", client.projects().delete(&project).await?),
        5 => format!("{:?}", client.projects().apps(&project).await?),
        6 => format!(
            "{:?}",
            client
                .apps()
                .create(&NewApp::new(Template::custom("lnbits", [("k", "v")])))
                .await?
        ),
        7 => format!("{:?}", client.apps().get(&app).await?),
        8 => format!("{:?}", client.apps().update(&app).await?),
        9 => format!("{:?}", client.apps().start(&app).await?),
        10 => format!("{:?}", client.apps().stop(&app).await?),
        11 => format!("{:?}", client.apps().restart(&app).await?),
        12 => format!("{:?}", client.apps().delete(&app).await?),
        13 => format!("{:?}", client.services().list(&app).await?),
        14 => format!(
            "{:?}",
            client.services().update(&app, &ServiceId::new("s")).await?
        ),
        _ => format!("{:?}", provider.get_app(&app).await?),
    };
    drop(shown);
    Ok(())
}

async fn call_nodion(client: &NodionClient, which: u8) -> Result<(), Error> {
    let app = AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    let shown = match which % 24 {
        0 => format!("{:?}", client.catalog().regions().await?),
        1 => format!("{:?}", client.catalog().instance_types().await?),
        2 => format!("{:?}", client.projects().list().await?),
        3 => format!("{:?}", client.applications().list().await?),
        4 => format!("{:?}", client.applications().get(&app).await?),
        5 => format!(
            "{:?}",
            client
                .applications()
                .create(&CreateApplication::new("w", "r", "t", 1))
                .await?
        ),
        6 => format!("{:?}", client.applications().delete(&app).await?),
        7 => format!("{:?}", client.deployments().list(&app).await?),
        8 => format!("{:?}", client.deployments().create(&app, None).await?),
        9 => format!("{:?}", client.env().list(&app).await?),
        10 => format!(
            "{:?}",
            client.env().get(&app, &EnvVariableId::from("e")).await?
        ),
        11 => format!("{:?}", client.processes().list(&app).await?),
        12 => format!(
            "{:?}",
            client
                .processes()
                .scale(&app, &ProcessId::from("p"), 1)
                .await?
        ),
        13 => format!("{:?}", client.domains().list(&app).await?),
        14 => format!(
            "{:?}",
            client
                .domains()
                .create(&app, &NewDomain::new("a.example.com"))
                .await?
        ),
        15 => format!(
            "{:?}",
            client.domains().verify(&app, &DomainId::from("d")).await?
        ),
        16 => format!(
            "{:?}",
            client.logs().page(&app, &LogQuery::new().limit(5)).await?
        ),
        17 => format!("{:?}", client.instances().list(&app).await?),
        18 => format!("{:?}", client.instances().metrics(&app).await?),
        19 => format!("{:?}", client.dns().list_zones().await?),
        20 => format!(
            "{:?}",
            client
                .dns()
                .create_record(
                    &DnsZoneId::from("z"),
                    &NewDnsRecord::new(RecordType::A, "@", "192.0.2.1"),
                )
                .await?
        ),
        21 => format!("{:?}", client.ssh_keys().list().await?),
        22 => format!(
            "{:?}",
            client.ssh_keys().delete(&SshKeyId::from("k")).await?
        ),
        _ => {
            let provider: &dyn Provider = client;
            format!("{:?}", provider.list_deployments(&app).await?)
        }
    };
    drop(shown);
    Ok(())
}

/// The typed calls over a loopback server that answers each case's status and body.
fn end_to_end(adapter: Adapter) {
    let cases = share(20);
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let answer = Arc::new(Mutex::new(Reply::new(200, "{}")));
    let script = Arc::clone(&answer);
    let server = runtime.block_on(Loopback::start(move |_| {
        script.lock().expect("answer").clone()
    }));
    let base_url = server.url("/v1");
    let nodana = NodanaClient::builder()
        .api_key("fuzz-key")
        .base_url(base_url.as_str())
        .rate_limit(RateLimit::unlimited())
        .retry(RetryConfig::disabled())
        .build()
        .expect("nodana client");
    let nodion = NodionClient::builder()
        .user_key("fuzz-key")
        .base_url(base_url.as_str())
        .retry(RetryConfig::disabled())
        .build()
        .expect("nodion client");

    let body = prop_oneof![
        3 => envelope(adapter).prop_map(|v| serde_json::to_vec(&v).expect("serialize")),
        1 => mutated(adapter),
        1 => sample(adapter),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ];
    let tally = RefCell::new(Tally::default());
    runner(cases)
        .run(
            &(wire_status(), body, any::<u8>()),
            |(status, body, which)| {
                *answer.lock().expect("answer") = Reply::new(status, body.clone());
                let result = runtime.block_on(async {
                    match adapter {
                        Adapter::Nodana => call_nodana(&nodana, which).await,
                        Adapter::Nodion => call_nodion(&nodion, which).await,
                    }
                });
                tally.borrow_mut().add(&result);
                // The request path turns a redirect into Server before any decoder sees it.
                if (300..400).contains(&status) {
                    prop_assert!(
                        matches!(result, Err(Error::Server { .. })),
                        "redirect: {result:?}"
                    );
                    return Ok(());
                }
                // End to end the body is treated as bytes: the Nodana create-app answer may also be
                // accepted without its envelope, and an error payload maps to its meaning.
                check(adapter, status, &body, Shape::Bytes, &result).map_err(TestCaseError::fail)
            },
        )
        .unwrap();
    let tally = tally.into_inner();
    if cases >= MEANINGFUL {
        assert!(
            tally.ok > 0 && tally.decode > 0 && tally.mapped > 0,
            "{tally:?}"
        );
    }
    report("end to end", adapter, cases, tally, started);
}

#[test]
fn nodana_end_to_end() {
    end_to_end(Adapter::Nodana);
}

#[test]
fn nodion_end_to_end() {
    end_to_end(Adapter::Nodion);
}

/// Found by the long mode: an unknown key's string value is skipped unread (invalid UTF-8 and
/// all), so this is a well-formed rate-limit payload, and must map to `RateLimited`.
#[test]
fn a_payload_with_invalid_utf8_in_an_unknown_key_is_still_an_error_payload() {
    let mut body =
        br##"{"error":"TooManyRequestsError","#essage":"Xoo many requests","statusCode":429}"##
            .to_vec();
    let at = body.iter().position(|b| *b == b'X').expect("marker");
    body[at] = 0x80;
    assert!(nodal_tests::fuzz::is_nodana_error_payload(&body));
    check_all(
        Adapter::Nodana,
        200,
        &body,
        Shape::Bytes,
        &mut Tally::default(),
    )
    .unwrap();
    let raw = nodal_core::raw::RawResponse::new("nodana", 200, &body);
    let err = nodal_core::raw::Protocol::decode::<serde_json::Value>(
        &nodal::nodana::raw::NodanaProtocol,
        &raw,
    )
    .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
}
