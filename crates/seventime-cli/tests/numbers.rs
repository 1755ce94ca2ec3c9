//! Numbers come out exactly as they went in, on every path a number takes: the mock's
//! responses, the client's typed decode and encode (`f64` and `i64` properties, and `extra`),
//! and the `seventime` command's `-o json`, `-o jsonl`, `-o table` and `-o csv`, for `list` and `get` and
//! for a generated operation command.
//!
//! The cases are the ones fast float parsers get wrong or formatters print differently:
//! shortest round-trip values with 16–17 significant digits, subnormals down to `5e-324`, the
//! largest double, `0.1`, negative zero, and integers past 2^53 up to the 64-bit limits. Each
//! case is compared as text, and its expected text is checked (with the standard library's
//! correctly rounded parser) to be the same number as the input.

// A case is its index: the record's `_id`, `name` and integer are made from it.
#![allow(clippy::needless_range_loop)]

mod common;

use common::{Served, exec};
use seventime::types;
use seventime_mock::Fixtures;
use seventime_test_support::{KEY, raw_get};

/// Floats as they go in, and as they must come out: the same text, except where the input is
/// not in serde_json's shortest form (then the same number, in that form).
const FLOATS: &[(&str, &str)] = &[
    // The vendor's example price that a fast parser reads one unit in the last place off.
    ("369.48749999999995", "369.48749999999995"),
    ("0.30000000000000004", "0.30000000000000004"),
    ("123456.78901234567", "123456.78901234567"),
    ("9007199254.740993", "9007199254.740993"),
    ("0.1", "0.1"),
    ("-0.0", "-0.0"),
    ("4.35", "4.35"),
    ("7.1e-10", "7.1e-10"),
    ("1.2345678901234568e+20", "1.2345678901234568e+20"),
    // The smallest normal double, the largest subnormal, two subnormals, the smallest one.
    ("2.2250738585072014e-308", "2.2250738585072014e-308"),
    ("2.225073858507201e-308", "2.225073858507201e-308"),
    ("4.9406564584124654e-320", "4.9407e-320"),
    ("1e-323", "1e-323"),
    ("5e-324", "5e-324"),
    // The largest double, written as the issue gives it and as serde_json writes it.
    ("1.7976931348623157e308", "1.7976931348623157e+308"),
    ("-1.7976931348623157e+308", "-1.7976931348623157e+308"),
];

/// Integers that a double cannot hold (past 2^53), up to the limits of `i64` and `u64`.
const INTEGERS: &[&str] = &[
    "9007199254740993",
    "-9007199254740993",
    "9223372036854775807",
    "-9223372036854775808",
];
/// Past `i64`: kept exactly where the value is untyped (`extra`, the CLI, the mock).
const UNSIGNED: &str = "18446744073709551615";

fn id(case: usize) -> String {
    format!("5f0c1e2d3b4a59687706{case:04x}")
}

/// The expense of case `case`: its float in two typed `f64` properties and in `extra`, an
/// integer in the typed `i64` property and in `extra`, and the largest `u64` in `extra`.
fn record(case: usize) -> String {
    let (float, _) = FLOATS[case];
    let integer = INTEGERS[case % INTEGERS.len()];
    format!(
        r#"{{"_id":"{id}","name":"case-{case}","numberOfItems":{float},"totalAmount":{float},"hardFloat":{float},"workOrderNumber":{integer},"hardInteger":{integer},"hardUnsigned":{UNSIGNED}}}"#,
        id = id(case)
    )
}

fn fixtures() -> Fixtures {
    let records: Vec<String> = (0..FLOATS.len()).map(record).collect();
    let text = format!(r#"{{"records":{{"expenses":[{}]}}}}"#, records.join(","));
    Fixtures::parse(std::path::Path::new("numbers.json"), &text)
        .unwrap_or_else(|error| panic!("the number fixtures load: {error}"))
}

/// The number written after `"name":` in `json` (compact or pretty), as text.
fn number_after<'a>(json: &'a str, name: &str) -> &'a str {
    let key = format!("\"{name}\":");
    let at = json
        .find(&key)
        .unwrap_or_else(|| panic!("`{name}` is in {json}"));
    let rest = json[at + key.len()..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The part of `json` that is the record of `case`: records are written with `_id` first
/// (serde_json's maps are sorted, and `_` sorts before the lower-case property names), so it
/// runs from its `_id` to the next one.
fn record_text(json: &str, case: usize) -> &str {
    let start = json
        .find(&id(case))
        .unwrap_or_else(|| panic!("case {case} is in the output"));
    let end = json[start + 1..]
        .find("\"_id\"")
        .map_or(json.len(), |at| start + 1 + at);
    &json[start..end]
}

/// Checks the numbers of case `case` in `json` (the typed `workOrderNumber` where the path
/// shows it).
fn assert_case(path: &str, json: &str, case: usize) {
    let (input, expected) = FLOATS[case];
    let integer = INTEGERS[case % INTEGERS.len()];
    let mut wanted = vec![
        ("totalAmount", expected),
        ("numberOfItems", expected),
        ("hardFloat", expected),
        ("hardInteger", integer),
        ("hardUnsigned", UNSIGNED),
    ];
    if json.contains("\"workOrderNumber\"") {
        wanted.push(("workOrderNumber", integer));
    }
    for (name, want) in wanted {
        let got = number_after(json, name);
        assert_eq!(
            got, want,
            "{path}: `{name}` of case {case} went in as {input} and came out as {got}"
        );
    }
}

#[test]
fn every_case_is_one_number_written_two_ways_at_most() {
    for (input, expected) in FLOATS {
        let (a, b): (f64, f64) = (input.parse().unwrap(), expected.parse().unwrap());
        assert_eq!(a.to_bits(), b.to_bits(), "{input} and {expected} differ");
    }
}

#[test]
fn typed_decode_and_encode_keep_every_number() {
    for case in 0..FLOATS.len() {
        let text = record(case);
        let expense: types::Expense = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("case {case} decodes: {error}"));
        let (_, expected) = FLOATS[case];
        let exact: f64 = expected.parse().unwrap();
        assert_eq!(
            expense.total_amount.map(f64::to_bits),
            Some(exact.to_bits()),
            "case {case}: the decoded f64 is the correctly rounded one"
        );
        let encoded = serde_json::to_string(&expense).unwrap();
        assert_case("typed encode", &encoded, case);
    }
}

#[test]
fn an_i64_property_refuses_what_it_cannot_hold_instead_of_rounding() {
    let text = r#"{"_id":"x","workOrderNumber":18446744073709551615}"#;
    let error = serde_json::from_str::<types::Expense>(text).unwrap_err();
    assert!(
        error.to_string().contains("18446744073709551615"),
        "{error}"
    );
}

#[test]
fn the_mock_serves_every_number_as_it_was_given() {
    let served = Served::start(|config| config.fixtures = fixtures());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let list = runtime.block_on(raw_get(
        served.mock(),
        "/api/2/expenses?limit=500",
        Some(KEY),
    ));
    assert_eq!(list.status, 200, "{}", list.body);
    for case in 0..FLOATS.len() {
        assert_case("mock list", record_text(&list.body, case), case);
        let one = runtime.block_on(raw_get(
            served.mock(),
            &format!("/api/2/expenses/{}", id(case)),
            Some(KEY),
        ));
        assert_eq!(one.status, 200, "{}", one.body);
        assert_case("mock get", &one.body, case);
    }
}

#[test]
fn the_command_prints_every_number_as_it_was_given() {
    let served = Served::start(|config| config.fixtures = fixtures());
    let run = |args: &[&str]| {
        let run = exec(served.seventime().args(args));
        assert_eq!(run.code, 0, "seventime {args:?}: {}", run.stderr);
        run.stdout
    };

    let json = run(&["list", "expenses", "--all", "-o", "json"]);
    let jsonl = run(&["list", "expenses", "--all", "-o", "jsonl"]);
    let table = run(&["list", "expenses", "-o", "table"]);
    let csv = run(&[
        "list",
        "expenses",
        "--all",
        "-o",
        "csv",
        "--columns",
        "_id,totalAmount,hardFloat,workOrderNumber,hardUnsigned",
    ]);
    let mut csv_rows = csv::Reader::from_reader(csv.as_bytes());
    let csv_rows: Vec<csv::StringRecord> = csv_rows.records().map(Result::unwrap).collect();
    for case in 0..FLOATS.len() {
        let (_, expected) = FLOATS[case];
        let row = csv_rows
            .iter()
            .find(|row| row.get(0) == Some(id(case).as_str()))
            .unwrap_or_else(|| panic!("case {case} is in the CSV:\n{csv}"));
        let integer = INTEGERS[case % INTEGERS.len()];
        assert_eq!(
            row.iter().skip(1).collect::<Vec<_>>(),
            [expected, expected, integer, UNSIGNED],
            "list -o csv, case {case}"
        );
        assert_case("list -o json", record_text(&json, case), case);
        let line = jsonl
            .lines()
            .find(|line| line.contains(&id(case)))
            .unwrap_or_else(|| panic!("case {case} is in the JSON lines"));
        assert_case("list -o jsonl", line, case);
        // The table's last two columns are numberOfItems and totalAmount.
        let row: Vec<&str> = table
            .lines()
            .find(|line| {
                line.split_whitespace()
                    .any(|cell| cell == format!("case-{case}"))
            })
            .unwrap_or_else(|| panic!("case {case} is in the table:\n{table}"))
            .split_whitespace()
            .collect();
        assert_eq!(
            row[row.len() - 2..],
            [expected, expected],
            "list -o table, case {case}"
        );

        let id = id(case);
        assert_case(
            "get -o json",
            &run(&["get", "expenses", &id, "-o", "json"]),
            case,
        );
        assert_case(
            "get -o jsonl",
            &run(&["get", "expenses", &id, "-o", "jsonl"]),
            case,
        );
        let table = run(&["get", "expenses", &id, "-o", "table"]);
        for property in ["totalAmount", "hardFloat", "hardUnsigned"] {
            let value = table
                .lines()
                .find_map(|line| {
                    let mut cells = line.split_whitespace();
                    (cells.next() == Some(property)).then(|| cells.next())
                })
                .flatten()
                .unwrap_or_else(|| panic!("`{property}` is a row of:\n{table}"));
            let want = if property == "hardUnsigned" {
                UNSIGNED
            } else {
                expected
            };
            assert_eq!(value, want, "get -o table, `{property}` of case {case}");
        }
        // The generated operation command decodes into the typed `Expense`.
        let typed = run(&["get-expense", "--id", &id, "-o", "json"]);
        assert_case("get-expense -o json (typed)", &typed, case);
    }
}

/// Every workspace member that depends on serde_json parses floats exactly: the feature comes
/// from the workspace dependency, and a member that named serde_json on its own would lose it.
#[test]
fn every_member_that_parses_json_has_float_roundtrip() {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut with_json = Vec::new();
    for package in metadata["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap();
        for dependency in package["dependencies"].as_array().unwrap() {
            if dependency["name"] == "serde_json" {
                let features = dependency["features"].as_array().unwrap();
                assert!(
                    features.iter().any(|f| f == "float_roundtrip"),
                    "{name} depends on serde_json without `float_roundtrip`: take it from the workspace (`serde_json.workspace = true`)"
                );
                with_json.push(name.to_string());
            }
        }
    }
    for member in ["seventime", "seventime-cli", "seventime-mock"] {
        assert!(
            with_json.iter().any(|name| name == member),
            "{member} is checked"
        );
    }
}
