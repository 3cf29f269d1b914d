//! Applications and what hangs off them directly: deployments, processes, instances, metrics.

use serde_json::{Map, Value, json};

use super::Ctx;
use super::catalog::{self, InstanceType, Region};
use super::fields::Checks;
use super::reply::{Answer, Failure, Reply};
use super::state::{App, Deployment, Process, ScalingEvent, State, Strategy};
use crate::provider::Provider;
use crate::time::format_rfc3339;
use crate::util::{Rng, stable_hash};

/// Instances one process may run: 1..16 on create and in scaling events (reference:
/// application-scaling, applications); a process `PATCH` also takes 0 (stop).
const MAX_INSTANCES: i64 = 16;
/// Git source fields of a `dockerfile` app, with their labels in messages.
const GIT_FIELDS: [(&str, &str); 3] = [
    ("integration_id", "Integration"),
    ("repository_id", "Repository"),
    ("branch_id", "Branch"),
];

pub(crate) fn app<'s>(state: &'s State, ctx: &Ctx<'_>, id: &str) -> Result<&'s App, Failure> {
    state.app_in(ctx.project_id, id).ok_or(Failure::NotFound)
}

pub(crate) fn app_mut<'s>(
    state: &'s mut State,
    ctx: &Ctx<'_>,
    id: &str,
) -> Result<&'s mut App, Failure> {
    state
        .app_in_mut(ctx.project_id, id)
        .ok_or(Failure::NotFound)
}

pub(crate) fn list(state: &State, ctx: &Ctx<'_>) -> Answer {
    let apps = state
        .apps
        .values()
        .filter(|a| a.project_id == ctx.project_id)
        .map(|a| a.to_json(ctx.now_ms, ctx.delay_ms))
        .collect();
    Reply::ok("applications", Value::Array(apps))
}

pub(crate) fn get(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    Reply::ok(
        "application",
        app(state, ctx, id)?.to_json(ctx.now_ms, ctx.delay_ms),
    )
}

fn region(checks: &mut Checks, body: &Map<String, Value>) -> Option<&'static Region> {
    let id = checks.required(body, "region_id", "Region")?;
    let found = catalog::region(&id);
    if found.is_none() {
        checks.fail("Region must exist");
    }
    found
}

fn instance_type(
    checks: &mut Checks,
    body: &Map<String, Value>,
    required: bool,
) -> Option<&'static InstanceType> {
    let id = if required {
        checks.required(body, "instance_type_id", "Instance type")?
    } else {
        checks.optional(body, "instance_type_id", "Instance type")?
    };
    let found = catalog::instance_type(&id);
    if found.is_none() {
        checks.fail("Instance type must exist");
    }
    found
}

fn present(body: &Map<String, Value>, field: &str) -> Option<Value> {
    match body.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(value) => Some(value.clone()),
    }
}

pub(crate) fn create(state: &mut State, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Answer {
    let mut checks = Checks::default();
    let name = checks.required(body, "name", "Name");
    let region = region(&mut checks, body);
    let instance_type = instance_type(&mut checks, body, true);
    let amount = if present(body, "instance_amount").is_none() {
        checks.fail("Instance amount can't be blank");
        None
    } else {
        checks.integer(
            body,
            "instance_amount",
            "Instance amount",
            (1, MAX_INSTANCES),
        )
    };
    let image_name = checks.optional(body, "image_name", "Image name");
    let image_tag = checks.optional(body, "image_tag", "Image tag");
    let git = GIT_FIELDS.map(|(field, _)| present(body, field));
    let strategy = match body.get("deployment_strategy") {
        None | Some(Value::Null) if image_name.is_some() => Some(Strategy::PrebuiltImage),
        None | Some(Value::Null) if git.iter().any(Option::is_some) => Some(Strategy::Dockerfile),
        None | Some(Value::Null) => {
            checks.fail("Give either image_name (prebuilt image) or integration_id, repository_id and branch_id (git)");
            None
        }
        Some(Value::String(s)) if s == "dockerfile" => Some(Strategy::Dockerfile),
        Some(Value::String(s)) if s == "prebuilt_image" => Some(Strategy::PrebuiltImage),
        Some(_) => {
            checks.fail("Deployment strategy is not included in the list");
            None
        }
    };
    match strategy {
        Some(Strategy::Dockerfile) => {
            for ((_, label), value) in GIT_FIELDS.iter().zip(&git) {
                if value.is_none() {
                    checks.fail(format!("{label} can't be blank"));
                }
            }
        }
        Some(Strategy::PrebuiltImage) if image_name.is_none() => {
            checks.fail("Image name can't be blank");
        }
        _ => {}
    }
    checks.finish()?;
    let (Some(name), Some(region), Some(instance_type), Some(amount), Some(strategy)) =
        (name, region, instance_type, amount, strategy)
    else {
        return Err(Failure::invalid("Application is invalid"));
    };
    let git = match git {
        [Some(integration), Some(repository), Some(branch)] if strategy == Strategy::Dockerfile => {
            Some([integration, repository, branch])
        }
        _ => None,
    };
    let image_tag = match strategy {
        Strategy::PrebuiltImage => Some(image_tag.unwrap_or_else(|| "latest".to_owned())),
        Strategy::Dockerfile => image_tag,
    };

    let id = state.rng.uuid();
    let process = Process {
        id: state.rng.uuid(),
        name: "Web".to_owned(),
        instance_amount: u32::try_from(amount).unwrap_or(1),
        port_id: state.rng.uuid(),
        scaled_ms: ctx.now_ms,
    };
    let app = App {
        id: id.clone(),
        project_id: ctx.project_id.to_owned(),
        name,
        region,
        instance_type,
        instance_amount: process.instance_amount,
        strategy,
        image_name,
        image_tag,
        container_registry_id: present(body, "container_registry_id"),
        git,
        created_ms: ctx.now_ms,
        updated_ms: ctx.now_ms,
        deployments: Vec::new(),
        env: Vec::new(),
        processes: vec![process],
        domains: Vec::new(),
        scaling_events: Vec::new(),
    };
    // Creating does not deploy: no deployment and no instances until `POST .../deployments`
    // (reference: docs/deployment/overview; the gateway's clone flow).
    let answer = app.to_json(ctx.now_ms, ctx.delay_ms);
    state.apps.insert(id, app);
    ctx.observer.app_created(Provider::Nodion, ctx.project_id);
    Reply::ok("application", answer)
}

fn new_deployment(rng: &mut Rng, app: &App, now_ms: u64) -> Deployment {
    let number = app.deployments.last().map_or(1, |d| d.number + 1);
    let (git_sha, image_reference) = match app.strategy {
        Strategy::Dockerfile => (Some(rng.hex(40)), None),
        Strategy::PrebuiltImage => (
            None,
            Some(image_reference(
                app.image_name.as_deref().unwrap_or_default(),
                app.image_tag.as_deref().unwrap_or("latest"),
            )),
        ),
    };
    Deployment {
        id: rng.uuid(),
        number,
        created_ms: now_ms,
        git_sha,
        image_reference,
    }
}

/// `docker.io/nginx:1.25` for `nginx` and `1.25`, as the reference's example: an image without
/// a registry host is a Docker Hub image.
fn image_reference(name: &str, tag: &str) -> String {
    let first = name.split('/').next().unwrap_or_default();
    let has_host = name.contains('/') && (first.contains('.') || first.contains(':'));
    if has_host {
        format!("{name}:{tag}")
    } else {
        format!("docker.io/{name}:{tag}")
    }
}

pub(crate) fn update(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Answer {
    app(state, ctx, id)?;
    let mut checks = Checks::default();
    let name = checks.optional(body, "name", "Name");
    let instance_type = instance_type(&mut checks, body, false);
    let amount = checks.integer(
        body,
        "instance_amount",
        "Instance amount",
        (1, MAX_INSTANCES),
    );
    let image_name = checks.optional(body, "image_name", "Image name");
    let image_tag = checks.optional(body, "image_tag", "Image tag");
    // The git fields the gateway sends, only the changed ones (public client
    // dlyx-io/nodion-gateway AppDetail.svelte `saveGitInfo`).
    let git = GIT_FIELDS.map(|(field, _)| present(body, field));
    checks.finish()?;
    let app = app_mut(state, ctx, id)?;
    if git.iter().any(Option::is_some) {
        let mut current = app
            .git
            .clone()
            .unwrap_or([Value::Null, Value::Null, Value::Null]);
        for (slot, given) in current.iter_mut().zip(git) {
            if let Some(given) = given {
                *slot = given;
            }
        }
        app.git = Some(current);
    }
    if let Some(name) = name {
        app.name = name;
    }
    if let Some(instance_type) = instance_type {
        app.instance_type = instance_type;
    }
    if let Some(amount) = amount.and_then(|n| u32::try_from(n).ok()) {
        app.instance_amount = amount;
        // Stopped processes stay stopped; running ones follow the new amount.
        for process in app.processes.iter_mut().filter(|p| p.instance_amount > 0) {
            process.instance_amount = amount;
            process.scaled_ms = ctx.now_ms;
        }
    }
    if image_name.is_some() {
        app.image_name = image_name;
    }
    if image_tag.is_some() {
        app.image_tag = image_tag;
    }
    app.updated_ms = ctx.now_ms;
    Reply::ok("application", app.to_json(ctx.now_ms, ctx.delay_ms))
}

pub(crate) fn delete(state: &mut State, ctx: &Ctx<'_>, id: &str) -> Answer {
    app(state, ctx, id)?;
    state.apps.remove(id);
    Reply::deleted()
}

pub(crate) fn list_deployments(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    Reply::ok(
        "deployments",
        Value::Array(app.deployments_json(ctx.now_ms, ctx.delay_ms)),
    )
}

pub(crate) fn get_deployment(
    state: &State,
    ctx: &Ctx<'_>,
    id: &str,
    deployment_id: &str,
) -> Answer {
    let app = app(state, ctx, id)?;
    let found = app
        .deployments_json(ctx.now_ms, ctx.delay_ms)
        .into_iter()
        .find(|d| d["id"] == deployment_id)
        .ok_or(Failure::NotFound)?;
    Reply::ok("deployment", found)
}

pub(crate) fn create_deployment(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Answer {
    let mut checks = Checks::default();
    let image_tag = checks.optional(body, "image_tag", "Image tag");
    checks.finish()?;
    let State { rng, apps, .. } = state;
    let app = apps
        .get_mut(id)
        .filter(|a| a.project_id == ctx.project_id)
        .ok_or(Failure::NotFound)?;
    if image_tag.is_some() {
        if app.strategy != Strategy::PrebuiltImage {
            return Err(Failure::invalid(
                "Image tag can only be set for prebuilt image apps",
            ));
        }
        app.image_tag = image_tag;
        app.updated_ms = ctx.now_ms;
    }
    let deployment = new_deployment(rng, app, ctx.now_ms);
    app.deployments.push(deployment);
    ctx.observer.deployment_created();
    let newest = app
        .deployments_json(ctx.now_ms, ctx.delay_ms)
        .into_iter()
        .next();
    Reply::ok("deployment", newest.unwrap_or(Value::Null))
}

pub(crate) fn list_processes(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    let processes = app.processes.iter().map(|p| app.process_json(p)).collect();
    Reply::ok("processes", Value::Array(processes))
}

pub(crate) fn get_process(state: &State, ctx: &Ctx<'_>, id: &str, process_id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    let process = app
        .processes
        .iter()
        .find(|p| p.id == process_id)
        .ok_or(Failure::NotFound)?;
    Reply::ok("process", app.process_json(process))
}

/// `PATCH .../processes/:id` with `{"instance_amount"}`; 0 stops the process (inferred path).
pub(crate) fn scale_process(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    process_id: &str,
    body: &Map<String, Value>,
) -> Answer {
    let mut checks = Checks::default();
    let amount = if present(body, "instance_amount").is_none() {
        checks.fail("Instance amount can't be blank");
        None
    } else {
        checks.integer(
            body,
            "instance_amount",
            "Instance amount",
            (0, MAX_INSTANCES),
        )
    };
    let app = app_mut(state, ctx, id)?;
    if !app.processes.iter().any(|p| p.id == process_id) {
        return Err(Failure::NotFound);
    }
    checks.finish()?;
    let amount = amount
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or_default();
    let mut answer = Value::Null;
    for process in app.processes.iter_mut().filter(|p| p.id == process_id) {
        process.instance_amount = amount;
        process.scaled_ms = ctx.now_ms;
    }
    app.updated_ms = ctx.now_ms;
    if let Some(process) = app.processes.iter().find(|p| p.id == process_id) {
        answer = app.process_json(process);
    }
    Reply::ok("process", answer)
}

pub(crate) fn instances(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    Reply::ok(
        "instances",
        Value::Array(app.instances_json(ctx.now_ms, ctx.delay_ms)),
    )
}

/// A free-form metrics object, deterministic per app and minute.
pub(crate) fn metrics(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    let instances: u32 = app.processes.iter().map(|p| p.instance_amount).sum();
    let running = instances > 0 && app.has_available_deployment(ctx.now_ms, ctx.delay_ms);
    let minute = (ctx.now_ms / 60_000).to_string();
    let h = stable_hash(&[&app.id, &minute]);
    let (cpu, memory, rpm) = if running {
        (
            2.0 + f64::from(u32::try_from(h % 500).unwrap_or(0)) / 10.0,
            mem_mb(app.instance_type) * (20 + h % 50) / 100 * u64::from(instances),
            h % 900 + 30,
        )
    } else {
        (0.0, 0, 0)
    };
    Reply::ok(
        "metrics",
        json!({
            "cpu_percent": cpu,
            "memory_mb": memory,
            "memory_limit_mb": mem_mb(app.instance_type) * u64::from(instances),
            "instances": instances,
            "requests_per_minute": rpm,
            "collected_at": format_rfc3339(ctx.now_ms),
        }),
    )
}

fn mem_mb(instance_type: &InstanceType) -> u64 {
    u64::from(instance_type.mem_mb)
}

pub(crate) fn list_scaling_events(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    let events = app
        .scaling_events
        .iter()
        .rev()
        .map(ScalingEvent::to_json)
        .collect();
    Reply::ok("scaling_events", Value::Array(events))
}

/// `POST .../scaling_events` (reference: application-scaling): `instance_amount` 1..16 and
/// `instance_type_id` required, `worker_id` optional (a process id of the app: INFERRED). Scales
/// every process (or the one named) at once and answers `{"scaling_event": ..}` (INFERRED: the
/// page's answer is not readable).
pub(crate) fn create_scaling_event(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Answer {
    let mut checks = Checks::default();
    let amount = if present(body, "instance_amount").is_none() {
        checks.fail("Instance amount can't be blank");
        None
    } else {
        checks.integer(
            body,
            "instance_amount",
            "Instance amount",
            (1, MAX_INSTANCES),
        )
    };
    let instance_type = instance_type(&mut checks, body, true);
    let worker_id = checks.optional(body, "worker_id", "Worker");
    let event_id = state.rng.uuid();
    let app = app_mut(state, ctx, id)?;
    let worker = match &worker_id {
        None => None,
        Some(worker_id) => {
            let found = app.processes.iter().find(|p| &p.id == worker_id);
            if found.is_none() {
                checks.fail("Worker must exist");
            }
            found.map(|p| (p.id.clone(), p.name.clone()))
        }
    };
    checks.finish()?;
    let (Some(amount), Some(instance_type)) =
        (amount.and_then(|n| u32::try_from(n).ok()), instance_type)
    else {
        return Err(Failure::invalid("Scaling event is invalid"));
    };
    let amount_old = match &worker {
        Some((worker_id, _)) => app
            .processes
            .iter()
            .find(|p| &p.id == worker_id)
            .map_or(0, |p| p.instance_amount),
        None => app.instance_amount,
    };
    let event = ScalingEvent {
        id: event_id,
        amount_old,
        amount_new: amount,
        type_old: app.instance_type.id,
        type_new: instance_type.id,
        worker,
        created_ms: ctx.now_ms,
    };
    for process in app
        .processes
        .iter_mut()
        .filter(|p| event.worker.as_ref().is_none_or(|(w, _)| w == &p.id))
    {
        process.instance_amount = amount;
        process.scaled_ms = ctx.now_ms;
    }
    if event.worker.is_none() {
        app.instance_amount = amount;
    }
    app.instance_type = instance_type;
    app.updated_ms = ctx.now_ms;
    let answer = event.to_json();
    app.scaling_events.push(event);
    Reply::ok("scaling_event", answer)
}
