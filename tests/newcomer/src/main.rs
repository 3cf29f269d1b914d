//! Lists Nodana projects with a build of nodal that contains nothing but the Nodana adapter.

use nodal::nodana::NodanaClient;
use nodal::{Projects, Provider};

#[tokio::main]
async fn main() -> nodal::Result<()> {
    let client = NodanaClient::from_env()?;
    println!("{} can create projects: {}", client.name(), client.capabilities().create_project);
    for project in client.list_projects().await? {
        println!("{} {}", project.id, project.name);
    }
    Ok(())
}
