//! The hostile canary: a distinct secret in every secret-carrying field of every operation
//! (both keys, env values of create and update, a runner's override, the nutshell macaroon, a custom template's
//! parameter, a neutral spec's parameter, and the secrets an answer brings: a seed phrase,
//! passwords, an env value), run against servers that echo the request into every kind of
//! answer. Nothing may appear, in any encoding the servers use, in `Display`, `Debug` or the
//! client's logs at TRACE.

use super::{NODANA_KEY, NODION_KEY, echo, forms, header_safe, nodana, nodion};
use nodal::nodana::{NewApp, NutshellParams, PhoenixdParams, Template};
use nodal::nodion::{EnvVariableId, EnvVariableUpdate, NewEnvVariable, NewRun, RunnerId};
use nodal::{AppId, AppSpec, Apps, Projects};
use nodal_tests::canary::Witness;
use nodal_tests::capture::capture_client_at_trace;
use nodal_tests::loopback::{Loopback, Received, Reply};
use serde_json::json;

const APP: &str = "0b0c7a52-3f55-4c7e-9c1a-2f7f4b2e9d10";
const MACAROON: &str = "canary-macaroon-0201036c6e64";
const CUSTOM: &str = "canary-custom-param-5e1f";
const SPEC_PARAM: &str = "canary-spec-param-9a2b";
const ENV_CREATE: &str = "canary-env-create-77d0";
const ENV_UPDATE: &str = "canary-env-update-31c4";
const SEED: &str = "canary seed phrase abandon ability able";
const HTTP_PASSWORD: &str = "canary-http-password-6b8e";
const RUN_ENV: &str = "canary-runner-override-d4e6";
const ENV_ANSWER: &str = "canary-env-from-answer-0f3a";

/// The echoing servers: where in an answer the echo goes.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// An error quoting the echo (Nodion 422, Nodana's 400 payload).
    Refused,
    /// A 503 quoting the echo, retried by idempotent calls.
    Unavailable,
    /// 401, 404, 409, 429 (Retry-After 0) quoting the echo, by turns.
    Statuses,
    /// A 2xx HTML page with the echo.
    Html,
    /// A 2xx JSON answer with the echo as object keys.
    JsonKeys,
    /// A redirect whose target holds the echo.
    Redirect,
    /// A 2xx answer carrying secrets the client never sent, repeated as keys, that does not
    /// decode.
    AnswerSecrets,
}

const MODES: [Mode; 7] = [
    Mode::Refused,
    Mode::Unavailable,
    Mode::Statuses,
    Mode::Html,
    Mode::JsonKeys,
    Mode::Redirect,
    Mode::AnswerSecrets,
];

fn answer(mode: Mode, r: &Received, turn: usize) -> Reply {
    let nodana = r
        .header("authorization")
        .is_some_and(|a| a.starts_with("Basic"));
    let echoed = echo(r);
    let error = |status: u16| {
        if nodana {
            let name = match status {
                401 => "UnauthorizedError",
                404 => "NotFoundError",
                409 => "ConflictError",
                429 => "TooManyRequestsError",
                503 => "ServiceUnavailableError",
                _ => "BadRequestError",
            };
            let body = json!({"error": name, "message": echoed, "statusCode": status});
            Reply::new(if status >= 500 { status } else { 200 }, body.to_string())
        } else {
            Reply::new(status, json!({"errors": [echoed]}).to_string())
        }
    };
    match mode {
        Mode::Refused => error(if nodana { 400 } else { 422 }),
        Mode::Unavailable => error(503),
        Mode::Statuses => {
            let status = [401, 404, 409, 429][turn % 4];
            let mut reply = error(status);
            reply.headers.push(("retry-after".into(), "0".into()));
            reply
        }
        Mode::Html => {
            let mut reply = Reply::new(200, format!("<html><body>{echoed}</body></html>"));
            reply.headers = vec![("content-type".into(), "text/html".into())];
            reply
        }
        Mode::JsonKeys => Reply::new(
            200,
            json!({"data": {echoed.clone(): [1]}, "application": {echoed.clone(): 1}}).to_string(),
        ),
        Mode::Redirect => {
            let mut reply = Reply::new(307, "");
            let target = format!("https://{}.example.invalid/", header_safe(&echoed));
            reply.headers.push(("location".into(), target));
            reply
        }
        Mode::AnswerSecrets => Reply::new(
            200,
            json!({
                "data": {"seedPhrase": SEED, "httpPassword": HTTP_PASSWORD, HTTP_PASSWORD: SEED, SEED: 1},
                "env_variable": {"env_val": ENV_ANSWER, ENV_ANSWER: true}
            })
            .to_string(),
        ),
    }
}

/// Records a call's outcome, success or error: both are checked.
fn seen<T: std::fmt::Debug>(w: &Witness, label: &str, result: nodal::Result<T>) {
    let _ = w.result(label, result);
}

fn watch(w: &Witness, label: &str, secret: &str) {
    for (form, value) in forms(secret) {
        if value.len() >= 8 {
            w.secret(format!("{label} ({form})"), value);
        }
    }
}

#[tokio::test]
async fn every_secret_of_every_operation_stays_out_of_echoing_servers_answers() {
    let (logs, _guard) = capture_client_at_trace();
    let w = Witness::new();
    watch(&w, "the Nodana key", NODANA_KEY);
    watch(&w, "the Nodion key", NODION_KEY);
    watch(&w, "the macaroon", MACAROON);
    watch(&w, "a custom template's parameter", CUSTOM);
    watch(&w, "a neutral spec's parameter", SPEC_PARAM);
    watch(&w, "an env value (create)", ENV_CREATE);
    watch(&w, "an env value (update)", ENV_UPDATE);
    watch(&w, "a runner's override value", RUN_ENV);
    watch(&w, "the answer's env value", ENV_ANSWER);
    watch(&w, "the answer's password", HTTP_PASSWORD);
    w.secret("the answer's seed phrase", SEED);
    let app = AppId::from(APP);

    for mode in MODES {
        let turn = std::sync::atomic::AtomicUsize::new(0);
        let server = Loopback::start(move |r| {
            answer(
                mode,
                r,
                turn.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            )
        })
        .await;
        let base = server.url("/v1");
        let label = |op: &str| format!("{mode:?}: {op}");

        // Nodana: every call carries the key; creates carry the template's secrets.
        let client = nodana(&base);
        let nutshell = NewApp::new(Template::Nutshell(
            NutshellParams::new()
                .mint_name("mint")
                .mint_lnd_rest_url("https://lnd.example.invalid")
                .mint_lnd_macaroon(MACAROON),
        ))
        .in_project("prj-1");
        seen(
            &w,
            &label("nodana apps().create nutshell"),
            client.apps().create(&nutshell).await,
        );
        let custom = NewApp::new(Template::custom("my-template", [("token", CUSTOM)]));
        seen(
            &w,
            &label("nodana apps().create custom"),
            client.apps().create(&custom).await,
        );
        let phoenixd = NewApp::new(Template::Phoenixd(PhoenixdParams::new()));
        seen(
            &w,
            &label("nodana apps().create phoenixd"),
            client.apps().create(&phoenixd).await,
        );
        let spec = AppSpec::from_template("nutshell")
            .param("mint_lnd_rest_url", "https://lnd.example.invalid")
            .param("mint_lnd_macaroon", SPEC_PARAM);
        seen(
            &w,
            &label("nodana create_app (neutral)"),
            client.create_app(&spec).await,
        );
        seen(&w, &label("nodana get_app"), client.get_app(&app).await);
        seen(
            &w,
            &label("nodana delete_app"),
            client.delete_app(&app).await,
        );
        seen(
            &w,
            &label("nodana list_projects"),
            client.list_projects().await,
        );

        // Nodion: the key on every call; env values on create and update.
        let client = nodion(&base);
        if matches!(mode, Mode::Refused) {
            // Not vacuous: the echo reaches the error, scrubbed.
            let err = client
                .env()
                .create(&app, &NewEnvVariable::new("TOKEN", ENV_CREATE.into()))
                .await
                .expect_err("refused");
            assert!(err.to_string().contains("[redacted]"), "{err}");
        }
        seen(
            &w,
            &label("nodion env().create"),
            client
                .env()
                .create(&app, &NewEnvVariable::new("TOKEN", ENV_CREATE.into()))
                .await,
        );
        seen(
            &w,
            &label("nodion env().update"),
            client
                .env()
                .update(
                    &app,
                    &EnvVariableId::from("e-1"),
                    &EnvVariableUpdate::new().value(ENV_UPDATE.into()),
                )
                .await,
        );
        seen(
            &w,
            &label("nodion env().get"),
            client.env().get(&app, &EnvVariableId::from("e-1")).await,
        );
        seen(
            &w,
            &label("nodion runners().trigger"),
            client
                .runners()
                .trigger(
                    &RunnerId::from("r-1"),
                    &NewRun::new().env("TOKEN", RUN_ENV.into()),
                )
                .await,
        );
        seen(&w, &label("nodion get_app"), client.get_app(&app).await);
        seen(
            &w,
            &label("nodion delete_app"),
            client.delete_app(&app).await,
        );
        seen(&w, &label("nodion stop_app"), client.stop_app(&app).await);
    }
    let logs = logs.text();
    assert!(logs.contains("nodal.request"), "the capture is live");
    assert!(logs.contains("retrying"), "retry events were captured");
    assert!(w.outputs() >= 7 * 14, "{} outputs", w.outputs());
    w.assert_clean(&logs);
}
