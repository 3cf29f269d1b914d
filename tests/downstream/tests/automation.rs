//! The automation of this crate, tested offline on both providers' twin.

use nodal::Projects;
use nodal::testing::Twin;
use nodal_downstream::smoke_test;

#[tokio::test]
async fn the_smoke_test_passes_on_every_provider_and_leaves_nothing_behind() {
    let twin = Twin::start().await.expect("twin");
    for provider in twin.providers().expect("providers") {
        let project = if provider.capabilities().create_project {
            Some(provider.create_project("smoke").await.expect("project").id)
        } else {
            None
        };
        let report = smoke_test(provider.as_ref(), project.as_ref())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", provider.name()));
        assert_eq!(report.provider, provider.name());
        let left = provider.list_apps(project.as_ref()).await.expect("list");
        assert!(
            left.iter()
                .all(|app| app.id != report.app || app.status == nodal::AppStatus::Deleted),
            "{}: the app is still there: {left:?}",
            provider.name()
        );
        if let Some(project) = project {
            provider.delete_project(&project).await.expect("cleanup");
        }
    }
    assert_eq!(twin.sim().counters().nodana_rate_limit_violations, 0);
    twin.shutdown().await;
}

/// A client the caller built is the one that sends: a header it adds reaches the twin.
#[tokio::test]
async fn a_user_supplied_http_client_is_the_one_that_sends() {
    let twin = Twin::start().await.expect("twin");
    let mut headers = nodal::reqwest::header::HeaderMap::new();
    headers.insert("x-corp-trace", "from-my-client".parse().expect("header"));
    let mine = nodal::reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client");
    let client = nodal::nodion::NodionClient::builder()
        .user_key(twin.sim().nodion_user_key())
        .base_url(twin.sim().nodion_base_url())
        .http_client(mine)
        .build()
        .expect("nodion client");
    client.list_projects().await.expect("projects");
    let seen = twin.sim().requests();
    let last = seen.last().expect("a request");
    assert!(
        last.extra_headers
            .iter()
            .any(|(name, value)| name == "x-corp-trace" && value == "from-my-client"),
        "{last:?}"
    );
    // nodal still authenticates the request and names itself.
    assert_eq!(last.status, 200, "{last:?}");
    assert!(
        last.user_agent
            .as_deref()
            .is_some_and(|ua| ua.starts_with("nodal/")),
        "{last:?}"
    );
    twin.shutdown().await;
}
