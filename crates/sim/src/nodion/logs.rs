//! Application logs: deterministic lines per app (synthetic request lines over the six hours
//! before the app was created, with quiet gaps, plus lines for each deployment event), paged by
//! time under the reference's one-hour window rule (reference: application-logs).

use axum::http::Uri;
use serde_json::{Value, json};

use super::Ctx;
use super::apps::app;
use super::fields;
use super::reply::{Answer, Failure, Reply};
use super::state::{App, DeployPhase, State};
use crate::time::{format_rfc3339, parse_rfc3339};
use crate::util::stable_hash;

const DEFAULT_LIMIT: usize = 200;
const MAX_LIMIT: usize = 2500;
const HOUR_MS: i64 = 3_600_000;
/// 600 slots 36 s apart span six hours before the app was created, so one request without
/// `after` (one hour) never sees them all: a pager has to move an `[after, before)` window.
const SYNTHETIC_LINES: u64 = 600;
const SYNTHETIC_SPACING_MS: u64 = 36_000;
/// Quiet stretches, in minutes from the start of the six hours, where no line was written: an
/// empty hour inside the history (a short or empty page is not its end).
const QUIET_MINUTES: [(u64, u64); 2] = [(95, 185), (290, 300)];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    ts_ms: u64,
    msg: String,
    instance_id: String,
}

/// What the query asks for.
#[derive(Debug)]
struct Window {
    limit: usize,
    before: Option<i64>,
    after: Option<i64>,
    instance_id: Option<String>,
}

fn window(uri: &Uri) -> Result<Window, Failure> {
    let query = fields::query(uri)?;
    let mut errors = Vec::new();
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<u64>() {
            Ok(n) if n > MAX_LIMIT as u64 => {
                errors.push(format!("limit must be at most {MAX_LIMIT}"));
                DEFAULT_LIMIT
            }
            Ok(n) if n >= 1 => usize::try_from(n).unwrap_or(MAX_LIMIT),
            _ => {
                errors.push("limit must be a positive integer".to_owned());
                DEFAULT_LIMIT
            }
        },
    };
    let mut timestamp = |name: &str| {
        let raw = query.get(name)?;
        let parsed = parse_rfc3339(raw);
        if parsed.is_none() {
            errors.push(format!("{name} must be an RFC 3339 timestamp"));
        }
        parsed
    };
    let before = timestamp("before");
    let after = timestamp("after");
    if !errors.is_empty() {
        return Err(Failure::BadRequest(errors));
    }
    Ok(Window {
        limit,
        before,
        after,
        instance_id: query.get("instance_id").cloned(),
    })
}

/// Every line of the app up to `now_ms`, oldest first.
fn lines(app: &App, now_ms: u64, delay_ms: u64) -> Vec<Line> {
    let instances: Vec<String> = app
        .processes
        .iter()
        // A stopped process still has the lines its last instance wrote.
        .flat_map(|p| App::instance_ids(&p.id, p.instance_amount.max(1)))
        .collect();
    let instance = |n: u64| {
        let at = usize::try_from(n).unwrap_or(0) % instances.len().max(1);
        instances.get(at).cloned().unwrap_or_default()
    };
    let start = app
        .created_ms
        .saturating_sub(SYNTHETIC_LINES * SYNTHETIC_SPACING_MS);
    let quiet = |n: u64| {
        let minute = n * SYNTHETIC_SPACING_MS / 60_000;
        QUIET_MINUTES
            .iter()
            .any(|&(from, to)| (from..to).contains(&minute))
    };
    let mut out: Vec<Line> = (0..SYNTHETIC_LINES)
        .filter(|&n| !quiet(n))
        .map(|n| {
            let h = stable_hash(&[&app.id, &n.to_string()]);
            let ms = h % 90 + 1;
            let what = match h % 5 {
                0 => format!("GET / 200 in {ms}ms"),
                1 => format!("GET /health 200 in {ms}ms"),
                2 => format!("POST /api/items 201 in {ms}ms"),
                3 => format!("processed job #{n}"),
                _ => format!("GET /api/items?page={} 200 in {ms}ms", n % 7 + 1),
            };
            Line {
                ts_ms: start + n * SYNTHETIC_SPACING_MS,
                // `[web.1] ...`, the reference's example form.
                msg: format!("[web.{}] {what}", instance_number(n)),
                instance_id: instance(n),
            }
        })
        .collect();
    for d in &app.deployments {
        let events = [
            (d.created_ms, DeployPhase::Created, "created"),
            (
                d.created_ms.saturating_add(delay_ms / 2),
                DeployPhase::Waiting,
                "waiting for instances",
            ),
            (
                d.created_ms.saturating_add(delay_ms),
                DeployPhase::Available,
                "available",
            ),
        ];
        let reached = d.phase(now_ms, delay_ms);
        let n = u64::from(d.number);
        for (ts_ms, phase, what) in events {
            if phase_order(phase) <= phase_order(reached) {
                out.push(Line {
                    ts_ms,
                    msg: format!(
                        "[web.{}] Deployment #{} {what}",
                        instance_number(n),
                        d.number
                    ),
                    instance_id: instance(n),
                });
            }
        }
    }
    out.retain(|l| l.ts_ms <= now_ms);
    out.sort_by_key(|l| l.ts_ms);
    out
}

/// The `N` of `[web.N]`: which of the process's instances wrote line `n` (1-based).
fn instance_number(n: u64) -> u64 {
    n % 2 + 1
}

fn phase_order(phase: DeployPhase) -> u8 {
    match phase {
        DeployPhase::Created => 0,
        DeployPhase::Waiting => 1,
        DeployPhase::Available => 2,
    }
}

/// `GET /applications/:id/logs`: oldest first; `before` and `after` exclude the given instant.
/// Without `after` the request covers only the hour before `before` (default: now) and answers
/// its newest `limit` lines; with both, the newest `limit` lines strictly between them; with
/// `after` only, the oldest `limit` lines after it, with no floor (reference: application-logs;
/// which end a capped page keeps is INFERRED).
pub(crate) fn get(state: &State, ctx: &Ctx<'_>, id: &str, uri: &Uri) -> Answer {
    let window = window(uri)?;
    let app = app(state, ctx, id)?;
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    let upper = window.before.unwrap_or(now + 1);
    let lower = window.after.unwrap_or(upper - HOUR_MS - 1);
    let selected: Vec<Line> = lines(app, ctx.now_ms, ctx.delay_ms)
        .into_iter()
        .filter(|l| {
            let ts = i64::try_from(l.ts_ms).unwrap_or(i64::MAX);
            ts > lower && ts < upper
        })
        .filter(|l| {
            window
                .instance_id
                .as_ref()
                .is_none_or(|id| &l.instance_id == id)
        })
        .collect();
    let page: &[Line] = if window.after.is_some() && window.before.is_none() {
        selected
            .get(..window.limit.min(selected.len()))
            .unwrap_or_default()
    } else {
        selected
            .get(selected.len().saturating_sub(window.limit)..)
            .unwrap_or_default()
    };
    let logs = page
        .iter()
        .map(|l| json!({ "ts": format_rfc3339(l.ts_ms), "msg": l.msg, "instance_id": l.instance_id }))
        .collect();
    Reply::ok("logs", Value::Array(logs))
}
