//! Nodana rules: auth, envelope, projects, apps, templates, lifecycles, services.

use std::time::{Duration, Instant};

use crate::common::{Nodana, base64, basic, client, eventually, fast_sim, nodana_error};
use nodal_sim::Sim;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn basic_header_with_empty_user_is_decoded() {
    let sim = Sim::builder()
        .nodana_static_key("test-key")
        .start()
        .await
        .unwrap();
    assert_eq!(sim.nodana_key(), "test-key");
    let response = client()
        .get(format!("{}/projects", sim.nodana_base_url()))
        .header("Authorization", "Basic OnRlc3Qta2V5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let payload: Value = response.json().await.unwrap();
    assert_eq!(payload, json!({ "data": [] }));
    assert_eq!(basic("test-key"), "Basic OnRlc3Qta2V5");
}

#[tokio::test]
async fn wrong_auth_answers_200_with_an_unauthorized_payload() {
    let sim = fast_sim().await;
    let url = format!("{}/projects", sim.nodana_base_url());
    let key = sim.nodana_key();
    let user_and_key = format!("Basic {}", base64(&format!("user:{key}")));
    let headers = [
        None,
        Some(format!("Bearer {key}")),
        Some(user_and_key),
        Some(format!("Basic :{key}")), // the reference's wrong curl line
        Some(basic("not-a-key")),
    ];
    for header in headers {
        let mut request = client().get(&url);
        if let Some(header) = &header {
            request = request.header("Authorization", header);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        let payload: Value = response.json().await.unwrap();
        nodana_error(&payload, "UnauthorizedError", 401);
        assert!(payload.get("data").is_none());
    }
    assert!(
        sim.requests()
            .iter()
            .all(|r| r.key_id.is_none() && r.status == 401)
    );
}

#[tokio::test]
async fn projects_have_the_documented_shapes() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    let created = api
        .ok(
            Method::POST,
            "/projects",
            Some(json!({"name": "My Project"})),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created, json!({"id": id, "name": "My Project"}));

    let project = api.ok(Method::GET, &format!("/projects/{id}"), None).await;
    assert_eq!(project["name"], "My Project");
    assert_eq!(project["deleted"], false);
    assert!(project["userId"].as_str().unwrap().starts_with("usr-"));
    let created_at = project["createdAt"].as_str().unwrap();
    assert_eq!(
        created_at.len(),
        "2025-05-01T07:46:12.368Z".len(),
        "{created_at}"
    );
    assert!(created_at.ends_with('Z'));

    let renamed = api
        .ok(
            Method::POST,
            &format!("/projects/{id}/update"),
            Some(json!({"name": "Renamed"})),
        )
        .await;
    assert_eq!(renamed, json!({"id": id, "updated": true}));
    let list = api.ok(Method::GET, "/projects", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "Renamed");

    let missing = api.post("/projects", Some(json!({}))).await;
    assert!(nodana_error(&missing, "BadRequestError", 400).contains("name"));
}

#[tokio::test]
async fn a_fifth_project_is_refused() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    for n in 0..4 {
        api.ok(
            Method::POST,
            "/projects",
            Some(json!({"name": format!("p{n}")})),
        )
        .await;
    }
    let fifth = api.post("/projects", Some(json!({"name": "p5"}))).await;
    let message = nodana_error(&fifth, "ConflictError", 409);
    assert_eq!(
        message,
        "Project limit reached: an account can have at most 4 projects"
    );
    assert_eq!(
        api.ok(Method::GET, "/projects", None)
            .await
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn only_empty_projects_can_be_deleted() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    let project = api
        .ok(Method::POST, "/projects", Some(json!({"name": "p"})))
        .await;
    let pid = project["id"].as_str().unwrap();
    let app = api
        .ok(
            Method::POST,
            "/apps",
            Some(json!({"project_id": pid, "template": "lnbits"})),
        )
        .await;
    assert_eq!(app["projectId"], pid);

    let refused = api.post(&format!("/projects/{pid}/delete"), None).await;
    let message = nodana_error(&refused, "ConflictError", 409);
    assert_eq!(
        message,
        "Only empty projects can be deleted: delete the project's apps first"
    );

    let app_id = app["id"].as_str().unwrap();
    api.ok(Method::POST, &format!("/apps/{app_id}/delete"), None)
        .await;
    let deleted = api
        .ok(Method::POST, &format!("/projects/{pid}/delete"), None)
        .await;
    assert_eq!(deleted, json!({"id": pid, "deleted": true}));
    let gone = api.get(&format!("/projects/{pid}")).await;
    nodana_error(&gone, "NotFoundError", 404);
}

#[tokio::test]
async fn creating_an_app_without_a_project_creates_one_within_the_cap() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    for n in 0..3 {
        api.ok(
            Method::POST,
            "/projects",
            Some(json!({"name": format!("p{n}")})),
        )
        .await;
    }
    let app = api
        .ok(Method::POST, "/apps", Some(json!({"template": "boltzd"})))
        .await;
    let projects = api.ok(Method::GET, "/projects", None).await;
    assert_eq!(projects.as_array().unwrap().len(), 4);
    assert!(
        projects
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == app["projectId"])
    );

    let refused = api.post("/apps", Some(json!({"template": "boltzd"}))).await;
    nodana_error(&refused, "ConflictError", 409);
    assert_eq!(sim.counters().nodana_apps_created, 1);
}

#[tokio::test]
async fn templates_and_params_are_validated() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    let cases = [
        (json!({"template": "wordpress"}), "wordpress"),
        (json!({}), "template"),
        (
            json!({"template": "phoenixd", "params": {"auto_liquidity": "1h"}}),
            "auto_liquidity",
        ),
        (
            json!({"template": "phoenixd", "params": {"colour": "red"}}),
            "colour",
        ),
        (
            json!({"template": "boltzd", "params": {"mint_name": "x"}}),
            "mint_name",
        ),
        (
            json!({"template": "cdk-mintd", "params": {"mint_name": 7}}),
            "mint_name",
        ),
        (
            json!({"template": "lnbits", "project_id": 42}),
            "project_id",
        ),
    ];
    for (body, named) in cases {
        let payload = api.post("/apps", Some(body.clone())).await;
        let message = nodana_error(&payload, "BadRequestError", 400);
        assert!(message.contains(named), "{body} -> {message}");
    }
    let missing = api
        .post(
            "/apps",
            Some(json!({"template": "lnbits", "project_id": "prj-nope"})),
        )
        .await;
    nodana_error(&missing, "NotFoundError", 404);
    assert!(
        api.ok(Method::GET, "/projects", None)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    for ok in [
        json!({"template": "phoenixd", "params": {"auto_liquidity": "10m", "webhook": "https://example.com/hook"}}),
        json!({"template": "nutshell", "params": {"mint_name": "m", "mint_lnd_macaroon": "abc"}}),
    ] {
        api.ok(Method::POST, "/apps", Some(ok)).await;
    }
}

#[tokio::test]
async fn phoenixd_family_create_answers_carry_secrets() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    let project = api
        .ok(Method::POST, "/projects", Some(json!({"name": "p"})))
        .await;
    let pid = project["id"].as_str().unwrap();
    for template in ["phoenixd", "alby-hub-phoenixd", "lnbits-phoenixd"] {
        let app = api
            .ok(
                Method::POST,
                "/apps",
                Some(json!({"project_id": pid, "template": template})),
            )
            .await;
        assert_eq!(
            app["seedPhrase"].as_str().unwrap().split(' ').count(),
            12,
            "{template}"
        );
        assert!(!app["httpPassword"].as_str().unwrap().is_empty());
        assert!(!app["httpPasswordLimited"].as_str().unwrap().is_empty());
    }
    let plain = api
        .ok(
            Method::POST,
            "/apps",
            Some(json!({"project_id": pid, "template": "cdk-mintd"})),
        )
        .await;
    let keys: Vec<&String> = plain.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "projectId", "url"]);
}

#[tokio::test]
async fn an_app_becomes_available_after_the_start_delay() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::ZERO)
        .nodana_start_delay(Duration::from_millis(800))
        .start()
        .await
        .unwrap();
    let api = Nodana::new(&sim);
    let started = Instant::now();
    let created = api
        .ok(Method::POST, "/apps", Some(json!({"template": "phoenixd"})))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let url = created["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://phoenixd-") && url.ends_with(".nodana.app:8080"),
        "{url}"
    );

    let app = api.ok(Method::GET, &format!("/apps/{id}"), None).await;
    if started.elapsed() < Duration::from_millis(700) {
        assert_eq!(app["status"], "pending");
    }
    assert!(app["rate"].is_f64());
    assert_eq!(app["template"], "phoenixd");
    assert_eq!(app["projectId"], created["projectId"]);

    let api = &api;
    let path = format!("/apps/{id}");
    let path = &path;
    let available = eventually(Duration::from_secs(10), move || async move {
        api.ok(Method::GET, path, None).await["status"] == "available"
    })
    .await;
    assert!(available);
    assert!(started.elapsed() >= Duration::from_millis(800));
}

#[tokio::test]
async fn stop_start_restart_and_update_change_the_status() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::ZERO)
        .nodana_start_delay(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let api = Nodana::new(&sim);
    let created = api
        .ok(Method::POST, "/apps", Some(json!({"template": "alby-hub"})))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let status = |body: Value| body["status"].as_str().unwrap().to_owned();
    assert_eq!(
        status(api.ok(Method::GET, &format!("/apps/{id}"), None).await),
        "available"
    );

    assert_eq!(
        api.ok(Method::POST, &format!("/apps/{id}/stop"), None)
            .await,
        json!({"id": id})
    );
    assert_eq!(
        status(api.ok(Method::GET, &format!("/apps/{id}"), None).await),
        "cordoned"
    );
    let services = api
        .ok(Method::GET, &format!("/apps/{id}/services"), None)
        .await;
    assert_eq!(services[0]["status"], "stopped");

    assert_eq!(
        api.ok(Method::POST, &format!("/apps/{id}/start"), None)
            .await,
        json!({"id": id})
    );
    assert_eq!(
        status(api.ok(Method::GET, &format!("/apps/{id}"), None).await),
        "available"
    );
    assert_eq!(
        api.ok(Method::POST, &format!("/apps/{id}/restart"), None)
            .await,
        json!({"id": id})
    );

    let updated = api
        .ok(Method::POST, &format!("/apps/{id}/update"), None)
        .await;
    assert_eq!(
        updated,
        json!({"id": id, "image": "nodana/alby-hub:0.2.0", "version": "0.2.0"})
    );
    let again = api
        .ok(Method::POST, &format!("/apps/{id}/update"), None)
        .await;
    assert_eq!(again, updated, "update to latest is idempotent");
    let services = api
        .ok(Method::GET, &format!("/apps/{id}/services"), None)
        .await;
    assert!(
        services
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["version"] == "0.2.0")
    );
}

#[tokio::test]
async fn pending_apps_report_pending_after_start_and_restart() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::ZERO)
        .nodana_start_delay(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let api = Nodana::new(&sim);
    let created = api
        .ok(Method::POST, "/apps", Some(json!({"template": "vss"})))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    api.ok(Method::POST, &format!("/apps/{id}/stop"), None)
        .await;
    api.ok(Method::POST, &format!("/apps/{id}/start"), None)
        .await;
    let app = api.ok(Method::GET, &format!("/apps/{id}"), None).await;
    assert_eq!(app["status"], "pending");
    let services = api
        .ok(Method::GET, &format!("/apps/{id}/services"), None)
        .await;
    assert_eq!(services[0]["status"], "pending");
}

#[tokio::test]
async fn services_list_and_update_versions() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    let created = api
        .ok(
            Method::POST,
            "/apps",
            Some(json!({"template": "lnbits-phoenixd"})),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let services = api
        .ok(Method::GET, &format!("/apps/{id}/services"), None)
        .await;
    let services = services.as_array().unwrap();
    assert_eq!(services.len(), 2);
    let names: Vec<&str> = services
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["lnbits", "phoenixd"]);
    for service in services {
        assert_eq!(service["appId"], id.as_str());
        assert_eq!(service["version"], "0.1.0");
        for field in ["id", "slug", "region", "status", "createdAt", "updatedAt"] {
            assert!(service[field].is_string(), "{field}: {service}");
        }
    }
    let sid = services[1]["id"].as_str().unwrap();
    let path = format!("/apps/{id}/services/{sid}/update");
    let first = api.ok(Method::POST, &path, None).await;
    assert_eq!(
        first,
        json!({"id": id, "serviceId": sid, "version": "0.1.1", "updated": true})
    );
    let second = api.ok(Method::POST, &path, None).await;
    assert_eq!(
        second["version"], "0.1.2",
        "a service update steps once per call"
    );
    let unknown = api
        .post(&format!("/apps/{id}/services/svc-nope/update"), None)
        .await;
    nodana_error(&unknown, "NotFoundError", 404);
}

#[tokio::test]
async fn a_deleted_app_is_gone() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    let created = api
        .ok(Method::POST, "/apps", Some(json!({"template": "gatewayd"})))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let pid = created["projectId"].as_str().unwrap().to_owned();
    assert_eq!(
        api.ok(Method::POST, &format!("/apps/{id}/delete"), None)
            .await,
        json!({"id": id})
    );
    nodana_error(&api.get(&format!("/apps/{id}")).await, "NotFoundError", 404);
    nodana_error(
        &api.post(&format!("/apps/{id}/delete"), None).await,
        "NotFoundError",
        404,
    );
    nodana_error(
        &api.post(&format!("/apps/{id}/start"), None).await,
        "NotFoundError",
        404,
    );
    let apps = api
        .ok(Method::GET, &format!("/projects/{pid}/apps"), None)
        .await;
    assert_eq!(apps, json!([]));
}

#[tokio::test]
async fn every_key_is_its_own_account() {
    let sim = fast_sim().await;
    let first = Nodana::new(&sim);
    let project = first
        .ok(Method::POST, "/projects", Some(json!({"name": "mine"})))
        .await;
    let pid = project["id"].as_str().unwrap();
    let second = Nodana::with_key(&sim, &sim.issue_nodana_key());
    assert_eq!(second.ok(Method::GET, "/projects", None).await, json!([]));
    // Another account's ids exist, so they are forbidden (the reference's example error,
    // verbatim), not unknown.
    let forbidden =
        json!({"message": "Request is forbidden", "error": "ForbiddenError", "statusCode": 403});
    assert_eq!(second.get(&format!("/projects/{pid}")).await, forbidden);
    let refused = second
        .post(
            "/apps",
            Some(json!({"template": "lnbits", "project_id": pid})),
        )
        .await;
    assert_eq!(refused, forbidden);
    let app = first
        .ok(
            Method::POST,
            "/apps",
            Some(json!({"template": "lnbits", "project_id": pid})),
        )
        .await;
    let app_id = app["id"].as_str().unwrap();
    for (method, path) in [
        (Method::GET, format!("/apps/{app_id}")),
        (Method::POST, format!("/apps/{app_id}/stop")),
        (Method::POST, format!("/apps/{app_id}/delete")),
        (Method::GET, format!("/apps/{app_id}/services")),
        (Method::POST, format!("/projects/{pid}/delete")),
    ] {
        assert_eq!(second.call(method, &path, None).await, forbidden, "{path}");
    }
    // Ids no account has stay unknown.
    nodana_error(
        &second.get("/apps/app-000000000000").await,
        "NotFoundError",
        404,
    );
    // The owner still sees its app, untouched.
    assert_eq!(
        first
            .ok(Method::GET, &format!("/apps/{app_id}"), None)
            .await["id"],
        json!(app_id)
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_not_found_payloads() {
    let sim = fast_sim().await;
    let api = Nodana::new(&sim);
    for (method, path) in [
        (Method::GET, "/nope"),
        (Method::PUT, "/projects"),
        (Method::DELETE, "/apps/app-1"),
        (Method::GET, "/apps/app-1/start"),
        (Method::GET, ""),
    ] {
        let payload = api.call(method.clone(), path, None).await;
        nodana_error(&payload, "NotFoundError", 404);
    }
}

#[tokio::test]
async fn bad_json_and_oversized_bodies_answer_error_payloads() {
    let sim = Sim::builder()
        .nodana_min_interval(Duration::ZERO)
        .max_request_body(1024)
        .start()
        .await
        .unwrap();
    let url = format!("{}/projects", sim.nodana_base_url());
    let send = |body: Vec<u8>| {
        client()
            .post(&url)
            .header("Authorization", basic(&sim.nodana_key()))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let bad: Value = send(b"{\"name\": ".to_vec())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(nodana_error(&bad, "BadRequestError", 400).contains("JSON"));
    let not_object: Value = send(b"[1, 2]".to_vec())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    nodana_error(&not_object, "BadRequestError", 400);
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(4096));
    let response = send(huge.into_bytes()).await.unwrap();
    assert_eq!(response.status(), 200);
    let too_large: Value = response.json().await.unwrap();
    nodana_error(&too_large, "PayloadTooLargeError", 413);
}
