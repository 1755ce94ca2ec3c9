//! Profiles of the config file and the order settings are taken in: a flag, then the
//! environment, then the profile, then the built-in default. Checked both through
//! `config show` (which says where each setting came from) and through what a command does.

mod common;

use serde_json::Value;
use seventime_test_support::KEY;

use common::{Home, Served, exec};

fn show(command: &mut assert_cmd::Command) -> Value {
    let run = exec(command.args(["config", "show", "-o", "json"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn each_setting_comes_from_the_flag_then_the_environment_then_the_profile() {
    let home = Home::with_config(
        "default_profile = \"acme\"\n\n[profiles.acme]\nbase_url = \"http://127.0.0.1:9\"\ntimeout = 7\nretries = 1\n",
    );
    let path = home.config().display().to_string();
    let in_profile = format!("profile `acme` in {path}");

    let from_file = show(&mut home.seventime());
    assert_eq!(from_file["profile"]["value"], "acme");
    assert_eq!(
        from_file["profile"]["from"],
        format!("default_profile in {path}")
    );
    assert_eq!(from_file["base_url"]["value"], "http://127.0.0.1:9");
    assert_eq!(from_file["base_url"]["from"], in_profile);
    assert_eq!(from_file["timeout"]["value"], "7");
    assert_eq!(from_file["timeout"]["from"], in_profile);
    assert_eq!(from_file["rate_limit"]["value"], "4");
    assert_eq!(from_file["rate_limit"]["from"], "built-in default");

    let from_env = show(home.seventime().env("SEVENTIME_TIMEOUT", "9"));
    assert_eq!(from_env["timeout"]["value"], "9");
    assert_eq!(from_env["timeout"]["from"], "SEVENTIME_TIMEOUT");
    assert_eq!(from_env["retries"]["from"], in_profile);

    let from_flag = show(
        home.seventime()
            .env("SEVENTIME_TIMEOUT", "9")
            .args(["--timeout", "11"]),
    );
    assert_eq!(from_flag["timeout"]["value"], "11");
    assert_eq!(from_flag["timeout"]["from"], "--timeout");
}

#[test]
fn the_profile_flag_beats_the_variable_which_beats_default_profile() {
    let home = Home::with_config(
        "default_profile = \"acme\"\n[profiles.acme]\ntimeout = 1\n[profiles.beta]\ntimeout = 2\n[profiles.gamma]\ntimeout = 3\n",
    );
    let by_env = show(home.seventime().env("SEVENTIME_PROFILE", "beta"));
    assert_eq!(by_env["profile"]["value"], "beta");
    assert_eq!(by_env["profile"]["from"], "SEVENTIME_PROFILE");
    assert_eq!(by_env["timeout"]["value"], "2");

    let by_flag = show(
        home.seventime()
            .env("SEVENTIME_PROFILE", "beta")
            .args(["--profile", "gamma"]),
    );
    assert_eq!(by_flag["profile"]["from"], "--profile");
    assert_eq!(by_flag["timeout"]["value"], "3");
}

#[test]
fn a_command_uses_the_profile_base_url_and_output_unless_a_flag_says_otherwise() {
    let served = Served::start(|_| {});
    let home = Home::with_config(&format!(
        "[profiles.acme]\nbase_url = \"{}\"\noutput = \"jsonl\"\nkey_from = \"env:ACME_KEY\"\n",
        served.url()
    ));
    let run = exec(home.seventime().env("ACME_KEY", KEY).args([
        "--profile",
        "acme",
        "list",
        "customers",
        "--limit",
        "2",
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "jsonl from the profile: {}", run.stdout);

    // The flag wins over the profile: nothing listens on port 9.
    let run = exec(home.seventime().env("ACME_KEY", KEY).args([
        "--profile",
        "acme",
        "--base-url",
        "http://127.0.0.1:9",
        "--retries",
        "0",
        "list",
        "customers",
    ]));
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("http://127.0.0.1:9"), "{}", run.stderr);
}

#[test]
fn config_show_says_whether_the_key_is_set_but_never_shows_it() {
    let home = Home::new();
    let unset = show(&mut home.seventime());
    assert!(
        unset["key"]["value"].as_str().unwrap().starts_with("unset"),
        "{unset}"
    );
    let run = exec(
        home.seventime()
            .env("SEVENTIME_CLIENT_SECRET", KEY)
            .args(["config", "show"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("set (the variable SEVENTIME_CLIENT_SECRET)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(KEY) && !run.stderr.contains(KEY));
}

#[test]
fn a_malformed_file_is_an_error_naming_the_file_the_line_and_the_key() {
    let home = Home::with_config("[profiles.acme]\nbase_url = \"https://x\"\ntimeout = \"soon\"\n");
    let run = exec(home.seventime().args(["config", "show"]));
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "seventime: config file {} line 3: `profiles.acme.timeout` must be a whole number from 1, without quotes\n",
            home.config().display()
        )
    );

    let home = Home::with_config("[profiles.acme\ntimeout = 3\n");
    let run = exec(home.seventime().args(["config", "show"]));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(&format!(
            "seventime: config file {} line 1: not valid TOML",
            home.config().display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn unknown_keys_are_warned_about_and_quiet_silences_the_warning() {
    let home = Home::with_config("[profiles.default]\nbase_uri = \"https://x\"\n");
    let run = exec(home.seventime().args(["config", "show"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "seventime: warning: config file {} line 2: unknown key `profiles.default.base_uri` ignored",
            home.config().display()
        )),
        "{}",
        run.stderr
    );
    let run = exec(home.seventime().args(["-q", "config", "show"]));
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "");
}

#[test]
fn an_unknown_profile_names_the_profiles_there_are() {
    let home = Home::with_config("[profiles.acme]\n[profiles.beta]\n");
    let run = exec(
        home.seventime()
            .args(["--profile", "gamma", "--mock", "resources"]),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no profile `gamma`") && run.stderr.contains("(profiles: acme, beta)"),
        "{}",
        run.stderr
    );
}

#[test]
fn config_set_writes_the_file_keeping_its_comments_and_refuses_bad_values() {
    let home = Home::with_config("# tenants of mine\n[profiles.acme]\ntimeout = 5 # slow VPN\n");
    for (key, value) in [
        ("output", "csv"),
        ("rate_limit", "2"),
        ("base_url", "https://example.test"),
    ] {
        let run = exec(
            home.seventime()
                .args(["config", "set", key, value, "--profile", "acme"]),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let run = exec(
        home.seventime()
            .args(["config", "set", "retries", "0", "--profile", "new"]),
    );
    assert_eq!(run.code, 0, "a new profile: {}", run.stderr);
    let run = exec(
        home.seventime()
            .args(["config", "set", "default_profile", "acme"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let text = home.config_text();
    assert!(
        text.contains("# tenants of mine") && text.contains("# slow VPN"),
        "{text}"
    );
    let shown = show(&mut home.seventime());
    assert_eq!(shown["profile"]["value"], "acme");
    assert_eq!(shown["output"]["from"], "--output", "show's own -o json");
    assert_eq!(shown["rate_limit"]["value"], "2");
    assert_eq!(shown["base_url"]["value"], "https://example.test");
    assert_eq!(
        show(home.seventime().args(["--profile", "new"]))["retries"]["value"],
        "0"
    );
    let run = exec(home.seventime().args(["config", "list", "-o", "json"]));
    let listed: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(listed["profiles"]["acme"]["output"], "csv");
    // And a command without -o prints what the profile says.
    let run = exec(home.seventime().args(["--mock", "entity-types"]));
    assert!(
        run.stdout.starts_with("CODE,NAME,LABEL\n"),
        "{}",
        run.stdout
    );

    let before = home.config_text();
    for (key, value) in [
        ("timeout", "0"),
        ("output", "xml"),
        ("key_from", "my-secret-key"),
    ] {
        let run = exec(home.seventime().args(["config", "set", key, value]));
        assert_eq!(run.code, 2, "{key}={value}");
        assert!(
            run.stderr.starts_with(&format!("seventime: {key}: ")),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("my-secret-key"), "{}", run.stderr);
    }
    let run = exec(home.seventime().args(["config", "set", "colour", "x"]));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        home.config_text(),
        before,
        "a refused value changes nothing"
    );
}

#[test]
fn config_list_shows_every_profile_and_the_default() {
    let home = Home::with_config(
        "default_profile = \"beta\"\n[profiles.acme]\ntimeout = 5\n[profiles.beta]\noutput = \"json\"\nkey_from = \"keychain\"\n",
    );
    let run = exec(home.seventime().args(["config", "list", "-o", "table"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|line| {
            line.split("  ")
                .filter(|c| !c.is_empty())
                .map(str::trim)
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            vec!["PROFILE", "SETTING", "VALUE"],
            vec!["acme", "timeout", "5"],
            vec!["beta (default)", "output", "json"],
            vec!["beta (default)", "key_from", "keychain"],
        ]
    );
    let run = exec(home.seventime().args(["config", "list", "-o", "json"]));
    let listed: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(listed["default_profile"], "beta");
    assert_eq!(listed["profiles"]["acme"]["timeout"], "5");
}
