//! The Nodion twin, served under `/nodion/v1`.
//!
//! Order of checks for every request: Bearer key (401: missing, unknown, revoked, expired), the
//! optional per-key quota (429 + `Retry-After`), the body cap (413), the route (404), the
//! project (403: unknown to the user, or outside the key's allow-list), the scopes of a user key
//! (403), then the operation.

mod apps;
mod catalog;
mod dns;
mod extras;
mod fields;
mod keys;
mod logs;
pub(crate) mod reply;
mod routes;
mod settings;
mod ssh;
mod state;

use axum::http::HeaderMap;
use serde_json::Value;

use self::keys::KeyKind;
pub use self::keys::{NODION_SCOPES, NodionKeySpec};
use self::reply::{Answer, Failure, Reply};
use self::routes::Route;
pub(crate) use self::state::State;
use crate::gateway::{ApiRequest, BodyRead, Outcome, Shared};
use crate::observe::Observer;
use crate::time::millis;
use crate::util::lock;

/// The scopes the route table says `method path` needs, for [`crate::contract`].
pub(crate) fn scopes_for(method: &str, path: &str) -> Option<Vec<&'static str>> {
    let method = axum::http::Method::from_bytes(method.as_bytes()).ok()?;
    let route = routes::parse(&method, path)?;
    Some(route.scopes(&method).to_vec())
}

/// The header a user key selects its project with.
const PROJECT_HEADER: &str = "x-nodion-project";

/// What an operation needs besides the state.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    /// The selected project (empty for the routes outside any project).
    pub(crate) project_id: &'a str,
    pub(crate) now_ms: u64,
    pub(crate) delay_ms: u64,
    pub(crate) observer: &'a Observer,
}

/// The key id behind a request's token, without enforcing anything (for the request log of
/// faulted requests).
pub(crate) fn identify(shared: &Shared, headers: &HeaderMap) -> Option<String> {
    let token = keys::bearer(headers)?;
    lock(&shared.nodion).keys.get(token).map(|k| k.id.clone())
}

pub(crate) fn handle(shared: &Shared, request: &ApiRequest<'_>) -> Outcome {
    let now_ms = shared.clock.now_ms();
    let mut state = lock(&shared.nodion);
    let Some(key) = keys::bearer(request.headers).and_then(|token| state.keys.get_mut(token))
    else {
        return finish(None, Err(Failure::Unauthorized));
    };
    let key_id = Some(key.id.clone());
    if !key.usable(now_ms) {
        return finish(key_id, Err(Failure::Unauthorized));
    }
    if let Some((limit, window)) = shared.config.nodion_quota
        && let Err(retry_after_secs) = key.take_quota(request.arrived, limit, window)
    {
        shared.observer.quota_rejection();
        return finish(key_id, Err(Failure::TooManyRequests { retry_after_secs }));
    }
    let kind = key.kind.clone();
    if matches!(request.body, BodyRead::TooLarge) {
        return finish(key_id, Err(Failure::PayloadTooLarge));
    }
    let Some(route) = routes::parse(request.method, request.path) else {
        return finish(key_id, Err(Failure::NotFound));
    };
    let project_id = if route.project_scoped() {
        match select_project(&state, &kind, request.headers) {
            Ok(project_id) => project_id,
            Err(failure) => return finish(key_id, Err(failure)),
        }
    } else {
        String::new()
    };
    if let KeyKind::User { scopes, .. } = &kind {
        let needed = route.scopes(request.method);
        if let Some(missing) = needed
            .iter()
            .find(|s| !scopes.iter().any(|have| have == *s))
        {
            tracing::debug!(?key_id, missing, "nodion request outside the key's scopes");
            return finish(key_id, Err(Failure::Forbidden));
        }
    }
    let ctx = Ctx {
        project_id: &project_id,
        now_ms,
        delay_ms: millis(shared.config.nodion_deploy_delay),
        observer: &shared.observer,
    };
    let answer = perform(&mut state, &ctx, &kind, route, request);
    finish(key_id, answer)
}

/// The project a request acts in. Project keys are bound to theirs and ignore the header; user
/// keys use the header or, without it, their default project, which must belong to the user and
/// be inside the allow-list (403 otherwise).
fn select_project(state: &State, kind: &KeyKind, headers: &HeaderMap) -> Result<String, Failure> {
    let (allow_list, wanted) = match kind {
        KeyKind::Project { project_id } => {
            return if state.projects.contains(project_id) {
                Ok(project_id.clone())
            } else {
                Err(Failure::Forbidden)
            };
        }
        KeyKind::User {
            allow_list,
            default_project,
            ..
        } => {
            let wanted = match headers.get(PROJECT_HEADER) {
                Some(value) => value
                    .to_str()
                    .map_err(|_| Failure::Forbidden)?
                    .trim()
                    .to_owned(),
                None => default_project
                    .clone()
                    .unwrap_or_else(|| state.default_project.clone()),
            };
            (allow_list, wanted)
        }
    };
    let allowed = allow_list.is_empty() || allow_list.contains(&wanted);
    if state.projects.contains(&wanted) && allowed {
        Ok(wanted)
    } else {
        tracing::debug!(
            project = wanted,
            "nodion project unknown or outside the allow-list"
        );
        Err(Failure::Forbidden)
    }
}

/// `GET /projects`: the user's projects within the allow-list; a project key sees its own.
fn projects(state: &State, kind: &KeyKind) -> Answer {
    let visible = |id: &str| match kind {
        KeyKind::Project { project_id } => project_id == id,
        KeyKind::User { allow_list, .. } => {
            allow_list.is_empty() || allow_list.iter().any(|p| p == id)
        }
    };
    let list = state
        .projects
        .values()
        .filter(|p| visible(&p.id))
        .map(state::Project::to_json)
        .collect();
    Reply::ok("projects", Value::Array(list))
}

fn perform(
    state: &mut State,
    ctx: &Ctx<'_>,
    kind: &KeyKind,
    route: Route<'_>,
    request: &ApiRequest<'_>,
) -> Answer {
    let body = || fields::object(&request.body);
    match route {
        Route::Regions => Reply::ok(
            "regions",
            catalog::REGIONS
                .iter()
                .map(catalog::Region::to_json)
                .collect(),
        ),
        Route::InstanceTypes => Reply::ok(
            "instance_types",
            catalog::INSTANCE_TYPES
                .iter()
                .map(catalog::InstanceType::to_json)
                .collect(),
        ),
        Route::Projects => projects(state, kind),
        Route::ListApps => apps::list(state, ctx),
        Route::CreateApp => apps::create(state, ctx, &body()?),
        Route::GetApp(a) => apps::get(state, ctx, a),
        Route::UpdateApp(a) => apps::update(state, ctx, a, &body()?),
        Route::DeleteApp(a) => apps::delete(state, ctx, a),
        Route::ListDeployments(a) => apps::list_deployments(state, ctx, a),
        Route::CreateDeployment(a) => apps::create_deployment(state, ctx, a, &body()?),
        Route::GetDeployment(a, d) => apps::get_deployment(state, ctx, a, d),
        Route::ListEnv(a) => settings::list_env(state, ctx, a),
        Route::CreateEnv(a) => settings::create_env(state, ctx, a, &body()?),
        Route::GetEnv(a, e) => settings::get_env(state, ctx, a, e),
        Route::UpdateEnv(a, e) => settings::update_env(state, ctx, a, e, &body()?),
        Route::DeleteEnv(a, e) => settings::delete_env(state, ctx, a, e),
        Route::ListProcesses(a) => apps::list_processes(state, ctx, a),
        Route::GetProcess(a, p) => apps::get_process(state, ctx, a, p),
        Route::ScaleProcess(a, p) => apps::scale_process(state, ctx, a, p, &body()?),
        Route::ListDomains(a) => settings::list_domains(state, ctx, a),
        Route::CreateDomain(a) => settings::create_domain(state, ctx, a, &body()?),
        Route::GetDomain(a, d) => settings::get_domain(state, ctx, a, d),
        Route::VerifyDomain(a, d) | Route::ConnectDomain(a, d) => {
            settings::domain_action(state, ctx, a, d)
        }
        Route::DeleteDomain(a, d) => settings::delete_domain(state, ctx, a, d),
        Route::Logs(a) => logs::get(state, ctx, a, request.uri),
        Route::Instances(a) => apps::instances(state, ctx, a),
        Route::Metrics(a) => apps::metrics(state, ctx, a),
        Route::ListScalingEvents(a) => apps::list_scaling_events(state, ctx, a),
        Route::CreateScalingEvent(a) => apps::create_scaling_event(state, ctx, a, &body()?),
        Route::ListZones => dns::list_zones(state, ctx, request.uri),
        Route::CreateZone => dns::create_zone(state, ctx, &body()?),
        Route::GetZone(z) => dns::get_zone(state, ctx, z),
        Route::DeleteZone(z) => dns::delete_zone(state, ctx, z),
        Route::ListRecords(z) => dns::list_records(state, ctx, z, request.uri),
        Route::CreateRecord(z) => dns::create_record(state, ctx, z, &body()?),
        Route::DeleteRecord(z, r) => dns::delete_record(state, ctx, z, r),
        Route::ListSshKeys => ssh::list(state, ctx),
        Route::CreateSshKey => ssh::create(state, ctx, &body()?),
        Route::DeleteSshKey(k) => ssh::delete(state, ctx, k),
        Route::Integrations => extras::list_integrations(state),
        Route::Repositories(i) => extras::list_repositories(state, i),
        Route::Branches(i, r) => extras::list_branches(state, i, r),
        Route::ListEmailZones => extras::list_email_zones(state, ctx),
        Route::GetEmailZone(z) => extras::get_email_zone(state, ctx, z),
        Route::EmailMessages(z) => extras::list_messages(state, ctx, z),
        Route::ListRegistries => extras::list_registries(state, ctx),
        Route::GetRegistry(c) => extras::get_registry(state, ctx, c),
        Route::ListRunners => extras::list_runners(state, ctx),
        Route::GetRunner(r) => extras::get_runner(state, ctx, r),
        Route::ListRuns(r) => extras::list_runs(state, ctx, r),
        Route::CreateRun(r) => extras::create_run(state, ctx, r, &body()?),
        Route::GetRun(r, n) => extras::get_run(state, ctx, r, n),
    }
}

fn finish(key_id: Option<String>, answer: Answer) -> Outcome {
    let (status, response) = match answer {
        Ok(reply) => (reply.status.as_u16(), reply.into_response()),
        Err(failure) => (failure.status().as_u16(), failure.into_response()),
    };
    Outcome {
        status,
        key_id,
        response,
    }
}
