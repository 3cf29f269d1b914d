//! The cross-invocation rate-limit guard: a shell loop of `nodal --provider nodana ...` commands
//! never exceeds Nodana's 1 request per second, although each command is a new process.

use crate::common::{Env, TempDir, assert_no_violations, quick};
use nodal_sim::{Provider, Sim};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

/// The gaps between the twin's consecutive Nodana requests.
fn gaps(sim: &Sim) -> Vec<Duration> {
    let times: Vec<Duration> = sim
        .requests()
        .iter()
        .filter(|r| r.provider == Provider::Nodana)
        .map(|r| r.at)
        .collect();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_to_back_invocations_keep_the_limit() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("guard-seq");
    let key = sim.nodana_key();
    let env = Env::nodana(&state, &sim, &key);
    for _ in 0..3 {
        env.run(&["projects", "list"]).await.ok();
    }
    assert_no_violations(&sim);
    let gaps = gaps(&sim);
    assert_eq!(gaps.len(), 2);
    assert!(
        gaps.iter().all(|g| *g >= Duration::from_millis(1000)),
        "{gaps:?}"
    );

    // One small state file, named by a hash: neither the key nor anything reversible.
    let dir = state.path().join("nodal");
    let dir_mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(dir_mode, 0o700);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_str().unwrap().to_owned();
    assert!(
        name.starts_with("nodana-") && name.ends_with(".last"),
        "{name}"
    );
    assert_eq!(name.len(), "nodana-".len() + 16 + ".last".len(), "{name}");
    assert!(!name.contains(&key));
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.trim().parse::<u128>().is_ok(), "{text}");
    let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_invocations_queue() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("guard-par");
    let env = Env::nodana(&state, &sim, &sim.nodana_key());
    let (a, b) = tokio::join!(
        env.run(&["projects", "list"]),
        env.run(&["projects", "list"])
    );
    a.ok();
    b.ok();
    assert_no_violations(&sim);
    let gaps = gaps(&sim);
    assert_eq!(gaps.len(), 1);
    assert!(gaps[0] >= Duration::from_millis(1000), "{gaps:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_shared_state_back_to_back_invocations_trip_the_limit() {
    // The control: what the provider's own CLI does. Two processes that do not share the
    // guard's state send their requests closer than a second apart, and the twin counts it.
    let sim = quick().start().await.unwrap();
    let key = sim.nodana_key();
    for name in ["guard-off-a", "guard-off-b"] {
        let state = TempDir::new(name);
        Env::nodana(&state, &sim, &key)
            .run(&["projects", "list"])
            .await
            .ok();
    }
    assert!(sim.counters().nodana_rate_limit_violations >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unusable_state_dir_warns_and_still_waits() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("guard-broken");
    // XDG_STATE_HOME points at a file, so the state directory cannot be created.
    let blocker = state.path().join("not-a-dir");
    std::fs::write(&blocker, "").unwrap();
    let env = Env::nodana(&state, &sim, &sim.nodana_key())
        .var("XDG_STATE_HOME", &blocker.display().to_string());
    for _ in 0..2 {
        let out = env.run(&["projects", "list"]).await.ok();
        assert_eq!(out.stderr.matches("warning:").count(), 1, "{out}");
    }
    assert_no_violations(&sim);
}
