//! The conformance suite run against every provider over its own offline twin.
//!
//! The checks live in `nodal_tests::conformance` and are written once against `&dyn Provider`;
//! this file only wires each adapter to a fresh twin, so each check runs in parallel with the
//! others and no state or fault leaks between them.

use nodal::Provider;
use nodal::nodana::NodanaClient;
use nodal::nodion::NodionClient;
use nodal_sim::Sim;
use nodal_tests::conformance::{self, Subject};
use std::sync::Arc;
use std::time::Duration;

/// Short lifecycles keep the suite quick; the rate limit stays the real 1 req/s for Nodana.
async fn twin() -> Sim {
    Sim::builder()
        .nodana_start_delay(Duration::from_millis(300))
        .nodion_deploy_delay(Duration::from_millis(300))
        .start()
        .await
        .expect("start the twin")
}

async fn nodana() -> Subject {
    let sim = twin().await;
    let base_url = sim.nodana_base_url();
    let connect = move |key: &str| -> Arc<dyn Provider> {
        Arc::new(
            NodanaClient::builder()
                .api_key(key)
                .base_url(base_url.as_str())
                .build()
                .expect("nodana client"),
        )
    };
    let provider = connect(&sim.nodana_key());
    Subject::new(sim, provider, connect)
}

async fn nodion() -> Subject {
    let sim = twin().await;
    let base_url = sim.nodion_base_url();
    let connect = move |key: &str| -> Arc<dyn Provider> {
        Arc::new(
            NodionClient::builder()
                .user_key(key)
                .base_url(base_url.as_str())
                .build()
                .expect("nodion client"),
        )
    };
    let provider = connect(&sim.nodion_user_key());
    Subject::new(sim, provider, connect)
}

macro_rules! run_on_every_provider {
    ($($check:ident),* $(,)?) => {
        mod nodana {
            $(
                #[tokio::test]
                async fn $check() {
                    let subject = super::nodana().await;
                    super::conformance::$check(&subject).await;
                }
            )*
        }
        mod nodion {
            $(
                #[tokio::test]
                async fn $check() {
                    let subject = super::nodion().await;
                    super::conformance::$check(&subject).await;
                }
            )*
        }
    };
}

run_on_every_provider!(
    unsupported_operations_say_so,
    unsupported_app_sources_are_refused_locally,
    projects_are_listed,
    a_listed_project_can_be_fetched,
    missing_resources_are_not_found,
    project_life_cycle,
    a_created_app_can_be_fetched,
    list_apps_includes_a_new_app,
    app_life_cycle,
    deploy_rolls_out_a_version,
    deploying_a_stopped_app_follows_the_capability,
    image_tags_follow_the_capability,
    restart_keeps_the_app_available,
    waiting_times_out,
    an_unknown_key_is_unauthenticated,
    statuses_are_normalised_and_raw_kept,
    concurrent_calls_stay_within_the_rate_limit,
);
