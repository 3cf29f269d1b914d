//! One-time secrets returned by a create (a phoenixd seed phrase, generated passwords): shown
//! once under a banner, or written to a file only the user can read. Never logged.

use crate::exit::CliError;
use nodal::Credentials;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The credentials in clear text under a banner saying they are shown only this once.
pub(crate) fn banner(credentials: &Credentials, color: bool) -> String {
    let (on, off) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "")
    };
    let width = credentials.names().map(str::len).max().unwrap_or(0);
    let mut text = format!(
        "\n{on}== One-time credentials: shown once; store them now. The provider will not show them again. =={off}\n"
    );
    for name in credentials.names() {
        let value = credentials.expose(name).unwrap_or_default();
        text.push_str(&format!("{name:<width$}  {value}\n"));
    }
    text.push_str(&format!("{on}=={off}\n"));
    text
}

/// Writes the credentials as a JSON object to `path`, created (or truncated) with mode 0600.
pub(crate) fn save(path: &Path, credentials: &Credentials) -> Result<(), CliError> {
    let failed = |what: &str, error: std::io::Error| {
        CliError::Failed(format!(
            "cannot {what} {}: {error}; the one-time credentials were not saved and are not shown",
            path.display()
        ))
    };
    if path.is_dir() {
        return Err(CliError::usage(format!(
            "--save-credentials {} is a directory; give a file name",
            path.display()
        )));
    }
    let mut text = serde_json::to_string_pretty(&credentials.exposed())
        .map_err(|e| CliError::Failed(format!("cannot write the credentials as JSON: {e}")))?;
    text.push('\n');
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| failed("create", e))?;
    // An existing file keeps its old mode when truncated: narrow it before writing.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(|e| failed("restrict", e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| failed("write", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        let mut creds = Credentials::new();
        creds.insert("seedPhrase", "abandon ability able");
        creds.insert("httpPassword", "hunter2");
        creds
    }

    #[test]
    fn the_banner_says_once_and_shows_the_values() {
        let text = banner(&creds(), false);
        assert!(text.contains("shown once; store them now"));
        assert!(text.contains("abandon ability able"));
        assert!(text.contains("hunter2"));
    }

    #[test]
    fn saved_credentials_are_private_json() {
        let dir = std::env::temp_dir().join(format!("nodal-creds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("creds.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        save(&path, &creds()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let saved: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(saved["seedPhrase"], "abandon ability able");
        assert_eq!(save(&dir, &creds()).unwrap_err().exit_code(), 2);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
