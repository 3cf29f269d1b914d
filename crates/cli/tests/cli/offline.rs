//! Commands that send nothing: the template catalogue, completions, help.

use crate::common::{Env, TempDir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_list_the_catalogue_without_a_key() {
    let state = TempDir::new("templates");
    let doc = Env::new(&state)
        .run(&["templates", "--json"])
        .await
        .ok()
        .json();
    let templates = doc.as_array().unwrap();
    assert_eq!(templates.len(), 12);
    assert_eq!(templates[0]["name"], "phoenixd");
    assert_eq!(templates[0]["params"][0]["name"], "auto_liquidity");
    assert_eq!(
        templates[0]["params"][0]["values"],
        serde_json::json!(["2m", "5m", "10m"])
    );
    let out = Env::new(&state).run(&["templates"]).await.ok();
    assert!(out.stdout.contains("mint_lnd_macaroon (secret)"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_print_a_script() {
    let state = TempDir::new("completions");
    let out = Env::new(&state).run(&["completions", "bash"]).await.ok();
    assert!(out.stdout.contains("_nodal()"), "{out}");
    assert!(out.stdout.contains("complete -F _nodal"), "{out}");
    Env::new(&state).run(&["completions", "zsh"]).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_documents_exit_codes_and_token_variables() {
    let state = TempDir::new("help");
    let out = Env::new(&state).run(&["--help"]).await.ok();
    for text in [
        "Exit codes:",
        "4    not found",
        "5    rate limited, or timed out",
        "130  interrupted",
        "143  terminated (SIGTERM)",
        "NODANA_API_KEY",
        "NODION_API_KEY",
    ] {
        assert!(out.stdout.contains(text), "`{text}` missing:\n{out}");
    }
}
