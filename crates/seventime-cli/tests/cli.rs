//! The real `seventime` binary against the mock: help, the custom-field and entity-type commands
//! in every output format, and a closed stdout.
//!
//! Failures, the key and the record commands have test files of their own (`failures.rs`,
//! `keys.rs`, `records.rs`); the helpers they share are in `common/mod.rs`.

mod common;

use serde_json::Value;
use seventime::{EntityType, types};
use seventime_mock::Fixtures;

use common::{Served, exec, seventime};

fn invoice_fields() -> types::CustomFieldList {
    Fixtures::builtin()
        .get(EntityType::Invoice)
        .unwrap()
        .clone()
}

#[test]
fn help_lists_every_command_and_the_exit_codes() {
    let run = exec(seventime().arg("--help"));
    assert_eq!(run.code, 0);
    insta::assert_snapshot!("help", run.stdout);
}

#[test]
fn custom_fields_help_explains_the_entity_argument() {
    let run = exec(seventime().args(["custom-fields", "--help"]));
    assert_eq!(run.code, 0);
    insta::assert_snapshot!("custom_fields_help", run.stdout);
}

#[test]
fn generated_commands_have_help_from_the_spec() {
    let run = exec(seventime().args(["get-custom-fields", "--help"]));
    assert_eq!(run.code, 0);
    insta::assert_snapshot!("get_custom_fields_help", run.stdout);
}

#[test]
fn entity_types_as_table_and_json() {
    let table = exec(seventime().arg("entity-types"));
    assert_eq!(table.code, 0, "{}", table.stderr);
    insta::assert_snapshot!("entity_types_table", table.stdout);

    let json = exec(seventime().args(["entity-types", "--output", "json"]));
    let listed: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(listed.len(), EntityType::KNOWN.len());
    for (entry, entity) in listed.iter().zip(EntityType::KNOWN) {
        assert_eq!(entry["code"], entity.code());
        assert_eq!(entry["name"], entity.kebab_name().unwrap());
        assert_eq!(entry["label"], entity.label().unwrap());
    }
}

#[test]
fn the_main_job_prints_the_invoice_table() {
    let run = exec(seventime().args(["--mock", "custom-fields", "invoice"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("mock_custom_fields_invoice_table", run.stdout);
}

#[test]
fn custom_fields_json_is_what_the_service_sent() {
    for entity in ["invoice", "400", "Invoice"] {
        let run = exec(seventime().args(["--mock", "-o", "json", "custom-fields", entity]));
        assert_eq!(run.code, 0, "{}", run.stderr);
        let printed: types::CustomFieldList = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(printed, invoice_fields(), "{entity}");
    }
}

#[test]
fn custom_fields_without_an_entity_uses_the_service_default() {
    let run = exec(seventime().args(["--mock", "-o", "json", "custom-fields"]));
    let printed: types::CustomFieldList = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(Some(&printed), Fixtures::builtin().get(EntityType::TimeLog));
}

#[test]
fn generated_commands_run_both_operation_forms() {
    let served = Served::start(|_| {});
    for args in [
        ["get-custom-fields", "--entity-type", "invoice"],
        ["list-custom-fields", "--entity-type", "400"],
    ] {
        let run = exec(served.seventime().args(["-o", "json"]).args(args));
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let printed: types::CustomFieldList = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(printed, invoice_fields(), "{args:?}");

        let table = exec(served.seventime().args(args));
        assert_eq!(table.code, 0);
        let header = table.stdout.lines().next().unwrap();
        for column in [
            "_id",
            "fieldName",
            "fieldType",
            "selectFieldData",
            "sortOrder",
        ] {
            assert!(header.contains(column), "{args:?}: {header}");
        }
        assert_eq!(
            table.stdout.lines().count(),
            1 + invoice_fields().data.len()
        );
    }
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    // The reading end is closed before the binary starts, so its write fails with EPIPE.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("seventime"))
        .args(["--mock", "custom-fields", "invoice"])
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}
