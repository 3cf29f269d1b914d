//! `nodal projects ...`: the neutral project operations.

use super::Ctx;
use crate::cli::ProjectsCommand;
use crate::exit::CliError;
use crate::output::views::{self, Done};
use nodal::{Project, ProjectId};

pub(crate) async fn run(ctx: &Ctx, command: ProjectsCommand) -> Result<(), CliError> {
    let caps = ctx.conn.capabilities();
    match command {
        ProjectsCommand::List => {
            ctx.require(caps.list_projects, "projects list")?;
            let projects = ctx.conn.provider().await?.list_projects().await?;
            ctx.out.show(&projects, || views::projects(&projects))
        }
        ProjectsCommand::Get { id } => {
            ctx.require(caps.get_project, "projects get")?;
            let project = ctx
                .conn
                .provider()
                .await?
                .get_project(&ProjectId::from(id))
                .await?;
            ctx.out.show(&project, || views::project(&project))
        }
        ProjectsCommand::Create { name } => {
            ctx.require(caps.create_project, "projects create")?;
            let project = ctx.conn.provider().await?.create_project(&name).await?;
            ctx.out.show(&project, || views::project(&project))
        }
        ProjectsCommand::Rename { id, name } => {
            ctx.require(caps.rename_project, "projects rename")?;
            let id = ProjectId::from(id);
            ctx.conn
                .provider()
                .await?
                .rename_project(&id, &name)
                .await?;
            // The provider answers without the project; what it now is, is known.
            let project = Project::new(id, name);
            ctx.out.show(&project, || views::project(&project))
        }
        ProjectsCommand::Delete { id } => {
            ctx.require(caps.delete_project, "projects delete")?;
            let id = ProjectId::from(id);
            ctx.conn.provider().await?.delete_project(&id).await?;
            let done = Done::new(ctx.conn.name(), "delete_project", id.as_str());
            ctx.out.show(&done, || {
                views::done(format!("Deleted project {id} on {}.", ctx.conn.name()))
            })
        }
    }
}
