//! Application logs (scopes `read` + `logs:read`): one page, or a stream that pages backwards
//! in time.
//!
//! Nodion answers `GET /applications/:id/logs?limit=&before=&after=&instance_id=` with at most
//! 2500 lines, oldest first. `before` and `after` are strict bounds, and a request without
//! `after` only covers the hour before `before` (or before now): the provider's one-hour
//! window. The stream therefore sends `after` as well as `before` and moves that window back one
//! hour at a time, down to the `after` of the query or the retention horizon
//! ([`LOGS_RETENTION`]), and yields lines **newest first** (see [`LogsApi::stream`]).

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::ids::InstanceId;
use crate::protocol::PROVIDER;
use crate::timestamp::Instant;
use crate::wire::{LogsKey, null_default};
use futures_core::Stream;
use nodal_core::{AppId, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::time::Duration;

/// The most log lines Nodion returns for one request (the provider's documented maximum).
pub const LOGS_MAX_LIMIT: u32 = 2500;

/// Lines per request when the query does not say: the provider's maximum, so a stream needs
/// as few requests as possible.
pub const DEFAULT_LOG_PAGE_SIZE: u32 = LOGS_MAX_LIMIT;

/// The span one logs request covers when it has no `after`: one hour before `before` (or before
/// now). The stream's windows are this long. Source: the reference's application-logs page.
pub const LOGS_WINDOW: Duration = Duration::from_secs(60 * 60);

/// How far back Nodion keeps application logs: 7 days (and at most the last 2500 lines). The
/// stream never asks for older lines. Source: the reference's logs guide (`docs/logs`).
pub const LOGS_RETENTION: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// How far a window's `before` reaches past the previous window's `after`, so a line stamped
/// exactly on the boundary (excluded by both strict bounds otherwise) is still read; a line
/// read twice is dropped.
const WINDOW_OVERLAP: Duration = Duration::from_millis(1);

/// How far the second window of a stream without `before` reaches into the first one, whose
/// hour the server's clock set: covers a client clock up to this much behind the server's.
const CLOCK_SKEW_MARGIN: Duration = Duration::from_secs(5 * 60);

/// One log line.
///
/// ```
/// let line: nodal_nodion::LogLine = serde_json::from_str(
///     r#"{"ts": "2025-05-24T08:07:10.509Z", "msg": "GET / 200", "instance_id": null}"#,
/// )?;
/// assert_eq!(line.msg, "GET / 200");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LogLine {
    /// Time stamp (RFC 3339).
    #[serde(default, deserialize_with = "null_default")]
    pub ts: String,
    /// The message.
    #[serde(default, deserialize_with = "null_default")]
    pub msg: String,
    /// The instance that wrote it.
    #[serde(default, deserialize_with = "crate::wire::opt_id")]
    pub instance_id: Option<InstanceId>,
}

/// Which lines to read.
///
/// ```
/// use nodal_nodion::LogQuery;
/// let q = LogQuery::new().limit(5000).before("2025-05-24T08:00:00Z").page_size(1000);
/// assert_eq!(q.limit, Some(5000));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogQuery {
    /// Most lines in all: for [`LogsApi::page`] at most 2500 (the provider's default
    /// is 200); for the stream any number, the newest ones (`None`: every line back to `after`
    /// or the retention horizon).
    pub limit: Option<u32>,
    /// Only lines older than this time (RFC 3339; the stream needs one it can parse).
    pub before: Option<String>,
    /// Only lines newer than this time (RFC 3339; the stream needs one it can parse). For the
    /// stream this is the `--since` floor: it reads back to here, newest lines first.
    pub after: Option<String>,
    /// Only lines of this instance.
    pub instance_id: Option<InstanceId>,
    /// Lines per request of the stream, 1..=2500 (default [`DEFAULT_LOG_PAGE_SIZE`]). A larger
    /// value is refused with [`Error::InvalidInput`], not clamped, so the caller learns the
    /// provider's maximum.
    pub page_size: Option<u32>,
}

impl LogQuery {
    /// Every line: for a page, what the provider returns by default (its one-hour window); for
    /// the stream, everything back to the retention horizon.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the total number of lines.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only lines older than `ts` (RFC 3339).
    pub fn before(mut self, ts: impl Into<String>) -> Self {
        self.before = Some(ts.into());
        self
    }

    /// Only lines newer than `ts` (RFC 3339).
    pub fn after(mut self, ts: impl Into<String>) -> Self {
        self.after = Some(ts.into());
        self
    }

    /// Only lines of one instance.
    pub fn instance_id(mut self, instance_id: impl Into<InstanceId>) -> Self {
        self.instance_id = Some(instance_id.into());
        self
    }

    /// Sets the lines per request of the stream.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    fn check_texts(&self) -> Result<()> {
        for (field, value) in [
            ("before", self.before.as_deref()),
            ("after", self.after.as_deref()),
            (
                "instance_id",
                self.instance_id.as_ref().map(InstanceId::as_str),
            ),
        ] {
            if value.is_some_and(|v| v.trim().is_empty()) {
                return Err(Error::invalid_input(
                    PROVIDER,
                    field,
                    format!("{field} must not be empty when given"),
                ));
            }
        }
        Ok(())
    }
}

fn check_count(field: &'static str, value: u32, max: Option<u32>) -> Result<()> {
    if value == 0 {
        return Err(Error::invalid_input(
            PROVIDER,
            field,
            format!("{field} must be at least 1"),
        ));
    }
    match max {
        Some(max) if value > max => Err(Error::invalid_input(
            PROVIDER,
            field,
            format!("{field} is {value}, but Nodion returns at most {max} log lines per request"),
        )),
        _ => Ok(()),
    }
}

/// A bound of the query the stream must compute with.
fn parse_bound(field: &'static str, value: Option<&str>) -> Result<Option<(Instant, String)>> {
    let Some(text) = value else {
        return Ok(None);
    };
    match Instant::parse(text) {
        Some(at) => Ok(Some((at, text.trim().to_owned()))),
        None => Err(Error::invalid_input(
            PROVIDER,
            field,
            format!(
                "`{text}` is not an RFC 3339 time (e.g. 2026-05-05T08:14:22.115Z); the log stream computes its windows from it"
            ),
        )),
    }
}

/// Logs of an application (scopes `read` + `logs:read`): one page, or a stream that pages
/// backwards in time. Returned by [`NodionClient::logs`].
#[derive(Debug, Clone, Copy)]
pub struct LogsApi<'c> {
    client: &'c NodionClient,
}

impl<'c> LogsApi<'c> {
    pub(crate) fn new(client: &'c NodionClient) -> Self {
        LogsApi { client }
    }

    /// One page of logs: `GET /applications/:id/logs` with the query's `limit` (1..=2500),
    /// `before`, `after` and `instance_id`, sent as given. Lines come oldest first, as Nodion
    /// sends them. Without `after`, Nodion only looks one hour back from `before` (or now).
    ///
    /// ```no_run
    /// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
    /// use nodal_nodion::LogQuery;
    /// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    /// for line in client.logs().page(&app, &LogQuery::new().limit(50)).await? {
    ///     println!("{} {}", line.ts, line.msg);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn page(&self, app: &AppId, query: &LogQuery) -> Result<Vec<LogLine>> {
        if let Some(limit) = query.limit {
            check_count("limit", limit, Some(LOGS_MAX_LIMIT))?;
        }
        query.check_texts()?;
        let request = Window {
            limit: query.limit,
            before: query.before.as_deref(),
            after: query.after.as_deref(),
            instance_id: query.instance_id.as_ref(),
        };
        fetch_page(self.client, app, request).await
    }

    /// The matching lines, **newest first**, as a stream that pages backwards in time: with
    /// `limit`, the newest `limit` lines (collect and reverse them to read oldest first).
    ///
    /// Nodion's one-hour rule (a request without `after` only covers the hour before `before`)
    /// means a short or empty answer does not end the history, so the stream sends `after`
    /// **and** `before` and moves that window back one hour ([`LOGS_WINDOW`]) at a time:
    ///
    /// 1. The floor is `query.after`, but never older than the retention horizon, 7 days
    ///    ([`LOGS_RETENTION`]) before `query.before` (or now). Lines at or below it are dropped.
    /// 2. The first window is `(max(floor, B - 1h), B)` with `B` = `query.before`; without one,
    ///    the first request has no cursor at all (the reference's initial fetch: the server's last
    ///    hour) and the windows after it are counted from the client's clock, the second one
    ///    reaching 5 minutes into the first hour so a clock behind the server's leaves no gap.
    /// 3. A full page (as many lines as asked) is followed by the same window with `before` =
    ///    the `ts` of the oldest line received (the reference's cursor pattern).
    /// 4. A short or empty page ends the window; the next one ends where this one began (plus
    ///    1 ms, so a line stamped exactly on the boundary is read) and begins one hour earlier,
    ///    or at the floor. Lines read twice are dropped.
    /// 5. The stream ends after the window that reaches the floor, after `limit` lines, or when
    ///    a page makes no progress: no line older than (or, at the same time stamp, other than)
    ///    the oldest already yielded, and lines at or after the `before` sent, as from a server
    ///    that ignores the cursor (logged at debug level).
    ///
    /// A page is taken to hold the **newest** `limit` lines of its window (the reference's
    /// pattern of paging backwards with `before`; INFERRED, see `docs/wire-contract.md`), so the
    /// stream never sends `after` without `before`, whose capped answer may be the oldest lines.
    /// Lines sharing the oldest time stamp of a full page may be skipped by the strict `before`.
    /// A quiet app costs one request per hour back to the floor: `--since 3h` is 3 or 4
    /// requests, no floor at all up to 169.
    ///
    /// Bad input (a page size above 2500, zero limits, a `before`/`after` that is not an RFC 3339
    /// time, a missing scope the client was declared without) fails here, before anything is
    /// sent; a failed request is the stream's last item.
    ///
    /// ```no_run
    /// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
    /// use futures_util::TryStreamExt;
    /// use nodal_nodion::LogQuery;
    /// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    /// let query = LogQuery::new().after("2026-05-05T05:00:00Z").limit(10_000);
    /// let mut lines: Vec<_> = client.logs().stream(&app, query)?.try_collect().await?;
    /// lines.reverse(); // oldest first
    /// println!("{} lines", lines.len());
    /// # Ok(()) }
    /// ```
    pub fn stream(
        &self,
        app: &AppId,
        query: LogQuery,
    ) -> Result<impl Stream<Item = Result<LogLine>> + Send + 'static> {
        let page_size = query.page_size.unwrap_or(DEFAULT_LOG_PAGE_SIZE);
        check_count("page_size", page_size, Some(LOGS_MAX_LIMIT))?;
        if let Some(limit) = query.limit {
            check_count("limit", limit, None)?;
        }
        query.check_texts()?;
        let before = parse_bound("before", query.before.as_deref())?;
        let since = parse_bound("after", query.after.as_deref())?;
        // Checks the scopes and the allow-list now, so a refusal is not deferred to the stream.
        self.client.request(ep::LIST_LOGS)?;
        let pager = Pager::new(
            self.client.clone(),
            app.clone(),
            query,
            page_size,
            before,
            since,
            Instant::now(),
        );
        Ok(futures_util::stream::unfold(
            pager,
            |mut pager| async move {
                let item = pager.next().await?;
                Some((item, pager))
            },
        ))
    }
}

/// The query parameters of one request.
struct Window<'q> {
    limit: Option<u32>,
    before: Option<&'q str>,
    after: Option<&'q str>,
    instance_id: Option<&'q InstanceId>,
}

async fn fetch_page(
    client: &NodionClient,
    app: &AppId,
    window: Window<'_>,
) -> Result<Vec<LogLine>> {
    let mut request = client.request(ep::LIST_LOGS)?.param(app.as_str());
    if let Some(limit) = window.limit {
        request = request.query("limit", limit);
    }
    if let Some(before) = window.before {
        request = request.query("before", before);
    }
    if let Some(after) = window.after {
        request = request.query("after", after);
    }
    if let Some(instance_id) = window.instance_id {
        request = request.query("instance_id", instance_id);
    }
    client.fetch::<LogsKey, _>(request).await
}

/// The stream's state between pages.
struct Pager {
    client: NodionClient,
    app: AppId,
    instance_id: Option<InstanceId>,
    page_size: u32,
    /// Lines still wanted (`None`: no limit).
    remaining: Option<u64>,
    /// The oldest bound of the whole stream (exclusive): the query's `after`, or the retention
    /// horizon when that is later.
    floor: Instant,
    /// The floor as the caller wrote it, when the floor is the query's `after`.
    floor_text: Option<String>,
    /// The `after` of the current window.
    window_after: Instant,
    /// The `before` of the next request, as sent and as an instant. `None`: the first request
    /// of a stream without `before`, sent without cursors (the reference's initial fetch).
    before: Option<(String, Instant)>,
    /// The oldest time stamp yielded so far, and the lines yielded at it.
    oldest: Option<Instant>,
    at_oldest: Vec<LogLine>,
    /// Lines fetched and not yet yielded, newest first.
    buffer: VecDeque<LogLine>,
    finished: bool,
}

/// What a page tells the pager to do next.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    /// Ask again in the same window, before the oldest line.
    SameWindow,
    /// The window is exhausted: move it back.
    OlderWindow,
    /// Stop.
    Done,
}

impl Pager {
    fn new(
        client: NodionClient,
        app: AppId,
        query: LogQuery,
        page_size: u32,
        before: Option<(Instant, String)>,
        since: Option<(Instant, String)>,
        now: Instant,
    ) -> Pager {
        let anchor = before.as_ref().map_or(now, |(at, _)| *at);
        let horizon = anchor.minus(LOGS_RETENTION);
        let (floor, floor_text) = match since {
            Some((at, text)) if at >= horizon => (at, Some(text)),
            _ => (horizon, None),
        };
        // Without `before`, the first request goes without cursors and the server's clock sets
        // its hour; the next window then reaches a little into it, so a client clock that is
        // behind leaves no gap (lines read twice are dropped).
        let first_after = match before {
            Some(_) => anchor.minus(LOGS_WINDOW),
            None => anchor.minus(LOGS_WINDOW).plus(CLOCK_SKEW_MARGIN),
        };
        // An explicit `before` at or below the floor leaves nothing to read.
        let finished = before.as_ref().is_some_and(|(at, _)| *at <= floor);
        Pager {
            client,
            app,
            instance_id: query.instance_id,
            page_size,
            remaining: query.limit.map(u64::from),
            floor,
            floor_text,
            window_after: first_after.max(floor),
            before: before.map(|(at, text)| (text, at)),
            oldest: None,
            at_oldest: Vec::new(),
            buffer: VecDeque::new(),
            finished,
        }
    }

    /// The `after` of the current window, as sent.
    fn after_text(&self) -> String {
        match &self.floor_text {
            Some(text) if self.window_after == self.floor => text.clone(),
            _ => self.window_after.format(),
        }
    }

    fn ask(&self) -> u32 {
        match self.remaining {
            Some(remaining) => u32::try_from(remaining)
                .unwrap_or(u32::MAX)
                .min(self.page_size),
            None => self.page_size,
        }
    }

    async fn next(&mut self) -> Option<Result<LogLine>> {
        loop {
            if let Some(line) = self.buffer.pop_front() {
                return Some(Ok(line));
            }
            if self.finished {
                return None;
            }
            let ask = self.ask();
            // Both cursors, so the server applies the window the pager means; only the very
            // first request of a stream without `before` goes without either.
            let after = self.before.as_ref().map(|_| self.after_text());
            let window = Window {
                limit: Some(ask),
                before: self.before.as_ref().map(|(text, _)| text.as_str()),
                after: after.as_deref(),
                instance_id: self.instance_id.as_ref(),
            };
            let page = match fetch_page(&self.client, &self.app, window).await {
                Ok(page) => page,
                Err(err) => {
                    self.finished = true;
                    return Some(Err(err));
                }
            };
            match self.take_page(page, ask) {
                Next::SameWindow => {}
                Next::OlderWindow => self.older_window(),
                Next::Done => self.finished = true,
            }
        }
    }

    /// Whether `line` (whose time stamp is `at`) has not been yielded yet.
    fn is_fresh(&self, line: &LogLine, at: Instant) -> bool {
        match self.oldest {
            None => true,
            Some(oldest) => at < oldest || (at == oldest && !self.at_oldest.contains(line)),
        }
    }

    /// Files a page (oldest first) into the buffer, newest first, and says what to do next.
    fn take_page(&mut self, page: Vec<LogLine>, asked: u32) -> Next {
        if page.is_empty() {
            return Next::OlderWindow;
        }
        let full = page.len() >= asked as usize;
        let received = page.len();
        let sent_before = self.before.as_ref().map(|(_, at)| *at);
        let mut fresh: Vec<(Instant, LogLine)> = Vec::new();
        let (mut unplaced, mut past_floor, mut past_before) = (0usize, false, false);
        for line in page {
            let Some(at) = Instant::parse(&line.ts) else {
                unplaced += 1;
                continue;
            };
            past_before |= sent_before.is_some_and(|before| at >= before);
            if at <= self.floor {
                past_floor = true;
            } else if self.is_fresh(&line, at) {
                fresh.push((at, line));
            }
        }
        if unplaced > 0 {
            tracing::debug!(app = %self.app, unplaced, "log lines without a readable time stamp were skipped");
        }
        if fresh.is_empty() {
            if past_before {
                tracing::debug!(
                    app = %self.app,
                    received,
                    before = ?self.before.as_ref().map(|(text, _)| text),
                    "a logs page made no progress: no line older than those already yielded, and lines at or after the `before` sent (the server seems to ignore the cursor); ending the stream"
                );
                return Next::Done;
            }
            // Only lines already yielded (an overlap) or older than the floor.
            return if past_floor {
                Next::Done
            } else {
                Next::OlderWindow
            };
        }
        // Newest first; the page came oldest first.
        fresh.reverse();
        let mut done = past_floor;
        if let Some(remaining) = self.remaining.as_mut() {
            fresh.truncate(usize::try_from(*remaining).unwrap_or(usize::MAX));
            *remaining -= fresh.len() as u64;
            done |= *remaining == 0;
        }
        if let Some(oldest) = fresh.iter().map(|(at, _)| *at).min() {
            if self.oldest != Some(oldest) {
                self.at_oldest.clear();
            }
            self.oldest = Some(oldest);
            let at_oldest = fresh.iter().filter(|(at, _)| *at == oldest);
            self.at_oldest
                .extend(at_oldest.map(|(_, line)| line.clone()));
            // The reference's cursor: `before` = the `ts` of the oldest line held.
            if let Some((_, line)) = fresh.iter().rev().find(|(at, _)| *at == oldest) {
                self.before = Some((line.ts.clone(), oldest));
            }
        }
        self.buffer.extend(fresh.into_iter().map(|(_, line)| line));
        match (done, full) {
            (true, _) => Next::Done,
            (false, true) => Next::SameWindow,
            (false, false) => Next::OlderWindow,
        }
    }

    /// Moves the window one hour back, or ends the stream at the floor.
    fn older_window(&mut self) {
        if self.window_after <= self.floor {
            tracing::debug!(app = %self.app, floor = %self.floor.format(), "the log stream reached its floor (the query's `after` or the retention horizon)");
            self.finished = true;
            return;
        }
        let before = self.window_after.plus(WINDOW_OVERLAP);
        self.before = Some((before.format(), before));
        self.window_after = self.window_after.minus(LOGS_WINDOW).max(self.floor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(ts: &str, msg: &str) -> LogLine {
        LogLine {
            ts: ts.into(),
            msg: msg.into(),
            instance_id: None,
        }
    }

    fn at(text: &str) -> Instant {
        Instant::parse(text).unwrap()
    }

    fn pager(limit: Option<u32>, before: Option<&str>, since: Option<&str>) -> Pager {
        let client = NodionClient::builder().user_key("k").build().unwrap();
        let mut query = LogQuery::new();
        query.limit = limit;
        let bound = |t: Option<&str>| t.map(|t| (at(t), t.to_owned()));
        Pager::new(
            client,
            AppId::from("a"),
            query,
            2,
            bound(before),
            bound(since),
            at("2025-05-24T12:00:00Z"),
        )
    }

    fn msgs(p: &Pager) -> Vec<&str> {
        p.buffer.iter().map(|l| l.msg.as_str()).collect()
    }

    fn before(p: &Pager) -> Option<&str> {
        p.before.as_ref().map(|(text, _)| text.as_str())
    }

    #[test]
    fn the_first_window_is_the_hour_before_the_anchor_or_the_floor() {
        // Without `before`: a first request without cursors, then windows from the client's
        // clock, reaching 5 minutes into the server's first hour.
        let p = pager(None, None, None);
        assert_eq!(before(&p), None);
        assert_eq!(p.after_text(), "2025-05-24T11:05:00Z");
        assert_eq!(p.floor.format(), "2025-05-17T12:00:00Z");

        let p = pager(None, Some("2025-05-24T10:00:00+02:00"), None);
        assert_eq!(before(&p), Some("2025-05-24T10:00:00+02:00"));
        assert_eq!(p.after_text(), "2025-05-24T07:00:00Z");

        // A floor inside the first hour is sent as written.
        let p = pager(None, None, Some("2025-05-24T11:30:00.000Z"));
        assert_eq!(p.after_text(), "2025-05-24T11:30:00.000Z");
        // One older than the retention horizon is the horizon.
        let p = pager(None, None, Some("2025-05-01T00:00:00Z"));
        assert_eq!(p.floor.format(), "2025-05-17T12:00:00Z");
        // Nothing lies between a floor and an earlier `before`.
        assert!(
            pager(
                None,
                Some("2025-05-24T08:00:00Z"),
                Some("2025-05-24T09:00:00Z")
            )
            .finished
        );
    }

    #[test]
    fn full_pages_stay_in_the_window_and_short_ones_move_it_back() {
        let mut p = pager(None, None, Some("2025-05-24T09:30:00Z"));
        let page = vec![
            line("2025-05-24T11:50:00Z", "b"),
            line("2025-05-24T11:55:00Z", "c"),
        ];
        assert_eq!(p.take_page(page, 2), Next::SameWindow);
        assert_eq!(before(&p), Some("2025-05-24T11:50:00Z"));
        assert_eq!(
            p.take_page(vec![line("2025-05-24T11:03:00Z", "a")], 2),
            Next::OlderWindow
        );
        p.older_window();
        assert_eq!(before(&p), Some("2025-05-24T11:05:00.001Z"));
        assert_eq!(p.after_text(), "2025-05-24T10:05:00Z");
        // Lines read again in the overlap are dropped, and do not end the stream.
        assert_eq!(
            p.take_page(vec![line("2025-05-24T11:03:00Z", "a")], 2),
            Next::OlderWindow
        );
        p.older_window();
        assert_eq!(before(&p), Some("2025-05-24T10:05:00.001Z"));
        assert_eq!(p.after_text(), "2025-05-24T09:30:00Z");
        // A quiet hour moves on, down to the floor.
        assert_eq!(p.take_page(Vec::new(), 2), Next::OlderWindow);
        assert!(!p.finished);
        p.older_window();
        assert!(p.finished, "the window reached the floor");
        assert_eq!(msgs(&p), ["c", "b", "a"]);
    }

    #[test]
    fn lines_at_or_below_the_floor_end_the_stream() {
        let mut p = pager(None, None, Some("2025-05-24T11:30:00Z"));
        let page = vec![
            line("2025-05-24T11:20:00Z", "old"),
            line("2025-05-24T11:30:00Z", "at the floor"),
            line("2025-05-24T11:40:00Z", "new"),
        ];
        assert_eq!(p.take_page(page, 3), Next::Done);
        assert_eq!(msgs(&p), ["new"]);
    }

    #[test]
    fn repeated_lines_are_dropped_and_a_page_without_progress_ends_the_stream() {
        let mut p = pager(None, None, None);
        let page = vec![
            line("2025-05-24T11:50:00Z", "b"),
            line("2025-05-24T11:55:00Z", "c"),
        ];
        assert_eq!(p.take_page(page.clone(), 2), Next::SameWindow);
        assert_eq!(before(&p), Some("2025-05-24T11:50:00Z"));
        // An inclusive `before` repeats b; a is new at the same time stamp.
        let again = vec![
            line("2025-05-24T11:50:00Z", "a"),
            line("2025-05-24T11:50:00Z", "b"),
        ];
        assert_eq!(p.take_page(again, 2), Next::SameWindow);
        assert_eq!(msgs(&p), ["c", "b", "a"]);
        // The same page again: nothing older and lines at or after `before`: no progress.
        assert_eq!(p.take_page(page, 2), Next::Done);
        assert_eq!(p.buffer.len(), 3);
    }

    #[test]
    fn a_limit_keeps_the_newest_lines() {
        let mut p = pager(Some(3), None, None);
        let page = vec![
            line("2025-05-24T11:40:00Z", "c"),
            line("2025-05-24T11:50:00Z", "d"),
        ];
        assert_eq!(p.take_page(page, 2), Next::SameWindow);
        assert_eq!(p.ask(), 1);
        let page = vec![line("2025-05-24T11:20:00Z", "b")];
        assert_eq!(p.take_page(page, 1), Next::Done);
        assert_eq!(msgs(&p), ["d", "c", "b"]);
    }
}
