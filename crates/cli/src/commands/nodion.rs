//! Nodion-only commands: regions, instance types, environment variables, logs, domains.

use super::Ctx;
use crate::cli::{DomainTypeArg, DomainsCommand, EnvCommand, LogsArgs};
use crate::exit::CliError;
use crate::output::views::{self, Done};
use crate::output::{Cell, Table, Tone};
use futures_util::TryStreamExt;
use nodal::nodion::{
    DomainId, DomainType, EnvVariable, EnvVariableUpdate, LogLine, LogQuery, NewDomain,
    NewEnvVariable,
};
use nodal::{AppId, ExposeSecret, SecretString};
use serde::Serialize;
use std::io::Read;
use std::time::SystemTime;

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
            let client = ctx.conn.nodion("env set").await?;
            let app = AppId::from(app_id);
            let existing = client
                .env()
                .list(&app)
                .await?
                .into_iter()
                .find(|var| var.key == key);
            let var = match existing {
                Some(var) => {
                    let mut update = EnvVariableUpdate::new().value(value);
                    if buildtime {
                        update = update.build_time(true);
                    }
                    client.env().update(&app, &var.id, &update).await?
                }
                None => {
                    let new = NewEnvVariable::new(key, value).build_time(buildtime);
                    client.env().create(&app, &new).await?
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
    let client = ctx.conn.nodion("logs").await?;
    let mut query = LogQuery::new().limit(args.limit);
    if let Some(since) = &args.since {
        query = query.after(since_time(since, SystemTime::now())?);
    }
    let mut lines: Vec<LogLine> = client
        .logs()
        .stream(&AppId::from(args.app_id), query)?
        .try_collect()
        .await?;
    // The stream pages backwards and yields the newest line first; people read logs forwards.
    lines.reverse();
    lines.sort_by(|a, b| a.ts.cmp(&b.ts));
    ctx.out.show(&lines, || views::logs(&lines))
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

#[cfg(test)]
mod tests {
    use super::*;

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
