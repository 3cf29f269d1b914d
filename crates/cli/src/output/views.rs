//! How each model looks as a table.

use super::{Cell, Table, Tone};
use nodal::nodana::Service;
use nodal::nodion::{
    DnsRecord, DnsZone, Domain, Instance, InstanceType, LogLine, Process, Region, ScalingEvent,
};
use nodal::{App, Deployment, Project};
use serde::Serialize;

/// The JSON answer of a command that changes something and returns nothing else.
#[derive(Debug, Serialize)]
pub(crate) struct Done {
    /// Always true (failures are errors).
    pub(crate) ok: bool,
    /// The provider.
    pub(crate) provider: &'static str,
    /// What was done, e.g. `stop_app`.
    pub(crate) action: &'static str,
    /// The resource acted on.
    pub(crate) id: String,
}

impl Done {
    /// `action` was done to `id` on `provider`.
    pub(crate) fn new(provider: &'static str, action: &'static str, id: impl Into<String>) -> Self {
        Done {
            ok: true,
            provider,
            action,
            id: id.into(),
        }
    }
}

/// Projects, one per row.
pub(crate) fn projects(projects: &[Project]) -> Table {
    let mut table = Table::new(&["ID", "NAME", "CREATED"]).when_empty("no projects");
    for p in projects {
        table.row(vec![
            p.id.as_str().into(),
            p.name.as_str().into(),
            p.created_at.as_deref().into(),
        ]);
    }
    table
}

/// One project.
pub(crate) fn project(p: &Project) -> Table {
    let mut table = Table::fields();
    table.field("ID", p.id.as_str());
    table.field("NAME", p.name.as_str());
    table.field("CREATED", p.created_at.as_deref());
    table.field("UPDATED", p.updated_at.as_deref());
    table
}

/// Apps, one per row.
pub(crate) fn apps(apps: &[App]) -> Table {
    let mut table =
        Table::new(&["ID", "NAME", "SOURCE", "STATUS", "PROJECT", "URL"]).when_empty("no apps");
    for a in apps {
        table.row(vec![
            a.id.as_str().into(),
            a.name.as_deref().into(),
            a.source.as_deref().into(),
            Cell::status(a.status.as_str()),
            a.project.as_ref().map(|p| p.as_str()).into(),
            a.url.as_deref().into(),
        ]);
    }
    table
}

/// One app.
pub(crate) fn app(a: &App) -> Table {
    let mut table = Table::fields();
    table.field("ID", a.id.as_str());
    table.field("NAME", a.name.as_deref());
    table.field("STATUS", Cell::status(a.status.as_str()));
    table.field("PROVIDER STATUS", a.raw_status.as_str());
    table.field("PROJECT", a.project.as_ref().map(|p| p.as_str()));
    table.field("SOURCE", a.source.as_deref());
    table.field("URL", a.url.as_deref());
    table.field("CREATED", a.created_at.as_deref());
    table.field("UPDATED", a.updated_at.as_deref());
    table
}

/// Deployments, one per row.
pub(crate) fn deployments(deployments: &[Deployment]) -> Table {
    let mut table = Table::new(&["ID", "STATUS", "VERSION", "DESCRIPTION", "CREATED"])
        .when_empty("no deployments");
    for d in deployments {
        table.row(vec![
            d.id.as_str().into(),
            Cell::status(d.status.as_str()),
            d.version.as_deref().into(),
            d.description.as_deref().into(),
            d.created_at.as_deref().into(),
        ]);
    }
    table
}

/// One deployment.
pub(crate) fn deployment(d: &Deployment) -> Table {
    let mut table = Table::fields();
    table.field("ID", d.id.as_str());
    table.field("APP", d.app.as_str());
    table.field("STATUS", Cell::status(d.status.as_str()));
    table.field("PROVIDER STATUS", d.raw_status.as_str());
    table.field("VERSION", d.version.as_deref());
    table.field("DESCRIPTION", d.description.as_deref());
    table.field("CREATED", d.created_at.as_deref());
    table
}

/// Nodana services, one per row.
pub(crate) fn services(services: &[Service]) -> Table {
    let mut table =
        Table::new(&["ID", "SERVICE", "STATUS", "VERSION", "REGION"]).when_empty("no services");
    for s in services {
        table.row(vec![
            s.id.as_str().into(),
            s.service.as_str().into(),
            Cell::status(&s.status),
            s.version.as_deref().into(),
            s.region.as_deref().into(),
        ]);
    }
    table
}

/// Nodion regions.
pub(crate) fn regions(regions: &[Region]) -> Table {
    let mut table = Table::new(&["SLUG", "NAME", "ID"]).when_empty("no regions");
    for r in regions {
        table.row(vec![
            r.slug.as_str().into(),
            r.name.as_str().into(),
            r.id.as_str().into(),
        ]);
    }
    table
}

/// Nodion instance types.
pub(crate) fn instance_types(types: &[InstanceType]) -> Table {
    let number = |n: Option<f64>| Cell::from(n.map(|n| format!("{n}")));
    let mut table = Table::new(&[
        "SLUG",
        "NAME",
        "CATEGORY",
        "CPU",
        "MEMORY",
        "PER MONTH",
        "ID",
    ])
    .when_empty("no instance types");
    for t in types {
        table.row(vec![
            t.slug.as_str().into(),
            t.name.as_str().into(),
            t.category.as_deref().into(),
            number(t.cpu),
            number(t.mem),
            t.price_month.as_ref().map(|p| p.as_str()).into(),
            t.id.as_str().into(),
        ]);
    }
    table
}

/// Nodion log lines, oldest first.
pub(crate) fn logs(lines: &[LogLine]) -> Table {
    let mut table = Table::new(&["TIME", "INSTANCE", "MESSAGE"]).when_empty("no log lines");
    for l in lines {
        table.row(vec![
            l.ts.as_str().into(),
            l.instance_id.as_ref().map(|id| id.as_str()).into(),
            l.msg.as_str().into(),
        ]);
    }
    table
}

/// Nodion domains.
pub(crate) fn domains(domains: &[Domain]) -> Table {
    let mut table = Table::new(&["ID", "DOMAIN", "TYPE", "STATUS", "VERIFICATION CODE"])
        .when_empty("no domains");
    for d in domains {
        let status = d.status.as_ref().map(|s| s.as_str()).unwrap_or("-");
        table.row(vec![
            d.id.as_str().into(),
            d.domain_name.as_str().into(),
            d.domain_type.as_ref().map(|t| t.as_str()).into(),
            Cell::status(status),
            d.verification_code.as_deref().into(),
        ]);
    }
    table
}

/// An optional count as text, `-` when absent.
fn count(n: Option<impl std::fmt::Display>) -> Cell {
    Cell::from(n.map(|n| n.to_string()))
}

/// A wire word (status, state, type) or `-`.
fn word(w: Option<&str>) -> Cell {
    match w {
        Some(w) => Cell::status(w),
        None => Cell::toned("-", Tone::Dim),
    }
}

/// The instance type's slug, else its name, else its id.
fn type_name(t: Option<&InstanceType>) -> Option<&str> {
    let t = t?;
    [t.slug.as_str(), t.name.as_str(), t.id.as_str()]
        .into_iter()
        .find(|s| !s.is_empty())
}

/// Nodion instances.
pub(crate) fn instances(instances: &[Instance]) -> Table {
    let mut table = Table::new(&["ID", "NAME", "STATUS", "TYPE", "DEPLOY", "CREATED"])
        .when_empty("no instances");
    for i in instances {
        table.row(vec![
            i.id.as_str().into(),
            i.name.as_deref().into(),
            word(i.status.as_ref().map(|s| s.as_str())),
            type_name(i.instance_type.as_ref()).into(),
            count(i.deployment.as_ref().and_then(|d| d.deploy_number)),
            i.created_at.as_deref().into(),
        ]);
    }
    table
}

/// Nodion processes.
pub(crate) fn processes(processes: &[Process]) -> Table {
    let mut table = Table::new(&["ID", "NAME", "SLUG", "STATUS", "INSTANCES", "TYPE", "PORTS"])
        .when_empty("no processes");
    for p in processes {
        let ports: Vec<String> = p
            .ports
            .iter()
            .filter_map(|port| {
                port.port.map(|n| match &port.protocol {
                    Some(protocol) => format!("{n}/{protocol}"),
                    None => n.to_string(),
                })
            })
            .collect();
        table.row(vec![
            p.id.as_str().into(),
            p.name.as_str().into(),
            p.slug.as_deref().into(),
            word(p.status.as_ref().map(|s| s.as_str())),
            count(p.instance_amount),
            type_name(p.instance_type.as_ref())
                .or(p.instance_type_id.as_deref())
                .into(),
            if ports.is_empty() {
                Cell::toned("-", Tone::Dim)
            } else {
                ports.join(", ").into()
            },
        ]);
    }
    table
}

/// Nodion scaling events, as listed.
pub(crate) fn scaling_events(events: &[ScalingEvent]) -> Table {
    let mut table = Table::new(&[
        "ID",
        "STATUS",
        "TRIGGER",
        "INSTANCES",
        "TYPE",
        "CREATED",
        "FINISHED",
    ])
    .when_empty("no scaling events");
    let change = |old: Option<String>, new: Option<String>| -> Cell {
        match (old, new) {
            (None, None) => Cell::toned("-", Tone::Dim),
            (old, new) => format!(
                "{} -> {}",
                old.as_deref().unwrap_or("?"),
                new.as_deref().unwrap_or("?")
            )
            .into(),
        }
    };
    for e in events {
        table.row(vec![
            e.id.as_str().into(),
            word(e.status.as_ref().map(|s| s.as_str())),
            e.trigger_type.as_ref().map(|t| t.as_str()).into(),
            change(
                e.instance_amount_old.map(|n| n.to_string()),
                e.instance_amount_new.map(|n| n.to_string()),
            ),
            change(
                e.instance_type_id_old.clone(),
                e.instance_type_id_new.clone(),
            ),
            e.created_at.as_deref().into(),
            e.finished_at.as_deref().into(),
        ]);
    }
    table
}

/// Nodion DNS zones.
pub(crate) fn dns_zones(zones: &[DnsZone]) -> Table {
    let mut table = Table::new(&["ID", "NAME", "RECORDS", "CREATED"]).when_empty("no DNS zones");
    for z in zones {
        table.row(vec![
            z.id.as_str().into(),
            z.name.as_str().into(),
            z.records.len().to_string().into(),
            z.created_at.as_deref().into(),
        ]);
    }
    table
}

/// One Nodion DNS zone, with its records (a new zone holds Nodion's defaults).
pub(crate) fn dns_zone(z: &DnsZone) -> Table {
    let mut table = Table::fields();
    table.field("ID", z.id.as_str());
    table.field("NAME", z.name.as_str());
    table.field("CREATED", z.created_at.as_deref());
    for r in &z.records {
        let kind = r
            .record_type
            .as_ref()
            .map_or_else(|| "?".to_owned(), |t| t.as_str().to_ascii_uppercase());
        table.field(
            "RECORD",
            format!("{kind} {} {} ({})", r.name, r.content, r.id.as_str()),
        );
    }
    table
}

/// Nodion DNS records.
pub(crate) fn dns_records(records: &[DnsRecord]) -> Table {
    let mut table =
        Table::new(&["ID", "TYPE", "NAME", "CONTENT", "TTL", "PRIO"]).when_empty("no DNS records");
    for r in records {
        table.row(vec![
            r.id.as_str().into(),
            r.record_type
                .as_ref()
                .map(|t| t.as_str().to_ascii_uppercase())
                .into(),
            r.name.as_str().into(),
            r.content.as_str().into(),
            count(r.ttl),
            count(r.prio),
        ]);
    }
    table
}

/// A sentence for people after a change.
pub(crate) fn done(sentence: String) -> Table {
    let mut table = Table::new(&[]);
    table.row(vec![Cell::toned(sentence, Tone::Plain)]);
    table
}
