//! DNS zones and their records, per project.

use std::net::{Ipv4Addr, Ipv6Addr};

use axum::http::Uri;
use serde_json::{Map, Value};

use super::Ctx;
use super::fields::{self, Checks, is_hostname};
use super::reply::{Answer, Failure, Reply};
use super::state::{Record, State, Zone};

const RECORD_TYPES: [&str; 9] = [
    "a", "aaaa", "ns", "alias", "cname", "mx", "txt", "ptr", "srv",
];
const TTL_RANGE: (i64, i64) = (60, 86_400);
const DEFAULT_TTL: i64 = 3600;
/// The five records every new zone starts with, all with ttl 3600 (public client nrdcg/nodion
/// fixtures/create-dns-zone.json, copied from the reference's zone example).
const DEFAULT_RECORDS: [(&str, &str, &str); 5] = [
    ("a", "@", "1.2.3.4"),
    ("a", "*", "1.2.3.4"),
    ("a", "www", "1.2.3.4"),
    ("ns", "@", "ns1.nodion.com"),
    ("ns", "@", "ns2.nodion.com"),
];
/// What a blank zone name answers, all three at once (nrdcg/nodion fixtures/create-dns-zone-error.json).
const BLANK_ZONE_NAME: [&str; 3] = [
    "Name can't be blank",
    "Name must be between 1 and 255 characters long",
    "Name is not a fully qualified domain name",
];

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

/// `GET /dns_zones`, `?name=` keeps the zone of exactly that name (public client nrdcg/nodion
/// `ZonesFilter`).
pub(crate) fn list_zones(state: &State, ctx: &Ctx<'_>, uri: &Uri) -> Answer {
    let query = fields::query(uri)?;
    let zones = state
        .zones
        .values()
        .filter(|z| z.project_id == ctx.project_id)
        .filter(|z| query.get("name").is_none_or(|name| &z.name == name))
        .map(Zone::to_json)
        .collect();
    Reply::ok("dns_zones", Value::Array(zones))
}

pub(crate) fn get_zone(state: &State, ctx: &Ctx<'_>, id: &str) -> Answer {
    Reply::ok("dns_zone", zone(state, ctx, id)?.to_json())
}

pub(crate) fn create_zone(state: &mut State, ctx: &Ctx<'_>, body: &Map<String, Value>) -> Answer {
    let blank = match body.get("name") {
        Some(Value::String(name)) => name.trim().is_empty(),
        None | Some(Value::Null) => true,
        Some(_) => false,
    };
    if blank {
        return Err(Failure::BadRequest(
            BLANK_ZONE_NAME.iter().map(|m| (*m).to_owned()).collect(),
        ));
    }
    let mut checks = Checks::default();
    let name = checks.required(body, "name", "Name").filter(|name| {
        if name.len() > 255 {
            checks.fail("Name must be between 1 and 255 characters long");
            false
        } else if !is_hostname(name) {
            checks.fail("Name is not a fully qualified domain name");
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
        return Err(Failure::invalid(
            "Name is not a fully qualified domain name",
        ));
    };
    let records = DEFAULT_RECORDS
        .iter()
        .map(|(record_type, name, content)| Record {
            id: state.rng.uuid(),
            record_type: (*record_type).to_owned(),
            name: (*name).to_owned(),
            content: (*content).to_owned(),
            ttl: DEFAULT_TTL,
            prio: None,
            port: None,
            weight: None,
            created_ms: ctx.now_ms,
        })
        .collect();
    let zone = Zone {
        id: state.rng.uuid(),
        project_id: ctx.project_id.to_owned(),
        name,
        created_ms: ctx.now_ms,
        updated_ms: ctx.now_ms,
        records,
    };
    let answer = zone.to_json();
    state.zones.insert(zone.id.clone(), zone);
    Reply::ok("dns_zone", answer)
}

/// Deleting a zone deletes its records.
pub(crate) fn delete_zone(state: &mut State, ctx: &Ctx<'_>, id: &str) -> Answer {
    zone(state, ctx, id)?;
    state.zones.remove(id);
    Reply::deleted()
}

/// `GET .../records` as `{"records": [..]}`, filtered by exact `name`, `record_type` and
/// `content` when given (public client nrdcg/nodion `RecordsFilter`).
pub(crate) fn list_records(state: &State, ctx: &Ctx<'_>, id: &str, uri: &Uri) -> Answer {
    let query = fields::query(uri)?;
    let zone = zone(state, ctx, id)?;
    let wanted = |field: &str, value: &str| query.get(field).is_none_or(|w| w == value);
    let records = zone
        .records
        .iter()
        .filter(|r| {
            wanted("name", &r.name)
                && wanted("record_type", &r.record_type)
                && wanted("content", &r.content)
        })
        .map(|r| r.to_json(None))
        .collect();
    Reply::ok("records", Value::Array(records))
}

/// The 400 message of a record that exists already: the DNS backend's JSON nested in the string
/// (public client nrdcg/nodion fixtures/create-dns-zone-record-error.json). TXT content is
/// quoted once more, as there.
fn duplicate(zone: &Zone, record_type: &str, name: &str, content: &str) -> String {
    let fqdn = if name == "@" {
        format!("{}.", zone.name)
    } else {
        format!("{name}.{}.", zone.name)
    };
    let shown = if record_type == "txt" {
        format!("\"{content}\"")
    } else {
        content.to_owned()
    };
    let inner = format!(
        "Duplicate record in RRset {fqdn} IN {} with content {shown}",
        record_type.to_uppercase()
    );
    format!(
        "Error {{\"error\": {}}}",
        serde_json::to_string(&inner).unwrap_or_default()
    )
}

pub(crate) fn create_record(
    state: &mut State,
    ctx: &Ctx<'_>,
    id: &str,
    body: &Map<String, Value>,
) -> Answer {
    let existing = zone(state, ctx, id)?;
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
    if existing
        .records
        .iter()
        .any(|r| r.record_type == record_type && r.name == name && r.content == content)
    {
        return Err(Failure::invalid(duplicate(
            existing,
            &record_type,
            &name,
            &content,
        )));
    }
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
    let answer = record.to_json(None);
    let zone = zone_mut(state, ctx, id)?;
    zone.updated_ms = ctx.now_ms;
    zone.records.push(record);
    Reply::ok("record", answer)
}

pub(crate) fn delete_record(state: &mut State, ctx: &Ctx<'_>, id: &str, record_id: &str) -> Answer {
    let zone = zone_mut(state, ctx, id)?;
    let at = zone
        .records
        .iter()
        .position(|r| r.id == record_id)
        .ok_or(Failure::NotFound)?;
    zone.records.remove(at);
    zone.updated_ms = ctx.now_ms;
    Reply::deleted()
}
