//! Every row of Nodion's scope table (`docs/providers/nodion.md`), allowed and refused (user
//! keys), and project keys without scope checks.

use crate::common::{Nodion, app_body, fast_sim, nodion_forbidden};
use nodal_sim::{NODION_SCOPES, NodionKeySpec, Sim};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// An app to act on, made with the all-scopes key; returns its id.
async fn app(sim: &Sim, api: &Nodion) -> String {
    api.create_app_id(&sim.nodion_user_key(), None, "scoped")
        .await
}

async fn status_with(
    sim: &Sim,
    api: &Nodion,
    scopes: &[&str],
    method: Method,
    path: &str,
    body: Option<Value>,
) -> StatusCode {
    let key = sim.issue_nodion_user_key(NodionKeySpec::new().scopes(scopes.iter().copied()));
    let answer = api.call(method, path, &key, None, body).await;
    if answer.status == StatusCode::FORBIDDEN {
        assert_eq!(answer.body, nodion_forbidden());
    }
    answer.status
}

#[tokio::test]
async fn read_allows_every_get() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let id = app(&sim, &api).await;
    for path in [
        "/regions".to_owned(),
        "/instance_types".to_owned(),
        "/projects".to_owned(),
        "/applications".to_owned(),
        format!("/applications/{id}"),
        format!("/applications/{id}/deployments"),
        format!("/applications/{id}/processes"),
        format!("/applications/{id}/domains"),
        format!("/applications/{id}/instances"),
        format!("/applications/{id}/metrics"),
        "/dns_zones".to_owned(),
        "/ssh_keys".to_owned(),
    ] {
        assert_eq!(
            status_with(&sim, &api, &["read"], Method::GET, &path, None).await,
            StatusCode::OK,
            "{path}"
        );
        let others = ["write", "deploy", "env:read", "env:write", "logs:read"];
        assert_eq!(
            status_with(&sim, &api, &others, Method::GET, &path, None).await,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
}

const STARTER: &str = "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a51";

#[tokio::test]
async fn write_allows_generic_changes() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let id = app(&sim, &api).await;
    let cases = [
        (
            Method::POST,
            "/ssh_keys".to_owned(),
            json!({"name": "laptop", "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO7T me@host"}),
        ),
        (
            Method::POST,
            "/dns_zones".to_owned(),
            json!({"name": "example.com"}),
        ),
        (
            Method::POST,
            format!("/applications/{id}/domains"),
            json!({"domain_name": "shop.example.com"}),
        ),
        (
            Method::PATCH,
            format!("/applications/{id}"),
            json!({"name": "renamed"}),
        ),
        (Method::POST, "/applications".to_owned(), app_body("second")),
        (
            Method::POST,
            format!("/applications/{id}/scaling_events"),
            json!({"instance_amount": 2, "instance_type_id": STARTER}),
        ),
    ];
    for (method, path, body) in cases {
        let without = ["read", "deploy", "env:read", "env:write", "logs:read"];
        let refused = status_with(
            &sim,
            &api,
            &without,
            method.clone(),
            &path,
            Some(body.clone()),
        )
        .await;
        assert_eq!(refused, StatusCode::FORBIDDEN, "{method} {path}");
        let allowed = status_with(&sim, &api, &["write"], method.clone(), &path, Some(body)).await;
        assert!(allowed.is_success(), "{method} {path}: {allowed}");
    }
}

#[tokio::test]
async fn deploy_allows_creating_deployments() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let id = app(&sim, &api).await;
    let path = format!("/applications/{id}/deployments");
    let without = ["read", "write", "env:read", "env:write", "logs:read"];
    assert_eq!(
        status_with(&sim, &api, &without, Method::POST, &path, None).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_with(&sim, &api, &["deploy"], Method::POST, &path, None).await,
        StatusCode::OK
    );
    assert_eq!(sim.counters().deployments_created, 1);
}

#[tokio::test]
async fn env_read_is_needed_to_read_env_variables() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let id = app(&sim, &api).await;
    let path = format!("/applications/{id}/env_variables");
    assert_eq!(
        status_with(&sim, &api, &["read"], Method::GET, &path, None).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_with(&sim, &api, &["env:read"], Method::GET, &path, None).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_with(&sim, &api, &["read", "env:read"], Method::GET, &path, None).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn env_write_is_needed_to_change_env_variables() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let id = app(&sim, &api).await;
    let path = format!("/applications/{id}/env_variables");
    let body = || Some(json!({"env_key": "DATABASE_URL", "env_val": "postgres://db"}));
    assert_eq!(
        status_with(&sim, &api, &["write", "read"], Method::POST, &path, body()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_with(&sim, &api, &["env:write"], Method::POST, &path, body()).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn logs_read_is_needed_to_read_logs() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let id = app(&sim, &api).await;
    let path = format!("/applications/{id}/logs");
    assert_eq!(
        status_with(&sim, &api, &["read"], Method::GET, &path, None).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_with(&sim, &api, &["read", "logs:read"], Method::GET, &path, None).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn project_keys_are_never_scope_checked() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_project_key();
    let id = api.create_app_id(&key, None, "ci").await;
    for (method, path) in [
        (Method::GET, format!("/applications/{id}/env_variables")),
        (Method::GET, format!("/applications/{id}/logs")),
        (Method::POST, format!("/applications/{id}/deployments")),
    ] {
        let answer = api.call(method, &path, &key, None, None).await;
        assert!(answer.status.is_success(), "{path}: {:?}", answer.body);
    }
    assert_eq!(NODION_SCOPES.len(), 6);
}
