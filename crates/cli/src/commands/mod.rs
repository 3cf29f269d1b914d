//! The commands: choosing the provider, then one module per command group.

mod apps;
mod deploy;
mod nodana;
mod nodion;
mod projects;

use crate::cli::{Cli, Command, ProviderArg, SimCommand};
use crate::connect::{self, Connection};
use crate::exit::CliError;
use crate::output::spinner::Progress;
use crate::output::{Output, print_stderr};
use crate::{demo, sim_serve};
use clap::CommandFactory;
use nodal::{App, AppId, ProjectId, ProviderKind};
use std::io::{BufRead, IsTerminal};
use std::time::Duration;

/// What every provider command gets: how to print, the connected provider, and `--project`.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) out: Output,
    pub(crate) conn: Connection,
    pub(crate) project: Option<ProjectId>,
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

    /// Waits until the app is available, showing progress on stderr.
    pub(crate) async fn wait_for(&self, id: &AppId, timeout: Duration) -> Result<App, CliError> {
        let mut progress = Progress::start(format!("waiting for app {id}"), &self.out);
        let result = self
            .conn
            .wait_available(id, timeout, |state| progress.update(state))
            .await;
        match &result {
            Ok(app) => progress.finish(&format!("{} ({})", app.status, app.raw_status)),
            Err(_) => progress.finish("not available"),
        }
        result
    }
}

/// Asks `question` on a terminal before deleting `what` (e.g. `app a-1`); refuses elsewhere,
/// so a script never deletes without saying `--yes`.
pub(crate) fn confirm(question: &str, what: &str) -> Result<(), CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "refusing to delete {what} without --yes when not run from a terminal"
        )));
    }
    print_stderr(&format!("{question} [y/N] "));
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
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
        Command::Demo => demo::run(&out).await,
        Command::Sim(SimCommand::Serve { port }) => sim_serve::run(port, &out).await,
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
            let conn = Connection::from_env(kind, cli.project.as_deref())?;
            let ctx = Ctx {
                out,
                conn,
                project: cli.project.map(ProjectId::from),
            };
            let result = tokio::select! {
                result = execute(&ctx, command) => result,
                _ = tokio::signal::ctrl_c() => Err(CliError::Interrupted),
            };
            // Dropping the connection records the time of the last Nodana request.
            drop(ctx);
            result
        }
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
        Command::Templates | Command::Demo | Command::Sim(_) | Command::Completions { .. } => Err(
            CliError::Failed("this command does not need a provider connection".into()),
        ),
    }
}
