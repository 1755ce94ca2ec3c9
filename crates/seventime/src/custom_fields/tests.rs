//! Resolution of every custom type, of odd values and of whole records, and how values print.

use serde_json::{Value, json};

use super::{Choice, FieldConfiguration, FieldValue, Unresolved};
use crate::types::{CustomFieldList, CustomFieldValue};
use crate::{EntityType, FieldType};

fn configuration() -> FieldConfiguration {
    let list: CustomFieldList = serde_json::from_value(json!({"data": [
        {"_id": "std", "fieldName": "Kund", "fieldType": 100},
        {"_id": "text", "fieldName": "Er referens", "fieldType": 10100},
        {"_id": "yes", "fieldName": "Omvänd byggmoms", "fieldType": 10200},
        {"_id": "date", "fieldName": "Leveransdatum", "fieldType": 10300},
        {"_id": "num", "fieldName": "Rabatt %", "fieldType": 10400},
        {"_id": "one", "fieldName": "Betalningsvillkor", "fieldType": 10500,
         "selectFieldData": [{"_id": "c10", "value": "10 dagar"}, {"_id": "c30", "value": "30 dagar"}]},
        {"_id": "many", "fieldName": "Kompetenser", "fieldType": 10600,
         "selectFieldData": [{"_id": "el", "value": "El"}, {"_id": "vvs", "value": "VVS"}]},
        {"_id": "new", "fieldName": "Framtida", "fieldType": 12345}
    ]}))
    .unwrap();
    FieldConfiguration::new(EntityType::Invoice, list)
}

fn resolve(field: &str, value: Value) -> FieldValue {
    configuration().resolve_one(field, &value).value
}

fn choice(id: &str, label: &str) -> Choice {
    Choice {
        id: Some(id.into()),
        label: label.into(),
    }
}

#[test]
fn every_custom_type_resolves() {
    assert_eq!(
        resolve("text", json!("Anna")),
        FieldValue::Text("Anna".into())
    );
    assert_eq!(resolve("yes", json!(true)), FieldValue::YesNo(true));
    assert_eq!(resolve("yes", json!("false")), FieldValue::YesNo(false));
    assert_eq!(
        resolve("date", json!("2026-11-30T00:00:00.000Z")),
        FieldValue::Date("2026-11-30".parse().unwrap())
    );
    assert_eq!(
        resolve("date", json!("2026-11-30")),
        FieldValue::Date("2026-11-30".parse().unwrap())
    );
    assert_eq!(resolve("num", json!(12.5)), FieldValue::Number(12.5));
    assert_eq!(resolve("num", json!("7,5")), FieldValue::Number(7.5));
    assert_eq!(
        resolve("one", json!("c30")),
        FieldValue::Choice(choice("c30", "30 dagar"))
    );
    assert_eq!(
        resolve("one", json!("10 dagar")),
        FieldValue::Choice(choice("c10", "10 dagar"))
    );
    assert_eq!(
        resolve("many", json!(["vvs", "El"])),
        FieldValue::Choices(vec![choice("vvs", "VVS"), choice("el", "El")])
    );
    assert_eq!(
        resolve("std", json!({"a": 1})),
        FieldValue::Raw(json!({"a": 1}))
    );
    assert_eq!(resolve("new", json!([1])), FieldValue::Raw(json!([1])));
    assert_eq!(resolve("num", Value::Null), FieldValue::Empty);
    assert_eq!(resolve("date", json!("")), FieldValue::Empty);
}

#[test]
fn odd_values_come_back_raw_with_a_reason() {
    let unresolved = |value: Value, reason| FieldValue::Unresolved { value, reason };
    assert_eq!(
        resolve("yes", json!("kanske")),
        unresolved(
            json!("kanske"),
            Unresolved::Mismatch {
                expected: "a boolean"
            }
        )
    );
    assert_eq!(
        resolve("num", json!("många")),
        unresolved(
            json!("många"),
            Unresolved::Mismatch {
                expected: "a number"
            }
        )
    );
    assert_eq!(
        resolve("date", json!("30/11/2026")),
        unresolved(
            json!("30/11/2026"),
            Unresolved::Mismatch { expected: "a date" }
        )
    );
    assert_eq!(
        resolve("one", json!("90 dagar")),
        unresolved(
            json!("90 dagar"),
            Unresolved::UnknownChoice {
                given: "90 dagar".into()
            }
        )
    );
    assert_eq!(
        resolve("many", json!(["el", "snickeri"])),
        unresolved(
            json!(["el", "snickeri"]),
            Unresolved::UnknownChoice {
                given: "snickeri".into()
            }
        )
    );
    assert_eq!(
        resolve("deleted", json!("x")),
        unresolved(json!("x"), Unresolved::UnknownField)
    );
    let deleted = configuration().resolve_one("deleted", &json!("x"));
    assert_eq!((deleted.name, deleted.field_type), (None, None));
}

#[test]
fn a_record_resolves_in_order_with_names_and_types() {
    let values = json!([
        {"_id": "v1", "fieldId": "num", "value": 3},
        {"_id": "v2", "fieldId": "gone", "value": "x"},
        {"_id": "v3", "fieldId": "text", "value": "Ref 7"},
        "not an object"
    ]);
    let resolved = configuration().resolve_json(&values);
    let names: Vec<Option<&str>> = resolved.iter().map(|f| f.name.as_deref()).collect();
    assert_eq!(names, [Some("Rabatt %"), None, Some("Er referens")]);
    assert_eq!(resolved[0].field_type, Some(FieldType::Numeric));
    let typed: Vec<CustomFieldValue> =
        serde_json::from_value(Value::Array(values.as_array().unwrap()[..3].to_vec())).unwrap();
    assert_eq!(configuration().resolve(&typed), resolved);
}

#[test]
fn values_print_for_people_and_as_json() {
    let many = resolve("many", json!(["el", "vvs"]));
    assert_eq!(many.to_string(), "El, VVS");
    assert_eq!(many.to_json(), json!(["El", "VVS"]));
    assert_eq!(resolve("yes", json!(false)).to_string(), "no");
    assert_eq!(
        resolve("date", json!("2026-11-30")).to_json(),
        json!("2026-11-30T00:00:00")
    );
    assert_eq!(resolve("one", json!("nope")).to_json(), json!("nope"));
}
