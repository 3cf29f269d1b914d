//! Container registries (read-only).

use crate::common::*;
use httpmock::prelude::*;
use nodal_nodion::{ContainerRegistryId, RegistryType};

const REGISTRY: &str = "b2c3d4e5-f6a7-8901-bcde-f12345678901";

#[tokio::test]
async fn container_registries_list_and_get() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/container_registries")
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header_missing("content-type");
            then.status(200)
                .body(reference("container-registries--list"));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/container_registries/{REGISTRY}"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200)
                .body(reference("container-registries--get"));
        })
        .await;
    let client = user_view(&server);

    let registries = client.container_registries().list().await.unwrap();
    assert_eq!(registries[0].registry_type, Some(RegistryType::Nodion));
    assert_eq!(registries[1].id, ContainerRegistryId::from(REGISTRY));
    let one = client
        .container_registries()
        .get(&ContainerRegistryId::from(REGISTRY))
        .await
        .unwrap();
    assert_eq!(one.hostname.as_deref(), Some("docker.io"));
    assert_eq!(one.has_credentials, Some(true));

    list.assert_calls_async(1).await;
    get.assert_calls_async(1).await;
}
