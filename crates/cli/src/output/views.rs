//! How each model looks as a table.

use super::{Cell, Table, Tone};
use nodal::nodana::Service;
use nodal::nodion::{Domain, InstanceType, LogLine, Region};
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
            number(t.price_month),
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

/// A sentence for people after a change.
pub(crate) fn done(sentence: String) -> Table {
    let mut table = Table::new(&[]);
    table.row(vec![Cell::toned(sentence, Tone::Plain)]);
    table
}
