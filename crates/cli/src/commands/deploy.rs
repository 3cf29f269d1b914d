//! `nodal deploy` and `nodal deployments list`.

use super::Ctx;
use crate::cli::{DeployArgs, DeploymentsCommand};
use crate::exit::CliError;
use crate::output::{sanitize, views};
use nodal::{App, AppId, DeployOptions, Deployment};
use serde::Serialize;
use serde_json::json;

/// The JSON answer of `deploy`: the deployment, and the app once available (`--wait`).
#[derive(Serialize)]
struct Deployed<'a> {
    deployment: &'a Deployment,
    app: Option<&'a App>,
}

pub(crate) async fn deploy(ctx: &Ctx, args: DeployArgs) -> Result<(), CliError> {
    let caps = ctx.conn.capabilities();
    ctx.require(caps.deploy, "deploy")?;
    let mut options = DeployOptions::new();
    if let Some(tag) = &args.image_tag {
        ctx.require(caps.deploy_image_tag, "deploy --image-tag")?;
        options = options.image_tag(tag);
    }
    let id = AppId::from(args.app_id);
    ctx.sending("the deployment", &format!("nodal deployments list {id}"));
    let deployment = ctx.conn.provider().await?.deploy(&id, &options).await?;
    if !ctx.out.json {
        ctx.out
            .say(&views::deployment(&deployment).render(ctx.out.color));
    }
    let app = match args.wait.timeout() {
        Some(timeout) => {
            ctx.record_partial(json!(Deployed {
                deployment: &deployment,
                app: None,
            }));
            // Where a deployment leaves a stopped app stopped, waiting cannot help.
            let hint = if caps.deploy_starts_stopped_app {
                Ctx::start_hint(&id)
            } else {
                format!(
                    "a deployment does not start a stopped app on {}: run `nodal apps start {id}`",
                    ctx.conn.name()
                )
            };
            Some(ctx.wait_for(&id, timeout, &hint).await?)
        }
        None => None,
    };
    if ctx.out.json {
        return ctx.out.print_json(&Deployed {
            deployment: &deployment,
            app: app.as_ref(),
        });
    }
    if let Some(app) = app {
        ctx.out.say(&format!(
            "App {} is {} ({}).\n",
            sanitize(app.id.as_str()),
            app.status,
            sanitize(&app.raw_status)
        ));
    }
    Ok(())
}

pub(crate) async fn deployments(ctx: &Ctx, command: DeploymentsCommand) -> Result<(), CliError> {
    let DeploymentsCommand::List { app_id } = command;
    ctx.require(ctx.conn.capabilities().list_deployments, "deployments list")?;
    let deployments = ctx
        .conn
        .provider()
        .await?
        .list_deployments(&AppId::from(app_id))
        .await?;
    ctx.out
        .show(&deployments, || views::deployments(&deployments))
}
