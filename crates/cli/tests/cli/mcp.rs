//! `nodal mcp` is wired into the CLI: the tool table, the flags, and a read-only MCP session on
//! stdin/stdout with the global `--provider` (the session itself is tested in `crates/mcp`).

use crate::common::{Env, TempDir, quick};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodal_mcp_lists_its_tools_without_a_key() {
    let state = TempDir::new("mcp-list");
    let out = Env::new(&state).run(&["mcp", "--list-tools"]).await.ok();
    assert_eq!(out.stdout, nodal_mcp::tool_table());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodal_mcp_refuses_what_it_must() {
    let state = TempDir::new("mcp-refuse");
    let env = Env::new(&state);
    let out = env.run(&["mcp", "--http", "0.0.0.0:8765"]).await.code(2);
    assert!(out.stderr.contains("loopback"), "{}", out.stderr);
    let out = env.run(&["mcp", "--allow-destructive"]).await.code(2);
    assert!(out.stderr.contains("--allow-writes"), "{}", out.stderr);
    let out = env.run(&["mcp"]).await;
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("NODANA_API_KEY"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodal_mcp_serves_the_chosen_provider_read_only_on_stdio() {
    let sim = quick().start().await.unwrap();
    let state = TempDir::new("mcp-stdio");
    // Both keys are set; `--provider nodion` serves Nodion only.
    let env = Env::nodion(&state, &sim, &sim.nodion_user_key())
        .var("NODANA_API_BASE_URL", &sim.nodana_base_url())
        .secret("NODANA_API_KEY", &sim.nodana_key());
    let session = concat!(
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#,
        "\n",
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        "\n",
        r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
        "\n",
    );
    let out = env
        .run_with_stdin(&["--provider", "nodion", "mcp"], Some(session))
        .await
        .ok();
    let answers: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let tools = answers
        .iter()
        .find(|answer| answer["id"] == 2)
        .unwrap_or_else(|| panic!("no tools/list answer: {}", out.stdout));
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"nodion_list_regions"), "{names:?}");
    assert!(!names.contains(&"create_app"), "{names:?}");
    assert!(
        names.iter().all(|name| !name.starts_with("nodana_")),
        "{names:?}"
    );
    sim.shutdown().await;
}
