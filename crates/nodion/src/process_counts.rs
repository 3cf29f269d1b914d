//! The instance counts processes had before the neutral `stop_app` scaled them to 0, so
//! `start_app` can give each process its own count back.
//!
//! Nodion stops a process by scaling it to 0 and keeps no memory of the count it had, so the
//! client keeps it: in memory by default (shared by clones and project views of one client), or
//! in files ([`FileProcessCounts`], chosen with
//! [`NodionClientBuilder::process_counts_dir`]) so a `stop` and a later `start` in two separate
//! processes (two CLI invocations) agree.

use crate::client::{NodionClientBuilder, lock};
use crate::ids::ProcessId;
use crate::protocol::PROVIDER;
use nodal_core::{AppId, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The instance count of each process of one app before it was stopped (only counts > 0).
pub type StoppedCounts = BTreeMap<ProcessId, u32>;

/// Where the client keeps [`StoppedCounts`] between `stop_app` and `start_app`, keyed by the
/// API's base URL and the app id.
///
/// `stop_app` saves the counts **before** it sends the first `PATCH`; `start_app` reads them,
/// and clears them once every process is started. Implementations are called from async code
/// and should be quick (small local reads and writes).
///
/// ```
/// use nodal_core::AppId;
/// use nodal_nodion::{MemoryProcessCounts, ProcessCountStore, ProcessId, StoppedCounts};
///
/// let store = MemoryProcessCounts::new();
/// let app = AppId::from("a-1");
/// let counts = StoppedCounts::from([(ProcessId::from("web"), 2), (ProcessId::from("worker"), 1)]);
/// store.save("https://api.nodion.com/v1", &app, &counts)?;
/// assert_eq!(store.load("https://api.nodion.com/v1", &app)?, Some(counts));
/// assert_eq!(store.load("http://127.0.0.1:9/v1", &app)?, None);
/// store.clear("https://api.nodion.com/v1", &app)?;
/// assert_eq!(store.load("https://api.nodion.com/v1", &app)?, None);
/// # Ok::<(), nodal_core::Error>(())
/// ```
pub trait ProcessCountStore: Send + Sync + fmt::Debug {
    /// The counts saved for `app` of the API at `base_url`, if any.
    fn load(&self, base_url: &str, app: &AppId) -> Result<Option<StoppedCounts>>;
    /// Saves the counts for `app`, replacing what was saved before.
    fn save(&self, base_url: &str, app: &AppId, counts: &StoppedCounts) -> Result<()>;
    /// Forgets the counts of `app` (nothing saved is not an error).
    fn clear(&self, base_url: &str, app: &AppId) -> Result<()>;
}

/// Counts kept in memory: the default. Lives as long as the client (and its clones).
#[derive(Debug, Default)]
pub struct MemoryProcessCounts {
    entries: Mutex<HashMap<(String, AppId), StoppedCounts>>,
}

impl MemoryProcessCounts {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl ProcessCountStore for MemoryProcessCounts {
    fn load(&self, base_url: &str, app: &AppId) -> Result<Option<StoppedCounts>> {
        Ok(lock(&self.entries)
            .get(&(base_url.to_owned(), app.clone()))
            .cloned())
    }

    fn save(&self, base_url: &str, app: &AppId, counts: &StoppedCounts) -> Result<()> {
        lock(&self.entries).insert((base_url.to_owned(), app.clone()), counts.clone());
        Ok(())
    }

    fn clear(&self, base_url: &str, app: &AppId) -> Result<()> {
        lock(&self.entries).remove(&(base_url.to_owned(), app.clone()));
        Ok(())
    }
}

/// Counts kept in files, one JSON file per base URL and app in one directory, so they
/// survive the process (e.g. `nodal apps stop` and a later `nodal apps start`).
///
/// The directory is created on first use with mode 0700 and each file with mode 0600 (on
/// Unix). A file is written to a fresh temporary name and renamed into place; a directory or
/// file that is a symbolic link is refused ([`Error::Config`]) rather than followed. The file
/// name is `nodion-stopped-<app>-<hash>.json`, the hash (FNV-1a, 64 bits) covering the base URL
/// and the app id; the file also holds both, and a file whose content names another base URL
/// or app is ignored.
///
/// ```
/// use nodal_core::AppId;
/// use nodal_nodion::{FileProcessCounts, ProcessCountStore, ProcessId, StoppedCounts};
///
/// let dir = std::env::temp_dir().join(format!("nodal-doc-counts-{}", std::process::id()));
/// let app = AppId::from("0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10");
/// let counts = StoppedCounts::from([(ProcessId::from("web"), 2)]);
/// FileProcessCounts::new(&dir).save("https://api.nodion.com/v1", &app, &counts)?;
/// // Another store on the same directory (another process) reads them back.
/// assert_eq!(FileProcessCounts::new(&dir).load("https://api.nodion.com/v1", &app)?, Some(counts));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), nodal_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FileProcessCounts {
    dir: PathBuf,
}

/// The content of one file.
#[derive(Serialize, Deserialize)]
struct CountsFile {
    base_url: String,
    app: AppId,
    processes: StoppedCounts,
}

impl FileProcessCounts {
    /// A store in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileProcessCounts { dir: dir.into() }
    }

    /// The directory the files are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds the counts of `app` at `base_url`.
    pub fn path_for(&self, base_url: &str, app: &AppId) -> PathBuf {
        let readable: String = app
            .as_str()
            .chars()
            .take(64)
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let hash = fnv1a(&[base_url.as_bytes(), b"\n", app.as_str().as_bytes()]);
        self.dir
            .join(format!("nodion-stopped-{readable}-{hash:016x}.json"))
    }

    fn fail(&self, path: &Path, what: &str, err: impl fmt::Display) -> Error {
        Error::Config {
            provider: PROVIDER,
            message: format!(
                "cannot {what} the saved process counts at {}: {err}",
                path.display()
            ),
        }
    }

    /// Creates the directory (0700) when it is missing; refuses one that is a symbolic link
    /// or not a directory.
    fn ensure_dir(&self) -> Result<()> {
        match fs::symlink_metadata(&self.dir) {
            Ok(meta) if meta.file_type().is_symlink() => Err(self.fail(
                &self.dir,
                "use",
                "the directory is a symbolic link, which is not followed",
            )),
            Ok(meta) if !meta.is_dir() => Err(self.fail(&self.dir, "use", "it is not a directory")),
            Ok(_) => Ok(()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                let mut builder = fs::DirBuilder::new();
                builder.recursive(true);
                #[cfg(unix)]
                std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
                builder
                    .create(&self.dir)
                    .map_err(|err| self.fail(&self.dir, "create", err))
            }
            Err(err) => Err(self.fail(&self.dir, "use", err)),
        }
    }

    /// Whether `path` exists as a regular file (`false`: absent); refuses a symbolic link.
    fn check_file(&self, path: &Path) -> Result<bool> {
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => Err(self.fail(
                path,
                "use",
                "the file is a symbolic link, which is not followed",
            )),
            Ok(meta) if !meta.is_file() => Err(self.fail(path, "use", "it is not a file")),
            Ok(_) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(self.fail(path, "read", err)),
        }
    }
}

impl ProcessCountStore for FileProcessCounts {
    fn load(&self, base_url: &str, app: &AppId) -> Result<Option<StoppedCounts>> {
        if let Ok(meta) = fs::symlink_metadata(&self.dir)
            && meta.file_type().is_symlink()
        {
            return Err(self.fail(
                &self.dir,
                "use",
                "the directory is a symbolic link, which is not followed",
            ));
        }
        let path = self.path_for(base_url, app);
        if !self.check_file(&path)? {
            return Ok(None);
        }
        let text = fs::read_to_string(&path).map_err(|err| self.fail(&path, "read", err))?;
        let file: CountsFile = serde_json::from_str(&text).map_err(|err| {
            self.fail(
                &path,
                "read",
                format!("{err}; delete the file to start the processes with default counts"),
            )
        })?;
        if file.base_url != base_url || &file.app != app {
            tracing::debug!(path = %path.display(), "the process-count file names another API or app; ignored");
            return Ok(None);
        }
        Ok(Some(file.processes))
    }

    fn save(&self, base_url: &str, app: &AppId, counts: &StoppedCounts) -> Result<()> {
        self.ensure_dir()?;
        let path = self.path_for(base_url, app);
        self.check_file(&path)?;
        let body = serde_json::to_vec_pretty(&CountsFile {
            base_url: base_url.to_owned(),
            app: app.clone(),
            processes: counts.clone(),
        })
        .map_err(|err| self.fail(&path, "write", err))?;
        static SEQUENCE: AtomicU64 = AtomicU64::new(0);
        let temp = self.dir.join(format!(
            ".nodion-stopped-{}-{}.tmp",
            std::process::id(),
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| -> io::Result<()> {
            let mut options = OpenOptions::new();
            // `create_new` never follows a symbolic link at the temporary name.
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&temp)?;
            file.write_all(&body)?;
            file.sync_all()?;
            // Renaming replaces the name itself; it never writes through a link.
            fs::rename(&temp, &path)
        })();
        written.map_err(|err| {
            let _ = fs::remove_file(&temp);
            self.fail(&path, "write", err)
        })
    }

    fn clear(&self, base_url: &str, app: &AppId) -> Result<()> {
        let path = self.path_for(base_url, app);
        if !self.check_file(&path)? {
            return Ok(());
        }
        fs::remove_file(&path).map_err(|err| self.fail(&path, "remove", err))
    }
}

/// FNV-1a, 64 bits, over the concatenated parts: a stable file-name hash without a dependency.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|part| part.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The store a client uses; shared by its clones and project views.
#[derive(Debug, Clone)]
pub(crate) struct CountStore(pub(crate) Arc<dyn ProcessCountStore>);

impl Default for CountStore {
    fn default() -> Self {
        CountStore(Arc::new(MemoryProcessCounts::new()))
    }
}

impl NodionClientBuilder {
    /// Keeps the counts `stop_app` saves for `start_app` in files in `dir` (one per base URL
    /// and app, see [`FileProcessCounts`]), so a stop and a start in two separate processes
    /// agree. Without it they are kept in memory, shared by the client's clones.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join("nodal-example-state");
    /// let client = nodal_nodion::NodionClient::builder()
    ///     .user_key("nk_user_example")
    ///     .process_counts_dir(&dir)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), nodal_core::Error>(())
    /// ```
    pub fn process_counts_dir(self, dir: impl Into<PathBuf>) -> Self {
        self.process_count_store(FileProcessCounts::new(dir))
    }

    /// Keeps the counts `stop_app` saves for `start_app` in `store` (see
    /// [`ProcessCountStore`]).
    pub fn process_count_store(mut self, store: impl ProcessCountStore + 'static) -> Self {
        self.process_counts = Some(CountStore(Arc::new(store)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "nodal-counts-{name}-{}-{}",
            std::process::id(),
            fnv1a(&[name.as_bytes()])
        ));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn counts() -> StoppedCounts {
        StoppedCounts::from([(ProcessId::from("web"), 2), (ProcessId::from("worker"), 1)])
    }

    #[test]
    fn files_round_trip_per_base_url_and_app_with_private_modes() {
        let dir = temp_dir("roundtrip").join("nested");
        let store = FileProcessCounts::new(&dir);
        let app = AppId::from("a/../1");
        assert_eq!(store.load("http://x/v1", &app).unwrap(), None);
        store.save("http://x/v1", &app, &counts()).unwrap();
        store
            .save("http://y/v1", &app, &StoppedCounts::new())
            .unwrap();
        assert_eq!(store.load("http://x/v1", &app).unwrap(), Some(counts()));
        assert_eq!(
            store.load("http://y/v1", &app).unwrap(),
            Some(StoppedCounts::new())
        );
        let path = store.path_for("http://x/v1", &app);
        assert_eq!(path.parent(), Some(dir.as_path()));
        assert!(
            path.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("nodion-stopped-a____1-")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&path), 0o600);
        }
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
        store.clear("http://x/v1", &app).unwrap();
        store.clear("http://x/v1", &app).unwrap();
        assert_eq!(store.load("http://x/v1", &app).unwrap(), None);
        let _ = fs::remove_dir_all(dir.parent().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_refused() {
        let root = temp_dir("symlinks");
        fs::create_dir_all(root.join("real")).unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("link")).unwrap();
        let app = AppId::from("a-1");
        let via_link = FileProcessCounts::new(root.join("link"));
        let err = via_link.save("http://x/v1", &app, &counts()).unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(via_link.load("http://x/v1", &app).is_err());

        let store = FileProcessCounts::new(root.join("real"));
        let target = root.join("elsewhere.json");
        fs::write(&target, "{}").unwrap();
        std::os::unix::fs::symlink(&target, store.path_for("http://x/v1", &app)).unwrap();
        for err in [
            store.save("http://x/v1", &app, &counts()).unwrap_err(),
            store.load("http://x/v1", &app).unwrap_err(),
            store.clear("http://x/v1", &app).unwrap_err(),
        ] {
            assert!(err.to_string().contains("symbolic link"), "{err}");
        }
        assert_eq!(fs::read_to_string(&target).unwrap(), "{}");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_corrupt_file_is_an_error_that_says_what_to_do() {
        let dir = temp_dir("corrupt");
        let store = FileProcessCounts::new(&dir);
        let app = AppId::from("a-1");
        store.save("http://x/v1", &app, &counts()).unwrap();
        fs::write(store.path_for("http://x/v1", &app), "not json").unwrap();
        let err = store.load("http://x/v1", &app).unwrap_err();
        assert!(err.to_string().contains("delete the file"), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn memory_is_keyed_by_base_url_and_app() {
        let store = MemoryProcessCounts::new();
        let app = AppId::from("a-1");
        store.save("http://x/v1", &app, &counts()).unwrap();
        assert_eq!(
            store.load("http://x/v1", &AppId::from("a-2")).unwrap(),
            None
        );
        assert_eq!(store.load("http://x/v1", &app).unwrap(), Some(counts()));
    }
}
