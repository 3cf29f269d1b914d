//! Progress notifications: while a tool call runs, its waits (a poll of `wait_app`, a retry
//! after `Retry-After` or a backoff) are sent to the client as MCP progress notifications, when
//! the client asked for them with a progress token.
//!
//! The request path reports its retries as tracing events (`retrying`, with `wait_ms`); a
//! layer in the dispatcher each tool call runs under turns those of the calling task into
//! messages for that call's sink (a task-local), so concurrent calls never see each other's.

use rmcp::model::{ProgressNotificationParam, ProgressToken};
use rmcp::{Peer, RoleServer};
use std::fmt;
use std::future::Future;
use tokio::sync::mpsc;
use tracing::field::{Field, Visit};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;

/// How often a call that takes long reports that it is still running.
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(5);

tokio::task_local! {
    static SINK: Sink;
}

/// Where one tool call's progress messages go.
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    sender: Option<mpsc::UnboundedSender<String>>,
}

impl Sink {
    /// Sends `message` as progress, when the client asked for progress.
    pub(crate) fn report(&self, message: String) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(message);
        }
    }

    /// The current call's sink (a sink that drops everything outside a call).
    pub(crate) fn current() -> Sink {
        SINK.try_with(Clone::clone).unwrap_or(Sink { sender: None })
    }
}

/// Runs `call` with a progress sink forwarding to `peer` under `token` (when there is one).
pub(crate) async fn with_progress<F: Future>(
    peer: Peer<RoleServer>,
    token: Option<ProgressToken>,
    call: F,
) -> F::Output {
    let Some(token) = token else {
        return SINK.scope(Sink { sender: None }, call).await;
    };
    let (sender, mut receiver) = mpsc::unbounded_channel::<String>();
    let forward = tokio::spawn(async move {
        let mut step = 0u32;
        while let Some(message) = receiver.recv().await {
            step = step.saturating_add(1);
            let params = ProgressNotificationParam::new(token.clone(), f64::from(step))
                .with_message(message);
            // A client that went away only loses its progress, not the call.
            let _ = peer.notify_progress(params).await;
        }
    });
    // A long call (the key's budget is busy, a slow provider) says it is still alive, so a
    // client that resets its timeout on progress does not give up on it.
    let heartbeat = tokio::spawn({
        let sender = sender.clone();
        let started = tokio::time::Instant::now();
        async move {
            let mut ticks = tokio::time::interval_at(started + HEARTBEAT, HEARTBEAT);
            loop {
                ticks.tick().await;
                let waited = started.elapsed().as_secs();
                if sender
                    .send(format!("still working after {waited} s"))
                    .is_err()
                {
                    break;
                }
            }
        }
    });
    let output = SINK
        .scope(
            Sink {
                sender: Some(sender),
            },
            call,
        )
        .await;
    heartbeat.abort();
    let _ = heartbeat.await;
    // The sender is gone with the scope: the forwarder drains what is left and ends.
    let _ = forward.await;
    output
}

/// Turns the request path's `retrying` events into progress messages of the current call.
#[derive(Debug, Default)]
pub(crate) struct RetryEvents;

impl<S: tracing::Subscriber> Layer<S> for RetryEvents {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if !event.metadata().target().starts_with("nodal") {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        if fields.message.as_deref() != Some("retrying") {
            return;
        }
        let wait = fields
            .wait_ms
            .map(|ms| format!("{:.1} s", ms as f64 / 1000.0))
            .unwrap_or_else(|| "a moment".into());
        let why = fields
            .error
            .unwrap_or_else(|| "the provider asked to wait".into());
        Sink::current().report(format!("waiting {wait} before retrying: {why}"));
    }
}

#[derive(Default)]
struct Fields {
    message: Option<String>,
    wait_ms: Option<u64>,
    error: Option<String>,
}

impl Visit for Fields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "wait_ms" {
            self.wait_ms = Some(value);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_text(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.record_text(field, format!("{value:?}"));
    }
}

impl Fields {
    fn record_text(&mut self, field: &Field, text: String) {
        match field.name() {
            "message" => self.message = Some(text),
            "error" => self.error = Some(text),
            _ => {}
        }
    }
}

/// The dispatcher tool calls run under: the retry layer, plus warnings (or `RUST_LOG`) to
/// stderr, since stdout carries the protocol.
pub(crate) fn dispatch() -> tracing::Dispatch {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::layer::SubscriberExt as _;
    // rmcp logs whole MCP messages (tool arguments, results) at debug level: values an agent
    // sent (env values, secret template parameters) must not reach the log, whatever RUST_LOG
    // asks for.
    let filter = match EnvFilter::try_from_default_env() {
        Ok(filter) => match "rmcp=info".parse() {
            Ok(cap) => filter.add_directive(cap),
            Err(_) => filter,
        },
        Err(_) => EnvFilter::new("warn"),
    };
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_filter(filter);
    tracing::Dispatch::new(tracing_subscriber::registry().with(RetryEvents).with(fmt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn retry_events_of_the_call_reach_its_sink() {
        let (sender, mut receiver) = mpsc::unbounded_channel();
        let dispatch = tracing::Dispatch::new(tracing_subscriber::layer::SubscriberExt::with(
            tracing_subscriber::registry(),
            RetryEvents,
        ));
        let _guard = tracing::dispatcher::set_default(&dispatch);
        SINK.scope(
            Sink {
                sender: Some(sender),
            },
            async {
                tracing::warn!(target: "nodal_core", attempt = 1u32, wait_ms = 2000u64, error = "nodana: rate limited", "retrying");
                tracing::warn!(target: "nodal_core", "something else");
            },
        )
        .await;
        let message = receiver.recv().await.unwrap();
        assert_eq!(
            message,
            "waiting 2.0 s before retrying: nodana: rate limited"
        );
        assert!(receiver.try_recv().is_err());
        // Outside a call nothing is reported, and nothing fails.
        tracing::warn!(target: "nodal_core", wait_ms = 1u64, "retrying");
    }
}
