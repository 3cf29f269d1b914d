//! Terminal injection (issue 15): every text a provider supplies reaches the terminal through
//! one sanitiser, in tables, error lines, progress lines and the "Created app" line. The payload
//! would paint a green "OK: app deleted" over the line, set the window title and forge a second
//! `error:` line.

use crate::common::{Env, TempDir};
use httpmock::prelude::*;
use serde_json::json;

const HOSTILE: &str =
    "bad\r\x1b[2K\x1b[32mOK: app deleted\x1b[0m\x1b]0;owned\x07\nerror: forged\u{9b}2J";
const KEY: &str = "hostile-test-key-never-shown";

/// No control character but the line breaks between lines; no forged `error:` line.
fn assert_clean(text: &str, what: &str) {
    for line in text.lines() {
        assert!(
            !line.chars().any(char::is_control),
            "{what}: a control character reached the terminal: {line:?}"
        );
    }
    assert!(!text.contains('\r'), "{what}: {text:?}");
    let errors = text.lines().filter(|l| l.starts_with("error:")).count();
    assert!(errors <= 1, "{what}: a forged error line: {text:?}");
}

fn nodana(server: &MockServer, state: &TempDir) -> Env {
    Env::new(state)
        .var("NODAL_PROVIDER", "nodana")
        .var("NODANA_API_BASE_URL", &server.url("/v1"))
        .secret("NODANA_API_KEY", KEY)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_text_is_shown_escaped_everywhere() {
    let server = MockServer::start_async().await;
    let state = TempDir::new("hostile");
    let env = nodana(&server, &state);
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/projects");
            then.status(200).json_body(json!({"data": [{
                "id": "prj-1", "userId": "u", "name": HOSTILE, "deleted": false,
                "createdAt": "2025-05-01T07:46:12.368Z", "updatedAt": "2025-05-01T07:46:12.368Z"
            }]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/apps/app-bad");
            then.status(400).json_body(
                json!({"message": HOSTILE, "error": "BadRequestError", "statusCode": 400}),
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/apps");
            then.status(200).json_body(json!({"data": {
                "projectId": "prj-1", "id": format!("app-{HOSTILE}"), "url": HOSTILE
            }}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/apps/app-slow");
            then.status(200).json_body(json!({"data": {
                "id": "app-slow", "userId": "u", "projectId": "prj-1", "template": "lnbits",
                "rate": 0.1, "url": null, "status": HOSTILE,
                "createdAt": "2025-05-24T08:07:10.509Z", "updatedAt": "2025-05-24T08:07:10.509Z"
            }}));
        })
        .await;

    let table = env.run(&["projects", "list"]).await.ok();
    assert_clean(&table.stdout, "table");
    assert!(table.stdout.contains("\\x1b[32mOK: app deleted"), "{table}");
    assert_eq!(
        table.stdout.lines().count(),
        2,
        "header and one row: {table}"
    );

    let error = env.run(&["apps", "get", "app-bad"]).await.code(2);
    assert_clean(&error.stderr, "error line");
    assert_eq!(error.stderr.lines().count(), 1, "{error}");
    assert!(error.stderr.contains("\\nerror: forged"), "{error}");

    let created = env
        .run(&[
            "--project",
            "prj-1",
            "apps",
            "create",
            "--template",
            "lnbits",
        ])
        .await
        .ok();
    assert_clean(&created.stdout, "created line");
    assert!(
        created.stdout.contains("Created app app-bad\\r"),
        "{created}"
    );

    let progress = env
        .run(&["apps", "wait", "app-slow", "--timeout", "2s"])
        .await
        .code(5);
    assert_clean(&progress.stderr, "progress lines");
    assert!(
        progress.stderr.contains("waiting for app app-slow: bad\\r"),
        "{progress}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_env_value_from_stdin_never_shows_even_when_echoed() {
    const VALUE: &str = "postgres://app:s3cret-from-stdin@db.internal/prod";
    let server = MockServer::start_async().await;
    let state = TempDir::new("hostile-env");
    let app = "0ce705eb-fb11-485a-b380-82cdb8b97036";
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{app}/env_variables"));
            then.status(200).json_body(json!({"env_variables": []}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{app}/env_variables"));
            then.status(422).json_body(json!({
                "errors": {"value": [format!("`{VALUE}` is not allowed here")]},
                "message": format!("value {VALUE} is invalid")
            }));
        })
        .await;
    let env = Env::new(&state)
        .var("NODAL_PROVIDER", "nodion")
        .var("NODION_API_BASE_URL", &server.url("/v1"))
        .secret("NODION_API_KEY", "nk_user_hostile_0123456789")
        .secret("UNUSED_MARKER", VALUE);
    for json in [false, true] {
        let mut args = vec!["env", "set", app, "DATABASE_URL", "--value-stdin"];
        if json {
            args.push("--json");
        }
        // `run_with_stdin` asserts that VALUE appears in neither stdout nor stderr.
        let out = env.run_with_stdin(&args, Some(VALUE)).await;
        assert_ne!(out.code, 0, "{out}");
        // The provider's words are still there, with the value taken out.
        if json {
            let message = out.json()["error"]["message"].as_str().unwrap().to_owned();
            assert!(message.contains("[redacted]"), "{out}");
        } else {
            assert!(out.stderr.starts_with("error:"), "{out}");
            assert!(out.stderr.contains("[redacted]"), "{out}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn base_url_errors_never_show_userinfo_query_or_fragment() {
    let state = TempDir::new("hostile-url");
    for url in [
        "http://:BASEKEY1@127.0.0.1:9/v1",
        "http://user:BASEKEY2@127.0.0.1:9/v1",
        "http://127.0.0.1:9/v1?api_key=BASEKEY3",
        "http://127.0.0.1:9/v1#BASEKEY4",
        "ht!tp://us er:BASEKEY5@[bad/v1",
    ] {
        let env = Env::new(&state)
            .var("NODAL_PROVIDER", "nodana")
            .secret("NODANA_API_KEY", "base-url-test-key")
            .var("NODANA_API_BASE_URL", url);
        let out = env.run(&["projects", "list"]).await;
        assert_eq!(out.code, 2, "{url}: {out}");
        assert!(!out.stderr.contains("BASEKEY"), "{url}: {out}");
        let json = env.run(&["--json", "projects", "list"]).await;
        assert!(!json.stdout.contains("BASEKEY"), "{url}: {json}");
    }
}
