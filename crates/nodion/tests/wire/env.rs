//! Environment variables: values are secrets on the way in and out.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::AppId;
use nodal_core::ExposeSecret;
use nodal_nodion::{EnvVariableId, EnvVariableUpdate, NewEnvVariable};
use serde_json::json;

const VALUE: &str = "postgres://shop:hunter2-canary@db.internal/shop";

fn env_json(id: &str, key: &str, value: &str, buildtime: bool) -> serde_json::Value {
    json!({
        "id": id, "env_key": key, "env_val": value, "buildtime": buildtime,
        "created_at": "2025-05-24T08:07:10.509Z", "updated_at": "2025-05-24T08:07:10.509Z"
    })
}

#[tokio::test]
async fn list_env_variables_decodes_values_as_secrets() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/env_variables"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200).json_body(json!({"env_variables": [
                env_json("e-1", "DATABASE_URL", VALUE, false),
                {"id": "e-2", "env_key": "EMPTY", "env_val": null, "buildtime": null}
            ]}));
        })
        .await;

    let vars = user_view(&server)
        .env()
        .list(&AppId::from(APP))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(vars[0].key, "DATABASE_URL");
    assert_eq!(vars[0].value.expose_secret(), VALUE);
    assert!(!vars[0].build_time);
    assert_eq!(vars[1].value.expose_secret(), "");
    let shown = format!("{vars:?} {}", serde_json::to_string(&vars).unwrap());
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("DATABASE_URL"));
}

#[tokio::test]
async fn get_env_variable_decodes_one() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/env_variables/e-1"))
                .header("authorization", user_auth());
            then.status(200)
                .json_body(json!({"env_variable": env_json("e-1", "TOKEN", "abc", true)}));
        })
        .await;

    let var = user_client(&server)
        .env()
        .get(&AppId::from(APP), &EnvVariableId::from("e-1"))
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(var.id.as_str(), "e-1");
    assert!(var.build_time);
    assert_eq!(var.created_at.as_deref(), Some("2025-05-24T08:07:10.509Z"));
}

#[tokio::test]
async fn create_env_variable_sends_the_value_only_on_the_wire() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/env_variables"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header("content-type", "application/json")
                .json_body(json!({"env_key": "DATABASE_URL", "env_val": VALUE, "buildtime": true}));
            then.status(201)
                .json_body(json!({"env_variable": env_json("e-9", "DATABASE_URL", VALUE, true)}));
        })
        .await;

    let new = NewEnvVariable::new("DATABASE_URL", VALUE.into()).build_time(true);
    assert!(!format!("{new:?}").contains("hunter2"));
    let var = user_view(&server)
        .env()
        .create(&AppId::from(APP), &new)
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
    assert_eq!(var.id.as_str(), "e-9");
    assert!(!format!("{var:?}").contains("hunter2"));
}

#[tokio::test]
async fn update_env_variable_patches_the_fields_set() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/applications/{APP}/env_variables/e-1"))
                .header("authorization", user_auth())
                .json_body(json!({"env_val": "rotated-secret"}));
            then.status(200).json_body(
                json!({"env_variable": env_json("e-1", "TOKEN", "rotated-secret", false)}),
            );
        })
        .await;

    let change = EnvVariableUpdate::new().value("rotated-secret".into());
    assert!(!format!("{change:?}").contains("rotated"));
    let var = user_client(&server)
        .env()
        .update(&AppId::from(APP), &EnvVariableId::from("e-1"), &change)
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(var.value.expose_secret(), "rotated-secret");
}

#[tokio::test]
async fn delete_env_variable_accepts_204() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/v1/applications/{APP}/env_variables/e-1"))
                .header("authorization", project_auth())
                .header_missing("x-nodion-project");
            then.status(204);
        })
        .await;

    project_client(&server)
        .env()
        .delete(&AppId::from(APP), &EnvVariableId::from("e-1"))
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
}
