//! Exit codes and error output: 401 and 403 → 3, 404 → 4, unsupported and usage → 2, timeout
//! → 5; and no token in any output, `-vv` tracing included.

use crate::common::{Env, TempDir, quick};
use nodal_sim::{NodionKeySpec, Sim};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_key_is_exit_3() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("err-401");

    let nodana = Env::nodana(&state, &sim, "not-a-key-the-twin-issued");
    let out = nodana.run(&["projects", "list"]).await.code(3);
    assert!(
        out.stderr.starts_with("error: nodana: not authenticated"),
        "{out}"
    );
    assert!(out.stderr.contains("NODANA_API_KEY"), "{out}");
    let out = nodana.run(&["projects", "list", "--json"]).await.code(3);
    assert_eq!(out.json()["error"]["kind"], "unauthenticated");
    assert_eq!(out.json()["error"]["exit_code"], 3);

    sim.revoke_nodion_key(&sim.nodion_user_key());
    let nodion = Env::nodion(&state, &sim, &sim.nodion_user_key());
    let out = nodion.run(&["apps", "list", "--json"]).await.code(3);
    assert_eq!(out.json()["error"]["kind"], "unauthenticated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_scope_is_exit_3() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("err-403");
    let reader = sim.issue_nodion_user_key(NodionKeySpec::new().scopes(["read"]));
    let env = Env::nodion(&state, &sim, &reader);

    env.run(&["apps", "list"]).await.ok();
    let out = env
        .run(&[
            "apps",
            "create",
            "--name",
            "web",
            "--region",
            "euc",
            "--instance-type",
            "starter",
            "--instances",
            "1",
            "--image",
            "nginxdemos/hello",
            "--json",
        ])
        .await
        .code(3);
    assert_eq!(out.json()["error"]["kind"], "permission_denied");
    assert_eq!(sim.counters().apps_created, 0);
    assert!(sim.requests().iter().any(|r| r.status == 403));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_resource_is_exit_4() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("err-404");
    let out = Env::nodana(&state, &sim, &sim.nodana_key())
        .run(&["apps", "get", "app-000000000000"])
        .await
        .code(4);
    assert!(out.stderr.contains("not found"), "{out}");
    let out = Env::nodion(&state, &sim, &sim.nodion_user_key())
        .run(&[
            "deployments",
            "list",
            "00000000-0000-4000-8000-00000000beef",
            "--json",
        ])
        .await
        .code(4);
    assert_eq!(out.json()["error"]["kind"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsupported_commands_are_exit_2_and_send_nothing() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("err-unsupported");
    let nodion = Env::nodion(&state, &sim, &sim.nodion_user_key());
    let nodana = Env::nodana(&state, &sim, &sim.nodana_key());

    let out = nodion
        .run(&["projects", "create", "--name", "x"])
        .await
        .code(2);
    assert_eq!(
        out.stderr.trim(),
        "error: `projects create` is not supported by nodion"
    );
    let out = nodion
        .run(&["projects", "delete", "x", "--json"])
        .await
        .code(2);
    assert_eq!(out.json()["error"]["kind"], "unsupported");
    nodion
        .run(&["apps", "create", "--template", "phoenixd"])
        .await
        .code(2);
    let out = nodion.run(&["templates"]).await.code(2);
    assert!(
        out.stderr
            .contains("`templates` is not supported by nodion"),
        "{out}"
    );

    let out = nodana.run(&["regions"]).await.code(2);
    assert!(
        out.stderr.contains("`regions` is not supported by nodana"),
        "{out}"
    );
    for args in [
        &["env", "list", "app-1"][..],
        &["logs", "app-1"],
        &["domains", "list", "app-1"],
        &["instance-types"],
        &["deploy", "app-1", "--image-tag", "v2"],
        &["apps", "create", "--image", "nginx", "--name", "web"],
    ] {
        nodana.run(args).await.code(2);
    }
    nodion.run(&["services", "list", "app-1"]).await.code(2);
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_are_exit_2() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("err-usage");
    let both = Env::nodion(&state, &sim, &sim.nodion_user_key())
        .without("NODAL_PROVIDER")
        .var("NODANA_API_BASE_URL", &sim.nodana_base_url())
        .secret("NODANA_API_KEY", &sim.nodana_key());
    let out = both.run(&["apps", "list"]).await.code(2);
    assert!(out.stderr.contains("--provider"), "{out}");
    // A provider-specific command needs no choice.
    both.run(&["regions"]).await.ok();

    let none = Env::new(&state);
    let out = none.run(&["apps", "list"]).await.code(2);
    assert!(
        out.stderr.contains("NODANA_API_KEY or NODION_API_KEY"),
        "{out}"
    );
    let out = none
        .run(&["--provider", "nodana", "projects", "list"])
        .await
        .code(2);
    assert!(out.stderr.contains("NODANA_API_KEY is not set"), "{out}");

    // Scripts must say --yes; nothing is sent without it.
    let nodana = Env::nodana(&state, &sim, &sim.nodana_key());
    nodana.run(&["apps", "delete", "app-1"]).await.code(2);
    nodana.run(&["apps", "create"]).await.code(2);
    nodana.run(&["no-such-command"]).await.code(2);
    assert!(
        sim.requests()
            .iter()
            .all(|r| r.provider == nodal_sim::Provider::Nodion),
        "{:?}",
        sim.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_that_runs_out_is_exit_5_and_keeps_the_credentials() {
    // The default start delay (10 s) is longer than the wait.
    let sim = Sim::start().await.unwrap();
    let state = TempDir::new("err-timeout");
    let out = Env::nodana(&state, &sim, &sim.nodana_key())
        .run(&[
            "apps",
            "create",
            "--template",
            "phoenixd",
            "--wait",
            "--timeout",
            "2s",
            "--show-credentials",
            "--json",
        ])
        .await
        .code(5);
    let doc = out.json();
    assert_eq!(doc["error"]["kind"], "timeout");
    assert_eq!(doc["app"]["status"], "pending");
    let seed = doc["credentials"]["seedPhrase"].as_str().unwrap();
    assert_eq!(seed.split_whitespace().count(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracing_shows_requests_but_never_a_token() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("err-trace");
    // The environment helper asserts after every run that no token is in stdout or stderr.
    let out = Env::nodion(&state, &sim, &sim.nodion_user_key())
        .run(&["-vv", "apps", "list"])
        .await
        .ok();
    assert!(out.stderr.contains("nodal.request"), "{out}");
    assert!(out.stderr.contains("TRACE"), "{out}");
    let out = Env::nodana(&state, &sim, &sim.nodana_key())
        .run(&["-vv", "projects", "create", "--name", "traced"])
        .await
        .ok();
    assert!(out.stderr.contains("nodal.request"), "{out}");
    let out = Env::nodana(&state, &sim, "a-wrong-key-that-must-not-show")
        .run(&["-v", "projects", "list"])
        .await
        .code(3);
    // -v: one line per request (method, template, status, latency, attempt), no pool chatter.
    // Nodana answers its errors with HTTP 200 and the error in the body.
    assert!(
        out.stderr.contains("nodana GET /projects -> 200 in "),
        "{out}"
    );
    assert!(out.stderr.contains(" ms (attempt 1)"), "{out}");
    for chatter in ["hyper", "reqwest::", "pool"] {
        assert!(!out.stderr.contains(chatter), "`{chatter}` at -v:\n{out}");
    }
}
