//! `nodal sim serve`: the offline twin on its own, for trying every command without an account.

use crate::cli::SimServeArgs;
use crate::commands::stop_signals;
use crate::exit::CliError;
use crate::output::Output;
use nodal_sim::Sim;
use serde_json::json;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

pub(crate) async fn run(args: SimServeArgs, out: &Output) -> Result<(), CliError> {
    let port = args.port;
    let mut builder = Sim::builder().port(port);
    if let Some(delay) = args.nodana_start_delay {
        builder = builder.nodana_start_delay(delay);
    }
    if let Some(delay) = args.nodion_deploy_delay {
        builder = builder.nodion_deploy_delay(delay);
    }
    if let Some(interval) = args.nodana_min_interval {
        builder = builder.nodana_min_interval(interval);
    }
    if let Some(tolerance) = args.nodana_tolerance {
        builder = builder.nodana_tolerance(tolerance);
    }
    if args.zero_tolerance {
        builder = builder.zero_tolerance();
    }
    if let Some((min, max)) = args.uplink_latency_ms {
        builder = builder.uplink_latency(min, max);
    }
    if let Some((requests, per)) = args.nodion_quota {
        builder = builder.nodion_quota(requests, per);
    }
    if let Some(key) = &args.nodana_key {
        builder = builder.nodana_static_key(key);
    }
    if let Some(key) = &args.nodion_key {
        builder = builder.nodion_static_key(key);
    }
    // Listening for Ctrl-C and SIGTERM before saying "until Ctrl-C", so an early one stops the
    // twin cleanly.
    let (mut interrupt, mut terminate) = stop_signals()?;
    let sim = builder
        .start()
        .await
        .map_err(|e| CliError::Failed(format!("cannot serve the twin on 127.0.0.1:{port}: {e}")))?;
    if let Some(path) = &args.env_file
        && let Err(error) = write_env_file(path, &sim)
    {
        sim.shutdown().await;
        return Err(error);
    }
    if out.json {
        // The twin's own throwaway keys: printing them is the point of this command.
        out.print_json(&json!({
            "address": sim.addr().to_string(),
            "NODANA_API_BASE_URL": sim.nodana_base_url(),
            "NODANA_API_KEY": sim.nodana_key(),
            "NODION_API_BASE_URL": sim.nodion_base_url(),
            "NODION_API_KEY": sim.nodion_user_key(),
            "nodion_default_project": sim.nodion_default_project(),
            "env_file": args.env_file.as_ref().map(|p| p.display().to_string()),
        }))?;
    } else {
        out.say(&format!(
            "# nodal sim: the offline twin of the Nodana and Nodion APIs is serving on http://{}\n\
             # Its own throwaway keys follow; run these lines in another shell (or eval them):\n",
            sim.addr()
        ));
        out.say(&sim.env_exports());
        if let Some(path) = &args.env_file {
            out.say(&format!(
                "# The same lines are in {} (`source` it).\n",
                path.display()
            ));
        }
        out.say(&format!(
            "# Nodion default project: {}\n\
             # Then, for example: nodal --provider nodana apps create --template phoenixd --wait\n\
             #                    nodal --provider nodion regions\n\
             # Serving until Ctrl-C.\n",
            sim.nodion_default_project()
        ));
    }
    tokio::select! {
        _ = interrupt.recv() => {}
        _ = terminate.recv() => {}
    }
    sim.shutdown().await;
    Ok(())
}

/// Writes the export lines to `path` (replaced, mode 0600, never through a symlink): they hold
/// the twin's keys, throwaway but still keys.
fn write_env_file(path: &Path, sim: &Sim) -> Result<(), CliError> {
    let text = format!(
        "# nodal sim serve on {}; Nodion default project {}\n{}",
        sim.addr(),
        sim.nodion_default_project(),
        sim.env_exports()
    );
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| CliError::Failed(format!("cannot write --env-file {}: {e}", path.display())))
}
