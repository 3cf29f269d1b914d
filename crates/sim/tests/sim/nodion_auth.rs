//! Nodion keys: Bearer, expiry, revocation, project keys, project selection, allow-lists.

use std::time::Duration;

use crate::common::{Nodion, client, fast_sim, nodion_forbidden, nodion_unauthorized};
use nodal_sim::NodionKeySpec;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn requests_without_a_valid_bearer_key_answer_401() {
    let sim = fast_sim().await;
    let url = format!("{}/regions", sim.nodion_base_url());
    let key = sim.nodion_user_key();
    for header in [
        None,
        Some(format!("Basic {key}")),
        Some("Bearer".to_owned()),
        Some("Bearer nope".to_owned()),
    ] {
        let mut request = client().get(&url);
        if let Some(header) = header {
            request = request.header("Authorization", header);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            nodion_unauthorized()
        );
    }
    assert_eq!(
        Nodion::new(&sim).get("/regions", &key).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_regions_are_exactly_the_documented_ones() {
    let sim = fast_sim().await;
    let answer = Nodion::new(&sim)
        .get("/regions", &sim.nodion_user_key())
        .await;
    assert_eq!(
        answer.body,
        json!({"regions": [
            {"id": "5903725b-f554-4294-ab17-c992a765a001", "name": "EU Central", "slug": "euc"},
            {"id": "5e4ce16b-7409-4bb4-849a-9aec0ec0c7af", "name": "US East", "slug": "use"}
        ]})
    );
}

#[tokio::test]
async fn expired_keys_answer_401() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let expired = sim.issue_nodion_user_key(NodionKeySpec::all_scopes().expired());
    let answer = api.get("/regions", &expired).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body, nodion_unauthorized());

    let short =
        sim.issue_nodion_user_key(NodionKeySpec::all_scopes().expires_in(Duration::from_secs(1)));
    assert_eq!(api.get("/regions", &short).await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        api.get("/regions", &short).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn revoked_keys_answer_401_on_the_next_request() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.issue_nodion_user_key(NodionKeySpec::all_scopes());
    assert_eq!(api.get("/applications", &key).await.status, StatusCode::OK);
    sim.revoke_nodion_key(&key);
    let answer = api.get("/applications", &key).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body, nodion_unauthorized());
}

#[tokio::test]
async fn user_keys_fall_back_to_the_default_project_and_follow_the_header() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let staging = sim.create_nodion_project("staging");
    api.create_app(&key, None, "in-default").await;
    let in_staging = api.create_app(&key, Some(&staging), "in-staging").await;
    assert_eq!(in_staging["project_id"], staging.as_str());

    let default_list = api.get("/applications", &key).await.body;
    let names: Vec<&str> = default_list["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["in-default"]);
    let staging_list = api
        .call(Method::GET, "/applications", &key, Some(&staging), None)
        .await
        .body;
    assert_eq!(staging_list["applications"][0]["name"], "in-staging");

    // A lookup is scoped to the selected project: the staging app is not in the default one.
    let id = in_staging["id"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/applications/{id}"), &key).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_header_naming_a_project_the_user_lacks_answers_403() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    for project in ["5903725b-0000-4000-8000-000000000000", "not-a-uuid"] {
        let answer = api
            .call(
                Method::GET,
                "/applications",
                &sim.nodion_user_key(),
                Some(project),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.body, nodion_forbidden());
    }
}

#[tokio::test]
async fn project_keys_are_bound_to_their_project_and_ignore_the_header() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let other = sim.create_nodion_project("other");
    let key = sim.nodion_project_key();
    let app = api.create_app(&key, Some(&other), "bound").await;
    assert_eq!(app["project_id"], sim.nodion_default_project().as_str());
    let listed = api
        .call(Method::GET, "/applications", &key, Some(&other), None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body["applications"][0]["name"], "bound");
    let projects = api.get("/projects", &key).await.body;
    assert_eq!(projects["projects"].as_array().unwrap().len(), 1);
    assert_eq!(
        projects["projects"][0]["id"],
        sim.nodion_default_project().as_str()
    );

    let other_key = sim.issue_nodion_project_key(&other);
    let in_other = api.get("/applications", &other_key).await.body;
    assert_eq!(in_other, json!({"applications": []}));
}

#[tokio::test]
async fn an_allow_list_limits_projects_and_the_project_list() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let allowed = sim.create_nodion_project("allowed");
    let _hidden = sim.create_nodion_project("hidden");
    let key = sim.issue_nodion_user_key(NodionKeySpec::all_scopes().allow_list([allowed.clone()]));

    let projects = api.get("/projects", &key).await.body;
    let ids: Vec<&str> = projects["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [allowed.as_str()]);
    let all = api.get("/projects", &sim.nodion_user_key()).await.body;
    assert_eq!(all["projects"].as_array().unwrap().len(), 3);
    for field in ["id", "name", "created_at", "updated_at"] {
        assert!(all["projects"][0][field].is_string(), "{field}");
    }

    // The default project is outside the list: 403 without a header, and with it named.
    let default = sim.nodion_default_project();
    assert_eq!(
        api.get("/applications", &key).await.status,
        StatusCode::FORBIDDEN
    );
    let named = api
        .call(Method::GET, "/applications", &key, Some(&default), None)
        .await;
    assert_eq!(named.status, StatusCode::FORBIDDEN);
    let ok = api
        .call(Method::GET, "/applications", &key, Some(&allowed), None)
        .await;
    assert_eq!(ok.status, StatusCode::OK);

    let defaulted = sim.issue_nodion_user_key(
        NodionKeySpec::all_scopes()
            .allow_list([allowed.clone()])
            .default_project(allowed.clone()),
    );
    assert_eq!(
        api.get("/applications", &defaulted).await.status,
        StatusCode::OK
    );
}
