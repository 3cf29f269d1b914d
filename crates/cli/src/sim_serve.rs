//! `nodal sim serve`: the offline twin on its own, for trying every command without an account.

use crate::exit::CliError;
use crate::output::Output;
use nodal_sim::Sim;
use serde_json::json;
use tokio::signal::unix::{SignalKind, signal};

pub(crate) async fn run(port: u16, out: &Output) -> Result<(), CliError> {
    let sim =
        Sim::builder().port(port).start().await.map_err(|e| {
            CliError::Failed(format!("cannot serve the twin on 127.0.0.1:{port}: {e}"))
        })?;
    // Listening for Ctrl-C before saying "until Ctrl-C", so an early one stops the twin cleanly.
    let mut interrupt = signal(SignalKind::interrupt())
        .map_err(|e| CliError::Failed(format!("cannot listen for Ctrl-C: {e}")))?;
    if out.json {
        // The twin's own throwaway keys: printing them is the point of this command.
        out.print_json(&json!({
            "address": sim.addr().to_string(),
            "NODANA_API_BASE_URL": sim.nodana_base_url(),
            "NODANA_API_KEY": sim.nodana_key(),
            "NODION_API_BASE_URL": sim.nodion_base_url(),
            "NODION_API_KEY": sim.nodion_user_key(),
            "nodion_default_project": sim.nodion_default_project(),
        }))?;
    } else {
        out.say(&format!(
            "# nodal sim: the offline twin of the Nodana and Nodion APIs is serving on http://{}\n\
             # Its own throwaway keys follow; run these lines in another shell (or eval them):\n",
            sim.addr()
        ));
        out.say(&sim.env_exports());
        out.say(&format!(
            "# Nodion default project: {}\n\
             # Then, for example: nodal --provider nodana apps create --template phoenixd --wait\n\
             #                    nodal --provider nodion regions\n\
             # Serving until Ctrl-C.\n",
            sim.nodion_default_project()
        ));
    }
    interrupt.recv().await;
    sim.shutdown().await;
    Ok(())
}
