//! `nodal apps ...`: the neutral app operations, and creating apps with one-time credentials.

use super::Ctx;
use crate::cli::{AppsCommand, CreateArgs, DEFAULT_TIMEOUT, WaitArgs};
use crate::exit::CliError;
use crate::output::views::{self, Done};
use crate::output::{credentials, print_stderr, sanitize};
use nodal::nodana::TemplateRow;
use nodal::{App, AppId, AppSpec, CreatedApp};
use serde_json::{Value, json};
use std::path::PathBuf;

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
        AppsCommand::Start { id, wait } => {
            ctx.require(caps.start_app, "apps start")?;
            let id = AppId::from(id);
            ctx.conn.provider().await?.start_app(&id).await?;
            changed(ctx, Change::Start, &id, wait).await
        }
        AppsCommand::Stop { id, wait } => {
            ctx.require(caps.stop_app, "apps stop")?;
            let id = AppId::from(id);
            ctx.conn.provider().await?.stop_app(&id).await?;
            changed(ctx, Change::Stop, &id, wait).await
        }
        AppsCommand::Restart { id, wait } => {
            ctx.require(caps.restart_app, "apps restart")?;
            let id = AppId::from(id);
            ctx.conn.provider().await?.restart_app(&id).await?;
            changed(ctx, Change::Restart, &id, wait).await
        }
        AppsCommand::Wait { id, timeout } => {
            ctx.require(caps.wait_until_available, "apps wait")?;
            let id = AppId::from(id);
            let app = ctx
                .wait_for(
                    &id,
                    timeout.unwrap_or(DEFAULT_TIMEOUT),
                    &Ctx::start_hint(&id),
                )
                .await?;
            ctx.out.show(&app, || views::app(&app))
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
                )
                .await?;
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

/// A start, stop or restart that was sent.
#[derive(Debug, Clone, Copy)]
enum Change {
    Start,
    Stop,
    Restart,
}

/// Reports a start/stop/restart; with `--wait`, first waits for the state it leads to. The
/// `--json` answer is `{"ok", "provider", "action", "id"}`, plus `"app"` after a wait.
async fn changed(ctx: &Ctx, change: Change, id: &AppId, wait: WaitArgs) -> Result<(), CliError> {
    let (action, verb) = match change {
        Change::Start => ("start_app", "Started"),
        Change::Stop => ("stop_app", "Stopped"),
        Change::Restart => ("restart_app", "Restarted"),
    };
    let Some(timeout) = wait.timeout() else {
        return done(ctx, action, verb, id);
    };
    let done_doc = Done::new(ctx.conn.name(), action, id.as_str());
    ctx.record_partial(json!(done_doc));
    ctx.out.say(&format!(
        "{verb} app {} on {}; waiting.\n",
        sanitize(id.as_str()),
        ctx.conn.name()
    ));
    let app = match change {
        Change::Stop => ctx.wait_stopped(id, timeout).await?,
        Change::Start | Change::Restart => ctx.wait_for(id, timeout, &Ctx::start_hint(id)).await?,
    };
    if ctx.out.json {
        let mut doc = json!(done_doc);
        doc["app"] = json!(app);
        return ctx.out.print_json(&doc);
    }
    ctx.out.say(&format!(
        "App {} is {} ({}).\n",
        sanitize(id.as_str()),
        app.status,
        sanitize(&app.raw_status)
    ));
    Ok(())
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

/// Whether the create may return one-time secrets: the template's row says so, and a template
/// this version does not know may (Nodana returns extra fields as they are).
fn may_return_credentials(ctx: &Ctx, args: &CreateArgs) -> bool {
    if !ctx.conn.capabilities().app_credentials {
        return false;
    }
    match &args.template {
        Some(template) => TemplateRow::find(template).is_none_or(TemplateRow::returns_secrets),
        None => true,
    }
}

async fn create(ctx: &Ctx, args: CreateArgs) -> Result<(), CliError> {
    ctx.require(ctx.conn.capabilities().create_app, "apps create")?;
    let spec = spec(&args, ctx)?;
    // Everything that can refuse is checked before the create is sent: after it, the one-time
    // secrets exist once, and a retry would make a second app.
    if ctx.out.json
        && may_return_credentials(ctx, &args)
        && args.save_credentials.is_none()
        && !args.show_credentials
    {
        let what = args.template.as_deref().unwrap_or("this app");
        return Err(CliError::usage(format!(
            "`{what}` returns one-time credentials that the provider shows only once, and --json would redact them: add --save-credentials FILE (written new, mode 0600) or --show-credentials (printed in the JSON). Nothing was sent"
        )));
    }
    let reserved = match &args.save_credentials {
        Some(path) => Some(credentials::reserve(path)?),
        None => None,
    };
    ctx.sending("the create of the app", "nodal apps list");
    let sent = if args.allow_unknown_param {
        ctx.conn
            .nodana("apps create --allow-unknown-param")
            .await?
            .create_app_allowing_unknown_params(&spec)
            .await
    } else {
        ctx.conn.provider().await?.create_app(&spec).await
    };
    let created = match sent {
        Ok(created) => created,
        Err(error)
            if ctx.project.is_none() && matches!(error, nodal::Error::LimitExceeded { .. }) =>
        {
            return Err(CliError::Api(error.with_context(
                "creating an app without --project, which makes a new project",
            )));
        }
        Err(error) => return Err(error.into()),
    };
    let doc_with = |app: &App, saved: Option<&PathBuf>| -> Result<Value, CliError> {
        let credentials = if args.show_credentials {
            serde_json::to_value(created.credentials.exposed())
        } else {
            serde_json::to_value(&created.credentials)
        }
        .map_err(|e| CliError::Failed(format!("cannot write the answer as JSON: {e}")))?;
        Ok(json!({
            "app": app,
            "created_project": created.created_project,
            "credentials": credentials,
            "credentials_file": saved.map(|p| p.display().to_string()),
        }))
    };
    // From here on the app exists: any failure or signal still reports it.
    ctx.record_partial(doc_with(&created.app, None)?);
    let saved = keep_credentials(ctx, &args, &created, reserved)?;
    let doc = |app: &App| doc_with(app, saved.as_ref());
    ctx.record_partial(doc(&created.app)?);

    let mut app = created.app.clone();
    if let Some(timeout) = args.wait.timeout() {
        app = ctx
            .wait_for(&app.id, timeout, &Ctx::start_hint(&app.id))
            .await?;
    }
    if ctx.out.json {
        return ctx.out.print_json(&doc(&app)?);
    }
    if args.wait.wait {
        ctx.out.say(&format!(
            "App {} is {} ({}){}.\n",
            sanitize(app.id.as_str()),
            app.status,
            sanitize(&app.raw_status),
            app.url
                .as_deref()
                .map(|url| format!(" at {}", sanitize(url)))
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
    reserved: Option<credentials::Reserved>,
) -> Result<Option<PathBuf>, CliError> {
    let creds = &created.credentials;
    let provider = ctx.conn.name();
    if !ctx.out.json {
        ctx.out.say(&format!(
            "Created app {} on {provider}.\n",
            sanitize(created.app.id.as_str())
        ));
        if let Some(project) = &created.created_project {
            ctx.out.say(&format!(
                "It is in project {}, which {provider} created for it (one of the account's projects; deleting the app leaves it: `nodal projects delete {}`). Pass --project ID to use an existing project.\n",
                sanitize(project.as_str()),
                sanitize(project.as_str())
            ));
        }
        ctx.out.say(&views::app(&created.app).render(ctx.out.color));
    }
    if let Some(reserved) = reserved {
        let path = reserved.path().to_owned();
        if let Err(error) = reserved.write(provider, created) {
            // Losing a seed phrase is worse than showing it: show it on stderr, then fail
            // without inviting a retry (the app exists).
            if !creds.is_empty() {
                print_stderr(&credentials::banner(creds, ctx.out.color_stderr));
            }
            return Err(CliError::Failed(format!(
                "{error}; {} Do not run the create again: app {} exists",
                if creds.is_empty() {
                    "it returned no credentials."
                } else {
                    "the credentials are shown above on stderr, once."
                },
                created.app.id
            )));
        }
        let names: Vec<String> = creds.names().map(|n| sanitize(n).into_owned()).collect();
        let text = if names.is_empty() {
            format!(
                "The app's record written to {} (a new file, mode 0600); it returned no one-time credentials.\n",
                path.display()
            )
        } else {
            format!(
                "One-time credentials ({}) and the app's record written to {} (a new file, mode 0600); the provider will not show them again.\n",
                names.join(", "),
                path.display()
            )
        };
        print_or_say(ctx, &text);
        return Ok(Some(path));
    }
    if creds.is_empty() {
        return Ok(None);
    }
    if !ctx.out.json {
        ctx.out.say(&credentials::banner(creds, ctx.out.color));
    } else if !args.show_credentials {
        // Checked before sending for templates known to return secrets; this one returned
        // some unannounced. Redacted JSON would lose them: stderr is the one place left.
        print_stderr(&credentials::banner(creds, ctx.out.color_stderr));
        print_stderr(
            "warning: this app came with one-time credentials (shown above, once); they are redacted in the --json output.\n",
        );
    }
    Ok(None)
}

/// A sentence for people: stdout normally, stderr in `--json` mode (stdout holds the document).
fn print_or_say(ctx: &Ctx, text: &str) {
    if ctx.out.json {
        print_stderr(text);
    } else {
        ctx.out.say(text);
    }
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
