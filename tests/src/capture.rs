//! Capturing what the process logs, to assert on log content: every tracing event and span at
//! TRACE, plus the `log` records of dependencies that log through the `log` crate (reqwest does,
//! and its verbose connection mode would write raw bytes, headers included, at TRACE).

use std::sync::{Arc, Mutex, MutexGuard, Once, OnceLock};
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Collects everything a tracing subscriber writes. Clones share the buffer.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }

    fn bytes(&self) -> MutexGuard<'_, Vec<u8>> {
        // A panic while holding the lock leaves the bytes intact; keep reading them.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Captures, on the current thread, every event at TRACE and every span's opening and closing
/// (with their fields), until the guard is dropped. `log` records are forwarded too.
///
/// Events on other threads are not seen: use it with a `current_thread` runtime (the default of
/// `#[tokio::test]`), where spawned tasks run on this thread.
pub fn capture_at_trace() -> (Captured, DefaultGuard) {
    capture_with("trace")
}

/// Like [`capture_at_trace`], but silences the in-process fake servers (`nodal_sim`, `httpmock`),
/// whose own request logs are not the client's: a canary must not appear in what *nodal* (and
/// the HTTP stack under it) writes.
pub fn capture_client_at_trace() -> (Captured, DefaultGuard) {
    capture_with("trace,nodal_sim=off,httpmock=off")
}

/// Captures what the client writes (as [`capture_client_at_trace`]) on **every** thread, for the
/// rest of the process: the subscriber is the global default, installed on the first call; later
/// calls return the same buffer, so that events from blocking-pool threads (DNS lookups, for
/// instance) are seen too. Nothing else in the suite installs a global subscriber. Under
/// nextest each test is a process of its own; under `cargo test` the buffer holds every test of
/// the binary that ran alongside.
pub fn global_client_capture() -> &'static Captured {
    static GLOBAL: OnceLock<Captured> = OnceLock::new();
    GLOBAL.get_or_init(|| {
        forward_log_records();
        let captured = Captured::default();
        let subscriber = subscriber("trace,nodal_sim=off,httpmock=off", &captured);
        if tracing::subscriber::set_global_default(subscriber).is_err() {
            // Someone else owns the global default: fail loudly rather than check nothing.
            panic!("a global tracing subscriber was already installed; run the canary in its own binary");
        }
        captured
    })
}

fn capture_with(directives: &str) -> (Captured, DefaultGuard) {
    forward_log_records();
    let captured = Captured::default();
    let guard = tracing::subscriber::set_default(subscriber(directives, &captured));
    (captured, guard)
}

fn subscriber(directives: &str, captured: &Captured) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(directives))
        .with_writer(captured.clone())
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_ansi(false)
        .finish()
}

/// Installs the process-wide `log` → tracing bridge once. Records then reach whichever
/// subscriber is the default on the thread that logs them.
fn forward_log_records() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only if another logger is installed already, which then keeps its records.
        let _ = tracing_log::LogTracer::init();
    });
}
