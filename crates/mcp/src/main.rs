//! `nodal-mcp`: the `nodal mcp` server on its own (the same flags, plus `--provider`).

use clap::Parser;
use std::process::ExitCode;

/// Nodion and Nodana as safe MCP tools for AI agents (also available as `nodal mcp`).
#[derive(Debug, Parser)]
#[command(name = "nodal-mcp", version, about)]
struct Cli {
    /// The provider to serve. Default: every provider whose API key is set.
    #[arg(long, env = "NODAL_PROVIDER", value_enum, ignore_case = true)]
    provider: Option<Provider>,

    #[command(flatten)]
    mcp: nodal_mcp::McpArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Provider {
    Nodion,
    Nodana,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let provider = cli.provider.map(|p| match p {
        Provider::Nodion => nodal::ProviderKind::Nodion,
        Provider::Nodana => nodal::ProviderKind::Nodana,
    });
    match nodal_mcp::run(cli.mcp, provider).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("nodal mcp: {error}");
            ExitCode::from(match error {
                nodal::Error::Config { .. } | nodal::Error::InvalidInput { .. } => 2,
                _ => 1,
            })
        }
    }
}
