//! The request log and counters.

use crate::common::{Nodana, Nodion, client, fast_sim};
use nodal_sim::{Fault, FaultKind, Provider};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_log_names_key_ids_never_keys() {
    let sim = fast_sim().await;
    let nodana = Nodana::new(&sim);
    nodana
        .ok(Method::POST, "/projects", Some(json!({"name": "p"})))
        .await;
    let nodion = Nodion::new(&sim);
    nodion.get("/regions", &sim.nodion_user_key()).await;
    nodion.get("/regions", &sim.nodion_project_key()).await;
    sim.inject(Fault::new(Provider::Nodion, FaultKind::Status(502)));
    nodion.get("/applications", &sim.nodion_user_key()).await;

    let log = sim.requests();
    assert_eq!(log.len(), 4);
    assert_eq!(
        (
            log[0].provider,
            log[0].method.as_str(),
            log[0].path.as_str()
        ),
        (Provider::Nodana, "POST", "/projects")
    );
    assert_eq!(log[0].key_id.as_deref(), Some("nodana-key-1"));
    assert_eq!(log[1].key_id.as_deref(), Some("nodion-key-1"));
    assert_eq!(log[2].key_id.as_deref(), Some("nodion-key-2"));
    assert_eq!(
        (log[3].status, log[3].key_id.as_deref()),
        (502, Some("nodion-key-1"))
    );
    assert!(log.windows(2).all(|w| w[0].at <= w[1].at));
    let printed = format!("{log:?}");
    for key in [
        sim.nodana_key(),
        sim.nodion_user_key(),
        sim.nodion_project_key(),
    ] {
        assert!(!printed.contains(&key));
    }
    assert!(!format!("{sim:?}").contains(&sim.nodana_key()));
}

#[tokio::test]
async fn counters_count_creates_per_project_across_providers() {
    let sim = fast_sim().await;
    let nodana = Nodana::new(&sim);
    let app = nodana
        .ok(Method::POST, "/apps", Some(json!({"template": "lnbits"})))
        .await;
    let nodion = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    nodion.create_app(&key, None, "a").await;
    nodion.create_app(&key, None, "b").await;
    let counters = sim.counters();
    assert_eq!(
        (
            counters.apps_created,
            counters.nodana_apps_created,
            counters.nodion_apps_created
        ),
        (3, 1, 2)
    );
    assert_eq!(
        counters.apps_created_per_project[app["projectId"].as_str().unwrap()],
        1
    );
    assert_eq!(
        counters.apps_created_per_project[&sim.nodion_default_project()],
        2
    );
    assert_eq!(
        counters.deployments_created, 0,
        "creating an app does not deploy it"
    );
    assert_eq!(counters.requests, 3);
}

#[tokio::test]
async fn env_exports_point_at_this_sim() {
    let sim = fast_sim().await;
    let exports = sim.env_exports();
    assert_eq!(
        exports,
        format!(
            "export NODANA_API_BASE_URL={}\nexport NODANA_API_KEY={}\nexport NODION_API_BASE_URL={}\nexport NODION_API_KEY={}\n",
            sim.nodana_base_url(),
            sim.nodana_key(),
            sim.nodion_base_url(),
            sim.nodion_user_key()
        )
    );
    assert_eq!(
        sim.nodana_base_url(),
        format!("http://{}/nodana/v1", sim.addr())
    );
    assert_eq!(
        sim.nodion_base_url(),
        format!("http://{}/nodion/v1", sim.addr())
    );
}

#[tokio::test]
async fn dropping_the_sim_stops_the_server() {
    let sim = fast_sim().await;
    let url = format!("{}/regions", sim.nodion_base_url());
    drop(sim);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let error = client().get(&url).send().await.unwrap_err();
    assert!(error.is_connect() || error.is_request(), "{error}");
}
