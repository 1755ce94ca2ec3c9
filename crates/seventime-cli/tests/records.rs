//! `seventime resources`, `list` and `get` of the real binary against the mock: streaming,
//! paging, filters and sorting, tables, custom fields, and the usage errors of each.

mod common;

use serde_json::Value;
use seventime_mock::Fixtures;
use seventime_test_support::fixture_ids;

use common::{Served, exec, seventime};

/// `-o jsonl` output, one value per line.
fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[test]
fn resources_lists_every_resource_of_the_catalog() {
    let run = exec(seventime().args(["--mock", "resources"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    let expected: Vec<&str> = seventime::catalog::resources()
        .iter()
        .map(|resource| resource.name)
        .collect();
    assert_eq!(names, expected);
    let customers = run
        .stdout
        .lines()
        .find(|l| l.starts_with("customers "))
        .unwrap();
    assert!(customers.contains("customerNumber"), "{customers}");
}

#[test]
fn list_all_streams_every_record_once_as_json_lines() {
    let served = Served::start(|config| {
        config.fixtures = Fixtures::builtin().with_records(1_203);
    });
    let run = exec(
        served
            .seventime()
            .args(["list", "customers", "--all", "-o", "jsonl"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr, "",
        "no progress output when stderr is not a terminal"
    );
    let ids: Vec<String> = json_lines(&run.stdout)
        .iter()
        .map(|record| record["_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, fixture_ids(1_203, "customers"));
}

#[test]
fn list_without_all_is_one_page_and_json_is_an_array() {
    let served = Served::start(|_| {});
    let run = exec(served.seventime().args([
        "list",
        "customers",
        "--limit",
        "5",
        "--page",
        "2",
        "-o",
        "json",
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = records.iter().map(|r| r["_id"].as_str().unwrap()).collect();
    assert_eq!(ids, fixture_ids(60, "customers")[5..10]);
}

#[test]
fn list_as_a_table_has_the_columns_the_spec_names() {
    let served = Served::start(|_| {});
    let run = exec(
        served
            .seventime()
            .args(["list", "customers", "--limit", "3"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut lines = run.stdout.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("ID "), "{header}");
    assert!(header.contains("CUSTOMER NUMBER"), "{header}");
    assert_eq!(lines.count(), 3);

    // User roles have no `_id`: no empty ID column.
    let run = exec(served.seventime().args(["list", "user-roles"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.starts_with("ID "), "{}", run.stdout);
}

#[test]
fn list_filters_since_and_sorting_reach_the_service() {
    let served = Served::start(|config| {
        config.fixtures = Fixtures::builtin().with_records(200);
    });
    let run = exec(served.seventime().args([
        "list",
        "customers",
        "--all",
        "--since",
        "2024-01-03 00:00",
        "--sort-by",
        "customerNumber",
        "--sort-direction",
        "descending",
        "--filter",
        "name=karin",
        "-o",
        "jsonl",
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = json_lines(&run.stdout);
    assert!(!records.is_empty());
    for record in &records {
        assert!(
            record["name"].as_str().unwrap().contains("Karin"),
            "{record}"
        );
        assert!(record["modifiedDate"].as_str().unwrap() >= "2024-01-03");
    }
    let numbers: Vec<&str> = records
        .iter()
        .map(|r| r["customerNumber"].as_str().unwrap())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(numbers, sorted);
}

#[test]
fn get_prints_one_record_and_an_unknown_id_exits_4() {
    let served = Served::start(|_| {});
    let id = &fixture_ids(60, "projects")[3];
    let run = exec(
        served
            .seventime()
            .args(["get", "projects", id, "-o", "json"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let record: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(record["_id"], id.as_str());

    let run = exec(
        served
            .seventime()
            .args(["get", "projects", "ffffffffffffffffffffffff"]),
    );
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("404"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ffffffffffffffffffffffff"),
        "{}",
        run.stderr
    );
}

#[test]
fn list_usage_errors_say_what_to_do_and_exit_2() {
    for (args, expected) in [
        (&["list", "nosuch"][..], "seventime resources"),
        (
            &["list", "customers", "--filter", "bogus=1"][..],
            "customerNumber",
        ),
        (&["list", "customers", "--filter", "name"][..], "NAME=VALUE"),
        (&["list", "supplement-orders"][..], "project"),
        (
            &["list", "customers", "--since", "2024-13-01"][..],
            "YYYY-MM-DD",
        ),
        (&["list", "customers", "--limit", "501"][..], "500"),
        (
            &["list", "customers", "--sort-direction", "up"][..],
            "descending",
        ),
    ] {
        let run = exec(seventime().arg("--mock").args(args));
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn get_shows_custom_fields_by_name_and_typed_value() {
    let served = Served::start(|_| {});
    let id = &fixture_ids(60, "invoices")[10];
    let run = exec(served.seventime().args(["get", "invoices", id]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("customFields: Er referens"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("customFields: Betalningsvillkor"),
        "{}",
        run.stdout
    );

    let run = exec(
        served
            .seventime()
            .args(["get", "invoices", id, "-o", "json"]),
    );
    let record: Value = serde_json::from_str(&run.stdout).unwrap();
    let values = record["customFieldValues"].as_object().unwrap();
    assert!(values["Omvänd byggmoms"].is_boolean(), "{values:?}");
    assert!(values["Tags"].is_array(), "{values:?}");
    assert!(record["customFields"].is_array(), "the raw values are kept");
}

#[test]
fn list_with_custom_fields_streams_named_values_and_says_what_stayed_raw() {
    let served = Served::start(|config| {
        config.fixtures = Fixtures::builtin().with_records(40);
    });
    let run = exec(served.seventime().args([
        "list",
        "invoices",
        "--all",
        "--custom-fields",
        "-o",
        "jsonl",
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = json_lines(&run.stdout);
    assert_eq!(records.len(), 40);
    let generated = &records[5];
    let values = generated["customFieldValues"].as_object().unwrap();
    for name in [
        "Er referens",
        "Omvänd byggmoms",
        "Leveransdatum",
        "Rabatt %",
        "Betalningsvillkor",
        "Tags",
    ] {
        assert!(values.contains_key(name), "{name} missing in {values:?}");
    }
    assert!(
        records.iter().any(|r| r["customFieldIssues"]
            .as_object()
            .is_some_and(|issues| issues
                .values()
                .any(|v| v.as_str().unwrap().contains("no such field")))),
        "a deleted field is reported"
    );
    assert!(
        records.iter().any(|r| r["customFieldIssues"]["Rabatt %"]
            .as_str()
            .is_some_and(|reason| reason.contains("number"))),
        "a mismatched value is reported"
    );
}

#[test]
fn list_tables_take_custom_fields_as_columns() {
    let served = Served::start(|_| {});
    let run = exec(served.seventime().args([
        "list",
        "invoices",
        "--limit",
        "5",
        "--custom-fields",
        "--columns",
        "_id,tags,Rabatt %",
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("ID"), "{header}");
    assert!(header.contains("TAGS"), "{header}");
    assert!(header.contains("RABATT %"), "{header}");

    let run = exec(
        served
            .seventime()
            .args(["list", "departments", "--custom-fields"]),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no custom fields"), "{}", run.stderr);
}
