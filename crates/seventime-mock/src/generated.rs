//! The records the mock makes up when a list must hold more than the documented ones
//! (`--records N`): each a documented record with an id, a name, a number and dates of its own.

use serde_json::Value;
use seventime::catalog::Resource;
use seventime::{FieldType, Timestamp, types};

/// Swedish names for generated records.
const NAMES: [&str; 12] = [
    "Anna Andersson",
    "Erik Johansson",
    "Maria Karlsson",
    "Lars Nilsson",
    "Karin Eriksson",
    "Johan Larsson",
    "Eva Olsson",
    "Per Persson",
    "Sara Svensson",
    "Nils Gustafsson",
    "Ingrid Pettersson",
    "Olof Jonsson",
];

/// Record `index` of `resource`, made from one of its documented records: a fresh `_id`, a
/// name, a number and dates of its own; every other property as documented. The same index
/// always gives the same record.
pub(crate) fn record(
    resource: &Resource,
    templates: &[Value],
    configuration: Option<&types::CustomFieldList>,
    index: usize,
) -> Value {
    let mut record = templates
        .get(index % templates.len().max(1))
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    let Some(fields) = record.as_object_mut() else {
        return record;
    };
    fields.insert("_id".into(), Value::String(object_id(resource.name, index)));
    let name = format!("{} {}", NAMES[index % NAMES.len()], index + 1);
    let number = 10_000 + index as u64;
    // Spread over about two years, a record every 37 minutes, newest last.
    let created = Timestamp::from_unix_seconds(1_704_067_200 + index as u64 * 2220);
    let modified = Timestamp::from_unix_seconds(created.unix_seconds() + 3600);
    for (key, value) in fields.iter_mut() {
        match (key.as_str(), &*value) {
            ("name", Value::String(_)) => *value = Value::String(name.clone()),
            ("createdDate" | "createDate", Value::String(_)) => {
                *value = Value::String(format!("{created}.000Z"));
            }
            ("modifiedDate", Value::String(_)) => {
                *value = Value::String(format!("{modified}.000Z"));
            }
            (key, Value::String(_)) if key.ends_with("Number") => {
                *value = Value::String(number.to_string());
            }
            (key, Value::Number(_)) if key.ends_with("Number") => {
                *value = Value::from(number);
            }
            _ => {}
        }
    }
    // Values wherever the resource's records carry custom fields (some documented records
    // leave the property out).
    if let Some(configuration) = configuration
        && templates.iter().any(|t| t.get("customFields").is_some())
    {
        fields.insert(
            "customFields".into(),
            custom_field_values(resource, configuration, index),
        );
    }
    record
}

/// Values for every custom field of `configuration`, varied by `index` — plus, on some records,
/// the odd cases a client must survive: every 7th record a value of a deleted field, every
/// 11th a numeric field holding text.
fn custom_field_values(
    resource: &Resource,
    configuration: &types::CustomFieldList,
    index: usize,
) -> Value {
    let mut values = Vec::new();
    let mut push = |field_id: &str, value: Value| {
        let number = values.len();
        values.push(serde_json::json!({
            "_id": object_id(&format!("{}-cf{number}", resource.name), index),
            "fieldId": field_id,
            "value": value,
        }));
    };
    for field in &configuration.data {
        let choices: Vec<&str> = field
            .select_field_data
            .iter()
            .flat_map(|data| data.iter())
            .filter_map(|choice| choice.get("_id").and_then(Value::as_str))
            .collect();
        let value = match field.field_type {
            Some(FieldType::Text) => {
                Value::from(format!("{} {}", NAMES[index % NAMES.len()], index + 1))
            }
            Some(FieldType::YesNo) => Value::from(index.is_multiple_of(2)),
            Some(FieldType::Date) => {
                let day = Timestamp::from_unix_seconds(1_704_067_200 + index as u64 * 86_400);
                Value::from(format!("{day}.000Z"))
            }
            Some(FieldType::Numeric) if index % 11 == 5 => Value::from("många"),
            Some(FieldType::Numeric) => Value::from((index % 40) as f64 * 2.5),
            Some(FieldType::SelectList) if !choices.is_empty() => {
                Value::from(choices[index % choices.len()])
            }
            Some(FieldType::MultiSelectList) if !choices.is_empty() => choices
                .iter()
                .enumerate()
                .filter(|(n, _)| (index >> n) & 1 == 1)
                .map(|(_, id)| Value::from(*id))
                .collect(),
            // Standard fields live in the record's own properties, not in `customFields`.
            _ => continue,
        };
        push(&field.id, value);
    }
    if index % 7 == 3 {
        push(
            "000000000000000000dead00",
            Value::from("a field deleted since"),
        );
    }
    Value::Array(values)
}

/// A MongoDB-style object id: 8 hex digits from the resource name, 16 from the index.
fn object_id(resource: &str, index: usize) -> String {
    let hash = resource.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    format!("{hash:08x}{index:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_object_ids_unique_per_resource_and_index() {
        let a = object_id("customers", 0);
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, object_id("customers", 1));
        assert_ne!(a, object_id("projects", 0));
        assert_eq!(a, object_id("customers", 0));
    }
}
