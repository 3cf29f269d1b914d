//! Nodana-only commands: services, and the template catalogue.

use super::Ctx;
use crate::cli::ServicesCommand;
use crate::exit::CliError;
use crate::output::views;
use crate::output::{Cell, Output, Table, Tone};
use nodal::AppId;
use nodal::nodana::{ServiceId, Template};
use serde::Serialize;

pub(crate) async fn services(ctx: &Ctx, command: ServicesCommand) -> Result<(), CliError> {
    match command {
        ServicesCommand::List { app_id } => {
            let client = ctx.conn.nodana("services list").await?;
            let services = client.services().list(&AppId::from(app_id)).await?;
            ctx.out.show(&services, || views::services(&services))
        }
        ServicesCommand::Update { app_id, service_id } => {
            let client = ctx.conn.nodana("services update").await?;
            let update = client
                .services()
                .update(&AppId::from(app_id), &ServiceId::new(service_id))
                .await?;
            ctx.out.show(&update, || {
                let mut table = Table::fields();
                table.field("APP", update.id.as_str());
                table.field("SERVICE", update.service_id.as_str());
                table.field("VERSION", update.version.as_deref());
                table.field(
                    "UPDATED",
                    Cell::toned(
                        if update.updated { "yes" } else { "no" },
                        if update.updated {
                            Tone::Good
                        } else {
                            Tone::Dim
                        },
                    ),
                );
                table
            })
        }
    }
}

/// A template parameter, as `templates --json` shows it.
#[derive(Debug, Serialize)]
pub(crate) struct Param {
    name: &'static str,
    /// The accepted values, when Nodana restricts them.
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<&'static [&'static str]>,
    /// Whether the value is a secret (kept out of logs and debug output).
    secret: bool,
}

/// A Nodana template and its parameters.
#[derive(Debug, Serialize)]
pub(crate) struct TemplateInfo {
    name: &'static str,
    description: &'static str,
    params: Vec<Param>,
}

/// The templates the adapter knows, from its rows (every value travels as a string). Others
/// still work with `apps create --template NAME --param key=value`.
pub(crate) fn catalogue() -> Vec<TemplateInfo> {
    Template::catalogue()
        .iter()
        .map(|row| TemplateInfo {
            name: row.slug,
            description: row.description,
            params: row
                .params
                .iter()
                .map(|p| Param {
                    name: p.name,
                    values: p.allowed(),
                    secret: p.secret,
                })
                .collect(),
        })
        .collect()
}

pub(crate) fn templates(out: &Output) -> Result<(), CliError> {
    let templates = catalogue();
    out.show(&templates, || {
        let mut table = Table::new(&["TEMPLATE", "DESCRIPTION", "PARAMETERS"]);
        for t in &templates {
            let params: Vec<String> = t
                .params
                .iter()
                .map(|p| match (p.values, p.secret) {
                    (Some(values), _) => format!("{} ({})", p.name, values.join("|")),
                    (None, true) => format!("{} (secret)", p.name),
                    (None, false) => p.name.to_owned(),
                })
                .collect();
            table.row(vec![
                t.name.into(),
                t.description.into(),
                if params.is_empty() {
                    Cell::toned("-", Tone::Dim)
                } else {
                    params.join(", ").into()
                },
            ]);
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_shows_the_adapters_rows() {
        let shown = catalogue();
        let names: Vec<&str> = shown.iter().map(|t| t.name).collect();
        let rows: Vec<&str> = Template::catalogue().iter().map(|r| r.slug).collect();
        assert_eq!(names, rows);
        let json = serde_json::to_value(&shown).unwrap();
        let phoenixd = &json[0];
        assert_eq!(phoenixd["name"], "phoenixd");
        assert_eq!(phoenixd["params"][0]["name"], "auto_liquidity");
        assert_eq!(
            phoenixd["params"][0]["values"],
            serde_json::json!(["2m", "5m", "10m"])
        );
        assert!(phoenixd["params"][1].get("values").is_none());
        let secret: Vec<&str> = shown
            .iter()
            .flat_map(|t| t.params.iter().filter(|p| p.secret).map(|p| p.name))
            .collect();
        assert_eq!(secret, ["mint_lnd_macaroon"]);
    }
}
