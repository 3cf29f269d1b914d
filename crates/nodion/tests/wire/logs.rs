//! Logs: one page, and the stream paging backwards by Nodion's one-hour window rule.

use crate::common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use nodal_core::{AppId, Error};
use nodal_nodion::{InstanceId, LogLine, LogQuery};
use nodal_testkit::assert_matches;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

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

const HOUR: i64 = 3_600_000;

/// Days since 1970-01-01 of a date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fff]Z`, the form the stream sends.
fn ms(ts: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| ts[r].parse::<i64>().unwrap();
    assert!(ts.ends_with('Z'), "{ts}");
    let frac = if ts.len() > 20 { n(20..23) } else { 0 };
    let days = days_from_civil(n(0..4), n(5..7), n(8..10));
    ((days * 24 + n(11..13)) * 60 + n(14..16)) * 60_000 + n(17..19) * 1000 + frac
}

/// The RFC 3339 form (milliseconds, `Z`) of milliseconds since the epoch.
fn ts(ms: i64) -> String {
    let (days, of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        of_day / HOUR,
        of_day / 60_000 % 60,
        of_day / 1000 % 60,
        of_day % 1000
    )
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A log line in the shape of the reference's example (`application-logs--list`).
fn reference_line(at: i64, msg: &str) -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/reference/application-logs--list.json.txt"
    ))
    .unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("# ")).collect();
    let example: Value = serde_json::from_str(&body).unwrap();
    let mut line = example["logs"][0].clone();
    line["ts"] = json!(ts(at));
    line["msg"] = json!(msg);
    line["instance_id"] = json!("3e5ac35cc2");
    line
}

fn logs_response(lines: Vec<Value>) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(json!({ "logs": lines }).to_string())
        .build()
}

/// One request the server saw: `limit`, `before`, `after`.
type Seen = Arc<Mutex<Vec<(Option<String>, Option<String>, Option<String>)>>>;

fn record(seen: &Seen, req: &HttpMockRequest) -> (Option<u32>, Option<String>, Option<String>) {
    let params = req.query_params_map();
    let (limit, before, after) = (
        params.get("limit").cloned(),
        params.get("before").cloned(),
        params.get("after").cloned(),
    );
    seen.lock()
        .unwrap()
        .push((limit.clone(), before.clone(), after.clone()));
    (limit.map(|l| l.parse().unwrap()), before, after)
}

/// A server that answers `GET .../logs` by the reference's rules over `lines` (time, message):
/// `before` and `after` are strict; without `after` the window is the hour before `before`
/// (or before now); of the lines in the window, the newest `limit` (default 200), oldest first
/// — but with `after` alone the oldest `limit` after it (a tail cursor, as the twin decides).
async fn window_rule_server(server: &MockServer, mut lines: Vec<(i64, &'static str)>) -> Seen {
    lines.sort();
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"));
            then.respond_with(move |req: &HttpMockRequest| {
                let (limit, before, after) = record(&log, req);
                let upper = before.as_deref().map_or_else(now_ms, ms);
                let lower = after.as_deref().map_or(upper - HOUR, ms);
                let window: Vec<&(i64, &str)> = lines
                    .iter()
                    .filter(|(at, _)| *at > lower && *at < upper)
                    .collect();
                let keep = limit.unwrap_or(200) as usize;
                let newest = if after.is_some() && before.is_none() {
                    &window[..keep.min(window.len())]
                } else {
                    &window[window.len().saturating_sub(keep)..]
                };
                logs_response(
                    newest
                        .iter()
                        .map(|(at, msg)| reference_line(*at, msg))
                        .collect(),
                )
            });
        })
        .await;
    seen
}

async fn collect(server: &MockServer, query: LogQuery) -> Vec<LogLine> {
    user_client(server)
        .logs()
        .stream(&AppId::from(APP), query)
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

/// Lines over 3.5 hours before 12:00 with a quiet hour (10:00–11:00) and one line exactly on
/// a window boundary (10:00:00.000).
fn spread_lines() -> Vec<(i64, &'static str)> {
    let at = |t: &str| ms(&format!("2025-05-24T{t}Z"));
    vec![
        (at("08:20:00"), "before the floor"),
        (at("08:45:00"), "a"),
        (at("09:30:00"), "b"),
        (at("10:00:00.000"), "c on the boundary"),
        (at("11:30:00"), "d"),
        (at("11:40:00"), "e"),
        (at("11:50:00"), "f"),
        (at("12:00:00"), "at before"),
    ]
}

#[tokio::test]
async fn the_stream_reads_past_quiet_hours_down_to_its_floor() {
    let server = MockServer::start_async().await;
    let seen = window_rule_server(&server, spread_lines()).await;

    let query = LogQuery::new()
        .before("2025-05-24T12:00:00Z")
        .after("2025-05-24T08:30:00Z")
        .page_size(2);
    let all = collect(&server, query).await;

    assert_eq!(
        msgs(&all),
        ["f", "e", "d", "c on the boundary", "b", "a"],
        "newest first, every line once, across the quiet hour"
    );
    let seen = seen.lock().unwrap().clone();
    let window = |before: &str, after: &str| {
        (
            Some("2".to_owned()),
            Some(before.to_owned()),
            Some(after.to_owned()),
        )
    };
    assert_eq!(
        seen,
        [
            window("2025-05-24T12:00:00Z", "2025-05-24T11:00:00Z"),
            // A full page: the same window before its oldest line.
            window("2025-05-24T11:40:00.000Z", "2025-05-24T11:00:00Z"),
            // A short page: one hour back, 1 ms of overlap at the boundary.
            window("2025-05-24T11:00:00.001Z", "2025-05-24T10:00:00Z"),
            // The quiet hour's empty page does not end the stream.
            window("2025-05-24T10:00:00.001Z", "2025-05-24T09:00:00Z"),
            window("2025-05-24T09:30:00.000Z", "2025-05-24T09:00:00Z"),
            // The last window ends at the query's `after`, sent as written.
            window("2025-05-24T09:00:00.001Z", "2025-05-24T08:30:00Z"),
        ]
    );
}

#[tokio::test]
async fn a_since_window_with_a_limit_returns_its_newest_lines() {
    let server = MockServer::start_async().await;
    let seen = window_rule_server(&server, spread_lines()).await;

    let query = LogQuery::new()
        .before("2025-05-24T12:00:00Z")
        .after("2025-05-24T08:30:00Z")
        .limit(4)
        .page_size(3);
    let all = collect(&server, query).await;

    assert_eq!(msgs(&all), ["f", "e", "d", "c on the boundary"]);
    let limits: Vec<Option<String>> = seen.lock().unwrap().iter().map(|s| s.0.clone()).collect();
    // 3 lines, then only the one still wanted: before them in the first hour (none), in the
    // quiet hour (none), then in the hour that has it.
    assert_eq!(
        limits,
        [
            Some("3".into()),
            Some("1".into()),
            Some("1".into()),
            Some("1".into())
        ]
    );
}

#[tokio::test]
async fn without_before_the_stream_reaches_lines_older_than_an_hour() {
    let server = MockServer::start_async().await;
    let now = now_ms();
    let seen = window_rule_server(
        &server,
        vec![
            (now - 10 * 60_000, "10 minutes ago"),
            (now - 95 * 60_000, "95 minutes ago"),
            (now - 170 * 60_000, "170 minutes ago"),
            (now - 200 * 60_000, "200 minutes ago"),
        ],
    )
    .await;

    // What `nodal logs APP --since 3h` asks for.
    let since = ts(now - 3 * HOUR);
    let all = collect(&server, LogQuery::new().after(since.clone()).limit(100)).await;

    assert_eq!(
        msgs(&all),
        ["10 minutes ago", "95 minutes ago", "170 minutes ago"]
    );
    let seen = seen.lock().unwrap().clone();
    // The reference's initial fetch first (no cursors: the server's last hour), then windows
    // with both cursors, down to `since`.
    assert_eq!(seen[0], (Some("100".into()), None, None));
    assert!(
        seen[1..].iter().all(|(_, before, after)| before.is_some()
            && after.as_deref().is_some_and(|a| ms(a) >= ms(&since))),
        "{seen:?}"
    );
    assert_eq!(seen.last().unwrap().2.as_deref(), Some(since.as_str()));
}

#[tokio::test]
async fn a_server_that_ignores_before_cannot_make_the_stream_loop() {
    let server = MockServer::start_async().await;
    let page: Vec<Value> = (1..=3)
        .map(|n| {
            reference_line(
                ms("2025-05-24T11:00:00Z") + n * 60_000,
                &format!("line {n}"),
            )
        })
        .collect();
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"));
            then.status(200).json_body(json!({ "logs": page }));
        })
        .await;

    let all = collect(
        &server,
        LogQuery::new().before("2025-05-24T12:00:00Z").page_size(3),
    )
    .await;

    assert_eq!(msgs(&all), ["line 3", "line 2", "line 1"]);
    // The repeated page made no progress: the stream ended at the second request.
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_server_that_ignores_every_cursor_with_short_pages_ends_the_stream_too() {
    let server = MockServer::start_async().await;
    // Recent lines (the stream has no `before`, so its floor is 7 days before now).
    let now = now_ms();
    let page: Vec<Value> = (1..=2)
        .map(|n| reference_line(now - (3 - n) * 60_000, &format!("line {n}")))
        .collect();
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/logs"));
            then.status(200).json_body(json!({ "logs": page }));
        })
        .await;

    let all = collect(&server, LogQuery::new().page_size(3)).await;

    assert_eq!(msgs(&all), ["line 2", "line 1"]);
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_quiet_app_is_read_one_hour_at_a_time_back_to_the_retention_horizon() {
    let server = MockServer::start_async().await;
    let seen = window_rule_server(&server, Vec::new()).await;

    let all = collect(&server, LogQuery::new().before("2025-05-24T12:00:00Z")).await;

    assert!(all.is_empty());
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        7 * 24,
        "one request per hour of the 7 days kept"
    );
    assert_eq!(seen[0].2.as_deref(), Some("2025-05-24T11:00:00Z"));
    assert_eq!(seen[1].1.as_deref(), Some("2025-05-24T11:00:00.001Z"));
    assert_eq!(
        seen.last().unwrap().2.as_deref(),
        Some("2025-05-17T12:00:00Z")
    );
}

#[tokio::test]
async fn stream_bounds_must_be_times() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"logs": []}));
        })
        .await;
    let client = user_client(&server);
    let app = AppId::from(APP);
    for (query, field) in [
        (LogQuery::new().before("yesterday"), "before"),
        (LogQuery::new().after("2025-13-01T00:00:00Z"), "after"),
    ] {
        let err = client.logs().stream(&app, query).err().unwrap();
        assert_matches!(err, Error::InvalidInput { field: Some(f), .. } if f == field);
        assert!(err.to_string().contains("RFC 3339"), "{err}");
    }
    // A window that ends before it starts sends nothing.
    let query = LogQuery::new()
        .before("2025-05-24T08:00:00Z")
        .after("2025-05-24T11:00:00+02:00");
    let none: Vec<LogLine> = client
        .logs()
        .stream(&app, query)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_limit_without_before_returns_the_newest_lines_of_a_busy_hour() {
    let server = MockServer::start_async().await;
    let now = now_ms();
    let lines: Vec<(i64, &'static str)> = vec![
        (now - 5 * 60_000, "5"),
        (now - 4 * 60_000, "4"),
        (now - 3 * 60_000, "3"),
        (now - 2 * 60_000, "2"),
        (now - 60_000, "1"),
    ];
    window_rule_server(&server, lines).await;

    let since = ts(now - 30 * 60_000);
    let all = collect(&server, LogQuery::new().after(since).limit(2)).await;

    assert_eq!(msgs(&all), ["1", "2"]);
}
