//! Secrets never show: not the key in the client's Debug, not the seed phrase or passwords of a
//! new app in Debug or serialization, not a template's secret parameter.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{AppSpec, Apps};
use nodal_nodana::{CreatedApp, NewApp, NodanaClient, NutshellParams, Template};
use serde_json::json;

const SEED: &str =
    "abandon ability able about above absent absorb abstract absurd abuse access accident";
const PASSWORD: &str = "9f0c3b1e-http-password";

#[test]
fn client_and_builder_debug_never_show_the_key() {
    let builder = NodanaClient::builder()
        .api_key("canary-key-7f3a")
        .base_url("https://api.example.com/v1");
    assert!(!format!("{builder:?}").contains("canary-key-7f3a"));
    let client = builder.build().unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains("canary-key-7f3a"), "{shown}");
    // base64(":canary-key-7f3a") must not show either.
    assert!(!shown.contains("OmNhbmFyeS1rZXktN2YzYQ"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

#[test]
fn a_created_app_shows_neither_seed_phrase_nor_password() {
    let created: CreatedApp = serde_json::from_value(json!({
        "projectId": "prj-1",
        "id": "app-1",
        "url": "https://app-1.nodana.app:9740",
        "seedPhrase": SEED,
        "httpPassword": PASSWORD,
    }))
    .unwrap();
    let neutral: nodal_core::CreatedApp = created.clone().into();
    let shown = format!(
        "{created:?} {created:#?} {neutral:?} {} {}",
        serde_json::to_string(&created).unwrap(),
        serde_json::to_string(&neutral).unwrap()
    );
    assert!(!shown.contains("abandon"), "{shown}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(shown.contains("seedPhrase"), "names stay visible: {shown}");
    // Exposed on purpose, they are all there.
    let exposed = serde_json::to_string(&created.secrets.exposed()).unwrap();
    assert!(exposed.contains(SEED) && exposed.contains(PASSWORD));
}

#[test]
fn a_secret_template_parameter_is_redacted() {
    let template = Template::Nutshell(NutshellParams::new().mint_lnd_macaroon("macaroon-0201036c"));
    let app = NewApp::new(template);
    assert!(!format!("{app:?}").contains("macaroon-0201036c"));
    let spec = AppSpec::from_template("nutshell").param("mint_lnd_macaroon", "macaroon-0201036c");
    assert!(!format!("{spec:?}").contains("macaroon-0201036c"));
}

#[tokio::test]
async fn neutral_create_app_returns_the_secrets_as_credentials() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            post_json(
                when,
                "/v1/apps",
                json!({"project_id": "prj-1", "template": "phoenixd", "params": {"auto_liquidity": "2m"}}),
            );
            then.status(200).json_body(data(json!({
                "projectId": "prj-1",
                "id": "app-1",
                "url": "https://app-1.nodana.app:9740",
                "seedPhrase": SEED,
                "httpPassword": PASSWORD,
                "httpPasswordLimited": "limited-pw"
            })));
        })
        .await;
    let spec = AppSpec::from_template("phoenixd")
        .param("auto_liquidity", "2m")
        .project("prj-1");
    let created = client(&server).create_app(&spec).await.unwrap();
    mock.assert_calls_async(1).await;
    assert_eq!(created.app.id.as_str(), "app-1");
    assert_eq!(created.app.source.as_deref(), Some("phoenixd"));
    assert_eq!(created.app.status, nodal_core::AppStatus::Pending);
    let names: Vec<&str> = created.credentials.names().collect();
    assert_eq!(names, ["httpPassword", "httpPasswordLimited", "seedPhrase"]);
    assert_eq!(created.credentials.expose("seedPhrase"), Some(SEED));
    assert!(!format!("{created:?}").contains("abandon"));
}
