//! Every failure class of the real `seventime` binary against the mock, with its message and
//! exit code.

mod common;

use std::time::Duration;

use seventime_mock::Faults;
use seventime_test_support::KEY;

use common::{Served, exec, seventime};

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
fn no_command_is_a_usage_error() {
    let run = exec(&mut seventime());
    assert_eq!(run.code, 2);
}
