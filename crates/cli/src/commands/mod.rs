//! The commands: choosing the provider, then one module per command group.

mod apps;
mod deploy;
mod nodana;
mod nodion;
mod projects;

use crate::cli::{Cli, Command, ProviderArg, SimCommand};
use crate::connect::{self, Connection};
use crate::exit::CliError;
use crate::output::Output;
use crate::output::spinner::Progress;
use crate::{demo, sim_serve};
use clap::CommandFactory;
use nodal::{App, AppId, ProjectId, ProviderKind};
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
        AppsCommand as A, DeploymentsCommand as D, DomainsCommand as Dom, EnvCommand as E,
        ProjectsCommand as P, ServicesCommand as S,
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
        Command::Domains(Dom::Delete { .. }) => ("domains delete", nodion),
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
        Command::Templates | Command::Demo | Command::Sim(_) | Command::Completions { .. } => Err(
            CliError::Failed("this command does not need a provider connection".into()),
        ),
    }
}
