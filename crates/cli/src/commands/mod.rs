//! The commands: choosing the provider, then one module per command group.

mod apps;
mod deploy;
mod nodana;
mod nodion;
mod projects;

use crate::cli::{Cli, Command, ProviderArg, SimCommand};
use crate::connect::{self, Connection};
use crate::exit::{CliError, JsonError, Signal};
use crate::output::spinner::Progress;
use crate::output::{Output, print_stderr};
use crate::{demo, sim_serve};
use clap::CommandFactory;
use nodal::{App, AppId, ProjectId, ProviderKind};
use serde_json::Value;
use std::io::{BufRead, IsTerminal};
use std::sync::{Mutex as StdMutex, PoisonError};
use std::time::Duration;

/// What every provider command gets: how to print, the connected provider, and `--project`.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) out: Output,
    pub(crate) conn: Connection,
    pub(crate) project: Option<ProjectId>,
    /// What the command has done so far, as its `--json` document (an app just created, a
    /// deployment started): printed with the error when a later step fails or a signal stops
    /// the command, so a script never loses the id of what exists now.
    partial: StdMutex<Option<Value>>,
    /// A change sent whose answer has not arrived yet (e.g. `the create of the app`): a
    /// signal that stops the command then says it may have been performed.
    in_flight: StdMutex<Option<String>>,
}

impl Ctx {
    /// Refuses `what` with "not supported by <provider>" unless `supported`.
    pub(crate) fn require(&self, supported: bool, what: &str) -> Result<(), CliError> {
        if supported {
            Ok(())
        } else {
            Err(CliError::unsupported(what, self.conn.name()))
        }
    }

    /// Records what the command has done so far (its `--json` document without the error).
    pub(crate) fn record_partial(&self, doc: Value) {
        *self.partial.lock().unwrap_or_else(PoisonError::into_inner) = Some(doc);
        self.take_in_flight();
    }

    /// Notes that `what` is being sent, and how to check whether it was performed (cleared by
    /// the next [`Ctx::record_partial`]).
    pub(crate) fn sending(&self, what: &str, check: &str) {
        *self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(format!(
            "{what} was sent and its answer had not arrived: it may have been performed (check with `{check}`)"
        ));
    }

    fn take_in_flight(&self) -> Option<String> {
        self.in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    fn take_partial(&self) -> Option<Value> {
        self.partial
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Waits until the app is available, showing progress on stderr. `stopped_hint` says what
    /// to do when the app turns out stopped (the wait then ends at once).
    pub(crate) async fn wait_for(
        &self,
        id: &AppId,
        timeout: Duration,
        stopped_hint: &str,
    ) -> Result<App, CliError> {
        let mut progress = Progress::start(format!("waiting for app {id}"), &self.out);
        let result = self
            .conn
            .wait_available(id, timeout, stopped_hint, |state| progress.update(state))
            .await;
        match &result {
            Ok(app) => progress.finish(&format!("{} ({})", app.status, app.raw_status)),
            Err(_) => progress.finish("not available"),
        }
        result
    }

    /// The usual hint for a stopped app.
    pub(crate) fn start_hint(id: &AppId) -> String {
        format!("run `nodal apps start {id}`")
    }

    /// Waits until the app is stopped, showing progress on stderr.
    pub(crate) async fn wait_stopped(
        &self,
        id: &AppId,
        timeout: Duration,
    ) -> Result<App, CliError> {
        let mut progress = Progress::start(format!("waiting for app {id} to stop"), &self.out);
        let result = self
            .conn
            .wait_stopped(id, timeout, |state| progress.update(state))
            .await;
        match &result {
            Ok(app) => progress.finish(&format!("{} ({})", app.status, app.raw_status)),
            Err(_) => progress.finish("not stopped"),
        }
        result
    }
}

/// Resolves with the first SIGINT or SIGTERM.
async fn stop_signal(
    interrupt: &mut tokio::signal::unix::Signal,
    terminate: &mut tokio::signal::unix::Signal,
) -> Signal {
    tokio::select! {
        _ = interrupt.recv() => Signal::Interrupt,
        _ = terminate.recv() => Signal::Terminate,
    }
}

/// Listens for SIGINT and SIGTERM (before anything is sent, so an early one is not missed).
pub(crate) fn stop_signals()
-> Result<(tokio::signal::unix::Signal, tokio::signal::unix::Signal), CliError> {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind, name: &str| {
        signal(kind).map_err(|e| CliError::Failed(format!("cannot listen for {name}: {e}")))
    };
    Ok((
        listen(SignalKind::interrupt(), "SIGINT")?,
        listen(SignalKind::terminate(), "SIGTERM")?,
    ))
}

/// Asks `question` on a terminal before deleting `what` (e.g. `app a-1`); refuses elsewhere,
/// so a script never deletes without saying `--yes`. The answer is read on a blocking thread,
/// so Ctrl-C at the prompt still ends the command at once.
pub(crate) async fn confirm(question: &str, what: &str) -> Result<(), CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "refusing to delete {what} without --yes when not run from a terminal"
        )));
    }
    print_stderr(&format!("{question} [y/N] "));
    let answer = tokio::task::spawn_blocking(|| {
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map(|_| answer)
    })
    .await
    .map_err(|e| CliError::Failed(format!("cannot read the answer: {e}")))?
    .map_err(|e| CliError::Failed(format!("cannot read the answer: {e}")))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(CliError::Failed(format!(
            "cancelled: {what} was not deleted"
        )))
    }
}

/// Runs the command line.
pub(crate) async fn run(cli: Cli, out: Output) -> Result<(), CliError> {
    let explicit = cli.provider.map(ProviderArg::kind);
    match cli.command {
        Command::Demo => {
            let (mut interrupt, mut terminate) = stop_signals()?;
            tokio::select! {
                result = demo::run(&out) => result,
                signal = stop_signal(&mut interrupt, &mut terminate) => Err(CliError::Interrupted(signal)),
            }
        }
        Command::Sim(SimCommand::Serve(args)) => sim_serve::run(args, &out).await,
        // Each tool call names its project (`project_id`); Nodion's default is NODION_PROJECT.
        Command::Mcp(_) if cli.project.is_some() => Err(CliError::usage(
            "`nodal mcp` does not take --project: tools take a `project_id`, and Nodion's default project comes from NODION_PROJECT",
        )),
        Command::Mcp(args) => Ok(nodal_mcp::run(args, explicit).await?),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "nodal", &mut script);
            crate::output::print_stdout(&String::from_utf8_lossy(&script));
            Ok(())
        }
        Command::Templates => {
            // The template catalogue is built in: nothing is sent, so no key is needed.
            connect::choose(
                explicit,
                Some(ProviderKind::Nodana),
                "templates",
                connect::key_in_env,
            )?;
            nodana::templates(&out)
        }
        command => {
            let (name, owner) = describe(&command);
            let kind = connect::choose(explicit, owner, name, connect::key_in_env)?;
            let (mut interrupt, mut terminate) = stop_signals()?;
            let conn = Connection::from_env(kind, cli.project.as_deref())?;
            let ctx = Ctx {
                out,
                conn,
                project: cli.project.map(ProjectId::from),
                partial: StdMutex::new(None),
                in_flight: StdMutex::new(None),
            };
            // A signal drops the command's future: a request in flight settles its rate-budget
            // lease as it is dropped, so the next command is not held up.
            let result = tokio::select! {
                result = execute(&ctx, command) => result,
                signal = stop_signal(&mut interrupt, &mut terminate) => Err(CliError::Interrupted(signal)),
            };
            let result = match result {
                Err(error) => Err(explain(&ctx, error).await),
                ok => ok,
            };
            let result = result.map_err(|error| report_partial(&ctx, error));
            drop(ctx);
            result
        }
    }
}

/// A failure after part of the command was done: in `--json` mode one document with what was
/// done and the error; for people, the error line (what was done is printed already).
fn report_partial(ctx: &Ctx, error: CliError) -> CliError {
    if matches!(error, CliError::Reported(_)) {
        return error;
    }
    let Some(doc) = ctx.take_partial() else {
        return match (ctx.take_in_flight(), &error) {
            (Some(note), CliError::Interrupted(_)) => CliError::Noted {
                inner: Box::new(error),
                note,
            },
            _ => error,
        };
    };
    if !ctx.out.json {
        return error;
    }
    match ctx.out.print_json(&JsonError::merged_into(&error, doc)) {
        Ok(()) => CliError::Reported(Box::new(error)),
        Err(_) => error,
    }
}

/// Adds what only a further request can tell: a Nodion permission error with a project given
/// is about the project when the key cannot see that project (reported before any scope hint).
async fn explain(ctx: &Ctx, error: CliError) -> CliError {
    let CliError::Api(nodal::Error::PermissionDenied { .. } | nodal::Error::NotFound { .. }) =
        &error
    else {
        return error;
    };
    let project = match (&ctx.project, std::env::var("NODION_PROJECT")) {
        (Some(project), _) => project.as_str().to_owned(),
        (None, Ok(project)) if !project.trim().is_empty() => project.trim().to_owned(),
        _ => return error,
    };
    let Ok(client) = ctx.conn.nodion("projects").await else {
        return error;
    };
    match client.projects().list().await {
        Ok(projects) if !projects.iter().any(|p| p.id.as_str() == project) => {
            let seen: Vec<&str> = projects.iter().map(|p| p.id.as_str()).collect();
            CliError::Api(nodal::Error::NotFound {
                provider: "nodion",
                message: format!(
                    "project {project} is not a project this key can use (it sees: {}); check --project / NODION_PROJECT",
                    if seen.is_empty() {
                        "none".to_owned()
                    } else {
                        seen.join(", ")
                    }
                ),
            })
        }
        _ => error,
    }
}

/// The command's name for messages, and the provider it belongs to if it is provider-specific.
fn describe(command: &Command) -> (&'static str, Option<ProviderKind>) {
    use crate::cli::{
        AppsCommand as A, DeploymentsCommand as D, DnsCommand as Dns, DnsRecordsCommand as Rec,
        DnsZonesCommand as Z, DomainsCommand as Dom, EnvCommand as E, ProjectsCommand as P,
        ServicesCommand as S,
    };
    let nodana = Some(ProviderKind::Nodana);
    let nodion = Some(ProviderKind::Nodion);
    match command {
        Command::Projects(P::List) => ("projects list", None),
        Command::Projects(P::Get { .. }) => ("projects get", None),
        Command::Projects(P::Create { .. }) => ("projects create", None),
        Command::Projects(P::Rename { .. }) => ("projects rename", None),
        Command::Projects(P::Delete { .. }) => ("projects delete", None),
        Command::Apps(A::List) => ("apps list", None),
        Command::Apps(A::Get { .. }) => ("apps get", None),
        Command::Apps(A::Create(_)) => ("apps create", None),
        Command::Apps(A::Start { .. }) => ("apps start", None),
        Command::Apps(A::Stop { .. }) => ("apps stop", None),
        Command::Apps(A::Restart { .. }) => ("apps restart", None),
        Command::Apps(A::Delete { .. }) => ("apps delete", None),
        Command::Apps(A::Wait { .. }) => ("apps wait", None),
        Command::Deploy(_) => ("deploy", None),
        Command::Deployments(D::List { .. }) => ("deployments list", None),
        Command::Services(S::List { .. }) => ("services list", nodana),
        Command::Services(S::Update { .. }) => ("services update", nodana),
        Command::Templates => ("templates", nodana),
        Command::Regions => ("regions", nodion),
        Command::InstanceTypes => ("instance-types", nodion),
        Command::Env(E::List { .. }) => ("env list", nodion),
        Command::Env(E::Set { .. }) => ("env set", nodion),
        Command::Env(E::Unset { .. }) => ("env unset", nodion),
        Command::Logs(_) => ("logs", nodion),
        Command::Domains(Dom::List { .. }) => ("domains list", nodion),
        Command::Domains(Dom::Add { .. }) => ("domains add", nodion),
        Command::Domains(Dom::Verify { .. }) => ("domains verify", nodion),
        Command::Domains(Dom::Connect { .. }) => ("domains connect", nodion),
        Command::Domains(Dom::Delete { .. }) => ("domains delete", nodion),
        Command::Apps(A::Scale { .. }) => ("apps scale", nodion),
        Command::Instances { .. } => ("instances", nodion),
        Command::Processes { .. } => ("processes", nodion),
        Command::ScalingEvents { .. } => ("scaling-events", nodion),
        Command::Dns(Dns::Zones(Z::List)) => ("dns zones list", nodion),
        Command::Dns(Dns::Zones(Z::Create { .. })) => ("dns zones create", nodion),
        Command::Dns(Dns::Zones(Z::Delete { .. })) => ("dns zones delete", nodion),
        Command::Dns(Dns::Records(Rec::List { .. })) => ("dns records list", nodion),
        Command::Dns(Dns::Records(Rec::Add { .. })) => ("dns records add", nodion),
        Command::Dns(Dns::Records(Rec::Delete { .. })) => ("dns records delete", nodion),
        Command::Demo => ("demo", None),
        Command::Sim(_) => ("sim", None),
        Command::Completions { .. } => ("completions", None),
        Command::Mcp(_) => ("mcp", None),
    }
}

async fn execute(ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::Projects(cmd) => projects::run(ctx, cmd).await,
        Command::Apps(cmd) => apps::run(ctx, cmd).await,
        Command::Deploy(args) => deploy::deploy(ctx, args).await,
        Command::Deployments(cmd) => deploy::deployments(ctx, cmd).await,
        Command::Services(cmd) => nodana::services(ctx, cmd).await,
        Command::Regions => nodion::regions(ctx).await,
        Command::InstanceTypes => nodion::instance_types(ctx).await,
        Command::Env(cmd) => nodion::env(ctx, cmd).await,
        Command::Logs(args) => nodion::logs(ctx, args).await,
        Command::Domains(cmd) => nodion::domains(ctx, cmd).await,
        Command::Instances { app_id } => nodion::instances(ctx, app_id).await,
        Command::Processes { app_id } => nodion::processes(ctx, app_id).await,
        Command::ScalingEvents { app_id } => nodion::scaling_events(ctx, app_id).await,
        Command::Dns(cmd) => nodion::dns(ctx, cmd).await,
        Command::Templates
        | Command::Demo
        | Command::Sim(_)
        | Command::Completions { .. }
        | Command::Mcp(_) => Err(CliError::Failed(
            "this command does not need a provider connection".into(),
        )),
    }
}
