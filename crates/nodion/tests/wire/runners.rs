//! Runners and runs: reads, and a trigger whose env values are secrets.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::Error;
use nodal_nodion::{NewRun, RunId, RunStatus, RunnerId, endpoints};
use nodal_testkit::assert_matches;
use serde_json::json;

const RUNNER: &str = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
const RUN: &str = "c3f85434-5470-46de-bbeb-ce668ca2c351";
const CANARY: &str = "run-secret-canary-7d1e";

#[tokio::test]
async fn runners_and_runs_are_read() {
    let server = MockServer::start_async().await;
    let mocks = [
        ("/v1/runners".to_owned(), "runners--list"),
        (format!("/v1/runners/{RUNNER}"), "runners--get"),
        (format!("/v1/runners/{RUNNER}/runs"), "runner-runs--list"),
        (
            format!("/v1/runners/{RUNNER}/runs/{RUN}"),
            "runner-runs--get",
        ),
    ];
    let mut handles = Vec::new();
    for (path, fixture) in &mocks {
        handles.push(
            server
                .mock_async(|when, then| {
                    when.method(GET)
                        .path(path.as_str())
                        .header("authorization", user_auth())
                        .header("x-nodion-project", PROJECT)
                        .header_missing("content-type");
                    then.status(200).body(reference(fixture));
                })
                .await,
        );
    }
    let client = user_view(&server);
    let runner = RunnerId::from(RUNNER);

    let runners = client.runners().list().await.unwrap();
    assert_eq!(runners[0].id, runner);
    let t = runners[0].instance_type.as_ref().unwrap();
    assert_eq!(t.mem, Some(1024.0));
    assert_eq!(t.price_month.as_ref().unwrap().as_str(), "5.0");
    let one = client.runners().get(&runner).await.unwrap();
    assert_eq!(
        one.warmed_at.as_deref(),
        Some("2026-01-15T10:00:30.000+01:00")
    );
    let runs = client.runners().runs(&runner).await.unwrap();
    assert_eq!(runs[1].status, Some(RunStatus::Failed));
    let run = client
        .runners()
        .run(&runner, &RunId::from(RUN))
        .await
        .unwrap();
    assert_eq!(run.exit_code, Some(0));

    for handle in handles {
        handle.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn a_trigger_sends_the_env_overrides_and_never_prints_them() {
    let server = MockServer::start_async().await;
    let with_env = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/runners/{RUNNER}/runs"))
                .header("authorization", user_auth())
                .header("content-type", "application/json")
                .json_body(json!({"env_variables": [
                    {"env_key": "TARGET", "env_val": "staging"},
                    {"env_key": "TOKEN", "env_val": CANARY}
                ]}));
            then.status(200).json_body(json!({"run": {
                "id": "run-9", "status": "queued", "exit_code": null, "command": null,
                "argv": [], "entrypoint": null, "started_at": null, "completed_at": null
            }}));
        })
        .await;
    let bare = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/runners/{RUNNER}/runs"))
                .header_missing("content-type")
                .body("");
            then.status(200)
                .json_body(json!({"run": {"id": "run-10", "status": "queued"}}));
        })
        .await;
    let client = user_client(&server);
    let runner = RunnerId::from(RUNNER);

    let run = NewRun::new()
        .env("TARGET", "staging".into())
        .env("TOKEN", CANARY.into());
    assert!(!format!("{run:?}").contains(CANARY));
    let queued = client.runners().trigger(&runner, &run).await.unwrap();
    assert_eq!(queued.id.as_str(), "run-9");
    assert_eq!(queued.status, Some(RunStatus::Other("queued".into())));
    assert_eq!(queued.exit_code, None);
    let queued = client
        .runners()
        .trigger(&runner, &NewRun::new())
        .await
        .unwrap();
    assert_eq!(queued.id.as_str(), "run-10");

    with_env.assert_calls_async(1).await;
    bare.assert_calls_async(1).await;
    assert!(!endpoints::CREATE_RUN.is_idempotent());
}

#[tokio::test]
async fn a_bad_variable_name_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = user_client(&server);
    for key in ["1ABC", "A-B", ""] {
        let run = NewRun::new().env(key, CANARY.into());
        let err = client
            .runners()
            .trigger(&RunnerId::from(RUNNER), &run)
            .await
            .unwrap_err();
        assert_matches!(err, Error::InvalidInput { field: Some(f), .. } if f == "env_key");
        assert!(!err.to_string().contains(CANARY), "{err}");
    }
    any.assert_calls_async(0).await;
}
