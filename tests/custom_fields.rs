//! Custom-field values resolved through the field configuration, against the mock: every custom
//! type, the odd cases with their reasons, and one configuration request per entity type however
//! many records and pages.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt;
use seventime::custom_fields::Unresolved;
use seventime::{FieldType, FieldValue};
use seventime_mock::{Faults, MockConfig, RunningMock};
use seventime_test_support::client;

async fn mock(records: usize, configure: impl FnOnce(&mut MockConfig)) -> RunningMock {
    seventime_test_support::mock_with_records(records, configure).await
}

/// What kind of value each resolved field came out as, over a whole stream.
fn kind(value: &FieldValue) -> &'static str {
    match value {
        FieldValue::Empty => "empty",
        FieldValue::Text(_) => "text",
        FieldValue::YesNo(_) => "yes/no",
        FieldValue::Date(_) => "date",
        FieldValue::Number(_) => "number",
        FieldValue::Choice(_) => "choice",
        FieldValue::Choices(_) => "choices",
        FieldValue::Raw(_) => "raw",
        FieldValue::Unresolved {
            reason: Unresolved::UnknownField,
            ..
        } => "unknown field",
        FieldValue::Unresolved {
            reason: Unresolved::Mismatch { .. },
            ..
        } => "mismatch",
        FieldValue::Unresolved {
            reason: Unresolved::UnknownChoice { .. },
            ..
        } => "unknown choice",
        _ => "other",
    }
}

#[tokio::test]
async fn a_stream_resolves_every_custom_type_with_one_configuration_request() {
    let mock = mock(1_200, |_| {}).await;
    let client = client(&mock);
    let invoices: Vec<_> = client
        .list_invoices()
        .into_paginator()
        .page_size(100)
        .items()
        .with_custom_fields(&client)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(invoices.len(), 1_200);
    assert_eq!(
        mock.requests_received(),
        12 + 1,
        "12 pages and one configuration"
    );

    let mut kinds = BTreeMap::<&str, usize>::new();
    for invoice in &invoices {
        assert_eq!(
            invoice.custom_fields.len(),
            invoice.record.custom_fields.as_ref().map_or(0, |v| v.len()),
            "one resolved field per value, none dropped"
        );
        for field in &invoice.custom_fields {
            *kinds.entry(kind(&field.value)).or_default() += 1;
            if let Some(name) = &field.name {
                assert!(!name.is_empty());
            }
        }
    }
    for expected in [
        "text",
        "yes/no",
        "date",
        "number",
        "choice",
        "choices",
        "unknown field",
        "mismatch",
    ] {
        assert!(kinds.contains_key(expected), "no {expected} in {kinds:?}");
    }

    // The same client keeps the configuration: a second stream costs only its pages.
    let before = mock.requests_received();
    let count = client
        .list_invoices()
        .into_paginator()
        .items()
        .with_custom_fields(&client)
        .try_fold(0, |n, _| async move { Ok(n + 1) })
        .await
        .unwrap();
    assert_eq!(count, 1_200);
    assert_eq!(
        mock.requests_received() - before,
        3,
        "3 pages of 500, no configuration"
    );

    client.forget_field_configurations();
    let before = mock.requests_received();
    client
        .field_configuration(seventime::EntityType::Invoice)
        .await
        .unwrap();
    assert_eq!(
        mock.requests_received() - before,
        1,
        "fetched again after forgetting"
    );
}

#[tokio::test]
async fn resolved_values_match_the_configuration() {
    let mock = mock(30, |_| {}).await;
    let client = client(&mock);
    let configuration = client
        .field_configuration(seventime::EntityType::Invoice)
        .await
        .unwrap();
    let invoices: Vec<_> = client
        .list_invoices()
        .into_paginator()
        .items()
        .with_custom_fields(&client)
        .try_collect()
        .await
        .unwrap();
    let mut types = BTreeSet::new();
    for invoice in &invoices {
        for field in &invoice.custom_fields {
            let Some(config) = configuration.field(&field.field_id) else {
                assert_eq!(field.name, None);
                assert!(matches!(field.value, FieldValue::Unresolved { .. }));
                continue;
            };
            assert_eq!(field.name.as_deref(), config.field_name.as_deref());
            assert_eq!(field.field_type, config.field_type);
            let fits = matches!(
                (field.field_type.unwrap(), &field.value),
                (_, FieldValue::Unresolved { .. } | FieldValue::Empty)
                    | (FieldType::Text, FieldValue::Text(_))
                    | (FieldType::YesNo, FieldValue::YesNo(_))
                    | (FieldType::Date, FieldValue::Date(_))
                    | (FieldType::Numeric, FieldValue::Number(_))
                    | (FieldType::SelectList, FieldValue::Choice(_))
                    | (FieldType::MultiSelectList, FieldValue::Choices(_))
            );
            assert!(fits, "{field:?}");
            types.insert(field.field_type.unwrap().code());
        }
    }
    assert_eq!(types.len(), 6, "all six custom types: {types:?}");
}

#[tokio::test]
async fn an_entity_type_without_a_configuration_leaves_values_raw_not_failing() {
    // The mock has no configuration for machines (1500): a 404, read as no fields.
    let mock = mock(20, |_| {}).await;
    let client = client(&mock);
    let machines: Vec<_> = client
        .list_machines()
        .into_paginator()
        .items()
        .with_custom_fields(&client)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(machines.len(), 20);
    for machine in &machines {
        for field in &machine.custom_fields {
            assert_eq!(kind(&field.value), "unknown field", "{field:?}");
        }
    }
}

#[tokio::test]
async fn a_configuration_that_cannot_be_fetched_ends_the_stream_before_any_record() {
    let mock = mock(20, |config| {
        config.faults = Faults {
            fail_requests: BTreeMap::from([(1, 500)]),
            ..Faults::default()
        };
    })
    .await;
    let client = client(&mock);
    let mut stream = client
        .list_invoices()
        .into_paginator()
        .items()
        .with_custom_fields(&client);
    let error = stream.try_next().await.unwrap_err();
    assert_eq!(error.operation(), "get_custom_fields");
    assert!(stream.try_next().await.unwrap().is_none());
    assert_eq!(mock.requests_received(), 1, "no page was requested");
}
