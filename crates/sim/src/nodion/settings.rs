//! Per-application settings: environment variables and domains.

use serde_json::{Map, Value};

use super::Ctx;
use super::apps::{app, app_mut};
use super::fields::{Checks, is_hostname};
use super::reply::{Answer, Failure, Reply};
use super::state::{Domain, EnvVar, State};

fn valid_env_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(crate) fn list_env(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    Reply::ok(
        "env_variables",
        Value::Array(app.env.iter().map(EnvVar::to_json).collect()),
    )
}

pub(crate) fn get_env(state: &State, ctx: &Ctx<'_>, id: &str, env_id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    let var = app
        .env
        .iter()
        .find(|v| v.id == env_id)
        .ok_or(Failure::NotFound)?;
    Reply::ok("env_variable", var.to_json())
}

/// The env value: present and a string (an empty value is a valid environment variable).
fn env_value(checks: &mut Checks, body: &Map<String, Value>, required: bool) -> Option<String> {
    match body.get("env_val") {
        Some(Value::String(value)) => Some(value.clone()),
        None | Some(Value::Null) if !required => None,
        None | Some(Value::Null) => {
            checks.fail("Env val can't be blank");
            None
        }
        Some(_) => {
            checks.fail("Env val must be a string");
            None
        }
    }
}

fn env_key(
    checks: &mut Checks,
    body: &Map<String, Value>,
    required: bool,
    taken: &[&str],
) -> Option<String> {
    let key = if required {
        checks.required(body, "env_key", "Env key")?
    } else {
        checks.optional(body, "env_key", "Env key")?
    };
    if !valid_env_key(&key) {
        checks.fail("Env key is invalid");
        None
    } else if taken.contains(&key.as_str()) {
        checks.fail("Env key has already been taken");
        None
    } else {
        Some(key)
    }
}

pub(crate) fn create_env(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Answer {
    let var_id = state.rng.uuid();
    let app = app_mut(state, ctx, id)?;
    let taken: Vec<&str> = app.env.iter().map(|v| v.key.as_str()).collect();
    let mut checks = Checks::default();
    let key = env_key(&mut checks, body, true, &taken);
    let value = env_value(&mut checks, body, true);
    let buildtime = checks
        .boolean(body, "buildtime", "Buildtime")
        .unwrap_or(false);
    checks.finish()?;
    let (Some(key), Some(value)) = (key, value) else {
        return Err(Failure::invalid("Env variable is invalid"));
    };
    let var = EnvVar {
        id: var_id,
        key,
        value,
        buildtime,
        created_ms: ctx.now_ms,
        updated_ms: ctx.now_ms,
    };
    let answer = var.to_json();
    app.env.push(var);
    Reply::ok("env_variable", answer)
}

pub(crate) fn update_env(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    env_id: &str,
    body: &Map<String, Value>,
) -> Answer {
    let app = app_mut(state, ctx, id)?;
    let taken: Vec<&str> = app
        .env
        .iter()
        .filter(|v| v.id != env_id)
        .map(|v| v.key.as_str())
        .collect();
    let mut checks = Checks::default();
    let key = env_key(&mut checks, body, false, &taken);
    let value = env_value(&mut checks, body, false);
    let buildtime = checks.boolean(body, "buildtime", "Buildtime");
    let var = app
        .env
        .iter_mut()
        .find(|v| v.id == env_id)
        .ok_or(Failure::NotFound)?;
    checks.finish()?;
    if let Some(key) = key {
        var.key = key;
    }
    if let Some(value) = value {
        var.value = value;
    }
    if let Some(buildtime) = buildtime {
        var.buildtime = buildtime;
    }
    var.updated_ms = ctx.now_ms;
    Reply::ok("env_variable", var.to_json())
}

pub(crate) fn delete_env(state: &mut State, ctx: &Ctx<'_>, id: &str, env_id: &str) -> Answer {
    let app = app_mut(state, ctx, id)?;
    let at = app
        .env
        .iter()
        .position(|v| v.id == env_id)
        .ok_or(Failure::NotFound)?;
    app.env.remove(at);
    Reply::deleted()
}

pub(crate) fn list_domains(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    Reply::ok(
        "domains",
        Value::Array(app.domains.iter().map(Domain::to_json).collect()),
    )
}

pub(crate) fn get_domain(state: &State, ctx: &Ctx<'_>, id: &str, domain_id: &str) -> Answer {
    let app = app(state, ctx, id)?;
    let domain = app
        .domains
        .iter()
        .find(|d| d.id == domain_id)
        .ok_or(Failure::NotFound)?;
    Reply::ok("domain", domain.to_json())
}

/// Adds a domain: `available` at once, with a `nodion=<20 hex>` verification code to publish
/// as a TXT record (reference: application-domains). Domain names are unique across the whole
/// sim, as a hostname can point at one app only (INFERRED).
pub(crate) fn create_domain(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Answer {
    app(state, ctx, id)?;
    let mut checks = Checks::default();
    let name = checks.required(body, "domain_name", "Domain name");
    let name = name.filter(|name| {
        let valid = is_hostname(name);
        if !valid {
            checks.fail("Domain name is not a fully qualified domain name");
        } else if state
            .apps
            .values()
            .any(|a| a.domains.iter().any(|d| &d.name == name))
        {
            checks.fail("Domain name has already been taken");
            return false;
        }
        valid
    });
    let domain_type = match body.get("domain_type") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if t == "sub" => Some("sub"),
        Some(Value::String(t)) if t == "main" => Some("main"),
        Some(_) => {
            checks.fail("Domain type is not included in the list");
            None
        }
    };
    checks.finish()?;
    let Some(name) = name else {
        return Err(Failure::invalid("Domain is invalid"));
    };
    // Without a type: the app's own `*.nodion.app` name is `sub`, a custom domain `main`, as in
    // the reference's example (`example.nodion.app` sub, `mydomain.com` main).
    let domain_type = domain_type.unwrap_or(if name.ends_with(".nodion.app") {
        "sub"
    } else {
        "main"
    });
    let domain = Domain {
        id: state.rng.uuid(),
        verification_code: format!("nodion={}", state.rng.hex(20)),
        name,
        domain_type,
        created_ms: ctx.now_ms,
        updated_ms: ctx.now_ms,
    };
    let answer = domain.to_json();
    app_mut(state, ctx, id)?.domains.push(domain);
    Reply::ok("domain", answer)
}

/// `POST .../verify` and `POST .../connect`: the reference documents neither answer; both
/// answer the domain, `{"domain": ..}`, unchanged but for `updated_at` (INFERRED). The twin
/// does not look the TXT or CNAME record up.
pub(crate) fn domain_action(state: &mut State, ctx: &Ctx<'_>, id: &str, domain_id: &str) -> Answer {
    let app = app_mut(state, ctx, id)?;
    let domain = app
        .domains
        .iter_mut()
        .find(|d| d.id == domain_id)
        .ok_or(Failure::NotFound)?;
    domain.updated_ms = ctx.now_ms;
    Reply::ok("domain", domain.to_json())
}

pub(crate) fn delete_domain(state: &mut State, ctx: &Ctx<'_>, id: &str, domain_id: &str) -> Answer {
    let app = app_mut(state, ctx, id)?;
    let at = app
        .domains
        .iter()
        .position(|d| d.id == domain_id)
        .ok_or(Failure::NotFound)?;
    app.domains.remove(at);
    Reply::deleted()
}
