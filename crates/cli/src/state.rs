//! The CLI's state directory (`$XDG_STATE_HOME/nodal`, else `~/.local/state/nodal`): Nodion's
//! saved process counts live there. The shared rate budget lives beside them, in `budget/`
//! (kept by `nodal::RateBudget::shared_local`), so every `nodal` process spends one budget
//! per key without waiting for another's whole command.

use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;

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
