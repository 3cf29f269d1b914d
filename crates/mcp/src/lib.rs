#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod catalogue;
mod progress;
mod safety;
mod secrets;
mod server;

pub use catalogue::{Access, ProviderName, TOOLS, ToolInfo, table as tool_table};
pub use safety::CONFIRMATION_TTL;
pub use secrets::{credentials_dir, state_dir};
pub use server::{Clients, NodalMcp, Permissions};

use nodal::nodana::NodanaClientBuilder;
use nodal::nodion::NodionClientBuilder;
use nodal::{Error, ProviderKind, RateBudget, Result};
use rmcp::ServiceExt as _;
use server::SERVER;
use std::net::SocketAddr;
use std::sync::Arc;

/// The flags of `nodal mcp` (the provider comes from the CLI's `--provider` / `NODAL_PROVIDER`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct McpArgs {
    /// List and accept tools that create or change something (create, deploy, start,
    /// restart, set env, update service). Without it the server is read-only.
    #[arg(long)]
    pub allow_writes: bool,

    /// Also list and accept stop and delete (each call needs the token of a dry run first).
    #[arg(long, requires = "allow_writes")]
    pub allow_destructive: bool,

    /// Return one-time credentials (seed phrases, passwords) in tool results, instead of
    /// writing them to a new 0600 file and returning its path.
    #[arg(long)]
    pub reveal_credentials: bool,

    /// Return environment variable values instead of masking them.
    #[arg(long)]
    pub reveal_env: bool,

    /// Serve streamable HTTP on this loopback address (e.g. `127.0.0.1:8765`, path `/mcp`)
    /// instead of stdio. Other addresses are refused.
    #[arg(long, value_name = "127.0.0.1:PORT", value_parser = parse_loopback)]
    pub http: Option<SocketAddr>,

    /// Print the tools (providers, annotations, the flags they need) and exit.
    #[arg(long)]
    pub list_tools: bool,
}

impl McpArgs {
    /// The permissions the flags give.
    pub fn permissions(&self) -> Permissions {
        Permissions {
            allow_writes: self.allow_writes,
            allow_destructive: self.allow_destructive,
            reveal_credentials: self.reveal_credentials,
            reveal_env: self.reveal_env,
        }
    }
}

/// `--http`'s parser: a socket address on a loopback interface.
fn parse_loopback(text: &str) -> std::result::Result<SocketAddr, String> {
    let addr: SocketAddr = text.parse().map_err(|e| {
        format!("`{text}` is not an IP address with a port, e.g. 127.0.0.1:8765 ({e})")
    })?;
    check_loopback(addr).map_err(|e| e.to_string())
}

/// Refuses an address other processes on the network could reach: the server acts with the
/// user's API keys, so only this machine may talk to it.
///
/// ```
/// use std::net::SocketAddr;
/// assert!(nodal_mcp::check_loopback("127.0.0.1:8765".parse::<SocketAddr>().unwrap()).is_ok());
/// assert!(nodal_mcp::check_loopback("[::1]:8765".parse::<SocketAddr>().unwrap()).is_ok());
/// let err = nodal_mcp::check_loopback("0.0.0.0:8765".parse::<SocketAddr>().unwrap()).unwrap_err();
/// assert!(err.to_string().contains("loopback"));
/// ```
pub fn check_loopback(addr: SocketAddr) -> Result<SocketAddr> {
    if addr.ip().is_loopback() {
        Ok(addr)
    } else {
        Err(Error::Config {
            provider: SERVER,
            message: format!(
                "--http {addr} is not a loopback address: the server acts with your API keys, so it listens only on 127.0.0.1 or ::1 (e.g. --http 127.0.0.1:8765)"
            ),
        })
    }
}

/// Builds the clients from the environment only: `provider` alone when given (its key must be
/// set), else every provider whose API key is set (`NODANA_API_KEY`, `NODION_API_KEY`; base
/// URLs from `NODANA_API_BASE_URL` / `NODION_API_BASE_URL`; Nodion also reads
/// `NODION_KEY_KIND` and `NODION_PROJECT`).
///
/// ```no_run
/// # async fn serve() -> nodal::Result<()> {
/// // Every provider whose key is set, read-only: what `nodal mcp` does without flags.
/// let clients = nodal_mcp::connect(None)?;
/// let server = nodal_mcp::NodalMcp::new(clients, nodal_mcp::Permissions::default());
/// nodal_mcp::serve_stdio(server).await
/// # }
/// ```
pub fn connect(provider: Option<ProviderKind>) -> Result<Clients> {
    let wanted: Vec<ProviderKind> = match provider {
        Some(kind) => vec![kind],
        None => ProviderKind::ALL
            .into_iter()
            .filter(|kind| kind.has_key_in_env())
            .collect(),
    };
    if wanted.is_empty() {
        return Err(Error::Config {
            provider: SERVER,
            message: "no provider to serve: set NODANA_API_KEY and/or NODION_API_KEY (keys are read only from the environment)".into(),
        });
    }
    // One budget per key shared with every nodal process on this machine (the CLI, other
    // servers): `NODAL_RATE_LIMIT_URL` (Redis or a directory) when set, else the file store in
    // the state directory. Fails closed: without a usable store nothing is served.
    let budget = RateBudget::shared_local()?;
    let mut clients = Clients::default();
    for kind in wanted {
        if !kind.has_key_in_env() {
            return Err(Error::Config {
                provider: SERVER,
                message: format!(
                    "{} is not set: export your {kind} API key first (keys are read only from the environment)",
                    kind.api_key_var()
                ),
            });
        }
        match kind {
            ProviderKind::Nodana => {
                // The adapter's default quota (1 request per second) through the shared budget,
                // which keeps arrivals a second apart whatever the network does.
                let builder = NodanaClientBuilder::from_vars(|name| std::env::var(name).ok())?
                    .rate_budget(budget.clone());
                clients.nodana = Some(builder.build()?);
            }
            _ => {
                let mut builder = NodionClientBuilder::from_env()?.rate_budget(budget.clone());
                // `stop_app` saves the process counts a later `start_app` (here or in the CLI)
                // gives back: the same directory the CLI uses.
                if let Some(dir) = state_dir() {
                    builder = builder.process_counts_dir(dir.join("nodion-process-counts"));
                }
                clients.nodion = Some(builder.build()?);
            }
        }
    }
    Ok(clients)
}

/// Runs `nodal mcp`: prints the tool table with `--list-tools`, else connects to the
/// providers and serves MCP on stdio (or streamable HTTP with `--http`) until the client
/// goes away (or Ctrl-C, for HTTP).
///
/// ```no_run
/// use clap::Parser;
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     mcp: nodal_mcp::McpArgs,
/// }
///
/// # async fn serve() -> nodal::Result<()> {
/// let cli = Cli::parse_from(["my-tool", "--allow-writes"]);
/// nodal_mcp::run(cli.mcp, Some(nodal::ProviderKind::Nodana)).await
/// # }
/// ```
pub async fn run(args: McpArgs, provider: Option<ProviderKind>) -> Result<()> {
    if args.list_tools {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = out.write_all(tool_table().as_bytes());
        return Ok(());
    }
    if args.allow_destructive && !args.allow_writes {
        return Err(Error::Config {
            provider: SERVER,
            message: "--allow-destructive needs --allow-writes too".into(),
        });
    }
    // Run alone (not under `nodal -v`), warnings still reach stderr; stdout is the protocol.
    let _ = tracing::dispatcher::set_global_default(progress::dispatch());
    let server = NodalMcp::new(connect(provider)?, args.permissions());
    match args.http {
        None => Box::pin(serve_stdio(server)).await,
        Some(addr) => Box::pin(serve_http(server, check_loopback(addr)?)).await,
    }
}

fn mcp_failure(what: &str, error: impl std::fmt::Display) -> Error {
    Error::Transport {
        provider: SERVER,
        message: format!("{what}: {error}"),
        source: None,
        maybe_performed: false,
    }
}

/// Serves `server` on stdin/stdout until the client closes them.
pub async fn serve_stdio(server: NodalMcp) -> Result<()> {
    let running = Box::pin(server.serve(rmcp::transport::stdio()))
        .await
        .map_err(|e| mcp_failure("the MCP session on stdio could not start", e))?;
    running
        .waiting()
        .await
        .map_err(|e| mcp_failure("the MCP session on stdio ended with an error", e))?;
    Ok(())
}

/// Serves `server` as streamable HTTP at `http://ADDR/mcp` until Ctrl-C. Every session shares
/// the server's clients, tokens and `request_id` results. Requests with a non-loopback `Host`
/// or any `Origin` header (a browser page) are refused.
///
/// ```no_run
/// # async fn serve() -> nodal::Result<()> {
/// let server = nodal_mcp::NodalMcp::new(nodal_mcp::connect(None)?, Default::default());
/// nodal_mcp::serve_http(server, "127.0.0.1:8765".parse().unwrap()).await
/// # }
/// ```
pub async fn serve_http(server: NodalMcp, addr: SocketAddr) -> Result<()> {
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService,
    };
    let addr = check_loopback(addr)?;
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        // Loopback `Host` only (rmcp's default, against DNS rebinding), and no browser
        // `Origin` at all: a web page open on this machine must not drive the server.
        StreamableHttpServerConfig::default().enforce_origin_validation(),
    );
    let router = axum::Router::new().nest_service("/mcp", service);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| mcp_failure(&format!("cannot listen on {addr}"), e))?;
    let bound = listener.local_addr().unwrap_or(addr);
    eprintln!("nodal mcp: serving MCP (streamable HTTP) at http://{bound}/mcp; Ctrl-C stops");
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| mcp_failure("the HTTP server failed", e))
}
