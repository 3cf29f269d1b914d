//! The standalone binary: prints URLs and keys, then serves a Basic-auth client that keeps to
//! 1 request per second through a whole project and app life cycle.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{basic, client};
use reqwest::Method;
use serde_json::{Value, json};

/// Kills the child even when an assertion fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_prints_urls_and_keys_and_serves_a_full_life_cycle() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nodal-sim"))
        .args(["--port", "0", "--nodana-start-delay-ms", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut printed = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line.starts_with("Serving until");
        printed.push(line);
        if done {
            break;
        }
    }
    let value = |label: &str| {
        printed
            .iter()
            .find_map(|l| l.strip_prefix(label))
            .map(|v| v.split_whitespace().next().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{label} missing in {printed:#?}"))
    };
    let nodana = value("Nodana base URL:");
    let key = value("Nodana key:");
    let nodion = value("Nodion base URL:");
    assert!(nodana.starts_with("http://127.0.0.1:") && nodana.ends_with("/nodana/v1"));
    assert!(nodion.starts_with("http://127.0.0.1:") && nodion.ends_with("/nodion/v1"));
    for label in [
        "Nodion user key:",
        "Nodion project key:",
        "Nodion default project:",
    ] {
        assert!(!value(label).is_empty());
    }
    assert!(
        printed
            .iter()
            .any(|l| *l == format!("export NODANA_API_KEY={key}"))
    );
    assert!(
        printed
            .iter()
            .any(|l| l.starts_with("export NODION_API_KEY="))
    );

    let http = client();
    let call = |method: Method, path: String, body: Option<Value>| {
        let mut request = http
            .request(method, format!("{nodana}{path}"))
            .header("Authorization", basic(&key));
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move {
            let payload: Value = request.send().await.unwrap().json().await.unwrap();
            // Keep to the provider's 1 request per second.
            tokio::time::sleep(Duration::from_millis(1020)).await;
            payload
                .get("data")
                .cloned()
                .unwrap_or_else(|| panic!("{path}: {payload}"))
        }
    };
    assert_eq!(call(Method::GET, "/projects".into(), None).await, json!([]));
    let project = call(
        Method::POST,
        "/projects".into(),
        Some(json!({"name": "demo"})),
    )
    .await;
    let pid = project["id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(Method::GET, format!("/projects/{pid}"), None).await["name"],
        "demo"
    );
    let app = call(
        Method::POST,
        "/apps".into(),
        Some(json!({"project_id": pid, "template": "phoenixd"})),
    )
    .await;
    let id = app["id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(Method::GET, format!("/apps/{id}"), None).await["status"],
        "available"
    );
    call(Method::POST, format!("/apps/{id}/stop"), None).await;
    assert_eq!(
        call(Method::GET, format!("/apps/{id}"), None).await["status"],
        "cordoned"
    );
    call(Method::POST, format!("/apps/{id}/start"), None).await;
    call(Method::POST, format!("/apps/{id}/delete"), None).await;
    assert_eq!(
        call(Method::POST, format!("/projects/{pid}/delete"), None).await["deleted"],
        true
    );
}
