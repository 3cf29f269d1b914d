//! Nodion resources: applications, deployments, env variables, processes, domains, logs, DNS,
//! SSH keys, errors and the optional quota.

use std::time::Duration;

use crate::common::{EU_CENTRAL, Nodion, app_body, client, fast_sim};
use nodal_sim::Sim;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn setup() -> (Sim, Nodion, String, String) {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let id = api.create_app_id(&key, None, "shop").await;
    (sim, api, key, id)
}

#[tokio::test]
async fn creating_an_application_validates_its_fields() {
    let sim = fast_sim().await;
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let empty = api
        .call(Method::POST, "/applications", &key, None, Some(json!({})))
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let errors: Vec<&str> = empty.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(errors.contains(&"Name can't be blank"), "{errors:?}");
    assert!(errors.contains(&"Region can't be blank"), "{errors:?}");
    assert!(
        errors.contains(&"Instance amount can't be blank"),
        "{errors:?}"
    );

    let mut bad = app_body("x");
    bad["region_id"] = json!("nowhere");
    bad["instance_amount"] = json!(0);
    let answer = api
        .call(Method::POST, "/applications", &key, None, Some(bad))
        .await;
    assert_eq!(
        answer.body,
        json!({"errors": ["Region must exist", "Instance amount must be greater than or equal to 1"]})
    );
    let git = json!({"name": "g", "region_id": EU_CENTRAL, "instance_type_id": "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a52", "instance_amount": 2, "integration_id": 1});
    let answer = api
        .call(Method::POST, "/applications", &key, None, Some(git))
        .await;
    assert_eq!(
        answer.body,
        json!({"errors": ["Repository can't be blank", "Branch can't be blank"]})
    );
    assert_eq!(sim.counters().nodion_apps_created, 0);

    let app = api.create_app(&key, None, "ok").await;
    for field in [
        "id",
        "name",
        "status",
        "state",
        "instance_type_id",
        "deployment_strategy",
        "image_name",
        "image_tag",
        "created_at",
    ] {
        assert!(app[field].is_string(), "{field}: {app}");
    }
    assert_eq!(
        app["region"],
        json!({"id": EU_CENTRAL, "name": "EU Central", "slug": "euc"})
    );
    assert_eq!(app["deployment_strategy"], "prebuilt_image");
    assert_eq!(app["status"], "created");
    let counters = sim.counters();
    assert_eq!(counters.nodion_apps_created, 1);
    assert_eq!(
        counters
            .apps_created_per_project
            .get(&sim.nodion_default_project()),
        Some(&1)
    );
}

#[tokio::test]
async fn deployments_go_from_created_through_waiting_to_available() {
    let sim = Sim::builder()
        .nodion_deploy_delay(Duration::from_millis(2000))
        .start()
        .await
        .unwrap();
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let id = api.create_app_id(&key, None, "web").await;
    let path = format!("/applications/{id}/deployments");
    let started = std::time::Instant::now();
    let triggered = api.deploy(&key, &id).await;
    assert_eq!(triggered["status"], "created");
    let first = api.get(&path, &key).await.body;
    if started.elapsed() < Duration::from_millis(900) {
        assert_eq!(first["deployments"][0]["status"], "created");
    }
    for field in [
        "id",
        "status",
        "strategy",
        "image_reference",
        "created_at",
        "updated_at",
    ] {
        assert!(first["deployments"][0][field].is_string(), "{field}");
    }
    assert_eq!(first["deployments"][0]["deploy_number"], 1);
    assert_eq!(
        first["deployments"][0]["image_reference"],
        "docker.io/nginx:1.27"
    );
    assert_eq!(
        first["deployments"][0]["commit_message"],
        "Image: nginx:1.27"
    );
    assert_eq!(
        first["deployments"][0]["committer_name"],
        "Container Registry"
    );

    let mut seen = Vec::new();
    while started.elapsed() < Duration::from_secs(10) {
        let status = api.get(&path, &key).await.body["deployments"][0]["status"]
            .as_str()
            .unwrap()
            .to_owned();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "available" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert!(
        seen.ends_with(&["waiting".to_owned(), "available".to_owned()]),
        "{seen:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(2000));
    assert_eq!(
        api.get(&format!("/applications/{id}"), &key).await.body["application"]["status"],
        "online"
    );

    let created = api
        .call(
            Method::POST,
            &path,
            &key,
            None,
            Some(json!({"image_tag": "1.28"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(created.body["deployment"]["status"], "created");
    assert_eq!(created.body["deployment"]["deploy_number"], 2);
    // The earlier deployment keeps serving while the new one rolls out.
    assert_eq!(
        api.get(&format!("/applications/{id}"), &key).await.body["application"]["status"],
        "online"
    );
    let deployment_id = created.body["deployment"]["id"].as_str().unwrap();
    let one = api.get(&format!("{path}/{deployment_id}"), &key).await;
    assert_eq!(
        one.body["deployment"]["image_reference"],
        "docker.io/nginx:1.28"
    );
}

#[tokio::test]
async fn a_superseded_deployment_is_expired() {
    let sim = Sim::builder()
        .nodion_deploy_delay(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let id = api.create_deployed_app_id(&key, "web").await;
    let path = format!("/applications/{id}/deployments");
    api.deploy(&key, &id).await;
    let list = api.get(&path, &key).await.body;
    let statuses: Vec<&str> = list["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    // Newest first, as the reference lists them.
    assert_eq!(statuses, ["available", "expired"]);
}

#[tokio::test]
async fn env_variables_can_be_created_read_updated_and_deleted() {
    let (_sim, api, key, id) = setup().await;
    let path = format!("/applications/{id}/env_variables");
    let created = api
        .call(
            Method::POST,
            &path,
            &key,
            None,
            Some(json!({"env_key": "API_TOKEN", "env_val": "s3cret", "buildtime": true})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let var = &created.body["env_variable"];
    assert_eq!(
        (&var["env_key"], &var["env_val"], &var["buildtime"]),
        (&json!("API_TOKEN"), &json!("s3cret"), &json!(true))
    );
    let var_id = var["id"].as_str().unwrap();

    let duplicate = api
        .call(
            Method::POST,
            &path,
            &key,
            None,
            Some(json!({"env_key": "API_TOKEN", "env_val": "x"})),
        )
        .await;
    assert_eq!(
        duplicate.body,
        json!({"errors": ["Env key has already been taken"]})
    );
    let invalid = api
        .call(
            Method::POST,
            &path,
            &key,
            None,
            Some(json!({"env_key": "1-BAD"})),
        )
        .await;
    assert_eq!(
        invalid.body,
        json!({"errors": ["Env key is invalid", "Env val can't be blank"]})
    );

    let updated = api
        .call(
            Method::PATCH,
            &format!("{path}/{var_id}"),
            &key,
            None,
            Some(json!({"env_val": "rotated"})),
        )
        .await;
    assert_eq!(updated.body["env_variable"]["env_val"], "rotated");
    assert_eq!(
        api.get(&format!("{path}/{var_id}"), &key).await.body["env_variable"]["env_val"],
        "rotated"
    );
    let deleted = api
        .call(
            Method::DELETE,
            &format!("{path}/{var_id}"),
            &key,
            None,
            None,
        )
        .await;
    assert_eq!(
        (deleted.status, deleted.body),
        (StatusCode::OK, json!({"deleted": true}))
    );
    assert_eq!(
        api.get(&path, &key).await.body,
        json!({"env_variables": []})
    );
}

#[tokio::test]
async fn scaling_processes_to_zero_stops_the_app() {
    let sim = Sim::builder()
        .nodion_deploy_delay(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    let id = api.create_deployed_app_id(&key, "web").await;
    let processes = api
        .get(&format!("/applications/{id}/processes"), &key)
        .await
        .body;
    let process = &processes["processes"][0];
    assert_eq!(
        (&process["name"], &process["slug"]),
        (&json!("Web"), &json!("web"))
    );
    assert_eq!(
        (&process["status"], &process["state"]),
        (&json!("available"), &json!("default"))
    );
    assert_eq!(process["instance_amount"], 1);
    assert_eq!(process["ports"][0]["port"], 3000);
    assert!(process["instance_type"]["price_month"].is_string());
    let pid = process["id"].as_str().unwrap();
    let process_path = format!("/applications/{id}/processes/{pid}");
    let scale = |n: i64| {
        api.call(
            Method::PATCH,
            &process_path,
            &key,
            None,
            Some(json!({"instance_amount": n})),
        )
    };

    let stopped = scale(0).await;
    assert_eq!(stopped.status, StatusCode::OK);
    assert_eq!(stopped.body["process"]["instance_amount"], 0);
    assert_eq!(stopped.body["process"]["status"], "available");
    let app = api.get(&format!("/applications/{id}"), &key).await.body;
    assert_eq!(app["application"]["status"], "offline");
    assert_eq!(
        api.get(&format!("/applications/{id}/instances"), &key)
            .await
            .body,
        json!({"instances": []})
    );

    scale(3).await;
    let app = api.get(&format!("/applications/{id}"), &key).await.body;
    assert_eq!(app["application"]["status"], "online");
    let instances = api
        .get(&format!("/applications/{id}/instances"), &key)
        .await
        .body;
    assert_eq!(instances["instances"].as_array().unwrap().len(), 3);
    let instance = &instances["instances"][0];
    assert_eq!(instance["status"], "online");
    for field in ["name", "hypervisor_name", "created_at"] {
        assert!(instance[field].is_string(), "{field}: {instance}");
    }
    assert_eq!(instance["deployment"]["status"], "available");
    assert!(instance["deployment"].get("strategy").is_none());
    assert_eq!(instance["instance_type"]["mem"], 0.5);
    assert_eq!(instance["worker"], Value::Null);
    assert!(instance.get("process_id").is_none() && instance.get("region").is_none());
    let too_many = scale(17).await;
    assert_eq!(
        (too_many.status, too_many.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"errors": ["Instance amount must be less than or equal to 16"]})
        )
    );
    let metrics = api
        .get(&format!("/applications/{id}/metrics"), &key)
        .await
        .body;
    assert!(metrics["metrics"].is_object());
}

#[tokio::test]
async fn domains_are_added_available_and_verified() {
    let (_sim, api, key, id) = setup().await;
    let path = format!("/applications/{id}/domains");
    let added = api
        .call(
            Method::POST,
            &path,
            &key,
            None,
            Some(json!({"domain_name": "shop.example.com"})),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK);
    let domain = &added.body["domain"];
    assert_eq!(domain["status"], "available");
    assert_eq!(domain["domain_type"], "main");
    let code = domain["verification_code"].as_str().unwrap();
    let hex = code.strip_prefix("nodion=").unwrap();
    assert!(
        hex.len() == 20 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "{code}"
    );
    let did = domain["id"].as_str().unwrap();

    let verified = api
        .call(
            Method::POST,
            &format!("{path}/{did}/verify"),
            &key,
            None,
            None,
        )
        .await;
    assert_eq!(verified.body["domain"]["status"], "available");
    let connected = api
        .call(
            Method::POST,
            &format!("{path}/{did}/connect"),
            &key,
            None,
            None,
        )
        .await;
    assert_eq!(
        (connected.status, &connected.body["domain"]["id"]),
        (StatusCode::OK, &json!(did))
    );
    let own = api
        .call(
            Method::POST,
            &path,
            &key,
            None,
            Some(json!({"domain_name": "shop.nodion.app"})),
        )
        .await;
    assert_eq!(own.body["domain"]["domain_type"], "sub");
    let again = api
        .call(
            Method::POST,
            &path,
            &key,
            None,
            Some(json!({"domain_name": "shop.example.com"})),
        )
        .await;
    assert_eq!(
        again.body,
        json!({"errors": ["Domain name has already been taken"]})
    );
    let invalid = api
        .call(
            Method::POST,
            &path,
            &key,
            None,
            Some(json!({"domain_name": "not a domain", "domain_type": "apex"})),
        )
        .await;
    assert_eq!(
        invalid.body,
        json!({"errors": ["Domain name is not a fully qualified domain name", "Domain type is not included in the list"]})
    );
    assert_eq!(
        api.call(Method::DELETE, &format!("{path}/{did}"), &key, None, None)
            .await
            .body,
        json!({"deleted": true})
    );
    assert_eq!(
        api.get(&path, &key).await.body["domains"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// `ts` of each line, after checking the fields and the order (oldest first).
fn timestamps(page: &Value) -> Vec<String> {
    let lines = page["logs"].as_array().unwrap();
    for line in lines {
        for field in ["ts", "msg", "instance_id"] {
            assert!(line[field].is_string(), "{field}: {line}");
        }
    }
    let ts: Vec<String> = lines
        .iter()
        .map(|l| l["ts"].as_str().unwrap().to_owned())
        .collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    ts
}

fn rfc3339(ms: u128) -> String {
    let secs = u64::try_from(ms / 1000).unwrap();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = i64::try_from(days).unwrap() + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

#[tokio::test]
async fn logs_follow_the_one_hour_window_rule() {
    let (_sim, api, key, id) = setup().await;
    let path = format!("/applications/{id}/logs");
    let hour_ago = rfc3339(now_ms() - 3_600_000);

    // No cursor: only the last hour, even with room for more.
    let latest = timestamps(&api.get(&format!("{path}?limit=2500"), &key).await.body);
    assert!(!latest.is_empty() && latest.len() < 200, "{}", latest.len());
    assert!(latest.iter().all(|ts| *ts > hour_ago), "{:?}", latest[0]);
    assert!(
        api.get(&path, &key).await.body["logs"][0]["msg"]
            .as_str()
            .unwrap()
            .starts_with("[web.")
    );

    // `before` only: the hour before it, strictly older.
    let oldest = latest[0].clone();
    let older = timestamps(
        &api.get(&format!("{path}?limit=2500&before={oldest}"), &key)
            .await
            .body,
    );
    assert!(older.iter().all(|ts| *ts < oldest));

    // `after` and `before`: no floor, the whole history (more than an hour of it).
    let long_ago = rfc3339(now_ms() - 7 * 3_600_000);
    let all_path = format!(
        "{path}?limit=2500&after={long_ago}&before={}",
        rfc3339(now_ms() + 1000)
    );
    let all = timestamps(&api.get(&all_path, &key).await.body);
    assert!(all.len() > latest.len() + older.len(), "{}", all.len());
    assert!(all[0] < rfc3339(now_ms() - 5 * 3_600_000), "{}", all[0]);
    // A capped page keeps the newest lines of the window.
    let capped = timestamps(
        &api.get(&all_path.replace("limit=2500", "limit=10"), &key)
            .await
            .body,
    );
    assert_eq!(capped, all[all.len() - 10..]);

    // There is a quiet hour inside the history: a window over it is empty, older lines exist.
    let gap = |from: u64, to: u64| {
        let start = now_ms() - 6 * 3_600_000;
        format!(
            "{path}?after={}&before={}",
            rfc3339(start + u128::from(from) * 60_000),
            rfc3339(start + u128::from(to) * 60_000)
        )
    };
    assert!(timestamps(&api.get(&gap(110, 170), &key).await.body).is_empty());
    assert!(!timestamps(&api.get(&gap(20, 80), &key).await.body).is_empty());

    // `after` excludes its own instant; with `after` only there is no floor either.
    let tail = timestamps(
        &api.get(&format!("{path}?limit=5&after={}", all[0]), &key)
            .await
            .body,
    );
    assert_eq!(tail, all[1..6]);

    let too_many = api.get(&format!("{path}?limit=2501"), &key).await;
    assert_eq!(
        (too_many.status, too_many.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"errors": ["limit must be at most 2500"]})
        )
    );
    let bad_time = api.get(&format!("{path}?before=yesterday"), &key).await;
    assert_eq!(
        bad_time.body,
        json!({"errors": ["before must be an RFC 3339 timestamp"]})
    );
}

#[tokio::test]
async fn dns_records_are_validated() {
    let (_sim, api, key, _) = setup().await;
    let zone = api
        .call(
            Method::POST,
            "/dns_zones",
            &key,
            None,
            Some(json!({"name": "example.com"})),
        )
        .await;
    assert_eq!(zone.status, StatusCode::OK);
    let zid = zone.body["dns_zone"]["id"].as_str().unwrap().to_owned();
    let records = format!("/dns_zones/{zid}/records");
    let post = |body: Value| api.call(Method::POST, &records, &key, None, Some(body));

    let cases = [
        (
            json!({"record_type": "A", "name": "@", "content": "192.0.2.1"}),
            "Record type is not included in the list",
        ),
        (
            json!({"record_type": "a", "name": "@", "content": "192.0.2.1", "ttl": 30}),
            "Ttl must be greater than or equal to 60",
        ),
        (
            json!({"record_type": "a", "name": "@", "content": "192.0.2.1", "ttl": 86401}),
            "Ttl must be less than or equal to 86400",
        ),
        (
            json!({"record_type": "a", "name": "www", "content": "not-an-ip"}),
            "Content is not a valid IPv4 address",
        ),
        (
            json!({"record_type": "mx", "name": "@", "content": "mail.example.com"}),
            "Prio can't be blank",
        ),
        (
            json!({"record_type": "txt", "name": "@"}),
            "Content can't be blank",
        ),
    ];
    for (body, message) in cases {
        let answer = post(body.clone()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer.body["errors"][0], message, "{body}");
    }
    let created =
        post(json!({"record_type": "aaaa", "name": "www", "content": "2001:db8::1", "ttl": 300}))
            .await;
    assert_eq!(created.status, StatusCode::OK);
    let record = &created.body["record"];
    assert_eq!(record["ttl"], 300);
    assert!(record.get("zone_id").is_none(), "{record}");
    assert!(record["updated_at"].is_string());
    let rid = record["id"].as_str().unwrap();
    let listed = api.get(&records, &key).await.body;
    let listed = listed["records"].as_array().unwrap();
    assert_eq!(listed.len(), 6, "five default records and the new one");
    assert!(listed.iter().all(|r| r.get("zone_id").is_none()));
    let deleted = api
        .call(
            Method::DELETE,
            &format!("{records}/{rid}"),
            &key,
            None,
            None,
        )
        .await;
    assert_eq!(
        (deleted.status, deleted.body),
        (StatusCode::OK, json!({"deleted": true}))
    );
    let deleted = api
        .call(
            Method::DELETE,
            &format!("/dns_zones/{zid}"),
            &key,
            None,
            None,
        )
        .await;
    assert_eq!(
        (deleted.status, deleted.body),
        (StatusCode::OK, json!({"deleted": true}))
    );
    assert_eq!(api.get(&records, &key).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ssh_keys_can_be_added_listed_and_deleted() {
    let (_sim, api, key, _) = setup().await;
    let invalid = api
        .call(
            Method::POST,
            "/ssh_keys",
            &key,
            None,
            Some(json!({"name": "x", "public_key": "hello"})),
        )
        .await;
    assert_eq!(invalid.body, json!({"errors": ["Public key is invalid"]}));
    let body =
        json!({"name": "laptop", "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO7T me@host"});
    let created = api
        .call(Method::POST, "/ssh_keys", &key, None, Some(body.clone()))
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert!(
        created.body["ssh_key"]["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("SHA256:")
    );
    let duplicate = api
        .call(Method::POST, "/ssh_keys", &key, None, Some(body))
        .await;
    assert_eq!(
        duplicate.body,
        json!({"errors": ["Public key has already been taken"]})
    );
    let kid = created.body["ssh_key"]["id"].as_str().unwrap();
    assert_eq!(
        api.get("/ssh_keys", &key).await.body["ssh_keys"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        api.call(
            Method::DELETE,
            &format!("/ssh_keys/{kid}"),
            &key,
            None,
            None
        )
        .await
        .body,
        json!({"deleted": true})
    );
    assert_eq!(
        api.call(
            Method::DELETE,
            &format!("/ssh_keys/{kid}"),
            &key,
            None,
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn unknown_ids_and_paths_answer_404_and_deleted_apps_are_gone() {
    let (_sim, api, key, id) = setup().await;
    let not_found = json!({"status": 404, "error": "Not Found"});
    for path in [
        "/applications/nope",
        "/nope",
        "/applications/nope/deployments",
        "/dns_zones/nope",
    ] {
        let answer = api.get(path, &key).await;
        assert_eq!(
            (answer.status, &answer.body),
            (StatusCode::NOT_FOUND, &not_found),
            "{path}"
        );
    }
    let put = api
        .call(
            Method::PUT,
            &format!("/applications/{id}"),
            &key,
            None,
            Some(json!({})),
        )
        .await;
    assert_eq!(put.status, StatusCode::NOT_FOUND);
    let deleted = api
        .call(
            Method::DELETE,
            &format!("/applications/{id}"),
            &key,
            None,
            None,
        )
        .await;
    assert_eq!(
        (deleted.status, deleted.body),
        (StatusCode::OK, json!({"deleted": true}))
    );
    assert_eq!(
        api.get(&format!("/applications/{id}"), &key).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_json_is_400_and_huge_bodies_are_413() {
    let sim = Sim::builder().max_request_body(2048).start().await.unwrap();
    let url = format!("{}/applications", sim.nodion_base_url());
    let send = |body: Vec<u8>| {
        client()
            .post(&url)
            .bearer_auth(sim.nodion_user_key())
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let bad = send(b"{\"name\": ".to_vec()).await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.json::<Value>().await.unwrap(),
        json!({"errors": ["Request body is not valid JSON"]})
    );
    let huge = send(vec![b' '; 10_000]).await.unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_quota_answers_429_with_retry_after() {
    let sim = Sim::builder()
        .nodion_quota(2, Duration::from_secs(3))
        .start()
        .await
        .unwrap();
    let api = Nodion::new(&sim);
    let key = sim.nodion_user_key();
    assert_eq!(api.get("/regions", &key).await.status, StatusCode::OK);
    assert_eq!(api.get("/regions", &key).await.status, StatusCode::OK);
    let refused = api.get("/regions", &key).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        refused.body,
        json!({"status": 429, "error": "Too Many Requests"})
    );
    let retry_after: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3).contains(&retry_after), "{retry_after}");
    // The quota is per key.
    assert_eq!(
        api.get("/regions", &sim.nodion_project_key()).await.status,
        StatusCode::OK
    );
    assert_eq!(sim.counters().nodion_quota_rejections, 1);
}

#[tokio::test]
async fn instance_types_have_their_documented_fields() {
    let (_sim, api, key, _) = setup().await;
    let types = api.get("/instance_types", &key).await.body;
    let types = types["instance_types"].as_array().unwrap();
    assert!(types.len() >= 3);
    let starter = &types[0];
    assert_eq!(
        (&starter["slug"], &starter["category"], &starter["mem"]),
        (&json!("starter"), &json!("sb"), &json!(0.5))
    );
    assert_eq!(
        (&starter["price_month"], &starter["price_second"]),
        (&json!("4.0"), &json!("0.000001522070015"))
    );
    for field in [
        "id",
        "name",
        "slug",
        "category",
        "cpu",
        "mem",
        "price_month",
        "price_second",
    ] {
        assert!(!types[0][field].is_null(), "{field}");
    }
}

#[tokio::test]
async fn a_thousand_concurrent_requests_are_served() {
    let sim = fast_sim().await;
    let api = std::sync::Arc::new(Nodion::new(&sim));
    let key = sim.nodion_user_key();
    let started = std::time::Instant::now();
    let calls: Vec<_> = (0..1000)
        .map(|n| {
            let api = std::sync::Arc::clone(&api);
            let key = key.clone();
            let path = if n % 2 == 0 {
                "/regions"
            } else {
                "/applications"
            };
            tokio::spawn(async move { api.get(path, &key).await.status })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), StatusCode::OK);
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(sim.counters().requests, 1000);
}
