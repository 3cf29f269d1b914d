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
  0  ok
  1  other error (conflict, limit reached, server or network failure, ...)
  2  usage error, invalid input, or not supported by the provider
  3  not authenticated, or permission denied
  4  not found
  5  rate limited, or timed out
With --json, an error is printed on stdout as {\"error\": {\"kind\", \"message\", ...}}.

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

    /// Log what happens to stderr (-v: debug, -vv: trace). Never shows a token or a secret.
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

    /// Nodion: the newest log lines of an app, oldest first.
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
    },
    /// Stop an app.
    Stop {
        /// App id.
        id: String,
    },
    /// Restart an app (Nodion: a new deployment).
    Restart {
        /// App id.
        id: String,
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

    /// Wait until the app is available (a spinner on a terminal, plain lines otherwise).
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits, e.g. `90s`, `5m`.
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Write one-time credentials (seed phrase, passwords) as JSON to this file (created or
    /// replaced, mode 0600) instead of showing them.
    #[arg(long, value_name = "FILE")]
    pub save_credentials: Option<PathBuf>,

    /// With --json: include one-time credentials in clear text (otherwise only their names).
    #[arg(long)]
    pub show_credentials: bool,
}

/// `nodal deploy ...`
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// App id.
    pub app_id: String,
    /// Image tag to roll out (Nodion prebuilt-image apps).
    #[arg(long)]
    pub image_tag: Option<String>,
    /// Wait until the app is available again.
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits, e.g. `90s`, `5m`.
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    pub timeout: Duration,
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
    /// Most lines to show.
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// Only lines newer than this: a duration (`10m`, `2h`) or an RFC 3339 time.
    #[arg(long, value_name = "DUR|TIME")]
    pub since: Option<String>,
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
    Serve {
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
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
    fn help_documents_the_exit_codes() {
        let help = Cli::command().render_help().to_string();
        for line in [
            "0  ok",
            "2  usage error",
            "3  not authenticated",
            "4  not found",
            "5  rate limited",
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
