//! Logs: one page, and the stream paging backwards.

use crate::common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use nodal_core::{AppId, Error};
use nodal_nodion::{InstanceId, LogLine, LogQuery};
use nodal_testkit::assert_matches;
use serde_json::{Value, json};

fn lines(range: std::ops::RangeInclusive<u32>) -> Value {
    let lines: Vec<Value> = range
        .map(|n| json!({"ts": format!("2025-05-24T08:{n:02}:00Z"), "msg": format!("line {n}"), "instance_id": "i-1"}))
        .collect();
    json!({"logs": lines})
}

fn msgs(lines: &[LogLine]) -> Vec<&str> {
    lines.iter().map(|l| l.msg.as_str()).collect()
}

#[tokio::test]
async fn logs_page_sends_every_query_parameter() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .query_param("limit", "3")
                .query_param("before", "2025-05-24T09:00:00Z")
                .query_param("after", "2025-05-24T07:00:00Z")
                .query_param("instance_id", "i-1");
            then.status(200).json_body(lines(1..=3));
        })
        .await;

    let query = LogQuery::new()
        .limit(3)
        .before("2025-05-24T09:00:00Z")
        .after("2025-05-24T07:00:00Z")
        .instance_id("i-1");
    let page = user_view(&server)
        .logs()
        .page(&AppId::from(APP), &query)
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(msgs(&page), ["line 1", "line 2", "line 3"]);
    assert_eq!(page[0].instance_id, Some(InstanceId::from("i-1")));
}

#[tokio::test]
async fn logs_page_without_options_sends_no_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"))
                .query_param_missing("limit")
                .query_param_missing("before");
            then.status(200).json_body(json!({"logs": []}));
        })
        .await;
    let page = user_client(&server)
        .logs()
        .page(&AppId::from(APP), &LogQuery::new())
        .await
        .unwrap();
    assert!(page.is_empty());
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn the_stream_pages_backwards_across_two_pages() {
    let server = MockServer::start_async().await;
    // Newest page first: lines 4..=6, then before = ts of line 4 gives lines 1..=3, then a
    // short page ends the stream.
    let newest = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"))
                .query_param("limit", "3")
                .query_param_missing("before");
            then.status(200).json_body(lines(4..=6));
        })
        .await;
    let older = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"))
                .query_param("limit", "3")
                .query_param("before", "2025-05-24T08:04:00Z");
            then.status(200).json_body(lines(2..=4));
        })
        .await;
    let oldest = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"))
                .query_param("before", "2025-05-24T08:02:00Z");
            then.status(200).json_body(lines(1..=1));
        })
        .await;

    let stream = user_client(&server)
        .logs()
        .stream(&AppId::from(APP), LogQuery::new().page_size(3))
        .unwrap();
    let all: Vec<LogLine> = stream.try_collect().await.unwrap();

    newest.assert_calls_async(1).await;
    older.assert_calls_async(1).await;
    oldest.assert_calls_async(1).await;
    // Newest first; line 4 came back at the boundary (an inclusive `before`) and is kept once.
    assert_eq!(
        msgs(&all),
        ["line 6", "line 5", "line 4", "line 3", "line 2", "line 1"]
    );
}

#[tokio::test]
async fn the_stream_stops_at_its_limit_and_asks_only_for_what_remains() {
    let server = MockServer::start_async().await;
    let first_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"))
                .query_param("limit", "4")
                .query_param("before", "2025-05-24T10:00:00Z");
            then.status(200).json_body(lines(7..=10));
        })
        .await;
    let second_page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"))
                .query_param("limit", "2")
                .query_param("before", "2025-05-24T08:07:00Z");
            then.status(200).json_body(lines(5..=6));
        })
        .await;

    let query = LogQuery::new()
        .limit(6)
        .page_size(4)
        .before("2025-05-24T10:00:00Z");
    let all: Vec<LogLine> = user_client(&server)
        .logs()
        .stream(&AppId::from(APP), query)
        .unwrap()
        .try_collect()
        .await
        .unwrap();

    first_page.assert_calls_async(1).await;
    second_page.assert_calls_async(1).await;
    assert_eq!(all.len(), 6);
    assert_eq!(all[0].msg, "line 10");
    assert_eq!(all[5].msg, "line 5");
}

#[tokio::test]
async fn page_sizes_above_the_maximum_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"logs": []}));
        })
        .await;
    let client = user_client(&server);
    let app = AppId::from(APP);

    let err = client
        .logs()
        .stream(&app, LogQuery::new().page_size(2501))
        .err()
        .unwrap();
    assert_matches!(err, Error::InvalidInput { field: Some(f), .. } if f == "page_size");
    assert!(err.to_string().contains("2500"));
    let err = client
        .logs()
        .page(&app, &LogQuery::new().limit(2501))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: Some(f), .. } if f == "limit"));
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_the_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"));
            then.status(403)
                .json_body(json!({"status": 403, "error": "Forbidden"}));
        })
        .await;
    let err = user_client(&server)
        .logs()
        .stream(&AppId::from(APP), LogQuery::new())
        .unwrap()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    match err {
        Error::PermissionDenied { needed_scope, .. } => {
            assert_eq!(needed_scope.as_deref(), Some("read + logs:read"));
        }
        other => panic!("unexpected {other:?}"),
    }
}
