//! The secret canary (docs/reliability.md): every operation of both adapters, typed and neutral,
//! on success and failure paths, runs with distinctive canary values as the API key, environment
//! values, a macaroon and the seed phrase the twin hands out, while a global subscriber captures
//! every event at TRACE (and reqwest's `log` records). No canary may appear in the logs, nor in
//! `{:?}`, `{:#?}` or `{}` of any returned value or error.
//!
//! The subscriber is the process's global default (nothing else in the suite installs one), so
//! events of every thread are seen. The in-process fake servers' own logs (`nodal_sim`, `httpmock`) are not
//! the client's and are filtered out.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use futures_util::StreamExt as _;
use httpmock::prelude::*;
use nodal::nodana::{NewApp, NodanaClient, NutshellParams, PhoenixdParams, ServiceId, Template};
use nodal::nodion::{
    CreateApplication, EnvVariableId, EnvVariableUpdate, LogQuery, NewDnsRecord, NewDomain,
    NewEnvVariable, NodionClient, RecordType, Scope, UpdateApplication,
};
use nodal::{
    App, AppId, AppSpec, Apps, DeployOptions, Error, ExposeSecret, ProjectId, Provider, WaitOptions,
};
use nodal_core::{Quota, RateLimit, RetryConfig};
use nodal_sim::{Fault, FaultKind, NodionKeySpec, Provider as Twin, Sim};
use nodal_testkit::fast_retry;
use nodal_tests::canary::Witness;
use nodal_tests::capture::global_client_capture;
use serde_json::json;
use std::time::Duration;

const NODANA_KEY: &str = "CANARY-TOKEN-NODANA-7f3a91";
const NODION_KEY: &str = "CANARY-TOKEN-NODION-7f3a92";
const WRONG_KEY: &str = "CANARY-TOKEN-WRONG-7f3a93";
const MACAROON: &str = "CANARY-MACAROON-0201036c6e64";
const CUSTOM_SECRET: &str = "CANARY-CUSTOM-PARAM-5e2d";
const ENV_CREATE: &str = "CANARY-ENV-create-3c9d71";
const ENV_UPDATE: &str = "CANARY-ENV-update-3c9d72";
const ENV_SPEC: &str = "CANARY-ENV-spec-3c9d73";
const ENV_REFUSED: &str = "CANARY-ENV-refused-3c9d74";

const WAIT: Duration = Duration::from_secs(20);

fn wait_options() -> WaitOptions {
    WaitOptions::new(WAIT).with_interval(Duration::from_millis(50))
}

/// The key and the encoded form the client sends (Nodana's Basic credentials; Nodion's Bearer
/// header carries the key itself).
fn watch_key(witness: &Witness, label: &str, key: &str) {
    witness.secret(label, key);
    witness.secret(
        format!("{label} (Basic)"),
        STANDARD.encode(format!(":{key}")),
    );
}

/// The logs must show the client at work (so the capture is not vacuous), then hold no canary.
fn assert_clean(witness: &Witness) {
    let logs = global_client_capture().text();
    assert!(
        logs.contains("nodal.request"),
        "the capture saw no request span"
    );
    assert!(
        logs.contains("TRACE") && logs.contains("DEBUG"),
        "the capture is not at TRACE"
    );
    assert!(
        logs.contains("reqwest::connect"),
        "reqwest's `log` records are not captured"
    );
    // For a look at what was captured: CANARY_DUMP=/tmp/logs.txt cargo nextest run ...
    if let Ok(path) = std::env::var("CANARY_DUMP") {
        std::fs::write(path, &logs).expect("write CANARY_DUMP");
    }
    witness.assert_clean(&logs);
    eprintln!(
        "canary: {} secrets checked against {} outputs and {} bytes of logs",
        witness.secrets(),
        witness.outputs(),
        logs.len()
    );
}

/// The twin with both canary keys, short lifecycles and no Nodana pacing (the canary is about
/// secrets; the fault matrix and the load test check the limit).
async fn twin() -> Sim {
    Sim::builder()
        .nodana_static_key(NODANA_KEY)
        .nodion_static_key(NODION_KEY)
        .nodana_min_interval(Duration::ZERO)
        .nodana_start_delay(Duration::from_millis(100))
        .nodion_deploy_delay(Duration::from_millis(100))
        .start()
        .await
        .expect("start the twin")
}

fn nodana(base_url: &str, key: &str) -> NodanaClient {
    NodanaClient::builder()
        .api_key(key)
        .base_url(base_url)
        // Fast, but a quota is kept so waits may poll quickly (they never poll faster).
        .rate_limit(RateLimit::new(Quota::per_second(200)))
        .retry(fast_retry())
        .build()
        .expect("nodana client")
}

fn nodion(base_url: &str, key: &str) -> NodionClient {
    NodionClient::builder()
        .user_key(key)
        .base_url(base_url)
        .retry(fast_retry())
        .build()
        .expect("nodion client")
}

#[tokio::test]
async fn nodana_every_operation_keeps_every_secret() {
    global_client_capture();
    let w = Witness::new();
    watch_key(&w, "the Nodana key", NODANA_KEY);
    watch_key(&w, "a wrong key", WRONG_KEY);
    w.secret("the macaroon", MACAROON);
    w.secret("a custom template's parameter", CUSTOM_SECRET);

    let sim = twin().await;
    let base = sim.nodana_base_url();
    let builder = NodanaClient::builder()
        .api_key(NODANA_KEY)
        .base_url(base.as_str());
    w.debug("NodanaClientBuilder", &builder);
    let client = nodana(&base, NODANA_KEY);
    w.debug("NodanaClient", &client);

    // Typed projects.
    let project = w.ok(
        "projects().create",
        client.projects().create("canary").await,
    );
    let pid = project.id.clone();
    w.ok("projects().list", client.projects().list().await);
    w.ok("projects().get", client.projects().get(&pid).await);
    w.ok(
        "projects().rename",
        client.projects().rename(&pid, "canary-2").await,
    );

    // Typed apps: a nutshell mint carrying the macaroon, and a phoenixd node whose answer holds
    // the seed phrase and passwords.
    let nutshell = NewApp::new(Template::Nutshell(
        NutshellParams::new()
            .mint_name("canary mint")
            .mint_lnd_macaroon(MACAROON),
    ))
    .in_project(pid.clone());
    w.debug("NewApp (nutshell)", &nutshell);
    let mint = w.ok(
        "apps().create nutshell",
        client.apps().create(&nutshell).await,
    );
    let phoenixd = NewApp::new(Template::Phoenixd(PhoenixdParams::new())).in_project(pid.clone());
    let node = w.ok(
        "apps().create phoenixd",
        client.apps().create(&phoenixd).await,
    );
    let seed = node
        .secrets
        .expose("seedPhrase")
        .expect("the twin returns a seed phrase")
        .to_owned();
    assert_eq!(seed.split(' ').count(), 12, "a 12-word seed phrase");
    for name in node.secrets.names() {
        let value = node.secrets.expose(name).unwrap_or_default();
        w.secret(format!("the created app's `{name}`"), value);
    }
    w.text(
        "serde_json of CreatedApp",
        serde_json::to_string(&node).expect("serialize"),
    );
    let mut neutral_node = nodal::CreatedApp::from(node.clone());
    neutral_node.app.source = Some("phoenixd".to_owned());
    w.debug("neutral CreatedApp", &neutral_node);
    w.text(
        "serde_json of the neutral CreatedApp",
        serde_json::to_string(&neutral_node).expect("serialize"),
    );
    // Exposed on purpose, the secrets are all there: the canary would catch a real value.
    let exposed = serde_json::to_string(&node.secrets.exposed()).expect("serialize");
    assert!(exposed.contains(&seed));
    w.debug(
        "ExposedCredentials (Debug stays redacted)",
        &node.secrets.exposed(),
    );

    let app = node.id.clone();
    w.ok("apps().get", client.apps().get(&app).await);
    w.ok(
        "apps().wait_until_available_with",
        client
            .apps()
            .wait_until_available_with(&app, wait_options(), |_, _| {})
            .await,
    );
    w.ok("apps().stop", client.apps().stop(&app).await);
    w.ok("apps().start", client.apps().start(&app).await);
    w.ok("apps().restart", client.apps().restart(&app).await);
    w.ok("apps().update", client.apps().update(&app).await);
    let services = w.ok("services().list", client.services().list(&app).await);
    w.ok(
        "services().update",
        client.services().update(&app, &services[0].id).await,
    );
    w.ok("projects().apps", client.projects().apps(&pid).await);
    w.ok(
        "apps().wait_until_available",
        client.apps().wait_until_available(&app, WAIT).await,
    );

    // Failure paths of the typed API.
    w.err(
        "services().update unknown",
        client
            .services()
            .update(&app, &ServiceId::new("svc-nope"))
            .await,
    );
    let busy = w.err(
        "projects().delete of a project with apps",
        client.projects().delete(&pid).await,
    );
    assert!(matches!(busy, Error::Conflict { .. }), "{busy:?}");
    let refused = w.err(
        "apps().create custom template with a bad parameter",
        client
            .apps()
            .create(
                &NewApp::new(Template::custom(
                    "nutshell",
                    [
                        ("mint_lnd_macaroon", CUSTOM_SECRET),
                        ("bogus", CUSTOM_SECRET),
                    ],
                ))
                .in_project(pid.clone()),
            )
            .await,
    );
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused:?}");
    let local = w.err(
        "Template::from_name_and_params refusing locally",
        Template::from_name_and_params(
            "nutshell",
            &[("bogus".to_owned(), CUSTOM_SECRET.into())]
                .into_iter()
                .collect(),
        ),
    );
    assert!(matches!(local, Error::InvalidInput { .. }), "{local:?}");

    // Faults on calls that carry the macaroon: every kind of failed answer.
    for (label, kind) in faults() {
        sim.inject(
            Fault::new(Twin::Nodana, kind)
                .method("POST")
                .path("/apps")
                .times(10),
        );
        w.err(
            &format!("apps().create nutshell under {label}"),
            client.apps().create(&nutshell).await,
        );
        sim.clear_faults();
    }

    // A wrong key: every failure says "unauthenticated" without the key.
    let wrong = nodana(&base, WRONG_KEY);
    w.debug("NodanaClient with a wrong key", &wrong);
    let denied = w.err(
        "projects().list with a wrong key",
        wrong.projects().list().await,
    );
    assert!(
        matches!(denied, Error::Unauthenticated { .. }),
        "{denied:?}"
    );
    w.err(
        "apps().create with a wrong key",
        wrong.apps().create(&nutshell).await,
    );

    // The neutral traits.
    let provider: &dyn Provider = &client;
    neutral_operations(&w, provider, Some(pid.clone()), &sim, Twin::Nodana).await;
    let spec = AppSpec::from_template("nutshell")
        .param("mint_lnd_macaroon", MACAROON)
        .project(pid.clone());
    w.debug("AppSpec with the macaroon", &spec);
    let created = w.ok("create_app nutshell", provider.create_app(&spec).await);
    w.ok(
        "delete_app nutshell",
        provider.delete_app(&created.app.id).await,
    );
    w.ok("delete_app mint", provider.delete_app(&mint.id).await);

    // Clean up through the typed API, then the project can go.
    w.ok("apps().delete", client.apps().delete(&app).await);
    w.err("apps().get deleted", client.apps().get(&app).await);
    w.err("apps().delete deleted", client.apps().delete(&app).await);
    w.ok("projects().delete", client.projects().delete(&pid).await);
    assert_eq!(sim.counters().nodana_rate_limit_violations, 0);

    w.secret("the seed phrase", seed);
    assert_clean(&w);
}

#[tokio::test]
async fn nodion_every_operation_keeps_every_secret() {
    global_client_capture();
    let w = Witness::new();
    watch_key(&w, "the Nodion key", NODION_KEY);
    watch_key(&w, "a wrong key", WRONG_KEY);
    for (label, value) in [
        ("an env value (create)", ENV_CREATE),
        ("an env value (update)", ENV_UPDATE),
        ("an env value (AppSpec)", ENV_SPEC),
        ("an env value (refused)", ENV_REFUSED),
    ] {
        w.secret(label, value);
    }

    let sim = twin().await;
    let base = sim.nodion_base_url();
    let read_only_key = sim.issue_nodion_user_key(NodionKeySpec::new().scopes(["read"]));
    watch_key(&w, "a read-only key", &read_only_key);
    let builder = NodionClient::builder()
        .user_key(NODION_KEY)
        .base_url(base.as_str());
    w.debug("NodionClientBuilder", &builder);
    let client = nodion(&base, NODION_KEY);
    w.debug("NodionClient", &client);

    // Catalogue and projects.
    let regions = w.ok("catalog().regions", client.catalog().regions().await);
    let types = w.ok(
        "catalog().instance_types",
        client.catalog().instance_types().await,
    );
    w.ok("projects().list", client.projects().list().await);

    // Applications.
    let body = CreateApplication::new("canary", &regions[0].id, &types[0].id, 1)
        .image("nginxdemos/hello", Some("latest"));
    w.debug("CreateApplication", &body);
    let application = w.ok(
        "applications().create",
        client.applications().create(&body).await,
    );
    let app = application.id.clone();
    w.ok("applications().list", client.applications().list().await);
    w.ok("applications().get", client.applications().get(&app).await);
    w.ok(
        "applications().update",
        client
            .applications()
            .update(&app, &UpdateApplication::new().name("canary-2"))
            .await,
    );

    // Environment variables: the values are the canaries.
    let new = NewEnvVariable::new("API_TOKEN", ENV_CREATE.into()).build_time(true);
    w.debug("NewEnvVariable", &new);
    let var = w.ok("env().create", client.env().create(&app, &new).await);
    assert_eq!(
        var.value.expose_secret(),
        ENV_CREATE,
        "the value reached the twin"
    );
    w.text(
        "serde_json of EnvVariable",
        serde_json::to_string(&var).expect("serialize"),
    );
    w.ok("env().list", client.env().list(&app).await);
    let read = w.ok("env().get", client.env().get(&app, &var.id).await);
    assert_eq!(read.value.expose_secret(), ENV_CREATE);
    let change = EnvVariableUpdate::new().value(ENV_UPDATE.into());
    w.debug("EnvVariableUpdate", &change);
    let updated = w.ok(
        "env().update",
        client.env().update(&app, &var.id, &change).await,
    );
    assert_eq!(updated.value.expose_secret(), ENV_UPDATE);
    let refused = w.err(
        "env().create with an invalid name",
        client
            .env()
            .create(&app, &NewEnvVariable::new("1-BAD", ENV_REFUSED.into()))
            .await,
    );
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused:?}");
    for (label, kind) in faults() {
        sim.inject(
            Fault::new(Twin::Nodion, kind)
                .path("/applications/*/env_variables/*")
                .times(10),
        );
        w.err(
            &format!("env().get under {label}"),
            client.env().get(&app, &var.id).await,
        );
        w.err(
            &format!("env().update under {label}"),
            client.env().update(&app, &var.id, &change).await,
        );
        sim.clear_faults();
    }

    // Deployments, processes, instances, metrics, logs.
    w.ok("deployments().list", client.deployments().list(&app).await);
    w.ok(
        "deployments().create",
        client.deployments().create(&app, Some("1.2.3")).await,
    );
    let processes = w.ok("processes().list", client.processes().list(&app).await);
    w.ok(
        "processes().scale",
        client.processes().scale(&app, &processes[0].id, 1).await,
    );
    w.ok("instances().list", client.instances().list(&app).await);
    w.ok(
        "instances().metrics",
        client.instances().metrics(&app).await,
    );
    w.ok(
        "logs().page",
        client.logs().page(&app, &LogQuery::new().limit(20)).await,
    );
    let stream = client
        .logs()
        .stream(&app, LogQuery::new().limit(30).page_size(10))
        .expect("logs().stream");
    let lines: Vec<_> = stream.collect().await;
    assert_eq!(lines.len(), 30);
    for line in lines {
        w.result("logs().stream item", line).ok();
    }
    w.ok(
        "Apps::wait_until_available_with",
        Apps::wait_until_available_with(
            &client,
            &app,
            wait_options(),
            Some(&mut |state: &App, _| w.debug("wait progress", state)),
        )
        .await,
    );

    // Domains, DNS, SSH keys.
    let domain = w.ok(
        "domains().create",
        client
            .domains()
            .create(&app, &NewDomain::new("canary.example.com"))
            .await,
    );
    w.ok("domains().list", client.domains().list(&app).await);
    w.ok(
        "domains().verify",
        client.domains().verify(&app, &domain.id).await,
    );
    w.ok(
        "domains().delete",
        client.domains().delete(&app, &domain.id).await,
    );
    let zone = w.ok(
        "dns().create_zone",
        client.dns().create_zone("canary.example.org").await,
    );
    w.ok("dns().list_zones", client.dns().list_zones().await);
    let record = w.ok(
        "dns().create_record",
        client
            .dns()
            .create_record(
                &zone.id,
                &NewDnsRecord::new(RecordType::A, "www", "192.0.2.10"),
            )
            .await,
    );
    w.ok(
        "dns().list_records",
        client.dns().list_records(&zone.id).await,
    );
    w.ok(
        "dns().delete_record",
        client.dns().delete_record(&zone.id, &record.id).await,
    );
    w.ok(
        "dns().delete_zone",
        client.dns().delete_zone(&zone.id).await,
    );
    let key = w.ok(
        "ssh_keys().create",
        client
            .ssh_keys()
            .create("laptop", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO7T me@host")
            .await,
    );
    w.ok("ssh_keys().list", client.ssh_keys().list().await);
    w.ok("ssh_keys().delete", client.ssh_keys().delete(&key.id).await);

    // Failure paths: 404, a read-only key (403), a declared scope (refused locally), a wrong key.
    let missing = AppId::from("00000000-0000-4000-8000-00000000dead");
    w.err(
        "applications().get unknown",
        client.applications().get(&missing).await,
    );
    w.err("env().list unknown", client.env().list(&missing).await);
    let reader = nodion(&base, &read_only_key);
    let forbidden = w.err(
        "env().create with a read-only key",
        reader.env().create(&app, &new).await,
    );
    assert!(
        matches!(forbidden, Error::PermissionDenied { .. }),
        "{forbidden:?}"
    );
    let declared = NodionClient::builder()
        .user_key(NODION_KEY)
        .base_url(base.as_str())
        .scopes([Scope::Read])
        .build()
        .expect("client with declared scopes");
    w.err(
        "env().update refused locally",
        declared.env().update(&app, &var.id, &change).await,
    );
    let wrong = nodion(&base, WRONG_KEY);
    let denied = w.err("env().list with a wrong key", wrong.env().list(&app).await);
    assert!(
        matches!(denied, Error::Unauthenticated { .. }),
        "{denied:?}"
    );
    w.err(
        "env().create with a wrong key",
        wrong.env().create(&app, &new).await,
    );

    // The neutral traits, with environment values in the spec.
    let provider: &dyn Provider = &client;
    neutral_operations(&w, provider, None, &sim, Twin::Nodion).await;
    let spec = AppSpec::from_image("nginxdemos/hello")
        .name("canary-spec")
        .region("euc")
        .instance_type("starter")
        .env("API_TOKEN", ENV_SPEC);
    w.debug("AppSpec with env", &spec);
    let created = w.ok("create_app with env", provider.create_app(&spec).await);
    let stored = client
        .env()
        .list(&created.app.id)
        .await
        .expect("read the env back");
    assert_eq!(
        stored[0].value.expose_secret(),
        ENV_SPEC,
        "the value reached the twin"
    );
    let bad_env = AppSpec::from_image("nginxdemos/hello")
        .name("canary-bad-env")
        .region("euc")
        .instance_type("starter")
        .env("1-BAD", ENV_REFUSED);
    w.err(
        "create_app with a refused env variable",
        provider.create_app(&bad_env).await,
    );

    w.ok("env().delete", client.env().delete(&app, &var.id).await);
    w.ok(
        "applications().delete",
        client.applications().delete(&app).await,
    );
    w.err(
        "applications().get deleted",
        client.applications().get(&app).await,
    );
    assert_clean(&w);
}

/// Every neutral operation, on success and failure paths; creates and deletes one app.
async fn neutral_operations(
    w: &Witness,
    provider: &dyn Provider,
    project: Option<ProjectId>,
    sim: &Sim,
    twin: Twin,
) {
    w.debug("capabilities", &provider.capabilities());
    let projects = w.ok("list_projects", provider.list_projects().await);
    let project = project.unwrap_or_else(|| projects[0].id.clone());
    w.ok("get_project", provider.get_project(&project).await);
    w.result("create_project", provider.create_project("neutral").await)
        .ok();
    w.result(
        "rename_project",
        provider.rename_project(&project, "renamed").await,
    )
    .ok();
    w.err(
        "get_project unknown",
        provider
            .get_project(&ProjectId::from("00000000-0000-4000-8000-00000000beef"))
            .await,
    );
    let spec = match twin {
        Twin::Nodana => AppSpec::from_template("phoenixd").project(project.clone()),
        _ => AppSpec::from_image("nginxdemos/hello")
            .name("neutral")
            .region("euc")
            .instance_type("starter"),
    };
    let created = w.ok("create_app", provider.create_app(&spec).await);
    for name in created.credentials.names() {
        let value = created.credentials.expose(name).unwrap_or_default();
        w.secret(format!("neutral create_app's `{name}`"), value);
    }
    w.text(
        "serde_json of the neutral CreatedApp",
        serde_json::to_string(&created).expect("serialize"),
    );
    let app = created.app.id.clone();
    w.ok("list_apps(Some)", provider.list_apps(Some(&project)).await);
    w.ok("list_apps(None)", provider.list_apps(None).await);
    w.ok("get_app", provider.get_app(&app).await);
    w.ok(
        "wait_until_available",
        provider.wait_until_available(&app, WAIT).await,
    );
    w.ok("stop_app", provider.stop_app(&app).await);
    w.ok("start_app", provider.start_app(&app).await);
    w.ok("restart_app", provider.restart_app(&app).await);
    w.ok("list_deployments", provider.list_deployments(&app).await);
    w.ok(
        "deploy",
        provider.deploy(&app, &DeployOptions::default()).await,
    );
    w.result(
        "deploy with an image tag",
        provider
            .deploy(&app, &DeployOptions::default().image_tag("9.9.9"))
            .await,
    )
    .ok();
    for (label, kind) in faults() {
        sim.inject(Fault::new(twin, kind).method("GET").times(10));
        w.err(
            &format!("get_app under {label}"),
            provider.get_app(&app).await,
        );
        sim.clear_faults();
    }
    w.ok("delete_app", provider.delete_app(&app).await);
    w.err("get_app deleted", provider.get_app(&app).await);
    w.err("stop_app deleted", provider.stop_app(&app).await);
    w.result("delete_project", provider.delete_project(&project).await)
        .ok();
}

/// Every fault kind that makes a call fail, with a label.
fn faults() -> Vec<(&'static str, FaultKind)> {
    vec![
        ("HTTP 500", FaultKind::Status(500)),
        ("a dropped connection", FaultKind::DropConnection),
        ("malformed JSON", FaultKind::MalformedJson),
        ("truncated JSON", FaultKind::TruncatedJson),
        ("an oversized body", FaultKind::Oversized(9 * 1024 * 1024)),
        // Retry-After 0: a long one would pause the whole client (on purpose) and slow the test.
        (
            "rate limiting on every attempt",
            FaultKind::RateLimited {
                retry_after: Duration::ZERO,
            },
        ),
    ]
}

/// A server that echoes the credentials it received, in every kind of answer: the errors
/// built from those answers (Decode excerpts, provider messages) must not repeat them. Each
/// client is checked against its own key: that is the secret it holds and sends.
#[tokio::test]
async fn servers_echoing_the_authorization_header_do_not_leak_it() {
    global_client_capture();
    let basic = format!("Basic {}", STANDARD.encode(format!(":{NODANA_KEY}")));
    let bearer = format!("Bearer {NODION_KEY}");
    let nodana_server = echo_server(&format!(
        "you sent Authorization: {basic} (key {NODANA_KEY})"
    ))
    .await;
    let nodion_server = echo_server(&format!(
        "you sent Authorization: {bearer} (key {NODION_KEY})"
    ))
    .await;

    let nodana = NodanaClient::builder()
        .api_key(NODANA_KEY)
        .base_url(nodana_server.url("/v1"))
        .rate_limit(RateLimit::unlimited())
        .retry(RetryConfig::disabled())
        .build()
        .expect("nodana client");
    let nodion = NodionClient::builder()
        .user_key(NODION_KEY)
        .base_url(nodion_server.url("/v1"))
        .retry(RetryConfig::disabled())
        .build()
        .expect("nodion client");

    let on_nodana = Witness::new();
    watch_key(&on_nodana, "the Nodana key", NODANA_KEY);
    let on_nodion = Witness::new();
    watch_key(&on_nodion, "the Nodion key", NODION_KEY);
    for (route, status, _) in echo_answers("") {
        let app = AppId::from(route);
        let decode = status == 200 && route.starts_with("decode");
        let w = &on_nodana;
        let got = w.err(
            &format!("nodana get {route}"),
            nodana.apps().get(&app).await,
        );
        assert!(!decode || matches!(got, Error::Decode { .. }), "{got:?}");
        w.err(
            &format!("nodana stop {route}"),
            nodana.apps().stop(&app).await,
        );
        let neutral: &dyn Provider = &nodana;
        w.err(
            &format!("nodana neutral get_app {route}"),
            neutral.get_app(&app).await,
        );

        let w = &on_nodion;
        let got = w.err(
            &format!("nodion applications().get {route}"),
            nodion.applications().get(&app).await,
        );
        assert!(!decode || matches!(got, Error::Decode { .. }), "{got:?}");
        w.result(
            &format!("nodion applications().delete {route}"),
            nodion.applications().delete(&app).await,
        )
        .ok();
        let neutral: &dyn Provider = &nodion;
        w.err(
            &format!("nodion neutral get_app {route}"),
            neutral.get_app(&app).await,
        );
    }
    assert_clean(&on_nodana);
    assert_clean(&on_nodion);
}

/// Every kind of answer, each quoting `words`: route, HTTP status, body.
fn echo_answers(words: &str) -> Vec<(&'static str, u16, String)> {
    let payload = |code: u16, name: &str| {
        json!({"message": words, "error": name, "statusCode": code}).to_string()
    };
    vec![
        ("decode-html", 200, format!("<html>{words}</html>")),
        (
            "decode-json",
            200,
            json!({"unexpected": words, "data": {"id": 7, "echo": words}}).to_string(),
        ),
        ("payload-400", 200, payload(400, "BadRequestError")),
        ("payload-401", 200, payload(401, "UnauthorizedError")),
        ("payload-404", 200, payload(404, "NotFoundError")),
        ("payload-429", 200, payload(429, "TooManyRequestsError")),
        (
            "status-401",
            401,
            json!({"status": 401, "error": words}).to_string(),
        ),
        (
            "status-403",
            403,
            json!({"status": 403, "error": words}).to_string(),
        ),
        (
            "status-404",
            404,
            json!({"status": 404, "message": words}).to_string(),
        ),
        ("status-409", 409, json!({"error": words}).to_string()),
        (
            "status-422",
            422,
            json!({"errors": [words, words]}).to_string(),
        ),
        (
            "status-429",
            429,
            json!({"status": 429, "error": words}).to_string(),
        ),
        ("status-500", 500, format!("{words} {words}")),
        ("status-503", 503, payload(503, "InternalServerError")),
    ]
}

/// An httpmock server answering `/v1/apps/<route>` and `/v1/applications/<route>` (any method)
/// with the answers of [`echo_answers`].
async fn echo_server(words: &str) -> MockServer {
    let server = MockServer::start_async().await;
    for (route, status, body) in echo_answers(words) {
        server
            .mock_async(|when, then| {
                when.path_matches(format!("^/v1/(apps|applications)/{route}(/stop)?$").as_str());
                then.status(status)
                    .header("retry-after", "0")
                    .header("content-type", "application/json")
                    .body(body);
            })
            .await;
    }
    server
}

/// A 2xx answer that quotes secret values in a shape the client cannot decode: serde's message
/// would quote the value; the Decode error must not.
#[tokio::test]
async fn decode_errors_do_not_quote_secret_values() {
    global_client_capture();
    let w = Witness::new();
    w.secret("an env value", ENV_CREATE);
    w.secret("a seed phrase", "CANARY seed abandon ability able about");
    watch_key(&w, "the Nodion key", NODION_KEY);
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/applications/a-1/env_variables/e-1");
            then.status(200).json_body(json!({"env_variable": {
                "id": "e-1", "env_key": "API_TOKEN", "env_val": ENV_CREATE, "buildtime": ENV_CREATE
            }}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/applications/a-1/env_variables");
            then.status(200)
                .json_body(json!({"env_variables": [{"id": {"nested": ENV_CREATE}}]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/apps");
            then.status(200).json_body(json!({"data": {
                "projectId": ["CANARY seed abandon ability able about"],
                "id": "app-1",
                "seedPhrase": "CANARY seed abandon ability able about"
            }}));
        })
        .await;
    let nodion = NodionClient::builder()
        .user_key(NODION_KEY)
        .base_url(server.url("/v1"))
        .retry(RetryConfig::disabled())
        .build()
        .expect("nodion client");
    let app = AppId::from("a-1");
    let err = w.err(
        "env().get with a bad field",
        nodion.env().get(&app, &EnvVariableId::from("e-1")).await,
    );
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let err = w.err("env().list with a bad id", nodion.env().list(&app).await);
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let nodana = NodanaClient::builder()
        .api_key(NODANA_KEY)
        .base_url(server.url("/v1"))
        .rate_limit(RateLimit::unlimited())
        .retry(RetryConfig::disabled())
        .build()
        .expect("nodana client");
    let err = w.err(
        "apps().create with a bad field beside the seed phrase",
        nodana
            .apps()
            .create(&NewApp::new(Template::Phoenixd(PhoenixdParams::new())))
            .await,
    );
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_clean(&w);
}

/// The witness is not vacuous: a canary in any output fails the check.
#[test]
#[should_panic(expected = "secrets leaked")]
fn a_leak_is_caught() {
    let w = Witness::new();
    watch_key(&w, "the Nodana key", NODANA_KEY);
    w.display(
        "an error message",
        &format!("echo: {}", STANDARD.encode(format!(":{NODANA_KEY}"))),
    );
    w.assert_clean("");
}

/// A request's `Debug` (as a caller of the request path could print it) shows the body's size,
/// never its content, which holds exposed secrets once serialized.
#[test]
fn a_request_with_secrets_in_its_body_prints_none_of_them() {
    let w = Witness::new();
    w.secret("an env value", ENV_CREATE);
    w.secret("the macaroon", MACAROON);
    let request = nodal_core::Endpoint::post("/applications/{application_id}/env_variables")
        .request()
        .param("a-1")
        .json(
            &json!({"env_key": "API_TOKEN", "env_val": ENV_CREATE, "mint_lnd_macaroon": MACAROON}),
        );
    w.debug("Request", &request);
    w.assert_clean("");
}
