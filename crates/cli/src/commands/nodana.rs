//! Nodana-only commands: services, and the template catalogue.

use super::Ctx;
use crate::cli::ServicesCommand;
use crate::exit::CliError;
use crate::output::views;
use crate::output::{Cell, Output, Table, Tone};
use nodal::AppId;
use nodal::nodana::ServiceId;
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

/// A template parameter.
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

const LIQUIDITY: &[&str] = &["2m", "5m", "10m"];

fn param(name: &'static str) -> Param {
    Param {
        name,
        values: None,
        secret: false,
    }
}

fn liquidity() -> Param {
    Param {
        values: Some(LIQUIDITY),
        ..param("auto_liquidity")
    }
}

/// The templates Nodana documents (every value travels as a string). Others still work with
/// `apps create --template NAME --param key=value`.
pub(crate) fn catalogue() -> Vec<TemplateInfo> {
    let t = |name, description, params| TemplateInfo {
        name,
        description,
        params,
    };
    vec![
        t(
            "phoenixd",
            "Lightning node by ACINQ",
            vec![liquidity(), param("webhook")],
        ),
        t(
            "alby-hub-phoenixd",
            "Alby Hub on phoenixd",
            vec![liquidity()],
        ),
        t("lnbits-phoenixd", "LNbits on phoenixd", vec![liquidity()]),
        t(
            "cdk-mintd",
            "Cashu mint (CDK)",
            vec![param("mint_name"), param("mint_description")],
        ),
        t(
            "nutshell",
            "Cashu mint (nutshell) backed by LND",
            vec![
                param("mint_name"),
                param("mint_description"),
                param("mint_lnd_rest_url"),
                Param {
                    secret: true,
                    ..param("mint_lnd_macaroon")
                },
            ],
        ),
        t(
            "vss",
            "Versioned storage service",
            vec![param("vss_psql_address"), param("vss_psql_username")],
        ),
        t("boltzd", "Boltz swap client daemon", vec![]),
        t("fedimintd", "Fedimint guardian", vec![]),
        t("fedimintd-pro", "Fedimint guardian (pro)", vec![]),
        t("gatewayd", "Fedimint Lightning gateway", vec![]),
        t("lnbits", "LNbits", vec![]),
        t("alby-hub", "Alby Hub", vec![]),
    ]
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
    use nodal::SecretString;
    use nodal::nodana::Template;
    use std::collections::BTreeMap;

    #[test]
    fn the_catalogue_matches_the_adapter() {
        let names: Vec<&str> = catalogue().iter().map(|t| t.name).collect();
        let known: Vec<&str> = Template::known_names().collect();
        assert_eq!(names, known);
        for template in catalogue() {
            for p in &template.params {
                let value = p.values.map_or("x", |values| values[0]);
                let params = BTreeMap::from([(p.name.to_owned(), SecretString::from(value))]);
                let built = Template::from_name_and_params(template.name, &params);
                assert!(
                    built.is_ok(),
                    "{}: {} refused: {built:?}",
                    template.name,
                    p.name
                );
            }
            let unknown = BTreeMap::from([("nope".to_owned(), SecretString::from("x"))]);
            assert!(Template::from_name_and_params(template.name, &unknown).is_err());
        }
    }
}
