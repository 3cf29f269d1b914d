//! Progress while waiting, on stderr: a spinner on a terminal, otherwise one plain line each
//! time the state changes (logs and CI stay readable).

use super::{Output, print_stderr, sanitize};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TICK: Duration = Duration::from_millis(100);

/// A wait in progress.
#[derive(Debug)]
pub(crate) struct Progress {
    label: String,
    started: Instant,
    /// The state shown by the spinner task; `None` once stopped. The task prints while holding
    /// the lock, so nothing is drawn after the line was cleared.
    shown: Arc<Mutex<Option<String>>>,
    /// The spinner task, on a terminal.
    spinner: Option<JoinHandle<()>>,
    /// The last state printed as a line, elsewhere.
    last_line: Option<String>,
}

impl Progress {
    /// Starts showing progress for `label` (e.g. `waiting for app a-1`).
    pub(crate) fn start(label: impl Into<String>, out: &Output) -> Self {
        let label = sanitize(&label.into()).into_owned();
        let started = Instant::now();
        let shown = Arc::new(Mutex::new(Some("starting".to_owned())));
        let spinner = out.stderr_tty.then(|| {
            let shown = Arc::clone(&shown);
            let label = label.clone();
            tokio::spawn(async move {
                let mut ticker = tokio::time::interval(TICK);
                for frame in FRAMES.iter().cycle() {
                    ticker.tick().await;
                    let state = shown.lock().unwrap_or_else(PoisonError::into_inner);
                    let Some(state) = state.as_deref() else {
                        break;
                    };
                    print_stderr(&format!(
                        "\r\x1b[2K{frame} {label}: {state} ({}s)",
                        started.elapsed().as_secs()
                    ));
                }
            })
        });
        Progress {
            label,
            started,
            shown,
            spinner,
            last_line: None,
        }
    }

    /// The state seen at the latest poll (the provider's words: sanitised before shown).
    pub(crate) fn update(&mut self, state: &str) {
        let state = &*sanitize(state);
        if self.spinner.is_some() {
            *self.shown.lock().unwrap_or_else(PoisonError::into_inner) = Some(state.to_owned());
        } else if self.last_line.as_deref() != Some(state) {
            print_stderr(&format!(
                "{}: {state} ({}s)\n",
                self.label,
                self.started.elapsed().as_secs()
            ));
            self.last_line = Some(state.to_owned());
        }
    }

    /// Ends the progress display with one final line.
    pub(crate) fn finish(mut self, outcome: &str) {
        let outcome = &*sanitize(outcome);
        self.stop_spinner();
        print_stderr(&format!(
            "{}: {outcome} ({:.1}s)\n",
            self.label,
            self.started.elapsed().as_secs_f64()
        ));
    }

    fn stop_spinner(&mut self) {
        if let Some(task) = self.spinner.take() {
            let mut shown = self.shown.lock().unwrap_or_else(PoisonError::into_inner);
            *shown = None;
            print_stderr("\r\x1b[2K");
            drop(shown);
            task.abort();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // A wait that failed still leaves a clean line for the error message.
        self.stop_spinner();
    }
}
