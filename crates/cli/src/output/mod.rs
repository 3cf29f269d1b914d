//! Everything the tool prints: tables for people, JSON for scripts, progress on stderr, and
//! one-time credentials.

pub(crate) mod credentials;
pub(crate) mod sanitize;
pub(crate) mod spinner;
pub(crate) mod table;
pub(crate) mod views;

use crate::exit::{CliError, JsonError};
use serde::Serialize;
use std::io::{self, IsTerminal, Write};

pub(crate) use sanitize::sanitize;
pub(crate) use table::{Cell, Table, Tone};

/// How to print: JSON or tables, colour or not, a spinner or plain progress lines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    /// `--json`: one JSON document on stdout.
    pub(crate) json: bool,
    /// Colour on stdout (a terminal, and `NO_COLOR` unset).
    pub(crate) color: bool,
    /// Colour on stderr.
    pub(crate) color_stderr: bool,
    /// stderr is a terminal: progress may redraw one line (a spinner).
    pub(crate) stderr_tty: bool,
}

impl Output {
    /// Looks at the terminal and `NO_COLOR` (any non-empty value turns colour off).
    pub(crate) fn detect(json: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        Output {
            json,
            color: stdout_tty && !no_color && !json,
            color_stderr: stderr_tty && !no_color,
            stderr_tty,
        }
    }

    /// Prints `value` as JSON in JSON mode, otherwise the table `human` builds.
    pub(crate) fn show<T: Serialize + ?Sized>(
        &self,
        value: &T,
        human: impl FnOnce() -> Table,
    ) -> Result<(), CliError> {
        if self.json {
            self.print_json(value)
        } else {
            print_stdout(&human().render(self.color));
            Ok(())
        }
    }

    /// Prints one JSON document on stdout.
    pub(crate) fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        let mut text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::Failed(format!("cannot write the answer as JSON: {e}")))?;
        text.push('\n');
        print_stdout(&text);
        Ok(())
    }

    /// Prints text for people on stdout (nothing in JSON mode).
    pub(crate) fn say(&self, text: &str) {
        if !self.json {
            print_stdout(text);
        }
    }

    /// Reports an error: a JSON document on stdout in JSON mode, otherwise one line on stderr
    /// (sanitised: control characters a provider put in its message are shown escaped).
    pub(crate) fn error(&self, error: &CliError) {
        if matches!(error, CliError::Reported(_)) {
            return;
        }
        if self.json {
            // Serializing this small struct cannot fail; if it did, fall back to the line.
            if self.print_json(&JsonError::from(error)).is_ok() {
                return;
            }
        }
        let prefix = if self.color_stderr {
            "\x1b[31merror:\x1b[0m"
        } else {
            "error:"
        };
        // The message carries the provider's words: one line, whatever they hold.
        print_stderr(&format!("{prefix} {}\n", sanitize(&error.to_string())));
    }
}

/// Writes to stdout; a closed pipe (`nodal apps list | head -1`) is not an error worth a panic.
pub(crate) fn print_stdout(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes to stderr, ignoring failures for the same reason.
pub(crate) fn print_stderr(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}
