//! Application logs (scopes `read` + `logs:read`): one page, or a stream that pages backwards
//! in time.
//!
//! Nodion answers `GET /applications/:id/logs?limit=&before=&after=&instance_id=` with at most
//! 2500 lines, oldest first, from a default window of one hour. The stream asks for the newest
//! page first, then pages backwards with `before` = the timestamp of the oldest line seen, and
//! yields lines **newest first**.

use crate::client::NodionClient;
use crate::endpoints as ep;
use crate::ids::InstanceId;
use crate::protocol::PROVIDER;
use crate::wire::{LogsKey, null_default};
use futures_core::Stream;
use nodal_core::{AppId, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The most log lines Nodion returns for one request (the provider's documented maximum).
pub const LOGS_MAX_LIMIT: u32 = 2500;

/// Lines per request when the query does not say: the provider's maximum, so a stream needs
/// as few requests as possible.
pub const DEFAULT_LOG_PAGE_SIZE: u32 = LOGS_MAX_LIMIT;

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
    /// is 200); for the stream any number (`None`: until the provider has no more).
    pub limit: Option<u32>,
    /// Only lines older than this time (RFC 3339).
    pub before: Option<String>,
    /// Only lines newer than this time (RFC 3339).
    pub after: Option<String>,
    /// Only lines of this instance.
    pub instance_id: Option<InstanceId>,
    /// Lines per request of the stream, 1..=2500 (default [`DEFAULT_LOG_PAGE_SIZE`]). A larger
    /// value is refused with [`Error::InvalidInput`], not clamped, so the caller learns the
    /// provider's maximum.
    pub page_size: Option<u32>,
}

impl LogQuery {
    /// Every line the provider returns by default (its one-hour window).
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
    /// `before`, `after` and `instance_id`. Lines come oldest first, as Nodion sends them.
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
        fetch_page(
            self.client,
            app,
            query.limit,
            query.before.as_deref(),
            query,
        )
        .await
    }

    /// Every matching line, newest first, as a stream that pages backwards in time.
    ///
    /// The first request asks for `min(page_size, limit)` lines before `query.before` (or now);
    /// each next request asks for lines before the oldest time stamp seen so far. The stream
    /// ends when a page is shorter than asked, empty, or `limit` lines were yielded. Lines at
    /// the boundary time stamp that come back again (a provider whose `before` is inclusive)
    /// are dropped, so no line is yielded twice.
    ///
    /// Bad input (a page size above 2500, zero limits, a missing scope the client was declared
    /// without) fails here, before anything is sent; a failed request is the stream's last item.
    ///
    /// ```no_run
    /// # async fn run(client: nodal_nodion::NodionClient) -> nodal_core::Result<()> {
    /// use futures_util::TryStreamExt;
    /// use nodal_nodion::LogQuery;
    /// let app = nodal_core::AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
    /// let newest: Vec<_> = client.logs().stream(&app, LogQuery::new().limit(10_000))?.try_collect().await?;
    /// println!("{} lines", newest.len());
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
        // Checks the scopes and the allow-list now, so a refusal is not deferred to the stream.
        self.client.request(ep::LIST_LOGS)?;
        let pager = Pager {
            client: self.client.clone(),
            app: app.clone(),
            page_size,
            before: query.before.clone(),
            remaining: query.limit.map(u64::from),
            query,
            buffer: VecDeque::new(),
            boundary: Vec::new(),
            finished: false,
        };
        Ok(futures_util::stream::unfold(
            pager,
            |mut pager| async move {
                let item = pager.next().await?;
                Some((item, pager))
            },
        ))
    }
}

async fn fetch_page(
    client: &NodionClient,
    app: &AppId,
    limit: Option<u32>,
    before: Option<&str>,
    query: &LogQuery,
) -> Result<Vec<LogLine>> {
    let mut request = client.request(ep::LIST_LOGS)?.param(app.as_str());
    if let Some(limit) = limit {
        request = request.query("limit", limit);
    }
    if let Some(before) = before {
        request = request.query("before", before);
    }
    if let Some(after) = &query.after {
        request = request.query("after", after);
    }
    if let Some(instance_id) = &query.instance_id {
        request = request.query("instance_id", instance_id);
    }
    client.fetch::<LogsKey, _>(request).await
}

/// The stream's state between pages.
struct Pager {
    client: NodionClient,
    app: AppId,
    query: LogQuery,
    page_size: u32,
    before: Option<String>,
    /// Lines still wanted (`None`: no limit).
    remaining: Option<u64>,
    /// Lines fetched and not yet yielded, newest first.
    buffer: VecDeque<LogLine>,
    /// Lines of the previous page at its oldest time stamp, to drop if they come again.
    boundary: Vec<LogLine>,
    finished: bool,
}

impl Pager {
    async fn next(&mut self) -> Option<Result<LogLine>> {
        loop {
            if let Some(line) = self.buffer.pop_front() {
                return Some(Ok(line));
            }
            if self.finished {
                return None;
            }
            let ask = match self.remaining {
                Some(remaining) => u32::try_from(remaining)
                    .unwrap_or(u32::MAX)
                    .min(self.page_size),
                None => self.page_size,
            };
            let page = match fetch_page(
                &self.client,
                &self.app,
                Some(ask),
                self.before.as_deref(),
                &self.query,
            )
            .await
            {
                Ok(page) => page,
                Err(err) => {
                    self.finished = true;
                    return Some(Err(err));
                }
            };
            self.take_page(page, ask);
        }
    }

    /// Files a page (oldest first) into the buffer and decides whether another page is needed.
    fn take_page(&mut self, page: Vec<LogLine>, asked: u32) {
        let full = page.len() >= asked as usize;
        let Some(oldest_ts) = page.first().map(|line| line.ts.clone()) else {
            self.finished = true;
            return;
        };
        let boundary: Vec<LogLine> = page
            .iter()
            .filter(|line| line.ts == oldest_ts)
            .cloned()
            .collect();
        let mut fresh: Vec<LogLine> = page
            .into_iter()
            .filter(|line| !self.boundary.contains(line))
            .collect();
        if fresh.is_empty() {
            // Nothing new: the provider repeated itself; stop rather than ask again forever.
            self.finished = true;
            return;
        }
        fresh.reverse();
        if let Some(remaining) = self.remaining.as_mut() {
            fresh.truncate(usize::try_from(*remaining).unwrap_or(usize::MAX));
            *remaining -= fresh.len() as u64;
            if *remaining == 0 {
                self.finished = true;
            }
        }
        if !full {
            self.finished = true;
        }
        self.boundary = boundary;
        self.before = Some(oldest_ts);
        self.buffer.extend(fresh);
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

    fn pager(limit: Option<u64>) -> Pager {
        let client = NodionClient::builder().user_key("k").build().unwrap();
        Pager {
            client,
            app: AppId::from("a"),
            query: LogQuery::new(),
            page_size: 2,
            before: None,
            remaining: limit,
            buffer: VecDeque::new(),
            boundary: Vec::new(),
            finished: false,
        }
    }

    #[test]
    fn pages_are_reversed_and_boundaries_deduplicated() {
        let mut p = pager(None);
        p.take_page(vec![line("t2", "b"), line("t3", "c")], 2);
        assert_eq!(p.before.as_deref(), Some("t2"));
        assert!(!p.finished);
        // An inclusive `before` repeats the line at t2.
        p.take_page(vec![line("t1", "a"), line("t2", "b")], 2);
        let msgs: Vec<&str> = p.buffer.iter().map(|l| l.msg.as_str()).collect();
        assert_eq!(msgs, ["c", "b", "a"]);
        assert_eq!(p.before.as_deref(), Some("t1"));
    }

    #[test]
    fn short_pages_limits_and_repeats_end_the_stream() {
        let mut p = pager(None);
        p.take_page(vec![line("t3", "c")], 2);
        assert!(p.finished);

        let mut p = pager(Some(3));
        p.take_page(vec![line("t3", "c"), line("t4", "d")], 2);
        assert_eq!(p.remaining, Some(1));
        p.take_page(vec![line("t1", "a"), line("t2", "b")], 1);
        assert!(p.finished);
        assert_eq!(p.buffer.len(), 3);
        assert_eq!(p.buffer.back().map(|l| l.msg.as_str()), Some("b"));

        let mut p = pager(None);
        p.take_page(vec![line("t1", "a"), line("t1", "b")], 2);
        p.take_page(vec![line("t1", "a"), line("t1", "b")], 2);
        assert!(p.finished);
        assert_eq!(p.buffer.len(), 2);
    }
}
