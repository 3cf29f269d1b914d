//! `nodal demo`: both life cycles on the embedded twin, exit 0.

use crate::common::{Env, TempDir};

const STEPS: [&str; 10] = [
    "create project",
    "create app",
    "wait until available",
    "deploy",
    "wait after deploy",
    "stop",
    "start",
    "list apps",
    "delete app",
    "delete project",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_both_life_cycles_and_exits_0() {
    let state = TempDir::new("demo");
    // No key, no base URL: the demo needs no account.
    let out = Env::new(&state).run(&["demo"]).await.ok();
    let nodion = out.stdout.find("Nodion:").expect("a Nodion table");
    let nodana = out.stdout.find("Nodana:").expect("a Nodana table");
    for (table, end) in [(nodion, nodana), (nodana, out.stdout.len())] {
        let section = &out.stdout[table..end];
        for step in STEPS {
            assert!(section.contains(step), "step `{step}` missing:\n{section}");
        }
        assert!(!section.contains("FAILED"), "{section}");
    }
    assert!(
        out.stdout.contains("nodana rate-limit violations  0"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("every step passed"), "{}", out.stdout);
    // The one-time secrets of the Nodana app are counted, never shown.
    assert!(
        out.stdout.contains("one-time secrets (not shown)"),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_report_is_one_json_document() {
    let state = TempDir::new("demo-json");
    let report = Env::new(&state).run(&["demo", "--json"]).await.ok().json();
    assert_eq!(report["ok"], true);
    assert_eq!(report["counters"]["nodana_rate_limit_violations"], 0);
    assert_eq!(report["counters"]["nodana_apps_created"], 1);
    assert_eq!(report["counters"]["nodion_apps_created"], 1);
    let providers = report["providers"].as_array().unwrap();
    let names: Vec<&str> = providers
        .iter()
        .map(|p| p["provider"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["nodion", "nodana"]);
    for provider in providers {
        let steps: Vec<&str> = provider["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                assert_eq!(s["ok"], true, "{s}");
                s["step"].as_str().unwrap()
            })
            .collect();
        assert_eq!(steps, STEPS);
    }
    // Projects are created and deleted only where the provider can.
    assert_eq!(providers[0]["steps"][0]["skipped"], true);
    assert_eq!(providers[1]["steps"][0]["skipped"], false);
}
