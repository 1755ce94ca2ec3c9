//! What daily use of the command expects: completions that a real bash loads and uses, man
//! pages, colour only when asked or on a terminal, -q, and an example in every hand-written
//! command's help.

mod common;

use common::{Home, exec, seventime};

/// What bash completes for the words of `line` (the last one being completed), with the
/// script `seventime completions bash` prints loaded into a real bash.
fn bash_completes(line: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("seventime.bash");
    let run = exec(seventime().args(["completions", "bash"]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(&script, &run.stdout).unwrap();
    let words: Vec<&str> = line.split(' ').collect();
    let driver = format!(
        "source {script}\n\
         COMP_WORDS=({words})\n\
         COMP_CWORD={cword}\n\
         COMP_LINE='{line}'\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         _seventime seventime '{current}' '{previous}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script = script.display(),
        words = words.join(" "),
        cword = words.len() - 1,
        current = words[words.len() - 1],
        previous = words[words.len() - 2],
    );
    let output = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &driver])
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_resource_names_subcommands_and_entity_types() {
    assert_eq!(bash_completes("seventime list cu"), ["customers"]);
    assert_eq!(
        bash_completes("seventime get work-order-t"),
        ["work-order-tags", "work-order-types"]
    );
    assert_eq!(bash_completes("seventime lo"), ["login", "logout"]);
    let invoice_types: Vec<String> = seventime::EntityType::KNOWN
        .iter()
        .filter_map(|entity| entity.kebab_name())
        .filter(|name| name.starts_with("invo"))
        .map(String::from)
        .collect();
    assert!(!invoice_types.is_empty());
    assert_eq!(
        bash_completes("seventime custom-fields invo"),
        invoice_types
    );
    let flags = bash_completes("seventime list customers --so");
    assert!(flags.contains(&"--sort-by".to_string()), "{flags:?}");
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = exec(seventime().args(["completions", shell]));
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(
            run.stdout.contains("--sort-by"),
            "{shell}: flags are in the script"
        );
    }
    // bash and zsh offer the values of a positional argument: the resource names, as one list
    // (not only inside generated command names such as `list-customers`).
    for shell in ["bash", "zsh"] {
        let run = exec(seventime().args(["completions", shell]));
        assert!(
            run.stdout.contains("contact-persons customers "),
            "{shell}: resource names are offered for `list`"
        );
    }
    let run = exec(seventime().args(["completions", "tcsh"]));
    assert_eq!(run.code, 2);
}

#[test]
fn man_pages_are_written_for_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let run = exec(seventime().arg("generate-man-pages").arg(dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "seventime.1",
        "seventime-list.1",
        "seventime-config-set.1",
        "seventime-login.1",
        "seventime-list-customers.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(
            text.starts_with(".ie \\n(.g .ds Aq") || text.contains(".TH"),
            "{page}: {text:.200}"
        );
    }
    let list = std::fs::read_to_string(dir.path().join("seventime-list.1")).unwrap();
    assert!(list.contains("\\-\\-all"), "the page documents the flags");
    // The hidden command has no page of its own.
    assert!(!dir.path().join("seventime-generate-man-pages.1").exists());
}

#[test]
fn every_hand_written_command_has_an_example_in_its_help() {
    let commands: &[&[&str]] = &[
        &["resources"],
        &["list"],
        &["get"],
        &["entity-types"],
        &["custom-fields"],
        &["config"],
        &["config", "show"],
        &["config", "set"],
        &["config", "list"],
        &["login"],
        &["logout"],
        &["whoami"],
        &["completions"],
    ];
    for command in commands {
        let run = exec(seventime().args(*command).arg("--help"));
        assert_eq!(run.code, 0, "{command:?}: {}", run.stderr);
        assert!(
            run.stdout.contains("Examples:\n  seventime "),
            "{command:?} --help has no example:\n{}",
            run.stdout
        );
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let bold = "\u{1b}[1m";
    // Piped (as here) and NO_COLOR set by the helper: plain.
    let plain = exec(seventime().arg("entity-types"));
    assert!(!plain.stdout.contains('\u{1b}'), "{}", plain.stdout);
    // Piped without NO_COLOR: still plain, because stdout is not a terminal.
    let piped = exec(seventime().env_remove("NO_COLOR").arg("entity-types"));
    assert!(!piped.stdout.contains('\u{1b}'));
    // --color always wins over NO_COLOR.
    let always = exec(seventime().args(["--color", "always", "entity-types"]));
    assert!(
        always.stdout.starts_with(bold),
        "{:?}",
        &always.stdout[..20]
    );
    assert_eq!(
        always.stdout.replace(bold, "").replace("\u{1b}[0m", ""),
        plain.stdout,
        "colour changes nothing else"
    );
    let error = exec(seventime().args(["--color", "always", "list", "nothing"]));
    assert!(error.stderr.starts_with("\u{1b}["), "{:?}", error.stderr);
    let never = exec(
        seventime()
            .env_remove("NO_COLOR")
            .args(["--color", "never", "list", "nothing"]),
    );
    assert!(
        never.stderr.starts_with("seventime: "),
        "{:?}",
        never.stderr
    );
}

#[test]
fn quiet_silences_notes_but_not_errors() {
    let home = Home::new();
    let noted = exec(home.seventime().args(["config", "set", "timeout", "5"]));
    assert_eq!(noted.code, 0);
    assert!(
        noted
            .stderr
            .starts_with("seventime: set profiles.default.timeout = 5 in "),
        "{}",
        noted.stderr
    );
    let quiet = exec(
        home.seventime()
            .args(["-q", "config", "set", "timeout", "6"]),
    );
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stderr, "");
    let failed = exec(
        home.seventime()
            .args(["-q", "config", "set", "timeout", "zero"]),
    );
    assert_eq!(failed.code, 2);
    assert!(
        failed.stderr.starts_with("seventime: timeout: "),
        "{}",
        failed.stderr
    );
}
