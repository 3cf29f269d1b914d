//! The `nodal` command line tool: projects, apps and deployments on Nodion and Nodana, for
//! people (tables, progress) and scripts (`--json`, exit codes), built only on the `nodal`
//! facade. `nodal demo` runs the whole life cycle on both providers against an embedded twin.
//!
//! The binary is a thin wrapper around [`run_from_args`] (which parses, then calls [`run`]):
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
mod output;
mod request_lines;
mod sim_serve;
mod state;

pub use cli::{
    AppsCommand, Cli, Command, CreateArgs, DEFAULT_TIMEOUT, DeployArgs, DeploymentsCommand,
    DnsCommand, DnsRecordsCommand, DnsZonesCommand, DomainTypeArg, DomainsCommand, EnvCommand,
    LogsArgs, MAX_TIMEOUT, MIN_TIMEOUT, ProjectsCommand, ProviderArg, ServicesCommand, SimCommand,
    SimServeArgs, WaitArgs,
};

use clap::Parser;
use clap::error::ErrorKind;
use output::Output;
use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

/// Parses `args` (the program name first) and runs them to the end, like the `nodal` binary.
/// A command line that does not parse is reported by clap on stderr (exit 2), or, when
/// `--json` is among the arguments, as one JSON error document on stdout (exit 2), so a
/// script's `--json` contract holds for typos too.
///
/// ```
/// use std::process::ExitCode;
/// // A misspelt command: exit 2, with `{"error": {"kind": "usage", ...}}` on stdout.
/// assert_eq!(nodal_cli::run_from_args(["nodal", "--json", "apps", "lst"]), ExitCode::from(2));
/// ```
pub fn run_from_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => run(cli),
        Err(error) => usage_error(&error, wants_json(&args)),
    }
}

/// Whether `--json` was given before any `--` (where arguments stop being options).
fn wants_json(args: &[OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|arg| *arg != "--")
        .any(|arg| arg == "--json")
}

fn usage_error(error: &clap::Error, json: bool) -> ExitCode {
    let code = u8::try_from(error.exit_code()).unwrap_or(exit::USAGE);
    let informational = matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    );
    if !json || informational {
        let _ = error.print();
        return ExitCode::from(code);
    }
    let message = match error.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "a command is missing; see `nodal --help`".to_owned()
        }
        _ => {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            format!(
                "{}; see `nodal --help`",
                first.strip_prefix("error: ").unwrap_or(first).trim_end()
            )
        }
    };
    let out = Output::detect(true);
    out.error(&exit::CliError::Usage(message));
    ExitCode::from(exit::USAGE)
}

/// Runs a parsed command line to the end and returns the exit code (see `nodal --help`).
pub fn run(cli: Cli) -> ExitCode {
    let out = Output::detect(cli.json);
    init_tracing(cli.verbose);
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

/// `-v`: one line per request (`nodana GET /projects -> 200 in 3 ms`) and the libraries' info
/// and warnings, without connection-pool chatter; `-vv`: everything at trace level, plus the
/// request lines. To stderr. The libraries never put a token, a header or a body into a span
/// or an event, so nothing secret can reach these lines.
fn init_tracing(verbose: u8) {
    use tracing_subscriber::Layer;
    use tracing_subscriber::filter::{EnvFilter, LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let events = match verbose {
        0 => return,
        1 => "info,hyper=warn,hyper_util=warn,reqwest=warn,h2=warn,rustls=warn",
        // rmcp logs whole MCP messages (tool arguments and results) at debug level.
        _ => "trace,rmcp=info",
    };
    // No colour codes of our own: the writer escapes every control character of a line.
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(request_lines::SafeStderr)
        .with_ansi(false)
        .with_filter(EnvFilter::new(events));
    // The request span is at debug level in the core crate.
    let lines = request_lines::RequestLines
        .with_filter(Targets::new().with_target("nodal_core", LevelFilter::DEBUG));
    let _ = tracing_subscriber::registry()
        .with(fmt)
        .with(lines)
        .try_init();
}
