//! One-time credentials (a phoenixd seed phrase, generated passwords) go to a new file only
//! the user can read, never to the agent: the tool result holds the file's path and the names
//! of the secrets.
//!
//! The file is reserved before the create is sent, in `credentials/` of the state directory
//! (`$XDG_STATE_HOME/nodal`, else `~/.local/state/nodal`; the directory is made 0700): created
//! new with `O_CREAT|O_EXCL|O_NOFOLLOW` and mode 0600, so an existing file or a symlink is
//! never written through. If it cannot be reserved, nothing is sent. A create that returns no
//! credentials, or fails, removes the empty file.

use nodal::{CreatedApp, Error};
use serde::Serialize;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The state directory: `$XDG_STATE_HOME/nodal`, else `$HOME/.local/state/nodal`.
pub fn state_dir() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    absolute("XDG_STATE_HOME")
        .map(|dir| dir.join("nodal"))
        .or_else(|| absolute("HOME").map(|home| home.join(".local/state/nodal")))
}

/// Where credentials files are written.
pub fn credentials_dir() -> Option<PathBuf> {
    state_dir().map(|dir| dir.join("credentials"))
}

/// Keeps ids readable in a file name and free of path separators.
fn file_part(text: &str) -> String {
    let part: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if part.is_empty() { "app".into() } else { part }
}

/// A credentials file created empty before the create is sent; removed on drop unless written.
#[derive(Debug)]
pub(crate) struct Reserved {
    path: PathBuf,
    file: Option<File>,
}

/// Reserves a new credentials file in `dir` for a create of `provider` with `request_id`.
pub(crate) fn reserve(
    dir: &Path,
    provider: &'static str,
    request_id: &str,
) -> Result<Reserved, Error> {
    let config = |message: String| Error::Config { provider, message };
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| {
            config(format!(
                "the credentials directory {} cannot be created ({e}); nothing was sent",
                dir.display()
            ))
        })?;
    // The directory must be a real one, private to the user: a symlink could point the
    // secrets anywhere, and a directory others can list would show that they exist.
    let meta = std::fs::symlink_metadata(dir).map_err(|e| {
        config(format!(
            "the credentials directory {} cannot be read ({e}); nothing was sent",
            dir.display()
        ))
    })?;
    if !meta.is_dir() {
        return Err(config(format!(
            "the credentials directory {} is a symlink or not a directory; nothing was sent",
            dir.display()
        )));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
            config(format!(
                "the credentials directory {} is open to other users and cannot be made private ({e}); nothing was sent",
                dir.display()
            ))
        })?;
    }
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let path = dir.join(format!("{provider}-{}-{stamp}.json", file_part(request_id)));
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .map_err(|e| {
            config(format!(
                "the credentials file {} cannot be created new ({e}); nothing was sent",
                path.display()
            ))
        })?;
    Ok(Reserved {
        path,
        file: Some(file),
    })
}

/// What a credentials file holds.
#[derive(Serialize)]
struct Record<'a> {
    provider: &'a str,
    app_id: &'a str,
    project: Option<&'a str>,
    project_created: bool,
    url: Option<&'a str>,
    template: Option<&'a str>,
    created_at: String,
    credentials: nodal::ExposedCredentials<'a>,
}

impl Reserved {
    /// Writes `created`'s record and returns the path, or removes the file and returns `None`
    /// when there are no credentials.
    pub(crate) fn write(
        mut self,
        provider: &'static str,
        created: &CreatedApp,
    ) -> Result<Option<PathBuf>, Error> {
        if created.credentials.is_empty() {
            return Ok(None);
        }
        let failed = |why: String| Error::Config {
            provider,
            message: format!(
                "app {} was created, but writing its one-time credentials to {} failed: {why}",
                created.app.id,
                self.path.display()
            ),
        };
        let record = Record {
            provider,
            app_id: created.app.id.as_str(),
            project: created.app.project.as_ref().map(|p| p.as_str()),
            project_created: created.created_project.is_some(),
            url: created.app.url.as_deref(),
            template: created.app.source.as_deref(),
            created_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            credentials: created.credentials.exposed(),
        };
        let mut text = serde_json::to_string_pretty(&record).map_err(|e| failed(e.to_string()))?;
        text.push('\n');
        let Some(mut file) = self.file.take() else {
            return Err(failed("the file was already used".into()));
        };
        if let Err(e) = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
        {
            let _ = std::fs::remove_file(&self.path);
            return Err(failed(e.to_string()));
        }
        Ok(Some(self.path.clone()))
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        // Still empty: no credentials, or the create failed.
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nodal::{App, AppId, AppStatus, Credentials};

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nodal-mcp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn the_file_is_new_private_and_holds_the_secrets() {
        let dir = scratch("write");
        let reserved = reserve(&dir, "nodana", "req/../1").unwrap();
        let mut credentials = Credentials::new();
        credentials.insert("seed_phrase", "abandon ability able");
        let created = CreatedApp::new(
            App::new(AppId::from("a-1"), AppStatus::Pending, "pending"),
            credentials,
        );
        let path = reserved.write("nodana", &created).unwrap().unwrap();
        assert_eq!(path.parent(), Some(dir.as_path()));
        assert!(
            path.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("nodana-req____1-")
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("abandon ability able"), "{text}");
        assert!(text.contains("\"app_id\": \"a-1\""), "{text}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_directory_is_made_private_and_a_symlink_is_refused() {
        let dir = scratch("dirs");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        drop(reserve(&dir, "nodana", "r").unwrap());
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        let link = dir.with_extension("link");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        let error = reserve(&link, "nodana", "r").unwrap_err();
        assert!(error.to_string().contains("symlink"), "{error}");
        let _ = std::fs::remove_file(&link);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn no_credentials_leave_no_file() {
        let dir = scratch("empty");
        let reserved = reserve(&dir, "nodion", "r").unwrap();
        let created = CreatedApp::new(
            App::new(AppId::from("a-2"), AppStatus::Pending, "pending"),
            Credentials::new(),
        );
        assert_eq!(reserved.write("nodion", &created).unwrap(), None);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        let dropped = reserve(&dir, "nodion", "r").unwrap();
        drop(dropped);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
