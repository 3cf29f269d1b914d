//! Scaling events: list and create, with the local 1..=16 check.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::{AppId, Error};
use nodal_nodion::{NewScalingEvent, ScalingEventStatus, endpoints};
use nodal_testkit::assert_matches;
use serde_json::json;

const TYPE: &str = "c047eab3-7574-44f5-b25a-5ae9b490500c";

#[tokio::test]
async fn scaling_events_list_and_create() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v1/applications/{APP}/scaling_events"))
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT)
                .header_missing("content-type");
            then.status(200)
                .body(reference("application-scaling--list"));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/scaling_events"))
                .header("authorization", user_auth())
                .header("content-type", "application/json")
                .json_body(
                    json!({"instance_amount": 3, "instance_type_id": TYPE, "worker_id": "w-1"}),
                );
            then.status(200).json_body(json!({"scaling_event": {
                "id": "s-3", "status": "running", "trigger_type": "manual",
                "instance_amount_old": 1, "instance_amount_new": 3,
                "instance_type_id_old": TYPE, "instance_type_id_new": TYPE,
                "created_at": "2023-06-02T19:01:23.914+02:00", "finished_at": null, "worker": null
            }}));
        })
        .await;
    let client = user_view(&server);
    let app = AppId::from(APP);

    let events = client.scaling_events().list(&app).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].status, Some(ScalingEventStatus::Finished));
    let event = NewScalingEvent::new(3, TYPE).worker_id("w-1");
    let created = client.scaling_events().create(&app, &event).await.unwrap();
    assert_eq!(created.id.as_str(), "s-3");
    assert_eq!(
        created.status,
        Some(ScalingEventStatus::Other("running".into()))
    );
    assert_eq!(created.instance_amount_new, Some(3));

    list.assert_calls_async(1).await;
    create.assert_calls_async(1).await;
    assert!(!endpoints::CREATE_SCALING_EVENT.is_idempotent());
}

#[tokio::test]
async fn amounts_outside_1_to_16_and_a_blank_type_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = user_client(&server);
    let app = AppId::from(APP);
    for amount in [0, 17] {
        let err = client
            .scaling_events()
            .create(&app, &NewScalingEvent::new(amount, TYPE))
            .await
            .unwrap_err();
        assert_matches!(err, Error::InvalidInput { field: Some(f), .. } if f == "instance_amount");
        assert!(err.to_string().contains("1..=16"), "{err}");
    }
    let err = client
        .scaling_events()
        .create(&app, &NewScalingEvent::new(2, " "))
        .await
        .unwrap_err();
    assert_matches!(err, Error::InvalidInput { field: Some(f), .. } if f == "instance_type_id");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn an_answer_without_the_inferred_wrapper_says_the_guess_may_be_wrong() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/applications/{APP}/scaling_events"))
                .json_body(json!({"instance_amount": 16, "instance_type_id": TYPE}));
            then.status(200).json_body(json!({"event": {"id": "s-4"}}));
        })
        .await;
    let err = user_client(&server)
        .scaling_events()
        .create(&AppId::from(APP), &NewScalingEvent::new(16, TYPE))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert_matches!(err, Error::Decode { .. });
    assert!(
        text.contains("INFERRED") && text.contains("scaling_event"),
        "{text}"
    );
    assert!(err.maybe_performed(), "{text}");
    create.assert_calls_async(1).await;
}
