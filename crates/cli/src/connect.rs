//! Choosing the provider and building its client, from the environment only.

use crate::exit::CliError;
use crate::guard::{self, Guard};
use nodal::nodana::NodanaClient;
use nodal::nodion::{NodionClient, NodionClientBuilder};
use nodal::{App, AppId, Capabilities, Provider, ProviderKind, WaitOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::Mutex;

/// Picks the provider: `explicit` (`--provider` / `NODAL_PROVIDER`) if given; otherwise the
/// provider a provider-specific command belongs to (`implied`); otherwise the one whose API key
/// is set. `command` names the command for the "not supported" sentence.
pub(crate) fn choose(
    explicit: Option<ProviderKind>,
    implied: Option<ProviderKind>,
    command: &str,
    key_set: impl Fn(ProviderKind) -> bool,
) -> Result<ProviderKind, CliError> {
    match (explicit, implied) {
        (Some(chosen), Some(owner)) if chosen != owner => {
            Err(CliError::unsupported(command, chosen.name()))
        }
        (Some(chosen), _) => Ok(chosen),
        (None, Some(owner)) => Ok(owner),
        (None, None) => {
            let set: Vec<ProviderKind> = ProviderKind::ALL
                .into_iter()
                .filter(|kind| key_set(*kind))
                .collect();
            match set.as_slice() {
                [only] => Ok(*only),
                [] => Err(CliError::usage(
                    "no provider chosen: set NODANA_API_KEY or NODION_API_KEY, or pass --provider nodana|nodion (or set NODAL_PROVIDER); `nodal demo` needs neither",
                )),
                _ => Err(CliError::usage(
                    "both NODANA_API_KEY and NODION_API_KEY are set: choose one with --provider nodana|nodion or NODAL_PROVIDER",
                )),
            }
        }
    }
}

/// Where the Nodion process counts saved by `apps stop` live: `nodion-process-counts` in the
/// state directory (`$XDG_STATE_HOME/nodal`, else `~/.local/state/nodal`).
pub(crate) fn process_counts_dir(state: &Path) -> PathBuf {
    state.join("nodion-process-counts")
}

/// Whether the provider's API key variable holds something.
pub(crate) fn key_in_env(kind: ProviderKind) -> bool {
    kind.has_key_in_env()
}

/// The typed client of the chosen provider.
#[derive(Debug)]
pub(crate) enum Client {
    /// Nodana, with the cross-invocation guard still to take.
    Nodana(NodanaClient),
    /// Nodion, already narrowed to `--project` when given.
    Nodion(NodionClient),
}

/// A connected provider. Nodana requests wait for the cross-invocation guard, taken before the
/// first of them and held until the connection is dropped (the end of the command).
#[derive(Debug)]
pub(crate) struct Connection {
    client: Client,
    plan: Option<guard::Plan>,
    guard: Mutex<Option<Guard>>,
}

impl Connection {
    /// Builds the client for `kind` from its environment variables. `project` is the `--project`
    /// flag: on Nodion it selects the project view (otherwise `NODION_PROJECT`, read by the
    /// client itself, or the key's default project).
    pub(crate) fn from_env(kind: ProviderKind, project: Option<&str>) -> Result<Self, CliError> {
        let key_var = kind.api_key_var();
        let Some(key) = std::env::var(key_var)
            .ok()
            .filter(|key| !key.trim().is_empty())
        else {
            return Err(CliError::usage(format!(
                "{key_var} is not set: export your {kind} API key first (nodal reads tokens only from the environment)"
            )));
        };
        match kind {
            ProviderKind::Nodana => {
                let client = NodanaClient::from_env()?;
                let plan = guard::Plan::for_key(client.base_url(), &key);
                Ok(Connection {
                    client: Client::Nodana(client),
                    plan: Some(plan),
                    guard: Mutex::new(None),
                })
            }
            _ => {
                let mut builder = NodionClientBuilder::from_env()?;
                // `apps stop` and a later `apps start` are two processes: the counts the stop
                // saves must be on disk for the start to give each process its own back.
                match guard::state_dir() {
                    Ok(dir) => builder = builder.process_counts_dir(process_counts_dir(&dir)),
                    Err(why) => tracing::warn!(
                        "no state directory ({why}): `apps stop` keeps the process counts in memory only, so a later `apps start` cannot restore them"
                    ),
                }
                let mut client = builder.build()?;
                if let Some(project) = project {
                    client = client.project(project);
                }
                Ok(Connection {
                    client: Client::Nodion(client),
                    plan: None,
                    guard: Mutex::new(None),
                })
            }
        }
    }

    /// The provider's name.
    pub(crate) fn name(&self) -> &'static str {
        self.as_provider().name()
    }

    /// What the provider supports (sends nothing).
    pub(crate) fn capabilities(&self) -> Capabilities {
        self.as_provider().capabilities()
    }

    fn as_provider(&self) -> &dyn Provider {
        match &self.client {
            Client::Nodana(client) => client,
            Client::Nodion(client) => client,
        }
    }

    /// The neutral API, ready to send.
    pub(crate) async fn provider(&self) -> Result<&dyn Provider, CliError> {
        self.ready().await?;
        Ok(self.as_provider())
    }

    /// The typed Nodana client, ready to send; `command` is not supported on Nodion.
    pub(crate) async fn nodana(&self, command: &str) -> Result<&NodanaClient, CliError> {
        match &self.client {
            Client::Nodana(client) => {
                self.ready().await?;
                Ok(client)
            }
            Client::Nodion(_) => Err(CliError::unsupported(command, "nodion")),
        }
    }

    /// The typed Nodion client, ready to send; `command` is not supported on Nodana.
    pub(crate) async fn nodion(&self, command: &str) -> Result<&NodionClient, CliError> {
        match &self.client {
            Client::Nodion(client) => Ok(client),
            Client::Nodana(_) => Err(CliError::unsupported(command, "nodana")),
        }
    }

    /// Takes the cross-invocation guard once, before the first Nodana request.
    async fn ready(&self) -> Result<(), CliError> {
        let Some(plan) = &self.plan else {
            return Ok(());
        };
        let mut slot = self.guard.lock().await;
        if slot.is_none() {
            let plan = plan.clone();
            let guard = tokio::task::spawn_blocking(move || plan.acquire())
                .await
                .map_err(|e| CliError::Failed(format!("the rate-limit guard failed: {e}")))?;
            *slot = Some(guard);
        }
        Ok(())
    }

    /// Waits until the app is available, calling `progress` with the provider's status word
    /// (and the newest deployment's, where there is one) at each poll that is not there yet.
    /// Goes through the neutral wait, so every provider is waited for the same way.
    pub(crate) async fn wait_available(
        &self,
        app: &AppId,
        timeout: Duration,
        mut progress: impl FnMut(&str) + Send,
    ) -> Result<App, CliError> {
        let provider = self.provider().await?;
        let options = WaitOptions::new(timeout).with_interval(Duration::from_secs(1));
        let mut report = |state: &App, _waited: Duration| match &state.deployment_status {
            Some(deployment) => progress(&format!("{}, deployment {deployment}", state.raw_status)),
            None => progress(&state.raw_status),
        };
        Ok(provider
            .wait_until_available_with(app, options, Some(&mut report))
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(set: &'static [ProviderKind]) -> impl Fn(ProviderKind) -> bool {
        move |kind| set.contains(&kind)
    }

    #[test]
    fn an_explicit_provider_wins() {
        let kind = choose(Some(ProviderKind::Nodion), None, "apps list", keys(&[])).unwrap();
        assert_eq!(kind, ProviderKind::Nodion);
    }

    #[test]
    fn one_key_in_the_environment_chooses_its_provider() {
        let kind = choose(None, None, "apps list", keys(&[ProviderKind::Nodana])).unwrap();
        assert_eq!(kind, ProviderKind::Nodana);
    }

    #[test]
    fn both_or_no_keys_ask_the_user_to_choose() {
        let both = choose(None, None, "apps list", keys(&ProviderKind::ALL)).unwrap_err();
        assert_eq!(both.exit_code(), 2);
        assert!(both.to_string().contains("--provider"), "{both}");
        let none = choose(None, None, "apps list", keys(&[])).unwrap_err();
        assert_eq!(none.exit_code(), 2);
        assert!(none.to_string().contains("NODANA_API_KEY"), "{none}");
    }

    #[test]
    fn a_provider_specific_command_implies_its_provider() {
        let kind = choose(
            None,
            Some(ProviderKind::Nodion),
            "regions",
            keys(&[ProviderKind::Nodana]),
        )
        .unwrap();
        assert_eq!(kind, ProviderKind::Nodion);
    }

    #[test]
    fn a_provider_specific_command_on_the_other_provider_is_unsupported() {
        let err = choose(
            Some(ProviderKind::Nodana),
            Some(ProviderKind::Nodion),
            "regions",
            keys(&[]),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "`regions` is not supported by nodana");
        assert_eq!(err.exit_code(), 2);
    }
}
