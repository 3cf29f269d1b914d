//! Nodion-only commands: regions, instance types, environment variables, logs, domains,
//! instances, processes and scaling, scaling events, DNS.

use super::Ctx;
use crate::cli::{
    DnsCommand, DnsRecordsCommand, DnsZonesCommand, DomainTypeArg, DomainsCommand, EnvCommand,
    LogsArgs,
};
use crate::exit::CliError;
use crate::output::views::{self, Done};
use crate::output::{Cell, Table, Tone, print_stdout, sanitize};
use futures_util::TryStreamExt;
use nodal::nodion::{
    DnsRecordId, DnsZoneId, Domain, DomainId, DomainType, EnvVariable, EnvVariableUpdate, LogLine,
    LogQuery, NewDnsRecord, NewDomain, NewEnvVariable, Process, RecordFilter, RecordType,
};
use nodal::{AppId, ExposeSecret, SecretString};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Read;
use std::time::{Duration, SystemTime};

/// How a masked value looks in a table.
const MASK: &str = "••••";
/// How a masked value looks in JSON (the library's own redaction marker).
const REDACTED: &str = "[redacted]";

pub(crate) async fn regions(ctx: &Ctx) -> Result<(), CliError> {
    let regions = ctx
        .conn
        .nodion("regions")
        .await?
        .catalog()
        .regions()
        .await?;
    ctx.out.show(&regions, || views::regions(&regions))
}

pub(crate) async fn instance_types(ctx: &Ctx) -> Result<(), CliError> {
    let types = ctx
        .conn
        .nodion("instance-types")
        .await?
        .catalog()
        .instance_types()
        .await?;
    ctx.out.show(&types, || views::instance_types(&types))
}

/// An environment variable as printed: the value masked unless asked for.
#[derive(Debug, Serialize)]
struct EnvRow<'a> {
    id: &'a str,
    key: &'a str,
    value: &'a str,
    build_time: bool,
    created_at: Option<&'a str>,
    updated_at: Option<&'a str>,
}

impl<'a> EnvRow<'a> {
    fn new(var: &'a EnvVariable, show: bool) -> Self {
        EnvRow {
            id: var.id.as_str(),
            key: &var.key,
            value: if show {
                var.value.expose_secret()
            } else {
                REDACTED
            },
            build_time: var.build_time,
            created_at: var.created_at.as_deref(),
            updated_at: var.updated_at.as_deref(),
        }
    }
}

fn env_table(rows: &[EnvRow<'_>], show: bool) -> Table {
    let mut table =
        Table::new(&["KEY", "VALUE", "BUILD TIME", "ID"]).when_empty("no environment variables");
    for row in rows {
        let value = if show {
            Cell::from(row.value)
        } else {
            Cell::toned(MASK, Tone::Dim)
        };
        table.row(vec![
            row.key.into(),
            value,
            (if row.build_time { "yes" } else { "no" }).into(),
            row.id.into(),
        ]);
    }
    table
}

pub(crate) async fn env(ctx: &Ctx, command: EnvCommand) -> Result<(), CliError> {
    match command {
        EnvCommand::List {
            app_id,
            show_values,
        } => {
            let client = ctx.conn.nodion("env list").await?;
            let vars = client.env().list(&AppId::from(app_id)).await?;
            let rows: Vec<EnvRow<'_>> = vars.iter().map(|v| EnvRow::new(v, show_values)).collect();
            ctx.out.show(&rows, || env_table(&rows, show_values))
        }
        EnvCommand::Set {
            app_id,
            assignment,
            value_stdin,
            buildtime,
        } => {
            let (key, value) = assignment_parts(&assignment, value_stdin)?;
            // Whatever the provider quotes back, the value never reaches an error line or
            // the --json error document.
            let scrub = |error: nodal::Error| CliError::scrubbed(error.into(), &value);
            let client = ctx.conn.nodion("env set").await?;
            let app = AppId::from(app_id);
            let existing = client
                .env()
                .list(&app)
                .await
                .map_err(scrub)?
                .into_iter()
                .find(|var| var.key == key);
            let var = match existing {
                Some(var) => {
                    let mut update = EnvVariableUpdate::new().value(value.clone());
                    if buildtime {
                        update = update.build_time(true);
                    }
                    client
                        .env()
                        .update(&app, &var.id, &update)
                        .await
                        .map_err(scrub)?
                }
                None => {
                    let new = NewEnvVariable::new(key, value.clone()).build_time(buildtime);
                    client.env().create(&app, &new).await.map_err(scrub)?
                }
            };
            let row = EnvRow::new(&var, false);
            ctx.out
                .show(&row, || env_table(std::slice::from_ref(&row), false))
        }
        EnvCommand::Unset { app_id, key } => {
            let client = ctx.conn.nodion("env unset").await?;
            let app = AppId::from(app_id);
            let Some(var) = client
                .env()
                .list(&app)
                .await?
                .into_iter()
                .find(|var| var.key == key)
            else {
                return Err(CliError::Api(nodal::Error::NotFound {
                    provider: "nodion",
                    message: format!("app {app} has no environment variable `{key}`"),
                }));
            };
            client.env().delete(&app, &var.id).await?;
            let done = Done::new("nodion", "unset_env", var.id.as_str());
            ctx.out.show(&done, || {
                views::done(format!("Removed `{key}` from app {app}."))
            })
        }
    }
}

/// `KEY=VALUE`, or `KEY` with the value on standard input.
fn assignment_parts(
    assignment: &str,
    value_stdin: bool,
) -> Result<(String, SecretString), CliError> {
    let (key, value) = match (assignment.split_once('='), value_stdin) {
        (Some((key, value)), false) => (key, value.to_owned()),
        (None, true) => (assignment, read_stdin_value()?),
        (Some(_), true) => {
            return Err(CliError::usage(
                "with --value-stdin give only the KEY; the value comes from standard input",
            ));
        }
        (None, false) => {
            return Err(CliError::usage(
                "give KEY=VALUE, or KEY with --value-stdin (keeps the value out of `ps` and shell history)",
            ));
        }
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(CliError::usage("the variable name is empty"));
    }
    Ok((key.to_owned(), SecretString::from(value)))
}

fn read_stdin_value() -> Result<String, CliError> {
    let mut value = String::new();
    std::io::stdin()
        .read_to_string(&mut value)
        .map_err(|e| CliError::Failed(format!("cannot read the value from standard input: {e}")))?;
    if value.ends_with('\n') {
        value.pop();
        if value.ends_with('\r') {
            value.pop();
        }
    }
    Ok(value)
}

pub(crate) async fn logs(ctx: &Ctx, args: LogsArgs) -> Result<(), CliError> {
    if args.follow && ctx.out.json {
        return Err(CliError::usage(
            "--follow prints lines as they come, which is not one JSON document: drop --json, or poll `nodal --json logs APP --since TIME`",
        ));
    }
    let client = ctx.conn.nodion("logs").await?;
    let app = AppId::from(args.app_id);
    let mut query = LogQuery::new().limit(args.limit);
    let since = match &args.since {
        Some(since) => Some(since_time(since, SystemTime::now())?),
        None => None,
    };
    if let Some(since) = &since {
        query = query.after(since.clone());
    }
    // The stream pages backwards: the newest `limit` lines of the window, newest first.
    let mut lines: Vec<LogLine> = client.logs().stream(&app, query)?.try_collect().await?;
    // People read logs forwards.
    lines.reverse();
    lines.sort_by(|a, b| a.ts.cmp(&b.ts));
    if !args.follow {
        return ctx.out.show(&lines, || views::logs(&lines));
    }
    for line in &lines {
        print_stdout(&follow_line(line));
    }
    let mut cursor = FollowCursor::new(
        lines
            .last()
            .map(|l| l.ts.clone())
            .or(since)
            .unwrap_or_else(|| humantime::format_rfc3339_millis(SystemTime::now()).to_string()),
        &lines,
    );
    // Each poll is one or two ordinary client calls: the client's limiter and the interval
    // keep `--follow` inside the key's rate limit however long it runs. Ends with Ctrl-C.
    loop {
        tokio::time::sleep(FOLLOW_INTERVAL).await;
        // A quiet app must not make each poll walk back hour by hour to its last line.
        if let Some(floor) = SystemTime::now().checked_sub(FOLLOW_LOOKBACK) {
            cursor.advance_to(&humantime::format_rfc3339_millis(floor).to_string());
        }
        let query = LogQuery::new().after(cursor.after());
        let mut fresh: Vec<LogLine> = client.logs().stream(&app, query)?.try_collect().await?;
        fresh.reverse();
        fresh.sort_by(|a, b| a.ts.cmp(&b.ts));
        for line in cursor.new_lines(fresh) {
            print_stdout(&follow_line(&line));
        }
    }
}

/// How often `logs --follow` asks for new lines.
const FOLLOW_INTERVAL: Duration = Duration::from_secs(2);
/// How far back a `--follow` poll looks at most: a line is expected within this long of its
/// time stamp (the stream allows the same slack for a client clock behind the server's).
const FOLLOW_LOOKBACK: Duration = Duration::from_secs(300);

/// One log line as `--follow` prints it: time, instance, message; the message sanitised (an
/// escape code or a line break inside it is shown escaped, so a line cannot forge another).
fn follow_line(line: &LogLine) -> String {
    format!(
        "{}  {}  {}\n",
        sanitize(&line.ts),
        sanitize(line.instance_id.as_ref().map_or("-", |id| id.as_str())),
        sanitize(&line.msg)
    )
}

/// Where `--follow` is: the newest time stamp shown, and the lines shown at it (a new line
/// with the same time stamp is still shown, a line seen before is not).
#[derive(Debug)]
struct FollowCursor {
    newest: String,
    at_newest: HashSet<(String, String, Option<String>)>,
}

impl FollowCursor {
    fn new(newest: String, shown: &[LogLine]) -> Self {
        let mut cursor = FollowCursor {
            newest,
            at_newest: HashSet::new(),
        };
        for line in shown {
            cursor.remember(line);
        }
        cursor
    }

    fn key(line: &LogLine) -> (String, String, Option<String>) {
        (
            line.ts.clone(),
            line.msg.clone(),
            line.instance_id.as_ref().map(|id| id.as_str().to_owned()),
        )
    }

    fn remember(&mut self, line: &LogLine) {
        if line.ts > self.newest {
            self.newest = line.ts.clone();
            self.at_newest.clear();
        }
        if line.ts == self.newest {
            self.at_newest.insert(Self::key(line));
        }
    }

    /// Moves the floor up to `ts` (when it is newer than the newest line shown): lines older
    /// than it are not expected any more.
    fn advance_to(&mut self, ts: &str) {
        if ts > self.newest.as_str() {
            self.newest = ts.to_owned();
            self.at_newest.clear();
        }
    }

    /// `after` for the next poll: 1 ms before the newest line shown (Nodion's `after` is
    /// strict, and another line may share that millisecond).
    fn after(&self) -> String {
        humantime::parse_rfc3339_weak(&self.newest)
            .ok()
            .and_then(|t| t.checked_sub(Duration::from_millis(1)))
            .map_or_else(
                || self.newest.clone(),
                |t| humantime::format_rfc3339_millis(t).to_string(),
            )
    }

    /// The lines of a poll (oldest first) not shown yet.
    fn new_lines(&mut self, polled: Vec<LogLine>) -> Vec<LogLine> {
        let mut fresh = Vec::new();
        for line in polled {
            let old = line.ts < self.newest
                || (line.ts == self.newest && self.at_newest.contains(&Self::key(&line)));
            if !old {
                self.remember(&line);
                fresh.push(line);
            }
        }
        fresh
    }
}

/// `--since`: an RFC 3339 time as given, or a duration back from `now`.
fn since_time(raw: &str, now: SystemTime) -> Result<String, CliError> {
    let raw = raw.trim();
    if humantime::parse_rfc3339_weak(raw).is_ok() {
        return Ok(raw.to_owned());
    }
    let back = humantime::parse_duration(raw).map_err(|_| {
        CliError::usage(format!(
            "--since {raw}: expected a duration such as 10m or 2h, or an RFC 3339 time"
        ))
    })?;
    let since = now
        .checked_sub(back)
        .ok_or_else(|| CliError::usage(format!("--since {raw} reaches before 1970")))?;
    Ok(humantime::format_rfc3339_millis(since).to_string())
}

pub(crate) async fn domains(ctx: &Ctx, command: DomainsCommand) -> Result<(), CliError> {
    match command {
        DomainsCommand::List { app_id } => {
            let client = ctx.conn.nodion("domains list").await?;
            let domains = client.domains().list(&AppId::from(app_id)).await?;
            ctx.out.show(&domains, || views::domains(&domains))
        }
        DomainsCommand::Add {
            app_id,
            domain,
            domain_type,
        } => {
            let client = ctx.conn.nodion("domains add").await?;
            let mut new = NewDomain::new(domain);
            if let Some(kind) = domain_type {
                new = new.domain_type(match kind {
                    DomainTypeArg::Sub => DomainType::Sub,
                    DomainTypeArg::Main => DomainType::Main,
                });
            }
            let added = client.domains().create(&AppId::from(app_id), &new).await?;
            ctx.out
                .show(&added, || views::domains(std::slice::from_ref(&added)))
        }
        DomainsCommand::Verify { app_id, domain_id } => {
            let client = ctx.conn.nodion("domains verify").await?;
            let verified = client
                .domains()
                .verify(&AppId::from(app_id), &DomainId::from(domain_id))
                .await?;
            ctx.out.show(&verified, || {
                views::domains(std::slice::from_ref(&verified))
            })
        }
        DomainsCommand::Connect { app_id, domain_id } => {
            let client = ctx.conn.nodion("domains connect").await?;
            let app = AppId::from(app_id);
            let domain = client
                .domains()
                .connect(&app, &DomainId::from(domain_id.as_str()))
                .await?;
            let answer = Connected {
                done: Done::new("nodion", "connect_domain", domain_id.as_str()),
                domain,
            };
            ctx.out.show(&answer, || match &answer.domain {
                Some(domain) => views::domains(std::slice::from_ref(domain)),
                None => views::done(format!(
                    "Connected domain {domain_id} to app {app}; it takes effect with the next deployment."
                )),
            })
        }
        DomainsCommand::Delete { app_id, domain_id } => {
            let client = ctx.conn.nodion("domains delete").await?;
            let app = AppId::from(app_id);
            client
                .domains()
                .delete(&app, &DomainId::from(domain_id.as_str()))
                .await?;
            let done = Done::new("nodion", "delete_domain", domain_id.as_str());
            ctx.out.show(&done, || {
                views::done(format!("Removed domain {domain_id} from app {app}."))
            })
        }
    }
}

/// The answer of `domains connect`: done, with the domain when Nodion's answer carries it
/// (the reference does not document the answer).
#[derive(Debug, Serialize)]
struct Connected {
    #[serde(flatten)]
    done: Done,
    domain: Option<Domain>,
}

pub(crate) async fn instances(ctx: &Ctx, app_id: String) -> Result<(), CliError> {
    let client = ctx.conn.nodion("instances").await?;
    let instances = client.instances().list(&AppId::from(app_id)).await?;
    ctx.out.show(&instances, || views::instances(&instances))
}

pub(crate) async fn processes(ctx: &Ctx, app_id: String) -> Result<(), CliError> {
    let client = ctx.conn.nodion("processes").await?;
    let processes = client.processes().list(&AppId::from(app_id)).await?;
    ctx.out.show(&processes, || views::processes(&processes))
}

pub(crate) async fn scaling_events(ctx: &Ctx, app_id: String) -> Result<(), CliError> {
    let client = ctx.conn.nodion("scaling-events").await?;
    let events = client.scaling_events().list(&AppId::from(app_id)).await?;
    ctx.out.show(&events, || views::scaling_events(&events))
}

/// `apps scale`: `PATCH` each chosen process to `instances` (already checked to be 0..=16);
/// prints the processes as Nodion answered.
pub(crate) async fn scale(
    ctx: &Ctx,
    app_id: String,
    process: Option<String>,
    instances: u32,
) -> Result<(), CliError> {
    let client = ctx.conn.nodion("apps scale").await?;
    let app = AppId::from(app_id);
    let listed = client.processes().list(&app).await?;
    let chosen = choose_processes(&app, listed, process.as_deref())?;
    let mut scaled = Vec::with_capacity(chosen.len());
    for p in &chosen {
        let answer = client
            .processes()
            .scale(&app, &p.id, instances)
            .await
            .map_err(|error| {
                if scaled.is_empty() {
                    error
                } else {
                    let done: Vec<&str> =
                        scaled.iter().map(|p: &Process| p.name.as_str()).collect();
                    error.with_context(format_args!(
                        "scaling process {} of app {app} (already scaled to {instances}: {})",
                        p.name,
                        done.join(", ")
                    ))
                }
            })?;
        scaled.push(answer);
    }
    ctx.out.show(&scaled, || views::processes(&scaled))
}

/// The processes `apps scale` changes: the one whose slug (or id) is `wanted`, else all.
fn choose_processes(
    app: &AppId,
    listed: Vec<Process>,
    wanted: Option<&str>,
) -> Result<Vec<Process>, CliError> {
    if listed.is_empty() {
        return Err(CliError::Failed(format!(
            "app {app} has no processes to scale"
        )));
    }
    let Some(wanted) = wanted else {
        return Ok(listed);
    };
    let slugs: Vec<String> = listed
        .iter()
        .map(|p| p.slug.clone().unwrap_or_else(|| p.id.as_str().to_owned()))
        .collect();
    let found = listed
        .into_iter()
        .find(|p| p.slug.as_deref() == Some(wanted) || p.id.as_str() == wanted);
    match found {
        Some(process) => Ok(vec![process]),
        None => Err(CliError::Api(nodal::Error::NotFound {
            provider: "nodion",
            message: format!(
                "app {app} has no process `{wanted}`; its processes are {}",
                slugs.join(", ")
            ),
        })),
    }
}

/// `--type`: a record type word in any case (`TXT`, `txt`); a word nodal does not know is sent
/// as given, lowercased.
fn record_type(raw: &str) -> Result<RecordType, CliError> {
    let word = raw.trim().to_ascii_lowercase();
    if word.is_empty() {
        return Err(CliError::usage(
            "--type is empty: give a, aaaa, cname, mx, txt, ...",
        ));
    }
    Ok(RecordType::from_wire(&word))
}

pub(crate) async fn dns(ctx: &Ctx, command: DnsCommand) -> Result<(), CliError> {
    match command {
        DnsCommand::Zones(DnsZonesCommand::List) => {
            let client = ctx.conn.nodion("dns zones list").await?;
            let zones = client.dns().list_zones().await?;
            ctx.out.show(&zones, || views::dns_zones(&zones))
        }
        DnsCommand::Zones(DnsZonesCommand::Create { name }) => {
            let client = ctx.conn.nodion("dns zones create").await?;
            let zone = client.dns().create_zone(&name).await?;
            ctx.out.show(&zone, || views::dns_zone(&zone))
        }
        DnsCommand::Zones(DnsZonesCommand::Delete { zone, yes }) => {
            if !yes {
                super::confirm(
                    &format!("Delete DNS zone {zone} and all its records on nodion?"),
                    &format!("DNS zone {zone}"),
                )
                .await?;
            }
            let client = ctx.conn.nodion("dns zones delete").await?;
            client
                .dns()
                .delete_zone(&DnsZoneId::from(zone.as_str()))
                .await?;
            let done = Done::new("nodion", "delete_dns_zone", zone.as_str());
            ctx.out
                .show(&done, || views::done(format!("Deleted DNS zone {zone}.")))
        }
        DnsCommand::Records(DnsRecordsCommand::List {
            zone,
            name,
            record_type: kind,
        }) => {
            let mut filter = RecordFilter::default();
            if let Some(name) = name {
                filter = filter.name(name);
            }
            if let Some(kind) = kind {
                filter = filter.record_type(record_type(&kind)?);
            }
            let client = ctx.conn.nodion("dns records list").await?;
            let zone = DnsZoneId::from(zone);
            let records = if filter == RecordFilter::default() {
                client.dns().list_records(&zone).await?
            } else {
                client.dns().find_records(&zone, &filter).await?
            };
            ctx.out.show(&records, || views::dns_records(&records))
        }
        DnsCommand::Records(DnsRecordsCommand::Add {
            zone,
            record_type: kind,
            name,
            content,
            ttl,
            prio,
            port,
            weight,
        }) => {
            let mut record = NewDnsRecord::new(record_type(&kind)?, name, content);
            if let Some(ttl) = ttl {
                record = record.ttl(ttl);
            }
            if let Some(prio) = prio {
                record = record.prio(prio);
            }
            if let Some(port) = port {
                record = record.port(port);
            }
            if let Some(weight) = weight {
                record = record.weight(weight);
            }
            let client = ctx.conn.nodion("dns records add").await?;
            let added = client
                .dns()
                .create_record(&DnsZoneId::from(zone), &record)
                .await?;
            ctx.out
                .show(&added, || views::dns_records(std::slice::from_ref(&added)))
        }
        DnsCommand::Records(DnsRecordsCommand::Delete { zone, record }) => {
            let client = ctx.conn.nodion("dns records delete").await?;
            client
                .dns()
                .delete_record(
                    &DnsZoneId::from(zone.as_str()),
                    &DnsRecordId::from(record.as_str()),
                )
                .await?;
            let done = Done::new("nodion", "delete_dns_record", record.as_str());
            ctx.out.show(&done, || {
                views::done(format!("Deleted record {record} from DNS zone {zone}."))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(ts: &str, msg: &str) -> LogLine {
        serde_json::from_value(serde_json::json!({"ts": ts, "msg": msg, "instance_id": null}))
            .unwrap()
    }

    #[test]
    fn follow_shows_each_line_once_even_at_the_same_millisecond() {
        let shown = [line("2025-05-24T08:00:00.000Z", "a")];
        let mut cursor = FollowCursor::new("2025-05-24T08:00:00.000Z".into(), &shown);
        assert_eq!(cursor.after(), "2025-05-24T07:59:59.999Z");
        let polled = vec![
            line("2025-05-24T08:00:00.000Z", "a"),
            line("2025-05-24T08:00:00.000Z", "b"),
            line("2025-05-24T08:00:01.000Z", "c"),
        ];
        let fresh: Vec<String> = cursor
            .new_lines(polled.clone())
            .into_iter()
            .map(|l| l.msg)
            .collect();
        assert_eq!(fresh, ["b", "c"]);
        assert!(cursor.new_lines(polled).is_empty());
        assert_eq!(cursor.after(), "2025-05-24T08:00:00.999Z");
        // A quiet stretch moves the floor up; an older floor changes nothing.
        cursor.advance_to("2025-05-24T07:00:00.000Z");
        assert_eq!(cursor.after(), "2025-05-24T08:00:00.999Z");
        cursor.advance_to("2025-05-24T09:00:00.000Z");
        assert_eq!(cursor.after(), "2025-05-24T08:59:59.999Z");
        let late = cursor.new_lines(vec![line("2025-05-24T08:30:00.000Z", "late")]);
        assert!(late.is_empty(), "older than the floor: {late:?}");
    }

    #[test]
    fn follow_lines_cannot_forge_lines() {
        let text = follow_line(&line("t", "ok\n\x1b[32mOK: app deleted"));
        assert_eq!(text.matches('\n').count(), 1, "{text:?}");
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn since_accepts_durations_and_times() {
        let now = humantime::parse_rfc3339("2025-05-24T08:00:00Z").unwrap();
        assert_eq!(since_time("10m", now).unwrap(), "2025-05-24T07:50:00.000Z");
        assert_eq!(
            since_time("2025-05-24T07:00:00Z", now).unwrap(),
            "2025-05-24T07:00:00Z"
        );
        assert_eq!(since_time("yesterday-ish", now).unwrap_err().exit_code(), 2);
    }

    fn process(id: &str, slug: &str) -> Process {
        serde_json::from_value(serde_json::json!({"id": id, "name": slug, "slug": slug})).unwrap()
    }

    #[test]
    fn scale_chooses_the_process_by_slug_or_id_or_all() {
        let app = AppId::from("a-1");
        let listed = || vec![process("p-1", "web"), process("p-2", "worker")];
        let all = choose_processes(&app, listed(), None).unwrap();
        assert_eq!(all.len(), 2);
        let web = choose_processes(&app, listed(), Some("web")).unwrap();
        assert_eq!(web[0].id.as_str(), "p-1");
        let by_id = choose_processes(&app, listed(), Some("p-2")).unwrap();
        assert_eq!(by_id[0].slug.as_deref(), Some("worker"));
        let missing = choose_processes(&app, listed(), Some("cron")).unwrap_err();
        assert_eq!(missing.exit_code(), 4);
        assert!(missing.to_string().contains("web, worker"), "{missing}");
        assert_eq!(
            choose_processes(&app, Vec::new(), None)
                .unwrap_err()
                .exit_code(),
            1
        );
    }

    #[test]
    fn record_types_read_in_any_case() {
        assert_eq!(record_type("TXT").unwrap(), RecordType::Txt);
        assert_eq!(record_type("aaaa").unwrap(), RecordType::Aaaa);
        assert_eq!(record_type("caa").unwrap(), RecordType::Other("caa".into()));
        assert_eq!(record_type(" ").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn assignments_need_a_key_and_one_value_source() {
        let (key, value) = assignment_parts("A=b=c", false).unwrap();
        assert_eq!(key, "A");
        assert_eq!(value.expose_secret(), "b=c");
        assert_eq!(assignment_parts("A", false).unwrap_err().exit_code(), 2);
        assert_eq!(assignment_parts("A=b", true).unwrap_err().exit_code(), 2);
        assert_eq!(assignment_parts("=b", false).unwrap_err().exit_code(), 2);
    }
}
