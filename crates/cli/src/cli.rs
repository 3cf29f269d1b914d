//! The command line: every command, flag and help text (clap derive).

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// Shown at the end of `--help`: where tokens come from, and the exit codes scripts can rely on.
const AFTER_HELP: &str = "\
Tokens and base URLs come only from the environment, never from the command line:
  NODANA_API_KEY, NODANA_API_BASE_URL               Nodana
  NODION_API_KEY, NODION_API_BASE_URL, NODION_KEY_KIND (user|project), NODION_PROJECT   Nodion
Without --provider (or NODAL_PROVIDER), the provider whose key is set is used.

Exit codes:
  0    ok
  1    other error (conflict, limit reached, server or network failure, ...)
  2    usage error, invalid input, or not supported by the provider (nothing was sent)
  3    not authenticated, or permission denied
  4    not found
  5    rate limited, or timed out (e.g. --wait --timeout)
  130  interrupted with Ctrl-C (SIGINT)
  143  terminated (SIGTERM)
With --json, stdout always holds exactly one JSON document: on failure
{\"error\": {\"kind\", \"message\", ...}}, plus what was already created (e.g. \"app\").

Start with `nodal demo`: it runs the whole life cycle on both providers against an embedded
twin, with no account and no network.";

/// One client for Nodion and Nodana: projects, apps and deployments, for people and scripts.
#[derive(Debug, Parser)]
#[command(name = "nodal", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Provider to talk to. Default: the one whose API key is set.
    #[arg(
        long,
        global = true,
        env = "NODAL_PROVIDER",
        value_enum,
        ignore_case = true
    )]
    pub provider: Option<ProviderArg>,

    /// Print one JSON document on stdout (the neutral model, or the provider's own for
    /// provider-specific commands) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// Project to work in. Nodion: sent as X-Nodion-Project (default: NODION_PROJECT, else the
    /// key's default project). Nodana: the project `apps list` shows and `apps create` uses.
    #[arg(long, global = true, value_name = "ID")]
    pub project: Option<String>,

    /// Log what happens to stderr (-v: one line per request, `GET /projects -> 200 in 3 ms`,
    /// and warnings; -vv: trace). Never shows a token or a secret.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The providers, as `--provider` spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderArg {
    /// Nodion, the European PaaS.
    Nodion,
    /// Nodana, Bitcoin and Lightning apps from templates.
    Nodana,
}

impl ProviderArg {
    /// The facade's name for it.
    pub fn kind(self) -> nodal::ProviderKind {
        match self {
            ProviderArg::Nodion => nodal::ProviderKind::Nodion,
            ProviderArg::Nodana => nodal::ProviderKind::Nodana,
        }
    }
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Projects: list, show, create, rename, delete.
    #[command(subcommand)]
    Projects(ProjectsCommand),

    /// Apps: list, show, create, start, stop, restart, delete.
    #[command(subcommand)]
    Apps(AppsCommand),

    /// Roll out a new version of an app (Nodion: a new deployment; Nodana: the template's latest
    /// version).
    Deploy(DeployArgs),

    /// Deployments of an app (Nodana: its services and their versions).
    #[command(subcommand)]
    Deployments(DeploymentsCommand),

    /// Nodana: the services of an app.
    #[command(subcommand)]
    Services(ServicesCommand),

    /// Nodana: the app templates and their parameters (no request is sent).
    Templates,

    /// Nodion: the regions apps can run in.
    Regions,

    /// Nodion: the instance types apps can run on.
    InstanceTypes,

    /// Nodion: environment variables of an app.
    #[command(subcommand)]
    Env(EnvCommand),

    /// Nodion: the newest log lines of an app, oldest first; --follow keeps printing new ones.
    Logs(LogsArgs),

    /// Nodion: custom domains of an app.
    #[command(subcommand)]
    Domains(DomainsCommand),

    /// Nodion: the running instances of an app.
    Instances {
        /// App id.
        app_id: String,
    },

    /// Nodion: the processes of an app (web, worker, ...) and their instance counts.
    Processes {
        /// App id.
        app_id: String,
    },

    /// Nodion: the scaling events of an app, as Nodion lists them.
    ScalingEvents {
        /// App id.
        app_id: String,
    },

    /// Nodion: DNS zones and their records.
    #[command(subcommand)]
    Dns(DnsCommand),

    /// Run the whole life cycle on both providers against an embedded twin: no account, no
    /// network beyond 127.0.0.1.
    Demo,

    /// The offline twin of both APIs.
    #[command(subcommand)]
    Sim(SimCommand),

    /// Serve both providers as Model Context Protocol tools for AI agents (stdio, or
    /// --http 127.0.0.1:PORT). Read-only unless --allow-writes; see --list-tools.
    Mcp(nodal_mcp::McpArgs),

    /// Print a shell completion script (e.g. `nodal completions bash > ~/.local/share/bash-completion/completions/nodal`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `nodal projects ...`
#[derive(Debug, Subcommand)]
pub enum ProjectsCommand {
    /// Every project the key can see.
    List,
    /// One project.
    Get {
        /// Project id.
        id: String,
    },
    /// Create a project (Nodana; at most four per account).
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
    },
    /// Rename a project (Nodana).
    Rename {
        /// Project id.
        id: String,
        /// The new name.
        #[arg(long)]
        name: String,
    },
    /// Delete an empty project (Nodana).
    Delete {
        /// Project id.
        id: String,
    },
}

/// `nodal apps ...`
#[derive(Debug, Subcommand)]
pub enum AppsCommand {
    /// Apps of the project given with --project, or of every project the key can see.
    List,
    /// One app.
    Get {
        /// App id.
        id: String,
    },
    /// Create an app. Nodana: --template [--param key=value]...; Nodion: --name --region
    /// --instance-type --instances and --image or --git-*.
    Create(Box<CreateArgs>),
    /// Start a stopped app.
    Start {
        /// App id.
        id: String,
        /// --wait [--timeout]: until the app is available.
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Stop an app.
    Stop {
        /// App id.
        id: String,
        /// --wait [--timeout]: until the app is stopped.
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Restart an app (Nodion: a new deployment).
    Restart {
        /// App id.
        id: String,
        /// --wait [--timeout]: until the app is available again.
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Wait until an app is available (fails at once when it cannot become available by
    /// waiting, e.g. a stopped app).
    Wait {
        /// App id.
        id: String,
        /// How long to wait, 1s to 24h, e.g. `90s`, `5m` (default 5m).
        #[arg(long, value_parser = parse_timeout)]
        timeout: Option<Duration>,
    },
    /// Delete an app. Asks first on a terminal; elsewhere --yes is required.
    Delete {
        /// App id.
        id: String,
        /// Do not ask.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Nodion: set the instance count of a process (--process), or of every process; 0 stops
    /// it.
    Scale {
        /// App id.
        id: String,
        /// Only the process with this slug (e.g. `web`; its id works too). Default: every
        /// process of the app.
        #[arg(long, value_name = "SLUG")]
        process: Option<String>,
        /// Instances per process, 0-16 (0 stops the process).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=MAX_PROCESS_INSTANCES))]
        instances: u32,
    },
}

/// The most instances `apps scale` sets on one process: Nodion's limit, the top of the
/// adapter's instance range (16).
pub(crate) const MAX_PROCESS_INSTANCES: i64 = *nodal::nodion::SCALING_INSTANCE_RANGE.end() as i64;

/// `nodal apps create ...`
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Nodana: the template, e.g. `phoenixd` (see `nodal templates`).
    #[arg(long, help_heading = "Nodana")]
    pub template: Option<String>,

    /// Nodana: a template parameter, e.g. `auto_liquidity=2m` (repeatable). A parameter the
    /// template does not list is refused before anything is sent, unless
    /// --allow-unknown-param.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_key_value, help_heading = "Nodana")]
    pub params: Vec<(String, String)>,

    /// Nodana: send a --param that a known template does not list, as given (for a parameter
    /// Nodana added after this version of nodal); Nodana judges it.
    #[arg(long, requires = "template", help_heading = "Nodana")]
    pub allow_unknown_param: bool,

    /// Nodion: the app's name.
    #[arg(long, help_heading = "Nodion")]
    pub name: Option<String>,

    /// Nodion: region slug or id, e.g. `euc` (see `nodal regions`).
    #[arg(long, help_heading = "Nodion")]
    pub region: Option<String>,

    /// Nodion: instance type slug or id, e.g. `starter` (see `nodal instance-types`).
    #[arg(long, help_heading = "Nodion")]
    pub instance_type: Option<String>,

    /// Nodion: number of instances (1-16).
    #[arg(long, help_heading = "Nodion")]
    pub instances: Option<u32>,

    /// Nodion: run this prebuilt image, e.g. `nginxdemos/hello`.
    #[arg(long, help_heading = "Nodion source", conflicts_with_all = ["git_integration", "git_repository", "git_branch"])]
    pub image: Option<String>,

    /// Nodion: the image tag (default `latest`).
    #[arg(long, requires = "image", help_heading = "Nodion source")]
    pub image_tag: Option<String>,

    /// Nodion: build from git; the integration id.
    #[arg(long, requires_all = ["git_repository", "git_branch"], help_heading = "Nodion source")]
    pub git_integration: Option<String>,

    /// Nodion: build from git; the repository id.
    #[arg(long, requires = "git_integration", help_heading = "Nodion source")]
    pub git_repository: Option<String>,

    /// Nodion: build from git; the branch id.
    #[arg(long, requires = "git_integration", help_heading = "Nodion source")]
    pub git_branch: Option<String>,

    /// --wait [--timeout]: until the app is available.
    #[command(flatten)]
    pub wait: WaitArgs,

    /// Write one-time credentials (seed phrase, passwords) as JSON, with the app's id,
    /// project, URL, template and creation time, to this NEW file (mode 0600). An existing
    /// file is refused before anything is sent.
    #[arg(long, value_name = "FILE")]
    pub save_credentials: Option<PathBuf>,

    /// With --json: include one-time credentials in clear text. With --json, a template that
    /// returns credentials needs this or --save-credentials (refused before sending otherwise).
    #[arg(long)]
    pub show_credentials: bool,
}

/// `--wait [--timeout DUR]`: wait for the state the command leads to.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct WaitArgs {
    /// Wait until the app gets there (a spinner on a terminal, plain lines otherwise); fails
    /// at once when waiting cannot help (e.g. the app is stopped).
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits, 1s to 24h, e.g. `90s`, `5m` (default 5m). Needs --wait.
    #[arg(long, requires = "wait", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
}

impl WaitArgs {
    /// The wait asked for: `None` without `--wait`, else the timeout (default 5 minutes).
    pub fn timeout(&self) -> Option<Duration> {
        self.wait.then(|| self.timeout.unwrap_or(DEFAULT_TIMEOUT))
    }
}

/// How long `--wait` waits without `--timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// The shortest `--timeout`: a poll takes about a second.
pub const MIN_TIMEOUT: Duration = Duration::from_secs(1);
/// The longest `--timeout`: longer is a typo (and would overflow timers).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// `nodal deploy ...`
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// App id.
    pub app_id: String,
    /// Image tag to roll out (Nodion prebuilt-image apps).
    #[arg(long)]
    pub image_tag: Option<String>,
    /// --wait [--timeout]: until the app is available again.
    #[command(flatten)]
    pub wait: WaitArgs,
}

/// `nodal deployments ...`
#[derive(Debug, Subcommand)]
pub enum DeploymentsCommand {
    /// Deployments of an app, in the provider's order (Nodion lists the newest first).
    List {
        /// App id.
        app_id: String,
    },
}

/// `nodal services ...` (Nodana)
#[derive(Debug, Subcommand)]
pub enum ServicesCommand {
    /// Services of an app with their versions.
    List {
        /// App id.
        app_id: String,
    },
    /// Move one service to a newer version.
    Update {
        /// App id.
        app_id: String,
        /// Service id.
        service_id: String,
    },
}

/// `nodal env ...` (Nodion)
#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Variables of an app; values are masked unless --show-values.
    List {
        /// App id.
        app_id: String,
        /// Show the values in clear text.
        #[arg(long)]
        show_values: bool,
    },
    /// Create or change a variable: `KEY=VALUE`, or `KEY` with --value-stdin. A value on the
    /// command line is visible to other users of this machine (ps, shell history); prefer
    /// --value-stdin for secrets.
    Set {
        /// App id.
        app_id: String,
        /// `KEY=VALUE`, or `KEY` with --value-stdin.
        #[arg(value_name = "KEY=VALUE")]
        assignment: String,
        /// Read the value from standard input (one trailing newline is dropped).
        #[arg(long)]
        value_stdin: bool,
        /// Make the value available at build time.
        #[arg(long)]
        buildtime: bool,
    },
    /// Remove a variable.
    Unset {
        /// App id.
        app_id: String,
        /// Variable name.
        key: String,
    },
}

/// `nodal logs ...` (Nodion)
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// App id.
    pub app_id: String,
    /// Most lines to show: the newest ones of the window.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// Only lines newer than this: a duration (`10m`, `2h`) or an RFC 3339 time.
    #[arg(long, value_name = "DUR|TIME")]
    pub since: Option<String>,
    /// Keep printing new lines as they arrive (one request every few seconds, within the
    /// rate limit) until Ctrl-C. Not with --json.
    #[arg(long, short = 'f')]
    pub follow: bool,
}

/// `nodal domains ...` (Nodion)
#[derive(Debug, Subcommand)]
pub enum DomainsCommand {
    /// Custom domains of an app.
    List {
        /// App id.
        app_id: String,
    },
    /// Add a domain; it stays pending until verified.
    Add {
        /// App id.
        app_id: String,
        /// Domain name, e.g. `www.example.com`.
        domain: String,
        /// `sub` or `main`.
        #[arg(long = "type", value_enum)]
        domain_type: Option<DomainTypeArg>,
    },
    /// Ask the provider to verify a domain.
    Verify {
        /// App id.
        app_id: String,
        /// Domain id.
        domain_id: String,
    },
    /// Connect a verified domain to the app (its CNAME or ALIAS must point at the app); takes
    /// effect with the next deployment.
    Connect {
        /// App id.
        app_id: String,
        /// Domain id.
        domain_id: String,
    },
    /// Remove a domain.
    Delete {
        /// App id.
        app_id: String,
        /// Domain id.
        domain_id: String,
    },
}

/// `nodal dns ...` (Nodion)
#[derive(Debug, Subcommand)]
pub enum DnsCommand {
    /// DNS zones: list, create, delete.
    #[command(subcommand)]
    Zones(DnsZonesCommand),
    /// Records of a zone: list, add, delete.
    #[command(subcommand)]
    Records(DnsRecordsCommand),
}

/// `nodal dns zones ...`
#[derive(Debug, Subcommand)]
pub enum DnsZonesCommand {
    /// Every DNS zone of the account.
    List,
    /// Create a zone; Nodion fills in its default records.
    Create {
        /// The domain, e.g. `example.com`.
        name: String,
    },
    /// Delete a zone and all its records. Asks first on a terminal; elsewhere --yes is
    /// required.
    Delete {
        /// Zone id.
        zone: String,
        /// Do not ask.
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

/// `nodal dns records ...`
#[derive(Debug, Subcommand)]
pub enum DnsRecordsCommand {
    /// Records of a zone, optionally only those with a name and/or a type.
    List {
        /// Zone id.
        zone: String,
        /// Only records with this name (`@`, `www`, ...).
        #[arg(long)]
        name: Option<String>,
        /// Only records of this type (`a`, `aaaa`, `cname`, `mx`, `txt`, ...).
        #[arg(long = "type", value_name = "TYPE")]
        record_type: Option<String>,
    },
    /// Add a record.
    Add {
        /// Zone id.
        zone: String,
        /// Type: a, aaaa, ns, alias, cname, mx, txt, ptr, srv (any case).
        #[arg(long = "type", value_name = "TYPE")]
        record_type: String,
        /// Name within the zone (`@` for the apex, `www`, ...).
        #[arg(long)]
        name: String,
        /// Value, e.g. `203.0.113.7`.
        #[arg(long)]
        content: String,
        /// Time to live in seconds, 60-86400 (default: Nodion's).
        #[arg(long, value_name = "SECONDS")]
        ttl: Option<u32>,
        /// Priority (mx, srv).
        #[arg(long)]
        prio: Option<u32>,
        /// Port (srv).
        #[arg(long)]
        port: Option<u32>,
        /// Weight (srv).
        #[arg(long)]
        weight: Option<u32>,
    },
    /// Delete a record.
    Delete {
        /// Zone id.
        zone: String,
        /// Record id.
        record: String,
    },
}

/// A Nodion domain type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DomainTypeArg {
    /// A subdomain.
    Sub,
    /// An apex domain.
    Main,
}

/// `nodal sim ...`
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the twin of both APIs on 127.0.0.1 until Ctrl-C, and print the export lines that
    /// point nodal (or any client) at it.
    Serve(SimServeArgs),
}

/// `nodal sim serve ...`: the twin's options.
#[derive(Debug, Clone, Args)]
pub struct SimServeArgs {
    /// Port (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Use this fixed Nodana key instead of a random one (stays valid across restarts).
    #[arg(long, value_name = "KEY")]
    pub nodana_key: Option<String>,
    /// Use this fixed Nodion user key instead of a random one.
    #[arg(long, value_name = "KEY")]
    pub nodion_key: Option<String>,
    /// How long a new Nodana app stays pending, e.g. `500ms`, `10s` (the twin's default 10s).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub nodana_start_delay: Option<Duration>,
    /// How long a Nodion deployment takes, e.g. `500ms`.
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub nodion_deploy_delay: Option<Duration>,
    /// Smallest gap between two accepted requests of one Nodana key (default 1s, the
    /// provider's limit; `0s` turns the limit off).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub nodana_min_interval: Option<Duration>,
    /// How much earlier than the gap a Nodana request may arrive and still be accepted.
    #[arg(long, value_name = "DUR", value_parser = parse_duration, conflicts_with = "zero_tolerance")]
    pub nodana_tolerance: Option<Duration>,
    /// No tolerance: a Nodana request arriving even slightly closer than the gap is refused
    /// (429) and counted as a violation, to check a client's limiter exactly.
    #[arg(long)]
    pub zero_tolerance: bool,
    /// Injected uplink latency, `MIN-MAX` milliseconds (e.g. `0-200`; `50` is a fixed delay):
    /// each request waits a random time in that range before the twin counts its arrival, so
    /// requests may arrive in another order than they were sent.
    #[arg(long, value_name = "MIN-MAX", value_parser = parse_latency_ms)]
    pub uplink_latency_ms: Option<(Duration, Duration)>,
    /// A Nodion quota per key, `N/DUR` (e.g. `10/1s`): beyond it the twin answers 429 with
    /// `Retry-After`. Default: none.
    #[arg(long, value_name = "N/DUR", value_parser = parse_quota)]
    pub nodion_quota: Option<(u32, Duration)>,
    /// Write the export lines to this file too (replaced; mode 0600), for `source FILE`.
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<PathBuf>,
}

/// `KEY=VALUE`, split at the first `=`; the key must not be empty.
pub(crate) fn parse_key_value(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        Some(_) => Err("the key before `=` is empty".to_owned()),
        None => Err(format!("expected KEY=VALUE, got `{raw}`")),
    }
}

/// A duration such as `90s`, `5m`, `1h 30m`.
pub(crate) fn parse_duration(raw: &str) -> Result<Duration, String> {
    humantime::parse_duration(raw.trim()).map_err(|e| format!("`{raw}` is not a duration: {e}"))
}

/// `N/DUR`, e.g. `10/1s`: at most N requests per DUR (both above zero).
pub(crate) fn parse_quota(raw: &str) -> Result<(u32, Duration), String> {
    let (count, per) = raw
        .split_once('/')
        .ok_or_else(|| format!("expected N/DUR such as 10/1s, got `{raw}`"))?;
    let count: u32 = count
        .trim()
        .parse()
        .map_err(|_| format!("`{count}` is not a request count"))?;
    let per = parse_duration(per)?;
    if count == 0 || per.is_zero() {
        return Err(format!(
            "`{raw}`: both the count and the duration must be above zero"
        ));
    }
    Ok((count, per))
}

/// `MIN-MAX` milliseconds (or one number for a fixed delay), the maximum not below the minimum.
pub(crate) fn parse_latency_ms(raw: &str) -> Result<(Duration, Duration), String> {
    let millis = |part: &str| {
        part.trim()
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| {
                format!("`{part}` is not a number of milliseconds (expected MIN-MAX, e.g. 0-200)")
            })
    };
    let (min, max) = match raw.split_once('-') {
        Some((min, max)) => (millis(min)?, millis(max)?),
        None => {
            let fixed = millis(raw)?;
            (fixed, fixed)
        }
    };
    if max < min {
        return Err(format!(
            "`{raw}`: the maximum is below the minimum (expected MIN-MAX, e.g. 0-200)"
        ));
    }
    Ok((min, max))
}

/// A `--timeout`: a duration from [`MIN_TIMEOUT`] to [`MAX_TIMEOUT`], checked before anything
/// is sent (a zero wait cannot succeed, a huge one is a typo).
pub(crate) fn parse_timeout(raw: &str) -> Result<Duration, String> {
    let timeout = parse_duration(raw)?;
    if (MIN_TIMEOUT..=MAX_TIMEOUT).contains(&timeout) {
        Ok(timeout)
    } else {
        Err(format!(
            "`{raw}` is out of range: a timeout is between 1s and 24h"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn key_value_splits_at_the_first_equals_sign() {
        assert_eq!(
            parse_key_value("url=postgres://h/db?x=1").unwrap(),
            ("url".to_owned(), "postgres://h/db?x=1".to_owned())
        );
        assert_eq!(
            parse_key_value("EMPTY=").unwrap(),
            ("EMPTY".to_owned(), String::new())
        );
        assert!(parse_key_value("=x").is_err());
        assert!(parse_key_value("novalue").is_err());
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("5m").unwrap(), Duration::from_secs(300));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn quotas_read_as_count_per_duration() {
        assert_eq!(parse_quota("10/1s").unwrap(), (10, Duration::from_secs(1)));
        assert_eq!(
            parse_quota("3/500ms").unwrap(),
            (3, Duration::from_millis(500))
        );
        for bad in ["10", "0/1s", "10/0s", "x/1s", "10/soon"] {
            assert!(parse_quota(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uplink_latency_reads_as_a_millisecond_range() {
        let ms = Duration::from_millis;
        assert_eq!(parse_latency_ms("0-200").unwrap(), (ms(0), ms(200)));
        assert_eq!(parse_latency_ms(" 20 - 30 ").unwrap(), (ms(20), ms(30)));
        assert_eq!(parse_latency_ms("50").unwrap(), (ms(50), ms(50)));
        for bad in ["", "200-0", "a-b", "0-", "-5", "0-200ms"] {
            assert!(parse_latency_ms(bad).is_err(), "{bad}");
        }
        let cli = Cli::try_parse_from([
            "nodal",
            "sim",
            "serve",
            "--zero-tolerance",
            "--uplink-latency-ms",
            "0-200",
        ])
        .unwrap();
        let Command::Sim(SimCommand::Serve(args)) = cli.command else {
            panic!("not sim serve: {cli:?}");
        };
        assert!(args.zero_tolerance);
        assert_eq!(args.uplink_latency_ms, Some((ms(0), ms(200))));
        // A tolerance and "no tolerance" contradict each other.
        let err = Cli::try_parse_from([
            "nodal",
            "sim",
            "serve",
            "--zero-tolerance",
            "--nodana-tolerance",
            "50ms",
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn absurd_timeouts_are_usage_errors() {
        assert_eq!(parse_timeout("90s").unwrap(), Duration::from_secs(90));
        for bad in ["0", "0s", "300000000000y", "25h", "abc"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
            let err = Cli::try_parse_from([
                "nodal",
                "apps",
                "create",
                "--template",
                "lnbits",
                "--wait",
                "--timeout",
                bad,
            ])
            .unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn timeout_needs_wait() {
        for cmd in [
            &[
                "nodal",
                "apps",
                "create",
                "--template",
                "lnbits",
                "--timeout",
                "1m",
            ][..],
            &["nodal", "deploy", "a-1", "--timeout", "1m"],
            &["nodal", "apps", "start", "a-1", "--timeout", "1m"],
        ] {
            assert_eq!(
                Cli::try_parse_from(cmd).unwrap_err().exit_code(),
                2,
                "{cmd:?}"
            );
        }
        let cli = Cli::try_parse_from(["nodal", "apps", "stop", "a-1", "--wait"]).unwrap();
        let Command::Apps(AppsCommand::Stop { wait, .. }) = cli.command else {
            panic!("not stop: {cli:?}");
        };
        assert_eq!(wait.timeout(), Some(DEFAULT_TIMEOUT));
        assert_eq!(WaitArgs::default().timeout(), None);
        assert!(Cli::try_parse_from(["nodal", "apps", "wait", "a-1", "--timeout", "2m"]).is_ok());
    }

    #[test]
    fn help_documents_the_exit_codes() {
        let help = Cli::command().render_help().to_string();
        for line in [
            "0    ok",
            "2    usage error",
            "3    not authenticated",
            "4    not found",
            "5    rate limited",
            "130  interrupted",
            "143  terminated",
        ] {
            assert!(help.contains(line), "{line} missing from:\n{help}");
        }
    }

    #[test]
    fn scale_counts_are_checked_before_anything_is_sent() {
        let parse =
            |n: &str| Cli::try_parse_from(["nodal", "apps", "scale", "a-1", "--instances", n]);
        for ok in ["0", "1", "16"] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        for bad in ["17", "-1", "many"] {
            let err = parse(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
        let cli = Cli::try_parse_from([
            "nodal",
            "apps",
            "scale",
            "a-1",
            "--process",
            "web",
            "--instances",
            "3",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Apps(AppsCommand::Scale { process: Some(p), instances: 3, .. }) if p == "web"
        ));
    }

    #[test]
    fn dns_commands_parse_as_documented() {
        let cli = Cli::try_parse_from([
            "nodal",
            "dns",
            "records",
            "add",
            "z-1",
            "--type",
            "TXT",
            "--name",
            "@",
            "--content",
            "v=spf1 -all",
            "--ttl",
            "300",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Dns(DnsCommand::Records(DnsRecordsCommand::Add {
                ttl: Some(300),
                ..
            }))
        ));
        assert!(Cli::try_parse_from(["nodal", "dns", "zones", "create", "example.com"]).is_ok());
        assert!(
            Cli::try_parse_from(["nodal", "dns", "records", "add", "z-1", "--name", "@"]).is_err()
        );
    }

    #[test]
    fn allow_unknown_param_belongs_to_template() {
        assert!(Cli::try_parse_from(["nodal", "apps", "create", "--allow-unknown-param"]).is_err());
        let cli = Cli::try_parse_from([
            "nodal",
            "apps",
            "create",
            "--template",
            "phoenixd",
            "--param",
            "x=y",
            "--allow-unknown-param",
        ])
        .unwrap();
        assert!(
            matches!(cli.command, Command::Apps(AppsCommand::Create(args)) if args.allow_unknown_param)
        );
    }

    #[test]
    fn globals_work_after_the_subcommand() {
        let cli = Cli::try_parse_from(["nodal", "apps", "list", "--json", "--provider", "nodana"])
            .unwrap();
        assert!(cli.json);
        assert_eq!(cli.provider, Some(ProviderArg::Nodana));
    }
}
