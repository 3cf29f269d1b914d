//! The conformance suite: one set of behaviour checks, written once against `&dyn Provider`,
//! run against every adapter over the offline twin.
//!
//! Checks branch on [`Capabilities`](nodal_core::Capabilities), never on the provider's name. Each
//! check ends with [`Subject::assert_clean`]: the twin counted no rate-limit violation and
//! exactly as many app creations as the check asked for (never a duplicate).

use nodal_core::{AppId, AppSpec, AppStatus, DeployOptions, Error, ProjectId, Provider};
use nodal_sim::Sim;
use std::sync::Arc;
use std::time::Duration;

/// How long a check waits for an app to become available (the twin's delays are short).
const AVAILABLE_WITHIN: Duration = Duration::from_secs(30);

/// Builds the provider under test with a given key.
type Connect = Box<dyn Fn(&str) -> Arc<dyn Provider> + Send + Sync>;

/// A provider under test, wired to its own twin.
pub struct Subject {
    /// The twin the provider talks to (its counters are the suite's witness).
    pub sim: Sim,
    /// The provider, as automation code would hold it.
    pub provider: Arc<dyn Provider>,
    connect: Connect,
}

impl Subject {
    /// A subject from a twin, a provider built on it, and a way to build the same provider
    /// with another key (for the authentication checks).
    pub fn new(
        sim: Sim,
        provider: Arc<dyn Provider>,
        connect: impl Fn(&str) -> Arc<dyn Provider> + Send + Sync + 'static,
    ) -> Self {
        Subject {
            sim,
            provider,
            connect: Box::new(connect),
        }
    }

    /// The same provider, authenticated with `key`.
    pub fn with_key(&self, key: &str) -> Arc<dyn Provider> {
        (self.connect)(key)
    }

    /// An app specification the provider can create, chosen by its capabilities.
    pub fn app_spec(&self) -> AppSpec {
        let caps = self.provider.capabilities();
        if caps.app_from_template {
            AppSpec::from_template("phoenixd").param("auto_liquidity", "2m")
        } else {
            AppSpec::from_image("nginxdemos/hello")
                .image_tag("latest")
                .name("conformance")
                .region("euc")
                .instance_type("starter")
                .instances(1)
        }
    }

    /// Asserts the twin saw no rate-limit violation and exactly `creates` app creations.
    pub fn assert_clean(&self, creates: u64) {
        let counters = self.sim.counters();
        assert_eq!(
            counters.nodana_rate_limit_violations,
            0,
            "{}: the client overstepped the rate limit: {:?}",
            self.provider.name(),
            counters.violations_per_key
        );
        assert_eq!(
            counters.apps_created,
            creates,
            "{}: the twin counted {} app creations, the check made {creates}",
            self.provider.name(),
            counters.apps_created
        );
    }

    /// Number of requests the twin has seen so far.
    pub fn requests_seen(&self) -> usize {
        self.sim.requests().len()
    }

    async fn create_and_wait(&self) -> AppId {
        let created = self
            .provider
            .create_app(&self.app_spec())
            .await
            .expect("create_app");
        let app = self
            .provider
            .wait_until_available(&created.app.id, AVAILABLE_WITHIN)
            .await
            .expect("wait_until_available");
        assert_eq!(app.status, AppStatus::Running, "{app:?}");
        app.id
    }
}

fn assert_unsupported<T: std::fmt::Debug>(
    provider: &dyn Provider,
    operation: &str,
    result: Result<T, Error>,
) {
    match result {
        Err(Error::Unsupported {
            provider: name,
            operation: op,
        }) => {
            assert_eq!(name, provider.name());
            assert_eq!(op, operation);
        }
        other => panic!(
            "{}: {operation} is not in the capabilities, so it must be Unsupported, got {other:?}",
            provider.name()
        ),
    }
}

/// Says on stderr that a check does not apply to this provider (nextest shows it on failure
/// and with `--no-capture`), so a vacuous pass is visible.
fn skip(s: &Subject, reason: &str) {
    eprintln!("{}: skipped, {reason}", s.provider.name());
}

fn assert_not_found<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) {
    match result {
        Err(Error::NotFound { .. }) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

/// A project id that exists nowhere.
fn missing_project() -> ProjectId {
    ProjectId::from("00000000-0000-4000-8000-00000000dead")
}

/// An app id that exists nowhere.
fn missing_app() -> AppId {
    AppId::from("00000000-0000-4000-8000-00000000beef")
}

/// Every operation the capabilities rule out answers `Unsupported` (and sends nothing).
pub async fn unsupported_operations_say_so(s: &Subject) {
    let p = &*s.provider;
    let caps = p.capabilities();
    let before = s.requests_seen();
    let project = missing_project();
    let app = missing_app();
    if !caps.create_project {
        assert_unsupported(p, "create_project", p.create_project("x").await);
    }
    if !caps.rename_project {
        assert_unsupported(p, "rename_project", p.rename_project(&project, "y").await);
    }
    if !caps.delete_project {
        assert_unsupported(p, "delete_project", p.delete_project(&project).await);
    }
    if !caps.start_app {
        assert_unsupported(p, "start_app", p.start_app(&app).await);
    }
    if !caps.stop_app {
        assert_unsupported(p, "stop_app", p.stop_app(&app).await);
    }
    if !caps.restart_app {
        assert_unsupported(p, "restart_app", p.restart_app(&app).await);
    }
    if !caps.deploy {
        assert_unsupported(p, "deploy", p.deploy(&app, &DeployOptions::new()).await);
    }
    if !caps.list_deployments {
        assert_unsupported(p, "list_deployments", p.list_deployments(&app).await);
    }
    assert_eq!(
        s.requests_seen(),
        before,
        "an unsupported call reached the API"
    );
    s.assert_clean(0);
}

/// Sources the provider cannot build from are refused before anything is sent.
pub async fn unsupported_app_sources_are_refused_locally(s: &Subject) {
    let p = &*s.provider;
    let caps = p.capabilities();
    let mut refused = Vec::new();
    if !caps.app_from_template {
        refused.push(AppSpec::from_template("phoenixd"));
    }
    if !caps.app_from_image {
        refused.push(AppSpec::from_image("nginx").name("x"));
    }
    if !caps.app_from_git {
        refused.push(AppSpec::from_git("int", "repo", "branch").name("x"));
    }
    assert!(!refused.is_empty() || (caps.app_from_template && caps.app_from_image));
    let before = s.requests_seen();
    for spec in &refused {
        match p.create_app(spec).await {
            Err(Error::InvalidInput { .. } | Error::Unsupported { .. }) => {}
            other => panic!("{}: {spec:?} should be refused, got {other:?}", p.name()),
        }
    }
    assert_eq!(s.requests_seen(), before, "a refused spec reached the API");
    s.assert_clean(0);
}

/// Listing shows the projects the key can see, each with an id and a name.
pub async fn projects_are_listed(s: &Subject) {
    let p = &*s.provider;
    let created = if p.capabilities().create_project {
        Some(
            p.create_project("conformance-list")
                .await
                .expect("create_project"),
        )
    } else {
        None
    };
    let projects = p.list_projects().await.expect("list_projects");
    assert!(!projects.is_empty(), "{}: no project listed", p.name());
    for project in &projects {
        assert!(
            !project.id.as_str().is_empty() && !project.name.is_empty(),
            "{project:?}"
        );
    }
    if let Some(created) = created {
        assert!(
            projects
                .iter()
                .any(|pr| pr.id == created.id && pr.name == "conformance-list")
        );
    }
    s.assert_clean(0);
}

/// `get_project` finds a listed project and agrees with the list.
pub async fn a_listed_project_can_be_fetched(s: &Subject) {
    let p = &*s.provider;
    if p.capabilities().create_project {
        p.create_project("conformance-get")
            .await
            .expect("create_project");
    }
    let first = p.list_projects().await.expect("list_projects").remove(0);
    let fetched = p.get_project(&first.id).await.expect("get_project");
    assert_eq!(fetched.id, first.id);
    assert_eq!(fetched.name, first.name);
    s.assert_clean(0);
}

/// Unknown projects and apps are `NotFound`, for reads and for deletes.
pub async fn missing_resources_are_not_found(s: &Subject) {
    let p = &*s.provider;
    assert_not_found("get_project", p.get_project(&missing_project()).await);
    assert_not_found("get_app", p.get_app(&missing_app()).await);
    assert_not_found("delete_app", p.delete_app(&missing_app()).await);
    s.assert_clean(0);
}

/// Create, read, rename and delete a project, where the provider can.
pub async fn project_life_cycle(s: &Subject) {
    let p = &*s.provider;
    let caps = p.capabilities();
    if !(caps.create_project && caps.rename_project && caps.delete_project) {
        return skip(s, "the provider cannot create, rename and delete projects");
    }
    let project = p.create_project("conformance-life").await.expect("create");
    assert_eq!(project.name, "conformance-life");
    p.rename_project(&project.id, "conformance-renamed")
        .await
        .expect("rename");
    let renamed = p.get_project(&project.id).await.expect("get");
    assert_eq!(renamed.name, "conformance-renamed");
    p.delete_project(&project.id).await.expect("delete");
    assert_not_found("get_project after delete", p.get_project(&project.id).await);
    s.assert_clean(0);
}

/// A new app can be read back at once; one-time secrets never show in Debug.
pub async fn a_created_app_can_be_fetched(s: &Subject) {
    let p = &*s.provider;
    let created = p.create_app(&s.app_spec()).await.expect("create_app");
    assert!(
        matches!(created.app.status, AppStatus::Pending | AppStatus::Running),
        "{:?}",
        created.app
    );
    assert!(!created.app.raw_status.is_empty());
    let debug = format!("{created:?}");
    for name in created.credentials.names() {
        let value = created.credentials.expose(name).unwrap_or_default();
        assert!(
            value.is_empty() || !debug.contains(value),
            "{name} leaked in Debug"
        );
    }
    if p.capabilities().app_credentials {
        assert!(
            !created.credentials.is_empty(),
            "{}: expected credentials",
            p.name()
        );
    }
    let fetched = p.get_app(&created.app.id).await.expect("get_app");
    assert_eq!(fetched.id, created.app.id);
    s.assert_clean(1);
}

/// A new app shows up in its project's list and in the list of every project.
pub async fn list_apps_includes_a_new_app(s: &Subject) {
    let p = &*s.provider;
    let created = p.create_app(&s.app_spec()).await.expect("create_app");
    let app = p.get_app(&created.app.id).await.expect("get_app");
    if let Some(project) = &app.project {
        let apps = p
            .list_apps(Some(project))
            .await
            .expect("list_apps(project)");
        assert!(apps.iter().any(|a| a.id == app.id), "{apps:?}");
    }
    let all = p.list_apps(None).await.expect("list_apps(None)");
    assert!(all.iter().any(|a| a.id == app.id), "{all:?}");
    s.assert_clean(1);
}

/// create → wait available → stop → start → wait → deploy → delete, with normalised statuses.
pub async fn app_life_cycle(s: &Subject) {
    let p = &*s.provider;
    let caps = p.capabilities();
    let id = s.create_and_wait().await;
    if caps.stop_app && caps.start_app {
        p.stop_app(&id).await.expect("stop_app");
        let stopped = p.get_app(&id).await.expect("get_app after stop");
        assert_eq!(stopped.status, AppStatus::Stopped, "{stopped:?}");
        assert!(!stopped.raw_status.is_empty());
        p.start_app(&id).await.expect("start_app");
        let running = p
            .wait_until_available(&id, AVAILABLE_WITHIN)
            .await
            .expect("available after start");
        assert_eq!(running.status, AppStatus::Running);
    }
    if caps.deploy {
        let deployment = p.deploy(&id, &DeployOptions::new()).await.expect("deploy");
        assert_eq!(deployment.app, id);
        p.wait_until_available(&id, AVAILABLE_WITHIN)
            .await
            .expect("available after deploy");
    }
    p.delete_app(&id).await.expect("delete_app");
    match p.get_app(&id).await {
        Err(Error::NotFound { .. }) => {}
        Ok(app) => assert_eq!(app.status, AppStatus::Deleted, "{app:?}"),
        Err(other) => panic!("get_app after delete: {other:?}"),
    }
    s.assert_clean(1);
}

/// A deployment rolls out and shows up in the app's deployments.
pub async fn deploy_rolls_out_a_version(s: &Subject) {
    let p = &*s.provider;
    let caps = p.capabilities();
    if !caps.deploy || !caps.list_deployments {
        return skip(s, "the provider cannot deploy and list deployments");
    }
    let id = s.create_and_wait().await;
    let deployment = p.deploy(&id, &DeployOptions::new()).await.expect("deploy");
    assert_eq!(deployment.app, id);
    assert!(!deployment.raw_status.is_empty());
    let deployments = p.list_deployments(&id).await.expect("list_deployments");
    assert!(!deployments.is_empty());
    assert!(deployments.iter().all(|d| d.app == id), "{deployments:?}");
    s.assert_clean(1);
}

/// Pinning an image tag works where supported and is refused locally where not.
pub async fn image_tags_follow_the_capability(s: &Subject) {
    let p = &*s.provider;
    let caps = p.capabilities();
    if !caps.deploy {
        return skip(s, "the provider cannot deploy");
    }
    let created = p.create_app(&s.app_spec()).await.expect("create_app");
    let pinned = DeployOptions::new().image_tag("1.2.3");
    let before = s.requests_seen();
    match (
        caps.deploy_image_tag,
        p.deploy(&created.app.id, &pinned).await,
    ) {
        (true, Ok(deployment)) => assert_eq!(deployment.app, created.app.id),
        (false, Err(Error::InvalidInput { .. } | Error::Unsupported { .. })) => {
            assert_eq!(
                s.requests_seen(),
                before,
                "a refused deploy reached the API"
            );
        }
        (supported, other) => panic!("deploy_image_tag={supported}: unexpected {other:?}"),
    }
    s.assert_clean(1);
}

/// A restart leaves the app available again.
pub async fn restart_keeps_the_app_available(s: &Subject) {
    let p = &*s.provider;
    if !p.capabilities().restart_app {
        return skip(s, "the provider cannot restart apps");
    }
    let id = s.create_and_wait().await;
    p.restart_app(&id).await.expect("restart_app");
    let app = p
        .wait_until_available(&id, AVAILABLE_WITHIN)
        .await
        .expect("available after restart");
    assert_eq!(app.status, AppStatus::Running);
    s.assert_clean(1);
}

/// Waiting gives up with `Timeout` when the app is not ready in time.
pub async fn waiting_times_out(s: &Subject) {
    let p = &*s.provider;
    let created = p.create_app(&s.app_spec()).await.expect("create_app");
    match p
        .wait_until_available(&created.app.id, Duration::from_millis(1))
        .await
    {
        Err(Error::Timeout { .. }) => {}
        other => panic!("{}: expected Timeout, got {other:?}", p.name()),
    }
    s.assert_clean(1);
}

/// `deploy_starts_stopped_app` is honest: deploying a stopped app makes it available again
/// where the flag is on, and leaves it stopped (the deployment done, the app not serving)
/// where it is off, so waiting for it cannot help.
pub async fn deploying_a_stopped_app_follows_the_capability(s: &Subject) {
    let p = &*s.provider;
    let caps = p.capabilities();
    assert!(
        caps.deploy && caps.stop_app,
        "{}: every provider deploys and stops",
        p.name()
    );
    let id = s.create_and_wait().await;
    p.stop_app(&id).await.expect("stop_app");
    p.deploy(&id, &DeployOptions::new()).await.expect("deploy");
    if caps.deploy_starts_stopped_app {
        let up = p
            .wait_until_available(&id, AVAILABLE_WITHIN)
            .await
            .expect("available after deploying the stopped app");
        assert_eq!(up.status, AppStatus::Running, "{up:?}");
    } else {
        // Longer than the twin's deployment takes: the deployment finishes, the app stays down.
        match p.wait_until_available(&id, Duration::from_secs(3)).await {
            Err(Error::Timeout { .. }) => {}
            other => panic!("{}: expected Timeout, got {other:?}", p.name()),
        }
        let app = p.get_app(&id).await.expect("get_app after deploy");
        assert_eq!(app.status, AppStatus::Stopped, "{app:?}");
    }
    p.delete_app(&id).await.expect("delete_app");
    s.assert_clean(1);
}

/// A key the provider does not know is `Unauthenticated`, and nothing is created.
pub async fn an_unknown_key_is_unauthenticated(s: &Subject) {
    let stranger = s.with_key("not-a-real-key-0000");
    match stranger.list_projects().await {
        Err(Error::Unauthenticated { .. }) => {}
        other => panic!(
            "{}: expected Unauthenticated, got {other:?}",
            stranger.name()
        ),
    }
    match stranger.create_app(&s.app_spec()).await {
        Err(Error::Unauthenticated { .. }) => {}
        other => panic!(
            "{}: expected Unauthenticated, got {other:?}",
            stranger.name()
        ),
    }
    s.assert_clean(0);
}

/// Statuses are normalised while the provider's own word is kept.
pub async fn statuses_are_normalised_and_raw_kept(s: &Subject) {
    let p = &*s.provider;
    let id = s.create_and_wait().await;
    let app = p.get_app(&id).await.expect("get_app");
    assert_eq!(app.status, AppStatus::Running);
    assert!(
        !app.raw_status.is_empty(),
        "the provider's own word is kept"
    );
    let listed = p.list_apps(app.project.as_ref()).await.expect("list_apps");
    let same = listed.iter().find(|a| a.id == id).expect("listed");
    assert_eq!(same.status, app.status);
    assert!(!matches!(same.status, AppStatus::Other(_)), "{same:?}");
    s.assert_clean(1);
}

/// Concurrent calls from clones of one provider handle stay within the rate limit.
pub async fn concurrent_calls_stay_within_the_rate_limit(s: &Subject) {
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let provider = Arc::clone(&s.provider);
        tasks.push(tokio::spawn(async move { provider.list_projects().await }));
    }
    for task in tasks {
        task.await.expect("task").expect("list_projects");
    }
    s.assert_clean(0);
}
