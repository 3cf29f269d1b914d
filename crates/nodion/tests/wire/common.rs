//! Shared fixtures: keys, ids, clients with a fast limiter and fast retries, documented shapes.

use httpmock::prelude::*;
use nodal_core::{Quota, RateLimit};
use nodal_nodion::NodionClient;
pub(crate) use nodal_testkit::{fast_retry, first};
use serde_json::{Value, json};

pub(crate) const USER_KEY: &str = "nk-user-canary-5a7c3e";
pub(crate) const PROJECT_KEY: &str = "nk-project-canary-9b1d4f";
pub(crate) const PROJECT: &str = "7a0c1e52-0d3f-4b8e-9a61-3c2d5e6f7a81";
pub(crate) const OTHER_PROJECT: &str = "1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b";
pub(crate) const APP: &str = "0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10";
pub(crate) const REGION_EUC: &str = "5903725b-f554-4294-ab17-c992a765a001";
pub(crate) const TYPE_STARTER: &str = "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a51";

pub(crate) fn user_auth() -> String {
    format!("Bearer {USER_KEY}")
}

pub(crate) fn project_auth() -> String {
    format!("Bearer {PROJECT_KEY}")
}

pub(crate) fn fast_limit() -> RateLimit {
    RateLimit::new(Quota::per_second(200).with_burst(50))
}

/// A user-key client without a selected project.
pub(crate) fn user_client(server: &MockServer) -> NodionClient {
    NodionClient::builder()
        .user_key(USER_KEY)
        .base_url(server.url("/v1"))
        .retry(fast_retry())
        .rate_limit(fast_limit())
        .build()
        .unwrap()
}

/// A user-key client viewing [`PROJECT`].
pub(crate) fn user_view(server: &MockServer) -> NodionClient {
    user_client(server).project(PROJECT)
}

/// A project-key client.
pub(crate) fn project_client(server: &MockServer) -> NodionClient {
    NodionClient::builder()
        .project_key(PROJECT_KEY)
        .base_url(server.url("/v1"))
        .retry(fast_retry())
        .rate_limit(fast_limit())
        .build()
        .unwrap()
}

/// The `GET /v1/regions` example of Nodion's authentication reference (`docs/providers/nodion.md`).
pub(crate) const SEED_REGIONS: &str = r#"{
"regions": [
{
"id": "5903725b-f554-4294-ab17-c992a765a001",
"name": "EU Central",
"slug": "euc"
},
{
"id": "5e4ce16b-7409-4bb4-849a-9aec0ec0c7af",
"name": "US East",
"slug": "use"
}
]
}"#;

pub(crate) fn instance_types_json() -> Value {
    json!({"instance_types": [{
        "id": TYPE_STARTER, "name": "Starter", "slug": "starter", "category": "shared",
        "cpu": 0.5, "mem": 512, "price_month": 5.0, "price_second": 0.0000019
    }]})
}

/// An application as documented: nullable fields null, an unknown field present.
pub(crate) fn app_json(id: &str, status: &str) -> Value {
    json!({
        "id": id,
        "name": "web-shop",
        "status": status,
        "state": "running",
        "instance_amount": 2,
        "instance_type_id": TYPE_STARTER,
        "region": {"id": REGION_EUC, "name": "EU Central", "slug": "euc"},
        "workers": [],
        "deployment_strategy": "prebuilt_image",
        "container_registry_id": null,
        "image_name": "ghcr.io/acme/web",
        "image_tag": "1.4.2",
        "created_at": "2025-05-24T08:07:10.509Z",
        "updated_at": "2025-05-24T08:07:10.509Z",
        "something_new": {"nested": true}
    })
}

pub(crate) fn deployment_json(id: &str, number: u64, status: &str) -> Value {
    json!({
        "id": id,
        "status": status,
        "deploy_number": number,
        "git_sha": null,
        "commit_message": null,
        "committer_name": null,
        "committer_email": null,
        "commit_timestamp": null,
        "strategy": "prebuilt_image",
        "image_reference": format!("ghcr.io/acme/web:{number}"),
        "created_at": format!("2025-05-24T08:0{number}:00Z"),
        "updated_at": format!("2025-05-24T08:0{number}:30Z")
    })
}

pub(crate) fn process_json(id: &str, amount: u32) -> Value {
    json!({
        "id": id, "status": "running", "state": "running", "name": "web", "slug": "web",
        "image_name": "ghcr.io/acme/web", "instance_amount": amount, "entrypoint": null,
        "instance_type": {"id": TYPE_STARTER, "name": "Starter", "slug": "starter"},
        "ports": [{"id": "port-1", "port": 8080, "protocol": "http"}]
    })
}

/// The JSON body of a reference fixture (`tests/fixtures/reference/<name>.json.txt`) without
/// its `# ` header lines, as a server would send it.
pub(crate) fn reference(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/reference/{name}.json.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .skip_while(|line| line.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n")
}
