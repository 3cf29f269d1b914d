//! Nodana's endpoints: the path table and one function per operation.

use axum::http::Method;
use serde_json::{Map, Value, json};

use super::reply::ApiError;
use super::state::{
    App, INITIAL_VERSION, LATEST_VERSION, Lifecycle, Phase, Project, Service, State,
};
use super::templates;
use crate::observe::Observer;
use crate::provider::Provider;

/// Longest project name accepted.
const MAX_NAME_LEN: usize = 255;
/// Nodana's reference: at most four projects per account (`docs/providers/nodana.md`).
const MAX_PROJECTS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route<'a> {
    ListProjects,
    CreateProject,
    GetProject(&'a str),
    UpdateProject(&'a str),
    DeleteProject(&'a str),
    ListProjectApps(&'a str),
    CreateApp,
    GetApp(&'a str),
    UpdateApp(&'a str),
    StartApp(&'a str),
    StopApp(&'a str),
    RestartApp(&'a str),
    DeleteApp(&'a str),
    ListServices(&'a str),
    UpdateService(&'a str, &'a str),
}

/// The route for a method and a path relative to `/v1`; `None` is answered `NotFoundError`.
/// Nodana only knows GET and POST, with the action in the path.
pub(crate) fn parse<'a>(method: &Method, path: &'a str) -> Option<Route<'a>> {
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    let get = method == Method::GET;
    let post = method == Method::POST;
    Some(match segments.as_slice() {
        ["projects"] if get => Route::ListProjects,
        ["projects"] if post => Route::CreateProject,
        ["projects", id] if get => Route::GetProject(id),
        ["projects", id, "update"] if post => Route::UpdateProject(id),
        ["projects", id, "delete"] if post => Route::DeleteProject(id),
        ["projects", id, "apps"] if get => Route::ListProjectApps(id),
        ["apps"] if post => Route::CreateApp,
        ["apps", id] if get => Route::GetApp(id),
        ["apps", id, "update"] if post => Route::UpdateApp(id),
        ["apps", id, "start"] if post => Route::StartApp(id),
        ["apps", id, "stop"] if post => Route::StopApp(id),
        ["apps", id, "restart"] if post => Route::RestartApp(id),
        ["apps", id, "delete"] if post => Route::DeleteApp(id),
        ["apps", id, "services"] if get => Route::ListServices(id),
        ["apps", id, "services", sid, "update"] if post => Route::UpdateService(id, sid),
        _ => return None,
    })
}

/// What an operation needs besides the state.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub(crate) user_id: &'a str,
    pub(crate) now_ms: u64,
    pub(crate) start_delay_ms: u64,
    pub(crate) observer: &'a Observer,
}

pub(crate) fn perform(
    state: &mut State,
    ctx: &Ctx<'_>,
    route: Route<'_>,
    body: &[u8],
) -> Result<Value, ApiError> {
    match route {
        Route::ListProjects => Ok(Value::Array(
            state
                .projects
                .values()
                .filter(|p| p.user_id == ctx.user_id)
                .map(Project::to_json)
                .collect(),
        )),
        Route::CreateProject => create_project(state, ctx, &object(body)?),
        Route::GetProject(id) => Ok(project(state, ctx, id)?.to_json()),
        Route::UpdateProject(id) => rename_project(state, ctx, id, &object(body)?),
        Route::DeleteProject(id) => delete_project(state, ctx, id),
        Route::ListProjectApps(id) => {
            project(state, ctx, id)?;
            Ok(Value::Array(
                state
                    .apps
                    .values()
                    .filter(|a| a.project_id == id)
                    .map(|a| a.to_json(ctx.now_ms, ctx.start_delay_ms))
                    .collect(),
            ))
        }
        Route::CreateApp => create_app(state, ctx, &object(body)?),
        Route::GetApp(id) => Ok(app(state, ctx, id)?.to_json(ctx.now_ms, ctx.start_delay_ms)),
        Route::UpdateApp(id) => update_app(state, ctx, id),
        Route::StartApp(id) => {
            let app = app_mut(state, ctx, id)?;
            // Starting an app that is already starting or running changes nothing.
            if app.phase(ctx.now_ms, ctx.start_delay_ms).0 == Phase::Cordoned {
                app.set_lifecycle(
                    Lifecycle::Pending {
                        since_ms: ctx.now_ms,
                    },
                    ctx.now_ms,
                );
            }
            Ok(json!({ "id": id }))
        }
        Route::StopApp(id) => {
            let app = app_mut(state, ctx, id)?;
            if app.lifecycle != Lifecycle::Cordoned {
                app.set_lifecycle(Lifecycle::Cordoned, ctx.now_ms);
            }
            Ok(json!({ "id": id }))
        }
        Route::RestartApp(id) => {
            let app = app_mut(state, ctx, id)?;
            app.set_lifecycle(
                Lifecycle::Pending {
                    since_ms: ctx.now_ms,
                },
                ctx.now_ms,
            );
            Ok(json!({ "id": id }))
        }
        Route::DeleteApp(id) => {
            app(state, ctx, id)?;
            state.apps.remove(id);
            Ok(json!({ "id": id }))
        }
        Route::ListServices(id) => {
            Ok(app(state, ctx, id)?.services_json(ctx.now_ms, ctx.start_delay_ms))
        }
        Route::UpdateService(id, service_id) => {
            let app = app_mut(state, ctx, id)?;
            let service = app
                .services
                .iter_mut()
                .find(|s| s.id == service_id)
                .ok_or_else(|| ApiError::not_found("Service not found"))?;
            service.version = service.version.next_patch();
            service.updated_ms = ctx.now_ms;
            Ok(json!({
                "id": id,
                "serviceId": service_id,
                "version": service.version.to_string(),
                "updated": true,
            }))
        }
    }
}

/// The request body as a JSON object; an empty body counts as `{}`.
fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(_) => Err(ApiError::bad_request("Request body is not valid JSON")),
    }
}

/// Another account's project or app: it exists, but not for this key (`ForbiddenError`/403,
/// the reference's example error); an id no account has is `NotFoundError`/404.
fn not_yours(exists: bool, what: &str) -> ApiError {
    if exists {
        ApiError::forbidden()
    } else {
        ApiError::not_found(format!("{what} not found"))
    }
}

fn project<'s>(state: &'s State, ctx: &Ctx<'_>, id: &str) -> Result<&'s Project, ApiError> {
    let exists = state.projects.get(id).is_some();
    state
        .project_of(ctx.user_id, id)
        .ok_or_else(|| not_yours(exists, "Project"))
}

fn app<'s>(state: &'s State, ctx: &Ctx<'_>, id: &str) -> Result<&'s App, ApiError> {
    let exists = state.apps.get(id).is_some();
    state
        .app_of(ctx.user_id, id)
        .ok_or_else(|| not_yours(exists, "App"))
}

fn app_mut<'s>(state: &'s mut State, ctx: &Ctx<'_>, id: &str) -> Result<&'s mut App, ApiError> {
    let exists = state.apps.get(id).is_some();
    state
        .app_of_mut(ctx.user_id, id)
        .ok_or_else(|| not_yours(exists, "App"))
}

fn project_name(body: &Map<String, Value>) -> Result<String, ApiError> {
    match body.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => {
            if name.chars().count() > MAX_NAME_LEN {
                Err(ApiError::bad_request(format!(
                    "name must be at most {MAX_NAME_LEN} characters"
                )))
            } else {
                Ok(name.clone())
            }
        }
        Some(Value::String(_)) => Err(ApiError::bad_request("name must not be empty")),
        Some(_) => Err(ApiError::bad_request("name must be a string")),
        None => Err(ApiError::bad_request("name is required")),
    }
}

fn check_project_limit(state: &State, ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if state.project_count(ctx.user_id) >= MAX_PROJECTS {
        return Err(ApiError::conflict(format!(
            "Project limit reached: an account can have at most {MAX_PROJECTS} projects"
        )));
    }
    Ok(())
}

fn insert_project(state: &mut State, ctx: &Ctx<'_>, name: String) -> String {
    let id = format!("prj-{}", state.rng.hex(12));
    state.projects.insert(
        id.clone(),
        Project {
            id: id.clone(),
            user_id: ctx.user_id.to_owned(),
            name,
            created_ms: ctx.now_ms,
            updated_ms: ctx.now_ms,
        },
    );
    id
}

fn create_project(
    state: &mut State,
    ctx: &Ctx<'_>,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let name = project_name(body)?;
    check_project_limit(state, ctx)?;
    let id = insert_project(state, ctx, name.clone());
    Ok(json!({ "id": id, "name": name }))
}

fn rename_project(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    project(state, ctx, id)?;
    let name = project_name(body)?;
    if let Some(project) = state.projects.get_mut(id) {
        project.name = name;
        project.updated_ms = ctx.now_ms;
    }
    Ok(json!({ "id": id, "updated": true }))
}

fn delete_project(state: &mut State, ctx: &Ctx<'_>, id: &str) -> Result<Value, ApiError> {
    project(state, ctx, id)?;
    if state.apps.values().any(|a| a.project_id == id) {
        return Err(ApiError::conflict(
            "Only empty projects can be deleted: delete the project's apps first",
        ));
    }
    state.projects.remove(id);
    Ok(json!({ "id": id, "deleted": true }))
}

fn create_app(
    state: &mut State,
    ctx: &Ctx<'_>,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let template = match body.get("template") {
        Some(Value::String(name)) => templates::find(name).ok_or_else(|| {
            ApiError::bad_request(format!(
                "Unknown template '{name}': known templates are {}",
                templates::names()
            ))
        })?,
        Some(_) => return Err(ApiError::bad_request("template must be a string")),
        None => return Err(ApiError::bad_request("template is required")),
    };
    template
        .validate_params(body.get("params"))
        .map_err(ApiError::bad_request)?;
    let project_id = match body.get("project_id") {
        None | Some(Value::Null) => {
            check_project_limit(state, ctx)?;
            let name = format!("{}-{}", template.name, state.rng.hex(4));
            insert_project(state, ctx, name)
        }
        Some(Value::String(id)) => project(state, ctx, id)?.id.clone(),
        Some(_) => return Err(ApiError::bad_request("project_id must be a string")),
    };

    let id = format!("app-{}", state.rng.hex(12));
    let url = format!(
        "https://{}-{}.nodana.app:8080",
        template.name,
        state.rng.hex(4)
    );
    let services = template
        .services()
        .into_iter()
        .map(|service| Service {
            id: format!("svc-{}", state.rng.hex(12)),
            service,
            slug: format!("{service}-{}", state.rng.hex(4)),
            version: INITIAL_VERSION,
            created_ms: ctx.now_ms,
            updated_ms: ctx.now_ms,
        })
        .collect();
    let mut answer = json!({ "projectId": project_id, "id": id, "url": url });
    if let Value::Object(fields) = &mut answer {
        for (name, secret) in template.secrets(&mut state.rng) {
            fields.insert(name.to_owned(), Value::String(secret));
        }
    }
    state.apps.insert(
        id.clone(),
        App {
            id,
            user_id: ctx.user_id.to_owned(),
            project_id: project_id.clone(),
            template,
            url,
            lifecycle: Lifecycle::Pending {
                since_ms: ctx.now_ms,
            },
            created_ms: ctx.now_ms,
            updated_ms: ctx.now_ms,
            services,
        },
    );
    ctx.observer.app_created(Provider::Nodana, &project_id);
    Ok(answer)
}

fn update_app(state: &mut State, ctx: &Ctx<'_>, id: &str) -> Result<Value, ApiError> {
    let app = app_mut(state, ctx, id)?;
    // Idempotent: the newest version, never a step back from a service updated past it.
    let version = app
        .services
        .iter()
        .map(|s| s.version)
        .fold(LATEST_VERSION, Ord::max);
    for service in &mut app.services {
        if service.version != version {
            service.version = version;
            service.updated_ms = ctx.now_ms;
        }
    }
    app.set_lifecycle(
        Lifecycle::Pending {
            since_ms: ctx.now_ms,
        },
        ctx.now_ms,
    );
    Ok(json!({
        "id": id,
        "image": format!("nodana/{}:{version}", app.template.name),
        "version": version.to_string(),
    }))
}
