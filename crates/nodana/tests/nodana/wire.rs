//! Every endpoint on the wire: method, `/v1` path, Basic auth, content type only with a body,
//! the exact JSON body, and decoding of the reference's example answers.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{AppId, ExposeSecret, ProjectId};
use nodal_nodana::{
    AppStatus, AutoLiquidity, LiquidityParams, MintParams, NewApp, NutshellParams, PhoenixdParams,
    ServiceId, Template, VssParams,
};
use serde_json::json;

#[tokio::test]
async fn create_project_posts_the_name() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(when, "/v1/projects", json!({"name": "My Project"}));
            then.status(200)
                .json_body(data(json!({"id": "prj-5fd3", "name": "My Project"})));
        })
        .await;
    let created = client(&server)
        .projects()
        .create("My Project")
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(created.id, ProjectId::from("prj-5fd3"));
    assert_eq!(created.name, "My Project");
}

#[tokio::test]
async fn get_project_decodes_the_reference_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/projects/prj-5fd3");
            then.status(200).json_body(data(seed_project()));
        })
        .await;
    let project = client(&server)
        .projects()
        .get(&"prj-5fd3".into())
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(project.id.as_str(), "prj-5fd3");
    assert_eq!(project.user_id.as_deref(), Some("<user-id>"));
    assert_eq!(project.name, "New Project");
    assert_eq!(project.deleted, Some(false));
    assert_eq!(
        project.created_at.as_deref(),
        Some("2025-05-01T07:46:12.368Z")
    );
    assert_eq!(
        project.updated_at.as_deref(),
        Some("2025-05-01T07:46:12.368Z")
    );
}

#[tokio::test]
async fn rename_project_posts_the_new_name_to_update() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(
                when,
                "/v1/projects/prj-5fd3/update",
                json!({"name": "My Updated Project"}),
            );
            then.status(200)
                .json_body(data(json!({"id": "prj-5fd3", "updated": true})));
        })
        .await;
    let renamed = client(&server)
        .projects()
        .rename(&"prj-5fd3".into(), "My Updated Project")
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert!(renamed.updated);
    assert_eq!(renamed.id.as_str(), "prj-5fd3");
}

#[tokio::test]
async fn delete_project_posts_without_a_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_action(when, "/v1/projects/prj-5fd3/delete");
            then.status(200)
                .json_body(data(json!({"id": "prj-5fd3", "deleted": true})));
        })
        .await;
    let deleted = client(&server)
        .projects()
        .delete(&"prj-5fd3".into())
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert!(deleted.deleted);
}

#[tokio::test]
async fn list_projects_decodes_the_reference_example() {
    let server = MockServer::start_async().await;
    let mut second = seed_project();
    second["name"] = json!("New Project 2");
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/projects");
            then.status(200)
                .json_body(data(json!([seed_project(), second])));
        })
        .await;
    let projects = client(&server).projects().list().await.unwrap();
    mock.assert_calls_async(1).await;
    let names: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["New Project", "New Project 2"]);
}

#[tokio::test]
async fn list_project_apps_decodes_the_reference_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/projects/prj-5fd3/apps");
            then.status(200)
                .json_body(data(json!([seed_app("app-1", "running")])));
        })
        .await;
    let apps = client(&server)
        .projects()
        .apps(&"prj-5fd3".into())
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(apps.len(), 1);
    let app = &apps[0];
    assert_eq!(app.status, Some(AppStatus::Running));
    assert_eq!(app.rate, Some(0.000233));
    assert_eq!(app.template.as_deref(), Some("template-name"));
    assert_eq!(
        app.project_id.as_ref().map(ProjectId::as_str),
        Some("prj-5fd3")
    );
}

#[tokio::test]
async fn create_app_sends_project_template_and_params() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(
                when,
                "/v1/apps",
                json!({
                    "project_id": "prj-5fd3",
                    "template": "phoenixd",
                    "params": {"auto_liquidity": "5m", "webhook": "https://example.com/hook"}
                }),
            );
            then.status(200).json_body(data(json!({
                "projectId": "prj-5fd3",
                "id": "app-1",
                "url": "https://app-url-1234.nodana.app:8080",
                "seedPhrase": "abandon ability able about above absent",
                "httpPassword": "pw-1"
            })));
        })
        .await;
    let template = Template::Phoenixd(
        PhoenixdParams::new()
            .auto_liquidity(AutoLiquidity::FiveMillionSats)
            .webhook("https://example.com/hook"),
    );
    let created = client(&server)
        .apps()
        .create(&NewApp::new(template).in_project("prj-5fd3"))
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(created.id, AppId::from("app-1"));
    assert_eq!(created.project_id.as_str(), "prj-5fd3");
    assert_eq!(
        created.url.as_deref(),
        Some("https://app-url-1234.nodana.app:8080")
    );
    assert_eq!(
        created.seed_phrase().map(|s| s.expose_secret()),
        Some("abandon ability able about above absent")
    );
    assert_eq!(created.secrets.expose("httpPassword"), Some("pw-1"));
}

#[tokio::test]
async fn create_app_leaves_out_absent_project_and_empty_params() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(when, "/v1/apps", json!({"template": "boltzd"}));
            then.status(200).json_body(data(json!({
                "projectId": "prj-new", "id": "app-2", "url": "https://b.nodana.app:8080"
            })));
        })
        .await;
    let created = client(&server)
        .apps()
        .create(&NewApp::new(Template::Boltzd))
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(created.project_id.as_str(), "prj-new");
    assert!(created.secrets.is_empty());
}

#[tokio::test]
async fn create_app_sends_every_typed_template_param_as_a_string() {
    let server = MockServer::start_async().await;
    let cases = [
        (
            Template::AlbyHubPhoenixd(
                LiquidityParams::new().auto_liquidity(AutoLiquidity::TenMillionSats),
            ),
            json!({"template": "alby-hub-phoenixd", "params": {"auto_liquidity": "10m"}}),
        ),
        (
            Template::LnbitsPhoenixd(
                LiquidityParams::new().auto_liquidity(AutoLiquidity::TwoMillionSats),
            ),
            json!({"template": "lnbits-phoenixd", "params": {"auto_liquidity": "2m"}}),
        ),
        (
            Template::CdkMintd(MintParams::new().mint_name("Mint").mint_description("Sats")),
            json!({"template": "cdk-mintd", "params": {"mint_name": "Mint", "mint_description": "Sats"}}),
        ),
        (
            Template::Nutshell(
                NutshellParams::new()
                    .mint_name("Nut")
                    .mint_lnd_rest_url("https://lnd.example:8080")
                    .mint_lnd_macaroon("0201036c6e6402f801"),
            ),
            json!({"template": "nutshell", "params": {
                "mint_name": "Nut",
                "mint_lnd_rest_url": "https://lnd.example:8080",
                "mint_lnd_macaroon": "0201036c6e6402f801"
            }}),
        ),
        (
            Template::Vss(
                VssParams::new()
                    .vss_psql_address("db:5432")
                    .vss_psql_username("vss"),
            ),
            json!({"template": "vss", "params": {"vss_psql_address": "db:5432", "vss_psql_username": "vss"}}),
        ),
        (
            Template::custom("future-template", [("flavour", "sour")]),
            json!({"template": "future-template", "params": {"flavour": "sour"}}),
        ),
    ];
    let client = client(&server);
    for (template, body) in cases {
        let mock = server
            .mock_async(|when, then| {
                post_json(when, "/v1/apps", body.clone());
                then.status(200).json_body(data(json!({
                    "projectId": "prj-1", "id": "app-1", "url": "https://x.nodana.app"
                })));
            })
            .await;
        let debug = format!("{template:?}");
        assert!(!debug.contains("0201036c6e6402f801"), "{debug}");
        client
            .apps()
            .create(&NewApp::new(template))
            .await
            .unwrap_or_else(|e| panic!("{body}: {e}"));
        mock.assert_calls_async(1).await;
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn create_app_accepts_the_reference_answer_without_the_envelope() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(when, "/v1/apps", json!({"template": "phoenixd"}));
            then.status(200).json_body(json!({
                "projectId": "<project-id>",
                "id": "<app-id>",
                "url": "https://app-url-1234.nodana.app:8080",
                "seedPhrase": "abandon ability"
            }));
        })
        .await;
    let created = client(&server)
        .apps()
        .create(&NewApp::new(Template::Phoenixd(PhoenixdParams::new())))
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(created.id.as_str(), "<app-id>");
    assert_eq!(
        created.secrets.expose("seedPhrase"),
        Some("abandon ability")
    );
}

#[tokio::test]
async fn get_app_decodes_the_reference_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1");
            then.status(200)
                .json_body(data(seed_app("app-1", "available")));
        })
        .await;
    let app = client(&server).apps().get(&"app-1".into()).await.unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(app.id.as_str(), "app-1");
    assert_eq!(app.status, Some(AppStatus::Available));
    assert_eq!(app.user_id.as_deref(), Some("<user-id>"));
    assert_eq!(
        app.url.as_deref(),
        Some("https://template-id-ad4f.nodana.app:8000")
    );
    assert_eq!(app.created_at.as_deref(), Some("2025-05-24T08:07:10.509Z"));
}

#[tokio::test]
async fn update_app_posts_to_update_and_decodes_the_version() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_action(when, "/v1/apps/app-1/update");
            then.status(200).json_body(data(json!({
                "id": "app-1", "image": "nodana/phoenixd:0.2.0", "version": "0.2.0"
            })));
        })
        .await;
    let update = client(&server)
        .apps()
        .update(&"app-1".into())
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(update.version.as_deref(), Some("0.2.0"));
    assert_eq!(update.image.as_deref(), Some("nodana/phoenixd:0.2.0"));
}

#[tokio::test]
async fn start_stop_restart_and_delete_post_to_their_action_paths() {
    let server = MockServer::start_async().await;
    let client = client(&server);
    for action in ["start", "stop", "restart", "delete"] {
        let path = format!("/v1/apps/app-1234/{action}");
        let mock = server
            .mock_async(|when, then| {
                post_action(when, &path);
                then.status(200).json_body(data(json!({"id": "app-1234"})));
            })
            .await;
        let id = AppId::from("app-1234");
        let answer = match action {
            "start" => client.apps().start(&id).await,
            "stop" => client.apps().stop(&id).await,
            "restart" => client.apps().restart(&id).await,
            _ => client.apps().delete(&id).await,
        }
        .unwrap();
        assert_eq!(answer.id, id);
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn list_services_decodes_the_reference_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1234/services");
            then.status(200).json_body(data(json!([seed_service()])));
        })
        .await;
    let services = client(&server)
        .services()
        .list(&"app-1234".into())
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    let service = &services[0];
    assert_eq!(service.id, ServiceId::from("svc-1234"));
    assert_eq!(service.app_id.as_ref().map(AppId::as_str), Some("app-1234"));
    assert_eq!(service.service, "service-name");
    assert_eq!(service.slug.as_deref(), Some("slug-sdh3"));
    assert_eq!(service.region.as_deref(), Some("ewr"));
    assert_eq!(service.status, "running");
    assert_eq!(service.version.as_deref(), Some("0.1.0"));
}

#[tokio::test]
async fn update_service_posts_without_a_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_action(when, "/v1/apps/app-1234/services/svc-1234/update");
            then.status(200).json_body(data(json!({
                "id": "app-1234", "serviceId": "svc-1234", "version": "0.1.1", "updated": true
            })));
        })
        .await;
    let update = client(&server)
        .services()
        .update(&"app-1234".into(), &"svc-1234".into())
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(update.service_id.as_str(), "svc-1234");
    assert_eq!(update.version.as_deref(), Some("0.1.1"));
    assert!(update.updated);
}

#[tokio::test]
async fn ids_are_sent_as_single_escaped_path_segments() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/a%2Fb/services");
            then.status(200).json_body(data(json!([])));
        })
        .await;
    let services = client(&server)
        .services()
        .list(&"a/b".into())
        .await
        .unwrap();
    mock.assert_calls_async(1).await;
    assert!(services.is_empty());
}

#[tokio::test]
async fn unknown_fields_and_statuses_are_tolerated() {
    let server = MockServer::start_async().await;
    let mut app = seed_app("app-1", "hibernating");
    app["newField"] = json!({"nested": [1, 2]});
    app["rate"] = json!(null);
    let mock = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1");
            then.status(200).json_body(data(app));
        })
        .await;
    let app = client(&server).apps().get(&"app-1".into()).await.unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(app.status, Some(AppStatus::Other("hibernating".into())));
    assert_eq!(app.rate, None);
}

#[tokio::test]
async fn an_app_without_template_or_status_decodes_typed_and_neutral() {
    use nodal_core::Apps;
    let server = MockServer::start_async().await;
    let mut missing = seed_app("app-1", "available");
    let fields = missing.as_object_mut().unwrap();
    fields.remove("template");
    fields.remove("status");
    let mut nulls = seed_app("app-2", "available");
    nulls["template"] = json!(null);
    nulls["status"] = json!(null);
    let one = server
        .mock_async(|when, then| {
            get(when, "/v1/apps/app-1");
            then.status(200).json_body(data(missing));
        })
        .await;
    let listed = server
        .mock_async(|when, then| {
            get(when, "/v1/projects/prj-5fd3/apps");
            then.status(200).json_body(data(json!([nulls])));
        })
        .await;
    let client = client(&server);

    let typed = client.apps().get(&"app-1".into()).await.unwrap();
    assert_eq!(typed.template, None);
    assert_eq!(typed.status, None);
    assert_eq!(typed.status_word(), "unknown");
    assert!(!typed.is_available());

    let neutral = Apps::get_app(&client, &"app-1".into()).await.unwrap();
    assert_eq!(
        neutral.status,
        nodal_core::AppStatus::Other("unknown".into())
    );
    assert_eq!(neutral.raw_status, "");
    assert_eq!(neutral.source, None);
    assert_eq!(
        neutral.url.as_deref(),
        Some("https://template-id-ad4f.nodana.app:8000")
    );

    let apps = client.list_apps(Some(&"prj-5fd3".into())).await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].id.as_str(), "app-2");
    assert_eq!(apps[0].source, None);
    assert_eq!(apps[0].raw_status, "");
    // Once typed, once neutral.
    one.assert_calls_async(2).await;
    listed.assert_calls_async(1).await;
}
