//! `seventime login`, `logout` and `whoami` against the mock, with a directory standing in for
//! the OS keychain (SEVENTIME_KEYCHAIN_DIR): the key is checked before it is stored, found
//! again by the profile, and removed by logout.

mod common;

use seventime_test_support::KEY;

use common::{Home, Served, exec};

fn stored(home: &Home, profile: &str) -> Option<String> {
    std::fs::read_to_string(home.keychain().join(format!("seventime.{profile}"))).ok()
}

#[test]
fn login_checks_the_key_stores_it_and_whoami_and_list_use_it() {
    let served = Served::start(|_| {});
    let home = Home::new();
    let run = exec(
        home.seventime()
            .args(["login", "--profile", "acme", "--base-url", &served.url()])
            .write_stdin(format!("{KEY}\n")),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        stored(&home, "acme").as_deref(),
        Some(KEY),
        "the key, without the line break"
    );
    assert!(
        run.stderr.contains("logged in: profile `acme`"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains(KEY) && !run.stderr.contains(KEY));
    let config = home.config_text();
    assert!(
        config.contains(&format!("base_url = \"{}\"", served.url())),
        "{config}"
    );
    assert!(config.contains("key_from = \"keychain\""), "{config}");
    assert!(!config.contains(KEY));

    // No key or base URL in the environment: both come from the profile.
    let run = exec(home.seventime().args(["--profile", "acme", "whoami"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("acme") && run.stdout.contains("accepted"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&served.url()), "{}", run.stdout);
    assert!(!run.stdout.contains(KEY));
    let run =
        exec(
            home.seventime()
                .args(["--profile", "acme", "list", "customers", "--limit", "1"]),
        );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = exec(home.seventime().args(["--profile", "acme", "logout"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("logged out"), "{}", run.stderr);
    assert_eq!(stored(&home, "acme"), None);

    let run = exec(home.seventime().args(["--profile", "acme", "status"]));
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("profile `acme` at {}", served.url()))
            && run.stderr.contains("run `seventime login`"),
        "{}",
        run.stderr
    );
    let run = exec(home.seventime().args(["--profile", "acme", "logout"]));
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("no key was stored"), "{}", run.stderr);
}

#[test]
fn a_refused_key_is_not_stored() {
    let served = Served::start(|_| {});
    let home = Home::new();
    let run = exec(
        home.seventime()
            .args(["login", "--base-url", &served.url()])
            .write_stdin("not-the-key\n"),
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("refused this key") && run.stderr.contains("nothing was stored"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("not-the-key"));
    assert_eq!(stored(&home, "default"), None);
    assert!(!home.config().exists(), "nothing written");
}

#[test]
fn login_without_a_key_on_stdin_says_how_to_give_one() {
    let home = Home::new();
    let run = exec(home.seventime().arg("login").write_stdin(""));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no key given"), "{}", run.stderr);
}

#[test]
fn whoami_names_the_failure_class_with_a_hint() {
    let served = Served::start(|_| {});
    let home = Home::new();
    let refused = exec(
        home.seventime()
            .env("SEVENTIME_BASE_URL", served.url())
            .env("SEVENTIME_CLIENT_SECRET", "wrong")
            .arg("whoami"),
    );
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("the key from the variable SEVENTIME_CLIENT_SECRET is not accepted"),
        "{}",
        refused.stderr
    );
    let unreachable = exec(home.seventime().env("SEVENTIME_CLIENT_SECRET", KEY).args([
        "--base-url",
        "http://127.0.0.1:9",
        "--retries",
        "0",
        "whoami",
    ]));
    assert_eq!(unreachable.code, 5, "{}", unreachable.stderr);
    assert!(
        unreachable.stderr.contains("check --base-url"),
        "{}",
        unreachable.stderr
    );
    let mock = exec(home.seventime().args(["--mock", "whoami", "-o", "json"]));
    assert_eq!(mock.code, 0, "{}", mock.stderr);
    let shown: serde_json::Value = serde_json::from_str(&mock.stdout).unwrap();
    assert_eq!(shown["status"], "accepted");
}

#[test]
fn insecure_file_keeps_the_key_in_a_file_only_the_user_may_read() {
    let served = Served::start(|_| {});
    let home = Home::new();
    let run = exec(
        home.seventime()
            .args([
                "login",
                "--profile",
                "ci",
                "--insecure-file",
                "--base-url",
                &served.url(),
            ])
            .write_stdin(KEY),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = home.dir.path().join("keys").join("ci");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), KEY);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    assert_eq!(stored(&home, "ci"), None, "not in the keychain");
    assert!(
        home.config_text()
            .contains(&format!("key_from = \"file:{}\"", file.display()))
    );
    let run = exec(home.seventime().args(["--profile", "ci", "whoami"]));
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = exec(home.seventime().args(["--profile", "ci", "logout"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!file.exists());
    assert!(
        !home.config_text().contains("key_from"),
        "{}",
        home.config_text()
    );
}

/// Where there is no keychain (no D-Bus session here), login says so and stores nothing.
/// Linux only: elsewhere the real keychain would answer.
#[cfg(target_os = "linux")]
#[test]
fn without_a_keychain_login_says_so_and_points_to_insecure_file() {
    let served = Served::start(|_| {});
    let home = Home::new();
    let run = exec(
        home.seventime()
            .env_remove("SEVENTIME_KEYCHAIN_DIR")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .args(["login", "--base-url", &served.url()])
            .write_stdin(KEY),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no keychain to store it in") && run.stderr.contains("--insecure-file"),
        "{}",
        run.stderr
    );
    assert!(!home.config().exists());
}

#[test]
fn a_key_file_goes_when_the_keychain_takes_over_and_logout_works_without_the_profile() {
    let served = Served::start(|_| {});
    let home = Home::new();
    let login = |extra: &[&str]| {
        let mut args = vec!["login", "--profile", "acme", "--base-url"];
        let url = served.url();
        args.push(&url);
        args.extend_from_slice(extra);
        let run = exec(home.seventime().args(&args).write_stdin(format!("{KEY}\n")));
        assert_eq!(run.code, 0, "{}", run.stderr);
    };
    let file = home.config().parent().unwrap().join("keys").join("acme");
    login(&["--insecure-file"]);
    assert!(file.exists(), "the insecure login wrote {}", file.display());
    login(&[]);
    assert!(
        !file.exists(),
        "a plain-text copy of the key outlived the move to the keychain"
    );
    assert_eq!(stored(&home, "acme").as_deref(), Some(KEY));

    // The config file is lost; the key in the keychain can still be removed.
    std::fs::remove_file(home.config()).unwrap();
    let run = exec(home.seventime().args(["logout", "--profile", "acme"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(stored(&home, "acme"), None);
}
