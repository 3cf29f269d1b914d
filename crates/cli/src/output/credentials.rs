//! One-time secrets returned by a create (a phoenixd seed phrase, generated passwords): shown
//! once under a banner, or written to a new file only the user can read. Never logged.
//!
//! A credentials file is reserved before the create is sent: created new (`O_CREAT|O_EXCL`,
//! `O_NOFOLLOW`, mode 0600), so an existing file (another node's seed phrase) or a symlink is
//! refused with nothing sent, and no other user can ever read it. The record is written into
//! the reserved file once the provider has answered; a create that fails removes the empty file.

use super::sanitize::sanitize;
use crate::exit::CliError;
use nodal::{CreatedApp, Credentials};
use serde::Serialize;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The credentials in clear text under a banner saying they are shown only this once. Names
/// and values pass the terminal sanitiser (a provider could put escape codes in either).
pub(crate) fn banner(credentials: &Credentials, color: bool) -> String {
    let (on, off) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "")
    };
    let width = credentials
        .names()
        .map(|n| sanitize(n).chars().count())
        .max()
        .unwrap_or(0);
    let mut text = format!(
        "\n{on}== One-time credentials: shown once; store them now. The provider will not show them again. =={off}\n"
    );
    for name in credentials.names() {
        let value = credentials.expose(name).unwrap_or_default();
        text.push_str(&format!(
            "{:<width$}  {}\n",
            sanitize(name),
            sanitize(value)
        ));
    }
    text.push_str(&format!("{on}=={off}\n"));
    text
}

/// What a credentials file holds: the app the secrets belong to, and the secrets.
#[derive(Serialize)]
struct Record<'a> {
    provider: &'a str,
    app_id: &'a str,
    project: Option<&'a str>,
    /// Whether the provider created `project` for this app (delete it with the app).
    project_created: bool,
    url: Option<&'a str>,
    template: Option<&'a str>,
    /// When nodal received the answer (RFC 3339, UTC).
    created_at: String,
    credentials: nodal::ExposedCredentials<'a>,
}

/// A credentials file created (empty) before the create was sent. Dropped without
/// [`Reserved::write`], it removes itself: nothing of value is in it yet.
#[derive(Debug)]
pub(crate) struct Reserved {
    path: PathBuf,
    file: Option<File>,
}

/// Creates `path` new for the credentials, before anything is sent: exit 2 (nothing sent)
/// when it exists (also as a dangling symlink), is a directory, or cannot be created.
pub(crate) fn reserve(path: &Path) -> Result<Reserved, CliError> {
    let shown = path.display();
    if path.is_dir() {
        return Err(CliError::usage(format!(
            "--save-credentials {shown} is a directory; give a new file name. Nothing was sent"
        )));
    }
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(CliError::usage(format!(
            "--save-credentials {shown} already exists; nodal never overwrites a credentials file (it may hold another app's one-time secrets): give a new file name. Nothing was sent"
        )));
    }
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| {
            CliError::usage(format!(
                "--save-credentials {shown} cannot be created ({e}); give a new file in a directory you can write to. Nothing was sent"
            ))
        })?;
    Ok(Reserved {
        path: path.to_owned(),
        file: Some(file),
    })
}

impl Reserved {
    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the record of `created` (app id, project, URL, template, time, secrets).
    pub(crate) fn write(mut self, provider: &str, created: &CreatedApp) -> Result<(), CliError> {
        let shown = self.path.display().to_string();
        let failed = |error: String| {
            CliError::Failed(format!(
                "app {} was created, but writing its one-time credentials to {shown} failed: {error}",
                created.app.id
            ))
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
            return Err(failed("the file was already used".to_owned()));
        };
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(error) = written {
            // Keep nothing half-written; the caller shows the secrets instead.
            let _ = std::fs::remove_file(&self.path);
            return Err(failed(error.to_string()));
        }
        Ok(())
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        // Still reserved: the create failed or was interrupted before an answer.
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nodal::{App, AppId, AppStatus};
    use std::os::unix::fs::PermissionsExt;

    fn creds() -> Credentials {
        let mut creds = Credentials::new();
        creds.insert("seedPhrase", "abandon ability able");
        creds.insert("httpPassword", "hunter2");
        creds
    }

    fn created() -> CreatedApp {
        let mut app = App::new(AppId::from("app-1"), AppStatus::Pending, "pending");
        app.project = Some("prj-1".into());
        app.source = Some("phoenixd".into());
        CreatedApp::new(app, creds()).with_created_project("prj-1".into())
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nodal-creds-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_banner_says_once_and_shows_the_values() {
        let text = banner(&creds(), false);
        assert!(text.contains("shown once; store them now"));
        assert!(text.contains("abandon ability able"));
        assert!(text.contains("hunter2"));
        let mut hostile = Credentials::new();
        hostile.insert("seed\x1b]0;x\x07", "a\rb");
        assert!(!banner(&hostile, false).contains('\x1b'));
    }

    #[test]
    fn saved_credentials_are_a_private_record_of_the_app() {
        let dir = temp_dir("save");
        let path = dir.join("creds.json");
        let reserved = reserve(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        reserved.write("nodana", &created()).unwrap();
        let saved: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(saved["credentials"]["seedPhrase"], "abandon ability able");
        assert_eq!(saved["app_id"], "app-1");
        assert_eq!(saved["project"], "prj-1");
        assert_eq!(saved["project_created"], true);
        assert_eq!(saved["template"], "phoenixd");
        assert_eq!(saved["provider"], "nodana");
        assert!(saved["created_at"].as_str().unwrap().ends_with('Z'));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn existing_files_symlinks_and_directories_are_refused() {
        let dir = temp_dir("refuse");
        let existing = dir.join("old.json");
        std::fs::write(&existing, "the first node's seed phrase").unwrap();
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(reserve(&existing).unwrap_err().exit_code(), 2);
        assert_eq!(
            std::fs::read_to_string(&existing).unwrap(),
            "the first node's seed phrase"
        );
        let mode = std::fs::metadata(&existing).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "an existing file is never chmod-ed");
        let link = dir.join("link.json");
        std::os::unix::fs::symlink(dir.join("nowhere.json"), &link).unwrap();
        assert_eq!(reserve(&link).unwrap_err().exit_code(), 2);
        assert!(
            !dir.join("nowhere.json").exists(),
            "the link was not followed"
        );
        assert_eq!(reserve(&dir).unwrap_err().exit_code(), 2);
        assert_eq!(
            reserve(&dir.join("missing/creds.json"))
                .unwrap_err()
                .exit_code(),
            2
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_reservation_never_written_is_removed() {
        let dir = temp_dir("drop");
        let path = dir.join("creds.json");
        drop(reserve(&path).unwrap());
        assert!(!path.exists());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
