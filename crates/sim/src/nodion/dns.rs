//! DNS zones and their records, per project.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value};

use super::Ctx;
use super::fields::{Checks, is_hostname};
use super::reply::{Answer, Failure, Reply};
use super::state::{Record, State, Zone};

const RECORD_TYPES: [&str; 9] = [
    "a", "aaaa", "ns", "alias", "cname", "mx", "txt", "ptr", "srv",
];
const TTL_RANGE: (i64, i64) = (60, 86_400);
const DEFAULT_TTL: i64 = 3600;

fn zone<'s>(state: &'s State, ctx: &Ctx<'_>, id: &str) -> Result<&'s Zone, Failure> {
    state
        .zones
        .get(id)
        .filter(|z| z.project_id == ctx.project_id)
        .ok_or(Failure::NotFound)
}

fn zone_mut<'s>(state: &'s mut State, ctx: &Ctx<'_>, id: &str) -> Result<&'s mut Zone, Failure> {
    state
        .zones
        .get_mut(id)
        .filter(|z| z.project_id == ctx.project_id)
        .ok_or(Failure::NotFound)
}

pub(crate) fn list_zones(state: &State, ctx: &Ctx<'_>) -> Answer {
    let zones = state
        .zones
        .values()
        .filter(|z| z.project_id == ctx.project_id)
        .map(Zone::to_json)
        .collect();
    Reply::ok("dns_zones", Value::Array(zones))
}

pub(crate) fn get_zone(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    Reply::ok("dns_zone", zone(state, ctx, id)?.to_json())
}

pub(crate) fn create_zone(state: &mut State, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Answer {
    let mut checks = Checks::default();
    let name = checks.required(body, "name", "Name").filter(|name| {
        if !is_hostname(name) {
            checks.fail("Name is invalid");
            false
        } else if state.zones.values().any(|z| &z.name == name) {
            checks.fail("Name has already been taken");
            false
        } else {
            true
        }
    });
    checks.finish()?;
    let Some(name) = name else {
        return Err(Failure::invalid("Name is invalid"));
    };
    let zone = Zone {
        id: state.rng.uuid(),
        project_id: ctx.project_id.to_owned(),
        name,
        created_ms: ctx.now_ms,
        records: Vec::new(),
    };
    let answer = zone.to_json();
    state.zones.insert(zone.id.clone(), zone);
    Reply::created("dns_zone", answer)
}

/// Deleting a zone deletes its records.
pub(crate) fn delete_zone(state: &mut State, ctx: &Ctx<'_>, id: &str) -> Answer {
    zone(state, ctx, id)?;
    state.zones.remove(id);
    Reply::no_content()
}

pub(crate) fn list_records(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    let zone = zone(state, ctx, id)?;
    let records = zone.records.iter().map(|r| r.to_json(&zone.id)).collect();
    Reply::ok("dns_records", Value::Array(records))
}

pub(crate) fn create_record(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Answer {
    zone(state, ctx, id)?;
    let mut checks = Checks::default();
    let record_type = match body.get("record_type") {
        Some(Value::String(t)) if RECORD_TYPES.contains(&t.as_str()) => Some(t.clone()),
        None | Some(Value::Null) => {
            checks.fail("Record type can't be blank");
            None
        }
        Some(_) => {
            checks.fail("Record type is not included in the list");
            None
        }
    };
    let name = checks.required(body, "name", "Name");
    let content = checks.required(body, "content", "Content");
    let ttl = checks
        .integer(body, "ttl", "Ttl", TTL_RANGE)
        .unwrap_or(DEFAULT_TTL);
    let prio = checks.integer(body, "prio", "Prio", (0, 65_535));
    let port = checks.integer(body, "port", "Port", (1, 65_535));
    let weight = checks.integer(body, "weight", "Weight", (0, 65_535));
    let kind = record_type.as_deref().unwrap_or_default();
    if matches!(kind, "mx" | "srv") && prio.is_none() && body.get("prio").is_none_or(Value::is_null)
    {
        checks.fail("Prio can't be blank");
    }
    if kind == "srv" {
        for (field, label, value) in [("port", "Port", port), ("weight", "Weight", weight)] {
            if value.is_none() && body.get(field).is_none_or(Value::is_null) {
                checks.fail(format!("{label} can't be blank"));
            }
        }
    }
    if let Some(content) = &content {
        match kind {
            "a" if content.parse::<Ipv4Addr>().is_err() => {
                checks.fail("Content is not a valid IPv4 address");
            }
            "aaaa" if content.parse::<Ipv6Addr>().is_err() => {
                checks.fail("Content is not a valid IPv6 address");
            }
            _ => {}
        }
    }
    checks.finish()?;
    let (Some(record_type), Some(name), Some(content)) = (record_type, name, content) else {
        return Err(Failure::invalid("Record is invalid"));
    };
    let record = Record {
        id: state.rng.uuid(),
        record_type,
        name,
        content,
        ttl,
        prio,
        port,
        weight,
        created_ms: ctx.now_ms,
    };
    let answer = record.to_json(id);
    zone_mut(state, ctx, id)?.records.push(record);
    Reply::created("dns_record", answer)
}

pub(crate) fn delete_record(state: &mut State, ctx: &Ctx<'_>, id: &str, record_id: &str) -> Answer {
    let zone = zone_mut(state, ctx, id)?;
    let at = zone
        .records
        .iter()
        .position(|r| r.id == record_id)
        .ok_or(Failure::NotFound)?;
    zone.records.remove(at);
    Reply::no_content()
}
