//! SSH keys (inferred paths and shapes).

use crate::common::*;
use httpmock::prelude::*;
use serde_json::json;

#[tokio::test]
async fn ssh_keys_list_create_and_delete() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/ssh_keys")
                .header("authorization", project_auth())
                .header_missing("x-nodion-project");
            then.status(200).json_body(json!({"ssh_keys": [
                {"id": "k-1", "name": "laptop", "fingerprint": "SHA256:abc", "created_at": null}
            ]}));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/ssh_keys")
                .header("content-type", "application/json")
                .json_body(json!({"name": "ci", "public_key": "ssh-ed25519 AAAAC3Nz ci@example"}));
            then.status(201).json_body(json!({"ssh_key": {
                "id": "k-2", "name": "ci", "fingerprint": "SHA256:def",
                "public_key": "ssh-ed25519 AAAAC3Nz ci@example"
            }}));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/v1/ssh_keys/k-2");
            then.status(204);
        })
        .await;
    let client = project_client(&server);

    let keys = client.ssh_keys().list().await.unwrap();
    assert_eq!(keys[0].fingerprint.as_deref(), Some("SHA256:abc"));
    let key = client
        .ssh_keys()
        .create("ci", "ssh-ed25519 AAAAC3Nz ci@example")
        .await
        .unwrap();
    assert_eq!(key.id.as_str(), "k-2");
    client.ssh_keys().delete(&key.id).await.unwrap();

    list.assert_calls_async(1).await;
    create.assert_calls_async(1).await;
    delete.assert_calls_async(1).await;
}
