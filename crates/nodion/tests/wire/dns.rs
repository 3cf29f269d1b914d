//! DNS zones and records.

use crate::common::*;
use httpmock::prelude::*;
use nodal_core::Error;
use nodal_nodion::{DnsRecordId, DnsZoneId, NewDnsRecord, RecordFilter, RecordType};
use nodal_testkit::assert_matches;
use serde_json::json;

#[tokio::test]
async fn zones_list_create_and_delete() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/dns_zones")
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200).json_body(json!({"dns_zones": [
                {"id": "z-1", "name": "example.com", "created_at": "2025-05-24T08:07:10.509Z"}
            ]}));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/dns_zones")
                .header("content-type", "application/json")
                .json_body(json!({"name": "example.org"}));
            then.status(201)
                .json_body(json!({"dns_zone": {"id": "z-2", "name": "example.org"}}));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/v1/dns_zones/z-2")
                .header("authorization", user_auth());
            then.status(204);
        })
        .await;
    let client = user_view(&server);

    let zones = client.dns().list_zones().await.unwrap();
    assert_eq!(zones[0].name, "example.com");
    let zone = client.dns().create_zone("example.org").await.unwrap();
    assert_eq!(zone.id.as_str(), "z-2");
    assert_eq!(zone.created_at, None);
    client.dns().delete_zone(&zone.id).await.unwrap();

    list.assert_calls_async(1).await;
    create.assert_calls_async(1).await;
    delete.assert_calls_async(1).await;
}

#[tokio::test]
async fn records_list_create_and_delete() {
    let server = MockServer::start_async().await;
    let record = json!({
        "id": "r-1", "record_type": "mx", "name": "@", "content": "mail.example.com",
        "ttl": 3600, "prio": 10, "port": null, "weight": null, "zone_id": "z-1"
    });
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/dns_zones/z-1/records")
                .header("authorization", user_auth());
            then.status(200)
                .json_body(json!({"records": [record.clone()]}));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/dns_zones/z-1/records")
                .json_body(json!({
                    "record_type": "mx", "name": "@", "content": "mail.example.com",
                    "ttl": 3600, "prio": 10
                }));
            then.status(200)
                .json_body(json!({"record": record.clone()}));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/v1/dns_zones/z-1/records/r-1");
            then.status(204);
        })
        .await;
    let client = user_client(&server);
    let zone = DnsZoneId::from("z-1");

    let records = client.dns().list_records(&zone).await.unwrap();
    assert_eq!(records[0].record_type, Some(RecordType::Mx));
    assert_eq!(records[0].prio, Some(10));
    assert_eq!(records[0].port, None);
    assert_eq!(records[0].zone_id.as_ref(), Some(&zone));
    let mx = NewDnsRecord::new(RecordType::Mx, "@", "mail.example.com")
        .ttl(3600)
        .prio(10);
    let created = client.dns().create_record(&zone, &mx).await.unwrap();
    assert_eq!(created.ttl, Some(3600));
    client
        .dns()
        .delete_record(&zone, &DnsRecordId::from("r-1"))
        .await
        .unwrap();

    list.assert_calls_async(1).await;
    create.assert_calls_async(1).await;
    delete.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_ttl_outside_the_range_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).json_body(json!({}));
        })
        .await;
    let client = user_client(&server);
    for ttl in [59, 86_401] {
        let record = NewDnsRecord::new(RecordType::A, "@", "203.0.113.7").ttl(ttl);
        let err = client
            .dns()
            .create_record(&DnsZoneId::from("z-1"), &record)
            .await
            .unwrap_err();
        assert_matches!(err, Error::InvalidInput { field: Some(f), .. } if f == "ttl");
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn zones_are_looked_up_by_name_and_records_by_filter() {
    let server = MockServer::start_async().await;
    let named = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/dns_zones")
                .query_param("name", "nodionsample.com")
                .header("authorization", user_auth())
                .header("x-nodion-project", PROJECT);
            then.status(200).body(reference("dns-zones--list"));
        })
        .await;
    let filtered = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/dns_zones/z-1/records")
                .query_param("name", "_acme-challenge")
                .query_param("record_type", "txt")
                .query_param_missing("content")
                .header("authorization", user_auth());
            then.status(200).json_body(json!({"records": []}));
        })
        .await;
    let by_content = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/dns_zones/z-1/records")
                .query_param("content", "1.2.3.4")
                .query_param_missing("name")
                .query_param_missing("record_type");
            then.status(200).body(reference("dns-zones--records-list"));
        })
        .await;
    let client = user_view(&server);
    let zone = DnsZoneId::from("z-1");

    let zones = client.dns().zones_named("nodionsample.com").await.unwrap();
    assert_eq!(zones[0].records.len(), 5);
    let filter = RecordFilter::default()
        .name("_acme-challenge")
        .record_type(RecordType::Txt);
    assert!(
        client
            .dns()
            .find_records(&zone, &filter)
            .await
            .unwrap()
            .is_empty()
    );
    let filter = RecordFilter::default().content("1.2.3.4");
    let records = client.dns().find_records(&zone, &filter).await.unwrap();
    assert_eq!(records.len(), 3 + 2);
    assert_eq!(records[0].content, "1.2.3.4");

    named.assert_calls_async(1).await;
    filtered.assert_calls_async(1).await;
    by_content.assert_calls_async(1).await;
}

#[tokio::test]
async fn deletes_read_the_deleted_flag() {
    let server = MockServer::start_async().await;
    let zone_delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/v1/dns_zones/z-1")
                .header("authorization", user_auth());
            then.status(200).json_body(json!({"deleted": true}));
        })
        .await;
    let refused = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/v1/dns_zones/z-1/records/r-1");
            then.status(200).json_body(json!({"deleted": false}));
        })
        .await;
    let client = user_client(&server);
    let zone = DnsZoneId::from("z-1");

    client.dns().delete_zone(&zone).await.unwrap();
    let err = client
        .dns()
        .delete_record(&zone, &DnsRecordId::from("r-1"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("deleted: false"), "{err}");

    zone_delete.assert_calls_async(1).await;
    refused.assert_calls_async(1).await;
}
