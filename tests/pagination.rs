//! The generated pagination streams against the mock: every record once and in order, lazily,
//! through the client's rate limiter and retries, with errors that name the page.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use seventime::types::SortDirection;
use seventime::{ApiError, Client, RetryPolicy, Timestamp, types};
use seventime_mock::{Faults, Fixtures, MockConfig, RunningMock};
use seventime_test_support::{client_builder, fixture_ids as ids, quick_retries};

/// A mock whose paginated lists hold exactly `records` records, rate limited as documented
/// unless `configure` says otherwise.
async fn mock(records: usize, configure: impl FnOnce(&mut MockConfig)) -> RunningMock {
    seventime_test_support::mock_with_records(records, |config| {
        config.rate_limit = Some(seventime::defaults::RATE_LIMIT);
        configure(config);
    })
    .await
}

/// A client with the documented defaults (rate limit included) and `retry`.
fn client(mock: &RunningMock, retry: RetryPolicy) -> Client {
    client_builder(mock)
        .rate_limit(seventime::defaults::RATE_LIMIT)
        .retry(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_record_arrives_once_and_in_order_under_the_rate_limit() {
    // 7 pages of 100 with both sides limited to 4 requests per second: the client must pace
    // itself, or the mock's 429s would show up as extra requests.
    let mock = mock(650, |_| {}).await;
    let client = client(&mock, RetryPolicy::none());
    let customers: Vec<types::Customer> = client
        .list_customers()
        .into_paginator()
        .page_size(100)
        .items()
        .try_collect()
        .await
        .unwrap();
    let received: Vec<String> = customers.iter().map(|c| c.id.clone()).collect();
    assert_eq!(received, ids(650, "customers"));
    assert_eq!(received.iter().collect::<HashSet<_>>().len(), 650);
    assert_eq!(mock.requests_received(), 7, "one request per page, no 429");
}

#[tokio::test]
async fn pages_default_to_the_largest_size_and_report_the_totals() {
    let mock = mock(1_001, |config| config.rate_limit = None).await;
    let client = client(&mock, RetryPolicy::none());
    let pages: Vec<_> = client
        .list_projects()
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|page| page.items.len()).collect();
    assert_eq!(sizes, [500, 500, 1]);
    let numbers: Vec<u64> = pages.iter().map(|page| page.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert!(pages.iter().all(|page| page.total_records == 1_001));
    assert!(pages.iter().all(|page| page.total_pages == 3));
    assert_eq!(mock.requests_received(), 3);
}

#[tokio::test]
async fn an_exact_multiple_of_the_page_size_ends_at_total_pages() {
    let mock = mock(300, |config| config.rate_limit = None).await;
    let client = client(&mock, RetryPolicy::none());
    let count = client
        .list_customers()
        .into_paginator()
        .page_size(100)
        .items()
        .try_fold(0usize, |count, _| async move { Ok(count + 1) })
        .await
        .unwrap();
    assert_eq!(count, 300);
    assert_eq!(
        mock.requests_received(),
        3,
        "no request for an empty page 4"
    );
}

#[tokio::test]
async fn an_empty_list_is_one_request_and_no_items() {
    let mock = mock(0, |config| config.rate_limit = None).await;
    let client = client(&mock, RetryPolicy::none());
    let items: Vec<_> = client
        .list_customers()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(mock.requests_received(), 1);
}

#[tokio::test]
async fn a_page_is_requested_only_when_needed_and_dropping_stops_requests() {
    let mock = mock(1_000, |config| config.rate_limit = None).await;
    let client = client(&mock, RetryPolicy::none());
    let stream = client
        .list_customers()
        .into_paginator()
        .page_size(100)
        .items();
    assert_eq!(mock.requests_received(), 0, "nothing before the first poll");
    let mut stream = stream;
    let first: Vec<_> = (&mut stream).take(100).try_collect().await.unwrap();
    assert_eq!(first.len(), 100);
    assert_eq!(mock.requests_received(), 1, "page 2 is not fetched ahead");
    let next = stream.try_next().await.unwrap().unwrap();
    assert_eq!(next.id, ids(1_000, "customers")[100]);
    assert_eq!(mock.requests_received(), 2);
    drop(stream);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        mock.requests_received(),
        2,
        "no request after the stream is dropped"
    );
}

#[tokio::test]
async fn a_page_size_outside_the_documented_range_is_an_error_before_any_request() {
    let mock = mock(10, |config| config.rate_limit = None).await;
    let client = client(&mock, RetryPolicy::none());
    for size in [0, 501, u64::MAX] {
        let mut stream = client
            .list_customers()
            .into_paginator()
            .page_size(size)
            .items();
        let error = stream.try_next().await.unwrap_err();
        assert_eq!(error.operation(), "list_customers");
        let ApiError::InvalidRequest(message) = error.error() else {
            panic!("expected InvalidRequest, got {error:?}");
        };
        assert!(message.contains(&size.to_string()), "{message}");
        assert!(message.contains("1..=500"), "{message}");
        assert!(
            stream.try_next().await.unwrap().is_none(),
            "the error ends the stream"
        );
    }
    for size in [1, 500] {
        let items: Vec<_> = client
            .list_customers()
            .into_paginator()
            .page_size(size)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items.len(), 10, "page size {size}");
    }
    assert_eq!(mock.requests_received(), 10 + 1);
}

#[tokio::test]
async fn a_fault_mid_stream_is_retried_like_any_request() {
    for status in [503, 429, 500] {
        let mock = mock(250, |config| {
            config.rate_limit = None;
            config.faults = Faults {
                fail_requests: BTreeMap::from([(2, status)]),
                ..Faults::default()
            };
        })
        .await;
        let client = client(&mock, quick_retries());
        let received: Vec<String> = client
            .list_customers()
            .into_paginator()
            .page_size(100)
            .items()
            .map_ok(|customer| customer.id)
            .try_collect()
            .await
            .unwrap_or_else(|error| panic!("{status}: {error}"));
        assert_eq!(received, ids(250, "customers"), "{status}");
        assert_eq!(
            mock.requests_received(),
            4,
            "{status}: 3 pages and one retry"
        );
    }
}

#[tokio::test]
async fn a_page_that_still_fails_ends_the_stream_naming_it_and_can_be_resumed() {
    let mock = mock(250, |config| {
        config.rate_limit = None;
        config.faults = Faults {
            fail_requests: BTreeMap::from([(2, 503)]),
            ..Faults::default()
        };
    })
    .await;
    let client = client(&mock, RetryPolicy::none());
    let mut stream = client
        .list_customers()
        .into_paginator()
        .page_size(100)
        .items();
    let mut received = Vec::new();
    let error = loop {
        match stream.try_next().await {
            Ok(Some(customer)) => received.push(customer.id),
            Ok(None) => panic!("the stream ended without the fault"),
            Err(error) => break error,
        }
    };
    assert_eq!(received.len(), 100, "page 1 was yielded before the failure");
    assert_eq!(error.page(), 2);
    assert_eq!(error.operation(), "list_customers");
    assert!(
        matches!(error.error(), ApiError::Api(response) if response.status == 503),
        "{error:?}"
    );
    assert!(error.to_string().contains("page 2"), "{error}");
    assert!(
        stream.try_next().await.unwrap().is_none(),
        "the error ends the stream"
    );

    let rest: Vec<String> = client
        .list_customers()
        .into_paginator()
        .page_size(100)
        .start_page(error.page())
        .items()
        .map_ok(|customer| customer.id)
        .try_collect()
        .await
        .unwrap();
    received.extend(rest);
    assert_eq!(received, ids(250, "customers"));
}

#[tokio::test]
async fn filters_and_last_modified_go_with_every_page() {
    let mock = mock(400, |config| config.rate_limit = None).await;
    let client = client(&mock, RetryPolicy::none());
    let all = Fixtures::builtin().with_records(400).records("customers");
    let since = Timestamp::from_unix_seconds(1_704_067_200 + 200 * 2220);
    let expected: Vec<&str> = all
        .iter()
        .filter(|record| {
            // To the second, as the mock compares.
            record["modifiedDate"]
                .as_str()
                .and_then(Timestamp::from_record)
                .is_some_and(|modified| modified >= since)
        })
        .map(|record| record["_id"].as_str().unwrap())
        .collect();
    assert!(
        (150..400).contains(&expected.len()),
        "the filter should select part of the list, selected {}",
        expected.len()
    );
    let changed: Vec<String> = client
        .list_customers()
        .last_modified(since)
        .into_paginator()
        .page_size(50)
        .items()
        .map_ok(|customer| customer.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(changed, expected);

    let newest_first: Vec<String> = client
        .list_customers()
        .sort_by("customerNumber")
        .sort_direction(SortDirection::Descending)
        .into_paginator()
        .page_size(100)
        .items()
        .map_ok(|customer| customer.customer_number.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(newest_first.len(), 400);
    let mut sorted = newest_first.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(newest_first, sorted);
}

#[tokio::test]
async fn the_catalog_streams_any_resource_by_name() {
    let mock = mock(120, |config| config.rate_limit = None).await;
    // Neither side limited: these read every resource, and pacing is tested above.
    let client = seventime_test_support::client(&mock);
    for resource in seventime::catalog::resources()
        .iter()
        .filter(|resource| resource.list.paginated)
        .filter(|resource| !resource.list.parameters.iter().any(|p| p.required))
    {
        let records: Vec<serde_json::Value> = resource
            .list(&client, &[] as &[(&str, &str)])
            .unwrap()
            .page_size(50)
            .items()
            .try_collect()
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", resource.name));
        let received: Vec<&str> = records.iter().map(|r| r["_id"].as_str().unwrap()).collect();
        assert_eq!(received, ids(120, resource.name), "{}", resource.name);
    }
}

#[tokio::test]
async fn text_pages_hold_the_same_records_as_value_pages_and_get_text_as_get() {
    let mock = mock(120, |config| config.rate_limit = None).await;
    // Neither side limited: these read every resource, and pacing is tested above.
    let client = seventime_test_support::client(&mock);
    let mut fetched = 0;
    for resource in seventime::catalog::resources()
        .iter()
        .filter(|resource| !resource.list.parameters.iter().any(|p| p.required))
    {
        let listing = || {
            let listing = resource.list(&client, &[] as &[(&str, &str)]).unwrap();
            if listing.is_paginated() {
                listing.page_size(50)
            } else {
                listing
            }
        };
        let values: Vec<seventime::Page<serde_json::Value>> = listing()
            .pages()
            .try_collect()
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", resource.name));
        let texts: Vec<seventime::Page<Box<serde_json::value::RawValue>>> = listing()
            .text_pages()
            .try_collect()
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", resource.name));
        assert_eq!(texts.len(), values.len(), "{}", resource.name);
        for (text, value) in texts.iter().zip(&values) {
            assert_eq!(
                (text.number, text.total_records, text.total_pages),
                (value.number, value.total_records, value.total_pages),
                "{}",
                resource.name
            );
            let decoded: Vec<serde_json::Value> = text
                .items
                .iter()
                .map(|item| serde_json::from_str(item.get()).unwrap())
                .collect();
            assert_eq!(
                decoded, value.items,
                "{} page {}",
                resource.name, text.number
            );
        }
        assert!(
            values.iter().map(|page| page.items.len()).sum::<usize>() > 0,
            "{}: the mock holds records of every resource",
            resource.name
        );
        // A record fetched by id is the same text as the same record listed.
        let (Some(_), Some(first)) = (&resource.get, texts[0].items.first()) else {
            continue;
        };
        let listed: serde_json::Value = serde_json::from_str(first.get()).unwrap();
        let Some(id) = listed[resource.key].as_str() else {
            continue;
        };
        let text = resource.get_text(&client, id).await.unwrap();
        assert_eq!(text.get(), first.get(), "{} {id}", resource.name);
        assert_eq!(
            resource.get(&client, id).await.unwrap(),
            listed,
            "{} {id}",
            resource.name
        );
        fetched += 1;
    }
    assert!(fetched > 5, "only {fetched} resources were fetched by id");
}
