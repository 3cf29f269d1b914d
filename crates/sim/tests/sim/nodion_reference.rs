//! The twin against Nodion's published reference: the deploy-after-create life cycle, 200
//! creates and 400 validation, the DNS wrappers, default records, filters and the duplicate
//! message, scaling events, domain connect, and the seeded read-only surfaces (integrations,
//! email zones, container registries, runners and runs).

use std::time::Duration;

use crate::common::{Nodion, eventually, fast_sim};
use nodal_sim::Sim;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const STARTER: &str = "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a51";
const STANDARD: &str = "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a52";

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn creating_an_app_does_not_deploy_it_until_a_deployment_is_triggered() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let app = api.create_app(&key, None, "shop").await;
    let id = app["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (&app["status"], &app["state"]),
        (&json!("created"), &json!("default"))
    );
    let deployments = format!("/applications/{id}/deployments");
    let instances = format!("/applications/{id}/instances");
    // Well past the deploy delay: still nothing deployed, nothing running.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        api.get(&deployments, &key).await.body,
        json!({"deployments": []})
    );
    assert_eq!(
        api.get(&instances, &key).await.body,
        json!({"instances": []})
    );
    assert_eq!(
        api.get(&format!("/applications/{id}"), &key).await.body["application"]["status"],
        "created"
    );

    let deployment = api.deploy(&key, &id).await;
    assert_eq!(
        (&deployment["status"], &deployment["deploy_number"]),
        (&json!("created"), &json!(1))
    );
    assert!(deployment["updated_at"].is_string());
    let online = eventually(Duration::from_secs(5), || async {
        api.get(&format!("/applications/{id}"), &key).await.body["application"]["status"]
            == "online"
    })
    .await;
    assert!(online, "the app is online once its deployment is available");
    let app = api.get(&format!("/applications/{id}"), &key).await.body;
    assert_eq!(app["application"]["state"], "default");
    assert_eq!(
        api.get(&deployments, &key).await.body["deployments"][0]["status"],
        "available"
    );
    let running = api.get(&instances, &key).await.body;
    assert_eq!(running["instances"][0]["status"], "online");
    assert_eq!(
        running["instances"][0]["deployment"]["id"],
        deployment["id"]
    );
}

#[tokio::test]
async fn a_new_zone_holds_the_five_default_records() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let created = api
        .call(
            Method::POST,
            "/dns_zones",
            &key,
            None,
            Some(json!({"name": "nodionsample.com"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let zone = &created.body["dns_zone"];
    let zid = zone["id"].as_str().unwrap().to_owned();
    assert_eq!(zone["name"], "nodionsample.com");
    assert!(zone["created_at"].is_string() && zone["updated_at"].is_string());
    let records: Vec<(Value, Value, Value, Value, Value)> = zone["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["record_type"].clone(),
                r["name"].clone(),
                r["content"].clone(),
                r["ttl"].clone(),
                r["zone_id"].clone(),
            )
        })
        .collect();
    let expected: Vec<(Value, Value, Value, Value, Value)> = [
        ("a", "@", "1.2.3.4"),
        ("a", "*", "1.2.3.4"),
        ("a", "www", "1.2.3.4"),
        ("ns", "@", "ns1.nodion.com"),
        ("ns", "@", "ns2.nodion.com"),
    ]
    .into_iter()
    .map(|(t, n, c)| (json!(t), json!(n), json!(c), json!(3600), json!(zid)))
    .collect();
    assert_eq!(records, expected);
    for field in ["prio", "port", "weight"] {
        assert_eq!(zone["records"][0][field], Value::Null, "{field}");
    }

    // The zone list carries the records too, and filters by the exact name.
    let listed = api.get("/dns_zones?name=nodionsample.com", &key).await.body;
    assert_eq!(
        listed["dns_zones"][0]["records"].as_array().unwrap().len(),
        5
    );
    assert_eq!(
        api.get("/dns_zones?name=other.com", &key).await.body,
        json!({"dns_zones": []})
    );
    let one = api.get(&format!("/dns_zones/{zid}"), &key).await.body;
    assert_eq!(one["dns_zone"]["id"], json!(zid));

    // Record filters: name, record_type, content, each exact.
    let records = format!("/dns_zones/{zid}/records");
    let count = |query: &'static str| {
        let api = &api;
        let key = &key;
        let records = &records;
        async move {
            api.get(&format!("{records}{query}"), key).await.body["records"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count("").await, 5);
    assert_eq!(count("?name=@").await, 3);
    assert_eq!(count("?record_type=ns").await, 2);
    assert_eq!(
        count("?name=@&record_type=ns&content=ns2.nodion.com").await,
        1
    );
    assert_eq!(count("?name=www&record_type=txt").await, 0);
}

#[tokio::test]
async fn a_duplicate_record_answers_the_nested_rrset_message() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let zone = api
        .call(
            Method::POST,
            "/dns_zones",
            &key,
            None,
            Some(json!({"name": "nodiontest.de"})),
        )
        .await;
    let zid = zone.body["dns_zone"]["id"].as_str().unwrap().to_owned();
    let records = format!("/dns_zones/{zid}/records");
    let txt = json!({"record_type": "txt", "name": "test", "content": "\"txtTXTtxt\"", "ttl": 120});
    let first = api
        .call(Method::POST, &records, &key, None, Some(txt.clone()))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["record"]["content"], "\"txtTXTtxt\"");
    let again = api
        .call(Method::POST, &records, &key, None, Some(txt))
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    // Byte for byte the error of nrdcg/nodion fixtures/create-dns-zone-record-error.json.
    assert_eq!(
        again.body,
        json!({"errors": [
            "Error {\"error\": \"Duplicate record in RRset test.nodiontest.de. IN TXT with content \\\"\\\"txtTXTtxt\\\"\\\"\"}"
        ]})
    );
    let default_again = api
        .call(
            Method::POST,
            &records,
            &key,
            None,
            Some(json!({"record_type": "a", "name": "@", "content": "1.2.3.4"})),
        )
        .await;
    assert_eq!(default_again.status, StatusCode::BAD_REQUEST);
    assert!(
        default_again.body["errors"][0]
            .as_str()
            .unwrap()
            .contains("Duplicate record in RRset nodiontest.de. IN A")
    );
}

#[tokio::test]
async fn validation_answers_400_with_the_references_messages() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let blank = api
        .call(
            Method::POST,
            "/dns_zones",
            &key,
            None,
            Some(json!({"name": ""})),
        )
        .await;
    assert_eq!(
        (blank.status, blank.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"errors": [
                "Name can't be blank",
                "Name must be between 1 and 255 characters long",
                "Name is not a fully qualified domain name"
            ]})
        )
    );
    let bad = api
        .call(
            Method::POST,
            "/dns_zones",
            &key,
            None,
            Some(json!({"name": "localhost"})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"errors": ["Name is not a fully qualified domain name"]})
        )
    );
    let id = api.create_app_id(&key, None, "v").await;
    let domain = api
        .call(
            Method::POST,
            &format!("/applications/{id}/domains"),
            &key,
            None,
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (domain.status, domain.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"errors": ["Domain name can't be blank"]})
        )
    );
    let not_found = api.get("/email_zones/nope", &key).await;
    assert_eq!(
        (not_found.status, not_found.body),
        (
            StatusCode::NOT_FOUND,
            json!({"status": 404, "error": "Not Found"})
        )
    );
}

#[tokio::test]
async fn scaling_events_scale_every_process_or_one_worker() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let id = api.create_deployed_app_id(&key, "scaled").await;
    let path = format!("/applications/{id}/scaling_events");
    assert_eq!(
        api.get(&path, &key).await.body,
        json!({"scaling_events": []})
    );
    let post = |body: Value| api.call(Method::POST, &path, &key, None, Some(body));

    let created = post(json!({"instance_amount": 3, "instance_type_id": STANDARD})).await;
    assert_eq!(created.status, StatusCode::OK);
    let event = &created.body["scaling_event"];
    assert_eq!(
        (&event["status"], &event["trigger_type"], &event["worker"]),
        (&json!("finished"), &json!("manual"), &Value::Null)
    );
    assert_eq!(
        (&event["instance_amount_old"], &event["instance_amount_new"]),
        (&json!(1), &json!(3))
    );
    assert_eq!(
        (
            &event["instance_type_id_old"],
            &event["instance_type_id_new"]
        ),
        (&json!(STARTER), &json!(STANDARD))
    );
    for field in ["id", "created_at", "finished_at"] {
        assert!(event[field].is_string(), "{field}");
    }
    let app = api.get(&format!("/applications/{id}"), &key).await.body;
    assert_eq!(
        (
            &app["application"]["instance_amount"],
            &app["application"]["instance_type_id"]
        ),
        (&json!(3), &json!(STANDARD))
    );
    let processes = api
        .get(&format!("/applications/{id}/processes"), &key)
        .await
        .body;
    assert_eq!(processes["processes"][0]["instance_amount"], 3);
    let pid = processes["processes"][0]["id"].as_str().unwrap().to_owned();

    let one =
        post(json!({"instance_amount": 2, "instance_type_id": STANDARD, "worker_id": pid})).await;
    assert_eq!(
        one.body["scaling_event"]["worker"],
        json!({"id": pid, "name": "Web"})
    );
    assert_eq!(one.body["scaling_event"]["instance_amount_old"], 3);
    let listed = api.get(&path, &key).await.body;
    assert_eq!(listed["scaling_events"].as_array().unwrap().len(), 2);
    assert_eq!(
        listed["scaling_events"][0]["id"], one.body["scaling_event"]["id"],
        "newest first"
    );

    for (body, message) in [
        (
            json!({"instance_amount": 0, "instance_type_id": STARTER}),
            "Instance amount must be greater than or equal to 1",
        ),
        (
            json!({"instance_amount": 17, "instance_type_id": STARTER}),
            "Instance amount must be less than or equal to 16",
        ),
        (
            json!({"instance_amount": 2}),
            "Instance type can't be blank",
        ),
        (
            json!({"instance_amount": 2, "instance_type_id": STARTER, "worker_id": "nope"}),
            "Worker must exist",
        ),
    ] {
        let refused = post(body.clone()).await;
        assert_eq!(
            (refused.status, refused.body),
            (StatusCode::BAD_REQUEST, json!({"errors": [message]})),
            "{body}"
        );
    }
}

#[tokio::test]
async fn integrations_list_repositories_and_branches() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_project_key();
    let integrations = api.get("/integrations", &key).await.body;
    let integration = &integrations["integrations"][0];
    assert_eq!(
        (
            &integration["status"],
            &integration["access_type"],
            &integration["service_type"],
            &integration["service_url"]
        ),
        (
            &json!("authorized"),
            &json!("is_private"),
            &json!("github"),
            &Value::Null
        )
    );
    let iid = integration["id"].as_str().unwrap();
    let repositories = api
        .get(&format!("/integrations/{iid}/repositories"), &key)
        .await
        .body;
    let repository = &repositories["repositories"][0];
    assert_eq!(repository["default_branch"], "main");
    assert!(repository["service_id"].is_string());
    assert!(repository["full_name"].as_str().unwrap().contains('/'));
    for flag in ["private", "fork", "archived", "disabled"] {
        assert!(repository[flag].is_boolean(), "{flag}");
    }
    let rid = repository["id"].as_str().unwrap();
    let branches = api
        .get(
            &format!("/integrations/{iid}/repositories/{rid}/branches"),
            &key,
        )
        .await
        .body;
    let branches = branches["branches"].as_array().unwrap();
    assert_eq!(json!(branches.len()), repository["branches_count"]);
    assert!(branches.iter().any(|b| b["name"] == "main"));
    assert_eq!(
        api.get(
            &format!("/integrations/{iid}/repositories/nope/branches"),
            &key
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn email_zones_and_container_registries_are_readable() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let zones = api.get("/email_zones", &key).await.body;
    let zone = &zones["email_zones"][0];
    assert_eq!(zone["status"], "available");
    for count in ["message_count", "delivered_count", "bounced_count"] {
        assert!(zone[count].is_u64(), "{count}");
    }
    let zid = zone["id"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/email_zones/{zid}"), &key).await.body["email_zone"],
        *zone
    );
    let messages = api
        .get(&format!("/email_zones/{zid}/messages"), &key)
        .await
        .body;
    let messages = messages["messages"].as_array().unwrap();
    assert_eq!(json!(messages.len()), zone["message_count"]);
    assert!(messages.iter().all(|m| m["status"] == "created"));
    assert!(messages[0]["to_address"].as_str().unwrap().contains('@'));

    let registries = api.get("/container_registries", &key).await.body;
    let registry = &registries["container_registries"][0];
    assert_eq!(
        (
            &registry["status"],
            &registry["registry_type"],
            &registry["hostname"]
        ),
        (
            &json!("available"),
            &json!("nodion"),
            &json!("registry.euc.nodion.net")
        )
    );
    let cid = registry["id"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/container_registries/{cid}"), &key)
            .await
            .body["container_registry"],
        *registry
    );
    // Another project holds none of them.
    let other = sim.create_nodion_project("other");
    let elsewhere = api
        .call(Method::GET, "/email_zones", &key, Some(&other), None)
        .await;
    assert_eq!(elsewhere.body, json!({"email_zones": []}));
}

#[tokio::test]
async fn runners_run_when_triggered() {
    let sim = Sim::builder()
        .nodion_deploy_delay(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let runners = api.get("/runners", &key).await.body;
    let runner = &runners["runners"][0];
    assert_eq!(runner["status"], "available");
    assert_eq!(runner["region"]["status"], "available");
    assert!(runner["instance_type"]["price_month"].is_number());
    assert_eq!(runner["instance_type"]["mem"], 1024);
    assert_eq!(runner["timeout_seconds"], 3600);
    let rid = runner["id"].as_str().unwrap().to_owned();
    assert_eq!(
        api.get(&format!("/runners/{rid}"), &key).await.body["runner"],
        *runner
    );
    let runs = format!("/runners/{rid}/runs");
    let before = api.get(&runs, &key).await.body;
    assert_eq!(ids(&before["runs"]).len(), 1);
    assert_eq!(before["runs"][0]["status"], "succeeded");

    let refused = api
        .call(
            Method::POST,
            &runs,
            &key,
            None,
            Some(json!({"env_variables": [{"env_key": "1BAD", "env_val": "x"}]})),
        )
        .await;
    assert_eq!(
        (refused.status, refused.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"errors": ["Env key is invalid"]})
        )
    );
    let triggered = api
        .call(
            Method::POST,
            &runs,
            &key,
            None,
            Some(json!({"env_variables": [{"env_key": "BACKUP_TARGET", "env_val": "s3://b"}]})),
        )
        .await;
    assert_eq!(triggered.status, StatusCode::OK);
    let run = &triggered.body["run"];
    assert_eq!(
        (&run["status"], &run["exit_code"]),
        (&json!("created"), &Value::Null)
    );
    let run_path = format!("{runs}/{}", run["id"].as_str().unwrap());
    let done = eventually(Duration::from_secs(5), || async {
        api.get(&run_path, &key).await.body["run"]["status"] == "succeeded"
    })
    .await;
    assert!(done, "a triggered run finishes after the delay");
    assert_eq!(api.get(&run_path, &key).await.body["run"]["exit_code"], 0);
    let after = api.get(&runs, &key).await.body;
    assert_eq!(
        ids(&after["runs"])[0],
        run["id"].as_str().unwrap(),
        "newest first"
    );
}
