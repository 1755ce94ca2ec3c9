//! The mock's fixtures: the built-in data, fixture files and their errors, and records they
//! replace.

mod common;

use std::path::Path;

use seventime::{EntityType, FieldType, types};
use seventime_mock::{Fixtures, MockConfig};

use common::{list, mock_with, names};
use seventime_test_support::KEY;

#[tokio::test]
async fn builtin_data_covers_the_documented_shapes() {
    let builtin = Fixtures::builtin();
    let entities: Vec<EntityType> = builtin.entity_types().collect();
    for required in [
        EntityType::TimeLog,
        EntityType::WorkOrder,
        EntityType::Invoice,
        EntityType::Project,
        EntityType::Customer,
    ] {
        assert!(entities.contains(&required), "{required:?} missing");
    }
    let fields: Vec<&types::CustomField> = entities
        .iter()
        .flat_map(|e| &builtin.get(*e).unwrap().data)
        .collect();
    for custom in FieldType::KNOWN {
        assert!(
            fields.iter().any(|f| f.field_type == Some(*custom)),
            "no {custom:?} field"
        );
    }
    assert!(
        fields
            .iter()
            .any(|f| matches!(f.field_type, Some(FieldType::Unknown(_))))
    );
    assert!(
        fields
            .iter()
            .any(|f| f.select_field_data.as_ref().is_some_and(|c| !c.is_empty()))
    );
    assert!(
        fields
            .iter()
            .any(|f| f.extra.contains_key("quoteCategoryName"))
    );
    assert!(
        fields
            .iter()
            .any(|f| f.field_name.as_deref().is_some_and(|n| n.contains('ö')))
    );
}

#[test]
fn fixture_files_with_problems_name_the_file_and_the_problem() {
    let path = Path::new("fixtures.json");
    let error = Fixtures::parse(path, "{ \"400\": [ { \"fieldName\": \"x\" } ] }").unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("fixtures fixtures.json: missing field `_id`"),
        "{message}"
    );

    let error = Fixtures::parse(path, "{ \"invoices\": [] }").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("key `invoices`: `invoices` is not a known entity type"),
        "{error}"
    );
    assert!(error.to_string().contains("payment-plan"), "{error}");

    let error = Fixtures::parse(path, "{ \"400\": [], \"invoice\": [] }").unwrap_err();
    assert!(
        error.to_string().contains("entity type 400 is given twice"),
        "{error}"
    );

    let error = Fixtures::parse(path, "[1, 2").unwrap_err();
    assert!(
        error.to_string().starts_with("fixtures fixtures.json: "),
        "{error}"
    );

    let error = Fixtures::from_path("/nonexistent/fixtures.json").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cannot read fixtures /nonexistent/fixtures.json: "),
        "{error}"
    );
}

#[test]
fn fixture_files_accept_codes_and_names() {
    let fixtures = Fixtures::parse(
        Path::new("f.json"),
        r#"{ "invoice": [ { "_id": "a", "custom": 1 } ], "1100": [] }"#,
    )
    .unwrap();
    let invoice = fixtures.get(EntityType::Invoice).unwrap();
    assert_eq!(invoice.data[0].extra["custom"], 1);
    assert_eq!(fixtures.get(EntityType::Customer).unwrap().data.len(), 0);
    assert!(fixtures.get(EntityType::TimeLog).is_none());
}

#[tokio::test]
async fn fixture_files_replace_the_records_they_name() {
    let fixtures = Fixtures::parse(
        Path::new("f.json"),
        r#"{ "records": { "customers": [ { "_id": "c1", "name": "Only One", "vendorOnly": [1] } ] } }"#,
    )
    .unwrap();
    assert_eq!(fixtures.records("customers").len(), 1);
    assert_eq!(
        fixtures.records("projects").len(),
        Fixtures::builtin().records("projects").len()
    );
    let mut config = MockConfig::new(KEY);
    config.rate_limit = None;
    config.fixtures = fixtures;
    let mock = mock_with(config).await;
    let body = list(&mock, "/api/2/customers").await;
    assert_eq!(names(&body), ["Only One"]);
    assert_eq!(
        body["data"][0]["vendorOnly"],
        serde_json::json!([1]),
        "kept as written"
    );
}

#[test]
fn fixture_records_that_do_not_fit_their_type_name_the_resource_and_record() {
    let path = Path::new("f.json");
    let error = Fixtures::parse(path, r#"{ "records": { "customers": [ { "_id": 5 } ] } }"#)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("fixtures f.json: "), "{error}");
    assert!(error.contains("customers"), "{error}");
    let error = Fixtures::parse(path, r#"{ "records": { "clients": [] } }"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("clients"), "{error}");
    assert!(error.contains("customers"), "lists the resources: {error}");
    let error = Fixtures::parse(path, r#"{ "records": {}, "extra": 1 }"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown key `extra`"), "{error}");
}
