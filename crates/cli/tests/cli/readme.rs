//! The root README's library example, extracted from README.md as a user would copy it (its
//! `[dependencies]` block and its code), builds on its own, and run against the twin it keeps
//! the one-time credentials, uses an explicit project, cleans up what it created, and says so
//! when no provider is configured.

use crate::common::{TempDir, quick};
use std::path::{Path, PathBuf};
use std::process::Command;

const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The first fenced block after `heading` whose info string starts with `lang`.
fn block(readme: &str, heading: &str, lang: &str) -> (String, String) {
    let section = &readme[readme.find(heading).unwrap()..];
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```")
            && info.starts_with(lang)
        {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            return (info.to_owned(), body.join("\n") + "\n");
        }
    }
    panic!("no ```{lang} block after {heading}");
}

/// Writes the example as its own crate (the README's dependencies, with `nodal` pointing at
/// this workspace) and builds it; returns the binary.
fn build_example() -> PathBuf {
    let readme = std::fs::read_to_string(format!("{WORKSPACE}/README.md")).unwrap();
    let (_, deps) = block(&readme, "## Use it as a library", "toml");
    let (info, code) = block(&readme, "## Use it as a library", "rust");
    assert!(
        !info.contains("ignore"),
        "the downstream crate must compile it: {info}"
    );
    let tokio = deps
        .lines()
        .find(|l| l.starts_with("tokio"))
        .expect("the dependencies block shows tokio");
    assert!(
        tokio.contains("macros") && tokio.contains("rt-multi-thread"),
        "{tokio}"
    );
    let nodal = std::fs::canonicalize(format!("{WORKSPACE}/crates/nodal")).unwrap();
    let deps: String = deps
        .lines()
        .map(|line| {
            if line.starts_with("nodal = \"") {
                format!(
                    "nodal = {{ version = \"0.1\", path = \"{}\" }}\n",
                    nodal.display()
                )
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-example");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"readme-example\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n{deps}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), code).unwrap();
    // The workspace's versions, so the build works offline and matches what the tests use.
    std::fs::copy(format!("{WORKSPACE}/Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let built = Command::new(cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        // The example must be warning-free as shown (dependencies' lints are capped anyway).
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "the README example does not build:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    target.join("debug/readme-example")
}

fn example(binary: &Path, dir: &TempDir) -> Command {
    let mut cmd = Command::new(binary);
    for name in [
        "NODANA_API_KEY",
        "NODANA_API_BASE_URL",
        "NODION_API_KEY",
        "NODION_API_BASE_URL",
        "NODION_KEY_KIND",
        "NODION_PROJECT",
        "NODAL_RATE_LIMIT_URL",
    ] {
        cmd.env_remove(name);
    }
    cmd.current_dir(dir.path());
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_library_example_builds_and_cleans_up() {
    let binary = tokio::task::spawn_blocking(build_example).await.unwrap();
    let dir = TempDir::new("readme-run");

    let none = example(&binary, &dir).output().unwrap();
    assert!(none.status.success());
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("No provider configured"),
        "{none:?}"
    );

    let sim = quick().start().await.unwrap();
    let mut cmd = example(&binary, &dir);
    cmd.env("NODANA_API_BASE_URL", sim.nodana_base_url())
        .env("NODANA_API_KEY", sim.nodana_key())
        .env("NODION_API_BASE_URL", sim.nodion_base_url())
        .env("NODION_API_KEY", sim.nodion_user_key());
    let run = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("nodana: one-time credentials saved in"),
        "{stdout}"
    );
    assert!(
        stdout.contains("nodion: ") && stdout.contains(" is running at "),
        "{stdout}"
    );

    // The seed phrase was kept, in a file only the user can read.
    let saved: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let text = std::fs::read_to_string(&saved[0]).unwrap();
    assert!(text.contains("seedPhrase: "), "{text}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&saved[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // The example kept to Nodana's limit (checked before this test sends its own requests).
    assert_eq!(sim.counters().nodana_rate_limit_violations, 0);
    assert_eq!(sim.counters().nodana_apps_created, 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    // Nothing left behind: no app on either provider, no Nodana project.
    let nodana = nodal::nodana::NodanaClient::builder()
        .api_key(sim.nodana_key())
        .base_url(sim.nodana_base_url())
        .build()
        .unwrap();
    let nodion = nodal::nodion::NodionClient::builder()
        .user_key(sim.nodion_user_key())
        .base_url(sim.nodion_base_url())
        .build()
        .unwrap();
    use nodal::{Apps, Projects};
    assert!(nodana.list_projects().await.unwrap().is_empty());
    assert!(nodion.list_apps(None).await.unwrap().is_empty());
    sim.shutdown().await;
}
