//! `-o csv`: read back with the `csv` crate's reader, every record of a listing comes out as
//! the service sent it, quoting and all, and `get` lines up with `list`.

mod common;

use serde_json::Value;
use seventime_mock::Fixtures;

use common::{Served, exec};

/// Customers whose text needs quoting: commas, quotes, line breaks, leading spaces, non-ASCII.
fn awkward_customers() -> Fixtures {
    let names = [
        "Andersson, Anna",
        "Bygg \"Nord\" AB",
        "Line one\nline two",
        "  padded  ",
        "Ölands Åkeri & Söner",
        "",
        "=1+1",
    ];
    let records: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            serde_json::json!({
                "_id": format!("5f0c1e2d3b4a596877{n:06x}"),
                "name": name,
                "customerNumber": format!("{}", 1000 + n),
                "city": if n % 2 == 0 { Value::Null } else { Value::String("Malmö".into()) },
                "isActive": n % 3 == 0,
                "lastModified": "2026-11-30 08:15:00",
                // Not in the spec: kept in `extra`, and a nested value in CSV.
                "deliveryTerms": { "code": "FCA", "days": [1, 2.5] },
            })
            .to_string()
        })
        .collect();
    let text = format!(r#"{{"records":{{"customers":[{}]}}}}"#, records.join(","));
    Fixtures::parse(std::path::Path::new("awkward.json"), &text).unwrap()
}

fn records(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// What a CSV field holds for a JSON value: text as is, nothing for null or a missing value,
/// other values as JSON.
fn expected(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

#[test]
fn every_record_round_trips_through_the_csv_reader() {
    let served = Served::start(|config| config.fixtures = awkward_customers());
    let run = |args: &[&str]| {
        let run = exec(served.seventime().args(args));
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run.stdout
    };
    let jsonl = run(&["list", "customers", "--all", "-o", "jsonl"]);
    let wire: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(wire.len(), 7);

    for columns in [
        None,
        Some("_id,name,city,isActive,lastModified,deliveryTerms,customerNumber,missing"),
    ] {
        let mut args = vec!["list", "customers", "--all", "-o", "csv"];
        if let Some(columns) = columns {
            args.extend(["--columns", columns]);
        }
        let (header, rows) = records(&run(&args));
        if let Some(columns) = columns {
            assert_eq!(header, columns.split(',').collect::<Vec<_>>());
        } else {
            assert_eq!(header[0], "_id", "the table's columns, by their wire names");
        }
        assert_eq!(rows.len(), wire.len());
        for (row, record) in rows.iter().zip(&wire) {
            for (column, field) in header.iter().zip(row) {
                assert_eq!(
                    *field,
                    expected(record.get(column)),
                    "{column} of {}",
                    record["_id"]
                );
            }
        }
    }
}

#[test]
fn get_writes_the_same_columns_as_list() {
    let served = Served::start(|config| config.fixtures = awkward_customers());
    let listed = exec(served.seventime().args(["list", "customers", "-o", "csv"]));
    let (list_header, list_rows) = records(&listed.stdout);
    let id = &list_rows[1][0];
    let got = exec(
        served
            .seventime()
            .args(["get", "customers", id, "-o", "csv"]),
    );
    assert_eq!(got.code, 0, "{}", got.stderr);
    let (header, rows) = records(&got.stdout);
    assert_eq!(header, list_header);
    assert_eq!(rows, [list_rows[1].clone()]);
}

#[test]
fn custom_fields_become_columns_by_name() {
    let served = Served::start(|_| {});
    let run = exec(served.seventime().args([
        "list",
        "invoices",
        "--custom-fields",
        "-o",
        "csv",
        "--limit",
        "5",
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (header, rows) = records(&run.stdout);
    let json = exec(served.seventime().args([
        "list",
        "invoices",
        "--custom-fields",
        "-o",
        "jsonl",
        "--limit",
        "5",
    ]));
    let wire: Vec<Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // A column per field of the configuration (values the configuration does not know stay
    // in `customFields`, as in the table).
    let names: Vec<&String> = header
        .iter()
        .filter(|column| {
            wire.iter()
                .any(|r| r["customFieldValues"].get(column.as_str()).is_some())
        })
        .collect();
    assert!(
        names.len() >= 3,
        "the mock's invoices have custom fields: {header:?}"
    );
    for name in names {
        let at = header.iter().position(|h| h == name).unwrap();
        for (row, record) in rows.iter().zip(&wire) {
            assert_eq!(
                row[at],
                expected(record["customFieldValues"].get(name)),
                "{name}"
            );
        }
    }
}

#[test]
fn an_empty_listing_is_a_header_line() {
    let served = Served::start(|_| {});
    let run = exec(served.seventime().args([
        "list",
        "customers",
        "-o",
        "csv",
        "--filter",
        "name=nobody by this name",
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (header, rows) = records(&run.stdout);
    assert_eq!(header[0], "_id");
    assert!(rows.is_empty());
}

#[test]
fn custom_field_numbers_are_written_as_received() {
    // "Rabatt %", a number field of the built-in invoice configuration.
    let discount = "e6a0d6ad484b9d0523c68ddc";
    let sent = ["7", "12345678901234567", "0.1", "-2.50"];
    let invoices: Vec<String> = sent
        .iter()
        .enumerate()
        .map(|(n, number)| {
            format!(
                r#"{{"_id":"5f0c1e2d3b4a59687700{n:04x}","customFields":[{{"fieldId":"{discount}","value":{number}}}]}}"#
            )
        })
        .collect();
    let text = format!(r#"{{"records":{{"invoices":[{}]}}}}"#, invoices.join(","));
    let fixtures = Fixtures::parse(std::path::Path::new("numbers.json"), &text).unwrap();
    let served = Served::start(move |config| config.fixtures = fixtures);
    let run = exec(
        served
            .seventime()
            .args(["list", "invoices", "--custom-fields", "-o", "csv"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (header, rows) = records(&run.stdout);
    let at = header
        .iter()
        .position(|h| h == "Rabatt %")
        .expect("a column");
    let written: Vec<&str> = rows.iter().map(|row| row[at].as_str()).collect();
    // serde_json keeps the shortest form that reads back as the same number: `-2.50` is
    // `-2.5`; every digit of the others is kept.
    assert_eq!(written, ["7", "12345678901234567", "0.1", "-2.5"]);
}
