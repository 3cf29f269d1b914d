//! The tools: one row each (name, providers, what it may change, its input type), and the
//! input types the JSON Schemas are generated from.

use nodal::ProviderKind;
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// What a tool may change, which decides the flag it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only; always listed.
    Read,
    /// Creates or changes something; listed with `--allow-writes`.
    Write,
    /// Stops or deletes something; listed with `--allow-writes --allow-destructive`, and each
    /// call needs the confirmation token of a dry run.
    Destructive,
}

impl Access {
    /// The flags a server needs to list a tool of this kind.
    pub fn needs(self) -> &'static str {
        match self {
            Access::Read => "-",
            Access::Write => "--allow-writes",
            Access::Destructive => "--allow-writes --allow-destructive",
        }
    }
}

/// One tool of `nodal mcp`.
#[derive(Debug, Clone, Copy)]
pub struct ToolInfo {
    /// Its MCP name.
    pub name: &'static str,
    /// The one-line description, naming the provider(s).
    pub description: &'static str,
    /// The providers it works on.
    pub providers: &'static [ProviderKind],
    /// What it may change.
    pub access: Access,
    /// Whether calling it again with the same arguments changes nothing more.
    pub idempotent: bool,
    /// Whether it talks to the provider at all (the template catalogue is built in).
    pub sends: bool,
    schema: fn() -> Arc<JsonObject>,
}

impl ToolInfo {
    /// The JSON Schema of the tool's input, generated from its input type.
    pub fn input_schema(&self) -> Arc<JsonObject> {
        (self.schema)()
    }

    /// The MCP annotations: read-only, destructive, idempotent, open world.
    pub fn annotations(&self) -> ToolAnnotations {
        ToolAnnotations::new()
            .read_only(self.access == Access::Read)
            .destructive(self.access == Access::Destructive)
            .idempotent(self.idempotent)
            .open_world(self.sends)
    }

    /// The MCP tool definition `tools/list` shows.
    pub fn to_tool(&self) -> Tool {
        Tool::new(self.name, self.description, self.input_schema()).annotate(self.annotations())
    }

    /// Whether a server with these flags lists (and accepts) the tool.
    pub fn allowed(&self, allow_writes: bool, allow_destructive: bool) -> bool {
        match self.access {
            Access::Read => true,
            Access::Write => allow_writes,
            Access::Destructive => allow_writes && allow_destructive,
        }
    }
}

fn schema<T: JsonSchema + 'static>() -> Arc<JsonObject> {
    rmcp::handler::server::tool::schema_for_type::<T>()
}

const BOTH: &[ProviderKind] = &[ProviderKind::Nodion, ProviderKind::Nodana];
const NODION: &[ProviderKind] = &[ProviderKind::Nodion];
const NODANA: &[ProviderKind] = &[ProviderKind::Nodana];

macro_rules! tool {
    ($name:literal, $providers:expr, $access:ident, $idempotent:literal, $input:ty, $description:literal) => {
        ToolInfo {
            name: $name,
            description: $description,
            providers: $providers,
            access: Access::$access,
            idempotent: $idempotent,
            sends: true,
            schema: schema::<$input>,
        }
    };
}

/// Every tool, in the order `tools/list` shows them.
pub const TOOLS: &[ToolInfo] = &[
    tool!(
        "list_projects",
        BOTH,
        Read,
        true,
        ProviderOnly,
        "Nodion and Nodana: list the projects the API key can see."
    ),
    tool!(
        "get_project",
        BOTH,
        Read,
        true,
        ProjectRef,
        "Nodion and Nodana: show one project."
    ),
    tool!(
        "list_apps",
        BOTH,
        Read,
        true,
        ListApps,
        "Nodion and Nodana: list apps, of one project or of every project the key can see."
    ),
    tool!(
        "get_app",
        BOTH,
        Read,
        true,
        AppRef,
        "Nodion and Nodana: show one app with its neutral status and the provider's own status word."
    ),
    tool!(
        "list_deployments",
        BOTH,
        Read,
        true,
        AppRef,
        "Nodion and Nodana: list the deployments of an app (Nodana: its services and versions)."
    ),
    tool!(
        "wait_app",
        BOTH,
        Read,
        true,
        WaitApp,
        "Nodion and Nodana: wait until an app is available, reporting each status as progress."
    ),
    tool!(
        "create_app",
        BOTH,
        Write,
        false,
        CreateApp,
        "Nodion and Nodana: create an app (Nodana from a template, Nodion from an image or git); a repeated request_id returns the first result."
    ),
    tool!(
        "deploy_app",
        BOTH,
        Write,
        false,
        DeployApp,
        "Nodion and Nodana: roll out a new version of an app (Nodion: a new deployment; Nodana: the template's latest version)."
    ),
    tool!(
        "start_app",
        BOTH,
        Write,
        true,
        AppRef,
        "Nodion and Nodana: start a stopped app."
    ),
    tool!(
        "restart_app",
        BOTH,
        Write,
        false,
        AppRef,
        "Nodion and Nodana: restart an app (Nodion: a new deployment)."
    ),
    tool!(
        "stop_app",
        BOTH,
        Destructive,
        true,
        Confirmed,
        "Nodion and Nodana: stop an app; the user confirms through the client, or call with dry_run first and then with its confirmation_token."
    ),
    tool!(
        "delete_app",
        BOTH,
        Destructive,
        true,
        Confirmed,
        "Nodion and Nodana: delete an app for good; the user confirms through the client, or call with dry_run first and then with its confirmation_token."
    ),
    tool!(
        "nodion_list_regions",
        NODION,
        Read,
        true,
        NoInput,
        "Nodion: list the regions apps can run in."
    ),
    tool!(
        "nodion_list_instance_types",
        NODION,
        Read,
        true,
        NoInput,
        "Nodion: list the instance types apps can run on, with their prices."
    ),
    tool!(
        "nodion_list_env",
        NODION,
        Read,
        true,
        NodionApp,
        "Nodion: list the environment variables of an app (values masked unless the server runs with --reveal-env)."
    ),
    tool!(
        "nodion_set_env",
        NODION,
        Write,
        true,
        SetEnv,
        "Nodion: set an environment variable of an app (creates it, or changes the value of the existing one)."
    ),
    tool!(
        "nodion_logs",
        NODION,
        Read,
        true,
        Logs,
        "Nodion: the newest log lines of an app, oldest first."
    ),
    tool!(
        "nodion_list_domains",
        NODION,
        Read,
        true,
        NodionApp,
        "Nodion: list the custom domains of an app and their verification state."
    ),
    ToolInfo {
        sends: false,
        ..tool!(
            "nodana_list_templates",
            NODANA,
            Read,
            true,
            NoInput,
            "Nodana: the app templates and their parameters (built in: nothing is sent)."
        )
    },
    tool!(
        "nodana_list_services",
        NODANA,
        Read,
        true,
        NodanaApp,
        "Nodana: list the services of an app with their versions."
    ),
    tool!(
        "nodana_update_service",
        NODANA,
        Write,
        true,
        UpdateService,
        "Nodana: move one service of an app to its newest version."
    ),
];

/// The tool named `name`.
pub(crate) fn find(name: &str) -> Option<&'static ToolInfo> {
    TOOLS.iter().find(|tool| tool.name == name)
}

/// The table `nodal mcp --list-tools` prints: tool, providers, annotations, the flags it needs.
///
/// ```
/// let table = nodal_mcp::tool_table();
/// assert!(table.starts_with("TOOL"));
/// assert!(table.lines().any(|line| line.starts_with("delete_app") && line.contains("--allow-destructive")));
/// ```
pub fn table() -> String {
    let width = TOOLS.iter().map(|t| t.name.len()).max().unwrap_or(0);
    let mut out = format!(
        "{:<width$}  {:<6}  {:<6}  {:<9}  {:<11}  {:<10}  NEEDS\n",
        "TOOL", "NODION", "NODANA", "READ-ONLY", "DESTRUCTIVE", "IDEMPOTENT"
    );
    let mark = |yes: bool| if yes { "yes" } else { "-" };
    for tool in TOOLS {
        let _ = writeln!(
            out,
            "{:<width$}  {:<6}  {:<6}  {:<9}  {:<11}  {:<10}  {}",
            tool.name,
            mark(tool.providers.contains(&ProviderKind::Nodion)),
            mark(tool.providers.contains(&ProviderKind::Nodana)),
            mark(tool.access == Access::Read),
            mark(tool.access == Access::Destructive),
            mark(tool.idempotent),
            tool.access.needs(),
        );
    }
    out
}

/// A provider, as tool arguments spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProviderName {
    /// Nodion, the European PaaS.
    Nodion,
    /// Nodana, Bitcoin and Lightning apps from templates.
    Nodana,
}

impl ProviderName {
    /// The facade's name for it.
    pub fn kind(self) -> ProviderKind {
        match self {
            ProviderName::Nodion => ProviderKind::Nodion,
            ProviderName::Nodana => ProviderKind::Nodana,
        }
    }
}

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoInput {}

/// Only the provider.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProviderOnly {
    /// `nodion` or `nodana`; may be left out when the server serves only one provider.
    pub(crate) provider: Option<ProviderName>,
}

/// One project.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProjectRef {
    /// `nodion` or `nodana`; may be left out when the server serves only one provider.
    pub(crate) provider: Option<ProviderName>,
    /// The project's id.
    pub(crate) project_id: String,
}

/// Apps of a project, or of every project.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListApps {
    /// `nodion` or `nodana`; may be left out when the server serves only one provider.
    pub(crate) provider: Option<ProviderName>,
    /// Only the apps of this project.
    pub(crate) project_id: Option<String>,
}

/// One app.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppRef {
    /// `nodion` or `nodana`; may be left out when the server serves only one provider.
    pub(crate) provider: Option<ProviderName>,
    /// The app's id.
    pub(crate) app_id: String,
}

/// Waiting for an app.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WaitApp {
    /// `nodion` or `nodana`; may be left out when the server serves only one provider.
    pub(crate) provider: Option<ProviderName>,
    /// The app's id.
    pub(crate) app_id: String,
    /// How long to wait, 1 to 3600 seconds (default 300).
    #[schemars(range(min = 1, max = 3600))]
    pub(crate) timeout_seconds: Option<u64>,
}

/// A destructive call: first with `dry_run: true`, then with the token it returned.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Confirmed {
    /// `nodion` or `nodana`; may be left out when the server serves only one provider.
    pub(crate) provider: Option<ProviderName>,
    /// The app's id.
    pub(crate) app_id: String,
    /// `true`: change nothing; show the app and return a confirmation token for this exact call.
    #[serde(default)]
    pub(crate) dry_run: bool,
    /// The token a dry run of this tool with the same arguments returned (single use, expires
    /// after two minutes). Without it, a client that supports elicitation asks its user.
    pub(crate) confirmation_token: Option<String>,
}

/// A new app.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateApp {
    /// `nodion` or `nodana`; may be left out when the server serves only one provider.
    pub(crate) provider: Option<ProviderName>,
    /// Chosen by the caller, e.g. a UUID: calling again with the same id returns the first
    /// result instead of creating a second app.
    #[schemars(length(min = 1, max = 200))]
    pub(crate) request_id: String,
    /// Nodana: the project to create the app in (default: the provider chooses). Not for
    /// Nodion, which creates in the server's project (`NODION_PROJECT`, else the key's default).
    pub(crate) project_id: Option<String>,
    /// Nodana: the template, e.g. `phoenixd` (see nodana_list_templates).
    pub(crate) template: Option<String>,
    /// Nodana: template parameters, e.g. `{"auto_liquidity": "2m"}`.
    #[serde(default)]
    pub(crate) params: BTreeMap<String, String>,
    /// Nodion: the app's name.
    pub(crate) name: Option<String>,
    /// Nodion: region slug or id, e.g. `euc` (see nodion_list_regions).
    pub(crate) region: Option<String>,
    /// Nodion: instance type slug or id, e.g. `starter` (see nodion_list_instance_types).
    pub(crate) instance_type: Option<String>,
    /// Nodion: number of instances (1-16).
    #[schemars(range(min = 1, max = 16))]
    pub(crate) instances: Option<u32>,
    /// Nodion: run this prebuilt image, e.g. `nginxdemos/hello`.
    pub(crate) image: Option<String>,
    /// Nodion: the image tag (default `latest`).
    pub(crate) image_tag: Option<String>,
    /// Nodion: build from git; the integration id (with git_repository and git_branch).
    pub(crate) git_integration: Option<String>,
    /// Nodion: build from git; the repository id.
    pub(crate) git_repository: Option<String>,
    /// Nodion: build from git; the branch id.
    pub(crate) git_branch: Option<String>,
}

/// A new version of an app.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeployApp {
    /// `nodion` or `nodana`; may be left out when the server serves only one provider.
    pub(crate) provider: Option<ProviderName>,
    /// The app's id.
    pub(crate) app_id: String,
    /// Nodion prebuilt-image apps: the image tag to roll out.
    pub(crate) image_tag: Option<String>,
    /// Optional, chosen by the caller: calling again with the same id returns the first
    /// result instead of deploying again.
    #[schemars(length(min = 1, max = 200))]
    pub(crate) request_id: Option<String>,
}

/// A Nodion app.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NodionApp {
    /// The app's id.
    pub(crate) app_id: String,
}

/// A Nodion environment variable to set.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SetEnv {
    /// The app's id.
    pub(crate) app_id: String,
    /// The variable's name.
    #[schemars(length(min = 1))]
    pub(crate) key: String,
    /// Its value (never echoed back).
    pub(crate) value: String,
    /// Also available while building the app.
    #[serde(default)]
    pub(crate) build_time: bool,
}

/// Nodion log lines.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Logs {
    /// The app's id.
    pub(crate) app_id: String,
    /// At most this many of the newest lines, 1-2500 (default 100).
    #[schemars(range(min = 1, max = 2500))]
    pub(crate) limit: Option<u32>,
    /// Only lines newer than this time (RFC 3339, e.g. `2026-05-05T05:00:00Z`).
    pub(crate) since: Option<String>,
}

/// A Nodana app.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NodanaApp {
    /// The app's id.
    pub(crate) app_id: String,
}

/// A Nodana service to update.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateService {
    /// The app's id.
    pub(crate) app_id: String,
    /// The service's id (see nodana_list_services).
    pub(crate) service_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_schema_is_an_object() {
        let mut names: Vec<&str> = TOOLS.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TOOLS.len());
        for tool in TOOLS {
            let schema = tool.input_schema();
            assert_eq!(
                schema.get("type").and_then(|t| t.as_str()),
                Some("object"),
                "{}",
                tool.name
            );
            assert!(tool.description.starts_with("Nod"), "{}", tool.name);
        }
    }

    #[test]
    fn flags_decide_what_is_listed() {
        let delete = find("delete_app").unwrap();
        assert!(!delete.allowed(true, false));
        assert!(delete.allowed(true, true));
        assert!(!find("create_app").unwrap().allowed(false, false));
        assert!(find("get_app").unwrap().allowed(false, false));
        let annotations = delete.annotations();
        assert_eq!(annotations.destructive_hint, Some(true));
        assert_eq!(annotations.read_only_hint, Some(false));
    }

    #[test]
    fn the_crate_readme_documents_every_tool_as_listed() {
        let readme = include_str!("../README.md");
        let mark = |yes: bool| if yes { "yes" } else { "-" };
        for tool in TOOLS {
            let row = readme
                .lines()
                .find(|line| line.starts_with(&format!("| `{}` |", tool.name)))
                .unwrap_or_else(|| panic!("{} is not in README.md", tool.name));
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            assert_eq!(
                cells[2],
                mark(tool.providers.contains(&ProviderKind::Nodion)),
                "{row}"
            );
            assert_eq!(
                cells[3],
                mark(tool.providers.contains(&ProviderKind::Nodana)),
                "{row}"
            );
            assert_eq!(cells[4], mark(tool.access == Access::Read), "{row}");
            assert_eq!(cells[5], mark(tool.access == Access::Destructive), "{row}");
            assert!(cells[6].starts_with(mark(tool.idempotent)), "{row}");
            assert_eq!(cells[7].trim_matches('`'), tool.access.needs(), "{row}");
        }
    }

    #[test]
    fn the_table_has_one_line_per_tool() {
        let table = table();
        assert_eq!(table.lines().count(), TOOLS.len() + 1);
        assert!(table.contains("delete_app"), "{table}");
    }
}
