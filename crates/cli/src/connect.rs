//! Choosing the provider and building its client, from the environment only.

use crate::exit::CliError;
use crate::state;
use nodal::RateBudget;
use nodal::SecretString;
use nodal::nodana::{NodanaClient, NodanaClientBuilder};
use nodal::nodion::{NodionClient, NodionClientBuilder};
use nodal::{App, AppId, AppStatus, Capabilities, Provider, ProviderKind, WaitOptions, WaitUntil};
use std::path::{Path, PathBuf};
use std::sync::PoisonError;
use std::time::Duration;
use tokio::sync::Notify;

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

/// A client that could not be built may say why with its base URL: whatever the library's
/// message holds, the URL's user, password, query and fragment (where a key may sit) never
/// reach the CLI's error line.
fn hide_url_secrets(error: nodal::Error, kind: ProviderKind) -> CliError {
    let var = match kind {
        ProviderKind::Nodana => "NODANA_API_BASE_URL",
        _ => "NODION_API_BASE_URL",
    };
    let raw = std::env::var(var).unwrap_or_default();
    url_secrets(&raw)
        .into_iter()
        .fold(CliError::Api(error), |error, secret| {
            CliError::scrubbed(error, &SecretString::from(secret))
        })
}

/// The parts of a (possibly malformed) URL that must not be shown: each part of the userinfo,
/// the whole userinfo, the query and the fragment. Found by hand, so a URL the parser refuses
/// is covered too.
pub(crate) fn url_secrets(raw: &str) -> Vec<String> {
    let mut secrets = Vec::new();
    let (rest, fragment) = match raw.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (raw, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    let after_scheme = rest.split_once("://").map_or(rest, |(_, after)| after);
    let authority = after_scheme.split('/').next().unwrap_or_default();
    if let Some((userinfo, _host)) = authority.rsplit_once('@') {
        secrets.push(userinfo.to_owned());
        secrets.extend(userinfo.split(':').map(str::to_owned));
    }
    secrets.extend(query.map(str::to_owned));
    secrets.extend(
        query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .flat_map(|pair| pair.split_once('=').map(|(_, value)| value.to_owned())),
    );
    secrets.extend(fragment.map(str::to_owned));
    secrets.retain(|s| !s.is_empty());
    // Longest first, so a part inside a longer secret does not leave the rest of it behind.
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    secrets.dedup();
    secrets
}

/// Nodion projects are UUIDs (`5903725b-...`): anything else is refused before sending, naming
/// where it came from (`--project` or `NODION_PROJECT`).
pub(crate) fn check_nodion_project(project: &str, source: &str) -> Result<(), CliError> {
    if is_uuid(project) {
        Ok(())
    } else {
        Err(CliError::usage(format!(
            "{source} `{}` is not a Nodion project id: Nodion projects are UUIDs such as 5903725b-7c1e-4d0a-9a51-0e2b8c6a7f10 (`nodal projects list`). Nothing was sent",
            crate::output::sanitize(project)
        )))
    }
}

/// `8-4-4-4-12` hex digits, any case.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether the provider's API key variable holds something.
pub(crate) fn key_in_env(kind: ProviderKind) -> bool {
    kind.has_key_in_env()
}

/// The typed client of the chosen provider.
#[derive(Debug)]
pub(crate) enum Client {
    /// Nodana.
    Nodana(NodanaClient),
    /// Nodion, already narrowed to `--project` when given.
    Nodion(NodionClient),
}

/// A connected provider. Its client spends the key's shared rate budget (the file store in
/// the state directory, or `NODAL_RATE_LIMIT_URL`), one reservation per request, so parallel
/// `nodal` commands stay within the provider's limit without waiting for each other's end.
#[derive(Debug)]
pub(crate) struct Connection {
    client: Client,
}

impl Connection {
    /// Builds the client for `kind` from its environment variables. `project` is the `--project`
    /// flag: on Nodion it selects the project view (otherwise `NODION_PROJECT`, read by the
    /// client itself, or the key's default project).
    pub(crate) fn from_env(kind: ProviderKind, project: Option<&str>) -> Result<Self, CliError> {
        let key_var = kind.api_key_var();
        if !std::env::var(key_var).is_ok_and(|key| !key.trim().is_empty()) {
            return Err(CliError::usage(format!(
                "{key_var} is not set: export your {kind} API key first (nodal reads tokens only from the environment)"
            )));
        }
        // Every nodal process shares the key's budget; without a place for it, nothing is sent.
        let budget = RateBudget::shared_local()?;
        match kind {
            ProviderKind::Nodana => {
                let client = NodanaClientBuilder::from_env()
                    .and_then(|builder| builder.rate_budget(budget).build())
                    .map_err(|e| hide_url_secrets(e, kind))?;
                Ok(Connection {
                    client: Client::Nodana(client),
                })
            }
            _ => {
                let mut builder = NodionClientBuilder::from_env()
                    .map_err(|e| hide_url_secrets(e, kind))?
                    .rate_budget(budget);
                // `apps stop` and a later `apps start` are two processes: the counts the stop
                // saves must be on disk for the start to give each process its own back.
                match state::state_dir() {
                    Ok(dir) => builder = builder.process_counts_dir(process_counts_dir(&dir)),
                    Err(why) => tracing::warn!(
                        "no state directory ({why}): `apps stop` keeps the process counts in memory only, so a later `apps start` cannot restore them"
                    ),
                }
                // A typo'd project would otherwise come back as a missing scope.
                if let Ok(from_env) = std::env::var("NODION_PROJECT")
                    && project.is_none()
                    && !from_env.trim().is_empty()
                {
                    check_nodion_project(from_env.trim(), "NODION_PROJECT")?;
                }
                if let Some(project) = project {
                    check_nodion_project(project, "--project")?;
                }
                let mut client = builder.build().map_err(|e| hide_url_secrets(e, kind))?;
                if let Some(project) = project {
                    client = client.project(project);
                }
                Ok(Connection {
                    client: Client::Nodion(client),
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
        Ok(self.as_provider())
    }

    /// The typed Nodana client, ready to send; `command` is not supported on Nodion.
    pub(crate) async fn nodana(&self, command: &str) -> Result<&NodanaClient, CliError> {
        match &self.client {
            Client::Nodana(client) => Ok(client),
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

    /// Waits until the app is available, calling `progress` with the provider's status word
    /// (and the newest deployment's, where there is one) at each poll that is not there yet.
    /// Goes through the neutral wait, so every provider is waited for the same way, and ends
    /// at once (instead of at the deadline) when the app is seen stopped at two polls in a
    /// row: a stopped app does not become available by waiting. `stopped_hint` is what to do
    /// about it, for the message.
    pub(crate) async fn wait_available(
        &self,
        app: &AppId,
        timeout: Duration,
        stopped_hint: &str,
        mut progress: impl FnMut(&str) + Send,
    ) -> Result<App, CliError> {
        let provider = self.provider().await?;
        let options = WaitOptions::new(timeout).with_interval(Duration::from_secs(1));
        let stuck = std::sync::Mutex::new(None::<String>);
        let give_up = Notify::new();
        let mut stopped_polls = 0u32;
        let mut report = |state: &App, _waited: Duration| {
            match &state.deployment_status {
                Some(deployment) => {
                    progress(&format!("{}, deployment {deployment}", state.raw_status))
                }
                None => progress(&state.raw_status),
            }
            // Two polls, not one: a start just sent may not show yet.
            stopped_polls = if state.status == AppStatus::Stopped {
                stopped_polls + 1
            } else {
                0
            };
            if stopped_polls >= 2 {
                let mut slot = stuck.lock().unwrap_or_else(PoisonError::into_inner);
                *slot = Some(state.raw_status.clone());
                give_up.notify_one();
            }
        };
        let wait = provider.wait_until_available_with(app, options, Some(&mut report));
        tokio::select! {
            result = wait => Ok(result?),
            () = give_up.notified() => {
                let raw = stuck
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone()
                    .unwrap_or_default();
                Err(CliError::Api(nodal::Error::Conflict {
                    provider: provider.name(),
                    message: format!(
                        "app {app} is stopped (status `{raw}`) and will not become available by waiting; {stopped_hint}"
                    ),
                }))
            }
        }
    }

    /// Waits until the app is stopped (`apps stop --wait`), calling `progress` with the
    /// provider's status word at each poll that is not there yet.
    pub(crate) async fn wait_stopped(
        &self,
        app: &AppId,
        timeout: Duration,
        mut progress: impl FnMut(&str) + Send,
    ) -> Result<App, CliError> {
        let provider = self.provider().await?;
        let options = WaitOptions::new(timeout).with_interval(Duration::from_secs(1));
        let stopped = WaitUntil::new(provider.name(), format!("app {app} to stop"))
            .options(options)
            .describe(|state: &App| format!("status `{}`", state.raw_status))
            .on_progress(|state: &App, _| progress(&state.raw_status))
            .run(
                || async {
                    let state = provider.get_app(app).await?;
                    if state.status == AppStatus::Deleted {
                        return Err(nodal::Error::Conflict {
                            provider: provider.name(),
                            message: format!("app {app} was deleted while waiting for it to stop"),
                        });
                    }
                    Ok(state)
                },
                |state| state.status == AppStatus::Stopped,
            )
            .await?;
        Ok(stopped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(set: &'static [ProviderKind]) -> impl Fn(ProviderKind) -> bool {
        move |kind| set.contains(&kind)
    }

    #[test]
    fn url_secrets_cover_userinfo_query_and_fragment() {
        let secrets = url_secrets("http://user:pa55word@host:1/v1?api_key=QUERYKEY&x=1#FRAGKEY");
        for part in [
            "user:pa55word",
            "pa55word",
            "user",
            "api_key=QUERYKEY&x=1",
            "QUERYKEY",
            "FRAGKEY",
        ] {
            assert!(secrets.iter().any(|s| s == part), "{part}: {secrets:?}");
        }
        assert!(url_secrets("https://api.nodana.io/v1").is_empty());
        let parts = url_secrets("http://:KEY@host");
        assert!(
            parts.contains(&"KEY".to_owned()) && parts.contains(&":KEY".to_owned()),
            "{parts:?}"
        );
    }

    #[test]
    fn nodion_projects_must_be_uuids() {
        assert!(check_nodion_project("5903725b-7c1e-4d0a-9a51-0e2b8c6a7f10", "--project").is_ok());
        assert!(check_nodion_project("5903725B-7C1E-4D0A-9A51-0E2B8C6A7F10", "--project").is_ok());
        for bad in [
            "5903725b-7c1e-4d0a-9a51-0e2b8c6a7f1",
            "5903725b7c1e4d0a9a510e2b8c6a7f10",
            "prj-5fd3",
            "5903725b-7c1e-4d0a-9a51-0e2b8c6a7f1g",
        ] {
            let err = check_nodion_project(bad, "NODION_PROJECT").unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains("NODION_PROJECT"), "{err}");
        }
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
