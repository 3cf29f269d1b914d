//! The `nodal` command line tool: projects, apps and deployments on Nodion and Nodana, for
//! people (tables, progress) and scripts (`--json`, exit codes), built only on the `nodal`
//! facade. `nodal demo` runs the whole life cycle on both providers against an embedded twin.
//!
//! The binary is a thin wrapper around [`run`]:
//!
//! ```
//! use clap::Parser;
//! use nodal_cli::Cli;
//!
//! let cli = Cli::try_parse_from(["nodal", "--json", "apps", "list"]).unwrap();
//! assert!(cli.json);
//! // A token is never a command-line option.
//! assert!(Cli::try_parse_from(["nodal", "--token", "x", "apps", "list"]).is_err());
//! ```
#![deny(missing_docs)]

mod cli;
mod commands;
mod connect;
mod demo;
mod exit;
mod guard;
mod output;
mod sim_serve;

pub use cli::{
    AppsCommand, Cli, Command, CreateArgs, DeployArgs, DeploymentsCommand, DnsCommand,
    DnsRecordsCommand, DnsZonesCommand, DomainTypeArg, DomainsCommand, EnvCommand, LogsArgs,
    ProjectsCommand, ProviderArg, ServicesCommand, SimCommand,
};

use output::Output;
use std::process::ExitCode;
use std::time::Duration;

/// Runs a parsed command line to the end and returns the exit code (see `nodal --help`).
pub fn run(cli: Cli) -> ExitCode {
    let out = Output::detect(cli.json);
    init_tracing(cli.verbose, out.color_stderr);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            out.error(&exit::CliError::Failed(format!(
                "cannot start the async runtime: {error}"
            )));
            return ExitCode::from(exit::OTHER);
        }
    };
    let result = runtime.block_on(commands::run(cli, out));
    // A blocked lock wait (after Ctrl-C) must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_millis(100));
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(error) => {
            out.error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}

/// `-v`: debug, `-vv`: trace, to stderr. The libraries never put a token, a header or a body
/// into a span or an event, so nothing secret can reach these lines.
fn init_tracing(verbose: u8, color: bool) {
    let level = match verbose {
        0 => return,
        1 => "debug",
        _ => "trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .with_env_filter(tracing_subscriber::EnvFilter::new(level))
        .try_init();
}
