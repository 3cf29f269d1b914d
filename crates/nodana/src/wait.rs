//! Waiting for an app to come up, on top of the core's [`WaitUntil`].

use crate::apps::App;
use crate::client::NodanaClient;
use crate::protocol::PROVIDER;
use nodal_core::{AppId, AppStatus as Neutral, Error, Result, WaitOptions, WaitUntil};
use std::time::Duration;

/// Polls the app until it is available: the one wait behind both the typed
/// `AppsApi::wait_until_available*` and the neutral `Apps::wait_until_available_with`. Every
/// poll is an ordinary request, so it waits for the shared limiter; the interval is also raised
/// to the limiter's so a wait never queues polls.
pub(crate) async fn until_available(
    client: &NodanaClient,
    id: &AppId,
    options: WaitOptions,
    progress: impl FnMut(&App, Duration) + Send,
) -> Result<App> {
    let options = options.with_interval(options.interval.max(client.min_interval()));
    WaitUntil::new(PROVIDER, format!("app {id} to become available"))
        .options(options)
        .on_progress(progress)
        .describe(|app: &App| format!("status `{}`", app.status_word()))
        .run(
            || async {
                let app = client.apps().get(id).await?;
                match app.normalized_status() {
                    Neutral::Deleted => Err(never_available(id, &app, "was deleted")),
                    Neutral::Failed => Err(never_available(id, &app, "failed")),
                    _ => Ok(app),
                }
            },
            |app| app.is_available(),
        )
        .await
}

fn never_available(id: &AppId, app: &App, what: &str) -> Error {
    Error::Conflict {
        provider: PROVIDER,
        message: format!(
            "app {id} {what} (status `{}`) while waiting for it to become available; it will not become available by waiting",
            app.status_word()
        ),
    }
}
