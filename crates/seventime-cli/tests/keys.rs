//! The API key of the real `seventime` binary: where it comes from, what a missing or refused
//! key prints and exits with, and that it stays out of every output, logs included.

mod common;

use seventime_test_support::KEY;

use common::{Served, exec, seventime};

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
        "seventime: no API key for profile `default` (none stored in the keychain stand-in \
         SEVENTIME_KEYCHAIN_DIR=/nonexistent/seventime-test/keychain): run `seventime login`, \
         set SEVENTIME_CLIENT_SECRET, or pass --client-secret-file FILE (keys are created in \
         Seven Time under Settings → Integrations → API), or try --mock\n"
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
         `seventime whoami` shows where the key comes from, `seventime login` stores a new one\n"
    );
    assert!(!run.stderr.contains("not-the-key"));
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
