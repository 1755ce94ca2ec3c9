//! The mock's record resources over real HTTP: paging, filters, `lastModified`, sorting, invalid
//! parameters and get-by-id.

mod common;

use serde_json::Value;
use seventime_mock::{Fixtures, MockConfig};

use common::{error_message, get, list, mock, mock_with, names};
use seventime_test_support::KEY;

#[tokio::test]
async fn lists_page_with_limit_and_page_and_count_in_meta() {
    let mut config = MockConfig::new(KEY);
    config.rate_limit = None;
    config.fixtures = Fixtures::builtin().with_records(23);
    let mock = mock_with(config).await;
    let first = list(&mock, "/api/2/customers?limit=10").await;
    assert_eq!(
        first["meta"],
        serde_json::json!({"totalResources": 23, "totalPages": 3, "currentPage": 1})
    );
    assert_eq!(first["data"].as_array().unwrap().len(), 10);
    let last = list(&mock, "/api/2/customers?limit=10&page=3").await;
    assert_eq!(last["data"].as_array().unwrap().len(), 3);
    assert_eq!(last["meta"]["currentPage"], 3);
    let past = list(&mock, "/api/2/customers?limit=10&page=4").await;
    assert_eq!(past["data"], serde_json::json!([]));
    // The documented default page size is 100.
    let default = list(&mock, "/api/2/customers").await;
    assert_eq!(default["meta"]["totalPages"], 1);
    assert_eq!(default["data"].as_array().unwrap().len(), 23);
}

#[tokio::test]
async fn text_filters_match_anywhere_ignoring_case() {
    let mock = mock().await;
    let body = list(&mock, "/api/2/customers?name=KARIN&limit=500").await;
    let found = names(&body);
    assert!(!found.is_empty());
    assert!(found.iter().all(|name| name.contains("Karin")), "{found:?}");
    let expected = Fixtures::builtin()
        .records("customers")
        .iter()
        .filter(|r| r["name"].as_str().unwrap().to_lowercase().contains("karin"))
        .count();
    assert_eq!(found.len(), expected);
    assert_eq!(body["meta"]["totalResources"], expected);

    let none = list(&mock, "/api/2/customers?city=Uppsala").await;
    assert_eq!(none["data"], serde_json::json!([]));
    assert_eq!(none["meta"]["totalPages"], 0);
}

#[tokio::test]
async fn last_modified_keeps_records_changed_at_or_after_the_moment() {
    let mock = mock().await;
    let body = list(
        &mock,
        "/api/2/customers?lastModified=2024-01-02%2007:13&limit=500",
    )
    .await;
    let dates: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["modifiedDate"].as_str().unwrap())
        .collect();
    assert!(!dates.is_empty());
    assert!(dates.iter().all(|d| *d >= "2024-01-02T07:13"), "{dates:?}");
    assert!(
        dates.contains(&"2024-01-02T07:13:00.000Z"),
        "at the moment is included"
    );
    let (status, _, body) = get(&mock, "/api/2/customers?lastModified=yesterday", Some(KEY)).await;
    assert_eq!(status, 400);
    assert!(error_message(&body).contains("lastModified"), "{body}");
}

#[tokio::test]
async fn sort_by_orders_both_ways_and_sort_direction_alone_changes_nothing() {
    let mock = mock().await;
    let numbers = |body: &Value| -> Vec<String> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["customerNumber"].as_str().unwrap().to_string())
            .collect()
    };
    let up = numbers(&list(&mock, "/api/2/customers?sortBy=customerNumber&limit=500").await);
    let mut sorted = up.clone();
    sorted.sort();
    assert_eq!(up, sorted);
    let down = numbers(
        &list(
            &mock,
            "/api/2/customers?sortBy=customerNumber&sortDirection=descending&limit=500",
        )
        .await,
    );
    sorted.reverse();
    assert_eq!(down, sorted);
    let stored = numbers(&list(&mock, "/api/2/customers?limit=500").await);
    let direction_only =
        numbers(&list(&mock, "/api/2/customers?sortDirection=descending&limit=500").await);
    assert_eq!(stored, direction_only);
}

#[tokio::test]
async fn invalid_list_parameters_are_400_naming_the_parameter() {
    let mock = mock().await;
    for (query, named) in [
        ("/api/2/customers?limit=0", "limit"),
        ("/api/2/customers?limit=501", "limit"),
        ("/api/2/customers?page=0", "page"),
        ("/api/2/customers?page=two", "page"),
        ("/api/2/customers?colour=red", "colour"),
        ("/api/2/customers?sortDirection=up", "sortDirection"),
        ("/api/2/supplementOrders/", "project"),
    ] {
        let (status, _, body) = get(&mock, query, Some(KEY)).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(error_message(&body).contains(named), "{query}: {body}");
    }
}

#[tokio::test]
async fn get_by_id_finds_each_record_and_404s_an_unknown_one() {
    let mock = mock().await;
    let fixtures = Fixtures::builtin();
    for record in fixtures.records("projects").iter().take(5) {
        let id = record["_id"].as_str().unwrap();
        let (status, _, body) = get(&mock, &format!("/api/2/projects/{id}"), Some(KEY)).await;
        assert_eq!(status, 200, "{body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(&body["data"], record);
    }
    let (status, _, body) = get(&mock, "/api/2/projects/5bb2683d3a0f0000", Some(KEY)).await;
    assert_eq!(status, 404);
    assert!(error_message(&body).contains("5bb2683d3a0f0000"), "{body}");
}
