//! The real `seventime` binary against the mock: every command and output format, every failure
//! class with its exit code, and the key kept out of every output.

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use seventime::{EntityType, types};
use seventime_mock::{Faults, Fixtures, MockConfig};
use seventime_test_support::{BlockingMock, KEY, fixture_ids};

/// A mock on a runtime of its own (the test thread blocks on the binary).
struct Served(BlockingMock);

impl Served {
    fn start(configure: impl FnOnce(&mut MockConfig)) -> Self {
        Self(BlockingMock::start(configure))
    }

    fn url(&self) -> String {
        self.0.url().to_string()
    }

    /// `seventime` pointed at this mock with the right key in the environment.
    fn seventime(&self) -> Command {
        let mut command = seventime();
        command
            .env(seventime::BASE_URL_ENV, self.url())
            .env(seventime::API_KEY_ENV, KEY);
        command
    }
}

/// The binary with a clean environment: no key or base URL leaks in from the developer's shell.
fn seventime() -> Command {
    let mut command = Command::cargo_bin("seventime").unwrap();
    command
        .env_remove("SEVENTIME_CLIENT_SECRET")
        .env_remove("SEVENTIME_BASE_URL")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60));
    command
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn exec(command: &mut Command) -> Run {
    let output = command.output().unwrap();
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

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
fn the_key_can_come_from_a_file() {
    let served = Served::start(|_| {});
    let dir = std::env::temp_dir().join(format!("seventime-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("secret");
    std::fs::write(&file, format!("{KEY}\n")).unwrap();
    let run = exec(
        seventime()
            .env("SEVENTIME_BASE_URL", served.url())
            .arg("--client-secret-file")
            .arg(&file)
            .args(["custom-fields", "400"]),
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_missing_key_names_the_variable_and_exits_3() {
    let run = exec(seventime().args(["custom-fields", "invoice"]));
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stderr,
        "seventime: no API key: set SEVENTIME_CLIENT_SECRET or pass --client-secret-file FILE \
         (keys are created in Seven Time under Settings → Integrations → API), or try --mock\n"
    );
}

#[test]
fn an_unreadable_key_file_exits_3() {
    let run = exec(seventime().args([
        "--client-secret-file",
        "/nonexistent/secret",
        "custom-fields",
    ]));
    assert_eq!(run.code, 3);
    assert!(
        run.stderr
            .starts_with("seventime: cannot read --client-secret-file /nonexistent/secret: "),
        "{}",
        run.stderr
    );
}

#[test]
fn a_refused_key_shows_the_server_message_and_exits_3() {
    let served = Served::start(|_| {});
    let run = exec(
        served
            .seventime()
            .env("SEVENTIME_CLIENT_SECRET", "not-the-key")
            .args(["custom-fields", "invoice"]),
    );
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stderr,
        "seventime: the service refused the API key (401 Unauthorized: Invalid client secret); \
         check SEVENTIME_CLIENT_SECRET or --client-secret-file\n"
    );
    assert!(!run.stderr.contains("not-the-key"));
}

#[test]
fn an_unknown_entity_lists_the_valid_names_and_exits_2() {
    let run = exec(seventime().args(["--mock", "custom-fields", "invoices"]));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`invoices` is not a known entity type; use a documented code or one of: time-log, work-order,"),
        "{}",
        run.stderr
    );
}

#[test]
fn api_errors_exit_4_with_the_server_message() {
    let served = Served::start(|_| {});
    let run = exec(served.seventime().args(["custom-fields", "expense"]));
    assert_eq!(run.code, 4);
    assert_eq!(
        run.stderr,
        "seventime: the service answered 404 Not Found: No field configuration for entity type 600 (Expense)\n"
    );

    for (status, expected) in [
        (
            503,
            "seventime: the service failed (503 Service Unavailable: Fault injected by seventime-mock); try again later\n",
        ),
        (
            429,
            "seventime: rate limited (429 Too Many Requests: Fault injected by seventime-mock); the service allows 4 requests per second per key, try again shortly\n",
        ),
        (
            403,
            "seventime: the API key may not read this (403 Forbidden: Fault injected by seventime-mock); check the key's permissions in Seven Time\n",
        ),
    ] {
        let served = Served::start(|config| config.faults.status = Some(status));
        let run = exec(
            served
                .seventime()
                .args(["--retries", "0", "custom-fields", "invoice"]),
        );
        let class = if status == 403 { 3 } else { 4 };
        assert_eq!((run.code, run.stderr.as_str()), (class, expected));
    }
}

#[test]
fn an_undocumented_body_exits_4() {
    let served = Served::start(|config| config.faults.malformed_body = true);
    let run = exec(served.seventime().args(["custom-fields", "invoice"]));
    assert_eq!(run.code, 4);
    assert!(
        run.stderr.starts_with(
            "seventime: the service answered 200 OK: the body is not the documented JSON ("
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn an_unreachable_service_exits_5() {
    // A port that was free a moment ago: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = exec(seventime().env("SEVENTIME_CLIENT_SECRET", KEY).args([
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
        "custom-fields",
    ]));
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "seventime: cannot reach http://127.0.0.1:{port} ("
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_silent_service_times_out_and_exits_5() {
    let served = Served::start(|config| {
        config.faults = Faults {
            latency: Some(Duration::from_secs(30)),
            ..Faults::default()
        }
    });
    let run = exec(
        served
            .seventime()
            .args(["--timeout", "1", "--retries", "0", "custom-fields"]),
    );
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("seventime: no answer in time from "),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_base_url_is_a_usage_error() {
    let run = exec(seventime().env("SEVENTIME_CLIENT_SECRET", KEY).args([
        "--base-url",
        "app.seventime.se",
        "custom-fields",
    ]));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("seventime: invalid base URL `app.seventime.se`: "),
        "{}",
        run.stderr
    );
}

#[test]
fn verbose_logs_show_requests_but_never_the_key() {
    let served = Served::start(|_| {});
    let run = exec(served.seventime().args(["-vv", "custom-fields", "invoice"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("operation=\"list_custom_fields\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("status=200"), "{}", run.stderr);
    assert!(!run.stderr.contains(KEY), "{}", run.stderr);
    assert!(!run.stdout.contains(KEY));
}

#[test]
fn the_mock_key_is_not_logged_either() {
    let run = exec(seventime().args(["--mock", "-vvv", "custom-fields", "invoice"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("embedded mock started"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("mock-"), "{}", run.stderr);
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

#[test]
fn no_command_is_a_usage_error() {
    let run = exec(&mut seventime());
    assert_eq!(run.code, 2);
}

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
