//! The generated named enums: codes, names, labels, unknown codes and parsing.

use std::collections::BTreeMap;

use seventime::{EntityType, FieldType};

/// The spec's named enums, read the way the generator reads them.
fn spec_enum(name: &str) -> seventime_codegen::NamedEnum {
    let spec = seventime_codegen::Spec::load(
        seventime_codegen::spec_path().unwrap_or_else(|error| panic!("{error}")),
    )
    .unwrap();
    spec.named_enums()
        .iter()
        .find(|e| e.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("the spec has no named enum {name}"))
}

#[test]
fn every_documented_entity_type_maps_code_to_variant_to_label() {
    let spec = spec_enum("EntityType");
    assert_eq!(EntityType::KNOWN.len(), spec.variants.len());
    for (variant, documented) in EntityType::KNOWN.iter().zip(&spec.variants) {
        assert_eq!(variant.code(), documented.code);
        assert_eq!(EntityType::from_code(documented.code), *variant);
        assert_eq!(variant.name(), Some(documented.name.as_str()));
        assert_eq!(variant.label(), Some(documented.label.as_str()));
        assert!(variant.is_known());
    }
}

#[test]
fn the_vendor_table_is_what_the_client_knows() {
    // The table of ../shared/reference/seventime-api-facts.md, independent of the spec.
    let table: BTreeMap<i32, &str> = [
        (100, "Time log"),
        (200, "Work order"),
        (300, "Task"),
        (400, "Invoice"),
        (500, "Project"),
        (600, "Expense"),
        (700, "Machine time log"),
        (800, "Driver journal"),
        (900, "Salary deviation"),
        (1000, "User"),
        (1100, "Customer"),
        (1200, "Absence"),
        (1300, "Work time absence"),
        (1400, "Quote"),
        (1500, "Machine"),
        (1600, "Object item"),
        (1700, "Customer signature"),
        (1800, "Supplement order"),
        (1900, "Construction diary"),
        (2000, "Checklist"),
        (2100, "Payment plan"),
    ]
    .into();
    let known: BTreeMap<i32, &str> = EntityType::KNOWN
        .iter()
        .map(|v| (v.code(), v.label().unwrap()))
        .collect();
    assert_eq!(
        known, table,
        "the spec's entity types differ from the vendor's table in \
         shared/reference/seventime-api-facts.md; if the vendor documented a new code, add it here too"
    );
    let custom: Vec<(i32, &str)> = FieldType::KNOWN
        .iter()
        .map(|v| (v.code(), v.label().unwrap()))
        .collect();
    assert_eq!(
        custom,
        [
            (10100, "Text"),
            (10200, "Yes/No"),
            (10300, "Date"),
            (10400, "Numeric"),
            (10500, "Select list"),
            (10600, "Multi select list"),
        ]
    );
}

#[test]
fn serde_uses_the_integer_code() {
    assert_eq!(serde_json::to_string(&EntityType::Invoice).unwrap(), "400");
    assert_eq!(
        serde_json::from_str::<EntityType>("1100").unwrap(),
        EntityType::Customer
    );
    assert_eq!(
        serde_json::from_str::<FieldType>("10500").unwrap(),
        FieldType::SelectList
    );
}

#[test]
fn an_unknown_code_round_trips_as_unknown() {
    // 150 lies between documented codes (all multiples of 100): one no spec edit will name.
    let decoded: EntityType = serde_json::from_str("150").unwrap();
    assert_eq!(decoded, EntityType::Unknown(150));
    assert!(!decoded.is_known());
    assert_eq!((decoded.name(), decoded.label()), (None, None));
    assert_eq!(serde_json::to_string(&decoded).unwrap(), "150");
    assert_eq!(decoded.to_string(), "150");

    // A standard field's type code (the published example has 100).
    let standard: FieldType = serde_json::from_str("100").unwrap();
    assert_eq!(standard, FieldType::Unknown(100));
    assert_eq!(serde_json::to_string(&standard).unwrap(), "100");
}

#[test]
fn non_integer_json_is_a_decode_error() {
    for bad in [r#""400""#, "400.5", "null", "99999999999"] {
        assert!(serde_json::from_str::<EntityType>(bad).is_err(), "{bad}");
    }
}

#[test]
fn display_writes_the_code() {
    for variant in EntityType::KNOWN {
        assert_eq!(variant.to_string(), variant.code().to_string());
    }
}

#[test]
fn from_str_accepts_codes_and_names_in_any_common_spelling() {
    for text in ["400", " 400 ", "invoice", "Invoice", "INVOICE"] {
        assert_eq!(
            text.parse::<EntityType>(),
            Ok(EntityType::Invoice),
            "{text}"
        );
    }
    for text in [
        "time-log", "time_log", "TimeLog", "timeLog", "time log", "Time log", "TIME_LOG",
    ] {
        assert_eq!(
            text.parse::<EntityType>(),
            Ok(EntityType::TimeLog),
            "{text}"
        );
    }
    assert_eq!("yes/no".parse::<FieldType>(), Ok(FieldType::YesNo));
    assert_eq!(
        "multi-select-list".parse::<FieldType>(),
        Ok(FieldType::MultiSelectList)
    );
    for variant in EntityType::KNOWN {
        assert_eq!(variant.kebab_name().unwrap().parse(), Ok(*variant));
        assert_eq!(variant.name().unwrap().parse(), Ok(*variant));
        assert_eq!(variant.label().unwrap().parse(), Ok(*variant));
    }
}

#[test]
fn from_str_rejects_garbage_with_the_valid_names() {
    let error = "invoices".parse::<EntityType>().unwrap_err();
    assert_eq!(error.input(), "invoices");
    let every_name: Vec<&str> = EntityType::KNOWN
        .iter()
        .map(|v| v.kebab_name().unwrap())
        .collect();
    assert_eq!(error.valid_names(), every_name.join(", "));
    assert_eq!(
        error.to_string(),
        format!(
            "`invoices` is not a known entity type; use a documented code or one of: {}",
            every_name.join(", ")
        )
    );
    assert!(
        error
            .valid_names()
            .starts_with("time-log, work-order, task, invoice,")
    );
    assert!("".parse::<EntityType>().is_err());
}

#[test]
fn closed_and_open_sets_treat_undocumented_codes_differently() {
    // The service rejects entity types outside its table, so parsing one is an early error…
    let error = "150".parse::<EntityType>().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`150` is not a known entity type")
    );
    // …while any field type code is valid (standard fields use undocumented ones).
    assert_eq!("100".parse::<FieldType>(), Ok(FieldType::Unknown(100)));
    // The programmatic route is always open.
    assert_eq!(EntityType::from(150), EntityType::Unknown(150));
    assert_eq!(i32::from(EntityType::Quote), 1400);
}

#[test]
fn equality_and_order_follow_the_wire_code() {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    let hash = |value: EntityType| {
        let mut hasher = DefaultHasher::new();
        value.hash(&mut hasher);
        hasher.finish()
    };
    assert_eq!(EntityType::Unknown(400), EntityType::Invoice);
    assert_eq!(hash(EntityType::Unknown(400)), hash(EntityType::Invoice));
    assert!(EntityType::TimeLog < EntityType::Invoice);
    assert!(EntityType::Unknown(150) < EntityType::WorkOrder);
    let mut sorted = EntityType::KNOWN.to_vec();
    sorted.reverse();
    sorted.sort();
    assert_eq!(sorted, EntityType::KNOWN);
}
