//! Servers that echo what they were sent: secrets the request carried (env values, a macaroon,
//! the key in its encodings) and secrets an answer brought (a seed phrase) stay out of every
//! error and retry event; redirects and base-URL errors do not show the key either.

use super::{
    NODANA_KEY, NODION_KEY, assert_hidden, echo, header_safe, nodana, nodion, percent, shown,
};
use nodal::nodana::{NewApp, NodanaClient, NutshellParams, PhoenixdParams, Template};
use nodal::nodion::{EnvVariableId, EnvVariableUpdate, NewEnvVariable, NodionClient};
use nodal::{AppId, Error, Provider};
use nodal_tests::capture::capture_client_at_trace;
use nodal_tests::loopback::{Loopback, Reply};
use serde_json::json;

const APP: &str = "0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10";
const ENV_VALUE: &str = "env-value-quoted-by-422-a81f";
const ENV_RETRIED: &str = "env-value-in-retried-503-c3d9";
const MACAROON: &str = "0201036c6e640258030a10macaroon-e7b2";
const SEED: &str =
    "abandon ability able about above absent absorb abstract absurd abuse access accident";
const PASSWORD: &str = "Pw9x7Kq2hostile";

fn app() -> AppId {
    AppId::from(APP)
}

fn nutshell() -> NewApp {
    NewApp::new(Template::Nutshell(
        NutshellParams::new()
            .mint_name("mint")
            .mint_lnd_rest_url("https://lnd.example.invalid:8080")
            .mint_lnd_macaroon(MACAROON),
    ))
    .in_project("prj-1")
}

fn text_reply(status: u16, content_type: &str, body: String) -> Reply {
    let mut reply = Reply::new(status, body);
    reply.headers = vec![("content-type".into(), content_type.into())];
    reply
}

#[tokio::test]
async fn nodion_an_env_value_quoted_by_a_422_is_scrubbed() {
    let server = Loopback::start(|r| {
        Reply::new(
            422,
            json!({"errors": {"env_val": [format!("is invalid: {}", echo(r))]}}).to_string(),
        )
    })
    .await;
    let client = nodion(&server.url("/v1"));
    let err = client
        .env()
        .create(&app(), &NewEnvVariable::new("TOKEN", ENV_VALUE.into()))
        .await
        .expect_err("the server refuses");
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    let text = shown(&err);
    assert!(
        text.contains("[redacted]"),
        "the echo is there, scrubbed: {text}"
    );
    assert_hidden("the env value", ENV_VALUE, &text);
    assert_hidden("the key", NODION_KEY, &text);
}

#[tokio::test]
async fn nodion_an_env_value_in_a_retried_503_stays_out_of_the_retry_events() {
    let (logs, _guard) = capture_client_at_trace();
    let server = Loopback::start(|r| Reply::new(503, json!({"error": echo(r)}).to_string())).await;
    let client = nodion(&server.url("/v1"));
    let update = EnvVariableUpdate::new().value(ENV_RETRIED.into());
    let err = client
        .env()
        .update(&app(), &EnvVariableId::from("e-1"), &update)
        .await
        .expect_err("always 503");
    assert_eq!(server.received().len(), 4, "the PATCH is retried");
    let logs = logs.text();
    assert_eq!(logs.matches("retrying").count(), 3, "{logs}");
    assert_hidden("the env value in the logs", ENV_RETRIED, &logs);
    assert_hidden("the env value in the error", ENV_RETRIED, &shown(&err));
    assert_hidden("the key in the logs", NODION_KEY, &logs);
}

#[tokio::test]
async fn nodana_a_macaroon_quoted_by_a_400_payload_is_scrubbed() {
    let server = Loopback::start(|r| {
        Reply::new(
            200,
            json!({"error": "BadRequestError", "message": format!("bad macaroon in {}", echo(r)), "statusCode": 400})
                .to_string(),
        )
    })
    .await;
    let client = nodana(&server.url("/v1"));
    let err = client
        .apps()
        .create(&nutshell())
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    let text = shown(&err);
    assert!(text.contains("bad macaroon"), "{text}");
    assert_hidden("the macaroon", MACAROON, &text);
    assert_hidden("the key", NODANA_KEY, &text);
}

/// 2xx answers the client cannot decode, echoing into HTML, plain text and JSON keys.
fn undecodable_echoes(r: &nodal_tests::loopback::Received, mode: usize) -> Reply {
    let echoed = echo(r);
    match mode {
        0 => text_reply(
            200,
            "text/html",
            format!("<html><body><h1>Echo</h1><pre>{echoed}</pre></body></html>"),
        ),
        1 => text_reply(200, "text/plain", format!("you sent: {echoed}")),
        2 => Reply::new(
            200,
            json!({"data": {echoed.clone(): 1}, echoed.clone(): {"x": echoed}}).to_string(),
        ),
        _ => Reply::new(200, format!("{{\"data\": {{\"{}\": tru", percent(&echoed))),
    }
}

#[tokio::test]
async fn echoes_into_html_text_and_json_keys_show_no_secret_on_either_provider() {
    for mode in 0..4 {
        let server = Loopback::start(move |r| undecodable_echoes(r, mode)).await;
        let nodana = nodana(&server.url("/v1"));
        let err = nodana
            .apps()
            .create(&nutshell())
            .await
            .expect_err("undecodable");
        assert!(matches!(err, Error::Decode { .. }), "{mode}: {err:?}");
        let text = shown(&err);
        assert_hidden(&format!("mode {mode}: the macaroon"), MACAROON, &text);
        assert_hidden(&format!("mode {mode}: the Nodana key"), NODANA_KEY, &text);

        let nodion = nodion(&server.url("/v1"));
        let err = nodion
            .env()
            .create(&app(), &NewEnvVariable::new("TOKEN", ENV_VALUE.into()))
            .await
            .expect_err("undecodable");
        assert!(matches!(err, Error::Decode { .. }), "{mode}: {err:?}");
        let text = shown(&err);
        assert_hidden(&format!("mode {mode}: the env value"), ENV_VALUE, &text);
        assert_hidden(&format!("mode {mode}: the Nodion key"), NODION_KEY, &text);
    }
}

/// Secrets the client never sent, brought by a create answer it cannot decode: a seed phrase
/// in HTML or text, as a JSON key, and a one-word password repeated as a key.
#[tokio::test]
async fn a_seed_phrase_in_an_undecodable_answer_never_shows() {
    let answers = [
        text_reply(
            200,
            "text/html",
            format!("<html><p>Your seed phrase: {SEED}</p><p>password {PASSWORD}</p></html>"),
        ),
        text_reply(200, "text/plain", format!("seedPhrase={SEED}\nhttpPassword={PASSWORD}")),
        Reply::new(
            200,
            json!({"data": {"seedPhrase": SEED, SEED: 1, "httpPassword": PASSWORD, PASSWORD: true}})
                .to_string(),
        ),
        Reply::new(
            200,
            format!(r#"{{"data": {{"httpPassword": "{PASSWORD}", "{PASSWORD}": 1, "seedPhrase": "{SEED}"#),
        ),
    ];
    for (i, answer) in answers.into_iter().enumerate() {
        let server = Loopback::start(move |_| answer.clone()).await;
        let client = nodana(&server.url("/v1"));
        let err = client
            .apps()
            .create(&NewApp::new(Template::Phoenixd(PhoenixdParams::new())).in_project("prj-1"))
            .await
            .expect_err("undecodable");
        assert!(matches!(err, Error::Decode { .. }), "{i}: {err:?}");
        assert!(
            err.maybe_performed(),
            "{i}: a create that got an answer may be done"
        );
        let text = shown(&err);
        for word in SEED.split(' ').filter(|w| w.len() > 5) {
            assert!(
                !text.contains(word),
                "answer {i}: a seed word shows: {text}"
            );
        }
        assert_hidden(&format!("answer {i}: the password"), PASSWORD, &text);
    }
}

/// A redirect whose target holds the key (as a host name and in the query) is refused without
/// naming the target.
#[tokio::test]
async fn a_redirect_to_the_key_is_not_echoed() {
    let server = Loopback::start(|r| {
        let token = echo(r);
        let target = format!(
            "https://{}.example.invalid/steal?k={}",
            percent(&token),
            header_safe(&token).replace(' ', "")
        );
        let mut reply = Reply::new(302, "");
        reply.headers.push(("location".into(), target));
        reply
    })
    .await;
    let nodana: NodanaClient = nodana(&server.url("/v1"));
    let nodion: NodionClient = nodion(&server.url("/v1"));
    let providers: [(&dyn Provider, &str); 2] = [(&nodana, NODANA_KEY), (&nodion, NODION_KEY)];
    for (provider, key) in providers {
        let err = provider
            .get_app(&app())
            .await
            .expect_err("a redirect is an error");
        assert!(matches!(err, Error::Server { status: 302, .. }), "{err:?}");
        let text = shown(&err);
        assert!(text.contains("redirect"), "{text}");
        assert!(!text.contains("example.invalid"), "{text}");
        assert_hidden("the key", key, &text);
    }
}

/// Base URLs holding the key as user info, query or fragment, or malformed with a password:
/// neither builder's error shows it.
#[test]
fn base_url_errors_never_show_the_key() {
    for key in [NODANA_KEY, NODION_KEY] {
        let pct = percent(key);
        let urls = [
            format!("http://:{pct}@api.example.com/v1"),
            format!("https://user:{pct}@api.example.com/v1"),
            format!("https://api.example.com/v1?api_key={pct}"),
            format!("https://api.example.com/v1#{pct}"),
            format!("http://127.0.0.1:1/v1?api_key={key}"),
            format!("https://user:{pct}@exa mple.com/v1"),
            format!("https://user:{pct}@[::1/v1"),
            format!("ftp://user:{pct}@example.com/v1"),
            format!("https://{pct}.example.com:99999/v1"),
        ];
        for url in urls {
            // Each builder knows its own key, and scrubs it even from the host name.
            let err = if key == NODANA_KEY {
                NodanaClient::builder()
                    .api_key(NODANA_KEY)
                    .base_url(url.as_str())
                    .build()
                    .err()
            } else {
                NodionClient::builder()
                    .user_key(NODION_KEY)
                    .base_url(url.as_str())
                    .build()
                    .err()
            };
            let errors = [err];
            for err in errors {
                let err = err.unwrap_or_else(|| panic!("{url} is refused"));
                assert!(matches!(err, Error::Config { .. }), "{url}: {err:?}");
                assert_hidden(&url, key, &shown(&err));
            }
            // Nor does a builder's `Debug` (it shows no user info, query or fragment).
            if !url.contains(".example.com:99999") {
                let nodana = NodanaClient::builder()
                    .api_key(NODANA_KEY)
                    .base_url(url.as_str());
                assert_hidden("NodanaClientBuilder", key, &format!("{nodana:?}"));
                let nodion = NodionClient::builder()
                    .user_key(NODION_KEY)
                    .base_url(url.as_str());
                assert_hidden("NodionClientBuilder", key, &format!("{nodion:?}"));
            }
        }
    }
}

/// The neutral create: the application is created, then its env variable is refused by a 422
/// that quotes it. The partial-success error names what exists, and not the value.
#[tokio::test]
async fn nodion_a_neutral_create_whose_env_value_is_echoed_shows_no_value() {
    const SPEC_ENV: &str = "spec-env-value-echoed-5d71";
    let server = Loopback::start(|r| {
        if r.method == "POST" && r.path == "/v1/applications" {
            Reply::new(
                201,
                json!({"application": {
                    "id": APP, "name": "web", "status": "created", "state": "default",
                    "instance_amount": 1, "instance_type_id": "5903725b-f554-4294-ab17-c992a765a002",
                    "region": {"id": "5903725b-f554-4294-ab17-c992a765a001", "name": "EU", "slug": "euc"},
                    "workers": [], "deployment_strategy": "prebuilt_image",
                    "image_name": "nginxdemos/hello", "image_tag": null
                }})
                .to_string(),
            )
        } else {
            Reply::new(422, json!({"errors": [echo(r)]}).to_string())
        }
    })
    .await;
    let client = nodion(&server.url("/v1"));
    let spec = nodal::AppSpec::from_image("nginxdemos/hello")
        .name("web")
        .region("5903725b-f554-4294-ab17-c992a765a001")
        .instance_type("5903725b-f554-4294-ab17-c992a765a002")
        .env("TOKEN", SPEC_ENV);
    let err = nodal::Apps::create_app(&client, &spec)
        .await
        .expect_err("the env variable is refused");
    let text = shown(&err);
    assert!(
        text.contains(APP),
        "names the application that exists: {text}"
    );
    assert!(
        server
            .received()
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains(SPEC_ENV)),
        "the value was sent"
    );
    assert_hidden("the spec's env value", SPEC_ENV, &text);
}
