//! `nodal apps ...`: the neutral app operations, and creating apps with one-time credentials.

use super::Ctx;
use crate::cli::{AppsCommand, CreateArgs};
use crate::exit::{CliError, JsonError};
use crate::output::views::{self, Done};
use crate::output::{credentials, print_stderr};
use nodal::nodana::TemplateRow;
use nodal::{AppId, AppSpec, CreatedApp};
use serde_json::{Value, json};

pub(crate) async fn run(ctx: &Ctx, command: AppsCommand) -> Result<(), CliError> {
    let caps = ctx.conn.capabilities();
    match command {
        AppsCommand::List => {
            ctx.require(caps.list_apps, "apps list")?;
            let apps = ctx
                .conn
                .provider()
                .await?
                .list_apps(ctx.project.as_ref())
                .await?;
            ctx.out.show(&apps, || views::apps(&apps))
        }
        AppsCommand::Get { id } => {
            ctx.require(caps.get_app, "apps get")?;
            let app = ctx.conn.provider().await?.get_app(&AppId::from(id)).await?;
            ctx.out.show(&app, || views::app(&app))
        }
        AppsCommand::Create(args) => create(ctx, *args).await,
        AppsCommand::Start { id } => {
            ctx.require(caps.start_app, "apps start")?;
            let id = AppId::from(id);
            ctx.conn.provider().await?.start_app(&id).await?;
            done(ctx, "start_app", "Started", &id)
        }
        AppsCommand::Stop { id } => {
            ctx.require(caps.stop_app, "apps stop")?;
            let id = AppId::from(id);
            ctx.conn.provider().await?.stop_app(&id).await?;
            done(ctx, "stop_app", "Stopped", &id)
        }
        AppsCommand::Restart { id } => {
            ctx.require(caps.restart_app, "apps restart")?;
            let id = AppId::from(id);
            ctx.conn.provider().await?.restart_app(&id).await?;
            done(ctx, "restart_app", "Restarted", &id)
        }
        AppsCommand::Delete { id, yes } => {
            ctx.require(caps.delete_app, "apps delete")?;
            let id = AppId::from(id);
            if !yes {
                super::confirm(
                    &format!(
                        "Delete app {id} on {}? This cannot be undone.",
                        ctx.conn.name()
                    ),
                    &format!("app {id}"),
                )?;
            }
            ctx.conn.provider().await?.delete_app(&id).await?;
            done(ctx, "delete_app", "Deleted", &id)
        }
        AppsCommand::Scale {
            id,
            process,
            instances,
        } => super::nodion::scale(ctx, id, process, instances).await,
    }
}

fn done(ctx: &Ctx, action: &'static str, verb: &str, id: &AppId) -> Result<(), CliError> {
    let done = Done::new(ctx.conn.name(), action, id.as_str());
    ctx.out.show(&done, || {
        views::done(format!("{verb} app {id} on {}.", ctx.conn.name()))
    })
}

/// Builds the neutral spec from the flags; each provider refuses what it has no place for.
fn spec(args: &CreateArgs, ctx: &Ctx) -> Result<AppSpec, CliError> {
    let caps = ctx.conn.capabilities();
    let mut spec = if let Some(template) = &args.template {
        ctx.require(caps.app_from_template, "apps create --template")?;
        if args.image.is_some() || args.git_integration.is_some() {
            return Err(CliError::usage(
                "give one source: --template, --image, or the --git-* options",
            ));
        }
        if !args.allow_unknown_param {
            refuse_unlisted_params(template, &args.params)?;
        }
        args.params
            .iter()
            .fold(AppSpec::from_template(template), |spec, (k, v)| {
                spec.param(k, v)
            })
    } else if let Some(image) = &args.image {
        ctx.require(caps.app_from_image, "apps create --image")?;
        let spec = AppSpec::from_image(image);
        match &args.image_tag {
            Some(tag) => spec.image_tag(tag),
            None => spec,
        }
    } else if let (Some(integration), Some(repository), Some(branch)) = (
        &args.git_integration,
        &args.git_repository,
        &args.git_branch,
    ) {
        ctx.require(caps.app_from_git, "apps create --git-integration")?;
        AppSpec::from_git(integration, repository, branch)
    } else {
        return Err(CliError::usage(
            "say what the app runs: --template T [--param key=value]... on Nodana, or --image IMAGE (or --git-integration/--git-repository/--git-branch) with --name --region --instance-type --instances on Nodion",
        ));
    };
    if !args.params.is_empty() && args.template.is_none() {
        return Err(CliError::usage("--param belongs to --template (Nodana)"));
    }
    if let Some(name) = &args.name {
        spec = spec.name(name);
    }
    if let Some(region) = &args.region {
        spec = spec.region(region);
    }
    if let Some(instance_type) = &args.instance_type {
        spec = spec.instance_type(instance_type);
    }
    if let Some(instances) = args.instances {
        spec = spec.instances(instances);
    }
    if let Some(project) = &ctx.project {
        spec = spec.project(project.clone());
    }
    Ok(spec)
}

/// Refuses a `--param` that a template the adapter knows does not list, naming the ones it
/// takes (the adapter's row), before anything is sent. Templates the adapter does not know pass
/// as they are: Nodana judges them.
fn refuse_unlisted_params(template: &str, params: &[(String, String)]) -> Result<(), CliError> {
    let Some(row) = TemplateRow::find(template) else {
        return Ok(());
    };
    let Some((name, _)) = params.iter().find(|(name, _)| row.param(name).is_none()) else {
        return Ok(());
    };
    let takes = if row.params.is_empty() {
        "it takes no parameters".to_owned()
    } else {
        format!(
            "it takes {}",
            row.param_names().collect::<Vec<_>>().join(", ")
        )
    };
    Err(CliError::usage(format!(
        "template `{template}` has no parameter `{name}`: {takes}. Nothing was sent; pass --allow-unknown-param to send it as given"
    )))
}

async fn create(ctx: &Ctx, args: CreateArgs) -> Result<(), CliError> {
    ctx.require(ctx.conn.capabilities().create_app, "apps create")?;
    let spec = spec(&args, ctx)?;
    if let Some(path) = &args.save_credentials
        && path.is_dir()
    {
        return Err(CliError::usage(format!(
            "--save-credentials {} is a directory; give a file name",
            path.display()
        )));
    }
    let created = if args.allow_unknown_param {
        ctx.conn
            .nodana("apps create --allow-unknown-param")
            .await?
            .create_app_allowing_unknown_params(&spec)
            .await?
    } else {
        ctx.conn.provider().await?.create_app(&spec).await?
    };
    let saved = keep_credentials(ctx, &args, &created)?;

    let mut app = created.app.clone();
    let mut wait_error = None;
    if args.wait {
        match ctx.wait_for(&app.id, args.timeout).await {
            Ok(ready) => app = ready,
            Err(error) => wait_error = Some(error),
        }
    }

    if ctx.out.json {
        let credentials = if args.show_credentials {
            serde_json::to_value(created.credentials.exposed())
        } else {
            serde_json::to_value(&created.credentials)
        }
        .map_err(|e| CliError::Failed(format!("cannot write the answer as JSON: {e}")))?;
        let mut doc = json!({
            "app": app,
            "credentials": credentials,
            "credentials_file": saved.as_ref().map(|p| p.display().to_string()),
        });
        if let Some(error) = wait_error {
            // The credentials must reach the caller even though the wait failed: one document
            // with both, and the error's exit code.
            let reported = serde_json::to_value(JsonError::from(&error)).unwrap_or(Value::Null);
            doc["error"] = reported["error"].clone();
            ctx.out.print_json(&doc)?;
            return Err(CliError::Reported(Box::new(error)));
        }
        return ctx.out.print_json(&doc);
    }
    if let Some(error) = wait_error {
        return Err(error);
    }
    if args.wait {
        ctx.out.say(&format!(
            "App {} is {} ({}){}.\n",
            app.id,
            app.status,
            app.raw_status,
            app.url
                .as_deref()
                .map(|url| format!(" at {url}"))
                .unwrap_or_default()
        ));
    }
    Ok(())
}

/// Shows the one-time credentials right away (people), or saves them (`--save-credentials`),
/// before anything else can fail. Returns the file written, if any.
fn keep_credentials(
    ctx: &Ctx,
    args: &CreateArgs,
    created: &CreatedApp,
) -> Result<Option<std::path::PathBuf>, CliError> {
    let creds = &created.credentials;
    if !ctx.out.json {
        ctx.out.say(&format!(
            "Created app {} on {}.\n",
            created.app.id,
            ctx.conn.name()
        ));
        ctx.out.say(&views::app(&created.app).render(ctx.out.color));
    }
    if creds.is_empty() {
        return Ok(None);
    }
    if let Some(path) = &args.save_credentials {
        if let Err(error) = credentials::save(path, creds) {
            // Losing a seed phrase is worse than showing it: show it on stderr, then fail.
            print_stderr(&credentials::banner(creds, ctx.out.color_stderr));
            return Err(error);
        }
        let names: Vec<&str> = creds.names().collect();
        ctx.out.say(&format!(
            "One-time credentials ({}) written to {} (mode 0600); the provider will not show them again.\n",
            names.join(", "),
            path.display()
        ));
        return Ok(Some(path.clone()));
    }
    if !ctx.out.json {
        ctx.out.say(&credentials::banner(creds, ctx.out.color));
    } else if !args.show_credentials {
        print_stderr(
            "warning: this app came with one-time credentials; they are redacted in --json output. Use --show-credentials or --save-credentials FILE to keep them.\n",
        );
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn unlisted_params_of_known_templates_are_refused_naming_the_accepted_ones() {
        let err = refuse_unlisted_params("phoenixd", &pairs(&[("colour", "red")])).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        assert!(text.contains("`colour`"), "{text}");
        assert!(text.contains("auto_liquidity, webhook"), "{text}");
        assert!(text.contains("--allow-unknown-param"), "{text}");
        let none = refuse_unlisted_params("boltzd", &pairs(&[("x", "y")])).unwrap_err();
        assert!(none.to_string().contains("takes no parameters"), "{none}");
        assert!(refuse_unlisted_params("phoenixd", &pairs(&[("auto_liquidity", "2m")])).is_ok());
        // Templates nodal does not know are Nodana's to judge.
        assert!(refuse_unlisted_params("brand-new", &pairs(&[("x", "y")])).is_ok());
    }
}
