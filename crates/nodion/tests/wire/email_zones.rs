//! E-mail zones (read-only).

use crate::common::*;
use httpmock::prelude::*;
use nodal_nodion::{EmailMessageStatus, EmailZoneId};

const ZONE: &str = "ef77b949-cc49-4edb-9ac1-2a51a99c9ef9";

#[tokio::test]
async fn email_zones_list_get_and_messages() {
    let server = MockServer::start_async().await;
    let mocks = [
        ("/v1/email_zones".to_owned(), "email-zones--list"),
        (format!("/v1/email_zones/{ZONE}"), "email-zones--get"),
        (
            format!("/v1/email_zones/{ZONE}/messages"),
            "email-zones--messages",
        ),
    ];
    let mut handles = Vec::new();
    for (path, fixture) in &mocks {
        handles.push(
            server
                .mock_async(|when, then| {
                    when.method(GET)
                        .path(path.as_str())
                        .header("authorization", project_auth())
                        .header_missing("x-nodion-project")
                        .header_missing("content-type");
                    then.status(200).body(reference(fixture));
                })
                .await,
        );
    }
    let client = project_client(&server);
    let zone = EmailZoneId::from(ZONE);

    let zones = client.email_zones().list().await.unwrap();
    assert_eq!(zones[0].id, zone);
    assert_eq!(zones[0].message_count, Some(648));
    let one = client.email_zones().get(&zone).await.unwrap();
    assert_eq!(one.bounced_count, Some(1));
    let messages = client.email_zones().messages(&zone).await.unwrap();
    assert_eq!(messages[0].status, Some(EmailMessageStatus::Created));
    assert_eq!(
        messages[1].to_address.as_deref(),
        Some("john.doe@nodion.com")
    );

    for handle in handles {
        handle.assert_calls_async(1).await;
    }
}
