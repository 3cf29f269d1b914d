//! Section 4, footprint: how many crates `nodal` pulls in per feature set (from `cargo tree`),
//! and the size of the release CLI binary.
//!
//! Everything here runs `cargo` as a subprocess from the workspace root. A failing subprocess
//! never fails the run: the row says what is missing instead.

use serde::Serialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A feature selection of the `nodal` facade.
#[derive(Debug, Clone, Copy)]
pub struct FeatureSet {
    /// As printed.
    pub label: &'static str,
    /// The `cargo tree` feature arguments.
    pub args: &'static [&'static str],
}

/// The feature sets counted: each provider alone (as the issue names them, without TLS, and
/// with rustls as an https user needs), the defaults, and every feature.
pub const FEATURE_SETS: [FeatureSet; 6] = [
    FeatureSet {
        label: "nodana",
        args: &["--no-default-features", "--features", "nodana"],
    },
    FeatureSet {
        label: "nodana + rustls",
        args: &["--no-default-features", "--features", "nodana,rustls"],
    },
    FeatureSet {
        label: "nodion",
        args: &["--no-default-features", "--features", "nodion"],
    },
    FeatureSet {
        label: "nodion + rustls",
        args: &["--no-default-features", "--features", "nodion,rustls"],
    },
    FeatureSet {
        label: "default (nodion, nodana, rustls)",
        args: &[],
    },
    FeatureSet {
        label: "all features (+ native-tls)",
        args: &["--all-features"],
    },
];

/// The crate count of one feature set.
#[derive(Debug, Clone, Serialize)]
pub struct TreeCount {
    /// The feature set's label.
    pub features: &'static str,
    /// The command that was run.
    pub command: String,
    /// Unique crates (name + version) in the normal-dependency tree, `nodal` itself included.
    pub crates: Option<usize>,
    /// Why there is no count.
    pub error: Option<String>,
}

/// The release CLI binary.
#[derive(Debug, Clone, Serialize)]
pub struct CliBinary {
    /// Where it was looked for.
    pub path: String,
    /// Its size in bytes, when it exists.
    pub bytes: Option<u64>,
    /// `found`, `built`, `not built` or `not available (...)`.
    pub status: String,
}

/// The footprint section's figures.
#[derive(Debug, Clone, Serialize)]
pub struct FootprintResult {
    /// One count per feature set.
    pub trees: Vec<TreeCount>,
    /// The CLI binary.
    pub cli: CliBinary,
}

/// Runs the section; `build_cli` builds the CLI in release mode when its binary is missing.
pub fn run(build_cli: bool) -> FootprintResult {
    let cargo = cargo_program();
    let Some(root) = workspace_root(&cargo) else {
        let missing = "the workspace root was not found".to_owned();
        return FootprintResult {
            trees: FEATURE_SETS
                .iter()
                .map(|set| TreeCount {
                    features: set.label,
                    command: tree_args(set).join(" "),
                    crates: None,
                    error: Some(missing.clone()),
                })
                .collect(),
            cli: CliBinary {
                path: String::new(),
                bytes: None,
                status: format!("not available ({missing})"),
            },
        };
    };
    let trees = FEATURE_SETS
        .iter()
        .map(|set| count_tree(&cargo, &root, set))
        .collect();
    let binary = target_dir(&root, std::env::var_os("CARGO_TARGET_DIR"))
        .join("release")
        .join(format!("nodal{}", std::env::consts::EXE_SUFFIX));
    FootprintResult {
        trees,
        cli: cli_binary(&cargo, &root, &binary, build_cli),
    }
}

/// The `nodal` CLI binary of `profile` (`release` or `debug`) in this workspace's target
/// directory; with `build`, a missing one is built (`cargo build [--release] -p nodal-cli`).
pub fn locate_cli(profile: &str, build: bool) -> CliBinary {
    let cargo = cargo_program();
    let Some(root) = workspace_root(&cargo) else {
        return CliBinary {
            path: String::new(),
            bytes: None,
            status: "not available (the workspace root was not found)".into(),
        };
    };
    let binary = target_dir(&root, std::env::var_os("CARGO_TARGET_DIR"))
        .join(profile)
        .join(format!("nodal{}", std::env::consts::EXE_SUFFIX));
    if profile == "release" {
        cli_binary(&cargo, &root, &binary, build)
    } else {
        // Only the release build is ever built here; a debug one exists after the tests.
        cli_binary(&cargo, &root, &binary, false)
    }
}

fn tree_args(set: &FeatureSet) -> Vec<&'static str> {
    let mut args = vec!["tree", "-p", "nodal", "-e", "normal", "--prefix", "none"];
    args.extend_from_slice(set.args);
    args
}

fn count_tree(cargo: &OsString, root: &Path, set: &FeatureSet) -> TreeCount {
    let args = tree_args(set);
    let command = format!("cargo {}", args.join(" "));
    let (crates, error) = match Command::new(cargo).args(&args).current_dir(root).output() {
        Ok(out) if out.status.success() => (
            Some(count_crates(&String::from_utf8_lossy(&out.stdout))),
            None,
        ),
        Ok(out) => (None, Some(first_line(&out.stderr))),
        Err(e) => (None, Some(format!("cargo could not be run: {e}"))),
    };
    TreeCount {
        features: set.label,
        command,
        crates,
        error,
    }
}

fn cli_binary(cargo: &OsString, root: &Path, binary: &Path, build: bool) -> CliBinary {
    let path = binary.display().to_string();
    let size = |status: &str| CliBinary {
        path: path.clone(),
        bytes: std::fs::metadata(binary).ok().map(|m| m.len()),
        status: status.to_owned(),
    };
    if binary.is_file() {
        return size("found");
    }
    if !build {
        return CliBinary {
            path,
            bytes: None,
            status: "not built".into(),
        };
    }
    eprintln!("footprint: building the CLI (cargo build --release -p nodal-cli) ...");
    let built = Command::new(cargo)
        .args(["build", "--release", "-p", "nodal-cli"])
        .current_dir(root)
        .output();
    match built {
        Ok(out) if out.status.success() && binary.is_file() => size("built"),
        Ok(out) if out.status.success() => CliBinary {
            path,
            bytes: None,
            status: "not available (nodal-cli built no `nodal` binary)".into(),
        },
        Ok(out) => CliBinary {
            path,
            bytes: None,
            status: format!("not available ({})", first_line(&out.stderr)),
        },
        Err(e) => CliBinary {
            path,
            bytes: None,
            status: format!("not available (cargo could not be run: {e})"),
        },
    }
}

/// Unique crates in `cargo tree --prefix none` output: lines are `name vX.Y.Z [(path)] [(*)]`,
/// deduplicated by name and version.
pub fn count_crates(tree: &str) -> usize {
    let mut crates: Vec<(&str, &str)> = tree
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?;
            let version = words.next().filter(|v| v.starts_with('v'))?;
            Some((name, version))
        })
        .collect();
    crates.sort_unstable();
    crates.dedup();
    crates.len()
}

/// The cargo that runs us (`CARGO` is set by `cargo run`), else `cargo` from `PATH`.
fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The workspace root: two levels above this crate's manifest when that is still there, else
/// what `cargo locate-project --workspace` says from the current directory.
pub fn workspace_root(cargo: &OsString) -> Option<PathBuf> {
    let compiled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if compiled.join("Cargo.toml").is_file() && compiled.join("crates/nodal").is_dir() {
        return compiled.canonicalize().ok();
    }
    let out = Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .ok()?;
    let manifest = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    out.status
        .success()
        .then(|| manifest.parent().map(Path::to_path_buf))
        .flatten()
}

/// `CARGO_TARGET_DIR` (relative to the workspace root when relative), else `<root>/target`.
pub fn target_dir(root: &Path, configured: Option<OsString>) -> PathBuf {
    match configured.filter(|dir| !dir.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .map(str::trim)
        .find(|line| line.starts_with("error"))
        .or_else(|| text.lines().map(str::trim).find(|line| !line.is_empty()))
        .unwrap_or("no message")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_unique_crates_ignoring_repeats_and_suffixes() {
        let tree = "\
nodal v0.1.0 (/work/main/crates/nodal)
nodal-core v0.1.0 (/work/main/crates/core)
async-trait v0.1.92 (proc-macro)
proc-macro2 v1.0.107
proc-macro2 v1.0.107 (*)
base64 v0.22.1
base64 v0.23.1

";
        assert_eq!(count_crates(tree), 6);
        assert_eq!(count_crates(""), 0);
    }

    #[test]
    fn target_dir_respects_the_environment() {
        let root = Path::new("/w");
        assert_eq!(target_dir(root, None), PathBuf::from("/w/target"));
        assert_eq!(
            target_dir(root, Some("".into())),
            PathBuf::from("/w/target")
        );
        assert_eq!(
            target_dir(root, Some("/tmp/t".into())),
            PathBuf::from("/tmp/t")
        );
        assert_eq!(target_dir(root, Some("t2".into())), PathBuf::from("/w/t2"));
    }

    #[test]
    fn the_first_error_line_is_reported() {
        let stderr =
            b"   Compiling x\nerror: package ID specification `nodal-cli` did not match\nmore";
        assert_eq!(
            first_line(stderr),
            "error: package ID specification `nodal-cli` did not match"
        );
        assert_eq!(first_line(b"\n  warning: w\n"), "warning: w");
        assert_eq!(first_line(b""), "no message");
    }

    #[test]
    fn the_workspace_root_holds_the_facade() {
        let root = workspace_root(&cargo_program()).unwrap();
        assert!(root.join("crates/nodal/Cargo.toml").is_file());
    }

    #[test]
    fn a_missing_binary_is_not_built_in_quick_mode() {
        let cli = cli_binary(
            &cargo_program(),
            Path::new("."),
            Path::new("/nonexistent/nodal"),
            false,
        );
        assert_eq!(cli.status, "not built");
        assert_eq!(cli.bytes, None);
    }
}
