//! The surfaces the twin seeds rather than lets a client create: git integrations with their
//! repositories and branches, email zones with messages, container registries, and runners
//! with their runs (a run can be triggered). Shapes as the reference pages show them
//! (integrations, email-zones, container-registries, runners, runner-runs).

use serde_json::{Map, Value, json};

use super::Ctx;
use super::catalog::{INSTANCE_TYPES, InstanceType, REGIONS, Region};
use super::fields::Checks;
use super::reply::{Answer, Failure, Reply};
use super::state::State;
use crate::time::format_rfc3339;
use crate::util::Rng;

const HOUR_MS: u64 = 3_600_000;

/// Everything seeded at start.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    /// Integrations belong to the user, not to a project.
    integrations: Vec<Integration>,
    email_zones: Vec<EmailZone>,
    registries: Vec<Registry>,
    runners: Vec<Runner>,
}

#[derive(Debug)]
struct Integration {
    id: String,
    service_type: &'static str,
    username: &'static str,
    repositories: Vec<Repository>,
}

#[derive(Debug)]
struct Repository {
    id: String,
    service_id: String,
    name: &'static str,
    description: &'static str,
    private: bool,
    branches: Vec<(String, &'static str)>,
}

#[derive(Debug)]
struct EmailZone {
    id: String,
    project_id: String,
    name: &'static str,
    created_ms: u64,
    /// `(id, to_address, created_ms)`.
    messages: Vec<(String, &'static str, u64)>,
}

#[derive(Debug)]
struct Registry {
    id: String,
    project_id: String,
    region: &'static Region,
    created_ms: u64,
}

#[derive(Debug)]
struct Runner {
    id: String,
    project_id: String,
    name: &'static str,
    run_command: &'static str,
    timeout_seconds: u64,
    region: &'static Region,
    instance_type: &'static InstanceType,
    created_ms: u64,
    runs: Vec<Run>,
}

#[derive(Debug)]
struct Run {
    id: String,
    command: Option<String>,
    created_ms: u64,
    /// Seeded runs are done when seeded; a triggered one finishes after the deploy delay.
    finished: Option<(bool, u64)>,
}

impl Extras {
    /// One GitHub integration with one repository of three branches; one email zone with two
    /// messages; the Nodion registry of the first region; one runner with one finished run. All
    /// but the integration live in `project_id`.
    pub(crate) fn seed(rng: &mut Rng, project_id: &str, now_ms: u64) -> Self {
        let region = &REGIONS[0];
        let seeded_ms = now_ms.saturating_sub(24 * HOUR_MS);
        let repository = Repository {
            id: rng.uuid(),
            service_id: (100_000_000 + rng.next_u64() % 900_000_000).to_string(),
            name: "my-frontend",
            description: "A sample frontend application",
            private: false,
            branches: ["main", "develop", "feature/login"]
                .into_iter()
                .map(|name| (rng.uuid(), name))
                .collect(),
        };
        let runner_id = rng.uuid();
        let run = Run {
            id: rng.uuid(),
            command: None,
            created_ms: seeded_ms + HOUR_MS,
            finished: Some((true, seeded_ms + HOUR_MS + 90_000)),
        };
        Self {
            integrations: vec![Integration {
                id: rng.uuid(),
                service_type: "github",
                username: "nodal-sim",
                repositories: vec![repository],
            }],
            email_zones: vec![EmailZone {
                id: rng.uuid(),
                project_id: project_id.to_owned(),
                name: "Sample Zone",
                created_ms: seeded_ms,
                messages: vec![
                    (rng.uuid(), "sample@nodion.com", seeded_ms + 2 * HOUR_MS),
                    (rng.uuid(), "john.doe@nodion.com", seeded_ms + HOUR_MS),
                ],
            }],
            registries: vec![Registry {
                id: rng.uuid(),
                project_id: project_id.to_owned(),
                region,
                created_ms: seeded_ms,
            }],
            runners: vec![Runner {
                id: runner_id,
                project_id: project_id.to_owned(),
                name: "Database Backup",
                run_command: "python backup.py",
                timeout_seconds: 3600,
                region,
                instance_type: &INSTANCE_TYPES[1],
                created_ms: seeded_ms,
                runs: vec![run],
            }],
        }
    }
}

fn integration<'s>(state: &'s State, id: &str) -> Result<&'s Integration, Failure> {
    state
        .extras
        .integrations
        .iter()
        .find(|i| i.id == id)
        .ok_or(Failure::NotFound)
}

pub(crate) fn list_integrations(state: &State) -> Answer {
    let list = state
        .extras
        .integrations
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "status": "authorized",
                "access_type": "is_private",
                "service_type": i.service_type,
                "service_url": null,
                "username": i.username,
            })
        })
        .collect();
    Reply::ok("integrations", Value::Array(list))
}

pub(crate) fn list_repositories(state: &State, id: &str) -> Answer {
    let integration = integration(state, id)?;
    let list = integration
        .repositories
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "service_id": r.service_id,
                "name": r.name,
                "full_name": format!("{}/{}", integration.username, r.name),
                "description": r.description,
                "default_branch": "main",
                "private": r.private,
                "fork": false,
                "archived": false,
                "disabled": false,
                "branches_count": r.branches.len(),
            })
        })
        .collect();
    Reply::ok("repositories", Value::Array(list))
}

/// `{"branches": [{id, name}]}`: the reference's section is cut off; the gateway reads `id` and
/// `name` (INFERRED beyond those two).
pub(crate) fn list_branches(state: &State, id: &str, repository_id: &str) -> Answer {
    let repository = integration(state, id)?
        .repositories
        .iter()
        .find(|r| r.id == repository_id)
        .ok_or(Failure::NotFound)?;
    let list = repository
        .branches
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    Reply::ok("branches", Value::Array(list))
}

fn email_zone_json(zone: &EmailZone) -> Value {
    let updated = zone
        .messages
        .iter()
        .map(|m| m.2)
        .max()
        .unwrap_or(zone.created_ms);
    json!({
        "id": zone.id,
        "status": "available",
        "name": zone.name,
        "message_count": zone.messages.len(),
        "delivered_count": zone.messages.len(),
        "bounced_count": 0,
        "created_at": format_rfc3339(zone.created_ms),
        "updated_at": format_rfc3339(updated),
    })
}

fn email_zone<'s>(state: &'s State, ctx: &Ctx<'_>, id: &str) -> Result<&'s EmailZone, Failure> {
    state
        .extras
        .email_zones
        .iter()
        .find(|z| z.id == id && z.project_id == ctx.project_id)
        .ok_or(Failure::NotFound)
}

pub(crate) fn list_email_zones(state: &State, ctx: &Ctx<'_>) -> Answer {
    let list = state
        .extras
        .email_zones
        .iter()
        .filter(|z| z.project_id == ctx.project_id)
        .map(email_zone_json)
        .collect();
    Reply::ok("email_zones", Value::Array(list))
}

pub(crate) fn get_email_zone(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    Reply::ok("email_zone", email_zone_json(email_zone(state, ctx, id)?))
}

/// Newest first, as the reference's example; every message `created` (its only word).
pub(crate) fn list_messages(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let mut messages: Vec<_> = email_zone(state, ctx, id)?.messages.iter().collect();
    messages.sort_by_key(|m| std::cmp::Reverse(m.2));
    let list = messages
        .into_iter()
        .map(|(id, to, at)| {
            json!({
                "id": id,
                "status": "created",
                "to_address": to,
                "created_at": format_rfc3339(*at),
                "updated_at": format_rfc3339(*at),
            })
        })
        .collect();
    Reply::ok("messages", Value::Array(list))
}

fn registry_json(registry: &Registry) -> Value {
    json!({
        "id": registry.id,
        "status": "available",
        "registry_type": "nodion",
        "name": format!("Nodion Registry ({})", registry.region.name),
        "hostname": format!("registry.{}.nodion.net", registry.region.slug),
        "has_credentials": false,
        "region_id": registry.region.id,
        "created_at": format_rfc3339(registry.created_ms),
        "updated_at": format_rfc3339(registry.created_ms),
    })
}

pub(crate) fn list_registries(state: &State, ctx: &Ctx<'_>) -> Answer {
    let list = state
        .extras
        .registries
        .iter()
        .filter(|r| r.project_id == ctx.project_id)
        .map(registry_json)
        .collect();
    Reply::ok("container_registries", Value::Array(list))
}

pub(crate) fn get_registry(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let registry = state
        .extras
        .registries
        .iter()
        .find(|r| r.id == id && r.project_id == ctx.project_id)
        .ok_or(Failure::NotFound)?;
    Reply::ok("container_registry", registry_json(registry))
}

fn runner_json(runner: &Runner) -> Value {
    json!({
        "id": runner.id,
        "status": "available",
        "name": runner.name,
        "image_name": "mycompany/backup-tool",
        "image_tag": "latest",
        "run_command": runner.run_command,
        "argv": [],
        "entrypoint": null,
        "timeout_seconds": runner.timeout_seconds,
        "warmed_at": null,
        "created_at": format_rfc3339(runner.created_ms),
        "updated_at": format_rfc3339(runner.created_ms),
        "region": runner.region.to_runner_json(),
        "instance_type": runner.instance_type.to_runner_json(),
        "container_registry": null,
    })
}

/// A run (reference: runner-runs). A triggered run is `created` until it finishes after the
/// twin's deploy delay, then `succeeded` with exit code 0 (INFERRED: the reference shows only
/// finished runs, `succeeded` and `failed`).
fn run_json(run: &Run, now_ms: u64, delay_ms: u64) -> Value {
    let finished = run.finished.or_else(|| {
        let at = run.created_ms.saturating_add(delay_ms);
        (now_ms >= at).then_some((true, at))
    });
    let started_ms = run.created_ms.saturating_add(delay_ms / 10);
    match finished {
        Some((succeeded, at)) => json!({
            "id": run.id,
            "status": if succeeded { "succeeded" } else { "failed" },
            "exit_code": if succeeded { 0 } else { 1 },
            "command": run.command,
            "argv": [],
            "entrypoint": null,
            "started_at": format_rfc3339(started_ms.min(at)),
            "completed_at": format_rfc3339(at),
            "created_at": format_rfc3339(run.created_ms),
            "updated_at": format_rfc3339(at),
        }),
        None => json!({
            "id": run.id,
            "status": "created",
            "exit_code": null,
            "command": run.command,
            "argv": [],
            "entrypoint": null,
            "started_at": null,
            "completed_at": null,
            "created_at": format_rfc3339(run.created_ms),
            "updated_at": format_rfc3339(run.created_ms),
        }),
    }
}

fn runner<'s>(state: &'s State, ctx: &Ctx<'_>, id: &str) -> Result<&'s Runner, Failure> {
    state
        .extras
        .runners
        .iter()
        .find(|r| r.id == id && r.project_id == ctx.project_id)
        .ok_or(Failure::NotFound)
}

pub(crate) fn list_runners(state: &State, ctx: &Ctx<'_>) -> Answer {
    let list = state
        .extras
        .runners
        .iter()
        .filter(|r| r.project_id == ctx.project_id)
        .map(runner_json)
        .collect();
    Reply::ok("runners", Value::Array(list))
}

pub(crate) fn get_runner(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    Reply::ok("runner", runner_json(runner(state, ctx, id)?))
}

/// Newest first (as the reference's example).
pub(crate) fn list_runs(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let list = runner(state, ctx, id)?
        .runs
        .iter()
        .rev()
        .map(|r| run_json(r, ctx.now_ms, ctx.delay_ms))
        .collect();
    Reply::ok("runs", Value::Array(list))
}

pub(crate) fn get_run(state: &State, ctx: &Ctx<'_>, id: &str, run_id: &str) -> Answer {
    let run = runner(state, ctx, id)?
        .runs
        .iter()
        .find(|r| r.id == run_id)
        .ok_or(Failure::NotFound)?;
    Reply::ok("run", run_json(run, ctx.now_ms, ctx.delay_ms))
}

/// `POST /runners/:id/runs` with an optional `{"env_variables": [{"env_key", "env_val"}]}`
/// (reference: runner-runs). Answers 200 `{"run": ..}` (INFERRED wrapper: the page says only
/// that the run is queued).
pub(crate) fn create_run(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Answer {
    runner(state, ctx, id)?;
    let mut checks = Checks::default();
    match body.get("env_variables") {
        None | Some(Value::Null) => {}
        Some(Value::Array(vars)) => {
            for var in vars {
                let Value::Object(var) = var else {
                    checks.fail("Env variables must be objects");
                    continue;
                };
                if let Some(key) = checks.required(var, "env_key", "Env key")
                    && !valid_env_key(&key)
                {
                    checks.fail("Env key is invalid");
                }
                if !matches!(var.get("env_val"), Some(Value::String(_))) {
                    checks.fail("Env val can't be blank");
                }
            }
        }
        Some(_) => checks.fail("Env variables must be an array"),
    }
    checks.finish()?;
    let run = Run {
        id: state.rng.uuid(),
        command: None,
        created_ms: ctx.now_ms,
        finished: None,
    };
    let answer = run_json(&run, ctx.now_ms, ctx.delay_ms);
    let runner = state
        .extras
        .runners
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or(Failure::NotFound)?;
    runner.runs.push(run);
    Reply::ok("run", answer)
}

/// `[a-zA-Z_][a-zA-Z0-9_]*` (reference: docs/runners).
fn valid_env_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
