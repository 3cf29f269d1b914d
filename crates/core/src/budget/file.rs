//! The file store: one small record per key in a private directory, shared by every process
//! on the machine that uses the directory.
//!
//! Each operation locks the key's file, reads the record, decides, writes it back and unlocks:
//! microseconds, so no process ever waits for another's whole command, and the reservation is
//! on disk before the request is sent. The operations are synchronous on purpose: they are
//! short, and a request abandoned mid-flight can then settle from `Drop`.

use super::gcra::{self, LaneState};
use super::{BudgetStore, Claim, Lane, Lease};
use crate::error::BoxError;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(crate) struct FileStore {
    dir: PathBuf,
    /// Set once the directory has been checked; checking again after a failure.
    ready: OnceLock<()>,
}

impl FileStore {
    pub(crate) fn new(dir: PathBuf) -> Self {
        FileStore {
            dir,
            ready: OnceLock::new(),
        }
    }

    /// Creates the directory (mode 0700) or checks it: a real directory, not a symbolic link,
    /// private to its owner (a looser mode is tightened; refused when that is not allowed).
    pub(crate) fn prepare(&self) -> io::Result<()> {
        if self.ready.get().is_some() {
            return Ok(());
        }
        let mut builder = DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&self.dir)?;
        let meta = std::fs::symlink_metadata(&self.dir)?;
        if meta.file_type().is_symlink() {
            return Err(io::Error::other(
                "the directory is a symbolic link; refusing to follow it",
            ));
        }
        if !meta.is_dir() {
            return Err(io::Error::other("not a directory"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                    .map_err(|e| {
                        io::Error::other(format!(
                            "the directory is readable by others and cannot be made private: {e}"
                        ))
                    })?;
            }
        }
        let _ = self.ready.set(());
        Ok(())
    }

    fn path_for(&self, lanes: &[Lane]) -> io::Result<PathBuf> {
        // Every lane of one reservation belongs to one key: `<fingerprint>:<lane>`.
        let fingerprint = lanes
            .first()
            .and_then(|lane| lane.key.split(':').next())
            .filter(|fp| !fp.is_empty() && fp.bytes().all(|b| b.is_ascii_alphanumeric()))
            .ok_or_else(|| io::Error::other("a budget lane without a fingerprint"))?;
        Ok(self.dir.join(format!("{fingerprint}.budget")))
    }

    fn with_states<R>(
        &self,
        lanes: &[Lane],
        f: impl FnOnce(u64, &mut [LaneState]) -> R,
    ) -> io::Result<R> {
        self.prepare()?;
        let path = self.path_for(lanes)?;
        let mut file = open_private(&path)?;
        file.lock()?;
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        let mut records = parse(&text);
        let mut states: Vec<LaneState> = lanes
            .iter()
            .map(|lane| {
                records
                    .iter()
                    .find(|(name, _)| *name == lane.key)
                    .map(|(_, s)| *s)
                    .unwrap_or_default()
            })
            .collect();
        let result = f(wall_clock(), &mut states);
        for (lane, state) in lanes.iter().zip(states) {
            match records.iter_mut().find(|(name, _)| *name == lane.key) {
                Some(record) => record.1 = state,
                None => records.push((lane.key.clone(), state)),
            }
        }
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(render(&records).as_bytes())?;
        // Closing the file releases the lock.
        Ok(result)
    }
}

/// Opens (creating with mode 0600) without following a symbolic link.
fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::other(
            "the state file is a symbolic link; refusing to follow it",
        ));
    }
    options.open(path).map_err(|e| {
        if e.raw_os_error() == Some(libc_eloop()) {
            io::Error::other("the state file is a symbolic link; refusing to follow it")
        } else {
            e
        }
    })
}

fn libc_eloop() -> i32 {
    #[cfg(unix)]
    return libc::ELOOP;
    #[cfg(not(unix))]
    return -1;
}

/// Nanoseconds since the Unix epoch: processes share the file, so they share this clock.
fn wall_clock() -> u64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
}

/// One line per lane: `tat lease_id lease_until lane-key`. An unreadable line is dropped
/// (the lane then starts fresh, which is what a missing record means too).
fn parse(text: &str) -> Vec<(String, LaneState)> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, ' ');
            let tat = parts.next()?.parse().ok()?;
            let lease_id = parts.next()?.parse().ok()?;
            let lease_until = parts.next()?.parse().ok()?;
            let key = parts.next()?.to_owned();
            Some((
                key,
                LaneState {
                    tat,
                    lease_id,
                    lease_until,
                },
            ))
        })
        .collect()
}

fn render(records: &[(String, LaneState)]) -> String {
    records
        .iter()
        .map(|(key, s)| format!("{} {} {} {key}\n", s.tat, s.lease_id, s.lease_until))
        .collect()
}

#[async_trait::async_trait]
impl BudgetStore for FileStore {
    async fn try_reserve(&self, lanes: &[Lane], lease: Lease) -> Result<Claim, BoxError> {
        Ok(self.with_states(lanes, |now, states| {
            gcra::reserve(now, lanes, states, lease)
        })?)
    }

    async fn settle(&self, lanes: &[Lane], lease: Lease) -> Result<(), BoxError> {
        Ok(self.with_states(lanes, |now, states| gcra::settle(now, lanes, states, lease))?)
    }

    fn settle_now(&self, lanes: &[Lane], lease: Lease) -> bool {
        self.with_states(lanes, |now, states| gcra::settle(now, lanes, states, lease))
            .is_ok()
    }

    async fn pause(&self, lanes: &[Lane], wait: Duration) -> Result<(), BoxError> {
        Ok(self.with_states(lanes, |now, states| gcra::pause(now, lanes, states, wait))?)
    }

    fn describe(&self) -> String {
        format!("file {}", self.dir.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lanes() -> Vec<Lane> {
        vec![Lane {
            key: "0123abcd:global".into(),
            interval: Duration::from_millis(200),
            burst: 1,
        }]
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nodal-budget-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[tokio::test]
    async fn two_stores_on_one_directory_share_the_lane() {
        let dir = scratch("share");
        let (a, b) = (FileStore::new(dir.clone()), FileStore::new(dir.clone()));
        let lease = Lease {
            id: 7,
            ttl: Duration::from_secs(5),
        };
        assert_eq!(
            a.try_reserve(&lanes(), lease).await.unwrap(),
            Claim::Granted
        );
        assert!(matches!(
            b.try_reserve(&lanes(), Lease { id: 8, ..lease })
                .await
                .unwrap(),
            Claim::Wait(_)
        ));
        a.settle(&lanes(), lease).await.unwrap();
        let text = std::fs::read_to_string(dir.join("0123abcd.budget")).unwrap();
        assert!(text.ends_with(" 0 0 0123abcd:global\n"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
            let mode = std::fs::metadata(dir.join("0123abcd.budget"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn symbolic_links_are_refused_and_loose_directories_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("links");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let elsewhere = dir.join("elsewhere");
        std::fs::write(&elsewhere, "").unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("0123abcd.budget")).unwrap();
        let store = FileStore::new(dir.clone());
        let lease = Lease {
            id: 1,
            ttl: Duration::from_secs(1),
        };
        let err = store.try_reserve(&lanes(), lease).await.unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "");
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);

        let linked_dir = scratch("linked-dir");
        std::os::unix::fs::symlink(&dir, &linked_dir).unwrap();
        let err = FileStore::new(linked_dir.clone()).prepare().unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        std::fs::remove_file(linked_dir).unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn records_round_trip_and_garbage_is_dropped() {
        let records = vec![(
            "ab:POST /apps".to_owned(),
            LaneState {
                tat: 5,
                lease_id: 6,
                lease_until: 7,
            },
        )];
        let text = render(&records);
        assert_eq!(parse(&text), records);
        assert!(parse("not a record\n1 2\n").is_empty());
    }
}
