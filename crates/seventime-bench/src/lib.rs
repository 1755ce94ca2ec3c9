//! Shared inputs of the benchmarks: realistic field configurations of any size.

use serde_json::{Value, json};

/// A `{"data": [...]}` body of `count` fields mixing what the service returns: standard fields
/// with undocumented type codes, custom fields of every custom type, select lists with choices,
/// Swedish names, and, on every third field, properties the spec does not name.
pub fn field_list(count: usize) -> String {
    let custom_types = [10100, 10200, 10300, 10400, 10500, 10600];
    let data: Vec<Value> = (0..count)
        .map(|i| {
            let field_type = if i % 4 == 0 { 100 + (i % 20) as i64 } else { custom_types[i % 6] };
            let choices: Vec<Value> = if field_type == 10500 || field_type == 10600 {
                (0..4)
                    .map(|c| json!({"_id": format!("{i:016x}{c:08x}"), "value": format!("Val {c} för fält {i}"), "isActive": true}))
                    .collect()
            } else {
                Vec::new()
            };
            let mut field = json!({
                "_id": format!("{i:024x}"),
                "isActive": i % 7 != 0,
                "__v": i % 3,
                "fieldName": format!("Fält nummer {i} – {}", ["Kund", "Projekt", "Datum", "Belopp"][i % 4]),
                "fieldType": field_type,
                "selectFieldData": choices,
                "include": true,
                "required": i % 5 == 0,
            });
            if i % 3 == 0 {
                field["sortOrder"] = json!(i);
                field["quoteCategoryName"] = json!("Utbildning");
                field["translations"] = json!({"en": format!("Field {i}"), "sv": format!("Fält {i}")});
            }
            field
        })
        .collect();
    json!({ "data": data }).to_string()
}
