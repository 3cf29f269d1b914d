//! Keeps Nodana's one request per second per key across invocations.
//!
//! Each `nodal` command is a new process, so the client's in-process limiter cannot see the
//! previous command's requests. The guard keeps the time of the key's last request in a small
//! state file, `$XDG_STATE_HOME/nodal/nodana-<hash>.last` (fallback `~/.local/state/nodal/`),
//! named by the first 16 hex digits of `sha256(base_url + "\n" + key)` so neither the key nor
//! anything reversible is written. Before the first request of a command it takes an exclusive
//! lock on that file (parallel invocations queue behind it), waits until one interval (plus a
//! small margin) has passed since the time recorded, and holds the lock until the command ends,
//! when it records the current time.

use sha2::{Digest, Sha256};
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Nodana's documented minimum gap between two requests of one key.
const INTERVAL: Duration = Duration::from_secs(1);
/// Added to the interval: clocks and loopback scheduling are not exact.
const MARGIN: Duration = Duration::from_millis(25);

/// Where the guard would keep its state, decided before anything is locked.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The state file, or why none can be used.
    file: Result<PathBuf, String>,
}

impl Plan {
    /// The plan for `key` at `base_url`, with the state directory from the environment.
    pub(crate) fn for_key(base_url: &str, key: &str) -> Plan {
        Plan::in_dir(state_dir(), base_url, key)
    }

    fn in_dir(dir: Result<PathBuf, String>, base_url: &str, key: &str) -> Plan {
        Plan {
            file: dir.map(|dir| dir.join(format!("nodana-{}.last", key_hash(base_url, key)))),
        }
    }

    /// The state file, if one can be used.
    #[cfg(test)]
    pub(crate) fn path(&self) -> Option<&Path> {
        self.file.as_deref().ok()
    }

    /// Locks the state file and waits until the key may send again. Blocks the thread: call
    /// it from a blocking context. If the state file cannot be used, prints one warning and
    /// waits a whole interval instead of failing.
    pub(crate) fn acquire(self) -> Guard {
        let attempt = self
            .file
            .and_then(|path| lock_and_wait(&path).map_err(|e| format!("{}: {e}", path.display())));
        match attempt {
            Ok(file) => Guard { file: Some(file) },
            Err(why) => {
                eprintln!(
                    "warning: cannot use the rate-limit state ({why}); waiting {}s before the first Nodana request instead",
                    INTERVAL.as_secs()
                );
                std::thread::sleep(INTERVAL);
                Guard { file: None }
            }
        }
    }
}

/// Held for the whole command; records the time of the key's last request when dropped.
#[derive(Debug)]
pub(crate) struct Guard {
    file: Option<File>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(file) = self.file.as_mut()
            && let Err(error) = record_now(file)
        {
            eprintln!("warning: cannot record the time of the last Nodana request: {error}");
        }
        // Closing the file releases the lock.
    }
}

/// The first 16 hex digits of `sha256(base_url + "\n" + key)`.
pub(crate) fn key_hash(base_url: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(base_url.as_bytes());
    hasher.update(b"\n");
    hasher.update(key.as_bytes());
    hasher
        .finalize()
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `$XDG_STATE_HOME/nodal`, or `$HOME/.local/state/nodal`, created with mode 0700.
pub(crate) fn state_dir() -> Result<PathBuf, String> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    let dir = match absolute("XDG_STATE_HOME") {
        Some(state) => state.join("nodal"),
        None => absolute("HOME")
            .map(|home| home.join(".local").join("state").join("nodal"))
            .ok_or("neither XDG_STATE_HOME nor HOME is set to an absolute path")?,
    };
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

fn lock_and_wait(path: &Path) -> io::Result<File> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)?;
    file.lock()?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    if let Ok(last) = text.trim().parse::<u128>() {
        let wait = remaining(last, now_nanos());
        if !wait.is_zero() {
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "waiting for the Nodana key's previous request (another nodal invocation)"
            );
            std::thread::sleep(wait);
        }
    }
    // Recorded now as well, in case this process is killed before it can record the end.
    record_now(&mut file)?;
    Ok(file)
}

/// How long to wait after a request at `last` (ns since the epoch) when it is `now`; never
/// more than one interval, even if the recorded time lies in the future (a clock change).
fn remaining(last: u128, now: u128) -> Duration {
    let gap = INTERVAL + MARGIN;
    let ready = last.saturating_add(gap.as_nanos());
    let wait = ready.saturating_sub(now);
    Duration::from_nanos(u64::try_from(wait).unwrap_or(u64::MAX)).min(gap)
}

fn record_now(file: &mut File) -> io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    writeln!(file, "{}", now_nanos())?;
    file.flush()
}

fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::time::Instant;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "nodal-guard-{name}-{}-{}",
            std::process::id(),
            now_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_hash_depends_on_url_and_key_and_shows_neither() {
        let a = key_hash("http://127.0.0.1:1/nodana/v1", "secret-key");
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, key_hash("http://127.0.0.1:2/nodana/v1", "secret-key"));
        assert_ne!(a, key_hash("http://127.0.0.1:1/nodana/v1", "other-key"));
        assert_eq!(a, key_hash("http://127.0.0.1:1/nodana/v1", "secret-key"));
    }

    #[test]
    fn remaining_is_the_rest_of_the_interval_and_never_more() {
        let second = 1_000_000_000u128;
        assert_eq!(remaining(0, 10 * second), Duration::ZERO);
        let left = remaining(10 * second, 10 * second + second / 2);
        assert_eq!(left, Duration::from_millis(525));
        assert_eq!(remaining(100 * second, second), INTERVAL + MARGIN);
    }

    #[test]
    fn a_second_acquire_waits_for_the_first_and_the_file_holds_only_a_time() {
        let dir = temp_dir("wait");
        let plan = Plan::in_dir(Ok(dir.clone()), "http://x/v1", "the-key");
        let path = plan.path().unwrap().to_owned();
        drop(plan.clone().acquire());
        let start = Instant::now();
        drop(plan.acquire());
        assert!(start.elapsed() >= INTERVAL, "{:?}", start.elapsed());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.trim().parse::<u128>().is_ok(), "{text}");
        assert!(!text.contains("the-key"));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_unusable_state_dir_falls_back_to_a_plain_wait() {
        let plan = Plan::in_dir(Err("no state dir".into()), "http://x/v1", "k");
        let start = Instant::now();
        let guard = plan.acquire();
        assert!(start.elapsed() >= INTERVAL);
        assert!(guard.file.is_none());
    }
}
