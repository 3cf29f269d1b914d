//! Load (docs/reliability.md): 1,000 concurrent tasks on one cloned Nodion client with a quota,
//! and 50 on one Nodana client at Nodana's strict pace, against the twin. Every task completes
//! (no deadlock, bounded time), the twin counts no rate-limit violation or quota rejection and
//! exactly the creates the tasks made, and memory stays flat from one round to the next.

use nodal::nodana::{NodanaClient, Template};
use nodal::nodion::{CreateApplication, NodionClient};
use nodal::{AppId, AppSpec, Error, ProjectId, Provider};
use nodal_core::{Quota, RateLimit, RetryConfig};
use nodal_sim::Sim;
use nodal_tests::memory::{mib, resident_bytes};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

const NODION_TASKS: usize = 1_000;
const NODION_QUOTA: u32 = 500;
/// The twin's window is set 20 % above the client's quota: the client spaces requests when it
/// sends them, the twin counts them when they arrive, and loopback jitter can bunch a few.
const NODION_TWIN_QUOTA: u32 = 600;
/// Every 100th task creates an application.
const NODION_CREATE_EVERY: usize = 100;
/// A round may take this long before it counts as stuck (ideal: 1,000 / 500 per s = 2 s).
const ROUND_LIMIT: Duration = Duration::from_secs(30);
/// Growth of resident memory allowed from the first measured round to the second.
const RSS_GROWTH_LIMIT: u64 = 16 * 1024 * 1024;

const NODANA_TASKS: usize = 50;
/// Nodana's strict pace, five times faster than the real 1 s to keep the test near 10 s.
const NODANA_INTERVAL: Duration = Duration::from_millis(200);
const NODANA_CREATES: usize = 2;

fn retry() -> RetryConfig {
    RetryConfig::default().with_backoff(Duration::from_millis(10), Duration::from_millis(100))
}

/// One round: `NODION_TASKS` tasks on clones of `client`; returns how many created an app.
async fn nodion_round(client: &NodionClient, apps: &[AppId], region: &str, size: &str) -> usize {
    let mut tasks = JoinSet::new();
    for i in 0..NODION_TASKS {
        let client = client.clone();
        let app = apps[i % apps.len()].clone();
        let (region, size) = (region.to_owned(), size.to_owned());
        tasks.spawn(async move {
            let provider: &dyn Provider = &client;
            let outcome: Result<bool, Error> = match i % 5 {
                _ if i % NODION_CREATE_EVERY == 0 => client
                    .applications()
                    .create(
                        &CreateApplication::new("load", region, size, 1)
                            .image("nginxdemos/hello", Some("latest")),
                    )
                    .await
                    .map(|_| true),
                0 | 1 => provider.get_app(&app).await.map(|_| false),
                2 => client.processes().list(&app).await.map(|_| false),
                3 => client.deployments().list(&app).await.map(|_| false),
                _ => client.applications().get(&app).await.map(|_| false),
            };
            (i, outcome)
        });
    }
    let mut created = 0;
    while let Some(joined) = tasks.join_next().await {
        let (i, outcome) = joined.expect("a task panicked");
        match outcome {
            Ok(made) => created += usize::from(made),
            Err(error) => panic!("task {i} failed: {error}"),
        }
    }
    created
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodion_1000_tasks_on_one_cloned_client() {
    let sim = Sim::builder()
        .nodion_quota(NODION_TWIN_QUOTA, Duration::from_secs(1))
        .nodion_deploy_delay(Duration::from_millis(100))
        .start()
        .await
        .expect("start the twin");
    let client = NodionClient::builder()
        .user_key(sim.nodion_user_key())
        .base_url(sim.nodion_base_url())
        .rate_limit(RateLimit::new(Quota::per_second(NODION_QUOTA)))
        .retry(retry())
        .build()
        .expect("nodion client");
    let region = client.catalog().regions().await.expect("regions")[0]
        .id
        .clone();
    let size = client
        .catalog()
        .instance_types()
        .await
        .expect("instance types")[0]
        .id
        .clone();
    let provider: &dyn Provider = &client;
    let mut apps = Vec::new();
    for n in 0..10 {
        let spec = AppSpec::from_image("nginxdemos/hello")
            .name(format!("load-{n}"))
            .region(region.as_str())
            .instance_type(size.as_str());
        apps.push(provider.create_app(&spec).await.expect("create_app").app.id);
    }

    let mut created = 0;
    let mut rss = Vec::new();
    let mut took = Vec::new();
    for round in 0..3 {
        let started = Instant::now();
        created += tokio::time::timeout(ROUND_LIMIT, nodion_round(&client, &apps, &region, &size))
            .await
            .unwrap_or_else(|_| panic!("round {round} did not finish within {ROUND_LIMIT:?}"));
        took.push(started.elapsed());
        rss.push(resident_bytes());
    }

    let counters = sim.counters();
    assert_eq!(
        counters.nodion_quota_rejections, 0,
        "the twin refused requests"
    );
    assert_eq!(created, 3 * NODION_TASKS / NODION_CREATE_EVERY);
    assert_eq!(
        counters.nodion_apps_created,
        (apps.len() + created) as u64,
        "every create happened exactly once"
    );
    for (round, elapsed) in took.iter().enumerate() {
        // The shared limiter held the quota: 1,000 requests at 500/s need about 2 s.
        let floor =
            Duration::from_secs_f64((NODION_TASKS as f64 - 1.0) / f64::from(NODION_QUOTA) * 0.95);
        assert!(*elapsed >= floor, "round {round} took only {elapsed:?}");
    }
    eprintln!("nodion load: 3 rounds of {NODION_TASKS} tasks, took {took:?}");
    if let [_, Some(first), Some(second)] = rss[..] {
        eprintln!(
            "nodion load: resident memory after the warm-up round {}, after round 2 {}, after round 3 {}",
            rss[0].map(mib).unwrap_or_default(),
            mib(first),
            mib(second)
        );
        let growth = second.saturating_sub(first);
        assert!(
            growth < RSS_GROWTH_LIMIT,
            "resident memory grew by {} in one round",
            mib(growth)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodana_50_tasks_on_one_client_at_the_strict_pace() {
    let sim = Sim::builder()
        .nodana_min_interval(NODANA_INTERVAL)
        .nodana_start_delay(Duration::from_millis(100))
        .start()
        .await
        .expect("start the twin");
    let client = NodanaClient::builder()
        .api_key(sim.nodana_key())
        .base_url(sim.nodana_base_url())
        .rate_limit(RateLimit::new(Quota::new(1, NODANA_INTERVAL)))
        .retry(retry())
        .build()
        .expect("nodana client");
    let project: ProjectId = client.projects().create("load").await.expect("project").id;
    let provider: &dyn Provider = &client;
    let spec = AppSpec::from_template("lnbits").project(project.clone());
    let app = provider.create_app(&spec).await.expect("create_app").app.id;

    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for i in 0..NODANA_TASKS {
        let client = client.clone();
        let (app, project) = (app.clone(), project.clone());
        tasks.spawn(async move {
            let provider: &dyn Provider = &client;
            let outcome: Result<bool, Error> = match i % 5 {
                _ if i < NODANA_CREATES => client
                    .apps()
                    .create(
                        &nodal::nodana::NewApp::new(Template::custom(
                            "lnbits",
                            Vec::<(String, String)>::new(),
                        ))
                        .in_project(project),
                    )
                    .await
                    .map(|_| true),
                0 => provider.get_app(&app).await.map(|_| false),
                1 => client.projects().apps(&project).await.map(|_| false),
                2 => client.services().list(&app).await.map(|_| false),
                3 => provider.list_deployments(&app).await.map(|_| false),
                _ => client.apps().get(&app).await.map(|_| false),
            };
            (i, outcome)
        });
    }
    let mut created = 0;
    let all = async {
        while let Some(joined) = tasks.join_next().await {
            let (i, outcome) = joined.expect("a task panicked");
            match outcome {
                Ok(made) => created += usize::from(made),
                Err(error) => panic!("task {i} failed: {error}"),
            }
        }
    };
    tokio::time::timeout(ROUND_LIMIT, all)
        .await
        .expect("the 50 tasks did not finish in time");
    let elapsed = started.elapsed();

    let counters = sim.counters();
    assert_eq!(
        counters.nodana_rate_limit_violations, 0,
        "{:?}",
        counters.violations_per_key
    );
    assert_eq!(created, NODANA_CREATES);
    assert_eq!(counters.nodana_apps_created, 1 + NODANA_CREATES as u64);
    // 50 requests one interval apart (the first may go at once).
    let floor = NODANA_INTERVAL * (NODANA_TASKS as u32 - 1);
    assert!(elapsed >= floor.mul_f64(0.95), "took only {elapsed:?}");
    eprintln!(
        "nodana load: {NODANA_TASKS} tasks at one request per {NODANA_INTERVAL:?} took {elapsed:?}"
    );
}
